//go:build unix

package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileDotDotLinks: the paths the manifest and .nginxlint.toml
// name (an app's configuration, the manifest, the tree's root) are
// resolved as the kernel resolves them: in "dl/../x", where dl is a
// symbolic link, ".." climbs out of the link's target. Cleaning the text
// first would read another file (x beside the link), and its verdict
// (a false drift, a tree that is not the one named).
func TestHostileDotDotLinks(t *testing.T) {
	// repo/nginx is the tree; repo/nginx/dl leads to repo/deploy/sub, so
	// "dl/../NAME" is repo/deploy/NAME, and the text cleaned is
	// repo/nginx/NAME, which holds something else.
	layout := func(t *testing.T) (repo string) {
		repo = filepath.Join(t.TempDir(), "repo")
		must(t, os.MkdirAll(filepath.Join(repo, ".git"), 0o755))
		must(t, os.MkdirAll(filepath.Join(repo, "deploy", "sub"), 0o755))
		write(t, filepath.Join(repo, "nginx", "nginx.conf"), events+"http { server { listen 8080; location / { proxy_pass http://127.0.0.1:8000; } } }\n")
		must(t, os.Symlink("../deploy/sub", filepath.Join(repo, "nginx", "dl")))
		return repo
	}
	t.Run("an app's configuration", func(t *testing.T) {
		repo := layout(t)
		write(t, filepath.Join(repo, "deploy", "gunicorn.conf.py"), "bind = \"127.0.0.1:8000\"\n")
		write(t, filepath.Join(repo, "nginx", "gunicorn.conf.py"), "bind = \"127.0.0.1:7777\"\n")
		write(t, filepath.Join(repo, "nginx", "backends.toml"), "[backends.api]\nlisten = \"127.0.0.1:8000\"\napp = \"dl/../gunicorn.conf.py\"\n")
		r := runBin(t, repo, nil, "nginx")
		if r.code != 0 || strings.Contains(r.stdout, "7777") {
			t.Errorf("exit %d, want 0: deploy/gunicorn.conf.py binds where the manifest says\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("the manifest .nginxlint.toml names", func(t *testing.T) {
		repo := layout(t)
		write(t, filepath.Join(repo, "deploy", "backends.toml"), "[backends.api]\nlisten = \"127.0.0.1:8000\"\n")
		write(t, filepath.Join(repo, "nginx", "backends.toml"), "[backends.api]\nlisten = \"127.0.0.1:9999\"\n")
		write(t, filepath.Join(repo, "nginx", ".nginxlint.toml"), "manifest = \"dl/../backends.toml\"\n")
		r := runBin(t, repo, nil, "-v", "nginx")
		if r.code != 0 || strings.Contains(r.stdout, "9999") || !strings.Contains(r.stderr, filepath.Join("deploy", "backends.toml")) {
			t.Errorf("exit %d, want 0 with deploy/backends.toml as the manifest\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("the root .nginxlint.toml names", func(t *testing.T) {
		repo := layout(t)
		write(t, filepath.Join(repo, "deploy", "nginx", "nginx.conf"), events+"http { server { listen 8080; } }\n")
		write(t, filepath.Join(repo, "nginx", "site.conf"), "server { listen 8081; location / { proxy_pass 127.0.0.1:1; } }\n")
		write(t, filepath.Join(repo, ".nginxlint.toml"), "root = \"nginx/dl/../nginx\"\n")
		r := runBin(t, repo, nil, "-v", ".")
		if !strings.Contains(r.stderr, "tree "+filepath.Join("deploy", "nginx")+" (root in .nginxlint.toml)") {
			t.Errorf("exit %d: deploy/nginx is not linted as the tree the root names\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}
