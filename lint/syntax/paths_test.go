//go:build unix

package syntax_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// includeOutcome is what following one include directive comes to: the
// files of the tree it reads (relative to the tree), whether it reaches
// outside the tree, whether it fails (nginx refuses the configuration, or
// nginxlint cannot read what is there).
type includeOutcome struct {
	files   []string
	outside bool
	failed  bool
}

func (o includeOutcome) String() string {
	s := "files [" + strings.Join(o.files, " ") + "]"
	if o.outside {
		s += ", outside"
	}
	if o.failed {
		s += ", failed"
	}
	return s
}

// pathsTree writes the tree the path cases run on, under a new temporary
// directory: root (the tree, whose prefix is its own absolute path, so
// that absolute links mean the same to nginx and to nginxlint) and, beside
// it, files nginx can reach but nginxlint must not read. Every file holds
// "add_header X-File NAME;" with its own NAME: "outside" for those not in
// the tree.
func pathsTree(t *testing.T) (tmp, root string) {
	t.Helper()
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root = filepath.Join(tmp, "root")
	file := func(rel, name string) {
		t.Helper()
		p := filepath.Join(tmp, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("add_header X-File "+name+";\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(rel, target string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(tmp, rel)); err != nil {
			t.Fatal(err)
		}
	}
	file("x.conf", "outside")
	file("outside/x.conf", "outside")
	file("outside/d/y.conf", "outside")
	file("root/x.conf", "x.conf")
	file("root/inner/x.conf", "inner/x.conf")
	file("root/inner/sub/y.conf", "inner/sub/y.conf")
	file("root/conf.d/a.conf", "conf.d/a.conf")
	file("root/file", "file")
	link("root/inner/sub/back", "../..")  // the tree's root
	link("root/out", "../outside/d")      // a directory outside
	link("root/outabs", tmp+"/outside/d") // the same, absolute
	link("root/in", "inner/sub")          // a directory inside
	link("root/inabs", root+"/inner/sub") // the same, absolute
	link("root/chain", "in")              // a link to a link
	link("root/up", "..")                 // the tree's parent
	link("root/upout", "../outside")      // a directory outside
	link("root/dangling", "nowhere")      // leads nowhere
	link("root/loop", "loop")             // never ends
	if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	return tmp, root
}

// pathCases are include arguments and what they read in pathsTree, as
// nginx (the kernel, glob(3)) reads them. A link is followed where it
// stands: "in/../x.conf" is x.conf beside the link's target, inner/sub.
var pathCases = []struct {
	arg  string
	want includeOutcome
}{
	{"x.conf", includeOutcome{files: []string{"x.conf"}}},
	{"./x.conf", includeOutcome{files: []string{"x.conf"}}},
	{"inner//x.conf", includeOutcome{files: []string{"inner/x.conf"}}},
	{"../root/x.conf", includeOutcome{files: []string{"x.conf"}}},
	{"in/../x.conf", includeOutcome{files: []string{"inner/x.conf"}}},
	{"inabs/../x.conf", includeOutcome{files: []string{"inner/x.conf"}}},
	{"chain/../x.conf", includeOutcome{files: []string{"inner/x.conf"}}},
	{"in/../../x.conf", includeOutcome{files: []string{"x.conf"}}},
	{"inner/sub/back/x.conf", includeOutcome{files: []string{"x.conf"}}},
	{"up/root/x.conf", includeOutcome{files: []string{"x.conf"}}},
	{"out/../x.conf", includeOutcome{outside: true}},
	{"outabs/../x.conf", includeOutcome{outside: true}},
	{"upout/x.conf", includeOutcome{outside: true}},
	{"inner/sub/back/../x.conf", includeOutcome{outside: true}},
	{"x.conf/", includeOutcome{failed: true}},
	{"file/../x.conf", includeOutcome{failed: true}},
	{"dangling", includeOutcome{failed: true}},
	// Patterns: the directories on the way resolve the same way.
	{"in/../x.con[f]", includeOutcome{files: []string{"inner/x.conf"}}},
	{"chain/../*.conf", includeOutcome{files: []string{"inner/x.conf"}}},
	{"out/../x.con[f]", includeOutcome{outside: true}},
	{"i*/sub/../x.conf", includeOutcome{files: []string{"inner/x.conf"}}},
	{"conf.d/*.conf", includeOutcome{files: []string{"conf.d/a.conf"}}},
	// A directory the pattern passes through that leads outside is
	// outside; a link that leads nowhere, loops, or is a file or a pipe,
	// is no directory and matches nothing, as for glob(3).
	{"*/y.conf", includeOutcome{files: []string{"inner/sub/y.conf"}, outside: true}},
	{"o*/y.conf", includeOutcome{outside: true}},
	{"out/*.conf", includeOutcome{outside: true}},
	{"[fdl]*/y.conf", includeOutcome{}},
}

// TestIncludePathsLikeTheKernel: an include path is resolved one component
// at a time, links followed where they stand, as the kernel resolves the
// path nginx opens; what leads outside the tree is reported and not read.
func TestIncludePathsLikeTheKernel(t *testing.T) {
	_, root := pathsTree(t)
	for _, tc := range pathCases {
		writeMain(t, root, "events {}\nhttp {\n    include "+tc.arg+";\n}\n")
		if got := lintInclude(t, root); got.String() != tc.want.String() {
			t.Errorf("include %s: nginxlint: %v, want %v", tc.arg, got, tc.want)
		}
	}
}

// TestIncludePathsMatchNginx checks pathCases against nginx itself: what
// nginx -T reads for each include is what the case says.
func TestIncludePathsMatchNginx(t *testing.T) {
	bin := nginxtest.Binary(t)
	tmp, root := pathsTree(t)
	scratch := filepath.Join(tmp, "scratch")
	if err := os.Mkdir(scratch, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range pathCases {
		writeMain(t, root, nginxtest.MainPreamble(scratch)+"http {\n"+nginxtest.HTTPPreamble(scratch)+"include "+tc.arg+";\n}\n")
		ok, dump := nginxDump(t, bin, scratch, filepath.Join(root, "nginx.conf"))
		got := includeOutcome{failed: !ok}
		for _, sec := range strings.Split(dump, "\n# configuration file ")[1:] {
			_, text, _ := strings.Cut(sec, "\n")
			name, found := strings.CutPrefix(strings.TrimSpace(text), "add_header X-File ")
			switch {
			case !found:
			case name == "outside;":
				got.outside = true
			case !slices.Contains(got.files, strings.TrimSuffix(name, ";")):
				got.files = append(got.files, strings.TrimSuffix(name, ";"))
			}
		}
		slices.Sort(got.files)
		if got.String() != tc.want.String() {
			t.Errorf("include %s: nginx: %v, want %v\n%s", tc.arg, got, tc.want, dump)
		}
	}
}

func writeMain(t *testing.T, root, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, "nginx.conf"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lintInclude loads the tree at root, whose nginx.conf holds one include,
// and says what the include came to.
func lintInclude(t *testing.T, root string) includeOutcome {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: root, Prefix: root})
	if err != nil {
		t.Fatal(err)
	}
	var o includeOutcome
	for _, f := range tree.Files[1:] {
		o.files = append(o.files, strings.TrimPrefix(f.Virtual, root+"/"))
	}
	slices.Sort(o.files)
	for _, p := range tree.Problems {
		switch p.Kind {
		case syntax.KindOutside:
			o.outside = true
		case syntax.KindInclude:
			o.failed = true
		}
	}
	o.failed = o.failed || len(tree.ReadErrors) > 0
	return o
}

// nginxDump runs nginx -T on the tree of main, keeping what nginx writes
// in scratch, and returns whether nginx accepted it and what it printed.
func nginxDump(t *testing.T, bin, scratch, main string) (bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-T", "-p", scratch+"/", "-c", main, "-e", filepath.Join(scratch, "error.log"), "-g", "pid "+filepath.Join(scratch, "nginx.pid")+";")
	cmd.Dir = scratch
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nginx -T did not finish: %s", stderr.String())
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return err == nil, stdout.String()
}

// TestGlobReadFailures: a pattern whose directories nginxlint cannot list
// or search is a read failure naming the directory, never a pattern that
// silently matches nothing: nginx (started as root) may find files there.
// What is certainly not a directory with files (a file, a pipe, a link
// that leads nowhere or loops) matches nothing, as for glob(3).
//
// Root reads and searches every directory whatever its mode, so the
// unreadable variants are skipped when the test runs as root; the binary's
// test (cmd/nginxlint TestHostilePaths) runs them as nobody. As root, the
// variants that do not depend on permissions still run.
func TestGlobReadFailures(t *testing.T) {
	_, root := pathsTree(t)
	cases := []struct {
		name, arg string
		mode      os.FileMode // set on root/locked
		want      string      // in the read error; "" for none
	}{
		{"a file is no directory", "file/*.conf", 0o755, ""},
		{"a pipe is no directory", "fifo/*.conf", 0o755, ""},
		{"a pipe among the matches is no directory", "fi*/x.conf", 0o755, ""},
		{"a link that leads nowhere", "dangling/*.conf", 0o755, ""},
		{"a link that loops", "loop/*.conf", 0o755, ""},
		{"a pipe matched is a file that cannot be read", "fif[o]", 0o755, "not a regular file"},
		{"a directory that cannot be read", "locked/*.conf", 0o311, "permission denied"},
		{"a directory that cannot be searched", "locked/sub/*.conf", 0o644, "permission denied"},
		{"a match in a directory that cannot be searched", "lock*/sub/*.conf", 0o644, "permission denied"},
		{"a file in a directory that cannot be searched", "lock*/x.conf", 0o644, "permission denied"},
	}
	locked := filepath.Join(root, "locked")
	for _, f := range []string{"x.conf", "sub/y.conf"} {
		p := filepath.Join(locked, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("add_header X-File locked;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _ = os.Chmod(locked, 0o755) })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.mode != 0o755 && os.Geteuid() == 0 {
				t.Skip("root reads and searches every directory")
			}
			if err := os.Chmod(locked, tc.mode); err != nil {
				t.Fatal(err)
			}
			defer os.Chmod(locked, 0o755) // restored at cleanup too
			writeMain(t, root, "events {}\nhttp {\n    include "+tc.arg+";\n}\n")
			tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: root, Prefix: root})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range tree.ReadErrors {
				got = append(got, p.Msg)
			}
			for _, p := range tree.Problems {
				got = append(got, "problem: "+p.Msg)
			}
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("include %s: %q, want no read error or problem", tc.arg, got)
			case tc.want != "" && (len(tree.ReadErrors) == 0 || !strings.Contains(tree.ReadErrors[0].Msg, tc.want)):
				t.Errorf("include %s: %q, want a read error with %q", tc.arg, got, tc.want)
			}
		})
	}
}

// TestGlobDotDotBounded: a pattern that comes back to a directory by ".."
// after each "*" ("*/../*/../*") reaches the same directories by ever more
// paths; each is followed once, so the work stays in proportion with the
// tree, not with the number of paths.
func TestGlobDotDotBounded(t *testing.T) {
	root := t.TempDir()
	for i := range 50 {
		if err := os.MkdirAll(filepath.Join(root, "d", strings.Repeat("x", i+1)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "d", "x", "site.conf"), []byte("server { listen 80; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeMain(t, root, "events {}\nhttp {\n    include d/*/../*/../*/../*/../*/../x/site.conf;\n}\n")
	start := time.Now()
	if got := lintInclude(t, root); got.String() != "files [d/x/site.conf]" {
		t.Errorf("got %v", got)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}
