//go:build unix

package safeio

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadFile: what a tree names is read only as a regular file inside
// its directory, within the limit; what the user names may be anywhere,
// but is still a regular file within the limit. Nothing blocks, and no
// error quotes the content of a file that was refused.
func TestReadFile(t *testing.T) {
	const secret = "AWS_SECRET_ACCESS_KEY=hunter2"
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	out := filepath.Join(base, "outside")
	write(t, filepath.Join(out, "creds"), secret)
	write(t, filepath.Join(repo, "tree", "backends.toml"), "ok")
	write(t, filepath.Join(repo, "shared", "backends.toml"), "shared")
	write(t, filepath.Join(repo, "exact"), strings.Repeat("x", 100))
	write(t, filepath.Join(repo, "over"), strings.Repeat("x", 101))
	must(t, os.Symlink("../shared/backends.toml", filepath.Join(repo, "tree", "rel-inside")))
	must(t, os.Symlink(filepath.Join(repo, "shared", "backends.toml"), filepath.Join(repo, "tree", "abs-inside")))
	must(t, os.Symlink("../../outside/creds", filepath.Join(repo, "tree", "rel-outside")))
	must(t, os.Symlink(filepath.Join(out, "creds"), filepath.Join(repo, "tree", "abs-outside")))
	must(t, os.Symlink(out, filepath.Join(repo, "tree", "dir-outside")))
	must(t, os.Symlink("rel-outside", filepath.Join(repo, "tree", "chain-outside")))
	must(t, os.Symlink("/dev/zero", filepath.Join(repo, "tree", "zero")))
	must(t, os.Symlink("/proc/self/environ", filepath.Join(repo, "tree", "environ")))
	must(t, os.Symlink("gone", filepath.Join(repo, "tree", "dangling")))
	must(t, syscall.Mkfifo(filepath.Join(repo, "tree", "fifo"), 0o644))
	must(t, syscall.Mkfifo(filepath.Join(out, "fifo"), 0o644))
	must(t, os.Symlink("fifo", filepath.Join(repo, "tree", "fifo-link")))
	must(t, os.Mkdir(filepath.Join(repo, "tree", "dir"), 0o755))
	big := filepath.Join(repo, "tree", "sparse")
	f, err := os.Create(big)
	must(t, err)
	must(t, f.Truncate(1<<30))
	must(t, f.Close())

	in := func(p string) string { return filepath.Join(repo, "tree", p) }
	cases := []struct {
		name, within string
		want         string // the content, or
		err          error  // the error
	}{
		{in("backends.toml"), repo, "ok", nil},
		{in("rel-inside"), repo, "shared", nil},
		{in("abs-inside"), repo, "shared", nil},
		{in("rel-inside"), filepath.Join(repo, "tree"), "", ErrOutside},
		{in("rel-outside"), repo, "", ErrOutside},
		{in("abs-outside"), repo, "", ErrOutside},
		{in("dir-outside/creds"), repo, "", ErrOutside},
		{in("chain-outside"), repo, "", ErrOutside},
		{in("zero"), repo, "", ErrOutside},
		{in("environ"), repo, "", ErrOutside},
		{in("../../outside/creds"), repo, "", ErrOutside},
		{filepath.Join(out, "creds"), repo, "", ErrOutside},
		{in("dangling"), repo, "", fs.ErrNotExist},
		{in("missing"), repo, "", fs.ErrNotExist},
		{in("fifo"), repo, "", ErrNotRegular},
		{in("fifo-link"), repo, "", ErrNotRegular},
		{in("dir"), repo, "", ErrNotRegular},
		{in("sparse"), repo, "", ErrTooBig},
		{filepath.Join(repo, "exact"), repo, strings.Repeat("x", 100), nil},
		{filepath.Join(repo, "over"), repo, "", ErrTooBig},
		// Named by the user: anywhere, but still a regular file within
		// the limit.
		{filepath.Join(out, "creds"), "", secret, nil},
		{in("abs-outside"), "", secret, nil},
		{"/dev/zero", "", "", ErrNotRegular},
		{"/dev/null", "", "", ErrNotRegular},
		{filepath.Join(out, "fifo"), "", "", ErrNotRegular},
		{in("sparse"), "", "", ErrTooBig},
	}
	for _, tc := range cases {
		done := make(chan struct{})
		var got []byte
		var err error
		go func() {
			defer close(done)
			got, err = ReadFile(tc.name, tc.within, 100)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("ReadFile(%s, %q) did not return", tc.name, tc.within)
		}
		switch {
		case tc.err == nil && (err != nil || string(got) != tc.want):
			t.Errorf("ReadFile(%s, %q) = %q, %v; want %q", tc.name, tc.within, got, err, tc.want)
		case tc.err != nil && !errors.Is(err, tc.err):
			t.Errorf("ReadFile(%s, %q) = %q, %v; want %v", tc.name, tc.within, got, err, tc.err)
		case err != nil && strings.Contains(err.Error(), "hunter2"):
			t.Errorf("ReadFile(%s, %q): the error quotes the file: %v", tc.name, tc.within, err)
		}
	}
}

func TestScope(t *testing.T) {
	base := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(base, "repo", ".git"), 0o755))
	must(t, os.MkdirAll(filepath.Join(base, "repo", "a", "b"), 0o755))
	must(t, os.MkdirAll(filepath.Join(base, "plain", "c"), 0o755))
	for dir, want := range map[string]string{
		filepath.Join(base, "repo", "a", "b"): filepath.Join(base, "repo"),
		filepath.Join(base, "repo"):           filepath.Join(base, "repo"),
		filepath.Join(base, "plain", "c"):     filepath.Join(base, "plain", "c"),
	} {
		if got, err := Scope(dir); err != nil || got != want {
			t.Errorf("Scope(%s) = %s, %v; want %s", dir, got, err, want)
		}
	}
}

// TestIsTerminal: a character device is not a terminal for all that
// (/dev/null); files, pipes and nil are not either.
func TestIsTerminal(t *testing.T) {
	if IsTerminal(nil) {
		t.Error("IsTerminal(nil) = true")
	}
	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	must(t, err)
	defer file.Close()
	if IsTerminal(file) {
		t.Error("IsTerminal(regular file) = true")
	}
	r, w, err := os.Pipe()
	must(t, err)
	defer r.Close()
	defer w.Close()
	if IsTerminal(w) {
		t.Error("IsTerminal(pipe) = true")
	}
	for _, dev := range []string{os.DevNull, "/dev/zero", "/dev/full"} {
		f, err := os.OpenFile(dev, os.O_WRONLY, 0)
		if err != nil {
			continue
		}
		if IsTerminal(f) {
			t.Errorf("IsTerminal(%s) = true", dev)
		}
		f.Close()
	}
}
