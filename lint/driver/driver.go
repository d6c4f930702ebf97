// Package driver runs nginxlint's rules over a loaded tree: in parallel,
// each rule isolated from the others' panics, with the severities the
// configuration gives, then applies the suppression comments and returns
// the findings sorted and without duplicates.
package driver

import (
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/nginxlint/nginxlint/lint"
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

// Config is what a run checks the tree against.
type Config struct {
	// Manifest is the backend manifest, nil without one; rules that need
	// it are then skipped. Findings about it point into its text.
	Manifest *manifest.Manifest
	// Severity overrides rules' default severities, by rule ID.
	Severity map[string]lint.Severity
	// NginxVersion is the version of nginx the tree runs on ("1.22.1"),
	// for rules whose truth depends on it; "" when unknown.
	NginxVersion string
	// Disabled are the IDs of known rules the configuration turned off:
	// suppressions may name them without being reported as unknown or
	// unused.
	Disabled []string
	// Modules are the third-party modules the configuration declares
	// built into nginx (.nginxlint.toml's modules).
	Modules []string
	// Directives are directives of modules the directive table does not
	// know (.nginxlint.toml's directives).
	Directives []nginx.Variant
	// Exclude, when set, drops the findings in the files (by display
	// name) for which it returns true.
	Exclude func(name string) bool
}

// Run runs rules over the tree, applies the suppression comments and
// the exclusions, and returns the findings sorted by file, offset and
// rule, without duplicates (a file included in several places is
// checked at each place but reported once per finding).
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
	diags = ApplySuppressions(t.Files, diags, known, ignoreSeverity)
	if cfg.Exclude != nil {
		diags = slices.DeleteFunc(diags, func(d lint.Diagnostic) bool { return cfg.Exclude(d.File.Name) })
	}
	return diags, nil
}

// runRules runs the rules in parallel, each with its severity, and
// returns their findings sorted and without duplicates.
func runRules(t *syntax.Tree, rules []*lint.Rule, cfg Config) ([]lint.Diagnostic, error) {
	opts := []model.Option{model.Modules(cfg.Modules...), model.Directives(cfg.Directives...)}
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
	failures := make([]error, len(rules))
	var wg sync.WaitGroup
	for i, r := range rules {
		if r.NeedsManifest && m == nil {
			continue
		}
		sev := r.Severity
		if s, ok := cfg.Severity[r.ID]; ok {
			sev = s
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
			p.Report = func(d lint.Diagnostic) {
				d.Rule, d.Severity = r.ID, sev
				results[i] = append(results[i], d)
			}
			r.Run(p)
		}()
	}
	wg.Wait()
	var all []lint.Diagnostic
	for _, ds := range results {
		all = append(all, ds...)
	}
	if err := errors.Join(failures...); err != nil {
		return nil, err
	}
	return Sort(all), nil
}

// Sort sorts findings in the order of lint.Compare and drops exact
// duplicates.
func Sort(ds []lint.Diagnostic) []lint.Diagnostic {
	slices.SortStableFunc(ds, func(a, b lint.Diagnostic) int { return lint.Compare(&a, &b) })
	return slices.CompactFunc(ds, func(a, b lint.Diagnostic) bool { return lint.Same(&a, &b) })
}
