package rules_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/ruledoc"
	"github.com/nginxlint/nginxlint/rules"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/rules.md from the rules' documentation")

// rulesDoc is the generated rule documentation that ruledoc.URL points
// into.
const rulesDoc = "../docs/rules.md"

// TestRulesDoc checks that docs/rules.md is what ruledoc.Markdown makes
// of the rules. go test ./rules -run TestRulesDoc -update-docs rewrites it.
func TestRulesDoc(t *testing.T) {
	want := ruledoc.Markdown(rules.All())
	if *updateDocs {
		if err := os.MkdirAll(filepath.Dir(rulesDoc), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(rulesDoc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatalf("%v: run go test ./rules -run TestRulesDoc -update-docs", err)
	}
	if string(got) != want {
		t.Errorf("docs/rules.md is stale (%s): run go test ./rules -run TestRulesDoc -update-docs", docsDiff(string(got), want))
	}
	// Every rule's documentation URL has its anchor.
	for _, r := range rules.All() {
		id := strings.TrimPrefix(ruledoc.URL(r.ID), ruledoc.DocsURL+"#")
		if !strings.Contains(want, `<a id="`+id+`"></a>`) {
			t.Errorf("rule %s: no anchor %q in docs/rules.md", r.ID, id)
		}
	}
}

// docsDiff describes the first line where have and want differ.
func docsDiff(have, want string) string {
	h, w := strings.Split(have, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(h) || i < len(w); i++ {
		switch {
		case i >= len(h):
			return fmt.Sprintf("line %d: have end of file, want %q", i+1, w[i])
		case i >= len(w):
			return fmt.Sprintf("line %d: have %q, want end of file", i+1, h[i])
		case h[i] != w[i]:
			return fmt.Sprintf("line %d: have %q, want %q", i+1, h[i], w[i])
		}
	}
	return "no difference"
}
