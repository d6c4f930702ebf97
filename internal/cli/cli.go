// Package cli is the nginxlint command: its flags and subcommands, the
// configuration file merged with the flags, the --fix and --diff loop,
// and the exit codes. cmd/nginxlint is a thin main around Main.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/nginxlint/nginxlint/internal/lsp"
	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/config"
	"github.com/nginxlint/nginxlint/lint/format"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/ruledoc"
	"github.com/nginxlint/nginxlint/lint/stock"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/lint/workspace"
	"github.com/nginxlint/nginxlint/manifest"
	"github.com/nginxlint/nginxlint/manifest/draft"
)

// Exit codes.
const (
	ExitClean    = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitFailure  = 2 // nginxlint could not do its job
)

const usage = `nginxlint checks an nginx configuration tree for what makes nginx answer
502 or refuse to start, and checks its upstream targets against a backend
manifest. It reads only the files of the trees it is given.

Usage:
  nginxlint [flags] PATH...   lint each PATH in its tree and report the
                              findings in it: the tree's directory (it holds
                              nginx.conf), files of it, or a directory of trees
  nginxlint [flags] -         lint the output of "nginx -T" read from stdin
  nginxlint rules [--format json]
                              list the rules (json: id, title, severity,
                              needs_manifest, fixable, url)
  nginxlint explain RULE      print a rule's documentation and examples
  nginxlint manifest init [--apps DIR] PATH
                              draft a backend manifest from the tree's targets
                              (--apps: from the app configurations under DIR)
  nginxlint version           print the version, the Go version and the VCS
                              revision nginxlint was built from (--version)
  nginxlint baseline write FILE [PATH...]
                              record today's findings in FILE; then
                              --baseline FILE reports only the new ones
  nginxlint suppress --reason TEXT [PATH...]
                              write "# nginxlint:ignore RULE TEXT" above the
                              directive of each finding (ruff's --add-noqa)
  nginxlint lsp               run as a language server for editors (LSP on
                              stdin and stdout; see 'nginxlint lsp --help')
  The baseline and suppress commands lint as nginxlint PATH... does (PATH
  defaults to .) and take its flags: --select, --ignore, --config ...

A path's tree is the nearest directory holding nginx.conf, the root set in
.nginxlint.toml, --root, or the parent of sites-available/, conf.d/ ...
The whole tree is read: files nginx.conf does not load are linted on their
own, as fragments; files that are not nginx configuration are skipped.

Flags:
`

const usageTail = `
Environment:
  NO_COLOR   when set and not empty, text output on a terminal has no
             colour (as with TERM=dumb); --color=always overrides it
  FORCE_COLOR
             when set and not empty (and NO_COLOR is not), text output is
             in colour and in the terminal layout even into a pipe or a
             file; --color=never overrides it
  COLUMNS    the width the terminal layout wraps to (default: the
             terminal's)
  GOGC       when set, the garbage collector keeps it; otherwise nginxlint
             collects rarely while reading the tree and often after, which
             keeps peak memory within about a fifth of what the run holds

Exit status:
  0  no finding shown at or above --fail-on
  1  findings shown at or above --fail-on (those --severity or --baseline
     hide fail nothing)
  2  nginxlint could not do its job: bad usage, a file it could not read,
     an invalid manifest
  On exit 2 the machine formats still write a whole document that says the
  run failed and why (SARIF: executionSuccessful false and
  toolExecutionNotifications; json: "errors"; checkstyle, gitlab, junit
  and github: an error entry), on standard output and in each --output.
`

// Env is what a run reads and writes besides its arguments.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (NO_COLOR, TERM); nil reads an empty
	// one.
	Getenv func(string) string
	// Phase, when set, is told when the run starts reading the tree and
	// when the tree is read: the process-wide policy (the garbage
	// collector's settings) belongs to the program, not to Main.
	Phase func(Phase)
	// Version is the release version the program was linked with
	// (cmd/nginxlint's main.version, set by -ldflags -X); "" reads it
	// from the build information (see readBuildVersion).
	Version string
}

// Phase is a stage of a run.
type Phase int

// The stages a run goes through, for Env.Phase.
const (
	// Loading: the tree is being read; nearly everything allocated stays.
	Loading Phase = iota + 1
	// Checking: the tree is read; what the run allocates is short-lived.
	Checking
	// Done: the run is over (whether it succeeded or not).
	Done
)

func (e Env) getenv(key string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(key)
}

func (e Env) phase(p Phase) {
	if e.Phase != nil {
		e.Phase(p)
	}
}

// tracked returns env telling Phase only of changes: a run of several
// trees reads and checks each in turn, and says so once a change.
func (e Env) tracked() Env {
	if e.Phase == nil {
		return e
	}
	var cur Phase
	tell := e.Phase
	e.Phase = func(p Phase) {
		if p != cur {
			cur = p
			tell(p)
		}
	}
	return e
}

