package cli

import (
	"encoding/json"
	"errors"
	"flag"
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
			logf(env.Stderr, "nginxlint rules: takes no arguments\n")
		case !errors.Is(err, flag.ErrHelp):
			logf(env.Stderr, "%s\n", flagProblem(fs, err, "nginxlint rules"))
		}
		logf(env.Stderr, "usage: nginxlint rules [--format text|json]\n")
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
		logf(env.Stderr, "nginxlint rules: --format %q: use text or json\n", *name)
		return ExitFailure
	}
	out := []ruledoc.Info{}
	for _, r := range rules {
		out = append(out, ruledoc.InfoOf(r))
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		logf(env.Stderr, "nginxlint: writing output: %v\n", err)
		return ExitFailure
	}
	return ExitClean
}
