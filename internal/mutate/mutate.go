// Package mutate makes single, seeded edits to nginx configurations that
// nginx should refuse: the mutations of a mutation harness. It only makes
// the invalid configuration from a valid one; running real nginx on it and
// measuring the linter is internal/mutate/judge's job, which builds on
// this package (this one imports no part of the judge).
//
// A Kind is one sort of edit (a misspelled directive name, a deleted ";",
// a duplicate location ...). Mutate applies a kind to one file of a loaded
// tree (lint/syntax) at a site it picks with the random source it is
// given: the same tree, kind and seed give the same mutant. Kinds use only
// what the configuration itself shows (directive names, blocks, arguments)
// and a few facts of nginx they name in their code; they are generic over
// any configuration, and nginx, not the kind, decides whether a mutant is
// wrong: the judge keeps only the mutants real `nginx -t` refuses.
package mutate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Kind is one sort of mutation.
type Kind struct {
	// Name is a stable slug: "misspelled-directive".
	Name string
	// Doc says what the kind does and where.
	Doc string
	// Syntax marks the kinds that break the syntax (a deleted ";" ...)
	// rather than the meaning.
	Syntax bool
	// VersionGated marks the kind whose mutants only an older nginx
	// refuses: directives and parameters newer than the nginx that
	// checks them.
	VersionGated bool

	mutate func(*mutator) bool
}

// Mutant is one mutated configuration: a tree with one file changed.
type Mutant struct {
	Kind *Kind
	// File is the file changed, as loaded; Src its new content.
	File *syntax.File
	Src  string
	// Line is the 1-based line of the edit in Src.
	Line int
	// Desc says what was done, for reports.
	Desc string
}

// Mutate applies kind to one file of tree at a site chosen with r, among
// the files for which editable is true (every file when it is nil). ok is
// false when the tree has no site for the kind. tree must have been
// loaded with nginx.Grammar{}.
func Mutate(tree *syntax.Tree, kind *Kind, r *rand.Rand, editable func(*syntax.File) bool) (Mutant, bool) {
	m := &mutator{tree: tree, r: r, editable: editable}
	m.index()
	if !kind.mutate(m) || len(m.edits) == 0 {
		return Mutant{}, false
	}
	src, line := m.apply()
	if src == m.file.Src {
		return Mutant{}, false
	}
	return Mutant{Kind: kind, File: m.file, Src: src, Line: line, Desc: m.desc}, true
}

// Kinds returns every kind, in the order reports list them.
func Kinds() []*Kind { return slices.Clone(kinds) }

