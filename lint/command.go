package lint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// writers are the output formats, by name.
var writers = map[string]func(io.Writer, *Report) error{
	"text":       WriteText,
	"json":       WriteJSON,
	"sarif":      WriteSARIF,
	"github":     WriteGitHub,
	"checkstyle": WriteCheckstyle,
}

// run lints one tree: the command's main flow.
func run(path string, o options, rules []*Rule, env Env) int {
	verbosef := func(format string, args ...any) {
		if o.verbose {
			fmt.Fprintf(env.Stderr, "nginxlint: "+format+"\n", args...)
		}
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(env.Stderr, "nginxlint: "+format+"\n", args...)
		return ExitFailure
	}

	// The configuration file gives defaults; flags override it.
	cfg, err := loadFileConfig(o, rules)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%v\n", err)
		return fail("the configuration file is invalid")
	}
	if cfg != nil {
		verbosef("configuration: %s", cfg.Path)
		o.applyConfig(cfg)
	}
	if o.fix && o.diff {
		return fail("--fix and --diff exclude each other: --diff shows what --fix would write")
	}
	failOn, err := ParseSeverity(o.failOn)
	if err != nil {
		return fail("--fail-on: %v", err)
	}
	write, ok := writers[o.format]
	if !ok {
		return fail("--format %q: use one of %s", o.format, strings.Join(Formats, ", "))
	}
	if o.format == "text" {
		write = textWriter(env.Stdout)
	}
	rules, disabled, severity := selectRules(rules, cfg)

	// While the tree is read nearly everything allocated stays (the
	// files' text, the parsed tables), so collecting garbage is mostly
	// wasted work: collect rarely. Once it is read, the run mostly reads
	// what it holds and what it allocates is short-lived: collect often,
	// which keeps peak memory near the live data (see the Performance
	// section of the README). GOGC in the environment wins.
	tuneGC := os.Getenv("GOGC") == ""
	if tuneGC {
		defer debug.SetGCPercent(debug.SetGCPercent(gcPercentLoading))
	}

	// The manifest does not depend on the tree: read both at once.
	mc := make(chan manifestResult, 1)
	go func() { mc <- loadManifest(path, o) }()
	tree, err := syntax.Load(syntax.Options{Path: path, Stdin: env.Stdin, Prefix: o.prefix, Context: o.context})
	mr := <-mc
	if err != nil {
		return fail("%v", err)
	}
	if tuneGC {
		debug.SetGCPercent(gcPercentAfterLoad)
	}
	how := "given by --context"
	if tree.Inferred {
		how = "inferred from its content; use --context to choose another"
	}
	verbosef("read %d files; %s is read in %s context (%s)", len(tree.Files), tree.Main.Name, tree.Context, how)
	if mr.err != "" {
		fmt.Fprint(env.Stderr, mr.err)
		return ExitFailure
	}
	verbosef("%s", mr.note)
	m := mr.m
	version := o.version
	if version == "" && m != nil {
		version = m.Version
	}
	if version != "" {
		if _, ok := parseVersion(version); !ok {
			return fail("--nginx-version %q: write it as 1.22.1", version)
		}
	}
	verbosef("target nginx version: %s", orDefault(version, "not given (rules assume a version older than 1.29.7)"))

	runCfg := Config{Manifest: m, NginxVersion: version, Severity: severity}
	diags, err := check(tree, rules, disabled, runCfg, cfg)
	if err != nil {
		return fail("%v\nnginxlint: this is a bug in nginxlint; please report it with the configuration that triggers it", err)
	}

	if o.diff || o.fix {
		edits, skipped := PlanFixes(diags)
		for _, d := range skipped {
			verbosef("%s: fix of [%s] not applied: it overlaps another fix; run again after this one", d.File.Position(d.Start), d.Rule)
		}
		if o.diff {
			if _, err := io.WriteString(env.Stdout, UnifiedDiff(edits)); err != nil {
				return fail("writing output: %v", err)
			}
			return exitCode(tree, diags, failOn, env)
		}
		// A fix can uncover a finding another rule could not see before
		// (a proxy_pass given its scheme is then checked for timeouts):
		// fix, re-read and check again, until nothing changes.
		fixed, files := 0, map[string]bool{}
		for round := 0; len(edits) > 0 && round < maxFixRounds; round++ {
			if err := WriteFixes(edits); err != nil {
				return fail("%v", err)
			}
			for _, e := range edits {
				fixed += len(e.Applied)
				files[e.File.Name] = true
			}
			if tree, err = syntax.Load(syntax.Options{Path: path, Prefix: o.prefix, Context: o.context}); err != nil {
				return fail("%v", err)
			}
			if diags, err = check(tree, rules, disabled, runCfg, cfg); err != nil {
				return fail("%v", err)
			}
			edits, _ = PlanFixes(diags)
		}
		if fixed == 0 {
			fmt.Fprintf(env.Stderr, "nginxlint: nothing to fix\n")
		} else {
			fmt.Fprintf(env.Stderr, "nginxlint: fixed %s in %s\n", plural(fixed, "finding"), plural(len(files), "file"))
		}
	}

	if err := write(env.Stdout, &Report{Diagnostics: diags, Files: len(tree.Files), Rules: rules}); err != nil {
		return fail("writing output: %v", err)
	}
	return exitCode(tree, diags, failOn, env)
}

