package syntax

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// MaxDepth is the deepest block nesting the parser builds. Deeper blocks
// are reported and skipped. nginx itself accepts a few thousand levels and
// crashes on tens of thousands; real configurations stay below ten.
const MaxDepth = 10000

// MaxToken is the length at which nginx refuses a word, a quoted string
// or a comment ("too long parameter"): its configuration read buffer.
const MaxToken = 4096

// Error is a syntax error: what nginx would refuse, with the byte span it
// concerns.
type Error struct {
	File       *File
	Start, End int
	Msg        string
	// Notes point at other places that explain the error (the "{" of a
	// block that is not closed).
	Notes []Note
}

// Note is another place an Error is about, in the same file.
type Note struct {
	Start, End int
	Msg        string
}

func (e *Error) Error() string { return e.File.Position(e.Start).String() + ": " + e.Msg }

// statement terminators returned by readStatement
type stmtKind int

const (
	stmtEnd       stmtKind = iota // words ended by ";"
	stmtBlock                     // words ended by "{"
	stmtCut                       // words ended by an unexpected "}" (not consumed)
	stmtBlockDone                 // "}" with no words
	stmtEOF                       // end of file with no words
	stmtBadEOF                    // end of file in the middle of a statement (already reported)
)

type parser struct {
	f    *File
	g    Grammar
	src  string
	pos  int
	errs []*Error
	pend []node // directives of the open blocks, innermost last

	// The statement being read: its first word (the name) and how many
	// words follow it. Arguments are not stored: a Directive reads them
	// from the source when asked (see File.arg).
	hasName bool
	name    span
	nameVal string // the name's value when it is quoted or escaped
	argc    int32

	kinds *kindCache // nil without a grammar
}

// Parse parses the content of f (f.Src) and sets the file's directives
// and comments. It returns every syntax error found, in order; the parser
// recovers where nginx's grammar allows a sensible reading, so one run
// reports as many problems as possible. g says which directives take a
// block and how their blocks are read (see Grammar; nil knows none).
func Parse(f *File, g Grammar) []*Error {
	// Every directive ends with ";" or "{", so their count bounds the
	// directives (comments aside) and the tables are allocated once.
	nb := strings.Count(f.Src, "{")
	n := strings.Count(f.Src, ";") + nb + 1
	f.nodes = make([]node, 0, n)
	f.blocks = make([]block, 0, nb)
	f.names, f.manyArgs = nil, nil
	f.Comments = f.Comments[:0]
	f.own = &instance{file: f, id: -1}
	pend := pendPool.Get().(*[]node)
	p := &parser{f: f, g: grammarOrNone(g), src: f.Src, pend: (*pend)[:0]}
	if g != nil && reflect.TypeOf(g).Comparable() { // the cache is kept per grammar
		p.kinds = kindsPool.Get().(*kindCache).of(g)
		defer kindsPool.Put(p.kinds)
	}
	p.parse()
	*pend = p.pend[:0]
	pendPool.Put(pend)
	return p.errs
}

// pendPool holds the parsers' lists of pending directives: files parsed
// one after another reuse them.
var pendPool = sync.Pool{New: func() any { return new([]node) }}

// kindCache remembers what the grammar g said of the names of directives
// (TakesBlock), so that the names a tree repeats are looked up once:
// a small table indexed by a hash of the name, each slot holding the
// last name that fell there.
type kindCache struct {
	g     Grammar
	slots [256]struct {
		name          string
		always, never bool
	}
}

var kindsPool = sync.Pool{New: func() any { return new(kindCache) }}

// of returns c ready for grammar g: emptied when it remembers another's
// answers.
func (c *kindCache) of(g Grammar) *kindCache {
	if c.g != g {
		*c = kindCache{g: g}
	}
	return c
}

