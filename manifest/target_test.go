package manifest

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// TestParseTargetWrapper checks that ParseTarget gives what
// nginx.ParseTarget reads (lint/nginx tests the grammar itself), as a
// manifest Addr without a position.
func TestParseTargetWrapper(t *testing.T) {
	tests := []struct {
		dir, arg string
		stream   bool
	}{
		{"proxy_pass", "http://127.0.0.1:8000/uri", false},
		{"proxy_pass", "https://h", false},
		{"proxy_pass", "http://[::FFFF:127.0.0.1]:80", false},
		{"proxy_pass", "http://unix:/var/run/app.sock:/uri", false},
		{"proxy_pass", "HTTP://Backend_App", false},
		{"proxy_pass", "$scheme://backend", false},
		{"fastcgi_pass", "php_backend", false},
		{"grpc_pass", "grpcs://backend", false},
		{"server", "app.internal", false},
		{"proxy_pass", "backend", true},
		{"server", "127.0.0.1:12345", true},
		// Errors pass through unchanged.
		{"proxy_pass", "127.0.0.1:8000", false},
		{"fastcgi_pass", "127.0.0.1:9000", true},
		{"foo_pass", "127.0.0.1:9000", false},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.dir, tt.arg, tt.stream)
		want, wantErr := nginx.ParseTarget(tt.dir, tt.arg, tt.stream)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Errorf("ParseTarget(%q, %q, %v) error %v, nginx.ParseTarget %v", tt.dir, tt.arg, tt.stream, err, wantErr)
			continue
		}
		if err != nil {
			if got != (Target{}) {
				t.Errorf("ParseTarget(%q, %q, %v) = %+v with an error", tt.dir, tt.arg, tt.stream, got)
			}
			continue
		}
		a := got.Addr
		if a.Pos.IsValid() {
			t.Errorf("ParseTarget(%q): target has a position %v", tt.arg, a.Pos)
		}
		if a.String() != want.Addr.String() || a.Raw != want.Addr.Raw || a.Host != want.Addr.Host || a.IP != want.Addr.IP ||
			a.Port != want.Addr.Port || a.Unix != want.Addr.Unix || a.Path != want.Addr.Path ||
			got.Protocol != want.Protocol || got.Scheme != want.Scheme || got.Name != want.Name ||
			got.PortDefaulted != want.PortDefaulted || got.HasVars != want.HasVars {
			t.Errorf("ParseTarget(%q, %q, %v) = %+v, nginx.ParseTarget %+v", tt.dir, tt.arg, tt.stream, got, want)
		}
	}
}

func TestProtocols(t *testing.T) {
	for _, p := range Protocols() {
		if got, err := ParseProtocol(strings.ToUpper(string(p))); err != nil || got != p {
			t.Errorf("ParseProtocol(%q) = %q, %v", strings.ToUpper(string(p)), got, err)
		}
	}
	if _, err := ParseProtocol("htp"); err == nil {
		t.Error("ParseProtocol(htp): no error")
	}
}

