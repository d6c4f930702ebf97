package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/baseline"
	"github.com/nginxlint/nginxlint/lint/config"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/format"
)

// extraOptions are the flags of rule selection (--select, --ignore,
// --severity), of adoption on old trees (--baseline, --statistics, and
// the baseline and suppress commands) and --color. options embeds them.
type extraOptions struct {
	selectRules, ignoreRules ruleFlag
	severity                 string
	baseline                 string
	statistics               bool
	color                    string
	// base is the --baseline file, read once the flags are checked.
	base *baseline.Baseline
	// notes say what --baseline and --severity hid; they follow the
	// report on stderr (flushNotes), where a terminal shows them under
	// its summary.
	notes []string
	// sub is the command that runs the lint for another purpose than
	// reporting: "baseline write" or "suppress" (adopt.go).
	sub subcommand
}

// subcommand is nginxlint baseline write FILE or nginxlint suppress
// --reason TEXT: a lint run whose findings are recorded instead of
// reported.
type subcommand struct {
	name   string // "baseline write", "suppress"; "" for a lint run
	file   string // the baseline file
	reason string // the reason written in the comments
}

// ruleFlag is --select or --ignore: rule IDs and prefixes, repeatable
// and comma-separated.
type ruleFlag []string

func (r *ruleFlag) String() string { return strings.Join(*r, ",") }

func (r *ruleFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			return fmt.Errorf("empty rule name in %q: name rules by ID or by a prefix such as backend-, separated by commas", v)
		}
		*r = append(*r, p)
	}
	return nil
}

// addExtraFlags defines the flags of extraOptions.
func (o *options) addExtraFlags(fs *flag.FlagSet) {
	fs.Var(&o.selectRules, "select", "run only these `rules`: IDs, or prefixes ending in - (backend- is every backend rule), comma-separated or repeated; replaces select and ignore of "+config.Name+" (syntax and include always run)")
	fs.Var(&o.ignoreRules, "ignore", "do not run these `rules` (IDs or prefixes, as --select), besides those the configuration's ignore names; syntax and include cannot be turned off")
	fs.StringVar(&o.severity, "severity", "", "show only the findings at or above this `level`: error, warning or info (default: all). A finding it hides fails nothing: --fail-on decides the exit status among the findings shown")
	fs.StringVar(&o.baseline, "baseline", "", "report only the findings that are not in this baseline `file` (see nginxlint baseline write), and say how many it hid")
	fs.BoolVar(&o.statistics, "statistics", false, "print how many findings each rule has and how many of them --fix can fix, instead of the findings (text, or json with --format json)")
	fs.StringVar(&o.color, "color", "auto", "colour the text output `when`: auto (on a terminal, unless NO_COLOR is set or TERM=dumb; FORCE_COLOR forces it), always (also in the terminal layout when the output is no terminal) or never")
}

