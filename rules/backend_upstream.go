package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
)

// BackendUpstream checks the upstream blocks the manifest binds backends
// to.
var BackendUpstream = &lint.Rule{
	ID:    "backend-upstream",
	Title: "an upstream bound to a backend in the manifest is missing or points elsewhere",
	Doc: `A backend in the manifest may name the upstream block that must point at it
("upstream = "api_pool""). Then the block must exist, and each of its
server lines must be an address of that backend. This catches an upstream
that still lists a server of another backend after a move, which
backend-drift cannot see (that address is valid, just not this backend's),
and a renamed or deleted upstream block.

A missing block is reported in the manifest, at its "upstream" key.`,
	Bad: `upstream api_pool {
    server 127.0.0.1:8001;
    server 127.0.0.1:9000;
}
`,
	Good: `upstream api_pool {
    server 127.0.0.1:8001;
    server 127.0.0.1:8002;
}
`,
	Manifest: `[backends.api]
listen = ["127.0.0.1:8001", "127.0.0.1:8002"]
upstream = "api_pool"

[backends.admin]
listen = "127.0.0.1:9000"
`,
	Severity:      lint.Error,
	Fixable:       true,
	NeedsManifest: true,
	Run:           runBackendUpstream,
}

func runBackendUpstream(p *lint.Pass) {
	for _, b := range p.Manifest.Backends {
		if b.Upstream == "" {
			continue
		}
		up := model.Of(p).Upstream("http", b.Upstream)
		if up.IsZero() {
			up = model.Of(p).Upstream("stream", b.Upstream)
		}
		if up.IsZero() {
			if p.ManifestFile != nil && !model.Of(p).AnyIncomplete() {
				off, _ := p.ManifestOffset(b.UpstreamPos)
				p.Report(lint.Diagnostic{File: p.ManifestFile, Start: off, End: off + len(b.Upstream) + 2,
					Message: fmt.Sprintf("backend %s is bound to upstream %q, but the configuration has no such upstream block", b.Name, b.Upstream)})
			}
			continue
		}
		for _, t := range model.Of(p).UpstreamServers(up) {
			if !checkable(t) {
				continue
			}
			if p.Manifest.BackendAccepts(b, t.Parsed().Addr) {
				continue
			}
			r := p.Manifest.Resolve(t.Parsed().Addr)
			if r.Backend == nil {
				continue // backend-drift reports it, with this backend as the hint
			}
			d := lint.Diagnostic{File: t.Directive.File(), Start: int(t.Arg().Start), End: int(t.Arg().End),
				Message: fmt.Sprintf("upstream %q is bound to backend %s, but this server is %s of backend %s; %s listens on %s",
					up.Arg(0), b.Name, r.Listen, r.Backend.Name, b.Name, listenList(b))}
			if rel, ok := p.ManifestRelated(b.UpstreamPos, fmt.Sprintf("backend %s is bound to upstream %q here", b.Name, up.Arg(0))); ok {
				d.Related = []lint.Related{rel}
			}
			if len(b.Listen) == 1 {
				d.Fixes = replaceAddr(t, suggestion(t.Parsed().Addr, b.Listen[0]))
			}
			p.Report(d)
		}
	}
}
