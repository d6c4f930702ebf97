//go:build unix

package main_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/lint/format"
)

// A lineShape is a configuration whose findings are all on one line, as
// in a minified file: one repetition, written n times on the line, holds
// findings findings.
type lineShape struct {
	name     string
	n        int // the smaller size TestHostileLinearOutput runs
	rep      string
	findings int
}

var lineShapes = []lineShape{
	{"ASCII", 3000, `a "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";`, 1},
	// Characters of two and four bytes, one and two UTF-16 units: the
	// formats that count columns in UTF-16 units decode the line.
	{"wide characters", 3000, `a "é𝄞é𝄞é𝄞é𝄞é𝄞é𝄞";`, 1},
	// Findings of three rules (one with a fix, one with a related place
	// at the line's start) interleaved on the line.
	{"several rules", 1000, `a "é𝄞é𝄞é𝄞"; proxy_pass x; server_tokens on;`, 4},
}

// linearScale, maxLinearGrowth and linearRuns: TestHostileLinearOutput
// runs nginxlint on a line of N repetitions and of linearScale*N, each
// linearRuns times, and the larger may cost at most maxLinearGrowth
// times the processor time of the smaller. A linear cost is 4 times
// (less, with the cost of every run), one that is the findings times the
// length of their line 16.
const (
	linearScale     = 4
	maxLinearGrowth = 10.0
	linearRuns      = 3
)

// TestHostileLinearOutput: many findings on one long line cost every
// output format time linear in the findings, not the findings times the
// length of the line (a column, a line's text or a fingerprint computed
// from the start of the line for each finding). Each format, and the
// text format on a terminal, runs on each lineShape at N and 4N
// repetitions; processor time is that of the nginxlint process, on one
// processor (GOMAXPROCS=1), the least of linearRuns runs at each size
// taken alternately (see TestGrowthPatterns in internal/gentree).
func TestHostileLinearOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the growth test in -short mode")
	}
	start := time.Now()
	pty := openPTY(t)
	formats := append(format.Names(), "terminal")
	for _, s := range lineShapes {
		t.Run(strings.ReplaceAll(s.name, " ", "-"), func(t *testing.T) {
			small, large := lineTree(t, s, s.n), lineTree(t, s, linearScale*s.n)
			// Every repetition's findings are there, on line 3.
			r := runBin(t, small, nil, "--format", "text", ".")
			if got, want := strings.Count(r.stdout, "nginx.conf:3:"), s.n*s.findings; r.code != 1 || got < want {
				t.Fatalf("N=%d: exit %d with %d findings on line 3, want 1 with at least %d\n%.2000s", s.n, r.code, got, want, r.stderr)
			}
			for _, f := range formats {
				t.Run(f, func(t *testing.T) {
					if f == "terminal" && pty == nil {
						t.Skip("no pseudo-terminal")
					}
					c1, c2 := time.Duration(1<<62), time.Duration(1<<62)
					growth := 0.0
					// Measured again when the growth is over the limit but
					// near it (another process may have slowed the larger
					// runs), twice at most; far over it, it is the shape of
					// the cost, and each quadratic run takes seconds.
					for round := 0; round < 3 && (round == 0 || growth > maxLinearGrowth && growth < 1.25*maxLinearGrowth); round++ {
						for range linearRuns {
							c1 = min(c1, lineCost(t, small, f, pty))
							c2 = min(c2, lineCost(t, large, f, pty))
						}
						growth = float64(c2) / float64(c1)
					}
					msg := fmt.Sprintf("N=%d (%d findings): %v of processor time; %dN: %v; growth %.2fx",
						s.n, s.n*s.findings, c1.Round(time.Millisecond), linearScale, c2.Round(time.Millisecond), growth)
					t.Log(msg)
					if growth > maxLinearGrowth {
						t.Errorf("%d times the findings on one line cost more than %.0f times as much: %s", linearScale, maxLinearGrowth, msg)
					}
				})
			}
		})
	}
	t.Logf("all shapes in %v", time.Since(start).Round(time.Second))
}

// lineTree writes nginx.conf with n repetitions of s on its third line
// into a new directory, and returns the directory.
func lineTree(t *testing.T, s lineShape, n int) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "nginx.conf"), events+"http {\n"+strings.Repeat(s.rep, n)+"\n}\n")
	return dir
}

// lineCost runs nginxlint on dir in format f ("terminal": the text
// format, its standard output the terminal pty) on one processor, and
// returns the processor time (user and system) it took. The run must end
// in findings (exit 1) within the time limit.
func lineCost(t *testing.T, dir, f string, pty *os.File) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := []string{"--format", f, "."}
	if f == "terminal" {
		args = []string{"."}
	}
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if f == "terminal" {
		cmd.Stdout = pty
	}
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nginxlint %s did not finish within 60s", strings.Join(args, " "))
	}
	if code := exitCode(t, err); code != 1 {
		t.Fatalf("nginxlint %s: exit %d, want 1\n%.2000s", strings.Join(args, " "), code, stderr.String())
	}
	if f != "terminal" && stdout.Len() == 0 {
		t.Fatalf("nginxlint %s wrote nothing", strings.Join(args, " "))
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}
