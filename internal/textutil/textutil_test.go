package textutil

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"/run/a.sock", "/run/a.sock", 0},
		{"/run/php8.1.sock", "/run/php8.2.sock", 1},
	}
	for _, tt := range tests {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestClosest: the nearest option by spelling, the first by name among
// equals, and none when every option is too far.
func TestClosest(t *testing.T) {
	for _, c := range []struct {
		word    string
		options []string
		want    string
	}{
		{"rule", []string{"rules", "explain", "manifest"}, "rules"},
		{"formt", []string{"format", "fix", "fail-on"}, "format"},
		{"ab", []string{"ad", "ac"}, "ac"},
		{"suppres", []string{"rules", "version"}, ""},
		{"x", nil, ""},
	} {
		if got := Closest(c.word, c.options); got != c.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", c.word, c.options, got, c.want)
		}
	}
}
