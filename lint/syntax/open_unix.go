//go:build unix

package syntax

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// OpenRead opens the file name for reading, for a file known to be a
// regular file (a caller that stats it first). os.Open readies every file
// for the network poller, which for a regular file costs four fcntl calls
// and a failed epoll_ctl, and os.NewFile still asks whether the file is
// non-blocking: on a tree of thousands of small files, more system calls
// than reading them. The file returned is read and closed with plain
// system calls.
func OpenRead(name string) (io.ReadCloser, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: name, Err: err}
		}
		return &fdFile{fd: fd, name: name}, nil
	}
}

// fdFile is a file OpenRead opened.
type fdFile struct {
	fd   int
	name string
}

func (f *fdFile) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(f.fd, b)
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case err != nil:
			return 0, &os.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// Close closes the file; closing it again does nothing (the number may
// belong to another file by then).
func (f *fdFile) Close() error {
	if f.fd < 0 {
		return nil
	}
	fd := f.fd
	f.fd = -1
	if err := syscall.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}
