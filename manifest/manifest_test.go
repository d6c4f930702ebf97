package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// find returns the position of the n-th (from 0) occurrence of needle in
// src, computed independently of the locator.
func find(t *testing.T, file, src, needle string, n int) Position {
	t.Helper()
	off := 0
	for i := 0; ; i++ {
		j := strings.Index(src[off:], needle)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times", needle, n+1)
		}
		if i == n {
			off += j
			break
		}
		off += j + len(needle)
	}
	line := strings.Count(src[:off], "\n") + 1
	col := off - (strings.LastIndex(src[:off], "\n") + 1) + 1
	return Position{File: file, Line: line, Col: col}
}

func TestLoadExample(t *testing.T) {
	const file = "testdata/example.toml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	m, err := Load(file)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if m.Path != file || m.Version != "1.22.1" || m.VersionPos != find(t, file, src, `"1.22.1"`, 0) {
		t.Errorf("manifest header = %q %q %v", m.Path, m.Version, m.VersionPos)
	}

	wantExt := []struct{ raw, needle string }{
		{"api.stripe.com", `"api.stripe.com"`},
		{"*.example.org", `"*.example.org"`},
		{"10.0.0.0/8", `"10.0.0.0/8"`},
		{"203.0.113.7:443", `"203.0.113.7:443"`},
	}
	if len(m.External) != len(wantExt) {
		t.Fatalf("got %d external entries, want %d", len(m.External), len(wantExt))
	}
	for i, w := range wantExt {
		if e := m.External[i]; e.Raw != w.raw || e.Pos != find(t, file, src, w.needle, 0) {
			t.Errorf("external[%d] = %q at %v, want %q at %v", i, e.Raw, e.Pos, w.raw, find(t, file, src, w.needle, 0))
		}
	}

	type want struct {
		name     string
		header   string // needle for Pos
		listen   []string
		at       []string // needles for the listen positions
		proto    Protocol
		protoSet bool
		upstream string
		idle     time.Duration
		maxResp  time.Duration
	}
	wants := []want{
		{name: "api", header: "[backends.api]", listen: []string{"127.0.0.1:8001"}, at: []string{`"127.0.0.1:8001"`},
			proto: ProtocolHTTP, protoSet: true, upstream: "api_pool", idle: 5 * time.Second, maxResp: 120 * time.Second},
		{name: "cache", header: "cache.listen", listen: []string{"localhost:11211"}, at: []string{`"localhost:11211"`},
			proto: ProtocolMemcached, protoSet: true},
		{name: "edge", header: "edge =", listen: []string{"0.0.0.0:8443"}, at: []string{`"0.0.0.0:8443"`},
			proto: ProtocolHTTPS, protoSet: true, maxResp: 500 * time.Millisecond},
		{name: "grpc.svc", header: `[backends."grpc.svc"]`, listen: []string{"app.internal:50051"}, at: []string{`"app.internal:50051"`},
			proto: ProtocolGRPC, protoSet: true, idle: time.Minute, maxResp: 90 * time.Minute},
		{name: "php", header: "[backends.php]", listen: []string{"unix:/run/php/fpm.sock", "[::1]:9000"}, at: []string{`"unix:/var/run/php/fpm.sock"`, `"[::1]:9000"`},
			proto: ProtocolFastCGI, protoSet: true},
	}
	if len(m.Backends) != len(wants) {
		t.Fatalf("got %d backends, want %d", len(m.Backends), len(wants))
	}
	for i, w := range wants {
		b := m.Backends[i]
		if b.Name != w.name {
			t.Errorf("backend %d is %q, want %q", i, b.Name, w.name)
			continue
		}
		if pos := find(t, file, src, w.header, 0); b.Pos != pos {
			t.Errorf("%s: Pos = %v, want %v", w.name, b.Pos, pos)
		}
		if len(b.Listen) != len(w.listen) {
			t.Errorf("%s: listen = %v, want %v", w.name, b.Listen, w.listen)
			continue
		}
		for j := range w.listen {
			if b.Listen[j].String() != w.listen[j] || b.Listen[j].Pos != find(t, file, src, w.at[j], 0) {
				t.Errorf("%s: listen[%d] = %s at %v, want %s at %v", w.name, j, b.Listen[j], b.Listen[j].Pos, w.listen[j], find(t, file, src, w.at[j], 0))
			}
		}
		if b.Protocol != w.proto || b.ProtocolSet != w.protoSet || b.Upstream != w.upstream ||
			b.IdleTimeout != w.idle || b.MaxResponseTime != w.maxResp {
			t.Errorf("%s: got %+v", w.name, b)
		}
	}
	api := m.Backend("api")
	if api == nil || api.UpstreamPos != find(t, file, src, `"api_pool"`, 0) ||
		api.IdleTimeoutPos != find(t, file, src, `"5s"`, 0) ||
		api.MaxResponseTimePos != find(t, file, src, `"120s"`, 0) {
		t.Errorf("api positions: %+v", api)
	}
	if m.Backend("nope") != nil || (*Manifest)(nil).Backend("api") != nil {
		t.Error("Backend found a backend that does not exist")
	}
	if got := m.ByUpstream("API_POOL"); len(got) != 1 || got[0] != api {
		t.Errorf("ByUpstream(API_POOL) = %v", got)
	}
	if got := m.ByUpstream("other"); len(got) != 0 {
		t.Errorf("ByUpstream(other) = %v", got)
	}
}

