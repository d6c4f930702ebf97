// Package syntax reads nginx configuration files exactly as nginx does.
//
// The scanner mirrors nginx's ngx_conf_read_token: words, single and double
// quotes, backslash escapes, $var and ${var}, # comments, ";", "{" and "}".
// The parser builds a tree of directives in which every directive, argument
// and comment carries its file and byte span; line and column are derived
// only when a position is printed. A file's directives are kept in flat
// tables without pointers (16 bytes a directive), and a Directive is
// a small value that points into them. The loader (Load) follows include
// directives the way nginx does, confined to the tree it was given.
package syntax

import (
	"fmt"
	"iter"
	"sort"
	"strings"
	"sync"
)

// File is one configuration file as read from disk (or from an nginx -T
// dump). A file included from several places is parsed once; its
// directives are instantiated once per inclusion, without copying.
type File struct {
	// Name is the file's path as the user should see it (relative to the
	// working directory when the tree was given relatively, the original
	// name for nginx -T dumps).
	Name string
	// Path is the file's path on disk ("" for files read from a dump or
	// from standard input). Fixes are written there.
	Path string
	// Virtual is the absolute path nginx would know the file by, inside
	// the prefix (for example /etc/nginx/conf.d/app.conf).
	Virtual string
	// Src is the file's content.
	Src string
	// Stock is true for a file the tree lacks whose content nginxlint
	// assumes: what the nginx package installs there (Options.Stock).
	// Findings in it are not the tree's.
	Stock bool
	// Comments are all comments in the file, in order.
	Comments []Comment

	// The parsed file, as flat tables without pointers: every directive
	// is a node and every block a block; a Directive is a node seen
	// through an instance of the file. The directives of a block are
	// contiguous in nodes, and so are the top-level directives. Arguments
	// are not stored: they are read again from Src when asked for, which
	// costs less than keeping them.
	nodes     []node
	blocks    []block
	names     map[int32]string // node start → name, for quoted or escaped names
	manyArgs  map[int32]int32  // node start → number of arguments, from maxArgs on
	top, ntop int32            // the top-level nodes
	own       *instance        // the first instance: the one Directives returns
	lines     []int32          // offsets of line starts
	linesOnce sync.Once
}

// node is one directive as parsed. Offsets are bytes into File.Src.
type node struct {
	start int32
	// end is the offset just past the ";" for a directive without
	// braces, and the block's index in File.blocks for one with braces
	// (isBlock set): the block knows where it ends.
	end    int32
	parent int32  // the enclosing node, -1 at the top of the file
	meta   uint32 // the number of arguments, the name's length and flags
}

// The bits of node.meta: the number of arguments (maxArgs stands for a
// higher number, kept in File.manyArgs), the length of the name's source
// text (maxNameLen for a longer one, which is scanned again), and the
// flags. rawName marks a name written quoted or with escapes (its value
// is in File.names), includeName an include directive (known without
// reading its name), isBlock a directive with braces.
const (
	argBits     = 20
	maxArgs     = 1<<argBits - 1
	nameBits    = 8
	maxNameLen  = 1<<nameBits - 1
	isBlock     = 1 << 28
	includeName = 1 << 29
	rawName     = 1 << 30
)

// argc returns the number of arguments of n.
func (f *File) argc(n *node) int32 {
	if c := n.meta & maxArgs; c != maxArgs {
		return int32(c)
	}
	return f.manyArgs[n.start]
}

// nameEnd returns the offset just past the source text of n's name.
func (f *File) nameEnd(n *node) int32 {
	if l := n.meta >> argBits & maxNameLen; l != maxNameLen {
		return n.start + int32(l)
	}
	w, _ := scanWord(f.Src, int(n.start))
	return w.end
}

// block is the part of a directive written with braces.
type block struct {
	lbrace, rbrace int32 // rbrace is -1 for a block never closed
	kids, nkids    int32 // the directives inside, in File.nodes
}

// blockOf returns the block of node n, nil for a directive without braces.
func (f *File) blockOf(n *node) *block {
	if n.meta&isBlock == 0 {
		return nil
	}
	return &f.blocks[n.end]
}

// instance is one inclusion of a file: the include directive that pulled
// it in (zero for the main file) and what its own include directives
// pulled in.
type instance struct {
	file     *File
	include  Directive
	included map[int32][]*instance // by include node
	id       int32                 // the index in Tree.insts, -1 outside a tree
	// outer is the block the include directive stands in, looking
	// through the includes that led to it (zero at the top level): what
	// BlockParent returns for the file's top-level directives, in one
	// step however deep the include chain.
	outer Directive
}

