package fix

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// fixMainConf is the nginx.conf of the test trees.
const fixMainConf = `events {}
http {
    include conf.d/*.conf;
    include sites-enabled/*;
}
`

// fixCRLFConf has CRLF line endings, tabs, comments, trailing whitespace and
// no final newline.
const fixCRLFConf = "# upstreams, with CRLF on purpose\r\n" +
	"upstream api {\r\n" +
	"\tserver 127.0.0.1:8012;   # wrong port \r\n" +
	"\tkeepalive 16;\t\r\n" +
	"}\r\n" +
	"\r\n" +
	"server {\r\n" +
	"\tlisten 8080;\r\n" +
	"\tlocation / {\r\n" +
	"\t\tproxy_pass 127.0.0.1:8004;\r\n" +
	"\t}\r\n" +
	"}"

const fixAppConf = `server {
    listen 80;
    server_name shop.example;
    # the API
    location /api/ {
        proxy_pass api;
    }
}
`

// fixWriteTree writes files (slash paths relative to root; a value starting
// with "-> " makes a symbolic link to the rest) under a new temporary
// directory, makes it the working directory and loads root/etc/nginx by
// the relative path etc/nginx, as a user in a repository would.
func fixWriteTree(t *testing.T, files map[string]string) (string, *syntax.Tree) {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "-> "); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(root)
	return root, fixLoad(t)
}

// fixLoad loads etc/nginx from the working directory and fails on any
// problem: the test trees are valid.
func fixLoad(t *testing.T) *syntax.Tree {
	t.Helper()
	tr, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "etc/nginx"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(tr.Problems, tr.ReadErrors...) {
		t.Fatalf("%s: %s", p.File.Name, p.Msg)
	}
	return tr
}

// fixFile returns the loaded file with display name name (slash form).
func fixFile(t *testing.T, tr *syntax.Tree, name string) *syntax.File {
	t.Helper()
	for _, f := range tr.Files {
		if filepath.ToSlash(f.Name) == name {
			if f.Path == "" {
				t.Fatalf("%s has no Path", name)
			}
			return f
		}
	}
	t.Fatalf("%s was not loaded", name)
	return nil
}

// fixSpan returns the range of the only occurrence of s in f.
func fixSpan(t *testing.T, f *syntax.File, s string) (int, int) {
	t.Helper()
	i := strings.Index(f.Src, s)
	if i < 0 || strings.Count(f.Src, s) != 1 {
		t.Fatalf("%q occurs %d times in %s", s, strings.Count(f.Src, s), f.Name)
	}
	return i, i + len(s)
}

// fixReplace returns an edit replacing the only occurrence of old in f.
func fixReplace(t *testing.T, f *syntax.File, old, new string) lint.TextEdit {
	t.Helper()
	s, e := fixSpan(t, f, old)
	return lint.TextEdit{File: f, Start: s, End: e, NewText: new}
}

// fixInsertBefore returns an edit inserting text before the only occurrence
// of at in f.
func fixInsertBefore(t *testing.T, f *syntax.File, at, text string) lint.TextEdit {
	t.Helper()
	s, _ := fixSpan(t, f, at)
	return lint.TextEdit{File: f, Start: s, End: s, NewText: text}
}

// fixFinding is a diagnostic at its first edit whose fix is edits.
func fixFinding(rule string, edits ...lint.TextEdit) lint.Diagnostic {
	e := edits[0]
	return lint.Diagnostic{Rule: rule, Severity: lint.Error, File: e.File, Start: e.Start, End: e.End,
		Message: rule + " finding", Fixes: []lint.Fix{{Message: "fix " + rule, Edits: edits}}}
}

func fixRules(ds []lint.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Rule)
	}
	return out
}

func TestPlanFixesPreservesBytes(t *testing.T) {
	_, tr := fixWriteTree(t, map[string]string{
		"etc/nginx/nginx.conf":          fixMainConf,
		"etc/nginx/conf.d/crlf.conf":    fixCRLFConf,
		"etc/nginx/sites-enabled/.keep": "",
	})
	f := fixFile(t, tr, "etc/nginx/conf.d/crlf.conf")
	diags := []lint.Diagnostic{
		fixFinding("backend-drift", fixReplace(t, f, "8012", "8002")),
		fixFinding("proxy-pass-scheme", fixInsertBefore(t, f, "127.0.0.1:8004", "http://")),
		// The last bytes of a file without a final newline.
		fixFinding("brace", lint.TextEdit{File: f, Start: len(f.Src) - 1, End: len(f.Src), NewText: "} # end"}),
	}
	edits, skipped := Plan(diags)
	if len(skipped) != 0 {
		t.Fatalf("skipped %v", fixRules(skipped))
	}
	if len(edits) != 1 || edits[0].File != f {
		t.Fatalf("got %d file edits, want one for %s", len(edits), f.Name)
	}
	want := "# upstreams, with CRLF on purpose\r\n" +
		"upstream api {\r\n" +
		"\tserver 127.0.0.1:8002;   # wrong port \r\n" +
		"\tkeepalive 16;\t\r\n" +
		"}\r\n" +
		"\r\n" +
		"server {\r\n" +
		"\tlisten 8080;\r\n" +
		"\tlocation / {\r\n" +
		"\t\tproxy_pass http://127.0.0.1:8004;\r\n" +
		"\t}\r\n" +
		"} # end"
	if edits[0].New != want {
		t.Errorf("new content:\n%q\nwant:\n%q", edits[0].New, want)
	}
	if got := fixRules(edits[0].Applied); !slices.Equal(got, []string{"backend-drift", "proxy-pass-scheme", "brace"}) {
		t.Errorf("applied %v", got)
	}
}

