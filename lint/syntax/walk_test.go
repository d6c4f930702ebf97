package syntax

import (
	"slices"
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

// TestEachInBlockAndIncluded checks the iterators against the slices
// they stand for, for every directive of a tree with includes (one file
// twice, an empty file, a glob, a missing file) and an early stop.
func TestEachInBlockAndIncluded(t *testing.T) {
	tree := loadFiles(t, map[string]string{
		"/etc/nginx/nginx.conf":    "http { include a.conf; include a.conf; include empty.conf; include conf.d/*.conf; include missing.conf; server { listen 80; location / { return 204; } } }\n",
		"/etc/nginx/a.conf":        "server { listen 81; } map $a $b { default 1; }\n",
		"/etc/nginx/empty.conf":    "",
		"/etc/nginx/conf.d/x.conf": "server { listen 82; }\n",
		"/etc/nginx/conf.d/y.conf": "upstream u { server 127.0.0.1:1; }\n",
	})
	checked := 0
	tree.Walk(func(d Directive) {
		if got, want := slices.Collect(d.EachInBlock()), d.Block(); !slices.Equal(got, want) {
			t.Errorf("%s: EachInBlock = %v, Block = %v", d, got, want)
		}
		if got, want := slices.Collect(d.EachIncluded()), d.Included(); !slices.Equal(got, want) {
			t.Errorf("%s: EachIncluded = %v, Included = %v", d, got, want)
		}
		if got, want := d.NumIncluded(), len(d.IncludedFiles()); got != want {
			t.Errorf("%s: NumIncluded = %d, IncludedFiles has %d", d, got, want)
		}
		if len(d.Included()) > 1 {
			for range d.EachIncluded() {
				break // the iterator stops when asked
			}
			checked++
		}
	})
	if checked == 0 {
		t.Fatal("the tree has no include of several directives; the test checks nothing")
	}
}
