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