func TestPlanFixesOverlap(t *testing.T) {
	_, tr := fixWriteTree(t, map[string]string{
		"etc/nginx/nginx.conf":                 fixMainConf,
		"etc/nginx/sites-available/app.conf":   fixAppConf,
		"etc/nginx/sites-enabled/app.conf":     "-> ../sites-available/app.conf",
		"etc/nginx/conf.d/crlf.conf":           fixCRLFConf,
		"etc/nginx/conf.d/untouched.conf":      "# nothing to fix\n",
		"etc/nginx/sites-available/other.conf": "# not included\n",
	})
	f := fixFile(t, tr, "etc/nginx/sites-available/app.conf")
	_, exampleEnd := fixSpan(t, f, "shop.example")
	nameStart, _ := fixSpan(t, f, "server_name")
	diags := []lint.Diagnostic{
		// Two fixes of the same range: the first in diagnostic order wins.
		fixFinding("a-first", fixReplace(t, f, "api;", "http://api;")),
		fixFinding("b-second", fixReplace(t, f, "api;", "http://api:8080;")),
		// A duplicate finding (a file included twice): applied once.
		fixFinding("c-dup", fixReplace(t, f, "listen 80;", "listen 8080;")),
		fixFinding("c-dup", fixReplace(t, f, "listen 80;", "listen 8080;")),
		// The same edit from another rule: also applied once.
		fixFinding("d-same-edit", fixReplace(t, f, "listen 80;", "listen 8080;")),
		// Two insertions at one offset with different text: the second
		// is refused.
		fixFinding("e-insert", fixInsertBefore(t, f, "# the API", "# one\n    ")),
		fixFinding("f-insert", fixInsertBefore(t, f, "# the API", "# two\n    ")),
		// An insertion at the end of a replaced range does not overlap it.
		fixFinding("g-touch", fixReplace(t, f, "shop.example", "shop.example.com")),
		fixFinding("h-touch", lint.TextEdit{File: f, Start: exampleEnd, End: exampleEnd, NewText: "-x"}),
		// A replacement strictly containing an insertion point overlaps.
		fixFinding("i-contains", fixReplace(t, f, "server_name", "server_names")),
		fixFinding("j-inside", lint.TextEdit{File: f, Start: nameStart + 3, End: nameStart + 3, NewText: "X"}),
	}

	check := func(t *testing.T, edits []FileEdit, skipped []lint.Diagnostic) {
		t.Helper()
		if got := fixRules(skipped); !slices.Equal(got, []string{"j-inside", "f-insert", "b-second"}) {
			t.Errorf("skipped %v, want [j-inside f-insert b-second] (in diagnostic order)", got)
		}
		if len(edits) != 1 || edits[0].File != f {
			t.Fatalf("got %d file edits, want one for %s", len(edits), f.Name)
		}
		want := strings.NewReplacer(
			"proxy_pass api;", "proxy_pass http://api;",
			"listen 80;", "listen 8080;",
			"    # the API", "    # one\n    # the API",
			"server_name shop.example;", "server_names shop.example.com-x;",
		).Replace(f.Src)
		if edits[0].New != want {
			t.Errorf("new content:\n%s\nwant:\n%s", edits[0].New, want)
		}
		if got := fixRules(edits[0].Applied); !slices.Equal(got, []string{"c-dup", "d-same-edit", "i-contains", "g-touch", "h-touch", "e-insert", "a-first"}) {
			t.Errorf("applied %v", got)
		}
	}
	edits, skipped := Plan(diags)
	check(t, edits, skipped)

	// The input order does not matter: fixes are taken in diagnostic
	// order, and the input is left as it was.
	rev := slices.Clone(diags)
	slices.Reverse(rev)
	before := slices.Clone(rev)
	edits2, skipped2 := Plan(rev)
	check(t, edits2, skipped2)
	if !reflect.DeepEqual(edits, edits2) || !reflect.DeepEqual(skipped, skipped2) {
		t.Error("PlanFixes depends on the order of its input")
	}
	if !reflect.DeepEqual(rev, before) {
		t.Error("PlanFixes reordered its input")
	}
}

