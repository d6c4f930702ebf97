package rules

import "github.com/nginxlint/nginxlint/lint"

// reportProblems reports what the loader found of one kind: the loader
// reads the text once, and these rules only turn its problems into
// findings, so they can be configured and suppressed like any other.
func reportProblems(kind string) func(*lint.Pass) {
	return func(p *lint.Pass) {
		for _, pr := range p.Tree.Problems {
			if pr.Kind == kind {
				d := lint.Diagnostic{File: pr.File, Start: pr.Start, End: pr.End, Message: pr.Msg}
				for _, n := range pr.Notes {
					d.Related = append(d.Related, lint.Related{File: pr.File, Start: n.Start, End: n.End, Message: n.Msg})
				}
				p.Report(d)
			}
		}
	}
}
