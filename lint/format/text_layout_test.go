package format_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

// sized is a writer with a terminal width.
type sized struct {
	bytes.Buffer
	width int
}

func (s *sized) TerminalWidth() int { return s.width }

// TestPrettyLayout: a short headline, the details on note lines, every
// line but the source wrapped to the terminal's width, and the summary
// ending with what --fix can fix.
func TestPrettyLayout(t *testing.T) {
	f := fmtParse(t, "etc/nginx/conf.d/upstreams.conf", "upstream api_pool {\n    server 127.0.0.1:8012;\n}\n")
	d := fmtArgDiag(fmtRuleScheme, fmtDirective(t, f, "server", 0), 0,
		`upstream "api_pool" dials 127.0.0.1:8012, where no backend of the manifest listens: requests fail with 502 ("connect() failed (111: Connection refused)"); did you mean 127.0.0.1:8002 (backend api)?`)
	d.Rule = "backend-drift"
	d.Related = []lint.Related{{File: f, Start: 0, End: 8, Message: "the upstream block that dials the address nobody listens on is defined here"}}
	v := d.Start
	d.Fixes = []lint.Fix{{Message: "use the address of backend api, which the manifest binds to this upstream block", Edits: []lint.TextEdit{{File: f, Start: v, End: v + 14, NewText: "127.0.0.1:8002"}}}}
	r := &format.Report{Diagnostics: []lint.Diagnostic{d}, Files: 3}

	var out sized
	out.width = 60
	if err := format.Text.Write(&out, r, format.Options{Terminal: true}); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"etc/nginx/conf.d/upstreams.conf:2:12: error: upstream\n" +
		"    \"api_pool\" dials 127.0.0.1:8012, where no backend of the\n" +
		"    manifest listens [backend-drift]\n" +
		" 2 |     server 127.0.0.1:8012;\n" +
		"   |            ^~~~~~~~~~~~~~\n" +
		"   = note: requests fail with 502 (\"connect() failed (111:\n" +
		"           Connection refused)\")\n" +
		"   = note: did you mean 127.0.0.1:8002 (backend api)?\n" +
		"   = fix: use the address of backend api, which the manifest\n" +
		"          binds to this upstream block (replace with\n" +
		"          `127.0.0.1:8002`)\n" +
		"    etc/nginx/conf.d/upstreams.conf:1:1: note: the upstream\n" +
		"        block that dials the address nobody listens on is\n" +
		"        defined here\n" +
		"     1 | upstream api_pool {\n" +
		"       | ^~~~~~~~\n" +
		"\n" +
		"1 error in 3 files; 1 fixable with --fix\n"
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 60 && !strings.Contains(line, " | ") {
			t.Errorf("line of %d columns: %q", n, line)
		}
	}

	// Without a width: one line each, the same notes.
	var plain bytes.Buffer
	if err := format.Text.Write(&plain, r, format.Options{Terminal: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plain.String(), "\n   = note: requests fail with 502 (\"connect() failed (111: Connection refused)\")\n") ||
		!strings.HasPrefix(plain.String(), "etc/nginx/conf.d/upstreams.conf:2:12: error: upstream \"api_pool\" dials 127.0.0.1:8012, where no backend of the manifest listens [backend-drift]\n") {
		t.Errorf("without a width:\n%s", plain.String())
	}

	// Colour: the escapes do not count in the width.
	var col sized
	col.width = 60
	if err := format.Text.Write(&col, r, format.Options{Terminal: true, Color: true}); err != nil {
		t.Fatal(err)
	}
	stripped := col.String()
	for _, esc := range []string{"\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[1;32m", "\x1b[35m", "\x1b[0m"} {
		stripped = strings.ReplaceAll(stripped, esc, "")
	}
	if stripped != want {
		t.Errorf("coloured output differs from the plain one by more than colour:\n%s", stripped)
	}

	// The plain text format (no terminal) keeps one line per finding.
	var lines bytes.Buffer
	if err := format.Text.Write(&lines, r, format.Options{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(lines.String(), "\n"); n != 2 {
		t.Errorf("text format off a terminal: %d lines\n%s", n, lines.String())
	}
}

// TestPrettySummaryManyDisabled: past maxDisabledNamed, the summary gives
// the number of disabled rules, not their names.
func TestPrettySummaryManyDisabled(t *testing.T) {
	var b bytes.Buffer
	r := &format.Report{Files: 2, Disabled: []string{"a", "b", "c", "d", "e", "f"}}
	if err := format.Text.Write(&b, r, format.Options{Terminal: true}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "no problems in 2 files; 6 rules disabled (-v names them)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
