package model

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

func TestThirdPartyEnabled(t *testing.T) {
	lua := nginx.ModuleNamed("ngx_http_lua_module")
	brotli := nginx.ModuleNamed("ngx_http_brotli_filter_module")
	if lua == nil || brotli == nil {
		t.Fatal("the table lacks the lua or brotli module")
	}
	for _, c := range []struct {
		name          string
		conf, context string
		opts          []Option
		lua, brotli   [2]bool // enabled, known
	}{
		{"nothing loaded", "events {}\nhttp {}\n", "", nil, [2]bool{false, true}, [2]bool{false, true}},
		{"load_module", "load_module modules/ngx_http_brotli_filter_module.so;\nevents {}\nhttp {}\n", "", nil, [2]bool{false, true}, [2]bool{true, true}},
		{"declared", "events {}\nhttp {}\n", "", []Option{Modules("lua")}, [2]bool{true, true}, [2]bool{false, true}},
		{"snippet", "server { listen 80; }\n", "http", nil, [2]bool{false, false}, [2]bool{false, false}},
		{"modules-enabled not in the tree", "include /etc/nginx/modules-enabled/*.conf;\nevents {}\nhttp {}\n", "", nil, [2]bool{false, false}, [2]bool{false, false}},
	} {
		tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": c.conf}, Path: "/etc/nginx/nginx.conf", Context: c.context})
		if err != nil {
			t.Fatal(err)
		}
		ix := NewIndex(tree, c.opts...)
		for _, m := range []struct {
			mod  *nginx.Module
			want [2]bool
		}{{lua, c.lua}, {brotli, c.brotli}} {
			if e, k := ix.ThirdPartyEnabled(m.mod); [2]bool{e, k} != m.want {
				t.Errorf("%s: %s enabled, known = %v, %v; want %v", c.name, m.mod.Name, e, k, m.want)
			}
		}
	}
}

func TestIncomplete(t *testing.T) {
	ix := loadContexts(t, map[string]string{
		"/etc/nginx/nginx.conf": "events {}\nhttp {\n include /etc/nginx/conf.d/*.conf;\n server { include /etc/nginx/missing.conf; location / {} }\n server { location / {} }\n}\n",
	}, "")
	var servers []syntax.Directive
	ix.tree.Walk(func(d syntax.Directive) {
		if d.Name() == "server" {
			servers = append(servers, d)
		}
	})
	if len(servers) != 2 {
		t.Fatalf("%d servers", len(servers))
	}
	// A glob that matches nothing leaves http complete; the missing
	// include makes the first server, and what is inside it, incomplete.
	if !ix.Incomplete(servers[0]) || !ix.Incomplete(servers[0].Children()[0]) {
		t.Error("the server with a missing include is complete")
	}
	if ix.Incomplete(servers[1]) || ix.Incomplete(servers[1].Children()[0]) {
		t.Error("the server without one is incomplete")
	}
}
