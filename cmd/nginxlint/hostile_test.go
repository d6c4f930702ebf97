//go:build unix

package main_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The hostile-input suite runs the real binary on inputs built to break
// it. Each must end in findings (exit 1) or a clear error (exit 2): never
// a crash, a hang, or a clean verdict on something nginx refuses.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds nginxlint once for the tests that run it as a program.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nginxlint-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "nginxlint")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type result struct {
	code           int
	stdout, stderr string
}

// runBin runs the binary with a time limit: a hang fails the test.
func runBin(t *testing.T, dir string, cred *syscall.Credential, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Dir = dir
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nginxlint %s did not finish within 60s", strings.Join(args, " "))
	}
	code := exitCode(t, err)
	r := result{code, stdout.String(), stderr.String()}
	if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
		t.Fatalf("nginxlint crashed:\n%s", r.stderr)
	}
	return r
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const events = "events {}\n"

func TestHostileInputs(t *testing.T) {
	big := func(n int) string { return strings.Repeat("a", n) }
	random := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		code  int    // the exit code nginxlint must give
		want  string // text its output must contain
	}{
		{"binary file", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), string(random))
		}, 1, "[syntax]"},
		{"NUL bytes", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http {\n    server_tokens \x00off;\n}\n")
		}, 1, "NUL byte"},
		{"invalid UTF-8 in a comment is what nginx accepts", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+"# caf\xe9 \xff\xfe\nhttp {}\n")
		}, 0, ""},
		{"invalid UTF-8 in a finding", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { server { location / { proxy_pass 127.0.0.1:80\xff; } } }\n")
		}, 1, "proxy-pass-scheme"},
		{"CRLF line endings", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), "events {}\r\nhttp {\r\n  server {\r\n    location / { proxy_pass 127.0.0.1:8000; }\r\n  }\r\n}\r\n")
		}, 1, "nginx.conf:4:29: error"},
		{"a 100 MB single line", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+"# "+big(100<<20)+"\n")
		}, 2, "larger than the 64 MiB limit"},
		{"a 5 MB word", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+"env "+big(5<<20)+";\n")
		}, 1, "too long parameter"},
		{"nesting 1,000,000 deep", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+strings.Repeat("a{", 1_000_000))
		}, 1, "nested deeper than"},
		{"100,000 includes", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "one.conf"), "add_header X-Served-By one;\n")
			write(t, filepath.Join(dir, "nginx.conf"), events+"http {\n"+strings.Repeat("include one.conf;\n", 100_000)+"}\n")
		}, 0, ""},
		{"more includes than the limit", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "one.conf"), "server_tokens off;\n")
			write(t, filepath.Join(dir, "ten.conf"), strings.Repeat("include one.conf;\n", 10))
			write(t, filepath.Join(dir, "nginx.conf"), events+"http {\n"+strings.Repeat("include ten.conf;\n", 60_000)+"}\n")
		}, 2, "included file instances"},
		{"include cycle", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "a.conf"), "include b.conf;\n")
			write(t, filepath.Join(dir, "b.conf"), "include a.conf;\n")
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include a.conf; }\n")
		}, 1, "include cycle"},
		{"symlink loop", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include loop/a.conf; }\n")
			must(t, os.MkdirAll(filepath.Join(dir, "loop"), 0o755))
			must(t, os.Symlink("b.conf", filepath.Join(dir, "loop", "a.conf")))
			must(t, os.Symlink("a.conf", filepath.Join(dir, "loop", "b.conf")))
		}, 1, "too many levels of symbolic links"},
		{"a FIFO where a file is expected", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include pipe.conf; }\n")
			must(t, syscall.Mkfifo(filepath.Join(dir, "pipe.conf"), 0o644))
		}, 2, "not a regular file"},
		{"a directory where a file is expected", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "conf.d", "a.conf"), "server_tokens off;\n")
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include conf.d; }\n")
		}, 1, "names a directory"},
		{"includes that escape the tree", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), events+"http { include ../../etc/shadow; include /etc/passwd; }\n")
		}, 1, "leaves the tree"},
		{"an empty directory", func(t *testing.T, dir string) {}, 2, "holds no nginx configuration"},
		{"an empty nginx.conf", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "nginx.conf"), "")
		}, 1, `no "events" section`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			tc.setup(t, dir)
			r := runBin(t, dir, nil, ".")
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Errorf("exit %d, want %d with %q in the output\n--- stdout\n%.2000s\n--- stderr\n%.2000s", r.code, tc.code, tc.want, r.stdout, r.stderr)
			}
			// JSON stays valid JSON whatever the input.
			j := runBin(t, dir, nil, "--format", "json", ".")
			if j.code == 0 || j.code == 1 {
				var v map[string]any
				if err := json.Unmarshal([]byte(j.stdout), &v); err != nil {
					t.Errorf("--format json output is not JSON: %v\n%.500s", err, j.stdout)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestUnreadableFile: a file nginxlint cannot read ends the run with exit
// 2 and its name, never a clean verdict. Root reads everything, so the
// binary runs as nobody for this test.
func TestUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	must(t, os.Chmod(dir, 0o755))
	write(t, filepath.Join(dir, "nginx.conf"), events+"http { include secret.conf; }\n")
	write(t, filepath.Join(dir, "secret.conf"), "server_tokens off;\n")
	must(t, os.Chmod(filepath.Join(dir, "secret.conf"), 0o000))
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
		// nobody must reach the binary and the tree.
		must(t, os.Chmod(filepath.Dir(binary(t)), 0o755))
		// t.TempDir's own directories are private; open them up.
		for p := filepath.Dir(dir); strings.HasPrefix(p, os.TempDir()+"/"); p = filepath.Dir(p) {
			must(t, os.Chmod(p, 0o755))
		}
		for p := dir; p != "/" && p != "."; p = filepath.Dir(p) {
			if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
				t.Skipf("%s is not searchable by other users; cannot run the binary as nobody", p)
			}
		}
	}
	r := runBin(t, dir, cred, ".")
	if r.code != 2 || !strings.Contains(r.stderr, "secret.conf") || !strings.Contains(r.stderr, "permission denied") {
		t.Errorf("exit %d, want 2 naming secret.conf and permission denied\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestNoNetworkNoWrites: nginxlint cannot open a connection or run a
// program, and a run in every format leaves the tree byte for byte as it
// was, with no file added.
//
// The Compose reader (compose-go, which the issue of app configs asks
// for) links the net package to parse addresses and os/exec through
// go-shellwords, whose command substitution is off unless a caller turns
// it on (compose-go does not). So the binary is held to this: no package
// that dials (net/http, crypto/tls), no function that dials, listens or
// resolves, os/exec reached only through go-shellwords, and, run under
// strace on trees whose compose files and app configs ask for command
// substitution, no socket opened and no program started.
func TestNoNetworkNoWrites(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		switch pkg {
		case "net/http", "crypto/tls":
			t.Errorf("nginxlint depends on %s", pkg)
		}
		if slices.Contains(strings.Fields(imports), "os/exec") && pkg != "github.com/mattn/go-shellwords" {
			t.Errorf("%s imports os/exec: only go-shellwords may (its command substitution off)", pkg)
		}
	}
	nm, err := exec.Command("go", "tool", "nm", binary(t)).Output()
	if err != nil {
		t.Fatal(err)
	}
	dials := regexp.MustCompile(`(?m) T (net\.(Dial\w*|\(\*Dialer\)\.\w+|Listen\w*|Lookup\w*|\(\*Resolver\)\.\w+|\(\*sysDialer\)\.\w+)|syscall\.(Socket|Connect|Bind))$`)
	for _, m := range dials.FindAllString(string(nm), -1) {
		t.Errorf("the binary holds %s", strings.TrimSpace(m))
	}
	traceNoSocketNoExec(t)

	dir := t.TempDir()
	copyTree(t, "../../example", dir)
	// A repository: the apps the manifest links are read inside it.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	for _, format := range []string{"text", "json"} {
		r := runBin(t, dir, nil, "--format", format, "-v", "etc/nginx")
		if r.code != 1 {
			t.Errorf("--format %s: exit %d, want 1 (the example has findings)\n%s", format, r.code, r.stderr)
		}
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("the tree changed:\n--- before\n%s--- after\n%s", before, after)
	}
}

