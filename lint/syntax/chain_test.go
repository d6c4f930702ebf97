package syntax_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestIncludeChain checks what rules learn of a directive in an included
// file: its block parent looks through the include, and its include chain
// names the include lines that led to it, outermost first.
func TestIncludeChain(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: map[string]string{
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

// TestWalkAndFind checks the tree's flat walks against the recursive view
// (Block, Included, Children): the same directives in the same order, each
// reference leading back to its directive, and a file included twice
// giving two distinct sets of directives.
func TestWalkAndFind(t *testing.T) {
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: map[string]string{
		"/etc/nginx/nginx.conf": "events {}\nhttp {\n    include sites/*.conf;\n    server { listen 81; include snippets/h.conf; }\n}\n",
		"/etc/nginx/sites/a.conf": "server {\n    listen 80;\n    location / {\n        include snippets/h.conf;\n        proxy_set_header B b;\n    }\n}\n" +
			"upstream u { server 127.0.0.1:1; }\n",
		"/etc/nginx/snippets/h.conf": "proxy_set_header A a;\nproxy_pass http://u;\n",
	}})
	if err != nil {
		t.Fatal(err)
	}
	var want []syntax.Directive
	var walk func([]syntax.Directive)
	walk = func(ds []syntax.Directive) {
		for _, d := range ds {
			want = append(want, d)
			walk(d.Block())
			walk(d.Included())
		}
	}
	walk(tree.Directives)
	var got []syntax.Directive
	tree.Walk(func(d syntax.Directive) { got = append(got, d) })
	if len(got) != len(want) {
		t.Fatalf("Walk visited %d directives, the recursive view has %d", len(got), len(want))
	}
	var parts []syntax.Directive
	for _, p := range tree.Parts() {
		p.Walk(func(d syntax.Directive) { parts = append(parts, d) })
	}
	if !slices.Equal(parts, got) {
		t.Errorf("the parts visit %v,\nWalk visits %v", parts, got)
	}
	seen := map[syntax.Directive]bool{}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("directive %d: Walk gives %s, the recursive view %s", i, got[i], want[i])
		}
		if back := tree.Directive(got[i].Ref()); back != got[i] {
			t.Errorf("Ref of %s leads to %s", got[i], back)
		}
		seen[got[i]] = true
	}
	if len(seen) != len(got) {
		t.Errorf("Walk gave %d distinct directives out of %d: the two inclusions of h.conf must differ", len(seen), len(got))
	}
	// FindChildren agrees with Children, for every block and the top.
	blocks := []syntax.Directive{{}}
	for _, d := range got {
		if d.IsBlock() {
			blocks = append(blocks, d)
		}
	}
	for _, b := range blocks {
		kids := spliceIncludes(tree.Directives)
		if !b.IsZero() {
			kids = b.Children()
			var each []syntax.Directive
			for c := range b.EachChild() {
				each = append(each, c)
			}
			if !slices.Equal(each, kids) {
				t.Errorf("EachChild(%v) = %v, Children %v", b, each, kids)
			}
			for stop := range kids {
				n := 0
				for range b.EachChild() {
					if n++; n > stop {
						break
					}
				}
				if n != stop+1 {
					t.Errorf("EachChild(%v) stopped after %d of %d, asked to stop at %d", b, n, len(kids), stop+1)
				}
			}
		}
		for _, name := range []string{"proxy_set_header", "proxy_pass", "server", "listen"} {
			var wantNamed []syntax.Directive
			for _, k := range kids {
				if k.Name() == name {
					wantNamed = append(wantNamed, k)
				}
			}
			found, ok := tree.FindChildren(b, name, 0)
			if !ok {
				t.Errorf("FindChildren(%v, %s) without a limit gave up", b, name)
			}
			// A limit below the block's size gives up; a result it does
			// give is the whole one.
			if few, ok := tree.FindChildren(b, name, 2); ok && (len(kids) > 2 || len(few) != len(wantNamed)) {
				t.Errorf("FindChildren(%v, %s, limit 2) = %v, %v for a block of %d directives", b, name, few, ok, len(kids))
			}
			if fmt.Sprint(found) != fmt.Sprint(wantNamed) || len(found) != len(wantNamed) {
				t.Errorf("FindChildren(%v, %s) = %v, want %v", b, name, found, wantNamed)
				continue
			}
			for i := range found {
				if found[i] != wantNamed[i] {
					t.Errorf("FindChildren(%v, %s)[%d] is another instance than Children gives", b, name, i)
				}
			}
		}
	}
}

// TestTooLargeInMemory checks that the file size limit holds for files
// given in memory or in an nginx -T dump, as for files on disk: the
// included file is not read, and the tree says so.
func TestTooLargeInMemory(t *testing.T) {
	big := strings.Repeat("# ", syntax.MaxFileSize/2+1)
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: map[string]string{
		"/etc/nginx/nginx.conf": "events {}\nhttp { include big.conf; }\n",
		"/etc/nginx/big.conf":   big,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.ReadErrors) != 1 || !strings.Contains(tree.ReadErrors[0].Msg, "big.conf") || !strings.Contains(tree.ReadErrors[0].Msg, "limit") {
		t.Fatalf("read errors = %v, want one naming big.conf and the limit", tree.ReadErrors)
	}
}

// TestDumpTooLarge checks that a dump on standard input larger than
// MaxDumpSize is refused with an error, not read into memory whole.
func TestDumpTooLarge(t *testing.T) {
	const limit = 1 << 10
	dump := "# configuration file /etc/nginx/nginx.conf:\nevents {}\n" + strings.Repeat("# padding\n", 200)
	_, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "-", Stdin: strings.NewReader(dump), MaxDumpSize: limit})
	if err == nil || !strings.Contains(err.Error(), "larger than the 1 KiB") {
		t.Fatalf("a %d-byte dump with a 1 KiB limit: err = %v, want the limit", len(dump), err)
	}
	if _, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "-", Stdin: strings.NewReader(dump[:900]), MaxDumpSize: limit}); err != nil {
		t.Fatalf("a dump under the limit: %v", err)
	}
}

// spliceIncludes returns ds with every include directive replaced by the
// directives it includes, recursively.
func spliceIncludes(ds []syntax.Directive) []syntax.Directive {
	var out []syntax.Directive
	for _, d := range ds {
		if d.IsInclude() {
			out = append(out, spliceIncludes(d.Included())...)
			continue
		}
		out = append(out, d)
	}
	return out
}
