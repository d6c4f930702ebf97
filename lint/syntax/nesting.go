package syntax

import "sort"

// Nesting lists the directives of one file as written (what its includes
// pull in is not expanded), in the order they start, each with the block
// directive around it: what finds the directives around an offset in
// log n, for the tools that write into a file (suppression comments) or
// name a place by its blocks (fingerprints).
type Nesting struct {
	File *File
	// Dirs are the file's directives in order of their start; Parent[i]
	// is the index in Dirs of the block directive around Dirs[i], -1 at
	// the top of the file.
	Dirs   []Directive
	Parent []int
}

// NewNesting lists the directives of f.
func NewNesting(f *File) *Nesting {
	n := &Nesting{File: f}
	var walk func(ds []Directive, parent int)
	walk = func(ds []Directive, parent int) {
		for _, d := range ds {
			i := len(n.Dirs)
			n.Dirs = append(n.Dirs, d)
			n.Parent = append(n.Parent, parent)
			if d.IsBlock() {
				walk(d.Block(), i)
			}
		}
	}
	walk(f.Directives(), -1)
	return n
}

// Innermost returns the index in Dirs of the innermost directive whose
// text holds offset off, -1 for none.
func (n *Nesting) Innermost(off int) int {
	// The last directive starting at or before off; then up to the first
	// one that holds it: directives nest, so one that holds off is that
	// last one or a block around it.
	i := sort.Search(len(n.Dirs), func(i int) bool { return int(n.Dirs[i].Start()) > off }) - 1
	for i >= 0 && int(n.Dirs[i].End()) <= off {
		i = n.Parent[i]
	}
	return i
}
