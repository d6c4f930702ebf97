//go:build unix

package main_test

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// The files nginxlint reads besides the nginx tree (the backend manifest,
// .nginxlint.toml) come with the tree, from whoever proposes a change to
// it. These tests build such files to make nginxlint read what it was not
// given (credentials, its own environment), block (a FIFO), exhaust memory
// (/dev/zero, a huge file) or the stack (deep nesting), or take a file
// another user put there; and they check that --fix writes nothing on a
// tree it could not read whole, and that /dev/null is no terminal.

// confineSecret is in every file nginxlint must not read, and in its
// environment (/proc/self/environ): no output may ever show it.
const confineSecret = "hunter2SECRETvalue"

// confineConf is an nginx.conf with one finding, which --fix can fix.
const confineConf = events + "http {\n    server {\n        listen 80;\n        location / { proxy_pass 127.0.0.1:8000; }\n    }\n}\n"

// confineManifest is a valid manifest (a backend where the tree dials).
const confineManifest = "[backends.app]\nlisten = \"127.0.0.1:8000\"\n"

// confineDisable is a configuration that turns the tree's finding off.
const confineDisable = "[rules]\ndisable = [\"proxy-pass-scheme\"]\n"

// confineLayout is a repository (repo, holding .git) with an nginx tree
// (repo/etc/nginx), and beside it a directory outside the repository
// holding a credentials file and a valid manifest.
type confineLayout struct {
	base, repo, tree, outside string
}

func newConfineLayout(t *testing.T) confineLayout {
	t.Helper()
	base := t.TempDir()
	l := confineLayout{
		base:    base,
		repo:    filepath.Join(base, "repo"),
		tree:    filepath.Join(base, "repo", "etc", "nginx"),
		outside: filepath.Join(base, "outside"),
	}
	must(t, os.MkdirAll(filepath.Join(l.repo, ".git"), 0o755))
	write(t, filepath.Join(l.tree, "nginx.conf"), confineConf)
	// An unquoted value: a TOML error would quote it.
	write(t, filepath.Join(l.outside, "credentials"), "[default]\naws_secret_access_key = "+confineSecret+"\n")
	write(t, filepath.Join(l.outside, "backends.toml"), "[backends."+confineSecret+"]\nlisten = \"127.0.0.1:1\"\n")
	write(t, filepath.Join(l.outside, "nginxlint.toml"), confineDisable)
	return l
}

// sparse makes a file of size bytes that takes no room on disk.
func sparse(t *testing.T, path string, size int64) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	f, err := os.Create(path)
	must(t, err)
	must(t, f.Truncate(size))
	must(t, f.Close())
}

// needProc skips a test that needs /proc/self/environ.
func needProc(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skipf("no /proc/self/environ here: %v", err)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	must(t, syscall.Mkfifo(path, 0o644))
}

