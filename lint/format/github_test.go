package format_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

func TestGitHub(t *testing.T) {
	main := fmtParse(t, "./etc/nginx/nginx.conf", fmtConf)
	other := fmtParse(t, "etc/nginx/a,b:c%.conf", "proxy_pass 127.0.0.1:9000;\n")
	uni := fmtParse(t, "etc/nginx/é.conf", "set $a \"é😀\"; proxy_pass 127.0.0.1:1;\n")

	pass := fmtDirective(t, main, "proxy_pass", 0)
	loc := fmtDirective(t, main, "location", 0)
	line5 := main.LineStart(5)

	ds := []lint.Diagnostic{
		fmtArgDiag(fmtRuleScheme, pass, 0, `proxy_pass "127.0.0.1:8000" has no scheme`),
		// Over several lines: no columns (the runner refuses them).
		{Rule: "upstream-keepalive", Severity: lint.Warning, File: main, Start: int(loc.Start()), End: int(loc.End()),
			Message: "100% of requests\nsecond line, with: colon\r"},
		fmtArgDiag(fmtRuleNote, fmtDirective(t, other, "proxy_pass", 0), 0, "a note: 50%"),
		// A property value with ":" and ",".
		{Rule: "x:y,z", Severity: lint.Error, File: main, Start: 0, End: 4, Message: "::error title=injected::no"},
		// A span that ends just after a newline ends at the end of its line.
		{Rule: "proxy-pass-scheme", Severity: lint.Error, File: main, Start: line5, End: main.LineStart(6), Message: "whole line"},
		// An empty span.
		{Rule: "proxy-pass-scheme", Severity: lint.Error, File: main, Start: int(pass.End()), End: int(pass.End()), Message: "here"},
		// Columns count UTF-16 code units.
		fmtArgDiag(fmtRuleScheme, fmtDirective(t, uni, "proxy_pass", 0), 0, "café"),
		// A finding without a file.
		{Rule: "syntax", Severity: lint.Error, Message: "no file"},
	}
	want := strings.Join([]string{
		`::error file=etc/nginx/nginx.conf,line=5,col=15,endLine=5,endColumn=29,title=proxy-pass-scheme::proxy_pass "127.0.0.1:8000" has no scheme`,
		`::warning file=etc/nginx/nginx.conf,line=4,endLine=6,title=upstream-keepalive::100%25 of requests%0Asecond line, with: colon%0D`,
		`::notice file=etc/nginx/a%2Cb%3Ac%25.conf,line=1,col=12,endLine=1,endColumn=26,title=backend-note::a note: 50%25`,
		`::error file=etc/nginx/nginx.conf,line=1,col=1,endLine=1,endColumn=5,title=x%3Ay%2Cz::::error title=injected::no`,
		`::error file=etc/nginx/nginx.conf,line=5,col=1,endLine=5,endColumn=30,title=proxy-pass-scheme::whole line`,
		`::error file=etc/nginx/nginx.conf,line=5,col=30,endLine=5,endColumn=30,title=proxy-pass-scheme::here`,
		`::error file=etc/nginx/é.conf,line=1,col=26,endLine=1,endColumn=37,title=proxy-pass-scheme::café`,
		`::error title=syntax::no file`,
	}, "\n") + "\n"
	var buf bytes.Buffer
	if err := format.GitHub.Write(&buf, &format.Report{Diagnostics: ds, Files: 3, Rules: fmtRules}, format.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestGitHubEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := format.GitHub.Write(&buf, &format.Report{Files: 3}, format.Options{}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("no findings should print nothing, got %q", buf.String())
	}
}