func TestPlanFixesAllOrNothing(t *testing.T) {
	_, tr := fixWriteTree(t, map[string]string{
		"etc/nginx/nginx.conf":               fixMainConf,
		"etc/nginx/sites-available/app.conf": fixAppConf,
		"etc/nginx/sites-enabled/app.conf":   "-> ../sites-available/app.conf",
		"etc/nginx/conf.d/crlf.conf":         fixCRLFConf,
	})
	app := fixFile(t, tr, "etc/nginx/sites-available/app.conf")
	crlf := fixFile(t, tr, "etc/nginx/conf.d/crlf.conf")
	main := fixFile(t, tr, "etc/nginx/nginx.conf")
	diags := []lint.Diagnostic{
		fixFinding("a", fixReplace(t, app, "listen 80;", "listen 8080;")),
		// b's first edit overlaps a: its second edit, in another file, is
		// not applied either.
		fixFinding("b", fixReplace(t, app, "80;", "81;"), fixReplace(t, crlf, "keepalive 16;", "keepalive 32;")),
		// c edits two files; nothing overlaps: both are applied.
		fixFinding("c", fixReplace(t, crlf, "8012", "8002"), fixInsertBefore(t, app, "api;", "http://")),
		// A malformed fix (a range past the end of the file) is skipped.
		fixFinding("d", lint.TextEdit{File: main, Start: 3, End: len(main.Src) + 1, NewText: "x"}),
		// So is a fix whose own edits overlap.
		fixFinding("e", fixReplace(t, main, "events {}", "events { }"), fixReplace(t, main, "{}", "{ }")),
	}
	edits, skipped := Plan(diags)
	if got := fixRules(skipped); !slices.Equal(got, []string{"e", "d", "b"}) {
		t.Errorf("skipped %v, want [e d b] (in diagnostic order)", got)
	}
	var names []string
	for _, e := range edits {
		names = append(names, filepath.ToSlash(e.File.Name))
	}
	if want := []string{"etc/nginx/conf.d/crlf.conf", "etc/nginx/sites-available/app.conf"}; !slices.Equal(names, want) {
		t.Fatalf("edited %v, want %v (sorted by name)", names, want)
	}
	if want := strings.Replace(crlf.Src, "8012", "8002", 1); edits[0].New != want {
		t.Errorf("%s:\n%q\nwant\n%q", crlf.Name, edits[0].New, want)
	}
	if want := strings.NewReplacer("listen 80;", "listen 8080;", "proxy_pass api;", "proxy_pass http://api;").Replace(app.Src); edits[1].New != want {
		t.Errorf("%s:\n%s\nwant\n%s", app.Name, edits[1].New, want)
	}
	if got := fixRules(edits[0].Applied); !slices.Equal(got, []string{"c"}) {
		t.Errorf("%s: applied %v, want [c]", crlf.Name, got)
	}
	if got := fixRules(edits[1].Applied); !slices.Equal(got, []string{"c", "a"}) {
		t.Errorf("%s: applied %v, want [c a] (in diagnostic order)", app.Name, got)
	}
}

// TestPlanFixesDisputed: findings of one rule at one place that propose
// different fixes (a snippet read at two places, or in two trees, where
// the right edit depends on the place) get none applied, even when their
// edits do not overlap; findings that agree are applied once. Findings of
// other rules, or without a fix, do not dispute a fix.
func TestPlanFixesDisputed(t *testing.T) {
	_, tr := fixWriteTree(t, map[string]string{
		"etc/nginx/nginx.conf":               fixMainConf,
		"etc/nginx/sites-available/app.conf": fixAppConf,
		"etc/nginx/sites-enabled/app.conf":   "-> ../sites-available/app.conf",
	})
	f := fixFile(t, tr, "etc/nginx/sites-available/app.conf")
	at := func(rule, msg string, edits ...lint.TextEdit) lint.Diagnostic {
		d := fixFinding(rule, fixReplace(t, f, "api;", "api;"))
		d.Message = msg
		d.Fixes = nil
		if len(edits) > 0 {
			d.Fixes = []lint.Fix{{Message: "fix", Edits: edits}}
		}
		return d
	}
	diags := []lint.Diagnostic{
		// The same place, two proposals: one replaces, one inserts
		// elsewhere (no overlap). Neither is certain.
		at("drift", "upstream a", fixReplace(t, f, "api;", "http://a;")),
		at("drift", "upstream b", fixInsertBefore(t, f, "# the API", "# b\n    ")),
		// The same place, the same proposal twice, and a finding without
		// a fix: applied once.
		at("scheme", "x", fixReplace(t, f, "listen 80;", "listen 8080;")),
		at("scheme", "y", fixReplace(t, f, "listen 80;", "listen 8080;")),
		at("scheme", "z"),
		// Another rule at the first place: unaffected.
		at("other", "o", fixReplace(t, f, "shop.example", "shop.example.com")),
	}
	// Give the drift findings the same span (the first finding's).
	diags[1].Start, diags[1].End = diags[0].Start, diags[0].End
	for i := 2; i < 5; i++ {
		diags[i].Start, diags[i].End = diags[0].Start-100, diags[0].Start-90
	}
	edits, skipped := Plan(diags)
	if got := fixRules(skipped); !slices.Equal(got, []string{"drift", "drift"}) {
		t.Errorf("skipped %v, want [drift drift]", got)
	}
	if len(edits) != 1 {
		t.Fatalf("%d files edited, want 1", len(edits))
	}
	want := strings.NewReplacer("listen 80;", "listen 8080;", "shop.example", "shop.example.com").Replace(f.Src)
	if edits[0].New != want {
		t.Errorf("new content:\n%s\nwant:\n%s", edits[0].New, want)
	}
}

