package model

import (
	"slices"
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
	// Name is the directive's name, Context the context it stands in,
	// NArgs the number
	// of its arguments; Multiline is set when its text runs over several
	// lines, and Flag is its argument in lower case when it has one and
	// it is "on" or "off" ("" otherwise). Directives that share these
	// share their Defs.
	Name      string
	Context   nginx.Context
	NArgs     int
	Multiline bool
	Flag      string
	// What nginx does with variables in the directive, from lint/nginx's
	// facts about arguments: Regex is set when it compiles the
	// directive's regular expressions (whose named groups become
	// variables), DefinesArg is the argument that names the variable it
	// defines (-1 for none), and VarFrom and VarTo delimit the arguments
	// it reads variables from (none when equal).
	Regex          bool
	DefinesArg     int
	VarFrom, VarTo int
	// All are its definitions that count for the tree: in the target
	// version, and of a module nginx has (or may have, when the tree
	// cannot tell). Here are those of All that nginx allows in the
	// directive's context.
	All, Here []*nginx.Variant
}

// defsState holds, for every directive of the tree in walk order, its
// reference tagged with the number of its Defs in list: built once,
// shared by the rules, which then go through the directives without
// walking the tree.
type defsState struct {
	once sync.Once
	refs syntax.RefList
	list []Defs
}

// WalkDefs is WalkContexts with each directive's Defs (nil where the
// context is unknown). The contexts and Defs are computed once per run,
// by the first rule that asks; the other walks only read them.
func (ix *Index) WalkDefs(fn func(d syntax.Directive, c nginx.Context, defs *Defs)) {
	st := &ix.defs
	st.once.Do(ix.buildDefs)
	for r, n := range st.refs.All() {
		d := ix.tree.Directive(r)
		if n == 0 {
			fn(d, 0, nil)
			continue
		}
		defs := &st.list[n]
		fn(d, defs.Context, defs)
	}
}

// WalkDefsWhere is WalkDefs for the directives whose Defs satisfy pred,
// which is asked once for each distinct Defs (and once with nil, for the
// directives that have none): a rule that looks at few kinds of
// directive pays little for the others.
func (ix *Index) WalkDefsWhere(pred func(*Defs) bool, fn func(d syntax.Directive, c nginx.Context, defs *Defs)) {
	st := &ix.defs
	st.once.Do(ix.buildDefs)
	match := make([]bool, len(st.list))
	some := false
	for n := range st.list {
		var defs *Defs
		if n > 0 {
			defs = &st.list[n]
		}
		match[n] = pred(defs)
		some = some || match[n]
	}
	if !some {
		return
	}
	for r, n := range st.refs.All() {
		switch {
		case !match[n]:
		case n == 0:
			fn(ix.tree.Directive(r), 0, nil)
		default:
			defs := &st.list[n]
			fn(ix.tree.Directive(r), defs.Context, defs)
		}
	}
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
	// The Defs are found by name, then among the few of that name by
	// what else tells them apart: one string lookup a directive.
	type key struct {
		c         nginx.Context
		nargs     int
		multiline bool
		flag      string
	}
	type named struct {
		flag bool // some definition is an on/off one
		keys []key
		defs []uint32
		many map[key]uint32 // for a name written in many ways
	}
	byName := map[string]*named{}
	st.list = []Defs{{}}
	st.refs.Grow(ix.count)
	ix.WalkContexts(func(d syntax.Directive, c nginx.Context, ok bool) {
		if !ok {
			st.refs.Append(d.Ref(), 0)
			return
		}
		name := d.Name()
		nm := byName[name]
		if nm == nil {
			nm = &named{flag: takesFlag(name)}
			byName[name] = nm
		}
		k := key{c: c, nargs: d.NArgs()}
		if src := d.File().Src; int(d.End()) <= len(src) {
			end := d.End()
			if d.IsBlock() {
				end = d.LBrace()
			}
			k.multiline = end > d.Start() && strings.IndexByte(src[d.Start():end], '\n') >= 0
		}
		if k.nargs == 1 && nm.flag {
			switch v := d.Arg(0); {
			case strings.EqualFold(v, "on"):
				k.flag = "on"
			case strings.EqualFold(v, "off"):
				k.flag = "off"
			}
		}
		if nm.many != nil {
			if n, ok := nm.many[k]; ok {
				st.refs.Append(d.Ref(), n)
				return
			}
		} else if at := slices.Index(nm.keys, k); at >= 0 {
			st.refs.Append(d.Ref(), nm.defs[at])
			return
		}
		defs := Defs{Name: name, Context: c, NArgs: k.nargs, Multiline: k.multiline, Flag: k.flag,
			Regex: nginx.CompilesRegex(name), DefinesArg: nginx.DefinedVariableArg(name, k.nargs)}
		if from, to, ok := nginx.VariableArgs(name, k.nargs); ok {
			defs.VarFrom, defs.VarTo = from, to
		}
		for _, v := range ix.variants(name) {
			if !ix.InTarget(v) {
				continue
			}
			defs.All = append(defs.All, v)
			if v.Contexts&c != 0 {
				defs.Here = append(defs.Here, v)
			}
		}
		n := uint32(len(st.list))
		st.list = append(st.list, defs)
		switch {
		case nm.many != nil:
			nm.many[k] = n
		case len(nm.keys) == manyDefs:
			nm.many = make(map[key]uint32, 2*manyDefs)
			for i, k := range nm.keys {
				nm.many[k] = nm.defs[i]
			}
			nm.many[k] = n
			nm.keys, nm.defs = nil, nil
		default:
			nm.keys = append(nm.keys, k)
			nm.defs = append(nm.defs, n)
		}
		st.refs.Append(d.Ref(), n)
	})
}

// manyDefs is how many Defs of one name are looked through one by one;
// more are kept in a map, so that a name written in a thousand ways
// costs no more than a thousand names.
const manyDefs = 16

// takesFlag reports whether some definition of the directive name is an
// on/off one.
func takesFlag(name string) bool {
	for _, v := range nginx.Variants(name) {
		if v.Args&nginx.ArgsFlag != 0 {
			return true
		}
	}
	return false
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
