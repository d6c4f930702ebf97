package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/rules"
)

// The benchmarks run nginxlint in-process on generated trees:
//
//	go test -run '^$' -bench . -benchtime 3x ./internal/gentree/
//	go test -run '^$' -bench BenchmarkLintL -benchtime 1x -cpuprofile cpu.out -memprofile mem.out ./internal/gentree/
//
// The S and L trees, and the shapes, are generated once per test binary,
// on first use, into a directory removed when the binary exits. -short
// skips L and makes the shapes a tenth of their size.

var treeRoot string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gentree-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	treeRoot = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type generated struct {
	once sync.Once
	st   *Stats
	err  error
}

var trees = map[string]*generated{"S": {}, "L": {}}

// tree returns the generated tree of a preset size.
func tree(b testing.TB, size string) *Stats {
	b.Helper()
	if size == "L" && testing.Short() {
		b.Skip("skipping the L tree (≈33 MB) in -short mode")
	}
	g := trees[size]
	g.once.Do(func() {
		cfg, err := Preset(size)
		if err != nil {
			g.err = err
			return
		}
		start := time.Now()
		g.st, g.err = Generate(filepath.Join(treeRoot, size), cfg)
		if g.err == nil {
			b.Logf("generated %s in %v: %s", size, time.Since(start).Round(time.Millisecond), g.st.Summary())
		}
	})
	if g.err != nil {
		b.Fatalf("generating %s: %v", size, g.err)
	}
	return g.st
}

// lintOnce runs nginxlint as the command does, with JSON output, and
// returns its exit code.
func lintOnce(dir string, stdout io.Writer, stderr io.Writer) int {
	return cli.Main([]string{"--format", "json", dir}, rules.All(), cli.Env{Stdin: bytes.NewReader(nil), Stdout: stdout, Stderr: stderr})
}

// linter lints a generated tree as the command would: its directory, or
// for the dump shape, the dump on stdin with the manifest named.
type linter struct {
	st   *Stats
	dump []byte
}

func newLinter(tb testing.TB, st *Stats) *linter {
	l := &linter{st: st}
	if st.Dump != "" {
		var err error
		if l.dump, err = os.ReadFile(filepath.Join(st.Dir, st.Dump)); err != nil {
			tb.Fatal(err)
		}
	}
	return l
}

// run lints the tree once and returns the exit code.
func (l *linter) run(stdout, stderr io.Writer) int {
	if l.dump == nil {
		return lintOnce(l.st.Dir, stdout, stderr)
	}
	args := []string{"--format", "json", "--manifest", filepath.Join(l.st.Dir, "backends.toml"), "-"}
	return cli.Main(args, rules.All(), cli.Env{Stdin: bytes.NewReader(l.dump), Stdout: stdout, Stderr: stderr})
}

// lint lints the tree once, and fails or skips tb when nginxlint cannot:
// it skips when the tree has more files than nginxlint reads.
func (l *linter) lint(tb testing.TB) {
	var stderr bytes.Buffer
	if code := l.run(io.Discard, &stderr); code == cli.ExitFailure {
		if l.st.ConfigFiles > syntax.MaxFiles {
			tb.Skipf("nginxlint exited %d on a tree of %d files (it reads at most %d): %s", code, l.st.ConfigFiles, syntax.MaxFiles, strings.TrimSpace(stderr.String()))
		}
		tb.Fatalf("nginxlint exited %d:\n%s", code, stderr.String())
	}
}

var (
	shapeMu    sync.Mutex
	shapeTrees = map[string]*generated{}
)

// shapeTree returns the tree of a shape at size n, generated once per
// test binary.
func shapeTree(tb testing.TB, s *Shape, n int) *Stats {
	tb.Helper()
	key := fmt.Sprintf("%s-%d", s.Name, n)
	shapeMu.Lock()
	g := shapeTrees[key]
	if g == nil {
		g = &generated{}
		shapeTrees[key] = g
	}
	shapeMu.Unlock()
	g.once.Do(func() {
		start := time.Now()
		g.st, g.err = Generate(filepath.Join(treeRoot, key), s.Config(n))
		if g.err == nil {
			tb.Logf("generated %s in %v: %s", key, time.Since(start).Round(time.Millisecond), g.st.Summary())
		}
	})
	if g.err != nil {
		tb.Fatalf("generating %s: %v", key, g.err)
	}
	return g.st
}

