package syntax_test

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestIncludeChain checks what rules learn of a directive in an included
// file: its block parent looks through the include, and its include chain
// names the include lines that led to it, outermost first.
func TestIncludeChain(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Path: "/etc/nginx/nginx.conf", Files: map[string]string{
		"/etc/nginx/nginx.conf":          "events {}\nhttp {\n    include sites/*.conf;\n}\n",
		"/etc/nginx/sites/app.conf":      "server {\n    location / {\n        include snippets/proxy.conf;\n    }\n}\n",
		"/etc/nginx/snippets/proxy.conf": "proxy_pass http://127.0.0.1:8000;\n",
	}})
	if err != nil {
		t.Fatal(err)
	}
	var pass syntax.Directive
	var walk func([]syntax.Directive)
	walk = func(ds []syntax.Directive) {
		for _, d := range ds {
			if d.Name() == "proxy_pass" {
				pass = d
			}
			walk(d.Block())
			walk(d.Included())
		}
	}
	walk(tree.Directives)
	if pass.IsZero() {
		t.Fatal("proxy_pass not found")
	}
	if p := pass.BlockParent(); p.IsZero() || p.Name() != "location" || p.File().Name != "/etc/nginx/sites/app.conf" {
		t.Errorf("block parent = %v, want the location of sites/app.conf", p)
	}
	if got := pass.Context(tree.Context); got != "location" {
		t.Errorf("context = %q, want location", got)
	}
	var chain []string
	for _, inc := range pass.IncludeChain() {
		chain = append(chain, inc.File().Position(int(inc.Start())).String()+" "+inc.String())
	}
	want := "/etc/nginx/nginx.conf:3:5 include sites/*.conf | /etc/nginx/sites/app.conf:3:9 include snippets/proxy.conf"
	if got := strings.Join(chain, " | "); got != want {
		t.Errorf("include chain:\n got %s\nwant %s", got, want)
	}
}