// fixSchemeFindings is a small rule for the tests: proxy_pass without a
// scheme, fixed by inserting "http://".
func fixSchemeFindings(tr *syntax.Tree) []lint.Diagnostic {
	var out []lint.Diagnostic
	var walk func([]syntax.Directive)
	walk = func(ds []syntax.Directive) {
		for _, d := range ds {
			if d.Name() == "proxy_pass" && d.NArgs() == 1 && !strings.Contains(d.Arg(0), "://") {
				a := d.Args()[0]
				out = append(out, lint.Diagnostic{Rule: "proxy-pass-scheme", File: d.File(), Start: int(a.Start), End: int(a.End),
					Message: "no scheme", Fixes: []lint.Fix{{Message: "add http://", Edits: []lint.TextEdit{{File: d.File(), Start: int(a.Start), End: int(a.Start), NewText: "http://"}}}}})
			}
			walk(d.Block())
		}
	}
	for _, f := range tr.Files {
		walk(f.Directives())
	}
	return out
}

func TestPlanFixesIdempotent(t *testing.T) {
	_, tr := fixWriteTree(t, map[string]string{
		"etc/nginx/nginx.conf":               fixMainConf,
		"etc/nginx/sites-available/app.conf": fixAppConf,
		"etc/nginx/sites-enabled/app.conf":   "-> ../sites-available/app.conf",
		"etc/nginx/conf.d/crlf.conf":         fixCRLFConf,
	})
	diags := fixSchemeFindings(tr)
	if len(diags) != 2 {
		t.Fatalf("got %d findings, want 2", len(diags))
	}
	// Each finding twice, as for a file included twice.
	diags = append(diags, diags...)
	edits, skipped := Plan(diags)
	if len(skipped) != 0 || len(edits) != 2 {
		t.Fatalf("got %d file edits and %d skipped, want 2 and 0", len(edits), len(skipped))
	}
	for _, e := range edits {
		if n := strings.Count(e.New, "http://") - strings.Count(e.File.Src, "http://"); n != 1 {
			t.Errorf("%s: %d insertions, want 1", e.File.Name, n)
		}
	}
	if err := Write(edits); err != nil {
		t.Fatal(err)
	}

	tr2 := fixLoad(t)
	for _, e := range edits {
		if got := fixFile(t, tr2, filepath.ToSlash(e.File.Name)).Src; got != e.New {
			t.Errorf("%s on disk:\n%q\nwant\n%q", e.File.Name, got, e.New)
		}
	}
	again := fixSchemeFindings(tr2)
	if len(again) != 0 {
		t.Fatalf("%d findings after fixing", len(again))
	}
	edits2, skipped2 := Plan(again)
	if len(edits2) != 0 || len(skipped2) != 0 {
		t.Errorf("second run: %d file edits, %d skipped, want none", len(edits2), len(skipped2))
	}
	if d := UnifiedDiff(edits2); d != "" {
		t.Errorf("second run diff:\n%s", d)
	}
	// A fix that inserts nothing changes no file.
	f := fixFile(t, tr2, "etc/nginx/nginx.conf")
	if edits3, skipped3 := Plan([]lint.Diagnostic{fixFinding("noop", lint.TextEdit{File: f, Start: 5, End: 5})}); len(edits3) != 0 || len(skipped3) != 0 {
		t.Errorf("no-op fix: %d file edits, %d skipped", len(edits3), len(skipped3))
	}
}

