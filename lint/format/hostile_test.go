package format_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

// What the formats print comes partly from the input, which a stranger's
// pull request controls: file names, directive values, backend names.
// These tests give every format such input and check that nothing of it
// is obeyed: by a terminal (escape sequences, controls), by a CI runner
// (a forged line, a GitHub Actions workflow command "::error::" at a
// line's start, a legacy "##[error]" anywhere), or by a parser (JSON,
// SARIF and Checkstyle stay valid, and JSON and SARIF keep the names
// exactly).

// hostileNames are file names built to forge output, one attack each.
var hostileNames = []string{
	"\n::error::forged.conf",
	"\x1b]0;x\x07.conf",
	"\r.conf",
	"::warning file=a.conf,line=1::forged.conf",
	" \t::notice::after-blanks.conf",
	"\u00a0::error::after-nbsp.conf",
	"\u200b::error::after-zero-width-space.conf",
	"\ufeff::error::after-bom.conf",
	"\u0301::error::after-combining-mark.conf",
	"a##[error]legacy-command.conf",
	"##[stop-commands]token.conf",
	"x##vso[task.logissue type=error]azure.conf",
	"##\u200b[error]hidden-marker.conf",
	"#\u0300#[error]marked-marker.conf",
	"\u202eevil\u202c\u2066.conf",
	"\x7f\u0085\u009b31m\u009d0;t\u009c.conf",
	"\xff\xfe\xc0\x80.conf",
	"\x00nul\x01\x08.conf",
	"dir/\n::error::in-a-directory.conf",
}

// hostileValue is a directive argument: a quoted nginx string may hold a
// raw newline or escape sequence.
const hostileValue = "127.0.0.1:1\n::error::value\r\x1b[2J\x1b]0;t\x07\u009b1m##[error]v\u202e"

// hostileBackend is a manifest backend name: TOML's quoted keys take
// escapes.
const hostileBackend = "w\n::error::backend\x1b[31m\u0085##vso[task.complete]"

// randomNames returns n file names drawn from the characters the attacks
// are made of, so that the checks cover the class, not only the examples.
func randomNames(n int) []string {
	atoms := []string{
		"\n", "\r", "\t", " ", "\x00", "\x07", "\x1b", "\x1b[", "\x1b]", "\x7f", "\u0085", "\u009b", "\u009d",
		":", "::", "::error::", "#", "##", "[", "##[", "vso[", "\u200b", "\ufeff", "\u00a0", "\u2028",
		"\u0301", "\u202e", "\u2066", "\xff", "\xc2", "a", "é", "/",
	}
	rng := rand.New(rand.NewPCG(14, 1))
	names := make([]string, n)
	for i := range names {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(atoms[rng.IntN(len(atoms))])
		}
		b.WriteString(".conf")
		names[i] = b.String()
	}
	return names
}

// hostileReport has, per name, a file of that name whose proxy_pass holds
// hostileValue, with a finding whose message, fix and related note quote
// the value and hostileBackend (the note in the next file), and a finding
// without a file.
func hostileReport(t *testing.T, names []string) *format.Report {
	t.Helper()
	src := "proxy_pass \"" + hostileValue + "\";\n"
	var files []lint.Diagnostic
	for _, name := range names {
		f := fmtParse(t, name, src)
		d := fmtArgDiag(fmtRuleScheme, fmtDirective(t, f, "proxy_pass", 0), 0,
			"proxy_pass \""+hostileValue+"\" has no scheme; backend "+hostileBackend)
		v := d.Start + 1
		d.Fixes = []lint.Fix{
			{Message: "write " + hostileValue, Edits: []lint.TextEdit{{File: f, Start: v, End: v, NewText: "http://" + hostileValue}}},
			{Edits: []lint.TextEdit{{File: f, Start: v, End: v + 3, NewText: hostileBackend}}},
		}
		files = append(files, d)
	}
	for i := range files {
		next := files[(i+1)%len(files)]
		files[i].Related = []lint.Related{{File: next.File, Start: next.Start, End: next.End, Message: "backend " + hostileBackend + " is defined here"}}
	}
	files = append(files, lint.Diagnostic{Rule: "syntax", Severity: lint.Error, Message: "no file: " + hostileValue})
	return &format.Report{Diagnostics: files, Files: len(names), Rules: fmtRules}
}

