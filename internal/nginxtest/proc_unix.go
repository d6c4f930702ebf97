//go:build unix

package nginxtest

import (
	"os/exec"
	"syscall"
)

// setProcessGroup makes the command the leader of a new process group, so
// that the master process and every worker it forks can be killed together.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// signalQuit asks nginx for a graceful shutdown.
func signalQuit(pid int) error {
	return syscall.Kill(pid, syscall.SIGQUIT)
}

// killGroup sends SIGKILL to the process group led by pid. It must only be
// called while the leader has not been reaped, so that the group id cannot
// have been reused.
func killGroup(pid int) error {
	return syscall.Kill(-pid, syscall.SIGKILL)
}

// groupAlive reports whether any process of the group led by pid exists.
func groupAlive(pid int) bool {
	return syscall.Kill(-pid, 0) == nil
}