// takesBlock is p.g.TakesBlock, through the cache.
func (p *parser) takesBlock(name string) (always, never bool) {
	if p.kinds == nil || name == "" {
		return p.g.TakesBlock(name)
	}
	h := uint(len(name))*31 + uint(name[0])*7 + uint(name[len(name)-1])*131 + uint(name[len(name)/2])*17
	slot := &p.kinds.slots[h%uint(len(p.kinds.slots))]
	if slot.name != name {
		slot.name = strings.Clone(name) // the cache outlives the file
		slot.always, slot.never = p.g.TakesBlock(name)
	}
	return slot.always, slot.never
}

func (p *parser) errorf(start, end int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.f, Start: start, End: end, Msg: fmt.Sprintf(format, args...)})
}

// frame is an open block. Its directives are p.pend[base:]; the block's
// own directive is p.pend[base-1] unless the block has none (the file
// level, or a "{" without a name, whose content is dropped).
type frame struct {
	base  int
	named bool
	data  bool // the block holds data entries (map, types, ...)
}

func (p *parser) nwords() int {
	if !p.hasName {
		return 0
	}
	return 1 + int(p.argc)
}

func (p *parser) parse() {
	stack := make([]frame, 1, 8)
	skipped := 0 // depth of blocks being skipped beyond MaxDepth
	for {
		kind, at := p.readStatement()
		if skipped > 0 {
			switch kind {
			case stmtBlock:
				skipped++
			case stmtBlockDone:
				skipped--
			case stmtCut:
				p.pos = at
			}
			if kind != stmtEOF && kind != stmtBadEOF {
				continue
			}
		}
		top := stack[len(stack)-1]
		switch kind {
		case stmtEnd, stmtCut:
			d := p.directive()
			d.end = int32(at + 1)
			if kind == stmtCut {
				d.end = int32(at)
				p.pos = at + 1 // at the top level the "}" closes nothing
				if len(stack) > 1 {
					p.pos = at // the "}" closes the enclosing block next
				}
			} else if !top.data {
				p.checkTerminator(p.stmtName(), false, at)
			}
		case stmtBlock:
			if len(stack) > MaxDepth {
				p.errorf(at, at+1, "blocks nested deeper than %d levels; the rest of this block is skipped", MaxDepth)
				skipped = 1
				continue
			}
			if top.data {
				// nginx refuses a block where entries belong.
				p.errorf(at, at+1, `unexpected "{"`)
			}
			fr := frame{base: len(p.pend) + 1}
			if p.nwords() > 0 {
				d := p.directive()
				d.end = int32(len(p.f.blocks))
				d.meta |= isBlock
				p.f.blocks = append(p.f.blocks, block{lbrace: int32(at), rbrace: -1})
				name := p.stmtName()
				if !top.data {
					p.checkTerminator(name, true, at)
				}
				if p.g.LuaBlock(name) {
					p.readLua(d, name)
					continue
				}
				// Data blocks hold entries, not directives: nginx reads
				// their lines as data ("location x;" is a map key) and
				// refuses a nested block.
				fr.named, fr.data = true, p.g.DataBlock(name)
			} else {
				fr.base--
			}
			stack = append(stack, fr)
		case stmtBlockDone:
			if len(stack) == 1 {
				p.errorf(at, at+1, `unexpected "}"`)
				continue
			}
			p.close(stack[len(stack)-1], int32(at))
			stack = stack[:len(stack)-1]
		case stmtEOF, stmtBadEOF:
			if kind == stmtEOF && len(stack) > 1 {
				what := "a block"
				var notes []Note
				if fr := stack[len(stack)-1]; fr.named {
					open := &p.pend[fr.base-1]
					what = fmt.Sprintf("block %q", p.f.nodeName(open))
					notes = append(notes, Note{Start: int(open.start), End: int(open.start) + len(p.f.nodeName(open)), Msg: what + " is opened here"})
				}
				p.errorf(len(p.src), len(p.src), `unexpected end of file, expecting "}" (%s is not closed)`, what)
				p.errs[len(p.errs)-1].Notes = notes
			}
			// Close whatever is still open so the tree keeps what was read.
			for len(stack) > 1 {
				p.close(stack[len(stack)-1], -1)
				stack = stack[:len(stack)-1]
			}
			p.f.top, p.f.ntop = p.flush(0)
			return
		}
	}
}

