package rules_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
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
	// The rule under test runs; the others are known but did not run,
	// as in a run with only this rule enabled.
	cfg := driver.Config{}
	for _, other := range rules.All() {
		if other != r {
			cfg.Disabled = append(cfg.Disabled, other.ID)
		}
	}
	if r.Manifest != "" {
		cfg.Manifest, err = manifest.Parse("manifest.toml", []byte(r.Manifest))
		if err != nil {
			t.Fatalf("example manifest: %v", err)
		}
	}
	ds, err := driver.Run(tree, []*lint.Rule{r}, cfg)
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
			for _, ex := range []string{r.Bad, r.Good} {
				for _, d := range lintExample(t, r, ex) {
					if msg := messageWithPosition(d); msg != "" {
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
	tree, err := syntax.Load(syntax.Options{Files: map[string]string{"/etc/nginx/nginx.conf": rules.NginxlintIgnore.Good}, Path: "/etc/nginx/nginx.conf"})
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
	tree, err = syntax.Load(syntax.Options{Files: map[string]string{"/etc/nginx/nginx.conf": bare}, Path: "/etc/nginx/nginx.conf"})
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

// positionText matches what in a message reads as a place in a file:
// "nginx.conf:3:5", "backends.toml:12:1", "line 7".
var positionText = regexp.MustCompile(`[\w.-]\.(conf|toml|types|params)\b:\d+(:\d+)?|/[\w.-]+:\d+:\d+|\blines? \d+\b`)

// messageWithPosition returns the first message of d or its related
// places that holds a position, or "".
func messageWithPosition(d lint.Diagnostic) string {
	msgs := []string{d.Message}
	for _, r := range d.Related {
		msgs = append(msgs, r.Message)
	}
	for _, m := range msgs {
		if positionText.MatchString(m) {
			return m
		}
	}
	return ""
}

func TestPositionText(t *testing.T) {
	for _, c := range []struct {
		msg  string
		want bool
	}{
		{"backend api at etc/nginx/backends.toml:12:1", true},
		{"proxy_set_header (line 7)", true},
		{"keepalive 8, example/etc/nginx/conf.d/upstreams.conf:4:5", true},
		{"block opened at lines 3", true},
		{"proxy_pass dials 127.0.0.1:8000", false},
		{"did you mean [::1]:8003 (backend v6)?", false},
		{"unix:/run/app.sock:/uri", false},
	} {
		if got := positionText.MatchString(c.msg); got != c.want {
			t.Errorf("positionText on %q = %v, want %v", c.msg, got, c.want)
		}
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
