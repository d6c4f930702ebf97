package driver_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/rules"
)

// brokenTree is a tree nginx refuses: a syntax error in one file, an
// include of a missing file and an include cycle in another.
var brokenTree = map[string]string{
	"/etc/nginx/nginx.conf": `events {}
http {
    include conf.d/*.conf;
    include snippets/missing.conf;
    include loop/a.conf;
}
`,
	"/etc/nginx/conf.d/site.conf": `server {
    listen 127.0.0.1:8080
}
`,
	"/etc/nginx/loop/a.conf": "include loop/b.conf;\n",
	"/etc/nginx/loop/b.conf": "include loop/a.conf;\n",
}

func load(t *testing.T, files map[string]string) *syntax.Tree {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: files, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// fatalLines renders the findings of the Fatal rules, one a line, with
// their severity.
func fatalLines(ds []lint.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		if driver.IsFatal(d.Rule) {
			fmt.Fprintf(&b, "%s: %s: %s [%s]\n", d.File.Position(d.Start), d.Severity, d.Message, d.Rule)
			for _, r := range d.Related {
				fmt.Fprintf(&b, "    %s: %s\n", r.File.Position(r.Start), r.Message)
			}
		}
	}
	return b.String()
}

func withoutFatal(rs []*lint.Rule) []*lint.Rule {
	return slices.DeleteFunc(slices.Clone(rs), func(r *lint.Rule) bool { return driver.IsFatal(r.ID) })
}

