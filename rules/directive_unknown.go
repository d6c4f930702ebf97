package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DirectiveUnknown reports directives no module of nginx defines, and
// directives of a third-party module the configuration does not load.
var DirectiveUnknown = &lint.Rule{
	ID:    "directive-unknown",
	Title: "a directive nginx does not know: misspelled, or of a module that is not loaded",
	Doc: `nginx refuses to start on a directive no module defines: "nginx -t"
fails with "unknown directive". The usual cause is a typo ("server_nam",
"liste"); the finding suggests the closest directive nginx has.

A directive of a third-party module (lua, headers-more, njs, brotli,
geoip2 ...) is unknown to an nginx that has not loaded the module. The
finding names the module and the load_module line that loads it. When
your nginx has the module built in (OpenResty has lua), declare it in
.nginxlint.toml:

    modules = ["lua"]

A module nginxlint does not know at all can be described in
.nginxlint.toml, directive by directive:

    [[directives]]
    name = "my_filter"
    contexts = ["http", "server", "location"]
    args = "1"          # 0 to 7, a range such as 1-2, 1+, 2+, flag or any

A snippet linted alone, or a tree whose load_module lines live in files
it does not hold (Debian's /etc/nginx/modules-enabled), cannot say which
modules nginx has: their directives are then taken as known.

The bodies of map, geo, types, split_clients and the like hold data, not
directives, and are not checked; nor are the blocks of modules nginxlint
does not know.`,
	Bad: `server {
    listen 80;
    server_nam example.com;
}
`,
	Good: `server {
    listen 80;
    server_name example.com;
}
`,
	Severity: lint.Error,
	Run:      runDirectiveUnknown,
}

func runDirectiveUnknown(p *lint.Pass) {
	ix := model.Of(p)
	if !ix.AnyDefs(func(d *model.Defs) bool { return len(d.All) == 0 }) {
		return // every directive is known
	}
	// A tree that uses a directive nginx lacks uses it often: each name
	// is looked up once in each context.
	type named struct {
		name string
		c    nginx.Context
	}
	suggested := map[named]string{}
	ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if defs == nil || len(defs.All) > 0 || d.IsInclude() {
			return // a context nginx does not read, or a known directive
		}
		name := d.Name()
		vs := nginx.Variants(name)
		if len(vs) == 0 {
			msg := fmt.Sprintf("unknown directive %q: nginx does not start", name)
			s, ok := suggested[named{name, c}]
			if !ok {
				s = model.SuggestDirective(name, c)
				suggested[named{name, c}] = s
			}
			if s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			p.Report(lint.Diagnostic{File: d.File(), Start: int(d.Start()), End: int(d.NameEnd()), Message: msg})
			return
		}
		var missing *nginx.Module
		for _, v := range vs {
			m := nginx.ModuleNamed(v.Module)
			if m == nil || !m.ThirdParty() {
				return // nginx's own: known (versions are directive-version's)
			}
			if enabled, known := ix.ThirdPartyEnabled(m); enabled || !known {
				return
			}
			if missing == nil {
				missing = m
			}
		}
		how := fmt.Sprintf(`load it with "load_module modules/%s;" at the top of nginx.conf`, missing.Object)
		if missing.Object == "" {
			how = "build nginx with it"
		}
		p.Report(lint.Diagnostic{File: d.File(), Start: int(d.Start()), End: int(d.NameEnd()),
			Message: fmt.Sprintf(`unknown directive %q: it belongs to the %s module (%s), which this configuration does not load; %s, or, if your nginx has it built in, declare it in .nginxlint.toml: modules = [%q]`,
				name, orName(missing.Short, missing.Name), missing.Source, how, orName(missing.Short, missing.Name))})
	})
}

func orName(short, name string) string {
	if short != "" {
		return short
	}
	return name
}
