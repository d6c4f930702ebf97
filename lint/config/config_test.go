package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

// testFormats are the output formats the tests pretend exist.
var testFormats = []string{"text", "json", "sarif", "github", "checkstyle"}

var configKnownRules = map[string]bool{
	"backend-drift":           true,
	"backend-unknown-host":    true,
	"proxy-pass-scheme":       true,
	"upstream-primaries-down": true,
	"syntax":                  true,
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFindRefusesOthersFiles: a configuration file that someone else
// could have written (writable by others, or in a directory writable by
// others) is passed over, said so, and the search goes on above it.
func TestFindRefusesOthersFiles(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(repo, Name), "")
	shared := filepath.Join(repo, "shared")
	writeFile(t, filepath.Join(shared, Name), "")
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	got, skipped, err := Find(shared)
	if err != nil || got != filepath.Join(repo, Name) {
		t.Fatalf("Find under a directory writable by others = %q, %v; want the repository's", got, err)
	}
	if len(skipped) != 1 || !strings.Contains(skipped[0], "its directory is writable by others") || !strings.HasPrefix(skipped[0], filepath.Join(shared, Name)) {
		t.Errorf("skipped = %q", skipped)
	}

	if err := os.Chmod(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(shared, Name), 0o666); err != nil {
		t.Fatal(err)
	}
	got, skipped, err = Find(shared)
	if err != nil || got != filepath.Join(repo, Name) || len(skipped) != 1 || !strings.Contains(skipped[0], "it is writable by others") {
		t.Errorf("Find with a file writable by others = %q, %q, %v", got, skipped, err)
	}

	if err := os.Chmod(filepath.Join(shared, Name), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, skipped, err = Find(shared); err != nil || got != filepath.Join(shared, Name) || len(skipped) != 0 {
		t.Errorf("Find with a safe file = %q, %q, %v", got, skipped, err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	// root/.nginxlint.toml is above the repository: never found from
	// inside it.
	writeFile(t, filepath.Join(root, Name), "")
	repo := filepath.Join(root, "repo")
	deep := filepath.Join(repo, "etc", "nginx", "sites-available")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}

	check := func(dir, want string) {
		t.Helper()
		got, _, err := Find(dir)
		if err != nil {
			t.Fatalf("Find(%s): %v", dir, err)
		}
		if got != want {
			t.Errorf("Find(%s) = %q, want %q", dir, got, want)
		}
	}
	check(deep, "") // stops at the directory holding .git
	check(root, filepath.Join(root, Name))

	writeFile(t, filepath.Join(repo, Name), "")
	check(deep, filepath.Join(repo, Name)) // the .git directory itself is searched
	writeFile(t, filepath.Join(repo, "etc", Name), "")
	check(deep, filepath.Join(repo, "etc", Name)) // the closest wins
	check(filepath.Join(repo, "etc"), filepath.Join(repo, "etc", Name))

	// A relative directory gives a path relative to the working directory.
	t.Chdir(deep)
	check(".", filepath.Join("..", "..", Name))
	check(filepath.Join("..", ".."), filepath.Join("..", "..", Name))

	// Without .git, the walk goes on to the root.
	other := filepath.Join(root, "other", "a", "b")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	check(other, filepath.Join(root, Name))

	// A directory of that name is an error, not a configuration.
	if err := os.Mkdir(filepath.Join(other, Name), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Find(other); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("FindConfig with a directory named %s: %v", Name, err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "repo", Name)
	writeFile(t, path, `# nginxlint configuration
manifest = "deploy/backends.toml"   # relative to this file
prefix = "/etc/nginx"
nginx_version = "1.22.1"
fail_on = "error"
format = "json"
exclude = [
    "etc/nginx/sites-available/legacy-*.conf",  # old sites
    "**/generated/**",
]

[rules]
disable = ["upstream-primaries-down"]
enable = []

[rules.severity]
backend-unknown-host = "error"
"proxy-pass-scheme" = 'warning'
`)
	cfg, err := Load(path, configKnownRules, testFormats)
	if err != nil {
		t.Fatal(err)
	}
	want := &File{
		Path:         path,
		Manifest:     filepath.Join(dir, "repo", "deploy", "backends.toml"),
		Prefix:       "/etc/nginx",
		NginxVersion: "1.22.1",
		FailOn:       "error",
		Format:       "json",
		Exclude:      []string{"etc/nginx/sites-available/legacy-*.conf", "**/generated/**"},
		Disable:      []string{"upstream-primaries-down"},
		DisableKey:   "rules.disable",
		Severity:     map[string]lint.Severity{"backend-unknown-host": lint.Error, "proxy-pass-scheme": lint.Warning},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got  %+v\nwant %+v", cfg, want)
	}

	// A relative configuration path gives a relative manifest path; an
	// absolute manifest stays as written.
	t.Chdir(dir)
	writeFile(t, filepath.Join(dir, "sub", Name), "manifest = \"/srv/backends.toml\"\n[rules]\nenable = [\"syntax\"]\n")
	writeFile(t, filepath.Join(dir, "rel", Name), "manifest = \"../shared/backends.toml\"\n")
	if cfg, err := Load(filepath.Join("sub", Name), configKnownRules, testFormats); err != nil || cfg.Manifest != "/srv/backends.toml" || !reflect.DeepEqual(cfg.Enable, []string{"syntax"}) {
		t.Errorf("absolute manifest: %+v, %v", cfg, err)
	}
	if cfg, err := Load(filepath.Join("rel", Name), configKnownRules, testFormats); err != nil || cfg.Manifest != filepath.Join("shared", "backends.toml") {
		t.Errorf("relative manifest: %+v, %v", cfg, err)
	}

	// An empty file is a valid configuration that sets nothing.
	writeFile(t, filepath.Join(dir, "empty", Name), "")
	if cfg, err := Load(filepath.Join("empty", Name), configKnownRules, testFormats); err != nil || !reflect.DeepEqual(cfg, &File{Path: filepath.Join("empty", Name)}) {
		t.Errorf("empty configuration: %+v, %v", cfg, err)
	}

	if _, err := Load(filepath.Join("missing", Name), configKnownRules, testFormats); err == nil || !strings.Contains(err.Error(), "cannot read missing/.nginxlint.toml: no such file or directory") {
		t.Errorf("missing file: %v", err)
	}
}

// loadConfigText writes src as a configuration file and loads it from a
// path relative to the working directory.
func loadConfigText(t *testing.T, src string) (*File, error) {
	t.Helper()
	t.Chdir(t.TempDir())
	writeFile(t, Name, src)
	return Load(Name, configKnownRules, testFormats)
}

func TestLoadConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"unknown key", "manifst = \"backends.toml\"\n",
			`.nginxlint.toml:1:1: unknown key "manifst" (did you mean "manifest"?); known keys: directives, exclude, fail_on, format, ignore, manifest, modules, nginx_version, overrides, prefix, root, rules, select, stock`},
		{"key with other case", "prefix = \"/etc/nginx\"\n  Format = \"json\"\n",
			`.nginxlint.toml:2:3: unknown key "Format" (did you mean "format"?); known keys: directives, exclude, fail_on, format, ignore, manifest, modules, nginx_version, overrides, prefix, root, rules, select, stock`},
		{"unknown table", "[rule]\ndisable = []\n",
			`.nginxlint.toml:1:2: unknown key "rule" (did you mean "rules"?); known keys: directives, exclude, fail_on, format, ignore, manifest, modules, nginx_version, overrides, prefix, root, rules, select, stock`},
		{"unknown key in rules", "[rules]\ndisable = []\ndisabled = [\"syntax\"]\n",
			`.nginxlint.toml:3:1: unknown key "rules.disabled" (did you mean "rules.disable"?); known keys: rules.disable, rules.enable, rules.severity`},
		{"unknown dotted key", "rules.severty.syntax = \"info\"\n",
			`.nginxlint.toml:1:7: unknown key "rules.severty" (did you mean "rules.severity"?); known keys: rules.disable, rules.enable, rules.severity`},
		{"unknown rule in disable", "[rules]\ndisable = [\"syntax\", \"backend-drfit\"]\n",
			`.nginxlint.toml:2:22: unknown rule "backend-drfit" in rules.disable (did you mean "backend-drift"?) (see 'nginxlint rules')`},
		{"unknown rule in enable, multi-line", "[rules]\nenable = [\n  \"syntax\",\n  # comment, with \"quotes\" and ]\n  \"nothing-like-it\",\n]\n",
			`.nginxlint.toml:5:3: unknown rule "nothing-like-it" in rules.enable (see 'nginxlint rules')`},
		{"unknown rule in severity", "[rules.severity]\nbackend-unknown-hots = \"error\"\n",
			`.nginxlint.toml:2:1: unknown rule "backend-unknown-hots" in rules.severity (did you mean "backend-unknown-host"?) (see 'nginxlint rules')`},
		{"bad severity", "[rules.severity]\nsyntax = \"fatal\"\n",
			`.nginxlint.toml:2:10: rules.severity.syntax: unknown severity "fatal": use error, warning or info`},
		{"bad severity, inline table", "rules = { severity = { syntax = \"fatal\" } }\n",
			`.nginxlint.toml:1:33: rules.severity.syntax: unknown severity "fatal": use error, warning or info`},
		{"severity not a string", "[rules.severity]\nsyntax = 2\n",
			`.nginxlint.toml:2:10: rules.severity.syntax must be a string (error, warning or info), not an integer`},
		{"bad format", "format = \"xml\"\n",
			`.nginxlint.toml:1:10: unknown format "xml": use text, json, sarif, github or checkstyle`},
		{"bad fail_on", "fail_on   =   'never'\n",
			`.nginxlint.toml:1:15: fail_on: unknown severity "never": use error, warning or info`},
		{"relative prefix", "prefix = \"etc/nginx\"\n",
			`.nginxlint.toml:1:10: prefix "etc/nginx" must be an absolute path such as /etc/nginx: the directory the tree stands for`},
		{"bad nginx_version", "nginx_version = \"1.22.x\"\n",
			`.nginxlint.toml:1:17: nginx_version "1.22.x": write it as 1.22.1`},
		{"empty manifest", "manifest = \"\"\n",
			`.nginxlint.toml:1:12: manifest is empty: name the backend manifest, or remove the key`},
		{"wrong types", "manifest = 3\nexclude = \"*.conf\"\n[rules]\ndisable = [\"syntax\", 1]\n",
			`.nginxlint.toml:1:12: manifest must be a string, not an integer
.nginxlint.toml:2:11: exclude must be an array of strings, not a string
.nginxlint.toml:4:22: rules.disable[1] must be a string, not an integer`},
		{"rules not a table", "rules = [\"syntax\"]\n",
			`.nginxlint.toml:1:9: rules must be a table ([rules]), not an array`},
		{"bad glob", "exclude = [\"ok/*.conf\", \"bad/[.conf\"]\n",
			`.nginxlint.toml:1:25: exclude glob "bad/[.conf": syntax error in pattern`},
		{"enabled and disabled", "[rules]\nenable = [\"syntax\"]\ndisable = [\"syntax\"]\n",
			`.nginxlint.toml:3:12: rule "syntax" is both in rules.enable and in rules.disable`},
		{"syntax error", "format = \"text\"\nfail_on = warning\n",
			`.nginxlint.toml:2:11: expected value but found "warning" instead`},
		{"several at once", `manifst = "backends.toml"
prefix = "relative"
format = "xml"

[rules]
disable = ["upstream-primaries-dwn"]

[rules.severity]
"backend-drift" = "critical"
`,
			`.nginxlint.toml:1:1: unknown key "manifst" (did you mean "manifest"?); known keys: directives, exclude, fail_on, format, ignore, manifest, modules, nginx_version, overrides, prefix, root, rules, select, stock
.nginxlint.toml:2:10: prefix "relative" must be an absolute path such as /etc/nginx: the directory the tree stands for
.nginxlint.toml:3:10: unknown format "xml": use text, json, sarif, github or checkstyle
.nginxlint.toml:6:12: unknown rule "upstream-primaries-dwn" in rules.disable (did you mean "upstream-primaries-down"?) (see 'nginxlint rules')
.nginxlint.toml:9:19: rules.severity.backend-drift: unknown severity "critical": use error, warning or info`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadConfigText(t, tc.src)
			if err == nil {
				t.Fatalf("no error; got %+v", cfg)
			}
			if cfg != nil {
				t.Errorf("a configuration with an error: %+v", cfg)
			}
			if err.Error() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", err, tc.want)
			}
		})
	}
}

