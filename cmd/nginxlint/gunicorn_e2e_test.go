//go:build linux

package main_test

// This file checks app-drift and socket-permission against a real gunicorn
// (Debian's gunicorn) serving a tiny WSGI app behind real nginx, the
// manifest linking the app's gunicorn.conf.py with app =. The oracle is
// nginx:
//
//   - agree: gunicorn binds where the manifest and nginx say; the request
//     through nginx gets 200 "ok" and nginxlint exits 0 with no finding
//     about the app;
//   - drift: gunicorn.conf.py binds another port (gunicorn started again),
//     nginx and the manifest unchanged; the request gets 502, and
//     nginxlint reports app-drift at the bind value (gunicorn.conf.py line
//     1), exit 1;
//   - unix socket: gunicorn binds a unix socket whose mode (from umask)
//     keeps nginx's worker user out; the request gets 502 with "(13:
//     Permission denied)" in nginx's error log, and nginxlint reports
//     socket-permission at the umask (line 2). With the umask widened,
//     200 and no finding.
//
// gunicorn.conf.py names the socket's user and group (without them the
// owner is whoever starts gunicorn, which nginxlint cannot know, and it
// stays silent). As root (CI), nginx's workers run as nobody and gunicorn
// as root, umask 0o007 (socket root:root 0770) against 0o000. As another
// user, both run as that user: umask 0o777 (mode 0000, which its owner
// cannot write either) against 0o077 (0700).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/rules"
)

// gunicornNotFound is the message of a test that cannot find gunicorn.
const gunicornNotFound = "gunicorn not found: install it (apt-get install -y gunicorn) to check app-drift and socket-permission against real gunicorn and nginx"

// gunicornBinary returns gunicorn's binary on PATH. Without one the test
// is skipped, or fails in CI.
func gunicornBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("gunicorn"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal(gunicornNotFound)
	}
	t.Skip(gunicornNotFound)
	return ""
}

// wsgiApp is the app gunicorn serves: 200 "ok" to everything.
const wsgiApp = `def app(environ, start_response):
    body = b"ok\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
`

// gunicornProc is a running gunicorn.
type gunicornProc struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// startGunicorn runs `gunicorn -c gunicorn.conf.py app:app` in dir and
// waits until it accepts on addr (host:port or unix:/path).
func startGunicorn(t *testing.T, bin, dir, addr string) *gunicornProc {
	t.Helper()
	cmd := exec.Command(bin, "-c", "gunicorn.conf.py", "app:app")
	cmd.Dir = dir
	env := []string{"PYTHONDONTWRITEBYTECODE=1"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GUNICORN_CMD_ARGS=") && !strings.HasPrefix(kv, "WEB_CONCURRENCY=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	g := &gunicornProc{cmd: cmd, out: out, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(g.done) }()
	t.Cleanup(g.stop)
	network, address := "tcp", addr
	if p, ok := strings.CutPrefix(addr, "unix:"); ok {
		network, address = "unix", p
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if network == "unix" {
			// A connect would be refused as nginx's would; the socket's
			// existence is enough.
			if _, err := os.Stat(address); err == nil {
				return g
			}
		} else if c, err := net.DialTimeout(network, address, time.Second); err == nil {
			c.Close()
			return g
		}
		select {
		case <-g.done:
			t.Fatalf("gunicorn exited before it listened on %s\n%s", addr, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("gunicorn did not listen on %s within 15s\n%s", addr, out.String())
		}
	}
}

// stop ends gunicorn: SIGINT (quick shutdown), then SIGKILL to its process
// group.
func (g *gunicornProc) stop() {
	select {
	case <-g.done:
		return
	default:
	}
	_ = g.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-g.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-g.cmd.Process.Pid, syscall.SIGKILL)
		<-g.done
	}
}

