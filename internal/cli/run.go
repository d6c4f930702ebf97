package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/safeio"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/lint/config"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/lint/format"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/stock"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/lint/workspace"
	"github.com/nginxlint/nginxlint/manifest"
)

// run lints the trees the paths belong to: the command's main flow.
func run(paths []string, o options, rules []*lint.Rule, env Env) int {
	verbosef := func(format string, args ...any) {
		if o.verbose {
			logf(env.Stderr, "nginxlint: "+format+"\n", args...)
		}
	}
	fail := func(format string, args ...any) int {
		logf(env.Stderr, "nginxlint: "+format+"\n", args...)
		o.out.failf(format, args...)
		return ExitFailure
	}
	if o.fix && o.diff {
		return fail("--fix and --diff exclude each other: --diff shows what --fix would write")
	}
	if o.context != "" && !slices.Contains(syntax.Contexts, o.context) {
		return fail("--context %q: must be one of %s", o.context, strings.Join(syntax.Contexts, ", "))
	}
	if slices.Contains(paths, "-") {
		if len(paths) > 1 {
			return fail("- (an nginx -T dump on standard input) cannot be mixed with other paths")
		}
		return runDump(o, rules, env)
	}

	// The program may tune itself to the stage of the run (the garbage
	// collector, see cmd/nginxlint).
	env = env.tracked()
	env.phase(Loading)
	defer env.phase(Done)

	known := knownRules(rules)
	loadCfg := func(path string) (*config.File, error) {
		if o.config != "" {
			// --config: the user's choice, wherever it is.
			return config.LoadNamed(path, known, format.Names())
		}
		return config.Load(path, known, format.Names())
	}
	trees, skips, err := workspace.Find(paths, workspace.Options{Root: o.root, Config: o.config, Known: model.LooksLikeDirective}, loadCfg)
	if err != nil {
		var pl poserr.List
		if errors.As(err, &pl) {
			logf(env.Stderr, "%v\n", err)
			o.out.failErr(err)
			return fail("the configuration file is invalid")
		}
		return fail("%v", err)
	}
	shown := map[string]bool{}
	for _, s := range skips {
		shown[s.Path] = true
		if s.Named {
			logf(env.Stderr, "nginxlint: %s: skipped: %s\n", s.Path, s.Why)
		} else {
			verbosef("%s: not linted: %s", s.Path, s.Why)
		}
	}
	if len(trees) == 0 {
		logf(env.Stderr, "nginxlint: no nginx configuration among the paths given; nothing to lint\n")
		return ExitClean
	}

	// Output settings are the run's, not a tree's: the configuration
	// files that apply must agree on them.
	cfgs := make([]*config.File, len(trees))
	for i, t := range trees {
		if t.Config != "" {
			if cfgs[i], err = loadCfg(t.Config); err != nil {
				return configFailure(err, &o, env)
			}
		}
	}
	for _, key := range []struct {
		flag string
		dst  *string
		get  func(*config.File) string
	}{
		{"format", &o.format, func(c *config.File) string { return c.Format }},
		{"fail-on", &o.failOn, func(c *config.File) string { return c.FailOn }},
	} {
		if o.set[key.flag] {
			continue
		}
		from := ""
		for _, c := range cfgs {
			if c == nil || key.get(c) == "" {
				continue
			}
			if from != "" && key.get(c) != *key.dst {
				return fail("%s and %s set different %s values (%q, %q); give --%s", from, c.Path, strings.ReplaceAll(key.flag, "-", "_"), *key.dst, key.get(c), key.flag)
			}
			from, *key.dst = c.Path, key.get(c)
		}
	}
	out, failOn, outOpts, err := o.output(&env)
	if err != nil {
		return fail("%v", err)
	}

	report := &format.Report{}
	var ran []*lint.Rule
	incomplete := false
	disabled := map[string]bool{}
	add := func(res *treeResult) {
		report.Diagnostics = append(report.Diagnostics, res.diags...)
		report.Files += res.loaded.Read
		report.Reached += res.loaded.Reached
		report.Fragments += res.loaded.Fragments
		incomplete = incomplete || res.incomplete
		if ran == nil {
			ran = res.rules
		}
		for _, id := range res.disabled {
			disabled[id] = true
		}
	}
	// --fix writes only once every tree was read completely: a tree read
	// in part could be "fixed" on a wrong picture of it (a definition in
	// the file that could not be read), and a run that stops halfway
	// leaves some trees written and others not.
	var pending []*treeResult
	var unread []string
	for i, t := range trees {
		res, code := lintTree(t, cfgs[i], o, rules, env, shown, verbosef)
		if code != 0 {
			return code
		}
		if res.fix == nil {
			add(res)
			continue
		}
		pending = append(pending, res)
		if res.incomplete {
			unread = append(unread, t.Root)
		}
	}
	if len(unread) > 0 {
		what := "the tree " + unread[0] + " was"
		if len(unread) > 1 {
			what = "the trees " + strings.Join(unread, ", ") + " were"
		}
		return fail("--fix wrote nothing: %s not read completely (see above), and fixes are written only when every tree is", what)
	}
	for _, p := range pending {
		res, code := p.fix()
		if code != 0 {
			return code
		}
		add(res)
	}
	report.Diagnostics = driver.Sort(report.Diagnostics)
	report.Rules = ran
	report.Disabled = slices.Sorted(maps.Keys(disabled))
	if code, done := o.adopt(&report.Diagnostics, incomplete, out, failOn, env); done {
		return code
	}
	if err := o.out.write(env, out, report, outOpts, o.diff); err != nil {
		return fail("writing output: %v", err)
	}
	o.flushNotes(env)
	if incomplete {
		logf(env.Stderr, "nginxlint: a tree was not read completely; the result is incomplete\n")
	}
	return exitCode(incomplete, report.Diagnostics, failOn)
}

