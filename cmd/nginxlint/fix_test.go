//go:build unix

package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixExample runs the README example through --diff and --fix, as a
// user would: the diff applies with git, --fix leaves only the finding
// that has no certain fix (the fastcgi_pass that dials no backend: the
// manifest binds none to it, so nginxlint only suggests one), a second
// --fix changes nothing, and the sites-enabled symlink is still a link.
func TestFixExample(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	copyTree(t, "../../example", filepath.Join(dir, "example"))
	gitRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.email=t@example.invalid", "-c", "user.name=t"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	gitRun("init", "-q", ".")
	gitRun("add", "-A")
	gitRun("commit", "-qm", "example")

	d := runBin(t, dir, nil, "--diff", "example/etc/nginx")
	if d.code != 1 || !strings.Contains(d.stdout, "+++ b/example/etc/nginx/conf.d/upstreams.conf") {
		t.Fatalf("--diff: exit %d\n%s%s", d.code, d.stdout, d.stderr)
	}
	patch := filepath.Join(t.TempDir(), "fix.diff")
	if err := os.WriteFile(patch, []byte(d.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun("apply", "--check", patch)

	f := runBin(t, dir, nil, "--fix", "example/etc/nginx")
	if f.code != 1 || !strings.Contains(f.stderr, "fixed 4 findings in 2 files") {
		t.Errorf("--fix: exit %d, want 1 (every finding of the example but one has a fix)\n%s%s", f.code, f.stdout, f.stderr)
	}
	left := runBin(t, dir, nil, "example/etc/nginx")
	if lines := strings.Split(strings.TrimSpace(left.stdout), "\n"); left.code != 1 || len(lines) != 2 ||
		!strings.Contains(lines[0], "fastcgi_pass dials unix:/run/php/php8.1-fpm.sock") || !strings.Contains(lines[0], "did you mean unix:/run/php/php8.2-fpm.sock") {
		t.Errorf("after --fix, want only the fastcgi_pass drift (with its suggestion and note): exit %d\n%s", left.code, left.stdout)
	}
	changed := gitRun("diff", "--stat")
	if r := runBin(t, dir, nil, "--fix", "example/etc/nginx"); r.code != 1 || !strings.Contains(r.stderr, "nothing to fix") {
		t.Errorf("second --fix: exit %d\n%s", r.code, r.stderr)
	}
	if again := gitRun("diff", "--stat"); again != changed {
		t.Errorf("a second --fix changed the tree:\n%s\nthen\n%s", changed, again)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "example/etc/nginx/sites-enabled/shop.conf")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("sites-enabled/shop.conf is no longer a symbolic link: %v", err)
	}
	// Only the lines the fixes name changed: every other byte is as it was.
	if n := strings.Count(gitRun("diff", "--numstat"), "\n"); n != 2 {
		t.Errorf("--fix touched %d files, want 2", n)
	}
}
