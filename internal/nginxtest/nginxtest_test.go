package nginxtest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeFile writes content to dir/name, creating directories as needed.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// httpTree writes a tree whose nginx.conf is the preambles plus httpBody
// inside http{}, and returns the tree's directory. The preambles point at a
// separate temporary directory, so that nginx writes nothing into the tree.
func httpTree(t *testing.T, httpBody string) string {
	t.Helper()
	state := t.TempDir()
	dir := t.TempDir()
	writeFile(t, dir, "nginx.conf", MainPreamble(state)+"http {\n"+HTTPPreamble(state)+httpBody+"}\n")
	return dir
}

// proxyTree writes a tree with one loopback server proxying everything to
// proxyPass, and returns the tree and the server's address.
func proxyTree(t *testing.T, extraHTTP, proxyPass, extraLocation string) (dir, addr string) {
	t.Helper()
	addr = "127.0.0.1:" + strconv.Itoa(FreePort(t))
	dir = httpTree(t, extraHTTP+fmt.Sprintf(`
server {
    listen %s;
    location / {
        proxy_pass %s;
        %s
    }
}
`, addr, proxyPass, extraLocation))
	return dir, addr
}

// fakeTB records the first Fatal instead of failing the test, so that the
// failure paths of the package can be tested. Everything else goes to the
// real test.
type fakeTB struct {
	testing.TB
	fatal string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatal(args ...any) {
	f.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// expectFatal runs fn with a fakeTB and returns its Fatal message, failing
// the test when fn does not call Fatal.
func expectFatal(t *testing.T, fn func(tb testing.TB)) string {
	t.Helper()
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	if f.fatal == "" {
		t.Fatal("expected the helper to fail the test, it did not")
	}
	return f.fatal
}

func TestVersion(t *testing.T) {
	t.Parallel()
	bin := Binary(t)
	v := Version(t)
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(v) {
		t.Fatalf("Version = %q, want something like 1.22.1", v)
	}
	t.Logf("%s is nginx %s", bin, v)
}

func TestCheckAcceptsValidTree(t *testing.T) {
	t.Parallel()
	dir := httpTree(t, fmt.Sprintf("server {\n    listen 127.0.0.1:%d;\n    location / { return 204; }\n}\n", FreePort(t)))
	ok, out := Check(t, dir, "nginx.conf")
	if !ok {
		t.Fatalf("nginx -t rejected a valid tree:\n%s", out)
	}
	if !strings.Contains(out, "test is successful") {
		t.Errorf("output lacks %q:\n%s", "test is successful", out)
	}
	if _, _, _, found := ParseError(out); found {
		t.Errorf("ParseError found an error in the output of a successful check:\n%s", out)
	}
}

func TestCheckRejectsUnexpectedBrace(t *testing.T) {
	t.Parallel()
	state := t.TempDir()

	t.Run("main file", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		lines := strings.Split(MainPreamble(state)+"http {\n"+HTTPPreamble(state), "\n")
		lines = lines[:len(lines)-1] // drop the empty string after the last newline
		lines = append(lines, "}", "}")
		wantLine := len(lines) // the second "}"
		main := writeFile(t, dir, "nginx.conf", strings.Join(lines, "\n")+"\n")

		ok, out := Check(t, dir, "nginx.conf")
		if ok {
			t.Fatalf("nginx -t accepted a tree with an extra }:\n%s", out)
		}
		msg, file, line, found := ParseError(out)
		if !found || msg != `unexpected "}"` || file != main || line != wantLine {
			t.Fatalf("ParseError = %q, %q, %d, %v; want %q, %q, %d, true\noutput:\n%s",
				msg, file, line, found, `unexpected "}"`, main, wantLine, out)
		}
	})

	t.Run("included file", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "nginx.conf", MainPreamble(state)+"http {\n"+HTTPPreamble(state)+"include conf.d/*.conf;\n}\n")
		bad := writeFile(t, dir, "conf.d/site.conf", fmt.Sprintf(
			"server {\n    listen 127.0.0.1:%d;\n    location / { return 204; }\n}\n}\n", FreePort(t)))

		ok, out := Check(t, dir, "nginx.conf")
		if ok {
			t.Fatalf("nginx -t accepted a tree with an extra }:\n%s", out)
		}
		msg, file, line, found := ParseError(out)
		if !found || msg != `unexpected "}"` || file != bad || line != 5 {
			t.Fatalf("ParseError = %q, %q, %d, %v; want %q, %q, 5, true\noutput:\n%s",
				msg, file, line, found, `unexpected "}"`, bad, out)
		}
	})
}

