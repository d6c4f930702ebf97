package safeio

import "os"

// IsTerminal reports whether f is a terminal: a file that answers the
// terminal's own request (TCGETS, as isatty(3) does), not merely a
// character device (/dev/null is one, and is no terminal).
func IsTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	// Through SyscallConn rather than Fd: Fd would put f in blocking
	// mode.
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	is := false
	if err := rc.Control(func(fd uintptr) { is = isTerminal(fd) }); err != nil {
		return false
	}
	return is
}
