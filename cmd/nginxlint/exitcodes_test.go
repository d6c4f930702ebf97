package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/lint/format"
	"github.com/nginxlint/nginxlint/rules"
)

// TestExitCodesEveryFormat checks that --fail-on and the exit codes do not
// depend on the output format.
func TestExitCodesEveryFormat(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// One warning (upstream-primaries-down), no error.
	write("warn/nginx.conf", "events {}\nhttp {\n    upstream u { server 127.0.0.1:1 down; server 127.0.0.1:2 backup; }\n}\n")
	write("clean/nginx.conf", "events {}\nhttp {}\n")
	write("bad/nginx.conf", "events {}\nhttp {\n")
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"warn"}, cli.ExitFindings},
		{[]string{"--fail-on", "error", "warn"}, cli.ExitClean},
		{[]string{"--fail-on", "info", "warn"}, cli.ExitFindings},
		{[]string{"clean"}, cli.ExitClean},
		{[]string{"bad"}, cli.ExitFindings},
		{[]string{"--fail-on", "error", "bad"}, cli.ExitFindings},
		{[]string{"missing"}, cli.ExitFailure},
		{[]string{"--fail-on", "fatal", "warn"}, cli.ExitFailure},
	}
	for _, name := range format.Names() {
		for _, c := range cases {
			args := append([]string{"--format", name}, c.args...)
			for i, a := range args {
				if i > 0 && !strings.HasPrefix(a, "-") && args[i-1] != "--format" && args[i-1] != "--fail-on" {
					args[i] = filepath.Join(dir, a)
				}
			}
			var out, errb bytes.Buffer
			code := cli.Main(args, rules.All(), cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
			if code != c.code {
				t.Errorf("nginxlint %s: exit %d, want %d\n%s%s", strings.Join(c.args, " "), code, c.code, out.String(), errb.String())
			}
		}
	}
}
