package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// AddressInvalid reports listen directives and upstream server lines
// nginx cannot read: a port out of range, an unknown parameter.
var AddressInvalid = &lint.Rule{
	ID:    "address-invalid",
	Title: "a listen or upstream server line with a bad port or an unknown parameter",
	Doc: `nginx reads the address of "listen" and of an upstream "server" line
when it starts: a port must be a number from 1 to 65535 ("invalid port"),
and every word after the address must be a parameter nginx has
("invalid parameter"): ssl, default_server, backlog=N ... for listen;
weight=N, max_fails=N, backup, down ... for a server line. A parameter
the target nginx version does not have yet is directive-version's
finding.`,
	Bad: `server {
    listen 127.0.0.1:80800;
    listen 127.0.0.1:8443 sll;
}
`,
	Good: `server {
    listen 127.0.0.1:8080;
    listen 127.0.0.1:8443 ssl;
}
`,
	Severity: lint.Error,
	Run:      runAddressInvalid,
}

func runAddressInvalid(p *lint.Pass) {
	eachParamLine(model.Of(p), func(d syntax.Directive, module string) { checkAddress(p, d, module) })
}

// checkAddress checks the address and the parameters of a listen
// directive or an upstream server line of module.
func checkAddress(p *lint.Pass, d syntax.Directive, module string) {
	if d.NArgs() == 0 {
		return
	}
	name := d.Name()
	addr := d.ArgAt(0)
	if strings.Contains(addr.Value, "$") {
		return
	}
	if msg := portProblem(name, addr.Value); msg != "" {
		p.Report(lint.Diagnostic{File: d.File(), Start: int(addr.Start), End: int(addr.End), Message: msg})
	}
	params := nginx.Params(name, module)
	if len(params) == 0 || d.NArgs() < 2 {
		return // a module whose parameters the table does not know
	}
	for i, a := range d.EachArg() {
		if i == 0 {
			continue
		}
		pname, _, hasValue := strings.Cut(a.Value, "=")
		known := false
		for _, prm := range params {
			if prm.Name == pname && prm.Value == hasValue {
				known = true
				break
			}
		}
		if !known {
			p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End),
				Message: fmt.Sprintf("invalid parameter %q: %s%s", a.Value, paramsOf(d), paramHint(pname, params))})
		}
	}
}

// paramHint suggests the parameter closest to name.
func paramHint(name string, params []*nginx.Param) string {
	names := make([]string, len(params))
	for i, prm := range params {
		names[i] = prm.Name
	}
	if s := model.Closest(name, names); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// portProblem says what is wrong with the port of a listen or server
// address, as nginx reads it (nginx.ParseListen); "" when nothing is.
func portProblem(directive, addr string) string {
	a, ok := nginx.ParseListen(addr, directive == "listen")
	if !ok || a.PortOK {
		return ""
	}
	if directive == "listen" {
		return fmt.Sprintf(`invalid port in %q of the "listen" directive: a port is a number from 1 to 65535`, addr)
	}
	return fmt.Sprintf(`invalid port in upstream %q: a port is a number from 1 to 65535`, addr)
}

// paramsOf says whose parameters are checked, for a message.
func paramsOf(d syntax.Directive) string {
	if d.Name() == "listen" {
		return "listen has no such parameter"
	}
	return "an upstream server line has no such parameter"
}
