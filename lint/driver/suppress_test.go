package driver

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// suppressKnown are the rule IDs the suppression tests use; all ran.
var suppressKnown = map[string]bool{
	"backend-drift":           true,
	"proxy-pass-scheme":       true,
	"upstream-primaries-down": true,
	"upstream-undefined":      true,
}

func loadFiles(t *testing.T, files map[string]string) *syntax.Tree {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: files, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tree.Problems {
		// The test trees leave out "events {}".
		if !strings.HasPrefix(p.Msg, `no "events" section`) {
			t.Fatalf("%s: %s", p.File.Position(p.Start), p.Msg)
		}
	}
	return tree
}

func treeFile(t *testing.T, tree *syntax.Tree, name string) *syntax.File {
	t.Helper()
	for _, f := range tree.Files {
		if f.Name == name || f.Virtual == name {
			return f
		}
	}
	t.Fatalf("no file %s in the tree", name)
	return nil
}

// finding makes a finding of rule at the n-th (from 1) occurrence of text
// in f.
func finding(t *testing.T, f *syntax.File, rule, text string, n int) lint.Diagnostic {
	t.Helper()
	off := -1
	for i := 0; i < n; i++ {
		j := strings.Index(f.Src[off+1:], text)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times in %s", text, n, f.Name)
		}
		off += 1 + j
	}
	return lint.Diagnostic{Rule: rule, Severity: lint.Error, File: f, Start: off, End: off + len(text), Message: rule + " at " + text}
}

// render prints findings one a line as FILE:LINE:COL: RULE: MESSAGE.
func render(ds []lint.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s: %s: %s\n", d.File.Position(d.Start), d.Rule, d.Message)
	}
	return b.String()
}

func checkSuppress(t *testing.T, tree *syntax.Tree, diags []lint.Diagnostic, want string) []lint.Diagnostic {
	t.Helper()
	got := ApplySuppressions(tree.Files, diags, suppressKnown, lint.Warning)
	if g := render(got); g != want {
		t.Errorf("got:\n%s\nwant:\n%s", g, want)
	}
	for _, d := range got {
		if d.Rule == IgnoreRuleID && d.Severity != lint.Warning {
			t.Errorf("%s: severity %s, want warning", d.File.Position(d.Start), d.Severity)
		}
	}
	return got
}

const nginxConf = "/etc/nginx/nginx.conf"

func TestIgnoreLineBefore(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    server {
        location /a {
            # nginxlint:ignore backend-drift legacy port, moved in Q3
            proxy_pass http://127.0.0.1:8012;
            proxy_pass http://127.0.0.1:8013;
        }
    }
}
`})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, f, "proxy-pass-scheme", "127.0.0.1:8012", 1), // another rule: kept
		finding(t, f, "backend-drift", "127.0.0.1:8013", 1),     // next directive: kept
	}
	checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:5:31: proxy-pass-scheme: proxy-pass-scheme at 127.0.0.1:8012
/etc/nginx/nginx.conf:6:31: backend-drift: backend-drift at 127.0.0.1:8013
`)
}

func TestIgnoreBlock(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    # nginxlint:ignore backend-drift the staging server points at retired ports
    server {
        listen 80;
        location /a {
            location /a/b {
                proxy_pass http://127.0.0.1:8012;
            }
        }
    }
    server {
        location / {
            proxy_pass http://127.0.0.1:8013;
        }
    }
}
`})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, f, "backend-drift", "server {", 1), // on the block directive itself
		finding(t, f, "backend-drift", "127.0.0.1:8013", 1),
		finding(t, f, "upstream-undefined", "127.0.0.1:8012", 1),
	}
	checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:7:35: upstream-undefined: upstream-undefined at 127.0.0.1:8012
/etc/nginx/nginx.conf:13:31: backend-drift: backend-drift at 127.0.0.1:8013
`)
}

