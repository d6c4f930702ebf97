package playground

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/rules"
)

func findingsOf(res *Result, rule string) []Finding {
	var out []Finding
	for _, f := range res.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func indexOf(res *Result, rule string) int {
	return slices.IndexFunc(res.Findings, func(f Finding) bool { return f.Rule == rule })
}

// The default example shows the manifest: backend-drift with its fix,
// which the page applies with a click.
func TestExample(t *testing.T) {
	in := Example()
	for _, name := range []string{MainFile, "conf.d/shop.conf", ManifestFile} {
		if _, ok := in.Files[name]; !ok {
			t.Fatalf("the example has no %s: %v", name, in.Files)
		}
	}
	res := Lint(rules.All(), in)
	if len(res.Errors) > 0 || !res.Manifest || res.NginxVersion != "1.24.0" {
		t.Fatalf("errors %+v, manifest %v, version %q", res.Errors, res.Manifest, res.NginxVersion)
	}
	drift := findingsOf(res, "backend-drift")
	if len(drift) != 1 || len(drift[0].Fixes) == 0 || drift[0].File != "conf.d/shop.conf" {
		t.Fatalf("backend-drift findings: %+v", drift)
	}
	if len(drift[0].Related) != 1 || drift[0].Related[0].File != ManifestFile {
		t.Errorf("backend-drift should point at the manifest's backend: %+v", drift[0].Related)
	}
	if res.Reached != 2 || res.Fragments != 0 {
		t.Errorf("reached %d, fragments %d; want 2, 0", res.Reached, res.Fragments)
	}

	fixed, err := Apply(rules.All(), in, indexOf(res, "backend-drift"), "backend-drift")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fixed.Changed, []string{"conf.d/shop.conf"}) || fixed.Fixed != 1 {
		t.Fatalf("changed %v, fixed %d", fixed.Changed, fixed.Fixed)
	}
	if !strings.Contains(fixed.Files["conf.d/shop.conf"], "server 127.0.0.1:8080;") {
		t.Errorf("the fix did not write the manifest's port:\n%s", fixed.Files["conf.d/shop.conf"])
	}
	after := Lint(rules.All(), Input{Files: fixed.Files})
	if n := len(findingsOf(after, "backend-drift")); n != 0 {
		t.Errorf("backend-drift still reported after its fix: %+v", after.Findings)
	}
	if len(after.Findings) != len(res.Findings)-1 {
		t.Errorf("the fix changed other findings: before %d, after %d", len(res.Findings), len(after.Findings))
	}
}

// The test the page runs in the browser, here without it: a proxy_pass
// without a scheme, its fix, and the finding gone.
func TestMissingSchemeFix(t *testing.T) {
	conf := "events {}\nhttp {\n    server {\n        listen 8080;\n        location / {\n            proxy_pass 127.0.0.1:3000;\n        }\n    }\n}\n"
	in := Input{Files: map[string]string{MainFile: conf}}
	res := Lint(rules.All(), in)
	i := indexOf(res, "proxy-pass-scheme")
	if i < 0 {
		t.Fatalf("no proxy-pass-scheme finding: %+v", res.Findings)
	}
	f := res.Findings[i]
	if f.Line != 6 || f.Column != 24 || f.From != strings.Index(conf, "127.0.0.1:3000") || f.To != f.From+len("127.0.0.1:3000") {
		t.Errorf("finding at %d:%d [%d,%d)", f.Line, f.Column, f.From, f.To)
	}
	if f.URL == "" || !strings.HasSuffix(f.URL, "#proxy-pass-scheme") || f.Title == "" {
		t.Errorf("url %q, title %q", f.URL, f.Title)
	}
	fixed, err := Apply(rules.All(), in, i, "proxy-pass-scheme")
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(conf, "proxy_pass 127.0.0.1", "proxy_pass http://127.0.0.1", 1); fixed.Files[MainFile] != want {
		t.Errorf("fixed text:\n%s\nwant\n%s", fixed.Files[MainFile], want)
	}
	if after := Lint(rules.All(), Input{Files: fixed.Files}); indexOf(after, "proxy-pass-scheme") >= 0 {
		t.Errorf("still reported after the fix: %+v", after.Findings)
	}
	// The same request for another rule at that index is stale.
	if _, err := Apply(rules.All(), in, i, "backend-drift"); !errors.Is(err, ErrStale) {
		t.Errorf("Apply with another rule: %v, want ErrStale", err)
	}
}

