package format_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

type csReport struct {
	XMLName xml.Name `xml:"checkstyle"`
	Version string   `xml:"version,attr"`
	Files   []struct {
		Name   string `xml:"name,attr"`
		Errors []struct {
			Line     int    `xml:"line,attr"`
			Column   int    `xml:"column,attr"`
			Severity string `xml:"severity,attr"`
			Message  string `xml:"message,attr"`
			Source   string `xml:"source,attr"`
		} `xml:"error"`
	} `xml:"file"`
}

func writeCheckstyle(t *testing.T, r *format.Report) (string, csReport) {
	t.Helper()
	var buf bytes.Buffer
	if err := format.Checkstyle.Write(&buf, r, format.Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// Well-formed: a strict decoder reads every token.
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
	var rep csReport
	if err := xml.Unmarshal(buf.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return out, rep
}

func TestCheckstyle(t *testing.T) {
	main := fmtParse(t, "etc/nginx/nginx.conf", fmtConf)
	b := fmtParse(t, `etc/nginx/conf.d/b "&" <c>.conf`, "proxy_pass 127.0.0.1:9000;\n")
	a := fmtParse(t, "etc/nginx/conf.d/a.conf", "set $a \"é😀\"; proxy_pass 127.0.0.1:1;\n")
	pass := fmtDirective(t, main, "proxy_pass", 0)
	loc := fmtDirective(t, main, "location", 0)

	tricky := "quotes \" and ' & ampersands <tags> ]]> new\nline\ttab, café ☕ 😀"
	ds := []lint.Diagnostic{
		fmtArgDiag(fmtRuleScheme, pass, 0, tricky),
		{Rule: "upstream-keepalive", Severity: lint.Warning, File: main, Start: int(loc.Start()), End: int(loc.End()), Message: "keepalive"},
		fmtArgDiag(fmtRuleNote, fmtDirective(t, b, "proxy_pass", 0), 0, "a note"),
		fmtArgDiag(fmtRuleScheme, fmtDirective(t, a, "proxy_pass", 0), 0, "first file"),
		{Rule: "syntax", Severity: lint.Error, File: main, Start: 0, End: 1, Message: "control \x01 char and invalid \xff byte"},
	}
	out, rep := writeCheckstyle(t, &format.Report{Diagnostics: ds, Files: 3, Rules: fmtRules})

	if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`+"\n") {
		t.Errorf("no XML declaration:\n%s", out)
	}
	if rep.Version != "4.3" {
		t.Errorf("version %q", rep.Version)
	}
	var names []string
	for _, f := range rep.Files {
		names = append(names, f.Name)
	}
	wantNames := []string{"etc/nginx/conf.d/a.conf", `etc/nginx/conf.d/b "&" <c>.conf`, "etc/nginx/nginx.conf"}
	if strings.Join(names, "|") != strings.Join(wantNames, "|") {
		t.Fatalf("files %q, want %q (one per file, sorted)", names, wantNames)
	}
	main3 := rep.Files[2].Errors
	if len(main3) != 3 {
		t.Fatalf("%d errors in nginx.conf, want 3", len(main3))
	}
	// In order of position: syntax at 1:1, the location at 4:3, the
	// argument at 5:15.
	type e struct {
		line, col      int
		severity, src  string
		message        string
		wantInOriginal bool
	}
	for i, w := range []e{
		{1, 1, "error", "nginxlint.syntax", "control \uFFFD char and invalid \uFFFD byte", false},
		{4, 3, "warning", "nginxlint.upstream-keepalive", "keepalive", true},
		{5, 15, "error", "nginxlint.proxy-pass-scheme", tricky, true},
	} {
		g := main3[i]
		if g.Line != w.line || g.Column != w.col || g.Severity != w.severity || g.Source != w.src || g.Message != w.message {
			t.Errorf("error %d = %+v, want %+v", i, g, w)
		}
	}
	if g := rep.Files[1].Errors[0]; g.Severity != "info" || g.Source != "nginxlint.backend-note" || g.Line != 1 || g.Column != 12 {
		t.Errorf("info finding = %+v", g)
	}
	// UTF-16 columns, as Java tools count.
	if g := rep.Files[0].Errors[0]; g.Column != 26 || g.Message != "first file" {
		t.Errorf("column = %d, want 26 (%+v)", g.Column, g)
	}
	// The newline and tab survive in the attribute only if they are
	// written as character references.
	if !strings.Contains(out, "new&#xA;line&#x9;tab") {
		t.Errorf("newline and tab not escaped:\n%s", out)
	}
	if !strings.Contains(out, "café ☕ 😀") {
		t.Errorf("non-ASCII text should be written as UTF-8:\n%s", out)
	}
}

func TestCheckstyleExact(t *testing.T) {
	main := fmtParse(t, "etc/nginx/nginx.conf", fmtConf)
	pass := fmtDirective(t, main, "proxy_pass", 0)
	out, _ := writeCheckstyle(t, &format.Report{Diagnostics: []lint.Diagnostic{
		fmtArgDiag(fmtRuleScheme, pass, 0, `proxy_pass "127.0.0.1:8000" has no scheme & <fails>`),
	}, Files: 1})
	want := `<?xml version="1.0" encoding="UTF-8"?>
<checkstyle version="4.3">
  <file name="etc/nginx/nginx.conf">
    <error line="5" column="15" severity="error" message="proxy_pass &#34;127.0.0.1:8000&#34; has no scheme &amp; &lt;fails&gt;" source="nginxlint.proxy-pass-scheme"></error>
  </file>
</checkstyle>
`
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}

	out, rep := writeCheckstyle(t, &format.Report{Files: 4})
	if want := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\"></checkstyle>\n"; out != want {
		t.Errorf("empty report:\n%s", out)
	}
	if len(rep.Files) != 0 {
		t.Errorf("empty report has files")
	}
}
