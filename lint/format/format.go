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
var All = []*Format{Text, JSON, SARIF, GitHub, Checkstyle, GitLab, JUnit}

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
	// Version is nginxlint's version ("v0.1.0", or "(devel)" for a
	// build without one), for the formats that name the tool's version.
	Version string
	// Errors say why the run failed (exit 2): a file that could not be
	// read, an invalid manifest or configuration. A report with errors
	// may hold findings too (those of the trees that were read); every
	// machine format says that the run failed, and why.
	Errors []RunError
	// Diff, set by --diff, is the unified diff of the fixes; Diagnostics
	// are then the findings those fixes resolve. The JSON format prints
	// it; the text format is the diff itself (the command prints it).
	Diff string
}

// RunError is one reason a run failed. File, Line and Column locate it
// when it is about a place (Line and Column 0 when only the file is
// known; File "" when nothing is); Column counts bytes from 1.
type RunError struct {
	Message string
	File    string
	Line    int
	Column  int
}

// ExecutionSource names nginxlint's own failures where a format wants a
// rule or a source for them (checkstyle's source, Code Quality's
// check_name, JUnit's type).
const ExecutionSource = "nginxlint.execution"

// Failed reports whether the run failed (it has errors).
func (r *Report) Failed() bool { return len(r.Errors) > 0 }

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
	// ShowErrors makes the text format print the report's errors too:
	// set for a file (--output text=FILE), not for standard output, where
	// they already went to standard error.
	ShowErrors bool
}
