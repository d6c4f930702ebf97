package cli

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// suppressFile parses src as a file on disk (Path set), so that
// planSuppressions takes it for the tree's own.
func suppressFile(t *testing.T, src string) *syntax.File {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": src}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	f := tree.Main
	f.Path = "/nonexistent/nginx.conf"
	return f
}

// at is a finding of rule on the n-th (from 1) occurrence of text.
func at(f *syntax.File, rule, text string, n int) lint.Diagnostic {
	off := -1
	for ; n > 0; n-- {
		off += 1 + strings.Index(f.Src[off+1:], text)
	}
	return lint.Diagnostic{Rule: rule, Severity: lint.Error, File: f, Start: off, End: off + len(text), Message: rule}
}

func TestPlanSuppressions(t *testing.T) {
	src := "# top\n" +
		"http {\n" +
		"\tserver {\n" +
		"\t\tlisten 80; server_name a;\n" +
		"\t\tlocation / { proxy_pass 127.0.0.1:1; }\n" +
		"\t\tproxy_pass 127.0.0.1:2;\n" +
		"\t\tlocation /x { include b.conf; }\n" +
		"\t}\n" +
		"}\n" +
		"events {} include a.conf;\n"
	f := suppressFile(t, src)
	ds := []lint.Diagnostic{
		at(f, "not-loaded", "# top", 1),                                              // a file-ignore at the top
		at(f, "backend-drift", "127.0.0.1:1", 1),                                     // above the location
		at(f, "proxy-pass-scheme", "127.0.0.1:1", 1),                                 // the same comment
		at(f, "proxy-pass-scheme", "127.0.0.1:2", 1),                                 // above its own line
		at(f, "server-name-conflict", "a;", 1),                                       // above the server, around it
		at(f, "include-outside-tree", "include b.conf", 1),                           // only on its own line: skipped
		at(f, "directive-context", "include a.conf", 1),                              // no line of its own: skipped
		at(f, "syntax", "listen", 1),                                                 // fatal: skipped
		at(f, "nginxlint-ignore", "# top", 1),                                        // about a comment: skipped
		{Rule: "backend-drift", File: &syntax.File{Name: "backends.toml", Src: "x"}}, // not on disk
		// An app's configuration: its comment syntax is its own (a "#"
		// line in a PHP-FPM pool is an error): skipped.
		{Rule: "app-drift", File: &syntax.File{Name: "www.conf", Path: "/srv/php/www.conf", Src: "[www]\nlisten = 9000\n"}},
	}
	p := planSuppressions(ds, "legacy")
	if len(p.edits) != 1 || p.comments != 4 || p.suppressed != 5 || len(p.skipped) != 6 {
		t.Fatalf("plan: %d edits, %d comments, %d suppressed, skipped %+v", len(p.edits), p.comments, p.suppressed, p.skipped)
	}
	want := "# nginxlint:file-ignore not-loaded legacy\n" +
		"# top\n" +
		"http {\n" +
		"\t# nginxlint:ignore server-name-conflict legacy\n" +
		"\tserver {\n" +
		"\t\tlisten 80; server_name a;\n" +
		"\t\t# nginxlint:ignore backend-drift,proxy-pass-scheme legacy\n" +
		"\t\tlocation / { proxy_pass 127.0.0.1:1; }\n" +
		"\t\t# nginxlint:ignore proxy-pass-scheme legacy\n" +
		"\t\tproxy_pass 127.0.0.1:2;\n" +
		"\t\tlocation /x { include b.conf; }\n" +
		"\t}\n" +
		"}\n" +
		"events {} include a.conf;\n"
	if got := p.edits[0].New; got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	var whys []string
	for _, s := range p.skipped {
		whys = append(whys, s.d.Rule+": "+s.why)
	}
	for _, w := range []string{
		"include-outside-tree: it is suppressed only by a comment on the include's own line",
		"directive-context: its directive does not start a line, nor does a block around it",
		"syntax: nginx refuses the tree",
		"nginxlint-ignore: it is about an ignore comment",
		"backend-drift: it is in a file of no nginx configuration on disk",
		"app-drift: it is in an app's configuration",
	} {
		if !strings.Contains(strings.Join(whys, "\n"), w) {
			t.Errorf("skipped lacks %q:\n%s", w, strings.Join(whys, "\n"))
		}
	}

	// The edits are the insertions, for --diff-like reporting.
	for _, e := range p.edits[0].Edits {
		if e.Start != e.End || !strings.Contains(e.NewText, "# nginxlint:") {
			t.Errorf("edit %+v", e)
		}
	}
}
