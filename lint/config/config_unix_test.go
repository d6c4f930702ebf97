//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestLoadConfined: a configuration file found from a tree is read only
// as a regular file inside its repository, within the size limit; one
// the user names (LoadNamed) may be anywhere, but is held to the rest.
// No error quotes a file that was refused, and nothing blocks.
func TestLoadConfined(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	must(t, os.MkdirAll(filepath.Join(repo, ".git"), 0o755))
	secret := filepath.Join(base, "secret.toml")
	writeFile(t, secret, "format = \"json\"\nAWS_SECRET = hunter2\n")
	outside := filepath.Join(base, "outside.toml")
	writeFile(t, outside, "format = \"json\"\n")
	writeFile(t, filepath.Join(repo, "shared.toml"), "format = \"json\"\n")
	sub := filepath.Join(repo, "a")
	must(t, os.Mkdir(sub, 0o755))
	cfg := filepath.Join(sub, Name)
	big := filepath.Join(base, "big.toml")
	f, err := os.Create(big)
	must(t, err)
	must(t, f.Truncate(syntax.MaxFileSize+1))
	must(t, f.Close())

	for _, tc := range []struct {
		name  string
		setup func() error
		named bool   // LoadNamed
		want  string // in the error; "" when it loads
	}{
		{"link inside the repository", func() error { return os.Symlink("../shared.toml", cfg) }, false, ""},
		{"link outside", func() error { return os.Symlink(secret, cfg) }, false, "outside " + repo},
		{"link to /dev/zero", func() error { return os.Symlink("/dev/zero", cfg) }, false, "outside " + repo},
		{"link to /proc/self/environ", func() error { return os.Symlink("/proc/self/environ", cfg) }, false, "outside " + repo},
		{"FIFO", func() error { return syscall.Mkfifo(cfg, 0o644) }, false, "not a regular file"},
		{"too large", func() error { return os.Symlink("../../big.toml", cfg) }, true, "larger than the 64 MiB limit"},
		{"named, outside", func() error { return os.Symlink(outside, cfg) }, true, ""},
		{"named /dev/zero", func() error { return os.Symlink("/dev/zero", cfg) }, true, "a device, not a regular file"},
		{"named FIFO", func() error { return syscall.Mkfifo(cfg, 0o644) }, true, "not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(cfg)
			must(t, tc.setup())
			load := Load
			if tc.named {
				load = LoadNamed
			}
			done := make(chan struct{})
			var got *File
			go func() {
				defer close(done)
				got, err = load(cfg, configKnownRules, testFormats)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Load did not return")
			}
			switch {
			case tc.want == "" && (err != nil || got.Format != "json"):
				t.Errorf("got %+v, %v; want it loaded", got, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %+v, %v; want an error with %q", got, err, tc.want)
			case err != nil && strings.Contains(err.Error(), "hunter2"):
				t.Errorf("the error quotes the file: %v", err)
			}
		})
	}
}
