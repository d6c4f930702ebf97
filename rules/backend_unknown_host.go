package rules

import (
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/manifest"
)

// BackendUnknownHost reports remote targets the manifest does not name.
var BackendUnknownHost = &lint.Rule{
	ID:    "backend-unknown-host",
	Title: "nginx dials a remote host the manifest does not know",
	Doc: `A target on another host (api.internal:8080, 10.0.0.5:9000) cannot be checked
by looking at this machine, but the manifest can still name it: either as
a backend ("listen = "api.internal:8080"") or in the top-level "external"
list of hosts nginx may talk to, such as a public API:

    external = ["api.stripe.com", "*.s3.amazonaws.com", "10.20.0.0/16"]

A remote target that is neither is reported as a warning: it is either a
backend the manifest forgot, or drift (the service moved). Local targets
(loopback, localhost, unix sockets) are the backend-drift rule's, and are
errors.`,
	Bad: `location /search/ {
    proxy_pass http://search.internal:9300;
}
`,
	Good: `location /pay/ {
    proxy_pass https://api.stripe.com;
}
location /search/ {
    proxy_pass http://search.internal:9200;
}
`,
	Manifest: `external = ["api.stripe.com"]

[backends.search]
listen = "search.internal:9200"
`,
	Severity:      lint.Warning,
	NeedsManifest: true,
	Run:           runBackendUnknownHost,
}

func runBackendUnknownHost(p *lint.Pass) {
	m := p.Manifest
	for t := range model.Of(p).Targets() {
		a := t.Parsed().Addr
		if !checkable(t) || manifest.IsLocal(a) || m.IsExternal(a) || m.Resolve(a).Kind != manifest.NoMatch {
			continue
		}
		p.ReportArgf(t.Directive, 0, `%s, which the manifest names neither as a backend nor in "external"; add it to one of them, or fix the address if the service moved`, dialed(t))
	}
}
