// Package driver runs nginxlint's rules over a loaded tree: in parallel,
// each rule isolated from the others' panics, with the severities the
// configuration gives, then applies the suppression comments and returns
// the findings sorted and without duplicates.
//
// What the configuration and the comments may change has limits: the
// findings that say nginx refuses the tree (see [Fatal]) stay errors and
// stay reported, and a fix is kept only where it is right for every place
// the file it edits is included (see [Run]).
package driver

import (
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// IgnoreRuleID is the ID of the rule whose findings are about the
// suppression comments themselves. The driver reports them (the rule's
// own Run does nothing); its severity is the rule's, when the rule is
// among those run, or the configuration's.
const IgnoreRuleID = "nginxlint-ignore"

// Fatal are the IDs of the rules whose findings say that nginx refuses
// the configuration: a syntax error (syntax), an include it cannot
// follow (include). Nothing lowers them to a clean run: they are errors
// whatever Config.Severity says; they are reported when the rules are
// disabled or not enabled (Config.Disabled, or missing from the rules
// given to Run), from the loader's problems of the same kind; no
// suppression comment can name them; and Config.Exclude does not drop
// them from a tree nginx loads (one whose main file is not a fragment).
var Fatal = []string{syntax.KindSyntax, syntax.KindInclude}

// IsFatal reports whether id is one of the Fatal rules.
func IsFatal(id string) bool { return slices.Contains(Fatal, id) }

// Config is what a run checks the tree against.
type Config struct {
	// Manifest is the backend manifest, nil without one; rules that need
	// it are then skipped. Findings about it point into its text.
	Manifest *manifest.Manifest
	// Severity overrides rules' default severities, by rule ID; not
	// those of the Fatal rules, which are always errors.
	Severity map[string]lint.Severity
	// NginxVersion is the version of nginx the tree runs on ("1.22.1"),
	// for rules whose truth depends on it; "" when unknown.
	NginxVersion string
	// Disabled are the IDs of known rules the configuration turned off:
	// suppressions may name them without being reported as unknown or
	// unused. The Fatal rules report even when listed here.
	Disabled []string
	// Modules are the third-party modules the configuration declares
	// built into nginx (.nginxlint.toml's modules).
	Modules []string
	// Directives are directives of modules the directive table does not
	// know (.nginxlint.toml's directives).
	Directives []nginx.Variant
	// Exclude, when set, drops the findings in the files (by display
	// name) for which it returns true; not those of the Fatal rules in a
	// tree that is not a fragment (nginx reads its files).
	Exclude func(name string) bool
	// Apps are the app configurations read for the run (the manifest's
	// app = links, compose files); nil when none were read.
	Apps *read.Set
}

// Run runs rules over the tree, applies the suppression comments and
// the exclusions, and returns the findings sorted by file, offset and
// rule, without duplicates (a file included in several places is
// checked at each place but reported once per finding).
//
// The findings of the Fatal rules are reported whatever the rules and
// the configuration say (see Fatal).
//
// A fix is kept only when it is right for every place it changes: an
// edit of a file included in several places (a snippet included by two
// locations) changes them all, so a fix with such an edit is kept only
// when the rule proposed that same edit at every one of them, once per
// inclusion; otherwise the finding stays, without the fix. Findings
// that are the same (lint.Same) but propose different fixes keep none
// (see Sort).
//
// A rule that panics does not take the others down: its findings are
// dropped and the error names it, so the run can fail instead of looking
// clean.
func Run(t *syntax.Tree, rules []*lint.Rule, cfg Config) ([]lint.Diagnostic, error) {
	diags, err := runRules(t, rules, cfg)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	ignoreSeverity := lint.Warning
	for _, r := range rules {
		known[r.ID] = !r.NeedsManifest || cfg.Manifest != nil
		if r.ID == IgnoreRuleID {
			ignoreSeverity = r.Severity
			if s, ok := cfg.Severity[r.ID]; ok {
				ignoreSeverity = s
			}
		}
	}
	for _, id := range cfg.Disabled {
		known[id] = false
	}
	for _, id := range Fatal {
		known[id] = true // they always run (see Fatal)
	}
	diags = ApplySuppressions(t.Files, diags, known, ignoreSeverity, cfg.Apps.Files()...)
	if cfg.Exclude != nil {
		diags = slices.DeleteFunc(diags, func(d lint.Diagnostic) bool {
			if IsFatal(d.Rule) && !t.Fragment {
				return false // nginx reads this file and refuses it
			}
			return d.File != nil && cfg.Exclude(d.File.Name)
		})
	}
	return diags, nil
}

// runRules runs the rules in parallel, each with its severity, and
// returns their findings sorted and without duplicates.
func runRules(t *syntax.Tree, rules []*lint.Rule, cfg Config) ([]lint.Diagnostic, error) {
	opts := []model.Option{model.Modules(cfg.Modules...), model.Directives(cfg.Directives...), model.Apps(cfg.Apps)}
	if v, ok := nginx.ParseVersion(cfg.NginxVersion); ok {
		opts = append(opts, model.TargetVersion(v))
	}
	ix := model.NewIndex(t, opts...)
	m := cfg.Manifest
	var mfile *syntax.File
	if m != nil {
		mfile = &syntax.File{Name: m.Path, Src: m.Src}
	}
	results := make([][]lint.Diagnostic, len(rules))
	weights := make([][]int, len(rules)) // how many instances reported each
	failures := make([]error, len(rules))
	ran := map[string]bool{}
	var wg sync.WaitGroup
	for i, r := range rules {
		if r.NeedsManifest && m == nil {
			continue
		}
		ran[r.ID] = true
		sev := r.Severity
		if s, ok := cfg.Severity[r.ID]; ok {
			sev = s
		}
		if IsFatal(r.ID) {
			sev = lint.Error
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					results[i] = nil
					failures[i] = fmt.Errorf("internal error in rule %s: %v\n%s", r.ID, v, debug.Stack())
				}
			}()
			p := &lint.Pass{Rule: r, Tree: t, Model: ix, Manifest: m, ManifestFile: mfile, NginxVersion: cfg.NginxVersion}
			// A file included in many places is checked at each, and a
			// rule reports the same finding once per instance: it is
			// kept once, with the number of instances that reported it
			// (what keepCertainFixes weighs), so that memory follows the
			// findings, not the findings times the instances.
			seen := map[reportKey]int{}
			p.Report = func(d lint.Diagnostic) {
				if len(d.Fixes) > 0 && !r.Fixable {
					panic(fmt.Sprintf("rule %s reported a fix but is not marked Fixable", r.ID))
				}
				d.Rule, d.Severity = r.ID, sev
				k := reportKey{d.File, d.Start, d.End, d.Message, fixesKey(d.Fixes)}
				if j, ok := seen[k]; ok {
					weights[i][j]++
					return
				}
				seen[k] = len(results[i])
				results[i] = append(results[i], d)
				weights[i] = append(weights[i], 1)
			}
			r.Run(p)
		}()
	}
	wg.Wait()
	var all []lint.Diagnostic
	var weight []int
	for i, ds := range results {
		all = append(all, ds...)
		weight = append(weight, weights[i]...)
	}
	if err := errors.Join(failures...); err != nil {
		return nil, err
	}
	for _, id := range Fatal {
		if !ran[id] {
			for _, d := range problemFindings(t, id) {
				all = append(all, d)
				weight = append(weight, 1)
			}
		}
	}
	keepCertainFixes(t, all, weight)
	return Sort(all), nil
}

