package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/manifest"
)

// BackendDrift reports local targets where no backend of the manifest
// listens.
var BackendDrift = &lint.Rule{
	ID:    "backend-drift",
	Title: "nginx dials a local address or socket where no backend listens",
	Doc: `Every address nginx connects to on this machine (a loopback address,
localhost, 0.0.0.0, or a unix socket) must be one where a backend of the
manifest listens. Otherwise each request fails with 502 Bad Gateway:
"connect() failed (111: Connection refused)" for a port, "(2: No such file
or directory)" for a socket.

Targets are the address of proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass,
grpc_pass and memcached_pass (http and stream) and every server line of an
upstream block; a pass directive that names an upstream block is checked at
that block's server lines. Addresses are compared the way the kernel
connects them: a backend listening on 0.0.0.0:P accepts 127.0.0.1:P, one on
[::]:P accepts [::1]:P and (dual stack) 127.0.0.1:P, but 127.0.0.1:P and
[::1]:P are different sockets. Default ports (80 for http://, 443 for
https://) are filled in, /var/run/x is /run/x, and socket paths are
cleaned as the kernel reads them: unix:///run/app.sock (in the tree or in
the manifest) is unix:/run/app.sock. Values with variables are decided per
request and are not checked; a server line of an upstream block that such
a value names is checked all the same.

The finding names what nginx will dial and the nearest backend as the
likely fix ("did you mean ..."). A fix-it (--fix, --diff) rewrites the
address only where the manifest says which backend is meant: a server
line of an upstream block that exactly one backend is bound to (its
upstream key) is pointed at that backend. Anywhere else (a proxy_pass or
fastcgi_pass with an address, an upstream no backend is bound to) the
nearest backend is a guess, and the nearest port may well be another
service's (an admin console's): the finding then only suggests it. To
get the fix-it, proxy through an upstream block and bind it to its
backend in the manifest.`,
	Bad: `server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
`,
	Good: `server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://127.0.0.1:8001;
    }
}
`,
	Manifest: `[backends.api]
listen = "127.0.0.1:8001"
`,
	Severity:      lint.Error,
	Fixable:       true,
	NeedsManifest: true,
	Run:           runBackendDrift,
}

func runBackendDrift(p *lint.Pass) {
	m := p.Manifest
	near := newNearFinder(m)
	for t := range model.Of(p).Targets() {
		if !checkable(t) || !manifest.IsLocal(t.Parsed().Addr) {
			continue
		}
		r := m.Resolve(t.Parsed().Addr)
		if r.Kind != manifest.NoMatch {
			continue
		}
		a := t.Parsed().Addr
		fails := "requests fail with 502"
		if t.Module() == "stream" {
			fails = "nginx closes each client connection"
		}
		msg := fmt.Sprintf("%s, where no backend of the manifest listens: %s (%s)", dialed(t), fails, refusal(a))
		if t.Parsed().PortDefaulted {
			msg += fmt.Sprintf(" (port %d is the default for %s)", a.Port, defaultPortFor(t))
		}
		d := lint.Diagnostic{File: t.Directive.File(), Start: int(t.Arg().Start), End: int(t.Arg().End)}
		b, l, ok := near.nearestFor(t)
		if ok {
			s := suggestion(a, l)
			msg += fmt.Sprintf("; did you mean %s (backend %s)?", s, b.Name)
			d.Related = backendRelated(p, b)
			if b == boundBackend(p, t) {
				d.Fixes = replaceAddr(t, s)
			}
		}
		d.Message = msg
		p.Report(d)
	}
}

// nearFinder finds the likely intended backend of drifted targets. It
// prefers the backends bound to the target's upstream block, then those
// that speak the directive's protocol, then any. Each group is a manifest
// of its own, made once a run, so that Nearest can index it.
type nearFinder struct {
	m          *manifest.Manifest
	byUpstream map[string]*manifest.Manifest
	byProtocol map[manifest.Protocol]*manifest.Manifest
}

func newNearFinder(m *manifest.Manifest) *nearFinder {
	return &nearFinder{m: m, byUpstream: map[string]*manifest.Manifest{}, byProtocol: map[manifest.Protocol]*manifest.Manifest{}}
}

func (f *nearFinder) nearestFor(t *model.Target) (*manifest.Backend, manifest.Addr, bool) {
	var preferred []*manifest.Manifest
	if t.IsServer() {
		name := t.In().Arg(0)
		sub, ok := f.byUpstream[name]
		if !ok {
			sub = &manifest.Manifest{Backends: f.m.ByUpstream(name)}
			f.byUpstream[name] = sub
		}
		preferred = append(preferred, sub)
	}
	if proto := t.Parsed().Protocol; proto != "" {
		sub, ok := f.byProtocol[proto]
		if !ok {
			var same []*manifest.Backend
			for _, b := range f.m.Backends {
				if b.Protocol == proto {
					same = append(same, b)
				}
			}
			sub = &manifest.Manifest{Backends: same}
			f.byProtocol[proto] = sub
		}
		preferred = append(preferred, sub)
	}
	for _, sub := range preferred {
		if len(sub.Backends) == 0 {
			continue
		}
		if b, l, ok := sub.Nearest(t.Parsed().Addr); ok {
			return b, l, true
		}
	}
	return f.m.Nearest(t.Parsed().Addr)
}

// boundBackend returns the backend the manifest binds to the upstream
// block of t, a server line: the one backend whose upstream key names
// that block. It returns nil for any other target, and when no backend,
// or more than one, is bound to the block: the manifest then does not say
// which backend the line is meant to reach.
func boundBackend(p *lint.Pass, t *model.Target) *manifest.Backend {
	if !t.IsServer() {
		return nil
	}
	up := t.In()
	var bound *manifest.Backend
	for _, b := range p.Manifest.ByUpstream(up.Arg(0)) {
		if boundUpstream(p, b) != up {
			continue
		}
		if bound != nil {
			return nil
		}
		bound = b
	}
	return bound
}

func refusal(a manifest.Addr) string {
	if a.Unix {
		return `"connect() to ` + a.Raw + ` failed (2: No such file or directory)"` // the path as written, as nginx logs it
	}
	return `"connect() failed (111: Connection refused)"`
}

func defaultPortFor(t *model.Target) string {
	if t.Parsed().Scheme != "" {
		return t.Parsed().Scheme + "://"
	}
	return t.Directive.Name()
}
