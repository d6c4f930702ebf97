package main

import (
	"runtime/debug"
	"testing"

	"github.com/nginxlint/nginxlint/internal/cli"
)

// gcPercent reads the garbage collector's setting without changing it.
func gcPercent() int {
	v := debug.SetGCPercent(100)
	debug.SetGCPercent(v)
	return v
}

// TestGCPolicy checks the garbage collector's settings through a run's
// stages, and that the process's own setting is back when it is done.
func TestGCPolicy(t *testing.T) {
	const mine = 137
	defer debug.SetGCPercent(debug.SetGCPercent(mine))
	phase := gcPolicy(false)
	for _, c := range []struct {
		p    cli.Phase
		want int
	}{{cli.Loading, gcPercentLoading}, {cli.Checking, gcPercentAfterLoad}, {cli.Done, mine}} {
		phase(c.p)
		if got := gcPercent(); got != c.want {
			t.Errorf("after phase %d, GOGC is %d, want %d", c.p, got, c.want)
		}
	}
	if gcPolicy(true) != nil {
		t.Error("GOGC set by the user: the policy must leave the collector alone")
	}
}
