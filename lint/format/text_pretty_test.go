package format_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

func writePretty(t *testing.T, r *format.Report, color bool) string {
	t.Helper()
	var buf bytes.Buffer
	if err := format.Text.Write(&buf, r, format.Options{Terminal: true, Color: color}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// prettyReport has, in the tab-indented fmtConf: an error with a fix
// that inserts text, a span at the end of a line, an empty span at the
// end of a line, and a span over several lines with a multi-line fix.
func prettyReport(t *testing.T) *format.Report {
	main := fmtParse(t, "etc/nginx/nginx.conf", fmtConf)
	pass := fmtDirective(t, main, "proxy_pass", 0)
	server := fmtDirective(t, main, "server", 1) // 0 is the upstream's
	loc := fmtDirective(t, main, "location", 0)

	scheme := fmtArgDiag(fmtRuleScheme, pass, 0, `proxy_pass "127.0.0.1:8000" has no scheme`)
	v := int(pass.Args()[0].Start)
	scheme.Fixes = []lint.Fix{{Message: "add the scheme", Edits: []lint.TextEdit{{File: main, Start: v, End: v, NewText: "http://"}}}}

	brace := lint.Diagnostic{Rule: "upstream-keepalive", Severity: lint.Warning, File: main,
		Start: int(server.LBrace()), End: int(server.LBrace()) + 1, Message: "the brace at the end of the line"}
	eol := int(loc.LBrace()) + 1
	empty := lint.Diagnostic{Rule: "backend-note", Severity: lint.Info, File: main, Start: eol, End: eol, Message: "just past the end of the line"}

	ka := lint.Diagnostic{Rule: "upstream-keepalive", Severity: lint.Warning, File: main, Start: int(loc.Start()), End: int(loc.End()),
		Message: "this location sends \"Connection: close\""}
	ka.Fixes = []lint.Fix{
		{Message: "write proxy_http_version 1.1;", Edits: []lint.TextEdit{lint.InsertInBlock(loc, []string{"proxy_http_version 1.1;", `proxy_set_header Connection "";`})}},
		{Message: "replace the port", Edits: []lint.TextEdit{{File: main, Start: v + 10, End: v + 14, NewText: "8001"}}},
		{Message: "two edits", Edits: []lint.TextEdit{{File: main, Start: v, End: v, NewText: "a"}, {File: main, Start: v + 1, End: v + 1, NewText: "b"}}},
		// The message already shows the text.
		{Message: "replace 8000 with 8001", Edits: []lint.TextEdit{{File: main, Start: v + 10, End: v + 14, NewText: "8001"}}},
		// A deletion writes no text.
		{Message: "delete the directive", Edits: []lint.TextEdit{{File: main, Start: int(pass.Start()), End: int(pass.End())}}},
	}
	return &format.Report{Diagnostics: []lint.Diagnostic{brace, empty, ka, scheme}, Files: 1, Rules: fmtRules}
}

func TestPretty(t *testing.T) {
	want := "" +
		"etc/nginx/nginx.conf:3:9: warning: the brace at the end of the line [upstream-keepalive]\n" +
		" 3 | \tserver {\n" +
		"   | \t       ^\n" +
		"\n" +
		"etc/nginx/nginx.conf:4:15: info: just past the end of the line [backend-note]\n" +
		" 4 | \t\tlocation / {\n" +
		"   | \t\t            ^\n" +
		"\n" +
		"etc/nginx/nginx.conf:4:3: warning: this location sends \"Connection: close\" [upstream-keepalive]\n" +
		" 4 | \t\tlocation / {\n" +
		"   | \t\t^~~~~~~~~~~~\n" +
		"   = fix: write proxy_http_version 1.1; (insert `proxy_http_version 1.1; proxy_set_header Connection \"\";`)\n" +
		"   = fix: replace the port (replace with `8001`)\n" +
		"   = fix: two edits\n" +
		"   = fix: replace 8000 with 8001\n" +
		"   = fix: delete the directive\n" +
		"\n" +
		"etc/nginx/nginx.conf:5:15: error: proxy_pass \"127.0.0.1:8000\" has no scheme [proxy-pass-scheme]\n" +
		" 5 | \t\t\tproxy_pass 127.0.0.1:8000;\n" +
		"   | \t\t\t           ^~~~~~~~~~~~~~\n" +
		"   = fix: add the scheme (insert `http://`)\n" +
		"\n" +
		"1 error, 2 warnings, 1 info in 1 file; 2 fixable with --fix\n"
	if got := writePretty(t, prettyReport(t), false); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestPrettyColor(t *testing.T) {
	const (
		bold    = "\x1b[1m"
		red     = "\x1b[1;31m"
		yellow  = "\x1b[1;33m"
		cyan    = "\x1b[1;36m"
		green   = "\x1b[1;32m"
		magenta = "\x1b[35m"
		reset   = "\x1b[0m"
	)
	want := "" +
		bold + "etc/nginx/nginx.conf:3:9:" + reset + " " + yellow + "warning:" + reset + " the brace at the end of the line " + magenta + "[upstream-keepalive]" + reset + "\n" +
		" 3 | \tserver {\n" +
		"   | \t       " + yellow + "^" + reset + "\n" +
		"\n" +
		bold + "etc/nginx/nginx.conf:4:15:" + reset + " " + cyan + "info:" + reset + " just past the end of the line " + magenta + "[backend-note]" + reset + "\n" +
		" 4 | \t\tlocation / {\n" +
		"   | \t\t            " + cyan + "^" + reset + "\n" +
		"\n" +
		bold + "etc/nginx/nginx.conf:4:3:" + reset + " " + yellow + "warning:" + reset + " this location sends \"Connection: close\" " + magenta + "[upstream-keepalive]" + reset + "\n" +
		" 4 | \t\tlocation / {\n" +
		"   | \t\t" + yellow + "^~~~~~~~~~~~" + reset + "\n" +
		"   = " + green + "fix:" + reset + " write proxy_http_version 1.1; (insert `proxy_http_version 1.1; proxy_set_header Connection \"\";`)\n" +
		"   = " + green + "fix:" + reset + " replace the port (replace with `8001`)\n" +
		"   = " + green + "fix:" + reset + " two edits\n" +
		"   = " + green + "fix:" + reset + " replace 8000 with 8001\n" +
		"   = " + green + "fix:" + reset + " delete the directive\n" +
		"\n" +
		bold + "etc/nginx/nginx.conf:5:15:" + reset + " " + red + "error:" + reset + " proxy_pass \"127.0.0.1:8000\" has no scheme " + magenta + "[proxy-pass-scheme]" + reset + "\n" +
		" 5 | \t\t\tproxy_pass 127.0.0.1:8000;\n" +
		"   | \t\t\t           " + red + "^~~~~~~~~~~~~~" + reset + "\n" +
		"   = " + green + "fix:" + reset + " add the scheme (insert `http://`)\n" +
		"\n" +
		"1 error, 2 warnings, 1 info in 1 file; 2 fixable with --fix\n"
	got := writePretty(t, prettyReport(t), true)
	if got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
	// Without the escapes, the coloured output is the plain one.
	plain := writePretty(t, prettyReport(t), false)
	stripped := got
	for _, esc := range []string{bold, red, yellow, cyan, green, magenta, reset} {
		stripped = strings.ReplaceAll(stripped, esc, "")
	}
	if stripped != plain {
		t.Errorf("coloured output differs from the plain one by more than colour:\n%s\n%s", stripped, plain)
	}
	if strings.Contains(plain, "\x1b") {
		t.Errorf("plain output has escapes")
	}
}

// TestPrettyGutter: the gutter is as wide as the line number; a line
// that leaves the span's line shows only its first line; non-ASCII text
// takes one caret per character; control characters of the source do not
// reach the terminal.
func TestPrettyGutter(t *testing.T) {
	src := strings.Repeat("\n", 11) + "return 200 \"\x1b[2Jé\tx\";\nlocation / {\n}\n"
	f := fmtParse(t, "a.conf", src)
	ret := fmtDirective(t, f, "return", 0)
	loc := fmtDirective(t, f, "location", 0)
	ds := []lint.Diagnostic{
		fmtArgDiag(fmtRuleScheme, ret, 1, "msg with \x1b[31m escape"),
		{Rule: "r", Severity: lint.Error, File: f, Start: int(loc.LBrace()), End: int(loc.End()), Message: "two lines"},
	}
	want := "" +
		"a.conf:12:12: error: msg with \uFFFD[31m escape [proxy-pass-scheme]\n" +
		" 12 | return 200 \"\uFFFD[2Jé\tx\";\n" +
		"    |            ^~~~~~\t~~\n" +
		"\n" +
		"a.conf:13:12: error: two lines [r]\n" +
		" 13 | location / {\n" +
		"    |            ^\n" +
		"\n" +
		"2 errors in 3 files\n"
	if got := writePretty(t, &format.Report{Diagnostics: ds, Files: 3}, false); got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}

func TestPrettySummary(t *testing.T) {
	// Through WritePretty.
	f := fmtParse(t, "nginx.conf", "proxy_pass 127.0.0.1:1;\n")
	d := fmtArgDiag(fmtRuleScheme, fmtDirective(t, f, "proxy_pass", 0), 0, "m")
	w := d
	w.Severity = lint.Warning
	for _, c := range []struct {
		ds   []lint.Diagnostic
		want string
	}{
		{nil, "no problems in 12 files\n"},
		{[]lint.Diagnostic{d}, "1 error in 12 files\n"},
		{[]lint.Diagnostic{d, d}, "2 errors in 12 files\n"},
		{[]lint.Diagnostic{w}, "1 warning in 12 files\n"},
		{[]lint.Diagnostic{d, d, d, w}, "3 errors, 1 warning in 12 files\n"},
	} {
		got := writePretty(t, &format.Report{Diagnostics: c.ds, Files: 12}, false)
		if c.ds == nil {
			if got != c.want {
				t.Errorf("no findings: %q, want %q", got, c.want)
			}
			continue
		}
		if !strings.HasSuffix(got, "\n\n"+c.want) {
			t.Errorf("%d findings end with %q, want %q", len(c.ds), got[strings.LastIndex(got[:len(got)-1], "\n")+1:], c.want)
		}
	}
}

// TestPrettySummaryFragments: the summary says how many files nginx.conf
// loads and how many were linted as fragments, when there are fragments.
func TestPrettySummaryFragments(t *testing.T) {
	out := writePretty(t, &format.Report{Files: 5, Reached: 3, Fragments: 2}, false)
	if !strings.HasSuffix(out, "no problems in 5 files (3 loaded by nginx.conf, 2 linted as fragments)\n") {
		t.Errorf("summary with fragments:\n%s", out)
	}
	out = writePretty(t, &format.Report{Files: 3, Reached: 3}, false)
	if !strings.HasSuffix(out, "no problems in 3 files\n") {
		t.Errorf("summary without fragments:\n%s", out)
	}
}
