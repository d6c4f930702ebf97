package format

import (
	"fmt"
	"io"
	"strings"
)

// Text prints one line per finding:
//
//	FILE:LINE:COL: SEVERITY: MESSAGE [RULE]
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
		fmt.Fprintf(&b, "%s: %s: %s [%s]\n", pos, d.Severity, d.Message, d.Rule)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
