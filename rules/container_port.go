package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/compose"
	"github.com/nginxlint/nginxlint/lint/model"
)

// ContainerPort reports nginx, run in a compose service, dialling another
// service on a port it does not listen on inside its container, or a
// service on no network nginx's service is on.
var ContainerPort = &lint.Rule{
	ID:    "container-port",
	Title: "nginx in a container dials a compose service on a port it does not listen on, or that it cannot reach",
	Doc: `When nginx runs in a Docker Compose service (found as container-loopback
finds it: the manifest's [nginx] compose, else the service that mounts
the tree), it reaches another service by its name (or network alias, or
container_name) on the port that service listens on inside its
container. A service's ports: "8080:8000" publishes container port 8000
on the host's port 8080: from the host, 8080; from another container,
api:8000. proxy_pass http://api:8080 then fails every request with 502
Bad Gateway ("connect() failed (111: Connection refused)").

The ports a service listens on are those its compose file says: its
ports' targets, expose:, and the --bind of its command (gunicorn,
uvicorn, puma); a service that says none is not checked, for its image
decides. A service whose command binds 127.0.0.1 inside its container is
reported too: only that container can connect to it. The finding says
which port the service listens on; the fix-it writes it when it is
certain: the published port maps to one container port, or the service
listens on one port.

A service is reached only over a network both containers are on: a
service on "backnet" only is not resolved from nginx's service on
"frontnet", and nginx fails to start ("host not found in upstream").
Services that name no network are on the project's default network. A
service with network_mode: service:X is on X's networks; one with
network_mode: host or none resolves no service name.`,
	Bad: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        location / {
            proxy_pass http://api:8080;
        }
    }
}
-- compose.yaml --
services:
  web:
    image: nginx:1.27
    ports: ["80:80"]
    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
  api:
    build: ./api
    ports: ["8080:8000"]
`,
	Good: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        location / {
            proxy_pass http://api:8000;
        }
    }
}
-- compose.yaml --
services:
  web:
    image: nginx:1.27
    ports: ["80:80"]
    volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
  api:
    build: ./api
    ports: ["8080:8000"]
`,
	Manifest: `[nginx]
compose = "compose.yaml#web"
`,
	Severity:      lint.Error,
	NeedsManifest: true,
	Fixable:       true,
	Run:           runContainerPort,
}

func runContainerPort(p *lint.Pass) {
	ix := model.Of(p)
	for _, cn := range nginxServices(p) {
		if strings.HasPrefix(cn.service.NetworkMode, "container:") {
			continue // the other container's networks are not in the file
		}
		for t := range ix.Targets() {
			if !composeCheckable(t) || t.Parsed().Addr.IP.IsValid() {
				continue
			}
			s := serviceNamed(cn, t.Parsed().Addr.Host)
			if s == nil || s == cn.service {
				continue
			}
			if !checkNetwork(p, cn, s, t) {
				continue
			}
			checkPort(p, s, t)
		}
	}
}

// serviceNamed returns the service of nginx's project that host names
// in nginx's container: a service name, a network alias, a
// container_name, or a link's alias of nginx's service.
func serviceNamed(cn composeNginx, host string) *compose.Service {
	for alias, name := range cn.service.Links {
		if strings.EqualFold(alias, host) {
			return cn.project.Service(name)
		}
	}
	for _, s := range cn.project.Services {
		if slices.ContainsFunc(s.Names(), func(n string) bool { return strings.EqualFold(n, host) }) {
			return s
		}
	}
	return nil
}

// checkNetwork reports t when nginx's service cannot reach s by name,
// and returns whether it can.
func checkNetwork(p *lint.Pass, cn composeNginx, s *compose.Service, t *model.Target) bool {
	if _, mode := serviceNetworks(cn.project, s); mode != "" {
		return false // host, none, another container's: not checked
	}
	if sharesNetwork(cn.project, cn.service, s) {
		return true
	}
	host := t.Parsed().Addr.Host
	d := lint.Diagnostic{File: t.Directive.File(), Start: int(t.Arg().Start), End: int(t.Arg().End)}
	mine, mode := serviceNetworks(cn.project, cn.service)
	theirs, _ := serviceNetworks(cn.project, s)
	var why, todo string
	if mode != "" {
		why = fmt.Sprintf("nginx's service %q has network_mode: %s, where no service name resolves", cn.service.Name, cn.service.NetworkMode)
		addRelated(&d, cn.service.NetworkModeSpan, fmt.Sprintf("service %s's network mode", cn.service.Name))
		todo = "give nginx's service a network"
		if mode == "host" {
			todo = "on the host's network, nginx reaches a service on the port it publishes on the host"
		}
	} else {
		why = fmt.Sprintf("service %q is on %s and nginx's service %q on %s, which have no network in common", s.Name, networkList(theirs), cn.service.Name, networkList(mine))
		addRelated(&d, networkSpan(cn.project, cn.service), fmt.Sprintf("nginx's service %s is on its networks here", cn.service.Name))
		addRelated(&d, networkSpan(cn.project, s), fmt.Sprintf("service %s is on its networks here", s.Name))
		todo = "put both services on one network"
	}
	fails := "nginx fails to start (\"host not found in upstream\")"
	if resolvesLater(t) {
		fails = "requests fail with 502 (nginx resolves it at run time)"
	}
	d.Message = fmt.Sprintf("%s, but %s: the name %s does not resolve in nginx's container, and %s; %s", dialed(t), why, host, fails, todo)
	p.Report(d)
	return false
}

