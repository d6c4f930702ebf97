package rules_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/rules"
)

var update = flag.Bool("update", false, "rewrite the want and tree sections of the golden files")

// TestGolden runs nginxlint on every case under testdata/<rule>/*.txtar.
//
// A case is a txtar archive: its comment says what it shows; its files are
// written to a temporary directory, which becomes the working directory
// (a file named "LINK -> TARGET" becomes a symbolic link). Special sections:
//
//	args   the command line (default: etc/nginx)
//	stdin  what the command reads on standard input
//	want   what it prints (stdout, then stderr lines prefixed "stderr: "),
//	       and its exit code
//	tree   (optional) the files read and the directive outline of the
//	       loaded tree, each directive with its context
//	effective (optional) for every server, location and if block, the
//	       effective settings of a few directives after nginx's
//	       inheritance, and where each comes from
//
// go test ./rules -run Golden -update rewrites want and tree.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases found: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "testdata/"), ".txtar")
		abs, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) { runGolden(t, abs) })
	}
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	args := []string{"etc/nginx"}
	var stdin string
	wantIdx, treeIdx, effIdx := -1, -1, -1
	for i, f := range ar.Files {
		switch f.Name {
		case "args":
			args = strings.Fields(string(f.Data))
			continue
		case "stdin":
			stdin = string(f.Data)
			continue
		case "want":
			wantIdx = i
			continue
		case "tree":
			treeIdx = i
			continue
		case "effective":
			effIdx = i
			continue
		}
		writeCaseFile(t, dir, f)
	}
	if wantIdx < 0 {
		t.Fatalf("%s has no want section", file)
	}
	t.Chdir(dir)

	var stdout, stderr bytes.Buffer
	code := cli.Main(args, rules.All(), cli.Env{Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr})
	var got strings.Builder
	got.WriteString(stdout.String())
	for _, line := range strings.SplitAfter(stderr.String(), "\n") {
		if line != "" {
			got.WriteString("stderr: " + line)
		}
	}
	fmt.Fprintf(&got, "exit: %d\n", code)

	results := map[int]string{wantIdx: got.String()}
	if treeIdx >= 0 || effIdx >= 0 {
		tree := loadLikeCLI(t, args, stdin)
		if treeIdx >= 0 {
			results[treeIdx] = outline(tree)
		}
		if effIdx >= 0 {
			results[effIdx] = effective(tree)
		}
	}
	changed := false
	for i, text := range results {
		if string(ar.Files[i].Data) == text {
			continue
		}
		if *update {
			ar.Files[i].Data = []byte(text)
			changed = true
			continue
		}
		t.Errorf("%s: section %q differs\n--- want\n%s--- got\n%s", file, ar.Files[i].Name, ar.Files[i].Data, text)
	}
	if changed {
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeCaseFile(t *testing.T, dir string, f txtar.File) {
	name, target, link := strings.Cut(f.Name, " -> ")
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if link {
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return
	}
	if strings.HasSuffix(name, "/") {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(p, f.Data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// loadLikeCLI loads the tree the way the command line does.
func loadLikeCLI(t *testing.T, args []string, stdin string) *syntax.Tree {
	opt := syntax.Options{Stdin: strings.NewReader(stdin)}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--prefix" || a == "--context" || a == "--manifest" || a == "--format" || a == "--fail-on":
			if a == "--prefix" {
				opt.Prefix = args[i+1]
			}
			if a == "--context" {
				opt.Context = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "-") && a != "-":
		default:
			opt.Path = a
		}
	}
	tree, err := syntax.Load(opt)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return tree
}

// outline renders the files and directives of a tree.
func outline(tree *syntax.Tree) string {
	var b strings.Builder
	fmt.Fprintf(&b, "context: %s\n", tree.Context)
	for _, f := range tree.Files {
		fmt.Fprintf(&b, "file: %s (%s)\n", f.Name, f.Virtual)
	}
	var walk func(ds []syntax.Directive, depth int)
	walk = func(ds []syntax.Directive, depth int) {
		for _, d := range ds {
			fmt.Fprintf(&b, "%s%s  @%s in %s\n", strings.Repeat("  ", depth), d.String(), d.File().Position(int(d.Start())), d.Context(tree.Context))
			walk(d.Block(), depth+1)
			walk(d.Included(), depth+1)
		}
	}
	walk(tree.Directives, 0)
	return b.String()
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