type options struct {
	format   string
	failOn   string
	manifest string
	prefix   string
	context  string
	version  string
	config   string
	root     string
	stock    string
	maxRead  string
	all      bool
	verbose  bool
	fix      bool
	diff     bool
	set      map[string]bool // flags given on the command line
	out      *outputs        // --output, and what the run writes (output.go)

	// --select, --ignore, --severity, --baseline, --statistics, --color
	// and the baseline and suppress commands (select.go).
	extraOptions

	// manifestWithin is the directory the manifest must be in when a
	// configuration file names it ("" for --manifest: anywhere); see
	// loadManifest.
	manifestWithin string
}

// Main runs the nginxlint command with args (without the program name)
// and returns its exit code.
func Main(args []string, rules []*lint.Rule, env Env) int {
	// What nginxlint says on stderr names files and quotes the tree: it
	// is shown, never obeyed by the terminal.
	env.Stderr = safeWriter{env.Stderr}
	if err := lint.Validate(rules); err != nil {
		logf(env.Stderr, "nginxlint: %v\n", err)
		return ExitFailure
	}
	if len(args) > 0 {
		switch args[0] {
		case "version":
			return versionCommand(args[1:], env)
		case "rules":
			return listRules(rules, args[1:], env)
		case "explain":
			return explain(rules, args[1:], env)
		case "manifest":
			if len(args) < 2 || args[1] != "init" {
				if len(args) >= 2 && textutil.Closest(args[1], []string{"init"}) != "" {
					logf(env.Stderr, "nginxlint: manifest %s: did you mean 'nginxlint manifest init'?\n", args[1])
				}
				logf(env.Stderr, "usage: nginxlint manifest init [--apps DIR] [--prefix DIR] [--context C] [--nginx-version V] PATH > backends.toml\n")
				return ExitFailure
			}
			return manifestInit(args[2:], env)
		case "baseline", "suppress":
			return adoptCommand(args, rules, env)
		case "lsp":
			return lsp.Main(args[1:], rules, lsp.Env{Stdin: env.Stdin, Stdout: env.Stdout, Stderr: env.Stderr, Version: readBuildVersion(env.Version).Version})
		}
	}
	return lintCommand(args, rules, env, subcommand{})
}

