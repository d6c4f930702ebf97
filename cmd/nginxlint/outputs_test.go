//go:build unix

package main_test

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nginxlint/nginxlint/lint/format"
	"github.com/nginxlint/nginxlint/lint/ruledoc"
	"github.com/nginxlint/nginxlint/rules"
)

// The schemas the formats are checked against (see lint/format's
// schema_test.go).
const (
	gitlabSchemaFile = "../../lint/format/testdata/gitlab-codequality.schema.json"
	junitSchemaFile  = "../../lint/format/testdata/junit.xsd"
)

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
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
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

// sarifSchema returns the OASIS SARIF 2.1.0 JSON schema when the module
// cache holds a copy (gosec's test data, which installing golangci-lint
// brings), or nil: the SARIF is then checked by structure only (and in
// full by lint/format's checkSARIF).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return nil
	}
	found, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "github.com/securego/gosec/v2@*/report/sarif/testdata/sarif-schema-2.1.0.json"))
	if len(found) == 0 {
		t.Log("no copy of the SARIF 2.1.0 schema in the module cache: SARIF checked by structure only")
		return nil
	}
	return compileSchema(t, found[len(found)-1])
}

func validateJSON(t *testing.T, what string, s *jsonschema.Schema, out string) {
	t.Helper()
	if s == nil {
		return
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, out)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("%s: does not follow its schema: %v\n%s", what, err, out)
	}
}

func validateJUnit(t *testing.T, what, out string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is required in CI (apt-get install libxml2-utils)")
		}
		t.Logf("%s: xmllint not installed: the JUnit schema is not checked", what)
		return
	}
	doc := filepath.Join(t.TempDir(), "junit.xml")
	write(t, doc, out)
	if res, err := exec.Command(bin, "--noout", "--schema", junitSchemaFile, doc).CombinedOutput(); err != nil {
		t.Errorf("%s: does not follow junit.xsd: %v\n%s\n%s", what, err, res, out)
	}
}

