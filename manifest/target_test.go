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