// checkExtra checks the extra flags once the command line is parsed; a
// code of 0 or more ends the run. It returns the paths, "." for the
// baseline and suppress commands when none is given.
func (o *options) checkExtra(fs *flag.FlagSet, paths []string, known map[string]bool, env Env) ([]string, int) {
	fail := func(format string, args ...any) ([]string, int) {
		logf(env.Stderr, "nginxlint: "+format+"\n", args...)
		return nil, ExitFailure
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if len(paths) > 0 && o.sub.name == "" {
		if hint := commandHint(paths[0]); hint != "" {
			return fail("%s", hint)
		}
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return fail("--color %q: use auto, always or never%s", o.color, textutil.DidYouMean(o.color, map[string]bool{"auto": true, "always": true, "never": true}))
	}
	if o.severity != "" {
		if _, err := lint.ParseSeverity(o.severity); err != nil {
			return fail("--severity: %v", err)
		}
	}
	for _, f := range []struct {
		name string
		list ruleFlag
	}{{"--select", o.selectRules}, {"--ignore", o.ignoreRules}} {
		for _, p := range f.list {
			if _, err := config.Rules(p, known, f.name); err != nil {
				return fail("%v", err)
			}
		}
	}
	for _, p := range o.ignoreRules {
		if driver.IsFatal(p) {
			logf(env.Stderr, "nginxlint: --ignore %s: %s cannot be turned off: its findings say nginx refuses the tree, so it still runs\n", p, p)
		}
	}
	if o.statistics && o.diff {
		return fail("--statistics and --diff exclude each other: --statistics counts the findings, --diff shows the fixes")
	}
	if o.baseline != "" {
		if o.sub.name != "" {
			return fail("--baseline is not for nginxlint %s", o.sub.name)
		}
		b, err := readBaseline(o.baseline)
		if err != nil {
			// Before the run: the machine formats still say why it
			// failed (outputs.finish).
			logf(env.Stderr, "nginxlint: %v\n", err)
			o.out.failErr(err)
			return nil, o.out.finish(ExitFailure, *o, env)
		}
		o.base = b
	}
	if o.sub.name == "" {
		return paths, -1
	}
	for _, f := range []string{"fix", "diff", "baseline", "statistics", "format", "output", "severity"} {
		if o.set[f] {
			return fail("--%s is not for nginxlint %s", f, o.sub.name)
		}
	}
	if o.sub.name == "suppress" && slices.Contains(paths, "-") {
		return fail("nginxlint suppress writes comments in the tree's files, not in an nginx -T dump: name the tree's directory")
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return paths, -1
}

// colorMode decides the text format's layout and colour from --color
// and the environment: --color always or never wins; then NO_COLOR
// (https://no-color.org) turns colour off, FORCE_COLOR
// (https://force-color.org) on, each when set and not empty; otherwise
// colour goes to a terminal whose TERM is not "dumb" (useColor). Forced
// colour also prints the terminal layout when the output is no terminal.
func (o *options) colorMode(terminal bool, getenv func(string) string) (layout, color bool) {
	switch {
	case o.color == "never":
		return terminal, false
	case o.color == "always":
		return true, true
	case getenv("NO_COLOR") != "":
		return terminal, false
	case getenv("FORCE_COLOR") != "":
		return true, true
	}
	return terminal, terminal && useColor(getenv)
}

// selectRules decides which rules run: the configuration's select (or
// rules.enable) and ignore (or rules.disable), then the command line's,
// as ruff does: --select replaces the configuration's selection, its
// ignore too; --ignore adds to what is ignored. The Fatal rules always
// run: when the configuration names one to turn off, it says so on
// stderr. It returns the rules to run, the IDs of those turned off and
// the configuration's severities.
func selectRules(rules []*lint.Rule, c *config.File, o options, stderr io.Writer) (run []*lint.Rule, disabled []string, severity map[string]lint.Severity) {
	known := knownRules(rules)
	var on map[string]bool // nil: every rule
	off := map[string]bool{}
	if c != nil {
		for _, id := range driver.Fatal {
			key := ""
			if slices.Contains(c.Disable, id) {
				key = c.DisableKey
			}
			for i, ov := range c.Overrides {
				if key == "" && slices.Contains(ov.Disable, id) {
					key = fmt.Sprintf("overrides[%d].disable", i)
				}
			}
			if key != "" {
				logf(stderr, "nginxlint: %s: %s names %s, which cannot be turned off: its findings say nginx refuses the tree, so it still runs\n", c.Path, key, id)
			}
		}
		on, off = c.Switches()
		severity = c.Severity
	}
	if len(o.selectRules) > 0 {
		on, off = expandRules(o.selectRules, known), map[string]bool{}
	}
	for id := range expandRules(o.ignoreRules, known) {
		off[id] = true
	}
	for _, r := range rules {
		// A rule that says nginx refuses the tree is never turned off
		// (driver.Fatal): the configuration cannot make it pass.
		if (off[r.ID] || on != nil && !on[r.ID]) && !driver.IsFatal(r.ID) {
			disabled = append(disabled, r.ID)
			continue
		}
		run = append(run, r)
	}
	return run, disabled, severity
}

// expandRules returns the IDs that rule patterns name (checked in Main).
func expandRules(patterns []string, known map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, p := range patterns {
		ids, _ := config.Rules(p, known, "")
		for _, id := range ids {
			out[id] = true
		}
	}
	return out
}

// rulesKeys names what turned rules off: "the configuration
// (rules.disable)", "--select", "--ignore and the configuration (select)".
func rulesKeys(c *config.File, o options) string {
	var flags, keys []string
	if len(o.selectRules) > 0 {
		flags = append(flags, "--select")
	}
	if len(o.ignoreRules) > 0 {
		flags = append(flags, "--ignore")
	}
	if c != nil {
		if len(c.Enable) > 0 && len(o.selectRules) == 0 {
			keys = append(keys, c.EnableKey)
		}
		if len(c.Disable) > 0 && len(o.selectRules) == 0 {
			keys = append(keys, c.DisableKey)
		}
	}
	var parts []string
	if len(flags) > 0 {
		parts = append(parts, strings.Join(flags, " and "))
	}
	if len(keys) > 0 {
		parts = append(parts, "the configuration ("+strings.Join(keys, ", ")+")")
	}
	return strings.Join(parts, " and ")
}

// pathRules applies the configuration's [[overrides]] to the findings of
// a run (config.File.ApplyOverrides); not to the Fatal rules.
type pathRules struct{ c *config.File }

func (p pathRules) apply(ds []lint.Diagnostic, err error) ([]lint.Diagnostic, error) {
	if err != nil {
		return ds, err
	}
	return p.c.ApplyOverrides(ds, driver.IsFatal), nil
}

// flushNotes prints, after the report, what --baseline and --severity
// hid.
func (o *options) flushNotes(env Env) {
	for _, n := range o.notes {
		logf(env.Stderr, "nginxlint: %s\n", n)
	}
	o.notes = nil
}

// filterSeverity drops the findings below --severity, and notes how
// many it hid.
func (o *options) filterSeverity(ds []lint.Diagnostic) []lint.Diagnostic {
	if o.severity == "" {
		return ds
	}
	min, _ := lint.ParseSeverity(o.severity) // checked in Main
	out := ds[:0]
	hidden := 0
	for _, d := range ds {
		if d.Severity < min {
			hidden++
			continue
		}
		out = append(out, d)
	}
	if hidden > 0 {
		o.notes = append(o.notes, fmt.Sprintf("%s below %s not shown (--severity %s)", plural(hidden, "finding"), min, min))
	}
	return out
}

// statRow is one line of --statistics: the findings of one rule at one
// severity.
type statRow struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Count    int    `json:"count"`
	Fixable  int    `json:"fixable"`
}

// writeStatistics prints --statistics: per rule and severity, how many
// findings and how many --fix can fix, most frequent first; in text
// (a table and a total line) or JSON.
func writeStatistics(w io.Writer, ds []lint.Diagnostic, asJSON bool) error {
	rows := map[[2]string]*statRow{}
	total, fixable := 0, 0
	for _, d := range ds {
		k := [2]string{d.Rule, d.Severity.String()}
		r := rows[k]
		if r == nil {
			r = &statRow{Rule: d.Rule, Severity: d.Severity.String()}
			rows[k] = r
		}
		r.Count++
		total++
		if len(d.Fixes) > 0 {
			r.Fixable++
			fixable++
		}
	}
	list := make([]statRow, 0, len(rows))
	for _, r := range rows {
		list = append(list, *r)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Severity < b.Severity
	})
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Statistics []statRow `json:"statistics"`
			Total      int       `json:"total"`
			Fixable    int       `json:"fixable"`
		}{list, total, fixable})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "COUNT\tFIXABLE\t")
	for _, r := range list {
		fmt.Fprintf(tw, "%d\t%d\t  %s (%s)\n", r.Count, r.Fixable, r.Rule, r.Severity)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total == 0 {
		_, err := fmt.Fprintln(w, "no findings")
		return err
	}
	_, err := fmt.Fprintf(w, "%s in %s, %d fixable with --fix\n", plural(total, "finding"), plural(len(list), "rule"), fixable)
	return err
}

