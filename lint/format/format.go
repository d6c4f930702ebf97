// Package format prints the findings of a run. Each output format is a
// value in its own file; All lists them, and nothing else does.
package format

import (
	"io"
	"slices"

	"github.com/nginxlint/nginxlint/lint"
)

// Format is one output format.
type Format struct {
	// Name is what --format and the configuration file's format key take.
	Name string
	// Write prints the report.
	Write func(w io.Writer, r *Report, o Options) error
}

// All lists the output formats, in the order --help names them.
var All = []*Format{Text, JSON, SARIF, GitHub, Checkstyle}

// Lookup returns the format named name, or nil.
func Lookup(name string) *Format {
	for _, f := range All {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Names returns the names of the formats, in the order of All.
func Names() []string {
	names := make([]string, len(All))
	for i, f := range All {
		names[i] = f.Name
	}
	return names
}

// Report is the outcome of one run, as the formats print it.
type Report struct {
	Diagnostics []lint.Diagnostic
	// Files is the number of configuration files read; Reached those a
	// main file (nginx.conf) loads, Fragments those linted as fragments
	// (files no main file reaches, and what they include).
	Files, Reached, Fragments int
	// Rules are the rules that ran (formats that describe rules use them).
	Rules []*lint.Rule
	// Disabled are the IDs of the rules the configuration turned off, so
	// that a run that checked less says so.
	Disabled []string
}

// disabledIDs returns the IDs of Report.Disabled sorted, each once, or nil
// when there are none.
func disabledIDs(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Options say where the output goes.
type Options struct {
	// Terminal is set when the output is a terminal: the text format
	// then shows source lines, carets and a summary.
	Terminal bool
	// Color writes ANSI colours (text format on a terminal).
	Color bool
}