// TestHostileTreeFiles: the default backends.toml, the manifest a
// .nginxlint.toml names, and .nginxlint.toml itself are read only as
// regular files inside the repository, within the size limit: a link out
// of it (to credentials, /proc/self/environ, /dev/zero, through a linked
// directory, by .. or an absolute path), a FIFO, a device or a file past
// the limit ends in exit 2, at once, saying why, and quoting nothing of
// what it was not entitled to read. What the user names on the command
// line (--manifest, --config) may be anywhere, but must still be a
// regular file within the limit. Links inside the repository are fine.
func TestHostileTreeFiles(t *testing.T) {
	// /proc/self/environ of nginxlint holds the secret too.
	t.Setenv("NGINXLINT_HOSTILE_SECRET", confineSecret)
	over := int64(64<<20 + 1) // syntax.MaxFileSize + 1
	cases := []struct {
		name  string
		setup func(t *testing.T, l confineLayout) []string // extra arguments
		code  int
		want  string // on stderr
	}{
		// The default manifest, backends.toml in the tree's directory.
		{"backends.toml links out of the repository", func(t *testing.T, l confineLayout) []string {
			must(t, os.Symlink("../../../outside/credentials", filepath.Join(l.tree, "backends.toml")))
			return nil
		}, 2, "outside " + "REPO"},
		{"backends.toml links to a credentials file by its absolute path", func(t *testing.T, l confineLayout) []string {
			must(t, os.Symlink(filepath.Join(l.outside, "credentials"), filepath.Join(l.tree, "backends.toml")))
			return nil
		}, 2, "outside REPO"},
		{"backends.toml links to /proc/self/environ", func(t *testing.T, l confineLayout) []string {
			needProc(t)
			must(t, os.Symlink("/proc/self/environ", filepath.Join(l.tree, "backends.toml")))
			return nil
		}, 2, "environ, outside REPO"},
		{"backends.toml links to /dev/zero", func(t *testing.T, l confineLayout) []string {
			must(t, os.Symlink("/dev/zero", filepath.Join(l.tree, "backends.toml")))
			return nil
		}, 2, "it leads to /dev/zero, outside REPO"},
		{"backends.toml is in a directory linked out of the repository", func(t *testing.T, l confineLayout) []string {
			must(t, os.Symlink(l.outside, filepath.Join(l.tree, "deploy")))
			must(t, os.Symlink("deploy/backends.toml", filepath.Join(l.tree, "backends.toml")))
			return nil
		}, 2, "outside REPO"},
		{"backends.toml is a FIFO", func(t *testing.T, l confineLayout) []string {
			mkfifo(t, filepath.Join(l.tree, "backends.toml"))
			return nil
		}, 2, "a FIFO (named pipe), not a regular file"},
		{"backends.toml links to a FIFO in the repository", func(t *testing.T, l confineLayout) []string {
			mkfifo(t, filepath.Join(l.repo, "deploy", "pipe"))
			must(t, os.Symlink("../../deploy/pipe", filepath.Join(l.tree, "backends.toml")))
			return nil
		}, 2, "not a regular file"},
		{"backends.toml is larger than the limit", func(t *testing.T, l confineLayout) []string {
			sparse(t, filepath.Join(l.tree, "backends.toml"), over)
			return nil
		}, 2, "larger than the 64 MiB limit"},
		{"backends.toml links to a manifest in the repository", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.repo, "deploy", "backends.toml"), confineManifest)
			must(t, os.Symlink("../../deploy/backends.toml", filepath.Join(l.tree, "backends.toml")))
			return nil
		}, 1, "manifest: etc/nginx/backends.toml (1 backends)"},

		// The manifest a configuration file of the tree names.
		{"the configuration names a manifest outside by its absolute path", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.repo, ".nginxlint.toml"), fmt.Sprintf("manifest = %q\n", filepath.Join(l.outside, "credentials")))
			return nil
		}, 2, "it is outside REPO"},
		{"the configuration names a manifest out of the repository by ..", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.repo, ".nginxlint.toml"), "manifest = \"../outside/backends.toml\"\n")
			return nil
		}, 2, "outside REPO"},
		{"the configuration names /dev/zero", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.repo, ".nginxlint.toml"), "manifest = \"/dev/zero\"\n")
			return nil
		}, 2, "cannot read manifest /dev/zero"},
		{"the configuration names a FIFO", func(t *testing.T, l confineLayout) []string {
			mkfifo(t, filepath.Join(l.repo, "deploy", "backends.toml"))
			write(t, filepath.Join(l.repo, ".nginxlint.toml"), "manifest = \"deploy/backends.toml\"\n")
			return nil
		}, 2, "not a regular file"},
		{"the configuration --config names a manifest outside of its repository", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.repo, "lint.toml"), "manifest = \"../outside/backends.toml\"\n")
			return []string{"--config", "lint.toml"}
		}, 2, "outside REPO"},
		{"the configuration names a manifest in the repository", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.repo, "deploy", "backends.toml"), confineManifest)
			write(t, filepath.Join(l.repo, ".nginxlint.toml"), "manifest = \"deploy/backends.toml\"\n")
			return nil
		}, 1, "(1 backends)"},

		// .nginxlint.toml itself.
		{".nginxlint.toml links to a credentials file outside", func(t *testing.T, l confineLayout) []string {
			must(t, os.Symlink(filepath.Join(l.outside, "credentials"), filepath.Join(l.tree, ".nginxlint.toml")))
			return nil
		}, 2, "outside REPO"},
		{".nginxlint.toml links out of the repository by ..", func(t *testing.T, l confineLayout) []string {
			must(t, os.Symlink("../../../outside/nginxlint.toml", filepath.Join(l.tree, ".nginxlint.toml")))
			return nil
		}, 2, "outside REPO"},
		{".nginxlint.toml links to /proc/self/environ", func(t *testing.T, l confineLayout) []string {
			needProc(t)
			must(t, os.Symlink("/proc/self/environ", filepath.Join(l.tree, ".nginxlint.toml")))
			return nil
		}, 2, "environ, outside REPO"},
		{".nginxlint.toml links to /dev/zero", func(t *testing.T, l confineLayout) []string {
			// Anyone may write to /dev/zero: passed over before it is
			// opened.
			must(t, os.Symlink("/dev/zero", filepath.Join(l.repo, ".nginxlint.toml")))
			return nil
		}, 1, ".nginxlint.toml not used: it leads to /dev/zero, which is writable by others"},
		{".nginxlint.toml is a FIFO", func(t *testing.T, l confineLayout) []string {
			mkfifo(t, filepath.Join(l.tree, ".nginxlint.toml"))
			return nil
		}, 2, "a FIFO (named pipe), not a regular file"},
		{".nginxlint.toml is larger than the limit", func(t *testing.T, l confineLayout) []string {
			sparse(t, filepath.Join(l.repo, ".nginxlint.toml"), over)
			return nil
		}, 2, "larger than the 64 MiB limit"},
		{".nginxlint.toml links to a file in the repository", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.repo, "lint", "shared.toml"), confineDisable)
			must(t, os.Symlink("../../lint/shared.toml", filepath.Join(l.tree, ".nginxlint.toml")))
			return nil
		}, 0, "rules turned off by the configuration (rules.disable): proxy-pass-scheme"},

		// Files of the tree that nginx.conf does not include, which are
		// classified (by name, else by their first words) before they
		// are linted as fragments: nothing is read through a link, which
		// could lead out of the tree or to a FIFO, even to classify it.
		{"a file of the tree links to a file outside, whose first word is a secret", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.outside, "token"), confineSecret+"\n")
			must(t, os.Symlink("../../../outside/token", filepath.Join(l.tree, "token")))
			return nil
		}, 1, "etc/nginx/token: not linted: a symbolic link whose name does not say it is nginx configuration"},
		{"a file of the tree links to a file of the tree, whose first word is no directive", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.tree, "notes", "todo"), "buy milk\n")
			must(t, os.Symlink("notes/todo", filepath.Join(l.tree, "todo")))
			return nil
		}, 1, "etc/nginx/todo: not linted: a symbolic link whose name does not say it is nginx configuration"},
		{"a .conf file of the tree links to a FIFO outside", func(t *testing.T, l confineLayout) []string {
			mkfifo(t, filepath.Join(l.outside, "pipe"))
			must(t, os.MkdirAll(filepath.Join(l.tree, "conf.d"), 0o755))
			must(t, os.Symlink(filepath.Join(l.outside, "pipe"), filepath.Join(l.tree, "conf.d", "pipe.conf")))
			return nil
		}, 1, "etc/nginx/conf.d/pipe.conf: not linted: a symbolic link out of the tree"},
		{"a .conf file of the tree links to a FIFO of the tree", func(t *testing.T, l confineLayout) []string {
			mkfifo(t, filepath.Join(l.tree, "pipe"))
			must(t, os.MkdirAll(filepath.Join(l.tree, "conf.d"), 0o755))
			must(t, os.Symlink("../pipe", filepath.Join(l.tree, "conf.d", "pipe.conf")))
			return nil
		}, 2, "cannot read etc/nginx/pipe: is not a regular file"},
		{"a .conf file of the tree links to /dev/zero", func(t *testing.T, l confineLayout) []string {
			must(t, os.MkdirAll(filepath.Join(l.tree, "conf.d"), 0o755))
			must(t, os.Symlink("/dev/zero", filepath.Join(l.tree, "conf.d", "zero.conf")))
			return nil
		}, 1, "etc/nginx/conf.d/zero.conf: not linted: a symbolic link out of the tree"},

		// What the user names on the command line.
		{"--manifest names a FIFO", func(t *testing.T, l confineLayout) []string {
			mkfifo(t, filepath.Join(l.outside, "pipe"))
			return []string{"--manifest", filepath.Join(l.outside, "pipe")}
		}, 2, "not a regular file"},
		{"--manifest names /dev/zero", func(t *testing.T, l confineLayout) []string {
			return []string{"--manifest", "/dev/zero"}
		}, 2, "a device, not a regular file"},
		{"--manifest names a file larger than the limit", func(t *testing.T, l confineLayout) []string {
			sparse(t, filepath.Join(l.outside, "big.toml"), over)
			return []string{"--manifest", filepath.Join(l.outside, "big.toml")}
		}, 2, "larger than the 64 MiB limit"},
		{"--manifest names a manifest outside the repository", func(t *testing.T, l confineLayout) []string {
			write(t, filepath.Join(l.outside, "mine.toml"), confineManifest)
			return []string{"--manifest", filepath.Join(l.outside, "mine.toml")}
		}, 1, "(1 backends)"},
		{"--config names a FIFO", func(t *testing.T, l confineLayout) []string {
			mkfifo(t, filepath.Join(l.outside, "pipe"))
			return []string{"--config", filepath.Join(l.outside, "pipe")}
		}, 2, "not a regular file"},
		{"--config names /dev/zero", func(t *testing.T, l confineLayout) []string {
			return []string{"--config", "/dev/zero"}
		}, 2, "a device, not a regular file"},
		{"--config names a configuration outside the repository", func(t *testing.T, l confineLayout) []string {
			return []string{"--config", filepath.Join(l.outside, "nginxlint.toml")}
		}, 0, "configuration: " + "OUTSIDE/nginxlint.toml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newConfineLayout(t)
			args := append(tc.setup(t, l), "-v", "etc/nginx")
			r := runBin(t, l.repo, nil, args...)
			want := strings.NewReplacer("REPO", l.repo, "OUTSIDE", l.outside).Replace(tc.want)
			if r.code != tc.code || !strings.Contains(r.stderr, want) {
				t.Errorf("exit %d, want %d with %q on stderr\n--- stdout\n%.2000s\n--- stderr\n%.2000s", r.code, tc.code, want, r.stdout, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, confineSecret) {
				t.Errorf("the output quotes a file nginxlint was not entitled to read\n--- stdout\n%.2000s\n--- stderr\n%.2000s", r.stdout, r.stderr)
			}
		})
	}
}

