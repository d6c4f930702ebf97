package lint

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Index holds lookups over a tree, built once per run and shared by every
// rule.
type Index struct {
	tree *syntax.Tree
	// byName lists the directives of the indexed names; others are
	// looked up on first use (named).
	byName map[string][]syntax.Ref
	named  sync.Map // name -> []syntax.Ref, for names not indexed
	// candidates are the pass directives and server lines, in order: the
	// directives Targets reads.
	candidates []syntax.Ref

	upstreams map[upstreamKey]syntax.Directive
	targets   targetIndex
	levels    sync.Map // levelKey -> []syntax.Directive, for large blocks
}

type upstreamKey struct{ module, name string }

// indexed reports whether NewIndex lists the directives named name as
// it walks the tree: the names rules ask for. Listing every name would
// cost a reference per directive for names nobody asks for.
func indexed(name string) bool {
	switch name {
	case "upstream", "map", "if",
		"proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass":
		return true
	}
	return false
}

// NewIndex walks the tree once, in parts on every core.
func NewIndex(t *syntax.Tree) *Index {
	ix := &Index{tree: t, byName: map[string][]syntax.Ref{}, upstreams: map[upstreamKey]syntax.Directive{}}
	parts := t.Parts()
	found := make([]partIndex, len(parts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(parts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(parts); i = int(next.Add(1)) - 1 {
				parts[i].Walk(found[i].add)
			}
		}()
	}
	wg.Wait()
	// In order, as one walk would have found them; the lists are
	// allocated once.
	n, sizes := 0, map[string]int{}
	for i := range found {
		n += len(found[i].candidates)
		for name, refs := range found[i].byName {
			sizes[name] += len(refs)
		}
	}
	ix.candidates = make([]syntax.Ref, 0, n)
	for name, n := range sizes {
		ix.byName[name] = make([]syntax.Ref, 0, n)
	}
	for i := range found {
		p := &found[i]
		ix.candidates = append(ix.candidates, p.candidates...)
		for name, refs := range p.byName {
			ix.byName[name] = append(ix.byName[name], refs...)
		}
		for _, up := range p.upstreams {
			k := upstreamKey{ix.Module(up), upstreamName(up.Arg(0))}
			if _, dup := ix.upstreams[k]; !dup {
				ix.upstreams[k] = up
			}
		}
	}
	return ix
}

// partIndex is what NewIndex finds in one part of the tree.
type partIndex struct {
	candidates []syntax.Ref
	byName     map[string][]syntax.Ref
	upstreams  []syntax.Directive
}

func (p *partIndex) add(d syntax.Directive) {
	name := d.Name()
	if name == "server" && !d.IsBlock() {
		p.candidates = append(p.candidates, d.Ref())
	}
	if !indexed(name) {
		return
	}
	if p.byName == nil {
		p.byName = map[string][]syntax.Ref{}
	}
	p.byName[name] = append(p.byName[name], d.Ref())
	if isPass(name) {
		p.candidates = append(p.candidates, d.Ref())
	}
	if name == "upstream" && d.IsBlock() && d.NArgs() == 1 {
		p.upstreams = append(p.upstreams, d)
	}
}

// ByName returns the directives named name, in the order nginx reads
// them, in a new slice. The names rules commonly ask for are listed in
// advance; another name costs a walk of the tree the first time.
func (ix *Index) ByName(name string) []syntax.Directive {
	refs, ok := ix.byName[name]
	if !ok && !indexed(name) {
		v, done := ix.named.Load(name)
		if !done {
			var found []syntax.Ref
			ix.tree.Walk(func(d syntax.Directive) {
				if d.Name() == name {
					found = append(found, d.Ref())
				}
			})
			v, _ = ix.named.LoadOrStore(name, found)
		}
		refs = v.([]syntax.Ref)
	}
	if len(refs) == 0 {
		return nil
	}
	ds := make([]syntax.Directive, len(refs))
	for i, r := range refs {
		ds[i] = ix.tree.Directive(r)
	}
	return ds
}

// Module returns the nginx module context a directive belongs to: "http",
// "stream", "mail", or "main" for the top level. A snippet read in http,
// server, location or upstream context belongs to "http".
func (ix *Index) Module(d syntax.Directive) string {
	switch ix.tree.Context {
	case "main":
		top := d.BlockParent()
		if top.IsZero() {
			return "main"
		}
		for p := top.BlockParent(); !p.IsZero(); p = p.BlockParent() {
			top = p
		}
		switch top.Name() {
		case "http", "stream", "mail":
			return top.Name()
		}
		return "main"
	case "stream":
		return "stream"
	}
	return "http"
}

// Upstream returns the upstream block named name in module ("http" or
// "stream"), or zero. Names compare case-insensitively, as in nginx.
func (ix *Index) Upstream(module, name string) syntax.Directive {
	return ix.upstreams[upstreamKey{module, upstreamName(name)}]
}
