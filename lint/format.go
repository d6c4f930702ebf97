package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Formats lists the output formats.
var Formats = []string{"text", "json", "sarif", "github", "checkstyle"}

// Report is the outcome of one run, as the formats print it.
type Report struct {
	Diagnostics []Diagnostic
	// Files is the number of configuration files read.
	Files int
	// Rules are the rules that ran (formats that describe rules use them).
	Rules []*Rule
}

// DocsURL is where each rule's documentation lives; a rule's section is
// DocsURL + "#" + its ID.
const DocsURL = "https://github.com/nginxlint/nginxlint/blob/main/docs/rules.md"

// RuleURL returns the address of a rule's documentation.
func RuleURL(id string) string { return DocsURL + "#" + id }

// WriteText prints one line per finding:
//
//	FILE:LINE:COL: SEVERITY: MESSAGE [RULE]
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, d := range r.Diagnostics {
		pos := d.File.Position(d.Start)
		fmt.Fprintf(&b, "%s: %s: %s [%s]\n", pos, d.Severity, d.Message, d.Rule)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonReport struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Files       int              `json:"files"`
}

type jsonRange struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
}

type jsonDiagnostic struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	jsonRange
	Message string        `json:"message"`
	URL     string        `json:"url"`
	Fixes   []jsonFix     `json:"fixes,omitempty"`
	Related []jsonRelated `json:"related,omitempty"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	jsonRange
	NewText string `json:"new_text"`
}

type jsonRelated struct {
	jsonRange
	Message string `json:"message"`
}

func rangeOf(f *syntax.File, start, end int) jsonRange {
	s, e := f.Position(start), f.Position(end)
	return jsonRange{File: f.Name, Line: s.Line, Column: s.Column, EndLine: e.Line, EndColumn: e.Column}
}

// WriteJSON prints {"diagnostics": [...], "files": N}. Lines and columns
// start at 1; columns count bytes; end_line and end_column point just
// past the last byte of the range; url is the rule's documentation.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{Diagnostics: []jsonDiagnostic{}, Files: r.Files}
	for _, d := range r.Diagnostics {
		jd := jsonDiagnostic{
			Rule:      d.Rule,
			Severity:  d.Severity.String(),
			jsonRange: rangeOf(d.File, d.Start, d.End),
			Message:   d.Message,
			URL:       RuleURL(d.Rule),
		}
		for _, f := range d.Fixes {
			jf := jsonFix{Message: f.Message}
			for _, e := range f.Edits {
				jf.Edits = append(jf.Edits, jsonEdit{jsonRange: rangeOf(e.File, e.Start, e.End), NewText: e.NewText})
			}
			jd.Fixes = append(jd.Fixes, jf)
		}
		for _, rel := range d.Related {
			jd.Related = append(jd.Related, jsonRelated{jsonRange: rangeOf(rel.File, rel.Start, rel.End), Message: rel.Message})
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
