//go:build unix

package main_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestHostileOutput: a tree whose file names, directive values and
// manifest backend names are built to forge output. In every format the
// binary prints nothing a terminal or a CI runner would obey: no control
// character but the newlines that end lines (and tabs), no invalid UTF-8,
// no bidirectional control, no legacy "##[" command marker anywhere, and
// no line that begins with "::" except the github format's own commands,
// one per finding. JSON and SARIF parse and keep the names exactly;
// Checkstyle is well-formed XML. (The terminal output is tested in
// lint/format: it needs a terminal.)
func TestHostileOutput(t *testing.T) {
	names := []string{
		"\n::error::forged",
		"\x1b]0;x\x07",
		"\r",
		"::warning::x",
		" ::notice::after-a-blank",
		"\u200b::error::after-zero-width-space",
		"a##[error]legacy",
		"##[stop-commands]token",
		"x##vso[task.logissue type=error]azure",
		"\u202eevil",
		"\x7f\u009b31m\u0085",
		"\xff\xfe",
	}
	// A quoted nginx string holds a raw newline or escape; TOML's quoted
	// keys take escapes.
	value := "127.0.0.1:%d\n::error::value\r\x1b]0;t\x07##[error]v\u009b1m"
	backend := `w\n::error::backend\u001b[31m##[error]b\u0085`
	backendName := "w\n::error::backend\x1b[31m##[error]b\u0085"

	dir := t.TempDir()
	write(t, filepath.Join(dir, "nginx.conf"), events+"http { include *.site; }\n")
	for i, n := range names {
		write(t, filepath.Join(dir, n+".site"), fmt.Sprintf("server {\n"+
			"    listen 80;\n"+
			"    server_name \"a\n::error::name\x1b[2J##[error]s\";\n"+
			"    location / { proxy_pass \""+value+"\"; }\n"+
			"    location /b { proxy_pass http://127.0.0.1:8002; }\n"+
			"}\n", 9000+i))
	}
	write(t, filepath.Join(dir, "backends.toml"), "[backends.\""+backend+"\"]\nlisten = \"127.0.0.1:8001\"\nprotocol = \"http\"\n")

	outputs := map[string]string{}
	for _, f := range []string{"", "text", "json", "sarif", "github", "checkstyle"} {
		args := []string{"."}
		if f != "" {
			args = []string{"--format", f, "."}
		}
		r := runBin(t, dir, nil, args...)
		if r.code != 1 {
			t.Fatalf("nginxlint %s: exit %d, want 1 (findings)\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
		outputs[f] = r.stdout
	}

	// JSON: parses, and keeps the names, values and backend names.
	var report struct {
		Diagnostics []struct {
			Rule    string `json:"rule"`
			File    string `json:"file"`
			Message string `json:"message"`
			Fixes   []struct {
				Message string `json:"message"`
			} `json:"fixes"`
			Related []struct {
				File    string `json:"file"`
				Message string `json:"message"`
			} `json:"related"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(outputs["json"]), &report); err != nil {
		t.Fatalf("--format json: not JSON: %v\n%.2000q", err, outputs["json"])
	}
	findings := len(report.Diagnostics)
	jsonFiles := map[string]bool{}
	jsonText := ""
	for _, d := range report.Diagnostics {
		jsonFiles[d.File] = true
		jsonText += d.Message
		for _, r := range d.Related {
			jsonFiles[r.File] = true
			jsonText += r.Message
		}
	}
	for _, n := range names {
		// JSON strings are Unicode: an invalid byte becomes U+FFFD.
		if want := string([]rune(n + ".site")); !jsonFiles[want] {
			t.Errorf("--format json: no finding in %q (files: %q)", want, keys(jsonFiles))
		}
	}
	for _, want := range []string{backendName, `\n::error::value\r\x1b]0;t\a##[error]v`, `\n::error::name\x1b[2J##[error]s`} {
		if !strings.Contains(jsonText, want) {
			t.Errorf("--format json: no message holds %q", want)
		}
	}
	checkRawJSONOutput(t, "json", outputs["json"])

	// SARIF: parses, and its URIs keep every byte of the names.
	var log struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(outputs["sarif"]), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("--format sarif: not a SARIF log: %v", err)
	}
	sarifFiles := map[string]bool{}
	for _, res := range log.Runs[0].Results {
		for _, l := range res.Locations {
			name, err := url.PathUnescape(l.PhysicalLocation.ArtifactLocation.URI)
			if err != nil {
				t.Errorf("--format sarif: %q: %v", l.PhysicalLocation.ArtifactLocation.URI, err)
			}
			sarifFiles[name] = true
		}
	}
	for _, n := range names {
		if !sarifFiles[n+".site"] {
			t.Errorf("--format sarif: no result in %q (files: %q)", n+".site", keys(sarifFiles))
		}
	}
	if len(log.Runs[0].Results) != findings {
		t.Errorf("--format sarif: %d results, json has %d findings", len(log.Runs[0].Results), findings)
	}
	checkRawJSONOutput(t, "sarif", outputs["sarif"])

	// Checkstyle: well-formed XML, one <error> per finding.
	dec := xml.NewDecoder(strings.NewReader(outputs["checkstyle"]))
	dec.Strict = true
	errs := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("--format checkstyle: not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "error" {
			errs++
		}
	}
	if errs != findings {
		t.Errorf("--format checkstyle: %d errors, json has %d findings", errs, findings)
	}

	// The line formats.
	for _, f := range []string{"", "text", "github", "checkstyle"} {
		name := "--format " + f
		if f == "" {
			name = "the default format"
		}
		out := outputs[f]
		checkPrintable(t, name, out)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		own := 0
		for i, line := range lines {
			rest := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || skipped(r) })
			if !strings.HasPrefix(rest, ":") {
				continue
			}
			if f == "github" && (strings.HasPrefix(line, "::error file=") || strings.HasPrefix(line, "::warning file=") || strings.HasPrefix(line, "::notice file=")) {
				own++
				continue
			}
			t.Errorf("%s: line %d reads as a workflow command: %q", name, i+1, line)
		}
		if f == "github" && (own != findings || len(lines) != findings) {
			t.Errorf("%s: %d lines, %d of them commands, want one command per finding (%d)", name, len(lines), own, findings)
		}
		if f == "" || f == "text" {
			notes := 0
			for _, d := range report.Diagnostics {
				notes += len(d.Related)
			}
			if len(lines) != findings+notes {
				t.Errorf("%s: %d lines, want one per finding and note (%d)", name, len(lines), findings+notes)
			}
		}
	}
}

