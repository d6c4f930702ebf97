package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/nginxlint/nginxlint/internal/golden"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/lint/workspace"
	"github.com/nginxlint/nginxlint/manifest"
	"github.com/nginxlint/nginxlint/rules"
)

func TestValidate(t *testing.T) {
	if err := lint.Validate(rules.All()); err != nil {
		t.Fatal(err)
	}
}

// TestGolden runs every rule's golden cases, testdata/<rule-id>/*.txtar,
// through the driver (see internal/golden); a rule without one fails, and
// so does a directory that names no rule. go test ./rules -run Golden
// -update rewrites their want and fixed/ sections.
func TestGolden(t *testing.T) {
	all := rules.All()
	ids := map[string]bool{}
	for _, r := range all {
		ids[r.ID] = true
		t.Run(r.ID, func(t *testing.T) { golden.Run(t, "../testdata", r, all) })
	}
	dirs, err := os.ReadDir("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !ids[d.Name()] {
			t.Errorf("testdata/%s: no rule has that ID", d.Name())
		}
	}
}

// exampleMain is the file a one-file example is linted as, in a tree
// of its own.
const exampleMain = "nginx.conf"

// exampleManifest is the name an example's manifest is read as: the
// app files a manifest links are relative to the example's directory.
const exampleManifest = "manifest.toml"

// exampleFiles returns the files of an example: one nginx.conf, or the
// files of a txtar archive ("-- nginx.conf --" ...) for an example that
// needs several.
func exampleFiles(src string) map[string]string {
	if !strings.HasPrefix(src, "-- ") {
		return map[string]string{exampleMain: src}
	}
	files := map[string]string{}
	for _, f := range txtar.Parse([]byte(src)).Files {
		files[f.Name] = string(f.Data)
	}
	return files
}

// lintExample lints an example with one rule, the way "nginxlint
// explain" shows it: its files are a tree of their own, read whole as
// the command line reads a tree.
func lintExample(t *testing.T, r *lint.Rule, src string) []lint.Diagnostic {
	t.Helper()
	dir := t.TempDir()
	for name, text := range exampleFiles(src) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	trees, _, err := workspace.Find([]string{dir}, workspace.Options{Known: known}, nil)
	if err != nil || len(trees) != 1 {
		t.Fatalf("example: %d trees, %v", len(trees), err)
	}
	ld, err := workspace.Load(trees[0], workspace.LoadOptions{Grammar: nginx.Grammar{}, Known: known})
	if err != nil {
		t.Fatal(err)
	}
	// The rule under test runs; the others are known but did not run,
	// as in a run with only this rule enabled.
	cfg := driver.Config{}
	for _, other := range rules.All() {
		if other != r {
			cfg.Disabled = append(cfg.Disabled, other.ID)
		}
	}
	if r.Manifest != "" {
		cfg.Manifest, err = manifest.Parse(exampleManifest, []byte(r.Manifest))
		if err != nil {
			t.Fatalf("example manifest: %v", err)
		}
		cfg.NginxVersion = cfg.Manifest.Version
		cfg.Apps = golden.Apps(t, dir, dir, cfg.Manifest) // app files of a txtar example
	}
	ds, err := ld.Lint(func(tree *syntax.Tree) ([]lint.Diagnostic, error) {
		return driver.Run(tree, []*lint.Rule{r}, cfg)
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	var own []lint.Diagnostic
	for _, d := range ds {
		if d.Rule == r.ID {
			own = append(own, d)
		}
	}
	return own
}

// TestExamples checks every rule against its own documentation: the Bad
// example is reported, the Good one is not, and neither has a syntax
// error unless the rule is about syntax. When the Bad example's findings
// have fixes, the fixed example is linted again (see checkExampleFix).
func TestExamples(t *testing.T) {
	syntaxRule := rules.Syntax
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			bad := lintExample(t, r, r.Bad)
			if len(bad) == 0 {
				t.Errorf("Bad example is not reported:\n%s", r.Bad)
			}
			checkExampleFix(t, r, bad)
			if got := lintExample(t, r, r.Good); len(got) != 0 {
				t.Errorf("Good example is reported: %s\n%s", got[0].Message, r.Good)
			}
			if r != syntaxRule {
				for _, ex := range []string{r.Bad, r.Good} {
					if got := lintExample(t, syntaxRule, ex); len(got) != 0 {
						t.Errorf("example has a syntax error (%s):\n%s", got[0].Message, ex)
					}
				}
			}
			for _, ex := range []string{r.Bad, r.Good} {
				for _, d := range lintExample(t, r, ex) {
					if msg := golden.MessageWithPosition(d); msg != "" {
						t.Errorf("a message holds a position (put it in Related): %q", msg)
					}
				}
			}
			if strings.Contains(r.Doc, "\t") {
				t.Errorf("doc contains a tab; use spaces")
			}
		})
	}
}

