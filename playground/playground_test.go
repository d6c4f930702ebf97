// Package playground_test builds the playground page (scripts/playground.sh)
// and runs its browser test (test/e2e.mjs): headless Chromium loads the
// page, nginxlint runs in it as WebAssembly, a proxy_pass without a
// scheme is typed, reported, fixed with a click, and gone.
package playground_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// need returns the path of the program name, or skips the test (fails
// it in CI, where .ci/run installs it).
func need(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; .ci/run installs it (%s) for the playground's browser test", name, install)
	}
	t.Skipf("%s is not installed (%s); the playground's browser test is skipped", name, install)
	return ""
}

func TestPlaygroundInBrowser(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the browser test runs on Linux, with Debian's chromium")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = need(t, "chromium", "apt-get install -y chromium")
	}
	node := need(t, "node", "apt-get install -y nodejs")
	npm := need(t, "npm", "apt-get install -y npm")

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	run := func(dir string, env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	site := filepath.Join(t.TempDir(), "site")
	out := run(repo, nil, "bash", "scripts/playground.sh", site)
	t.Log(strings.TrimSpace(out))
	for _, f := range []string{"index.html", "app.js", "worker.js", "style.css", "wasm_exec.js", "nginxlint.wasm"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil {
			t.Fatalf("the build did not write %s: %v", f, err)
		}
	}

	// The test's dependencies, exactly as locked, into a copy of the
	// test's directory; npm's cache makes a second run offline.
	testDir := filepath.Join(t.TempDir(), "test")
	if err := os.MkdirAll(testDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"package.json", "package-lock.json", "e2e.mjs"} {
		data, err := os.ReadFile(filepath.Join("test", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(testDir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(testDir, nil, npm, "ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts")

	shot := os.Getenv("PLAYGROUND_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(os.TempDir(), "nginxlint-playground.png")
	}
	out = run(testDir, []string{"CHROMIUM=" + chromium}, node, "e2e.mjs", site, shot)
	t.Log(strings.TrimSpace(out))
	if !regexp.MustCompile(`(?m)^timings: \{.*"relint_ms":\d+`).MatchString(out) {
		t.Errorf("the browser test printed no timings:\n%s", out)
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() == 0 {
		t.Errorf("no screenshot at %s: %v", shot, err)
	}
}

// TestBuildScriptUsage: the build script says how to call it, exits 2 on
// a wrong call, and takes OUTDIR relative to where it is run from.
func TestBuildScriptUsage(t *testing.T) {
	script, err := filepath.Abs(filepath.Join("..", "scripts", "playground.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage: scripts/playground.sh OUTDIR"},
		{[]string{"--help"}, 0, "usage: scripts/playground.sh OUTDIR"},
		{[]string{"-o"}, 2, "unknown option -o"},
		{[]string{"a", "b"}, 2, "one OUTDIR only"},
	} {
		dir := t.TempDir()
		cmd := exec.Command("bash", append([]string{script}, c.args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code || !strings.Contains(string(out), c.want) {
			t.Errorf("playground.sh %q: exit %d, want %d and %q:\n%s", c.args, code, c.code, c.want, out)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("playground.sh %q wrote into %s without building", c.args, dir)
		}
	}
}