func TestUnifiedDiff(t *testing.T) {
	var long, many strings.Builder
	long.WriteString("upstream pool {\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&long, "    server 10.0.0.%d:80;\n", i)
	}
	long.WriteString("}\n")
	// More distinct lines than go-diff encodes in one or two UTF-8 bytes.
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&many, "map $arg_%d $v_%d { default %d; }\r\n", i, i, i)
	}

	type tc struct {
		name     string
		files    map[string]string // under etc/nginx
		fixes    func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic
		want     string   // the whole diff, when given
		hunks    int      // the number of hunks, when given
		contains []string // text the diff holds
	}
	cases := []tc{{
		name: "insertion at the start of a file",
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("nginx.conf")
			return []lint.Diagnostic{fixFinding("head", lint.TextEdit{File: f, Start: 0, End: 0, NewText: "# managed by nginxlint\n"})}
		},
		want: "--- a/etc/nginx/nginx.conf\n" +
			"+++ b/etc/nginx/nginx.conf\n" +
			"@@ -1,3 +1,4 @@\n" +
			"+# managed by nginxlint\n" +
			" events {}\n" +
			" http {\n" +
			"     include conf.d/*.conf;\n",
	}, {
		name:  "change on the last line without a final newline",
		files: map[string]string{"conf.d/tail.conf": "map $a $b {\n    default 0;\n}\nproxy_read_timeout 5s;"},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/tail.conf")
			return []lint.Diagnostic{fixFinding("timeout", fixReplace(t, f, "5s", "60s"))}
		},
		want: "--- a/etc/nginx/conf.d/tail.conf\n" +
			"+++ b/etc/nginx/conf.d/tail.conf\n" +
			"@@ -1,4 +1,4 @@\n" +
			" map $a $b {\n" +
			"     default 0;\n" +
			" }\n" +
			"-proxy_read_timeout 5s;\n" +
			"\\ No newline at end of file\n" +
			"+proxy_read_timeout 60s;\n" +
			"\\ No newline at end of file\n",
	}, {
		name:  "adding the final newline",
		files: map[string]string{"conf.d/tail.conf": "proxy_connect_timeout 5s;\nproxy_read_timeout 5s;"},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/tail.conf")
			return []lint.Diagnostic{fixFinding("newline", lint.TextEdit{File: f, Start: len(f.Src), End: len(f.Src), NewText: "\n"})}
		},
		want: "--- a/etc/nginx/conf.d/tail.conf\n" +
			"+++ b/etc/nginx/conf.d/tail.conf\n" +
			"@@ -1,2 +1,2 @@\n" +
			" proxy_connect_timeout 5s;\n" +
			"-proxy_read_timeout 5s;\n" +
			"\\ No newline at end of file\n" +
			"+proxy_read_timeout 5s;\n",
	}, {
		name:  "CRLF file",
		files: map[string]string{"conf.d/crlf.conf": fixCRLFConf},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/crlf.conf")
			return []lint.Diagnostic{
				fixFinding("drift", fixReplace(t, f, "8012", "8002")),
				fixFinding("scheme", fixInsertBefore(t, f, "127.0.0.1:8004", "http://")),
				fixFinding("keepalive", fixInsertBefore(t, f, "\tkeepalive", "\tkeepalive_timeout 60s;\r\n")),
			}
		},
		hunks: 1,
		contains: []string{
			"\n-\tserver 127.0.0.1:8012;   # wrong port \r\n+\tserver 127.0.0.1:8002;   # wrong port \r\n",
			"\n+\tkeepalive_timeout 60s;\r\n \tkeepalive 16;\t\r\n",
			"\n-\t\tproxy_pass 127.0.0.1:8004;\r\n+\t\tproxy_pass http://127.0.0.1:8004;\r\n",
			"\n }\n\\ No newline at end of file\n",
		},
	}, {
		name:  "two hunks far apart in one file",
		files: map[string]string{"conf.d/long.conf": long.String()},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/long.conf")
			return []lint.Diagnostic{
				fixFinding("a", fixReplace(t, f, "10.0.0.3:80", "10.0.0.3:8080")),
				fixFinding("b", fixReplace(t, f, "    server 10.0.0.55:80;\n", "")),
			}
		},
		hunks: 2,
	}, {
		name:  "changes six lines apart share a hunk, seven apart do not",
		files: map[string]string{"conf.d/long.conf": long.String()},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/long.conf")
			return []lint.Diagnostic{
				fixFinding("a", fixReplace(t, f, "10.0.0.10:80", "10.0.0.10:8080")),
				fixFinding("b", fixReplace(t, f, "10.0.0.17:80", "10.0.0.17:8080")),
				fixFinding("c", fixReplace(t, f, "10.0.0.25:80", "10.0.0.25:8080")),
			}
		},
		hunks: 2, // six unchanged lines between 10 and 17, seven between 17 and 25
	}, {
		name:  "change at the end of a file",
		files: map[string]string{"conf.d/long.conf": long.String()},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/long.conf")
			return []lint.Diagnostic{fixFinding("a", fixReplace(t, f, "    server 10.0.0.60:80;\n}\n", "}\n# end\n"))}
		},
		hunks: 1,
	}, {
		name: "two files",
		files: map[string]string{
			"conf.d/crlf.conf":         fixCRLFConf,
			"sites-available/app.conf": fixAppConf,
			"sites-enabled/app.conf":   "-> ../sites-available/app.conf",
		},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			app, crlf := get("sites-available/app.conf"), get("conf.d/crlf.conf")
			return []lint.Diagnostic{
				fixFinding("scheme", fixInsertBefore(t, app, "api;", "http://"), fixInsertBefore(t, crlf, "127.0.0.1:8004", "http://")),
				fixFinding("listen", fixReplace(t, app, "listen 80;", "listen 8080;")),
			}
		},
		hunks: 2,
	}, {
		name:  "thousands of distinct lines",
		files: map[string]string{"conf.d/many.conf": many.String()},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/many.conf")
			return []lint.Diagnostic{
				fixFinding("a", fixReplace(t, f, "default 7;", "default 70;")),
				fixFinding("b", fixReplace(t, f, "default 2500;", "default 25;")),
				fixFinding("c", fixReplace(t, f, "map $arg_2999 $v_2999 { default 2999; }\r\n", "")),
			}
		},
		hunks: 3,
	}, {
		name:  "an empty file",
		files: map[string]string{"conf.d/empty.conf": ""},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/empty.conf")
			return []lint.Diagnostic{fixFinding("timeout", lint.TextEdit{File: f, NewText: "proxy_read_timeout 60s;\n"})}
		},
		want: "--- a/etc/nginx/conf.d/empty.conf\n" +
			"+++ b/etc/nginx/conf.d/empty.conf\n" +
			"@@ -0,0 +1,1 @@\n" +
			"+proxy_read_timeout 60s;\n",
	}, {
		name:  "a name with a space",
		files: map[string]string{"conf.d/my site.conf": "server {\n    listen 80;\n}\n"},
		fixes: func(t *testing.T, get func(string) *syntax.File) []lint.Diagnostic {
			f := get("conf.d/my site.conf")
			return []lint.Diagnostic{fixFinding("listen", fixReplace(t, f, "80", "8080"))}
		},
		hunks: 1,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"etc/nginx/nginx.conf": fixMainConf, "etc/nginx/sites-enabled/.keep": ""}
			for name, content := range c.files {
				files["etc/nginx/"+name] = content
			}
			root, tr := fixWriteTree(t, files)
			get := func(name string) *syntax.File { return fixFile(t, tr, "etc/nginx/"+name) }
			edits, skipped := Plan(c.fixes(t, get))
			if len(skipped) != 0 {
				t.Fatalf("skipped %v", fixRules(skipped))
			}
			diff := UnifiedDiff(edits)
			if c.want != "" && diff != c.want {
				t.Errorf("diff:\n%s\nwant:\n%s", diff, c.want)
			}
			if n := strings.Count(diff, "\n@@ "); c.hunks > 0 && n != c.hunks {
				t.Errorf("%d hunks, want %d:\n%s", n, c.hunks, diff)
			}
			for _, want := range c.contains {
				if !strings.Contains(diff, want) {
					t.Errorf("the diff does not hold %q:\n%s", want, diff)
				}
			}
			diffCheckHunkHeaders(t, diff)
			t.Run("git apply", func(t *testing.T) { diffCheckGitApply(t, root, edits, diff) })
			t.Run("patch", func(t *testing.T) { diffCheckPatch(t, root, edits, diff) })
		})
	}

	if d := UnifiedDiff(nil); d != "" {
		t.Errorf("diff of nothing: %q", d)
	}
}

