package lint

import "github.com/nginxlint/nginxlint/lint/syntax"

// Index holds lookups over a tree, built once per run and shared by every
// rule.
type Index struct {
	tree *syntax.Tree
	// All is every directive in the order nginx reads them, with included
	// files spliced in after their include directive.
	All []syntax.Directive
	// ByName lists the directives of each name, in order.
	ByName map[string][]syntax.Directive

	upstreams map[upstreamKey]syntax.Directive
	targets   targetIndex
	levels    levelIndex
}

type upstreamKey struct{ module, name string }

// NewIndex walks the tree once.
func NewIndex(t *syntax.Tree) *Index {
	ix := &Index{tree: t, ByName: map[string][]syntax.Directive{}, upstreams: map[upstreamKey]syntax.Directive{}}
	var walk func([]syntax.Directive)
	walk = func(ds []syntax.Directive) {
		for _, d := range ds {
			ix.All = append(ix.All, d)
			ix.ByName[d.Name()] = append(ix.ByName[d.Name()], d)
			if d.Name() == "upstream" && d.IsBlock() && d.NArgs() == 1 {
				k := upstreamKey{ix.Module(d), upstreamName(d.Arg(0))}
				if _, dup := ix.upstreams[k]; !dup {
					ix.upstreams[k] = d
				}
			}
			walk(d.Block())
			walk(d.Included())
		}
	}
	walk(t.Directives)
	return ix
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