// The garbage collector's GOGC while the tree is read (a collection
// each time the heap grows fivefold) and once it is read (each time it
// grows by a fifth).
const (
	gcPercentLoading   = 400
	gcPercentAfterLoad = 20
)

// maxFixRounds bounds --fix's fix-and-check-again loop.
const maxFixRounds = 5

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// check runs the rules, applies the suppression comments and drops the
// findings in excluded files. disabled are the IDs of rules the
// configuration turned off: suppressions may still name them.
func check(tree *syntax.Tree, rules []*Rule, disabled []string, cfg Config, fc *FileConfig) ([]Diagnostic, error) {
	diags, err := Run(tree, rules, cfg)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	ignoreSeverity := IgnoreRule.Severity
	for _, r := range rules {
		known[r.ID] = !r.NeedsManifest || cfg.Manifest != nil
		if r == IgnoreRule {
			if s, ok := cfg.Severity[r.ID]; ok {
				ignoreSeverity = s
			}
		}
	}
	for _, id := range disabled {
		known[id] = false
	}
	diags = ApplySuppressions(tree.Files, diags, known, ignoreSeverity)
	if fc != nil && len(fc.Exclude) > 0 {
		out := diags[:0]
		for _, d := range diags {
			if !fc.Excluded(d.File.Name) {
				out = append(out, d)
			}
		}
		diags = out
	}
	return diags, nil
}

// exitCode reports read errors, which make the run fail whatever was
// found, then decides between 0 and 1.
func exitCode(tree *syntax.Tree, diags []Diagnostic, failOn Severity, env Env) int {
	if len(tree.ReadErrors) > 0 {
		for _, p := range tree.ReadErrors {
			fmt.Fprintf(env.Stderr, "nginxlint: %s: %s\n", p.File.Position(p.Start), p.Msg)
		}
		fmt.Fprintf(env.Stderr, "nginxlint: the tree was not read completely; the result is incomplete\n")
		return ExitFailure
	}
	for _, d := range diags {
		if d.Severity >= failOn {
			return ExitFindings
		}
	}
	return ExitClean
}

// textWriter prints plain lines when the output is a file or a pipe, and
// the source line with a caret, hints and a summary on a terminal.
func textWriter(w io.Writer) func(io.Writer, *Report) error {
	if !isTerminal(w) {
		return WriteText
	}
	color := UseColor(w)
	return func(w io.Writer, r *Report) error { return WritePretty(w, r, PrettyOptions{Color: color}) }
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// loadFileConfig reads the configuration file named by --config, or the
// nearest .nginxlint.toml; nil when there is none.
func loadFileConfig(o options, rules []*Rule) (*FileConfig, error) {
	path := o.config
	if path == "" {
		found, err := FindConfig(".")
		if err != nil || found == "" {
			return nil, err
		}
		path = found
	}
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	return LoadConfig(path, known, Formats)
}

// applyConfig takes the configuration file's values for the flags that
// were not given.
func (o *options) applyConfig(c *FileConfig) {
	take := func(flag string, dst *string, v string) {
		if v != "" && !o.set[flag] {
			*dst = v
		}
	}
	take("manifest", &o.manifest, c.Manifest)
	take("prefix", &o.prefix, c.Prefix)
	take("nginx-version", &o.version, c.NginxVersion)
	take("fail-on", &o.failOn, c.FailOn)
	take("format", &o.format, c.Format)
}

// selectRules applies the configuration's enable and disable lists: it
// returns the rules to run, the IDs of those turned off, and the severity
// overrides.
func selectRules(rules []*Rule, c *FileConfig) (run []*Rule, disabled []string, severity map[string]Severity) {
	if c == nil {
		return rules, nil, nil
	}
	on := map[string]bool{}
	for _, id := range c.Enable {
		on[id] = true
	}
	off := map[string]bool{}
	for _, id := range c.Disable {
		off[id] = true
	}
	for _, r := range rules {
		if off[r.ID] || len(on) > 0 && !on[r.ID] {
			disabled = append(disabled, r.ID)
			continue
		}
		run = append(run, r)
	}
	return run, disabled, c.Severity
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// manifestResult is what loadManifest found: a manifest, or none (note
// says why), or an error to print before exit 2.
type manifestResult struct {
	m    *manifest.Manifest
	note string
	err  string
}

// loadManifest loads the manifest named by --manifest, or the default one
// in the tree's directory when it exists.
func loadManifest(path string, o options) manifestResult {
	file := o.manifest
	if file == "" {
		if path == "-" {
			return manifestResult{note: "no manifest given (--manifest): rules that need one are skipped"}
		}
		dir := path
		if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
			dir = filepath.Dir(path)
		}
		cand := filepath.Join(dir, DefaultManifest)
		if _, err := os.Stat(cand); err != nil {
			return manifestResult{note: fmt.Sprintf("no manifest (no --manifest and no %s): rules that need one are skipped", cand)}
		}
		file = cand
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return manifestResult{err: fmt.Sprintf("nginxlint: cannot read manifest %s: %v\n", file, pathErr(err))}
	}
	m, err := manifest.Parse(file, data)
	if err != nil {
		return manifestResult{err: fmt.Sprintf("%v\nnginxlint: the manifest %s is invalid; fix it or point --manifest at another file\n", err, file)}
	}
	return manifestResult{m: m, note: fmt.Sprintf("manifest: %s (%d backends)", file, len(m.Backends))}
}

// pathErr strips the path from an *fs.PathError: messages name the path
// themselves.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