// problemFindings returns the loader's problems of one kind as findings
// of the rule of that ID, at error: what the Fatal rules report (rules'
// reportProblems), for a run in which they are not among the rules.
func problemFindings(t *syntax.Tree, kind string) []lint.Diagnostic {
	var out []lint.Diagnostic
	for _, pr := range t.Problems {
		if pr.Kind != kind {
			continue
		}
		d := lint.Diagnostic{Rule: kind, Severity: lint.Error, File: pr.File, Start: pr.Start, End: pr.End, Message: pr.Msg}
		for _, n := range pr.Notes {
			d.Related = append(d.Related, lint.Related{File: pr.File, Start: n.Start, End: n.End, Message: n.Msg})
		}
		out = append(out, d)
	}
	return out
}

// Sort sorts findings in the order of lint.Compare and drops duplicates
// (lint.Same). Duplicates come from a file checked at each place it is
// included, or in several trees; when they propose different fixes, the
// right fix depends on the place, so the finding kept has none.
func Sort(ds []lint.Diagnostic) []lint.Diagnostic {
	slices.SortStableFunc(ds, func(a, b lint.Diagnostic) int { return lint.Compare(&a, &b) })
	out := ds[:0]
	for i := range ds {
		if n := len(out); n > 0 && lint.Same(&out[n-1], &ds[i]) {
			if !sameFixes(out[n-1].Fixes, ds[i].Fixes) {
				out[n-1].Fixes = nil
			}
			continue
		}
		out = append(out, ds[i])
	}
	clear(ds[len(out):])
	return out
}
