package judge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sample is mutate's sample configuration (testdata/sample.conf): it
// names what the sandbox rewrites: machine paths, a certificate and key
// outside the tree, a host, pid.
var sample = func() string {
	data, err := os.ReadFile("../testdata/sample.conf")
	if err != nil {
		panic(err)
	}
	return string(data)
}()

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