func TestParseDefaults(t *testing.T) {
	m := mustParse(t, "[backends.api]\nlisten = \"127.0.0.1:8001\"\n")
	b := m.Backends[0]
	if b.Protocol != ProtocolHTTP || b.ProtocolSet || b.Upstream != "" || b.IdleTimeout != 0 || b.MaxResponseTime != 0 ||
		b.UpstreamPos.IsValid() || b.IdleTimeoutPos.IsValid() || m.Version != "" || m.VersionPos.IsValid() || m.External != nil {
		t.Errorf("defaults: %+v %+v", m, b)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing here\n", "\n\n", "[nginx]\n", "[backends]\n", "external = []\n", "\ufeff"} {
		m, err := Parse("m.toml", []byte(src))
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if len(m.Backends) != 0 || m.Path != "m.toml" {
			t.Errorf("Parse(%q) = %+v", src, m)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the full ErrorList text
	}{
		{
			name: "toml syntax error",
			src:  "[backends.api]\nlisten = \"127.0.0.1:8001\nprotocol = \"http\"\n",
			want: `m.toml:2:25: invalid TOML: strings cannot contain newlines; fix the syntax so the manifest can be read`,
		},
		{
			name: "toml syntax error in table header",
			src:  "[backends.api\nlisten = \"x\"\n",
			want: `m.toml:1:14: invalid TOML: expected '.' or ']' to end table name, but got '\n' instead; fix the syntax so the manifest can be read`,
		},
		{
			name: "duplicate key",
			src:  "[backends.api]\nlisten = \"127.0.0.1:1\"\nlisten = \"127.0.0.1:2\"\n",
			want: `m.toml:3:1: invalid TOML: Key 'backends.api.listen' has already been defined; fix the syntax so the manifest can be read`,
		},
		{
			name: "toml error message with a newline",
			src:  "\n\n\na = 0x\n",
			want: `m.toml:4:5: invalid TOML: not a hexadecimal number: '0x\n'; fix the syntax so the manifest can be read`,
		},
		{
			name: "toml redefinition by a dotted key",
			src:  "[backends.api]\nlisten = \"127.0.0.1:1\"\nlisten.x = 2\n",
			want: `m.toml:3:1: invalid TOML: Key 'backends.api.listen' has already been defined; fix the syntax so the manifest can be read`,
		},
		{
			name: "not UTF-8",
			src:  "a = \"\xff\"\n",
			want: `m.toml:1:5: invalid TOML: invalid UTF-8 byte: 0xff; fix the syntax so the manifest can be read`,
		},
		{
			name: "typo in a backend key",
			src:  "[backends.api]\nlisen = \"127.0.0.1:8001\"\n",
			want: "m.toml:1:1: backend api has no listen address: add listen = \"127.0.0.1:8001\" (or \"unix:/run/app.sock\", or a list of addresses) to [backends.api]\n" +
				`m.toml:2:1: unknown key "lisen" in [backends.api]; known keys: listen, protocol, upstream, idle_timeout, max_response_time, fixed, app`,
		},
		{
			name: "unknown keys everywhere",
			src:  "colour = 1\nfoo.bar = 2\n[nginx]\nvesion = \"1.2\"\n[backends.api]\nlisten = \"127.0.0.1:1\"\n  timeout = \"5s\"\n[backends.api.health]\npath = \"/\"\n[extra]\nx = 1\n",
			want: "m.toml:1:1: unknown top-level key \"colour\"; known keys: nginx, external, backends\n" +
				"m.toml:2:1: unknown top-level key \"foo\"; known keys: nginx, external, backends\n" +
				"m.toml:4:1: unknown key \"vesion\" in [nginx]; known keys: version, user, groups, compose, private_dirs\n" +
				"m.toml:7:3: unknown key \"timeout\" in [backends.api]; known keys: listen, protocol, upstream, idle_timeout, max_response_time, fixed, app\n" +
				"m.toml:8:1: unknown key \"health\" in [backends.api]; known keys: listen, protocol, upstream, idle_timeout, max_response_time, fixed, app\n" +
				"m.toml:10:1: unknown top-level key \"extra\"; known keys: nginx, external, backends",
		},
		{
			name: "unknown key in an inline table",
			src:  "[backends]\napi = { listen = \"127.0.0.1:1\", proto = \"http\" }\n",
			want: `m.toml:2:33: unknown key "proto" in [backends.api]; known keys: listen, protocol, upstream, idle_timeout, max_response_time, fixed, app`,
		},
		{
			name: "unknown key with a quoted name",
			src:  "[backends.\"my app\"]\n\"listen\" = \"127.0.0.1:1\"\n'up stream' = \"x\"\n",
			want: `m.toml:3:1: unknown key "up stream" in [backends."my app"]; known keys: listen, protocol, upstream, idle_timeout, max_response_time, fixed, app`,
		},
		{
			name: "listen of the wrong type",
			src:  "[backends.api]\nlisten = 8001\n",
			want: `m.toml:2:10: listen must be a string or a list of strings, not an integer, e.g. listen = "127.0.0.1:8001"`,
		},
		{
			name: "listen as a table",
			src:  "[backends.api]\nlisten = { host = \"127.0.0.1\", port = 8001 }\n",
			want: `m.toml:2:10: listen must be a string or a list of strings, not a table, e.g. listen = "127.0.0.1:8001"`,
		},
		{
			name: "listen as a sub-table",
			src:  "[backends.api.listen]\nhost = \"127.0.0.1\"\n",
			want: `m.toml:1:1: listen must be a string or a list of strings, not a table, e.g. listen = "127.0.0.1:8001"`,
		},
		{
			name: "listen list with a non-string",
			src:  "[backends.api]\nlisten = [\"127.0.0.1:1\", 2, true]\n",
			want: "m.toml:2:26: listen must be a string or a list of strings; this entry is an integer\n" +
				"m.toml:2:29: listen must be a string or a list of strings; this entry is a boolean",
		},
		{
			name: "empty listen list",
			src:  "[backends.api]\nlisten = []\n",
			want: `m.toml:2:10: listen must name at least one address, e.g. listen = ["127.0.0.1:8001"]`,
		},
		{
			name: "missing listen",
			src:  "# api\n\n[backends.api]\nprotocol = \"http\"\n",
			want: `m.toml:3:1: backend api has no listen address: add listen = "127.0.0.1:8001" (or "unix:/run/app.sock", or a list of addresses) to [backends.api]`,
		},
		{
			name: "bad addresses, one a line",
			src: "[backends.api]\nlisten = [\n  \"127.0.0.1\",     # no port\n  \"unix:relative/path\",\n" +
				"  # a comment with \"quotes\", [brackets] and = signs\n  \"127.0.0.1:70000\",\n  \"[::1\",\n]\n",
			want: "m.toml:3:3: invalid listen address \"127.0.0.1\": no port; write it as host:port, e.g. \"127.0.0.1:8001\"\n" +
				"m.toml:4:3: invalid listen address \"unix:relative/path\": socket path \"relative/path\" is relative; write an absolute path, e.g. \"unix:/run/app.sock\"\n" +
				"m.toml:6:3: invalid listen address \"127.0.0.1:70000\": port 70000 is out of range; use a port from 1 to 65535\n" +
				"m.toml:7:3: invalid listen address \"[::1\": missing \"]\" after the IPv6 address; write it as \"[::1]:8001\"",
		},
		{
			name: "dotted keys",
			src:  "backends.api.listen = \"127.0.0.1\"\nbackends.api.protocol = \"postgres\"\n",
			want: "m.toml:1:23: invalid listen address \"127.0.0.1\": no port; write it as host:port, e.g. \"127.0.0.1:8001\"\n" +
				"m.toml:2:25: unknown protocol \"postgres\"; valid protocols: http, https, fastcgi, uwsgi, scgi, grpc, grpcs, memcached, tcp",
		},
		{
			name: "inline tables",
			src:  "backends = { api = { listen = \"app\" }, web = { protocol = \"http\" } }\n",
			want: "m.toml:1:31: invalid listen address \"app\": no port; write it as host:port, e.g. \"app:8001\"\n" +
				"m.toml:1:40: backend web has no listen address: add listen = \"127.0.0.1:8001\" (or \"unix:/run/app.sock\", or a list of addresses) to [backends.web]",
		},
		{
			name: "multi-line inline table",
			src:  "[backends]\napi = {\n  listen = \"127.0.0.1:1\",\n  protocol = 5,\n}\n",
			want: `m.toml:4:14: protocol must be a string, not an integer, e.g. protocol = "http"`,
		},
		{
			name: "unknown protocol",
			src:  "[backends.api]\nlisten = \"127.0.0.1:1\"\nprotocol = \"htp\"\n",
			want: `m.toml:3:12: unknown protocol "htp"; valid protocols: http, https, fastcgi, uwsgi, scgi, grpc, grpcs, memcached, tcp`,
		},
		{
			name: "duplicate listen across backends",
			src:  "[backends.api]\nlisten = \"127.0.0.1:8001\"\n\n[backends.web]\nlisten = \"127.0.0.1:8001\"\n",
			want: `m.toml:5:10: listen address "127.0.0.1:8001" is also listed by backend api at m.toml:2:10; each address can belong to one backend only`,
		},
		{
			name: "duplicate reported at the later one in the file, whatever the names",
			src:  "[backends.zeta]\nlisten = \"unix:/run/a.sock\"\n\n[backends.alpha]\nlisten = \"unix:/run/a.sock\"\n",
			want: `m.toml:5:10: listen address "unix:/run/a.sock" is also listed by backend zeta at m.toml:2:10; each address can belong to one backend only`,
		},
		{
			name: "/var/run is /run",
			src:  "[backends.api]\nlisten = \"unix:/var/run/a.sock\"\n\n[backends.web]\nlisten = [\"127.0.0.1:1\", \"unix:/run/a.sock\"]\n",
			want: `m.toml:5:26: listen address "unix:/run/a.sock" is the same socket as "unix:/var/run/a.sock" (/var/run is a link to /run), also listed by backend api at m.toml:2:10; each address can belong to one backend only`,
		},
		{
			name: "paths equal after cleaning",
			src:  "[backends.api]\nlisten = \"unix:/run/app/a.sock\"\n[backends.web]\nlisten = \"unix:/run//app/./a.sock\"\n",
			want: `m.toml:4:10: listen address "unix:/run//app/./a.sock" is the same address as "unix:/run/app/a.sock", also listed by backend api at m.toml:2:10; each address can belong to one backend only`,
		},
		{
			name: "0.0.0.0 and 127.0.0.1 on one port",
			src:  "[backends.api]\nlisten = \"127.0.0.1:8001\"\n[backends.web]\nlisten = \"0.0.0.0:8001\"\n",
			want: `m.toml:4:10: listen address "0.0.0.0:8001" overlaps "127.0.0.1:8001" (both would accept connections to 127.0.0.1:8001), also listed by backend api at m.toml:2:10; each address can belong to one backend only`,
		},
		{
			name: "[::] and 127.0.0.1 on one port",
			src:  "[backends.api]\nlisten = \"[::]:8001\"\n[backends.web]\nlisten = \"127.0.0.1:8001\"\n",
			want: `m.toml:4:10: listen address "127.0.0.1:8001" overlaps "[::]:8001" (both would accept connections to 127.0.0.1:8001), also listed by backend api at m.toml:2:10; each address can belong to one backend only`,
		},
		{
			name: "localhost and [::1] on one port",
			src:  "[backends.api]\nlisten = \"localhost:8001\"\n[backends.web]\nlisten = \"[::1]:8001\"\n",
			want: `m.toml:4:10: listen address "[::1]:8001" overlaps "localhost:8001" (both would accept connections to [::1]:8001), also listed by backend api at m.toml:2:10; each address can belong to one backend only`,
		},
		{
			name: "host names compare case-insensitively",
			src:  "[backends.api]\nlisten = \"app:8001\"\n[backends.web]\nlisten = \"APP:8001\"\n",
			want: `m.toml:4:10: listen address "APP:8001" is the same address as "app:8001", also listed by backend api at m.toml:2:10; each address can belong to one backend only`,
		},
		{
			name: "one backend lists an address twice",
			src:  "[backends.api]\nlisten = [\"127.0.0.1:1\", \"127.0.0.1:01\"]\n",
			want: `m.toml:2:26: listen address "127.0.0.1:01" is listed twice by backend api (first at m.toml:2:11); remove one`,
		},
		{
			name: "bad versions",
			src:  "[nginx]\nversion = \"1.x\"\n",
			want: `m.toml:2:11: nginx version "1.x" is not valid; write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. "1.22.1"`,
		},
		{
			name: "version with a v",
			src:  "nginx.version = \"v1.22\"\n",
			want: `m.toml:1:17: nginx version "v1.22" is not valid; write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. "1.22.1"`,
		},
		{
			name: "version as a float",
			src:  "[nginx]\nversion = 1.22\n",
			want: `m.toml:2:11: nginx version must be a string, not a float: write it in quotes, e.g. version = "1.22.1"`,
		},
		{
			name: "nginx not a table",
			src:  "nginx = \"1.22\"\n",
			want: `m.toml:1:1: nginx must be a table, not a string: write [nginx] on its own line and version = "1.22.1" below it`,
		},
		{
			name: "bad durations",
			src: "[backends.api]\nlisten = \"127.0.0.1:1\"\nidle_timeout = \"5 sec\"\nmax_response_time = 120\n" +
				"[backends.web]\nlisten = \"127.0.0.1:2\"\nidle_timeout = \"-5s\"\nmax_response_time = \"0\"\n",
			want: "m.toml:3:16: idle_timeout \"5 sec\" is not a valid duration; write it like \"75s\", \"1m30s\" or \"500ms\"\n" +
				"m.toml:4:21: max_response_time must be a string, not an integer, e.g. max_response_time = \"75s\"\n" +
				"m.toml:7:16: idle_timeout \"-5s\" must be greater than zero; remove the key if there is no limit\n" +
				"m.toml:8:21: max_response_time \"0\" must be greater than zero; remove the key if there is no limit",
		},
		{
			name: "bad upstreams",
			src: "[backends.a]\nlisten = \"127.0.0.1:1\"\nupstream = \"\"\n[backends.b]\nlisten = \"127.0.0.1:2\"\nupstream = \"api pool\"\n" +
				"[backends.c]\nlisten = \"127.0.0.1:3\"\nupstream = \"127.0.0.1:80\"\n[backends.d]\nlisten = \"127.0.0.1:4\"\nupstream = [\"x\"]\n",
			want: "m.toml:3:12: upstream must not be empty: name the nginx upstream block, e.g. upstream = \"api_pool\", or remove the key\n" +
				"m.toml:6:12: upstream \"api pool\" cannot be the name of an nginx upstream block; remove spaces, quotes and the characters ; { } $\n" +
				"m.toml:9:12: upstream \"127.0.0.1:80\" looks like an address; write the name of the nginx upstream block (upstream NAME { ... }) instead, and put addresses in listen\n" +
				"m.toml:12:12: upstream must be a string, not an array, e.g. upstream = \"api_pool\"",
		},
		{
			name: "bad external entries",
			src:  "external = [\n  \"api.stripe.com\",\n  5,\n  \"*\",\n  'https://x.org',\n]\n",
			want: "m.toml:3:3: external entries must be strings, not an integer: write host names, *.wildcards, CIDR ranges or host:port in quotes\n" +
				"m.toml:4:3: invalid external entry \"*\": a bare \"*\" would allow every host; list the hosts, *.domain wildcards or CIDR ranges instead\n" +
				"m.toml:5:3: invalid external entry \"https://x.org\": remove the scheme \"https://\"; write the host name alone, e.g. \"api.stripe.com\"",
		},
		{
			name: "external not a list",
			src:  "external = \"api.stripe.com\"\n",
			want: `m.toml:1:12: external must be a list of strings, not a string, e.g. external = ["api.stripe.com", "10.0.0.0/8"]`,
		},
		{
			name: "external as an array of tables",
			src:  "[[external]]\nhost = \"x\"\n",
			want: `m.toml:1:1: external must be a list of strings, not an array of tables, e.g. external = ["api.stripe.com", "10.0.0.0/8"]`,
		},
		{
			name: "backends not a table",
			src:  "backends = [\"api\"]\n",
			want: `m.toml:1:1: backends must be a table of backends, not an array: write one [backends.NAME] table per backend`,
		},
		{
			name: "backends as an array of tables",
			src:  "[[backends]]\nname = \"api\"\nlisten = \"127.0.0.1:1\"\n",
			want: `m.toml:1:1: backends must be a table of backends, not an array of tables: write one [backends.NAME] table per backend`,
		},
		{
			name: "backend not a table",
			src:  "[backends]\napi = \"127.0.0.1:8001\"\n[[backends.web]]\nlisten = \"127.0.0.1:1\"\n",
			want: "m.toml:2:1: backend api must be a table, not a string: write [backends.api] followed by listen = \"127.0.0.1:8001\"\n" +
				"m.toml:3:1: backend web must be a table, not an array of tables: write [backends.web] followed by listen = \"127.0.0.1:8001\"",
		},
		{
			name: "empty backend name",
			src:  "[backends.\"\"]\nlisten = \"127.0.0.1:1\"\n",
			want: `m.toml:1:1: backend name must not be empty: name the table, e.g. [backends.api]`,
		},
		{
			name: "positions after multi-line strings",
			src:  "note = '''\nlisten = \"x\"\n'''\nnote2 = \"\"\"a\\\"\"\"\"\"\n[backends.api]\nlisten = \"bad\"\n",
			want: "m.toml:1:1: unknown top-level key \"note\"; known keys: nginx, external, backends\n" +
				"m.toml:4:1: unknown top-level key \"note2\"; known keys: nginx, external, backends\n" +
				"m.toml:6:10: invalid listen address \"bad\": no port; write it as host:port, e.g. \"bad:8001\"",
		},
		{
			name: "CRLF line ends, tabs and a byte order mark",
			src:  "\ufeff[backends.api]\r\n\tlisten\t=\t\"127.0.0.1\"\r\n",
			want: `m.toml:2:11: invalid listen address "127.0.0.1": no port; write it as host:port, e.g. "127.0.0.1:8001"`,
		},
		{
			name: "escaped quoted key",
			src:  "[backends.\"a\\u0062c\"]\nlisten = 1\n",
			want: `m.toml:2:10: listen must be a string or a list of strings, not an integer, e.g. listen = "127.0.0.1:8001"`,
		},
		{
			name: "all errors are reported, sorted",
			src: "[backends.web]\nlisten = \"0.0.0.0:80\"\nprotocol = \"postgres\"\n[nginx]\nversion = \"one\"\n" +
				"[backends.api]\nlisen = 1\n",
			want: "m.toml:3:12: unknown protocol \"postgres\"; valid protocols: http, https, fastcgi, uwsgi, scgi, grpc, grpcs, memcached, tcp\n" +
				"m.toml:5:11: nginx version \"one\" is not valid; write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. \"1.22.1\"\n" +
				"m.toml:6:1: backend api has no listen address: add listen = \"127.0.0.1:8001\" (or \"unix:/run/app.sock\", or a list of addresses) to [backends.api]\n" +
				"m.toml:7:1: unknown key \"lisen\" in [backends.api]; known keys: listen, protocol, upstream, idle_timeout, max_response_time, fixed, app",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("m.toml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want:\n%s", tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want ErrorList", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tt.want)
			}
			for _, e := range list {
				if e.Pos.Line < 1 || e.Pos.Col < 1 || e.Pos.File != "m.toml" {
					t.Errorf("error without a position: %v", e)
				}
			}
		})
	}
}

