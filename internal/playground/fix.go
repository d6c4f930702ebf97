package playground

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/fix"
)

// MaxFixRounds bounds ApplyAll's fix-and-check-again loop, as it bounds
// "nginxlint --fix".
const MaxFixRounds = 5

// Fixed is the tree after fixes.
type Fixed struct {
	// Files are all the tree's files, the changed ones with their new
	// text.
	Files map[string]string `json:"files"`
	// Changed names the files that changed, sorted.
	Changed []string `json:"changed"`
	// Fixed counts the findings whose fixes were applied.
	Fixed int `json:"fixed"`
}

// ErrStale is returned by Apply when the finding asked for is not the one
// a lint of the input finds there: the text changed since.
var ErrStale = errors.New("the configuration changed since it was linted; lint it again")

// Apply applies the first fix of the finding at index (in Lint's order) to
// the files of in: the edits "nginxlint --fix" makes for that finding,
// and nothing else. rule, when not empty, must be that finding's rule
// (ErrStale otherwise).
func Apply(rules []*lint.Rule, in Input, index int, rule string) (*Fixed, error) {
	r := lintInput(rules, in)
	if index < 0 || index >= len(r.diags) || rule != "" && r.diags[index].Rule != rule {
		return nil, ErrStale
	}
	d := r.diags[index]
	if len(d.Fixes) == 0 {
		return nil, fmt.Errorf("this %s finding has no fix nginxlint is sure of", d.Rule)
	}
	edits, skipped := fix.Plan([]lint.Diagnostic{d})
	if len(skipped) > 0 {
		return nil, fmt.Errorf("the fix of this %s finding cannot be applied: its edits overlap", d.Rule)
	}
	out := &Fixed{Files: maps.Clone(in.Files)}
	if err := apply(out, edits); err != nil {
		return nil, err
	}
	return out, nil
}

// ApplyAll applies the fixes nginxlint is sure of, as "nginxlint --fix"
// does: fix, lint again (a fix can uncover a finding another rule could
// not see), until nothing changes, at most MaxFixRounds times. Nothing
// is changed on a lint that was not complete.
func ApplyAll(rules []*lint.Rule, in Input) (*Fixed, error) {
	out := &Fixed{Files: maps.Clone(in.Files)}
	for round := 0; round < MaxFixRounds; round++ {
		r := lintInput(rules, Input{Files: out.Files, NginxVersion: in.NginxVersion, Stock: in.Stock})
		if r.incomplete {
			if round == 0 {
				return nil, errors.New("nothing fixed: " + firstError(r) + "; fixes are applied only when the tree was read completely")
			}
			break
		}
		edits, _ := fix.Plan(r.diags)
		if len(edits) == 0 {
			break
		}
		if err := apply(out, edits); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// apply writes edits into out.
func apply(out *Fixed, edits []fix.FileEdit) error {
	seen := map[string]bool{}
	for _, fe := range edits {
		name := fe.File.Name
		old, ok := out.Files[name]
		if fe.File.Stock || !ok {
			return fmt.Errorf("a fix edits %s, which is not a file of the tree", name)
		}
		if old != fe.File.Src {
			return ErrStale
		}
		if seen[name] {
			return fmt.Errorf("a fix edits %s twice", name)
		}
		seen[name] = true
		out.Files[name] = fe.New
		out.Fixed += len(fe.Applied)
		if !slices.Contains(out.Changed, name) {
			out.Changed = append(out.Changed, name)
		}
	}
	slices.Sort(out.Changed)
	return nil
}

// firstError is what the first error of r says.
func firstError(r *run) string {
	if len(r.errors) == 0 {
		return "the tree was not read completely"
	}
	return r.errors[0].Message
}