func TestHostileOutput(t *testing.T) {
	for _, c := range []struct {
		name  string
		names []string
	}{
		{"attacks", hostileNames},
		{"random", randomNames(300)},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := hostileReport(t, c.names)
			for _, f := range format.All {
				out := fmtWrite(t, f, r, format.Options{})
				switch f {
				case format.JSON:
					checkJSONOutput(t, out, r)
				case format.SARIF:
					// Without the finding that has no file: GitHub code
					// scanning wants a location for every result.
					withFiles := *r
					withFiles.Diagnostics = r.Diagnostics[:len(r.Diagnostics)-1]
					checkSARIFOutput(t, fmtWrite(t, f, &withFiles, format.Options{}), &withFiles)
				case format.Checkstyle:
					checkLogSafe(t, f.Name, out, nil)
					checkXML(t, out, r)
				case format.GitHub:
					checkLogSafe(t, f.Name, out, githubOwnLines(t, out, r))
				case format.GitLab:
					checkGitLabOutput(t, out, r)
				case format.JUnit:
					checkLogSafe(t, f.Name, out, nil)
					checkJUnitXML(t, out, r)
				default:
					checkLogSafe(t, f.Name, out, nil)
					// One line per finding and per note: none forged.
					want := 0
					for _, d := range r.Diagnostics {
						want += 1 + len(d.Related)
					}
					if got := strings.Count(out, "\n"); got != want {
						t.Errorf("%s: %d lines, want %d (one per finding and note)", f.Name, got, want)
					}
				}
			}
			// The terminal output, plain and coloured.
			plain := fmtWrite(t, format.Text, r, format.Options{Terminal: true})
			checkLogSafe(t, "text on a terminal", plain, nil)
			colored := fmtWrite(t, format.Text, r, format.Options{Terminal: true, Color: true})
			for _, esc := range []string{"\x1b[0m", "\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[1;32m", "\x1b[35m"} {
				colored = strings.ReplaceAll(colored, esc, "")
			}
			if colored != plain {
				t.Errorf("coloured terminal output differs from the plain one by more than nginxlint's colours")
			}
		})
	}
}

func fmtWrite(t *testing.T, f *format.Format, r *format.Report, o format.Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf, r, o); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return buf.String()
}

// ignorable reports whether a culture-aware search (.NET's on Linux, in
// the CI runners) may skip r when it looks for a command marker.
func ignorable(r rune) bool {
	return r >= 0x80 && unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// checkLogSafe fails if out, the output of a line format, holds anything a
// terminal or a CI runner would obey: a control character other than tab
// and the newlines that end lines, invalid UTF-8, a bidirectional
// control, a "##[" or "##vso[" marker (characters a search skips do not
// hide one), or a line that begins with "::" (after blanks and skipped
// characters) unless own says it is one of the format's own commands.
func checkLogSafe(t *testing.T, name, out string, own map[int]bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: output is not valid UTF-8", name)
	}
	var significant strings.Builder
	for i, r := range out {
		switch {
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, 0x80 <= r && r < 0xa0:
			t.Errorf("%s: control character %U at byte %d: %q", name, r, i, around(out, i))
		case 0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
			t.Errorf("%s: bidirectional control %U at byte %d: %q", name, r, i, around(out, i))
		}
		if !ignorable(r) {
			significant.WriteRune(r)
		}
	}
	for _, marker := range []string{"##[", "##vso["} {
		if i := strings.Index(significant.String(), marker); i >= 0 {
			t.Errorf("%s: a %q command marker: %q", name, marker, around(significant.String(), i))
		}
	}
	if out != "" && !strings.HasSuffix(out, "\n") {
		t.Errorf("%s: output does not end with a newline", name)
	}
	for n, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		rest := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || ignorable(r) })
		if strings.HasPrefix(rest, ":") && !own[n] {
			t.Errorf("%s: line %d reads as a workflow command: %q", name, n+1, line)
		}
	}
}

func around(s string, i int) string {
	return s[max(0, i-40):min(len(s), i+40)]
}

// githubOwnLines checks that the github format printed one workflow
// command per finding, each a line of its own, and returns their line
// numbers.
func githubOwnLines(t *testing.T, out string, r *format.Report) map[int]bool {
	t.Helper()
	own := map[int]bool{}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(r.Diagnostics) {
		t.Errorf("github: %d lines, want %d (one per finding)", len(lines), len(r.Diagnostics))
	}
	for n, line := range lines {
		if n < len(r.Diagnostics) {
			cmd := map[lint.Severity]string{lint.Error: "::error ", lint.Warning: "::warning ", lint.Info: "::notice "}[r.Diagnostics[n].Severity]
			if !strings.HasPrefix(line, cmd) {
				t.Errorf("github: line %d is not the finding's %q command: %q", n+1, cmd, line)
			}
			// The properties end at the first "::": no ":" is left raw in
			// them.
			if strings.Count(line, "::") < 2 || strings.Contains(line[2:strings.Index(line[2:], "::")+2], ":") {
				t.Errorf("github: line %d: properties hold a raw colon: %q", n+1, line)
			}
		}
		own[n] = true
	}
	return own
}