func TestParseError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, output, msg, file string
		line                    int
		ok                      bool
	}{
		{
			name:   "stderr",
			output: "nginx: [emerg] unexpected \"}\" in /tmp/x/nginx.conf:5\nnginx: configuration file /tmp/x/nginx.conf test failed\n",
			msg:    `unexpected "}"`, file: "/tmp/x/nginx.conf", line: 5, ok: true,
		},
		{
			name:   "message containing in",
			output: "nginx: [emerg] invalid number of arguments in \"listen\" directive in /tmp/a b/c.conf:12\n",
			msg:    `invalid number of arguments in "listen" directive`, file: "/tmp/a b/c.conf", line: 12, ok: true,
		},
		{
			name:   "error log format, first emerg wins",
			output: "2024/01/02 03:04:05 [warn] 7#7: something\r\n2024/01/02 03:04:05 [emerg] 7#7: unknown directive \"foo\" in /t/n.conf:3\r\n2024/01/02 03:04:05 [emerg] 7#7: second in /t/n.conf:9\r\n",
			msg:    `unknown directive "foo"`, file: "/t/n.conf", line: 3, ok: true,
		},
		{
			name:   "no position",
			output: "nginx: [emerg] bind() to 127.0.0.1:80 failed (98: Address already in use)\n",
			msg:    "bind() to 127.0.0.1:80 failed (98: Address already in use)", ok: true,
		},
		{
			name:   "no emerg",
			output: "nginx: the configuration file /x/nginx.conf syntax is ok\nnginx: configuration file /x/nginx.conf test is successful\n",
		},
	}
	for _, tt := range tests {
		msg, file, line, ok := ParseError(tt.output)
		if msg != tt.msg || file != tt.file || line != tt.line || ok != tt.ok {
			t.Errorf("%s: ParseError = %q, %q, %d, %v; want %q, %q, %d, %v",
				tt.name, msg, file, line, ok, tt.msg, tt.file, tt.line, tt.ok)
		}
	}
}

