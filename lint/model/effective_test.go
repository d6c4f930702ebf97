package model_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/golden"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestEffectiveGolden checks the effective-configuration model on the
// cases under testdata/effective/*.txtar. A case's comment says what it
// shows; its files are a tree, etc/nginx, and its effective section
// lists, for every server, location, if and limit_except block, the
// effective settings of a few directives after nginx's inheritance, where
// each comes from, and what it hides.
//
// go test ./lint/model -run Golden -update rewrites the effective sections.
func TestEffectiveGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/effective/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no effective cases found: %v", err)
	}
	for _, file := range files {
		abs, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar := golden.Parse(t, abs)
			dir := t.TempDir()
			golden.WriteFiles(t, dir, ar, func(name string) bool { return name == "effective" })
			t.Chdir(dir)
			tree, err := syntax.Load(syntax.Options{Path: golden.TreePath, Grammar: nginx.Grammar{}})
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, abs, ar, map[string]string{"effective": effective(tree)})
		})
	}
}

// effectiveNames are the directives the effective sections show: a normal
// one, array ones, and a pass directive.
var effectiveNames = []string{"proxy_http_version", "proxy_set_header", "add_header", "proxy_read_timeout", "proxy_pass"}

// effective renders, for every server, location and if block, the
// effective settings the inheritance model computes.
func effective(tree *syntax.Tree) string {
	ix := model.NewIndex(tree)
	var b strings.Builder
	var all []syntax.Directive
	tree.Walk(func(d syntax.Directive) { all = append(all, d) })
	for _, d := range all {
		switch d.Name() {
		case "server", "location", "if", "limit_except":
		default:
			continue
		}
		if !d.IsBlock() {
			continue
		}
		fmt.Fprintf(&b, "%s @%s\n", d.String(), d.File().Position(int(d.Start())))
		for _, name := range effectiveNames {
			s := ix.Effective(d, name)
			if !s.IsSet() {
				continue
			}
			from := "here"
			if s.Inherited {
				from = "inherited from " + tree.Context
				if !s.Level.IsZero() {
					from = "inherited from " + s.Level.Name() + " @" + s.Level.File().Position(int(s.Level.Start())).String()
				}
			}
			for _, x := range s.Directives {
				fmt.Fprintf(&b, "  %s  (%s, %s)\n", x.String(), from, x.File().Position(int(x.Start())))
			}
			if hidden, _ := ix.Shadowed(d, name); hidden.IsSet() {
				for _, x := range hidden.Directives {
					fmt.Fprintf(&b, "  hidden: %s  (%s)\n", x.String(), x.File().Position(int(x.Start())))
				}
			}
		}
	}
	return b.String()
}
