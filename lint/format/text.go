package format

import (
	"fmt"
	"io"
	"strings"
)

// Text prints one line per finding, and under it one indented line per
// related place:
//
//	FILE:LINE:COL: SEVERITY: MESSAGE [RULE]
//	    FILE:LINE:COL: note: MESSAGE
//
// On a terminal (Options.Terminal) it prints each finding with its
// source line and a caret, fix hints and a summary instead (see
// writePretty).
var Text = &Format{Name: "text", Write: writeText}

func writeText(w io.Writer, r *Report, o Options) error {
	if o.Terminal {
		return writePretty(w, r, o)
	}
	var b strings.Builder
	for _, d := range r.Diagnostics {
		pos := d.File.Position(d.Start)
		fmt.Fprintf(&b, "%s: %s: %s [%s]\n", termSafe(pos.String()), d.Severity, termSafe(d.Message), d.Rule)
		for _, rel := range d.Related {
			if rel.File != nil {
				fmt.Fprintf(&b, "%s%s: note: %s\n", noteIndent, termSafe(rel.File.Position(rel.Start).String()), termSafe(rel.Message))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
