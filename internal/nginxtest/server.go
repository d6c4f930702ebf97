package nginxtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	startTimeout = 10 * time.Second // until nginx runs and every address accepts
	stopTimeout  = 5 * time.Second  // from SIGQUIT until SIGKILL
	killTimeout  = 5 * time.Second  // from SIGKILL until giving up on the wait
	pollInterval = 10 * time.Millisecond
)

// Server is an nginx started by Start. It is stopped by the test's cleanup.
type Server struct {
	t       testing.TB
	cmd     *exec.Cmd
	logPath string
	logFile *os.File
	exited  chan struct{} // closed once the master has been reaped
	waitErr error         // valid after exited is closed
	stop    sync.Once
}

// Start runs nginx in the foreground on the config tree whose main file is
// main (relative to dir, or absolute), with master_process on, and waits
// (at most 10 seconds) until nginx has opened its listening sockets and each
// address in listen accepts TCP connections. An address is "host:port" on
// loopback ("127.0.0.1:8080", "[::1]:8080", "localhost:8080") or
// "unix:/path" for a unix socket.
//
// The tree must follow the rules in the package documentation. When the tree
// breaks them, nginx exits or the addresses do not accept in time, the test
// fails with nginx's error log. A cleanup registered with t stops nginx:
// SIGQUIT to the master, then SIGKILL to its process group after 5 seconds.
func Start(t testing.TB, dir, main string, listen ...string) *Server {
	t.Helper()
	bin := Binary(t)
	mainPath := mainFile(t, dir, main)
	for _, a := range listen {
		if !loopbackListen(a) || (!strings.HasPrefix(a, "unix:") && !strings.Contains(a, ":")) {
			t.Fatalf("nginxtest.Start: %q is not a loopback host:port or unix:/path", a)
		}
	}
	if err := checkTree(mainPath, true); err != nil {
		t.Fatalf("nginxtest.Start: %v", err)
	}
	scratch := t.TempDir()
	s := &Server{
		t:       t,
		logPath: filepath.Join(scratch, "error.log"),
		exited:  make(chan struct{}),
	}
	logFile, err := os.OpenFile(s.logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatalf("nginxtest.Start: %v", err)
	}
	s.logFile = logFile
	cmd := exec.Command(bin, nginxArgs(scratch, mainPath, true)...)
	cmd.Env = nginxEnv()
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Dir = scratch
	setProcessGroup(cmd)
	s.cmd = cmd
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("nginxtest.Start: %v", err)
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(s.Stop)

	if err := s.waitReady(filepath.Join(scratch, "nginx.pid"), listen); err != nil {
		s.stop.Do(s.kill)
		t.Fatalf("nginxtest.Start: %s: %v\nnginx %s\nerror log:\n%s",
			mainPath, err, strings.Join(cmd.Args[1:], " "), s.ErrorLog())
	}
	return s
}

// waitReady waits until the pid file holds the master's pid, which nginx
// writes only after it has opened every listening socket of the config (so
// an address cannot be answered by some other process while nginx still
// fails to bind), then until each address accepts a connection.
func (s *Server) waitReady(pidFile string, listen []string) error {
	deadline := time.Now().Add(startTimeout)
	pid := strconv.Itoa(s.cmd.Process.Pid)
	for {
		if b, err := os.ReadFile(pidFile); err == nil && strings.TrimSpace(string(b)) == pid {
			break
		}
		// nginx retries a failed bind() for 2.5 seconds before giving up;
		// any [emerg] before the pid file exists means it will not start.
		if strings.Contains(s.ErrorLog(), "[emerg]") {
			return fmt.Errorf("nginx reported an error while starting")
		}
		if err := s.pause(deadline); err != nil {
			return fmt.Errorf("%v before writing its pid file", err)
		}
	}
	for _, a := range listen {
		network, addr := "tcp", a
		if strings.HasPrefix(a, "unix:") {
			network, addr = "unix", strings.TrimPrefix(a, "unix:")
		}
		for {
			c, err := net.DialTimeout(network, addr, 250*time.Millisecond)
			if err == nil {
				c.Close()
				break
			}
			if err := s.pause(deadline); err != nil {
				return fmt.Errorf("%v before %s accepted connections", err, a)
			}
		}
	}
	select {
	case <-s.exited:
		return fmt.Errorf("nginx exited (%v)", s.waitErr)
	default:
		return nil
	}
}

// pause sleeps one poll interval, failing when nginx exits or time is up.
func (s *Server) pause(deadline time.Time) error {
	timer := time.NewTimer(pollInterval)
	defer timer.Stop()
	select {
	case <-s.exited:
		return fmt.Errorf("nginx exited (%v)", s.waitErr)
	case <-timer.C:
	}
	if time.Now().After(deadline) {
		return fmt.Errorf("timed out after %v", startTimeout)
	}
	return nil
}

// Pid returns the process id of the nginx master process.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// ErrorLog returns the current content of nginx's error log: start-up
// messages, and run-time messages of trees using MainPreamble.
func (s *Server) ErrorLog() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", s.logPath, err)
	}
	return string(b)
}

// Stop stops nginx and waits for it: SIGQUIT (graceful shutdown) to the
// master, then, if it is still running after 5 seconds, SIGKILL to its whole
// process group. Stop is called by the test's cleanup; calling it earlier,
// or again, is harmless.
func (s *Server) Stop() {
	s.stop.Do(s.doStop)
}

func (s *Server) doStop() {
	defer s.logFile.Close()
	pid := s.cmd.Process.Pid
	select {
	case <-s.exited:
	default:
		if s.quitOrKill(pid) {
			return // the whole group got SIGKILL already
		}
	}
	// The master has exited. Workers outlive a master that died abruptly;
	// their group id cannot be reused while any of them exists, so killing
	// the group is safe.
	if groupAlive(pid) {
		s.t.Logf("nginxtest: nginx %d exited but left processes behind; sending SIGKILL to its process group", pid)
		_ = killGroup(pid)
	}
}

// kill stops an nginx that failed to start. It may not have installed its
// signal handlers yet, so SIGQUIT would kill it with a core dump.
func (s *Server) kill() {
	defer s.logFile.Close()
	select {
	case <-s.exited:
		return
	default:
	}
	pid := s.cmd.Process.Pid
	s.killAndWait(pid)
}

// killAndWait sends SIGKILL to nginx's process group and waits for the
// master to exit.
func (s *Server) killAndWait(pid int) {
	if err := killGroup(pid); err != nil {
		s.t.Logf("nginxtest: SIGKILL to nginx process group %d: %v", pid, err)
	}
	select {
	case <-s.exited:
	case <-time.After(killTimeout):
		s.t.Errorf("nginxtest: nginx %d did not exit after SIGKILL", pid)
	}
}

// quitOrKill sends SIGQUIT to the master and waits; after stopTimeout it
// sends SIGKILL to the process group, waits again and reports true.
func (s *Server) quitOrKill(pid int) (killed bool) {
	if err := signalQuit(pid); err != nil {
		s.t.Logf("nginxtest: SIGQUIT to nginx %d: %v", pid, err)
	}
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case <-s.exited:
		return false
	case <-timer.C:
	}
	s.t.Logf("nginxtest: nginx %d still running %v after SIGQUIT; sending SIGKILL to its process group", pid, stopTimeout)
	s.killAndWait(pid)
	return true
}
