package driver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
	"github.com/nginxlint/nginxlint/rules"
)

// placeRule is a rule that, at every proxy_pass of the tree (once per
// instance of its file), proposes to replace the argument with what
// rewrite returns for the location it is in; "" reports no finding there.
func placeRule(rewrite func(location string) string) *lint.Rule {
	return &lint.Rule{
		ID: "place", Title: "t", Doc: "t", Bad: "t", Good: "t", Severity: lint.Warning, Fixable: true,
		Run: func(p *lint.Pass) {
			p.Tree.Walk(func(d syntax.Directive) {
				if d.Name() != "proxy_pass" {
					return
				}
				loc := d.BlockParent()
				text := rewrite(loc.Arg(0))
				if text == "" {
					return
				}
				a := d.ArgAt(0)
				p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End), Message: "replace it",
					Fixes: []lint.Fix{{Message: "write " + text, Edits: []lint.TextEdit{{File: d.File(), Start: int(a.Start), End: int(a.End), NewText: text}}}}})
			})
		},
	}
}

// sharedTree has a snippet included by two locations (and, through
// twice.conf, by two more), and a file included once.
var sharedTree = map[string]string{
	"/etc/nginx/nginx.conf": `events {}
http {
    server {
        listen 127.0.0.1:8080;
        location /a/ { include snippets/pass.conf; }
        location /b/ { include snippets/pass.conf; }
        location /c/ { include once.conf; }
    }
}
`,
	"/etc/nginx/snippets/pass.conf": "proxy_pass http://127.0.0.1:8000;\n",
	"/etc/nginx/once.conf":          "proxy_pass http://127.0.0.1:8000;\n",
}

// nestedTree includes the snippet once, from a file included twice.
var nestedTree = map[string]string{
	"/etc/nginx/nginx.conf": `events {}
http {
    server {
        listen 127.0.0.1:8080;
        include twice.conf;
    }
    server {
        listen 127.0.0.1:8081;
        include twice.conf;
    }
}
`,
	"/etc/nginx/twice.conf":         "location /a/ { include snippets/pass.conf; }\n",
	"/etc/nginx/snippets/pass.conf": "proxy_pass http://127.0.0.1:8000;\n",
}

