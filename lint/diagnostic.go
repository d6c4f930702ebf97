package lint

import (
	"cmp"
	"strings"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Diagnostic is one finding.
type Diagnostic struct {
	// Rule and Severity are set by the driver.
	Rule     string
	Severity Severity
	// File, Start and End locate the text the finding is about: byte
	// offsets in the file where that text really is.
	File       *syntax.File
	Start, End int
	// Message says what is wrong and what to do. It never holds a
	// position: other places go in Related.
	Message string
	// Fixes are edits that resolve the finding, when the fix is certain.
	// The first one is what --fix applies.
	Fixes []Fix
	// Related points at other places that explain the finding.
	Related []Related
}

// Fix is a set of edits that together resolve a finding. Its edits are
// independent: each is relative to the original text, none overlaps
// another.
type Fix struct {
	Message string
	Edits   []TextEdit
}

// TextEdit replaces the bytes [Start, End) of File with NewText.
type TextEdit struct {
	File       *syntax.File
	Start, End int
	NewText    string
}

// Related is another place that explains a finding: where a value was
// set, the block it hides, the manifest entry it contradicts.
type Related struct {
	File       *syntax.File
	Start, End int
	Message    string
}

// Compare orders findings by file name, start offset, rule, end offset
// and message: the order in which nginxlint prints them.
func Compare(a, b *Diagnostic) int {
	return cmp.Or(
		strings.Compare(fileName(a.File), fileName(b.File)),
		cmp.Compare(a.Start, b.Start),
		strings.Compare(a.Rule, b.Rule),
		cmp.Compare(a.End, b.End),
		strings.Compare(a.Message, b.Message),
	)
}

// Same reports whether a and b are the same finding: a file included in
// several places is checked at each place, and reported once.
func Same(a, b *Diagnostic) bool {
	return a.File == b.File && a.Start == b.Start && a.End == b.End && a.Rule == b.Rule && a.Message == b.Message
}

func fileName(f *syntax.File) string {
	if f == nil {
		return ""
	}
	return f.Name
}
