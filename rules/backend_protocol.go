package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/manifest"
)

// BackendProtocol reports directives that speak another protocol than
// the backend they reach.
var BackendProtocol = &lint.Rule{
	ID:    "backend-protocol",
	Title: "the directive speaks another protocol than the backend",
	Doc: `Each pass directive speaks one protocol: proxy_pass HTTP (or HTTPS with
https://), fastcgi_pass FastCGI, uwsgi_pass uwsgi, scgi_pass SCGI,
grpc_pass gRPC (grpcs:// over TLS), memcached_pass memcached. When the
backend at that address speaks another one (its "protocol" in the
manifest), nothing in the configuration looks wrong, "nginx -t" passes, and
every request fails: fastcgi_pass to an HTTP server gives 502 ("upstream
sent unsupported FastCGI protocol version"), proxy_pass to PHP-FPM gives
502 ("upstream prematurely closed connection"), http:// to a TLS port gives
400 or 502.

For an upstream block, the protocol comes from the directives that use
it (with variables too, when their host names the block whatever the
variables hold: "proxy_pass http://pool$request_uri;"), and each of its
server lines is checked against the backend it reaches. Stream (TCP)
proxies carry any protocol and are not checked.`,
	Bad: `location ~ \.php$ {
    fastcgi_pass 127.0.0.1:8000;
}
`,
	Good: `location ~ \.php$ {
    fastcgi_pass 127.0.0.1:9000;
}
`,
	Manifest: `[backends.app]
listen = "127.0.0.1:8000"
protocol = "http"

[backends.php]
listen = "127.0.0.1:9000"
protocol = "fastcgi"
`,
	Severity:      lint.Error,
	NeedsManifest: true,
	Run:           runBackendProtocol,
}

// protocolFailure says what happens when a directive speaking one protocol
// reaches a backend speaking another.
func protocolFailure(speaks, backend manifest.Protocol) string {
	switch {
	case speaks == manifest.ProtocolFastCGI:
		return `502, "upstream sent unsupported FastCGI protocol version"`
	case speaks == manifest.ProtocolHTTP && backend == manifest.ProtocolHTTPS:
		return `400 from the backend ("plain HTTP request was sent to HTTPS port") or 502`
	case speaks == manifest.ProtocolHTTPS:
		return `502, "SSL_do_handshake() failed"`
	}
	return `502, "upstream prematurely closed connection" or "upstream sent invalid header"`
}

func runBackendProtocol(p *lint.Pass) {
	for t := range model.Of(p).Targets() {
		if !checkable(t) || t.Module() != "http" {
			continue
		}
		r := p.Manifest.Resolve(t.Parsed().Addr)
		if r.Backend == nil {
			continue
		}
		users := []*model.Target{t}
		if t.IsServer() {
			users = nil
			if n := t.UpstreamIndex(); n >= 0 {
				users = model.Of(p).UpstreamUsersAt(n)
			}
		}
		for _, u := range users {
			speaks := u.Parsed().Protocol
			if speaks == "" || speaks == r.Backend.Protocol {
				continue
			}
			via := ""
			related := backendRelated(p, r.Backend)
			if u != t {
				via = fmt.Sprintf(" (used by %s)", u.Directive.Name())
				related = append([]lint.Related{lint.RelatedTo(u.Directive, fmt.Sprintf("%s speaks %s to upstream %q here", u.Directive.Name(), speaks, t.In().Arg(0)))}, related...)
			}
			a := t.Arg()
			p.Report(lint.Diagnostic{File: t.Directive.File(), Start: int(a.Start), End: int(a.End), Related: related,
				Message: fmt.Sprintf("%s%s speaking %s, but backend %s speaks %s: requests fail with %s",
					dialed(t), via, speaks, r.Backend.Name, r.Backend.Protocol, protocolFailure(speaks, r.Backend.Protocol))})
		}
	}
}
