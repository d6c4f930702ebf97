package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DefaultServerDuplicate reports two servers that both claim to be the
// default server of one address and port.
var DefaultServerDuplicate = &lint.Rule{
	ID:    "default-server-duplicate",
	Title: "two servers are the default server of one address and port",
	Doc: `Only one server may be the default ("listen ... default_server", or the
older "default") of an address and port: a second one makes "nginx -t"
fail with "a duplicate default server". "listen 80", "listen *:80" and
"listen 0.0.0.0:80" are the same address; "listen [::]:80" is another.
Keep default_server on one of them.`,
	Bad: `server {
    listen 80 default_server;
}
server {
    listen *:80 default_server;
}
`,
	Good: `server {
    listen 80 default_server;
}
server {
    listen 80;
}
`,
	Severity: lint.Error,
	Run:      runDefaultServerDuplicate,
}

func runDefaultServerDuplicate(p *lint.Pass) {
	ix := model.Of(p)
	first := map[string]syntax.Directive{}
	for l := range ix.ByName("listen") {
		if l.NArgs() < 2 || ix.Module(l) != "http" {
			continue
		}
		def := false
		for i, a := range l.EachArg() {
			def = def || i > 0 && (a.Value == "default_server" || a.Value == "default")
		}
		if !def {
			continue
		}
		addr := listenKey(l.Arg(0))
		if addr == "" {
			continue
		}
		f, seen := first[addr]
		if !seen {
			first[addr] = l
			continue
		}
		if f.BlockParent() == l.BlockParent() {
			continue // one server: nginx reports "duplicate listen options" otherwise
		}
		d := nameSpan(l, fmt.Sprintf("a duplicate default server for %s: another server is already the default of that address and port", addr))
		d.End = int(l.End())
		d.Related = []lint.Related{lint.RelatedTo(f, "the first default server of "+addr)}
		p.Report(d)
	}
}

// listenKey is the address and port a listen argument stands for, as
// nginx prints it (0.0.0.0:80, [::]:443, unix:/run/x.sock); "" when it
// cannot be read.
func listenKey(arg string) string {
	a, _ := nginx.ParseListen(arg, true)
	return a.Key
}
