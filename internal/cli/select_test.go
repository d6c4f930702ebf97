package cli

import (
	"errors"
	"flag"
	"io"
	"testing"
)

// TestColorMode: --color wins; then NO_COLOR, then FORCE_COLOR (each when
// set and not empty); then a terminal whose TERM is not dumb.
func TestColorMode(t *testing.T) {
	for _, c := range []struct {
		flag           string
		env            map[string]string
		terminal       bool
		layout, colour bool
	}{
		{"auto", nil, true, true, true},
		{"auto", nil, false, false, false},
		{"auto", map[string]string{"TERM": "dumb"}, true, true, false},
		{"auto", map[string]string{"NO_COLOR": "1"}, true, true, false},
		{"auto", map[string]string{"FORCE_COLOR": "1"}, false, true, true},
		{"auto", map[string]string{"FORCE_COLOR": "0"}, false, true, true}, // any value but ""
		{"auto", map[string]string{"FORCE_COLOR": ""}, false, false, false},
		{"auto", map[string]string{"FORCE_COLOR": "1", "NO_COLOR": "1"}, false, false, false},
		{"always", map[string]string{"NO_COLOR": "1"}, false, true, true},
		{"never", map[string]string{"FORCE_COLOR": "1"}, true, true, false},
		{"never", nil, false, false, false},
	} {
		o := options{}
		o.color = c.flag
		layout, colour := o.colorMode(c.terminal, func(k string) string { return c.env[k] })
		if layout != c.layout || colour != c.colour {
			t.Errorf("--color=%s %v terminal=%v: layout %v colour %v, want %v %v", c.flag, c.env, c.terminal, layout, colour, c.layout, c.colour)
		}
	}
}

// TestFlagProblem: what nginxlint says for each kind of error of the
// flag package; never Go's own words.
func TestFlagProblem(t *testing.T) {
	fs := flag.NewFlagSet("nginxlint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("format", "text", "output `format`")
	fs.Bool("fix", false, "fix")
	fs.Bool("v", false, "verbose")
	fs.Var(&ruleFlag{}, "select", "`rules`")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--formt", "json"}, "nginxlint: unknown flag --formt (did you mean --format?)"},
		{[]string{"-vv"}, "nginxlint: unknown flag --vv (did you mean -v?)"},
		{[]string{"--nothing-like-it"}, "nginxlint: unknown flag --nothing-like-it"},
		{[]string{"--format"}, "nginxlint: --format needs a value: --format FORMAT"},
		{[]string{"--fix=maybe"}, "nginxlint: --fix takes no value (write --fix, or --fix=false)"},
		{[]string{"--select", "a,,b"}, `nginxlint: --select "a,,b": empty rule name in "a,,b": name rules by ID or by a prefix such as backend-, separated by commas`},
	} {
		err := fs.Parse(c.args)
		if err == nil || errors.Is(err, flag.ErrHelp) {
			t.Fatalf("%v: no error", c.args)
		}
		if got := flagProblem(fs, err, "nginxlint"); got != c.want {
			t.Errorf("%v:\ngot  %s\nwant %s", c.args, got, c.want)
		}
	}
}

func TestCommandHint(t *testing.T) {
	t.Chdir(t.TempDir())
	for arg, want := range map[string]string{
		"rule":     "rule is neither a file nor a command: did you mean 'nginxlint rules'? (see 'nginxlint --help')",
		"basline":  "basline is neither a file nor a command: did you mean 'nginxlint baseline'? (see 'nginxlint --help')",
		"etc/rule": "",
		"zzzzzzzz": "",
		"-":        "",
	} {
		if got := commandHint(arg); got != want {
			t.Errorf("commandHint(%q) = %q, want %q", arg, got, want)
		}
	}
}