// TestUnifiedDiffRandom checks diffs of random edits of files made of few
// distinct lines (so that lines repeat and alignment is ambiguous), with
// LF or CRLF endings and with or without a final newline, against git
// apply and patch.
func TestUnifiedDiffRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vocab := []string{"a;", "b;", "    c;", "", "# x", "}", "server {"}
	render := func(lines []string, nl string, final bool) string {
		s := strings.Join(lines, nl)
		if final && len(lines) > 0 {
			s += nl
		}
		return s
	}
	files := map[string]string{}
	var edits []FileEdit
	for i := 0; i < 60; i++ {
		nl := "\n"
		if r.IntN(3) == 0 {
			nl = "\r\n"
		}
		var lines []string
		for n := r.IntN(40); n > 0; n-- {
			lines = append(lines, vocab[r.IntN(len(vocab))])
		}
		final := r.IntN(4) != 0
		old := render(lines, nl, final)
		for k := r.IntN(5); k >= 0; k-- {
			at := r.IntN(len(lines) + 1)
			switch r.IntN(4) {
			case 0: // insert
				lines = slices.Insert(lines, at, vocab[r.IntN(len(vocab))])
			case 1: // delete
				if at < len(lines) {
					lines = slices.Delete(lines, at, min(at+1+r.IntN(3), len(lines)))
				}
			case 2: // replace
				if at < len(lines) {
					lines[at] = vocab[r.IntN(len(vocab))] + " # changed"
				}
			case 3:
				final = !final
			}
		}
		name := fmt.Sprintf("etc/nginx/r/%02d.conf", i)
		files[name] = old
		if n := render(lines, nl, final); n != old {
			edits = append(edits, FileEdit{File: &syntax.File{Name: name, Src: old}, New: n})
		}
	}
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	diff := UnifiedDiff(edits)
	diffCheckHunkHeaders(t, diff)
	t.Run("git apply", func(t *testing.T) { diffCheckGitApply(t, root, edits, diff) })
	t.Run("patch", func(t *testing.T) { diffCheckPatch(t, root, edits, diff) })
}

// diffCheckHunkHeaders checks that every hunk's counts match its lines.
func diffCheckHunkHeaders(t *testing.T, diff string) {
	t.Helper()
	lines := strings.SplitAfter(diff, "\n")
	for i := 0; i < len(lines); i++ {
		var ol, oc, nl, nc int
		if _, err := fmt.Sscanf(lines[i], "@@ -%d,%d +%d,%d @@\n", &ol, &oc, &nl, &nc); err != nil {
			continue
		}
		old, new := 0, 0
		for j := i + 1; j < len(lines) && (old < oc || new < nc); j++ {
			switch lines[j][0] {
			case ' ':
				old++
				new++
			case '-':
				old++
			case '+':
				new++
			case '\\':
			default:
				t.Fatalf("hunk %q ends early at %q", lines[i], lines[j])
			}
		}
		if old != oc || new != nc {
			t.Errorf("hunk %q has %d old and %d new lines", lines[i], old, new)
		}
	}
}

