package rules

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/compose"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/manifest"
)

// ContainerLoopback reports nginx, run in a compose service, dialling
// loopback for a port another service listens on.
var ContainerLoopback = &lint.Rule{
	ID:    "container-loopback",
	Title: "nginx in a container dials 127.0.0.1 for another compose service",
	Doc: `When nginx runs in a Docker Compose service, 127.0.0.1, localhost and ::1
are the nginx container itself, not the host and not the other services:
each runs in a container of its own, with its own loopback. A proxy_pass
(or fastcgi_pass, upstream server ...) to 127.0.0.1:8000 that works when
nginx and the app run on one machine fails once both are in compose:
every request gets 502 Bad Gateway ("connect() failed (111: Connection
refused)"). Another container is reached by its service name, on the port
it listens on inside its container: http://api:8000.

nginx's service is the one the manifest names ([nginx] compose =
"compose.yaml#nginx"), else the service that mounts the tree: a bind
mount of the tree's directory, of a file or directory of it, or of a
directory above it mounted so that the tree is at the prefix (./nginx:
/etc/nginx, ./nginx/conf.d:/etc/nginx/conf.d); else the one built from
the tree's directory. The compose files are those beside the tree and
above it, read as Docker Compose reads them (interpolation with the .env
beside them, extends, include, every profile), in a run with a manifest
(an empty backends.toml is enough): the rule needs one, as the other
rules about the apps do.

A loopback target is reported when another service listens on its port
inside its container (ports: targets, expose:, the --bind of its
command), or publishes it on the host (then its container port is
suggested). nginx dialling a port it listens on itself is not reported,
nor nginx's service with network_mode: host (its loopback is the host's)
or network_mode: service:X or container:X (it shares that container's
loopback). The fix-it rewrites the address to SERVICE:PORT when one
service is meant and nginx's service shares a network with it.`,
	Bad: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        location / {
            proxy_pass http://127.0.0.1:8000;
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
    command: gunicorn -b 0.0.0.0:8000 app:app
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
    command: gunicorn -b 0.0.0.0:8000 app:app
`,
	Manifest: `[nginx]
compose = "compose.yaml#web"
`,
	Severity:      lint.Error,
	NeedsManifest: true,
	Fixable:       true,
	Run:           runContainerLoopback,
}

func runContainerLoopback(p *lint.Pass) {
	ix := model.Of(p)
	for _, cn := range nginxServices(p) {
		switch mode := cn.service.NetworkMode; {
		case mode == "host" || mode == "none", strings.HasPrefix(mode, "service:"), strings.HasPrefix(mode, "container:"):
			continue // its loopback is the host's, none, or another container's
		}
		own := ownListenPorts(ix)
		for t := range ix.Targets() {
			if !composeCheckable(t) {
				continue
			}
			a := t.Parsed().Addr
			if !isLoopback(a) || own[a.Port] || cn.service.ListensOn(a.Port) {
				continue
			}
			reportLoopback(p, cn, t)
		}
	}
}

// listener is a service that listens on a port, and where that is
// written.
type listener struct {
	svc       *compose.Service
	port      int // the port inside its container
	at        apps.Span
	published bool // reached through the port it publishes
}

func reportLoopback(p *lint.Pass, cn composeNginx, t *model.Target) {
	a := t.Parsed().Addr
	var found []listener
	for _, s := range cn.project.Services {
		if s == cn.service {
			continue
		}
		if at, ok := listenSpan(s, a.Port); ok {
			found = append(found, listener{svc: s, port: a.Port, at: at})
		}
	}
	if len(found) == 0 {
		// A port published on the host: the container port behind it.
		for _, s := range cn.project.Services {
			if s == cn.service {
				continue
			}
			for _, port := range s.Ports {
				if port.Proto == "tcp" && port.Publishes(a.Port) && port.Target > 0 {
					found = append(found, listener{svc: s, port: port.Target, at: port.Span, published: true})
					break
				}
			}
		}
	}
	if len(found) == 0 {
		return
	}
	fails := "requests fail with 502"
	if t.Module() == "stream" {
		fails = "nginx closes each client connection"
	}
	msg := fmt.Sprintf("%s, but nginx runs in compose service %q, where %s is that container itself: nothing listens there, and %s (%s)", dialed(t), cn.service.Name, a.Host, fails, refusal(a))
	d := lint.Diagnostic{File: t.Directive.File(), Start: int(t.Arg().Start), End: int(t.Arg().End)}
	addRelated(&d, cn.service.Span, fmt.Sprintf("nginx runs in service %s", cn.service.Name))
	if len(found) == 1 {
		l := found[0]
		with := hostPort(l.svc.Name, l.port)
		if l.published {
			msg += fmt.Sprintf("; service %q publishes %d on the host, from its container port %d: dial %s", l.svc.Name, a.Port, l.port, withScheme(t, with))
			addRelated(&d, l.at, fmt.Sprintf("service %s publishes %d here", l.svc.Name, a.Port))
		} else {
			msg += fmt.Sprintf("; service %q listens on %d: dial %s", l.svc.Name, l.port, withScheme(t, with))
			addRelated(&d, l.at, fmt.Sprintf("service %s listens on %d here", l.svc.Name, l.port))
		}
		if sharesNetwork(cn.project, cn.service, l.svc) {
			d.Fixes = replaceAddr(t, with)
		} else {
			msg += fmt.Sprintf(", once the two services share a network (%q is on no network %q is on)", l.svc.Name, cn.service.Name)
		}
	} else {
		var names []string
		for _, l := range found {
			names = append(names, strconv.Quote(l.svc.Name))
			addRelated(&d, l.at, fmt.Sprintf("service %s listens on %d here", l.svc.Name, l.port))
		}
		msg += fmt.Sprintf("; services %s listen on %d: dial the one meant by its name, %s", strings.Join(names, ", "), a.Port, withScheme(t, hostPort("SERVICE", found[0].port)))
	}
	d.Message = msg
	p.Report(d)
}

// composeNginx is the compose service nginx runs in, with its project.
type composeNginx struct {
	project *compose.Project
	service *compose.Service
}

// nginxServices returns, for each compose project of the run, the
// service nginx runs in: the one the manifest's [nginx] compose names,
// else the one that runs the tree (compose.Project.NginxOf: it mounts
// the tree, or is built from its directory). A project where several
// services qualify and their images do not tell which runs nginx has
// none: nothing is guessed.
func nginxServices(p *lint.Pass) []composeNginx {
	set := model.Of(p).Apps()
	if set == nil || len(set.Projects) == 0 {
		return nil
	}
	if m := p.Manifest; m != nil && m.Compose != "" {
		file, name := manifest.SplitLink(m.Compose)
		want := filepath.Join(filepath.Dir(m.Path), filepath.FromSlash(file))
		for _, proj := range set.Projects {
			if proj.File != nil && filepath.Clean(proj.File.Name) == want || proj.Path == want {
				if s := proj.Service(name); s != nil {
					return []composeNginx{{proj, s}}
				}
			}
		}
		return nil // the manifest names one that is not there: read reports it
	}
	var out []composeNginx
	for _, proj := range set.Projects {
		if s := proj.NginxOf(p.Tree.Root, p.Tree.Prefix); s != nil {
			out = append(out, composeNginx{proj, s})
		}
	}
	return out
}

// composeCheckable reports whether t is a literal TCP address nginx
// dials as written: not built from variables, not an upstream block's
// name, not a socket, not a server marked down.
func composeCheckable(t *model.Target) bool {
	a := &t.Parsed().Addr
	return t.Err() == nil && !t.Parsed().HasVars && t.Upstream().IsZero() && !a.Unix && a.Port != 0 && !t.IsDown()
}

// isLoopback reports whether a is this machine's loopback: 127.0.0.0/8,
// ::1 or localhost.
func isLoopback(a manifest.Addr) bool {
	if a.IP.IsValid() {
		return a.IP.Unmap().IsLoopback()
	}
	return strings.EqualFold(a.Host, "localhost")
}

// ownListenPorts returns the ports nginx itself listens on (listen
// directives): nginx dialling one of them on loopback reaches itself.
func ownListenPorts(ix *model.Index) map[int]bool {
	ports := map[int]bool{}
	for d := range ix.ByName("listen") {
		if d.NArgs() == 0 {
			continue
		}
		la, ok := nginx.ParseListen(d.Arg(0), true)
		if !ok {
			continue
		}
		n := 80
		if la.Port != "" {
			var err error
			if n, err = strconv.Atoi(la.Port); err != nil {
				continue
			}
		}
		ports[n] = true
	}
	return ports
}

// listenSpan returns where the compose file says s listens on port
// inside its container: its command's bind, a port's target, an exposed
// port.
func listenSpan(s *compose.Service, port int) (apps.Span, bool) {
	for _, b := range s.CommandBinds {
		if b.Unreadable == "" && !b.Addr.Unix && b.Addr.Port == port {
			return b.Span, true
		}
	}
	for _, p := range s.ContainerPorts() {
		if p.Target == port {
			return p.Span, true
		}
	}
	return apps.Span{}, false
}

// sharesNetwork reports whether nginx's service reaches s by name: both
// are on one network (nginx's service through the service whose network
// it shares, when network_mode: service:X).
func sharesNetwork(proj *compose.Project, nginxSvc, s *compose.Service) bool {
	mine, _ := serviceNetworks(proj, nginxSvc)
	theirs, mode := serviceNetworks(proj, s)
	if mode != "" {
		return false
	}
	for _, n := range mine {
		if slices.Contains(theirs, n) {
			return true
		}
	}
	return false
}

// serviceNetworks returns the networks a service is on, and its network
// mode when that is not one of networks: "host", "none", "container".
// A service with network_mode: service:X is on X's networks.
func serviceNetworks(proj *compose.Project, s *compose.Service) ([]string, string) {
	mode := s.NetworkMode
	switch {
	case mode == "" || mode == "bridge" || mode == "default":
		return s.Networks, ""
	case strings.HasPrefix(mode, "service:"):
		x := proj.Service(strings.TrimPrefix(mode, "service:"))
		if x == nil || x == s || x.NetworkMode != "" {
			return nil, "container"
		}
		return x.Networks, ""
	case strings.HasPrefix(mode, "container:"):
		return nil, "container"
	}
	return nil, mode
}

// hostPort writes host:port.
func hostPort(host string, port int) string { return host + ":" + strconv.Itoa(port) }

// withScheme writes an address as t would: with its scheme when it has
// one.
func withScheme(t *model.Target, addr string) string {
	if s := t.Parsed().Scheme; s != "" {
		return s + "://" + addr
	}
	return addr
}

// addRelated adds a place in an app configuration to d's related
// places, when it is known.
func addRelated(d *lint.Diagnostic, s apps.Span, msg string) {
	if !s.IsZero() {
		d.Related = append(d.Related, lint.Related{File: s.File, Start: s.Start, End: s.End, Message: msg})
	}
}
