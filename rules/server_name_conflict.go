package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// ServerNameConflict reports a server name that two servers claim on
// one address and port.
var ServerNameConflict = &lint.Rule{
	ID:    "server-name-conflict",
	Title: "two servers claim the same server name on one address and port",
	Doc: `When two servers on one address and port list the same server_name,
nginx starts but warns "conflicting server name ... ignored": requests
for that name all go to the first server, and the second one's
settings for it never apply. A server without a listen directive
listens on port 80. Names compare without case.

Keep the name in one server, or give the servers different ports.`,
	Bad: `server {
    listen 80;
    server_name example.com;
}
server {
    listen 80;
    server_name www.example.com example.com;
}
`,
	Good: `server {
    listen 80;
    server_name example.com;
}
server {
    listen 80;
    server_name www.example.com;
}
`,
	Severity: lint.Warning,
	Run:      runServerNameConflict,
}

func runServerNameConflict(p *lint.Pass) {
	ix := model.Of(p)
	// The names are kept by address, then by name: a map keyed by one
	// string is much cheaper to fill than one keyed by the pair, and a
	// tree has few addresses.
	first := map[string]map[string]syntax.Directive{}
	var addrs []string
	// The module of a server depends only on the block it stands in,
	// the same for most servers one after the other: outer and module
	// remember the last one.
	var outer syntax.Directive
	module := ""
	for sn := range ix.ByName("server_name") {
		srv := sn.BlockParent()
		if srv.IsZero() || srv.Name() != "server" {
			continue
		}
		if o := srv.BlockParent(); o != outer || module == "" {
			outer, module = o, ix.Module(srv)
		}
		if module != "http" {
			continue
		}
		addrs = serverAddrs(srv, addrs[:0])
		for i, a := range sn.EachArg() {
			name := strings.ToLower(a.Value)
			if name == "" || strings.HasPrefix(name, "~") || strings.Contains(name, "$") {
				continue
			}
			for _, addr := range addrs {
				names := first[addr]
				if names == nil {
					names = map[string]syntax.Directive{}
					first[addr] = names
				}
				f, seen := names[name]
				if !seen {
					names[name] = sn
					continue
				}
				arg := sn.ArgAt(i)
				d := lint.Diagnostic{File: sn.File(), Start: int(arg.Start), End: int(arg.End),
					Message: fmt.Sprintf("conflicting server name %q on %s: it is already given, so nginx ignores it here", a.Value, addr)}
				d.Related = []lint.Related{lint.RelatedTo(f, "the name is first given here")}
				p.Report(d)
			}
		}
	}
}

// serverAddrs appends to addrs the addresses and ports a server of http
// listens on, as nginx prints them; port 80 when it has no listen
// directive.
func serverAddrs(srv syntax.Directive, addrs []string) []string {
	n := len(addrs)
	for d := range srv.EachChild() {
		if d.Name() == "listen" && d.NArgs() > 0 {
			if a := listenKey(d.Arg(0)); a != "" {
				addrs = append(addrs, a)
			}
		}
	}
	if len(addrs) == n {
		addrs = append(addrs, "0.0.0.0:80")
	}
	return addrs
}
