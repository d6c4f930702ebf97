//go:build linux

package main_test

// This file checks socket-permission against real processes: PHP-FPM
// (Debian's php-fpm) serving a pool on a unix socket whose owner, group
// and mode keep nginx's worker user out, and real nginx passing requests
// to it with fastcgi_pass. The oracle is nginx: the request gets 502 and
// its error log says "(13: Permission denied)", and nginxlint, reading the
// same pool file through the manifest's app = link, must report
// socket-permission at the pool's listen.mode. With the mode widened
// (PHP-FPM started again on the rewritten file), both must agree the
// other way: 200 from PHP, and no finding.
//
// As root (CI), nginx's workers run as nobody (user nobody nogroup;) and
// the pool's socket is root:root 0660. As another user, nginx ignores
// user and its workers run as that user, and so does PHP-FPM: the socket
// is then the user's own with mode 0000, which its owner cannot write
// either, and the fix is 0600; the manifest says who nginx's user is
// ([nginx] user, groups).

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

// fpmNotFound is the message of a test that cannot find PHP-FPM.
const fpmNotFound = "php-fpm not found: install it (apt-get install -y php-fpm) to check socket-permission against real PHP-FPM and nginx"

// fpmBinary returns PHP-FPM's binary: php-fpm on PATH, else the newest
// /usr/sbin/php-fpmX.Y. Without one the test is skipped, or fails in CI.
func fpmBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("php-fpm"); err == nil {
		return p
	}
	matches, _ := filepath.Glob("/usr/sbin/php-fpm*")
	for i := len(matches) - 1; i >= 0; i-- {
		if fi, err := os.Stat(matches[i]); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return matches[i]
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal(fpmNotFound)
	}
	t.Skip(fpmNotFound)
	return ""
}

// fpmSide is who the processes run as in one test: nginx's worker user
// and group, the pool's socket in its two states.
type fpmSide struct {
	root                  bool
	nginxUser, nginxGroup string
	groups                []string // every group of nginxUser
	owner, group          string   // the socket's
	denyMode, allowMode   string
}

func fpmSides(t *testing.T) fpmSide {
	t.Helper()
	if os.Geteuid() == 0 {
		s := fpmSide{root: true, nginxUser: "nobody", owner: "root", group: "root", denyMode: "0660", allowMode: "0666"}
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Skipf("no user nobody to run nginx's workers as: %v", err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Skipf("no primary group of nobody: %v", err)
		}
		s.nginxGroup = g.Name
		s.groups = []string{g.Name}
		return s
	}
	u, err := user.Current()
	if err != nil {
		t.Skipf("who runs the test: %v", err)
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		t.Skipf("the test user's group: %v", err)
	}
	s := fpmSide{nginxUser: u.Username, nginxGroup: g.Name, owner: u.Username, group: g.Name, denyMode: "0000", allowMode: "0600"}
	ids, _ := u.GroupIds()
	for _, id := range ids {
		if gg, err := user.LookupGroupId(id); err == nil {
			s.groups = append(s.groups, gg.Name)
		}
	}
	return s
}

// fpm is a running PHP-FPM.
type fpm struct {
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

// startFPM runs PHP-FPM in the foreground on the global configuration
// conf and waits until it listens on socket.
func startFPM(t *testing.T, bin, conf, logPath, socket string) *fpm {
	t.Helper()
	os.Remove(socket)
	cmd := exec.Command(bin, "--nodaemonize", "--fpm-config", conf, "-n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	f := &fpm{cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() { cmd.Wait(); close(f.done) }()
	t.Cleanup(f.stop)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := os.Stat(socket); err == nil {
			return f
		}
		select {
		case <-f.done:
			logText, _ := os.ReadFile(logPath)
			t.Fatalf("php-fpm exited before it listened on %s\n%s%s", socket, out.String(), logText)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			logText, _ := os.ReadFile(logPath)
			t.Fatalf("php-fpm did not listen on %s within 15s\n%s%s", socket, out.String(), logText)
		}
	}
}

// stop ends PHP-FPM: SIGQUIT, then SIGKILL to its process group.
func (f *fpm) stop() {
	select {
	case <-f.done:
		return
	default:
	}
	f.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-f.done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-f.cmd.Process.Pid, syscall.SIGKILL)
		<-f.done
	}
}

