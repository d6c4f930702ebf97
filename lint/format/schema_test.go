package format_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

// The published shapes the new formats are checked against: GitLab's
// Code Quality report (a JSON Schema written from GitLab's documentation)
// and JUnit XML (the junit.xsd Jenkins validates reports with). The
// schemas are in testdata/; the binary's tests (cmd/nginxlint) use them
// too, through ValidateGitLab and ValidateJUnit's twins there.

// gitlabSchema compiles testdata/gitlab-codequality.schema.json.
func gitlabSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	const path = "testdata/gitlab-codequality.schema.json"
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(path, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkGitLabSchema validates a Code Quality report and checks that its
// fingerprints are distinct (GitLab keeps the first issue of each).
func checkGitLabSchema(t *testing.T, s *jsonschema.Schema, out string) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("gitlab: not JSON: %v\n%s", err, out)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("gitlab: the report does not follow GitLab's Code Quality format: %v\n%s", err, out)
	}
	var issues []struct {
		Fingerprint string `json:"fingerprint"`
	}
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if seen[is.Fingerprint] {
			t.Errorf("gitlab: fingerprint %s is repeated", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
}

// xmllint returns the path of xmllint (Debian's libxml2-utils), or skips
// the test without it, except in CI (.ci/run installs it).
func xmllint(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is required in CI (apt-get install libxml2-utils; .ci/run installs it)")
		}
		t.Skip("xmllint not installed (apt-get install libxml2-utils): the JUnit schema is not checked")
	}
	return p
}