// TestHostileConfigOwners: a .nginxlint.toml another user could have
// written is not used, and -v says why: one writable by others, owned by
// another user, in a directory others can write or another user owns,
// and a link to such a file or to a file in such a directory, wherever
// the link is. The one used says, with -v, which rules it turned off.
func TestHostileConfigOwners(t *testing.T) {
	root := os.Geteuid() == 0
	cases := []struct {
		name     string
		needRoot bool
		setup    func(t *testing.T, l confineLayout)
		why      string // in -v's "not used" line; "" when the file is used
	}{
		{"the file is writable by others", false, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.tree, ".nginxlint.toml"), confineDisable)
			must(t, os.Chmod(filepath.Join(l.tree, ".nginxlint.toml"), 0o666))
		}, "it is writable by others"},
		{"its directory is writable by others", false, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.tree, ".nginxlint.toml"), confineDisable)
			must(t, os.Chmod(l.tree, 0o777))
		}, "its directory is writable by others"},
		{"a link to a file writable by others", false, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.repo, "lint.toml"), confineDisable)
			must(t, os.Chmod(filepath.Join(l.repo, "lint.toml"), 0o666))
			must(t, os.Symlink("../../lint.toml", filepath.Join(l.tree, ".nginxlint.toml")))
		}, "which is writable by others"},
		{"a link to a file in a directory others can write", false, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.repo, "incoming", "lint.toml"), confineDisable)
			must(t, os.Chmod(filepath.Join(l.repo, "incoming"), 0o777))
			must(t, os.Symlink("../../incoming/lint.toml", filepath.Join(l.tree, ".nginxlint.toml")))
		}, "whose directory is writable by others"},
		{"a link to a file elsewhere, in a directory others can write", false, func(t *testing.T, l confineLayout) {
			dir := filepath.Join(l.base, "drop")
			write(t, filepath.Join(dir, "lint.toml"), confineDisable)
			must(t, os.Chmod(dir, 0o777))
			must(t, os.Symlink(filepath.Join(dir, "lint.toml"), filepath.Join(l.tree, ".nginxlint.toml")))
		}, "whose directory is writable by others"},
		{"the file is owned by another user", true, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.tree, ".nginxlint.toml"), confineDisable)
			must(t, os.Chown(filepath.Join(l.tree, ".nginxlint.toml"), 65534, 65534))
		}, "it is owned by another user (uid 65534)"},
		{"its directory is owned by another user", true, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.tree, ".nginxlint.toml"), confineDisable)
			must(t, os.Chown(l.tree, 65534, 65534))
		}, "its directory is owned by another user (uid 65534)"},
		{"a link to a file owned by another user", true, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.repo, "lint.toml"), confineDisable)
			must(t, os.Chown(filepath.Join(l.repo, "lint.toml"), 65534, 65534))
			must(t, os.Symlink("../../lint.toml", filepath.Join(l.tree, ".nginxlint.toml")))
		}, "which is owned by another user (uid 65534)"},
		{"a link to a file in a directory another user owns", true, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.repo, "theirs", "lint.toml"), confineDisable)
			must(t, os.Chown(filepath.Join(l.repo, "theirs"), 65534, 65534))
			must(t, os.Symlink("../../theirs/lint.toml", filepath.Join(l.tree, ".nginxlint.toml")))
		}, "whose directory is owned by another user (uid 65534)"},
		{"a file of the user's own is used", false, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.tree, ".nginxlint.toml"), confineDisable)
		}, ""},
		{"a link to a file of the user's own is used", false, func(t *testing.T, l confineLayout) {
			write(t, filepath.Join(l.repo, "lint.toml"), confineDisable)
			must(t, os.Symlink("../../lint.toml", filepath.Join(l.tree, ".nginxlint.toml")))
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.needRoot && !root {
				t.Skip("only root can give a file to another user")
			}
			l := newConfineLayout(t)
			tc.setup(t, l)
			r := runBin(t, l.repo, nil, "-v", "etc/nginx")
			const disabled = "rules turned off by the configuration (rules.disable): proxy-pass-scheme"
			if tc.why == "" {
				if r.code != 0 || !strings.Contains(r.stderr, "configuration: etc/nginx/.nginxlint.toml") || !strings.Contains(r.stderr, disabled) {
					t.Errorf("exit %d, want 0 with the configuration used and %q\n--- stdout\n%s--- stderr\n%s", r.code, disabled, r.stdout, r.stderr)
				}
				return
			}
			notUsed := "etc/nginx/.nginxlint.toml not used: "
			if r.code != 1 || !strings.Contains(r.stdout, "[proxy-pass-scheme]") || !strings.Contains(r.stderr, notUsed) || !strings.Contains(r.stderr, tc.why) || strings.Contains(r.stderr, disabled) {
				t.Errorf("exit %d, want 1 with the finding the configuration would turn off, and %q ... %q on stderr\n--- stdout\n%s--- stderr\n%s", r.code, notUsed, tc.why, r.stdout, r.stderr)
			}
		})
	}
}

