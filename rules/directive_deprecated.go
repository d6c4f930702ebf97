package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DirectiveDeprecated reports directives the target nginx version
// warns about as deprecated or obsolete.
var DirectiveDeprecated = &lint.Rule{
	ID:    "directive-deprecated",
	Title: "a directive the target nginx version calls deprecated or obsolete",
	Doc: `nginx still starts with a deprecated directive, but warns about it at
every start ("the "ssl" directive is deprecated") and may drop it in a
later version. Obsolete directives are ignored: they no longer do what
they say. The finding names what to write instead, when nginx does.`,
	Bad: `server {
    listen 443;
    ssl on;
}
`,
	Good: `server {
    listen 443 ssl;
}
`,
	Manifest: `[nginx]
version = "1.22.1"
`,
	Severity: lint.Warning,
	Run:      runDirectiveDeprecated,
}

func runDirectiveDeprecated(p *lint.Pass) {
	ix := model.Of(p)
	target := ix.Target()
	eachParamLine(ix, func(d syntax.Directive, module string) {
		if d.NArgs() < 2 {
			return // no parameters
		}
		for _, v := range nginx.Variants(d.Name()) {
			if v.Module == module && v.In(target) {
				deprecatedParams(p, d, []*nginx.Variant{v}, target)
			}
		}
	})
	deprecatedHere := func(defs *model.Defs) bool {
		for _, v := range defs.Here {
			if v.Deprecated.IsZero() || target.Less(v.Deprecated) {
				return false
			}
		}
		return len(defs.Here) > 0
	}
	if !ix.AnyDefs(deprecatedHere) {
		return
	}
	ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if defs == nil || d.IsInclude() || !deprecatedHere(defs) {
			return
		}
		here := defs.Here
		for _, v := range here {
			if v.Deprecated.IsZero() || target.Less(v.Deprecated) {
				return // one definition here is not deprecated
			}
		}
		v := here[0]
		msg := fmt.Sprintf("%q directive is deprecated since nginx %s", d.Name(), v.Deprecated)
		if v.Instead != "" {
			msg += fmt.Sprintf("; use %q instead", v.Instead)
		}
		p.Report(nameSpan(d, msg))
	})
}

// deprecatedParams reports the parameters of a listen or server line that
// the target version calls deprecated.
func deprecatedParams(p *lint.Pass, d syntax.Directive, here []*nginx.Variant, target nginx.Version) {
	for _, v := range here {
		params := nginx.Params(d.Name(), v.Module)
		for i, a := range d.EachArg() {
			if i == 0 {
				continue
			}
			name, _, _ := strings.Cut(a.Value, "=")
			for _, prm := range params {
				if prm.Name != name || prm.Deprecated.IsZero() || target.Less(prm.Deprecated) || !prm.In(target) {
					continue
				}
				msg := fmt.Sprintf("the %q parameter of %q is deprecated since nginx %s", name, d.Name(), prm.Deprecated)
				if prm.Instead != "" {
					msg += fmt.Sprintf("; use the %q directive instead", prm.Instead)
				}
				p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End), Message: msg})
			}
		}
	}
}
