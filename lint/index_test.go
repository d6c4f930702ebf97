package lint

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestByName checks ByName against a plain walk, for names the index
// lists in advance and for names it looks up on first use (twice, to go
// through its cache), across includes.
func TestByName(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Path: "/etc/nginx/nginx.conf", Files: map[string]string{
		"/etc/nginx/nginx.conf":      "events {}\nhttp {\n    upstream u { server 127.0.0.1:1; }\n    include sites/*.conf;\n}\n",
		"/etc/nginx/sites/a.conf":    "server {\n    listen 80;\n    location / { include snippets/p.conf; }\n    location /b { proxy_pass http://u; }\n}\n",
		"/etc/nginx/sites/b.conf":    "server {\n    listen 81;\n    location / { include snippets/p.conf; }\n}\n",
		"/etc/nginx/snippets/p.conf": "proxy_set_header Host $host;\nproxy_pass http://u;\n",
	}})
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(tree)
	for _, name := range []string{"proxy_pass", "upstream", "listen", "proxy_set_header", "location", "listen", "nothing"} {
		var want []syntax.Directive
		tree.Walk(func(d syntax.Directive) {
			if d.Name() == name {
				want = append(want, d)
			}
		})
		if got := ix.ByName(name); !slices.Equal(got, want) {
			t.Errorf("ByName(%q) = %v, want %v", name, got, want)
		}
	}
	for _, name := range PassDirectives {
		if !indexed(name) {
			t.Errorf("%s is not indexed: Targets would not see it", name)
		}
	}
	if n := len(ix.ByName("proxy_pass")); n != 3 {
		t.Errorf("ByName(proxy_pass) has %d directives, want 3 (one per inclusion of the snippet, and one of its own)", n)
	}
}

// TestTargetsInParallel checks that reading targets with many workers
// gives exactly what one worker gives, in the same order.
func TestTargetsInParallel(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Path: "../example/etc/nginx"})
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int) { targetsPerWorker = n }(targetsPerWorker)
	read := func(perWorker int) []string {
		targetsPerWorker = perWorker
		var out []string
		for _, tg := range NewIndex(tree).Targets() {
			out = append(out, fmt.Sprintf("%s %v %s %+v %v %v %v", tg.Directive, tg.Directive.File().Position(int(tg.Directive.Start())),
				tg.Module(), *tg.Parsed(), tg.Err(), tg.Upstream, tg.In()))
		}
		return out
	}
	one, many := read(1<<30), read(1)
	if len(one) < 5 {
		t.Fatalf("the example tree has %d targets; the test needs a few", len(one))
	}
	if !slices.Equal(one, many) {
		t.Errorf("targets differ with many workers:\none worker:\n%s\nmany:\n%s", strings.Join(one, "\n"), strings.Join(many, "\n"))
	}
}
