package format

import (
	"io"

	"github.com/nginxlint/nginxlint/lint/ruledoc"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// JSON prints {"diagnostics": [...], "files": N, "reached": N,
// "fragments": N, "disabled": [...]}: the files read, those a main file
// (nginx.conf) loads, those linted as fragments (files nothing loads), and
// the IDs of the rules the configuration turned off (sorted; the key is
// left out when it turned none off). Lines and columns start at 1;
// columns count bytes; end_line and end_column point just past the last
// byte of the range; url is the rule's documentation. Strings hold the
// input's text exactly (file names, values), with what a terminal or a CI
// runner would obey written as \u escapes (see encodeJSON).
//
// When the run failed (exit 2), "errors" lists why: each {message, file,
// line, column}, the place left out when there is none. With --diff,
// "diagnostics" are the findings the fixes resolve and "diff" is the
// unified diff of those fixes.
var JSON = &Format{Name: "json", Write: writeJSON}

type jsonReport struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Files       int              `json:"files"`
	Reached     int              `json:"reached"`
	Fragments   int              `json:"fragments"`
	Disabled    []string         `json:"disabled,omitempty"`
	Errors      []jsonError      `json:"errors,omitempty"`
	Diff        *string          `json:"diff,omitempty"`
}

// jsonError is a reason the run failed; file, line and column are left
// out when they are not known.
type jsonError struct {
	Message string `json:"message"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
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
	if f == nil {
		return jsonRange{}
	}
	s, e := f.Position(start), f.Position(end)
	return jsonRange{File: f.Name, Line: s.Line, Column: s.Column, EndLine: e.Line, EndColumn: e.Column}
}

func writeJSON(w io.Writer, r *Report, _ Options) error {
	out := jsonReport{Diagnostics: []jsonDiagnostic{}, Files: r.Files, Reached: r.Reached, Fragments: r.Fragments, Disabled: disabledIDs(r.Disabled)}
	for _, d := range r.Diagnostics {
		jd := jsonDiagnostic{
			Rule:      d.Rule,
			Severity:  d.Severity.String(),
			jsonRange: rangeOf(d.File, d.Start, d.End),
			Message:   d.Message,
			URL:       ruledoc.URL(d.Rule),
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
	for _, e := range r.Errors {
		je := jsonError{Message: e.Message, File: e.File}
		if e.File != "" && e.Line > 0 {
			je.Line, je.Column = e.Line, max(e.Column, 1)
		}
		out.Errors = append(out.Errors, je)
	}
	if r.Diff != "" {
		out.Diff = &r.Diff
	}
	diags := out.Diagnostics
	out.Diagnostics = []jsonDiagnostic{}
	return encodeJSONList(w, out, "diagnostics", 1, diags, true)
}
