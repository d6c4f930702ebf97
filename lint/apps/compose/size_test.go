package compose

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestTooLarge: compose files whose mappings or lists are too long, or
// that hold too many values, are not given to the YAML decoder and
// compose-go, whose cost grows faster than the file (a mapping of
// 100,000 environment variables took 30 s); the problem is at the
// mapping or list.
func TestTooLarge(t *testing.T) {
	entries := func(n int, format string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i, i)
		}
		return b.String()
	}
	head := "services:\n  s1:\n    image: x\n"
	for _, c := range []struct {
		name, src string
		line      int
		want      string
	}{
		{"environment mapping", head + "    environment:\n" + entries(maxEntries+1, "      K%d: v%d\n"), 5, "a mapping of 1001 keys"},
		{"environment list", head + "    environment:\n" + entries(maxEntries+1, "      - K%d=v%d\n"), 5, "a list of 1001 entries"},
		{"services", "services:\n" + entries(maxEntries+1, "  s%d:\n    image: x%d\n"), 2, "a mapping of 1001 keys"},
		{"values in all", entries(12, "x-%d%d:\n"+strings.Repeat("  - [a, b, c, d, e, f, g, h, i]\n", 999)) + head, 0, "more than 100000 values"},
	} {
		p, probs := Read(&syntax.File{Name: "/x/compose.yaml", Src: c.src}, nil, nil)
		if p != nil || len(probs) != 1 || !strings.Contains(probs[0].Msg, c.want) {
			t.Errorf("%s: project %v, problems %v", c.name, p != nil, probs)
			continue
		}
		if pos := probs[0].Span.File.Position(probs[0].Span.Start); c.line > 0 && pos.Line != c.line {
			t.Errorf("%s: the problem is at %s, want line %d", c.name, pos, c.line)
		}
	}
	ok := head + "    environment:\n" + entries(maxEntries, "      K%d: v%d\n")
	if p, probs := Read(&syntax.File{Name: "/x/compose.yaml", Src: ok}, nil, nil); p == nil || len(p.Service("s1").Environment) != maxEntries {
		t.Errorf("an environment of %d variables: %v", maxEntries, probs)
	}
}