// TestFatalWhateverTheConfiguration: a syntax error and a missing include
// are reported as errors however the configuration turns the rules down:
// disabled, left out of the rules run, given a lower severity, excluded.
// What is reported is what the rules report when they run.
func TestFatalWhateverTheConfiguration(t *testing.T) {
	tree := load(t, brokenTree)
	base, err := driver.Run(tree, rules.All(), driver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := fatalLines(base)
	for _, id := range driver.Fatal {
		if !strings.Contains(want, "["+id+"]\n") {
			t.Fatalf("the tree has no %s finding to test with:\n%s", id, want)
		}
	}
	if strings.Contains(want, ": warning: ") || strings.Contains(want, ": info: ") {
		t.Fatalf("fatal findings below error:\n%s", want)
	}
	lower := map[string]lint.Severity{}
	for _, id := range driver.Fatal {
		lower[id] = lint.Info
	}
	excludeAll := func(string) bool { return true }
	cases := []struct {
		name  string
		rules []*lint.Rule
		cfg   driver.Config
	}{
		{"disabled", withoutFatal(rules.All()), driver.Config{Disabled: driver.Fatal}},
		{"not enabled", []*lint.Rule{rules.ProxyPassScheme}, driver.Config{}},
		{"no rules at all", nil, driver.Config{}},
		{"severity info", rules.All(), driver.Config{Severity: lower}},
		{"severity info, disabled", withoutFatal(rules.All()), driver.Config{Severity: lower, Disabled: driver.Fatal}},
		{"excluded", rules.All(), driver.Config{Exclude: excludeAll}},
		{"excluded, disabled", withoutFatal(rules.All()), driver.Config{Exclude: excludeAll, Disabled: driver.Fatal}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := driver.Run(tree, tc.rules, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if g := fatalLines(got); g != want {
				t.Errorf("got:\n%s\nwant:\n%s", g, want)
			}
		})
	}
}

// TestFatalExcludedInFragment: exclude drops the findings of a fragment
// (a file nginx.conf does not load, which cannot stop nginx), syntax
// errors included.
func TestFatalExcludedInFragment(t *testing.T) {
	tree := load(t, brokenTree)
	tree.Fragment = true
	got, err := driver.Run(tree, rules.All(), driver.Config{Exclude: func(string) bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("excluded fragment: %d findings left:\n%s", len(got), fatalLines(got))
	}
}

// TestFatalNotSuppressed: no form of suppression comment hides a syntax
// or include finding: each is reported, and the finding stays an error.
func TestFatalNotSuppressed(t *testing.T) {
	forms := []struct {
		name string
		// write returns the tree with the comment naming id.
		write func(id string) map[string]string
	}{
		{"ignore on the line above", func(id string) map[string]string {
			return map[string]string{
				"/etc/nginx/nginx.conf": "events {}\nhttp {\n    # nginxlint:ignore " + id + " generated at deploy time\n    include missing.conf;\n    # nginxlint:ignore " + id + " vendored\n    server {\n        listen 127.0.0.1:8080\n    }\n}\n",
			}
		}},
		{"ignore at the end of the line", func(id string) map[string]string {
			return map[string]string{
				"/etc/nginx/nginx.conf": "events {}\nhttp {\n    include missing.conf; # nginxlint:ignore " + id + " generated at deploy time\n    server { # nginxlint:ignore " + id + " vendored\n        listen 127.0.0.1:8080\n    }\n}\n",
			}
		}},
		{"ignore on the enclosing block", func(id string) map[string]string {
			return map[string]string{
				"/etc/nginx/nginx.conf": "events {}\n# nginxlint:ignore " + id + " the whole http block\nhttp {\n    include missing.conf;\n    server {\n        listen 127.0.0.1:8080\n    }\n}\n",
			}
		}},
		{"file-ignore", func(id string) map[string]string {
			return map[string]string{
				"/etc/nginx/nginx.conf": "# nginxlint:file-ignore " + id + " vendored\nevents {}\nhttp {\n    include missing.conf;\n    server {\n        listen 127.0.0.1:8080\n    }\n}\n",
			}
		}},
		{"file-ignore in the included file", func(id string) map[string]string {
			return map[string]string{
				"/etc/nginx/nginx.conf": "events {}\nhttp {\n    include site.conf;\n}\n",
				"/etc/nginx/site.conf":  "# nginxlint:file-ignore " + id + " vendored\ninclude missing.conf;\nserver {\n    listen 127.0.0.1:8080\n}\n",
			}
		}},
	}
	for _, fm := range forms {
		for _, id := range append(slices.Clone(driver.Fatal), strings.Join(driver.Fatal, ",")) {
			t.Run(fm.name+"/"+id, func(t *testing.T) {
				tree := load(t, fm.write(id))
				want, err := driver.Run(load(t, fm.write("proxy-pass-scheme")), rules.All(), driver.Config{})
				if err != nil {
					t.Fatal(err)
				}
				got, err := driver.Run(tree, rules.All(), driver.Config{})
				if err != nil {
					t.Fatal(err)
				}
				if g, w := fatalLines(got), fatalLines(want); g != w || !strings.Contains(w, "[syntax]") || !strings.Contains(w, "[include]") {
					t.Errorf("with the comment:\n%s\nwithout it:\n%s", g, w)
				}
				refused := 0
				for _, d := range got {
					if d.Rule == driver.IgnoreRuleID && strings.Contains(d.Message, "cannot be suppressed") {
						refused++
					}
				}
				if n := strings.Count(fm.write(id)["/etc/nginx/nginx.conf"]+fm.write(id)["/etc/nginx/site.conf"], "nginxlint:") * (strings.Count(id, ",") + 1); refused != n {
					t.Errorf("%d comments reported as not allowed, want %d:\n%s", refused, n, lines(got))
				}
			})
		}
	}
}

func lines(ds []lint.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s: %s: %s [%s]\n", d.File.Position(d.Start), d.Severity, d.Message, d.Rule)
	}
	return b.String()
}

// TestOutsideSuppressedOnlyAtTheInclude: include-outside-tree is
// suppressed by an ignore on the include directive itself (above it or at
// the end of its line), and by nothing wider.
func TestOutsideSuppressedOnlyAtTheInclude(t *testing.T) {
	cases := []struct {
		name, src  string
		suppressed bool
	}{
		{"ignore on the line above", "events {}\n# nginxlint:ignore include-outside-tree the host's modules\ninclude /usr/share/nginx/modules/*.conf;\n", true},
		{"ignore at the end of the line", "events {}\ninclude /usr/share/nginx/modules/*.conf; # nginxlint:ignore include-outside-tree the host's modules\n", true},
		{"file-ignore", "# nginxlint:file-ignore include-outside-tree the host's files\nevents {}\ninclude /usr/share/nginx/modules/*.conf;\n", false},
		{"ignore on the enclosing block", "events {}\n# nginxlint:ignore include-outside-tree the host's files\nhttp {\n    include /srv/app/nginx.conf;\n}\n", false},
		{"trailing ignore on the block's line", "events {}\nhttp { # nginxlint:ignore include-outside-tree the host's files\n    include /srv/app/nginx.conf;\n}\n", false},
		{"block on one line", "events {}\nhttp { include /srv/app/nginx.conf; } # nginxlint:ignore include-outside-tree the host's files\n", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := driver.Run(load(t, map[string]string{"/etc/nginx/nginx.conf": tc.src}), rules.All(), driver.Config{})
			if err != nil {
				t.Fatal(err)
			}
			outside, refused := 0, 0
			for _, d := range got {
				switch {
				case d.Rule == syntax.KindOutside:
					outside++
				case d.Rule == driver.IgnoreRuleID && strings.Contains(d.Message, "cannot be suppressed"):
					refused++
				case d.Rule == driver.IgnoreRuleID:
					t.Errorf("unexpected: %s", d.Message)
				}
			}
			if tc.suppressed && (outside != 0 || refused != 0) || !tc.suppressed && (outside != 1 || refused != 1) {
				t.Errorf("suppressed %v: %d include-outside-tree findings, %d comments refused:\n%s", tc.suppressed, outside, refused, lines(got))
			}
		})
	}
}