// KindNamed returns the kind named name, nil for none.
func KindNamed(name string) *Kind {
	for _, k := range kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// site is a directive of the tree a kind may edit, with its context.
type site struct {
	d   syntax.Directive
	ctx string // the name of the enclosing block, or the tree's context at the top
}

// slot is a place directives can be inserted: the block of a block
// directive, or the top level of the main file of a snippet.
type slot struct {
	block syntax.Directive // zero for the main file's top level
	typ   string           // "http", "server", "location", "if", "upstream", "events", "stream", "stream-server" ...
	file  *syntax.File
	in    string // the type of the enclosing slot ("" at the top of a whole configuration)
}

// edit replaces the bytes [start, end) of the mutated file with text.
type edit struct {
	start, end int
	text       string
}

type mutator struct {
	tree     *syntax.Tree
	r        *rand.Rand
	editable func(*syntax.File) bool
	sites    []site
	slots    []slot

	file  *syntax.File
	edits []edit
	mark  int // the edit whose line is the mutant's
	desc  string
}

// index lists the directives of the editable files once each (a file
// included twice is edited once), skipping the entries of data blocks
// (map, types ...) and Lua code, and the blocks directives can be
// inserted in.
func (m *mutator) index() {
	seen := map[[2]any]bool{}
	g := nginx.Grammar{}
	m.tree.Walk(func(d syntax.Directive) {
		key := [2]any{d.File(), d.Start()}
		if seen[key] {
			return
		}
		seen[key] = true
		if m.editable != nil && !m.editable(d.File()) {
			return
		}
		for p := d.BlockParent(); !p.IsZero(); p = p.BlockParent() {
			if g.DataBlock(p.Name()) || g.LuaBlock(p.Name()) {
				return
			}
		}
		m.sites = append(m.sites, site{d: d, ctx: m.slotType(d.BlockParent())})
		if d.IsBlock() && !g.DataBlock(d.Name()) && !g.LuaBlock(d.Name()) && d.RBrace() >= 0 {
			m.slots = append(m.slots, slot{block: d, typ: m.slotType(d), file: d.File(), in: m.slotType(d.BlockParent())})
		}
	})
	if m.tree.Context != "main" && len(m.tree.Directives) > 0 && (m.editable == nil || m.editable(m.tree.Main)) {
		m.slots = append(m.slots, slot{typ: m.tree.Context, file: m.tree.Main})
	}
}

// slotType names the kind of block d is: its name, with "stream-" before
// the server and upstream blocks of stream; the tree's context for the
// zero directive (the top level).
func (m *mutator) slotType(d syntax.Directive) string {
	if d.IsZero() {
		if m.tree.Context == "" {
			return "main"
		}
		return m.tree.Context
	}
	name := d.Name()
	if name == "server" || name == "upstream" {
		switch {
		case m.inStream(d):
			return "stream-" + name
		case m.inMail(d):
			return "mail-" + name
		}
	}
	return name
}

// inStream reports whether d is inside a stream block (or a stream
// snippet).
func (m *mutator) inStream(d syntax.Directive) bool {
	for p := d.BlockParent(); !p.IsZero(); p = p.BlockParent() {
		switch p.Name() {
		case "stream":
			return true
		case "http", "mail":
			return false
		}
	}
	return m.tree.Context == "stream"
}

// inMail reports whether d is inside a mail block.
func (m *mutator) inMail(d syntax.Directive) bool {
	for p := d.BlockParent(); !p.IsZero(); p = p.BlockParent() {
		if p.Name() == "mail" {
			return true
		}
	}
	return false
}

// pick returns a random index below n.
func (m *mutator) pick(n int) int { return m.r.IntN(n) }

// choose returns one of the strings.
func (m *mutator) choose(s ...string) string { return s[m.r.IntN(len(s))] }

// filter returns the sites for which keep is true.
func (m *mutator) filter(keep func(site) bool) []site {
	var out []site
	for _, s := range m.sites {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// on starts the edits of a mutant in f.
func (m *mutator) on(f *syntax.File, format string, args ...any) {
	m.file = f
	m.edits = m.edits[:0]
	m.mark = 0
	m.desc = fmt.Sprintf(format, args...)
}

// add records an edit of the mutated file; the mutant's line is that of
// the edit marked main (the first one unless markLast is called).
func (m *mutator) add(start, end int, text string) {
	m.edits = append(m.edits, edit{start, end, text})
}

// markLast makes the last edit the one whose line the mutant records.
func (m *mutator) markLast() { m.mark = len(m.edits) - 1 }

// apply returns the mutated text and the line of the marked edit: the
// line its text starts on, after the newlines it begins with.
func (m *mutator) apply() (string, int) {
	src := m.file.Src
	es := slices.Clone(m.edits)
	order := make([]int, len(es))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return es[a].start - es[b].start })
	var b strings.Builder
	pos, line := 0, 0
	for _, i := range order {
		e := es[i]
		if e.start < pos {
			continue // overlapping edits: keep the first
		}
		b.WriteString(src[pos:e.start])
		if i == m.mark {
			lead := len(e.text) - len(strings.TrimLeft(e.text, " \t\r\n"))
			line = strings.Count(b.String(), "\n") + strings.Count(e.text[:lead], "\n") + 1
		}
		b.WriteString(e.text)
		pos = e.end
	}
	b.WriteString(src[pos:])
	return b.String(), line
}

// text returns the source text of d: the directive with its block.
func text(d syntax.Directive) string { return d.File().Src[d.Start():d.End()] }

// indentOf returns the blanks that start the line holding offset off.
func indentOf(f *syntax.File, off int) string {
	start := strings.LastIndexByte(f.Src[:off], '\n') + 1
	end := start
	for end < len(f.Src) && (f.Src[end] == ' ' || f.Src[end] == '\t') {
		end++
	}
	return f.Src[start:end]
}

// insertAfter inserts text on a new line after directive d, indented
// like d.
func (m *mutator) insertAfter(d syntax.Directive, text string) {
	f := d.File()
	m.add(int(d.End()), int(d.End()), "\n"+indentOf(f, int(d.Start()))+text)
}

// insertInto inserts text as the first directive of slot s, on a line of
// its own.
func (m *mutator) insertInto(s slot, text string) {
	if s.block.IsZero() {
		f := s.file
		ds := f.Directives()
		at := 0
		if len(ds) > 0 {
			at = strings.LastIndexByte(f.Src[:ds[0].Start()], '\n') + 1
		}
		m.add(at, at, text+"\n")
		return
	}
	f := s.block.File()
	lb := int(s.block.LBrace())
	indent := indentOf(f, int(s.block.Start())) + "    "
	if kids := s.block.Block(); len(kids) > 0 && kids[0].File() == f {
		indent = indentOf(f, int(kids[0].Start()))
		if strings.TrimSpace(f.Src[strings.LastIndexByte(f.Src[:kids[0].Start()], '\n')+1:kids[0].Start()]) != "" {
			indent = indentOf(f, int(s.block.Start())) + "    "
		}
	}
	m.add(lb+1, lb+1, "\n"+indent+text)
}

// slotsWhere returns the slots for which keep is true.
func (m *mutator) slotsWhere(keep func(slot) bool) []slot {
	var out []slot
	for _, s := range m.slots {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// children returns the directives directly in slot s, through includes.
func (m *mutator) children(s slot) []syntax.Directive {
	if s.block.IsZero() {
		var out []syntax.Directive
		var walk func(ds []syntax.Directive)
		walk = func(ds []syntax.Directive) {
			for _, d := range ds {
				if d.IsInclude() {
					walk(d.Included())
					continue
				}
				out = append(out, d)
			}
		}
		walk(m.tree.Directives)
		return out
	}
	return s.block.Children()
}

// slotOf returns the slot of block directive d; ok is false when d is no
// slot.
func (m *mutator) slotOf(d syntax.Directive) (slot, bool) {
	if d.IsZero() {
		for _, s := range m.slots {
			if s.block.IsZero() {
				return s, true
			}
		}
		return slot{}, false
	}
	for _, s := range m.slots {
		if s.block == d {
			return s, true
		}
	}
	return slot{}, false
}

// plainName reports whether d's name is written as a plain word.
func plainName(d syntax.Directive) bool {
	f := d.File()
	return f.Src[d.Start():d.NameEnd()] == d.Name()
}

// hasVar reports whether s holds a variable reference.
func hasVar(s string) bool { return strings.Contains(s, "$") }