// Positions count bytes for the command's line and column, and UTF-16
// code units for the page's offsets.
func TestPositionsUTF16(t *testing.T) {
	conf := "# café ☕ 𝄞\nevents {}\nhttp { server { location / { proxy_pass 127.0.0.1:3000; } } }\n"
	res := Lint(rules.All(), Input{Files: map[string]string{MainFile: conf}})
	i := indexOf(res, "proxy-pass-scheme")
	if i < 0 {
		t.Fatalf("no finding: %+v", res.Findings)
	}
	f := res.Findings[i]
	byteOff := strings.Index(conf, "127.0.0.1")
	// é is 2 bytes and 1 unit, ☕ 3 bytes and 1 unit, 𝄞 4 bytes and 2 units.
	wantFrom := byteOff - 1 - 2 - 2
	if f.From != wantFrom || f.To != wantFrom+len("127.0.0.1:3000") {
		t.Errorf("from %d to %d, want %d to %d", f.From, f.To, wantFrom, wantFrom+len("127.0.0.1:3000"))
	}
	if f.Line != 3 || f.Column != strings.Index(strings.Split(conf, "\n")[2], "127")+1 {
		t.Errorf("line %d column %d", f.Line, f.Column)
	}
}

// An invalid manifest is reported at its place, and the tree is still
// linted without the rules that need it.
func TestInvalidManifest(t *testing.T) {
	in := Example()
	in.Files[ManifestFile] = "[backends.api]\nlisen = \"127.0.0.1:8080\"\n"
	res := Lint(rules.All(), in)
	if res.Manifest {
		t.Error("an invalid manifest was used")
	}
	var at *Range
	for _, p := range res.Errors {
		if p.Range != nil && p.File == ManifestFile {
			at = p.Range
		}
	}
	if at == nil || at.Line != 2 || at.Column != 1 {
		t.Fatalf("no error at backends.toml:2:1: %+v", res.Errors)
	}
	if len(findingsOf(res, "backend-drift")) != 0 || len(res.Findings) == 0 {
		t.Errorf("findings without the manifest: %+v", res.Findings)
	}
	if _, err := ApplyAll(rules.All(), in); err == nil {
		t.Error("ApplyAll applied fixes on an incomplete lint")
	}

	// A syntax error of TOML.
	in.Files[ManifestFile] = "[backends.api\n"
	if res := Lint(rules.All(), in); len(res.Errors) == 0 || res.Manifest {
		t.Errorf("TOML syntax error: %+v", res.Errors)
	}
}

// The target version, given or from the manifest, decides the directive
// rules; one nginx cannot have is an error.
func TestVersion(t *testing.T) {
	conf := "events {}\nhttp { server { listen 80; http2 on; } }\n"
	old := Lint(rules.All(), Input{Files: map[string]string{MainFile: conf}, NginxVersion: "1.22.1"})
	if old.NginxVersion != "1.22.1" || len(old.Findings) == 0 {
		t.Fatalf("http2 on 1.22.1: %+v", old)
	}
	cur := Lint(rules.All(), Input{Files: map[string]string{MainFile: conf}, NginxVersion: "1.26.0"})
	if len(cur.Findings) >= len(old.Findings) {
		t.Errorf("http2 on: %d findings on 1.26.0, %d on 1.22.1", len(cur.Findings), len(old.Findings))
	}
	bad := Lint(rules.All(), Input{Files: map[string]string{MainFile: conf}, NginxVersion: "latest"})
	if len(bad.Errors) != 1 || !strings.Contains(bad.Errors[0].Message, "1.22.1") {
		t.Errorf("version latest: %+v", bad.Errors)
	}
}