// treeResult is what linting one tree found.
type treeResult struct {
	loaded     *workspace.Loaded
	diags      []lint.Diagnostic
	rules      []*lint.Rule
	disabled   []string // the IDs of the rules the configuration turned off
	incomplete bool
	// fix, set with --fix, writes the fixes and checks the tree again;
	// the caller calls it once every tree was read completely.
	fix func() (*treeResult, int)
}

// lintTree loads one tree with its configuration file and manifest,
// runs the rules on the main file's tree and on every fragment's, and
// keeps the findings in the named files. With --diff it shows the fixes;
// with --fix the result's fix writes them. A non-zero code ends the run.
func lintTree(t *workspace.Tree, cfg *config.File, o options, rules []*lint.Rule, env Env, shown map[string]bool, verbosef func(string, ...any)) (*treeResult, int) {
	fail := func(format string, args ...any) (*treeResult, int) {
		logf(env.Stderr, "nginxlint: "+format+"\n", args...)
		o.out.failf(format, args...)
		return nil, ExitFailure
	}
	for _, s := range t.ConfigSkipped {
		verbosef("%s", s)
	}
	if cfg != nil {
		o.applyConfig(cfg)
	}
	rules, disabled, severity := selectRules(rules, cfg, o, env.Stderr)
	maxRead, _ := parseSize(o.maxRead) // checked in Main
	lopt := workspace.LoadOptions{Prefix: o.prefix, Context: o.context, Stock: o.stock, Grammar: nginx.Grammar{}, Known: model.LooksLikeDirective, MaxRead: maxRead}
	// The tree is read while the manifest is: neither needs the other.
	// Whatever the outcome, the reading is waited for before returning.
	env.phase(Loading)
	type reading struct {
		ld  *workspace.Loaded
		err error
	}
	first := make(chan reading, 1)
	go func() {
		ld, err := workspace.Load(t, lopt)
		first <- reading{ld, err}
	}()
	firstTaken := false
	defer func() {
		if !firstTaken {
			<-first
		}
	}()
	mr := loadManifest(t.Root, o)
	if mr.err != "" {
		fmt.Fprint(env.Stderr, mr.err)
		o.out.errors = append(o.out.errors, mr.errs...)
		return nil, ExitFailure
	}
	version := o.version
	if version == "" && mr.m != nil {
		version = mr.m.Version
	}
	if version != "" {
		if _, ok := nginx.ParseVersion(version); !ok {
			return fail("--nginx-version %q: write it as 1.22.1", version)
		}
	}
	runCfg := driver.Config{Manifest: mr.m, NginxVersion: version, Severity: severity, Disabled: disabled}
	if cfg != nil {
		runCfg.Modules = cfg.Modules
		runCfg.Directives = cfg.Directives
		if len(cfg.Exclude) > 0 {
			runCfg.Exclude = cfg.Excluded
		}
	}
	var appsUnread bool // a file the manifest links could not be read: exit 2
	runCfg.Apps, appsUnread = loadApps(t.Root, mr, o, env.Stderr)

	load := func() (*treeResult, int) {
		env.phase(Loading)
		var ld *workspace.Loaded
		var err error
		if !firstTaken {
			r := <-first
			firstTaken, ld, err = true, r.ld, r.err
		} else {
			ld, err = workspace.Load(t, lopt) // again, after fixes
		}
		if err != nil {
			return fail("%v", err)
		}
		env.phase(Checking)
		res := &treeResult{loaded: ld, rules: rules, disabled: disabled, incomplete: appsUnread}
		res.diags, err = ld.Lint(func(st *syntax.Tree) ([]lint.Diagnostic, error) {
			for _, p := range st.ReadErrors {
				logf(env.Stderr, "nginxlint: %s: %s\n", p.File.Position(p.Start), p.Msg)
				o.out.failAt(p.File.Name, p.File.Position(p.Start).Line, p.File.Position(p.Start).Column, p.Msg)
				res.incomplete = true
			}
			return pathRules{cfg}.apply(driver.Run(st, rules, runCfg))
		}, o.all)
		if err != nil {
			return fail("%v\nnginxlint: this is a bug in nginxlint; please report it with the configuration that triggers it", err)
		}
		for _, err := range ld.Errors {
			logf(env.Stderr, "nginxlint: %v\n", err)
			o.out.failErr(err)
			res.incomplete = true
		}
		res.diags = driver.Sort(res.diags)
		return res, 0
	}
	res, code := load()
	if code != 0 {
		return nil, code
	}
	describeTree(res.loaded, cfg, mr, version, disabled, o, shown, env.Stderr, verbosef)
	describeApps(runCfg.Apps, verbosef)

	if !o.diff && !o.fix {
		return res, 0
	}
	edits, skipped := fix.Plan(o.notBaselined(res.diags))
	for _, d := range skipped {
		verbosef("%s: fix of [%s] not applied: it overlaps another fix (run again after this one), or another finding at the same place proposes a different one", d.File.Position(d.Start), d.Rule)
	}
	if o.diff {
		// The run writes the diff of every tree's fixes (outputs.write).
		return res, 0
	}
	res.fix = func() (*treeResult, int) {
		// A fix can uncover a finding another rule could not see before
		// (a proxy_pass given its scheme is then checked for timeouts):
		// fix, re-read and check again, until nothing changes. Nothing
		// is written on a reading that was not complete.
		fixed, files := 0, map[string]bool{}
		for round := 0; len(edits) > 0 && round < maxFixRounds; round++ {
			if res.incomplete {
				logf(env.Stderr, "nginxlint: %s: not read completely after the fixes so far; no further fix written\n", t.Root)
				break
			}
			if err := fix.Write(edits); err != nil {
				return fail("%v", err)
			}
			if fixedManifest(edits, mr) {
				// app-drift fixes the manifest: check against what it says now.
				if mr = loadManifest(t.Root, o); mr.err != "" {
					fmt.Fprint(env.Stderr, mr.err)
					o.out.errors = append(o.out.errors, mr.errs...)
					return nil, ExitFailure
				}
				runCfg.Manifest = mr.m
				runCfg.Apps, appsUnread = loadApps(t.Root, mr, o, io.Discard)
			}
			for _, e := range edits {
				fixed += len(e.Applied)
				files[e.File.Name] = true
			}
			if res, code = load(); code != 0 {
				return nil, code
			}
			edits, _ = fix.Plan(o.notBaselined(res.diags))
		}
		if fixed == 0 {
			logf(env.Stderr, "nginxlint: %s: nothing to fix\n", t.Root)
		} else {
			logf(env.Stderr, "nginxlint: %s: fixed %s in %s\n", t.Root, plural(fixed, "finding"), plural(len(files), "file"))
		}
		return res, 0
	}
	return res, 0
}

