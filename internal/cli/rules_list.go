package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/ruledoc"
)

// listRulesFormat is "nginxlint rules --format text|json".
func listRulesFormat(rules []*lint.Rule, args []string, env Env) int {
	fs := flag.NewFlagSet("nginxlint rules", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // flagProblem says what is wrong
	name := fs.String("format", "text", "output `format`: text (a table) or json (a list of {id, title, severity, needs_manifest, fixable, url})")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		switch {
		case err == nil:
			fmt.Fprintf(env.Stderr, "nginxlint rules: takes no arguments\n")
		case !errors.Is(err, flag.ErrHelp):
			fmt.Fprintf(env.Stderr, "%s\n", flagProblem(fs, err, "nginxlint rules"))
		}
		fmt.Fprintf(env.Stderr, "usage: nginxlint rules [--format text|json]\n")
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitFailure
	}
	switch *name {
	case "text":
		return listRules(rules, nil, env)
	case "json":
	default:
		fmt.Fprintf(env.Stderr, "nginxlint rules: --format %q: use text or json\n", *name)
		return ExitFailure
	}
	out := []ruledoc.Info{}
	for _, r := range rules {
		out = append(out, ruledoc.InfoOf(r))
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(env.Stderr, "nginxlint: writing output: %v\n", err)
		return ExitFailure
	}
	return ExitClean
}
