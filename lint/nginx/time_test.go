package nginx

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"5s", 5 * time.Second, true},
		{"75s", 75 * time.Second, true},
		{"1m", time.Minute, true},
		{"500ms", 500 * time.Millisecond, true},
		{"1m30s", 90 * time.Second, true},
		{"1h 30m", 90 * time.Minute, true},
		{"1h  30m 15s 5ms", time.Hour + 30*time.Minute + 15*time.Second + 5*time.Millisecond, true},
		{"75", 75 * time.Second, true},
		{"1d", 24 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"1m 5", time.Minute + 5*time.Second, true},
		{"0", 0, true},
		{"", 0, false},
		{"5 sec", 0, false},
		{"s", 0, false},
		{"1.5s", 0, false}, // no fractions
		{"300us", 0, false},
		{"1s 1m", 0, false}, // units go from the largest to the smallest
		{"1h 1h", 0, false},
		{"1m1m", 0, false},
		{"1M", 0, false}, // months and years are not allowed in timeouts
		{"1y", 0, false},
		{"5x", 0, false},
		{"99999999999999999999s", 0, false},
		{"9999999999999w", 0, false},
		{"9223372036854s", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseTime(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseSeconds(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1y", 365 * 24 * time.Hour, true},
		{"6M", 180 * 24 * time.Hour, true},
		{"1y 6M", 545 * 24 * time.Hour, true},
		{"7d", 7 * 24 * time.Hour, true},
		{"30", 30 * time.Second, true},
		{"1h 30m", 90 * time.Minute, true},
		{"500ms", 0, false}, // no milliseconds in seconds
		{"6M 1y", 0, false}, // largest unit first
		{"7 days", 0, false},
		{"", 0, false},
	} {
		got, ok := ParseSeconds(c.in)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("ParseSeconds(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if _, ok := ParseTime("1y"); ok {
		t.Error(`ParseTime("1y") is valid: years are for seconds only`)
	}
}