// failingTrees writes trees that nginxlint cannot lint completely, each
// with the words its error must hold, and the arguments that lint it.
func failingTrees(t *testing.T, dir string) map[string]struct {
	args []string
	want string
} {
	t.Helper()
	conf := events + "http { server { location / { proxy_pass 127.0.0.1:1; } } }\n"
	write(t, filepath.Join(dir, "manifest/nginx.conf"), conf)
	write(t, filepath.Join(dir, "manifest/backends.toml"), "[backends.api]\nlisen = \"127.0.0.1:1\"\n")
	write(t, filepath.Join(dir, "unreadable/nginx.conf"), events+"http {\n    include conf.d/*.conf;\n    server { location / { proxy_pass 127.0.0.1:1; } }\n}\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "unreadable/conf.d/a.conf"), 0o644); err != nil {
		if err := os.MkdirAll(filepath.Join(dir, "unreadable/conf.d"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(filepath.Join(dir, "unreadable/conf.d/a.conf"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir, "config/nginx.conf"), conf)
	write(t, filepath.Join(dir, "config/.nginxlint.toml"), "fail_on = \n")
	write(t, filepath.Join(dir, "limit/nginx.conf"), conf)
	return map[string]struct {
		args []string
		want string
	}{
		"bad manifest":     {[]string{"manifest"}, `unknown key "lisen"`},
		"unreadable file":  {[]string{"unreadable"}, "is not a regular file"},
		"config syntax":    {[]string{"config"}, "expected value"},
		"not read whole":   {[]string{"--max-read", "10", "limit"}, "--max-read"},
		"bad --fail-on":    {[]string{"--fail-on", "fatal", "limit"}, "--fail-on"},
		"no such manifest": {[]string{"--manifest", "missing.toml", "limit"}, "cannot read manifest missing.toml"},
	}
}

// TestExit2EveryFormat: whatever makes a run fail (exit 2), every machine
// format still writes a valid document that says the run failed and why,
// on standard output and in a file of --output.
func TestExit2EveryFormat(t *testing.T) {
	dir := t.TempDir()
	gitlab := compileSchema(t, gitlabSchemaFile)
	sarif := sarifSchema(t)
	for name, c := range failingTrees(t, dir) {
		t.Run(name, func(t *testing.T) {
			for _, f := range format.Names() {
				args := append([]string{"--format", f, "--output", f + "=" + filepath.Join(t.TempDir(), "report")}, c.args...)
				r := runBin(t, dir, nil, args...)
				if r.code != 2 {
					t.Fatalf("%s: exit %d, want 2\n%s%s", f, r.code, r.stdout, r.stderr)
				}
				if !strings.Contains(r.stderr, c.want) {
					t.Errorf("%s: standard error does not say %q:\n%s", f, c.want, r.stderr)
				}
				file, err := os.ReadFile(args[3][len(f)+1:])
				if err != nil {
					t.Fatalf("%s: --output wrote nothing: %v", f, err)
				}
				if f == "text" {
					if !strings.Contains(string(file), c.want) {
						t.Errorf("text: the --output file does not say why:\n%s", file)
					}
					continue
				}
				if string(file) != r.stdout {
					t.Errorf("%s: the --output file differs from standard output", f)
				}
				checkFailedDocument(t, f, r.stdout, c.want, gitlab, sarif)
			}
		})
	}
}

// checkFailedDocument checks that out, a document in format f, is valid
// and says that the run failed, with want among the reasons.
func checkFailedDocument(t *testing.T, f, out, want string, gitlab, sarif *jsonschema.Schema) {
	t.Helper()
	if !strings.Contains(out, jsonOrXMLText(f, want)) {
		t.Errorf("%s: the document does not say %q:\n%s", f, want, out)
	}
	switch f {
	case "sarif":
		validateJSON(t, "sarif", sarif, out)
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Name, Version string
					}
				}
				Invocations []struct {
					ExecutionSuccessful        *bool `json:"executionSuccessful"`
					ToolExecutionNotifications []struct {
						Level   string
						Message struct{ Text string }
					} `json:"toolExecutionNotifications"`
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 {
			t.Fatalf("sarif: %v\n%s", err, out)
		}
		run := log.Runs[0]
		if run.Tool.Driver.Version == "" {
			t.Error("sarif: tool.driver has no version")
		}
		if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful == nil || *run.Invocations[0].ExecutionSuccessful || len(run.Invocations[0].ToolExecutionNotifications) == 0 {
			t.Errorf("sarif: the invocation does not say the run failed:\n%s", out)
		}
	case "json":
		var doc struct {
			Diagnostics []any `json:"diagnostics"`
			Errors      []struct {
				Message string `json:"message"`
			} `json:"errors"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Diagnostics == nil || len(doc.Errors) == 0 {
			t.Errorf("json: no errors list (%v):\n%s", err, out)
		}
	case "checkstyle":
		var doc struct {
			Files []struct {
				Errors []struct {
					Severity string `xml:"severity,attr"`
					Source   string `xml:"source,attr"`
				} `xml:"error"`
			} `xml:"file"`
		}
		if err := xml.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("checkstyle: %v\n%s", err, out)
		}
		found := false
		for _, f := range doc.Files {
			for _, e := range f.Errors {
				found = found || e.Source == format.ExecutionSource && e.Severity == "error"
			}
		}
		if !found {
			t.Errorf("checkstyle: no error of source %s:\n%s", format.ExecutionSource, out)
		}
	case "github":
		if !regexp.MustCompile(`(?m)^::error (file=[^,]*,(line=\d+,)?)?title=nginxlint::`).MatchString(out) {
			t.Errorf("github: no ::error annotation for the failure:\n%s", out)
		}
	case "gitlab":
		validateJSON(t, "gitlab", gitlab, out)
		if !strings.Contains(out, `"severity": "blocker"`) || !strings.Contains(out, format.ExecutionSource) {
			t.Errorf("gitlab: no blocker issue for the failure:\n%s", out)
		}
	case "junit":
		validateJUnit(t, "junit", out)
		if !strings.Contains(out, `<error message=`) {
			t.Errorf("junit: no <error> for the failure:\n%s", out)
		}
	default:
		t.Fatalf("format %s is not checked: add it to checkFailedDocument", f)
	}
}

// jsonOrXMLText is want as format f writes it.
func jsonOrXMLText(f, want string) string {
	switch f {
	case "json", "sarif", "gitlab":
		b, _ := json.Marshal(want)
		return string(b[1 : len(b)-1])
	case "checkstyle", "junit":
		return strings.ReplaceAll(want, `"`, "&#34;")
	}
	return want
}

// TestFormatsValidWithFindings: the new formats' documents of a run with
// findings (the README's example tree) follow their schemas.
func TestFormatsValidWithFindings(t *testing.T) {
	gitlab := compileSchema(t, gitlabSchemaFile)
	root, _ := filepath.Abs("../..")
	for _, f := range []string{"gitlab", "junit", "sarif"} {
		r := runBin(t, root, nil, "--format", f, "./example/etc/nginx")
		if r.code != 1 {
			t.Fatalf("%s: exit %d, want 1\n%s", f, r.code, r.stderr)
		}
		switch f {
		case "gitlab":
			validateJSON(t, f, gitlab, r.stdout)
			var issues []struct {
				Fingerprint string `json:"fingerprint"`
				Location    struct {
					Path string `json:"path"`
				} `json:"location"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &issues); err != nil || len(issues) != 4 {
				t.Errorf("gitlab: want the example's 4 findings (%v):\n%s", err, r.stdout)
			}
			for _, is := range issues {
				if !strings.HasPrefix(is.Location.Path, "example/etc/nginx/") {
					t.Errorf("gitlab: path %q is not relative to the repository", is.Location.Path)
				}
			}
		case "junit":
			validateJUnit(t, f, r.stdout)
			if n := strings.Count(r.stdout, "<failure "); n != 4 {
				t.Errorf("junit: %d failures, want the example's 4", n)
			}
			if want := `<testsuite name="backend-drift" tests="2" failures="2"`; !strings.Contains(r.stdout, want) {
				t.Errorf("junit: no %s:\n%s", want, r.stdout)
			}
		case "sarif":
			validateJSON(t, f, sarifSchema(t), r.stdout)
		}
	}
}

// TestOutputFlag: one run writes several formats (--output FORMAT=FILE),
// each file whole; "-" is standard output.
func TestOutputFlag(t *testing.T) {
	root, _ := filepath.Abs("../..")
	dir := t.TempDir()
	sarifFile, jsonFile := filepath.Join(dir, "nginxlint.sarif"), filepath.Join(dir, "sub", "x.json")
	if err := os.MkdirAll(filepath.Dir(jsonFile), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, sarifFile, "stale") // replaced whole
	r := runBin(t, root, nil, "--output", "sarif="+sarifFile, "--output", "json="+jsonFile, "./example/etc/nginx")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "[backend-drift]") {
		t.Errorf("standard output is not the text format:\n%s", r.stdout)
	}
	for _, f := range []string{sarifFile, jsonFile} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Errorf("%s: not a whole JSON document: %v", f, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a temporary file is left: %s", e.Name())
		}
	}
	// "-": standard output takes that format instead of --format's.
	r = runBin(t, root, nil, "--output", "json=-", "--output", "text="+filepath.Join(dir, "log.txt"), "./example/etc/nginx")
	var doc struct{ Diagnostics []any }
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Diagnostics) != 4 {
		t.Errorf("--output json=-: standard output is not the JSON report (%v):\n%s", err, r.stdout)
	}
	if log, _ := os.ReadFile(filepath.Join(dir, "log.txt")); !strings.Contains(string(log), "[backend-drift]") {
		t.Errorf("--output text=FILE: %q", log)
	}
	// Mistakes are exit 2 with what to write instead.
	for _, c := range []struct{ args []string }{
		{[]string{"--output", "sarif"}},
		{[]string{"--output", "sarf=x"}},
		{[]string{"--output", "json=-", "--output", "sarif=-"}},
		{[]string{"--output", "json=a", "--output", "sarif=./a"}},
	} {
		r := runBin(t, dir, nil, append(c.args, root+"/example/etc/nginx")...)
		if r.code != 2 || !strings.Contains(r.stderr, "output") || !strings.Contains(r.stderr, "FORMAT=FILE") && !strings.Contains(r.stderr, "use one of") && !strings.Contains(r.stderr, "its own file") && !strings.Contains(r.stderr, "already takes") {
			t.Errorf("%v: exit %d, want 2 with a message about --output:\n%s", c.args, r.code, r.stderr)
		}
	}
	// A file that cannot be written is exit 2, and says which.
	r = runBin(t, root, nil, "--output", "json="+filepath.Join(dir, "no", "such", "dir.json"), "./example/etc/nginx")
	if r.code != 2 || !strings.Contains(r.stderr, "no/such/dir.json") {
		t.Errorf("unwritable --output: exit %d\n%s", r.code, r.stderr)
	}
}

// TestDiffFormats: --format applies to --diff: the text format is the
// unified diff, the others hold the findings the fixes resolve, with
// their fixes; the JSON also holds the diff.
func TestDiffFormats(t *testing.T) {
	root, _ := filepath.Abs("../..")
	text := runBin(t, root, nil, "--diff", "./example/etc/nginx")
	if !strings.HasPrefix(text.stdout, "--- a/example/etc/nginx/") {
		t.Fatalf("--diff: not a diff:\n%s", text.stdout)
	}
	r := runBin(t, root, nil, "--diff", "--format", "json", "./example/etc/nginx")
	var doc struct {
		Diagnostics []struct {
			Rule  string `json:"rule"`
			Fixes []any  `json:"fixes"`
		} `json:"diagnostics"`
		Diff string `json:"diff"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("--diff --format json: %v\n%s", err, r.stdout)
	}
	if doc.Diff != text.stdout {
		t.Errorf("--diff --format json: diff differs from --diff's:\n%s", doc.Diff)
	}
	if len(doc.Diagnostics) == 0 || len(doc.Diagnostics) >= 4 {
		t.Errorf("--diff --format json: %d findings, want those with a fix (fewer than the example's 4)", len(doc.Diagnostics))
	}
	for _, d := range doc.Diagnostics {
		if len(d.Fixes) == 0 {
			t.Errorf("--diff --format json: a finding of %s without a fix", d.Rule)
		}
	}
	if r.code != text.code {
		t.Errorf("--diff: exit %d in json, %d in text", r.code, text.code)
	}
	s := runBin(t, root, nil, "--diff", "--format", "sarif", "./example/etc/nginx")
	if n := strings.Count(s.stdout, `"artifactChanges"`); n != len(doc.Diagnostics) {
		t.Errorf("--diff --format sarif: %d results with fixes, want %d", n, len(doc.Diagnostics))
	}
}

// TestRulesJSON: "nginxlint rules --format json" lists every rule with
// its facts and documentation link.
func TestRulesJSON(t *testing.T) {
	r := runBin(t, t.TempDir(), nil, "rules", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var list []struct {
		ID            string `json:"id"`
		Title         string `json:"title"`
		Severity      string `json:"severity"`
		NeedsManifest *bool  `json:"needs_manifest"`
		Fixable       *bool  `json:"fixable"`
		URL           string `json:"url"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatal(err)
	}
	all := rules.All()
	if len(list) != len(all) {
		t.Fatalf("%d rules listed, want %d", len(list), len(all))
	}
	for i, got := range list {
		want := all[i]
		if got.ID != want.ID || got.Title != want.Title || got.Severity != want.Severity.String() || got.NeedsManifest == nil || *got.NeedsManifest != want.NeedsManifest || got.Fixable == nil || *got.Fixable != want.Fixable {
			t.Errorf("rule %d: %+v, want %s", i, got, want.ID)
		}
		if got.URL != ruledoc.URL(want.ID) || !strings.HasSuffix(got.URL, "docs/rules.md#"+want.ID) {
			t.Errorf("rule %s: url %q is not the rule's section of docs/rules.md", got.ID, got.URL)
		}
	}
	if r := runBin(t, t.TempDir(), nil, "rules", "--format", "xml"); r.code != 2 || !strings.Contains(r.stderr, "text or json") {
		t.Errorf("rules --format xml: exit %d\n%s", r.code, r.stderr)
	}
}
