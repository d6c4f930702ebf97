//go:build unix

package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The verdict and the fixes are what a pull request cannot bend: a tree
// nginx refuses is never a clean run, whatever comments or configuration
// the pull request adds, and --fix writes only what is certain.

// brokenTrees are trees nginx refuses (nginx -t fails), each with the
// rule that says why. The comment placeholder COMMENT marks where a
// suppression goes: on its own line before the broken directive.
var brokenTrees = []struct {
	name, rule string
	files      map[string]string
}{
	{"syntax error", "syntax", map[string]string{
		"nginx.conf": events + "http {\n    include conf.d/*.conf;\n}\n",
		"conf.d/site.conf": "#FILE\nserver {\n    listen 127.0.0.1:8080;\n    #LINE\n    location / {\n" +
			"        proxy_pass http://127.0.0.1:8000  #TRAIL\n    }\n}\n",
	}},
	{"missing include", "include", map[string]string{
		"nginx.conf": "#FILE\n" + events + "http {\n    #LINE\n    include snippets/generated.conf; #TRAIL\n}\n",
	}},
	{"include cycle", "include", map[string]string{
		"nginx.conf": events + "http {\n    include a.conf;\n}\n",
		"a.conf":     "#FILE\n#LINE\ninclude b.conf; #TRAIL\n",
		"b.conf":     "include a.conf;\n",
	}},
	{"include of a directory", "include", map[string]string{
		"nginx.conf":       "#FILE\n" + events + "http {\n    #LINE\n    include conf.d; #TRAIL\n}\n",
		"conf.d/site.conf": "server { listen 127.0.0.1:8080; }\n",
	}},
}

// writeBroken writes a broken tree under dir/repo/etc/nginx (repo holds
// .git, so a .nginxlint.toml in repo applies) with the comment forms
// chosen filled in: file ("#FILE"), line ("#LINE", the line before the
// directive) and trail ("#TRAIL", the end of its line).
func writeBroken(t *testing.T, dir string, files map[string]string, file, line, trail string) {
	t.Helper()
	write(t, filepath.Join(dir, "repo", ".git", "HEAD"), "ref: refs/heads/main\n")
	r := strings.NewReplacer("#FILE", file, "#LINE", line, "#TRAIL", trail)
	for name, text := range files {
		write(t, filepath.Join(dir, "repo", "etc", "nginx", name), r.Replace(text))
	}
}

// TestVerdictSuppressionComments: no suppression comment turns a tree
// nginx refuses into exit 0, whichever rule it names (the rule at fault,
// or all of them), in whichever form, with --fail-on error.
func TestVerdictSuppressionComments(t *testing.T) {
	for _, tr := range brokenTrees {
		for _, names := range []string{tr.rule, "syntax,include,include-outside-tree"} {
			forms := map[string][3]string{
				"file-ignore":     {"# nginxlint:file-ignore " + names + " vendored, not ours", "", ""},
				"ignore above":    {"", "# nginxlint:ignore " + names + " generated at deploy time", ""},
				"trailing ignore": {"", "", "# nginxlint:ignore " + names + " generated at deploy time"},
			}
			forms["all three"] = [3]string{forms["file-ignore"][0], forms["ignore above"][1], forms["trailing ignore"][2]}
			for form, c := range forms {
				t.Run(tr.name+"/"+names+"/"+form, func(t *testing.T) {
					t.Parallel()
					dir := t.TempDir()
					writeBroken(t, dir, tr.files, c[0], c[1], c[2])
					r := runBin(t, dir, nil, "--fail-on", "error", "repo/etc/nginx")
					if r.code != 1 || !strings.Contains(r.stdout, "error: ") || !strings.Contains(r.stdout, "["+tr.rule+"]") {
						t.Errorf("exit %d, want 1 with an error [%s]\n--- stdout\n%s--- stderr\n%s", r.code, tr.rule, r.stdout, r.stderr)
					}
					if !strings.Contains(r.stdout, "cannot be suppressed") {
						t.Errorf("the comment is not reported as not allowed\n%s", r.stdout)
					}
				})
			}
		}
	}
}

