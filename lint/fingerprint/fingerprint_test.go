package fingerprint_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/fingerprint"
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

// at returns a finding of rule on the n-th (from 1) occurrence of text
// in f.
func at(f *syntax.File, rule, text string, n int, msg string) lint.Diagnostic {
	off := -1
	for ; n > 0; n-- {
		i := strings.Index(f.Src[off+1:], text)
		if i < 0 {
			panic("no " + text)
		}
		off += 1 + i
	}
	return lint.Diagnostic{Rule: rule, Severity: lint.Error, File: f, Start: off, End: off + len(text), Message: msg}
}

const base = `http {
    server {
        listen 80;
        location /api/ {
            proxy_pass 127.0.0.1:8000;
        }
        location /admin/ {
            proxy_pass 127.0.0.1:8000;
        }
    }
}
`

// TestStable: inserting lines above, reindenting, respacing and moving a
// directive within its block keep the fingerprint.
func TestStable(t *testing.T) {
	msg := `proxy_pass "127.0.0.1:8000" has no scheme`
	want := fingerprint.Of(at(parse(t, "nginx.conf", base), "proxy-pass-scheme", "127.0.0.1:8000", 1, msg))
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(want) {
		t.Fatalf("fingerprint %q is not 32 hex digits", want)
	}
	for name, src := range map[string]string{
		"lines inserted above": "# a comment\n\n" + strings.Replace(base, "listen 80;", "listen 80;\n        server_name a;\n\n", 1),
		"reindented":           strings.ReplaceAll(base, "    ", "\t"),
		"respaced":             strings.Replace(base, "proxy_pass 127.0.0.1:8000;", "proxy_pass    127.0.0.1:8000 ;", 1),
		"moved in its block":   strings.Replace(strings.Replace(base, "            proxy_pass 127.0.0.1:8000;\n        }\n        location /admin/", "            add_header X 1;\n            proxy_pass 127.0.0.1:8000;\n        }\n        location /admin/", 1), "{\n            proxy_pass", "{\n            add_header Y 2;\n            proxy_pass", 1),
		"CRLF":                 strings.ReplaceAll(base, "\n", "\r\n"),
	} {
		f := parse(t, "nginx.conf", src)
		if got := fingerprint.Of(at(f, "proxy-pass-scheme", "127.0.0.1:8000", 1, msg)); got != want {
			t.Errorf("%s: fingerprint changed\n%s", name, src)
		}
	}
}

// TestDistinguishes: the rule, the file, the message, the block and the
// directive's text each change the fingerprint.
func TestDistinguishes(t *testing.T) {
	f := parse(t, "nginx.conf", base)
	msg := "m"
	ref := fingerprint.Of(at(f, "r", "127.0.0.1:8000", 1, msg))
	other := parse(t, "conf.d/other.conf", base)
	changed := parse(t, "nginx.conf", strings.Replace(base, "location /api/", "location /v2/", 1))
	for name, d := range map[string]lint.Diagnostic{
		"another rule":     at(f, "r2", "127.0.0.1:8000", 1, msg),
		"another file":     at(other, "r", "127.0.0.1:8000", 1, msg),
		"another message":  at(f, "r", "127.0.0.1:8000", 1, "m2"),
		"another block":    at(f, "r", "127.0.0.1:8000", 2, msg),
		"a renamed block":  at(changed, "r", "127.0.0.1:8000", 1, msg),
		"another span":     at(f, "r", "proxy_pass", 1, msg),
		"another argument": at(f, "r", "80", 1, msg),
	} {
		if fingerprint.Of(d) == ref {
			t.Errorf("%s: same fingerprint", name)
		}
	}
	// The same finding twice has one fingerprint; Distinct numbers them.
	d := at(f, "r", "127.0.0.1:8000", 1, msg)
	fps := fingerprint.All([]lint.Diagnostic{d, d, at(f, "r", "127.0.0.1:8000", 2, msg), d})
	if fps[0] != fps[1] || fps[0] != fps[3] || fps[0] == fps[2] {
		t.Errorf("All = %q", fps)
	}
	dist := fingerprint.Distinct(fps)
	if dist[0] != fps[0] || dist[1] != fps[0]+":2" || dist[2] != fps[2] || dist[3] != fps[0]+":3" {
		t.Errorf("Distinct = %q", dist)
	}
}

// TestAnchor: the anchor is the block path, the directive and the span;
// outside directives, the line.
func TestAnchor(t *testing.T) {
	f := parse(t, "nginx.conf", "# top comment\n"+base)
	var h fingerprint.Hasher
	got := h.Anchor(at(f, "r", "127.0.0.1:8000", 2, "m"))
	want := []string{"http", "server", "location /admin/", "proxy_pass 127.0.0.1:8000", "span", "127.0.0.1:8000"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("anchor = %q, want %q", got, want)
	}
	got = h.Anchor(at(f, "r", "top", 1, "m"))
	if want := []string{"line", "# top comment"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("anchor in a comment = %q, want %q", got, want)
	}
	// A file that is not nginx configuration (the manifest): its line.
	m := &syntax.File{Name: "backends.toml", Src: "[backend.api]\nlisten = \"127.0.0.1:8002\"\n"}
	d := lint.Diagnostic{Rule: "r", File: m, Start: 14, End: 20, Message: "m"}
	if got := h.Anchor(d); strings.Join(got, "|") != `line|listen = "127.0.0.1:8002"` {
		t.Errorf("anchor in the manifest = %q", got)
	}
	if fingerprint.Of(d) == "" || fingerprint.Of(lint.Diagnostic{Rule: "r", Message: "no file"}) == "" {
		t.Error("empty fingerprint")
	}
}

// TestFileName: a Hasher may name files its own way (the baseline names
// them relative to itself); by default the display name, cleaned, with
// forward slashes.
func TestFileName(t *testing.T) {
	a := parse(t, "./etc//nginx.conf", base)
	b := parse(t, "etc/nginx.conf", base)
	da, db := at(a, "r", "80", 1, "m"), at(b, "r", "80", 1, "m")
	if fingerprint.Of(da) != fingerprint.Of(db) {
		t.Error("./etc//nginx.conf and etc/nginx.conf differ")
	}
	h := fingerprint.Hasher{FileName: func(*syntax.File) string { return "x.conf" }}
	if h.Of(da) == fingerprint.Of(da) {
		t.Error("FileName not used")
	}
}

// TestManyFindings: a Hasher reads a file's directives once, so a file
// of many directives with a finding on each costs n log n.
func TestManyFindings(t *testing.T) {
	var b strings.Builder
	b.WriteString("http { server {\n")
	const n = 20000
	for i := range n {
		b.WriteString("location /l")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(" { return 200; }\n")
	}
	b.WriteString("} }\n")
	f := parse(t, "nginx.conf", b.String())
	var ds []lint.Diagnostic
	for off := strings.Index(f.Src, "return"); off >= 0; {
		ds = append(ds, lint.Diagnostic{Rule: "r", File: f, Start: off, End: off + 6, Message: "m"})
		next := strings.Index(f.Src[off+1:], "return")
		if next < 0 {
			break
		}
		off += 1 + next
	}
	if len(ds) != n {
		t.Fatalf("%d findings", len(ds))
	}
	fps := fingerprint.All(ds)
	distinct := map[string]int{}
	for _, fp := range fps {
		distinct[fp]++
	}
	if len(distinct) != 7 {
		t.Errorf("%d distinct fingerprints, want 7 (one per location path)", len(distinct))
	}
}
