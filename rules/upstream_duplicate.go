package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// UpstreamDuplicate reports two upstream blocks with one name.
var UpstreamDuplicate = &lint.Rule{
	ID:    "upstream-duplicate",
	Title: "two upstream blocks with the same name",
	Doc: `Upstream names are unique in http, and in stream, whatever their case:
a second "upstream api" (or "upstream API") makes "nginx -t" fail with
"duplicate upstream". It often comes from one upstream block in a file
that two places include, or from a copied site. Keep one, or rename
one of them and the proxy_pass lines that use it.`,
	Bad: `upstream api { server 127.0.0.1:8001; }
upstream api { server 127.0.0.1:8002; }
`,
	Good: `upstream api { server 127.0.0.1:8001; server 127.0.0.1:8002; }
`,
	Severity: lint.Error,
	Run:      runUpstreamDuplicate,
}

func runUpstreamDuplicate(p *lint.Pass) {
	ix := model.Of(p)
	type key struct{ module, name string }
	first := map[key]syntax.Directive{}
	for up := range ix.ByName("upstream") {
		if !up.IsBlock() || up.NArgs() != 1 {
			continue
		}
		k := key{ix.Module(up), strings.ToLower(up.Arg(0))}
		f, seen := first[k]
		if !seen {
			first[k] = up
			continue
		}
		d := nameSpan(up, fmt.Sprintf("duplicate upstream %q: nginx refuses a second upstream block of that name in %s", up.Arg(0), k.module))
		d.End = int(up.ArgAt(0).End)
		if f.File() == up.File() && f.Start() == up.Start() {
			// One file, included twice.
			if chain := up.IncludeChain(); len(chain) > 0 {
				d.Related = []lint.Related{lint.RelatedTo(chain[len(chain)-1], "the file holding it is included a second time here")}
			}
		} else {
			d.Related = []lint.Related{lint.RelatedTo(f, "the first upstream of that name")}
		}
		p.Report(d)
	}
}
