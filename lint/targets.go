package lint

import (
	"strings"
	"sync"

	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// PassDirectives are the directives that send a request to a backend.
var PassDirectives = []string{"proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass"}

// Target is an address nginx connects to: the argument of a *_pass
// directive, or of a server line in an upstream block.
type Target struct {
	Directive syntax.Directive
	// Upstream is, for a pass directive that names an upstream block, the
	// block: nginx dials its server lines instead of the name.
	Upstream syntax.Directive
	parsed   *parsedTarget // shared by every target written the same way
	stream   bool
	server   bool
}

// Module returns "http" or "stream": the module the target belongs to.
func (t *Target) Module() string {
	if t.stream {
		return "stream"
	}
	return "http"
}

// Parsed returns the address as nginx reads it. It is shared by every
// target written the same way: do not modify it.
func (t *Target) Parsed() *manifest.Target { return &t.parsed.t }

// Err returns why nginx refuses the address, nil when it accepts it (the
// address is then checked further).
func (t *Target) Err() error { return t.parsed.err }

// In returns, for a server line, the upstream block it belongs to; zero
// for a pass directive.
func (t *Target) In() syntax.Directive {
	if !t.server {
		return syntax.Directive{}
	}
	return t.Directive.BlockParent()
}

// Arg is the argument that holds the address.
func (t *Target) Arg() syntax.Arg { return t.Directive.ArgAt(0) }

// IsServer reports whether t is a server line of an upstream block.
func (t *Target) IsServer() bool { return t.server }

type targetIndex struct {
	once    sync.Once
	parsed  map[parseKey]*parsedTarget
	all     []*Target
	byBlock map[syntax.Directive][]*Target // upstream block -> pass directives using it
	servers map[syntax.Directive][]*Target // upstream block -> its server lines
}

// Targets returns every target in the tree, in order: pass directives in
// http and stream, and server lines of upstream blocks. Computed once.
func (ix *Index) Targets() []*Target {
	ix.targets.once.Do(ix.buildTargets)
	return ix.targets.all
}

// UpstreamServers returns the server lines of the upstream block up.
func (ix *Index) UpstreamServers(up syntax.Directive) []*Target {
	ix.targets.once.Do(ix.buildTargets)
	return ix.targets.servers[up]
}

// UpstreamUsers returns the pass directives that send requests to the
// upstream block up.
func (ix *Index) UpstreamUsers(up syntax.Directive) []*Target {
	ix.targets.once.Do(ix.buildTargets)
	return ix.targets.byBlock[up]
}

// parseKey is what reading a target depends on.
type parseKey struct {
	directive, arg string
	stream         bool
}

type parsedTarget struct {
	t   manifest.Target
	err error
}

// parse reads a target's argument, once for every way it is written.
func (ti *targetIndex) parse(k parseKey) *parsedTarget {
	p, ok := ti.parsed[k]
	if !ok {
		p = &parsedTarget{}
		p.t, p.err = manifest.ParseTarget(k.directive, k.arg, k.stream)
		ti.parsed[k] = p
	}
	return p
}

func (ix *Index) buildTargets() {
	ti := &ix.targets
	ti.parsed = map[parseKey]*parsedTarget{}
	defer func() { ti.parsed = nil }()
	ti.byBlock = map[syntax.Directive][]*Target{}
	ti.servers = map[syntax.Directive][]*Target{}
	// One allocation for all; it never grows, so pointers into it stay.
	slab := make([]Target, 0, len(ix.candidates))
	for _, r := range ix.candidates {
		d := ix.tree.Directive(r)
		if d.NArgs() == 0 {
			continue
		}
		name := d.Name()
		var up syntax.Directive
		switch {
		case name == "server" && !d.IsBlock():
			up = d.BlockParent()
			if up.IsZero() || up.Name() != "upstream" {
				continue
			}
		case isPass(name) && d.NArgs() == 1:
		default:
			continue
		}
		module := ix.Module(d)
		if module != "http" && module != "stream" || module == "stream" && name != "proxy_pass" && name != "server" {
			continue
		}
		slab = append(slab, Target{Directive: d, stream: module == "stream", server: !up.IsZero()})
		t := &slab[len(slab)-1]
		t.parsed = ti.parse(parseKey{name, d.Arg(0), t.stream})
		if t.parsed.err == nil && !t.server && t.parsed.t.Name != "" {
			t.Upstream = ix.Upstream(module, t.parsed.t.Name)
			if !t.Upstream.IsZero() {
				ti.byBlock[t.Upstream] = append(ti.byBlock[t.Upstream], t)
			}
		}
		if t.server {
			ti.servers[up] = append(ti.servers[up], t)
		}
		ti.all = append(ti.all, t)
	}
}

func isPass(name string) bool {
	for _, p := range PassDirectives {
		if p == name {
			return true
		}
	}
	return false
}

// upstreamName is how nginx compares upstream names: case-insensitively.
func upstreamName(s string) string { return strings.ToLower(s) }
