// Package poserr is the one convention for errors found in a file the
// user wrote (the backend manifest, .nginxlint.toml): each error has a
// position, and a List collects every problem, not only the first, as
// go/scanner's ErrorList does.
package poserr

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Position is a place in a file. Line and Col start at 1; Col counts bytes.
// The zero Position means "no position".
type Position struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether p names a line.
func (p Position) IsValid() bool { return p.Line > 0 }

// String returns "file:line:col". Parts that are not known are left out:
// "file" when there is no line, "line:col" when there is no file, and "-"
// for the zero Position.
func (p Position) String() string {
	if p.Line <= 0 {
		if p.File == "" {
			return "-"
		}
		return p.File
	}
	s := strconv.Itoa(p.Line) + ":" + strconv.Itoa(max(p.Col, 1))
	if p.File != "" {
		s = p.File + ":" + s
	}
	return s
}

// Compare orders positions by file, line and column.
func Compare(a, b Position) int {
	return cmp.Or(
		strings.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
	)
}

// Error is one problem, with the place it was found.
type Error struct {
	Pos Position
	Msg string
}

// Error returns "file:line:col: msg".
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	return e.Pos.String() + ": " + e.Msg
}

// List is every problem found. The zero List is empty and ready to use.
type List []*Error

// Add appends an error at pos.
func (l *List) Add(pos Position, msg string) {
	*l = append(*l, &Error{Pos: pos, Msg: msg})
}

// Error returns all errors, one a line, sorted by position. It does not
// reorder the list itself.
func (l List) Error() string {
	sorted := slices.Clone(l)
	sorted.Sort()
	var b strings.Builder
	for i, e := range sorted {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Sort sorts the list by position, then by message. Nil entries go last.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return 1
		case b == nil:
			return -1
		}
		return cmp.Or(Compare(a.Pos, b.Pos), strings.Compare(a.Msg, b.Msg))
	})
}

// Err returns the list as an error, or nil when the list is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
