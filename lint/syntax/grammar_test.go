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

// blockGrammar says every name in blocks always takes a block and every
// other name never does.
type blockGrammar struct{ blocks string }

func (g blockGrammar) TakesBlock(name string) (always, never bool) {
	in := slices.Contains(strings.Fields(g.blocks), name)
	return in, !in
}
func (blockGrammar) DataBlock(string) bool              { return false }
func (blockGrammar) LuaBlock(string) bool               { return false }
func (blockGrammar) SnippetContext(string, bool) string { return "" }
func (blockGrammar) Stream(string, bool) bool           { return false }

// listGrammar is blockGrammar with a field that cannot be compared.
type listGrammar struct{ blocks []string }

func (g listGrammar) TakesBlock(name string) (always, never bool) {
	in := slices.Contains(g.blocks, name)
	return in, !in
}
func (listGrammar) DataBlock(string) bool              { return false }
func (listGrammar) LuaBlock(string) bool               { return false }
func (listGrammar) SnippetContext(string, bool) string { return "" }
func (listGrammar) Stream(string, bool) bool           { return false }

// TestGrammarAnswersRemembered checks the parser's memory of what the
// grammar says of a name: names that fall in one slot of it (same
// length, first, middle and last byte) keep their own answers, a second
// grammar is not answered from the first one's, and a grammar that
// cannot be compared is asked every time.
func TestGrammarAnswersRemembered(t *testing.T) {
	const src = "axcxe;\naycye { }\naxcxe { }\naycye;\n"
	msgs := func(g Grammar) string {
		var out []string
		for range 2 { // the second parse starts from what the first remembered
			for _, e := range Parse(&File{Name: "x.conf", Src: src}, g) {
				out = append(out, e.Msg)
			}
		}
		return strings.Join(out, "; ")
	}
	for _, tt := range []struct {
		g    Grammar
		want string
	}{
		{blockGrammar{"axcxe"}, `directive "axcxe" has no opening "{"; directive "aycye" is not terminated by ";"`},
		{blockGrammar{"aycye"}, `directive "axcxe" is not terminated by ";"; directive "aycye" has no opening "{"`},
		{listGrammar{[]string{"axcxe"}}, `directive "axcxe" has no opening "{"; directive "aycye" is not terminated by ";"`},
		{listGrammar{[]string{"aycye"}}, `directive "axcxe" is not terminated by ";"; directive "aycye" has no opening "{"`},
	} {
		want := tt.want + "; " + tt.want
		if got := msgs(tt.g); got != want {
			t.Errorf("%#v:\n got %s\nwant %s", tt.g, got, want)
		}
	}
}

// TestGrammarAnswersForgotten checks that remembered answers are of one
// grammar: a cache filled under one is emptied for another.
func TestGrammarAnswersForgotten(t *testing.T) {
	g1, g2 := blockGrammar{"axcxe"}, blockGrammar{"other"}
	c := new(kindCache).of(g1)
	p := &parser{g: g1, kinds: c}
	if always, _ := p.takesBlock("axcxe"); !always {
		t.Fatal("axcxe should take a block under the first grammar")
	}
	if c.of(g1) != c || c.g != Grammar(g1) {
		t.Fatal("the cache of a grammar is kept for it")
	}
	p = &parser{g: g2, kinds: c.of(g2)}
	if always, never := p.takesBlock("axcxe"); always || !never {
		t.Errorf("axcxe under the second grammar: always %v never %v, the first grammar's answer", always, never)
	}
}
