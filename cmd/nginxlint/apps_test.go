package main_test

import (
	"bytes"
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