// lintCommand lints the PATHs of args with its flags; sub, when set, is
// the baseline or suppress command that records the findings instead of
// reporting them.
func lintCommand(args []string, rules []*lint.Rule, env Env, sub subcommand) int {
	var o options
	o.sub = sub
	fs := flag.NewFlagSet("nginxlint", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // flagProblem says what is wrong
	fs.StringVar(&o.format, "format", "text", "output `format`: "+strings.Join(format.Names(), ", "))
	fs.StringVar(&o.failOn, "fail-on", "warning", "exit 1 when a finding has this `severity` or a higher one: error, warning, info")
	fs.StringVar(&o.manifest, "manifest", "", "backend manifest `file` (TOML); default: "+manifest.DefaultName+" in the tree's directory, when present")
	fs.StringVar(&o.prefix, "prefix", "/etc/nginx", "the absolute `directory` the tree stands for: absolute include paths under it resolve inside the tree")
	fs.StringVar(&o.context, "context", "", "read the named fragments (files nginx.conf does not load, or trees without one) in this `context`: "+strings.Join(syntax.Contexts, ", ")+" (default: inferred from each one's content)")
	fs.StringVar(&o.version, "nginx-version", "", "the nginx `version` the tree runs on, e.g. 1.22.1 (default: version in the manifest's [nginx] table or the configuration file; without one, directives are checked against the newest nginx nginxlint knows)")
	fs.StringVar(&o.config, "config", "", "configuration `file` for every tree (default: "+config.Name+" in the tree's directory or the nearest parent, up to the repository's root)")
	fs.StringVar(&o.root, "root", "", "the tree's `directory` (the one that stands for --prefix) for every PATH, when it holds no nginx.conf (default: the nearest directory holding nginx.conf, the root in "+config.Name+", or the parent of sites-available/, conf.d/ ...)")
	fs.StringVar(&o.stock, "stock", "", "the nginx package (`set`) the deploy host has, whose files (mime.types, fastcgi_params ...) are assumed where the tree lacks them: "+strings.Join(stock.Sets(), ", ")+" (default: stock in "+config.Name+", else "+stock.Default+")")
	fs.StringVar(&o.maxRead, "max-read", "1GiB", "the most bytes nginxlint reads from a tree's files in all (`size`: 512MiB, 2GiB ...): past it the run is incomplete, exit 2")
	fs.BoolVar(&o.all, "all", false, "report the findings of the whole tree of each PATH, not only those in the files named")
	fs.BoolVar(&o.diff, "diff", false, "print the fixes nginxlint is sure of instead of the findings: in text, a unified diff (git apply / patch -p1; to a terminal or a pipe, a line holding control characters or workflow command markers is shown made safe and does not apply: write the diff to a file for that); in the other formats, the findings those fixes resolve, with their fixes (json adds the diff as \"diff\")")
	fs.BoolVar(&o.fix, "fix", false, "apply the fixes nginxlint is sure of to the files, then report what is left")
	fs.BoolVar(&o.verbose, "v", false, "verbose: say for each tree how it was found, which configuration and manifest apply, which files were read, linted as fragments or skipped")
	o.addExtraFlags(fs)
	o.out = &outputs{}
	fs.Var(o.out, "output", "also write the report in `FORMAT=FILE` (repeatable; FILE - is standard output, instead of --format): e.g. --output sarif=nginxlint.sarif; each file is written whole, even when the run fails (exit 2)")
	showVersion := fs.Bool("version", false, "print nginxlint's version, the Go version and the VCS revision it was built from, and exit")
	fs.Usage = func() {} // flagProblem says what is wrong, then the hint follows
	paths, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(env.Stdout)
		fmt.Fprint(env.Stdout, usage)
		fs.PrintDefaults()
		fmt.Fprint(env.Stdout, usageTail)
		return ExitClean
	}
	if err != nil {
		logf(env.Stderr, "%s\nRun 'nginxlint --help' for usage.\n", flagProblem(fs, err, "nginxlint"))
		return ExitFailure
	}
	if *showVersion {
		return versionCommand(nil, env)
	}
	paths, code := o.checkExtra(fs, paths, knownRules(rules), env)
	if code >= 0 {
		return code
	}
	if len(paths) == 0 {
		logf(env.Stderr, "nginxlint: no PATH given: name the tree's directory (it holds nginx.conf), configuration files, or - for nginx -T output\nRun 'nginxlint --help' for usage.\n")
		return ExitFailure
	}
	if _, err := parseSize(o.maxRead); err != nil {
		logf(env.Stderr, "nginxlint: --max-read %q: %v\n", o.maxRead, err)
		return ExitFailure
	}
	if o.stock != "" && !stock.Valid(o.stock) {
		logf(env.Stderr, "nginxlint: --stock %q: use %s\n", o.stock, strings.Join(stock.Sets(), ", "))
		return ExitFailure
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	return o.out.finish(run(paths, o, rules, env), o, env)
}

// parseInterleaved parses flags that may come before or after the
// positional arguments, as users of other linters expect.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// manifestInit drafts a manifest from a tree's current targets and prints
// it; what it guessed goes to stderr.
func manifestInit(args []string, env Env) int {
	fs := flag.NewFlagSet("nginxlint manifest init", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // flagProblem says what is wrong
	prefix := fs.String("prefix", "/etc/nginx", "the absolute `directory` the tree stands for")
	context := fs.String("context", "", "read the main file in this `context` (default: inferred)")
	version := fs.String("nginx-version", "", "record this nginx `version` in the [nginx] table")
	appsDir := fs.String("apps", "", "draft the backends from the app configurations under this `directory` (gunicorn.conf.py, uWSGI, PHP-FPM pools, systemd units, compose files ...), linked with app =")
	fs.Usage = func() {}
	paths, err := parseInterleaved(fs, args)
	if err != nil || len(paths) != 1 {
		if !errors.Is(err, flag.ErrHelp) && err == nil {
			logf(env.Stderr, "nginxlint manifest init: expected one PATH\n")
		} else if err != nil && !errors.Is(err, flag.ErrHelp) {
			logf(env.Stderr, "%s\n", flagProblem(fs, err, "nginxlint manifest init"))
		}
		logf(env.Stderr, "usage: nginxlint manifest init [--apps DIR] [--prefix DIR] [--context C] [--nginx-version V] PATH > backends.toml\n")
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitFailure
	}
	trees, _, err := workspace.Find(paths, workspace.Options{Known: model.LooksLikeDirective}, nil)
	if err != nil {
		logf(env.Stderr, "nginxlint: %v\n", err)
		return ExitFailure
	}
	if len(trees) != 1 {
		logf(env.Stderr, "nginxlint: %s holds %d trees; name one of them (the directory holding its nginx.conf)\n", paths[0], len(trees))
		return ExitFailure
	}
	ld, err := workspace.Load(trees[0], workspace.LoadOptions{Prefix: *prefix, Context: *context, Grammar: nginx.Grammar{}, Known: model.LooksLikeDirective})
	if err != nil {
		logf(env.Stderr, "nginxlint: %v\n", err)
		return ExitFailure
	}
	incomplete := len(ld.Errors) > 0
	for _, err := range ld.Errors {
		logf(env.Stderr, "nginxlint: %v\n", err)
	}
	for _, t := range ld.Trees {
		for _, p := range t.ReadErrors {
			logf(env.Stderr, "nginxlint: %s: %s\n", p.File.Position(p.Start), p.Msg)
			incomplete = true
		}
	}
	if incomplete {
		logf(env.Stderr, "nginxlint: the tree was not read completely; no manifest drafted\n")
		return ExitFailure
	}
	var text string
	var guesses, notes []string
	if *appsDir != "" {
		files, ok := findApps(*appsDir, trees[0].Root, env.Stderr)
		if !ok {
			return ExitFailure
		}
		text, guesses, notes = draft.WithApps(ld.Trees, *version, files)
	} else {
		text, guesses = draft.Manifest(ld.Trees, *version)
	}
	fmt.Fprint(env.Stdout, text)
	for _, g := range guesses {
		logf(env.Stderr, "nginxlint: %s\n", g)
	}
	for _, n := range notes {
		logf(env.Stderr, "nginxlint: note: %s\n", n)
	}
	logf(env.Stderr, "nginxlint: review the entries above, then save the manifest as %s in %s (or pass it with --manifest)\n", manifest.DefaultName, trees[0].Root)
	return ExitClean
}

func listRules(rules []*lint.Rule, args []string, env Env) int {
	if len(args) > 0 {
		return listRulesFormat(rules, args, env) // --format (rules_list.go)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tMANIFEST\tTITLE")
	for _, r := range rules {
		needs := "-"
		if r.NeedsManifest {
			needs = "needed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, needs, r.Title)
	}
	tw.Flush()
	return ExitClean
}

func explain(rules []*lint.Rule, args []string, env Env) int {
	if len(args) != 1 {
		logf(env.Stderr, "usage: nginxlint explain RULE (see 'nginxlint rules')\n")
		return ExitFailure
	}
	for _, r := range rules {
		if r.ID == args[0] {
			fmt.Fprint(env.Stdout, ruledoc.Explain(r))
			return ExitClean
		}
	}
	logf(env.Stderr, "nginxlint explain: no rule %q%s (see 'nginxlint rules')\n", args[0], textutil.DidYouMean(args[0], knownRules(rules)))
	return ExitFailure
}

// safeWriter passes text on with what a terminal would interpret (escape
// sequences in a file's name) or a CI runner would obey ("##[" anywhere,
// "::" at a line's start) replaced: see textutil.LogSafe. Each Write
// is a whole message.
type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	// No line of nginxlint's own starts with "::" (after blanks): a file
	// name does.
	text := textutil.NoCommands(textutil.LogSafe(string(p), true))
	if _, err := io.WriteString(s.w, text); err != nil {
		return 0, err
	}
	return len(p), nil
}

// logf is fmt.Fprintf for a message to standard error, with what its
// arguments say made safe for the log: a file name, a directive or an
// error that quotes them is input, and a newline or a control character
// in it would forge a line of its own (safeWriter cannot tell such a
// newline from the message's). Each is replaced by U+FFFD; the lines of
// an error that lists several errors are kept apart.
func logf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format, logArgs(args)...)
}

// logSprintf is logf's message, to be written later.
func logSprintf(format string, args ...any) string {
	return fmt.Sprintf(format, logArgs(args)...)
}

func logArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = textutil.TermSafe(v, false)
		case error:
			out[i] = logError(v)
		case fmt.Stringer:
			out[i] = textutil.TermSafe(v.String(), false)
		default:
			out[i] = a
		}
	}
	return out
}

// logError is err's text made safe: a line for each error of a list of
// positioned errors (a manifest's), one line otherwise.
func logError(err error) string {
	if list, ok := err.(poserr.List); ok { //nolint:errorlint // the list itself: an error that wraps one has a text of its own
		list = slices.Clone(list)
		list.Sort()
		lines := make([]string, len(list))
		for i, e := range list {
			lines[i] = textutil.TermSafe(e.Error(), false)
		}
		return strings.Join(lines, "\n")
	}
	return textutil.TermSafe(err.Error(), false)
}

// parseSize reads a size: a number of bytes, or one with a unit (KiB,
// MiB, GiB, or K, M, G in the same powers of 1024).
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"K", 10}, {"M", 20}, {"G", 30}, {"", 0}}
	for _, u := range units {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
		if err != nil || n <= 0 || n > 1<<(62-u.shift) {
			break
		}
		return n << u.shift, nil
	}
	return 0, errors.New("write a positive size such as 1073741824, 512MiB or 2GiB")
}