// Directives returns the file's top-level directives as nginx first reads
// them; for an included file, with Parent set to the include directive
// that first pulled it in.
func (f *File) Directives() []Directive {
	if f.own == nil {
		return nil // not parsed
	}
	return f.own.top()
}

func (in *instance) top() []Directive {
	f := in.file
	if f.ntop == 0 {
		return nil
	}
	ds := make([]Directive, f.ntop)
	for i := range ds {
		ds[i] = Directive{in, f.top + int32(i)}
	}
	return ds
}

// Comment is a # comment; the text runs from Start (the '#') to End
// (exclusive, before the newline).
type Comment struct {
	Start, End int32
}

// Text returns the comment's text without the leading '#'.
func (c Comment) Text(f *File) string { return f.Src[c.Start+1 : c.End] }

// Directive is one nginx directive: a name, arguments and, for block
// directives, the directives inside the braces. It is a small value that
// compares equal to another exactly when both stand for the same
// directive at the same place in the tree: a file included twice has two
// sets of Directives. The zero Directive stands for none (see IsZero).
type Directive struct {
	in *instance
	i  int32
}

// Arg is one argument of a directive.
type Arg struct {
	// Value is the argument as nginx sees it: quotes removed and the
	// escapes \" \' \\ \t \r \n resolved.
	Value string
	// Start and End delimit the argument's source text, quotes included.
	Start, End int32
	// Quote is '"' or '\'' for a quoted argument, 0 otherwise.
	Quote byte
}

// IsZero reports whether d stands for no directive.
func (d Directive) IsZero() bool { return d.in == nil }

func (d Directive) node() *node { return &d.in.file.nodes[d.i] }

// File returns the file d is written in.
func (d Directive) File() *File { return d.in.file }

// Name returns the directive's name.
func (d Directive) Name() string { return d.in.file.name(d.i) }

func (f *File) name(i int32) string { return f.nodeName(&f.nodes[i]) }

func (f *File) nodeName(n *node) string {
	if n.meta&rawName != 0 {
		return f.names[n.start]
	}
	return f.Src[n.start:f.nameEnd(n)]
}

// arg returns argument i of node n, which must exist, read again from
// the source as the parser read it.
func (f *File) arg(n *node, i int) span {
	pos := int(f.nameEnd(n))
	for ; ; i-- {
		w, _ := scanWord(f.Src, skipBlank(f.Src, pos))
		if i == 0 {
			return w
		}
		pos = int(w.end)
	}
}

func (w span) arg(src string) Arg {
	return Arg{Value: w.value(src), Start: w.start, End: w.end, Quote: w.quote}
}

// Start returns the offset of the directive's first byte.
func (d Directive) Start() int32 { return d.node().start }

// NameEnd returns the offset just past the directive's name.
func (d Directive) NameEnd() int32 { return d.in.file.nameEnd(d.node()) }

// End returns the offset just past the directive's terminating ";" or
// "}" (the end of the file for a block never closed).
func (d Directive) End() int32 {
	f := d.in.file
	n := d.node()
	if b := f.blockOf(n); b != nil {
		if b.rbrace < 0 {
			return int32(len(f.Src))
		}
		return b.rbrace + 1
	}
	return n.end
}

// LBrace returns the offset of the block's "{"; -1 for a directive that
// ends with ";".
func (d Directive) LBrace() int32 {
	if b := d.in.file.blockOf(d.node()); b != nil {
		return b.lbrace
	}
	return -1
}

// RBrace returns the offset of the block's "}"; -1 for a directive that
// ends with ";" and for a block never closed.
func (d Directive) RBrace() int32 {
	if b := d.in.file.blockOf(d.node()); b != nil {
		return b.rbrace
	}
	return -1
}

// NArgs returns the number of arguments.
func (d Directive) NArgs() int { return int(d.in.file.argc(d.node())) }

// ArgAt returns the i-th argument, which must exist.
func (d Directive) ArgAt(i int) Arg {
	n := d.node()
	f := d.in.file
	if c := f.argc(n); i < 0 || i >= int(c) {
		panic(fmt.Sprintf("syntax: argument %d of a directive with %d", i, c))
	}
	return f.arg(n, i).arg(f.Src)
}

