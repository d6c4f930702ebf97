//go:build unix

package main_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// hooksFile is the hook as pre-commit reads it from this repository.
const hooksFile = "../../.pre-commit-hooks.yaml"

// readHooks reads hooksFile as pre-commit does: a list of hooks, each a
// map of its fields.
func readHooks(t *testing.T) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(hooksFile)
	if err != nil {
		t.Fatal(err)
	}
	var hooks []map[string]any
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatalf("%s: %v", hooksFile, err)
	}
	if len(hooks) != 1 {
		t.Fatalf("%s: want one hook, got %d", hooksFile, len(hooks))
	}
	return hooks
}

// TestPreCommitHookManifest checks the published hook's fields: it runs
// this repository's command on the files a commit changes (nginxlint finds
// their trees), never on a fixed tree path, and takes text files whatever
// their names.
func TestPreCommitHookManifest(t *testing.T) {
	h := readHooks(t)[0]
	if h["id"] != "nginxlint" || h["name"] == nil || h["language"] != "golang" {
		t.Errorf("hook id/name/language = %v/%v/%v", h["id"], h["name"], h["language"])
	}
	// language golang installs the repository's commands with go install:
	// the entry must be the name of one of them.
	entry, _ := h["entry"].(string)
	if _, err := os.Stat("../../cmd/" + entry + "/main.go"); err != nil {
		t.Errorf("entry %q is not a command of this repository: %v", entry, err)
	}
	if h["pass_filenames"] != true {
		t.Errorf("pass_filenames = %v, want true: nginxlint finds the tree of each file", h["pass_filenames"])
	}
	if args, ok := h["args"]; ok {
		t.Errorf("args = %v: the hook must not name a tree, nginxlint finds it", args)
	}
	types, _ := h["types_or"].([]any)
	if !slices.Contains(types, any("text")) || !slices.Contains(types, any("symlink")) {
		t.Errorf("types_or = %v, want text and symlink: include files without .conf (fastcgi_params ...) and the links that enable a site must be passed", h["types_or"])
	}
	if ts, ok := h["types"].([]any); !ok || len(ts) != 0 {
		t.Errorf("types = %v, want []: every listed type is required, and pre-commit's default, [file], leaves out links", h["types"])
	}
	if files, ok := h["files"]; ok {
		t.Errorf("files = %v: a name pattern misses include files named freely; nginxlint skips what is not nginx configuration", files)
	}
}

