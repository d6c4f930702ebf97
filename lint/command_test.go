package lint

import (
	"io"
	"runtime/debug"
	"strings"
	"testing"
)

// TestMainRestoresGC checks that a run leaves the garbage collector as it
// found it, whether it succeeds or fails, since Main also runs inside
// other programs (tests, benchmarks).
func TestMainRestoresGC(t *testing.T) {
	t.Setenv("GOGC", "")
	const mine = 137
	defer debug.SetGCPercent(debug.SetGCPercent(mine))
	for _, args := range [][]string{
		{"../example/etc/nginx"},
		{"../testdata/no/such/tree"},
	} {
		Main(args, nil, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard})
		if got := debug.SetGCPercent(mine); got != mine {
			t.Errorf("after nginxlint %s, GOGC is %d, want %d", args[0], got, mine)
		}
	}
}
