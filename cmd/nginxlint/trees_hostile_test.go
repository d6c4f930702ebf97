//go:build unix

package main_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostileTrees: trees built to break the search for trees and the
// walk of a tree's files (names that are escape sequences, links that
// loop, pipes, too many files, long chains and rings of files nothing
// loads, thousands of paths). Each run ends in findings or a clean exit
// 2, within the time limit, and nothing of a file's name reaches the
// terminal raw.
func TestHostileTrees(t *testing.T) {
	esc := "\x1b[31mred\x1b]0;title\x07"
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) []string // the arguments
		codes []int
		want  string
	}{
		{"file names that are escape sequences", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include conf.d/*.conf; }\n")
			write(t, filepath.Join(dir, "conf.d", "a"+esc+".conf"), "server { location / { proxy_pass 127.0.0.1:1; } }\n")
			write(t, filepath.Join(dir, "sites-available", "b"+esc), "server { listen 80 }\n")
			write(t, filepath.Join(dir, "notes"+esc+".md"), "x")
			return []string{"-v", ".", filepath.Join(".", "notes"+esc+".md")}
		}, []int{1}, "has no scheme"},
		{"links that loop", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include sites-enabled/*; }\n")
			must(t, os.MkdirAll(filepath.Join(dir, "sites-enabled"), 0o755))
			must(t, os.Symlink("self", filepath.Join(dir, "sites-available-self")))
			must(t, os.Symlink(".", filepath.Join(dir, "loop")))
			must(t, os.Symlink("../sites-enabled", filepath.Join(dir, "sites-enabled", "up")))
			must(t, os.Symlink("gone.conf", filepath.Join(dir, "conf.d-dangling.conf")))
			return []string{"-v", "."}
		}, []int{0, 1, 2}, "tree ."},
		{"a pipe among the sites", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include sites-enabled/*; }\n")
			must(t, os.MkdirAll(filepath.Join(dir, "sites-available"), 0o755))
			must(t, syscall.Mkfifo(filepath.Join(dir, "sites-available", "pipe.conf"), 0o644))
			write(t, filepath.Join(dir, "sites-available", "ok.conf"), "server { listen 80; }\n")
			return []string{"-v", "."}
		}, []int{0, 1}, "not a regular file"},
		{"more files than nginxlint reads", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "nginx.conf"), events)
			d := filepath.Join(dir, "conf.d")
			must(t, os.MkdirAll(d, 0o755))
			for i := 0; i <= 100_000; i++ {
				must(t, os.WriteFile(filepath.Join(d, fmt.Sprintf("%06d.conf", i)), nil, 0o644))
			}
			return []string{"."}
		}, []int{2}, "more than 100000 files"},
		{"a long chain of files nothing loads", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "nginx.conf"), events)
			for i := 0; i < 3000; i++ {
				write(t, filepath.Join(dir, "conf.d", fmt.Sprintf("c%04d.conf", i)), fmt.Sprintf("include conf.d/c%04d.conf;\n", i+1))
			}
			write(t, filepath.Join(dir, "conf.d", "c3000.conf"), "gzip on;\n")
			return []string{"."}
		}, []int{0, 1}, ""},
		{"a ring of files nothing loads", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "nginx.conf"), events)
			for i := 0; i < 2000; i++ {
				write(t, filepath.Join(dir, "conf.d", fmt.Sprintf("r%04d.conf", i)), fmt.Sprintf("include conf.d/r%04d.conf;\n", (i+1)%2000))
			}
			return []string{"."}
		}, []int{1}, "include cycle"},
		{"sparse files past the bytes nginxlint reads in all", func(t *testing.T, dir string) []string {
			var inc strings.Builder
			for i := 0; i < 4; i++ {
				name := fmt.Sprintf("big%d.conf", i)
				f, err := os.Create(filepath.Join(dir, name))
				must(t, err)
				must(t, f.Truncate(60<<20)) // 60 MiB of holes: nothing on disk
				must(t, f.Close())
				fmt.Fprintf(&inc, "include %s;\n", name)
			}
			write(t, filepath.Join(dir, "nginx.conf"), events+inc.String())
			return []string{"--max-read", "100MiB", "."}
		}, []int{2}, "reads in all (--max-read)"},
		{"thousands of paths", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include conf.d/*.conf; }\n")
			args := []string{}
			for i := 0; i < 3000; i++ {
				name := fmt.Sprintf("s%04d.conf", i)
				write(t, filepath.Join(dir, "conf.d", name), fmt.Sprintf("server { listen %d; }\n", 10000+i))
				args = append(args, filepath.Join("conf.d", name))
			}
			return args
		}, []int{0}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := tc.setup(t, dir)
			for _, format := range []string{"text", "github", "json"} {
				r := runBin(t, dir, nil, append([]string{"--format", format}, args...)...)
				ok := false
				for _, c := range tc.codes {
					ok = ok || r.code == c
				}
				if !ok || format == "text" && !strings.Contains(r.stdout+r.stderr, tc.want) {
					t.Errorf("--format %s: exit %d, want one of %v with %q in the output\n--- stdout\n%.2000s\n--- stderr\n%.2000s", format, r.code, tc.codes, tc.want, r.stdout, r.stderr)
				}
				for _, out := range []string{r.stdout, r.stderr} {
					if strings.ContainsAny(out, "\x1b\x07") {
						t.Errorf("--format %s: a control character of the input reached the output:\n%q", format, out)
					}
				}
			}
		})
	}
}

// TestHostileFindingsPerInstance: a snippet of 1,500 findings included by
// 1,000 servers is checked at each inclusion, but its findings are kept
// once each: memory follows the findings, not the findings times the
// inclusions (it took 1 GB, and 2 GB at 2,000 inclusions).
func TestHostileFindingsPerInstance(t *testing.T) {
	dir := t.TempDir()
	var snip, conf strings.Builder
	for i := 0; i < 1500; i++ {
		fmt.Fprintf(&snip, "location /l%d/ { proxy_pass 127.0.0.1:%d; }\n", i, 8000+i%100)
	}
	conf.WriteString(events + "http {\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&conf, "server { listen %d; include snip.conf; }\n", 10000+i)
	}
	conf.WriteString("}\n")
	write(t, filepath.Join(dir, "snip.conf"), snip.String())
	write(t, filepath.Join(dir, "nginx.conf"), conf.String())

	cmd := exec.Command(binary(t), "--format", "json", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v", err)
	}
	if n := strings.Count(string(out), `"rule": "proxy-pass-scheme"`); n != 1500 {
		t.Errorf("%d proxy-pass-scheme findings, want 1500 (once each)", n)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no resource usage on this system")
	}
	// Kept once per inclusion, the findings alone took 1 GB here; what
	// remains (the index of 1.5 million directive instances) is 300 to
	// 450 MB, as the garbage collector's timing goes.
	if peak := ru.Maxrss << 10; peak > 750<<20 {
		t.Errorf("peak memory %d MB, want under 750 MB: findings are kept once per inclusion", peak>>20)
	}
}

// TestHostileComposeFiles: compose files whose reading costs far more
// than their size. Port ranges of a few lines that stand for hundreds of
// thousands of ports: ranges of UDP ports, which nginx's checks have no
// use for, are read as one entry each (they took 5 s and 865 MB here); a
// project whose TCP ranges pass the limit is not read. A mapping of
// 100,000 environment variables (30 s here, for 2 MB): not read. What is
// not read is said, and the run exits 2, never passing in silence.
func TestHostileComposeFiles(t *testing.T) {
	var env strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&env, "\n      K%d: v%d", i, i)
	}
	for _, c := range []struct {
		name, ports string
		code        int
		want        string
	}{
		{"UDP ranges", `["1-65535:1-65535/udp", "127.0.0.1:1-65535:1-65535/udp", "[::1]:1-65535:1-65535/sctp"]`, 1, "UDP only"},
		{"TCP ranges", `["1-65535:1-65535", "127.0.0.1:1-65535:1-65535"]`, 2, "more than 4096 TCP ports"},
		{"exposed UDP ranges", `["127.0.0.1:8000:8000"]` + "\n    expose: [\"1-65535/udp\", \"1-65535/sctp\"]", 0, ""},
		{"exposed TCP ranges", `["127.0.0.1:8000:8000"]` + "\n    expose: [\"1-65535\"]", 2, "more than 4096 TCP ports"},
		{"an environment of 100,000 variables", `["127.0.0.1:8000:8000"]` + "\n    environment:" + env.String(), 2, "a mapping of 100000 keys"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			must(t, os.Mkdir(filepath.Join(dir, ".git"), 0o755))
			write(t, filepath.Join(dir, "etc", "nginx", "nginx.conf"), events+"http { server { listen 80; location / { proxy_pass http://127.0.0.1:8000; } } }\n")
			write(t, filepath.Join(dir, "etc", "nginx", "backends.toml"), "[backends.api]\nlisten = \"127.0.0.1:8000\"\napp = \"../../compose.yaml#api\"\n")
			write(t, filepath.Join(dir, "compose.yaml"), "services:\n  api:\n    image: example/api\n    ports: "+c.ports+"\n")
			cmd := exec.Command(binary(t), "etc/nginx")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			// A child started by the Go runtime shares this process's
			// memory until its exec, and the kernel counts this process's
			// peak then as its starting one: the child's own peak shows
			// only above this process's.
			var self syscall.Rusage
			must(t, syscall.Getrusage(syscall.RUSAGE_SELF, &self))
			code := exitCode(t, err)
			if code != c.code || !strings.Contains(string(out), c.want) {
				t.Fatalf("exit %d, want %d and %q:\n%s", code, c.code, c.want, out)
			}
			ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			if !ok {
				t.Skip("no resource usage on this system")
			}
			if peak, limit := ru.Maxrss<<10, max(self.Maxrss<<10, 100<<20); peak > limit {
				t.Errorf("peak memory %d MB, want under %d MB: a range is read port by port", peak>>20, limit>>20)
			}
		})
	}
}
