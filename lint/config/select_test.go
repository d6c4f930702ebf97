package config

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

var selectKnownRules = map[string]bool{
	"backend-drift":              true,
	"backend-unknown-host":       true,
	"proxy-pass-scheme":          true,
	"upstream-keepalive":         true,
	"upstream-keepalive-timeout": true,
	"syntax":                     true,
	"include":                    true,
}

func TestRules(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    []string
		err     string
	}{
		{"backend-drift", []string{"backend-drift"}, ""},
		{"backend-", []string{"backend-drift", "backend-unknown-host"}, ""},
		// An ID is only itself, even when it starts other IDs.
		{"upstream-keepalive", []string{"upstream-keepalive"}, ""},
		{"upstream-keepalive-", []string{"upstream-keepalive-timeout"}, ""},
		{"backend-drfit", nil, `unknown rule "backend-drfit" in --select (did you mean "backend-drift"?) (see 'nginxlint rules')`},
		{"bakend-", nil, `no rule starts with "bakend-" in --select (did you mean "backend-"?) (see 'nginxlint rules')`},
		{"backend", nil, `unknown rule "backend" in --select: to name every rule that starts with it, write "backend-" (see 'nginxlint rules')`},
		{"", nil, `empty rule name in --select: name a rule (see 'nginxlint rules') or a prefix such as "backend-"`},
		{"zzz-", nil, `no rule starts with "zzz-" in --select (see 'nginxlint rules')`},
	} {
		got, err := Rules(c.pattern, selectKnownRules, "--select")
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("Rules(%q) error = %v, want %s", c.pattern, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Rules(%q) = %q, %v; want %q", c.pattern, got, err, c.want)
		}
	}
}

func loadSelectConfig(t *testing.T, src string) (*File, error) {
	t.Helper()
	t.Chdir(t.TempDir())
	writeFile(t, Name, src)
	return Load(Name, selectKnownRules, testFormats)
}

// TestSelectIgnore: select and ignore take IDs and prefixes, expanded to
// IDs; rules.enable and rules.disable are the same settings.
func TestSelectIgnore(t *testing.T) {
	cfg, err := loadSelectConfig(t, "select = [\"backend-\", \"proxy-pass-scheme\"]\nignore = [\"backend-unknown-host\"]\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"backend-drift", "backend-unknown-host", "proxy-pass-scheme"}; !reflect.DeepEqual(cfg.Enable, want) || cfg.EnableKey != "select" {
		t.Errorf("Enable = %q (%s), want %q (select)", cfg.Enable, cfg.EnableKey, want)
	}
	if want := []string{"backend-unknown-host"}; !reflect.DeepEqual(cfg.Disable, want) || cfg.DisableKey != "ignore" {
		t.Errorf("Disable = %q (%s), want %q (ignore)", cfg.Disable, cfg.DisableKey, want)
	}

	cfg, err = loadSelectConfig(t, "[rules]\ndisable = [\"upstream-\"]\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"upstream-keepalive", "upstream-keepalive-timeout"}; !reflect.DeepEqual(cfg.Disable, want) || cfg.DisableKey != "rules.disable" {
		t.Errorf("rules.disable prefix: %q (%s)", cfg.Disable, cfg.DisableKey)
	}

	// [rules.severity] takes prefixes; an ID named on its own wins.
	cfg, err = loadSelectConfig(t, "[rules.severity]\nupstream-keepalive = \"error\"\nupstream- = \"info\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]lint.Severity{"upstream-keepalive": lint.Error, "upstream-keepalive-timeout": lint.Info}; !reflect.DeepEqual(cfg.Severity, want) {
		t.Errorf("severity with a prefix: %v", cfg.Severity)
	}
}

