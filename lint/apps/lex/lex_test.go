package lex

import (
	"slices"
	"strings"
	"testing"
)

// toks splits s at blanks; every word but "s" (a string token whose text
// happens to be a bracket) is an operator or a name.
func toks(s string) []string { return strings.Fields(s) }

func op(t string) string {
	if t == "name" || strings.HasPrefix(t, "'") {
		return ""
	}
	return t
}

func TestBrackets(t *testing.T) {
	ts := toks("( a '(' [ b , c ] ) , d = e , ( f = g ) = h")
	if i := Matching(ts, op); i != 8 {
		t.Errorf("Matching = %d, want 8 (a quoted bracket is no bracket)", i)
	}
	if i := Find(ts, op, "="); i != 11 {
		t.Errorf("Find = = %d, want 11", i)
	}
	if i := Find(ts, op, ";"); i != -1 {
		t.Errorf("Find ; = %d, want -1", i)
	}
	var parts []string
	for _, p := range Split(ts, op, ",") {
		parts = append(parts, strings.Join(p, " "))
	}
	if want := []string{"( a '(' [ b , c ] )", "d = e", "( f = g ) = h"}; !slices.Equal(parts, want) {
		t.Errorf("Split = %q, want %q", parts, want)
	}
	var top []int
	for i := range TopLevel(ts, op) {
		top = append(top, i)
	}
	if want := []int{0, 9, 10, 11, 12, 13, 14, 19, 20}; !slices.Equal(top, want) {
		t.Errorf("TopLevel = %v, want %v", top, want)
	}
	if i := Matching(toks(") ("), op); i != -1 {
		t.Errorf("Matching of an unopened close = %d, want -1", i)
	}
	if got := Split(nil, op, ","); len(got) != 1 || len(got[0]) != 0 {
		t.Errorf("Split of nothing = %q, want one empty part", got)
	}
	if o := Operator("**=x", []string{"**=", "**", "*"}); o != "**=" {
		t.Errorf("Operator = %q", o)
	}
}
