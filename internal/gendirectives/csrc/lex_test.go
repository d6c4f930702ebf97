package csrc

import (
	"slices"
	"testing"
)

// The tests read small C snippets written for them, in the shapes
// nginx modules have; none is a copy of nginx's.

func TestLex(t *testing.T) {
	src := "/* a\n comment */ int x = 1; // rest\n" +
		"#define TWO \\\n    (1 | 2) /* c */\n" +
		"  # if (A)\n" +
		"char *s = \"say \\\"hi\\\"\" \n  \"twice\";\n"
	var got []string
	for _, tk := range Lex(src) {
		switch tk.Kind {
		case Preproc:
			got = append(got, "#"+tk.Text+"|"+tk.Rest)
		case String:
			got = append(got, "S:"+tk.Text)
		default:
			got = append(got, tk.Text)
		}
	}
	want := []string{"int", "x", "=", "1", ";", "#define|TWO      (1 | 2)", "#if|(A)", "char", "*", "s", "=", `S:say "hi"twice`, ";"}
	if !slices.Equal(got, want) {
		t.Errorf("lex:\n got %q\nwant %q", got, want)
	}
	toks := Lex("a\n#if B\nb\n#else\nc\n#endif\nd")
	var live []string
	for _, i := range liveTokens(toks) {
		live = append(live, toks[i].Text)
	}
	if !slices.Equal(live, []string{"a", "b", "d"}) {
		t.Errorf("live tokens %q", live)
	}
	if toks[len(toks)-1].Line != 7 {
		t.Errorf("line of d: %d", toks[len(toks)-1].Line)
	}
}