// checkRawJSON fails if a JSON document, printed to a CI log, holds what
// a terminal or runner would obey: JSON may carry any text, but as \u
// escapes.
func checkRawJSON(t *testing.T, name, out string) {
	t.Helper()
	var significant strings.Builder
	for i, r := range out {
		switch {
		case r < 0x20 && r != '\n', r == 0x7f, 0x80 <= r && r < 0xa0, 0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
			t.Errorf("%s: raw %U at byte %d: %q", name, r, i, around(out, i))
		}
		if !ignorable(r) {
			significant.WriteRune(r)
		}
	}
	for _, marker := range []string{"##[", "##vso["} {
		if i := strings.Index(significant.String(), marker); i >= 0 {
			t.Errorf("%s: a raw %q marker: %q", name, marker, around(significant.String(), i))
		}
	}
}

// jsonText is what encoding/json keeps of s: invalid bytes become U+FFFD.
func jsonText(s string) string { return string([]rune(s)) }

func checkJSONOutput(t *testing.T, out string, r *format.Report) {
	t.Helper()
	checkRawJSON(t, "json", out)
	type rng struct {
		File string `json:"file"`
	}
	var got struct {
		Diagnostics []struct {
			rng
			Message string `json:"message"`
			Fixes   []struct {
				Message string `json:"message"`
				Edits   []struct {
					rng
					NewText string `json:"new_text"`
				} `json:"edits"`
			} `json:"fixes"`
			Related []struct {
				rng
				Message string `json:"message"`
			} `json:"related"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("json: not JSON: %v", err)
	}
	if len(got.Diagnostics) != len(r.Diagnostics) {
		t.Fatalf("json: %d findings, want %d", len(got.Diagnostics), len(r.Diagnostics))
	}
	for i, g := range got.Diagnostics {
		d := r.Diagnostics[i]
		name := ""
		if d.File != nil {
			name = d.File.Name
		}
		if g.File != jsonText(name) || g.Message != d.Message {
			t.Errorf("json: finding %d is %q: %q, want %q: %q", i, g.File, g.Message, jsonText(name), d.Message)
		}
		for j, f := range g.Fixes {
			want := d.Fixes[j]
			if f.Message != want.Message || f.Edits[0].NewText != want.Edits[0].NewText || f.Edits[0].File != jsonText(want.Edits[0].File.Name) {
				t.Errorf("json: finding %d fix %d = %+v, want %+v", i, j, f, want)
			}
		}
		for j, rel := range g.Related {
			want := d.Related[j]
			if rel.File != jsonText(want.File.Name) || rel.Message != want.Message {
				t.Errorf("json: finding %d note %d = %+v, want %q: %q", i, j, rel, want.File.Name, want.Message)
			}
		}
	}
}

func checkSARIFOutput(t *testing.T, out string, r *format.Report) {
	t.Helper()
	checkRawJSON(t, "sarif", out)
	var log map[string]any
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("sarif: not JSON: %v", err)
	}
	checkSARIF(t, log)
	results, _ := jget(log, "runs", 0, "results").([]any)
	if len(results) != len(r.Diagnostics) {
		t.Fatalf("sarif: %d results, want %d", len(results), len(r.Diagnostics))
	}
	// SARIF names files by URI, which keeps every byte of the name.
	unescape := func(v any) string {
		s, _ := v.(string)
		u, err := url.PathUnescape(strings.TrimPrefix(s, "file://"))
		if err != nil {
			t.Errorf("sarif: %q: %v", s, err)
		}
		return u
	}
	for i, res := range results {
		d := r.Diagnostics[i]
		if got := jget(res, "message", "text"); got != d.Message {
			t.Errorf("sarif: result %d message %q, want %q", i, got, d.Message)
		}
		if d.File == nil {
			continue
		}
		if got := unescape(jget(res, "locations", 0, "physicalLocation", "artifactLocation", "uri")); got != d.File.Name {
			t.Errorf("sarif: result %d file %q, want %q", i, got, d.File.Name)
		}
		if got := unescape(jget(res, "relatedLocations", 0, "physicalLocation", "artifactLocation", "uri")); got != d.Related[0].File.Name {
			t.Errorf("sarif: result %d note file %q, want %q", i, got, d.Related[0].File.Name)
		}
		if got := jget(res, "relatedLocations", 0, "message", "text"); got != d.Related[0].Message {
			t.Errorf("sarif: result %d note %q, want %q", i, got, d.Related[0].Message)
		}
		if got := jget(res, "fixes", 0, "artifactChanges", 0, "replacements", 0, "insertedContent", "text"); got != d.Fixes[0].Edits[0].NewText {
			t.Errorf("sarif: result %d fix text %q, want %q", i, got, d.Fixes[0].Edits[0].NewText)
		}
	}
}

// checkXML parses a Checkstyle document strictly: it must be well-formed
// XML 1.0 with one <error> per finding.
func checkXML(t *testing.T, out string, r *format.Report) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = true
	errs := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("checkstyle: not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "error" {
			errs++
		}
	}
	if errs != len(r.Diagnostics) {
		t.Errorf("checkstyle: %d errors, want %d", errs, len(r.Diagnostics))
	}
	var rep csReport
	if err := xml.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("checkstyle: %v", err)
	}
	for _, f := range rep.Files {
		for _, e := range f.Errors {
			if e.Message == "" {
				t.Errorf("checkstyle: %q: an empty message", f.Name)
			}
		}
	}
}

// TestLogSafeKeepsText: what is not an attack passes unchanged, in every
// line format: non-ASCII names, a "#" or a "[" alone, a colon that does
// not begin a line.
func TestLogSafeKeepsText(t *testing.T) {
	for _, name := range []string{"etc/nginx/café ☕.conf", "a#b[c].conf", "#1 [x].conf", "a::b.conf", "/abs/::x.conf", "日本.conf"} {
		f := fmtParse(t, name, "proxy_pass 127.0.0.1:1;\n")
		d := fmtArgDiag(fmtRuleScheme, fmtDirective(t, f, "proxy_pass", 0), 0, "#"+name+"# [ok]")
		r := &format.Report{Diagnostics: []lint.Diagnostic{d}, Files: 1}
		want := fmt.Sprintf("%s:1:12: error: %s [proxy-pass-scheme]\n", name, d.Message)
		if got := fmtWrite(t, format.Text, r, format.Options{}); got != want {
			t.Errorf("text: got %q, want %q", got, want)
		}
		if got := fmtWrite(t, format.Text, r, format.Options{Terminal: true}); !strings.HasPrefix(got, strings.TrimSuffix(want, "\n")) {
			t.Errorf("terminal: got %q, want it to begin with %q", got, want)
		}
	}
}

// TestLogPath: a name that would begin a workflow command is written
// "./NAME"; the marker "##[" loses its "[" to U+FFFD, one character for
// one, so columns stay.
func TestLogPath(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"::error::x.conf", "./::error::x.conf"},
		{" ::error::x.conf", "./ ::error::x.conf"},
		{"\u200b::x.conf", "./\u200b::x.conf"},
		{"\n::x.conf", "\uFFFD::x.conf"},
		{"a##[error]b.conf", "a##\uFFFDerror]b.conf"},
		{"a##vso[x]b.conf", "a##vso\uFFFDx]b.conf"},
		{"##\u200b[x", "##\u200b\uFFFDx"},
		{"#[x##x[", "#[x##x["},
		{"ok.conf", "ok.conf"},
	} {
		f := fmtParse(t, c.name, "proxy_pass 127.0.0.1:1;\n")
		d := fmtArgDiag(fmtRuleScheme, fmtDirective(t, f, "proxy_pass", 0), 0, "m")
		got := fmtWrite(t, format.Text, &format.Report{Diagnostics: []lint.Diagnostic{d}}, format.Options{})
		if want := c.want + ":1:12: error: m [proxy-pass-scheme]\n"; got != want {
			t.Errorf("%q: got %q, want %q", c.name, got, want)
		}
	}
}

// checkGitLabOutput checks a Code Quality report of r: safe to print,
// one issue per finding, each quoting the message and the file name
// exactly (through JSON's escapes), with distinct fingerprints.
func checkGitLabOutput(t *testing.T, out string, r *format.Report) {
	t.Helper()
	checkRawJSON(t, "gitlab", out)
	var issues []struct {
		Description string `json:"description"`
		Fingerprint string `json:"fingerprint"`
		Location    struct {
			Path string `json:"path"`
		} `json:"location"`
	}
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatalf("gitlab: not JSON: %v", err)
	}
	if len(issues) != len(r.Diagnostics) {
		t.Fatalf("gitlab: %d issues, want %d", len(issues), len(r.Diagnostics))
	}
	seen := map[string]bool{}
	for i, is := range issues {
		d := r.Diagnostics[i]
		if is.Description != jsonText(d.Message) {
			t.Errorf("gitlab: issue %d: description %q, want %q", i, is.Description, d.Message)
		}
		if d.File != nil && is.Location.Path != strings.TrimPrefix(jsonText(d.File.Name), "./") && !strings.HasPrefix(d.File.Name, "./") {
			t.Errorf("gitlab: issue %d: path %q, want %q", i, is.Location.Path, d.File.Name)
		}
		if seen[is.Fingerprint] {
			t.Errorf("gitlab: issue %d: fingerprint %s repeated", i, is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
}

// checkJUnitXML checks that a JUnit report of r is well-formed and has
// one failure per finding.
func checkJUnitXML(t *testing.T, out string, r *format.Report) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = true
	failures := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("junit: not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "failure" {
			failures++
		}
	}
	if failures != len(r.Diagnostics) {
		t.Errorf("junit: %d failures, want %d", failures, len(r.Diagnostics))
	}
}
