package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
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
backend in the manifest.

The address must be certain too. It is when the bound backend listens
on one address, or on several that come to the same one to dial
(0.0.0.0:P and [::]:P, for 127.0.0.1), or, by elimination, when every
other server line of the block dials one of the backend's addresses and
exactly one of them is left. Otherwise (a backend on two ports, two
hosts, or a socket and a port, that the other lines do not settle) the
hint names all its addresses ("did you mean 127.0.0.1:8001 or
127.0.0.1:8002"), and no fix-it is offered: which one the line is meant
to reach is not certain, and pointing each line at the closest port
would turn two servers into one written twice.`,
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
	uses := blockUses{ix: model.Of(p)}
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
			if b == boundBackend(p, t) {
				// The manifest says which backend the line is meant to
				// reach, not which of its addresses: the fix-it writes
				// one only when it is certain. Otherwise every address
				// is named, and none is written: the closest port is a
				// guess, and two lines pointed at it would become one
				// server written twice.
				if with, ok := uses.certainAddr(t, b); ok {
					s = with
					d.Fixes = replaceAddr(t, with)
				} else {
					s = addrChoice(dialAddrs(a, b))
				}
			}
			msg += fmt.Sprintf("; did you mean %s (backend %s)?", s, b.Name)
			d.Related = backendRelated(p, b)
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

// dialAddrs returns what target would be written as to reach each
// listen address of backend b (see suggestion), each once, in the order
// the manifest writes them.
func dialAddrs(target manifest.Addr, b *manifest.Backend) []string {
	out := make([]string, 0, len(b.Listen))
	seen := make(map[string]bool, len(b.Listen))
	for _, l := range b.Listen {
		if s := suggestion(target, l); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// addrChoice writes the addresses a hint offers: "a", "a or b", "a, b or
// c", and for a long list its first few and how many more.
func addrChoice(addrs []string) string {
	const shown = 4
	if len(addrs) <= shown {
		return orWords(addrs)
	}
	return fmt.Sprintf("%s or one of %d more", strings.Join(addrs[:shown-1], ", "), len(addrs)-shown+1)
}

// maxEliminated is the most listen addresses a backend may have for
// blockUses to tell which of them the lines of an upstream block dial.
const maxEliminated = 16

// blockUses tells which address a drifted server line of an upstream
// block bound to a backend is certain to be meant for. It remembers, by
// block, which listen addresses of the backend the block's lines dial.
type blockUses struct {
	ix     *model.Index
	blocks map[syntax.Directive]*blockUse
}

// blockUse is what the server lines of one upstream block dial of the
// backend bound to it.
type blockUse struct {
	// outside counts the lines that dial no address of the backend, or
	// more than one, or cannot be read as one address.
	outside int
	// taken tells, by listen address of the backend, whether a line
	// dials it.
	taken []bool
}

// certainAddr returns the address t, a drifted server line of an
// upstream block bound to backend b, is certain to be meant for:
//   - the one address that reaches b from t's host (see dialAddrs): b
//     listens on one address, or on several that come to one, as
//     0.0.0.0:P and [::]:P do for 127.0.0.1:P;
//   - else, by elimination, the one address of b that no line of the
//     block dials, when t is the block's only line that dials none of
//     b's addresses and every other line dials exactly one of them.
//
// ok is false when the choice is open: which address is meant is then
// not certain, however close one of them is.
func (u *blockUses) certainAddr(t *model.Target, b *manifest.Backend) (string, bool) {
	a := t.Parsed().Addr
	with := dialAddrs(a, b)
	if len(with) == 1 {
		return with[0], true
	}
	if len(with) != len(b.Listen) || len(b.Listen) > maxEliminated {
		return "", false // two addresses dialled the same way, or too many to tell
	}
	use := u.of(t.In(), b)
	if use.outside != 1 {
		return "", false // other lines of the block are to be fixed too
	}
	free := ""
	for i, l := range b.Listen {
		if !use.taken[i] {
			if free != "" {
				return "", false
			}
			free = suggestion(a, l)
		}
	}
	return free, free != ""
}

// of returns what the server lines of block up dial of backend b.
func (u *blockUses) of(up syntax.Directive, b *manifest.Backend) *blockUse {
	if use, ok := u.blocks[up]; ok {
		return use
	}
	use := &blockUse{taken: make([]bool, len(b.Listen))}
	for _, o := range u.ix.UpstreamServers(up) {
		oa := o.Parsed().Addr
		if o.Err() != nil || o.Parsed().HasVars || (!oa.Unix && oa.Port == 0) {
			use.outside++
			continue
		}
		hit := -1
		for i, l := range b.Listen {
			if l.Accepts(oa) {
				if hit >= 0 {
					hit = -2 // two addresses of b accept the line
					break
				}
				hit = i
			}
		}
		if hit < 0 {
			use.outside++
			continue
		}
		use.taken[hit] = true
	}
	if u.blocks == nil {
		u.blocks = map[syntax.Directive]*blockUse{}
	}
	u.blocks[up] = use
	return use
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