// Input that the command could not read is refused with a reason, never
// a panic.
func TestBadInput(t *testing.T) {
	for _, name := range []string{"", "/etc/nginx/nginx.conf", "../x.conf", "a//b.conf", "./nginx.conf", "a\\b", "x\x00"} {
		res := Lint(rules.All(), Input{Files: map[string]string{name: "events {}\n"}})
		if len(res.Errors) != 1 || len(res.Findings) != 0 {
			t.Errorf("file name %q: %+v", name, res)
		}
	}
	big := strings.Repeat("#", syntax.MaxFileSize+1)
	if res := Lint(rules.All(), Input{Files: map[string]string{MainFile: big}}); len(res.Errors) != 1 {
		t.Errorf("a file over the limit: %+v", res.Errors)
	}
	if res := Lint(rules.All(), Input{Files: map[string]string{MainFile: "events {}"}, Stock: "gentoo"}); len(res.Errors) != 1 {
		t.Errorf("an unknown stock: %+v", res.Errors)
	}
	// No main file: every file is a fragment, as on disk.
	res := Lint(rules.All(), Input{Files: map[string]string{"conf.d/app.conf": "server { listen 80; location / { proxy_pass 127.0.0.1:1; } }\n"}})
	if res.Fragments != 1 || indexOf(res, "proxy-pass-scheme") < 0 {
		t.Errorf("a tree without nginx.conf: %+v", res)
	}
	// Broken text is a syntax finding.
	res = Lint(rules.All(), Input{Files: map[string]string{MainFile: "events {\nhttp { server { listen 80 }\n"}})
	if indexOf(res, "syntax") < 0 {
		t.Errorf("unbalanced braces: %+v", res.Findings)
	}
}

// The JSON functions are what the page calls.
func TestJSON(t *testing.T) {
	req, _ := json.Marshal(Example())
	var res Result
	if err := json.Unmarshal(LintJSON(rules.All(), req), &res); err != nil {
		t.Fatal(err)
	}
	i := indexOf(&res, "backend-drift")
	if i < 0 {
		t.Fatalf("no backend-drift: %+v", res)
	}
	fr, _ := json.Marshal(FixRequest{Input: Example(), Index: i, Rule: "backend-drift"})
	var fixed FixResponse
	if err := json.Unmarshal(FixJSON(rules.All(), fr), &fixed); err != nil {
		t.Fatal(err)
	}
	if fixed.Error != "" || fixed.Fixed == nil || !slices.Equal(fixed.Changed, []string{"conf.d/shop.conf"}) {
		t.Fatalf("fix: %+v", fixed)
	}
	all, _ := json.Marshal(FixRequest{Input: Example(), All: true})
	var fixedAll FixResponse
	if err := json.Unmarshal(FixJSON(rules.All(), all), &fixedAll); err != nil {
		t.Fatal(err)
	}
	if fixedAll.Error != "" || fixedAll.Fixed.Fixed < 2 {
		t.Fatalf("fix all: %+v", fixedAll)
	}
	after := Lint(rules.All(), Input{Files: fixedAll.Files})
	for _, f := range after.Findings {
		if len(f.Fixes) > 0 {
			t.Errorf("a fixable finding is left after fixing all: %+v", f)
		}
	}

	// Not JSON, or not an Input: the error is in the answer.
	if err := json.Unmarshal(LintJSON(rules.All(), []byte("{")), &res); err != nil || len(res.Errors) != 1 || res.Findings == nil {
		t.Errorf("invalid request: %v %+v", err, res)
	}
	if err := json.Unmarshal(FixJSON(rules.All(), []byte(`{"files": 3}`)), &fixed); err != nil || fixed.Error == "" {
		t.Errorf("invalid fix request: %v %+v", err, fixed)
	}

	var infos []RuleInfo
	if err := json.Unmarshal(RulesJSON(rules.All()), &infos); err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(infos, func(r RuleInfo) bool { return r.ID == "proxy-pass-scheme" })
	if len(infos) != len(rules.All()) || k < 0 || !infos[k].Fixable || !strings.Contains(infos[k].Explain, "invalid URL prefix") {
		t.Errorf("rules: %d, proxy-pass-scheme %+v", len(infos), infos[k])
	}
}