// describeTree says, with -v, how a tree was found and read.
func describeTree(ld *workspace.Loaded, cfg *config.File, mr manifestResult, version string, disabled []string, o options, shown map[string]bool, stderr io.Writer, verbosef func(string, ...any)) {
	verbosef("tree %s (%s)", ld.Root, ld.How)
	if cfg != nil {
		verbosef("  configuration: %s", cfg.Path)
	} else {
		verbosef("  configuration: none")
	}
	if len(disabled) > 0 {
		verbosef("  rules turned off by %s: %s", rulesKeys(cfg, o), strings.Join(disabled, ", "))
	}
	verbosef("  %s", mr.note)
	verbosef("  target nginx version: %s", orDefault(version, fmt.Sprintf("not given (the directive rules take the newest the table covers, %s; upstream-keepalive assumes one older than 1.29.7)", nginx.Newest())))
	set := orDefault(o.stock, stock.Default)
	verbosef("  package files assumed where the tree lacks them: %s", orDefault(stock.Describe(set), "none (stock = \"none\")"))
	main := "no " + workspace.MainName
	if ld.Main != "" {
		main = fmt.Sprintf("%d loaded by %s", ld.Reached, ld.Trees[0].Main.Name)
	}
	verbosef("  read %s: %s, %d linted as fragments", plural(ld.Read, "file"), main, ld.Fragments)
	for _, st := range ld.Trees {
		how := "given by --context"
		if st.Inferred {
			how = "inferred from its content"
		}
		role := "main file"
		if st.Fragment {
			role = "fragment"
		}
		verbosef("  %s: %s, read in %s context (%s)", st.Main.Name, role, st.Context, how)
	}
	for _, s := range ld.Skipped {
		switch {
		case s.Named:
			logf(stderr, "nginxlint: %s: skipped: %s\n", s.Path, s.Why)
		case !shown[s.Path]:
			verbosef("  %s: not linted: %s", s.Path, s.Why)
		}
	}
}

