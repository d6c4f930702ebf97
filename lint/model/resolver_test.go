package model_test

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestResolver checks which resolver nginx uses for each target: a pass
// directive takes its block's after inheritance (an if block its
// location's); an upstream server line takes the upstream's own, else
// the http or stream level's, never a server's or a location's.
func TestResolver(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: map[string]string{
		"/etc/nginx/nginx.conf": `events {}
http {
    resolver 10.0.0.1;
    upstream at_http { zone at_http 64k; server a.test resolve; }
    upstream own { zone own 64k; resolver 10.0.0.2; server b.test resolve; }
    server {
        resolver 10.0.0.3;
        location /in-server/ { proxy_pass http://c.test$request_uri; }
        location /own/ {
            resolver 10.0.0.4;
            if ($arg_x) { proxy_pass http://d.test$request_uri; }
        }
    }
}
stream {
    upstream none { zone none 64k; server e.test:5432 resolve; }
    server { listen 5432; resolver 10.0.0.5; proxy_pass none; }
    server { listen 5433; proxy_pass f.test:5432; }
}
`}})
	if err != nil {
		t.Fatal(err)
	}
	ix := model.NewIndex(tree)
	want := map[string]string{
		"a.test": "10.0.0.1", // the http level's
		"b.test": "10.0.0.2", // the upstream's own
		"c.test": "10.0.0.3", // inherited from the server
		"d.test": "10.0.0.4", // the if block takes its location's
		"e.test": "",         // a stream server's does not count for an upstream
		"f.test": "",         // none around the stream server
	}
	seen := 0
	for tg := range ix.Targets() {
		arg := tg.Directive.Arg(0)
		host := strings.TrimPrefix(arg, "http://")
		if i := strings.IndexAny(host, ":$"); i >= 0 {
			host = host[:i]
		}
		w, ok := want[host]
		if !ok {
			continue
		}
		seen++
		got := ""
		if r := ix.Resolver(tg).Last(); !r.IsZero() {
			got = r.Arg(0)
		}
		if got != w {
			t.Errorf("%s: resolver %q, want %q", tg.Directive, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("checked %d targets, want %d", seen, len(want))
	}
}
