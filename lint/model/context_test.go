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

// TestWalkDefsWhere checks that WalkDefsWhere visits what WalkDefs
// visits and pred accepts, in the same order, asking pred once per
// distinct Defs, including the directives without Defs.
func TestWalkDefsWhere(t *testing.T) {
	ix := loadContexts(t, map[string]string{
		"/etc/nginx/nginx.conf": `events {}
http {
    map $a $b { default x; ~y z; }
    server { listen 80; location / { listen 81; proxy_pass http://a; } location /b { proxy_pass http://b; } }
    server { listen 80; }
}
`}, "")
	preds := map[string]func(*Defs) bool{
		"none":   func(*Defs) bool { return false },
		"all":    func(*Defs) bool { return true },
		"nodefs": func(d *Defs) bool { return d == nil },
		"listen": func(d *Defs) bool { return d != nil && d.Name == "listen" },
		"here":   func(d *Defs) bool { return d != nil && len(d.Here) > 0 },
	}
	for name, pred := range preds {
		var want []string
		ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *Defs) {
			if pred(defs) {
				want = append(want, fmt.Sprintf("%s@%d:%v", d.Name(), d.Start(), c))
			}
		})
		var got []string
		asked := map[*Defs]int{}
		ix.WalkDefsWhere(func(d *Defs) bool { asked[d]++; return pred(d) }, func(d syntax.Directive, c nginx.Context, defs *Defs) {
			if defs != nil && defs.Name != d.Name() {
				t.Errorf("%s: Defs of %s", name, defs.Name)
			}
			got = append(got, fmt.Sprintf("%s@%d:%v", d.Name(), d.Start(), c))
		})
		if g, w := strings.Join(got, " "), strings.Join(want, " "); g != w {
			t.Errorf("%s:\n got %s\nwant %s", name, g, w)
		}
		for d, n := range asked {
			if n != 1 {
				t.Errorf("%s: pred asked %d times of %v", name, n, d)
			}
		}
		if name == "all" && len(got) < 12 {
			t.Errorf("all: only %d directives: %s", len(got), strings.Join(got, " "))
		}
	}
}

// TestDefsOfManyForms checks the Defs of a name written in more ways
// than are looked through one by one: each directive gets the Defs of
// its own form, and directives of one form share theirs.
func TestDefsOfManyForms(t *testing.T) {
	var b strings.Builder
	const forms = 3 * manyDefs
	for round := range 2 {
		for n := 1; n <= forms; n++ {
			fmt.Fprintf(&b, "add_header X%d%s;\n", round, strings.Repeat(" v", n))
		}
	}
	ix := loadContexts(t, map[string]string{"/etc/nginx/nginx.conf": b.String()}, "location")
	byArgs := map[int]*Defs{}
	count := 0
	ix.WalkDefs(func(d syntax.Directive, c nginx.Context, defs *Defs) {
		count++
		if defs == nil || defs.Name != "add_header" || defs.NArgs != d.NArgs() || defs.Context != nginx.HTTPLocation {
			t.Fatalf("%s with %d arguments: Defs %+v", d.Name(), d.NArgs(), defs)
		}
		if first, ok := byArgs[d.NArgs()]; ok && first != defs {
			t.Errorf("two Defs for add_header with %d arguments", d.NArgs())
		}
		byArgs[d.NArgs()] = defs
	})
	if count != 2*forms || len(byArgs) != forms {
		t.Errorf("walked %d directives in %d forms, want %d in %d", count, len(byArgs), 2*forms, forms)
	}
}
