package syntax_test

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestNesting: the directive around an offset is the innermost whose
// text holds it; between directives, the block around; outside any, none.
func TestNesting(t *testing.T) {
	src := "events {}\nhttp {\n  server { listen 80; location / { return 200; } }\n\n  include x.conf;\n}\n# end\n"
	f := &syntax.File{Name: "nginx.conf", Src: src}
	syntax.Parse(f, nginx.Grammar{})
	n := syntax.NewNesting(f)
	name := func(i int) string {
		if i < 0 {
			return "-"
		}
		return n.Dirs[i].Name()
	}
	for _, c := range []struct{ at, want string }{
		{"200", "return"},
		{"location", "location"},
		{"80", "listen"},
		{" location", "server"},
		{"\n\n  include", "http"},
		{"x.conf", "include"},
		{"# end", "-"},
		{"events", "events"},
	} {
		off := strings.Index(src, c.at)
		if got := name(n.Innermost(off)); got != c.want {
			t.Errorf("at %q: %s, want %s", c.at, got, c.want)
		}
	}
	if i := n.Innermost(strings.Index(src, "200")); name(n.Parent[i]) != "location" || name(n.Parent[n.Parent[i]]) != "server" {
		t.Errorf("the blocks around return are not location, then server")
	}
}