// lintCode runs nginxlint --format json on tree and returns its findings
// about the app and the backends, everything it printed, and its exit code.
func lintCode(t *testing.T, tree string) (found []string, out string, code int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code = cli.Main([]string{"--format", "json", tree}, rules.All(),
		cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	out = stdout.String() + stderr.String()
	if code != cli.ExitClean && code != cli.ExitFindings {
		t.Fatalf("nginxlint %s exited %d\n%s", tree, code, out)
	}
	var report struct {
		Diagnostics []jsonDiag `json:"diagnostics"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("nginxlint output is not JSON: %v\n%s", err, out)
	}
	for _, d := range report.Diagnostics {
		if strings.HasPrefix(d.Rule, "app-") || strings.HasPrefix(d.Rule, "socket-permission") || strings.HasPrefix(d.Rule, "backend-") {
			found = append(found, fmt.Sprintf("%s:%d:%d: %s: %s [%s]", d.File, d.Line, d.Column, d.Severity, d.Message, d.Rule))
		}
	}
	return found, out, code
}

// gunicornTree lays out a repository (with .git, so that app files are
// read) in a 0755 directory outside t.TempDir(), which nginx's workers
// could not enter: repo/nginx holds nginx.conf proxying to target and
// backends.toml listing listen with app = "../app/gunicorn.conf.py";
// repo/app the WSGI app. It returns the tree, the app's directory, a
// scratch directory for sockets, and nginx's listen address.
func gunicornTree(t *testing.T, side fpmSide, target func(run string) (proxy, listen string)) (tree, appDir, run, addr string) {
	t.Helper()
	base, err := os.MkdirTemp("", "nginxlint-gunicorn-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	repo := filepath.Join(base, "repo")
	tree = filepath.Join(repo, "nginx")
	appDir = filepath.Join(repo, "app")
	run = filepath.Join(base, "run")
	state := filepath.Join(base, "state")
	for _, d := range []string{base, filepath.Join(repo, ".git"), tree, appDir, run, state} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile644(t, filepath.Join(appDir, "app.py"), wsgiApp)
	proxy, listen := target(run)

	addr = fmt.Sprintf("127.0.0.1:%d", nginxtest.FreePort(t))
	var conf strings.Builder
	conf.WriteString("# gunicorn end to end; pid and daemon are given on the command line\n")
	if side.root {
		fmt.Fprintf(&conf, "user %s %s;\n", side.nginxUser, side.nginxGroup)
	}
	fmt.Fprintf(&conf, "error_log stderr info;\nlock_file %q;\nevents {\n}\nhttp {\n%s", filepath.Join(state, "nginx.lock"), nginxtest.HTTPPreamble(state))
	fmt.Fprintf(&conf, "    server {\n        listen %s;\n        location / {\n            proxy_pass %s;\n        }\n    }\n}\n", addr, proxy)
	writeFile644(t, filepath.Join(tree, "nginx.conf"), conf.String())

	var manifest strings.Builder
	manifest.WriteString("[nginx]\n")
	if !side.root {
		fmt.Fprintf(&manifest, "user = %q\n", side.nginxUser)
	}
	fmt.Fprintf(&manifest, "groups = [%s]\n\n", quoteList(side.groups))
	fmt.Fprintf(&manifest, "[backends.app]\nlisten = %q\nprotocol = \"http\"\napp = \"../app/gunicorn.conf.py\"\n", listen)
	writeFile644(t, filepath.Join(tree, "backends.toml"), manifest.String())
	return tree, appDir, run, addr
}

func writeFile644(t *testing.T, p, text string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGunicornAppDriftMatchesNginx(t *testing.T) {
	nginxtest.Binary(t)
	bin := gunicornBinary(t)
	side := fpmSides(t)

	t.Run("tcp", func(t *testing.T) {
		port := nginxtest.FreePort(t)
		backend := fmt.Sprintf("127.0.0.1:%d", port)
		tree, appDir, _, addr := gunicornTree(t, side, func(string) (string, string) {
			return "http://" + backend, backend
		})
		confPath := filepath.Join(appDir, "gunicorn.conf.py")
		srv := nginxtest.Start(t, tree, "nginx.conf", addr)

		// A: gunicorn binds where nginx and the manifest say.
		writeFile644(t, confPath, fmt.Sprintf("bind = %q\nworkers = 1\n", backend))
		g := startGunicorn(t, bin, appDir, backend)
		status, body := nginxtest.Get(t, "http://"+addr+"/")
		g.stop()
		found, out, code := lintCode(t, tree)
		t.Logf("agree: gunicorn binds %s: nginx answered %d %q; nginxlint exit %d: %q", backend, status, strings.TrimSpace(body), code, found)
		if status != 200 || strings.TrimSpace(body) != "ok" {
			t.Errorf("agree: nginx answered %d %q, want 200 \"ok\"\nerror log:\n%s\ngunicorn:\n%s", status, body, srv.ErrorLog(), g.out.String())
		}
		if code != cli.ExitClean || len(found) > 0 {
			t.Errorf("agree: nginx reached gunicorn, but nginxlint exited %d with:\n%s\n%s", code, strings.Join(found, "\n"), out)
		}

		// B: gunicorn binds another port; nginx and the manifest unchanged.
		moved := fmt.Sprintf("127.0.0.1:%d", nginxtest.FreePort(t))
		writeFile644(t, confPath, fmt.Sprintf("bind = %q\nworkers = 1\n", moved))
		g = startGunicorn(t, bin, appDir, moved)
		status, body = nginxtest.Get(t, "http://"+addr+"/")
		g.stop()
		errLog := srv.ErrorLog()
		found, out, code = lintCode(t, tree)
		t.Logf("drift: gunicorn binds %s: nginx answered %d; nginxlint exit %d: %q", moved, status, code, found)
		if status != 502 {
			t.Errorf("drift: nginx answered %d %q, want 502\nerror log:\n%s", status, body, errLog)
		}
		if !strings.Contains(errLog, "connect() failed") {
			t.Errorf("drift: nginx's error log does not say \"connect() failed\":\n%s", errLog)
		}
		wantAt := fmt.Sprintf("%s:1:%d:", confPath, len(`bind = `)+1)
		var drift int
		for _, f := range found {
			if strings.HasSuffix(f, "[app-drift]") {
				drift++
				if !strings.HasPrefix(f, wantAt) {
					t.Errorf("drift: app-drift at the wrong place, want %s\n%s", wantAt, f)
				}
			}
		}
		if code != cli.ExitFindings || drift != 1 {
			t.Errorf("drift: nginx got 502; want one app-drift at %s and exit 1, got exit %d:\n%s\n%s", wantAt, code, strings.Join(found, "\n"), out)
		}
	})

	t.Run("unix", func(t *testing.T) {
		var socket string
		tree, appDir, _, addr := gunicornTree(t, side, func(run string) (string, string) {
			socket = filepath.Join(run, "app.sock")
			return "http://unix:" + socket + ":", "unix:" + socket
		})
		confPath := filepath.Join(appDir, "gunicorn.conf.py")
		srv := nginxtest.Start(t, tree, "nginx.conf", addr)
		deny, allow := "0o777", "0o077"
		if side.root {
			deny, allow = "0o007", "0o000"
		}
		for i, st := range []struct {
			umask      string
			wantStatus int
			wantLint   bool
		}{
			{deny, 502, true},
			{allow, 200, false},
		} {
			// user and group name the socket's owner, which nginxlint
			// cannot know otherwise (it is whoever starts gunicorn).
			writeFile644(t, confPath, fmt.Sprintf("bind = %q\numask = %s\nuser = %q\ngroup = %q\nworkers = 1\n", "unix:"+socket, st.umask, side.owner, side.group))
			os.Remove(socket)
			g := startGunicorn(t, bin, appDir, "unix:"+socket)
			fi, err := os.Stat(socket)
			if err != nil {
				t.Fatal(err)
			}
			status, body := nginxtest.Get(t, "http://"+addr+"/")
			g.stop()
			errLog := srv.ErrorLog()
			found, out, code := lintCode(t, tree)
			what := fmt.Sprintf("umask = %s (socket %v, nginx's workers %s:%s)", st.umask, fi.Mode().Perm(), side.nginxUser, side.nginxGroup)
			if status != 200 {
				body = "" // nginx's error page
			}
			t.Logf("%s: nginx answered %d %q; nginxlint exit %d: %q", what, status, strings.TrimSpace(body), code, found)
			if status != st.wantStatus {
				t.Errorf("%s: nginx answered %d, want %d\nerror log:\n%s\ngunicorn:\n%s", what, status, st.wantStatus, errLog, g.out.String())
			}
			if st.wantLint {
				if !strings.Contains(errLog, "(13: Permission denied)") {
					t.Errorf("%s: nginx's error log does not say \"(13: Permission denied)\":\n%s", what, errLog)
				}
				wantAt := confPath + ":2:"
				if len(found) != 1 || !strings.HasPrefix(found[0], wantAt) || !strings.HasSuffix(found[0], "[socket-permission]") || code != cli.ExitFindings {
					t.Errorf("%s: nginx was denied; want one socket-permission at %s (umask) and exit 1, got exit %d:\n%s\n%s", what, wantAt, code, strings.Join(found, "\n"), out)
				}
			} else if strings.TrimSpace(body) != "ok" || len(found) > 0 || code != cli.ExitClean {
				t.Errorf("%s: want \"ok\" from gunicorn and nginxlint clean, got %q, exit %d:\n%s", what, body, code, strings.Join(found, "\n"))
			}
			if i == 0 {
				// The next state is judged on a fresh log.
				srv.Stop()
				srv = nginxtest.Start(t, tree, "nginx.conf", addr)
			}
		}
	})
}