// BenchmarkShapes is the whole run on each adversarial shape (see
// Shapes) at its full size, or a tenth of it with -short:
//
//	go test -run '^$' -bench Shapes -benchtime 1x ./internal/gentree/
//	go test -run '^$' -bench Shapes/hosts -benchtime 3x -cpuprofile cpu.out ./internal/gentree/
//
// The tiny-files shape is skipped while it has more files than nginxlint
// reads.
func BenchmarkShapes(b *testing.B) {
	for _, s := range Shapes() {
		b.Run(s.Name, func(b *testing.B) {
			n := s.L
			if testing.Short() {
				n = s.L / 10
			}
			st := shapeTree(b, s, n)
			l := newLinter(b, st)
			b.SetBytes(st.TreeBytes)
			b.ReportAllocs()
			for b.Loop() {
				l.lint(b)
			}
		})
	}
}

func benchmarkLint(b *testing.B, size string) {
	st := tree(b, size)
	var stderr bytes.Buffer
	b.SetBytes(st.TreeBytes)
	b.ReportAllocs()
	for b.Loop() {
		stderr.Reset()
		if code := lintOnce(st.Dir, io.Discard, &stderr); code == cli.ExitFailure {
			b.Fatalf("nginxlint exited %d:\n%s", code, stderr.String())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(st.Servers), "ns/server")
}

// BenchmarkLintS is the whole run (load, manifest, rules, JSON output) on
// the S tree: ≈3 MB, 50 files, 5,000 servers.
func BenchmarkLintS(b *testing.B) { benchmarkLint(b, "S") }

// BenchmarkLintL is the whole run on the L tree: ≈33 MB, 100 files,
// 50,000 servers.
func BenchmarkLintL(b *testing.B) { benchmarkLint(b, "L") }

func benchmarkLoad(b *testing.B, size string) {
	st := tree(b, size)
	b.SetBytes(st.ConfigBytes)
	b.ReportAllocs()
	for b.Loop() {
		t, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: st.Dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(t.ReadErrors) > 0 || len(t.Problems) > 0 {
			b.Fatalf("the tree did not load cleanly: %d read errors, %d problems", len(t.ReadErrors), len(t.Problems))
		}
	}
}

// BenchmarkLoadS reads and parses the S tree (syntax.Load only).
func BenchmarkLoadS(b *testing.B) { benchmarkLoad(b, "S") }

// BenchmarkLoadL reads and parses the L tree (syntax.Load only), to
// separate parsing from the rules.
func BenchmarkLoadL(b *testing.B) { benchmarkLoad(b, "L") }

// small is a quick tree for the tests.
var small = Config{Servers: 300, Files: 4, Seed: 7}

func TestDeterministic(t *testing.T) {
	a, err := Generate(filepath.Join(t.TempDir(), "a"), small)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(filepath.Join(t.TempDir(), "b"), small)
	if err != nil {
		t.Fatal(err)
	}
	if a.TreeBytes != b.TreeBytes || a.Servers != small.Servers || a.ConfDFiles != small.Files {
		t.Fatalf("two runs differ or miss the sizes: %s / %s", a.Summary(), b.Summary())
	}
	// Byte for byte, except nginx.conf, which names its own directory.
	for _, rel := range []string{"backends.toml", "conf.d/001.conf", "conf.d/004.conf", "snippets/proxy.conf"} {
		x, err := os.ReadFile(filepath.Join(a.Dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b.Dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
	}
	// Regenerating over an earlier output is allowed; over other files not.
	if _, err := Generate(a.Dir, small); err != nil {
		t.Errorf("regenerating over an earlier tree: %v", err)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(other, small); err == nil {
		t.Errorf("Generate wrote into a directory that holds other files")
	}
}

func TestNginxAccepts(t *testing.T) {
	bin := nginxtest.Binary(t)
	st, err := Generate(t.TempDir(), small)
	if err != nil {
		t.Fatal(err)
	}
	nginxAccepts(t, bin, st.Dir)
}

func TestLintMostlyClean(t *testing.T) {
	st, err := Generate(t.TempDir(), small)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := lintOnce(st.Dir, &stdout, &stderr)
	if code == cli.ExitFailure {
		t.Fatalf("nginxlint exited %d:\n%s", code, stderr.String())
	}
	checkMostlyClean(t, st, stdout.Bytes(), st.Servers/100)
}
