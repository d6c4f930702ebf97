package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/rules"
)

// TestExampleAppsAgree checks that the README's example reads the apps
// its manifest links (example/app) and that they agree with it: each is
// read with its reader (-v names them), nothing is printed about them,
// and no app rule reports.
func TestExampleAppsAgree(t *testing.T) {
	t.Chdir("../..")
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"-v", "./example/etc/nginx"}, rules.All(), cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	if code != cli.ExitFindings {
		t.Errorf("exit %d, want 1 (the example's findings)\n%s", code, stderr.String())
	}
	for _, want := range []string{
		"app: example/app/api/gunicorn.conf.py (gunicorn, 2 binds)",
		"app: example/app/reports/gunicorn.conf.py (gunicorn, 1 bind)",
		"app: example/app/web/uwsgi.ini (uwsgi, 1 bind)",
		"app: example/app/php/pool.d/admin.conf#admin (php-fpm, 1 bind)",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-v does not say %q:\n%s", want, stderr.String())
		}
	}
	problem := regexp.MustCompile(`backends\.toml:\d+:\d+: `)
	for _, l := range strings.Split(stderr.String(), "\n") {
		if problem.MatchString(l) {
			t.Errorf("a problem with the example's app links: %s", l)
		}
	}
	for _, id := range []string{"app-drift", "app-unreadable", "socket-permission", "socket-permission-group"} {
		if strings.Contains(stdout.String(), "["+id+"]") {
			t.Errorf("the example's apps disagree with its manifest:\n%s", stdout.String())
		}
	}
}

// TestDumpReadsApps checks that an nginx -T dump on standard input is
// checked against the apps its manifest links, as the same tree read
// from its directory is: an app that binds elsewhere is reported in its
// file, and a link that cannot be read makes the run incomplete.
func TestDumpReadsApps(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("deploy/gunicorn.conf.py", "bind = \"127.0.0.1:8001\"\n")
	dump := "# configuration file /etc/nginx/nginx.conf:\n" +
		"events {}\nhttp { server { listen 80; location / { proxy_pass http://127.0.0.1:8000; } } }\n\n"
	lint := func(manifest string) (int, string, string) {
		write("backends.toml", manifest)
		var stdout, stderr bytes.Buffer
		code := cli.Main([]string{"--manifest", filepath.Join(dir, "backends.toml"), "-"}, rules.All(),
			cli.Env{Stdin: strings.NewReader(dump), Stdout: &stdout, Stderr: &stderr})
		return code, stdout.String(), stderr.String()
	}

	code, stdout, stderr := lint("[backends.api]\nlisten = \"127.0.0.1:8000\"\napp = \"deploy/gunicorn.conf.py\"\n")
	if code != cli.ExitFindings || !strings.Contains(stdout, "gunicorn.conf.py:1:8: error:") || !strings.Contains(stdout, "[app-drift]") {
		t.Errorf("exit %d; want 1 and app-drift at gunicorn.conf.py:1:8\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	code, stdout, stderr = lint("[backends.api]\nlisten = \"127.0.0.1:8000\"\napp = \"deploy/missing.conf.py\"\n")
	if code != cli.ExitFailure || !strings.Contains(stderr, "the result is incomplete") {
		t.Errorf("a link that cannot be read: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
