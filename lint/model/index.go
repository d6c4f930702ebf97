// Package model is what nginxlint builds once per run from a loaded tree
// and every rule shares: an index of the directives rules ask for, the
// effective configuration after nginx's inheritance (the one model of
// it), and the targets nginx dials. It owns the memory tricks that keep a
// large tree cheap.
package model

import (
	"iter"
	"sync"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Index holds lookups over a tree, built once per run and shared by every
// rule.
type Index struct {
	tree *syntax.Tree
	// parts is what the walk of each part of the tree found, in the
	// tree's order: the directives of the indexed names, and the
	// candidates (pass directives and server lines, which Targets
	// reads). They are kept as found, not merged.
	parts []partIndex
	named sync.Map // name -> []syntax.Ref, for names not indexed

	// upstreams numbers the upstream blocks by module and name (the
	// first of a name wins, as in nginx); upstreamList holds them by
	// number.
	upstreams    map[upstreamKey]int32
	upstreamList []syntax.Directive
	targets      targetIndex
	levels       sync.Map // levelKey -> []syntax.Directive, for large blocks

	targetsPerWorker int // see TargetsPerWorker
	count            int // directives in the tree

	declared []string // third-party modules declared built in (Modules)
	modules  moduleState

	incomplete sync.Map // block -> bool, see Incomplete

	apps   *read.Set        // see Apps
	target nginx.Version    // see TargetVersion
	extra  []*nginx.Variant // see Directives
	defs   defsState
}

type upstreamKey struct{ module, name string }

// indexed reports whether NewIndex lists the directives named name as
// it walks the tree: the names rules ask for. Listing every name would
// cost a reference per directive for names nobody asks for. Pass
// directives are found among the candidates.
func indexed(name string) bool {
	switch name {
	case "upstream", "map", "if", "location", "listen", "ssl", "ssl_certificate", "ssl_certificate_key", "log_format", "server_name":
		return true
	}
	return false
}

// Of returns the index the driver built for the pass's run.
func Of(p *lint.Pass) *Index { return p.Model.(*Index) }

// An Option tunes how NewIndex builds an index; the index holds the same
// whatever the options.
type Option func(*Index)

// NewIndex walks the tree once, in parts on every core.
func NewIndex(t *syntax.Tree, opts ...Option) *Index {
	parts := t.Parts()
	ix := &Index{tree: t, parts: make([]partIndex, len(parts)),
		targetsPerWorker: defaultTargetsPerWorker}
	for _, o := range opts {
		o(ix)
	}
	inParallel(len(parts), func(_, i int) { parts[i].Walk(ix.parts[i].add) })
	n := 0
	for i := range ix.parts {
		n += len(ix.parts[i].upstreams)
	}
	ix.upstreams = make(map[upstreamKey]int32, n)
	for i := range ix.parts {
		ix.count += ix.parts[i].count
		for _, up := range ix.parts[i].upstreams {
			k := upstreamKey{ix.Module(up), upstreamName(up.Arg(0))}
			if _, dup := ix.upstreams[k]; !dup {
				ix.upstreams[k] = int32(len(ix.upstreamList))
				ix.upstreamList = append(ix.upstreamList, up)
			}
		}
		ix.parts[i].upstreams = nil
	}
	return ix
}

// partIndex is what NewIndex finds in one part of the tree.
type partIndex struct {
	candidates []syntax.Ref
	byName     map[string][]syntax.Ref
	upstreams  []syntax.Directive
	count      int // directives
}

func (p *partIndex) add(d syntax.Directive) {
	p.count++
	name := d.Name()
	if name == "server" && !d.IsBlock() || nginx.IsPass(name) {
		p.candidates = append(p.candidates, d.Ref())
		return
	}
	if !indexed(name) {
		return
	}
	if p.byName == nil {
		p.byName = map[string][]syntax.Ref{}
	}
	p.byName[name] = append(p.byName[name], d.Ref())
	if name == "upstream" && d.IsBlock() && d.NArgs() == 1 {
		p.upstreams = append(p.upstreams, d)
	}
}

// ByName yields the directives named name, in the order nginx reads
// them. The names rules commonly ask for are listed in advance; another
// name costs a walk of the tree the first time.
func (ix *Index) ByName(name string) iter.Seq[syntax.Directive] {
	return func(yield func(syntax.Directive) bool) {
		// each yields the directives of refs; check tells whether their
		// names must be compared (the candidates mix names).
		each := func(refs []syntax.Ref, check bool) bool {
			for _, r := range refs {
				if d := ix.tree.Directive(r); (!check || d.Name() == name) && !yield(d) {
					return false
				}
			}
			return true
		}
		switch {
		case nginx.IsPass(name):
			for i := range ix.parts {
				if !each(ix.parts[i].candidates, true) {
					return
				}
			}
		case indexed(name):
			for i := range ix.parts {
				if !each(ix.parts[i].byName[name], false) {
					return
				}
			}
		default:
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
			each(v.([]syntax.Ref), false)
		}
	}
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
	if n, ok := ix.upstream(module, name); ok {
		return ix.upstreamList[n]
	}
	return syntax.Directive{}
}

// upstream returns the number of the upstream block named name in
// module.
func (ix *Index) upstream(module, name string) (int32, bool) {
	n, ok := ix.upstreams[upstreamKey{module, upstreamName(name)}]
	return n, ok
}

// NumUpstreams returns how many upstream blocks the tree numbers: one per
// module and name, the first of a name (see Target.UpstreamIndex).
func (ix *Index) NumUpstreams() int { return len(ix.upstreamList) }

// UpstreamIndexOf returns the number of the upstream block up, -1 when
// it has none: it is not an upstream block with one name, or it repeats
// an earlier block's name.
func (ix *Index) UpstreamIndexOf(up syntax.Directive) int {
	if up.IsZero() || up.Name() != "upstream" || !up.IsBlock() || up.NArgs() != 1 {
		return -1
	}
	if n, ok := ix.upstream(ix.Module(up), up.Arg(0)); ok && ix.upstreamList[n] == up {
		return int(n)
	}
	return -1
}