// checkJUnitSchema validates a JUnit report against testdata/junit.xsd.
func checkJUnitSchema(t *testing.T, out string) {
	t.Helper()
	bin := xmllint(t)
	doc := filepath.Join(t.TempDir(), "report.xml")
	if err := os.WriteFile(doc, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := exec.Command(bin, "--noout", "--schema", "testdata/junit.xsd", doc).CombinedOutput()
	if err != nil {
		t.Errorf("junit: the report does not follow junit.xsd: %v\n%s\n%s", err, res, out)
	}
}

// schemaReports are reports of every shape: findings with notes and
// fixes, a finding without a file, repeated findings, rules turned off,
// a clean run, a failed run, and a failed run with findings.
func schemaReports(t *testing.T) map[string]*format.Report {
	t.Helper()
	main := fmtParse(t, "./etc/nginx/nginx.conf", fmtConf)
	pass := fmtDirective(t, main, "proxy_pass", 0)
	d := fmtArgDiag(fmtRuleScheme, pass, 0, `proxy_pass "127.0.0.1:8000" has no scheme & <fails>`)
	d.Related = []lint.Related{{File: main, Start: 0, End: 4, Message: "defined here"}}
	d.Fixes = []lint.Fix{{Message: "add http://", Edits: []lint.TextEdit{{File: main, Start: d.Start, End: d.Start, NewText: "http://"}}}}
	loc := fmtDirective(t, main, "location", 0)
	ds := []lint.Diagnostic{
		d,
		d, // the same finding twice (a file read in two trees)
		{Rule: "upstream-keepalive", Severity: lint.Warning, File: main, Start: int(loc.Start()), End: int(loc.End()), Message: "over several lines"},
		{Rule: "not-loaded", Severity: lint.Info, File: main, Start: 0, End: 0, Message: "an info"},
		{Rule: "syntax", Severity: lint.Error, Message: "no file"},
	}
	errs := []format.RunError{
		{Message: "unknown key \"lisen\" in [backends.api]", File: "etc/nginx/backends.toml", Line: 2, Column: 1},
		{Message: "cannot read etc/nginx/secret.conf: permission denied", File: "etc/nginx/secret.conf"},
		{Message: "--fail-on \"fatal\": use error, warning or info"},
	}
	return map[string]*format.Report{
		"findings":        {Diagnostics: ds, Files: 1, Rules: fmtRules, Version: "v0.1.0"},
		"disabled":        {Diagnostics: ds[:1], Files: 1, Rules: fmtRules, Disabled: []string{"backend-drift"}},
		"clean":           {Files: 1, Rules: fmtRules, Version: "(devel)"},
		"failed":          {Errors: errs, Version: "v0.1.0-rc.1"},
		"failed-findings": {Diagnostics: ds, Files: 1, Rules: fmtRules, Errors: errs[:2]},
	}
}

func TestGitLabSchema(t *testing.T) {
	s := gitlabSchema(t)
	for name, r := range schemaReports(t) {
		t.Run(name, func(t *testing.T) {
			out := fmtWrite(t, format.GitLab, r, format.Options{})
			checkGitLabSchema(t, s, out)
			var issues []map[string]any
			if err := json.Unmarshal([]byte(out), &issues); err != nil {
				t.Fatal(err)
			}
			if want := len(r.Diagnostics) + len(r.Errors); len(issues) != want {
				t.Errorf("%d issues, want %d (one per finding and per error)", len(issues), want)
			}
			blockers := 0
			for _, is := range issues {
				if is["check_name"] == format.ExecutionSource {
					blockers++
					if is["severity"] != "blocker" {
						t.Errorf("an execution error of severity %v, want blocker", is["severity"])
					}
				}
			}
			if blockers != len(r.Errors) {
				t.Errorf("%d execution issues, want %d", blockers, len(r.Errors))
			}
		})
	}
}

// TestGitLabSchemaRejects checks that the schema is in force: documents
// that break GitLab's format fail it.
func TestGitLabSchemaRejects(t *testing.T) {
	s := gitlabSchema(t)
	for _, bad := range []string{
		`{}`,
		`[{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "error", "location": {"path": "a", "lines": {"begin": 1}}}]`,
		`[{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor", "location": {"path": "./a", "lines": {"begin": 1}}}]`,
		`[{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor", "location": {"path": "a"}}]`,
		`[{"description": "d", "fingerprint": "f", "severity": "minor", "location": {"path": "a", "lines": {"begin": 1}}}]`,
		`[{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor", "location": {"path": "a", "lines": {"begin": 0}}}]`,
	} {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if s.Validate(doc) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
}

// TestGitLabFingerprintStable: a finding keeps its fingerprint when lines
// are inserted above it or its block moves, and gets another when its
// own line or message changes.
func TestGitLabFingerprintStable(t *testing.T) {
	const conf = "http {\n    server {\n        location / {\n            proxy_pass 127.0.0.1:8000;\n        }\n    }\n}\n"
	fp := func(src, msg string) string {
		t.Helper()
		f := fmtParse(t, "etc/nginx/nginx.conf", src)
		d := fmtArgDiag(fmtRuleScheme, fmtDirective(t, f, "proxy_pass", 0), 0, msg)
		var issues []struct {
			Fingerprint string `json:"fingerprint"`
			Location    struct {
				Lines struct {
					Begin int `json:"begin"`
				} `json:"lines"`
			} `json:"location"`
		}
		out := fmtWrite(t, format.GitLab, &format.Report{Diagnostics: []lint.Diagnostic{d}}, format.Options{})
		if err := json.Unmarshal([]byte(out), &issues); err != nil || len(issues) != 1 {
			t.Fatalf("%v\n%s", err, out)
		}
		return issues[0].Fingerprint
	}
	base := fp(conf, "no scheme")
	moved := strings.Replace(conf, "http {\n", "http {\n    # a comment\n\n    map $a $b { default 1; }\n", 1)
	if got := fp(moved, "no scheme"); got != base {
		t.Errorf("lines inserted above the finding changed its fingerprint: %s, was %s", got, base)
	}
	reindented := strings.Replace(conf, "            proxy_pass", "\t\tproxy_pass", 1)
	if got := fp(reindented, "no scheme"); got != base {
		t.Errorf("re-indenting the finding's line changed its fingerprint: %s, was %s", got, base)
	}
	if got := fp(strings.Replace(conf, "8000", "8001", 1), "no scheme"); got == base {
		t.Error("another target on the finding's line kept the fingerprint")
	}
	if got := fp(conf, "another message"); got == base {
		t.Error("another message kept the fingerprint")
	}
}

func TestJUnitSchema(t *testing.T) {
	for name, r := range schemaReports(t) {
		t.Run(name, func(t *testing.T) {
			out := fmtWrite(t, format.JUnit, r, format.Options{})
			checkJUnitSchema(t, out)
			checkJUnitXML(t, out, r)
			if r.Failed() && !strings.Contains(out, `type="nginxlint.execution"`) {
				t.Errorf("a failed run's report has no execution error:\n%s", out)
			}
		})
	}
}

// TestJUnitSchemaRejects checks that testdata/junit.xsd is in force.
func TestJUnitSchemaRejects(t *testing.T) {
	bin := xmllint(t)
	for _, bad := range []string{
		`<testsuites><testsuite tests="1" failures="0" errors="0"><testcase name="a"/></testsuite></testsuites>`,
		`<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>`,
		`<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase name="a"><oops/></testcase></testsuite></testsuites>`,
		`<testsuites><testsuite name="s" tests="1" failures="0" errors="0" time="1s"/></testsuites>`,
	} {
		doc := filepath.Join(t.TempDir(), "bad.xml")
		if err := os.WriteFile(doc, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if exec.Command(bin, "--noout", "--schema", "testdata/junit.xsd", doc).Run() == nil {
			t.Errorf("junit.xsd accepts %s", bad)
		}
	}
}

// TestJUnit checks the layout: a suite per rule, a failing case per
// finding named by its place, with the text format's lines.
func TestJUnit(t *testing.T) {
	r := schemaReports(t)["disabled"]
	out := fmtWrite(t, format.JUnit, r, format.Options{})
	for _, want := range []string{
		`<testsuite name="proxy-pass-scheme" tests="1" failures="1" errors="0" skipped="0" time="0">`,
		`<testcase name="./etc/nginx/nginx.conf:5:15" classname="proxy-pass-scheme" time="0">`,
		`<failure message="proxy_pass &#34;127.0.0.1:8000&#34; has no scheme &amp; &lt;fails&gt;" type="error">./etc/nginx/nginx.conf:5:15: error: proxy_pass &#34;127.0.0.1:8000&#34; has no scheme &amp; &lt;fails&gt; [proxy-pass-scheme]`,
		`<testcase name="backend-drift" classname="backend-drift" time="0">`,
		`<skipped message="turned off by the configuration"></skipped>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("JUnit output lacks %s\n%s", want, out)
		}
	}
}

// TestFailedReports: when the run failed, every machine format says so
// and why, in a valid document, with the findings it has.
func TestFailedReports(t *testing.T) {
	r := schemaReports(t)["failed-findings"]
	var sarif map[string]any
	if err := json.Unmarshal([]byte(fmtWrite(t, format.SARIF, withFiles(r), format.Options{})), &sarif); err != nil {
		t.Fatal(err)
	}
	checkSARIF(t, sarif)
	inv := jget(sarif, "runs", 0, "invocations", 0)
	if jget(inv, "executionSuccessful") != false {
		t.Errorf("SARIF: executionSuccessful is %v, want false", jget(inv, "executionSuccessful"))
	}
	if got := jget(inv, "toolExecutionNotifications", 0, "message", "text"); got != r.Errors[0].Message {
		t.Errorf("SARIF: first notification %v, want %q", got, r.Errors[0].Message)
	}
	if got := jget(inv, "toolExecutionNotifications", 0, "locations", 0, "physicalLocation", "region", "startLine"); got != 2.0 {
		t.Errorf("SARIF: first notification's line %v, want 2", got)
	}
	if got := jget(inv, "toolExecutionNotifications", 1, "locations", 0, "physicalLocation", "region"); got != nil {
		t.Errorf("SARIF: a notification about a whole file has a region: %v", got)
	}
	if n := len(jget(sarif, "runs", 0, "results").([]any)); n != len(r.Diagnostics)-1 {
		t.Errorf("SARIF: %d results, want the %d findings", n, len(r.Diagnostics)-1)
	}

	var js struct {
		Diagnostics []any `json:"diagnostics"`
		Errors      []struct {
			Message string `json:"message"`
			File    string `json:"file"`
			Line    int    `json:"line"`
			Column  int    `json:"column"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(fmtWrite(t, format.JSON, r, format.Options{})), &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Errors) != 2 || js.Errors[0].File != "etc/nginx/backends.toml" || js.Errors[0].Line != 2 || js.Errors[0].Column != 1 || js.Errors[1].Line != 0 {
		t.Errorf("JSON errors: %+v", js.Errors)
	}
	if len(js.Diagnostics) != len(r.Diagnostics) {
		t.Errorf("JSON: %d findings, want %d", len(js.Diagnostics), len(r.Diagnostics))
	}

	cs := fmtWrite(t, format.Checkstyle, r, format.Options{})
	for _, want := range []string{
		`<file name="etc/nginx/backends.toml">` + "\n" + `    <error line="2" severity="error" message="unknown key &#34;lisen&#34; in [backends.api]" source="nginxlint.execution"></error>`,
		`<file name="etc/nginx/secret.conf">` + "\n" + `    <error line="0" severity="error" message="cannot read etc/nginx/secret.conf: permission denied" source="nginxlint.execution"></error>`,
	} {
		if !strings.Contains(cs, want) {
			t.Errorf("checkstyle lacks %s\n%s", want, cs)
		}
	}

	gh := fmtWrite(t, format.GitHub, r, format.Options{})
	for _, want := range []string{
		"::error file=etc/nginx/backends.toml,line=2,title=nginxlint::unknown key \"lisen\" in [backends.api]\n",
		"::error file=etc/nginx/secret.conf,title=nginxlint::cannot read etc/nginx/secret.conf: permission denied\n",
	} {
		if !strings.Contains(gh, want) {
			t.Errorf("github lacks %q\n%s", want, gh)
		}
	}

	text := fmtWrite(t, format.Text, r, format.Options{ShowErrors: true})
	if !strings.HasSuffix(text, "nginxlint: etc/nginx/backends.toml:2:1: unknown key \"lisen\" in [backends.api]\nnginxlint: etc/nginx/secret.conf: cannot read etc/nginx/secret.conf: permission denied\n") {
		t.Errorf("text with ShowErrors does not end with the errors:\n%s", text)
	}
	if plain := fmtWrite(t, format.Text, r, format.Options{}); strings.Contains(plain, "nginxlint: ") {
		t.Errorf("text on standard output repeats the errors (standard error has them):\n%s", plain)
	}
}

// withFiles drops the findings without a file (SARIF results need a
// location for GitHub).
func withFiles(r *format.Report) *format.Report {
	c := *r
	c.Diagnostics = nil
	for _, d := range r.Diagnostics {
		if d.File != nil {
			c.Diagnostics = append(c.Diagnostics, d)
		}
	}
	return &c
}

// TestSARIFVersion: tool.driver carries the version, and semanticVersion
// only when it is SemVer.
func TestSARIFVersion(t *testing.T) {
	for _, c := range []struct{ version, semantic string }{
		{"v0.1.0", "0.1.0"},
		{"v1.2.3-rc.1+build.5", "1.2.3-rc.1+build.5"},
		{"v0.0.0-20261205044405-a4c1a53dc3b4+dirty", "0.0.0-20261205044405-a4c1a53dc3b4+dirty"},
		{"(devel)", ""},
		{"v1.2", ""},
		{"", ""},
	} {
		log := fmtSARIF(t, &format.Report{Version: c.version})
		driver := jget(log, "runs", 0, "tool", "driver").(map[string]any)
		if got, _ := driver["version"].(string); got != c.version {
			t.Errorf("%q: driver.version %q", c.version, got)
		}
		if got, _ := driver["semanticVersion"].(string); got != c.semantic {
			t.Errorf("%q: driver.semanticVersion %q, want %q", c.version, got, c.semantic)
		}
	}
}

// TestTextErrorsSafe: the reasons a run failed quote file names and
// values; the text format shows them, never obeyed.
func TestTextErrorsSafe(t *testing.T) {
	r := &format.Report{Errors: []format.RunError{{Message: "bad \x1b[31mred\n::error::x", File: "::evil\x07.conf", Line: 1}}}
	out := fmtWrite(t, format.Text, r, format.Options{ShowErrors: true})
	checkLogSafe(t, "text errors", out, nil)
	gh := fmtWrite(t, format.GitHub, r, format.Options{})
	if strings.Count(gh, "\n") != 1 || !strings.HasPrefix(gh, "::error ") {
		t.Errorf("github: the error is not one annotation: %q", gh)
	}
	var buf bytes.Buffer
	if err := format.JSON.Write(&buf, r, format.Options{}); err != nil {
		t.Fatal(err)
	}
	checkRawJSON(t, "json errors", buf.String())
}
