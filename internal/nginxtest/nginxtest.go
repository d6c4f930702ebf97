// Package nginxtest runs the real nginx binary from tests: `nginx -t` on a
// config tree (Check, ParseError), nginx serving on loopback (Start), small
// raw HTTP/1.1 backends that echo what nginx sent them (StartBackend), and
// networking helpers (Get, FreePort, IPv6).
//
// # Writing a config tree
//
// A tree is a directory standing for /etc/nginx plus the name of its main
// file inside it. nginx resolves relative include paths against the directory
// of the main file, so keep the main file at the top of the tree.
//
// nginx must never touch the machine's own /etc/nginx, /var/log/nginx,
// /var/lib/nginx or /run/nginx.pid. Check and Start therefore run nginx with
//
//	-p <scratch>/ -c <dir>/<main> -e <scratch>/error.log -g "pid <scratch>/nginx.pid;"
//
// (Start adds "daemon off;" to -g), where <scratch> is a fresh t.TempDir().
// Directives given with -g may not appear in the config as well (nginx
// reports them as duplicate), so a tree must:
//
//   - not set pid or daemon in the main context, nor what MainPreamble
//     sets there other than error_log (user, lock_file, events);
//   - begin its main file with MainPreamble(d), which sets the error log,
//     the lock file and events{} (and, as root, the user; see below);
//   - begin its http{} block, if it has one, with HTTPPreamble(d), which
//     moves the access log and every temporary directory into d (nginx-light
//     compiles in /var/log/nginx and /var/lib/nginx, and `nginx -t` already
//     creates the temporary directories);
//   - when used with Start, give every server an explicit listen directive on
//     a loopback address (127.0.0.0/8, [::1], localhost or unix:).
//
// d is any existing directory the test owns, usually a t.TempDir() of its own
// (it may be the tree itself, at the price of nginx creating files there).
//
// Before running nginx, Check and Start read the tree (following include
// directives) and fail the test when it breaks one of these rules or names
// one of the machine paths above, so that a mistake in a test cannot reach
// the machine's files.
//
// # Privileges
//
// The tests run as root in CI and as a normal user on workstations. A master
// process started by root switches its workers to the user nobody, which can
// neither enter a t.TempDir() (mode 0700) nor connect to a unix socket created
// in one. MainPreamble therefore emits "user root;" when the effective user id
// is 0, so that workers keep root's access; as a normal user it emits nothing,
// since the workers then run as that user anyway. Unix sockets made by
// StartBackend are additionally made world-writable (0777), which helps trees
// that set their own user and keep their socket in a traversable directory.
//
// # Processes
//
// Start runs nginx in the foreground (daemon off) with master_process on, as
// in production, so that worker processes, the user switch and graceful
// shutdown behave as they do there. nginx runs in a process group of its own:
// cleanup sends SIGQUIT to the master, and after 5 seconds SIGKILL to the
// whole group, workers included. The environment variable NGINX (used by
// nginx to inherit listening sockets during a binary upgrade) is removed from
// nginx's environment.
package nginxtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// notFoundMessage is the skip or failure message when nginx is missing.
const notFoundMessage = "nginx not found: install nginx-light (apt-get install -y nginx-light)"

// checkTimeout bounds one `nginx -t` run.
const checkTimeout = 20 * time.Second

// candidatePaths are tried when nginx is not on PATH (normal users usually
// do not have the sbin directories there).
var candidatePaths = []string{
	"/usr/sbin/nginx",
	"/usr/local/sbin/nginx",
	"/usr/local/nginx/sbin/nginx",
}

var (
	binaryOnce sync.Once
	binaryPath string

	versionMu    sync.Mutex
	versionCache = map[string]string{}
)

func findBinary() string {
	binaryOnce.Do(func() {
		if p, err := exec.LookPath("nginx"); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			binaryPath = p
			return
		}
		for _, p := range candidatePaths {
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
				binaryPath = p
				return
			}
		}
	})
	return binaryPath
}

// Binary returns the absolute path of the nginx binary: the one on PATH, else
// the first of /usr/sbin/nginx, /usr/local/sbin/nginx and
// /usr/local/nginx/sbin/nginx that exists. When there is none, the test is
// skipped, or fails if the environment variable CI or
// NGINXLINT_REQUIRE_NGINX is non-empty.
func Binary(t testing.TB) string {
	t.Helper()
	p := findBinary()
	if p == "" {
		if os.Getenv("CI") != "" || os.Getenv("NGINXLINT_REQUIRE_NGINX") != "" {
			t.Fatal(notFoundMessage)
		}
		t.Skip(notFoundMessage)
	}
	return p
}

var versionRE = regexp.MustCompile(`nginx version: [^/\s]+/([0-9][0-9.]*)`)

// Version returns the version of nginx, such as "1.22.1", as printed by
// `nginx -v`.
func Version(t testing.TB) string {
	t.Helper()
	bin := Binary(t)
	versionMu.Lock()
	defer versionMu.Unlock()
	if v, ok := versionCache[bin]; ok {
		return v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-v")
	cmd.Env = nginxEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s -v: %v\n%s", bin, err, out)
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		t.Fatalf("%s -v: cannot find the version in %q", bin, out)
	}
	v := string(m[1])
	versionCache[bin] = v
	return v
}

