package format

import (
	"unicode/utf16"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// utf16Position returns the 1-based line of a byte offset in f and its
// 1-based column counted in UTF-16 code units (an invalid byte counts as
// one), the unit SARIF viewers, GitHub and most editors count.
func utf16Position(f *syntax.File, off int) (line, col int) {
	pos := f.Position(off)
	start := f.LineStart(pos.Line)
	if start > pos.Offset {
		start = pos.Offset
	}
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
