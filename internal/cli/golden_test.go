package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/internal/golden"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/lint/workspace"
	"github.com/nginxlint/nginxlint/rules"
)

// TestGolden runs the command line on every case under
// testdata/<topic>/*.txtar: cases about the command line itself (paths,
// flags, standard input, output formats, exit codes, the manifest
// lookup). The rules' own cases run through the driver, in the
// repository's top-level testdata.
//
// A case is a txtar archive: its comment says what it shows; its files are
// written to a temporary directory, which becomes the working directory
// (see golden.WriteFiles). Special sections:
//
//	args   the command line (default: etc/nginx)
//	stdin  what the command reads on standard input
//	want   what it prints (stdout, then stderr lines prefixed "stderr: "),
//	       and its exit code
//	tree   (optional) the files read and the directive outline of the
//	       loaded tree, each directive with its context
//	chmod  (optional) "MODE PATH" lines: permissions set after writing
//
// go test ./internal/cli -run Golden -update rewrites want and tree.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases found: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(file), "testdata/"), ".txtar")
		abs, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) { runGolden(t, abs) })
	}
}

// cliSections are the sections of a case that are not files.
var cliSections = map[string]bool{"args": true, "stdin": true, "want": true, "tree": true, "chmod": true}

func runGolden(t *testing.T, file string) {
	ar := golden.Parse(t, file)
	args := []string{"etc/nginx"}
	var stdin string
	hasWant, hasTree := false, false
	for _, f := range ar.Files {
		switch f.Name {
		case "args":
			args = strings.Fields(string(f.Data))
		case "stdin":
			stdin = string(f.Data)
		case "want":
			hasWant = true
		case "tree":
			hasTree = true
		}
	}
	if !hasWant {
		t.Fatalf("%s has no want section", file)
	}
	dir := t.TempDir()
	golden.WriteFiles(t, dir, ar, func(name string) bool { return cliSections[name] })
	for _, f := range ar.Files {
		if f.Name != "chmod" {
			continue
		}
		for _, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
			var mode os.FileMode
			var name string
			if _, err := fmt.Sscanf(line, "%o %s", &mode, &name); err != nil {
				t.Fatalf("chmod line %q: %v", line, err)
			}
			if err := os.Chmod(filepath.Join(dir, filepath.FromSlash(name)), mode); err != nil {
				t.Fatal(err)
			}
		}
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

	results := map[string]string{"want": got.String()}
	if hasTree {
		results["tree"] = outline(loadLikeCLI(t, args, stdin))
	}
	golden.Check(t, file, ar, results)
}

// loadLikeCLI loads the trees the way the command line does: an nginx
// -T dump, or the trees the paths belong to, each whole.
func loadLikeCLI(t *testing.T, args []string, stdin string) []*syntax.Tree {
	opt := syntax.Options{Stdin: strings.NewReader(stdin), Grammar: nginx.Grammar{}}
	lopt := workspace.LoadOptions{Grammar: nginx.Grammar{}, Known: func(n string) bool { return nginx.Lookup(n) != nil }}
	wopt := workspace.Options{Known: lopt.Known}
	var paths []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--prefix" || a == "--context" || a == "--manifest" || a == "--format" || a == "--fail-on" || a == "--root" || a == "--stock" || a == "--config":
			switch a {
			case "--prefix":
				opt.Prefix, lopt.Prefix = args[i+1], args[i+1]
			case "--context":
				opt.Context, lopt.Context = args[i+1], args[i+1]
			case "--root":
				wopt.Root = args[i+1]
			case "--stock":
				lopt.Stock = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "-") && a != "-":
		default:
			paths = append(paths, a)
		}
	}
	if len(paths) == 1 && paths[0] == "-" {
		opt.Path = "-"
		tree, err := syntax.Load(opt)
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		return []*syntax.Tree{tree}
	}
	trees, _, err := workspace.Find(paths, wopt, nil)
	if err != nil {
		t.Fatalf("find: %v", err)
	}
	var out []*syntax.Tree
	for _, wt := range trees {
		ld, err := workspace.Load(wt, lopt)
		if err != nil {
			t.Fatalf("load: %v", err)
		}
		out = append(out, ld.Trees...)
	}
	return out
}

// outline renders the files and directives of trees; a fragment's tree
// is headed by its file.
func outline(trees []*syntax.Tree) string {
	var b strings.Builder
	for _, tree := range trees {
		if tree.Fragment {
			fmt.Fprintf(&b, "fragment: %s\n", tree.Main.Name)
		}
		outlineTree(&b, tree)
	}
	return b.String()
}

func outlineTree(b *strings.Builder, tree *syntax.Tree) {
	fmt.Fprintf(b, "context: %s\n", tree.Context)
	for _, f := range tree.Files {
		fmt.Fprintf(b, "file: %s (%s)\n", f.Name, f.Virtual)
	}
	var walk func(ds []syntax.Directive, depth int)
	walk = func(ds []syntax.Directive, depth int) {
		for _, d := range ds {
			fmt.Fprintf(b, "%s%s  @%s in %s\n", strings.Repeat("  ", depth), d.String(), d.File().Position(int(d.Start())), d.Context(tree.Context))
			walk(d.Block(), depth+1)
			walk(d.Included(), depth+1)
		}
	}
	walk(tree.Directives, 0)
}
