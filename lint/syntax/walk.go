package syntax

// Walk calls fn for every directive of the tree in the order nginx reads
// them: a block directive before the directives of its block, an include
// directive before the directives of the files it includes.
func (t *Tree) Walk(fn func(Directive)) {
	if len(t.insts) == 0 {
		return
	}
	root := t.insts[0]
	root.walk(root.file.top, root.file.ntop, fn)
}

func (in *instance) walk(first, n int32, fn func(Directive)) {
	f := in.file
	for k := first; k < first+n; k++ {
		fn(Directive{in, k})
		nd := &f.nodes[k]
		if b := f.blockOf(nd); b != nil && b.nkids > 0 {
			in.walk(b.kids, b.nkids, fn)
		}
		if nd.meta&includeName != 0 && in.included != nil {
			for _, sub := range in.included[k] {
				sub.walk(sub.file.top, sub.file.ntop, fn)
			}
		}
	}
}

// Ref is a compact reference to a directive of a tree, for large
// indexes: Tree.Directive turns it back into the Directive.
type Ref struct{ inst, node int32 }

// Ref returns the reference of d, which must belong to a loaded tree.
func (d Directive) Ref() Ref {
	if d.in.id < 0 {
		panic("syntax: Ref of a directive outside a tree")
	}
	return Ref{d.in.id, d.i}
}

// Directive returns the directive r refers to.
func (t *Tree) Directive(r Ref) Directive { return Directive{t.insts[r.inst], r.node} }

// FindChildren returns the directives named name directly in block
// (looking through include directives), in order; block zero stands for
// the top level of the tree. With limit > 0 it gives up, returning false,
// once it has looked at more than limit directives.
func (t *Tree) FindChildren(block Directive, name string, limit int) ([]Directive, bool) {
	fc := finder{name: name, limit: limit}
	switch {
	case block.IsZero():
		if len(t.insts) == 0 {
			return nil, true
		}
		root := t.insts[0]
		if !fc.visit(root, root.file.top, root.file.ntop) {
			return nil, false
		}
	default:
		b := block.in.file.blockOf(block.node())
		if b == nil {
			return nil, true
		}
		if !fc.visit(block.in, b.kids, b.nkids) {
			return nil, false
		}
	}
	return fc.found, true
}

// finder is the state of FindChildren.
type finder struct {
	name           string
	limit, scanned int
	found          []Directive
}

// visit looks at the n nodes from first of instance in, and into what
// their include directives include; false when it gave up.
func (fc *finder) visit(in *instance, first, n int32) bool {
	f := in.file
	for k := first; k < first+n; k++ {
		if fc.scanned++; fc.limit > 0 && fc.scanned > fc.limit {
			return false
		}
		if f.name(k) == fc.name {
			fc.found = append(fc.found, Directive{in, k})
		}
		if f.nodes[k].meta&includeName != 0 && in.included != nil {
			for _, sub := range in.included[k] {
				if !fc.visit(sub, sub.file.top, sub.file.ntop) {
					return false
				}
			}
		}
	}
	return true
}

// Part is a piece of the walk of a tree: Tree.Parts splits the walk into
// parts that can be walked at the same time.
type Part struct {
	dirs []Directive // directives of the main file, visited without following includes
	in   *instance   // or an included file, walked whole
}

// Walk calls fn for every directive of the part, in Tree.Walk's order.
func (p Part) Walk(fn func(Directive)) {
	if p.in != nil {
		p.in.walk(p.in.file.top, p.in.file.ntop, fn)
		return
	}
	for _, d := range p.dirs {
		fn(d)
	}
}

// Parts splits the walk of the tree at the include directives of the main
// file: walking the parts one after another visits what Walk visits, in
// the same order, and the parts can be walked concurrently.
func (t *Tree) Parts() []Part {
	if len(t.insts) == 0 {
		return nil
	}
	root := t.insts[0]
	f := root.file
	var parts []Part
	// The main file's directives, in walk order, in one allocation that
	// never grows (the walk visits each of its nodes once): the parts
	// between its include directives are pieces of it.
	all := make([]Directive, 0, len(f.nodes))
	from := 0 // where the current part starts in all
	var visit func(first, n int32)
	visit = func(first, n int32) {
		for k := first; k < first+n; k++ {
			all = append(all, Directive{root, k})
			nd := &f.nodes[k]
			if b := f.blockOf(nd); b != nil && b.nkids > 0 {
				visit(b.kids, b.nkids)
			}
			if nd.meta&includeName == 0 || root.included[k] == nil {
				continue
			}
			parts = append(parts, Part{dirs: all[from:len(all):len(all)]})
			from = len(all)
			for _, sub := range root.included[k] {
				parts = append(parts, Part{in: sub})
			}
		}
	}
	visit(f.top, f.ntop)
	if len(all) > from {
		parts = append(parts, Part{dirs: all[from:]})
	}
	return parts
}

// Set is a set of directives of one tree, one bit per directive: for
// rules that must visit each block once, where a map keyed by Directive
// would cost tens of bytes a directive. Make one with Tree.NewSet.
type Set struct {
	t    *Tree
	bits [][]uint64 // by instance, allocated on first use
	zero bool       // the zero Directive (the top level) is in the set
}

// NewSet returns an empty set of directives of t.
func (t *Tree) NewSet() *Set { return &Set{t: t, bits: make([][]uint64, len(t.insts))} }

// Add adds d, which must belong to the set's tree or be zero, and
// reports whether it was not in the set before.
func (s *Set) Add(d Directive) bool {
	if d.IsZero() {
		added := !s.zero
		s.zero = true
		return added
	}
	id := d.in.id
	if id < 0 || int(id) >= len(s.bits) || s.t.insts[id] != d.in {
		panic("syntax: Set.Add of a directive of another tree")
	}
	b := s.bits[id]
	if b == nil {
		b = make([]uint64, (len(d.in.file.nodes)+63)/64)
		s.bits[id] = b
	}
	w, m := d.i/64, uint64(1)<<(d.i%64)
	if b[w]&m != 0 {
		return false
	}
	b[w] |= m
	return true
}
