//go:build unix

package syntax

import (
	"errors"
	"os"
	"syscall"
)

// OpenRead opens the file name for reading, as os.Open does, for a file
// known to be a regular file (a caller that stats it first). os.Open
// readies every file for the network poller, which for a regular file
// costs four fcntl calls and a failed epoll_ctl: on a tree of thousands
// of small files, more system calls than reading them. The file returned
// is not pollable, as os.Open's is not for a regular file.
func OpenRead(name string) (*os.File, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: name, Err: err}
		}
		return os.NewFile(uintptr(fd), name), nil
	}
}