func keys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// skipped reports whether a culture-aware search (.NET's on Linux, in the
// CI runners) may skip r when it looks for a command marker.
func skipped(r rune) bool {
	return r >= 0x80 && unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// checkPrintable fails if out holds a control character other than
// newline and tab, invalid UTF-8, a bidirectional control, or a "##[" or
// "##vso[" command marker (characters a search skips do not hide one).
func checkPrintable(t *testing.T, name, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: output is not valid UTF-8", name)
	}
	checkRunes(t, name, out, "\n\t")
}

// checkRawJSONOutput fails if a JSON document printed to a CI log holds
// raw what a terminal or runner would obey: JSON carries any text, but
// as \u escapes.
func checkRawJSONOutput(t *testing.T, name, out string) {
	t.Helper()
	checkRunes(t, "--format "+name, out, "\n")
}

func checkRunes(t *testing.T, name, out, allowed string) {
	t.Helper()
	var significant strings.Builder
	for i, r := range out {
		switch {
		case (r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0) && !strings.ContainsRune(allowed, r),
			0x202a <= r && r <= 0x202e, 0x2066 <= r && r <= 0x2069:
			t.Errorf("%s: raw %U at byte %d: %q", name, r, i, out[max(0, i-40):min(len(out), i+40)])
		}
		if !skipped(r) {
			significant.WriteRune(r)
		}
	}
	s := significant.String()
	for _, marker := range []string{"##[", "##vso["} {
		if i := strings.Index(s, marker); i >= 0 {
			t.Errorf("%s: a %q command marker: %q", name, marker, s[max(0, i-40):min(len(s), i+40)])
		}
	}
}

