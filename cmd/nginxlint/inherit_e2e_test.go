//go:build unix

package main_test

// This file checks the array-inherit-dropped rule against real nginx.
//
// The oracle is what nginx does with the headers the server block sets:
// the request headers an echo backend on loopback receives
// (proxy_set_header) and the response headers the client receives
// (add_header). One request goes through each probed block (with a
// header that makes the if true, for an if block). A block loses an
// entry when a header the server sets is missing from its request or
// response; nginxlint, run in-process with --nginx-version 1.22.1 (the
// nginx installed here), must report an array-inherit-dropped finding at
// exactly the blocks that lose one, naming each lost header, and nowhere
// else.
//
// Then nginxlint --fix rewrites the tree; nginx must accept it, every
// block's request and response must carry every header the server sets
// (and still the block's own), and nginxlint must report nothing more.

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/rules"
)

const (
	ihRule    = "array-inherit-dropped"
	ihVersion = "1.22.1" // the installed nginx: the oracle speaks for it
)

// ihServerRequest and ihServerResponse are the headers the server block
// sets for the backend and for the client.
var (
	ihServerRequest  = []string{"X-Server-Set", "X-Forwarded-Host"}
	ihServerResponse = []string{"X-Frame-Options", "X-Content-Type-Options"}
)

// ihProbe is one block and the request that goes through it.
type ihProbe struct {
	block  string // the opening line of the location or if block, unique in nginx.conf
	path   string
	header string // "Name: value" sent to make an if block true; "" for none
	// own are headers the block sets itself, request or response: they
	// must still be there after the fix.
	own []string
}

var ihProbes = []ihProbe{
	{block: "location /inherit/ {", path: "/inherit/x"},
	{block: "location /own/ {", path: "/own/x", own: []string{"X-Location-Set"}},
	{block: "location /snippet/ {", path: "/snippet/x", own: []string{"X-Tenant"}},
	{block: "location /again/ {", path: "/again/x", own: []string{"X-Location-Set"}},
	{block: "location /static/ {", path: "/static/x", own: []string{"Cache-Control"}},
	{block: "location /secure/ {", path: "/secure/x", own: []string{"X-Frame-Options"}},
	{block: "location /cond/ {", path: "/cond/plain"},
	{block: "if ($http_x_flag) {", path: "/cond/flag", header: "X-Flag: 1", own: []string{"X-Flagged"}},
}

// ihServer is the server's body after its listen line; %s is the
// backend's address.
const ihServer = `    proxy_set_header X-Server-Set server;
    proxy_set_header X-Forwarded-Host $host;
    add_header X-Frame-Options DENY;
    add_header X-Content-Type-Options nosniff;

    location /inherit/ {
        proxy_pass http://%[1]s;
    }
    location /own/ {
        proxy_set_header X-Location-Set own;
        proxy_pass http://%[1]s;
    }
    location /snippet/ {
        include snippets/tenant.conf;
        proxy_pass http://%[1]s;
    }
    location /again/ {
        proxy_set_header x-server-set again;
        proxy_set_header X-Forwarded-Host example.test;
        proxy_set_header X-Location-Set again;
        proxy_pass http://%[1]s;
    }
    location /static/ {
        add_header Cache-Control no-store;
        proxy_pass http://%[1]s;
    }
    location /secure/ {
        add_header X-Frame-Options SAMEORIGIN;
        proxy_pass http://%[1]s;
    }
    location /cond/ {
        proxy_pass http://%[1]s;
        if ($http_x_flag) {
            add_header X-Flagged yes;
        }
    }
`

// ihSeen is what one probe's request showed.
type ihSeen struct {
	line     int
	status   int
	err      error
	request  *nginxtest.Request // what the backend got; nil when nothing
	response http.Header
}