// runDump lints an nginx -T dump read from standard input.
func runDump(o options, rules []*lint.Rule, env Env) int {
	fail := func(format string, args ...any) int {
		logf(env.Stderr, "nginxlint: "+format+"\n", args...)
		o.out.failf(format, args...)
		return ExitFailure
	}
	var cfg *config.File
	if o.config != "" {
		var err error
		if cfg, err = config.LoadNamed(o.config, knownRules(rules), format.Names()); err != nil {
			return configFailure(err, &o, env)
		}
		o.applyConfig(cfg)
		if !o.set["format"] && cfg.Format != "" {
			o.format = cfg.Format
		}
		if !o.set["fail-on"] && cfg.FailOn != "" {
			o.failOn = cfg.FailOn
		}
	}
	if o.fix {
		return fail("--fix cannot write to a dump read from standard input; run it on the tree's directory")
	}
	out, failOn, outOpts, err := o.output(&env)
	if err != nil {
		return fail("%v", err)
	}
	rules, disabled, severity := selectRules(rules, cfg, o, env.Stderr)
	if len(disabled) > 0 {
		verbosef := func(format string, args ...any) {
			if o.verbose {
				logf(env.Stderr, "nginxlint: "+format+"\n", args...)
			}
		}
		verbosef("rules turned off by %s: %s", rulesKeys(cfg, o), strings.Join(disabled, ", "))
	}
	env.phase(Loading)
	defer env.phase(Done)
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "-", Stdin: env.Stdin, Prefix: o.prefix, Context: o.context})
	if err != nil {
		return fail("%v", err)
	}
	env.phase(Checking)
	mr := loadManifest("-", o)
	if mr.err != "" {
		fmt.Fprint(env.Stderr, mr.err)
		o.out.errors = append(o.out.errors, mr.errs...)
		return ExitFailure
	}
	runCfg := driver.Config{Manifest: mr.m, NginxVersion: o.version, Severity: severity, Disabled: disabled}
	if cfg != nil {
		runCfg.Modules, runCfg.Directives = cfg.Modules, cfg.Directives
	}
	// The apps the manifest links are read beside it, as for a tree.
	var appsUnread bool
	runCfg.Apps, appsUnread = loadApps("-", mr, o, env.Stderr)
	if runCfg.NginxVersion == "" && mr.m != nil {
		runCfg.NginxVersion = mr.m.Version
	}
	diags, err := pathRules{cfg}.apply(driver.Run(tree, rules, runCfg))
	if err != nil {
		return fail("%v", err)
	}
	for _, p := range tree.ReadErrors {
		logf(env.Stderr, "nginxlint: %s: %s\n", p.File.Position(p.Start), p.Msg)
		o.out.failAt(p.File.Name, p.File.Position(p.Start).Line, p.File.Position(p.Start).Column, p.Msg)
	}
	incomplete := len(tree.ReadErrors) > 0 || appsUnread
	if code, done := o.adopt(&diags, incomplete, out, failOn, env); done {
		return code
	}
	if err := o.out.write(env, out, &format.Report{Diagnostics: diags, Files: len(tree.Files), Reached: len(tree.Files), Rules: rules, Disabled: disabled}, outOpts, o.diff); err != nil {
		return fail("writing output: %v", err)
	}
	o.flushNotes(env)
	return exitCode(incomplete, diags, failOn)
}