// close ends the innermost open block at the "}" at offset at (-1: at
// the end of the file).
func (p *parser) close(fr frame, at int32) {
	if !fr.named {
		p.pend = p.pend[:fr.base]
		return
	}
	kids, n := p.flush(fr.base)
	d := &p.pend[fr.base-1]
	b := &p.f.blocks[d.end]
	b.kids, b.nkids = kids, n
	if at >= 0 {
		b.rbrace = at
	}
}

// flush moves the directives p.pend[base:] to the file's table, where
// they stay next to each other, and returns where they start and how
// many they are.
func (p *parser) flush(base int) (int32, int32) {
	f := p.f
	first := int32(len(f.nodes))
	f.nodes = append(f.nodes, p.pend[base:]...)
	p.pend = p.pend[:base]
	for i := first; i < int32(len(f.nodes)); i++ {
		n := &f.nodes[i]
		n.parent = -1
		if b := f.blockOf(n); b != nil {
			for k := b.kids; k < b.kids+b.nkids; k++ {
				f.nodes[k].parent = i
			}
		}
	}
	return first, int32(len(f.nodes)) - first
}

// checkTerminator reports a directive that nginx always reads as a block
// but that ends with ";", and the reverse, as the grammar says.
func (p *parser) checkTerminator(name string, block bool, at int) {
	always, never := p.takesBlock(name)
	switch {
	case !block && always:
		p.errorf(at, at+1, `directive %q has no opening "{"`, name)
	case block && never:
		p.errorf(at, at+1, `directive %q is not terminated by ";"`, name)
	}
}

// directive turns the words just read into a directive of the innermost
// open block and returns it; the pointer is valid until the next one.
func (p *parser) directive() *node {
	f := p.f
	n := node{start: p.name.start, meta: uint32(min(p.argc, maxArgs))}
	if p.argc >= maxArgs {
		if f.manyArgs == nil {
			f.manyArgs = map[int32]int32{}
		}
		f.manyArgs[n.start] = p.argc
	}
	n.meta |= uint32(min(p.name.end-p.name.start, maxNameLen)) << argBits
	if p.name.raw() {
		if f.names == nil {
			f.names = map[int32]string{}
		}
		f.names[n.start] = p.nameVal
		n.meta |= rawName
	}
	if p.stmtName() == "include" {
		n.meta |= includeName
	}
	p.pend = append(p.pend, n)
	return &p.pend[len(p.pend)-1]
}

