package mutate

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// sample has a site for every kind.
const sample = `user www-data;
pid /run/nginx.pid;
events {
    worker_connections 768;
}
http {
    sendfile on;
    access_log /var/log/nginx/access.log;
    include /etc/nginx/mime.types;
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ""      close;
    }
    upstream app {
        server app.internal:8080;
    }
    server {
        listen 80;
        listen 443 ssl default_server;
        server_name example.com;
        ssl_certificate /etc/ssl/example.crt;
        ssl_certificate_key /etc/ssl/example.key;
        root /var/www/html;
        location / {
            proxy_pass http://app;
            proxy_set_header Upgrade "$http_upgrade";
        }
        location ~ \.php$ {
            proxy_pass http://app;
        }
    }
}
`

func loadSample(t *testing.T) *syntax.Tree {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": sample, "/etc/nginx/mime.types": "types { text/html html; }\n"}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestKinds applies every kind with a few seeds: each yields a mutant that
// differs from the original, at a line of the file, and the same seed
// gives the same mutant.
func TestKinds(t *testing.T) {
	tree := loadSample(t)
	if len(Kinds()) < 15 {
		t.Errorf("%d kinds; the issue asks for at least 15", len(Kinds()))
	}
	for _, k := range Kinds() {
		if KindNamed(k.Name) != k || k.Doc == "" {
			t.Errorf("kind %q: not found by name, or without documentation", k.Name)
		}
		for seed := range uint64(5) {
			m, ok := Mutate(tree, k, rand.New(rand.NewPCG(seed, 1)), nil)
			if !ok {
				t.Errorf("%s, seed %d: no mutant", k.Name, seed)
				continue
			}
			again, _ := Mutate(tree, k, rand.New(rand.NewPCG(seed, 1)), nil)
			if again.Src != m.Src || again.Line != m.Line || again.Desc != m.Desc {
				t.Errorf("%s, seed %d: not deterministic", k.Name, seed)
			}
			lines := strings.Count(m.Src, "\n") + 1
			if m.Src == m.File.Src || m.Line < 1 || m.Line > lines || m.Desc == "" {
				t.Errorf("%s, seed %d: bad mutant (line %d of %d, %q)", k.Name, seed, m.Line, lines, m.Desc)
			}
		}
	}
}

// TestMutateLine checks the line recorded for edits that insert lines.
func TestMutateLine(t *testing.T) {
	tree := loadSample(t)
	for seed := range uint64(10) {
		m, _ := Mutate(tree, KindNamed("duplicate-upstream"), rand.New(rand.NewPCG(seed, 2)), nil)
		if got := strings.Split(m.Src, "\n")[m.Line-1]; strings.TrimSpace(got) != "upstream app {" {
			t.Errorf("seed %d: line %d is %q, want the copied upstream", seed, m.Line, got)
		}
		m, _ = Mutate(tree, KindNamed("deleted-semicolon"), rand.New(rand.NewPCG(seed, 3)), nil)
		orig := strings.Split(m.File.Src, "\n")[m.Line-1]
		if got := strings.Split(m.Src, "\n")[m.Line-1]; got+";" != orig {
			t.Errorf("seed %d: line %d is %q, was %q", seed, m.Line, got, orig)
		}
	}
}

// TestEditable checks that files a predicate excludes are never edited.
func TestEditable(t *testing.T) {
	tree := loadSample(t)
	onlyMime := func(f *syntax.File) bool { return strings.HasSuffix(f.Virtual, "mime.types") }
	for seed := range uint64(20) {
		if m, ok := Mutate(tree, KindNamed("deleted-close-brace"), rand.New(rand.NewPCG(seed, 4)), onlyMime); ok && !onlyMime(m.File) {
			t.Errorf("seed %d: edited %s", seed, m.File.Virtual)
		}
	}
}

// TestSandbox checks the rewriting: lines stay in place, machine paths
// move into the scratch directory, pid goes, http gets its preamble.
func TestSandbox(t *testing.T) {
	dir, scratch := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	env := &Env{Main: "nginx.conf", Context: "main", Hosts: map[string]bool{"app.internal": true},
		Outside: map[string]string{"/etc/ssl/example.crt": "cert", "/etc/ssl/example.key": "key"}}
	main, globals, err := (&Nginx{}).Sandbox(dir, env, scratch)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	if strings.Count(got, "\n") != strings.Count(sample, "\n") {
		t.Errorf("the copy has %d lines, the original %d", strings.Count(got, "\n"), strings.Count(sample, "\n"))
	}
	for _, want := range []string{
		"include " + filepath.Join(scratch, "conf", "mime.types") + ";",
		"access_log " + filepath.Join(scratch, "root", "var/log/nginx/access.log") + ";",
		"ssl_certificate " + filepath.Join(scratch, "root", "etc/ssl/example.crt") + ";",
		"server 127.0.0.1:8080;",
		`http { access_log "` + filepath.Join(scratch, "access.log") + `"; client_body_temp_path`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the copy lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "pid") || !strings.Contains(globals, "pid ") {
		t.Errorf("pid is not moved to -g (%q):\n%s", globals, got)
	}
	if _, err := os.Stat(filepath.Join(scratch, "root", "etc/ssl/example.key")); err != nil {
		t.Errorf("no stub key: %v", err)
	}
	if _, bad := (&sandbox{conf: filepath.Join(scratch, "conf")}).namesMachine(); bad {
		t.Errorf("the copy names a machine path")
	}
}

// TestSandboxWrapper checks the wrapper of a snippet.
func TestSandboxWrapper(t *testing.T) {
	dir, scratch := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "site.conf"), []byte("location / { return 200; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := &Env{Main: "site.conf", Context: "server", Defs: []string{"log_format x '$remote_addr';"}}
	main, _, err := (&Nginx{}).Sandbox(dir, env, scratch)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"events {}", "log_format x", "server {", `include "` + filepath.Join(scratch, "conf", "site.conf") + `";`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the wrapper lacks %q:\n%s", want, data)
		}
	}
}

func TestScan(t *testing.T) {
	src := "a \"b c\" 'd\\'e' ${x}y;\n# c ; {\nf {\n}\n"
	var got []string
	for _, st := range statements(scan(src)) {
		var ws []string
		for _, w := range st.words {
			ws = append(ws, w.value)
		}
		got = append(got, strings.Join(ws, "|")+string(st.end.punct))
	}
	want := []string{"a|b c|d'e|${x}y;", "f{"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseError(t *testing.T) {
	for _, c := range []struct {
		out, msg, file string
		line           int
	}{
		{"nginx: [emerg] unexpected \"}\" in /x/a.conf:5\nnginx: configuration file /x/a.conf test failed\n", `unexpected "}"`, "/x/a.conf", 5},
		{"nginx: [emerg] duplicate location \"/a;\nb\" in /x/a.conf:7\nnginx: configuration file /x/a.conf test failed\n", "duplicate location \"/a;\nb\"", "/x/a.conf", 7},
		{"nginx: [emerg] unknown \"x\" variable\nnginx: configuration file /x/a.conf test failed\n", `unknown "x" variable`, "", 0},
	} {
		msg, file, line, ok := parseError(c.out)
		if !ok || msg != c.msg || file != c.file || line != c.line {
			t.Errorf("parseError(%q) = %q, %q, %d, %v; want %q, %q, %d", c.out, msg, file, line, ok, c.msg, c.file, c.line)
		}
	}
}
