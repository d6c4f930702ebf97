package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/rules"
)

// The benchmarks run nginxlint in-process on generated trees:
//
//	go test -run '^$' -bench . -benchtime 3x ./internal/gentree/
//	go test -run '^$' -bench BenchmarkLintL -benchtime 1x -cpuprofile cpu.out -memprofile mem.out ./internal/gentree/
//
// The S and L trees are generated once per test binary, on first use, into
// a directory removed when the binary exits. -short skips L.

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
		t, err := syntax.Load(syntax.Options{Path: st.Dir})
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
	d := st.Dir
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-t", "-q", "-p", d+"/", "-c", filepath.Join(d, "nginx.conf"),
		"-e", filepath.Join(d, "error.log"), "-g", "pid "+filepath.Join(d, "nginx.pid")+";")
	cmd.Dir = d
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NGINX=") { // nginx would inherit sockets through it
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -t rejects the generated tree: %v\n%s", err, out)
	}
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
	var rep struct {
		Diagnostics []struct {
			Rule, File, Message string
			Line                int
		}
		Files int
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("nginxlint output: %v\n%s", err, stdout.String())
	}
	if rep.Files != st.ConfigFiles {
		t.Errorf("nginxlint read %d files, the tree has %d", rep.Files, st.ConfigFiles)
	}
	for _, d := range rep.Diagnostics {
		t.Logf("%s:%d: %s [%s]", d.File, d.Line, d.Message, d.Rule)
	}
	// The tree is meant to be clean; a few findings may come from new rules.
	if len(rep.Diagnostics) > st.Servers/100 {
		t.Errorf("%d findings on a tree of %d servers: the generated tree is meant to be clean", len(rep.Diagnostics), st.Servers)
	}
}
