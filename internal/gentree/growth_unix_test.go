//go:build unix

package main

import (
	"syscall"
	"testing"
	"time"
)

// processorTime returns the processor time the process used so far, user
// and system, of every thread.
func processorTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
