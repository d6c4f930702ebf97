//go:build unix

package main_test

// This file checks the upstream-keepalive rule against real nginx.
//
// The oracle is what the backend receives. Each scenario is one tree: an
// echo backend on loopback behind "upstream ka_up { ...; keepalive 8; }",
// and a server whose locations (and if blocks) proxy to it. One request is
// sent through each block (with a header that makes the if true, for an if
// block), and the backend records the request line and headers nginx sent.
// nginx defeats the upstream's keepalive in a block exactly when that
// request reached the backend as HTTP/1.0 or with a Connection header
// containing "close"; nginxlint, run in-process with
// --nginx-version 1.22.1 (the nginx installed here), must report an
// upstream-keepalive finding at the line of exactly those blocks, and
// nowhere else.
//
// Each fix-it nginxlint offers is then applied, alone, to a copy of the tree;
// nginx must accept the fixed tree, the block's request must now reach the
// backend as HTTP/1.1 without "Connection: close" and with the same other
// headers as before, and nginxlint must no longer report the block.
//
// Finally the same trees are linted with --nginx-version 1.30.0. nginx 1.22
// cannot show what 1.29.7 and later do by default (HTTP/1.1 with
// keep-alive), so that pass checks nginxlint's documented version switch
// only, against the configuration text: the rule must then report only the
// blocks that explicitly set "proxy_http_version 1.0" or a Connection
// header whose value is "close", written as such or yielded for ordinary
// requests by a map entry written "close" (each probe's explicit field).

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

const (
	kaRule       = "upstream-keepalive"
	kaOldVersion = "1.22.1" // the installed nginx: the oracle speaks for it
	kaNewVersion = "1.30.0" // HTTP/1.1 with keep-alive by default; not run here
	kaTimeout    = 5 * time.Second
)

// kaProbe is one block of a scenario and the request that goes through it.
type kaProbe struct {
	// block is the text of the opening line of the location or if block;
	// it occurs on exactly one line of nginx.conf.
	block string
	// path is the request path, distinct within the scenario.
	path string
	// header ("Name: value") is sent with the request to make an if block
	// true; "" for none.
	header string
	// explicit is true when the block explicitly sets proxy_http_version
	// 1.0 or a Connection header whose value is "close": what nginxlint
	// must report, and all it must report, for nginx 1.30.
	explicit bool
	// at is, for an if block, the opening line of its location: nginx
	// allows neither proxy_http_version nor proxy_set_header in an if, so
	// its settings, and the finding, belong to the location. "" for block.
	at string
}

// kaScenario is one tree.
type kaScenario struct {
	name   string
	http   string            // http-level directives, before the upstream
	server string            // the server's body after its listen line
	files  map[string]string // other files of the tree, by relative path
	probes []kaProbe
}