// TestLoadConfigErrorList checks that the problems of a configuration
// file come as a poserr.List sorted by position, each with its place,
// whatever order they were found in.
func TestLoadConfigErrorList(t *testing.T) {
	// Unknown keys are looked for first, but the bad format comes first
	// in the file.
	src := "format = \"xml\"\nmanifst = \"backends.toml\"\nprefix = \"relative\"\n"
	_, err := loadConfigText(t, src)
	var list poserr.List
	if !errors.As(err, &list) {
		t.Fatalf("error is %T (%v), want a poserr.List", err, err)
	}
	want := []poserr.Position{{File: Name, Line: 1, Col: 10}, {File: Name, Line: 2, Col: 1}, {File: Name, Line: 3, Col: 10}}
	if len(list) != len(want) {
		t.Fatalf("%d errors, want %d:\n%v", len(list), len(want), err)
	}
	for i, e := range list {
		if e.Pos != want[i] {
			t.Errorf("error %d at %v, want %v: %s", i, e.Pos, want[i], e.Msg)
		}
	}
	if got, wantText := err.Error(), strings.Join([]string{
		`.nginxlint.toml:1:10: unknown format "xml": use text, json, sarif, github or checkstyle`,
		`.nginxlint.toml:2:1: unknown key "manifst" (did you mean "manifest"?); known keys: directives, exclude, fail_on, format, ignore, manifest, modules, nginx_version, overrides, prefix, root, rules, select, stock`,
		`.nginxlint.toml:3:10: prefix "relative" must be an absolute path such as /etc/nginx: the directory the tree stands for`,
	}, "\n"); got != wantText {
		t.Errorf("got:\n%s\nwant:\n%s", got, wantText)
	}

	// A TOML syntax error is a list of one, with its position.
	_, err = loadConfigText(t, "format = \"text\"\nfail_on = warning\n")
	if !errors.As(err, &list) || len(list) != 1 || list[0].Pos != (poserr.Position{File: Name, Line: 2, Col: 11}) {
		t.Errorf("syntax error: %#v", err)
	}

	// A file that cannot be read is a plain error.
	if _, err := Load(filepath.Join(t.TempDir(), Name), configKnownRules, testFormats); err == nil || errors.As(err, &list) {
		t.Errorf("missing file: %#v, want a plain error", err)
	}
}

