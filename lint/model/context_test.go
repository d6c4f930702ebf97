package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

func loadContexts(t *testing.T, files map[string]string, context string) *Index {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: files, Path: "/etc/nginx/nginx.conf", Context: context})
	if err != nil {
		t.Fatal(err)
	}
	return NewIndex(tree)
}

// TestWalkContexts checks the context of every directive of a tree with
// nested blocks, includes at several levels, data blocks and blocks
// nginx does not know, against ContextOf (which works up the parents).
func TestWalkContexts(t *testing.T) {
	ix := loadContexts(t, map[string]string{
		"/etc/nginx/nginx.conf": `events { worker_connections 10; }
http {
    map $a $b { default x; ~y z; }
    include /etc/nginx/srv.conf;
    upstream u { server 127.0.0.1:1; }
    server {
        listen 80;
        if ($x) { return 404; }
        location / {
            if ($y) { root /a; }
            limit_except GET { deny all; }
            location /n/ { include /etc/nginx/loc.conf; }
        }
    }
}
stream { upstream s { server 127.0.0.1:2; } server { listen 3; } }
rtmp { server { listen 1935; } }
`,
		"/etc/nginx/srv.conf": "server { listen 81; location /x { root /x; } }\n",
		"/etc/nginx/loc.conf": "root /loc;\nif ($z) { return 403; }\n",
	}, "")
	var got []string
	ix.WalkContexts(func(d syntax.Directive, c nginx.Context, ok bool) {
		wc, wok := ix.ContextOf(d)
		if wc != c || wok != ok {
			t.Errorf("%s at %s: WalkContexts says %v %v, ContextOf %v %v", d.Name(), d.File().Position(int(d.Start())), c, ok, wc, wok)
		}
		if ok {
			got = append(got, fmt.Sprintf("%s:%v", d.Name(), c))
		} else {
			got = append(got, d.Name()+":?")
		}
	})
	want := "events:main worker_connections:events http:main map:http default:? ~y:? include:http server:http listen:server location:server root:location " +
		"upstream:http server:upstream server:http listen:server if:server return:if-in-server location:server if:location root:if-in-location " +
		"limit_except:location deny:limit_except location:location include:location root:location if:location return:if-in-location " +
		"stream:main upstream:stream server:stream-upstream server:stream listen:stream-server rtmp:main server:? listen:?"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("contexts:\n got %s\nwant %s", g, want)
	}
}

// TestWalkDefs checks that the definitions given with each directive
// are those of its context, the same in every walk. A snippet cannot say
// which modules nginx has, so rtmp's server and listen count too (server:
// http, upstream, stream, stream upstream, mail, rtmp).
func TestWalkDefs(t *testing.T) {
	ix := loadContexts(t, map[string]string{"/etc/nginx/nginx.conf": "server { listen 80; location / { listen 81; proxy_pass http://a; nosuch x; } }\n"}, "http")
	for range 2 {
		var got []string
		ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *Defs) {
			got = append(got, fmt.Sprintf("%s:%d/%d", d.Name(), len(defs.Here), len(defs.All)))
		})
		if g, want := strings.Join(got, " "), "server:1/6 listen:1/4 location:1/1 listen:0/4 proxy_pass:1/2 nosuch:0/0"; g != want {
			t.Errorf("defs:\n got %s\nwant %s", g, want)
		}
	}
}