func TestIgnoreTrailing(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    server {
        location /a {
            proxy_pass http://127.0.0.1:8012; # nginxlint:ignore backend-drift legacy port
            proxy_pass http://127.0.0.1:8013;
        }
        location /b { # nginxlint:ignore backend-drift whole block
            proxy_pass http://127.0.0.1:8014;
        }
        location /c { proxy_pass http://127.0.0.1:8015; } proxy_pass http://127.0.0.1:8016; # nginxlint:ignore backend-drift last directive
        location
            /d # nginxlint:ignore upstream-undefined header only
        {
            proxy_pass http://127.0.0.1:8017;
        }
        proxy_pass
            http://127.0.0.1:8018; # nginxlint:ignore backend-drift ends the line
    }
}
`})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1), // suppressed
		finding(t, f, "backend-drift", "127.0.0.1:8013", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8014", 1), // suppressed: the { is on the line
		finding(t, f, "backend-drift", "127.0.0.1:8015", 1), // kept: the comment is about 8016
		finding(t, f, "backend-drift", "127.0.0.1:8016", 1), // suppressed
		finding(t, f, "upstream-undefined", "/d", 1),        // suppressed: the header
		finding(t, f, "upstream-undefined", "127.0.0.1:8017", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8018", 1), // suppressed
	}
	checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:5:31: backend-drift: backend-drift at 127.0.0.1:8013
/etc/nginx/nginx.conf:10:41: backend-drift: backend-drift at 127.0.0.1:8015
/etc/nginx/nginx.conf:14:31: upstream-undefined: upstream-undefined at 127.0.0.1:8017
`)
}

func TestFileIgnore(t *testing.T) {
	tree := loadFiles(t, map[string]string{
		nginxConf: `http {
    include conf.d/*.conf;
    server {
        proxy_pass http://127.0.0.1:8012;
    }
}
`,
		"/etc/nginx/conf.d/legacy.conf": `server {
    location / {
        proxy_pass http://127.0.0.1:8013;
        proxy_pass http://127.0.0.1:8014;
    }
}
# nginxlint:file-ignore backend-drift this whole site is being retired
`,
	})
	main, legacy := tree.Main, treeFile(t, tree, "/etc/nginx/conf.d/legacy.conf")
	diags := []lint.Diagnostic{
		finding(t, main, "backend-drift", "127.0.0.1:8012", 1), // another file: kept
		finding(t, legacy, "backend-drift", "127.0.0.1:8013", 1),
		finding(t, legacy, "backend-drift", "127.0.0.1:8014", 1),
		finding(t, legacy, "proxy-pass-scheme", "127.0.0.1:8014", 1),
	}
	checkSuppress(t, tree, diags, `/etc/nginx/conf.d/legacy.conf:4:27: proxy-pass-scheme: proxy-pass-scheme at 127.0.0.1:8014
/etc/nginx/nginx.conf:4:27: backend-drift: backend-drift at 127.0.0.1:8012
`)

	// Without findings it is stale.
	checkSuppress(t, tree, nil, `/etc/nginx/conf.d/legacy.conf:7:1: nginxlint-ignore: this nginxlint:file-ignore suppresses nothing (no backend-drift finding in this file); remove it
`)
}

func TestIgnoreSeveralRules(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    server {
        # nginxlint:ignore backend-drift,proxy-pass-scheme both are known
        proxy_pass 127.0.0.1:8012;
        # nginxlint:ignore backend-drift, proxy-pass-scheme written with a blank
        proxy_pass 127.0.0.1:8013;
        # nginxlint:ignore backend-drift,proxy-pass-scheme only one fires
        proxy_pass 127.0.0.1:8014;
    }
}
`})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, f, "proxy-pass-scheme", "127.0.0.1:8012", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8013", 1),
		finding(t, f, "proxy-pass-scheme", "127.0.0.1:8013", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8014", 1),
	}
	checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:7:42: nginxlint-ignore: this nginxlint:ignore suppresses no proxy-pass-scheme finding here; remove proxy-pass-scheme from it
`)
}

