package format_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

// relatedReport has one finding with two related places: one in its own
// file, one in another file.
func relatedReport(t *testing.T) *format.Report {
	t.Helper()
	main := fmtParse(t, "etc/nginx/nginx.conf", "upstream api {\n    server 127.0.0.1:1;\n    keepalive 8;\n}\nserver {\n\tproxy_http_version 1.0;\n\tlocation / { proxy_pass http://api; }\n}\n")
	other := fmtParse(t, "etc/nginx/backends.toml", "[backends.api]\nlisten = \"127.0.0.1:1\"\n")
	loc := fmtDirective(t, main, "location", 0)
	d := lint.Diagnostic{Rule: "upstream-keepalive", Severity: lint.Warning, File: main, Start: int(loc.Start()), End: int(loc.NameEnd()),
		Message: "this location sends HTTP/1.0",
		Related: []lint.Related{
			lint.RelatedTo(fmtDirective(t, main, "proxy_http_version", 0), "proxy_http_version 1.0 is set here"),
			{File: other, Start: 1, End: 13, Message: "backend api is defined here"},
		}}
	return &format.Report{Diagnostics: []lint.Diagnostic{d}, Files: 1, Rules: fmtRules}
}

// TestTextRelated: the plain text format prints each related place as an
// indented note under its finding, at the place's own file, line and
// column.
func TestTextRelated(t *testing.T) {
	var buf bytes.Buffer
	if err := format.Text.Write(&buf, relatedReport(t), format.Options{}); err != nil {
		t.Fatal(err)
	}
	want := `etc/nginx/nginx.conf:7:2: warning: this location sends HTTP/1.0 [upstream-keepalive]
    etc/nginx/nginx.conf:6:2: note: proxy_http_version 1.0 is set here
    etc/nginx/backends.toml:1:2: note: backend api is defined here
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestPrettyRelated: on a terminal, each note shows its source line with
// a caret under the place.
func TestPrettyRelated(t *testing.T) {
	got := writePretty(t, relatedReport(t), false)
	want := "etc/nginx/nginx.conf:7:2: warning: this location sends HTTP/1.0 [upstream-keepalive]\n" +
		" 7 | \tlocation / { proxy_pass http://api; }\n" +
		"   | \t^~~~~~~~\n" +
		"    etc/nginx/nginx.conf:6:2: note: proxy_http_version 1.0 is set here\n" +
		"     6 | \tproxy_http_version 1.0;\n" +
		"       | \t^~~~~~~~~~~~~~~~~~~~~~~\n" +
		"    etc/nginx/backends.toml:1:2: note: backend api is defined here\n" +
		"     1 | [backends.api]\n" +
		"       |  ^~~~~~~~~~~~\n" +
		"\n1 warning in 1 file\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestJSONRelated: JSON carries the related places with their ranges.
func TestJSONRelated(t *testing.T) {
	var buf bytes.Buffer
	if err := format.JSON.Write(&buf, relatedReport(t), format.Options{}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Diagnostics []struct {
			Related []struct {
				File    string `json:"file"`
				Line    int    `json:"line"`
				Column  int    `json:"column"`
				Message string `json:"message"`
			} `json:"related"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	rel := out.Diagnostics[0].Related
	if len(rel) != 2 || rel[0].File != "etc/nginx/nginx.conf" || rel[0].Line != 6 || rel[0].Column != 2 ||
		rel[1].File != "etc/nginx/backends.toml" || rel[1].Line != 1 || rel[1].Message != "backend api is defined here" {
		t.Errorf("related = %+v", rel)
	}
}
