package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/nginxlint/nginxlint/internal/textutil"
)

// commands are nginxlint's commands, for "did you mean" when a PATH that
// does not exist is a near miss of one.
var commands = []string{"rules", "explain", "manifest", "version", "baseline", "suppress", "lsp"}

// commandHint says, for a first PATH that does not exist and looks like
// a misspelled command ("rule"), which command was meant; "" otherwise.
func commandHint(arg string) string {
	if arg == "" || arg == "-" || strings.ContainsAny(arg, "/\\.") {
		return ""
	}
	if _, err := os.Lstat(arg); !errors.Is(err, os.ErrNotExist) {
		return ""
	}
	c := textutil.Closest(arg, commands)
	if c == "" {
		return ""
	}
	return fmt.Sprintf("%s is neither a file nor a command: did you mean 'nginxlint %s'? (see 'nginxlint --help')", arg, c)
}

// flagProblem turns an error of flag.FlagSet.Parse into what nginxlint
// says, with "did you mean" for an unknown flag: Go's own messages ("flag
// provided but not defined: -formt") never reach the user. prog names
// the command ("nginxlint", "nginxlint manifest init").
func flagProblem(fs *flag.FlagSet, err error, prog string) string {
	msg := err.Error()
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	dash := func(name string) string {
		if len(name) == 1 {
			return "-" + name
		}
		return "--" + name
	}
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-")
		hint := ""
		if name == "reason" {
			hint = " (--reason is for nginxlint suppress --reason TEXT)"
		} else if c := textutil.Closest(name, names); c != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", dash(c))
		}
		return fmt.Sprintf("%s: unknown flag %s%s", prog, dash(name), hint)
	case strings.HasPrefix(msg, "flag needs an argument: "):
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-")
		what := "a value"
		if f := fs.Lookup(name); f != nil {
			if arg, _ := flag.UnquoteUsage(f); arg != "" {
				what = "a value: " + dash(name) + " " + strings.ToUpper(arg)
			}
		}
		return fmt.Sprintf("%s: %s needs %s", prog, dash(name), what)
	case strings.HasPrefix(msg, "invalid boolean value "):
		// invalid boolean value "x" for -fix: parse error
		name := msg[strings.LastIndex(msg, " for ")+len(" for "):]
		name = strings.TrimLeft(strings.TrimSuffix(name, ": parse error"), "-")
		return fmt.Sprintf("%s: %s takes no value (write %s, or %s=false)", prog, dash(name), dash(name), dash(name))
	case strings.HasPrefix(msg, "invalid value "):
		// invalid value "x" for flag -output: REASON
		rest := strings.TrimPrefix(msg, "invalid value ")
		if i := strings.Index(rest, " for flag -"); i >= 0 {
			value, tail := rest[:i], rest[i+len(" for flag -"):]
			name, reason, _ := strings.Cut(tail, ": ")
			return fmt.Sprintf("%s: %s %s: %s", prog, dash(name), value, reason)
		}
	}
	return prog + ": " + msg
}