// fixCopyTree copies the files and symbolic links under root/etc into a new
// directory.
func fixCopyTree(t *testing.T, root string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(filepath.Join(root, "etc"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// diffCheckResult checks that dir holds each edited file's new content.
func diffCheckResult(t *testing.T, tool, dir string, edits []FileEdit) {
	t.Helper()
	for _, e := range edits {
		b, err := os.ReadFile(filepath.Join(dir, e.File.Name))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != e.New {
			t.Errorf("%s: %s gives\n%q\nwant\n%q", e.File.Name, tool, b, e.New)
		}
	}
}

func fixRunTool(t *testing.T, dir, stdin string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	// Neither the user's nor the system's git configuration.
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// diffCheckGitApply checks the diff with git apply --check in a repository
// holding the original tree, then applies it.
func diffCheckGitApply(t *testing.T, root string, edits []FileEdit, diff string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the diff is not checked with git apply")
	}
	repo := fixCopyTree(t, root)
	fixRunTool(t, repo, "", "git", "init", "-q")
	fixRunTool(t, repo, diff, "git", "apply", "--check", "-")
	fixRunTool(t, repo, diff, "git", "apply", "-")
	diffCheckResult(t, "git apply", repo, edits)
}

// diffCheckPatch checks the diff with patch -p1 --dry-run on a copy of the
// original tree, then applies it: no fuzz, no offset.
func diffCheckPatch(t *testing.T, root string, edits []FileEdit, diff string) {
	t.Helper()
	if _, err := exec.LookPath("patch"); err != nil {
		t.Skip("patch is not installed: the diff is not checked with patch")
	}
	dir := fixCopyTree(t, root)
	for _, dry := range []bool{true, false} {
		args := []string{"-p1", "--batch", "--no-backup-if-mismatch", "--forward"}
		if dry {
			args = append(args, "--dry-run")
		}
		out := fixRunTool(t, dir, diff, "patch", args...)
		if strings.Contains(out, "fuzz") || strings.Contains(out, "offset") || strings.Contains(out, "Stripping") {
			t.Errorf("patch %s:\n%s", strings.Join(args, " "), out)
		}
	}
	diffCheckResult(t, "patch -p1", dir, edits)
}

// fixListTree returns every path under root, relative, in slash form, with
// "@" and the target appended for symbolic links.
func fixListTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			rel += "@" + target
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWrite(t *testing.T) {
	root, tr := fixWriteTree(t, map[string]string{
		"etc/nginx/nginx.conf":               fixMainConf,
		"etc/nginx/conf.d/mode.conf":         "proxy_read_timeout 5s;\n",
		"etc/nginx/conf.d/changed.conf":      "proxy_connect_timeout 5s;\n",
		"etc/nginx/conf.d/crlf.conf":         fixCRLFConf,
		"etc/nginx/sites-available/app.conf": fixAppConf,
		"etc/nginx/sites-enabled/app.conf":   "-> ../sites-available/app.conf",
	})
	modePath := filepath.Join(root, "etc/nginx/conf.d/mode.conf")
	if err := os.Chmod(modePath, 0o640); err != nil {
		t.Fatal(err)
	}
	before := fixListTree(t, root)

	mode := fixFile(t, tr, "etc/nginx/conf.d/mode.conf")
	changed := fixFile(t, tr, "etc/nginx/conf.d/changed.conf")
	app := fixFile(t, tr, "etc/nginx/sites-available/app.conf")
	crlf := fixFile(t, tr, "etc/nginx/conf.d/crlf.conf")
	edits, skipped := Plan([]lint.Diagnostic{
		fixFinding("a", fixReplace(t, mode, "5s", "60s")),
		fixFinding("b", fixReplace(t, changed, "5s", "10s")),
		fixFinding("c", fixInsertBefore(t, app, "api;", "http://")),
		fixFinding("d", fixInsertBefore(t, crlf, "127.0.0.1:8004", "http://")),
	})
	if len(skipped) != 0 || len(edits) != 4 {
		t.Fatalf("got %d file edits and %d skipped, want 4 and 0", len(edits), len(skipped))
	}
	// Someone edits changed.conf after nginxlint read it.
	changedPath := filepath.Join(root, "etc/nginx/conf.d/changed.conf")
	edited := "proxy_connect_timeout 7s; # by hand\n"
	if err := os.WriteFile(changedPath, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}

	err := Write(edits)
	if err == nil || !strings.Contains(err.Error(), "changed since it was read") || !strings.Contains(err.Error(), changed.Name) {
		t.Fatalf("WriteFixes: %v, want an error saying %s changed since it was read", err, changed.Name)
	}
	if b, _ := os.ReadFile(changedPath); string(b) != edited {
		t.Errorf("%s was overwritten: %q", changed.Name, b)
	}
	// The other files are written all the same.
	for _, e := range edits {
		if e.File == changed {
			continue
		}
		if b, err := os.ReadFile(e.File.Path); err != nil || string(b) != e.New {
			t.Errorf("%s: %q, %v; want %q", e.File.Name, b, err, e.New)
		}
	}
	if fi, err := os.Stat(modePath); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("%s: mode %v, %v; want 0640", mode.Name, fi.Mode().Perm(), err)
	}
	// The link is still a link to the same target, whose content changed.
	link := filepath.Join(root, "etc/nginx/sites-enabled/app.conf")
	if target, err := os.Readlink(link); err != nil || target != "../sites-available/app.conf" {
		t.Errorf("sites-enabled/app.conf: link to %q, %v", target, err)
	}
	if b, _ := os.ReadFile(link); !strings.Contains(string(b), "proxy_pass http://api;") {
		t.Errorf("through the link:\n%s", b)
	}
	// No temporary file is left, and nothing else appeared or vanished.
	if after := fixListTree(t, root); !slices.Equal(after, before) {
		t.Errorf("files before:\n%v\nafter:\n%v", before, after)
	}

	t.Run("path is a symbolic link", func(t *testing.T) {
		// A File whose Path is the link itself: WriteFixes resolves it.
		cur, err := os.ReadFile(link)
		if err != nil {
			t.Fatal(err)
		}
		f := &syntax.File{Name: "etc/nginx/sites-enabled/app.conf", Path: link, Src: string(cur)}
		s, e := fixSpan(t, f, "listen 80;")
		edits, _ := Plan([]lint.Diagnostic{fixFinding("listen", lint.TextEdit{File: f, Start: s, End: e, NewText: "listen 8080;"})})
		if err := Write(edits); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(link)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a symbolic link: %v", link, err)
		}
		b, _ := os.ReadFile(filepath.Join(root, "etc/nginx/sites-available/app.conf"))
		if string(b) != edits[0].New {
			t.Errorf("target:\n%s\nwant\n%s", b, edits[0].New)
		}
		if after := fixListTree(t, root); !slices.Equal(after, before) {
			t.Errorf("files before:\n%v\nafter:\n%v", before, after)
		}
	})

	t.Run("file removed since it was read", func(t *testing.T) {
		f := &syntax.File{Name: "etc/nginx/conf.d/gone.conf", Path: filepath.Join(root, "etc/nginx/conf.d/gone.conf"), Src: "x;\n"}
		err := Write([]FileEdit{{File: f, New: "y;\n"}})
		if err == nil || !strings.Contains(err.Error(), f.Name) {
			t.Errorf("WriteFixes: %v, want an error naming %s", err, f.Name)
		}
		if after := fixListTree(t, root); !slices.Equal(after, before) {
			t.Errorf("files before:\n%v\nafter:\n%v", before, after)
		}
	})
}

func TestWriteFixesRefusesDump(t *testing.T) {
	dump := "# configuration file /etc/nginx/nginx.conf:\n" +
		"events {}\n" +
		"http {\n" +
		"    server { listen 80; location / { proxy_pass 127.0.0.1:8004; } }\n" +
		"}\n"
	tr, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "-", Stdin: strings.NewReader(dump)})
	if err != nil {
		t.Fatal(err)
	}
	diags := fixSchemeFindings(tr)
	if len(diags) != 1 || diags[0].File.Path != "" {
		t.Fatalf("got %d findings, want one in a file without Path", len(diags))
	}
	edits, _ := Plan(diags)
	if len(edits) != 1 {
		t.Fatalf("got %d file edits, want 1", len(edits))
	}
	// The diff is still available for a dump.
	if d := UnifiedDiff(edits); !strings.HasPrefix(d, "--- a/etc/nginx/nginx.conf\n+++ b/etc/nginx/nginx.conf\n@@ -1,4 +1,4 @@\n") {
		t.Errorf("diff of a dump:\n%s", d)
	}
	err = Write(edits)
	if err == nil || !strings.Contains(err.Error(), "dump") || !strings.Contains(err.Error(), "/etc/nginx/nginx.conf") {
		t.Errorf("WriteFixes: %v, want a refusal naming the file and the dump", err)
	}
}

