package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// MissingSemicolon reports a directive whose ";" is missing, so that
// nginx reads the next line's directive as its arguments.
var MissingSemicolon = &lint.Rule{
	ID:    "missing-semicolon",
	Title: `a missing ";" makes the next line's directive an argument, and nginx starts without it`,
	Doc: `nginx ends a directive at ";", not at the end of the line. When a ";" is
missing, the next line's words become arguments of the directive. When
the directive cannot take that many, "nginx -t" fails (directive-args
reports it). When it takes any number (server_name, index, add_header's
value ...), nginx starts and silently drops the next line:
"server_name example.com" without its ";" makes "listen 8080" two more
server names, and the server does not listen on 8080.

The finding is at the swallowed word, with a note where the ";" is
missing.`,
	Bad: `server {
    server_name example.com
    listen 8080;
}
`,
	Good: `server {
    server_name example.com;
    listen 8080;
}
`,
	Severity: lint.Warning,
	Run:      runMissingSemicolon,
}

func runMissingSemicolon(p *lint.Pass) {
	ix := model.Of(p)
	if !ix.AnyDefs(func(d *model.Defs) bool { return d.Multiline && len(d.Here) > 0 }) {
		return // no directive runs over several lines
	}
	ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if defs == nil || !defs.Multiline || d.IsInclude() {
			return
		}
		here := defs.Here
		accepted := false
		for _, v := range here {
			accepted = accepted || v.Args.Accepts(d.NArgs())
		}
		if !accepted {
			return // nginx refuses it: directive-args
		}
		if k := swallowed(ix, d, c); k >= 0 {
			p.Report(swallowedDiagnostic(d, k, ": nginx starts without it"))
		}
	})
}

// swallowedDiagnostic reports the k-th argument of d, a directive the
// missing ";" before it made an argument, with a note at the end of the
// line that lacks the ";".
func swallowedDiagnostic(d syntax.Directive, k int, consequence string) lint.Diagnostic {
	a := d.ArgAt(k)
	end := d.NameEnd()
	if k > 0 {
		end = d.ArgAt(k - 1).End
	}
	return lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End),
		Message: fmt.Sprintf(`%q is read as an argument of %q because the ";" at the end of the line before is missing%s`, a.Value, d.Name(), consequence),
		Related: []lint.Related{{File: d.File(), Start: int(end), End: int(end), Message: `the ";" is missing here`}}}
}

// swallowed returns the index of the first argument of d that stands at
// the start of a later line than d's name and is itself a directive
// nginx allows in context c: the sign of a missing ";". -1 when there
// is none.
func swallowed(ix *model.Index, d syntax.Directive, c nginx.Context) int {
	f := d.File()
	src := f.Src
	for i, a := range d.EachArg() {
		if a.Quote != 0 || !lineStart(src, int(a.Start)) {
			continue
		}
		for _, v := range nginx.Variants(a.Value) {
			if v.Contexts&c != 0 && ix.InTarget(v) {
				return i
			}
		}
	}
	return -1
}

// lineStart reports whether only blanks stand before offset off on its
// line, and the line is not the first of the file.
func lineStart(src string, off int) bool {
	for i := off - 1; i >= 0; i-- {
		switch src[i] {
		case ' ', '\t':
			continue
		case '\n':
			return true
		}
		return false
	}
	return false
}
