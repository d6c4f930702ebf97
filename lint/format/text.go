package format

import (
	"fmt"
	"io"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
)

// Text prints one line per finding, and under it one indented line per
// related place:
//
//	FILE:LINE:COL: SEVERITY: MESSAGE [RULE]
//	    FILE:LINE:COL: note: MESSAGE
//
// (A finding without a file reads "SEVERITY: MESSAGE [RULE]".) On a
// terminal (Options.Terminal) it prints each finding with its source line
// and a caret, fix hints and a summary instead (see writePretty).
//
// Nothing read from the input is printed raw: control characters, invalid
// UTF-8 and CI runners' command markers are shown as U+FFFD, and a file
// name that would make its line read as a GitHub Actions workflow command
// ("::error::...") is written "./NAME" (see logSafe and logPath).
//
// With Options.ShowErrors (a file of --output), the reasons the run
// failed follow, one a line: "nginxlint: FILE:LINE:COL: MESSAGE".
var Text = &Format{Name: "text", Write: writeText}

func writeText(w io.Writer, r *Report, o Options) error {
	if o.Terminal {
		return writePretty(w, r, o)
	}
	var b strings.Builder
	for i := range r.Diagnostics {
		writeTextDiagnostic(&b, &r.Diagnostics[i])
	}
	if o.ShowErrors {
		writeTextErrors(&b, r.Errors)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTextDiagnostic prints a finding's line and its notes' lines.
func writeTextDiagnostic(b *strings.Builder, d *lint.Diagnostic) {
	if d.File == nil {
		fmt.Fprintf(b, "%s: %s [%s]\n", d.Severity, logSafe(d.Message), d.Rule)
	} else {
		fmt.Fprintf(b, "%s: %s: %s [%s]\n", position(d.File, d.Start), d.Severity, logSafe(d.Message), d.Rule)
	}
	for _, rel := range d.Related {
		if rel.File != nil {
			fmt.Fprintf(b, "%s%s: note: %s\n", noteIndent, position(rel.File, rel.Start), logSafe(rel.Message))
		}
	}
}

// writeTextErrors prints why the run failed, as nginxlint says it on
// standard error: "nginxlint: FILE:LINE:COL: MESSAGE".
func writeTextErrors(b *strings.Builder, errs []RunError) {
	for _, e := range errs {
		b.WriteString("nginxlint: ")
		if where := runErrorPlace(e); where != "" {
			b.WriteString(logPath(where) + ": ")
		}
		b.WriteString(logSafe(e.Message) + "\n")
	}
}

// runErrorPlace is "FILE:LINE:COL", "FILE" or "" for an error.
func runErrorPlace(e RunError) string {
	switch {
	case e.File == "":
		return ""
	case e.Line <= 0:
		return e.File
	}
	return fmt.Sprintf("%s:%d:%d", e.File, e.Line, max(e.Column, 1))
}
