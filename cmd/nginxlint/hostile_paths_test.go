//go:build unix

package main_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostilePaths: include paths and nginx -T dumps built to make
// nginxlint lint other text than nginx reads, or lint less of it, while
// it reports the tree clean:
//
//   - a symbolic link before "..": the kernel follows the link first, so
//     "link/../x.conf" is beside the link's target, which may be outside
//     the tree, or elsewhere in it; for a literal path and a pattern;
//   - a pattern that passes through a link leading out of the tree;
//   - a pattern whose directory nginxlint cannot read or search (nginx,
//     started as root, may find files there): the run fails naming it.
//     Root reads everything, so the binary runs as nobody for these;
//   - a dump whose files hold lines that look like section headers (in a
//     block, naming a file no include reads), and one that names a file
//     twice.
//
// The tree is tree/ (standing for /etc/nginx); outside/ is beside it.
func TestHostilePaths(t *testing.T) {
	const (
		http     = events + "http {\n    include %s;\n}\n"
		decoy    = "server { listen 127.0.0.1:8081; }\n"
		noScheme = "server { listen 127.0.0.1:8080; location / { proxy_pass 127.0.0.1:8000; } }\n"
		header   = "# configuration file "
	)
	mainWith := func(arg string) string { return strings.Replace(http, "%s", arg, 1) }
	cases := []struct {
		name   string
		setup  func(t *testing.T, dir string)
		nobody bool   // run as nobody when the test runs as root
		stdin  string // a dump: run "nginxlint -"
		code   int
		want   []string // in the output
		not    []string // not in the output
	}{
		{"a link out of the tree before ..", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "tree", "nginx.conf"), mainWith("link/../x.conf"))
			write(t, filepath.Join(dir, "tree", "x.conf"), decoy)
			write(t, filepath.Join(dir, "outside", "x.conf"), noScheme)
			must(t, os.MkdirAll(filepath.Join(dir, "outside", "d"), 0o755))
			must(t, os.Symlink("../outside/d", filepath.Join(dir, "tree", "link")))
		}, false, "", 1, []string{`include "link/../x.conf" leaves the tree (/etc/nginx/link is a symbolic link to /etc/outside/d)`, "tree/x.conf:1:1: info: tree/nginx.conf does not load this file"}, nil},
		{"a link out of the tree before .. in a pattern", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "tree", "nginx.conf"), mainWith("link/../*.conf"))
			write(t, filepath.Join(dir, "tree", "x.conf"), decoy)
			write(t, filepath.Join(dir, "outside", "x.conf"), noScheme)
			must(t, os.MkdirAll(filepath.Join(dir, "outside", "d"), 0o755))
			must(t, os.Symlink("../outside/d", filepath.Join(dir, "tree", "link")))
		}, false, "", 1, []string{`include "link/../*.conf" leaves the tree (/etc/nginx/link is a symbolic link to /etc/outside/d)`, "tree/x.conf:1:1: info: tree/nginx.conf does not load this file"}, nil},
		{"a link inside the tree before ..", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "tree", "nginx.conf"), mainWith("in/../x.conf"))
			write(t, filepath.Join(dir, "tree", "x.conf"), decoy)
			write(t, filepath.Join(dir, "tree", "inner", "x.conf"), noScheme)
			must(t, os.MkdirAll(filepath.Join(dir, "tree", "inner", "sub"), 0o755))
			must(t, os.Symlink("inner/sub", filepath.Join(dir, "tree", "in")))
		}, false, "", 1, []string{"tree/inner/x.conf:1:57: error: proxy_pass", "tree/x.conf:1:1: info: tree/nginx.conf does not load this file"}, []string{"tree/inner/x.conf:1:1: info"}},
		{"a link inside the tree before .. in a pattern", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "tree", "nginx.conf"), mainWith("in/../x.con[f]"))
			write(t, filepath.Join(dir, "tree", "x.conf"), decoy)
			write(t, filepath.Join(dir, "tree", "inner", "x.conf"), noScheme)
			must(t, os.MkdirAll(filepath.Join(dir, "tree", "inner", "sub"), 0o755))
			must(t, os.Symlink("inner/sub", filepath.Join(dir, "tree", "in")))
		}, false, "", 1, []string{"tree/inner/x.conf:1:57: error: proxy_pass", "tree/x.conf:1:1: info: tree/nginx.conf does not load this file"}, []string{"tree/inner/x.conf:1:1: info"}},
		{"a pattern through a link out of the tree", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "tree", "nginx.conf"), mainWith("sites/*/site.conf"))
			write(t, filepath.Join(dir, "tree", "sites", "app", "site.conf"), decoy)
			write(t, filepath.Join(dir, "outside", "site.conf"), noScheme)
			must(t, os.Symlink("../../outside", filepath.Join(dir, "tree", "sites", "ext")))
		}, false, "", 1, []string{`include "sites/*/site.conf" leaves the tree (/etc/nginx/sites/ext is a symbolic link to /etc/outside)`}, nil},
		// The tree's walk skips hidden directories: only the include reads
		// these.
		{"a pattern in a directory nginxlint cannot search", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "tree", "nginx.conf"), mainWith(".d/*/site.conf"))
			write(t, filepath.Join(dir, "tree", ".d", "app", "site.conf"), decoy)
			write(t, filepath.Join(dir, "tree", ".d", "locked", "site.conf"), noScheme)
			must(t, os.Chmod(filepath.Join(dir, "tree", ".d", "locked"), 0o700))
		}, true, "", 2, []string{"tree/nginx.conf:3:13", ".d/locked/site.conf: permission denied"}, nil},
		{"a directory on a pattern's way nginxlint cannot search", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "tree", "nginx.conf"), mainWith(".secret/sites/*.conf"))
			write(t, filepath.Join(dir, "tree", ".secret", "sites", "app.conf"), noScheme)
			must(t, os.Chmod(filepath.Join(dir, "tree", ".secret"), 0o700))
		}, true, "", 2, []string{"tree/nginx.conf:3:13", ".secret/sites: permission denied"}, nil},
		{"a dump line that looks like a header, naming a file no include reads", nil, false,
			header + "/etc/nginx/nginx.conf:\n" + mainWith("conf.d/*.conf") + "\n" +
				header + "/etc/nginx/conf.d/a.conf:\n" + decoy + header + "/etc/nginx/hidden.conf:\n" + noScheme + "\n",
			1, []string{"/etc/nginx/conf.d/a.conf:3:57: error: proxy_pass"}, nil},
		{"a dump line that looks like a header, in a block", nil, false,
			header + "/etc/nginx/nginx.conf:\n" + mainWith("conf.d/*.conf") + "\n" +
				header + "/etc/nginx/conf.d/a.conf:\nserver {\n    listen 127.0.0.1:8080;\n" + header + "/etc/nginx/conf.d/b.conf:\n    location / { proxy_pass 127.0.0.1:8000; }\n}\n\n" +
				header + "/etc/nginx/conf.d/b.conf:\n" + decoy + "\n",
			1, []string{"/etc/nginx/conf.d/a.conf:4:29: error: proxy_pass"}, nil},
		{"a dump that names a file twice", nil, false,
			header + "/etc/nginx/nginx.conf:\n" + mainWith("conf.d/*.conf") + "\n" +
				header + "/etc/nginx/conf.d/a.conf:\n" + decoy + header + "/etc/nginx/conf.d/b.conf:\n" + noScheme + "\n" +
				header + "/etc/nginx/conf.d/b.conf:\n" + decoy + "\n",
			2, []string{"lines 9 and 12 both start a file named /etc/nginx/conf.d/b.conf"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var r result
			if tc.stdin != "" {
				r = runPathsStdin(t, dir, tc.stdin, "-")
			} else {
				tc.setup(t, dir)
				var cred *syscall.Credential
				if tc.nobody && os.Geteuid() == 0 {
					cred = pathsNobody(t, dir)
				}
				r = runBin(t, dir, cred, "tree")
			}
			out := r.stdout + r.stderr
			ok := r.code == tc.code
			for _, w := range tc.want {
				ok = ok && strings.Contains(out, w)
			}
			for _, n := range tc.not {
				ok = ok && !strings.Contains(out, n)
			}
			if !ok {
				t.Errorf("exit %d, want %d with %q and without %q in the output\n--- stdout\n%.3000s\n--- stderr\n%.3000s", r.code, tc.code, tc.want, tc.not, r.stdout, r.stderr)
			}
		})
	}
}

// pathsNobody opens dir (and the directories above it, and the binary's)
// to other users, so that the binary can run in it as nobody, and returns
// nobody's credential; it skips the test when that cannot be.
func pathsNobody(t *testing.T, dir string) *syscall.Credential {
	t.Helper()
	must(t, os.Chmod(filepath.Dir(binary(t)), 0o755))
	for p := dir; strings.HasPrefix(p, os.TempDir()+"/"); p = filepath.Dir(p) {
		must(t, os.Chmod(p, 0o755))
	}
	for p := dir; p != "/" && p != "."; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
			t.Skipf("%s is not searchable by other users; cannot run the binary as nobody", p)
		}
	}
	return &syscall.Credential{Uid: 65534, Gid: 65534}
}

// runPathsStdin runs the binary in dir with stdin as its standard input,
// with runBin's time limit and crash check.
func runPathsStdin(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
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