func TestIgnoreMissingReason(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    server {
        # nginxlint:ignore backend-drift
        proxy_pass http://127.0.0.1:8012;
        proxy_pass http://127.0.0.1:8013; #nginxlint:ignore backend-drift   
        # nginxlint:file-ignore backend-drift
        # nginxlint:ignore
    }
}
`})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8013", 1),
	}
	checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:3:9: nginxlint-ignore: this nginxlint:ignore has no reason, so it suppresses nothing: write why the finding is acceptable, as in "# nginxlint:ignore backend-drift legacy port, removed after the migration"
/etc/nginx/nginx.conf:4:27: backend-drift: backend-drift at 127.0.0.1:8012
/etc/nginx/nginx.conf:5:27: backend-drift: backend-drift at 127.0.0.1:8013
/etc/nginx/nginx.conf:5:43: nginxlint-ignore: this nginxlint:ignore has no reason, so it suppresses nothing: write why the finding is acceptable, as in "# nginxlint:ignore backend-drift legacy port, removed after the migration"
/etc/nginx/nginx.conf:6:9: nginxlint-ignore: this nginxlint:file-ignore has no reason, so it suppresses nothing: write why the finding is acceptable, as in "# nginxlint:file-ignore backend-drift legacy port, removed after the migration"
/etc/nginx/nginx.conf:7:9: nginxlint-ignore: this nginxlint:ignore names no rule: write "# nginxlint:ignore RULE reason"
`)
}

func TestIgnoreUnknownRule(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    server {
        # nginxlint:ignore backend-drfit,proxy-pass-scheme typo in the first
        proxy_pass 127.0.0.1:8012;
        # nginxlint:ignore no-such-thing nothing close
        proxy_pass http://127.0.0.1:8013;
        # nginxlint:ignore nginxlint-ignore not allowed
        proxy_pass http://127.0.0.1:8014;
        # nginxlint:ignroe backend-drift typo in the verb
        proxy_pass http://127.0.0.1:8015;
        # nginxlint: this prose is not a suppression
    }
}
`})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, f, "proxy-pass-scheme", "127.0.0.1:8012", 1), // suppressed
	}
	checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:3:28: nginxlint-ignore: unknown rule "backend-drfit" in nginxlint:ignore (did you mean "backend-drift"?) (see 'nginxlint rules')
/etc/nginx/nginx.conf:4:20: backend-drift: backend-drift at 127.0.0.1:8012
/etc/nginx/nginx.conf:5:28: nginxlint-ignore: unknown rule "no-such-thing" in nginxlint:ignore (see 'nginxlint rules')
/etc/nginx/nginx.conf:7:28: nginxlint-ignore: findings of nginxlint-ignore cannot be suppressed: fix or remove the comment they are about
/etc/nginx/nginx.conf:9:11: nginxlint-ignore: unknown comment "nginxlint:ignroe": write "# nginxlint:ignore RULE reason" or "# nginxlint:file-ignore RULE reason"
`)
}

func TestIgnoreUnused(t *testing.T) {
	src := `http {
    server {
        # nginxlint:ignore backend-drift legacy port
        proxy_pass http://127.0.0.1:8012;
        proxy_pass http://127.0.0.1:8013;  # nginxlint:ignore backend-drift,proxy-pass-scheme legacy
        # nginxlint:ignore upstream-primaries-down did not run

        proxy_pass http://127.0.0.1:8014;
    }
}
`
	tree := loadFiles(t, map[string]string{nginxConf: src})
	known := map[string]bool{"backend-drift": true, "proxy-pass-scheme": true, "upstream-primaries-down": false}
	got := ApplySuppressions(tree.Files, nil, known, lint.Info)
	want := `/etc/nginx/nginx.conf:3:9: nginxlint-ignore: this nginxlint:ignore suppresses nothing (no backend-drift finding here); remove it
/etc/nginx/nginx.conf:5:44: nginxlint-ignore: this nginxlint:ignore suppresses nothing (no backend-drift or proxy-pass-scheme finding here); remove it
/etc/nginx/nginx.conf:6:9: nginxlint-ignore: this nginxlint:ignore is not followed by a directive on the next line, so it suppresses nothing: put it right above the directive, or at the end of the directive's line
`
	if g := render(got); g != want {
		t.Fatalf("got:\n%s\nwant:\n%s", g, want)
	}
	if got[0].Severity != lint.Info {
		t.Errorf("severity %s, want info", got[0].Severity)
	}
	// The fixes remove the comments.
	fixed := applyFixes(t, src, got)
	wantFixed := `http {
    server {
        proxy_pass http://127.0.0.1:8012;
        proxy_pass http://127.0.0.1:8013;
        # nginxlint:ignore upstream-primaries-down did not run

        proxy_pass http://127.0.0.1:8014;
    }
}
`
	if fixed != wantFixed {
		t.Errorf("fixed:\n%s\nwant:\n%s", fixed, wantFixed)
	}
}

