package model_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestSettingsIsEffective checks that Settings (At, and Given with the
// block's own directives) answers what Index.Effective does, for every block of a tree with nested
// locations, if blocks, includes, and a block too large for it to read
// itself, asked in walk order and then in reverse.
// manyServers is the number of servers of the test's http block.
const manyServers = 32

func TestSettingsIsEffective(t *testing.T) {
	var many strings.Builder
	// More servers than the 16 directives up to which Effective scans a
	// block at each lookup: the http block is one it remembers.
	for i := range manyServers {
		fmt.Fprintf(&many, "    server { listen 127.0.0.1:%d; location / { proxy_pass http://127.0.0.1:9000; } }\n", 8000+i)
	}
	files := map[string]string{
		"nginx.conf": `events {}
proxy_http_version 1.0;
http {
    proxy_set_header Connection "";
    include conf.d/*.conf;
` + many.String() + `}
`,
		"conf.d/a.conf": `server {
    listen 127.0.0.1:8080;
    proxy_http_version 1.1;
    location / {
        proxy_set_header Host $host;
        location /in/ {
            if ($arg_x) { return 404; }
            proxy_pass http://127.0.0.1:9000;
        }
    }
    location /b/ {
        include snippet.inc;
        if ($arg_y) { proxy_pass http://127.0.0.1:9001; }
    }
}
`,
		"conf.d/snippet.inc": `proxy_set_header X-A a;
proxy_read_timeout 5s;
`,
	}
	ld, err := syntax.NewMemLoader(files, syntax.Options{Grammar: nginx.Grammar{}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Canonical("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := ld.Load(c, "", false)
	if err != nil {
		t.Fatal(err)
	}
	ix := model.NewIndex(tree)
	blocks := []syntax.Directive{{}}
	tree.Walk(func(d syntax.Directive) {
		if d.IsBlock() {
			blocks = append(blocks, d)
		}
	})
	if len(blocks) < 2*manyServers {
		t.Fatalf("the tree has %d blocks, want more than %d: it was not read whole", len(blocks), 2*manyServers)
	}
	names := []string{"proxy_http_version", "proxy_set_header", "proxy_read_timeout", "proxy_pass", "return", "keepalive"}
	for _, name := range names {
		s := ix.Settings(name)
		for _, order := range []string{"walk", "reverse"} {
			for i := range blocks {
				b := blocks[i]
				if order == "reverse" {
					b = blocks[len(blocks)-1-i]
				}
				want := ix.Effective(b, name)
				if got := s.At(b); !reflect.DeepEqual(got, want) {
					t.Errorf("%s at %v (%s order): got %+v, want %+v", name, b, order, got, want)
				}
				var own []syntax.Directive
				if !b.IsZero() {
					for d := range b.EachChild() {
						if d.Name() == name {
							own = append(own, d)
						}
					}
				}
				if got := s.Given(b, own); !reflect.DeepEqual(got, want) {
					t.Errorf("%s given %v (%s order): got %+v, want %+v", name, b, order, got, want)
				}
			}
		}
	}
}
