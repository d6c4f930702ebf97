package format

import (
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// utf16Columns converts byte offsets to lines and columns counted in
// UTF-16 code units (an invalid byte counts as one), the unit SARIF
// viewers, GitHub and most editors count. One serves one report: it
// keeps, for each file whose lines are long, how many units the file's
// text holds up to a point every utf16Stride bytes, so that a column
// costs at most utf16Stride bytes of decoding however long its line is.
// Counting each column from the start of its line instead made a
// minified file's thousands of findings on one line cost findings times
// the line's length. The zero value is ready to use.
type utf16Columns struct {
	files map[*syntax.File]*utf16Marks
}

// utf16Stride is how many bytes a column is decoded from at most: a
// column further into its line than that comes from the file's marks.
const utf16Stride = 256

// utf16Marks is how many UTF-16 units a file's text holds before given
// offsets. Offsets are rune boundaries of the file decoded from its
// start, about utf16Stride bytes apart; every line starts on one (a
// newline is a rune of its own). An ASCII file has none: its units are
// its bytes.
type utf16Marks struct {
	ascii bool
	off   []int // increasing, off[0] = 0 (src is not empty: not ASCII)
	units []int // units[i]: UTF-16 units of the text before off[i]
}

// position returns the 1-based line of a byte offset in f and its
// 1-based column counted in UTF-16 code units. The column is that of
// the text from the line's start to off decoded alone: an offset inside
// a character counts the character's bytes before it as one unit each.
func (c *utf16Columns) position(f *syntax.File, off int) (line, col int) {
	pos := f.Position(off)
	start := min(f.LineStart(pos.Line), pos.Offset)
	if pos.Offset-start <= utf16Stride {
		return pos.Line, 1 + utf16Units(f.Src, start, pos.Offset)
	}
	m := c.marks(f)
	if m.ascii {
		return pos.Line, 1 + pos.Offset - start
	}
	return pos.Line, 1 + m.unitsBefore(f.Src, pos.Offset) - m.unitsBefore(f.Src, start)
}

// marks returns f's marks, made on first use.
func (c *utf16Columns) marks(f *syntax.File) *utf16Marks {
	if m, ok := c.files[f]; ok {
		return m
	}
	if c.files == nil {
		c.files = map[*syntax.File]*utf16Marks{}
	}
	m := newUTF16Marks(f.Src)
	c.files[f] = m
	return m
}

// newUTF16Marks reads src once and returns its marks.
func newUTF16Marks(src string) *utf16Marks {
	ascii := true
	for i := 0; i < len(src); i++ {
		if src[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return &utf16Marks{ascii: true}
	}
	m := &utf16Marks{}
	units, next := 0, 0
	for i, r := range src {
		if i >= next {
			m.off = append(m.off, i)
			m.units = append(m.units, units)
			next = i + utf16Stride
		}
		units += utf16Len(r)
	}
	return m
}

// unitsBefore returns the UTF-16 units of src[:off] as the file decodes
// (a character off cuts counts its bytes before off as one unit each).
func (m *utf16Marks) unitsBefore(src string, off int) int {
	i := sort.Search(len(m.off), func(i int) bool { return m.off[i] > off }) - 1
	return m.units[i] + utf16Units(src, m.off[i], off)
}

// utf16Units returns the UTF-16 units of src[from:to] decoded alone:
// from is a rune boundary, and a character that to cuts counts as many
// units as it has bytes before to (each an invalid byte of the
// substring).
func utf16Units(src string, from, to int) int {
	n := 0
	for _, r := range src[from:to] {
		n += utf16Len(r)
	}
	return n
}

// utf16Len is how many UTF-16 units r takes; a string's range yields
// utf8.RuneError for an invalid byte, one unit.
func utf16Len(r rune) int {
	if utf16.RuneLen(r) > 1 {
		return 2
	}
	return 1
}
