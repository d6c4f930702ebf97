package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DirectiveArgs reports directives with a number of arguments nginx
// refuses, and on/off directives with another value.
var DirectiveArgs = &lint.Rule{
	ID:    "directive-args",
	Title: "a directive with the wrong number of arguments, or an on/off directive with another value",
	Doc: `nginx checks the number of arguments of every directive before it reads
them: "proxy_pass" takes one, "location" one or two, "gzip" on or off.
Anything else makes "nginx -t" fail with "invalid number of arguments"
or, for an on/off directive, "it must be "on" or "off"".

Two arguments where one is expected often mean a missing ";" at the end
of the line: nginx then reads the next line's words as arguments, and
reports the error on that next line. When the first word of such a line
is a directive, the finding says so, at that word, with a note where the
";" is missing.`,
	Bad: `location / {
    proxy_pass http://127.0.0.1:8000 http://127.0.0.1:8001;
    gzip yes;
}
`,
	Good: `location / {
    proxy_pass http://127.0.0.1:8000;
    gzip on;
}
`,
	Severity: lint.Error,
	Run:      runDirectiveArgs,
}

func runDirectiveArgs(p *lint.Pass) {
	ix := model.Of(p)
	if !ix.AnyDefs(argsSuspect) {
		return // every directive has a count and value nginx takes
	}
	ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if defs == nil || d.IsInclude() || !argsSuspect(defs) {
			return
		}
		here := defs.Here
		if len(here) == 0 {
			return
		}
		n := d.NArgs()
		var counts nginx.Args
		accepted, flagOnly := false, true
		for _, v := range here {
			counts |= v.Args
			if v.Args.Accepts(n) {
				accepted = true
				flagOnly = flagOnly && v.Args == nginx.ArgsFlag
			}
		}
		if accepted {
			if v := d.Arg(0); flagOnly && !strings.EqualFold(v, "on") && !strings.EqualFold(v, "off") {
				a := d.ArgAt(0)
				p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End),
					Message: fmt.Sprintf(`invalid value %q in %q directive: it must be "on" or "off"`, v, d.Name())})
			}
			return
		}
		if k := swallowed(ix, d, c); k >= 0 {
			p.Report(swallowedDiagnostic(d, k, `: nginx fails with "invalid number of arguments"`))
			return
		}
		diag := nameSpan(d, fmt.Sprintf("invalid number of arguments in %q directive: it takes %s, not %d", d.Name(), counts, n))
		if n > 0 {
			// nginx reports it where the directive ends: on its last
			// argument's line when the arguments run over several.
			last := d.ArgAt(n - 1)
			f := d.File()
			if f.Position(int(last.Start)).Line != f.Position(int(d.Start())).Line {
				diag.Start, diag.End = int(last.Start), int(last.End)
				diag.Related = []lint.Related{lint.RelatedTo(d, fmt.Sprintf("the %q directive starts here", d.Name()))}
			}
		}
		p.Report(diag)
	})
}

// argsSuspect reports whether directives with these Defs may have a
// count or an on/off value nginx refuses.
func argsSuspect(defs *model.Defs) bool {
	if len(defs.Here) == 0 {
		return false
	}
	accepted, flagOnly := false, true
	for _, v := range defs.Here {
		if v.Args.Accepts(defs.NArgs) {
			accepted = true
			flagOnly = flagOnly && v.Args == nginx.ArgsFlag
		}
	}
	return !accepted || flagOnly && defs.Flag == ""
}
