package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// VariableUnknown reports variables nothing defines.
var VariableUnknown = &lint.Rule{
	ID:    "variable-unknown",
	Title: "a variable no module defines and the configuration does not set",
	Doc: `nginx resolves every variable a directive uses when it loads the
configuration: one that no module defines ($host, $remote_addr ...,
$http_NAME, $arg_NAME, $cookie_NAME ...) and that nothing in the
configuration sets (set, map, geo, split_clients, a named capture of a
regular expression ...) makes "nginx -t" fail with "unknown variable",
without saying where. The finding points at each use. Variables are
global in nginx: one set in any location is known everywhere.

A snippet linted alone, or a tree with an include it does not hold, may
define variables where nginxlint cannot see: its variables are not
checked.`,
	Bad: `events {}
http {
    server {
        location / {
            proxy_set_header X-Request-Id $reqest_id;
        }
    }
}
`,
	Good: `events {}
http {
    server {
        location / {
            proxy_set_header X-Request-Id $request_id;
        }
    }
}
`,
	Severity: lint.Error,
	Run:      runVariableUnknown,
}

func runVariableUnknown(p *lint.Pass) {
	ix := model.Of(p)
	if !variablesKnowable(p.Tree) {
		return
	}
	// One walk: definitions may come after their uses (variables are
	// global), so the uses no module defines wait until the end.
	http, stream := map[string]bool{}, map[string]bool{}
	type use struct {
		d           syntax.Directive
		name        string
		start, stop int
		stream      bool
	}
	var pending []use
	builtinKnown := [2]map[string]bool{{}, {}}
	isBuiltin := func(name string, isStream bool) bool {
		k := 0
		if isStream {
			k = 1
		}
		ok, found := builtinKnown[k][name]
		if !found {
			ok = builtin(ix, name, isStream) != nil
			builtinKnown[k][name] = ok
		}
		return ok
	}
	var refs [][2]int // references' buffer
	check := func(d syntax.Directive, a syntax.Arg, isStream bool) {
		refs = references(refs[:0], a.Value)
		for _, r := range refs {
			name := a.Value[r[0]:r[1]]
			if isBuiltin(name, isStream) {
				continue
			}
			q := 0
			if a.Quote != 0 {
				q = 1
			}
			dollar, end := r[0]-1, r[1]
			if a.Value[dollar] == '{' {
				dollar, end = dollar-1, end+1 // ${name}
			}
			start, stop := int(a.Start)+q+dollar, int(a.Start)+q+end
			if stop > int(a.End) || d.File().Src[start:stop] != a.Value[dollar:end] {
				start, stop = int(a.Start), int(a.End) // escapes: the whole argument
			}
			pending = append(pending, use{d, name, start, stop, isStream})
		}
	}
	mapInStream := false
	// Only directives that use or define variables matter, and those
	// without Defs: map entries, and what blocks nginx does not know
	// hold.
	matters := func(defs *model.Defs) bool {
		return defs == nil || defs.Name == "map" || looksAt(defs)
	}
	ix.WalkDefsWhere(matters, func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if defs == nil {
			noteDefinitions(d, c, nil, http, stream)
			if m := d.BlockParent(); !m.IsZero() && m.Name() == "map" {
				// A map entry: its value may be a variable.
				for _, a := range d.EachArg() {
					check(d, a, mapInStream)
				}
			}
			return
		}
		if defs.Name == "map" {
			mapInStream = inStream(c)
		}
		if !looksAt(defs) {
			return
		}
		// The header's text is read once for the cheap tests of both.
		h := readHeader(d)
		noteDefinitionsIn(d, h, c, defs, http, stream)
		if !h.has("$") {
			return
		}
		isStream := inStream(c)
		eachEvaluated(d, defs, func(a syntax.Arg) { check(d, a, isStream) })
	})
	for _, u := range pending {
		set := http
		if u.stream {
			set = stream
		}
		if set[strings.ToLower(u.name)] {
			continue
		}
		p.Report(lint.Diagnostic{File: u.d.File(), Start: u.start, End: u.stop,
			Message: fmt.Sprintf("unknown %q variable: no module defines it and nothing in the configuration sets it; nginx does not start", u.name)})
	}
}
