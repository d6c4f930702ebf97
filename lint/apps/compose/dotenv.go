package compose

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DotEnv reads an env file as compose reads the project's .env and a
// service's env_file: KEY=VALUE lines, quotes, ${VAR} in values expanded
// with the variables defined above them, then with env (never the
// process's environment). A file compose refuses is a problem, and no
// variables.
func DotEnv(f *syntax.File, env map[string]string) (map[string]string, []apps.Problem) {
	lookup := func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
	f.Comments = apps.Comments(f.Src, "#", true, true)
	vars, err := safeDotenv(f.Src, lookup)
	if err != nil {
		return nil, []apps.Problem{{Span: apps.Span{File: f}, Msg: "cannot read the env file: " + err.Error()}}
	}
	return vars, nil
}

func safeDotenv(src string, lookup dotenv.LookupFn) (vars map[string]string, err error) {
	defer func() {
		if p := recover(); p != nil {
			vars, err = nil, fmt.Errorf("the env file reader failed: %v", p)
		}
	}()
	return dotenv.UnmarshalWithLookup(src, lookup)
}

// dotenvSpan is where an env file sets key: its last "KEY=" line (the
// one that wins), from the key to the end of the line; zero when not
// found.
func dotenvSpan(f *syntax.File, key string) apps.Span {
	if f == nil {
		return apps.Span{}
	}
	var s apps.Span
	off := 0
	for _, line := range strings.SplitAfter(f.Src, "\n") {
		body := strings.TrimLeft(line, " \t")
		start := off + len(line) - len(body)
		if rest, ok := strings.CutPrefix(body, "export "); ok {
			start += len(body) - len(rest)
			body = strings.TrimLeft(rest, " \t")
			start += len(rest) - len(body)
		}
		if rest, ok := strings.CutPrefix(body, key); ok {
			if r := strings.TrimLeft(rest, " \t"); strings.HasPrefix(r, "=") || strings.HasPrefix(r, ":") {
				end := off + len(strings.TrimRight(line, "\r\n \t"))
				s = apps.Span{File: f, Start: start, End: max(start+len(key), end)}
			}
		}
		off += len(line)
	}
	return s
}