func TestParseKeepsValidParts(t *testing.T) {
	m, err := Parse("m.toml", []byte("[backends.api]\nlisten = [\"127.0.0.1:1\", \"bad\"]\nprotocol = \"nope\"\n[backends.web]\nlisten = \"127.0.0.1:2\"\n"))
	if err == nil {
		t.Fatal("want errors")
	}
	if m == nil || len(m.Backends) != 2 || len(m.Backends[0].Listen) != 1 || m.Backends[0].Protocol != ProtocolHTTP {
		t.Errorf("partial manifest: %+v", m)
	}
	if m, err := Parse("m.toml", []byte("[[[")); err == nil || m != nil {
		t.Errorf("syntax error: %v %v", m, err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.toml")
	_, err := Load(missing)
	if err == nil || err.Error() != "cannot read manifest "+missing+": no such file or directory" {
		t.Errorf("Load(missing) = %v", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) error does not wrap fs.ErrNotExist")
	}
	var list ErrorList
	if errors.As(err, &list) {
		t.Errorf("an unreadable file must give a plain error")
	}

	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[backends.api]\nlisten = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	want := bad + `:2:10: listen must be a string or a list of strings, not an integer, e.g. listen = "127.0.0.1:8001"`
	if err == nil || err.Error() != want {
		t.Errorf("Load(bad) = %v, want %s", err, want)
	}
}

func TestErrorList(t *testing.T) {
	l := ErrorList{
		{Pos: Position{File: "b.toml", Line: 1, Col: 1}, Msg: "b"},
		{Pos: Position{File: "a.toml", Line: 10, Col: 2}, Msg: "a10"},
		{Pos: Position{File: "a.toml", Line: 2, Col: 5}, Msg: "a2"},
		{Pos: Position{File: "a.toml", Line: 2, Col: 3}, Msg: "a2c3"},
	}
	want := "a.toml:2:3: a2c3\na.toml:2:5: a2\na.toml:10:2: a10\nb.toml:1:1: b"
	if got := l.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if l[0].Msg != "b" {
		t.Error("Error() must not reorder the list")
	}
	l.Sort()
	if l[0].Msg != "a2c3" || l[3].Msg != "b" {
		t.Errorf("Sort: %v", l)
	}
	if (ErrorList{}).Err() != nil || l.Err() == nil {
		t.Error("Err is wrong")
	}
	withNil := ErrorList{nil, {Pos: Position{Line: 1, Col: 1}, Msg: "x"}}
	withNil.Sort()
	if withNil[1] != nil {
		t.Error("nil entries must sort last")
	}
	if got := (*Error)(nil).Error(); got != "<nil>" {
		t.Errorf("nil Error: %q", got)
	}
}

func TestPositionString(t *testing.T) {
	tests := []struct {
		p    Position
		want string
	}{
		{Position{File: "m.toml", Line: 3, Col: 10}, "m.toml:3:10"},
		{Position{Line: 3, Col: 10}, "3:10"},
		{Position{File: "m.toml"}, "m.toml"},
		{Position{}, "-"},
		{Position{File: "m.toml", Line: 1}, "m.toml:1:1"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"5s", 5 * time.Second, true},
		{"75s", 75 * time.Second, true},
		{"1m", time.Minute, true},
		{"500ms", 500 * time.Millisecond, true},
		{"1m30s", 90 * time.Second, true},
		{"1.5s", 1500 * time.Millisecond, true},
		{"300us", 300 * time.Microsecond, true},
		{"1h 30m", 90 * time.Minute, true},
		{"1h  30m 15s 5ms", time.Hour + 30*time.Minute + 15*time.Second + 5*time.Millisecond, true},
		{"75", 75 * time.Second, true},
		{"1d", 24 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"1m 5", time.Minute + 5*time.Second, true},
		{"0", 0, true},
		{"", 0, false},
		{"5 sec", 0, false},
		{"s", 0, false},
		{"1s 1m", 0, false}, // units must go from largest to smallest
		{"1h 1h", 0, false},
		{"1m1m", 2 * time.Minute, true}, // Go syntax allows repeated units
		{"1M", 0, false},                // months and years are not allowed in nginx timeouts
		{"1y", 0, false},
		{"5x", 0, false},
		{"99999999999999999999s", 0, false},
		{"9999999999999w", 0, false},
		{"9223372036854s", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseDuration(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLocator(t *testing.T) {
	src := "top = 1\n" +
		"[a . \"b.c\"]\n" +
		"x.y = [\n  1,\n  [2, 3], # c\n  { z = 4 },\n  \"s\",\n]\n" +
		"'lit' = { in = { deep = true } }\n" +
		"[[arr]]\nk = 1\n[[arr]]\nk = 2\n"
	l := newLocator("f", src)
	tests := []struct {
		got  Position
		want string
	}{
		{l.keyPos("top"), "f:1:1"},
		{l.valuePos("top"), "f:1:7"},
		{l.keyPos("a", "b.c"), "f:2:1"},
		{l.keyPos("a"), "f:2:2"},
		{l.keyPos("a", "b.c", "x"), "f:3:1"},
		{l.keyPos("a", "b.c", "x", "y"), "f:3:3"},
		{l.valuePos("a", "b.c", "x", "y"), "f:3:7"},
		{l.elemPos(0, "a", "b.c", "x", "y"), "f:4:3"},
		{l.elemPos(1, "a", "b.c", "x", "y"), "f:5:3"},
		{l.elemPos(2, "a", "b.c", "x", "y"), "f:6:3"},
		{l.elemPos(3, "a", "b.c", "x", "y"), "f:7:3"},
		{l.elemPos(4, "a", "b.c", "x", "y"), "f:3:7"}, // out of range: the array
		{l.keyPos("a", "b.c", "lit"), "f:9:1"},
		{l.keyPos("a", "b.c", "lit", "in", "deep"), "f:9:18"},
		{l.valuePos("a", "b.c", "lit", "in", "deep"), "f:9:25"},
		{l.keyPos("arr"), "f:10:1"},
		{l.keyPos("arr", "k"), "f:11:1"},
		{l.keyPos("a", "b.c", "missing", "deeper"), "f:2:1"},
		{l.keyPos("nothing"), "f:1:1"},
		{l.valuePos(), "f:1:1"},
	}
	for i, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%d: got %v, want %s", i, tt.got, tt.want)
		}
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, "plain"},
		{`a\tb\nc\\d\"e`, "a\tb\nc\\d\"e"},
		{`\u00e9\U0001F600\x41\e`, "é😀A\x1b"},
		{`\u00`, `\u00`},
		{`\uZZZZ`, `\uZZZZ`},
		{`\q`, `\q`},
		{`trailing\`, `trailing\`},
		{`\b\f\r`, "\b\f\r"},
	}
	for _, tt := range tests {
		if got := unescape(tt.in); got != tt.want {
			t.Errorf("unescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseLimits(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{
			name: "deep arrays",
			src:  "a = " + strings.Repeat("[", 300) + strings.Repeat("]", 300),
			want: "m.toml:1:261: arrays and tables are nested more than 256 levels deep here; a manifest needs only a few levels, so flatten this value",
		},
		{
			name: "deep inline tables",
			src:  "\na = " + strings.Repeat("{b=", 5000) + "1" + strings.Repeat("}", 5000),
			want: "m.toml:2:773: arrays and tables are nested more than 256 levels deep here; a manifest needs only a few levels, so flatten this value",
		},
		{
			name: "long dotted key",
			src:  "a" + strings.Repeat(".a", 20000) + " = 1",
			want: "m.toml:1:512: this key has more than 256 dotted parts; manifest keys have at most three, such as backends.api.listen",
		},
	}
	for _, tt := range tests {
		m, err := Parse("m.toml", []byte(tt.src))
		if m != nil || err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v, %v\nwant %s", tt.name, m, err, tt.want)
		}
	}
	// Brackets, braces and dots inside strings and comments do not count.
	src := "# " + strings.Repeat("[{.", 1000) + "\n" +
		"[backends.api]\nlisten = \"unix:/run/" + strings.Repeat("[.", 40) + ".sock\"\n" +
		"upstream = '''\n" + strings.Repeat("[{.", 1000) + "'''\n"
	_, err := Parse("m.toml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || !strings.Contains(list[0].Msg, "cannot be the name of an nginx upstream block") || list[0].Pos.Line != 4 {
		t.Errorf("strings and comments counted towards the limits: %v", err)
	}
}

// TestPositionsAfterTrickyTOML checks the locator against TOML forms that
// could throw it off, placed before the values whose positions are checked.
func TestPositionsAfterTrickyTOML(t *testing.T) {
	src := "" +
		"[ junk . \"a]b\" ]   # a comment [x] = \"y\"\n" +
		"date = 1979-05-27 07:32:00Z\n" +
		"lit = 'C:\\path\\'\n" +
		"esc = \"a\\\\\"\n" +
		"quote = \"say \\\"hi\\\" # not a comment\"\n" +
		"ml = \"\"\"\nline \\\"\"\" still\n\"\"\"\n" +
		"mll = '''x''''\n" +
		"nums = [ +inf, -1_000, 0x1F, nan, 1e10, ]\n" +
		"nested = [ [1, [2]], { a = [3, { b = 4 }] } ]\n" +
		"\"\" = 1\n" +
		"[[ junk.arr ]]\n" +
		"k = { x = 1, y = [\n  2, # two\n  3,\n] }\n" +
		"[ backends . \"svc one\" ]\n" +
		"listen = [ # addresses\n" +
		"  \"127.0.0.1:9001\" , # first\n" +
		"  'unix:/run/one.sock'\n" +
		"  ,\n" +
		"]\n" +
		"upstream = 'pool'\n"
	m, err := Parse("m.toml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || !strings.HasPrefix(list[0].Msg, `unknown top-level key "junk"`) {
		t.Fatalf("Parse: %v", err)
	}
	if list[0].Pos != (Position{File: "m.toml", Line: 1, Col: 3}) {
		t.Errorf("junk is reported at %v", list[0].Pos)
	}
	b := m.Backend("svc one")
	if b == nil || len(b.Listen) != 2 {
		t.Fatalf("backend: %+v", b)
	}
	checks := []struct {
		got    Position
		needle string
	}{
		{b.Pos, `[ backends . "svc one" ]`},
		{b.Listen[0].Pos, `"127.0.0.1:9001"`},
		{b.Listen[1].Pos, `'unix:/run/one.sock'`},
		{b.UpstreamPos, `'pool'`},
	}
	for _, c := range checks {
		if want := find(t, "m.toml", src, c.needle, 0); c.got != want {
			t.Errorf("%s is at %v, want %v", c.needle, c.got, want)
		}
	}
}

// TestParseKeepsText checks that a manifest keeps its text, which
// findings about it quote, whichever reader parsed it.
func TestParseKeepsText(t *testing.T) {
	for _, src := range []string{
		"[backends.app]\nlisten = \"127.0.0.1:8000\"\n",                   // the plain reader
		"[backends.app]\nlisten = \"\"\"127.0.0.1:8000\"\"\"\n",           // the TOML library
		"[backends.app]\nlisten = \"127.0.0.1:8000\"\nprotocol = \"x\"\n", // invalid, but read
	} {
		m, _ := Parse("m.toml", []byte(src))
		if m == nil || m.Src != src {
			t.Errorf("Parse(%q): Src is not the text", src)
		}
	}
}

// TestParseFixed checks a backend's fixed key: a boolean, remembered
// with where it was written, whichever reader parses the manifest.
func TestParseFixed(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		fixed  bool
		needle string // where the value is written; "" for not set
	}{
		{"not set", "[backends.api]\nlisten = \"db.internal:5432\"\n", false, ""},
		{"true", "[backends.api]\nlisten = \"db.internal:5432\"\nfixed = true\n", true, "true"},
		{"false", "[backends.api]\nfixed = false\nlisten = \"db.internal:5432\"\n", false, "false"},
		{"inline table", "[backends]\napi = { listen = \"db.internal:5432\", fixed = true }\n", true, "true"},
		{"dotted key", "backends.api.listen = \"db.internal:5432\"\nbackends.api.fixed = true\n", true, "true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, tt.src)
			b := m.Backend("api")
			if b == nil {
				t.Fatal("no backend api")
			}
			var pos Position
			if tt.needle != "" {
				pos = find(t, "m.toml", tt.src, tt.needle, 0)
			}
			if b.Fixed != tt.fixed || b.FixedPos != pos {
				t.Errorf("fixed = %v at %v, want %v at %v", b.Fixed, b.FixedPos, tt.fixed, pos)
			}
		})
	}
}

// TestParseFixedErrors checks that a fixed value other than a boolean is
// an error at the value, read by the plain reader (strings, lists of
// strings) as by the TOML library.
func TestParseFixedErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = \"yes\"\n",
			`m.toml:3:9: fixed must be true or false, not a string, e.g. fixed = true`},
		{"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = 'true'\n",
			`m.toml:3:9: fixed must be true or false, not a string, e.g. fixed = true`},
		{"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = [\"true\"]\n",
			`m.toml:3:9: fixed must be true or false, not an array, e.g. fixed = true`},
		{"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = 1\n",
			`m.toml:3:9: fixed must be true or false, not an integer, e.g. fixed = true`},
		{"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = { on = true }\n",
			`m.toml:3:9: fixed must be true or false, not a table, e.g. fixed = true`},
		{"[backends.api]\nlisten = \"db.internal:5432\"\nfixd = true\n",
			`m.toml:3:1: unknown key "fixd" in [backends.api]; known keys: listen, protocol, upstream, idle_timeout, max_response_time, fixed, app`},
	} {
		m, err := Parse("m.toml", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q): %v, want %s", tt.src, err, tt.want)
			continue
		}
		if b := m.Backend("api"); b == nil || b.Fixed || b.FixedPos.IsValid() {
			t.Errorf("Parse(%q): backend %+v, want it read without fixed", tt.src, b)
		}
		// The plain reader, where it takes the text, says the same as
		// the TOML library.
		samePlain(t, tt.src)
	}
	// The plain reader takes booleans in tables, and reads them as the
	// TOML library does; elsewhere it leaves them to the library.
	for _, src := range []string{
		"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = true\n",
		"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = false # comment\n",
		"[backends.api]\nlisten = \"db.internal:5432\"\nprotocol = true\n",
		"[backends.api]\nlisten = \"db.internal:5432\"\nfixd = true\n",
		"[nginx]\nversion = false\n",
	} {
		if !samePlain(t, src) {
			t.Errorf("parsePlain gave up on %q", src)
		}
	}
	for _, src := range []string{
		"external = true\n",
		"[backends.api]\nlisten = true\n",
		"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = True\n",
		"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = trueish\n",
		"[backends.api]\nlisten = \"db.internal:5432\"\nfixed = [true]\n",
	} {
		if _, _, ok := parsePlain("m.toml", src); ok {
			t.Errorf("parsePlain read %q, which it leaves to the TOML library", src)
		}
	}
}