// adopt applies --baseline and --severity to the findings of a run, and
// runs what replaces the report: the baseline and suppress commands and
// --statistics. It returns true with the exit code when the run is over.
func (o *options) adopt(ds *[]lint.Diagnostic, incomplete bool, out *format.Format, failOn lint.Severity, env Env) (int, bool) {
	fail := func(format string, args ...any) (int, bool) {
		logf(env.Stderr, "nginxlint: "+format+"\n", args...)
		o.out.failf(format, args...)
		return ExitFailure, true
	}
	switch o.sub.name {
	case "baseline write":
		return o.reported(o.writeBaseline(*ds, incomplete, env)), true
	case "suppress":
		return o.reported(o.suppress(*ds, incomplete, failOn, env)), true
	}
	if o.base != nil {
		*ds = o.applyBaseline(*ds)
	}
	*ds = o.filterSeverity(*ds)
	if !o.statistics {
		return 0, false
	}
	if out.Name != "text" && out.Name != "json" {
		return fail("--statistics prints text or json, not %s: use --format text or --format json", out.Name)
	}
	if o.set["output"] {
		return fail("--statistics prints the counts instead of the report: leave out --output")
	}
	if err := writeStatistics(env.Stdout, *ds, out.Name == "json"); err != nil {
		return fail("writing output: %v", err)
	}
	o.flushNotes(env)
	return o.reported(exitCode(incomplete, *ds, failOn)), true
}

// reported tells the outputs (output.go) that the run wrote what it had
// to in place of the report, unless it failed: a failed run still writes
// the document that says why.
func (o *options) reported(code int) int {
	if code != ExitFailure && o.out != nil {
		o.out.written = true
	}
	return code
}

// configFailure says why a configuration file cannot be used and ends
// the run: every problem of an invalid one at its place, then that it is
// invalid; a file that could not be read (not found) by itself.
func configFailure(err error, o *options, env Env) int {
	var pl poserr.List
	if errors.As(err, &pl) {
		logf(env.Stderr, "%v\n", err)
		o.out.failErr(err)
		logf(env.Stderr, "nginxlint: the configuration file is invalid\n")
		o.out.failf("the configuration file is invalid")
		return ExitFailure
	}
	logf(env.Stderr, "nginxlint: %v\n", err)
	o.out.failErr(err)
	return ExitFailure
}
