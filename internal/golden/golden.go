// Package golden runs the golden cases of nginxlint's rules, in the
// manner of golang.org/x/tools/go/analysis/analysistest: a case is a
// txtar archive that holds a configuration tree and what the rule reports
// on it, and a rule's test is one call:
//
//	golden.Run(t, "../testdata", rules.ProxyPassScheme, rules.All())
//
// runs every ../testdata/proxy-pass-scheme/*.txtar through the driver (not
// the command line) with that rule.
//
// # Cases
//
// The archive's comment says what the case shows. Its files are written
// to a temporary directory, which becomes the working directory; a file
// named "LINK -> TARGET" is a symbolic link to TARGET, and a name ending
// in "/" an empty directory. The tree is etc/nginx, loaded as the command
// line loads it by default; etc/nginx/backends.toml, when present, is the
// manifest, as the command line finds it, and the manifest's [nginx]
// version is the nginx version. The app configurations the manifest
// links (app = "FILE#NAME", relative to it) and the compose files of the
// tree's directory and its parents are files of the archive too, beside
// the tree, read as the command line reads them (see Apps).
//
// A case may hold a .nginxlint.toml, the command line's configuration
// file, for what it would otherwise say with flags: nginx_version,
// prefix, manifest, exclude, [rules.severity]. Only the rule under test
// runs; the others are known but disabled, as in a run with only that
// rule enabled. A case about several rules, such as a suppression
// comment and the finding it suppresses, lists them all in [rules]
// enable, the rule under test included.
//
// Sections that are not files:
//
//	want          the findings, in the text format
//	              (FILE:LINE:COL: SEVERITY: MESSAGE [RULE])
//	fixed/PATH    the text of the file PATH after the findings' fixes
//	              (lint/fix's Plan); one for every file the fixes change
//
// When the findings have fixes, the harness also writes the fixed files,
// lints them again and requires that no finding has a fix left.
//
// go test -run Golden -update rewrites the want and fixed/ sections;
// review the diff.
//
// Cases about the command line (arguments, standard input, exit codes,
// the manifest lookup, output formats) live with it, in internal/cli;
// the archive helpers below serve its harness and others (WriteFiles,
// Check).
package golden

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/config"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/lint/format"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/lint/workspace"
	"github.com/nginxlint/nginxlint/manifest"
)

var update = flag.Bool("update", false, "rewrite the output sections of the golden cases (want, fixed/..., tree, effective)")

// Update reports whether the test binary runs with -update: harnesses
// then rewrite their golden sections instead of comparing them.
func Update() bool { return *update }

// TreePath is the tree a rule case lints, relative to the case's
// directory, as "nginxlint etc/nginx" would.
const TreePath = "etc/nginx"

// The sections of a rule case that are not files.
const (
	wantSection  = "want"
	fixedSection = "fixed/"
)

// Run runs the golden cases of rule r, dir/<r.ID>/*.txtar, each as a
// subtest. all are the known rules (rules.All()): suppression comments
// may name them. A rule without a case fails the test.
func Run(t *testing.T, dir string, r *lint.Rule, all []*lint.Rule) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, r.ID, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("rule %s has no golden case: write one as %s", r.ID, filepath.Join(dir, r.ID, "CASE.txtar"))
	}
	for _, file := range files {
		abs, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runCase(t, abs, r, all)
		})
	}
}

func runCase(t *testing.T, file string, r *lint.Rule, all []*lint.Rule) {
	ar := Parse(t, file)
	if strings.TrimSpace(string(ar.Comment)) == "" {
		t.Errorf("%s: the archive's comment must say what the case shows", file)
	}
	if !slices.ContainsFunc(ar.Files, func(f txtar.File) bool { return f.Name == wantSection }) {
		t.Fatalf("%s has no %s section", file, wantSection)
	}
	for _, f := range ar.Files {
		switch f.Name {
		case "args", "stdin", "tree", "effective":
			t.Fatalf("%s: a %q section belongs to a command-line case (internal/cli/testdata)", file, f.Name)
		}
	}
	dir := t.TempDir()
	WriteFiles(t, dir, ar, isOutput)
	t.Chdir(dir)

	c := newCaseConfig(t, r, all)
	diags := c.lint(t)
	for _, d := range diags {
		if msg := MessageWithPosition(d); msg != "" {
			t.Errorf("%s: %s: a message holds a position; report the place as lint.Related: %q", file, d.File.Position(d.Start), msg)
		}
	}
	got := map[string]string{wantSection: text(t, diags, c.rules)}
	edits, skipped := fix.Plan(diags)
	for _, e := range edits {
		got[fixedSection+filepath.ToSlash(e.File.Name)] = e.New
	}
	check(t, file, ar, got, isOutput)

	if len(edits) == 0 {
		return
	}
	// Nothing fixable is left once the fixes are applied.
	if err := fix.Write(edits); err != nil {
		t.Fatalf("writing the fixes: %v", err)
	}
	var left []string
	for _, d := range c.lint(t) {
		if len(d.Fixes) > 0 {
			left = append(left, fmt.Sprintf("%s: %s [%s]", d.File.Position(d.Start), d.Message, d.Rule))
		}
	}
	if len(left) > 0 {
		why := ""
		if len(skipped) > 0 {
			why = fmt.Sprintf(" (%d fixes overlapped others and were not applied)", len(skipped))
		}
		t.Errorf("%s: after the fixes%s, findings still have fixes:\n\t%s", file, why, strings.Join(left, "\n\t"))
	}
}

