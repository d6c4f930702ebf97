package manifest

import "github.com/nginxlint/nginxlint/internal/poserr"

// Position is a place in a file. Line and Col start at 1; Col counts bytes.
// The zero Position means "no position". String returns "file:line:col".
type Position = poserr.Position

// Error is one problem found in a manifest, with the place it was found.
// Error() returns "file:line:col: msg".
type Error = poserr.Error

// ErrorList is every problem found in a manifest. [Parse] and [Load] return
// it sorted by position. Error() gives all errors, one a line, sorted by
// position; Err() is nil when the list is empty.
type ErrorList = poserr.List

// comparePositions orders positions by file, line and column.
func comparePositions(a, b Position) int { return poserr.Compare(a, b) }
