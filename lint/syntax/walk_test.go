package syntax

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

func loadFiles(t *testing.T, files map[string]string) *Tree {
	t.Helper()
	tree, err := Load(Options{Grammar: nginx.Grammar{}, Files: files, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestSet checks that a Set tells every directive of a tree apart, the
// inclusions of one file included twice and the top level included.
func TestSet(t *testing.T) {
	tree := loadFiles(t, map[string]string{
		"/etc/nginx/nginx.conf": "http { include a.conf; include a.conf; server { listen 80; } }\n",
		"/etc/nginx/a.conf":     "server { listen 81; }\n",
	})
	s := tree.NewSet()
	var all []Directive
	tree.Walk(func(d Directive) { all = append(all, d) })
	all = append(all, Directive{})
	for _, d := range all {
		if !s.Add(d) {
			t.Errorf("Add(%v) the first time = false", d)
		}
	}
	for _, d := range all {
		if s.Add(d) {
			t.Errorf("Add(%v) the second time = true", d)
		}
	}
	// The two inclusions of a.conf are different directives.
	servers := 0
	for _, d := range all {
		if !d.IsZero() && d.Name() == "server" {
			servers++
		}
	}
	if servers != 3 {
		t.Fatalf("found %d server blocks, want 3", servers)
	}
	other := loadFiles(t, map[string]string{"/etc/nginx/nginx.conf": "events {}\n"})
	defer func() {
		if recover() == nil {
			t.Error("Add of a directive of another tree did not panic")
		}
	}()
	s.Add(other.Directives[0])
}