// TestHostileStderr: what nginxlint writes to standard error (-v's
// account of the tree, read errors, the files it skips) names the
// tree's files and quotes what they include. A newline in such a name or
// argument cannot start a line of its own there either: each appears
// inline, after U+FFFD, and stderr holds nothing a terminal or a CI runner
// would obey.
func TestHostileStderr(t *testing.T) {
	forged := "nginxlint: nginx.conf:1:1: error: FORGED [syntax]"
	dir := t.TempDir()
	write(t, filepath.Join(dir, "nginx.conf"), events+"http {\n"+
		"    include \"conf.d/*.conf\";\n"+
		"    include \"d\nnginxlint: FORGED include.conf\";\n"+
		"}\n")
	// A FIFO where the include wants a file: a read error.
	mkfifo(t, filepath.Join(dir, "d\nnginxlint: FORGED include.conf"))
	// Skipped: not configuration, by content and by name.
	write(t, filepath.Join(dir, "notes\n"+forged), "junk words\n")
	write(t, filepath.Join(dir, "readme\r\n"+forged+".md"), "# notes\n")
	// Loaded, and named by -v's account.
	write(t, filepath.Join(dir, "conf.d", "site\n"+forged+".conf"), "server { listen 80; }\n")
	write(t, filepath.Join(dir, "frag\n::error::FORGED.conf"), "server { listen 81; }\n")
	for _, args := range [][]string{{"-v", "."}, {"-v", "--format", "github", "."}} {
		r := runBin(t, dir, nil, args...)
		name := "nginxlint " + strings.Join(args, " ") + ": stderr"
		if r.code != 2 {
			t.Errorf("%s: exit %d, want 2 (an include names a FIFO)\n%s", name, r.code, r.stderr)
		}
		checkPrintable(t, name, r.stderr)
		seen := 0
		for i, line := range strings.Split(r.stderr, "\n") {
			rest := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || skipped(r) })
			if strings.HasPrefix(rest, ":") {
				t.Errorf("%s: line %d reads as a workflow command: %q", name, i+1, line)
			}
			at := strings.Index(line, "FORGED")
			if at < 0 {
				continue
			}
			seen++
			if !strings.Contains(line[:at], "\uFFFD") {
				t.Errorf("%s: line %d starts a line of the input's own: %q", name, i+1, line)
			}
		}
		if seen < 4 {
			t.Errorf("%s: %d lines name the hostile files, want at least 4 (the skipped files, the include of a FIFO, the fragment)\n%s", name, seen, r.stderr)
		}
	}
}

// TestHostileStderrCommands: a line of standard error that begins with a
// file's name (a manifest's or a configuration's problem) cannot read as a
// GitHub Actions workflow command, whatever precedes the "::" in the name:
// a blank, a tab, a no-break space or a zero-width space, which the runner
// skips.
func TestHostileStderrCommands(t *testing.T) {
	for _, lead := range []string{"", " ", "\t", "\u00a0", "\u200b", " \u200b "} {
		base := t.TempDir()
		dir := filepath.Join(base, lead+"::error title=FORGED::pwned")
		write(t, filepath.Join(dir, "nginx.conf"), events+"http { server { listen 8080; } }\n")
		write(t, filepath.Join(dir, "backends.toml"), "lisen = 1\n")
		for _, f := range []string{"text", "github"} {
			r := runBin(t, base, nil, "--format", f, filepath.Base(dir))
			name := fmt.Sprintf("a tree named %q, --format %s: stderr", filepath.Base(dir), f)
			if r.code != 2 {
				t.Errorf("%s: exit %d, want 2 (the manifest is invalid)\n%s", name, r.code, r.stderr)
			}
			checkPrintable(t, name, r.stderr)
			seen := false
			for i, line := range strings.Split(r.stderr, "\n") {
				seen = seen || strings.Contains(line, "FORGED")
				rest := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || skipped(r) })
				if strings.HasPrefix(rest, "::") {
					t.Errorf("%s: line %d reads as a workflow command: %q", name, i+1, line)
				}
			}
			if !seen {
				t.Errorf("%s: no line names the manifest\n%s", name, r.stderr)
			}
		}
	}
}

