package baseline_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/baseline"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

func parse(t *testing.T, name, src string) *syntax.File {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": src}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	f := tree.Main
	f.Name = name
	return f
}

// finds returns a finding of rule on every occurrence of text in f.
func finds(f *syntax.File, rule, text, msg string) []lint.Diagnostic {
	var ds []lint.Diagnostic
	for off := 0; ; {
		i := strings.Index(f.Src[off:], text)
		if i < 0 {
			return ds
		}
		off += i
		ds = append(ds, lint.Diagnostic{Rule: rule, Severity: lint.Warning, File: f, Start: off, End: off + len(text), Message: msg})
		off += len(text)
	}
}

const conf = `http {
    server {
        location / { proxy_pass 127.0.0.1:1; }
        location /b/ { proxy_pass 127.0.0.1:1; }
    }
}
`

func TestWriteReadFilter(t *testing.T) {
	t.Chdir(t.TempDir())
	f := parse(t, "etc/nginx/nginx.conf", conf)
	ds := append(finds(f, "r", "127.0.0.1:1", "m"), finds(f, "syntax", "http", "fatal")...)
	b, err := baseline.New("base/nginxlint-baseline.json", ds[:2])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("base", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := b.Write(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("base/nginxlint-baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int
		Findings []baseline.Entry
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	// Files are relative to the baseline's directory; entries sorted.
	if doc.Version != 1 || len(doc.Findings) != 2 || doc.Findings[0].File != "../etc/nginx/nginx.conf" || doc.Findings[0].Count != 1 {
		t.Fatalf("baseline file:\n%s", data)
	}
	if !strings.HasSuffix(string(data), "\n") || strings.Contains(string(data), `\u003c`) {
		t.Errorf("baseline file not as written for a diff:\n%s", data)
	}

	read, err := baseline.Read("base/nginxlint-baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	fatal := func(d *lint.Diagnostic) bool { return d.Rule == "syntax" }
	shown, hidden, unmatched := read.Filter(ds, fatal)
	if hidden != 2 || len(shown) != 1 || shown[0].Rule != "syntax" || len(unmatched) != 0 {
		t.Errorf("Filter: shown %v, hidden %d, unmatched %v", shown, hidden, unmatched)
	}

	// Moved: lines above, reindented. Nothing comes back.
	moved := parse(t, "etc/nginx/nginx.conf", "# new\n\n"+strings.ReplaceAll(conf, "    ", "\t"))
	if shown, hidden, _ := read.Filter(finds(moved, "r", "127.0.0.1:1", "m"), fatal); hidden != 2 || len(shown) != 0 {
		t.Errorf("after moving: shown %d, hidden %d", len(shown), hidden)
	}

	// The same finding once more in a block that has one: reported.
	again := parse(t, "etc/nginx/nginx.conf", strings.Replace(conf, "location / { proxy_pass 127.0.0.1:1; }", "location / { proxy_pass 127.0.0.1:1; proxy_pass 127.0.0.1:1; }", 1))
	if shown, hidden, _ := read.Filter(finds(again, "r", "127.0.0.1:1", "m"), fatal); hidden != 2 || len(shown) != 1 {
		t.Errorf("a finding once more: shown %d, hidden %d", len(shown), hidden)
	}

	// One fixed: its entry is unmatched.
	fixed := parse(t, "etc/nginx/nginx.conf", strings.Replace(conf, "location /b/ { proxy_pass 127.0.0.1:1; }", "", 1))
	if shown, hidden, unmatched := read.Filter(finds(fixed, "r", "127.0.0.1:1", "m"), fatal); hidden != 1 || len(shown) != 0 || len(unmatched) != 1 || unmatched[0].Count != 1 {
		t.Errorf("one fixed: shown %d, hidden %d, unmatched %v", len(shown), hidden, unmatched)
	}

	// From another working directory, the same files match: names are
	// relative to the baseline's directory.
	t.Chdir("base")
	other := parse(t, "../etc/nginx/nginx.conf", conf)
	if _, hidden, _ := read.Filter(finds(other, "r", "127.0.0.1:1", "m"), fatal); hidden != 2 {
		t.Errorf("from another directory: hidden %d, want 2", hidden)
	}
	read, err = baseline.Read("nginxlint-baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, hidden, _ := read.Filter(finds(other, "r", "127.0.0.1:1", "m"), fatal); hidden != 2 {
		t.Errorf("read from another directory: hidden %d, want 2", hidden)
	}
}

// TestCount: identical findings are one entry with their count, and hide
// that many.
func TestCount(t *testing.T) {
	t.Chdir(t.TempDir())
	f := parse(t, "nginx.conf", conf)
	d := finds(f, "r", "127.0.0.1:1", "m")[0]
	b, err := baseline.New("b.json", []lint.Diagnostic{d, d})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) != 1 || b.Entries[0].Count != 2 || b.Findings() != 2 {
		t.Fatalf("entries %+v", b.Entries)
	}
	if shown, hidden, _ := b.Filter([]lint.Diagnostic{d, d, d}, nil); hidden != 2 || len(shown) != 1 {
		t.Errorf("three against two: shown %d, hidden %d", len(shown), hidden)
	}
	empty, err := baseline.New("e.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(empty.Marshal()); got != "{\n  \"version\": 1,\n  \"findings\": []\n}\n" {
		t.Errorf("empty baseline: %q", got)
	}
}

func TestReadErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	fp := strings.Repeat("ab", 16)
	for _, c := range []struct{ name, src, want string }{
		{"invalid JSON", "{\n  \"version\": 1,\n  \"findings\": [,]\n}\n",
			`b.json:3:16: not a baseline (invalid JSON: invalid character ',' looking for beginning of value); write it again with nginxlint baseline write b.json PATH`},
		{"newer", `{"version": 2, "findings": []}`,
			`b.json:1:1: version 2 is newer than this nginxlint reads (1): upgrade nginxlint, or write the baseline again with this one`},
		{"no version", `{"findings": []}`,
			`b.json:1:1: version 0: not a baseline this nginxlint reads (version 1); write it again with nginxlint baseline write b.json PATH`},
		{"unknown field", `{"version": 1, "findngs": []}`,
			`b.json:1:16: unknown key "findngs"; a baseline holds version and findings (file, rule, message, fingerprint, count)`},
		{"wrong type", "{\"version\": 1,\n \"findings\": [{\"count\": \"1\"}]}",
			`b.json:2:27: findings.count must be a number, not string`},
		{"bad entries", `{"version": 1, "findings": [{"fingerprint": "x", "count": 1}, {"fingerprint": "` + fp + `", "count": 0}]}`,
			"b.json: findings[0]: fingerprint \"x\" is not 32 hexadecimal digits; write the baseline again\nb.json: findings[1]: count 0 must be 1 or more"},
		{"empty", "", `b.json:1:1: empty file: not a baseline; write it with nginxlint baseline write b.json PATH`},
	} {
		if err := os.WriteFile("b.json", []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := baseline.Read("b.json")
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\ngot  %v\nwant %s", c.name, err, c.want)
		}
	}
	_, err := baseline.Read(filepath.Join("no", "such.json"))
	if !errors.Is(err, baseline.ErrNotFound) || err.Error() != "baseline no/such.json not found: write it first with nginxlint baseline write no/such.json PATH" {
		t.Errorf("missing: %v", err)
	}
}

// TestMarshalLogSafe: what a terminal or a CI runner would obey in a
// message is written as \u escapes, and reads back the same.
func TestMarshalLogSafe(t *testing.T) {
	t.Chdir(t.TempDir())
	f := parse(t, "nginx.conf", conf)
	d := finds(f, "r", "127.0.0.1:1", "bad \x7f \u202e ##[error]x")[0]
	b, err := baseline.New("b.json", []lint.Diagnostic{d})
	if err != nil {
		t.Fatal(err)
	}
	data := b.Marshal()
	if strings.ContainsAny(string(data), "\x7f\u202e") || strings.Contains(string(data), "##[") {
		t.Errorf("raw control characters in %q", data)
	}
	if err := os.WriteFile("b.json", data, 0o644); err != nil {
		t.Fatal(err)
	}
	read, err := baseline.Read("b.json")
	if err != nil {
		t.Fatal(err)
	}
	if read.Entries[0].Message != d.Message {
		t.Errorf("message read back as %q", read.Entries[0].Message)
	}
}