// TestHostileFixIncomplete: --fix writes nothing when a tree was not
// read completely (an included file that is a FIFO, one past the size
// limit, one nginxlint may not read, another tree of the run with such a
// file): exit 2, said so, and every file as it was.
func TestHostileFixIncomplete(t *testing.T) {
	// The tree is fixable: without the unreadable file, --fix fixes it.
	{
		dir := t.TempDir()
		write(t, filepath.Join(dir, "nginx.conf"), confineConf)
		if r := runBin(t, dir, nil, "--fix", "."); r.code == 2 || !strings.Contains(r.stderr, "fixed 1 finding in 1 file") {
			t.Fatalf("--fix on the readable tree: exit %d, want the finding fixed\n%s%s", r.code, r.stdout, r.stderr)
		}
	}
	withInclude := strings.Replace(confineConf, "http {\n", "http {\n    include extra.conf;\n", 1)
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) (args []string, cred *syscall.Credential)
	}{
		{"an included FIFO", func(t *testing.T, dir string) ([]string, *syscall.Credential) {
			write(t, filepath.Join(dir, "nginx.conf"), withInclude)
			mkfifo(t, filepath.Join(dir, "extra.conf"))
			return []string{"."}, nil
		}},
		{"an included file past the size limit", func(t *testing.T, dir string) ([]string, *syscall.Credential) {
			write(t, filepath.Join(dir, "nginx.conf"), withInclude)
			sparse(t, filepath.Join(dir, "extra.conf"), 64<<20+1)
			return []string{"."}, nil
		}},
		{"an included file nginxlint may not read", func(t *testing.T, dir string) ([]string, *syscall.Credential) {
			write(t, filepath.Join(dir, "nginx.conf"), withInclude)
			write(t, filepath.Join(dir, "extra.conf"), "server_tokens off;\n")
			must(t, os.Chmod(filepath.Join(dir, "extra.conf"), 0o000))
			if os.Geteuid() != 0 {
				return []string{"."}, nil
			}
			// Root reads any file: run as nobody, who may write the
			// tree (so that a write would succeed) but not read
			// extra.conf.
			must(t, os.Chmod(dir, 0o777))
			must(t, os.Chmod(filepath.Join(dir, "nginx.conf"), 0o666))
			must(t, os.Chmod(filepath.Dir(binary(t)), 0o755))
			for p := filepath.Dir(dir); strings.HasPrefix(p, os.TempDir()+"/"); p = filepath.Dir(p) {
				must(t, os.Chmod(p, 0o755))
			}
			for p := dir; p != "/" && p != "."; p = filepath.Dir(p) {
				if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
					t.Skipf("%s is not searchable by other users; cannot run the binary as nobody", p)
				}
			}
			return []string{"."}, &syscall.Credential{Uid: 65534, Gid: 65534}
		}},
		{"another tree of the run not read completely", func(t *testing.T, dir string) ([]string, *syscall.Credential) {
			write(t, filepath.Join(dir, "a", "nginx.conf"), confineConf)
			write(t, filepath.Join(dir, "b", "nginx.conf"), withInclude)
			mkfifo(t, filepath.Join(dir, "b", "extra.conf"))
			return []string{"a", "b"}, nil
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args, cred := tc.setup(t, dir)
			before := confineSnapshot(t, dir)
			r := runBin(t, dir, cred, append([]string{"--fix"}, args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, "--fix wrote nothing") {
				t.Errorf("exit %d, want 2 with \"--fix wrote nothing\"\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
			}
			if after := confineSnapshot(t, dir); after != before {
				t.Errorf("--fix wrote to a tree it did not read completely:\n--- before\n%s--- after\n%s", before, after)
			}
		})
	}
}