// positionText matches what in a message reads as a place in a file:
// "nginx.conf:3:5", "backends.toml:12:1", "line 7".
var positionText = regexp.MustCompile(`[\w.-]\.(conf|toml|types|params)\b:\d+(:\d+)?|/[\w.-]+:\d+:\d+|\blines? \d+\b`)

// MessageWithPosition returns the first message of d or of its related
// places that holds a position, or "". Positions are data: a rule
// reports other places as lint.Related, never in a message.
func MessageWithPosition(d lint.Diagnostic) string {
	msgs := []string{d.Message}
	for _, r := range d.Related {
		msgs = append(msgs, r.Message)
	}
	for _, m := range msgs {
		if positionText.MatchString(m) {
			return m
		}
	}
	return ""
}

// isOutput reports whether a section of a rule case is output.
func isOutput(name string) bool {
	return name == wantSection || strings.HasPrefix(name, fixedSection)
}

// caseConfig is how a case is linted: what the command line would do with
// the case's .nginxlint.toml and only the rule under test enabled.
type caseConfig struct {
	rules    []*lint.Rule
	prefix   string
	stock    string // the nginx package assumed, "" for the default
	manifest string // the manifest file, "" for the default lookup
	run      driver.Config
}

func newCaseConfig(t *testing.T, r *lint.Rule, all []*lint.Rule) *caseConfig {
	t.Helper()
	known := map[string]bool{r.ID: true}
	for _, x := range all {
		known[x.ID] = true
	}
	c := &caseConfig{rules: []*lint.Rule{r}, prefix: "/etc/nginx"}
	var file *config.File
	if _, err := os.Stat(config.Name); err == nil {
		if file, err = config.Load(config.Name, known, format.Names()); err != nil {
			t.Fatalf("%v", err)
		}
		if file.FailOn != "" || file.Format != "" || len(file.Disable) > 0 {
			t.Fatalf("%s: fail_on, format and rules.disable mean nothing in a rule case", config.Name)
		}
	}
	if file != nil {
		if file.Prefix != "" {
			c.prefix = file.Prefix
		}
		c.manifest = file.Manifest
		c.stock = file.Stock
		c.run.NginxVersion = file.NginxVersion
		c.run.Severity = file.Severity
		c.run.Modules = file.Modules
		c.run.Directives = file.Directives
		if len(file.Exclude) > 0 {
			c.run.Exclude = file.Excluded
		}
		if len(file.Enable) > 0 {
			if !slices.Contains(file.Enable, r.ID) {
				t.Fatalf("%s: [rules] enable must list the rule under test, %s", config.Name, r.ID)
			}
			c.rules = nil
			for _, x := range all {
				if slices.Contains(file.Enable, x.ID) {
					c.rules = append(c.rules, x)
				}
			}
		}
	}
	for _, x := range all {
		if !slices.Contains(c.rules, x) {
			c.run.Disabled = append(c.run.Disabled, x.ID)
		}
	}
	return c
}

