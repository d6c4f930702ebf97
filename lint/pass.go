package lint

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// Pass is what a rule sees of one run: the tree, the model built from it,
// the manifest, and Report.
type Pass struct {
	Rule *Rule
	Tree *syntax.Tree
	// Model is what the driver builds once per run and every rule shares
	// (the index, the effective configuration, the targets); rules read
	// it with lint/model's Of.
	Model any
	// Manifest is the backend manifest, nil without one.
	Manifest *manifest.Manifest
	// ManifestFile is the manifest's text, for findings and related
	// places that point into it.
	ManifestFile *syntax.File
	// NginxVersion is the nginx version the tree runs on, "" when
	// unknown.
	NginxVersion string
	// Report records a finding. The driver sets Rule and Severity.
	Report func(Diagnostic)
}

// Reportf records a finding about the directive d.
func (p *Pass) Reportf(d syntax.Directive, format string, args ...any) {
	p.Report(Diagnostic{File: d.File(), Start: int(d.Start()), End: int(d.End()), Message: fmt.Sprintf(format, args...)})
}

// ReportArgf records a finding about one argument of d.
func (p *Pass) ReportArgf(d syntax.Directive, i int, format string, args ...any) {
	a := d.ArgAt(i)
	p.Report(Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End), Message: fmt.Sprintf(format, args...)})
}

// RelatedTo returns a related place: the directive d (for a block
// directive, its name and arguments), with a message.
func RelatedTo(d syntax.Directive, message string) Related {
	end := int(d.End())
	if d.IsBlock() {
		end = int(d.NameEnd())
		if n := d.NArgs(); n > 0 {
			end = int(d.ArgAt(n - 1).End)
		}
	}
	return Related{File: d.File(), Start: int(d.Start()), End: end, Message: message}
}

// ManifestRelated returns a related place in the manifest: from pos to
// the end of its line (a table header, or a key's value). It reports
// false when there is no manifest text or pos is not valid.
func (p *Pass) ManifestRelated(pos manifest.Position, message string) (Related, bool) {
	off, ok := p.ManifestOffset(pos)
	if !ok {
		return Related{}, false
	}
	src := p.ManifestFile.Src
	end := off
	for end < len(src) && src[end] != '\n' && src[end] != '\r' {
		end++
	}
	for end > off && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	return Related{File: p.ManifestFile, Start: off, End: end, Message: message}, true
}

// ManifestOffset returns the offset in ManifestFile of a manifest
// position.
func (p *Pass) ManifestOffset(pos manifest.Position) (int, bool) {
	if p.ManifestFile == nil || !pos.IsValid() {
		return 0, false
	}
	return p.ManifestFile.LineStart(pos.Line) + pos.Col - 1, true
}
