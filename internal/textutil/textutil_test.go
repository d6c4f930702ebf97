package textutil

import (
	"math/rand/v2"
	"testing"
)

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

// TestEditDistanceWithin checks EditDistanceWithin against EditDistance
// on random words near each other and far apart, short and longer than
// its stack buffers, for limits from none to more than the words.
func TestEditDistanceWithin(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcde_"[r.IntN(6)]
		}
		return string(b)
	}
	mutate := func(s string) string {
		b := []byte(s)
		for range r.IntN(4) {
			switch i := r.IntN(len(b) + 1); r.IntN(3) {
			case 0:
				b = append(b[:i], append([]byte{'x'}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			default:
				if i < len(b) {
					b[i] = 'y'
				}
			}
		}
		return string(b)
	}
	for range 20000 {
		a := word(r.IntN(12))
		if r.IntN(20) == 0 {
			a = word(60 + r.IntN(40)) // past the 64-byte buffers
		}
		b := mutate(a)
		if r.IntN(3) == 0 {
			b = word(r.IntN(14))
		}
		want := EditDistance(a, b)
		for _, limit := range []int{-1, 0, 1, 2, 3, 5, 8, 200} {
			d, ok := EditDistanceWithin(a, b, limit)
			if ok != (want <= limit) || ok && d != want {
				t.Fatalf("EditDistanceWithin(%q, %q, %d) = %d, %v; EditDistance = %d", a, b, limit, d, ok, want)
			}
		}
	}
}