// lint loads the tree and the manifest from the working directory and
// runs the case's rules.
func (c *caseConfig) lint(t *testing.T) []lint.Diagnostic {
	t.Helper()
	// The tree is read whole, as the command line reads it: the main
	// file and what it reaches, then every other file as a fragment; the
	// nginx package's files are assumed where the tree lacks them.
	known := func(name string) bool { return nginx.Lookup(name) != nil }
	trees, _, err := workspace.Find([]string{TreePath}, workspace.Options{Known: known}, nil)
	if err != nil {
		t.Fatalf("find: %v", err)
	}
	if len(trees) != 1 {
		t.Fatalf("%s holds %d trees, want 1", TreePath, len(trees))
	}
	ld, err := workspace.Load(trees[0], workspace.LoadOptions{Prefix: c.prefix, Stock: c.stock, Grammar: nginx.Grammar{}, Known: known})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	for _, err := range ld.Errors {
		t.Errorf("%v", err)
	}
	for _, tree := range ld.Trees {
		for _, p := range tree.ReadErrors {
			t.Errorf("%s: %s", p.File.Position(p.Start), p.Msg)
		}
		if len(tree.ReadErrors) > 0 {
			t.Fatalf("the tree was not read completely: a case about unreadable files belongs with the command line (internal/cli/testdata)")
		}
	}
	run := c.run
	mpath := c.manifest
	if mpath == "" {
		mpath = filepath.Join(TreePath, manifest.DefaultName)
	}
	data, err := os.ReadFile(mpath)
	switch {
	case err == nil:
		if run.Manifest, err = manifest.Parse(mpath, data); err != nil {
			t.Fatalf("%v\n(a case about an invalid manifest belongs with the command line, internal/cli/testdata)", err)
		}
		if run.NginxVersion == "" {
			run.NginxVersion = run.Manifest.Version
		}
	case c.manifest != "" || !errors.Is(err, fs.ErrNotExist):
		t.Fatalf("manifest: %v", err)
	}
	run.Apps = Apps(t, ".", TreePath, run.Manifest) // the apps it links, the compose files
	if v := run.NginxVersion; v != "" {
		if _, ok := nginx.ParseVersion(v); !ok {
			t.Fatalf("nginx version %q: write it as 1.22.1", v)
		}
	}
	diags, err := ld.Lint(func(tree *syntax.Tree) ([]lint.Diagnostic, error) { return driver.Run(tree, c.rules, run) }, true)
	if err != nil {
		t.Fatal(err)
	}
	return driver.Sort(diags)
}

// text renders findings as the command line prints them to a file.
func text(t *testing.T, diags []lint.Diagnostic, rules []*lint.Rule) string {
	t.Helper()
	var b bytes.Buffer
	if err := format.Text.Write(&b, &format.Report{Diagnostics: diags, Rules: rules}, format.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Parse reads a txtar archive.
func Parse(t *testing.T, file string) *txtar.Archive {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return ar
}

// WriteFiles writes the files of an archive into dir, except the sections
// for which skip returns true. A file named "LINK -> TARGET" becomes a
// symbolic link to TARGET; a name ending in "/" an empty directory.
func WriteFiles(t *testing.T, dir string, ar *txtar.Archive, skip func(name string) bool) {
	t.Helper()
	for _, f := range ar.Files {
		if skip != nil && skip(f.Name) {
			continue
		}
		name, target, link := strings.Cut(f.Name, " -> ")
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case link:
			err = os.Symlink(target, p)
		case strings.HasSuffix(name, "/"):
			err = os.MkdirAll(p, 0o755)
		default:
			err = os.WriteFile(p, f.Data, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Check compares the sections of an archive with got, by section name,
// and reports each that differs or is missing; with -update it rewrites
// them in file instead.
func Check(t *testing.T, file string, ar *txtar.Archive, got map[string]string) {
	t.Helper()
	check(t, file, ar, got, nil)
}

// check is Check where the sections for which output returns true are
// output too: such a section that got lacks is stale, and -update removes
// it. Rewritten archives keep their input files first, in their order,
// then the output sections: those named by a word (want, tree), in the
// archive's order, new ones by name; then those named by a path
// (fixed/PATH), by name.
func check(t *testing.T, file string, ar *txtar.Archive, got map[string]string, output func(string) bool) {
	t.Helper()
	isOut := func(name string) bool {
		_, ok := got[name]
		return ok || output != nil && output(name)
	}
	have := map[string]bool{}
	changed := false
	for _, f := range ar.Files {
		if !isOut(f.Name) {
			continue
		}
		have[f.Name] = true
		text, ok := got[f.Name]
		switch {
		case !ok:
			changed = true
			if !*update {
				t.Errorf("%s: section %q is not produced by the case; remove it (or run with -update)", file, f.Name)
			}
		case string(f.Data) != text:
			changed = true
			if !*update {
				t.Errorf("%s: section %q differs\n--- want\n%s--- got\n%s", file, f.Name, f.Data, text)
			}
		}
	}
	var added []string
	for name := range got {
		if !have[name] {
			added = append(added, name)
		}
	}
	slices.Sort(added)
	for _, name := range added {
		changed = true
		if !*update {
			t.Errorf("%s: no section %q; it would hold:\n%s", file, name, got[name])
		}
	}
	if !changed || !*update {
		return
	}
	var files, out []txtar.File
	for _, f := range ar.Files {
		switch text, ok := got[f.Name]; {
		case !isOut(f.Name):
			files = append(files, f)
		case ok:
			out = append(out, txtar.File{Name: f.Name, Data: []byte(text)})
		}
	}
	for _, name := range added {
		out = append(out, txtar.File{Name: name, Data: []byte(got[name])})
	}
	slices.SortStableFunc(out, func(a, b txtar.File) int {
		pa, pb := strings.Contains(a.Name, "/"), strings.Contains(b.Name, "/")
		switch {
		case pa != pb && pa:
			return 1
		case pa != pb:
			return -1
		case pa:
			return strings.Compare(a.Name, b.Name)
		}
		return 0
	})
	files = append(files, out...)
	ar.Files = files
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}
