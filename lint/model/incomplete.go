package model

import (
	"iter"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Incomplete reports whether what applies in block may come from a file
// the tree does not hold: block, or a block around it (or the top
// level), has an include of a single file that was not read (missing, or
// outside the tree). Rules that would report something missing (a
// certificate, a definition) stay silent then: the file nginx reads on
// the host may well hold it. A glob that matches nothing includes
// nothing, in nginx too, and leaves the block complete.
//
// A tree that was not read completely (Tree.ReadErrors: a file that could
// not be read, a limit reached) is incomplete everywhere.
func (ix *Index) Incomplete(block syntax.Directive) bool {
	if len(ix.tree.ReadErrors) > 0 {
		return true
	}
	for b := block; ; b = b.BlockParent() {
		if ix.levelIncomplete(b) {
			return true
		}
		if b.IsZero() {
			return false
		}
	}
}

// levelIncomplete reports whether the block (zero: the top level) has an
// unread single-file include among its own directives, looking through
// the includes that were read. What is found is kept.
func (ix *Index) levelIncomplete(b syntax.Directive) bool {
	if v, ok := ix.incomplete.Load(b); ok {
		return v.(bool)
	}
	ds := b.EachInBlock()
	if b.IsZero() {
		ds = slices.Values(ix.tree.Directives)
	}
	found := unreadInclude(ds)
	ix.incomplete.Store(b, found)
	return found
}

// unreadInclude reports whether ds, or what their includes include, hold
// an include of a single file that was not read.
func unreadInclude(ds iter.Seq[syntax.Directive]) bool {
	for d := range ds {
		if !d.IsInclude() {
			continue
		}
		if d.NArgs() == 1 && d.NumIncluded() == 0 && !strings.ContainsAny(d.Arg(0), "*?[") {
			return true
		}
		if unreadInclude(d.EachIncluded()) {
			return true
		}
	}
	return false
}

// AnyIncomplete reports whether any part of the tree may lack what a file
// it does not hold says: an include that was not read (missing, outside
// the tree, unreadable), or a read error. Rules that conclude that a
// definition is missing anywhere in the configuration (an upstream block)
// stay silent then.
func (ix *Index) AnyIncomplete() bool {
	if len(ix.tree.ReadErrors) > 0 {
		return true
	}
	for _, p := range ix.tree.Problems {
		if p.Kind == syntax.KindInclude || p.Kind == syntax.KindOutside {
			return true
		}
	}
	return false
}
