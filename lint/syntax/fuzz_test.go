package syntax

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// Fuzz targets. Seed corpora live in testdata/fuzz/FuzzParse and
// testdata/fuzz/FuzzLoad; `go test` runs them as regression tests, and
//
//	go test ./lint/syntax -run='^$' -fuzz='^FuzzParse$' -fuzztime=3m
//	go test ./lint/syntax -run='^$' -fuzz='^FuzzLoad$' -fuzztime=3m
//
// explore further.

// FuzzParse checks that Parse never panics, that every span it returns lies
// inside the file and in order, and that it is deterministic.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		src := string(data)
		file := &File{Name: "fuzz.conf", Src: src}
		errs := Parse(file, nginx.Grammar{})
		checkFile(t, file, errs)
		again := &File{Name: "fuzz.conf", Src: src}
		errs2 := Parse(again, nginx.Grammar{})
		if a, b := snapshot(file, errs), snapshot(again, errs2); a != b {
			t.Fatalf("parsing the same input twice differs:\n%s\n----\n%s", a, b)
		}
	})
}

// checkFile checks the spans of a parsed file.
func checkFile(t *testing.T, f *File, errs []*Error) {
	t.Helper()
	n := len(f.Src)
	for _, e := range errs {
		if e.File != f {
			t.Fatalf("error %q belongs to another file", e.Msg)
		}
		if e.Start < 0 || e.Start > e.End || e.End > n {
			t.Fatalf("error %q has span [%d,%d) outside the file (%d bytes)", e.Msg, e.Start, e.End, n)
		}
		if e.Msg == "" {
			t.Fatalf("error without a message at %d", e.Start)
		}
	}
	last := int32(-1)
	for _, c := range f.Comments {
		if c.Start < 0 || c.Start >= c.End || int(c.End) > n || f.Src[c.Start] != '#' {
			t.Fatalf("comment span [%d,%d) is wrong (file has %d bytes)", c.Start, c.End, n)
		}
		if c.Start < last {
			t.Fatalf("comments out of order at %d", c.Start)
		}
		last = c.End
	}
	checkDirectives(t, f, f.Directives(), 0, int32(n), 1)
}

// checkDirectives checks siblings lying within [lo, hi] at depth.
func checkDirectives(t *testing.T, f *File, ds []Directive, lo, hi int32, depth int) {
	t.Helper()
	if len(ds) > 0 && depth > MaxDepth+1 {
		t.Fatalf("tree deeper than MaxDepth (%d) blocks", MaxDepth)
	}
	prev := lo
	for _, d := range ds {
		where := fmt.Sprintf("directive %q at %d", d.Name(), d.Start())
		if d.File() != f {
			t.Fatalf("%s: wrong file", where)
		}
		if d.Start() < prev || d.Start() >= d.NameEnd() || d.NameEnd() > d.End() || d.End() > hi {
			t.Fatalf("%s: span start %d, name end %d, end %d not within [%d,%d] after %d", where, d.Start(), d.NameEnd(), d.End(), lo, hi, prev)
		}
		at := d.NameEnd()
		for i, a := range d.Args() {
			if a.Start < at || a.Start >= a.End || a.End > d.End() {
				t.Fatalf("%s: argument %d span [%d,%d) not after %d and within the directive (end %d)", where, i, a.Start, a.End, at, d.End())
			}
			checkWord(t, f, a, where)
			at = a.End
		}
		checkWord(t, f, Arg{Value: d.Name(), Start: d.Start(), End: d.NameEnd(), Quote: quoteAt(f.Src, d.Start())}, where)
		switch {
		case hasRaw(d):
			if d.LBrace() < at || raw(d).Start != d.LBrace()+1 || raw(d).End < raw(d).Start || raw(d).End > d.End() {
				t.Fatalf("%s: Lua block spans wrong: { at %d, raw [%d,%d), end %d", where, d.LBrace(), raw(d).Start, raw(d).End, d.End())
			}
			if raw(d).Value != f.Src[raw(d).Start:raw(d).End] {
				t.Fatalf("%s: raw Lua body differs from its span", where)
			}
			if d.RBrace() >= 0 && (d.RBrace() != raw(d).End || f.Src[d.RBrace()] != '}') {
				t.Fatalf("%s: Lua block } at %d, body ends at %d", where, d.RBrace(), raw(d).End)
			}
		case d.LBrace() >= 0:
			if d.LBrace() < at || d.LBrace() >= d.End() || f.Src[d.LBrace()] != '{' {
				t.Fatalf("%s: { at %d is wrong (args end %d, end %d)", where, d.LBrace(), at, d.End())
			}
			inner := d.End()
			if d.RBrace() >= 0 {
				if d.RBrace() != d.End()-1 || f.Src[d.RBrace()] != '}' {
					t.Fatalf("%s: } at %d, end %d", where, d.RBrace(), d.End())
				}
				inner = d.RBrace()
			} else if int(d.End()) != len(f.Src) {
				t.Fatalf("%s: an unclosed block must end at the end of the file, ends at %d", where, d.End())
			}
			checkDirectives(t, f, d.Block(), d.LBrace()+1, inner, depth+1)
		default:
			if d.RBrace() >= 0 || d.Block() != nil {
				t.Fatalf("%s: a directive without { has a } or a block", where)
			}
			if c := f.Src[d.End()-1]; c != ';' && d.End() < int32(len(f.Src)) && f.Src[d.End()] != '}' {
				t.Fatalf("%s: ends at %d with %q, neither after \";\" nor before \"}\"", where, d.End(), c)
			}
		}
		prev = d.End()
	}
}