// fixedFiles runs rule over the tree and returns what its planned fixes
// change, file by file, and how many findings there are.
func fixedFiles(t *testing.T, files map[string]string, rs []*lint.Rule, cfg driver.Config) (map[string]string, []lint.Diagnostic) {
	t.Helper()
	ds, err := driver.Run(load(t, files), rs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var own []lint.Diagnostic
	for _, d := range ds {
		if !driver.IsFatal(d.Rule) {
			own = append(own, d)
		}
	}
	edits, _ := fix.Plan(own)
	out := map[string]string{}
	for _, e := range edits {
		out[e.File.Name] = e.New
	}
	return out, own
}

// TestFixOfSharedFile: a fix that edits a file included in several places
// is kept when the rule proposes the same edit at every one of them, and
// dropped (the finding stays) when the edit depends on the place or is
// proposed at some places only. A file included once is fixed whatever
// the edit.
func TestFixOfSharedFile(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		rewrite func(loc string) string
		// want are the files changed, with their new text.
		want map[string]string
		// findings is the number of findings after deduplication.
		findings int
	}{
		{"same edit everywhere", sharedTree, func(string) string { return "http://127.0.0.1:8001" },
			map[string]string{
				"/etc/nginx/snippets/pass.conf": "proxy_pass http://127.0.0.1:8001;\n",
				"/etc/nginx/once.conf":          "proxy_pass http://127.0.0.1:8001;\n",
			}, 2},
		{"edit depends on the place", sharedTree, func(loc string) string { return "http://127.0.0.1:8001" + loc },
			map[string]string{"/etc/nginx/once.conf": "proxy_pass http://127.0.0.1:8001/c/;\n"}, 2},
		{"proposed at one place of two", sharedTree, func(loc string) string {
			if loc == "/b/" {
				return ""
			}
			return "http://127.0.0.1:8001"
		}, map[string]string{"/etc/nginx/once.conf": "proxy_pass http://127.0.0.1:8001;\n"}, 2},
		{"through a file included twice: same edit", nestedTree, func(string) string { return "http://127.0.0.1:8001" },
			map[string]string{"/etc/nginx/snippets/pass.conf": "proxy_pass http://127.0.0.1:8001;\n"}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ds := fixedFiles(t, tc.files, []*lint.Rule{placeRule(tc.rewrite)}, driver.Config{})
			if len(ds) != tc.findings {
				t.Errorf("%d findings, want %d:\n%s", len(ds), tc.findings, lines(ds))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("fixed:\n%v\nwant:\n%v", got, tc.want)
			}
		})
	}

	// A file included twice from one tree, where a second, separate run
	// (another tree) proposes another edit: Sort keeps the finding without
	// a fix.
	t.Run("trees that disagree", func(t *testing.T) {
		a, _ := driver.Run(load(t, sharedTree), []*lint.Rule{placeRule(func(string) string { return "http://127.0.0.1:8001" })}, driver.Config{})
		b, _ := driver.Run(load(t, sharedTree), []*lint.Rule{placeRule(func(string) string { return "http://127.0.0.1:8002" })}, driver.Config{})
		// The trees are loaded apart: give b's findings a's files, as
		// trees loaded by one loader share them.
		files := map[string]*syntax.File{}
		for _, d := range a {
			files[d.File.Name] = d.File
		}
		for i := range b {
			b[i].File = files[b[i].File.Name]
			for j := range b[i].Fixes {
				for k := range b[i].Fixes[j].Edits {
					b[i].Fixes[j].Edits[k].File = b[i].File
				}
			}
		}
		for _, d := range driver.Sort(append(a, b...)) {
			if len(d.Fixes) > 0 {
				t.Errorf("%s: kept the fix %q", d.File.Position(d.Start), d.Fixes[0].Message)
			}
		}
	})
}

// TestFixOfSharedFileRules: the same through the rules. proxy-pass-scheme's
// fix is right wherever the snippet is; upstream-keepalive's rewrite of
// proxy_http_version in a shared snippet is right only when every location
// including it uses an upstream with keepalive; backend-drift's rewrite
// of a server line shared by two upstreams depends on the upstream.
func TestFixOfSharedFileRules(t *testing.T) {
	keepalive := func(second string) map[string]string {
		return map[string]string{
			"/etc/nginx/nginx.conf": `events {}
http {
    upstream pooled { server 127.0.0.1:8001; keepalive 16; }
    upstream other { server 127.0.0.1:8002;` + second + ` }
    server {
        listen 127.0.0.1:8080;
        location /a/ {
            include snippets/legacy.conf;
            proxy_set_header Connection "";
            proxy_pass http://pooled;
        }
        location /b/ {
            include snippets/legacy.conf;
            proxy_set_header Connection "";
            proxy_pass http://other;
        }
    }
}
`,
			"/etc/nginx/snippets/legacy.conf": "proxy_http_version 1.0;\n",
		}
	}
	m, err := manifest.Parse("backends.toml", []byte(`[backends.api]
listen = "127.0.0.1:8001"
upstream = "api_pool"

[backends.admin]
listen = "127.0.0.1:9001"
upstream = "admin_pool"
`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		files  map[string]string
		rule   *lint.Rule
		cfg    driver.Config
		snip   string // the shared snippet
		change bool   // whether its fix is kept
	}{
		{"proxy-pass-scheme", map[string]string{
			"/etc/nginx/nginx.conf": `events {}
http {
    server {
        listen 127.0.0.1:8080;
        location /a/ { include snippets/pass.conf; }
        location /b/ { include snippets/pass.conf; }
    }
}
`,
			"/etc/nginx/snippets/pass.conf": "proxy_pass 127.0.0.1:8000;\n",
		}, rules.ProxyPassScheme, driver.Config{}, "/etc/nginx/snippets/pass.conf", true},
		{"upstream-keepalive, one location with keepalive", keepalive(""), rules.UpstreamKeepalive, driver.Config{}, "/etc/nginx/snippets/legacy.conf", false},
		{"upstream-keepalive, both with keepalive", keepalive(" keepalive 8;"), rules.UpstreamKeepalive, driver.Config{}, "/etc/nginx/snippets/legacy.conf", true},
		{"backend-drift, two bound upstreams", map[string]string{
			"/etc/nginx/nginx.conf": `events {}
http {
    upstream api_pool { include snippets/members.conf; }
    upstream admin_pool { include snippets/members.conf; }
    server {
        listen 127.0.0.1:8080;
        location /api/ { proxy_pass http://api_pool; }
        location /admin/ { proxy_pass http://admin_pool; }
    }
}
`,
			"/etc/nginx/snippets/members.conf": "server 127.0.0.1:8012;\n",
		}, rules.BackendDrift, driver.Config{Manifest: m}, "/etc/nginx/snippets/members.conf", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ds := fixedFiles(t, tc.files, []*lint.Rule{tc.rule}, tc.cfg)
			if len(ds) == 0 {
				t.Fatal("no finding")
			}
			if _, changed := got[tc.snip]; changed != tc.change {
				t.Errorf("snippet changed: %v, want %v\n%v\n%s", changed, tc.change, got, lines(ds))
			}
			if !tc.change && strings.Contains(fmt.Sprint(got), "1.1") {
				t.Errorf("a fix still rewrites the shared snippet's effect: %v", got)
			}
		})
	}
}