// networkList writes the names of networks for a message.
func networkList(nets []string) string {
	if len(nets) == 0 {
		return "no network"
	}
	q := make([]string, len(nets))
	for i, n := range nets {
		q[i] = strconv.Quote(n)
	}
	if len(q) == 1 {
		return "network " + q[0]
	}
	return "networks " + strings.Join(q, ", ")
}

// networkSpan is where a service's networks are written: its first
// network, else its key (the default network is written nowhere).
func networkSpan(proj *compose.Project, s *compose.Service) apps.Span {
	if x := proj.Service(strings.TrimPrefix(s.NetworkMode, "service:")); strings.HasPrefix(s.NetworkMode, "service:") && x != nil {
		s = x
	}
	for _, n := range s.Networks {
		if sp, ok := s.NetworkSpan[n]; ok && !sp.IsZero() {
			return sp
		}
	}
	return s.Span
}

// checkPort reports t when s does not listen on its port inside its
// container, as far as its compose file says.
func checkPort(p *lint.Pass, s *compose.Service, t *model.Target) {
	a := t.Parsed().Addr
	d := lint.Diagnostic{File: t.Directive.File(), Start: int(t.Arg().Start), End: int(t.Arg().End)}
	fails := "requests fail with 502"
	if t.Module() == "stream" {
		fails = "nginx closes each client connection"
	}
	defaulted := ""
	if t.Parsed().PortDefaulted {
		defaulted = fmt.Sprintf(" (port %d is the default for %s)", a.Port, defaultPortFor(t))
	}
	if s.ListensOn(a.Port) {
		// On loopback only, inside its container?
		for _, b := range s.CommandBinds {
			if b.Unreadable != "" || b.Addr.Unix || b.Addr.Port != a.Port || !isLoopback(b.Addr) {
				continue
			}
			if slices.ContainsFunc(s.CommandBinds, func(o apps.Bind) bool {
				return o.Unreadable == "" && !o.Addr.Unix && o.Addr.Port == a.Port && !isLoopback(o.Addr)
			}) {
				return
			}
			d.Message = fmt.Sprintf("%s%s, but service %q binds %s inside its container, where only that container can connect: %s (%s); bind 0.0.0.0:%d", dialed(t), defaulted, s.Name, b.Addr, fails, refusal(a), a.Port)
			addRelated(&d, b.Span, fmt.Sprintf("service %s binds %s here", s.Name, b.Addr))
			p.Report(d)
			return
		}
		return
	}
	ports := s.ListenPorts()
	if len(ports) == 0 {
		return // its image decides
	}
	var targets []int
	for _, port := range s.Ports {
		if port.Proto == "tcp" && port.Publishes(a.Port) && port.Target > 0 && !slices.Contains(targets, port.Target) {
			targets = append(targets, port.Target)
			addRelated(&d, port.Span, fmt.Sprintf("service %s publishes %d here, from its container port %d", s.Name, a.Port, port.Target))
		}
	}
	var fix []int
	if len(targets) > 0 {
		d.Message = fmt.Sprintf("%s%s, but service %q listens on %s inside its container: %d is the port it publishes on the host, and containers reach each other on container ports: %s (%s)", dialed(t), defaulted, s.Name, portList(targets), a.Port, fails, refusal(a))
		fix = targets
	} else {
		d.Message = fmt.Sprintf("%s%s, but service %q listens on %s inside its container, as its compose file says: %s (%s)", dialed(t), defaulted, s.Name, portList(ports), fails, refusal(a))
		for _, port := range ports {
			if at, ok := listenSpan(s, port); ok {
				addRelated(&d, at, fmt.Sprintf("service %s listens on %d here", s.Name, port))
			}
		}
		fix = ports
	}
	if len(fix) == 1 {
		with := hostPort(writtenHost(a.Raw, t.Parsed().PortDefaulted), fix[0])
		d.Message += fmt.Sprintf("; dial %s", withScheme(t, with))
		d.Fixes = replaceAddr(t, with)
	} else {
		d.Message += "; dial the one meant"
	}
	p.Report(d)
}

// portList writes ports for a message: "8000", "8000 and 8001".
func portList(ports []int) string {
	q := make([]string, len(ports))
	for i, p := range ports {
		q[i] = strconv.Itoa(p)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// writtenHost is the host of an address as written: raw without its
// port.
func writtenHost(raw string, portDefaulted bool) string {
	if portDefaulted {
		return raw
	}
	if i := strings.LastIndexByte(raw, ':'); i >= 0 {
		return raw[:i]
	}
	return raw
}

// resolvesLater reports whether nginx resolves t's name per request or
// in the background, not when it starts: an upstream server line with
// the resolve parameter.
func resolvesLater(t *model.Target) bool {
	if !t.IsServer() {
		return false
	}
	for i := 1; i < t.Directive.NArgs(); i++ {
		if t.Directive.Arg(i) == "resolve" {
			return true
		}
	}
	return false
}
