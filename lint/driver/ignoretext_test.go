package driver

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint"
)

// TestIgnoreCommentRoundTrip: the comments IgnoreComment writes are read
// back by ApplySuppressions and suppress what they name.
func TestIgnoreCommentRoundTrip(t *testing.T) {
	if got, want := IgnoreComment([]string{"backend-drift", "proxy-pass-scheme"}, " legacy\nport ", false), "# nginxlint:ignore backend-drift,proxy-pass-scheme legacy port"; got != want {
		t.Errorf("IgnoreComment = %q, want %q", got, want)
	}
	conf := "http {\n" +
		"    server {\n" +
		"        " + IgnoreComment([]string{"backend-drift", "proxy-pass-scheme"}, "legacy", false) + "\n" +
		"        location / { proxy_pass 127.0.0.1:1; }\n" +
		"    }\n" +
		"}\n"
	upstreams := IgnoreComment([]string{"upstream-primaries-down"}, "maintenance switch", true) + "\n" +
		"upstream u { server 127.0.0.1:2 down; }\n"
	tree := loadFiles(t, map[string]string{"/etc/nginx/nginx.conf": conf + "include /etc/nginx/u.conf;\n", "/etc/nginx/u.conf": upstreams})
	main, u := treeFile(t, tree, "/etc/nginx/nginx.conf"), treeFile(t, tree, "/etc/nginx/u.conf")
	diags := []lint.Diagnostic{
		finding(t, main, "backend-drift", "127.0.0.1:1", 1),
		finding(t, main, "proxy-pass-scheme", "127.0.0.1:1", 1),
		finding(t, u, "upstream-primaries-down", "127.0.0.1:2", 1),
	}
	checkSuppress(t, tree, diags, "")
}

func TestCanSuppress(t *testing.T) {
	for _, c := range []struct {
		rule        string
		onDirective bool
		want        bool
	}{
		{"backend-drift", false, true},
		{"syntax", true, false},
		{"include", true, false},
		{IgnoreRuleID, true, false},
		{"include-outside-tree", true, true},
		{"include-outside-tree", false, false},
	} {
		if got := CanSuppress(c.rule, c.onDirective); got != c.want {
			t.Errorf("CanSuppress(%s, %v) = %v", c.rule, c.onDirective, got)
		}
	}
}