// checkExampleFix applies the fixes of the Bad example's findings, when
// they have any, and lints the result with the rule again: a fix resolves
// its finding, so what is left are as many findings as had no fix, and
// none of them has a fix. (When every finding had a fix, nothing is left.)
func checkExampleFix(t *testing.T, r *lint.Rule, bad []lint.Diagnostic) {
	t.Helper()
	edits, skipped := fix.Plan(bad)
	if len(edits) == 0 {
		return
	}
	if len(skipped) > 0 {
		t.Errorf("Bad example: %d fixes overlap others and are not applied", len(skipped))
	}
	fixed := ""
	for _, e := range edits {
		if e.File.Name == exampleManifest {
			return // app-drift's fix of the manifest: its golden cases check it
		}
		if filepath.Base(e.File.Name) != exampleMain {
			t.Fatalf("Bad example: a fix edits %s, not the example", e.File.Name)
		}
		fixed = e.New
	}
	unfixable := 0
	for _, d := range bad {
		if len(d.Fixes) == 0 {
			unfixable++
		}
	}
	if files := exampleFiles(r.Bad); len(files) > 1 {
		// An example of several files: the others as they were.
		ar := txtar.Parse([]byte(r.Bad))
		for i, f := range ar.Files {
			if f.Name == exampleMain {
				ar.Files[i].Data = []byte(fixed)
			}
		}
		fixed = string(txtar.Format(ar))
	}
	after := lintExample(t, r, fixed)
	for _, d := range after {
		if len(d.Fixes) > 0 {
			t.Errorf("the fixed Bad example still has a fix: %s: %s\n%s", d.File.Position(d.Start), d.Message, fixed)
		}
	}
	if len(after) != unfixable {
		t.Errorf("the fixed Bad example has %d findings, want %d (those of the Bad example without a fix)\n%s", len(after), unfixable, fixed)
		for _, d := range after {
			t.Logf("%s: %s", d.File.Position(d.Start), d.Message)
		}
	}
}

// TestIgnoreRuleID checks that the rule list holds the rule whose
// findings the driver reports about suppression comments.
func TestIgnoreRuleID(t *testing.T) {
	if rules.NginxlintIgnore.ID != driver.IgnoreRuleID {
		t.Fatalf("NginxlintIgnore.ID = %q, the driver reports %q", rules.NginxlintIgnore.ID, driver.IgnoreRuleID)
	}
	found := false
	for _, r := range rules.All() {
		found = found || r == rules.NginxlintIgnore
	}
	if !found {
		t.Error("rules.All does not list NginxlintIgnore")
	}
}

// TestIgnoreRuleGoodSuppresses checks that the ignore rule's Good example
// does suppress the finding it is written for.
func TestIgnoreRuleGoodSuppresses(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": rules.NginxlintIgnore.Good}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := driver.Run(tree, []*lint.Rule{rules.UpstreamPrimariesDown, rules.NginxlintIgnore}, driver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Rule != "syntax" {
			t.Errorf("%s: %s [%s]", d.File.Position(d.Start), d.Message, d.Rule)
		}
	}
	// Without the comment, the finding is there.
	bare := strings.Replace(rules.NginxlintIgnore.Good, "# nginxlint:ignore", "# ", 1)
	tree, err = syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": bare}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	ds, err = driver.Run(tree, []*lint.Rule{rules.UpstreamPrimariesDown}, driver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 {
		t.Error("the Good example has no upstream-primaries-down finding to suppress")
	}
}

// TestRuleFiles checks that each rule lives in the file named after its
// ID (proxy-pass-scheme in proxy_pass_scheme.go), so a reader finds it.
func TestRuleFiles(t *testing.T) {
	for _, r := range rules.All() {
		name := strings.ReplaceAll(r.ID, "-", "_") + ".go"
		src, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("rule %s: %v", r.ID, err)
			continue
		}
		if !strings.Contains(string(src), fmt.Sprintf("%q", r.ID)) {
			t.Errorf("rule %s: %s does not define it", r.ID, name)
		}
	}
}

// known reports whether name is an nginx directive.
func known(name string) bool { return nginx.Lookup(name) != nil }

// TestFixableHasFixedCase checks that a rule marked Fixable shows a fix
// in one of its golden cases (a fixed/ section). The converse is the
// driver's: it refuses the fixes of a rule that is not marked.
func TestFixableHasFixedCase(t *testing.T) {
	for _, r := range rules.All() {
		cases, err := filepath.Glob(filepath.Join("..", "testdata", r.ID, "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		fixed := false
		for _, c := range cases {
			src, err := os.ReadFile(c)
			if err != nil {
				t.Fatal(err)
			}
			fixed = fixed || strings.Contains(string(src), "\n-- fixed/")
		}
		if r.Fixable && !fixed {
			t.Errorf("rule %s is marked Fixable, but none of its golden cases (testdata/%s) shows a fix", r.ID, r.ID)
		}
	}
}
