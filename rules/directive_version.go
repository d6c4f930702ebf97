package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DirectiveVersion reports directives and parameters that the target
// nginx version does not have yet, or no longer has.
var DirectiveVersion = &lint.Rule{
	ID:    "directive-version",
	Title: "a directive or parameter the target nginx version does not have",
	Doc: `Directives and parameters come and go with nginx versions: "http2 on;"
needs nginx 1.25.1, "listen ... quic" 1.25.0, and the spdy directives went
in 1.9.5. An nginx that does not have them fails "nginx -t" with "unknown
directive" or "invalid parameter".

The target version is the one given with --nginx-version, the version in
the manifest's [nginx] table or nginx_version in .nginxlint.toml; with
none, the newest version nginxlint knows, so that only what no nginx has
any more is reported. Set it to the version your servers run.`,
	Bad: `server {
    listen 443 ssl;
    http2 on;
}
`,
	Good: `server {
    listen 443 ssl http2;
}
`,
	Manifest: `[nginx]
version = "1.22.1"
`,
	Severity: lint.Error,
	Run:      runDirectiveVersion,
}

func runDirectiveVersion(p *lint.Pass) {
	ix := model.Of(p)
	target := ix.Target()
	eachParamLine(ix, func(d syntax.Directive, module string) {
		if d.NArgs() < 2 {
			return // no parameters
		}
		for _, v := range nginx.Variants(d.Name()) {
			if v.Module == module && v.In(target) {
				checkParams(p, d, v, target)
			}
		}
	})
	if !ix.AnyDefs(func(d *model.Defs) bool { return len(d.All) == 0 }) {
		return // every directive is in the target version
	}
	ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if defs == nil || len(defs.All) > 0 || d.IsInclude() {
			return // in the target (if misplaced, directive-context says so)
		}
		vs := nginx.Variants(d.Name())
		if len(vs) == 0 {
			return
		}
		var since, until nginx.Version
		for _, v := range vs {
			if v.In(target) {
				checkParams(p, d, v, target)
				return
			}
			if !v.Since.IsZero() && target.Less(v.Since) && (since.IsZero() || v.Since.Less(since)) {
				since = v.Since
			}
			if !v.Until.IsZero() && !target.Less(v.Until) && until.Less(v.Until) {
				until = v.Until
			}
		}
		switch {
		case !since.IsZero():
			p.Report(nameSpan(d, fmt.Sprintf("%q directive needs nginx %s; the target is %s, where nginx fails with \"unknown directive\"", d.Name(), since, target)))
		case !until.IsZero():
			p.Report(nameSpan(d, fmt.Sprintf("%q directive was removed in nginx %s; the target is %s, where nginx fails with \"unknown directive\"", d.Name(), until, target)))
		}
	})
}

// checkParams reports the parameters of a listen or upstream server line
// that the target version does not have.
func checkParams(p *lint.Pass, d syntax.Directive, v *nginx.Variant, target nginx.Version) {
	params := nginx.Params(d.Name(), v.Module)
	if len(params) == 0 {
		return
	}
	for i, a := range d.EachArg() {
		if i == 0 {
			continue
		}
		name, _, _ := strings.Cut(a.Value, "=")
		for _, prm := range params {
			if prm.Name != name || prm.In(target) {
				continue
			}
			what := fmt.Sprintf("needs nginx %s", prm.Since)
			if prm.Since.IsZero() || !target.Less(prm.Since) {
				what = fmt.Sprintf("was removed in nginx %s", prm.Until)
			}
			p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End),
				Message: fmt.Sprintf("the %q parameter of %q %s; the target is %s, where nginx fails with \"invalid parameter\"", name, d.Name(), what, target)})
			break
		}
	}
}