// TestParseTargetVars checks which arguments with variables name their
// address all the same: nginx reads the same host (and port, or socket)
// whatever the variables hold.
func TestParseTargetVars(t *testing.T) {
	user := func(name string) nginx.VarStart {
		if name == "suffix" {
			return nginx.VarEmptyOrURI // set $suffix ""; set $suffix ?$query_string;
		}
		return nginx.VarStartsAny
	}
	tests := []struct {
		dir, arg string
		stream   bool
		addr     string // Addr.String(); "" for none
		raw      string
		name     string
	}{
		// The host is complete: a "/" or "?" is written before the first
		// variable, or what follows the host begins with one.
		{dir: "proxy_pass", arg: "http://pool$request_uri", addr: "pool:80", raw: "pool", name: "pool"},
		{dir: "proxy_pass", arg: "HTTP://Pool${request_uri}", addr: "pool:80", raw: "Pool", name: "Pool"},
		{dir: "proxy_pass", arg: "https://pool$uri$is_args$args", addr: "pool:443", raw: "pool", name: "pool"},
		{dir: "proxy_pass", arg: "http://pool$is_args$args", addr: "pool:80", raw: "pool", name: "pool"},
		{dir: "proxy_pass", arg: "http://pool/$1", addr: "pool:80", raw: "pool", name: "pool"},
		{dir: "proxy_pass", arg: "http://pool?x=$arg_x", addr: "pool:80", raw: "pool", name: "pool"},
		{dir: "proxy_pass", arg: "http://pool/a:b$host", addr: "pool:80", raw: "pool", name: "pool"},
		{dir: "proxy_pass", arg: "http://octane$suffix", addr: "octane:80", raw: "octane", name: "octane"},
		{dir: "proxy_pass", arg: "http://127.0.0.1:8000$suffix", addr: "127.0.0.1:8000", raw: "127.0.0.1:8000"},
		{dir: "proxy_pass", arg: "http://127.0.0.1:8000/api$uri", addr: "127.0.0.1:8000", raw: "127.0.0.1:8000"},
		{dir: "proxy_pass", arg: "http://127.0.0.1$request_uri", addr: "127.0.0.1:80", raw: "127.0.0.1", name: "127.0.0.1"},
		{dir: "proxy_pass", arg: "http://[::1]:8000/$1", addr: "[::1]:8000", raw: "[::1]:8000"},
		{dir: "proxy_pass", arg: "http://unix:/run/app.sock:$request_uri", addr: "unix:/run/app.sock", raw: "unix:/run/app.sock"},
		{dir: "proxy_pass", arg: "http://unix:///run/app.sock:/$1", addr: "unix:/run/app.sock", raw: "unix:///run/app.sock"},
		// The variable may continue the host, or give it a port (then
		// nginx resolves the host: it names no upstream block).
		{dir: "proxy_pass", arg: "http://pool$suffix2", raw: "pool$suffix2"},
		{dir: "proxy_pass", arg: "http://pool$host", raw: "pool$host"},
		{dir: "proxy_pass", arg: "http://pool$1", raw: "pool$1"},
		{dir: "proxy_pass", arg: "http://pool$is_args$host", raw: "pool$is_args$host"},
		{dir: "proxy_pass", arg: "http://pool:$server_port", raw: "pool:$server_port"},
		{dir: "proxy_pass", arg: "http://$backend", raw: "$backend"},
		{dir: "proxy_pass", arg: "http://$backend/x", raw: "$backend/x"},
		{dir: "proxy_pass", arg: "http://[::1]:8000$request_uri", raw: "[::1]:8000$request_uri"}, // "?" does not end an IPv6 address
		{dir: "proxy_pass", arg: "http://unix:/run/$app.sock", raw: "unix:/run/$app.sock"},
		{dir: "proxy_pass", arg: "http://:80/$x", raw: ":80/$x"}, // no host, whatever the variable
		{dir: "proxy_pass", arg: "$scheme://pool$request_uri", raw: "$scheme://pool$request_uri"},
		// Only an http proxy_pass takes a URI: elsewhere what follows the
		// address is part of it.
		{dir: "grpc_pass", arg: "grpc://pool$request_uri", raw: "pool$request_uri"},
		{dir: "fastcgi_pass", arg: "php$suffix", raw: "php$suffix"},
		{dir: "proxy_pass", arg: "pool$suffix", stream: true, raw: "pool$suffix"},
	}
	for _, tt := range tests {
		got, err := ParseTargetVars(tt.dir, tt.arg, tt.stream, user)
		if err != nil {
			t.Errorf("ParseTargetVars(%q, %q): %v", tt.dir, tt.arg, err)
			continue
		}
		addr := got.Addr.String()
		if got.Addr.Host == "" && !got.Addr.Unix {
			addr = ""
		}
		if !got.HasVars || addr != tt.addr || got.Addr.Raw != tt.raw || got.Name != tt.name || got.PortDefaulted != (tt.name != "") {
			t.Errorf("ParseTargetVars(%q, %q) = addr %q raw %q name %q defaulted %v vars %v; want addr %q raw %q name %q",
				tt.dir, tt.arg, addr, got.Addr.Raw, got.Name, got.PortDefaulted, got.HasVars, tt.addr, tt.raw, tt.name)
		}
	}
	// Without the configuration, only nginx's own variables are known.
	if got, err := ParseTarget("proxy_pass", "http://octane$suffix", false); err != nil || got.Name != "" {
		t.Errorf("ParseTarget(http://octane$suffix) = %+v, %v; want no name", got, err)
	}
	if got, err := ParseTarget("proxy_pass", "http://pool$request_uri", false); err != nil || got.Name != "pool" {
		t.Errorf("ParseTarget(http://pool$request_uri) = %+v, %v; want pool", got, err)
	}
}
