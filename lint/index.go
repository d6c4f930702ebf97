package lint

import (
	"sync"

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

// NewIndex walks the tree once.
func NewIndex(t *syntax.Tree) *Index {
	ix := &Index{tree: t, byName: map[string][]syntax.Ref{}, upstreams: map[upstreamKey]syntax.Directive{}}
	t.Walk(func(d syntax.Directive) {
		name := d.Name()
		if name == "server" && !d.IsBlock() {
			ix.candidates = append(ix.candidates, d.Ref())
		}
		if !indexed(name) {
			return
		}
		ix.byName[name] = append(ix.byName[name], d.Ref())
		if isPass(name) {
			ix.candidates = append(ix.candidates, d.Ref())
		}
		if name == "upstream" && d.IsBlock() && d.NArgs() == 1 {
			k := upstreamKey{ix.Module(d), upstreamName(d.Arg(0))}
			if _, dup := ix.upstreams[k]; !dup {
				ix.upstreams[k] = d
			}
		}
	})
	return ix
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
// "stream"), or nil. Names compare case-insensitively, as in nginx.
func (ix *Index) Upstream(module, name string) syntax.Directive {
	return ix.upstreams[upstreamKey{module, upstreamName(name)}]
}
