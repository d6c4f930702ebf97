package rules

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/manifest"
)

// AppDrift reports apps whose own configuration binds somewhere else
// than the manifest says their backend listens.
var AppDrift = &lint.Rule{
	ID:    "app-drift",
	Title: "an app's own configuration binds somewhere other than the manifest says",
	Doc: `A backend of the manifest may name the app configuration that binds it:
app = "deploy/gunicorn.conf.py" (relative to the manifest), or
"FILE#NAME" for a file that holds several apps (a PHP-FPM pool, a
systemd unit, a compose service). nginxlint then reads that file (see the
README's list of formats) and checks that the app binds every address the
manifest says the backend listens on. When it does not, nginx, which the
other rules check against the manifest, dials an address where nothing
listens: every request fails with 502 Bad Gateway ("connect() failed
(111: Connection refused)", or "(2: No such file or directory)" for a
socket). This is the usual 502 after a deploy: the app moved, nginx and
the manifest did not.

Addresses are compared as the kernel accepts connections, as the manifest
compares them: an app bound to 0.0.0.0:P serves 127.0.0.1:P, one bound to
[::]:P serves both families, 127.0.0.1:P and [::1]:P are different
sockets, and an app bound to 127.0.0.1 serves no other host: a manifest
address with a host name (app:8000, another container) needs the app on
0.0.0.0 or [::]. The app may bind more addresses than the manifest lists.

The finding is in the app's file, at the bind, with the manifest's listen
value as the related place. Which side is right is yours to decide; when
it is certain what the manifest should say (the app binds one address,
the backend lists one), the fix writes the app's address into the
manifest, and backend-drift then shows every nginx line that still dials
the old one. A bind nginxlint cannot read (computed in Python, taken from
the environment) is reported by app-unreadable, never passed in silence.

The protocol is compared too, where the app's format says it: uWSGI's
socket = (and uwsgi-socket =) speaks the uwsgi protocol, http-socket =
HTTP; a PHP-FPM pool speaks FastCGI; gunicorn and puma HTTP (HTTPS with
a certificate). A backend whose manifest protocol (http when it sets
none) is another gets what it cannot read: proxy_pass to uWSGI's
socket = fails every request with 502 ("upstream prematurely closed
connection"). The finding is at the bind, with the manifest's protocol
as the related place. A systemd socket or a compose port does not say
its protocol, and a backend of protocol tcp (nginx's stream module) is
passed through as bytes: those are not compared.

A backend linked to a Docker Compose service (app = "compose.yaml#api")
is checked here when nginx runs on the host: no [nginx] compose, no
service of the project mounts the tree, or nginx's service has
network_mode: host. nginx then reaches the service only at a port it
publishes, so the manifest's address is compared with the service's
ports:, not with its port inside the container: "127.0.0.1:10633:8536"
is the host's 127.0.0.1:10633, taken from the host itself only; "8080:80"
(no host IP) is every interface of both families; a range publishes each
of its ports; a /udp port carries no HTTP, and "8000" alone publishes on
a port Docker picks. A service that publishes nothing the manifest's
address reaches is reported at its ports: entry (or at the service when
it publishes none); a port written with a variable the project's .env
does not set is app-unreadable's. When nginx runs in a service of the
project, container-loopback and container-port check the services
instead.`,
	Bad: `-- nginx.conf --
server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
-- app/gunicorn.conf.py --
# The deploy moved the app to 8001: nginx and the manifest still say 8000.
bind = "127.0.0.1:8001"
workers = 4
`,
	Good: `-- nginx.conf --
server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
-- app/gunicorn.conf.py --
bind = "127.0.0.1:8000"
workers = 4
`,
	Manifest: `[backends.api]
listen = "127.0.0.1:8000"
app = "app/gunicorn.conf.py"
`,
	Severity:      lint.Error,
	NeedsManifest: true,
	Fixable:       true,
	Run:           runAppDrift,
}