// maxFixRounds bounds --fix's fix-and-check-again loop.
const maxFixRounds = 5

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// exitCode decides the exit status: 2 when a tree was not read
// completely, whatever was found, else 1 for a finding at or above
// failOn.
func exitCode(incomplete bool, diags []lint.Diagnostic, failOn lint.Severity) int {
	if incomplete {
		return ExitFailure
	}
	for _, d := range diags {
		if d.Severity >= failOn {
			return ExitFindings
		}
	}
	return ExitClean
}

// isTerminal reports whether w is a terminal: an *os.File that answers
// as one (see safeio.IsTerminal); /dev/null, a character device, is not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && safeio.IsTerminal(f)
}

// useColor reports whether terminal output should be coloured: unless
// NO_COLOR is set and not empty (https://no-color.org) or TERM is
// "dumb".
func useColor(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// knownRules returns the IDs of rules, for the configuration file.
func knownRules(rules []*lint.Rule) map[string]bool {
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	return known
}

// applyConfig takes the configuration file's values for the flags that
// were not given.
// output returns how the run prints its findings: the format, the
// level that fails the run, and the format's options; env.Stdout is
// wrapped to the terminal's width when the output is laid out for one.
func (o *options) output(env *Env) (*format.Format, lint.Severity, format.Options, error) {
	failOn, err := lint.ParseSeverity(o.failOn)
	if err != nil {
		return nil, 0, format.Options{}, fmt.Errorf("--fail-on: %w", err)
	}
	out := format.Lookup(o.format)
	if out == nil {
		return nil, 0, format.Options{}, fmt.Errorf("--format %q: use one of %s", o.format, strings.Join(format.Names(), ", "))
	}
	opts := format.Options{Terminal: isTerminal(env.Stdout)}
	opts.Terminal, opts.Color = o.colorMode(opts.Terminal, env.getenv)
	env.Stdout = withWidth(env.Stdout, opts.Terminal, env.getenv)
	return out, failOn, opts, nil
}

func (o *options) applyConfig(c *config.File) {
	take := func(flag string, dst *string, v string) {
		if v != "" && !o.set[flag] {
			*dst = v
		}
	}
	if c.Manifest != "" && !o.set["manifest"] {
		// The manifest key is the tree's word, even in a file --config
		// names: it is read only inside the configuration's repository
		// (or, outside any, its directory).
		o.manifest, o.manifestWithin = c.Manifest, read.Scope(filepath.Dir(c.Path))
	}
	take("prefix", &o.prefix, c.Prefix)
	take("nginx-version", &o.version, c.NginxVersion)
	take("stock", &o.stock, c.Stock)
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
	errs []format.RunError // err, for the machine formats (outputs)
}

// loadManifest loads the manifest named by --manifest (or the
// configuration file), or the default one in the tree's root when it
// exists. Only --manifest may name a file anywhere; the others are the
// tree's and are read only inside its repository (see safeio.Scope).
// Whichever it is, it is read only as a regular file, within the size
// limit of configuration files.
func loadManifest(root string, o options) manifestResult {
	file, within := o.manifest, o.manifestWithin
	if file == "" {
		if root == "-" {
			return manifestResult{note: "no manifest given (--manifest): rules that need one are skipped"}
		}
		cand := filepath.Join(root, manifest.DefaultName)
		if _, err := os.Lstat(cand); errors.Is(err, fs.ErrNotExist) {
			return manifestResult{note: fmt.Sprintf("no manifest (no --manifest and no %s): rules that need one are skipped", cand)}
		}
		file, within = cand, read.Scope(root)
	}
	data, err := safeio.ReadFile(file, within, syntax.MaxFileSize)
	if err != nil {
		hint := ""
		if errors.Is(err, safeio.ErrOutside) {
			hint = "; a manifest the tree or its configuration names is read only inside the repository: give --manifest for one elsewhere"
		}
		return manifestResult{err: logSprintf("nginxlint: cannot read manifest %s: %v%s\n", file, err, hint), errs: []format.RunError{{File: file, Message: fmt.Sprintf("cannot read manifest %s: %v%s", file, err, hint)}}}
	}
	m, err := manifest.Parse(file, data)
	if err != nil {
		var errs outputs
		errs.failErr(err)
		errs.failAt(file, 0, 0, fmt.Sprintf("the manifest %s is invalid; fix it or point --manifest at another file", file))
		return manifestResult{err: logSprintf("%v\nnginxlint: the manifest %s is invalid; fix it or point --manifest at another file\n", err, file), errs: errs.errors}
	}
	return manifestResult{m: m, note: fmt.Sprintf("manifest: %s (%d backends)", file, len(m.Backends))}
}
