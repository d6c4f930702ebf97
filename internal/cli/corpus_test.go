package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/stock"
	"github.com/nginxlint/nginxlint/lint/workspace"
	"github.com/nginxlint/nginxlint/rules"
)

// corpusDir returns the corpus of real configurations (NGINXLINT_CORPUS,
// or ../shared/corpus beside the repository), or skips.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NGINXLINT_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("no corpus of real configurations at %s (set NGINXLINT_CORPUS)", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

type jsonFinding struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
}

func (f jsonFinding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s [%s]", f.File, f.Line, f.Column, f.Message, f.Rule)
}

// lintJSON runs the command with --format json and returns its findings
// and exit code.
func lintJSON(t *testing.T, args ...string) ([]jsonFinding, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(append([]string{"--format", "json"}, args...), rules.All(), cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	var out struct {
		Diagnostics []jsonFinding `json:"diagnostics"`
	}
	if code != cli.ExitFailure {
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("nginxlint %s: output is not JSON: %v", strings.Join(args, " "), err)
		}
	}
	return out.Diagnostics, code, stderr.String()
}

var looksFor = regexp.MustCompile(`does not exist \(nginx looks for (/etc/nginx/\S+)\)`)

// TestCorpusTrees lints every item of the corpus of real configurations
// the way repositories hold them, and checks what issue "a file belongs
// to a tree" promises:
//   - no include is reported missing whose file is in the tree, or is a
//     file the nginx package installs;
//   - every configuration file of every tree is read (by the main file
//     or as a fragment);
//   - a file's findings are the same whether the file or the whole
//     directory is named.
func TestCorpusTrees(t *testing.T) {
	corpus := corpusDir(t)
	t.Chdir(corpus)
	items, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	known := func(n string) bool { return nginx.Lookup(n) != nil }
	var files, falseMissing, named int
	for _, it := range items {
		if !it.IsDir() {
			continue
		}
		item := it.Name()
		whole, code, stderr := lintJSON(t, "--all", item)
		if code == cli.ExitFailure {
			t.Errorf("%s: exit 2:\n%s", item, stderr)
			continue
		}

		// Nothing reported missing that the tree holds or the package
		// installs.
		trees, _, err := workspace.Find([]string{item}, workspace.Options{Known: known}, nil)
		if err != nil {
			t.Fatalf("%s: %v", item, err)
		}
		for _, f := range whole {
			m := looksFor.FindStringSubmatch(f.Message)
			if f.Rule != "include" || m == nil {
				continue
			}
			rel := strings.TrimPrefix(m[1], "/etc/nginx/")
			for _, tr := range trees {
				if within(f.File, tr.Root) {
					if _, err := os.Stat(filepath.Join(tr.Root, rel)); err == nil || stock.Known(rel) {
						falseMissing++
						t.Errorf("%s: reported missing, but the tree holds it or the package installs it", f)
					}
				}
			}
		}

		// Every configuration file is read, by the tree it belongs to.
		read := map[string]bool{}
		skipped := map[string]bool{}
		for _, tr := range trees {
			ld, err := workspace.Load(tr, workspace.LoadOptions{Grammar: nginx.Grammar{}, Known: known})
			if err != nil {
				t.Fatalf("%s: %v", tr.Root, err)
			}
			for _, st := range ld.Trees {
				for _, f := range st.Files {
					read[f.Path] = true
				}
			}
			for _, s := range ld.Skipped {
				skipped[s.Path] = true
			}
		}
		all, _, err := workspace.Walk(item, func(p string, link bool) (bool, string) {
			if link {
				return workspace.ClassifyLink(p, true)
			}
			return workspace.Classify(p, known, true)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range all {
			files++
			real, err := filepath.EvalSymlinks(f)
			if err != nil {
				real = f
			}
			abs, _ := filepath.Abs(real)
			if !read[abs] && !skipped[f] {
				t.Errorf("%s: a configuration file that no tree read", f)
			}
		}

		// The same findings whether the file or the directory is named.
		byFile := map[string][]string{}
		for _, f := range whole {
			byFile[f.File] = append(byFile[f.File], f.String())
		}
		walked, _, err := workspace.Walk(item, func(p string, link bool) (bool, string) {
			if link {
				return workspace.ClassifyLink(p, true)
			}
			return workspace.Classify(p, known, true)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range walked {
			if fi, err := os.Lstat(f); err != nil || !fi.Mode().IsRegular() {
				continue // a link: its target is named too
			}
			named++
			got, code, stderr := lintJSON(t, f)
			if code == cli.ExitFailure {
				t.Errorf("nginxlint %s: exit 2:\n%s", f, stderr)
				continue
			}
			var gs []string
			for _, g := range got {
				gs = append(gs, g.String())
			}
			want := byFile[f]
			sort.Strings(gs)
			sort.Strings(want)
			if strings.Join(gs, "\n") != strings.Join(want, "\n") {
				t.Errorf("nginxlint %s differs from the findings in it when %s is named:\n--- file named\n%s\n--- directory named\n%s", f, item, strings.Join(gs, "\n"), strings.Join(want, "\n"))
			}
		}
	}
	t.Logf("%d configuration files in the corpus's trees, %d named one by one; %d includes reported missing that the tree holds or the package installs", files, named, falseMissing)
}

func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}
