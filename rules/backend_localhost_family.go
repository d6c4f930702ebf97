package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/manifest"
)

// BackendLocalhost reports "localhost" targets whose backend listens on
// one address family only.
var BackendLocalhost = &lint.Rule{
	ID:    "backend-localhost-family",
	Title: "localhost is dialled on IPv4 and IPv6, but the backend listens on one",
	Doc: `nginx resolves "localhost" when it starts, to 127.0.0.1 and ::1, and sends
requests to both in turn. A backend that listens on only one of them (Node
and Python servers often bind 127.0.0.1, or only ::1) refuses every other
connection: nginx retries on the other address, so most requests succeed,
but error.log fills with "connect() failed (111: Connection refused)",
the failing address is marked down for fail_timeout, and requests that
cannot be retried fail with 502.

Write the address the backend listens on (127.0.0.1:8000 rather than
localhost:8000), or make the backend listen on both.`,
	Bad: `location / {
    proxy_pass http://localhost:8001;
}
`,
	Good: `location / {
    proxy_pass http://127.0.0.1:8001;
}
`,
	Manifest: `[backends.api]
listen = "127.0.0.1:8001"
`,
	Severity:      lint.Warning,
	Fixable:       true,
	NeedsManifest: true,
	Run:           runBackendLocalhost,
}

func runBackendLocalhost(p *lint.Pass) {
	for t := range model.Of(p).Targets() {
		if !checkable(t) {
			continue
		}
		r := p.Manifest.Resolve(t.Parsed().Addr)
		if r.Kind != manifest.LocalhostPartial {
			continue
		}
		d := lint.Diagnostic{File: t.Directive.File(), Start: int(t.Arg().Start), End: int(t.Arg().End)}
		if r.IPv4 != nil && r.IPv6 != nil {
			d.Message = fmt.Sprintf("%s: nginx dials both 127.0.0.1 and [::1], which are different backends (%s and %s); write the address of the one you mean",
				dialed(t), r.IPv4.Name, r.IPv6.Name)
		} else {
			d.Message = fmt.Sprintf("%s: nginx dials both 127.0.0.1 and [::1], but %s listens only on %s; connections to %s are refused (intermittent errors in error.log). Use %s",
				dialed(t), "backend "+r.Backend.Name, r.Listen, r.Refused, onFamily(t.Parsed().Addr, r))
			d.Related = backendRelated(p, r.Backend)
			d.Fixes = replaceAddr(t, onFamily(t.Parsed().Addr, r))
		}
		p.Report(d)
	}
}

// onFamily is the target written with the address family the backend
// accepts instead of localhost.
func onFamily(t manifest.Addr, r manifest.Resolution) string {
	if r.IPv4 != nil {
		return fmt.Sprintf("127.0.0.1:%d", t.Port)
	}
	return fmt.Sprintf("[::1]:%d", t.Port)
}
