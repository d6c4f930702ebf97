//go:build unix

package safeio

import "syscall"

// oNonblock opens a FIFO without waiting for a writer, should one take a
// regular file's place between the check and the open; regular files
// ignore it.
const oNonblock = syscall.O_NONBLOCK