// TestPreCommitBlocksCommit installs the published hook with the real
// pre-commit in a scratch git repository holding a Debian-style tree, and
// checks that a bad edit to any file of the tree blocks "git commit" with
// the finding shown, and that a good edit goes through.
func TestPreCommitBlocksCommit(t *testing.T) {
	for _, tool := range []string{"pre-commit", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " is not on PATH (Debian: apt-get install pre-commit git)"
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	bin := binary(t)
	repo := t.TempDir()
	env := preCommitEnv(t)

	// The hook as published, run as a local hook: language golang would
	// fetch and build this repository, which needs the network; the
	// binary built from this tree stands in for it.
	hook := readHooks(t)[0]
	hook["language"] = "system"
	hook["entry"] = bin
	delete(hook, "language_version")
	delete(hook, "additional_dependencies")
	hook["verbose"] = true // show nginxlint's notes when the hook passes
	config, err := yaml.Marshal(map[string]any{
		"repos": []any{map[string]any{"repo": "local", "hooks": []any{hook}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(repo, ".pre-commit-config.yaml"), string(config))

	ngx := filepath.Join(repo, "etc/nginx")
	write(t, filepath.Join(ngx, "nginx.conf"), `events {}
http {
    include conf.d/*.conf;
    include sites-enabled/*;
}
`)
	write(t, filepath.Join(ngx, "conf.d/gzip.conf"), "gzip on;\n")
	write(t, filepath.Join(ngx, "sites-available/shop.conf"), `server {
    listen 80;
    server_name shop.example.com;
    location / {
        include snippets/proxy.conf;
    }
    location ~ \.php$ {
        include fastcgi_params;
        fastcgi_pass unix:/run/php/php-fpm.sock;
    }
}
`)
	must(t, os.MkdirAll(filepath.Join(ngx, "sites-enabled"), 0o755))
	must(t, os.Symlink("../sites-available/shop.conf", filepath.Join(ngx, "sites-enabled/shop.conf")))
	write(t, filepath.Join(ngx, "snippets/proxy.conf"), `proxy_pass http://127.0.0.1:8000;
proxy_set_header Host $host;
`)
	write(t, filepath.Join(ngx, "fastcgi_params"), `fastcgi_param  QUERY_STRING       $query_string;
fastcgi_param  REQUEST_METHOD     $request_method;
fastcgi_param  SCRIPT_FILENAME    $document_root$fastcgi_script_name;
`)
	// Not enabled yet: nothing includes it. Its upstream is not defined,
	// which only matters once nginx reads it.
	write(t, filepath.Join(ngx, "sites-available/new.conf"), `server {
    listen 80;
    server_name new.example.com;
    root /var/www/new;
    location /api/ { proxy_pass http://new_api; }
}
`)
	write(t, filepath.Join(repo, "README.md"), "# Servers\n\nThe nginx configuration of the shop.\n")
	write(t, filepath.Join(repo, "app/main.py"), "print(\"shop\")\n")

	git := func(args ...string) (string, int) {
		t.Helper()
		return runTool(t, repo, env, "git", args...)
	}
	gitOK := func(args ...string) string {
		t.Helper()
		out, code := git(args...)
		if code != 0 {
			t.Fatalf("git %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
		return out
	}
	gitOK("init", "-q")
	gitOK("config", "user.name", "nginxlint test")
	gitOK("config", "user.email", "test@nginxlint.invalid")
	gitOK("config", "commit.gpgsign", "false")
	if out, code := runTool(t, repo, env, "pre-commit", "install"); code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s", code, out)
	}

	// commit stages everything and commits; the hook runs on the staged
	// files.
	commit := func(msg string) (string, int) {
		t.Helper()
		gitOK("add", "-A")
		return git("commit", "-q", "-m", msg)
	}
	out, code := commit("initial")
	if code != 0 {
		t.Fatalf("the initial commit of a clean tree was blocked (exit %d):\n%s", code, out)
	}
	// The hook ran on every file and skipped those that are not nginx
	// configuration.
	for _, f := range []string{"README.md", "app/main.py"} {
		if !hasLine(out, f, "skipped") {
			t.Errorf("initial commit: no note that %s was skipped; did the hook run?\n%s", f, out)
		}
	}
	clean := strings.TrimSpace(gitOK("rev-parse", "HEAD"))

	edit := func(rel, from, to string) {
		t.Helper()
		p := filepath.Join(repo, rel)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(from)) {
			t.Fatalf("%s has no %q", rel, from)
		}
		must(t, os.WriteFile(p, bytes.Replace(data, []byte(from), []byte(to), 1), 0o644))
	}

	for _, sc := range []struct {
		name string
		edit func()
		// want: each entry is substrings one line of the output must
		// hold; none for a commit that must go through.
		want [][]string
	}{
		{
			name: "snippet: proxy_pass without scheme",
			edit: func() { edit("etc/nginx/snippets/proxy.conf", "http://127.0.0.1:8000", "127.0.0.1:8000") },
			want: [][]string{{"etc/nginx/snippets/proxy.conf:1:", "[proxy-pass-scheme]"}},
		},
		{
			name: "fastcgi_params: unknown directive",
			edit: func() {
				edit("etc/nginx/fastcgi_params", "fastcgi_param  REQUEST_METHOD", "fastcgi_parm  REQUEST_METHOD")
			},
			want: [][]string{{"etc/nginx/fastcgi_params:2:", "[directive-unknown]"}},
		},
		{
			name: "site not enabled yet: syntax error",
			edit: func() { edit("etc/nginx/sites-available/new.conf", "root /var/www/new;", "root /var/www/new") },
			want: [][]string{{"etc/nginx/sites-available/new.conf:", "[syntax]"}},
		},
		{
			name: "a link alone enables a site that cannot work",
			edit: func() {
				must(t, os.Symlink("../sites-available/new.conf", filepath.Join(ngx, "sites-enabled/new.conf")))
			},
			want: [][]string{{"etc/nginx/sites-available/new.conf:5:", "[upstream-undefined]"}},
		},
		{
			name: "other tools' .conf files and a link out of the repository",
			edit: func() {
				write(t, filepath.Join(repo, "etc/php/8.2/fpm/pool.d/www.conf"), "[www]\nuser = www-data\nlisten = /run/php/php-fpm.sock\n")
				write(t, filepath.Join(repo, "etc/supervisor/conf.d/app.conf"), "[program:app]\ncommand=/srv/app/run\n")
				must(t, os.Symlink("/nonexistent/settings.py", filepath.Join(repo, "app/settings.py")))
			},
		},
		{
			name: "good edit with a README change",
			edit: func() {
				edit("etc/nginx/sites-available/shop.conf", "    listen 80;\n", "    # The shop, behind the app on port 8000.\n    listen 80;\n    client_max_body_size 10m;\n")
				edit("README.md", "of the shop.", "of the shop, served from etc/nginx.")
			},
		},
	} {
		t.Run(sc.name, func(t *testing.T) {
			gitOK("reset", "-q", "--hard", clean)
			gitOK("clean", "-q", "-fd")
			sc.edit()
			out, code := commit(sc.name)
			head := strings.TrimSpace(gitOK("rev-parse", "HEAD"))
			if sc.want == nil {
				if code != 0 || head == clean {
					t.Fatalf("a good edit was blocked (git commit exit %d):\n%s", code, out)
				}
				if !hasLine(out, "skipped") {
					t.Errorf("no note of a skipped file; did the hook run?\n%s", out)
				}
				return
			}
			if code == 0 || head != clean {
				t.Fatalf("a bad edit was committed (git commit exit %d):\n%s", code, out)
			}
			for _, w := range sc.want {
				if !hasLine(out, w...) {
					t.Errorf("the output has no line with %q:\n%s", w, out)
				}
			}
		})
	}
}

// preCommitEnv is the environment of git and pre-commit in the scratch
// repository: a home and a pre-commit cache of their own, no system git
// configuration (a core.hooksPath there would stop pre-commit install),
// and none of the caller's git or pre-commit settings (GIT_DIR when the
// tests run from a hook, SKIP ...).
func preCommitEnv(t *testing.T) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GIT_") || strings.HasPrefix(name, "PRE_COMMIT") || name == "SKIP" || name == "HOME" || name == "XDG_CONFIG_HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"HOME="+t.TempDir(),
		"PRE_COMMIT_HOME="+t.TempDir(),
		"GIT_CONFIG_NOSYSTEM=1",
	)
}

// runTool runs a program in dir and returns its combined output and exit
// status; it fails the test when the program cannot start or hangs.
func runTool(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s %s did not finish within 60s:\n%s", name, strings.Join(args, " "), out)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out), 0
}

// hasLine reports whether one line of out holds every one of subs.
func hasLine(out string, subs ...string) bool {
	for line := range strings.SplitSeq(out, "\n") {
		all := true
		for _, s := range subs {
			all = all && strings.Contains(line, s)
		}
		if all {
			return true
		}
	}
	return false
}
