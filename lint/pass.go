package lint

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
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
	Message    string
	// Fixes are edits that resolve the finding, when the fix is certain.
	Fixes []Fix
	// Related points at other places that explain the finding.
	Related []Related
}

// Fix is a set of edits that together resolve a finding.
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

// Related is a secondary location of a finding.
type Related struct {
	File       *syntax.File
	Start, End int
	Message    string
}

// Pass is what a rule sees of one run: the tree, its indexes and the
// manifest, and Report.
type Pass struct {
	Rule     *Rule
	Tree     *syntax.Tree
	Index    *Index
	Manifest *manifest.Manifest // nil without a manifest
	// ManifestFile is the manifest's text, for findings that point into it.
	ManifestFile *syntax.File
	// NginxVersion is the nginx version the tree runs on, "" when unknown.
	NginxVersion string
	report       func(Diagnostic)
}

// VersionAtLeast reports whether the target nginx version is known and at
// least major.minor.patch.
func (p *Pass) VersionAtLeast(major, minor, patch int) bool {
	v, ok := parseVersion(p.NginxVersion)
	return ok && (v[0] > major || v[0] == major && (v[1] > minor || v[1] == minor && v[2] >= patch))
}

func parseVersion(s string) ([3]int, bool) {
	var v [3]int
	parts := strings.Split(s, ".")
	if s == "" || len(parts) > 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

// ManifestSpan returns the offset in ManifestFile of a manifest position.
func (p *Pass) ManifestSpan(pos manifest.Position) int {
	if p.ManifestFile == nil || !pos.IsValid() {
		return 0
	}
	return p.ManifestFile.LineStart(pos.Line) + pos.Col - 1
}

// Report records a finding.
func (p *Pass) Report(d Diagnostic) { p.report(d) }

// Reportf records a finding about the directive d.
func (p *Pass) Reportf(d syntax.Directive, format string, args ...any) {
	p.Report(Diagnostic{File: d.File(), Start: int(d.Start()), End: int(d.End()), Message: fmt.Sprintf(format, args...)})
}

// ReportArgf records a finding about one argument of d.
func (p *Pass) ReportArgf(d syntax.Directive, i int, format string, args ...any) {
	a := d.ArgAt(i)
	p.Report(Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End), Message: fmt.Sprintf(format, args...)})
}