// wantEcho fails the test unless body contains every line of want.
func wantEcho(t *testing.T, body string, want ...string) {
	t.Helper()
	got := strings.Split(body, "\n")
	for _, w := range want {
		found := false
		for _, g := range got {
			if g == w {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("echoed body lacks line %q:\n%s", w, body)
		}
	}
}

func TestProxyTCP4(t *testing.T) {
	t.Parallel()
	be := StartBackend(t, "tcp4", "127.0.0.1:0")
	dir, addr := proxyTree(t, "", "http://"+be.Addr, "")
	Start(t, dir, "nginx.conf", addr)

	status, body := Get(t, "http://"+addr+"/x")
	if status != http.StatusOK {
		t.Fatalf("status %d, want 200; body:\n%s", status, body)
	}
	wantEcho(t, body, "REQUEST GET /x HTTP/1.0", "HEADER Host: "+be.Addr, "HEADER Connection: close")
	reqs := be.Requests()
	if len(reqs) != 1 || reqs[0].Line != "GET /x HTTP/1.0" || reqs[0].ConnID != 1 {
		t.Fatalf("backend requests = %+v, want one GET /x HTTP/1.0 on connection 1", reqs)
	}
	if v, ok := reqs[0].Header("connection"); !ok || v != "close" {
		t.Errorf("Connection header = %q, %v; want close", v, ok)
	}
}

func TestProxyUnix(t *testing.T) {
	t.Parallel()
	sock := filepath.Join(t.TempDir(), "be.sock")
	be := StartBackend(t, "unix", sock)
	if be.Addr != sock {
		t.Fatalf("Addr = %q, want %q", be.Addr, sock)
	}
	dir, addr := proxyTree(t, "", "http://unix:"+sock+":", "")
	Start(t, dir, "nginx.conf", addr)

	status, body := Get(t, "http://"+addr+"/via/unix?q=1")
	if status != http.StatusOK {
		t.Fatalf("status %d, want 200; body:\n%s", status, body)
	}
	wantEcho(t, body, "REQUEST GET /via/unix?q=1 HTTP/1.0", "HEADER Host: localhost", "HEADER Connection: close")
	if n := len(be.Requests()); n != 1 {
		t.Errorf("backend saw %d requests, want 1", n)
	}
}

func TestProxyTCP6(t *testing.T) {
	t.Parallel()
	if !IPv6(t) {
		t.Skip("no IPv6 loopback")
	}
	be := StartBackend(t, "tcp6", "[::1]:0")
	if !strings.HasPrefix(be.Addr, "[::1]:") {
		t.Fatalf("Addr = %q, want [::1]:port", be.Addr)
	}
	front := "[::1]:" + strconv.Itoa(FreePort(t))
	dir := httpTree(t, fmt.Sprintf("server {\n    listen %s;\n    location / { proxy_pass http://%s; }\n}\n", front, be.Addr))
	Start(t, dir, "nginx.conf", front)

	status, body := Get(t, "http://"+front+"/six")
	if status != http.StatusOK {
		t.Fatalf("status %d, want 200; body:\n%s", status, body)
	}
	wantEcho(t, body, "REQUEST GET /six HTTP/1.0", "HEADER Host: "+be.Addr, "HEADER Connection: close")
}

func TestProxyBadGateway(t *testing.T) {
	t.Parallel()
	dead := "127.0.0.1:" + strconv.Itoa(FreePort(t)) // nothing listens there
	dir, addr := proxyTree(t, "", "http://"+dead, "")
	srv := Start(t, dir, "nginx.conf", addr)

	status, body := Get(t, "http://"+addr+"/x")
	if status != http.StatusBadGateway {
		t.Fatalf("status %d, want 502; body:\n%s", status, body)
	}
	if log := srv.ErrorLog(); !strings.Contains(log, "Connection refused") || !strings.Contains(log, "upstream: \"http://"+dead+"/x\"") {
		t.Errorf("error log does not report the refused upstream connection:\n%s", log)
	}
}

func TestUpstreamKeepalive(t *testing.T) {
	t.Parallel()
	be := StartBackend(t, "tcp4", "127.0.0.1:0")
	upstream := fmt.Sprintf("upstream be {\n    server %s;\n    keepalive 4;\n}\n", be.Addr)
	dir, addr := proxyTree(t, upstream, "http://be", `proxy_http_version 1.1;
        proxy_set_header Connection "";`)
	Start(t, dir, "nginx.conf", addr)

	for _, path := range []string{"/a", "/b"} {
		status, body := Get(t, "http://"+addr+path)
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d, want 200; body:\n%s", path, status, body)
		}
		wantEcho(t, body, "REQUEST GET "+path+" HTTP/1.1")
	}
	reqs := be.Requests()
	if len(reqs) != 2 {
		t.Fatalf("backend saw %d requests, want 2: %+v", len(reqs), reqs)
	}
	for i, r := range reqs {
		if !strings.HasSuffix(r.Line, " HTTP/1.1") {
			t.Errorf("request %d: %q is not HTTP/1.1", i, r.Line)
		}
		if v, ok := r.Header("Connection"); ok {
			t.Errorf("request %d: nginx sent Connection: %s despite proxy_set_header Connection \"\"", i, v)
		}
	}
	if reqs[0].ConnID != reqs[1].ConnID {
		t.Errorf("requests came on connections %d and %d, want one reused connection", reqs[0].ConnID, reqs[1].ConnID)
	}
}

// exchange writes raw to a connection to the backend and reads n responses.
func exchange(t *testing.T, c net.Conn, br *bufio.Reader, raw string, method string, n int) []string {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for i := 0; i < n; i++ {
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			t.Fatalf("reading response %d: %v", i, err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d, want 200", resp.StatusCode)
		}
		bodies = append(bodies, string(b))
	}
	return bodies
}

