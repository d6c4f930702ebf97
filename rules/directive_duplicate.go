package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DirectiveDuplicate reports a directive written twice in one block when
// nginx takes it once only.
var DirectiveDuplicate = &lint.Rule{
	ID:    "directive-duplicate",
	Title: "a directive nginx takes once per block is written twice",
	Doc: `Most directives that hold one value (root, proxy_pass, client_max_body_size,
gzip ...) may be written once per block: a second one makes "nginx -t"
fail with "directive is duplicate", even with the same value. Includes
count: a snippet that sets root, included in a location that sets its own,
is a duplicate too. Directives that collect values (add_header,
proxy_set_header, listen, error_page ...) may repeat.

Remove one of them; to give an inner block another value, write it in
that block (it overrides the outer one).`,
	Bad: `location / {
    root /srv/www;
    root /srv/static;
}
`,
	Good: `location / {
    root /srv/www;
}
location /static/ {
    root /srv/static;
}
`,
	Severity: lint.Error,
	Run:      runDirectiveDuplicate,
}

func runDirectiveDuplicate(p *lint.Pass) {
	ix := model.Of(p)
	var seen firstInBlock
	unique := func(defs *model.Defs) bool {
		if defs == nil || len(defs.Here) == 0 {
			return false
		}
		for _, v := range defs.Here {
			if !v.Unique {
				return false
			}
		}
		return true
	}
	ix.WalkDefsWhere(unique, func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if d.IsInclude() {
			return
		}
		f, dup := seen.see(d, defs.Name)
		if !dup {
			return
		}
		diag := nameSpan(d, fmt.Sprintf("%q directive is duplicate: nginx takes it once in a block", d.Name()))
		diag.Related = []lint.Related{lint.RelatedTo(f, "it is first set here")}
		if f.File() == d.File() && f.Start() == d.Start() {
			// One file, included twice in the block.
			diag.Related = nil
			if chain := d.IncludeChain(); len(chain) > 0 {
				diag.Related = []lint.Related{lint.RelatedTo(chain[len(chain)-1], "the file that sets it is included a second time here")}
			}
		}
		p.Report(diag)
	})
}
