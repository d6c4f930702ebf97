package model

import (
	"sync"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TargetVersion sets the nginx version the tree is checked for; without
// it, the newest version the directive table covers.
func TargetVersion(v nginx.Version) Option {
	return func(ix *Index) { ix.target = v }
}

// Target returns the nginx version the tree is checked for.
func (ix *Index) Target() nginx.Version {
	if ix.target.IsZero() {
		return nginx.Newest()
	}
	return ix.target
}

// Defs is what the directive table says of a directive where it stands.
type Defs struct {
	// Context is the context the directive stands in.
	Context nginx.Context
	// All are its definitions that count for the tree: in the target
	// version, and of a module nginx has (or may have, when the tree
	// cannot tell). Here are those of All that nginx allows in the
	// directive's context.
	All, Here []*nginx.Variant
}

// defsState holds, for every directive of the tree in walk order, the
// number of its Defs in list: built once, shared by the rules.
type defsState struct {
	once sync.Once
	of   []uint32
	list []Defs
}

// WalkDefs is WalkContexts with each directive's Defs (nil where the
// context is unknown). The contexts and Defs are computed once per run,
// by the first rule that asks; the other walks only read them.
func (ix *Index) WalkDefs(fn func(d syntax.Directive, c nginx.Context, defs *Defs)) {
	st := &ix.defs
	st.once.Do(ix.buildDefs)
	i := 0
	ix.tree.Walk(func(d syntax.Directive) {
		n := st.of[i]
		i++
		if n == 0 {
			fn(d, 0, nil)
			return
		}
		defs := &st.list[n]
		fn(d, defs.Context, defs)
	})
}

func (ix *Index) buildDefs() {
	st := &ix.defs
	type key struct {
		name string
		c    nginx.Context
	}
	index := map[key]uint32{}
	st.list = []Defs{{}}
	target := ix.Target()
	ix.WalkContexts(func(d syntax.Directive, c nginx.Context, ok bool) {
		if !ok {
			st.of = append(st.of, 0)
			return
		}
		k := key{d.Name(), c}
		n, seen := index[k]
		if !seen {
			defs := Defs{Context: c}
			for _, v := range nginx.Variants(k.name) {
				if !ix.InTarget(v, target) {
					continue
				}
				defs.All = append(defs.All, v)
				if v.Contexts&c != 0 {
					defs.Here = append(defs.Here, v)
				}
			}
			n = uint32(len(st.list))
			st.list = append(st.list, defs)
			index[k] = n
		}
		st.of = append(st.of, n)
	})
}
