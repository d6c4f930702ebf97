package model

import (
	"strings"
	"sync"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Directives adds directives of modules the directive table does not
// know, as .nginxlint.toml's directives describe them.
func Directives(vs ...nginx.Variant) Option {
	return func(ix *Index) {
		for i := range vs {
			ix.extra = append(ix.extra, &vs[i])
		}
	}
}

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
	// Context is the context the directive stands in, NArgs the number
	// of its arguments; Multiline is set when its text runs over several
	// lines, and Flag is its argument in lower case when it has one and
	// it is "on" or "off" ("" otherwise). Directives that share these
	// share their Defs.
	Context   nginx.Context
	NArgs     int
	Multiline bool
	Flag      string
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

// AnyDefs reports whether pred holds for the Defs of some directive of
// the tree: a rule that looks for what pred says can skip its walk when
// none has it, the common case in a tree nginx accepts.
func (ix *Index) AnyDefs(pred func(*Defs) bool) bool {
	st := &ix.defs
	st.once.Do(ix.buildDefs)
	for i := 1; i < len(st.list); i++ {
		if pred(&st.list[i]) {
			return true
		}
	}
	return false
}

func (ix *Index) buildDefs() {
	st := &ix.defs
	type key struct {
		name      string
		c         nginx.Context
		nargs     int
		multiline bool
		flag      string
	}
	index := map[key]uint32{}
	flags := map[string]bool{}
	st.list = []Defs{{}}
	ix.WalkContexts(func(d syntax.Directive, c nginx.Context, ok bool) {
		if !ok {
			st.of = append(st.of, 0)
			return
		}
		k := key{name: d.Name(), c: c, nargs: d.NArgs()}
		if src := d.File().Src; int(d.End()) <= len(src) {
			end := d.End()
			if d.IsBlock() {
				end = d.LBrace()
			}
			k.multiline = end > d.Start() && strings.IndexByte(src[d.Start():end], '\n') >= 0
		}
		if k.nargs == 1 && takesFlag(flags, k.name) {
			switch v := d.Arg(0); {
			case strings.EqualFold(v, "on"):
				k.flag = "on"
			case strings.EqualFold(v, "off"):
				k.flag = "off"
			}
		}
		n, seen := index[k]
		if !seen {
			defs := Defs{Context: c, NArgs: k.nargs, Multiline: k.multiline, Flag: k.flag}
			for _, v := range ix.variants(k.name) {
				if !ix.InTarget(v) {
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

// takesFlag reports whether some definition of the directive name is an
// on/off one, remembering the answer in known.
func takesFlag(known map[string]bool, name string) bool {
	f, ok := known[name]
	if !ok {
		for _, v := range nginx.Variants(name) {
			f = f || v.Args&nginx.ArgsFlag != 0
		}
		known[name] = f
	}
	return f
}

// variants returns the definitions of a directive: the table's and the
// configuration's.
func (ix *Index) variants(name string) []*nginx.Variant {
	vs := nginx.Variants(name)
	for _, v := range ix.extra {
		if v.Name == name {
			vs = append(vs[:len(vs):len(vs)], v)
		}
	}
	return vs
}