// snapshot lists every path under dir with its mode and content hash.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		sum := ""
		if fi.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum = fmt.Sprintf("%x", sha256.Sum256(data))
		}
		fmt.Fprintf(&b, "%s %v %s %d\n", p, fi.Mode(), sum, fi.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// copyTree copies a directory, keeping symbolic links as links.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// traceNoSocketNoExec runs the binary under strace on the example, and on
// a tree whose compose file, .env and gunicorn config ask for command
// substitution, and checks that it opens no socket and starts no
// program.
func traceNoSocketNoExec(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("strace is needed in CI (apt-get install -y strace)")
		}
		t.Log("strace not found: the run-time check is skipped")
		return
	}
	dir := t.TempDir()
	copyTree(t, "../../example", dir)
	must(t, os.Mkdir(filepath.Join(dir, ".git"), 0o755))
	hostile := filepath.Join(dir, "hostile")
	for name, text := range map[string]string{
		"etc/nginx/nginx.conf":    "events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        location / { proxy_pass http://127.0.0.1:8000; }\n    }\n}\n",
		"etc/nginx/backends.toml": "[nginx]\ncompose = \"../../compose.yaml#web\"\n\n[backends.api]\nlisten = \"127.0.0.1:8000\"\napp = \"../../app/gunicorn.conf.py\"\n",
		"app/gunicorn.conf.py":    "import os\nbind = os.popen('touch pwned').read()\n",
		"compose.yaml":            "services:\n  web:\n    image: nginx\n    command: sh -c \"`touch pwned` $$(touch pwned2)\"\n    env_file: .env\n    volumes: [\"./etc/nginx:/etc/nginx\"]\n",
		".env":                    "X=`touch pwned3`\nY=$(touch pwned4)\n",
	} {
		p := filepath.Join(hostile, name)
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(text), 0o644))
	}
	for _, tree := range []string{filepath.Join(dir, "etc/nginx"), filepath.Join(hostile, "etc/nginx")} {
		log := filepath.Join(t.TempDir(), "strace.log")
		cmd := exec.Command(strace, "-f", "-qq", "-o", log, "-e", "trace=socket,connect,execve,execveat", binary(t), "--format", "json", tree)
		cmd.Dir = dir
		_ = cmd.Run() // findings exit 1; what matters is the trace
		data, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		execs := 0
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			switch {
			case strings.Contains(line, "execve("):
				execs++ // the first is strace starting nginxlint
			case strings.Contains(line, "socket(") || strings.Contains(line, "connect("):
				t.Errorf("%s: nginxlint opened a socket: %s", tree, line)
			}
		}
		if execs != 1 {
			t.Errorf("%s: %d programs started, want only nginxlint itself:\n%s", tree, execs, data)
		}
	}
	for _, f := range []string{"pwned", "pwned2", "pwned3", "pwned4"} {
		for _, d := range []string{dir, hostile, filepath.Join(hostile, "app")} {
			if _, err := os.Stat(filepath.Join(d, f)); err == nil {
				t.Errorf("%s was created: a command ran", filepath.Join(d, f))
			}
		}
	}
}

// exitCode returns the exit status of a run of the binary that ended
// with err; a failure to run it at all fails the test.
func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}
