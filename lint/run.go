package lint

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"sync"

	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// Config is what a run checks the tree against.
type Config struct {
	// Manifest is the backend manifest, nil without one; rules that need
	// it are then skipped. Findings about it point into its text.
	Manifest *manifest.Manifest
	// Severity overrides rules' default severities, by rule ID.
	Severity map[string]Severity
	// NginxVersion is the version of nginx the tree runs on ("1.22.1"),
	// for rules whose truth depends on it; "" when unknown.
	NginxVersion string
}

// Run runs rules over the tree and returns their findings, sorted by
// file, offset and rule, without duplicates (a file included in several
// places is checked at each place but reported once per finding).
//
// A rule that panics does not take the others down: its findings are
// dropped and the error names it, so the run can fail instead of looking
// clean.
func Run(t *syntax.Tree, rules []*Rule, cfg Config) ([]Diagnostic, error) {
	ix := NewIndex(t)
	m, severity := cfg.Manifest, cfg.Severity
	var mfile *syntax.File
	if m != nil {
		mfile = &syntax.File{Name: m.Path, Src: m.Src}
	}
	results := make([][]Diagnostic, len(rules))
	failures := make([]error, len(rules))
	var wg sync.WaitGroup
	for i, r := range rules {
		if r.NeedsManifest && m == nil {
			continue
		}
		sev := r.Severity
		if s, ok := severity[r.ID]; ok {
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
			p := &Pass{Rule: r, Tree: t, Index: ix, Manifest: m, ManifestFile: mfile, NginxVersion: cfg.NginxVersion}
			p.report = func(d Diagnostic) {
				d.Rule, d.Severity = r.ID, sev
				results[i] = append(results[i], d)
			}
			r.Run(p)
		}()
	}
	wg.Wait()
	var all []Diagnostic
	for _, ds := range results {
		all = append(all, ds...)
	}
	return SortDiagnostics(all), errors.Join(failures...)
}

// SortDiagnostics sorts findings by file, offset, rule and message and
// drops exact duplicates.
func SortDiagnostics(ds []Diagnostic) []Diagnostic {
	sort.SliceStable(ds, func(i, j int) bool { return diagnosticLess(&ds[i], &ds[j]) })
	out := ds[:0]
	for _, d := range ds {
		if n := len(out); n > 0 && sameDiagnostic(&out[n-1], &d) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// diagnosticLess orders findings by file name, offset, rule, end and
// message.
func diagnosticLess(a, b *Diagnostic) bool {
	an, bn := fileName(a.File), fileName(b.File)
	if an != bn {
		return an < bn
	}
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	if a.End != b.End {
		return a.End < b.End
	}
	return a.Message < b.Message
}

// sameDiagnostic reports whether a and b are the same finding (a file
// included twice is checked twice).
func sameDiagnostic(a, b *Diagnostic) bool {
	return a.File == b.File && a.Start == b.Start && a.End == b.End && a.Rule == b.Rule && a.Message == b.Message
}

func fileName(f *syntax.File) string {
	if f == nil {
		return ""
	}
	return f.Name
}
