package model

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestVariableTargetUpstream checks which pass directives with variables
// use an upstream block: those whose host nginx reads the same whatever
// the variables hold. What the tree's own variables begin with comes from
// their set directives, when nothing else defines them and the tree holds
// every definition. (Run by nginx 1.22.1 with the two upstreams on
// loopback, /a /b /c /j reach their upstream; /e /h /i /k /l fail with
// "no resolver defined to resolve poolx", "pool", "pool127.0.0.1",
// "nopool", "octanex"; /d /f /g reach pool in that run only because
// their variables happen to be empty: a capture, a map or a loop of sets
// may hold anything in another request or configuration.)
func TestVariableTargetUpstream(t *testing.T) {
	const conf = `events {}
http {
    upstream pool { server 127.0.0.1:8001; }
    upstream octane { server 127.0.0.1:8002; }
    map $http_x $mapped { default ""; }
    server {
        listen 80;
        set $suffix "";
        if ($uri = /index.php) { set $suffix ?$query_string; }
        set $chain $suffix;
        set $loop_a $loop_b;
        set $loop_b $loop_a;
        set $word x;
        set $captured "";
        set $mapped_too "";
        location ~ ^/cap/(?<captured>.*)$ { return 404; }
        location /a { proxy_pass http://pool$request_uri; }
        location /b { proxy_pass http://octane$suffix; }
        location /c { proxy_pass http://octane$chain; }
        location /d { proxy_pass http://pool$loop_a; }
        location /e { proxy_pass http://pool$word; }
        location /f { proxy_pass http://pool$captured; }
        location /g { proxy_pass http://pool$mapped; }
        location /h { proxy_pass http://pool:80$request_uri; }
        location /i { proxy_pass http://pool$host; }
        location /j { proxy_pass http://POOL/$1; }
        location /k { proxy_pass http://nopool$request_uri; }
        location /l { proxy_pass http://octane$suffix$word; }
    }
}
`
	want := map[string]string{ // location -> upstream block used ("" none)
		"/a": "pool", "/b": "octane", "/c": "octane", "/d": "", "/e": "", "/f": "", "/g": "",
		"/h": "", "/i": "", "/j": "pool", "/k": "", "/l": "",
	}
	check := func(t *testing.T, files map[string]string, want map[string]string) {
		t.Helper()
		tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: files})
		if err != nil {
			t.Fatal(err)
		}
		ix := NewIndex(tree)
		seen := 0
		for tg := range ix.Targets() {
			loc := tg.Directive.BlockParent()
			if tg.IsServer() || loc.Name() != "location" {
				continue
			}
			seen++
			got := ""
			if up := tg.Upstream(); !up.IsZero() {
				got = up.Arg(0)
			}
			if w := want[loc.Arg(0)]; got != w {
				t.Errorf("%s: %s uses upstream %q, want %q", loc.Arg(0), tg.Directive, got, w)
			}
		}
		if seen != len(want) {
			t.Errorf("%d pass directives, want %d", seen, len(want))
		}
	}
	check(t, map[string]string{"/etc/nginx/nginx.conf": conf}, want)

	// A tree that may not hold every set of $suffix knows nothing of it.
	incomplete := strings.Replace(conf, "server {", "include missing.conf;\n    server {", 1)
	want["/b"], want["/c"] = "", ""
	check(t, map[string]string{"/etc/nginx/nginx.conf": incomplete}, want)
}