// Check runs `nginx -t` on the config tree whose main file is main (relative
// to dir, or absolute) and reports whether nginx accepted it, with nginx's
// combined output (its messages go to stderr). Use ParseError to extract the
// error position. The tree must follow the rules in the package
// documentation; the test fails when it does not, and when nginx does not
// finish within 20 seconds.
func Check(t testing.TB, dir, main string) (ok bool, output string) {
	t.Helper()
	bin := Binary(t)
	mainPath := mainFile(t, dir, main)
	if err := checkTree(mainPath, false); err != nil {
		t.Fatalf("nginxtest.Check: %v", err)
	}
	scratch := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-t"}, nginxArgs(scratch, mainPath, false)...)...)
	cmd.Env = nginxEnv()
	cmd.Dir = scratch
	cmd.WaitDelay = time.Second
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nginx -t on %s did not finish within %v\n%s", mainPath, checkTimeout, out.String())
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("nginx -t on %s: %v\n%s", mainPath, err, out.String())
	}
	return err == nil, out.String()
}

// mainFile returns the absolute path of the main file of a tree.
func mainFile(t testing.TB, dir, main string) string {
	t.Helper()
	p := main
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, main)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatalf("nginxtest: %v", err)
	}
	if fi, err := os.Stat(abs); err != nil {
		t.Fatalf("nginxtest: main file: %v", err)
	} else if !fi.Mode().IsRegular() {
		t.Fatalf("nginxtest: main file %s is not a regular file", abs)
	}
	return abs
}

// nginxArgs returns the command-line options that keep nginx inside scratch.
func nginxArgs(scratch, mainPath string, foreground bool) []string {
	g := "pid " + quote(filepath.Join(scratch, "nginx.pid")) + ";"
	if foreground {
		g = "daemon off; " + g
	}
	return []string{
		"-p", scratch + string(filepath.Separator),
		"-c", mainPath,
		"-e", filepath.Join(scratch, "error.log"),
		"-g", g,
	}
}

// nginxEnv returns the environment for nginx: the test's own, without NGINX,
// through which nginx would inherit listening sockets.
func nginxEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "NGINX=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

var (
	emergRE    = regexp.MustCompile(`\[emerg\] (?:\d+#\d+: )?(.*)`)
	positionRE = regexp.MustCompile(`^(.*) in (/.*):(\d+)$`)
)

// ParseError extracts the first [emerg] message from nginx output, either as
// printed on stderr
//
//	nginx: [emerg] unexpected "}" in /tmp/x/nginx.conf:5
//
// or as written to an error log (with date and pid#tid prefixes). For this
// line it returns msg `unexpected "}"`, file "/tmp/x/nginx.conf", line 5 and
// ok true. When the message carries no position (bind() failures, for
// example), file is "" and line 0. ok is false when there is no [emerg]
// message.
func ParseError(output string) (msg, file string, line int, ok bool) {
	for _, l := range strings.Split(output, "\n") {
		l = strings.TrimRight(l, "\r")
		m := emergRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		msg = m[1]
		if p := positionRE.FindStringSubmatch(msg); p != nil {
			if n, err := strconv.Atoi(p[3]); err == nil {
				return p[1], p[2], n, true
			}
		}
		return msg, "", 0, true
	}
	return "", "", 0, false
}

// MainPreamble returns the main-context lines a tree's main file starts with:
//
//	user root;                  # only when the effective user id is 0
//	error_log stderr info;
//	lock_file "<dir>/nginx.lock";
//	events {
//	}
//
// pid and daemon are absent on purpose: Check and Start pass them with -g,
// and nginx rejects a directive given both ways. The error log goes to
// stderr, which Start sends to the same file as nginx's -e log, so that
// Server.ErrorLog shows start-up and run-time messages (from level info on)
// together whatever dir is. dir must be an absolute path without '$'.
func MainPreamble(dir string) string {
	var b strings.Builder
	b.WriteString("# nginxtest main preamble; pid and daemon are given on the command line (-g)\n")
	if os.Geteuid() == 0 {
		b.WriteString("user root;\n")
	}
	b.WriteString("error_log stderr info;\n")
	fmt.Fprintf(&b, "lock_file %s;\n", quote(filepath.Join(dir, "nginx.lock")))
	b.WriteString("events {\n}\n")
	return b.String()
}

// httpPreambleDirectives are the http-context directives HTTPPreamble sets,
// with the file or directory name each one gets inside dir.
var httpPreambleDirectives = [][2]string{
	{"access_log", "access.log"},
	{"client_body_temp_path", "client_body_temp"},
	{"proxy_temp_path", "proxy_temp"},
	{"fastcgi_temp_path", "fastcgi_temp"},
	{"uwsgi_temp_path", "uwsgi_temp"},
	{"scgi_temp_path", "scgi_temp"},
}

// HTTPPreamble returns the lines an http{} block starts with: access_log and
// the client body, proxy, FastCGI, uwsgi and SCGI temporary paths, all inside
// dir, which must exist (nginx creates the temporary directories in it, even
// for `nginx -t`). dir must be an absolute path without '$'.
func HTTPPreamble(dir string) string {
	var b strings.Builder
	b.WriteString("# nginxtest http preamble\n")
	for _, d := range httpPreambleDirectives {
		fmt.Fprintf(&b, "%s %s;\n", d[0], quote(filepath.Join(dir, d[1])))
	}
	return b.String()
}

// quote returns s as a double-quoted nginx string.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}