// confineSnapshot lists every path under dir with its mode, size,
// modification time and, for a regular file the test can read, its
// content's hash.
func confineSnapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		sum := "-"
		if fi.Mode().IsRegular() {
			if data, err := os.ReadFile(p); err == nil {
				sum = fmt.Sprintf("%x", sha256.Sum256(data))
			}
		}
		fmt.Fprintf(&b, "%s %v %d %d %s\n", p, fi.Mode(), fi.Size(), fi.ModTime().UnixNano(), sum)
		return nil
	})
	must(t, err)
	return b.String()
}

// TestHostileDevNull: output to /dev/null (a character device, no
// terminal) is the plain text written to a file, not the terminal's
// (source lines, carets, a summary), which a real terminal still gets.
// What the program wrote is counted by the kernel (/proc/PID/io, read
// before the process is reaped).
func TestHostileDevNull(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts the bytes written with /proc/PID/io, which only Linux has")
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "nginx.conf"), confineConf)
	written := func(stdout *os.File) int64 {
		t.Helper()
		cmd := exec.Command(binary(t), "--format", "text", ".")
		cmd.Dir = dir
		cmd.Stdout = stdout
		cmd.Env = append(os.Environ(), "TERM=xterm")
		must(t, cmd.Start())
		defer cmd.Wait() // exit 1: the tree has a finding; reaped after /proc is read
		proc := "/proc/" + strconv.Itoa(cmd.Process.Pid)
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			stat, err := os.ReadFile(proc + "/stat")
			must(t, err)
			s := string(stat)
			if f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]); len(f) == 0 || f[0] != "Z" {
				continue
			}
			io, err := os.ReadFile(proc + "/io")
			if err != nil {
				t.Skipf("cannot read %s/io: %v", proc, err)
			}
			for _, line := range strings.Split(string(io), "\n") {
				if v, ok := strings.CutPrefix(line, "wchar: "); ok {
					n, err := strconv.ParseInt(v, 10, 64)
					must(t, err)
					return n
				}
			}
			t.Skipf("no wchar in %s/io", proc)
		}
		t.Fatal("nginxlint did not finish within 60s")
		return 0
	}

	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	must(t, err)
	defer file.Close()
	toFile := written(file)
	plain, err := os.ReadFile(file.Name())
	must(t, err)
	if !strings.Contains(string(plain), "[proxy-pass-scheme]") || strings.Contains(string(plain), " | ") {
		t.Fatalf("output to a file is not the plain text:\n%s", plain)
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	must(t, err)
	defer null.Close()
	if toNull := written(null); toNull != toFile {
		t.Errorf("nginxlint wrote %d bytes to %s and %d to a file: /dev/null got the terminal's output", toNull, os.DevNull, toFile)
	}
	if pty := openPTY(t); pty != nil {
		defer pty.Close()
		if toPTY := written(pty); toPTY <= toFile {
			t.Errorf("nginxlint wrote %d bytes to a terminal and %d to a file: the terminal did not get source lines and a summary", toPTY, toFile)
		}
	}
}

