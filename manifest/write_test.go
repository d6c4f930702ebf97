package manifest

import (
	"slices"
	"testing"
)

// TestWriteTOML checks that what QuoteTOML, ArrayTOML and ListenTOML
// write reads back, through the TOML library, as what was written.
func TestWriteTOML(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"127.0.0.1:8001", "127.0.0.1:8001"},
		{"unix:/run/app.sock", "unix:/run/app.sock"},
		{`quote " and backslash \`, `quote " and backslash \`},
		{"tab\tnewline\nreturn\rbell\adel\x7fnul\x00", "tab\tnewline\nreturn\rbell\adel\x7fnul\x00"},
		{"é and 漢字", "é and 漢字"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"", ""},
	} {
		var v struct{ K string }
		if _, err := decodeTOML("K = "+QuoteTOML(tt.in), &v); err != nil || v.K != tt.want {
			t.Errorf("QuoteTOML(%q) = %s, reads back as %q (%v), want %q", tt.in, QuoteTOML(tt.in), v.K, err, tt.want)
		}
	}
	for _, list := range [][]string{{"a:1"}, {"a:1", "b\"2"}, {}} {
		var arr struct{ K []string }
		if _, err := decodeTOML("K = "+ArrayTOML(list), &arr); err != nil || !slices.Equal(arr.K, list) {
			t.Errorf("ArrayTOML(%q) = %s, reads back as %q (%v)", list, ArrayTOML(list), arr.K, err)
		}
	}
	if got := ListenTOML([]string{"127.0.0.1:1"}); got != `"127.0.0.1:1"` {
		t.Errorf("ListenTOML of one address = %s, want a string", got)
	}
	if got := ListenTOML([]string{"127.0.0.1:1", "[::1]:1"}); got != `["127.0.0.1:1", "[::1]:1"]` {
		t.Errorf("ListenTOML of two addresses = %s, want an array", got)
	}
}