// expectClosed fails unless the backend closes the connection.
func expectClosed(t *testing.T, c net.Conn, br *bufio.Reader) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("connection still open (read: %v), want it closed", err)
	}
}

func TestBackendRaw(t *testing.T) {
	t.Parallel()
	be := StartBackend(t, "tcp4", "127.0.0.1:0")
	dial := func() (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", be.Addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c, bufio.NewReader(c)
	}

	// HTTP/1.1 keeps the connection; headers are echoed verbatim and in order.
	c, br := dial()
	bodies := exchange(t, c, br, "GET /one HTTP/1.1\r\nHost: h\r\nx-LOWER-upper:  v 1 \r\nX-Dup: a\r\nX-Dup: b\r\n\r\n", "GET", 1)
	if want := "REQUEST GET /one HTTP/1.1\nHEADER Host: h\nHEADER x-LOWER-upper: v 1\nHEADER X-Dup: a\nHEADER X-Dup: b\n"; bodies[0] != want {
		t.Errorf("body = %q, want %q", bodies[0], want)
	}
	exchange(t, c, br, "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloHEAD /three HTTP/1.1\r\nHost: h\r\n\r\n", "POST", 1)
	if b := exchange(t, c, br, "", "HEAD", 1); b[0] != "" {
		t.Errorf("HEAD response has a body: %q", b[0])
	}
	exchange(t, c, br, "PUT /four HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: v\r\n\r\n", "PUT", 1)
	expectClosed(t, c, br)

	// HTTP/1.0 closes unless keep-alive was asked for.
	c, br = dial()
	exchange(t, c, br, "GET /five HTTP/1.0\r\n\r\n", "GET", 1)
	expectClosed(t, c, br)
	c, br = dial()
	exchange(t, c, br, "GET /six HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nGET /seven HTTP/1.0\r\n\r\n", "GET", 2)
	expectClosed(t, c, br)

	reqs := be.Requests()
	var got []string
	for _, r := range reqs {
		got = append(got, fmt.Sprintf("%d %s %q", r.ConnID, r.Line, r.Body))
	}
	want := []string{
		`1 GET /one HTTP/1.1 ""`,
		`1 POST /two HTTP/1.1 "hello"`,
		`1 HEAD /three HTTP/1.1 ""`,
		`1 PUT /four HTTP/1.1 "abcde"`,
		`2 GET /five HTTP/1.0 ""`,
		`3 GET /six HTTP/1.0 ""`,
		`3 GET /seven HTTP/1.0 ""`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recorded requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A malformed request gets 400 and the connection is closed.
	c, br = dial()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "NONSENSE\r\n\r\n")
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("malformed request: %v, %v; want 400", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	expectClosed(t, c, br)
}

func TestBackendCloseEndsIdleConnections(t *testing.T) {
	t.Parallel()
	be := StartBackend(t, "tcp4", "127.0.0.1:0")
	c, err := net.Dial("tcp", be.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	exchange(t, c, br, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", "GET", 1)
	done := make(chan struct{})
	go func() { be.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return while a keep-alive connection was idle")
	}
	expectClosed(t, c, br)
	if _, err := net.Dial("tcp", be.Addr); err == nil {
		t.Error("backend still accepts connections after Close")
	}
}

func TestStartFailures(t *testing.T) {
	t.Parallel()
	Binary(t)

	t.Run("config error", func(t *testing.T) {
		t.Parallel()
		dir, addr := proxyTree(t, "no_such_directive on;\n", "http://127.0.0.1:9", "")
		msg := expectFatal(t, func(tb testing.TB) { Start(tb, dir, "nginx.conf", addr) })
		if !strings.Contains(msg, `unknown directive "no_such_directive"`) {
			t.Errorf("failure does not show nginx's error log:\n%s", msg)
		}
	})

	t.Run("address in use", func(t *testing.T) {
		t.Parallel()
		be := StartBackend(t, "tcp4", "127.0.0.1:0")
		dir := httpTree(t, fmt.Sprintf("server {\n    listen %s;\n}\n", be.Addr))
		msg := expectFatal(t, func(tb testing.TB) { Start(tb, dir, "nginx.conf", be.Addr) })
		if !strings.Contains(msg, "Address already in use") {
			t.Errorf("failure does not show the bind error:\n%s", msg)
		}
	})

	t.Run("machine path", func(t *testing.T) {
		t.Parallel()
		dir := httpTree(t, "include /etc/nginx/mime.types;\n")
		for name, fn := range map[string]func(testing.TB){
			"Check": func(tb testing.TB) { Check(tb, dir, "nginx.conf") },
			"Start": func(tb testing.TB) { Start(tb, dir, "nginx.conf") },
		} {
			if msg := expectFatal(t, fn); !strings.Contains(msg, "/etc/nginx") {
				t.Errorf("%s: failure does not name /etc/nginx:\n%s", name, msg)
			}
		}
	})
}

func TestCheckTree(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	main := MainPreamble(state)
	httpOpen := "http {\n" + HTTPPreamble(state)
	tests := []struct {
		name     string
		files    map[string]string
		forStart bool
		want     string // substring of the error; "" for none
	}{
		{"valid", map[string]string{"nginx.conf": main + httpOpen + "server { listen 127.0.0.1:8080; }\n}\n"}, true, ""},
		{"no http", map[string]string{"nginx.conf": main + "stream { server { listen [::1]:99; } }\n"}, true, ""},
		{"comments and strings", map[string]string{"nginx.conf": "# pid /run/nginx.pid;\n" + main + httpOpen + "server { listen 127.0.0.1:1; return 200 \"${x}}\"; set $a ${b}c; }\n}\n"}, true, ""},
		{"pid", map[string]string{"nginx.conf": "pid x.pid;\n" + main}, false, "sets pid"},
		{"daemon for Start", map[string]string{"nginx.conf": "daemon off;\n" + main}, true, "sets daemon"},
		{"daemon for Check", map[string]string{"nginx.conf": "daemon off;\n" + main}, false, ""},
		{"http without preamble", map[string]string{"nginx.conf": main + "http {\n access_log off;\n}\n"}, false, "client_body_temp_path, proxy_temp_path"},
		{"preamble in include", map[string]string{"nginx.conf": main + "http {\ninclude pre.inc;\n}\n", "pre.inc": HTTPPreamble(state)}, false, ""},
		{"machine log", map[string]string{"nginx.conf": main + httpOpen + "error_log /var/log/nginx/../nginx/e.log;\n}\n"}, false, "/var/log/nginx"},
		{"machine include", map[string]string{"nginx.conf": main + "include /etc/nginx/modules-enabled/*.conf;\n"}, false, "/etc/nginx"},
		{"machine path in included file", map[string]string{"nginx.conf": main + "include sub/*.conf;\n", "sub/a.conf": "lock_file '/run/nginx.pid';\n"}, false, "/run/nginx.pid"},
		{"listen everywhere", map[string]string{"nginx.conf": main + httpOpen + "server { listen 8080; }\n}\n"}, true, "not a loopback"},
		{"listen everywhere, Check", map[string]string{"nginx.conf": main + httpOpen + "server { listen 8080; }\n}\n"}, false, ""},
		{"server without listen", map[string]string{"nginx.conf": main + httpOpen + "server { server_name x; }\n}\n"}, true, "no listen"},
		{"unix listen", map[string]string{"nginx.conf": main + httpOpen + "server { listen unix:/tmp/x.sock; }\n}\n"}, true, ""},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		for name, content := range tt.files {
			writeFile(t, dir, name, content)
		}
		err := checkTree(filepath.Join(dir, "nginx.conf"), tt.forStart)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: unexpected error: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestStopCleansUp(t *testing.T) {
	t.Parallel()
	var pid int
	var addr string
	t.Run("run", func(t *testing.T) {
		var dir string
		dir, addr = proxyTree(t, "", "http://127.0.0.1:9", "")
		srv := Start(t, dir, "nginx.conf", addr)
		pid = srv.Pid()
		if !groupAlive(pid) {
			t.Fatal("nginx process group not found while running")
		}
	})
	if runtime.GOOS != "windows" && groupAlive(pid) {
		t.Errorf("nginx process group %d still exists after cleanup", pid)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after cleanup", addr)
	}
}
