package model

import (
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// ContextOf returns the context nginx reads d in: the one its directive
// table's contexts speak of (the server of http, the if block of a
// location ...). ok is false where nginx does not read directives, or
// where the table cannot say: inside a data block (map, geo, types ...),
// inside a block nginx does not know (a third-party module's own, or a
// misspelled one), and in an if block or a server block outside the
// places nginx has them.
func (ix *Index) ContextOf(d syntax.Directive) (nginx.Context, bool) {
	p := d.BlockParent()
	if p.IsZero() {
		return rootContext(ix.tree.Context)
	}
	return ix.blockContext(p)
}

// blockContext returns the context of the directives in block b.
func (ix *Index) blockContext(b syntax.Directive) (nginx.Context, bool) {
	outer, ok := ix.ContextOf(b)
	return innerContext(b.Name(), outer, ok)
}

// rootContext is the context of a tree's top level.
func rootContext(root string) (nginx.Context, bool) {
	switch root {
	case "main":
		return nginx.Main, true
	case "http":
		return nginx.HTTP, true
	case "server":
		return nginx.HTTPServer, true
	case "location":
		return nginx.HTTPLocation, true
	case "stream":
		return nginx.Stream, true
	case "upstream":
		return nginx.HTTPUpstream, true
	}
	return 0, false
}

// WalkContexts calls fn for every directive of the tree in the order
// nginx reads them, with the context nginx reads it in (see ContextOf):
// one walk, each block's context computed once, nothing allocated per
// directive.
func (ix *Index) WalkContexts(fn func(d syntax.Directive, c nginx.Context, ok bool)) {
	type level struct {
		block syntax.Directive
		c     nginx.Context
		ok    bool
	}
	c, ok := rootContext(ix.tree.Context)
	stack := []level{{c: c, ok: ok}} // the blocks around the directive, outermost first
	ix.tree.Walk(func(d syntax.Directive) {
		bp := d.BlockParent()
		for len(stack) > 1 {
			t := stack[len(stack)-1].block
			if t == bp || !bp.IsZero() && t == bp.BlockParent() {
				break
			}
			stack = stack[:len(stack)-1]
		}
		if top := stack[len(stack)-1]; top.block != bp {
			// The first directive of a block: bp was the last block seen
			// at the level of top.
			c, ok := innerContext(bp.Name(), top.c, top.ok)
			stack = append(stack, level{bp, c, ok})
		}
		top := stack[len(stack)-1]
		fn(d, top.c, top.ok)
	})
}

// innerContext is the context inside a block named name that stands in
// context outer.
func innerContext(name string, outer nginx.Context, ok bool) (nginx.Context, bool) {
	switch name {
	case "events":
		return nginx.Events, true
	case "http":
		return nginx.HTTP, true
	case "stream":
		return nginx.Stream, true
	case "mail":
		return nginx.Mail, true
	case "location":
		return nginx.HTTPLocation, true
	case "limit_except":
		return nginx.LimitExcept, true
	}
	if !ok {
		return 0, false
	}
	switch {
	case name == "server" && outer == nginx.HTTP:
		return nginx.HTTPServer, true
	case name == "server" && outer == nginx.Stream:
		return nginx.StreamServer, true
	case name == "server" && outer == nginx.Mail:
		return nginx.MailServer, true
	case name == "upstream" && outer == nginx.HTTP:
		return nginx.HTTPUpstream, true
	case name == "upstream" && outer == nginx.Stream:
		return nginx.StreamUpstream, true
	case name == "if" && outer == nginx.HTTPServer:
		return nginx.HTTPServerIf, true
	case name == "if" && outer == nginx.HTTPLocation:
		return nginx.HTTPLocationIf, true
	}
	return 0, false
}