// TestHostileManifestInit: the draft "manifest init" prints names the
// tree's files and quotes its values. A newline in a file's name cannot
// end a comment and write TOML of its own into the draft (a backend the
// tree never dials), and nothing in the draft or on stderr reads as a
// workflow command or a terminal sequence.
func TestHostileManifestInit(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "nginx.conf"), events+"http {\n"+
		"    include conf.d/*.conf;\n"+
		"    upstream pool { server 127.0.0.1:9003; }\n"+
		"    server { listen 81; location / { proxy_pass http://pool; } }\n"+
		"}\n")
	for i, name := range []string{
		"x\n[backends.evil]\nlisten = \"0.0.0.0:5432\"\n#",
		"y\n::error title=INIT::forged\x1b[31m ##[error]z",
		"w\u200b\n \u00a0::warning::forged",
	} {
		write(t, filepath.Join(dir, "conf.d", name+".conf"), fmt.Sprintf("server { listen %d; location / { proxy_pass http://127.0.0.1:%d; } }\n", 8080+i, 9010+i))
	}
	r := runBin(t, dir, nil, "manifest", "init", ".")
	if r.code != 0 {
		t.Fatalf("manifest init: exit %d, want 0\n%s", r.code, r.stderr)
	}
	for _, out := range []struct{ name, text string }{{"the draft", r.stdout}, {"stderr", r.stderr}} {
		checkPrintable(t, out.name, out.text)
		if strings.Contains(out.text, "##[") {
			t.Errorf("%s holds a raw \"##[\" marker\n%s", out.name, out.text)
		}
		for i, line := range strings.Split(out.text, "\n") {
			rest := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || skipped(r) })
			if strings.HasPrefix(rest, "::") {
				t.Errorf("%s: line %d reads as a workflow command: %q", out.name, i+1, line)
			}
			if strings.HasPrefix(rest, "[backends.evil]") || strings.HasPrefix(rest, "listen = \"0.0.0.0:5432\"") {
				t.Errorf("%s: line %d is TOML a file's name wrote: %q", out.name, i+1, line)
			}
		}
	}
	// The draft is a manifest of the backends the tree dials: three
	// addresses of conf.d and the upstream's.
	write(t, filepath.Join(dir, "backends.toml"), r.stdout)
	v := runBin(t, dir, nil, "-v", ".")
	if want := "(4 backends)"; !strings.Contains(v.stderr, want) {
		t.Errorf("linting with the draft: stderr lacks %q\n%s", want, v.stderr)
	}
}

// TestHostileDiff: --diff shows the source lines around a fix. To a pipe
// (a terminal, a CI log) the lines that hold what those would obey are
// made safe, and standard error says so; to a file (--output) the diff is
// whole, to be applied.
func TestHostileDiff(t *testing.T) {
	dir := t.TempDir()
	hostile := []string{
		" # c \x1b[31mRED\x1b[0m ##[error]legacy",
		"::error::forged-context",
		" \u200b::warning::forged-after-zwsp;",
	}
	// The three lines before the fix: the diff's context.
	write(t, filepath.Join(dir, "nginx.conf"), events+"http { server { listen 8080;\n add_header X-A\n"+
		hostile[0]+"\n"+hostile[1]+"\n"+hostile[2]+"\n"+
		" location / { proxy_pass 127.0.0.1:8000; }\n } }\n")
	patch := filepath.Join(dir, "fix.diff")
	r := runBin(t, dir, nil, "--diff", "--output", "text="+patch, "--output", "text=-", ".")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	checkPrintable(t, "--diff to a pipe", r.stdout)
	if strings.Contains(r.stdout, "##[") {
		t.Errorf("--diff to a pipe holds a raw \"##[\"\n%s", r.stdout)
	}
	for i, line := range strings.Split(r.stdout, "\n") {
		rest := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || skipped(r) })
		if strings.HasPrefix(rest, "::") {
			t.Errorf("--diff to a pipe: line %d reads as a workflow command: %q", i+1, line)
		}
	}
	if !strings.Contains(r.stdout, "+ location / { proxy_pass http://127.0.0.1:8000; }") {
		t.Errorf("--diff to a pipe lacks the fix\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "3 lines of the diff hold what a terminal or a CI log would obey") {
		t.Errorf("stderr does not say the diff was made safe\n%s", r.stderr)
	}
	b, err := os.ReadFile(patch)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hostile {
		if !strings.Contains(string(b), "\n "+h+"\n") {
			t.Errorf("--output text=FILE: the diff lacks the context line %q as it is\n%s", h, b)
		}
	}

	// The clean counterpart: a diff with nothing to make safe (a tab, a
	// colon inside a line, "#" and "[" apart) is the same to a pipe as
	// to a file, and stderr says nothing of it.
	write(t, filepath.Join(dir, "nginx.conf"), events+"http { server { listen 8080;\n\tadd_header X-A \"a::b\";\n # note: ## [x] #[y]\n location / { proxy_pass 127.0.0.1:8000; }\n } }\n")
	r = runBin(t, dir, nil, "--diff", "--output", "text="+patch, "--output", "text=-", ".")
	if b, err = os.ReadFile(patch); err != nil {
		t.Fatal(err)
	}
	if r.code != 1 || r.stdout != string(b) || strings.Contains(r.stderr, "of the diff hold") {
		t.Errorf("a clean diff: exit %d, to a pipe %q, to a file %q, stderr %q; want the same diff twice and nothing on stderr", r.code, r.stdout, b, r.stderr)
	}
}
