package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DirectiveContext reports directives in a block where nginx does not
// allow them.
var DirectiveContext = &lint.Rule{
	ID:    "directive-context",
	Title: "a directive in a block where nginx does not allow it",
	Doc: `Every nginx directive is allowed in some blocks only: listen in a
server, location in a server or another location, proxy_pass in a
location. Anywhere else "nginx -t" fails with "directive is not allowed
here". The finding says where the directive is allowed.

A directive that lands in the wrong block is often the sign of a missing
or extra "}": the block it is in was closed too late or too early.`,
	Bad: `server {
    location / {
        listen 80;
    }
}
`,
	Good: `server {
    listen 80;
    location / {
    }
}
`,
	Severity: lint.Error,
	Run:      runDirectiveContext,
}

func runDirectiveContext(p *lint.Pass) {
	ix := model.Of(p)
	if !ix.AnyDefs(func(d *model.Defs) bool { return len(d.Here) == 0 && len(d.All) > 0 }) {
		return // every known directive is where nginx allows it
	}
	ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if defs == nil {
			return
		}
		here, all := defs.Here, defs.All
		if len(here) > 0 || len(all) == 0 {
			return // allowed, or unknown here (directive-unknown, directive-version)
		}
		if c == nginx.HTTPServerIf || c == nginx.HTTPLocationIf {
			return // if-directive says it, with what to do instead
		}
		var where nginx.Context
		for _, v := range all {
			where |= v.Contexts
		}
		diag := nameSpan(d, fmt.Sprintf("%q directive is not allowed here, in %s: nginx allows it in %s", d.Name(), contextName(c), strings.ReplaceAll(where.String(), "|", ", ")))
		if bp := d.BlockParent(); !bp.IsZero() && d.IsBlock() && allowedAround(ix, bp, all) {
			// A block that would be allowed had its enclosing block been
			// closed before it: most often a missing "}".
			diag.Related = []lint.Related{lint.RelatedTo(bp, fmt.Sprintf(`it is inside this %s block: is its "}" missing before it?`, bp.Name()))}
		}
		p.Report(diag)
	})
}

// contextName says where a context is, for a message.
func contextName(c nginx.Context) string {
	switch c {
	case nginx.Main:
		return "the main context"
	case nginx.HTTP:
		return "http"
	case nginx.HTTPServer:
		return "a server of http"
	case nginx.HTTPLocation:
		return "a location"
	case nginx.HTTPUpstream:
		return "an upstream of http"
	case nginx.HTTPServerIf:
		return "an if block of a server"
	case nginx.HTTPLocationIf:
		return "an if block of a location"
	case nginx.LimitExcept:
		return "a limit_except block"
	case nginx.Stream:
		return "stream"
	case nginx.StreamServer:
		return "a server of stream"
	case nginx.StreamUpstream:
		return "an upstream of stream"
	case nginx.Mail:
		return "mail"
	case nginx.MailServer:
		return "a server of mail"
	case nginx.Events:
		return "events"
	}
	return c.String()
}

// allowedAround reports whether a directive with definitions all would
// be allowed in the block around bp.
func allowedAround(ix *model.Index, bp syntax.Directive, all []*nginx.Variant) bool {
	c, ok := ix.ContextOf(bp)
	if !ok {
		return false
	}
	for _, v := range all {
		if v.Contexts&c != 0 {
			return true
		}
	}
	return false
}
