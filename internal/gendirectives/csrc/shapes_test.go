package csrc

import "testing"

func TestExpand(t *testing.T) {
	fm := FuncMacro{Params: []string{"name", "field"}, Body: ` { ngx_string("pre_" #name), handler_##field, offsetof(s_t, field), "#name" }`}
	got := expand(fm, [][]Token{Lex("hits"), Lex("a . b")})
	want := ` { ngx_string("pre_" "hits"), handler_a . b, offsetof(s_t, a . b), "#name" }`
	if got != want {
		t.Errorf("expand:\n got %s\nwant %s", got, want)
	}
}