// stmtName returns the name of the statement just read.
func (p *parser) stmtName() string {
	if p.name.raw() {
		return p.nameVal
	}
	return p.src[p.name.start:p.name.end]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// readStatement reads words up to the next ";", "{" or "}" exactly as
// ngx_conf_read_token does, and reports where the terminator is.
func (p *parser) readStatement() (stmtKind, int) {
	p.argc = 0
	p.hasName = false
	src := p.src
	n := len(src)
	i := p.pos
	for {
		// Between words: skip blanks and comments.
		for i < n {
			c := src[i]
			if isSpace(c) {
				i++
				continue
			}
			if c == '#' {
				end := strings.IndexByte(src[i:], '\n')
				if end < 0 {
					end = n
				} else {
					end += i
				}
				cend := end
				if cend > i && src[cend-1] == '\r' {
					cend--
				}
				if end-i >= MaxToken {
					p.errorf(i, i+1, "too long parameter %q... started: nginx refuses a comment of %d bytes or more", src[i:i+10], MaxToken)
				}
				p.f.Comments = append(p.f.Comments, Comment{Start: int32(i), End: int32(cend)})
				i = end
				continue
			}
			break
		}
		if i >= n {
			p.pos = n
			if p.nwords() > 0 {
				p.errorf(n, n, `unexpected end of file, expecting ";" or "}"`)
				return stmtBadEOF, n
			}
			return stmtEOF, n
		}
		c := src[i]
		switch c {
		case ';', '{':
			if p.nwords() == 0 {
				p.errorf(i, i+1, "unexpected %q", string(c))
				if c == '{' {
					// A block without a name: read it so its braces
					// balance, then drop it.
					p.pos = i + 1
					return stmtBlock, i
				}
				i++
				continue
			}
			p.pos = i + 1
			if c == ';' {
				return stmtEnd, i
			}
			return stmtBlock, i
		case '}':
			if p.nwords() > 0 {
				p.errorf(i, i+1, `unexpected "}"`)
				return stmtCut, i
			}
			p.pos = i + 1
			return stmtBlockDone, i
		}
		if c == '"' || c == '\'' {
			j, ok := p.quoted(i)
			if !ok {
				p.pos = n
				return stmtBadEOF, n
			}
			i = j
			// nginx wants a blank, ";", "{" or ")" after a closing quote.
			if i < n {
				switch c2 := src[i]; {
				case isSpace(c2), c2 == ';', c2 == '{', c2 == ')':
				case c2 == '}':
					// Reported once, as the "}" that cuts the statement.
				default:
					p.errorf(i, i+1, "unexpected %q", string(c2))
				}
			}
			continue
		}
		i = p.word(i)
	}
}

// span is one word of a statement as scanned: its source text, quotes
// included, and how to read its value.
type span struct {
	start, end int32
	quote      byte // '"' or '\'', 0 for an unquoted word
	escaped    bool // the value has escapes to resolve
}

// raw reports whether the word's value differs from its source text.
func (w span) raw() bool { return w.quote != 0 || w.escaped }

// value returns the word's value in src: quotes removed, escapes resolved.
func (w span) value(src string) string {
	v := src[w.start:w.end]
	if w.quote != 0 {
		v = v[1 : len(v)-1]
	}
	if w.escaped {
		return unescape(v)
	}
	return v
}

// skipBlank returns the offset of the first byte at or after i that is
// neither blank nor part of a comment.
func skipBlank(src string, i int) int {
	for i < len(src) {
		switch c := src[i]; {
		case isSpace(c):
			i++
		case c == '#':
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				return len(src)
			}
			i += end
		default:
			return i
		}
	}
	return i
}

// scanWord reads the word that starts at src[i], a byte that is neither
// blank, "#", ";", "{" nor "}", exactly as ngx_conf_read_token does. A
// quoted word runs to its closing quote (ok is false when there is none
// before the end of the file); any other word to the next blank, ";" or
// "{" that is not part of ${var}.
func scanWord(src string, i int) (w span, ok bool) {
	w.start = int32(i)
	if q := src[i]; q == '"' || q == '\'' {
		w.quote = q
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				w.escaped = true
				j++
			case q:
				w.end = int32(j + 1)
				return w, true
			}
		}
		w.end = int32(len(src))
		return w, false
	}
	variable := false
	for i < len(src) {
		c := src[i]
		if !wordSpecial[c] {
			variable = false
			i++
			continue
		}
		switch {
		case c == '{' && variable:
			i++
			continue
		case c == '\\':
			w.escaped = true
			variable = false
			i += 2
			continue
		case c == '$':
			variable = true
			i++
			continue
		case isSpace(c), c == ';', c == '{':
			w.end = int32(i)
			return w, true
		}
		variable = false
		i++
	}
	w.end = int32(min(i, len(src)))
	return w, true
}

// wordSpecial marks the bytes scanWord must look at in an unquoted word;
// any other byte simply continues the word.
var wordSpecial = [256]bool{'{': true, '\\': true, '$': true, ' ': true, '\t': true, '\r': true, '\n': true, ';': true}

