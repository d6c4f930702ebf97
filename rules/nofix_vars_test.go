package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
	"github.com/nginxlint/nginxlint/rules"
)

// noFixVarsConf holds targets with variables that draw findings (a
// missing or wrong scheme that no value of the variables can mend, an
// upstream block with keepalive or a slow backend, a drifted socket)
// next to the literal targets that get fixes.
const noFixVarsConf = `events {}
http {
    upstream pool { server 127.0.0.1:8001; keepalive 8; }
    upstream slow { server 127.0.0.1:8004; }
    server {
        listen 127.0.0.1:8080;
        set $suffix "";
        location /a/ { proxy_pass 127.0.0.1:$server_port; }
        location /b/ { proxy_pass ws://$host; }
        location /c/ { proxy_pass http:/x$uri; }
        location /d/ { proxy_pass HTTPS:127.0.0.1:8443/$uri; }
        location /e/ { fastcgi_pass http://$host:9000; }
        location /f/ { grpc_pass https://$host; }
        location /g/ { uwsgi_pass http://$host; }
        location /h/ { proxy_pass http://pool$request_uri; }
        location /i/ { proxy_read_timeout 5s; proxy_pass http://slow$suffix; }
        location /j/ { proxy_pass http://127.0.0.1:9999$request_uri; }
        location /k/ { proxy_pass http://localhost:8001/$1; }
        location /l/ { proxy_pass http://unix:///run/gone.sock:$request_uri; }
        location /m/ { proxy_pass 127.0.0.1:8001; }
        location /n/ { proxy_pass ws://127.0.0.1:8001; }
    }
}
stream {
    server { listen 127.0.0.1:15432; set $db 127.0.0.1:5432; proxy_pass tcp://$db; }
    server { listen 127.0.0.1:15433; proxy_pass tcp://127.0.0.1:5432; }
}
`

const noFixVarsManifest = `[backends.pool]
listen = "127.0.0.1:8001"
upstream = "pool"

[backends.slow]
listen = "127.0.0.1:8004"
max_response_time = "120s"

[backends.db]
listen = "127.0.0.1:5432"
protocol = "tcp"
`

// TestNoFixOnVariables runs every rule on targets with variables and
// checks that no fix edits such a value: nginx evaluates it per request,
// from variables written for a reason no rule can see, so a fix there may
// break a working configuration ("http:/$uri" became "http://http:/$uri").
// Fixes elsewhere (a directive added to the location) are fine. The
// literal targets of the tree must still get their fixes, and so must
// every tree of the corpus where there is one.
func TestNoFixOnVariables(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf",
		Files: map[string]string{"/etc/nginx/nginx.conf": noFixVarsConf}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Parse("backends.toml", []byte(noFixVarsManifest))
	if err != nil {
		t.Fatal(err)
	}
	fixedLiterals := checkNoFixOnVariables(t, "noFixVarsConf", tree, m)
	if fixedLiterals < 3 {
		t.Errorf("%d literal targets got a fix, want 3: the test no longer sees the fixes it guards against", fixedLiterals)
	}
	if _, err := os.Stat(filepath.Join(corpusDir, "ORACLE.tsv")); err != nil {
		t.Logf("no corpus at %s: only the test's own tree was checked", corpusDir)
		return
	}
	for _, path := range corpusTrees(t) {
		tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: path})
		if err != nil {
			continue
		}
		checkNoFixOnVariables(t, path, tree, nil)
	}
}

// checkNoFixOnVariables runs every rule on tree and reports each fix
// whose edits touch the address argument of a target with variables. It
// returns how many literal targets got a fix.
func checkNoFixOnVariables(t *testing.T, name string, tree *syntax.Tree, m *manifest.Manifest) int {
	t.Helper()
	ds, err := driver.Run(tree, rules.All(), driver.Config{Manifest: m})
	if err != nil {
		t.Fatal(err)
	}
	type span struct {
		file       *syntax.File
		start, end int
	}
	var vars, literals []span
	for tg := range model.NewIndex(tree).Targets() {
		a := tg.Arg()
		s := span{tg.Directive.File(), int(a.Start), int(a.End)}
		if strings.Contains(a.Value, "$") {
			vars = append(vars, s)
		} else {
			literals = append(literals, s)
		}
	}
	touches := func(e lint.TextEdit, s span) bool {
		return e.File == s.file && e.Start < s.end && (e.End > s.start || e.Start == e.End && e.Start >= s.start)
	}
	fixed := map[span]bool{}
	for _, d := range ds {
		for _, f := range d.Fixes {
			for _, e := range f.Edits {
				for _, s := range vars {
					if touches(e, s) {
						t.Errorf("%s: %s: the fix %q of [%s] edits %q, a value with variables: %s",
							name, d.File.Position(d.Start), f.Message, d.Rule, s.file.Src[s.start:s.end], d.Message)
					}
				}
				for _, s := range literals {
					if touches(e, s) {
						fixed[s] = true
					}
				}
			}
		}
	}
	return len(fixed)
}

// corpusTrees returns the main files of the corpus's complete trees, as
// ORACLE.tsv lists them.
func corpusTrees(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, "ORACLE.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 3 || !strings.HasPrefix(f[2], "full") || strings.HasPrefix(f[1], "(") {
			continue
		}
		paths = append(paths, filepath.Join(corpusDir, f[0], filepath.FromSlash(f[1])))
	}
	return paths
}