func TestSelectErrors(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"select and rules.enable", "select = [\"backend-\"]\n[rules]\nenable = [\"syntax\"]\n",
			`.nginxlint.toml:3:1: select and rules.enable are the same setting: keep select and remove rules.enable`},
		{"same in select and ignore", "select = [\"backend-\"]\nignore = [\"proxy-pass-scheme\", \"backend-\"]\n",
			`.nginxlint.toml:2:32: rule "backend-" is both in select and in ignore`},
		{"bad prefix", "ignore = [\"bakend-\"]\n",
			`.nginxlint.toml:1:11: no rule starts with "bakend-" in ignore (did you mean "backend-"?) (see 'nginxlint rules')`},
		{"prefix without its hyphen", "select = [\"backend\"]\n",
			`.nginxlint.toml:1:11: unknown rule "backend" in select: to name every rule that starts with it, write "backend-" (see 'nginxlint rules')`},
		{"fail-on", "fail-on = \"error\"\n",
			`.nginxlint.toml:1:1: unknown key "fail-on" (did you mean "fail_on"? keys are written with "_"); known keys: directives, exclude, fail_on, format, ignore, manifest, modules, nginx_version, overrides, prefix, root, rules, select, stock`},
		{"rules.sevrity", "[rules.sevrity]\n",
			`.nginxlint.toml:1:8: unknown key "rules.sevrity" (did you mean "rules.severity"?); known keys: rules.disable, rules.enable, rules.severity`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadSelectConfig(t, c.src)
			if err == nil || err.Error() != c.want {
				t.Errorf("got:\n%v\nwant:\n%s", err, c.want)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	src := `[[overrides]]
paths = ["sites-available/legacy-*.conf", "old/**"]
disable = ["backend-"]
severity = { upstream-keepalive = "info" }

[[overrides]]
paths = ["sites-available/legacy-2.conf"]
[overrides.severity]
backend-drift = "warning"
`
	cfg, err := loadSelectConfig(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Override{
		{Paths: []string{"sites-available/legacy-*.conf", "old/**"}, Disable: []string{"backend-drift", "backend-unknown-host"}, Severity: map[string]lint.Severity{"upstream-keepalive": lint.Info}},
		{Paths: []string{"sites-available/legacy-2.conf"}, Severity: map[string]lint.Severity{"backend-drift": lint.Warning}},
	}
	if !reflect.DeepEqual(cfg.Overrides, want) {
		t.Fatalf("overrides:\n%+v\nwant\n%+v", cfg.Overrides, want)
	}
	for _, c := range []struct {
		name     string
		disabled map[string]bool
		severity map[string]lint.Severity
	}{
		{"sites-available/legacy-1.conf", map[string]bool{"backend-drift": true, "backend-unknown-host": true}, map[string]lint.Severity{"upstream-keepalive": lint.Info}},
		// The second override sets backend-drift's severity: it reports
		// again there.
		{"sites-available/legacy-2.conf", map[string]bool{"backend-unknown-host": true}, map[string]lint.Severity{"upstream-keepalive": lint.Info, "backend-drift": lint.Warning}},
		{"old/a/b/c.conf", map[string]bool{"backend-drift": true, "backend-unknown-host": true}, map[string]lint.Severity{"upstream-keepalive": lint.Info}},
		{"sites-available/shop.conf", nil, nil},
		// Relative to the configuration file's directory, not anywhere.
		{"x/sites-available/legacy-1.conf", nil, nil},
	} {
		d, s := cfg.PathRules(c.name)
		if !reflect.DeepEqual(d, c.disabled) || !reflect.DeepEqual(s, c.severity) {
			t.Errorf("PathRules(%s) = %v, %v; want %v, %v", c.name, d, s, c.disabled, c.severity)
		}
	}
	// An absolute name matches as its path relative to the
	// configuration's directory.
	abs, _ := filepath.Abs("sites-available/legacy-1.conf")
	if d, _ := cfg.PathRules(abs); !d["backend-drift"] {
		t.Errorf("PathRules(%s) = %v", abs, d)
	}
	var none *File
	if d, s := none.PathRules("a.conf"); d != nil || s != nil {
		t.Errorf("nil configuration: %v, %v", d, s)
	}

	// ApplyOverrides: the disabled rules' findings go, the severities
	// apply, and a rule kept (a Fatal one) is left alone.
	legacy := &syntax.File{Name: "sites-available/legacy-1.conf"}
	shop := &syntax.File{Name: "sites-available/shop.conf"}
	ds := []lint.Diagnostic{
		{File: legacy, Rule: "backend-drift", Severity: lint.Error},
		{File: legacy, Rule: "upstream-keepalive", Severity: lint.Warning},
		{File: legacy, Rule: "backend-unknown-host", Severity: lint.Warning},
		{File: shop, Rule: "backend-drift", Severity: lint.Error},
		{Rule: "backend-drift", Severity: lint.Error},
	}
	got := cfg.ApplyOverrides(ds, func(rule string) bool { return rule == "backend-unknown-host" })
	var lines []string
	for _, d := range got {
		name := "-"
		if d.File != nil {
			name = d.File.Name
		}
		lines = append(lines, fmt.Sprintf("%s %s %s", name, d.Rule, d.Severity))
	}
	wantApplied := "sites-available/legacy-1.conf upstream-keepalive info | sites-available/legacy-1.conf backend-unknown-host warning | sites-available/shop.conf backend-drift error | - backend-drift error"
	if g := strings.Join(lines, " | "); g != wantApplied {
		t.Errorf("ApplyOverrides:\n got %s\nwant %s", g, wantApplied)
	}
	if out := none.ApplyOverrides(ds[:1], func(string) bool { return false }); len(out) != 1 {
		t.Errorf("nil configuration dropped findings: %v", out)
	}
}

// TestSwitches: the rules a configuration turns on (nil: all) and off.
func TestSwitches(t *testing.T) {
	var none *File
	if on, off := none.Switches(); on != nil || len(off) != 0 {
		t.Errorf("nil configuration: %v, %v", on, off)
	}
	c := &File{Enable: []string{"a", "b"}, Disable: []string{"b"}}
	on, off := c.Switches()
	if !reflect.DeepEqual(on, map[string]bool{"a": true, "b": true}) || !reflect.DeepEqual(off, map[string]bool{"b": true}) {
		t.Errorf("Switches() = %v, %v", on, off)
	}
}

// TestOverridesErrors: every problem of an [[overrides]] table is at its
// place, in the table where it is, not in the first one.
func TestOverridesErrors(t *testing.T) {
	src := `[[overrides]]
paths = ["a.conf"]
disable = ["backend-drift"]

[[overrides]]
path = ["b.conf"]
disable = ["backend-drfit"]
severity = { upstream-keepalive = "fatal", nope = "info" }

[[overrides]]
paths = ["c/[.conf"]

[[overrides]]
paths = []
disable = ["syntax"]
`
	_, err := loadSelectConfig(t, src)
	want := strings.Join([]string{
		`.nginxlint.toml:5:1: overrides[1] has no paths: say which files it is for, as paths = ["sites-available/legacy-*.conf"] (relative to this file's directory)`,
		`.nginxlint.toml:6:1: unknown key "path" in overrides[1] (did you mean "paths"?); known keys: disable, paths, severity`,
		`.nginxlint.toml:7:12: unknown rule "backend-drfit" in overrides[1].disable (did you mean "backend-drift"?) (see 'nginxlint rules')`,
		`.nginxlint.toml:8:35: overrides[1].severity.upstream-keepalive: unknown severity "fatal": use error, warning or info`,
		`.nginxlint.toml:8:44: unknown rule "nope" in overrides[1].severity (see 'nginxlint rules')`,
		`.nginxlint.toml:11:10: overrides[2].paths glob "c/[.conf": syntax error in pattern`,
		`.nginxlint.toml:14:9: overrides[3].paths is empty: name the files it is for, or remove the table`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}

	_, err = loadSelectConfig(t, "[[overrides]]\npaths = [\"a\"]\n")
	if want := `.nginxlint.toml:1:1: overrides[0] changes nothing: give disable = [...] or severity = { rule-id = "info" }`; err == nil || err.Error() != want {
		t.Errorf("empty override: %v", err)
	}
	_, err = loadSelectConfig(t, "overrides = 1\n")
	if want := `.nginxlint.toml:1:13: overrides must be an array of tables ([[overrides]] with paths = [...] and disable or severity), not an integer`; err == nil || err.Error() != want {
		t.Errorf("overrides not tables: %v", err)
	}
}

// TestLoadNamedNotFound: a --config file that is not there is "not
// found", not a problem of its content.
func TestLoadNamedNotFound(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := LoadNamed("nope.toml", selectKnownRules, testFormats)
	if want := "configuration file nope.toml not found: give --config the path of an existing file (or leave --config out: .nginxlint.toml is then found from the tree)"; err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
}

// TestDirectivesErrorsAtTheirTable: a problem of the second [[directives]]
// table is reported there, not at the first one.
func TestDirectivesErrorsAtTheirTable(t *testing.T) {
	_, err := loadSelectConfig(t, "[[directives]]\nname = \"a\"\ncontexts = [\"http\"]\n\n[[directives]]\nnme = \"b\"\ncontexts = [\"http\"]\n")
	want := ".nginxlint.toml:5:1: directives[1] has no name\n" +
		`.nginxlint.toml:6:1: unknown key "nme" in directives[1] (did you mean "name"?); known keys: name, contexts, args, block`
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}