func runAppDrift(p *lint.Pass) {
	set := model.Of(p).Apps()
	for _, b := range p.Manifest.Backends {
		a := set.Backend(b)
		if a == nil || len(b.Listen) == 0 {
			continue
		}
		if a.Kind == apps.Compose {
			l, ok := composeLinkOf(p, set, a)
			switch {
			case !ok || !l.fromHost:
				continue // nginx in the project: the container rules check it
			case l.hostReachable():
				checkComposeFromHost(p, set, b, l)
				continue
			}
			// network_mode: host: the service listens on the host's
			// interfaces, at the ports it binds.
		}
		var binds []apps.Bind
		unreadable := false
		for _, bd := range a.Binds {
			if bd.Unreadable != "" {
				unreadable = true // app-unreadable reports it
				continue
			}
			binds = append(binds, bd)
		}
		checkProtocols(p, b, a, binds)
		if unreadable || len(binds) == 0 {
			continue
		}
		var uncovered []manifest.Addr
		for _, l := range b.Listen {
			if !anyCovers(binds, l) {
				uncovered = append(uncovered, l)
			}
		}
		if len(uncovered) == 0 {
			continue
		}
		var stray []apps.Bind
		for _, bd := range binds {
			if !coversAny(bd.Addr, b.Listen) {
				stray = append(stray, bd)
			}
		}
		if len(stray) == 0 {
			// Every bind serves some address of the backend, but not all.
			bd := binds[0]
			reportAppDrift(p, set, b, a, bd, uncovered, fmt.Sprintf("%s binds only %s, but the manifest says backend %s also listens on %s: what nginx sends there fails with 502 (%s)",
				appLabel(a), bindList(binds), b.Name, addrList(uncovered), refusal(uncovered[0])), false)
			continue
		}
		// The manifest's address is certain to be the app's when there is
		// one of each, both on this host or both elsewhere: an app on
		// loopback where the manifest names another host (a container)
		// must bind elsewhere, not the manifest follow it.
		certain := len(a.Binds) == 1 && len(b.Listen) == 1 && manifest.IsLocal(binds[0].Addr) == manifest.IsLocal(b.Listen[0])
		for _, bd := range stray {
			binds := fmt.Sprintf("binds %s", bd.Addr)
			if bd.Span.IsZero() {
				binds = fmt.Sprintf("binds %s, its default (its configuration sets no bind)", bd.Addr)
			}
			reportAppDrift(p, set, b, a, bd, uncovered, fmt.Sprintf("%s %s, but the manifest says backend %s listens on %s%s: what nginx sends there fails with 502 (%s)",
				appLabel(a), binds, b.Name, addrList(uncovered), whyNot(bd.Addr, uncovered), refusal(uncovered[0])), certain)
		}
	}
}

// reportAppDrift reports bind bd of app a, linked to backend b, which
// does not serve the manifest addresses uncovered; fix offers to write
// the bind's address in the manifest.
func reportAppDrift(p *lint.Pass, set *read.Set, b *manifest.Backend, a *apps.App, bd apps.Bind, uncovered []manifest.Addr, msg string, fix bool) {
	span := bd.Span
	if span.IsZero() {
		span = apps.Span{File: a.File} // a default bind: the top of the file
	}
	d := lint.Diagnostic{File: span.File, Start: span.Start, End: span.End, Message: msg}
	for _, l := range uncovered {
		if r, ok := p.ManifestRelated(l.Pos, fmt.Sprintf("the manifest says backend %s listens on %s", b.Name, l)); ok {
			d.Related = append(d.Related, r)
		}
	}
	if fix {
		d.Fixes = manifestListenFix(set, b, uncovered[0], bd.Addr.String())
	}
	p.Report(d)
}

// manifestListenFix returns a fix that writes addr in place of the
// manifest's listen address l of backend b, or nil when the value cannot
// be located exactly (escapes) or the manifest's text is not at hand.
func manifestListenFix(set *read.Set, b *manifest.Backend, l manifest.Addr, addr string) []lint.Fix {
	f := set.Manifest
	if f == nil || !l.Pos.IsValid() || l.Raw == "" {
		return nil
	}
	start, end := read.ValueSpan(f, l.Pos)
	text := f.Src[start:end]
	if text != `"`+l.Raw+`"` && text != `'`+l.Raw+`'` {
		return nil
	}
	return []lint.Fix{{
		Message: fmt.Sprintf("write %s as backend %s's listen address in the manifest", addr, b.Name),
		Edits:   []lint.TextEdit{{File: f, Start: start, End: end, NewText: manifest.QuoteTOML(addr)}},
	}}
}

// anyCovers reports whether binds together serve l: localhost needs
// both loopback addresses, which two binds may share.
func anyCovers(binds []apps.Bind, l manifest.Addr) bool {
	accepts := func(t manifest.Addr) bool {
		for _, bd := range binds {
			if bd.Addr.Accepts(t) {
				return true
			}
		}
		return false
	}
	if !l.Unix && !l.IP.IsValid() && strings.EqualFold(l.Host, "localhost") && l.Port != 0 {
		for _, bd := range binds {
			if !bd.Addr.Unix && bd.Addr.Port == l.Port && strings.EqualFold(bd.Addr.Host, "localhost") {
				return true
			}
		}
		return accepts(loopbackAt(loopback4, l.Port)) && accepts(loopbackAt(netip.IPv6Loopback(), l.Port))
	}
	for _, bd := range binds {
		if covers(bd.Addr, l) {
			return true
		}
	}
	return false
}

