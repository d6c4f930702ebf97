package rules

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
)

// UpstreamUndefined reports pass directives that name an upstream block
// that does not exist.
var UpstreamUndefined = &lint.Rule{
	ID:    "upstream-undefined",
	Title: "proxy_pass names an upstream block that is not defined",
	Doc: `"proxy_pass http://backend_app;" sends requests to the upstream block named
backend_app. When no such block exists in the same http{} (or stream{})
configuration, nginx takes the name for a host name and looks it up when
it starts: "nginx -t" fails with "host not found in upstream", and nginx
does not start or reload.

This rule reports a name without a dot and without a port (a name no DNS
server resolves, like backend_app) that no upstream block defines, in any
of proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass and
memcached_pass. Upstream names compare case-insensitively, as in nginx.
A snippet linted on its own (not a whole configuration) is not checked:
its upstreams are usually defined in another file.
Names with a dot or a port (api.internal, app:8000) are host names and
are left alone. A value with variables is looked up per request, and
nginx starts whatever it holds: its host uses the upstream block of that
name when there is one and nginx reads the same host whatever the
variables hold ("http://backend$request_uri", "http://backend/$1"), and
goes to the resolver otherwise (a Docker service name with "resolver
127.0.0.11;" is one). Such a value is not reported.`,
	Bad: `events {}
http {
    upstream backend {
        server 127.0.0.1:8000;
    }
    server {
        listen 127.0.0.1:8080;
        location / {
            proxy_pass http://backend_app;
        }
    }
}
`,
	Good: `events {}
http {
    upstream backend_app {
        server 127.0.0.1:8000;
    }
    server {
        listen 127.0.0.1:8080;
        location / {
            proxy_pass http://backend_app;
        }
    }
}
`,
	Severity: lint.Error,
	Run:      runUpstreamUndefined,
}

func runUpstreamUndefined(p *lint.Pass) {
	if p.Tree.Context != "main" || model.Of(p).AnyIncomplete() {
		return // the upstream block may be in a file the tree does not hold
	}
	for t := range model.Of(p).Targets() {
		name := t.Parsed().Name
		if t.Err() != nil || t.IsServer() || t.Parsed().HasVars || !t.Upstream().IsZero() || name == "" || strings.Contains(name, ".") ||
			strings.EqualFold(name, "localhost") {
			continue
		}
		if _, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil {
			continue
		}
		a := t.Arg()
		d := lint.Diagnostic{File: t.Directive.File(), Start: int(a.Start), End: int(a.End),
			Message: fmt.Sprintf(`upstream %q is not defined: there is no "upstream %s {}" block in %s, so nginx looks %q up as a host name and "nginx -t" fails with "host not found in upstream"`, name, name, t.Module(), name)}
		if other := model.Of(p).Upstream(otherModule(t.Module()), name); !other.IsZero() {
			d.Message += "; the upstream block of that name is in " + otherModule(t.Module()) + "{}, which " + t.Module() + "{} cannot use"
			d.Related = []lint.Related{lint.RelatedTo(other, fmt.Sprintf("upstream %q is defined here, in %s{}", other.Arg(0), otherModule(t.Module())))}
		}
		p.Report(d)
	}
}

func otherModule(m string) string {
	if m == "http" {
		return "stream"
	}
	return "http"
}