// Text from the input that a terminal would obey is shown, not kept, in
// messages; fixes keep the input's bytes.
func TestMessagesShown(t *testing.T) {
	conf := "events {}\nhttp { server { location / { proxy_pass \"127.0.0.1:1\x1b[31m\"; } } }\n"
	res := Lint(rules.All(), Input{Files: map[string]string{MainFile: conf}})
	if len(res.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range res.Findings {
		if strings.ContainsRune(f.Message, 0x1b) {
			t.Errorf("an escape character in a message: %q", f.Message)
		}
	}
}

// Fragments are read as the command reads them: one that holds a whole
// configuration is not asked for an events block, one that includes
// another roots it, and both agree with the command.
func TestFragments(t *testing.T) {
	compareWithCommand(t, map[string]string{
		MainFile:                 "events {}\nhttp { include conf.d/*.conf; }\n",
		"conf.d/a.conf":          "server { listen 80; location / { proxy_pass http://127.0.0.1:1; } }\n",
		"other/whole.conf":       "http { server { listen 81; } }\n",
		"sites-available/x.conf": "server { listen 82; include snippets/p.conf; }\n",
		"snippets/p.conf":        "location / { proxy_pass 127.0.0.1:9; }\n",
		"cycle/a.conf":           "include cycle/b.conf;\n",
		"cycle/b.conf":           "include cycle/a.conf;\n",
		"broken.conf":            "server { listen 83;\n",
		"café.conf":              "# é\nserver { listen 84; location / { proxy_pass 127.0.0.1:9; } }\n",
		"uses-stock.conf":        "server { listen 85; location ~ \\.php$ { include fastcgi_params; fastcgi_pass unix:/run/php.sock; } }\n",
	})
}

// An app configuration the manifest links is read from the page's files
// (not linted as nginx configuration); one outside the tree cannot be.
func TestApps(t *testing.T) {
	in := Example()
	in.Files[ManifestFile] = strings.Replace(in.Files[ManifestFile], "upstream = \"api_pool\"", "upstream = \"api_pool\"\napp = \"app/gunicorn.conf.py\"", 1)
	in.Files["app/gunicorn.conf.py"] = "bind = \"127.0.0.1:8090\"\nworkers = 2\n"
	res := Lint(rules.All(), in)
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %+v", res.Errors)
	}
	drift := findingsOf(res, "app-drift")
	if len(drift) != 1 || drift[0].File != "app/gunicorn.conf.py" {
		t.Fatalf("app-drift: %+v\nall: %+v", drift, res.Findings)
	}
	for _, f := range res.Findings {
		if f.File == "app/gunicorn.conf.py" && f.Rule != "app-drift" {
			t.Errorf("the app's file was read as nginx configuration: %+v", f)
		}
	}
	compareWithCommand(t, in.Files)

	in.Files[ManifestFile] = strings.Replace(in.Files[ManifestFile], "app/gunicorn.conf.py", "../../deploy/gunicorn.conf.py", 1)
	res = Lint(rules.All(), in)
	if len(res.Errors) == 0 || res.Errors[0].Range == nil || res.Errors[0].File != ManifestFile {
		t.Errorf("an app outside the tree: %+v", res.Errors)
	}
	if _, err := ApplyAll(rules.All(), in); err == nil {
		t.Error("ApplyAll with an app configuration that could not be read")
	}
}
