package safeio

import (
	"fmt"
	"os"
	"syscall"
	"testing"
	"unsafe"
)

// TestIsTerminalPTY: both sides of a pseudo-terminal are terminals.
func TestIsTerminalPTY(t *testing.T) {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer master.Close()
	if !IsTerminal(master) {
		t.Error("IsTerminal(pty master) = false")
	}
	var n uint32
	var unlock int32
	rc, err := master.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var errno syscall.Errno
	must(t, rc.Control(func(fd uintptr) {
		if _, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno == 0 {
			_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n)))
		}
	}))
	if errno != 0 {
		t.Skipf("cannot unlock the pseudo-terminal: %v", errno)
	}
	slave, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("cannot open the pseudo-terminal's other side: %v", err)
	}
	defer slave.Close()
	if !IsTerminal(slave) {
		t.Error("IsTerminal(pty) = false")
	}
}
