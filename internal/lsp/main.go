package lsp

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/nginxlint/nginxlint/lint"
)

// Usage is what nginxlint lsp --help prints before its flags.
const Usage = `nginxlint lsp runs nginxlint as a language server: the Language Server
Protocol on standard input and output, for editors (Neovim, Helix, VS Code,
Zed ...; see the README's "In editors" section). It is started by the
editor, not by hand.

Each open nginx file is linted with its whole tree as you type (the tree,
configuration file and manifest found as "nginxlint PATH" finds them), the
editor's unsaved text standing in for the files on disk; findings are shown
in the open files. Code actions apply the fixes nginxlint is sure of (as
--fix) or write "# nginxlint:ignore RULE reason"; hover shows a directive's
contexts, arguments and versions and a finding's rule documentation; go to
definition leads from proxy_pass http://NAME (and the other *_pass) to the
upstream block and from an include to its files; document symbols outline
servers, locations and upstreams.

Usage:
  nginxlint lsp [--debounce DURATION]

Flags:
`

// Env is what the server reads and writes: the protocol on Stdin and
// Stdout, its log on Stderr.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Version is nginxlint's version, given to the client.
	Version string
}

// Main runs "nginxlint lsp" with args (after "lsp") and returns its exit
// status: 0 after the client's shutdown and exit, 1 on exit without
// shutdown (as the protocol says), 2 on bad usage.
func Main(args []string, rules []*lint.Rule, env Env) int {
	fs := flag.NewFlagSet("nginxlint lsp", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	debounce := fs.Duration("debounce", DefaultDebounce, "how long to wait after a change before linting: changes quicker than that are linted once")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(env.Stdout, Usage)
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(env.Stderr, "nginxlint lsp: %v\nRun 'nginxlint lsp --help' for usage.\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "nginxlint lsp: takes no arguments (the editor sends the files)\nRun 'nginxlint lsp --help' for usage.\n")
		return 2
	}
	d := *debounce
	if d == 0 {
		d = -1 // no wait
	}
	err := Serve(context.Background(), stdio{env.Stdin, env.Stdout}, rules, Options{Debounce: d, Version: env.Version, Log: env.Stderr})
	switch {
	case errors.Is(err, ErrExitWithoutShutdown):
		return 1
	case err != nil:
		fmt.Fprintf(env.Stderr, "nginxlint lsp: %v\n", err)
		return 2
	}
	return 0
}

// stdio is the protocol's stream on the process's standard input and
// output; closing it closes neither.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }
