package apps_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/lint/apps"
)

// TestExcerpt: source text on one line, shortened at a character's
// boundary, short text kept as it is.
func TestExcerpt(t *testing.T) {
	if got := apps.Excerpt("os.environ.get(\n    'BIND')"); got != "os.environ.get( 'BIND')" {
		t.Errorf("Excerpt = %q", got)
	}
	for _, s := range []string{strings.Repeat("é", 100), strings.Repeat("a", 76) + "日本語", strings.Repeat("x ", 300)} {
		got := apps.Excerpt(s)
		if !utf8.ValidString(got) || len(got) > 80 || !strings.HasSuffix(got, "...") {
			t.Errorf("Excerpt(%.20q...) = %q (%d bytes)", s, got, len(got))
		}
	}
}