// EachArg yields the arguments in order. A loop over it reads the
// directive once, where a loop of ArgAt calls reads it again for each.
func (d Directive) EachArg() iter.Seq2[int, Arg] {
	return func(yield func(int, Arg) bool) {
		f := d.in.file
		n := d.node()
		pos := int(f.nameEnd(n))
		for i := range int(f.argc(n)) {
			w, _ := scanWord(f.Src, skipBlank(f.Src, pos))
			if !yield(i, w.arg(f.Src)) {
				return
			}
			pos = int(w.end)
		}
	}
}

// Args returns the arguments in a new slice.
func (d Directive) Args() []Arg {
	n := d.NArgs()
	if n == 0 {
		return nil
	}
	args := make([]Arg, 0, n)
	for _, a := range d.EachArg() {
		args = append(args, a)
	}
	return args
}

// Arg returns the value of the i-th argument, or "" when there is none.
func (d Directive) Arg(i int) string {
	n := d.node()
	f := d.in.file
	if i < 0 || i >= int(f.argc(n)) {
		return ""
	}
	return f.arg(n, i).value(f.Src)
}

// Raw returns the untokenized body of a *_by_lua_block directive, and
// false for any other directive.
func (d Directive) Raw() (Arg, bool) {
	n := d.node()
	b := d.in.file.blockOf(n)
	if b == nil || !strings.HasSuffix(d.Name(), "_by_lua_block") {
		return Arg{}, false
	}
	end := b.rbrace
	if end < 0 {
		end = int32(len(d.in.file.Src))
	}
	return Arg{Value: d.in.file.Src[b.lbrace+1 : end], Start: b.lbrace + 1, End: end}, true
}

// Block returns the directives inside the braces as written (include
// directives not expanded), in a new slice; nil for a directive without
// braces, empty for a Lua block (its body is in Raw).
func (d Directive) Block() []Directive {
	b := d.in.file.blockOf(d.node())
	if b == nil {
		return nil
	}
	ds := make([]Directive, b.nkids)
	for i := range ds {
		ds[i] = Directive{d.in, b.kids + int32(i)}
	}
	return ds
}

// EachInBlock yields what Block returns, without allocating it.
func (d Directive) EachInBlock() iter.Seq[Directive] {
	return func(yield func(Directive) bool) {
		b := d.in.file.blockOf(d.node())
		if b == nil {
			return
		}
		for k := b.kids; k < b.kids+b.nkids; k++ {
			if !yield(Directive{d.in, k}) {
				return
			}
		}
	}
}

// Parent returns the enclosing directive: the block directive around it,
// or, for a top-level directive of an included file, the include
// directive that pulled the file in. Zero at the top of the main file.
func (d Directive) Parent() Directive {
	if p := d.node().parent; p >= 0 {
		return Directive{d.in, p}
	}
	return d.in.include
}

// Included returns, for an include directive, the top-level directives
// of every file it includes, in nginx's order, each with Parent set to
// d.
func (d Directive) Included() []Directive {
	var ds []Directive
	for _, in := range d.in.included[d.i] {
		ds = append(ds, in.top()...)
	}
	return ds
}

// EachIncluded yields what Included returns, without allocating it.
func (d Directive) EachIncluded() iter.Seq[Directive] {
	return func(yield func(Directive) bool) {
		for _, in := range d.in.included[d.i] {
			f := in.file
			for k := f.top; k < f.top+f.ntop; k++ {
				if !yield(Directive{in, k}) {
					return
				}
			}
		}
	}
}

// NumIncluded returns how many files an include directive pulled in,
// a file included twice counting twice (len of IncludedFiles).
func (d Directive) NumIncluded() int { return len(d.in.included[d.i]) }

// IncludedFiles returns the files an include directive pulled in.
func (d Directive) IncludedFiles() []*File {
	var fs []*File
	for _, in := range d.in.included[d.i] {
		fs = append(fs, in.file)
	}
	return fs
}

// IsBlock reports whether d was written with braces.
func (d Directive) IsBlock() bool { return d.node().meta&isBlock != 0 }

// IsInclude reports whether d is an include directive.
func (d Directive) IsInclude() bool { return d.node().meta&includeName != 0 }

// BlockParent returns the block directive d sits in, looking through
// include directives; zero at the main level.
func (d Directive) BlockParent() Directive {
	if p := d.node().parent; p >= 0 {
		return Directive{d.in, p} // a node's parent has a block: no include
	}
	return d.in.outer
}

// Children returns the directives inside d's block with include
// directives replaced by what they include, recursively, in nginx's order.
func (d Directive) Children() []Directive {
	b := d.in.file.blockOf(d.node())
	if b == nil || b.nkids == 0 {
		return nil
	}
	out := make([]Directive, 0, b.nkids) // exact unless the block includes files
	d.eachChild(func(c Directive) { out = append(out, c) })
	return out
}

