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
	// Module is "http" or "stream".
	Module string
	// Parsed is the address as nginx reads it (shared by every target
	// written the same way: do not modify); Err is set when nginx would
	// refuse it (the address is then not checked further).
	Parsed *manifest.Target
	Err    error
	// Upstream is, for a pass directive that names an upstream block, the
	// block: nginx dials its server lines instead of the name.
	Upstream syntax.Directive
	// In is, for a server line, the upstream block it belongs to.
	In syntax.Directive
}

// Arg is the argument that holds the address.
func (t *Target) Arg() syntax.Arg { return t.Directive.ArgAt(0) }

// IsServer reports whether t is a server line of an upstream block.
func (t *Target) IsServer() bool { return !t.In.IsZero() }

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
func (ti *targetIndex) parse(k parseKey) (*manifest.Target, error) {
	p, ok := ti.parsed[k]
	if !ok {
		p = &parsedTarget{}
		p.t, p.err = manifest.ParseTarget(k.directive, k.arg, k.stream)
		ti.parsed[k] = p
	}
	return &p.t, p.err
}

func (ix *Index) buildTargets() {
	ti := &ix.targets
	ti.parsed = map[parseKey]*parsedTarget{}
	defer func() { ti.parsed = nil }()
	ti.byBlock = map[syntax.Directive][]*Target{}
	ti.servers = map[syntax.Directive][]*Target{}
	slab := make([]Target, 0, len(ix.candidates)) // one allocation for all
	for _, r := range ix.candidates {
		d := ix.tree.Directive(r)
		if d.NArgs() == 0 {
			continue
		}
		var t *Target
		switch {
		case d.Name() == "server" && !d.IsBlock():
			up := d.BlockParent()
			if up.IsZero() || up.Name() != "upstream" {
				continue
			}
			slab = append(slab, Target{Directive: d, Module: ix.Module(d), In: up})
			t = &slab[len(slab)-1]
		case isPass(d.Name()) && d.NArgs() == 1:
			slab = append(slab, Target{Directive: d, Module: ix.Module(d)})
			t = &slab[len(slab)-1]
		default:
			continue
		}
		if t.Module != "http" && t.Module != "stream" || t.Module == "stream" && d.Name() != "proxy_pass" && d.Name() != "server" {
			continue
		}
		t.Parsed, t.Err = ti.parse(parseKey{d.Name(), d.Arg(0), t.Module == "stream"})
		if t.Err == nil && !t.IsServer() && t.Parsed.Name != "" {
			t.Upstream = ix.Upstream(t.Module, t.Parsed.Name)
			if !t.Upstream.IsZero() {
				ti.byBlock[t.Upstream] = append(ti.byBlock[t.Upstream], t)
			}
		}
		if t.IsServer() {
			ti.servers[t.In] = append(ti.servers[t.In], t)
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