// TestEditLines: the line diff built from the edits themselves gives back
// the old text from its kept and removed lines, and the new text from its
// kept and added lines, for random edits (insertions, replacements across
// lines, at line starts and ends, at the end of a file with or without a
// final newline); and a file of 200,000 edits costs no more per edit
// than one of 20,000.
func TestEditLines(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	pieces := []string{"a", "b;", "\n", "\r\n", "  ", "x {\n", "}\n", ""}
	for n := 0; n < 3000; n++ {
		var sb strings.Builder
		for k := rnd.IntN(12); k >= 0; k-- {
			sb.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		src := sb.String()
		var edits []lint.TextEdit
		pos := 0
		for pos <= len(src) && rnd.IntN(3) > 0 {
			start := pos + rnd.IntN(len(src)-pos+1)
			end := start + rnd.IntN(len(src)-start+1)
			if rnd.IntN(2) == 0 {
				end = start
			}
			edits = append(edits, lint.TextEdit{Start: start, End: end, NewText: pieces[rnd.IntN(len(pieces))] + pieces[rnd.IntN(len(pieces))]})
			pos = end + 1
		}
		var nb strings.Builder
		at := 0
		for _, e := range edits {
			nb.WriteString(src[at:e.Start])
			nb.WriteString(e.NewText)
			at = e.End
		}
		nb.WriteString(src[at:])
		var old, neu strings.Builder
		for _, l := range editLines(src, edits) {
			if l.op != '+' {
				old.WriteString(l.text)
			}
			if l.op != '-' {
				neu.WriteString(l.text)
			}
		}
		if old.String() != src || neu.String() != nb.String() {
			t.Fatalf("src %q, edits %v:\nold %q\nnew %q, want %q", src, edits, old.String(), neu.String(), nb.String())
		}
	}

	allocs := func(n int) float64 {
		src := strings.Repeat("location / { proxy_pass 127.0.0.1:8000; }\n", n)
		var edits []lint.TextEdit
		for i := 0; i < n; i++ {
			off := i*len("location / { proxy_pass 127.0.0.1:8000; }\n") + len("location / { proxy_pass ")
			edits = append(edits, lint.TextEdit{Start: off, End: off, NewText: "http://"})
		}
		return testing.AllocsPerRun(1, func() { editLines(src, edits) }) / float64(n)
	}
	if small, large := allocs(20_000), allocs(200_000); large > 2*small {
		t.Errorf("allocations per edit: %.1f at 20,000 edits, %.1f at 200,000", small, large)
	}
}
