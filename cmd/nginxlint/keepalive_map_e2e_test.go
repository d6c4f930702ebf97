//go:build unix

package main_test

// This file checks, against real nginx and a backend on loopback, the
// upstream-keepalive finding about a Connection header built from a map:
//
//	map $http_upgrade $connection_upgrade { default upgrade; '' close; }
//	...
//	proxy_set_header Connection $connection_upgrade;
//	proxy_set_header Connection "";
//
// The oracle is what the backend receives. nginx sends every Connection
// line whose value is not empty and skips only the empty one, so an
// ordinary request (no Upgrade header) reaches the backend with
// "Connection: close", and each one opens a new connection although the
// upstream keeps idle ones (keepalive 8): nginxlint must report the
// location. Its fix-it makes the map's '' entry '' (the map serves only
// that Connection header); applied to a copy of the tree, nginx must
// accept it, ordinary requests must reach the backend as HTTP/1.1 without
// a Connection header, one after the other on the same connection, a
// WebSocket request must still carry "Connection: upgrade", and nginxlint
// must no longer report anything about keepalive, for nginx 1.22.1 (the
// one installed) as for 1.30.0 (HTTP/1.1 by default, where the map still
// sends "close").

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

// kmOrdinary is how many ordinary requests each tree gets, one after the
// other, each from a client connection of its own.
const kmOrdinary = 3

// kmConfig returns nginx.conf for the backend at backend, listening at
// listen, with empty as the value the map gives an empty $http_upgrade.
func kmConfig(state, backend, listen, empty string) string {
	var b strings.Builder
	b.WriteString(nginxtest.MainPreamble(state))
	b.WriteString("http {\n")
	b.WriteString(nginxtest.HTTPPreamble(state))
	fmt.Fprintf(&b, `map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      %s;
}
upstream ka_up {
    server %s;
    keepalive 8;
}
server {
    listen %s;
    proxy_http_version 1.1;
    location /ws/ {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header Connection "";
        proxy_pass http://ka_up;
    }
}
}
`, empty, backend, listen)
	return b.String()
}

// kmServed is what the backend got for the requests sent through one
// nginx: the ordinary ones, then the WebSocket one.
type kmServed struct {
	ordinary []nginxtest.Request
	upgrade  *nginxtest.Request
}

// kmServe starts nginx on the tree in dir, sends kmOrdinary ordinary
// requests and one with "Upgrade: websocket" through the location, stops
// nginx and returns what the backend got, with nginx's error log.
func kmServe(t *testing.T, dir, listen string, be *nginxtest.Backend) (kmServed, string) {
	t.Helper()
	srv := nginxtest.Start(t, dir, "nginx.conf", listen)
	var got kmServed
	find := func(path string) *nginxtest.Request {
		for _, r := range be.Requests() {
			if f := strings.Fields(r.Line); len(f) == 3 && f[1] == path {
				return &r
			}
		}
		return nil
	}
	for i := range kmOrdinary {
		path := fmt.Sprintf("/ws/plain-%s-%d", filepath.Base(dir), i)
		if status, err := kaGet(listen, path, ""); err != nil || status != 200 {
			t.Fatalf("GET %s: status %d, %v\n%s", path, status, err, srv.ErrorLog())
		}
		r := find(path)
		if r == nil {
			t.Fatalf("GET %s did not reach the backend\n%s", path, srv.ErrorLog())
		}
		got.ordinary = append(got.ordinary, *r)
	}
	path := fmt.Sprintf("/ws/upgrade-%s", filepath.Base(dir))
	// The echo backend answers 200, not 101: nginx passes the response
	// on, and the request shows the headers nginx sent.
	if status, err := kaGet(listen, path, "Upgrade: websocket"); err != nil || status != 200 {
		t.Fatalf("GET %s with Upgrade: status %d, %v\n%s", path, status, err, srv.ErrorLog())
	}
	got.upgrade = find(path)
	if got.upgrade == nil {
		t.Fatalf("GET %s did not reach the backend\n%s", path, srv.ErrorLog())
	}
	srv.Stop()
	return got, srv.ErrorLog()
}

// kmFindings returns the upstream-keepalive findings of nginxlint on the
// tree in dir for an nginx version, and its whole output.
func kmFindings(t *testing.T, version, dir string) ([]jsonDiag, string) {
	t.Helper()
	diags, out := lintJSON(t, "--nginx-version", version, dir)
	var ka []jsonDiag
	for _, d := range diags {
		if d.Rule == kaRule {
			ka = append(ka, d)
		}
	}
	return ka, out
}