// TestVerdictConfiguration: no .nginxlint.toml setting turns a tree nginx
// refuses into exit 0: not disabling the rules, not enabling only others,
// not lowering their severity, not excluding the files.
func TestVerdictConfiguration(t *testing.T) {
	configs := map[string]string{
		"disable":       "[rules]\ndisable = [\"syntax\", \"include\"]\n",
		"enable others": "[rules]\nenable = [\"proxy-pass-scheme\"]\n",
		"severity info": "[rules.severity]\nsyntax = \"info\"\ninclude = \"info\"\n",
		"exclude":       "exclude = [\"etc/nginx/**\"]\n",
		"everything":    "exclude = [\"etc/nginx/**\"]\nfail_on = \"error\"\n[rules]\ndisable = [\"syntax\", \"include\"]\n[rules.severity]\nsyntax = \"info\"\ninclude = \"info\"\n",
	}
	for _, tr := range brokenTrees {
		for name, cfg := range configs {
			t.Run(tr.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				writeBroken(t, dir, tr.files, "", "", "")
				write(t, filepath.Join(dir, "repo", ".nginxlint.toml"), cfg)
				r := runBin(t, dir, nil, "-v", "repo/etc/nginx")
				if !strings.Contains(r.stderr, "configuration: repo/.nginxlint.toml") {
					t.Fatalf("the configuration is not used:\n%s", r.stderr)
				}
				if r.code != 1 || !strings.Contains(r.stdout, ": error: ") || !strings.Contains(r.stdout, "["+tr.rule+"]") {
					t.Errorf("exit %d, want 1 with an error [%s]\n--- stdout\n%s--- stderr\n%s", r.code, tr.rule, r.stdout, r.stderr)
				}
			})
		}
	}
}

// TestVerdictOutsideInclude: include-outside-tree is suppressed at the
// include only; a file-ignore or a block ignore leaves the warning (exit
// 1) and is reported.
func TestVerdictOutsideInclude(t *testing.T) {
	for _, tc := range []struct {
		name, conf string
		code       int
	}{
		{"ignore at the include", events + "http {\n    # nginxlint:ignore include-outside-tree the host's modules\n    include /usr/share/nginx/modules/*.conf;\n}\n", 0},
		{"file-ignore", "# nginxlint:file-ignore include-outside-tree the host's files\n" + events + "http {\n    include /usr/share/nginx/modules/*.conf;\n}\n", 1},
		{"block ignore", events + "# nginxlint:ignore include-outside-tree the host's files\nhttp {\n    include /usr/share/nginx/modules/*.conf;\n}\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			write(t, filepath.Join(dir, "nginx.conf"), tc.conf)
			r := runBin(t, dir, nil, ".")
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\n--- stdout\n%s--- stderr\n%s", r.code, tc.code, r.stdout, r.stderr)
			}
			if tc.code == 1 && (!strings.Contains(r.stdout, "[include-outside-tree]") || !strings.Contains(r.stdout, "cannot be suppressed")) {
				t.Errorf("want the include-outside-tree warning and the comment reported\n%s", r.stdout)
			}
		})
	}
}

// fixTree writes files under dir, runs --diff and --fix on it, and
// returns the files' text after --fix and the diff.
func fixTree(t *testing.T, files map[string]string, args ...string) (after map[string]string, diff string) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		write(t, filepath.Join(dir, name), text)
	}
	d := runBin(t, dir, nil, append(append([]string{"--diff"}, args...), ".")...)
	if d.code != 1 {
		t.Fatalf("--diff: exit %d, want 1 (findings)\n%s%s", d.code, d.stdout, d.stderr)
	}
	f := runBin(t, dir, nil, append(append([]string{"--fix"}, args...), ".")...)
	if f.code != 1 && f.code != 0 {
		t.Fatalf("--fix: exit %d\n%s%s", f.code, f.stdout, f.stderr)
	}
	after = map[string]string{}
	for name := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		must(t, err)
		after[name] = string(data)
	}
	return after, d.stdout
}

