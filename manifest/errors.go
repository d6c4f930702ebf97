package manifest

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

// comparePositions orders positions by file, line and column.
func comparePositions(a, b Position) int {
	return cmp.Or(
		strings.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
	)
}

// Error is one problem found in a manifest, with the place it was found.
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

// ErrorList is every problem found in a manifest. [Parse] and [Load] return
// it sorted by position.
type ErrorList []*Error

// Error returns all errors, one a line, sorted by position.
func (l ErrorList) Error() string {
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
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return 1
		case b == nil:
			return -1
		}
		return cmp.Or(comparePositions(a.Pos, b.Pos), strings.Compare(a.Msg, b.Msg))
	})
}

// Err returns the list as an error, or nil when the list is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