// applyFixes applies the (non-overlapping) fixes of ds to src.
func applyFixes(t *testing.T, src string, ds []lint.Diagnostic) string {
	t.Helper()
	var edits []lint.TextEdit
	for _, d := range ds {
		for _, fx := range d.Fixes {
			edits = append(edits, fx.Edits...)
		}
	}
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		if i > 0 && edits[i-1].End > e.Start {
			t.Fatalf("overlapping edits")
		}
		src = src[:e.Start] + e.NewText + src[e.End:]
	}
	return src
}

func TestIgnoreNested(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    # nginxlint:ignore backend-drift outer
    server {
        # nginxlint:ignore backend-drift inner
        location / {
            proxy_pass http://127.0.0.1:8012;
        }
        location /b {
            proxy_pass http://127.0.0.1:8013;
        }
    }
    # nginxlint:ignore backend-drift outer, but the inner one takes it
    server {
        # nginxlint:ignore backend-drift inner
        location / {
            proxy_pass http://127.0.0.1:8014;
        }
    }
}
`})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8013", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8014", 1),
	}
	checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:12:5: nginxlint-ignore: this nginxlint:ignore suppresses nothing (no backend-drift finding here); remove it
`)
}

func TestIgnoreStackedComments(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    server {
        # nginxlint:ignore backend-drift legacy port
        # an ordinary comment
        # nginxlint:ignore proxy-pass-scheme written by the generator
        proxy_pass 127.0.0.1:8012;
    }
}
`})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, f, "proxy-pass-scheme", "127.0.0.1:8012", 1),
	}
	checkSuppress(t, tree, diags, "")
}

func TestIgnoreIncludedFile(t *testing.T) {
	tree := loadFiles(t, map[string]string{
		nginxConf: `http {
    # nginxlint:ignore backend-drift does not reach into the included files
    include conf.d/*.conf;
    server {
        proxy_pass http://127.0.0.1:8012;
    }
}
`,
		"/etc/nginx/conf.d/app.conf": `server {
    # nginxlint:ignore backend-drift the app moves next week
    location / {
        proxy_pass http://127.0.0.1:8013;
    }
    location /b {
        proxy_pass http://127.0.0.1:8014;
    }
}
`,
		"/etc/nginx/conf.d/other.conf": `server {
    location / {
        proxy_pass http://127.0.0.1:8013;
    }
}
`,
	})
	main := tree.Main
	app := treeFile(t, tree, "/etc/nginx/conf.d/app.conf")
	other := treeFile(t, tree, "/etc/nginx/conf.d/other.conf")
	diags := []lint.Diagnostic{
		finding(t, main, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, app, "backend-drift", "127.0.0.1:8013", 1), // suppressed
		finding(t, app, "backend-drift", "127.0.0.1:8014", 1),
		finding(t, other, "backend-drift", "127.0.0.1:8013", 1), // same text, another file
	}
	checkSuppress(t, tree, diags, `/etc/nginx/conf.d/app.conf:7:27: backend-drift: backend-drift at 127.0.0.1:8014
/etc/nginx/conf.d/other.conf:3:27: backend-drift: backend-drift at 127.0.0.1:8013
/etc/nginx/nginx.conf:2:5: nginxlint-ignore: this nginxlint:ignore suppresses nothing (no backend-drift finding here); remove it
/etc/nginx/nginx.conf:5:27: backend-drift: backend-drift at 127.0.0.1:8012
`)
}

func TestIgnoreCRLF(t *testing.T) {
	src := strings.ReplaceAll(`http {
    server {
        # nginxlint:ignore backend-drift legacy port
        proxy_pass http://127.0.0.1:8012;
        proxy_pass http://127.0.0.1:8013; # nginxlint:ignore backend-drift trailing
        location / { # nginxlint:ignore proxy-pass-scheme block
            proxy_pass 127.0.0.1:8014;
        }
        # nginxlint:ignore upstream-undefined stale
        proxy_pass http://127.0.0.1:8015;
        # nginxlint:ignore backend-drift
        proxy_pass http://127.0.0.1:8016;
    }
}
`, "\n", "\r\n")
	tree := loadFiles(t, map[string]string{nginxConf: src})
	f := tree.Main
	diags := []lint.Diagnostic{
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8013", 1),
		finding(t, f, "proxy-pass-scheme", "127.0.0.1:8014", 1),
		finding(t, f, "backend-drift", "127.0.0.1:8016", 1),
	}
	got := checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:9:9: nginxlint-ignore: this nginxlint:ignore suppresses nothing (no upstream-undefined finding here); remove it
/etc/nginx/nginx.conf:11:9: nginxlint-ignore: this nginxlint:ignore has no reason, so it suppresses nothing: write why the finding is acceptable, as in "# nginxlint:ignore backend-drift legacy port, removed after the migration"
/etc/nginx/nginx.conf:12:27: backend-drift: backend-drift at 127.0.0.1:8016
`)
	for _, d := range got {
		if text := f.Src[d.Start:d.End]; strings.Contains(text, "\r") {
			t.Errorf("%s: the range %q holds a carriage return", f.Position(d.Start), text)
		}
	}
	// The fix removes the whole line, "\r\n" included.
	fixed := applyFixes(t, src, got)
	if strings.Contains(fixed, "upstream-undefined") || strings.Count(fixed, "\r\n") != strings.Count(src, "\r\n")-1 || strings.Contains(strings.ReplaceAll(fixed, "\r\n", ""), "\r") {
		t.Errorf("fixed:\n%q", fixed)
	}
}

func TestIgnoreRuleNotSuppressible(t *testing.T) {
	tree := loadFiles(t, map[string]string{nginxConf: `http {
    # nginxlint:file-ignore backend-drift retired site
    server {
        proxy_pass http://127.0.0.1:8012;
    }
}
`})
	f := tree.Main
	// A finding of the ignore rule itself, and one in a file outside the
	// tree (the manifest), pass through.
	other := &syntax.File{Name: "backends.toml", Src: "[backend.api]\n"}
	diags := []lint.Diagnostic{
		{Rule: IgnoreRuleID, Severity: lint.Warning, File: f, Start: 0, End: 4, Message: "kept"},
		{Rule: "backend-drift", Severity: lint.Error, File: other, Start: 0, End: 4, Message: "manifest finding"},
		finding(t, f, "backend-drift", "127.0.0.1:8012", 1),
	}
	checkSuppress(t, tree, diags, `/etc/nginx/nginx.conf:1:1: nginxlint-ignore: kept
backends.toml:1:1: backend-drift: manifest finding
`)
}

// TestIgnoreScales runs suppressions over a large file with many ignores,
// stacked comment runs and findings; a quadratic pass would time out.
func TestIgnoreScales(t *testing.T) {
	const n = 20000
	var b strings.Builder
	b.WriteString("http {\n    server {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "        # nginxlint:ignore backend-drift legacy %d\n", i)
	}
	b.WriteString("        location / {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "            # nginxlint:ignore backend-drift legacy %d\n            proxy_pass http://127.0.0.1:%d;\n", i, i)
	}
	b.WriteString("        }\n    }\n}\n")
	tree := loadFiles(t, map[string]string{nginxConf: b.String()})
	var diags []lint.Diagnostic
	var walk func([]syntax.Directive)
	walk = func(ds []syntax.Directive) {
		for _, d := range ds {
			if d.Name() == "proxy_pass" {
				diags = append(diags, lint.Diagnostic{Rule: "backend-drift", Severity: lint.Error, File: d.File(), Start: int(d.Args()[0].Start), End: int(d.Args()[0].End), Message: "drift"})
			}
			walk(d.Block())
		}
	}
	walk(tree.Main.Directives())
	start := time.Now()
	got := ApplySuppressions(tree.Files, diags, suppressKnown, lint.Warning)
	elapsed := time.Since(start)
	// The stacked ignores above "location /" all cover its block, but the
	// ignores of its directives are closer to every finding: all the
	// stacked ones are stale.
	if len(got) != n {
		t.Errorf("%d findings, want %d", len(got), n)
	}
	for _, d := range got {
		if d.Rule != IgnoreRuleID || d.File.Position(d.Start).Line > n+2 {
			t.Fatalf("unexpected %s: %s", d.File.Position(d.Start), d.Message)
		}
	}
	if elapsed > 10*time.Second {
		t.Errorf("took %v", elapsed)
	}
}
