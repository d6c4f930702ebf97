package golden

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint"
)

func TestMessageWithPosition(t *testing.T) {
	for _, c := range []struct {
		msg  string
		want bool
	}{
		{"backend api at etc/nginx/backends.toml:12:1", true},
		{"proxy_set_header (line 7)", true},
		{"keepalive 8, example/etc/nginx/conf.d/upstreams.conf:4:5", true},
		{"block opened at lines 3", true},
		{"included from /srv/etc/nginx/proxy_params:2:1", true},
		{"proxy_pass dials 127.0.0.1:8000", false},
		{"did you mean [::1]:8003 (backend v6)?", false},
		{"unix:/run/app.sock:/uri", false},
	} {
		if got := MessageWithPosition(lint.Diagnostic{Message: c.msg}) != ""; got != c.want {
			t.Errorf("message %q: position found = %v, want %v", c.msg, got, c.want)
		}
		if got := MessageWithPosition(lint.Diagnostic{Message: "fine", Related: []lint.Related{{Message: c.msg}}}) != ""; got != c.want {
			t.Errorf("related message %q: position found = %v, want %v", c.msg, got, c.want)
		}
	}
}