func TestExcluded(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cfg := &File{
		Path: filepath.Join("repo", Name),
		Exclude: []string{
			"etc/nginx/sites-available/legacy-*.conf",
			"**/generated/**",
			"etc/**/snippets/*.conf",
			"/etc/nginx/conf.d/old.conf",
		},
	}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"repo/etc/nginx/sites-available/legacy-a.conf", true},
		{"repo/etc/nginx/sites-available/app.conf", false},
		{"repo/etc/nginx/sites-available/sub/legacy-a.conf", false}, // * stays in one directory
		{"repo/generated/x.conf", true},                             // ** matches no directory
		{"repo/etc/nginx/generated/a/b/c.conf", true},
		{"repo/etc/nginx/generated", true}, // a trailing ** matches nothing too
		{"repo/etc/snippets/proxy.conf", true},
		{"repo/etc/nginx/x/y/snippets/proxy.conf", true},
		{"repo/etc/nginx/snippets/sub/proxy.conf", false},
		{filepath.Join(dir, "repo/etc/nginx/sites-available/legacy-b.conf"), true}, // an absolute name
		{"etc/nginx/sites-available/legacy-a.conf", false},                         // outside the configuration's directory
		{"repo/../etc/nginx/sites-available/legacy-a.conf", false},
		{"/etc/nginx/conf.d/old.conf", true}, // nginx -T names match absolute globs
		{"/etc/nginx/conf.d/new.conf", false},
		{"/etc/nginx/sites-available/legacy-a.conf", false},
	} {
		if got := cfg.Excluded(tc.name); got != tc.want {
			t.Errorf("Excluded(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
	var none *File
	if none.Excluded("repo/generated/x.conf") {
		t.Errorf("a nil configuration excludes files")
	}
}

func TestMatchGlob(t *testing.T) {
	for _, tc := range []struct {
		glob, name string
		want       bool
	}{
		{"**", "a/b/c", true},
		{"**/c", "c", true},
		{"**/c", "a/b/c", true},
		{"a/**/b/**/c", "a/x/b/y/z/c", true},
		{"a/**/b/**/c", "a/x/y/c", false},
		{"a/**", "a", true},
		{"a/**/*.conf", "a/b/c.conf", true},
		{"a/**/*.conf", "a/b/c.txt", false},
		{"a/*/c", "a/b/b/c", false},
	} {
		if got := matchGlob(tc.glob, tc.name); got != tc.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tc.glob, tc.name, got, tc.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for id, want := range map[string]string{
		"backend-drfit":  ` (did you mean "backend-drift"?)`,
		"Syntax":         ` (did you mean "syntax"?)`,
		"backend":        "",
		"something-else": "",
	} {
		if got := textutil.DidYouMean(id, configKnownRules); got != want {
			t.Errorf("textutil.DidYouMean(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestModules: the modules key takes the short names of the third-party
// modules the directive table knows.
func TestModules(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, Name)
	writeFile(t, path, "modules = [\"lua\", \"lau\"]\n")
	_, err := Load(path, configKnownRules, testFormats)
	if err == nil || !strings.Contains(err.Error(), `:1:19: unknown module "lau" in modules (did you mean "lua"?); known third-party modules: `) || !strings.Contains(err.Error(), "headers-more") {
		t.Errorf("got %v", err)
	}
	writeFile(t, path, "modules = [\"lua\", \"headers-more\"]\n")
	cfg, err := Load(path, configKnownRules, testFormats)
	if err != nil || !reflect.DeepEqual(cfg.Modules, []string{"lua", "headers-more"}) {
		t.Errorf("got %+v, %v", cfg, err)
	}
}

// TestDirectives: [[directives]] describes the directives of a module
// the directive table does not know; every problem is reported.
func TestDirectives(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, Name)
	writeFile(t, path, "[[directives]]\nname = \"my_filter\"\ncontexts = [\"http\", \"server\"]\nargs = \"1-2\"\nblock = true\n")
	cfg, err := Load(path, configKnownRules, testFormats)
	if err != nil || len(cfg.Directives) != 1 {
		t.Fatalf("got %+v, %v", cfg, err)
	}
	d := cfg.Directives[0]
	if d.Name != "my_filter" || d.Contexts != nginx.HTTP|nginx.HTTPServer || !d.Args.Accepts(2) || d.Args.Accepts(3) || !d.Block {
		t.Errorf("directive = %+v", d)
	}
	writeFile(t, path, "[[directives]]\ncontexts = [\"htp\"]\nargs = \"9\"\nnumber = 1\n")
	_, err = Load(path, configKnownRules, testFormats)
	for _, want := range []string{`unknown key "number" in directives[0]`, "directives[0] has no name", `unknown context "htp"`, `args "9"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

// TestFindFollowsLinks: a .nginxlint.toml that is a symbolic link is
// judged by the file it leads to as well: that file and its directory
// must be no one else's either. A link to nothing is said, not used.
func TestFindFollowsLinks(t *testing.T) {
	repo := t.TempDir()
	must(t, os.Mkdir(filepath.Join(repo, ".git"), 0o755))
	writeFile(t, filepath.Join(repo, Name), "")
	tree := filepath.Join(repo, "tree")
	must(t, os.Mkdir(tree, 0o755))
	link := filepath.Join(tree, Name)

	open := filepath.Join(t.TempDir(), "open")
	writeFile(t, filepath.Join(open, "cfg.toml"), "")
	must(t, os.Chmod(open, 0o777))
	writable := filepath.Join(repo, "writable.toml")
	writeFile(t, writable, "")
	must(t, os.Chmod(writable, 0o666))
	safe := filepath.Join(repo, "conf", "cfg.toml")
	writeFile(t, safe, "")

	for _, tc := range []struct {
		target, why string // why: "" when the link is used
	}{
		{filepath.Join(open, "cfg.toml"), "whose directory is writable by others"},
		{"../writable.toml", "which is writable by others"},
		{"gone.toml", "a symbolic link to gone.toml, which does not exist"},
		{"../conf/cfg.toml", ""},
	} {
		os.Remove(link)
		must(t, os.Symlink(tc.target, link))
		got, skipped, err := Find(tree)
		switch {
		case err != nil:
			t.Errorf("link to %s: %v", tc.target, err)
		case tc.why == "" && (got != link || len(skipped) != 0):
			t.Errorf("link to %s: Find = %q, %q; want it used", tc.target, got, skipped)
		case tc.why != "" && (got != filepath.Join(repo, Name) || len(skipped) != 1 || !strings.Contains(skipped[0], tc.why)):
			t.Errorf("link to %s: Find = %q, %q; want it passed over (%s)", tc.target, got, skipped, tc.why)
		}
	}

	if os.Geteuid() != 0 {
		return
	}
	// Root can give a file away: one owned by another user is passed
	// over, and so is a link to one.
	other := filepath.Join(repo, "other.toml")
	writeFile(t, other, "")
	must(t, os.Chown(other, 65534, 65534))
	os.Remove(link)
	must(t, os.Symlink("../other.toml", link))
	if got, skipped, err := Find(tree); err != nil || got != filepath.Join(repo, Name) || len(skipped) != 1 || !strings.Contains(skipped[0], "owned by another user (uid 65534)") {
		t.Errorf("link to a file of another user: Find = %q, %q, %v", got, skipped, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLoadTooComplex: nesting and dotted keys past the limits are one
// positioned error, found before the TOML library could overflow its
// stack on them.
func TestLoadTooComplex(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"arrays", "exclude = " + strings.Repeat("[", 5<<20), ".nginxlint.toml:1:267: arrays and tables are nested more than 256 levels deep here"},
		{"inline tables", "[rules]\nseverity = " + strings.Repeat("{a=", 300), ".nginxlint.toml:2:780: arrays and tables are nested more than 256 levels deep here"},
		{"dotted key", "rules" + strings.Repeat(".a", 300) + " = 1\n", ".nginxlint.toml:1:516: this key has more than 256 dotted parts"},
		{"brackets in strings and comments do not count", "# " + strings.Repeat("[", 300) + "\nformat = \"" + strings.Repeat("[", 300) + "\"\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfigText(t, tc.src)
			switch {
			case tc.want == "" && err != nil && strings.Contains(err.Error(), "nested"):
				t.Errorf("got %v", err)
			case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
				t.Errorf("got %v, want %s", err, tc.want)
			}
		})
	}
}
