package model

import (
	"sync"

	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

// SuggestDirective returns the directive nginx knows whose name is
// closest to name (a few edits away), preferring those allowed in
// context c: the "did you mean" of an unknown directive. "" when none
// is close.
func SuggestDirective(name string, c nginx.Context) string {
	best, bestD, bestAllowed := "", -1, false
	limit := max(2, len(name)/3)
	var dist textutil.Distances
	counts := directiveCounts()
	for i, cand := range nginx.DirectiveNames() {
		if n := len(cand) - len(name); n > limit || -n > limit {
			continue
		}
		d, ok := dist.WithinCounted(name, cand, &counts[i], limit)
		if !ok {
			continue
		}
		allowed := false
		for _, v := range nginx.Variants(cand) {
			allowed = allowed || v.Contexts&c != 0
		}
		better := bestD < 0 || allowed && !bestAllowed || allowed == bestAllowed && (d < bestD || d == bestD && cand < best)
		if better {
			best, bestD, bestAllowed = cand, d, allowed
		}
	}
	return best
}

// directiveCounts holds the letter counts of nginx.DirectiveNames, in
// its order.
var directiveCounts = sync.OnceValue(func() []textutil.Counts {
	names := nginx.DirectiveNames()
	counts := make([]textutil.Counts, len(names))
	for i, name := range names {
		counts[i] = textutil.CountLetters(name)
	}
	return counts
})

// Closest returns the word of cands closest to word (a few edits away),
// or "" when none is close: a "did you mean" (textutil.Closest, for the
// rules, which see the model and not the CLI's helpers).
func Closest(word string, cands []string) string { return textutil.Closest(word, cands) }

// LooksLikeDirective reports whether name is an nginx directive, or a
// near miss of one (a typo): what tells an nginx file from another
// tool's by its first word (workspace.LoadOptions.Known).
func LooksLikeDirective(name string) bool {
	return nginx.Lookup(name) != nil || textutil.Closest(name, nginx.DirectiveNames()) != ""
}
