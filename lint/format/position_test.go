package format

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// utf16PositionFromLineStart is the column utf16Columns computes, the
// plain way: the line's text up to off decoded alone.
func utf16PositionFromLineStart(f *syntax.File, off int) (line, col int) {
	pos := f.Position(off)
	start := min(f.LineStart(pos.Line), pos.Offset)
	col = 1
	for _, r := range f.Src[start:pos.Offset] {
		if n := utf16.RuneLen(r); n > 1 {
			col += n
		} else {
			col++
		}
	}
	return pos.Line, col
}

// TestUTF16Columns: utf16Columns gives every offset of a file the line
// and column that decoding its line up to it gives, whatever the file
// holds (characters of 1 to 4 bytes, invalid bytes, offsets inside a
// character, lines shorter and much longer than utf16Stride, CRLF) and
// in whatever order the offsets come.
func TestUTF16Columns(t *testing.T) {
	pieces := []string{"a", " ", ";", "é", "€", "𝄞", "\n", "\r\n", "\xff", "\xf0\x9f", "\xe2\x82", "\x80\x80\x80", "\xed\xa0\x80", strings.Repeat("x", 300), strings.Repeat("é𝄞", 200)}
	rng := rand.New(rand.NewPCG(7, 11))
	srcs := []string{"", "a", strings.Repeat("a;", 1000), strings.Repeat("é𝄞;", 1000) + "\n" + strings.Repeat("\x80", 2000)}
	for range 20 {
		var b strings.Builder
		for range rng.IntN(250) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		srcs = append(srcs, b.String())
	}
	for i, src := range srcs {
		f := &syntax.File{Name: "t.conf", Src: src}
		var cols utf16Columns
		offs := rng.Perm(len(src) + 3)
		for _, off := range append(offs, -1) {
			wl, wc := utf16PositionFromLineStart(f, off)
			if l, c := cols.position(f, off); l != wl || c != wc {
				t.Fatalf("source %d, offset %d: line %d column %d, want line %d column %d", i, off, l, c, wl, wc)
			}
		}
	}
}

// TestFingerprintLongLine: findings sharing a long line get the
// fingerprint each would get alone, whatever their rules' order.
func TestFingerprintLongLine(t *testing.T) {
	src := "  " + strings.Repeat("a é𝄞; ", 200) + "  \nb;\n" + strings.Repeat("c;", 300)
	f := &syntax.File{Name: "conf.d/long line.conf", Src: src}
	var ds []lint.Diagnostic
	for i, off := range []int{2, 500, 100, 1000, len(src) - 3, len(src) - 100, len(src) - 260} {
		rule := []string{"r1", "r2"}[i%2]
		ds = append(ds, lint.Diagnostic{Rule: rule, File: f, Start: off, End: off + 1, Message: "m" + strings.Repeat("!", i%3)})
	}
	var shared lineHashes
	for i := range ds {
		var alone lineHashes
		want := diagnosticFingerprint(&ds[i], &alone)
		if got := diagnosticFingerprint(&ds[i], &shared); got != want {
			t.Errorf("finding %d: fingerprint %s, want %s", i, got, want)
		}
	}
	if len(shared.states) == 0 {
		t.Error("no line's hash was kept")
	}
}
