package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
)

// UpstreamPrimariesDown reports upstream blocks that only their backup
// servers serve.
var UpstreamPrimariesDown = &lint.Rule{
	ID:    "upstream-primaries-down",
	Title: "every primary server of an upstream is down; only backups serve",
	Doc: `When every server of an upstream block that is not a backup is marked
"down", nginx sends every request to the backup servers. That works, but
backups are meant for failures: all traffic on them is usually a leftover
of maintenance, and one more failure turns into 502s.`,
	Bad: `upstream api {
    server 127.0.0.1:8001 down;
    server 127.0.0.1:8002 backup;
}
`,
	Good: `upstream api {
    server 127.0.0.1:8001;
    server 127.0.0.1:8002 backup;
}
`,
	Severity: lint.Warning,
	Run: func(p *lint.Pass) {
		for up := range model.Of(p).ByName("upstream") {
			if !up.IsBlock() || up.NArgs() != 1 {
				continue
			}
			if servers, primary, backup := upstreamServers(up); len(servers) > 0 && primary == 0 && backup > 0 {
				p.Report(lint.Diagnostic{File: up.File(), Start: int(up.Start()), End: int(up.NameEnd()),
					Message: fmt.Sprintf("every primary server of upstream %q is marked down: all requests go to its backup servers", up.Arg(0))})
			}
		}
	},
}