// lost returns the server's headers the probe's request or response
// lacks.
func (s ihSeen) lost() []string {
	var out []string
	for _, h := range ihServerRequest {
		if s.request == nil {
			break
		}
		if _, ok := s.request.Header(h); !ok {
			out = append(out, h)
		}
	}
	for _, h := range ihServerResponse {
		if s.response.Get(h) == "" {
			out = append(out, h)
		}
	}
	return out
}

// has reports whether the request or the response carries header h.
func (s ihSeen) has(h string) bool {
	if s.request != nil {
		if _, ok := s.request.Header(h); ok {
			return true
		}
	}
	return s.response.Get(h) != ""
}

// TestArrayInheritMatchesNginx: see the comment at the top of this file.
func TestArrayInheritMatchesNginx(t *testing.T) {
	nginxtest.Binary(t)
	state := t.TempDir()
	dir := t.TempDir()
	backend := nginxtest.StartBackend(t, "tcp4", "127.0.0.1:0")
	listen := fmt.Sprintf("127.0.0.1:%d", nginxtest.FreePort(t))
	var conf strings.Builder
	conf.WriteString(nginxtest.MainPreamble(state))
	conf.WriteString("http {\n")
	conf.WriteString(nginxtest.HTTPPreamble(state))
	fmt.Fprintf(&conf, "server {\n    listen %s;\n", listen)
	fmt.Fprintf(&conf, ihServer, backend.Addr)
	conf.WriteString("}\n}\n")
	ihWrite(t, filepath.Join(dir, "nginx.conf"), conf.String())
	ihWrite(t, filepath.Join(dir, "snippets", "tenant.conf"), "proxy_set_header X-Tenant acme;\n")

	if ok, out := nginxtest.Check(t, dir, "nginx.conf"); !ok {
		t.Fatalf("nginx rejects the tree:\n%s", out)
	}
	seen := ihServe(t, dir, listen, backend)
	diags, out := lintJSON(t, "--nginx-version", ihVersion, dir)
	var withFixes int
	for _, d := range diags {
		if len(d.Fixes) > 0 {
			withFixes++
			if d.Rule != ihRule {
				t.Errorf("a finding of another rule has a fix, which --fix would apply too: %s:%d: %s [%s]", d.File, d.Line, d.Message, d.Rule)
			}
		}
	}
	flagged := ihCompare(t, "", dir, seen, diags, out)
	lostSome := 0
	for i, p := range ihProbes {
		lost := seen[i].lost()
		if len(lost) > 0 {
			lostSome++
		}
		t.Logf("%-24s l.%-3d nginx loses: %-42s nginxlint: %s", p.block, seen[i].line, strings.Join(lost, ", "), ihSaid(flagged[i]))
	}
	if lostSome == 0 || lostSome == len(ihProbes) {
		t.Fatalf("the scenario shows nothing: %d of %d probes lose a header", lostSome, len(ihProbes))
	}

	// --fix, as a user would run it, then the same checks on the result.
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"--fix", "--nginx-version", ihVersion, dir}, rules.All(),
		cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	if code != cli.ExitClean && code != cli.ExitFindings {
		t.Fatalf("nginxlint --fix exited %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), fmt.Sprintf("fixed %d findings", withFixes)) {
		t.Errorf("nginxlint --fix: want %d findings fixed\n%s%s", withFixes, stdout.String(), stderr.String())
	}
	if ok, out := nginxtest.Check(t, dir, "nginx.conf"); !ok {
		t.Fatalf("nginx rejects the fixed tree:\n%s%s", out, ihDump(t, dir))
	}
	after := ihServe(t, dir, listen, backend)
	diags, out = lintJSON(t, "--nginx-version", ihVersion, dir)
	ihCompare(t, "after --fix: ", dir, after, diags, out)
	for i, p := range ihProbes {
		if lost := after[i].lost(); len(lost) > 0 {
			t.Errorf("after --fix: %s still loses %s\n%s", p.block, strings.Join(lost, ", "), ihDump(t, dir))
		}
		for _, h := range p.own {
			if !after[i].has(h) {
				t.Errorf("after --fix: %s lost its own %s\n%s", p.block, h, ihDump(t, dir))
			}
		}
	}
	snippet, err := os.ReadFile(filepath.Join(dir, "snippets", "tenant.conf"))
	if err != nil || string(snippet) != "proxy_set_header X-Tenant acme;\n" {
		t.Errorf("--fix changed the snippet, which is the location's own: %q, %v", snippet, err)
	}
}

