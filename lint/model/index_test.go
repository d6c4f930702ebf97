package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestByName checks ByName against a plain walk, for names the index
// lists in advance and for names it looks up on first use (twice, to go
// through its cache), across includes.
func TestByName(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: map[string]string{
		"/etc/nginx/nginx.conf":      "events {}\nhttp {\n    upstream u { server 127.0.0.1:1; }\n    map $a $b { default 1; }\n    include sites/*.conf;\n}\n",
		"/etc/nginx/sites/a.conf":    "server {\n    listen 80;\n    location / { include snippets/p.conf; }\n    location /b { proxy_pass http://u; }\n}\n",
		"/etc/nginx/sites/b.conf":    "server {\n    listen 81;\n    location / { include snippets/p.conf; }\n    location /g { if ($b) { return 403; } grpc_pass grpc://127.0.0.1:2; }\n}\n",
		"/etc/nginx/snippets/p.conf": "proxy_set_header Host $host;\nproxy_pass http://u;\n",
	}})
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(tree)
	names := append([]string{"upstream", "map", "if", "server", "listen", "proxy_set_header", "location", "listen", "nothing"}, passDirectives...)
	for _, name := range names {
		var want []syntax.Directive
		tree.Walk(func(d syntax.Directive) {
			if d.Name() == name {
				want = append(want, d)
			}
		})
		if got := slices.Collect(ix.ByName(name)); !slices.Equal(got, want) {
			t.Errorf("ByName(%q) = %v, want %v", name, got, want)
		}
		// A loop may stop early.
		for range ix.ByName(name) {
			break
		}
	}
	if n := len(slices.Collect(ix.ByName("proxy_pass"))); n != 3 {
		t.Errorf("ByName(proxy_pass) has %d directives, want 3 (one per inclusion of the snippet, and one of its own)", n)
	}
}

// TestTargetsInParallel checks that reading targets with many workers
// gives exactly what one worker gives, in the same order.
func TestTargetsInParallel(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "../../example/etc/nginx"})
	if err != nil {
		t.Fatal(err)
	}
	read := func(perWorker int) []string {
		var out []string
		for tg := range NewIndex(tree, TargetsPerWorker(perWorker)).Targets() {
			out = append(out, fmt.Sprintf("%s %v %s %+v %v %v %v", tg.Directive, tg.Directive.File().Position(int(tg.Directive.Start())),
				tg.Module(), *tg.Parsed(), tg.Err(), tg.Upstream(), tg.In()))
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

// TestUpstreamGroups checks UpstreamUsers and UpstreamServers against the
// targets themselves: every target is in the group of its upstream block,
// in order, and the groups hold nothing else. The numbered look-ups
// (UpstreamIndex, UpstreamUsersAt, UpstreamServersAt) agree with them; a
// block that repeats a name keeps its own servers, and http and stream
// number their blocks apart.
func TestUpstreamGroups(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: map[string]string{
		"/etc/nginx/nginx.conf": "events {}\nhttp {\n" +
			"    upstream a { server 127.0.0.1:1; server 127.0.0.1:2; }\n" +
			"    upstream b { server 127.0.0.1:3; }\n" +
			"    upstream idle { server 127.0.0.1:4; server 127.0.0.1:1 max_fails=1 down; }\n" +
			"    server {\n" +
			"        location /1 { proxy_pass http://a; }\n" +
			"        location /2 { proxy_pass http://b; }\n" +
			"        location /3 { proxy_pass http://A; }\n" +
			"        location /4 { grpc_pass grpc://b; }\n" +
			"        location /5 { proxy_pass http://127.0.0.1:9; }\n" +
			"    }\n" +
			"    upstream a { server 127.0.0.1:5; }\n" +
			"}\n" +
			"stream {\n" +
			"    upstream a { server 127.0.0.1:6; server 127.0.0.1:7; server 127.0.0.1:8; }\n" +
			"    server { listen 9000; proxy_pass a; }\n" +
			"}\n",
	}})
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(tree)
	users, servers := map[syntax.Directive][]*Target{}, map[syntax.Directive][]*Target{}
	for tg := range ix.Targets() {
		if up := tg.Upstream(); !up.IsZero() {
			users[up] = append(users[up], tg)
		}
		if up := tg.In(); !up.IsZero() {
			servers[up] = append(servers[up], tg)
		}
	}
	// Users, servers and number of each upstream block, in order.
	want := [][3]int{{2, 2, 0}, {2, 1, 1}, {0, 2, 2}, {0, 1, -1}, {1, 3, 3}}
	// The same address is read once down and once not.
	var down []string
	for tg := range ix.Targets() {
		if tg.IsDown() {
			down = append(down, tg.Directive.String())
		}
	}
	if len(down) != 1 || down[0] != "server 127.0.0.1:1 max_fails=1 down" {
		t.Errorf("servers down: %q, want the one marked down", down)
	}
	if ix.NumUpstreams() != 4 {
		t.Errorf("NumUpstreams() = %d, want 4", ix.NumUpstreams())
	}
	i := 0
	for up := range ix.ByName("upstream") {
		if i == len(want) {
			t.Fatalf("more than %d upstream blocks", len(want))
		}
		name, w := fmt.Sprintf("%s (block %d)", up.Arg(0), i+1), want[i]
		i++
		if got := ix.UpstreamUsers(up); !slices.Equal(got, users[up]) || len(got) != w[0] {
			t.Errorf("UpstreamUsers(%s) = %v, want %d: %v", name, got, w[0], users[up])
		}
		if got := ix.UpstreamServers(up); !slices.Equal(got, servers[up]) || len(got) != w[1] {
			t.Errorf("UpstreamServers(%s) = %v, want %d: %v", name, got, w[1], servers[up])
		}
		n := ix.UpstreamIndexOf(up)
		if n != w[2] {
			t.Errorf("UpstreamIndexOf(%s) = %d, want %d", name, n, w[2])
			continue
		}
		for _, tg := range servers[up] {
			if tg.UpstreamIndex() != n {
				t.Errorf("UpstreamIndex() of %s = %d, want %d", tg.Directive, tg.UpstreamIndex(), n)
			}
		}
		for _, tg := range users[up] {
			if tg.UpstreamIndex() != n {
				t.Errorf("UpstreamIndex() of %s = %d, want %d", tg.Directive, tg.UpstreamIndex(), n)
			}
		}
		if n >= 0 && (!slices.Equal(ix.UpstreamUsersAt(n), users[up]) || !slices.Equal(ix.UpstreamServersAt(n), servers[up])) {
			t.Errorf("UpstreamUsersAt(%d), UpstreamServersAt(%d) = %v, %v; want %v, %v", n, n, ix.UpstreamUsersAt(n), ix.UpstreamServersAt(n), users[up], servers[up])
		}
	}
	if i != len(want) {
		t.Errorf("%d upstream blocks, want %d", i, len(want))
	}
	for tg := range ix.Targets() {
		if tg.Upstream().IsZero() && tg.In().IsZero() && tg.UpstreamIndex() != -1 {
			t.Errorf("UpstreamIndex() of %s = %d, want -1", tg.Directive, tg.UpstreamIndex())
		}
	}
}