// quoted reads the quoted word starting at src[i]; it returns the offset
// after the closing quote.
func (p *parser) quoted(i int) (int, bool) {
	w, ok := scanWord(p.src, i)
	if !ok {
		// nginx reads the rest of the file as the string and reports the
		// end of the file; the quote that opened it is the note.
		p.errorf(len(p.src), len(p.src), `unexpected end of file, expecting ";" or "}": a quoted string is not closed`)
		p.errs[len(p.errs)-1].Notes = []Note{{Start: i, End: i + 1, Msg: "the string opened by this " + string(w.quote) + " is never closed"}}
		return len(p.src), false
	}
	if w.end-w.start-2 >= MaxToken {
		p.errorf(i, i+1, "too long parameter, probably missing terminating %q character: nginx refuses a quoted string of %d bytes or more", string(w.quote), MaxToken)
	}
	p.addWord(w)
	return int(w.end), true
}

// word reads the unquoted word starting at src[i] and returns the offset
// just past it.
func (p *parser) word(i int) int {
	w, _ := scanWord(p.src, i)
	if w.end-w.start >= MaxToken && int(w.end) < len(p.src) {
		p.errorf(i, i+1, "too long parameter %q... started: nginx refuses a word of %d bytes or more", p.src[i:i+10], MaxToken)
	}
	p.addWord(w)
	return int(w.end)
}

func (p *parser) addWord(w span) {
	if !p.hasName {
		p.hasName, p.name = true, w
		if w.raw() {
			p.nameVal = w.value(p.src)
		}
		return
	}
	p.argc++
}

// unescape resolves the escapes nginx resolves in words: \" \' \\ become
// the character, \t \r \n the control character; any other backslash is
// kept.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '"', '\'', '\\':
				i++
				c = s[i]
			case 't':
				i++
				c = '\t'
			case 'r':
				i++
				c = '\r'
			case 'n':
				i++
				c = '\n'
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// readLua reads the raw body of a *_by_lua_block directive, whose "{"
// has just been read, up to its matching "}". Lua strings, long brackets
// and comments may contain braces.
func (p *parser) readLua(d *node, name string) {
	src := p.src
	n := len(src)
	depth := 0
	i := p.pos
	for i < n {
		c := src[i]
		switch {
		case c == '{':
			depth++
		case c == '}':
			if depth == 0 {
				p.f.blocks[d.end].rbrace = int32(i)
				p.pos = i + 1
				return
			}
			depth--
		case c == '"' || c == '\'':
			// A string runs to its closing quote on the same line; an
			// unclosed quote is a lone character, as nginx-lua reads it.
			j := i + 1
			for j < n && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j < n && src[j] == c {
				i = j
			}
		case c == '[' && luaLongOpen(src[i:]) > 0:
			lvl := luaLongOpen(src[i:])
			i = luaLongClose(src, i+lvl+1, lvl)
			continue
		case c == '-' && strings.HasPrefix(src[i:], "--"):
			i += 2
			if lvl := luaLongOpen(src[i:]); lvl > 0 {
				i = luaLongClose(src, i+lvl+1, lvl)
				continue
			}
			for i < n && src[i] != '\n' {
				i++
			}
			continue
		}
		i++
	}
	lb := int(p.f.blocks[d.end].lbrace)
	p.errorf(lb, lb+1, `unexpected end of file, expecting "}" to close the Lua block of %q`, name)
	p.pos = n
}

// luaLongOpen returns the level of a Lua long bracket opener at the start
// of s, that is the number of "=" plus one ("[[" is 1, "[==[" is 3), or 0
// when s does not start with one.
func luaLongOpen(s string) int {
	if len(s) < 2 || s[0] != '[' {
		return 0
	}
	j := 1
	for j < len(s) && s[j] == '=' {
		j++
	}
	if j < len(s) && s[j] == '[' {
		return j
	}
	return 0
}

// luaLongClose returns the offset after the long bracket closer matching an
// opener of length lvl ("]]" for "[["), searching from i.
func luaLongClose(src string, i, lvl int) int {
	closer := "]" + strings.Repeat("=", lvl-1) + "]"
	j := strings.Index(src[i:], closer)
	if j < 0 {
		return len(src)
	}
	return i + j + len(closer)
}
