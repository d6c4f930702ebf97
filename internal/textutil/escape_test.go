package textutil

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// escapeLogByRune is EscapeLog written the plain way, one character at
// a time: the reference the faster one is checked against.
func escapeLogByRune(s string, esc func(r rune) string) string {
	var b strings.Builder
	var last [5]rune
	for _, r := range s {
		switch {
		case r == 0x7f || 0x80 <= r && r < 0xa0 || isBidiControl(r),
			r == '[' && (last[3] == '#' && last[4] == '#' || last == [5]rune{'#', '#', 'v', 's', 'o'}):
			b.WriteString(esc(r))
		default:
			b.WriteRune(r)
		}
		if !ignorable(r) {
			copy(last[:], last[1:])
			last[4] = r
		}
	}
	return b.String()
}

func hexEscape(r rune) string { return fmt.Sprintf(`\u%04x`, r) }

func TestEscapeLog(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, [brackets] and # hashes", "plain text, [brackets] and # hashes"},
		{"##[error]forged", `##\u005berror]forged`},
		{"x ##vso[task.setvariable]", `x ##vso\u005btask.setvariable]`},
		{"#\u200b#[error]", "#\u200b#\\u005berror]"},
		{"# #[ok]", "# #[ok]"},
		{"del\x7f c1\u0085 bidi\u202e end", `del\u007f c1\u0085 bidi\u202e end`},
		{"", ""},
		{"##[\xff", "##\\u005b\ufffd"},
	} {
		if got := EscapeLog(c.in, hexEscape); got != c.want {
			t.Errorf("EscapeLog(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestEscapeLogAsByRune checks EscapeLog against escapeLogByRune on random
// text made of the pieces that matter: markers, controls, characters a
// marker search skips and multi-byte text. (s must be UTF-8; a byte that
// is not is written as the replacement character where EscapeLog has to
// look at every character, as TestEscapeLog checks.)
func TestEscapeLogAsByRune(t *testing.T) {
	pieces := []string{"#", "##", "[", "vso", "v", "s", "o", "a", " ", "\n", "]", "\x7f", "\u0085", "\u009f", "\u00a0",
		"\u202a", "\u2069", "\u200b", "\u0301", "\ufe0f", "é", "日本", "\U0001F600", "\ufffd"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		want := escapeLogByRune(s, hexEscape)
		if got := EscapeLog(s, hexEscape); got != want {
			t.Fatalf("EscapeLog(%q) = %q, want %q", s, got, want)
		}
		if !logUnsafe(s) && want != s {
			t.Fatalf("logUnsafe(%q) is false, but it needs escapes: %q", s, want)
		}
	}
}

func BenchmarkEscapeLog(b *testing.B) {
	s := strings.Repeat(`{"file": "conf.d/app.conf", "message": "proxy_pass dials 127.0.0.1:8080 [backend api]"}, `, 2000) + "#"
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		EscapeLog(s, hexEscape)
	}
}

func BenchmarkEscapeLogByRune(b *testing.B) {
	s := strings.Repeat(`{"file": "conf.d/app.conf", "message": "proxy_pass dials 127.0.0.1:8080 [backend api]"}, `, 2000) + "#"
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		escapeLogByRune(s, hexEscape)
	}
}

func TestNoCommands(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		"plain text\n":                  "plain text\n",
		"a::b\n":                        "a::b\n",
		"::error::x\n":                  ":\uFFFDerror::x\n",
		"ok\n::warning::y\nok":          "ok\n:\uFFFDwarning::y\nok",
		" ::error::after a blank\n":     " :\uFFFDerror::after a blank\n",
		"\t::notice::after a tab":       "\t:\uFFFDnotice::after a tab",
		"\u00a0::error::after NBSP":     "\u00a0:\uFFFDerror::after NBSP",
		"\u200b::error::after ZWSP\n":   "\u200b:\uFFFDerror::after ZWSP\n",
		"x\n \u200b ::error::mixed\n::": "x\n \u200b :\uFFFDerror::mixed\n:\uFFFD",
		": :not a command\n":            ": :not a command\n",
	} {
		if got := NoCommands(in); got != want {
			t.Errorf("NoCommands(%q) = %q, want %q", in, got, want)
		}
	}
}