// ihCompare checks that nginxlint reports exactly the probes that lose a
// server header, naming each, and returns the finding of each probe.
func ihCompare(t *testing.T, phase, dir string, seen []ihSeen, diags []jsonDiag, out string) []*jsonDiag {
	t.Helper()
	conf := filepath.Join(dir, "nginx.conf")
	flagged := make([]*jsonDiag, len(seen))
	for _, d := range diags {
		if d.Rule != ihRule {
			continue
		}
		matched := false
		for i, s := range seen {
			if sameFile(d.File, conf) && d.Line == s.line {
				flagged[i] = &d
				matched = true
			}
		}
		if !matched {
			t.Errorf("%sfinding at %s:%d, which is no probed block: %s", phase, d.File, d.Line, d.Message)
		}
	}
	for i, p := range ihProbes {
		s := seen[i]
		if s.request == nil || s.status != http.StatusOK {
			t.Errorf("%sGET %s (%s): status %d, %v; the backend got %v", phase, p.path, p.block, s.status, s.err, s.request != nil)
			continue
		}
		lost := s.lost()
		if (flagged[i] != nil) != (len(lost) > 0) {
			t.Errorf("%sDISAGREEMENT at %s (line %d): nginx loses [%s], nginxlint says %s\n%s%s",
				phase, p.block, s.line, strings.Join(lost, ", "), ihSaid(flagged[i]), ihDump(t, dir), out)
			continue
		}
		for _, h := range lost {
			if !strings.Contains(flagged[i].Message, h) {
				t.Errorf("%s%s (line %d) loses %s, which the message does not name: %s", phase, p.block, s.line, h, flagged[i].Message)
			}
		}
	}
	return flagged
}

// ihServe starts nginx on the tree, sends one request per probe, stops
// nginx, and returns what each request showed.
func ihServe(t *testing.T, dir, listen string, backend *nginxtest.Backend) []ihSeen {
	t.Helper()
	src := ihRead(t, filepath.Join(dir, "nginx.conf"))
	lines := strings.Split(src, "\n")
	srv := nginxtest.Start(t, dir, "nginx.conf", listen)
	defer srv.Stop()
	seen := make([]ihSeen, len(ihProbes))
	for i, p := range ihProbes {
		for n, l := range lines {
			if strings.Contains(l, p.block) {
				seen[i].line = n + 1
			}
		}
		if seen[i].line == 0 {
			t.Fatalf("%q is not in nginx.conf", p.block)
		}
		n := len(backend.Requests())
		seen[i].status, seen[i].response, seen[i].err = ihGet(listen, p.path, p.header)
		for _, r := range backend.Requests()[n:] {
			if f := strings.Fields(r.Line); len(f) == 3 && f[1] == p.path {
				seen[i].request = &r
			}
		}
	}
	return seen
}

// ihGet sends GET path to addr with an optional header and returns the
// status and the response headers.
func ihGet(addr, path, header string) (int, http.Header, error) {
	transport := &http.Transport{Proxy: nil}
	defer transport.CloseIdleConnections()
	client := &http.Client{Timeout: 5 * time.Second, Transport: transport}
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return 0, nil, err
	}
	if name, value, ok := strings.Cut(header, ":"); ok {
		req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header, err
}

func ihSaid(d *jsonDiag) string {
	if d == nil {
		return "clean"
	}
	return "reported: " + d.Message
}

func ihWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ihRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ihDump renders nginx.conf with line numbers.
func ihDump(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("--- nginx.conf\n")
	for i, l := range strings.Split(ihRead(t, filepath.Join(dir, "nginx.conf")), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}
