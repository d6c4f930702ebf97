//go:build !unix

package nginxtest

import (
	"errors"
	"os"
	"os/exec"
)

func setProcessGroup(cmd *exec.Cmd) {}

func signalQuit(pid int) error {
	return errors.New("nginxtest: graceful stop is not supported on this platform")
}

func killGroup(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}

func groupAlive(pid int) bool { return false }
