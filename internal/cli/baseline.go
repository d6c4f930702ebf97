package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/baseline"
	"github.com/nginxlint/nginxlint/lint/driver"
)

const baselineUsage = "usage: nginxlint baseline write FILE [flags] [PATH...]   record today's findings in FILE (then: nginxlint --baseline FILE PATH...)\n"

const suppressUsage = "usage: nginxlint suppress --reason TEXT [flags] [PATH...]   write a reasoned nginxlint:ignore comment above each finding\n"

// adoptCommand runs nginxlint baseline write FILE and nginxlint suppress
// --reason TEXT: it reads the command's own words, then lints as the
// main command does (its flags and paths, "." by default) and records
// the findings instead of reporting them.
func adoptCommand(args []string, rules []*lint.Rule, env Env) int {
	fail := func(usage, format string, args ...any) int {
		logf(env.Stderr, "nginxlint: "+format+"\n", args...)
		fmt.Fprint(env.Stderr, usage)
		return ExitFailure
	}
	switch args[0] {
	case "baseline":
		if len(args) < 2 || args[1] == "-h" || args[1] == "--help" || args[1] == "-help" {
			if len(args) >= 2 {
				fmt.Fprint(env.Stdout, baselineUsage)
				return ExitClean
			}
			return fail(baselineUsage, "baseline: say what to do: write FILE")
		}
		if args[1] != "write" {
			hint := ""
			if textutil.Closest(args[1], []string{"write"}) != "" {
				hint = " (did you mean \"baseline write\"?)"
			}
			return fail(baselineUsage, "baseline %s: unknown; the baseline command is \"baseline write FILE\"%s", args[1], hint)
		}
		if len(args) < 3 || strings.HasPrefix(args[2], "-") && args[2] != "-" {
			return fail(baselineUsage, "baseline write: name the FILE to write, as nginxlint baseline write nginxlint-baseline.json etc/nginx")
		}
		if args[2] == "-" {
			return fail(baselineUsage, "baseline write: name a FILE to write (the baseline is read back from it with --baseline FILE)")
		}
		return lintCommand(args[3:], rules, env, subcommand{name: "baseline write", file: args[2]})
	case "suppress":
		rest, reason, found, err := takeReason(args[1:])
		if err != nil {
			return fail(suppressUsage, "suppress: %v", err)
		}
		if !found {
			return fail(suppressUsage, "suppress: give --reason TEXT: why the findings are acceptable (it is written in each comment)")
		}
		return lintCommand(rest, rules, env, subcommand{name: "suppress", reason: reason})
	}
	return ExitFailure
}

// takeReason removes --reason TEXT (or --reason=TEXT, -reason) from
// args and checks TEXT.
func takeReason(args []string) (rest []string, reason string, found bool, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "reason" {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, "", false, errors.New("--reason needs a value: --reason \"legacy backend, removed after the migration\"")
			}
			i++
			value = args[i]
		}
		if found {
			return nil, "", false, errors.New("--reason is given twice: give it once")
		}
		found, reason = true, value
	}
	if found {
		if strings.TrimSpace(reason) == "" {
			return nil, "", false, errors.New("--reason is empty: say why the findings are acceptable")
		}
		for _, r := range reason {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				return nil, "", false, errors.New("--reason must be one line of text, without control characters")
			}
		}
	}
	return rest, reason, found, nil
}

// writeBaseline records the findings of a run in the baseline file of
// nginxlint baseline write; not those of the Fatal rules, which no
// baseline hides.
func (o *options) writeBaseline(ds []lint.Diagnostic, incomplete bool, env Env) int {
	fail := func(format string, args ...any) int {
		logf(env.Stderr, "nginxlint: "+format+"\n", args...)
		return ExitFailure
	}
	if incomplete {
		return fail("baseline write wrote nothing: a tree was not read completely (see above), and a baseline records only what a complete reading found")
	}
	var keep []lint.Diagnostic
	fatal := 0
	for _, d := range ds {
		if driver.IsFatal(d.Rule) {
			fatal++
			continue
		}
		keep = append(keep, d)
	}
	b, err := baseline.New(o.sub.file, keep)
	if err != nil {
		return fail("%v", err)
	}
	if err := b.Write(); err != nil {
		return fail("%v", err)
	}
	logf(env.Stderr, "nginxlint: recorded %s (%s) in %s: nginxlint --baseline %s reports only the findings not in it\n", plural(b.Findings(), "finding"), plural(len(b.Entries), "fingerprint"), o.sub.file, o.sub.file)
	if fatal > 0 {
		logf(env.Stderr, "nginxlint: %s of %s not recorded: nginx refuses the tree while one is there; fix them\n", plural(fatal, "finding"), strings.Join(driver.Fatal, " and "))
	}
	return ExitClean
}

// readBaseline reads the --baseline file.
func readBaseline(file string) (*baseline.Baseline, error) {
	b, err := baseline.Read(file)
	var pl poserr.List
	if errors.As(err, &pl) {
		return nil, fmt.Errorf("%v\nnginxlint: the baseline %s is invalid; write it again with nginxlint baseline write %s PATH", err, file, file)
	}
	return b, err
}

// neverBaselined: the findings that say nginx refuses the tree are
// never hidden by a baseline.
func neverBaselined(d *lint.Diagnostic) bool { return driver.IsFatal(d.Rule) }

// applyBaseline hides the findings of --baseline's file, and notes how
// many it hid (with -v, which entries matched nothing).
func (o *options) applyBaseline(ds []lint.Diagnostic) []lint.Diagnostic {
	shown, hidden, unmatched := o.base.Filter(ds, neverBaselined)
	o.notes = append(o.notes, fmt.Sprintf("%s hidden by the baseline %s (%d recorded)", plural(hidden, "finding"), o.baseline, o.base.Findings()))
	if o.verbose {
		for _, e := range unmatched {
			o.notes = append(o.notes, fmt.Sprintf("  not found any more (fixed, or not linted this time): %s: [%s] %s (x%d)", e.File, e.Rule, e.Message, e.Count))
		}
	}
	return shown
}

// notBaselined returns the findings --baseline does not hide: those
// whose fixes --fix writes and --diff shows.
func (o *options) notBaselined(ds []lint.Diagnostic) []lint.Diagnostic {
	if o.base == nil {
		return ds
	}
	shown, _, _ := o.base.Filter(ds, neverBaselined)
	return shown
}