// TestKeepaliveMapMatchesNginx runs the tree whose map gives "close"
// for an empty $http_upgrade, then with nginxlint's fix-it applied; see
// the comment at the top of this file.
func TestKeepaliveMapMatchesNginx(t *testing.T) {
	nginxtest.Binary(t)
	be := nginxtest.StartBackend(t, "tcp4", "127.0.0.1:0")
	state := t.TempDir()

	// The map as the WebSocket recipe writes it.
	before := filepath.Join(t.TempDir(), "before")
	listen := fmt.Sprintf("127.0.0.1:%d", nginxtest.FreePort(t))
	conf := kmConfig(state, be.Addr, listen, "close")
	kaWrite(t, filepath.Join(before, "nginx.conf"), conf)
	if ok, out := nginxtest.Check(t, before, "nginx.conf"); !ok {
		t.Fatalf("nginx rejects the tree:\n%s", out)
	}
	got, errLog := kmServe(t, before, listen, be)
	conns := map[int]bool{}
	for _, r := range got.ordinary {
		if c := kaConnection(r); !strings.EqualFold(c, "close") || !strings.HasSuffix(r.Line, " HTTP/1.1") {
			t.Errorf("the backend got %q with Connection %q; this test expects HTTP/1.1 with \"Connection: close\" (nginx sends the map's close and skips the empty line)\n%s", r.Line, c, errLog)
		}
		conns[r.ConnID] = true
	}
	if len(conns) != kmOrdinary {
		t.Errorf("%d ordinary requests came on %d connections; with Connection: close each opens its own", kmOrdinary, len(conns))
	}
	if c := kaConnection(*got.upgrade); !strings.EqualFold(c, "upgrade") {
		t.Errorf("the WebSocket request reached the backend with Connection %q, want upgrade", c)
	}
	t.Logf("before the fix: %d ordinary requests on %d backend connections, Connection: %s; WebSocket request: Connection: %s",
		len(got.ordinary), len(conns), kaConnection(got.ordinary[0]), kaConnection(*got.upgrade))

	// nginxlint agrees, at the location, with a fix-it in the map.
	confPath := filepath.Join(before, "nginx.conf")
	locLine := kmLineOf(t, conf, "location /ws/ {")
	entryLine := kmLineOf(t, conf, "''      close;")
	var fix []jsonEdit
	for _, version := range []string{kaOldVersion, kaNewVersion} {
		ka, out := kmFindings(t, version, before)
		if len(ka) != 1 || !sameFile(ka[0].File, confPath) || ka[0].Line != locLine {
			t.Fatalf("--nginx-version %s: want one %s finding at line %d (the location), got:\n%s", version, kaRule, locLine, out)
		}
		d := ka[0]
		if !strings.Contains(d.Message, `"Connection: close" on every request without an Upgrade header`) {
			t.Errorf("--nginx-version %s: the message does not say what the backend sees: %s", version, d.Message)
		}
		if len(d.Fixes) != 1 || len(d.Fixes[0].Edits) != 1 || d.Fixes[0].Edits[0].Line != entryLine || d.Fixes[0].Edits[0].NewText != "''" {
			t.Fatalf("--nginx-version %s: want one fix-it that makes the map's '' entry (line %d) '', got:\n%s", version, entryLine, out)
		}
		fix = d.Fixes[0].Edits
	}

	// The fix-it, applied to a copy of the tree.
	after := filepath.Join(t.TempDir(), "after")
	fixed, err := applyEdits(conf, fix)
	if err != nil {
		t.Fatalf("the fix-it cannot be applied: %v", err)
	}
	listen2 := fmt.Sprintf("127.0.0.1:%d", nginxtest.FreePort(t))
	fixed = strings.Replace(fixed, "listen "+listen+";", "listen "+listen2+";", 1)
	if want := kmConfig(state, be.Addr, listen2, "''"); fixed != want {
		t.Fatalf("the fixed tree is not the map with '' '';:\n--- got\n%s--- want\n%s", fixed, want)
	}
	kaWrite(t, filepath.Join(after, "nginx.conf"), fixed)
	if ok, out := nginxtest.Check(t, after, "nginx.conf"); !ok {
		t.Fatalf("nginx rejects the fixed tree:\n%s", out)
	}
	got, errLog = kmServe(t, after, listen2, be)
	conns = map[int]bool{}
	for _, r := range got.ordinary {
		if c := kaConnection(r); c != "" || !strings.HasSuffix(r.Line, " HTTP/1.1") {
			t.Errorf("after the fix, the backend got %q with Connection %q, want HTTP/1.1 without a Connection header\n%s", r.Line, c, errLog)
		}
		conns[r.ConnID] = true
	}
	if len(conns) != 1 {
		t.Errorf("after the fix, %d ordinary requests came on %d connections, want 1 (reused)", kmOrdinary, len(conns))
	}
	if c := kaConnection(*got.upgrade); !strings.EqualFold(c, "upgrade") {
		t.Errorf("after the fix, the WebSocket request reached the backend with Connection %q, want upgrade", c)
	}
	t.Logf("after the fix: %d ordinary requests on %d backend connection(s), Connection: (none); WebSocket request: Connection: %s",
		len(got.ordinary), len(conns), kaConnection(*got.upgrade))
	for _, version := range []string{kaOldVersion, kaNewVersion} {
		if ka, out := kmFindings(t, version, after); len(ka) != 0 {
			t.Errorf("--nginx-version %s: nginxlint still reports the fixed tree:\n%s", version, out)
		}
	}
}

// kmLineOf returns the line of text holding s, which must occur once.
func kmLineOf(t *testing.T, text, s string) int {
	t.Helper()
	before, _, found := strings.Cut(text, s)
	if !found || strings.Count(text, s) != 1 {
		t.Fatalf("%q occurs %d times in the tree", s, strings.Count(text, s))
	}
	return strings.Count(before, "\n") + 1
}
