package rules_test

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
	"github.com/nginxlint/nginxlint/rules"
)

func TestValidate(t *testing.T) {
	if err := lint.Validate(rules.All()); err != nil {
		t.Fatal(err)
	}
}

// lintExample lints an example snippet with one rule, the way
// "nginxlint explain" shows it.
func lintExample(t *testing.T, r *lint.Rule, src string) []lint.Diagnostic {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Files: map[string]string{"/etc/nginx/nginx.conf": src}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := lint.Config{}
	if r.Manifest != "" {
		cfg.Manifest, err = manifest.Parse("manifest.toml", []byte(r.Manifest))
		if err != nil {
			t.Fatalf("example manifest: %v", err)
		}
	}
	ds, err := lint.Run(tree, []*lint.Rule{r}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Suppression comments are applied by the driver, as in a real run:
	// the rule under test ran, the others did not.
	known := map[string]bool{}
	for _, other := range rules.All() {
		known[other.ID] = other == r
	}
	var own []lint.Diagnostic
	for _, d := range lint.ApplySuppressions(tree.Files, ds, known, r.Severity) {
		if d.Rule == r.ID {
			own = append(own, d)
		}
	}
	return own
}

// TestExamples checks every rule against its own documentation: the Bad
// example is reported, the Good one is not, and neither has a syntax
// error unless the rule is about syntax.
func TestExamples(t *testing.T) {
	syntaxRule := rules.Syntax
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			if got := lintExample(t, r, r.Bad); len(got) == 0 {
				t.Errorf("Bad example is not reported:\n%s", r.Bad)
			}
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
			if strings.Contains(r.Doc, "\t") {
				t.Errorf("doc contains a tab; use spaces")
			}
		})
	}
}
