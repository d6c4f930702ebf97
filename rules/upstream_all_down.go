package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// UpstreamAllDown reports upstream blocks in which every server is marked
// down.
var UpstreamAllDown = &lint.Rule{
	ID:    "upstream-all-down",
	Title: "every server of an upstream is marked down",
	Doc: `A server line with the "down" parameter is never sent a request. When every
server of an upstream block is down, backup servers included, every
request to it fails with 502 Bad Gateway and nginx logs "no live upstreams".
"nginx -t" does not notice.

An upstream block with no server line at all makes "nginx -t" fail ("no
servers are inside upstream") and is reported too.

When only the primary servers are down, nginx sends requests to the backup
servers: that is the upstream-primaries-down rule.`,
	Bad: `upstream api {
    server 127.0.0.1:8001 down;
    server 127.0.0.1:8002 down;
}
`,
	Good: `upstream api {
    server 127.0.0.1:8001 down;
    server 127.0.0.1:8002;
}
`,
	Severity: lint.Error,
	Run:      runUpstreamAllDown,
}

func runUpstreamAllDown(p *lint.Pass) {
	for up := range model.Of(p).ByName("upstream") {
		if !up.IsBlock() || up.NArgs() != 1 {
			continue
		}
		servers, primary, backup := upstreamServers(up)
		switch {
		case len(servers) == 0:
			if hasServerSource(up) {
				continue
			}
			p.Report(lint.Diagnostic{File: up.File(), Start: int(up.Start()), End: int(up.NameEnd()),
				Message: fmt.Sprintf(`upstream %q has no server; "nginx -t" fails with "no servers are inside upstream"`, up.Arg(0))})
		case primary+backup == 0:
			p.Report(lint.Diagnostic{File: up.File(), Start: int(up.Start()), End: int(up.NameEnd()),
				Message: fmt.Sprintf(`every server of upstream %q is marked down: each request to it fails with 502 ("no live upstreams")`, up.Arg(0))})
		}
	}
}

// hasServerSource reports whether an upstream gets its servers from
// elsewhere than server lines (modules that fill upstreams at run time).
func hasServerSource(up syntax.Directive) bool {
	for _, d := range up.Children() {
		switch d.Name() {
		case "balancer_by_lua_block", "balancer_by_lua_file", "dynamic_upstream", "zone_sync", "consul", "dyups_interface":
			return true
		}
	}
	return false
}
