package nginx

import (
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		dir, arg  string
		stream    bool
		addr      string // Addr.String()
		raw       string
		proto     Protocol
		scheme    string
		defaulted bool
		name      string
		vars      bool
	}{
		// http proxy_pass: scheme required, default ports 80 and 443, URI allowed.
		{dir: "proxy_pass", arg: "http://127.0.0.1:8000/uri", addr: "127.0.0.1:8000", raw: "127.0.0.1:8000", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://127.0.0.1", addr: "127.0.0.1:80", raw: "127.0.0.1", proto: ProtocolHTTP, scheme: "http", defaulted: true, name: "127.0.0.1"},
		{dir: "proxy_pass", arg: "https://h", addr: "h:443", raw: "h", proto: ProtocolHTTPS, scheme: "https", defaulted: true, name: "h"},
		{dir: "proxy_pass", arg: "https://api.example.com:8443/v1/", addr: "api.example.com:8443", raw: "api.example.com:8443", proto: ProtocolHTTPS, scheme: "https"},
		{dir: "proxy_pass", arg: "http://[::1]:8000", addr: "[::1]:8000", raw: "[::1]:8000", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://[::1]", addr: "[::1]:80", raw: "[::1]", proto: ProtocolHTTP, scheme: "http", defaulted: true, name: "[::1]"},
		{dir: "proxy_pass", arg: "http://[::1]/app", addr: "[::1]:80", raw: "[::1]", proto: ProtocolHTTP, scheme: "http", defaulted: true, name: "[::1]"},
		{dir: "proxy_pass", arg: "http://[0:0::1]:8000/", addr: "[::1]:8000", raw: "[0:0::1]:8000", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://unix:/run/app.sock:/uri", addr: "unix:/run/app.sock", raw: "unix:/run/app.sock", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://unix:/run/app.sock", addr: "unix:/run/app.sock", raw: "unix:/run/app.sock", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://unix:/var/run/app.sock:", addr: "unix:/run/app.sock", raw: "unix:/var/run/app.sock", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://UNIX:/run//app/./app.sock:/", addr: "unix:/run/app/app.sock", raw: "UNIX:/run//app/./app.sock", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "HTTP://Backend_App", addr: "backend_app:80", raw: "Backend_App", proto: ProtocolHTTP, scheme: "HTTP", defaulted: true, name: "Backend_App"},
		{dir: "proxy_pass", arg: "http://backend_app/", addr: "backend_app:80", raw: "backend_app", proto: ProtocolHTTP, scheme: "http", defaulted: true, name: "backend_app"},
		{dir: "proxy_pass", arg: "hTTpS://APP.internal:9443", addr: "app.internal:9443", raw: "APP.internal:9443", proto: ProtocolHTTPS, scheme: "hTTpS"},
		{dir: "proxy_pass", arg: "http://localhost:3000", addr: "localhost:3000", raw: "localhost:3000", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://127.0.0.1:8000?x=1", addr: "127.0.0.1:8000", raw: "127.0.0.1:8000", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://host/a:b", addr: "host:80", raw: "host", proto: ProtocolHTTP, scheme: "http", defaulted: true, name: "host"},
		{dir: "proxy_pass", arg: "http://127.0.0.1:08000", addr: "127.0.0.1:8000", raw: "127.0.0.1:08000", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://010.0.0.1:80", addr: "10.0.0.1:80", raw: "010.0.0.1:80", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://127.1:80", addr: "127.1:80", raw: "127.1:80", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://$backend", raw: "$backend", proto: ProtocolHTTP, scheme: "http", vars: true},
		{dir: "proxy_pass", arg: "https://$host$request_uri", raw: "$host$request_uri", proto: ProtocolHTTPS, scheme: "https", vars: true},
		{dir: "proxy_pass", arg: "$scheme://backend", raw: "$scheme://backend", vars: true},
		// Other http directives: no default port; a port-less host names an upstream.
		{dir: "fastcgi_pass", arg: "unix:/run/php-fpm.sock", addr: "unix:/run/php-fpm.sock", raw: "unix:/run/php-fpm.sock", proto: ProtocolFastCGI},
		{dir: "fastcgi_pass", arg: "unix:/var/run/php/php8.2-fpm.sock", addr: "unix:/run/php/php8.2-fpm.sock", raw: "unix:/var/run/php/php8.2-fpm.sock", proto: ProtocolFastCGI},
		{dir: "fastcgi_pass", arg: "unix:/run/php.sock:/x", addr: "unix:/run/php.sock:/x", raw: "unix:/run/php.sock:/x", proto: ProtocolFastCGI},
		{dir: "fastcgi_pass", arg: "127.0.0.1:9000", addr: "127.0.0.1:9000", raw: "127.0.0.1:9000", proto: ProtocolFastCGI},
		{dir: "fastcgi_pass", arg: "localhost:9000", addr: "localhost:9000", raw: "localhost:9000", proto: ProtocolFastCGI},
		{dir: "fastcgi_pass", arg: "[::1]:9000", addr: "[::1]:9000", raw: "[::1]:9000", proto: ProtocolFastCGI},
		{dir: "fastcgi_pass", arg: "php_backend", addr: "php_backend", raw: "php_backend", proto: ProtocolFastCGI, name: "php_backend"},
		{dir: "fastcgi_pass", arg: "127.0.0.1", addr: "127.0.0.1", raw: "127.0.0.1", proto: ProtocolFastCGI, name: "127.0.0.1"},
		{dir: "fastcgi_pass", arg: "$fpm", raw: "$fpm", proto: ProtocolFastCGI, vars: true},
		{dir: "uwsgi_pass", arg: "uwsgi://127.0.0.1:3031", addr: "127.0.0.1:3031", raw: "127.0.0.1:3031", proto: ProtocolUWSGI, scheme: "uwsgi"},
		{dir: "uwsgi_pass", arg: "suwsgi://127.0.0.1:3031", addr: "127.0.0.1:3031", raw: "127.0.0.1:3031", proto: ProtocolUWSGI, scheme: "suwsgi"},
		{dir: "uwsgi_pass", arg: "unix:/run/uwsgi.sock", addr: "unix:/run/uwsgi.sock", raw: "unix:/run/uwsgi.sock", proto: ProtocolUWSGI},
		{dir: "scgi_pass", arg: "127.0.0.1:4000", addr: "127.0.0.1:4000", raw: "127.0.0.1:4000", proto: ProtocolSCGI},
		{dir: "grpc_pass", arg: "grpc://127.0.0.1:9000", addr: "127.0.0.1:9000", raw: "127.0.0.1:9000", proto: ProtocolGRPC, scheme: "grpc"},
		{dir: "grpc_pass", arg: "GRPCS://grpc.internal:443", addr: "grpc.internal:443", raw: "grpc.internal:443", proto: ProtocolGRPCS, scheme: "GRPCS"},
		{dir: "grpc_pass", arg: "127.0.0.1:9000", addr: "127.0.0.1:9000", raw: "127.0.0.1:9000", proto: ProtocolGRPC},
		{dir: "grpc_pass", arg: "unix:/run/grpc.sock", addr: "unix:/run/grpc.sock", raw: "unix:/run/grpc.sock", proto: ProtocolGRPC},
		{dir: "grpc_pass", arg: "grpcs://backend", addr: "backend", raw: "backend", proto: ProtocolGRPCS, scheme: "grpcs", name: "backend"},
		{dir: "grpc_pass", arg: "grpc://$grpc_backend", raw: "$grpc_backend", proto: ProtocolGRPC, scheme: "grpc", vars: true},
		{dir: "memcached_pass", arg: "127.0.0.1:11211", addr: "127.0.0.1:11211", raw: "127.0.0.1:11211", proto: ProtocolMemcached},
		{dir: "memcached_pass", arg: "unix:/run/memcached.sock", addr: "unix:/run/memcached.sock", raw: "unix:/run/memcached.sock", proto: ProtocolMemcached},
		// unix:///path is unix:/path: ngx_parse_url hands all that follows
		// "unix:" to the kernel, for which "///run" is "/run". The "//" is
		// no scheme's, in any directive or context.
		{dir: "proxy_pass", arg: "http://unix:///run/app.sock:/uri", addr: "unix:/run/app.sock", raw: "unix:///run/app.sock", proto: ProtocolHTTP, scheme: "http"},
		{dir: "proxy_pass", arg: "http://UNIX:///run/app.sock", addr: "unix:/run/app.sock", raw: "UNIX:///run/app.sock", proto: ProtocolHTTP, scheme: "http"},
		{dir: "fastcgi_pass", arg: "unix:///var/run/php/php8.2-fpm.sock", addr: "unix:/run/php/php8.2-fpm.sock", raw: "unix:///var/run/php/php8.2-fpm.sock", proto: ProtocolFastCGI},
		{dir: "uwsgi_pass", arg: "unix:///run/uwsgi.sock", addr: "unix:/run/uwsgi.sock", raw: "unix:///run/uwsgi.sock", proto: ProtocolUWSGI},
		{dir: "uwsgi_pass", arg: "uwsgi://unix:///run/uwsgi.sock", addr: "unix:/run/uwsgi.sock", raw: "unix:///run/uwsgi.sock", proto: ProtocolUWSGI, scheme: "uwsgi"},
		{dir: "grpc_pass", arg: "grpc://unix:///run/grpc.sock", addr: "unix:/run/grpc.sock", raw: "unix:///run/grpc.sock", proto: ProtocolGRPC, scheme: "grpc"},
		{dir: "scgi_pass", arg: "unix:///run/scgi.sock", addr: "unix:/run/scgi.sock", raw: "unix:///run/scgi.sock", proto: ProtocolSCGI},
		{dir: "memcached_pass", arg: "unix:///run/memcached.sock", addr: "unix:/run/memcached.sock", raw: "unix:///run/memcached.sock", proto: ProtocolMemcached},
		{dir: "server", arg: "unix:///run/x.sock", addr: "unix:/run/x.sock", raw: "unix:///run/x.sock"},
		{dir: "server", arg: "unix://run/x.sock", addr: "unix:/run/x.sock", raw: "unix://run/x.sock"},
		{dir: "proxy_pass", arg: "unix:///run/x.sock", stream: true, addr: "unix:/run/x.sock", raw: "unix:///run/x.sock"},
		{dir: "server", arg: "unix:///run/x.sock", stream: true, addr: "unix:/run/x.sock", raw: "unix:///run/x.sock"},
		// Upstream server lines: http defaults to port 80 and names no upstream.
		{dir: "server", arg: "127.0.0.1:8001", addr: "127.0.0.1:8001", raw: "127.0.0.1:8001"},
		{dir: "server", arg: "unix:/tmp/x.sock", addr: "unix:/tmp/x.sock", raw: "unix:/tmp/x.sock"},
		{dir: "server", arg: "app.internal", addr: "app.internal:80", raw: "app.internal", defaulted: true},
		{dir: "server", arg: "[::1]", addr: "[::1]:80", raw: "[::1]", defaulted: true},
		{dir: "server", arg: "Localhost:8080", addr: "localhost:8080", raw: "Localhost:8080"},
		// The stream context: no scheme, plain TCP.
		{dir: "proxy_pass", arg: "127.0.0.1:12345", stream: true, addr: "127.0.0.1:12345", raw: "127.0.0.1:12345"},
		{dir: "proxy_pass", arg: "backend", stream: true, addr: "backend", raw: "backend", name: "backend"},
		{dir: "proxy_pass", arg: "unix:/run/x.sock", stream: true, addr: "unix:/run/x.sock", raw: "unix:/run/x.sock"},
		{dir: "proxy_pass", arg: "$upstream", stream: true, raw: "$upstream", vars: true},
		{dir: "server", arg: "127.0.0.1:12345", stream: true, addr: "127.0.0.1:12345", raw: "127.0.0.1:12345"},
		{dir: "server", arg: "unix:/run/x.sock", stream: true, addr: "unix:/run/x.sock", raw: "unix:/run/x.sock"},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.dir, tt.arg, tt.stream)
		if err != nil {
			t.Errorf("ParseTarget(%q, %q, %v): %v", tt.dir, tt.arg, tt.stream, err)
			continue
		}
		if s := got.Addr.String(); s != tt.addr || got.Addr.Raw != tt.raw || got.Protocol != tt.proto ||
			got.Scheme != tt.scheme || got.PortDefaulted != tt.defaulted || got.Name != tt.name || got.HasVars != tt.vars {
			t.Errorf("ParseTarget(%q, %q, %v) =\n addr %q raw %q proto %q scheme %q defaulted %v name %q vars %v\nwant\n addr %q raw %q proto %q scheme %q defaulted %v name %q vars %v",
				tt.dir, tt.arg, tt.stream,
				s, got.Addr.Raw, got.Protocol, got.Scheme, got.PortDefaulted, got.Name, got.HasVars,
				tt.addr, tt.raw, tt.proto, tt.scheme, tt.defaulted, tt.name, tt.vars)
		}
	}
}

func TestParseTargetAddrFields(t *testing.T) {
	got, err := ParseTarget("proxy_pass", "http://[::FFFF:127.0.0.1]:80", false)
	if err != nil {
		t.Fatal(err)
	}
	// An IPv4-mapped IPv6 address reaches the IPv4 socket.
	if !got.Addr.IP.Is4() || got.Addr.Host != "127.0.0.1" {
		t.Errorf("mapped address: %+v", got.Addr)
	}
	got, err = ParseTarget("proxy_pass", "http://APP:8001", false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Addr.Host != "app" || got.Addr.IP.IsValid() || got.Addr.Port != 8001 {
		t.Errorf("host name: %+v", got.Addr)
	}
}

func TestParseTargetErrors(t *testing.T) {
	tests := []struct {
		dir, arg string
		stream   bool
		want     string
	}{
		{"proxy_pass", "127.0.0.1:8000", false, `proxy_pass "127.0.0.1:8000": the address needs an "http://" or "https://" prefix, e.g. "http://127.0.0.1:8000"`},
		{"proxy_pass", "backend", false, `proxy_pass "backend": the address needs an "http://" or "https://" prefix, e.g. "http://backend"`},
		{"proxy_pass", "ftp://x", false, `proxy_pass "ftp://x": the scheme "ftp://" is not supported; use http:// or https://`},
		{"proxy_pass", "grpc://x:1", false, `proxy_pass "grpc://x:1": the scheme "grpc://" is not supported; use http:// or https://`},
		{"proxy_pass", "", false, `proxy_pass "": the address is empty`},
		{"proxy_pass", "http://", false, `proxy_pass "http://": no host; write a host name or an IP address`},
		{"proxy_pass", "http://:8080", false, `proxy_pass "http://:8080": no host; write a host name or an IP address`},
		{"proxy_pass", "http://127.0.0.1:0/", false, `proxy_pass "http://127.0.0.1:0/": invalid port "0"; ports are numbers from 1 to 65535`},
		{"proxy_pass", "http://127.0.0.1:65536", false, `proxy_pass "http://127.0.0.1:65536": invalid port "65536"; ports are numbers from 1 to 65535`},
		{"proxy_pass", "http://127.0.0.1:/", false, `proxy_pass "http://127.0.0.1:/": invalid port ""; ports are numbers from 1 to 65535`},
		{"proxy_pass", "http://127.0.0.1:80:81", false, `proxy_pass "http://127.0.0.1:80:81": invalid port "80:81"; ports are numbers from 1 to 65535`},
		{"proxy_pass", "http://::1:80", false, `proxy_pass "http://::1:80": invalid port ":1:80"; ports are numbers from 1 to 65535`},
		{"proxy_pass", "http://[::1", false, `proxy_pass "http://[::1": missing "]" after the IPv6 address`},
		{"proxy_pass", "http://[::1]x", false, `proxy_pass "http://[::1]x": unexpected "x" after "]"`},
		{"proxy_pass", "http://[::1]:x", false, `proxy_pass "http://[::1]:x": invalid port "x"; ports are numbers from 1 to 65535`},
		{"proxy_pass", "http://[]:80", false, `proxy_pass "http://[]:80": no address between the brackets`},
		{"proxy_pass", "http://[zz]:80", false, `proxy_pass "http://[zz]:80": "zz" is not a valid IPv6 address`},
		{"proxy_pass", "http://[127.0.0.1]:80", false, `proxy_pass "http://[127.0.0.1]:80": "127.0.0.1" is not a valid IPv6 address`},
		{"proxy_pass", "http://[fe80::1%eth0]:80", false, `proxy_pass "http://[fe80::1%eth0]:80": "fe80::1%eth0" is not a valid IPv6 address`},
		{"proxy_pass", "http://unix:", false, `proxy_pass "http://unix:": no socket path after "unix:"; write it as "unix:/run/app.sock"`},
		{"proxy_pass", "unix:///run/app.sock", false, `proxy_pass "unix:///run/app.sock": the address needs an "http://" or "https://" prefix, e.g. "http://unix:///run/app.sock"`},
		{"proxy_pass", "http://unix::/uri", false, `proxy_pass "http://unix::/uri": no socket path after "unix:"; write it as "unix:/run/app.sock"`},
		{"fastcgi_pass", "unix:/" + strings.Repeat("a", 200), false, `fastcgi_pass "unix:/` + strings.Repeat("a", 200) + `": socket path is 201 bytes long; unix sockets allow at most 107`},
		{"fastcgi_pass", "http://127.0.0.1:9000", false, `fastcgi_pass "http://127.0.0.1:9000": fastcgi_pass takes a plain address such as 127.0.0.1:9000 or unix:/run/app.sock, without a scheme; remove "http://"`},
		{"fastcgi_pass", "127.0.0.1:9000/x", false, `fastcgi_pass "127.0.0.1:9000/x": a URI is not allowed here; write only the address`},
		{"fastcgi_pass", "[::1]:9000/x", false, `fastcgi_pass "[::1]:9000/x": a URI is not allowed here; write only the address`},
		{"fastcgi_pass", "127.0.0.1:9000?x", false, `fastcgi_pass "127.0.0.1:9000?x": a URI is not allowed here; write only the address`},
		{"grpc_pass", "http://127.0.0.1:9000", false, `grpc_pass "http://127.0.0.1:9000": the scheme "http://" is not supported; grpc_pass takes grpc://, grpcs:// or a plain address`},
		{"uwsgi_pass", "http://127.0.0.1:9000", false, `uwsgi_pass "http://127.0.0.1:9000": the scheme "http://" is not supported; uwsgi_pass takes uwsgi://, suwsgi:// or a plain address`},
		{"memcached_pass", "$memc", false, `memcached_pass "$memc": memcached_pass cannot use variables here; nginx reads "$memc" literally as an address`},
		{"server", "$backend:80", false, `server "$backend:80": server cannot use variables here; nginx reads "$backend:80" literally as an address`},
		{"server", "127.0.0.1:8001/x", false, `server "127.0.0.1:8001/x": a URI is not allowed here; write only the address`},
		{"proxy_pass", "http://127.0.0.1:80", true, `proxy_pass "http://127.0.0.1:80": proxy_pass in the stream context takes a plain address such as 127.0.0.1:12345 or an upstream name, not a URL with "http://"`},
		{"server", "backend", true, `server "backend": an upstream server in the stream context needs a port, e.g. "backend:12345"`},
		{"server", "$x:1", true, `server "$x:1": server cannot use variables here; nginx reads "$x:1" literally as an address`},
		{"fastcgi_pass", "127.0.0.1:9000", true, `fastcgi_pass is not available in the stream context; use proxy_pass`},
		{"grpc_pass", "127.0.0.1:9000", true, `grpc_pass is not available in the stream context; use proxy_pass`},
		{"foo_pass", "127.0.0.1:9000", false, `unsupported directive "foo_pass" in the http context: expected proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass, memcached_pass or server`},
		{"foo_pass", "127.0.0.1:9000", true, `unsupported directive "foo_pass" in the stream context: expected proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass, memcached_pass or server`},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.dir, tt.arg, tt.stream)
		if err == nil {
			t.Errorf("ParseTarget(%q, %q, %v) = %+v, want error", tt.dir, tt.arg, tt.stream, got)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseTarget(%q, %q, %v) error:\n got %s\nwant %s", tt.dir, tt.arg, tt.stream, err, tt.want)
		}
	}
}

func TestProtocols(t *testing.T) {
	for _, p := range Protocols() {
		if !p.Valid() {
			t.Errorf("%q is not valid", p)
		}
		if got, err := ParseProtocol(strings.ToUpper(string(p))); err != nil || got != p {
			t.Errorf("ParseProtocol(%q) = %q, %v", strings.ToUpper(string(p)), got, err)
		}
	}
	if Protocol("").Valid() || Protocol("postgres").Valid() {
		t.Error("invalid protocols reported valid")
	}
	_, err := ParseProtocol("htp")
	want := `unknown protocol "htp"; valid protocols: http, https, fastcgi, uwsgi, scgi, grpc, grpcs, memcached, tcp`
	if err == nil || err.Error() != want {
		t.Errorf("ParseProtocol(htp) = %v, want %s", err, want)
	}
}
