package rules_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/rules"
)

// TestSyntaxDocLimits checks that the syntax rule's documentation gives
// the parser's limits as the code has them, and no other number.
func TestSyntaxDocLimits(t *testing.T) {
	doc := rules.Syntax.Doc
	limits := map[string]int{"MaxDepth": syntax.MaxDepth, "MaxToken": syntax.MaxToken}
	want := map[string]bool{}
	for name, v := range limits {
		n := strconv.Itoa(v)
		want[n] = true
		if !strings.Contains(doc, n) {
			t.Errorf("the doc does not mention syntax.%s (%s):\n%s", name, n, doc)
		}
	}
	for _, n := range regexp.MustCompile(`\d+`).FindAllString(doc, -1) {
		if !want[n] {
			t.Errorf("the doc mentions %s, which is none of the parser's limits (%v): write it from the constant", n, limits)
		}
	}
}