var kaScenarios = []kaScenario{
	{
		name: "in-location",
		server: `    location /s1/ {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s1/ {", path: "/s1/x"}},
	},
	{
		name: "nothing-set",
		server: `    location /s2/ {
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s2/ {", path: "/s2/x"}},
	},
	{
		name: "inherited-from-server",
		server: `    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location /s3/ {
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s3/ {", path: "/s3/x"}},
	},
	{
		name: "inherited-from-http",
		http: `proxy_http_version 1.1;
proxy_set_header Connection "";
`,
		server: `    location /s3h/ {
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s3h/ {", path: "/s3h/x"}},
	},
	{
		// The central case: a location that sets any proxy_set_header
		// inherits none of the server's.
		name: "array-trap",
		server: `    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location /s4/ {
        proxy_set_header Host $host;
        proxy_pass http://ka_up;
    }
    location /s4-plain/ {
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{
			{block: "location /s4/ {", path: "/s4/x"},
			{block: "location /s4-plain/ {", path: "/s4-plain/x"},
		},
	},
	{
		// The trap one level up: the server's own proxy_set_header hides
		// http's Connection "" from every location of the server.
		name: "array-trap-server-level",
		http: `proxy_http_version 1.1;
proxy_set_header Connection "";
`,
		server: `    proxy_set_header Host $host;
    location /s4s/ {
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s4s/ {", path: "/s4s/x"}},
	},
	{
		// The trap in a nested location.
		name: "array-trap-nested",
		server: `    location /s4n/ {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        location /s4n/inner/ {
            proxy_set_header X-Inner 1;
            proxy_pass http://ka_up;
        }
    }
`,
		probes: []kaProbe{{block: "location /s4n/inner/ {", path: "/s4n/inner/x"}},
	},
	{
		name: "version-only",
		server: `    location /s5/ {
        proxy_http_version 1.1;
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s5/ {", path: "/s5/x"}},
	},
	{
		name: "connection-only",
		server: `    location /s6/ {
        proxy_set_header Connection "";
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s6/ {", path: "/s6/x"}},
	},
	{
		// The if block of testdata/upstream-keepalive/if-block.txtar: it
		// sets its own proxy_set_header.
		name: "if-proxy-set-header",
		server: `    location /s7/ {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass http://ka_up;
        if ($http_x_tenant) {
            proxy_set_header X-Tenant $http_x_tenant;
        }
        if ($http_x_post) {
            add_header X-Post 1;
        }
    }
`,
		probes: []kaProbe{
			{block: "location /s7/ {", path: "/s7/plain"},
			{block: "if ($http_x_tenant) {", at: "location /s7/ {", path: "/s7/tenant", header: "X-Tenant: a"},
			{block: "if ($http_x_post) {", at: "location /s7/ {", path: "/s7/post", header: "X-Post: 1"},
		},
	},
	{
		// if blocks nginx accepts: add_header only, and a proxy_pass of
		// their own, inside a location that has both lines.
		name: "if-blocks",
		server: `    location /s7a/ {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass http://ka_up;
        if ($http_x_post) {
            add_header X-Post 1;
        }
        if ($http_x_route) {
            proxy_pass http://ka_up;
        }
    }
`,
		probes: []kaProbe{
			{block: "location /s7a/ {", path: "/s7a/plain"},
			{block: "if ($http_x_post) {", at: "location /s7a/ {", path: "/s7a/post", header: "X-Post: 1"},
			{block: "if ($http_x_route) {", at: "location /s7a/ {", path: "/s7a/route", header: "X-Route: 1"},
		},
	},
	{
		// An if block with its own proxy_pass in a location without the
		// lines: both defeat keepalive.
		name: "if-own-proxy-pass-unset",
		server: `    location /s7b/ {
        proxy_pass http://ka_up;
        if ($http_x_route) {
            proxy_pass http://ka_up;
        }
    }
`,
		probes: []kaProbe{
			{block: "location /s7b/ {", path: "/s7b/plain"},
			{block: "if ($http_x_route) {", at: "location /s7b/ {", path: "/s7b/route", header: "X-Route: 1"},
		},
	},
	{
		name: "snippet-with-both-lines",
		server: `    location /s8/ {
        include snippets/ka.conf;
        proxy_pass http://ka_up;
    }
`,
		files:  map[string]string{"snippets/ka.conf": "proxy_http_version 1.1;\nproxy_set_header Connection \"\";\n"},
		probes: []kaProbe{{block: "location /s8/ {", path: "/s8/x"}},
	},
	{
		name: "snippet-hides-server-connection",
		server: `    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location /s8b/ {
        include snippets/realip.conf;
        proxy_pass http://ka_up;
    }
`,
		files:  map[string]string{"snippets/realip.conf": "proxy_set_header X-Real-IP $remote_addr;\n"},
		probes: []kaProbe{{block: "location /s8b/ {", path: "/s8b/x"}},
	},
	{
		// The WebSocket recipe. A request without Upgrade gets "close"
		// from the first map: the value is the literal "close" written in
		// the map, so it counts as explicit for nginx 1.30 as well.
		name: "websocket-map",
		http: `map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
}
map $http_upgrade $connection_keep {
    default upgrade;
    '' '';
}
`,
		server: `    proxy_http_version 1.1;
    location /s9c/ {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_pass http://ka_up;
    }
    location /s9k/ {
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_keep;
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{
			{block: "location /s9c/ {", path: "/s9c/x", explicit: true},
			{block: "location /s9k/ {", path: "/s9k/x"},
		},
	},
	{
		name: "explicit-http10",
		server: `    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location /s10/ {
        proxy_http_version 1.0;
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s10/ {", path: "/s10/x", explicit: true}},
	},
	{
		name: "explicit-connection-close",
		server: `    location /s11/ {
        proxy_http_version 1.1;
        proxy_set_header Connection close;
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s11/ {", path: "/s11/x", explicit: true}},
	},
	{
		// HTTP/1.1 with an explicit "Connection: keep-alive": nothing
		// closes the connection.
		name: "explicit-connection-keep-alive",
		server: `    location /s12/ {
        proxy_http_version 1.1;
        proxy_set_header Connection keep-alive;
        proxy_pass http://ka_up;
    }
`,
		probes: []kaProbe{{block: "location /s12/ {", path: "/s12/x"}},
	},
}

// TestKeepaliveMatchesNginx runs every scenario against real nginx; see the
// comment at the top of this file.
func TestKeepaliveMatchesNginx(t *testing.T) {
	nginxtest.Binary(t)
	start := time.Now()
	var mu sync.Mutex
	rows := map[string][]string{}
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range kaScenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				began := time.Now()
				r := kaRunScenario(t, sc)
				r = append(r, fmt.Sprintf("(scenario took %v)", time.Since(began).Round(time.Millisecond)))
				mu.Lock()
				rows[sc.name] = r
				mu.Unlock()
			})
		}
	})
	var table strings.Builder
	for _, sc := range kaScenarios {
		for _, r := range rows[sc.name] {
			fmt.Fprintf(&table, "%-32s %s\n", sc.name, r)
		}
	}
	t.Logf("scenario table:\n%stotal: %v", table.String(), time.Since(start).Round(time.Millisecond))
}

// kaTree is a scenario written out: a tree, its backend, and where nginx
// listens for it.
type kaTree struct {
	sc      kaScenario
	dir     string // the tree; nginx.conf is its main file
	state   string // nginx's logs and temporary directories
	backend *nginxtest.Backend
	listen  string // the server's listen address in the tree
}

func (tr *kaTree) confPath() string { return filepath.Join(tr.dir, "nginx.conf") }

// kaSeen is what happened to one probe's request.
type kaSeen struct {
	line   int                // line of the probe's block in nginx.conf
	status int                // response status; 0 when the request failed
	err    error              // why the request failed
	req    *nginxtest.Request // what the backend got; nil when nothing
}

// bad reports whether nginx defeated keepalive for the request: HTTP/1.0 or
// a Connection header containing "close".
func (s kaSeen) bad() bool {
	if s.req == nil {
		return false
	}
	return strings.HasSuffix(s.req.Line, " HTTP/1.0") || strings.Contains(strings.ToLower(kaConnection(*s.req)), "close")
}

func (s kaSeen) String() string {
	if s.req == nil {
		return fmt.Sprintf("nothing reached the backend (status %d, %v)", s.status, s.err)
	}
	conn := kaConnection(*s.req)
	if conn == "" {
		conn = "(none)"
	}
	return fmt.Sprintf("%s, Connection: %s, conn #%d", s.req.Line[strings.LastIndexByte(s.req.Line, ' ')+1:], conn, s.req.ConnID)
}

// kaConnection returns every Connection header of r, joined with ", ".
func kaConnection(r nginxtest.Request) string {
	var vals []string
	for _, h := range r.Headers {
		if strings.EqualFold(h[0], "Connection") {
			vals = append(vals, h[1])
		}
	}
	return strings.Join(vals, ", ")
}

// kaRunScenario runs one scenario and returns its table rows.
func kaRunScenario(t *testing.T, sc kaScenario) []string {
	tr := &kaTree{sc: sc, dir: t.TempDir(), state: t.TempDir()}
	tr.backend = nginxtest.StartBackend(t, "tcp4", "127.0.0.1:0")
	tr.listen = fmt.Sprintf("127.0.0.1:%d", nginxtest.FreePort(t))
	kaWrite(t, tr.confPath(), kaConfig(tr.state, sc, tr.backend.Addr, tr.listen))
	for name, content := range sc.files {
		kaWrite(t, filepath.Join(tr.dir, name), content)
	}

	oldDiags, oldJSON := lintJSON(t, "--nginx-version", kaOldVersion, tr.dir)
	newDiags, newJSON := lintJSON(t, "--nginx-version", kaNewVersion, tr.dir)
	rows := make([]string, len(sc.probes))

	// nginx 1.30: the version switch only, against the configuration
	// text (nginx 1.22 cannot show 1.30's defaults).
	lines := kaProbeLines(t, tr.confPath(), sc.probes)
	newFlagged, stray := kaMatch(newDiags, tr.confPath(), lines)
	for i, p := range sc.probes {
		if (newFlagged[i] != nil) != p.explicit {
			t.Errorf("--nginx-version %s: %s (line %d): nginxlint says %s, but the block %s explicitly turn keepalive off\n%s--- nginxlint --nginx-version %s\n%s",
				kaNewVersion, p.block, lines[i], kaSaid(newFlagged[i]), kaDoesOrNot(p.explicit), kaDumpFiles(t, tr.dir), kaNewVersion, newJSON)
		}
	}
	for _, d := range stray {
		t.Errorf("--nginx-version %s: finding at %s:%d, which is no probed block: %s", kaNewVersion, d.File, d.Line, d.Message)
	}

	// nginx 1.22: the oracle.
	if ok, out := nginxtest.Check(t, tr.dir, "nginx.conf"); !ok {
		nErrors := 0
		for _, d := range oldDiags {
			if d.Severity == "error" {
				nErrors++
			}
		}
		if nErrors == 0 {
			t.Errorf("DISAGREEMENT: nginx %s rejects the tree, so no request can go through it; nginxlint reports no error-level finding\n--- nginx -t\n%s%s--- nginxlint --nginx-version %s\n%s",
				kaOldVersion, out, kaDumpFiles(t, tr.dir), kaOldVersion, oldJSON)
		}
		for i, p := range sc.probes {
			rows[i] = fmt.Sprintf("%-30s backend: nothing, nginx -t fails (%s) | %s: %s | %s: %s", fmt.Sprintf("%s (l.%d)", p.block, lines[i]),
				kaFirstLine(out), kaOldVersion, kaSaid(kaAt(oldDiags, tr.confPath(), lines[i])), kaNewVersion, kaSaid(newFlagged[i]))
		}
		return rows
	}
	seen, errLog := kaServe(t, tr, sc.probes)
	oldFlagged := kaCompare(t, tr, "", seen, oldDiags, oldJSON, errLog)

	for i, p := range sc.probes {
		fix := "-"
		if d := oldFlagged[i]; d != nil {
			if len(d.Fixes) == 0 {
				fix = "no fix-it"
			} else {
				fix = kaCheckFix(t, tr, i, *d, seen[i])
			}
		}
		rows[i] = fmt.Sprintf("%-30s backend: %-36s | %s: %-7s | %s: %-7s | fix: %s",
			fmt.Sprintf("%s (l.%d)", p.block, lines[i]), seen[i], kaOldVersion, kaSaid(oldFlagged[i]), kaNewVersion, kaSaid(newFlagged[i]), fix)
	}
	return rows
}

// kaCompare checks that nginxlint flags exactly the probes whose request
// reached the backend as HTTP/1.0 or with "Connection: close", and returns
// the findings by probe.
func kaCompare(t *testing.T, tr *kaTree, phase string, seen []kaSeen, diags []jsonDiag, out, errLog string) []*jsonDiag {
	t.Helper()
	lines := make([]int, len(seen))
	for i, s := range seen {
		lines[i] = s.line
	}
	flagged, stray := kaMatch(diags, tr.confPath(), lines)
	dump := func() string {
		return kaDumpFiles(t, tr.dir) + "--- nginxlint --nginx-version " + kaOldVersion + "\n" + out + kaDumpRequests(tr.backend) + "--- nginx error log\n" + errLog
	}
	for i, p := range tr.sc.probes {
		s := seen[i]
		if s.req == nil {
			t.Errorf("%sGET %s (%s): %s\n%s", phase, p.path, p.block, s, dump())
			continue
		}
		if s.status != http.StatusOK {
			t.Errorf("%sGET %s (%s): status %d, want 200 from the echo backend\n%s", phase, p.path, p.block, s.status, dump())
		}
		if (flagged[i] != nil) != s.bad() {
			t.Errorf("%sDISAGREEMENT at %s (line %d): the backend got %s, but nginxlint says %s\n%s",
				phase, p.block, s.line, s, kaSaid(flagged[i]), dump())
		}
	}
	for _, d := range stray {
		t.Errorf("%sfinding at %s:%d, which is no probed block: %s\n%s", phase, d.File, d.Line, d.Message, dump())
	}
	return flagged
}

// kaCheckFix applies the fix-its of finding d (of probe i) alone to a copy
// of the tree, runs nginx and nginxlint on the copy, and returns a summary.
func kaCheckFix(t *testing.T, tr *kaTree, i int, d jsonDiag, before kaSeen) string {
	t.Helper()
	p := tr.sc.probes[i]
	fixed := &kaTree{sc: tr.sc, dir: t.TempDir(), state: tr.state, backend: tr.backend}
	kaCopyTree(t, tr.dir, fixed.dir)
	var edits []jsonEdit
	var what []string
	for _, f := range d.Fixes {
		edits = append(edits, f.Edits...)
		what = append(what, f.Message)
	}
	if err := kaApplyEdits(tr.dir, fixed.dir, edits); err != nil {
		t.Errorf("the fix-it of %s (line %d) cannot be applied: %v\n%s", p.block, before.line, err, kaDumpEdits(edits))
		return "cannot be applied: " + err.Error()
	}
	// A port of its own, so that the fixed tree's nginx cannot be
	// confused with the first one.
	fixed.listen = fmt.Sprintf("127.0.0.1:%d", nginxtest.FreePort(t))
	conf := kaRead(t, fixed.confPath())
	conf = strings.Replace(conf, "listen "+tr.listen+";", "listen "+fixed.listen+";", 1)
	kaWrite(t, fixed.confPath(), conf)
	phase := fmt.Sprintf("after the fix-it of %s (%s): ", p.block, strings.Join(what, "; "))

	if ok, out := nginxtest.Check(t, fixed.dir, "nginx.conf"); !ok {
		t.Errorf("%sDISAGREEMENT: nginx rejects the fixed tree:\n%s--- the finding\nline %d: %s\n--- its fix-it edits\n%s%s",
			phase, out, d.Line, d.Message, kaDumpEdits(edits), kaDumpFiles(t, fixed.dir))
		return "nginx rejects the fixed tree: " + kaFirstLine(out)
	}
	seen, errLog := kaServe(t, fixed, tr.sc.probes)
	diags, out := lintJSON(t, "--nginx-version", kaOldVersion, fixed.dir)
	flagged := kaCompare(t, fixed, phase, seen, diags, out, errLog)
	after := seen[i]
	if after.req == nil {
		return "request failed"
	}
	result := "fixed, backend got " + after.String()
	if after.bad() || !strings.HasSuffix(after.req.Line, " HTTP/1.1") {
		t.Errorf("%sthe backend still got %s\n%s%s", phase, after, kaDumpFiles(t, fixed.dir), kaDumpRequests(fixed.backend))
		result = "NOT fixed, backend got " + after.String()
	}
	if flagged[i] != nil {
		t.Errorf("%snginxlint still reports %s: %s", phase, p.block, flagged[i].Message)
		result += ", still reported"
	}
	if b, a := kaOtherHeaders(*before.req), kaOtherHeaders(*after.req); b != a {
		t.Errorf("%sheaders other than Connection changed:\nbefore: %s\nafter:  %s\n%s", phase, b, a, kaDumpFiles(t, fixed.dir))
		result += ", other headers changed"
	}
	return result
}

// kaOtherHeaders renders the headers of r other than Connection, sorted.
func kaOtherHeaders(r nginxtest.Request) string {
	var hs []string
	for _, h := range r.Headers {
		if !strings.EqualFold(h[0], "Connection") {
			hs = append(hs, strings.ToLower(h[0])+": "+h[1])
		}
	}
	sort.Strings(hs)
	return strings.Join(hs, " | ")
}

// kaServe starts nginx on the tree, sends one request per probe, stops
// nginx, and reports what the backend got for each, with nginx's error log.
func kaServe(t *testing.T, tr *kaTree, probes []kaProbe) ([]kaSeen, string) {
	t.Helper()
	lines := kaProbeLines(t, tr.confPath(), probes)
	srv := nginxtest.Start(t, tr.dir, "nginx.conf", tr.listen)
	seen := make([]kaSeen, len(probes))
	for i, p := range probes {
		seen[i].line = lines[i]
		n := len(tr.backend.Requests())
		seen[i].status, seen[i].err = kaGet(tr.listen, p.path, p.header)
		for _, r := range tr.backend.Requests()[n:] {
			if f := strings.Fields(r.Line); len(f) == 3 && f[1] == p.path {
				seen[i].req = &r
			}
		}
	}
	srv.Stop()
	return seen, srv.ErrorLog()
}

// kaGet sends GET path to addr (on loopback) on a connection of its own,
// with an optional header, and returns the status. The client sends no
// Connection header of its own.
func kaGet(addr, path, header string) (int, error) {
	transport := &http.Transport{Proxy: nil}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Timeout:       kaTimeout,
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return 0, err
	}
	if header != "" {
		name, value, _ := strings.Cut(header, ":")
		req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, err
}

// kaConfig returns nginx.conf for a scenario.
func kaConfig(state string, sc kaScenario, backend, listen string) string {
	var b strings.Builder
	b.WriteString(nginxtest.MainPreamble(state))
	b.WriteString("http {\n")
	b.WriteString(nginxtest.HTTPPreamble(state))
	b.WriteString(sc.http)
	fmt.Fprintf(&b, "upstream ka_up {\n    server %s;\n    keepalive 8;\n}\n", backend)
	fmt.Fprintf(&b, "server {\n    listen %s;\n", listen)
	b.WriteString(sc.server)
	b.WriteString("}\n}\n")
	return b.String()
}

// kaProbeLines returns the line of each probe's block in the file.
func kaProbeLines(t *testing.T, path string, probes []kaProbe) []int {
	t.Helper()
	lines := strings.Split(kaRead(t, path), "\n")
	out := make([]int, len(probes))
	for i, p := range probes {
		block := p.block
		if p.at != "" {
			block = p.at
		}
		for n, l := range lines {
			if strings.Contains(l, block) {
				if out[i] != 0 {
					t.Fatalf("probe block %q is on lines %d and %d of %s", block, out[i], n+1, path)
				}
				out[i] = n + 1
			}
		}
		if out[i] == 0 {
			t.Fatalf("probe block %q is not in %s", block, path)
		}
	}
	return out
}

// kaMatch returns the upstream-keepalive finding at each of the lines of
// file (nil for none), and the findings of the rule anywhere else.
func kaMatch(diags []jsonDiag, file string, lines []int) (at []*jsonDiag, stray []jsonDiag) {
	at = make([]*jsonDiag, len(lines))
	for _, d := range diags {
		if d.Rule != kaRule {
			continue
		}
		matched := false
		if sameFile(d.File, file) {
			// Probes of a location and of its if blocks share the
			// location's line, and its finding.
			for i, l := range lines {
				if l == d.Line && at[i] == nil {
					at[i] = &d
					matched = true
				}
			}
		}
		if !matched {
			stray = append(stray, d)
		}
	}
	return at, stray
}

func kaAt(diags []jsonDiag, file string, line int) *jsonDiag {
	at, _ := kaMatch(diags, file, []int{line})
	return at[0]
}

func kaSaid(d *jsonDiag) string {
	if d == nil {
		return "clean"
	}
	return "flagged"
}

func kaDoesOrNot(b bool) string {
	if b {
		return "does"
	}
	return "does not"
}

// kaApplyEdits applies edits (1-based lines and byte columns, end
// exclusive), made to files of the tree from, to the same files of the
// tree to, from the last edit of each file to the first.
func kaApplyEdits(from, to string, edits []jsonEdit) error {
	byFile := map[string][]jsonEdit{}
	for _, e := range edits {
		rel, err := filepath.Rel(from, e.File)
		if err != nil || !filepath.IsLocal(rel) {
			return fmt.Errorf("edit of %s, outside the tree", e.File)
		}
		byFile[rel] = append(byFile[rel], e)
	}
	for rel, es := range byFile {
		path := filepath.Join(to, rel)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src, err := applyEdits(string(b), es)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// kaCopyTree copies the regular files of the tree from into to.
func kaCopyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		kaWrite(t, filepath.Join(to, rel), string(b))
		return nil
	})
	if err != nil {
		t.Fatalf("copying %s: %v", from, err)
	}
}

func kaWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func kaRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// kaDumpFiles renders every file of the tree with line numbers.
func kaDumpFiles(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "--- %s\n", rel)
		for i, l := range strings.Split(strings.TrimSuffix(string(content), "\n"), "\n") {
			fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(&b, "(cannot read %s: %v)\n", dir, err)
	}
	return b.String()
}

// kaDumpRequests renders every request the backend has received.
func kaDumpRequests(be *nginxtest.Backend) string {
	var b strings.Builder
	b.WriteString("--- requests received by the backend\n")
	for _, r := range be.Requests() {
		fmt.Fprintf(&b, "conn #%d: %s\n", r.ConnID, r.Line)
		for _, h := range r.Headers {
			fmt.Fprintf(&b, "    %s: %s\n", h[0], h[1])
		}
	}
	return b.String()
}

func kaDumpEdits(edits []jsonEdit) string {
	var b strings.Builder
	for _, e := range edits {
		fmt.Fprintf(&b, "%s:%d:%d-%d:%d <- %q\n", filepath.Base(e.File), e.Line, e.Column, e.EndLine, e.EndColumn, e.NewText)
	}
	return b.String()
}

func kaFirstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
