package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/config"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/lint/format"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// run lints one tree: the command's main flow.
func run(path string, o options, rules []*lint.Rule, env Env) int {
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
	failOn, err := lint.ParseSeverity(o.failOn)
	if err != nil {
		return fail("--fail-on: %v", err)
	}
	out := format.Lookup(o.format)
	if out == nil {
		return fail("--format %q: use one of %s", o.format, strings.Join(format.Names(), ", "))
	}
	outOpts := format.Options{Terminal: isTerminal(env.Stdout)}
	outOpts.Color = outOpts.Terminal && useColor(env.getenv)
	rules, disabled, severity := selectRules(rules, cfg)

	// The program may tune itself to the stage of the run (the garbage
	// collector, see cmd/nginxlint).
	env.phase(Loading)
	defer env.phase(Done)

	// The manifest does not depend on the tree: read both at once.
	mc := make(chan manifestResult, 1)
	go func() { mc <- loadManifest(path, o) }()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: path, Stdin: env.Stdin, Prefix: o.prefix, Context: o.context})
	mr := <-mc
	if err != nil {
		return fail("%v", err)
	}
	env.phase(Checking)
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
		if _, ok := nginx.ParseVersion(version); !ok {
			return fail("--nginx-version %q: write it as 1.22.1", version)
		}
	}
	verbosef("target nginx version: %s", orDefault(version, fmt.Sprintf("not given (the directive rules take the newest the table covers, %s; upstream-keepalive assumes one older than 1.29.7)", nginx.Newest())))

	runCfg := driver.Config{Manifest: m, NginxVersion: version, Severity: severity, Disabled: disabled}
	if cfg != nil {
		runCfg.Modules = cfg.Modules
		runCfg.Directives = cfg.Directives
		if len(cfg.Exclude) > 0 {
			runCfg.Exclude = cfg.Excluded
		}
	}
	diags, err := driver.Run(tree, rules, runCfg)
	if err != nil {
		return fail("%v\nnginxlint: this is a bug in nginxlint; please report it with the configuration that triggers it", err)
	}

	if o.diff || o.fix {
		edits, skipped := fix.Plan(diags)
		for _, d := range skipped {
			verbosef("%s: fix of [%s] not applied: it overlaps another fix; run again after this one", d.File.Position(d.Start), d.Rule)
		}
		if o.diff {
			if _, err := io.WriteString(env.Stdout, fix.UnifiedDiff(edits)); err != nil {
				return fail("writing output: %v", err)
			}
			return exitCode(tree, diags, failOn, env)
		}
		// A fix can uncover a finding another rule could not see before
		// (a proxy_pass given its scheme is then checked for timeouts):
		// fix, re-read and check again, until nothing changes.
		fixed, files := 0, map[string]bool{}
		for round := 0; len(edits) > 0 && round < maxFixRounds; round++ {
			if err := fix.Write(edits); err != nil {
				return fail("%v", err)
			}
			for _, e := range edits {
				fixed += len(e.Applied)
				files[e.File.Name] = true
			}
			if tree, err = syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: path, Prefix: o.prefix, Context: o.context}); err != nil {
				return fail("%v", err)
			}
			if diags, err = driver.Run(tree, rules, runCfg); err != nil {
				return fail("%v", err)
			}
			edits, _ = fix.Plan(diags)
		}
		if fixed == 0 {
			fmt.Fprintf(env.Stderr, "nginxlint: nothing to fix\n")
		} else {
			fmt.Fprintf(env.Stderr, "nginxlint: fixed %s in %s\n", plural(fixed, "finding"), plural(len(files), "file"))
		}
	}

	if err := out.Write(env.Stdout, &format.Report{Diagnostics: diags, Files: len(tree.Files), Rules: rules}, outOpts); err != nil {
		return fail("writing output: %v", err)
	}
	return exitCode(tree, diags, failOn, env)
}

// maxFixRounds bounds --fix's fix-and-check-again loop.
const maxFixRounds = 5

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// exitCode reports read errors, which make the run fail whatever was
// found, then decides between 0 and 1.
func exitCode(tree *syntax.Tree, diags []lint.Diagnostic, failOn lint.Severity, env Env) int {
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

// isTerminal reports whether w is a terminal: an *os.File that is a
// character device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// useColor reports whether terminal output should be coloured: unless
// NO_COLOR is set and not empty (https://no-color.org) or TERM is
// "dumb".
func useColor(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// loadFileConfig reads the configuration file named by --config, or the
// nearest .nginxlint.toml; nil when there is none.
func loadFileConfig(o options, rules []*lint.Rule) (*config.File, error) {
	path := o.config
	if path == "" {
		found, err := config.Find(".")
		if err != nil || found == "" {
			return nil, err
		}
		path = found
	}
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	return config.Load(path, known, format.Names())
}

// applyConfig takes the configuration file's values for the flags that
// were not given.
func (o *options) applyConfig(c *config.File) {
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
func selectRules(rules []*lint.Rule, c *config.File) (run []*lint.Rule, disabled []string, severity map[string]lint.Severity) {
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
		cand := filepath.Join(dir, manifest.DefaultName)
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