// coversAny reports whether bind serves one of listen, or a part of it
// (one loopback address of localhost).
func coversAny(bind manifest.Addr, listen []manifest.Addr) bool {
	for _, l := range listen {
		if covers(bind, l) || bind.Accepts(l) && strings.EqualFold(l.Host, "localhost") {
			return true
		}
	}
	return false
}

var loopback4 = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// covers reports whether an app bound to bind accepts every connection
// that the manifest's listen address l says the backend accepts:
// 0.0.0.0:P needs the app on 0.0.0.0:P or [::]:P, [::]:P on [::]:P; an
// address accepts what the kernel sends it (a wildcard of its family
// takes it); localhost needs both loopback addresses; a host name (another
// host or container) needs the app on a wildcard or on a name or address
// that is not loopback.
func covers(bind, l manifest.Addr) bool {
	if bind.Unix || l.Unix {
		return bind.Accepts(l)
	}
	if bind.Port == 0 || bind.Port != l.Port {
		return false
	}
	switch {
	case l.IP.IsValid() && l.IP.IsUnspecified():
		if l.IP.Is4() {
			return bind.IP.IsValid() && bind.IP.IsUnspecified()
		}
		return bind.IP == netip.IPv6Unspecified()
	case l.IP.IsValid():
		return bind.Accepts(l)
	case strings.EqualFold(l.Host, "localhost"):
		if strings.EqualFold(bind.Host, "localhost") {
			return true
		}
		return bind.Accepts(loopbackAt(loopback4, l.Port)) && bind.Accepts(loopbackAt(netip.IPv6Loopback(), l.Port))
	}
	switch {
	case bind.IP.IsValid():
		return !bind.IP.IsLoopback()
	case strings.EqualFold(bind.Host, "localhost"):
		return false
	}
	return true // two names: nginxlint does not resolve them
}

// loopbackAt returns the address ip:port.
func loopbackAt(ip netip.Addr, port int) manifest.Addr {
	var a manifest.Addr
	a.IP, a.Host, a.Port = ip, ip.String(), port
	return a
}

// whyNot explains, when the ports agree, why bind does not serve the
// addresses of uncovered.
func whyNot(bind manifest.Addr, uncovered []manifest.Addr) string {
	l := uncovered[0]
	if bind.Unix || l.Unix || bind.Port != l.Port {
		return ""
	}
	switch {
	case bind.IP.IsValid() && bind.IP.IsLoopback() && !(l.IP.IsValid() && l.IP.IsLoopback()):
		host := bind.IP.String()
		if bind.IP.Is6() {
			host = "[" + host + "]"
		}
		return fmt.Sprintf(" (%s takes connections from its own host or container only)", host)
	case bind.IP.IsValid() && l.IP.IsValid() && bind.IP.Is4() != l.IP.Is4():
		return fmt.Sprintf(" (%s and %s are different sockets)", bind, l)
	}
	return ""
}

// appLabel names an app in messages.
func appLabel(a *apps.App) string {
	switch a.Kind {
	case apps.Gunicorn:
		return "gunicorn"
	case apps.UWSGI:
		return "uWSGI"
	case apps.PHPFPM:
		if a.Name != "" {
			return "PHP-FPM pool " + a.Name
		}
		return "the PHP-FPM pool"
	case apps.Systemd:
		if a.Name != "" {
			return "systemd unit " + a.Name
		}
		if a.File != nil {
			return "systemd unit " + filepath.Base(a.File.Name)
		}
		return "the systemd unit"
	case apps.Puma:
		return "puma"
	case apps.Dotenv:
		return "the app (its .env)"
	case apps.Command:
		return "the app's command line"
	case apps.Compose:
		return "service " + a.Name
	}
	return "the app"
}

// bindList renders the addresses of binds.
func bindList(binds []apps.Bind) string {
	s := make([]string, len(binds))
	for i, bd := range binds {
		s[i] = bd.Addr.String()
	}
	return strings.Join(s, ", ")
}

// addrList renders manifest addresses.
func addrList(as []manifest.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
