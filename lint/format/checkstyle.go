package format

import (
	"encoding/xml"
	"io"
	"sort"

	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
)

type checkstyleReport struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// Checkstyle prints the report as Checkstyle XML, which Jenkins'
// warnings-ng, GitLab and many CI tools read:
//
//	<checkstyle version="4.3">
//	  <file name="F">
//	    <error line="L" column="C" severity="error" message="M" source="nginxlint.RULE"></error>
//	  </file>
//	</checkstyle>
//
// One <file> per file with findings, sorted by name; its findings in
// order of position. Severities are error, warning and info; columns
// count UTF-16 code units from 1, as Java tools do.
//
// The output is well-formed XML 1.0 whatever the input: encoding/xml
// writes tab, newline and carriage return as character references and
// the characters XML forbids (the other C0 controls, invalid UTF-8) as
// U+FFFD; xmlSafe replaces by U+FFFD what XML allows but a terminal or a
// CI runner would obey when the file is printed (DEL, C1 controls,
// command markers).
//
// When the run failed (exit 2), each reason is an error too, with
// severity error and source nginxlint.execution, in the <file> it is
// about (name="" when it is about none) at its line (0 when there is
// none; no column: checkstyle's count UTF-16 code units, an error's
// bytes).
var Checkstyle = &Format{Name: "checkstyle", Write: writeCheckstyle}

// xmlSafe replaces by U+FFFD what textutil.EscapeLog finds in s.
func xmlSafe(s string) string {
	return textutil.EscapeLog(s, func(rune) string { return "\uFFFD" })
}

func writeCheckstyle(w io.Writer, r *Report, _ Options) error {
	byName := map[string][]*lint.Diagnostic{}
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		name := ""
		if d.File != nil {
			name = d.File.Name
		}
		byName[name] = append(byName[name], d)
	}
	failures := map[string][]RunError{}
	for _, e := range r.Errors {
		failures[e.File] = append(failures[e.File], e)
	}
	names := make([]string, 0, len(byName)+len(failures))
	for n := range byName {
		names = append(names, n)
	}
	for n := range failures {
		if _, ok := byName[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := checkstyleReport{Version: "4.3"}
	var cols utf16Columns
	for _, n := range names {
		ds := byName[n]
		sort.SliceStable(ds, func(i, j int) bool { return ds[i].Start < ds[j].Start })
		cf := checkstyleFile{Name: xmlSafe(n)}
		for _, d := range ds {
			e := checkstyleError{Severity: d.Severity.String(), Message: xmlSafe(d.Message), Source: "nginxlint." + d.Rule}
			if d.File != nil {
				e.Line, e.Column = cols.position(d.File, d.Start)
			}
			switch d.Severity {
			case lint.Error, lint.Warning, lint.Info:
			default:
				e.Severity = "error"
			}
			cf.Errors = append(cf.Errors, e)
		}
		for _, f := range failures[n] {
			cf.Errors = append(cf.Errors, checkstyleError{Line: max(f.Line, 0), Severity: "error", Message: xmlSafe(f.Message), Source: ExecutionSource})
		}
		out.Files = append(out.Files, cf)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