// TestFixOnlyWhatIsCertain: --fix rewrites a drifted target only to the
// backend the manifest binds to its upstream block; a target bound to no
// backend (a location's proxy_pass, a fastcgi_pass, an upstream nothing
// or two backends are bound to) is left as it is, with the suggestion in
// the message, however close another backend's port is.
func TestFixOnlyWhatIsCertain(t *testing.T) {
	files := map[string]string{
		"nginx.conf": events + `http {
    upstream shop_pool { server 127.0.0.1:3001; }
    include conf.d/*.conf;
}
`,
		"conf.d/public.conf": `upstream legacy { server 127.0.0.1:3002; }
upstream pair { server 127.0.0.1:7003; }
server {
    listen 127.0.0.1:8080;
    location / { proxy_pass http://shop_pool; }
    location /public/ { proxy_pass http://127.0.0.1:9000; }
    location /legacy/ { proxy_pass http://legacy; }
    location /pair/ { proxy_pass http://pair; }
    location ~ \.php$ { fastcgi_pass unix:/run/php/php8.1-fpm.sock; }
}
`,
		"backends.toml": `[backends.shop]
listen = "127.0.0.1:3000"
upstream = "shop_pool"

[backends.admin_console]
listen = "127.0.0.1:9001"

[backends.pair_a]
listen = "127.0.0.1:7001"
upstream = "pair"

[backends.pair_b]
listen = "127.0.0.1:7002"
upstream = "pair"

[backends.php]
listen = "unix:/run/php/php8.2-fpm.sock"
protocol = "fastcgi"
`,
	}
	after, diff := fixTree(t, files)
	if want := strings.Replace(files["nginx.conf"], "3001", "3000", 1); after["nginx.conf"] != want {
		t.Errorf("the server line of the bound upstream is not fixed:\n%s", after["nginx.conf"])
	}
	if after["conf.d/public.conf"] != files["conf.d/public.conf"] {
		t.Errorf("--fix rewrote targets no backend is bound to:\n%s", after["conf.d/public.conf"])
	}
	if strings.Contains(diff, "public.conf") {
		t.Errorf("--diff shows a rewrite of targets no backend is bound to:\n%s", diff)
	}
}

// TestFixOfSharedSnippet: a fix in a file included in several places is
// made only when it is right for each. A missing scheme in a snippet is
// fixed (right everywhere); proxy_http_version 1.0 in a snippet included
// by a location whose upstream keeps connections alive and by one whose
// upstream does not is left alone (HTTP/1.1 is right for one only); a
// server line in a snippet included by two upstreams bound to two
// backends is left alone (each needs another address).
func TestFixOfSharedSnippet(t *testing.T) {
	files := map[string]string{
		"nginx.conf": events + `http {
    upstream pooled { server 127.0.0.1:8001; keepalive 16; }
    upstream legacy { server 127.0.0.1:8002; }
    upstream api_pool { include snippets/members.conf; }
    upstream admin_pool { include snippets/members.conf; }
    server {
        listen 127.0.0.1:8080;
        location /a/ {
            include snippets/http10.conf;
            proxy_set_header Connection "";
            proxy_pass http://pooled;
        }
        location /b/ {
            include snippets/http10.conf;
            proxy_set_header Connection "";
            proxy_pass http://legacy;
        }
        location /api/ { proxy_pass http://api_pool; }
        location /admin/ { proxy_pass http://admin_pool; }
        location /s1/ { include snippets/scheme.conf; }
        location /s2/ { include snippets/scheme.conf; }
    }
}
`,
		"snippets/http10.conf":  "proxy_http_version 1.0;\n",
		"snippets/members.conf": "server 127.0.0.1:8012;\n",
		"snippets/scheme.conf":  "proxy_pass 127.0.0.1:8003;\n",
		"backends.toml": `[backends.pooled]
listen = "127.0.0.1:8001"
upstream = "pooled"

[backends.legacy]
listen = "127.0.0.1:8002"
upstream = "legacy"

[backends.api]
listen = "127.0.0.1:8011"
upstream = "api_pool"

[backends.admin]
listen = "127.0.0.1:9011"
upstream = "admin_pool"

[backends.static]
listen = "127.0.0.1:8003"
`,
	}
	after, diff := fixTree(t, files)
	if got, want := after["snippets/scheme.conf"], "proxy_pass http://127.0.0.1:8003;\n"; got != want {
		t.Errorf("snippets/scheme.conf: %q, want %q (the scheme is right wherever it is included)", got, want)
	}
	for _, name := range []string{"snippets/http10.conf", "snippets/members.conf"} {
		if after[name] != files[name] {
			t.Errorf("%s was rewritten, though the fix is wrong for one of the places that include it: %q", name, after[name])
		}
		if strings.Contains(diff, name) {
			t.Errorf("--diff rewrites %s:\n%s", name, diff)
		}
	}
}
