package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

// UpstreamKeepaliveTimeout reports upstreams that keep idle connections
// longer than their backend does.
var UpstreamKeepaliveTimeout = &lint.Rule{
	ID:    "upstream-keepalive-timeout",
	Title: "nginx keeps idle upstream connections longer than the backend does",
	Doc: `With "keepalive" in an upstream block, nginx keeps idle connections to the
backend for keepalive_timeout (60s unless the upstream block sets it).
Backends close idle connections on their own schedule: Node.js after 5s,
gunicorn after 2s, many Go and Java servers after 30-75s. When the backend
gives up first, nginx sometimes sends a request on a connection the
backend is closing at that very moment, and the user gets an intermittent
502 ("upstream prematurely closed connection" or "Connection reset by
peer") that no load test reproduces.

With "idle_timeout" on a backend in the manifest, this rule reports an
upstream with keepalive whose keepalive_timeout is not below it. Set
keepalive_timeout in the upstream block to less than the backend's, or
raise the backend's (server.keepAliveTimeout in Node.js,
--keep-alive in gunicorn).

Note that the keepalive_timeout of the http or server level is for client
connections; the upstream's is its own directive and is not inherited.`,
	Bad: `upstream api {
    server 127.0.0.1:8001;
    keepalive 16;
}
`,
	Good: `upstream api {
    server 127.0.0.1:8001;
    keepalive 16;
    keepalive_timeout 4s;
}
`,
	Manifest: `[backends.api]
listen = "127.0.0.1:8001"
idle_timeout = "5s"
`,
	Severity:      lint.Warning,
	NeedsManifest: true,
	Run:           runUpstreamKeepaliveTimeout,
}

func runUpstreamKeepaliveTimeout(p *lint.Pass) {
	for up := range model.Of(p).ByName("upstream") {
		ka := keepaliveOf(up)
		if ka.IsZero() {
			continue
		}
		timeout, at := nginx.UpstreamKeepaliveTimeout, ka
		explicit := false
		for _, d := range up.Children() {
			if d.Name() == "keepalive_timeout" && d.NArgs() == 1 {
				if v, ok := nginx.ParseTime(d.Arg(0)); ok {
					timeout, at, explicit = v, d, true
				}
			}
		}
		for _, b := range upstreamBackends(p, up) {
			if b.IdleTimeout == 0 || timeout < b.IdleTimeout {
				continue
			}
			how := fmt.Sprintf("keepalive_timeout %s", at.Arg(0))
			if !explicit {
				how = "the default keepalive_timeout; this upstream sets none"
			}
			d := lint.Diagnostic{File: at.File(), Start: int(at.Start()), End: int(at.End()),
				Message: fmt.Sprintf(`upstream %q keeps idle connections for %s (%s), but backend %s closes them after %s (its idle_timeout): nginx will now and then reuse a connection the backend is closing, and the request fails with 502 ("upstream prematurely closed connection"). Set keepalive_timeout in the upstream below %s`,
					up.Arg(0), nginx.FormatTime(timeout), how, b.Name, nginx.FormatTime(b.IdleTimeout), nginx.FormatTime(b.IdleTimeout))}
			if rel, ok := p.ManifestRelated(b.IdleTimeoutPos, fmt.Sprintf("backend %s closes idle connections after %s", b.Name, nginx.FormatTime(b.IdleTimeout))); ok {
				d.Related = []lint.Related{rel}
			}
			p.Report(d)
		}
	}
}