// openPTY opens the terminal side of a new pseudo-terminal (Linux), or
// returns nil when it cannot. The other side is closed with the test.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		return nil
	}
	t.Cleanup(func() { master.Close() })
	var n uint32
	var unlock int32
	rc, err := master.SyscallConn()
	if err != nil {
		return nil
	}
	const tiocsptlck, tiocgptn = 0x40045431, 0x80045430 // Linux's TIOCSPTLCK, TIOCGPTN
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		if _, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, tiocsptlck, uintptr(unsafe.Pointer(&unlock))); errno == 0 {
			_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, tiocgptn, uintptr(unsafe.Pointer(&n)))
		}
	}); err != nil || errno != 0 {
		return nil
	}
	// Drain what nginxlint writes, so that it never waits on a full
	// terminal buffer.
	go func() {
		buf := make([]byte, 4096)
		for {
			if _, err := master.Read(buf); err != nil {
				return
			}
		}
	}()
	pty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil
	}
	return pty
}

// TestHostileConfigNesting: a .nginxlint.toml nested millions of levels
// deep (arrays, inline tables) or with a key of thousands of dotted parts
// is refused before the TOML library could overflow its stack on it: exit
// 2 with the place, FILE:LINE:COL, whether the tree or --config names it.
func TestHostileConfigNesting(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"5 MB of nested arrays", "exclude = " + strings.Repeat("[", 5<<20), ".nginxlint.toml:1:267: arrays and tables are nested more than 256 levels deep"},
		{"5 MB of nested inline tables", "[rules]\nseverity = " + strings.Repeat("{a=", 5<<20/3), ".nginxlint.toml:2:780: arrays and tables are nested more than 256 levels deep"},
		{"arrays and tables mixed", "modules = " + strings.Repeat("[{a=", 5<<20/4), ".nginxlint.toml:1:523: arrays and tables are nested more than 256 levels deep"},
		{"a key of 1,000,000 dotted parts", "rules" + strings.Repeat(".a", 1_000_000) + " = 1\n", ".nginxlint.toml:1:516: this key has more than 256 dotted parts"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			write(t, filepath.Join(dir, "etc", "nginx", "nginx.conf"), confineConf)
			write(t, filepath.Join(dir, "etc", "nginx", ".nginxlint.toml"), tc.src)
			for _, args := range [][]string{
				{"etc/nginx"},
				{"--config", filepath.Join("etc", "nginx", ".nginxlint.toml"), "etc/nginx"},
			} {
				r := runBin(t, dir, nil, args...)
				want := filepath.Join("etc", "nginx", tc.want)
				if r.code != 2 || !strings.Contains(r.stderr, want) {
					t.Errorf("nginxlint %s: exit %d, want 2 with %q\n--- stderr\n%.2000s", strings.Join(args, " "), r.code, want, r.stderr)
				}
			}
		})
	}
}
