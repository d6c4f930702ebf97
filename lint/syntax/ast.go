// Package syntax reads nginx configuration files exactly as nginx does.
//
// The scanner mirrors nginx's ngx_conf_read_token: words, single and double
// quotes, backslash escapes, $var and ${var}, # comments, ";", "{" and "}".
// The parser builds a tree of directives in which every directive, argument
// and comment carries its file and byte span; line and column are derived
// only when a position is printed. The loader (Load) follows include
// directives the way nginx does, confined to the tree it was given.
package syntax

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// File is one configuration file as read from disk (or from an nginx -T
// dump). A file included from several places is parsed once; its
// directives are instantiated once per inclusion.
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
	// Directives are the file's top-level directives, as parsed.
	Directives []*Directive
	// Comments are all comments in the file, in order.
	Comments []Comment

	linesOnce sync.Once
	lines     []int32 // offsets of line starts
}

// Comment is a # comment; the text runs from Start (the '#') to End
// (exclusive, before the newline).
type Comment struct {
	Start, End int32
}

// Text returns the comment's text without the leading '#'.
func (c Comment) Text(f *File) string { return f.Src[c.Start+1 : c.End] }

// Directive is one nginx directive: a name, arguments and, for block
// directives, the directives inside the braces.
type Directive struct {
	Name string
	Args []Arg
	File *File
	// Start is the offset of the directive's first byte, NameEnd the end
	// of its name, End the offset just past its terminating ";" or "}".
	Start, NameEnd, End int32
	// LBrace and RBrace are the offsets of the block's braces; both are -1
	// for a directive that ends with ";". RBrace is -1 when the block is
	// never closed.
	LBrace, RBrace int32
	// Block holds the directives inside the braces, nil when there are
	// none. Lua blocks (*_by_lua_block) keep their body raw in Raw instead.
	Block []*Directive
	// Raw is the untokenized body of a *_by_lua_block directive.
	Raw *Arg
	// Parent is the enclosing directive: the block directive around it,
	// or, for a top-level directive of an included file, the include
	// directive that pulled the file in. Nil at the top of the main file.
	Parent *Directive
	// Included holds, for an include directive, the top-level directives
	// of every file it includes (in nginx's order), each with Parent set
	// to this directive.
	Included []*Directive
	// IncludedFiles lists the files an include directive pulled in.
	IncludedFiles []*File
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

// IsBlock reports whether d was written with braces.
func (d *Directive) IsBlock() bool { return d.LBrace >= 0 }

// IsInclude reports whether d is an include directive.
func (d *Directive) IsInclude() bool { return d.Name == "include" }

// Arg returns the value of the i-th argument, or "" when there is none.
func (d *Directive) Arg(i int) string {
	if i < len(d.Args) {
		return d.Args[i].Value
	}
	return ""
}

// BlockParent returns the block directive d sits in, looking through
// include directives; nil at the main level.
func (d *Directive) BlockParent() *Directive {
	p := d.Parent
	for p != nil && p.IsInclude() {
		p = p.Parent
	}
	return p
}

// Children returns the directives inside d's block with include
// directives replaced by what they include, recursively, in nginx's order.
func (d *Directive) Children() []*Directive {
	return Flatten(d.Block)
}

// Flatten returns ds with every include directive replaced by the
// directives it includes, recursively.
func Flatten(ds []*Directive) []*Directive {
	n := 0
	for _, d := range ds {
		if d.IsInclude() {
			n = -1
			break
		}
		n++
	}
	if n == len(ds) {
		return ds
	}
	var out []*Directive
	var add func([]*Directive)
	add = func(ds []*Directive) {
		for _, d := range ds {
			if d.IsInclude() {
				add(d.Included)
				continue
			}
			out = append(out, d)
		}
	}
	add(ds)
	return out
}

// Context returns the name of the context d appears in: "main" at the top
// level, otherwise the name of the enclosing block directive ("http",
// "server", "location", "if", "upstream", "stream", ...). root is the
// context of the top level (normally "main"; a snippet may stand in
// another).
func (d *Directive) Context(root string) string {
	if p := d.BlockParent(); p != nil {
		return p.Name
	}
	return root
}

// IncludeChain returns the include directives that led to d, outermost
// first; empty for a directive of the main file.
func (d *Directive) IncludeChain() []*Directive {
	var chain []*Directive
	for p := d.Parent; p != nil; p = p.Parent {
		if p.IsInclude() && p.File != d.File {
			chain = append(chain, p)
		}
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}

// String renders d on one line the way it was written, without its block.
func (d *Directive) String() string {
	var b strings.Builder
	b.WriteString(d.File.Src[d.Start:d.NameEnd])
	for _, a := range d.Args {
		b.WriteByte(' ')
		b.WriteString(d.File.Src[a.Start:a.End])
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