// EachChild yields what Children returns, without allocating it.
func (d Directive) EachChild() iter.Seq[Directive] {
	return func(yield func(Directive) bool) {
		b := d.in.file.blockOf(d.node())
		if b == nil {
			return
		}
		for k := b.kids; k < b.kids+b.nkids; k++ {
			c := Directive{d.in, k}
			if !c.IsInclude() {
				if !yield(c) {
					return
				}
				continue
			}
			for _, in := range d.in.included[k] {
				if !in.eachUntil(yield) {
					return
				}
			}
		}
	}
}

// eachUntil is each, stopping when fn returns false; it reports whether
// it went to the end.
func (in *instance) eachUntil(fn func(Directive) bool) bool {
	f := in.file
	for k := f.top; k < f.top+f.ntop; k++ {
		c := Directive{in, k}
		if !c.IsInclude() {
			if !fn(c) {
				return false
			}
			continue
		}
		for _, sub := range in.included[k] {
			if !sub.eachUntil(fn) {
				return false
			}
		}
	}
	return true
}

// eachChild calls fn for each directive in d's block, looking through
// include directives.
func (d Directive) eachChild(fn func(Directive)) {
	b := d.in.file.blockOf(d.node())
	if b == nil {
		return
	}
	for k := b.kids; k < b.kids+b.nkids; k++ {
		c := Directive{d.in, k}
		if c.IsInclude() {
			for _, in := range d.in.included[k] {
				in.each(fn)
			}
			continue
		}
		fn(c)
	}
}

// each calls fn for each top-level directive of the instance, looking
// through include directives.
func (in *instance) each(fn func(Directive)) {
	f := in.file
	for k := f.top; k < f.top+f.ntop; k++ {
		c := Directive{in, k}
		if c.IsInclude() {
			for _, sub := range in.included[k] {
				sub.each(fn)
			}
			continue
		}
		fn(c)
	}
}

// Context returns the name of the context d appears in: "main" at the top
// level, otherwise the name of the enclosing block directive ("http",
// "server", "location", "if", "upstream", "stream", ...). root is the
// context of the top level (normally "main"; a snippet may stand in
// another).
func (d Directive) Context(root string) string {
	if p := d.BlockParent(); !p.IsZero() {
		return p.Name()
	}
	return root
}

// IncludeChain returns the include directives that led to d, outermost
// first; empty for a directive of the main file.
func (d Directive) IncludeChain() []Directive {
	var chain []Directive
	for in := d.in; !in.include.IsZero(); in = in.include.in {
		chain = append(chain, in.include)
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// String renders d on one line the way it was written, without its block.
func (d Directive) String() string {
	var b strings.Builder
	f := d.in.file
	n := d.node()
	b.WriteString(f.Src[n.start:f.nameEnd(n)])
	for _, a := range d.EachArg() {
		b.WriteByte(' ')
		b.WriteString(f.Src[a.Start:a.End])
	}
	return b.String()
}

// Position is a printable source position.
type Position struct {
	File   string // the file's display name
	Offset int    // byte offset, starting at 0
	Line   int    // line number, starting at 1
	Column int    // column number in bytes, starting at 1
}

func (p Position) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Position converts a byte offset in f to a printable position.
func (f *File) Position(off int) Position {
	f.linesOnce.Do(f.computeLines)
	if off < 0 {
		off = 0
	}
	if off > len(f.Src) {
		off = len(f.Src)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return int(f.lines[i]) > off }) - 1
	return Position{File: f.Name, Offset: off, Line: i + 1, Column: off - int(f.lines[i]) + 1}
}

// LineStart returns the offset of the first byte of the 1-based line.
func (f *File) LineStart(line int) int {
	f.linesOnce.Do(f.computeLines)
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Src)
	}
	return int(f.lines[line-1])
}

// Line returns the text of the 1-based line without its line ending.
func (f *File) Line(line int) string {
	start := f.LineStart(line)
	end := strings.IndexByte(f.Src[start:], '\n')
	if end < 0 {
		end = len(f.Src)
	} else {
		end += start
	}
	return strings.TrimSuffix(f.Src[start:end], "\r")
}

func (f *File) computeLines() {
	n := strings.Count(f.Src, "\n")
	lines := make([]int32, 1, n+1)
	for i := 0; ; {
		j := strings.IndexByte(f.Src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		lines = append(lines, int32(i))
	}
	f.lines = lines
}
