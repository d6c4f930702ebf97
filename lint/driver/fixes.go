package driver

import (
	"slices"
	"strconv"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// A file included in several places is parsed once and checked at each
// place (each instance): a rule sees its directives once per instance,
// in that instance's context, and reports once per instance. An edit of
// such a file changes every instance at once, so it is right only when it
// is right for each of them. keepCertainFixes keeps a fix only when, for
// every edit it makes in a file with several instances, the rule proposed
// that same edit once per instance; Sort then drops the fix of duplicate
// findings that disagree.

// editKey identifies an edit proposed by a rule.
type editKey struct {
	rule       string
	file       *syntax.File
	start, end int
	text       string
}

// keepCertainFixes drops, in place, the fixes of ds (the findings of one
// tree; weight[i] is how many instances reported ds[i]) that edit a file
// the tree includes more than once without every instance's finding
// proposing the same edit. The findings stay, without those fixes.
func keepCertainFixes(t *syntax.Tree, ds []lint.Diagnostic, weight []int) {
	edited := map[*syntax.File]int{}
	for i := range ds {
		for _, f := range ds[i].Fixes {
			for _, e := range f.Edits {
				edited[e.File] = 0
			}
		}
	}
	if len(edited) == 0 {
		return
	}
	if !countInstances(t, edited) {
		return
	}

	// support counts, per edit of a file with several instances, the
	// findings of the rule that propose it: one per instance that wants it.
	support := map[editKey]int{}
	var mine []editKey
	for i := range ds {
		mine = mine[:0]
		for _, f := range ds[i].Fixes {
			for _, e := range f.Edits {
				if edited[e.File] < 2 {
					continue
				}
				k := editKey{ds[i].Rule, e.File, e.Start, e.End, e.NewText}
				if !slices.Contains(mine, k) {
					mine = append(mine, k)
					support[k] += weight[i]
				}
			}
		}
	}
	if len(support) == 0 {
		return
	}
	for i := range ds {
		d := &ds[i]
		if len(d.Fixes) == 0 {
			continue
		}
		certain := func(f lint.Fix) bool {
			for _, e := range f.Edits {
				if n := edited[e.File]; n >= 2 && support[editKey{d.Rule, e.File, e.Start, e.End, e.NewText}] < n {
					return false
				}
			}
			return true
		}
		if slices.IndexFunc(d.Fixes, func(f lint.Fix) bool { return !certain(f) }) < 0 {
			continue
		}
		var keep []lint.Fix // a new slice: the rule's may be shared
		for _, f := range d.Fixes {
			if certain(f) {
				keep = append(keep, f)
			}
		}
		d.Fixes = keep
	}
}

// countInstances sets, for each file of n, how many times the tree holds
// it: once as its main file, once per inclusion (a snippet included by an
// included file counts once per instance of that file). It reports
// whether any of them has more than one instance.
func countInstances(t *syntax.Tree, n map[*syntax.File]int) bool {
	if _, ok := n[t.Main]; ok {
		n[t.Main]++
	}
	t.Walk(func(d syntax.Directive) {
		if !d.IsInclude() {
			return
		}
		for _, f := range d.IncludedFiles() {
			if _, ok := n[f]; ok {
				n[f]++
			}
		}
	})
	for _, c := range n {
		if c > 1 {
			return true
		}
	}
	return false
}

// sameFixes reports whether two findings propose the same fixes: the
// same edits, in the same order.
func sameFixes(a, b []lint.Fix) bool {
	return slices.EqualFunc(a, b, func(x, y lint.Fix) bool {
		return slices.Equal(x.Edits, y.Edits)
	})
}

// reportKey identifies a finding as a rule reports it: the same finding
// with the same fixes, from another instance of its file, has the same
// key.
type reportKey struct {
	file       *syntax.File
	start, end int
	message    string
	fixes      string
}

// fixesKey renders the edits of fixes as a string, for reportKey.
func fixesKey(fixes []lint.Fix) string {
	if len(fixes) == 0 {
		return ""
	}
	var b []byte
	for _, f := range fixes {
		b = append(b, f.Message...)
		for _, e := range f.Edits {
			b = append(b, 0)
			if e.File != nil {
				b = append(b, e.File.Name...) // one name a file, in a tree
			}
			b = append(b, 0)
			b = strconv.AppendInt(b, int64(e.Start), 10)
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(e.End), 10)
			b = append(b, 0)
			b = append(b, e.NewText...)
		}
		b = append(b, 1)
	}
	return string(b)
}