// TestSortFixesOfDuplicates: duplicates that propose the same fix keep
// it; duplicates that disagree keep none.
func TestSortFixesOfDuplicates(t *testing.T) {
	f := &syntax.File{Name: "a.conf", Src: "proxy_pass 127.0.0.1:8000;\n"}
	at := func(text string) lint.Diagnostic {
		d := lint.Diagnostic{Rule: "r", Severity: lint.Error, File: f, Start: 11, End: 25, Message: "m"}
		if text != "" {
			d.Fixes = []lint.Fix{{Message: "x", Edits: []lint.TextEdit{{File: f, Start: 11, End: 25, NewText: text}}}}
		}
		return d
	}
	for _, tc := range []struct {
		name string
		ds   []lint.Diagnostic
		fix  bool
	}{
		{"agree", []lint.Diagnostic{at("a"), at("a"), at("a")}, true},
		{"disagree", []lint.Diagnostic{at("a"), at("a"), at("b")}, false},
		{"one without", []lint.Diagnostic{at("a"), at("")}, false},
		{"alone", []lint.Diagnostic{at("a")}, true},
	} {
		got := driver.Sort(tc.ds)
		if len(got) != 1 || (len(got[0].Fixes) > 0) != tc.fix {
			t.Errorf("%s: %d findings, fix kept %v, want %v", tc.name, len(got), len(got) > 0 && len(got[0].Fixes) > 0, tc.fix)
		}
	}
}

// TestFixOfUnmarkedRule: a rule not marked Fixable may not report fixes
// (rules --format json and the docs say which rules fix): the run fails
// naming it, as for a rule that panics.
func TestFixOfUnmarkedRule(t *testing.T) {
	r := placeRule(func(string) string { return "http://127.0.0.1:9000" })
	r.Fixable = false
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: sharedTree})
	if err != nil {
		t.Fatal(err)
	}
	_, err = driver.Run(tree, []*lint.Rule{r}, driver.Config{})
	if err == nil || !strings.Contains(err.Error(), "rule place reported a fix but is not marked Fixable") {
		t.Errorf("Run = %v, want the unmarked rule named", err)
	}
	r.Fixable = true
	if _, err := driver.Run(tree, []*lint.Rule{r}, driver.Config{}); err != nil {
		t.Errorf("the marked rule: %v", err)
	}
}