func TestSocketPermissionMatchesNginxAndPHPFPM(t *testing.T) {
	nginxtest.Binary(t)
	bin := fpmBinary(t)
	side := fpmSides(t)

	// Everything nginx's workers and PHP's workers touch must be
	// reachable by them: a directory of mode 0755 outside t.TempDir()
	// (which is 0700).
	base, err := os.MkdirTemp("", "nginxlint-fpm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	repo := filepath.Join(base, "repo")
	tree := filepath.Join(repo, "etc", "nginx")
	run := filepath.Join(base, "run")
	www := filepath.Join(base, "www")
	state := filepath.Join(base, "state")
	for _, d := range []string{base, filepath.Join(repo, ".git"), tree, filepath.Join(repo, "php", "pool.d"), run, www, state} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, text string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	socket := filepath.Join(run, "www.sock")
	write(filepath.Join(www, "index.php"), "<?php echo \"php answered\\n\";\n")

	// PHP-FPM: a global configuration outside the repository that
	// includes the pool file the manifest links.
	fpmLog := filepath.Join(run, "php-fpm.log")
	globalConf := filepath.Join(run, "php-fpm.conf")
	write(globalConf, fmt.Sprintf("[global]\npid = %s\nerror_log = %s\ndaemonize = no\ninclude = %s\n",
		filepath.Join(run, "php-fpm.pid"), fpmLog, filepath.Join(repo, "php", "pool.d", "*.conf")))
	poolPath := filepath.Join(repo, "php", "pool.d", "www.conf")
	pool := func(mode string) string {
		var b strings.Builder
		b.WriteString("[www]\n")
		if side.root {
			fmt.Fprintf(&b, "user = %s\ngroup = %s\n", side.nginxUser, side.nginxGroup)
		}
		fmt.Fprintf(&b, "listen = %s\nlisten.owner = %s\nlisten.group = %s\nlisten.mode = %s\n", socket, side.owner, side.group, mode)
		b.WriteString("pm = static\npm.max_children = 1\n")
		return b.String()
	}

	// nginx: its own main context, so that it names its worker user.
	port := nginxtest.FreePort(t)
	listen := fmt.Sprintf("127.0.0.1:%d", port)
	var conf strings.Builder
	conf.WriteString("# socket-permission end to end; pid and daemon are given on the command line\n")
	if side.root {
		fmt.Fprintf(&conf, "user %s %s;\n", side.nginxUser, side.nginxGroup)
	}
	fmt.Fprintf(&conf, "error_log stderr info;\nlock_file %q;\nevents {\n}\nhttp {\n%s", filepath.Join(state, "nginx.lock"), nginxtest.HTTPPreamble(state))
	fmt.Fprintf(&conf, `    server {
        listen %s;
        location / {
            fastcgi_param SCRIPT_FILENAME %s;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_pass unix:%s;
        }
    }
}
`, listen, filepath.Join(www, "index.php"), socket)
	write(filepath.Join(tree, "nginx.conf"), conf.String())

	var manifest strings.Builder
	manifest.WriteString("[nginx]\n")
	if !side.root {
		fmt.Fprintf(&manifest, "user = %q\n", side.nginxUser)
	}
	fmt.Fprintf(&manifest, "groups = [%s]\n\n", quoteList(side.groups))
	fmt.Fprintf(&manifest, "[backends.php]\nlisten = %q\nprotocol = \"fastcgi\"\napp = \"../../php/pool.d/www.conf#www\"\n", "unix:"+socket)
	write(filepath.Join(tree, "backends.toml"), manifest.String())

	srv := nginxtest.Start(t, tree, "nginx.conf", listen)
	for i, st := range []struct {
		mode       string
		wantStatus int
		wantLint   bool
	}{
		{side.denyMode, 502, true},
		{side.allowMode, 200, false},
	} {
		write(poolPath, pool(st.mode))
		f := startFPM(t, bin, globalConf, fpmLog, socket)
		fi, err := os.Stat(socket)
		if err != nil {
			t.Fatal(err)
		}
		status, body := nginxtest.Get(t, "http://"+listen+"/")
		f.stop()
		errLog := srv.ErrorLog()
		denied := strings.Contains(errLog, "(13: Permission denied)")

		diags, out := lintJSON(t, tree)
		var found []string
		for _, d := range diags {
			if d.Rule == "socket-permission" || d.Rule == "socket-permission-group" || d.Rule == "app-drift" || d.Rule == "app-unreadable" {
				found = append(found, fmt.Sprintf("%s:%d:%d: %s: %s [%s]", d.File, d.Line, d.Column, d.Severity, d.Message, d.Rule))
			}
		}
		what := fmt.Sprintf("listen.mode = %s (socket %v, owner %s, group %s, nginx's workers %s:%s)", st.mode, fi.Mode().Perm(), side.owner, side.group, side.nginxUser, side.nginxGroup)
		t.Logf("%s: nginx answered %d %q; nginxlint: %q", what, status, strings.TrimSpace(body), found)
		if status != st.wantStatus {
			t.Errorf("%s: nginx answered %d, want %d\nerror log:\n%s", what, status, st.wantStatus, errLog)
		}
		if st.wantLint {
			if !denied {
				t.Errorf("%s: nginx's error log does not say \"(13: Permission denied)\":\n%s", what, errLog)
			}
			wantAt := fmt.Sprintf("%s:%d:", poolPath, 5+boolInt(side.root)*2)
			if len(found) != 1 || !strings.HasPrefix(found[0], wantAt) || !strings.Contains(found[0], "error: ") || !strings.HasSuffix(found[0], "[socket-permission]") {
				t.Errorf("%s: nginx was denied; want one socket-permission error at %s (listen.mode), got:\n%s\n%s", what, wantAt, strings.Join(found, "\n"), out)
			}
		} else {
			if !strings.Contains(body, "php answered") {
				t.Errorf("%s: the request did not reach PHP: %q", what, body)
			}
			if len(found) > 0 {
				t.Errorf("%s: nginx reached PHP, but nginxlint reports:\n%s", what, strings.Join(found, "\n"))
			}
		}
		if i == 0 {
			// The next state's requests are judged on a fresh log.
			srv.Stop()
			srv = nginxtest.Start(t, tree, "nginx.conf", listen)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