func quoteAt(src string, i int32) byte {
	if c := src[i]; c == '"' || c == '\'' {
		return c
	}
	return 0
}

// checkWord checks a word's quote and value against its source text.
func checkWord(t *testing.T, f *File, a Arg, where string) {
	t.Helper()
	raw := f.Src[a.Start:a.End]
	if a.Quote != quoteAt(f.Src, a.Start) {
		t.Fatalf("%s: word %q has quote %q", where, raw, a.Quote)
	}
	inner := raw
	if a.Quote != 0 {
		if len(raw) < 2 || raw[len(raw)-1] != a.Quote {
			t.Fatalf("%s: quoted word %q is not closed", where, raw)
		}
		inner = raw[1 : len(raw)-1]
	}
	if !strings.Contains(inner, `\`) && a.Value != inner {
		t.Fatalf("%s: word %q has value %q", where, raw, a.Value)
	}
	if len(a.Value) > len(inner) {
		t.Fatalf("%s: value %q longer than its text %q", where, a.Value, raw)
	}
}

// snapshot renders everything Parse produced, spans included.
func snapshot(f *File, errs []*Error) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "error [%d,%d) %s\n", e.Start, e.End, e.Msg)
	}
	for _, c := range f.Comments {
		fmt.Fprintf(&b, "comment [%d,%d)\n", c.Start, c.End)
	}
	var dump func(ds []Directive, ind string)
	dump = func(ds []Directive, ind string) {
		for _, d := range ds {
			fmt.Fprintf(&b, "%s%q [%d,%d,%d) {%d }%d", ind, d.Name(), d.Start(), d.NameEnd(), d.End(), d.LBrace(), d.RBrace())
			for _, a := range d.Args() {
				fmt.Fprintf(&b, " %q[%d,%d)%c", a.Value, a.Start, a.End, a.Quote)
			}
			if hasRaw(d) {
				fmt.Fprintf(&b, " raw[%d,%d)", raw(d).Start, raw(d).End)
			}
			b.WriteString("\n")
			dump(d.Block(), ind+" ")
		}
	}
	dump(f.Directives(), "")
	return b.String()
}

// fuzzFiles are the files FuzzLoad splits its input into, in order.
var fuzzFiles = []string{
	"/etc/nginx/nginx.conf",
	"/etc/nginx/conf.d/a.conf",
	"/etc/nginx/conf.d/b.conf",
	"/etc/nginx/conf.d/c.conf",
	"/etc/nginx/snippets/d.conf",
}

// fuzzSeparator separates the files in a FuzzLoad input.
const fuzzSeparator = "\x1e"

// loadBudget bounds the time one Load of a fuzz input may take: five small
// files never need it, so exceeding it means Load's work grows out of
// proportion with its input.
const loadBudget = 5 * time.Second

// FuzzLoad splits its input into up to five in-memory files and loads them:
// Load must not panic and must finish quickly, every problem must point
// into its file and be reported once, every file must parse as Parse parses
// it alone, and loading twice must give the same result. The input and the
// tree are also read as nginx -T dumps (see checkDump).
func FuzzLoad(f *testing.F) {
	f.Add([]byte("events {}\nhttp { include conf.d/*.conf; include snippets/d.conf; }\x1eserver { include snippets/d.conf; }\x1e\x1eserver {}\x1elisten 80;"))
	f.Add([]byte("# configuration file /etc/nginx/nginx.conf:\nhttp { include conf.d/*.conf; }\n\n# configuration file /etc/nginx/conf.d/a.conf:\n# configuration file /etc/nginx/conf.d/b.conf:\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		parts := strings.SplitN(string(data), fuzzSeparator, len(fuzzFiles))
		files := map[string]string{}
		for i, p := range parts {
			files[fuzzFiles[i]] = p
		}
		first := timedLoad(t, files)
		second := timedLoad(t, files)
		if a, b := treeSnapshot(first), treeSnapshot(second); a != b {
			t.Fatalf("loading the same files twice differs:\n%s\n----\n%s", a, b)
		}
		checkTree(t, first, true)
		checkDump(t, string(data), first)
	})
}

func timedLoad(t *testing.T, files map[string]string) *Tree {
	t.Helper()
	start := time.Now()
	tree, err := Load(Options{Grammar: nginx.Grammar{}, Files: files, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if d := time.Since(start); d > loadBudget {
		t.Fatalf("Load took %v (%d problems)", d, len(tree.Problems))
	}
	return tree
}

func checkTree(t *testing.T, tree *Tree, noDuplicates bool) {
	t.Helper()
	if tree.Main == nil || len(tree.Files) == 0 || tree.Files[0] != tree.Main {
		t.Fatalf("the main file is not the first file read")
	}
	seen := map[*File]bool{}
	for _, f := range tree.Files {
		if seen[f] {
			t.Fatalf("file %s listed twice", f.Name)
		}
		seen[f] = true
		// The directives of a file are its parse, whatever included it.
		alone := &File{Name: f.Name, Src: f.Src}
		errs := Parse(alone, nginx.Grammar{})
		checkFile(t, alone, errs)
		checkFile(t, f, nil)
		if a, b := snapshot(f, nil), snapshot(alone, nil); a != b {
			t.Fatalf("%s as loaded differs from its parse:\n%s\n----\n%s", f.Name, a, b)
		}
	}
	seenProblem := map[string]bool{}
	for _, p := range append(append([]*Problem{}, tree.Problems...), tree.ReadErrors...) {
		if p.File == nil {
			t.Fatalf("problem %q without a file", p.Msg)
		}
		k := fmt.Sprintf("%s %s [%d,%d) %s", p.Kind, p.File.Name, p.Start, p.End, p.Msg)
		if noDuplicates && seenProblem[k] {
			t.Fatalf("problem reported twice: %s (%d problems in all)", k, len(tree.Problems))
		}
		seenProblem[k] = true
		if p.Start < 0 || p.Start > p.End || p.End > len(p.File.Src) {
			t.Fatalf("problem %q has span [%d,%d) outside %s (%d bytes)", p.Msg, p.Start, p.End, p.File.Name, len(p.File.Src))
		}
	}
	// Every directive of the expanded tree has the right parent, and the
	// expansion is finite.
	count := 0
	var walk func(ds []Directive, parent Directive)
	walk = func(ds []Directive, parent Directive) {
		for _, d := range ds {
			if count++; count > 10*MaxInstances {
				t.Fatalf("expanded tree has more than %d directives", 10*MaxInstances)
			}
			if d.Parent() != parent {
				t.Fatalf("directive %q at %s has the wrong parent", d.Name(), d.File().Position(int(d.Start())))
			}
			walk(d.Block(), d)
			walk(d.Included(), d)
		}
	}
	walk(tree.Directives, Directive{})
}

// treeSnapshot renders a loaded tree: problems, files and the expanded
// directives.
func treeSnapshot(tree *Tree) string {
	var b strings.Builder
	fmt.Fprintf(&b, "context %s inferred=%v\n", tree.Context, tree.Inferred)
	for _, f := range tree.Files {
		fmt.Fprintf(&b, "file %s\n", f.Name)
	}
	for _, p := range tree.Problems {
		fmt.Fprintf(&b, "problem %s %s [%d,%d) %s\n", p.Kind, p.File.Name, p.Start, p.End, p.Msg)
	}
	for _, p := range tree.ReadErrors {
		fmt.Fprintf(&b, "read %s %s [%d,%d) %s\n", p.Kind, p.File.Name, p.Start, p.End, p.Msg)
	}
	n := 0
	var dump func(ds []Directive, depth int)
	dump = func(ds []Directive, depth int) {
		for _, d := range ds {
			if n++; n > 20000 {
				return
			}
			fmt.Fprintf(&b, "%d %s:%d %q %d\n", depth, d.File().Name, d.Start(), d.Name(), d.NArgs())
			dump(d.Block(), depth+1)
			dump(d.Included(), depth+1)
		}
	}
	dump(tree.Directives, 0)
	return b.String()
}

// TestLoadCycleProblemsOnce: four files that each include conf.d/*.conf
// (themselves and each other) ten times. Every include cycle should be
// reported once per include directive, not once per include instance: today
// Load reports 192,300 problems for these 920 bytes, most of them exact
// duplicates (with 20 lines per file: about 3 million problems, 18 s).
func TestLoadCycleProblemsOnce(t *testing.T) {
	inc := strings.Repeat("include conf.d/*.conf;\n", 10)
	tree, err := Load(Options{Grammar: nginx.Grammar{}, Path: "/etc/nginx/nginx.conf", Files: map[string]string{
		"/etc/nginx/nginx.conf":    inc,
		"/etc/nginx/conf.d/a.conf": inc,
		"/etc/nginx/conf.d/b.conf": inc,
		"/etc/nginx/conf.d/c.conf": inc,
	}})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, p := range tree.Problems {
		seen[fmt.Sprintf("%s:%d: %s", p.File.Name, p.Start, p.Msg)]++
	}
	dups := len(tree.Problems) - len(seen)
	if dups > 0 || len(tree.Problems) > 1000 {
		t.Errorf("%d problems, %d of them duplicates, for 40 include directives", len(tree.Problems), dups)
	}
}

// raw returns the raw body of a Lua block, the zero Arg for others.
func raw(d Directive) Arg {
	a, _ := d.Raw()
	return a
}

func hasRaw(d Directive) bool {
	_, ok := d.Raw()
	return ok
}
