package nginx

import "testing"

func TestParseVersion(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Version
		ok   bool
	}{
		{"1.22.1", Version{1, 22, 1}, true},
		{"1.22", Version{1, 22, 0}, true},
		{"1", Version{1, 0, 0}, true},
		{"", Version{}, false},
		{"1.2.3.4", Version{}, false},
		{"1.x", Version{}, false},
		{"1.-2", Version{}, false},
		{"v1.22", Version{}, false},
	} {
		got, ok := ParseVersion(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct {
		version             string
		major, minor, patch int
		want                bool
	}{
		{"1.22.1", 1, 22, 1, true},
		{"1.22.1", 1, 22, 2, false},
		{"1.23", 1, 22, 9, true},
		{"2", 1, 99, 99, true},
		{"1.21.9", 1, 22, 0, false},
		{"", 0, 0, 0, false},
	} {
		if got := VersionAtLeast(tt.version, tt.major, tt.minor, tt.patch); got != tt.want {
			t.Errorf("VersionAtLeast(%q, %d, %d, %d) = %v", tt.version, tt.major, tt.minor, tt.patch, got)
		}
	}
}
