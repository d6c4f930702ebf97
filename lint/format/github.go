package format

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// GitHub prints one GitHub Actions workflow command per finding,
// which the runner turns into an annotation on the file and line:
//
//	::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE
//
// (::warning for warnings, ::notice for info). Columns count UTF-16 code
// units from 1 and endColumn points just past the span. The runner accepts
// columns only on a one-line annotation, so a span over several lines
// gives line and endLine without columns. Property values and the message
// are escaped as the runner unescapes them.
//
// When the run failed (exit 2), each reason is an ::error annotation too,
// titled nginxlint, on its file and line when it has one (without a
// column: an error's column counts bytes, annotations' UTF-16 units).
var GitHub = &Format{Name: "github", Write: writeGitHub}

func writeGitHub(w io.Writer, r *Report, _ Options) error {
	var b strings.Builder
	var cols utf16Columns
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		cmd := "error"
		switch d.Severity {
		case lint.Warning:
			cmd = "warning"
		case lint.Info:
			cmd = "notice"
		}
		var props []string
		if d.File != nil {
			l, c, el, ec := githubSpan(&cols, d.File, d.Start, d.End)
			props = append(props, "file="+githubProperty(githubPath(d.File.Name)), fmt.Sprintf("line=%d", l))
			if el == l {
				props = append(props, fmt.Sprintf("col=%d", c), fmt.Sprintf("endLine=%d", el), fmt.Sprintf("endColumn=%d", ec))
			} else {
				props = append(props, fmt.Sprintf("endLine=%d", el))
			}
		}
		props = append(props, "title="+githubProperty(d.Rule))
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, strings.Join(props, ","), githubData(d.Message))
	}
	for _, e := range r.Errors {
		var props []string
		if e.File != "" {
			props = append(props, "file="+githubProperty(githubPath(e.File)))
			if e.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", e.Line))
			}
		}
		props = append(props, "title=nginxlint")
		fmt.Fprintf(&b, "::error %s::%s\n", strings.Join(props, ","), githubData(e.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// githubSpan returns the start and end of a span, in UTF-16 columns. A
// span that ends at the very start of a line (just after a newline) ends
// at the end of the line before instead.
func githubSpan(cols *utf16Columns, f *syntax.File, start, end int) (line, col, endLine, endCol int) {
	if end < start {
		end = start
	}
	line, col = cols.position(f, start)
	endLine, endCol = cols.position(f, end)
	if endLine > line && endCol == 1 {
		endLine--
		_, endCol = cols.position(f, f.LineStart(endLine)+len(lineText(f, endLine)))
	}
	return line, col, endLine, endCol
}

// githubPath is a file name as annotations take it: forward slashes and
// no leading "./".
func githubPath(name string) string {
	p := filepath.ToSlash(name)
	for strings.HasPrefix(p, "./") {
		p = strings.TrimLeft(p[2:], "/")
	}
	return p
}

// The escapes of a workflow command's message and property values, made
// once: a report may hold many findings.
var (
	githubDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// githubData escapes a workflow command's message.
func githubData(s string) string {
	return logSafe(githubDataEscaper.Replace(s))
}

// githubProperty escapes a workflow command's property value.
func githubProperty(s string) string {
	return logSafe(githubPropertyEscaper.Replace(s))
}
