package syntax

import (
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// nginx.Grammar is the grammar every caller passes.
var _ Grammar = nginx.Grammar{}

// TestGrammar checks what the parser and the loader take from the grammar,
// and that a nil Grammar knows no directive.
func TestGrammar(t *testing.T) {
	const src = "http;\nlisten 80 { }\nmap $a $b {\n    x { }\n}\ncontent_by_lua_block { if x then y() end }\n"
	msgs := func(g Grammar) []string {
		var out []string
		for _, e := range Parse(&File{Name: "x.conf", Src: src}, g) {
			out = append(out, e.Msg)
		}
		return out
	}
	want := []string{
		`directive "http" has no opening "{"`,
		`directive "listen" is not terminated by ";"`,
		`unexpected "{"`, // a block inside map's data
	}
	if got := msgs(nginx.Grammar{}); !slices.Equal(got, want) {
		t.Errorf("with nginx's grammar: %q, want %q", got, want)
	}
	// Without a grammar the terminators are not checked, map holds
	// directives, and the Lua code is read as nginx directives: its "}"
	// closes the block early.
	if got, want := msgs(nil), []string{`unexpected "}"`}; !slices.Equal(got, want) {
		t.Errorf("with no grammar: %q, want %q", got, want)
	}

	for _, tt := range []struct {
		src      string
		g        Grammar
		inferred string
	}{
		{"events {}\nhttp {}\n", nginx.Grammar{}, "main"},
		{"server { listen 80; }\n", nginx.Grammar{}, "http"},
		{"server 127.0.0.1:80;\n", nginx.Grammar{}, "location"},
		{"listen 80;\nlocation / {}\n", nginx.Grammar{}, "server"},
		{"root /srv;\n", nginx.Grammar{}, "location"},
		{"", nginx.Grammar{}, "main"},
	} {
		tree, err := Load(Options{Grammar: tt.g, Files: map[string]string{"/etc/nginx/x.conf": tt.src}, Path: "/etc/nginx/x.conf"})
		if err != nil {
			t.Fatal(err)
		}
		if tree.Context != tt.inferred || !tree.Inferred {
			t.Errorf("%q with grammar %T: context %q, want %q inferred", tt.src, tt.g, tree.Context, tt.inferred)
		}
	}
}

// TestLoadNeedsGrammar: Load refuses to read a tree as if nginx had no
// directives.
func TestLoadNeedsGrammar(t *testing.T) {
	_, err := Load(Options{Files: map[string]string{"/etc/nginx/nginx.conf": "events {}\n"}, Path: "/etc/nginx/nginx.conf"})
	if err == nil || !strings.Contains(err.Error(), "Grammar is nil") {
		t.Errorf("Load without a grammar: %v", err)
	}
}
