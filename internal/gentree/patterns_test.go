package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A pattern is a hostile configuration of one file: one construct
// repeated n times, where a rule may do work per pair of repetitions,
// or per repetition and per name nginx knows.
type pattern struct {
	name string
	n    int // the smaller size TestGrowthPatterns lints: 25 ms or more
	http func(n int) string
}

var patterns = []pattern{
	{"unknown directives, each its own name", 1500, func(n int) string {
		return "server {\n    listen 8080;\n" + repeat(n, "    proxy_paas%d on;\n") + "}\n"
	}},
	{"one unknown directive, repeated", 3000, func(n int) string {
		return "server {\n    listen 8080;\n" + repeat(n, "    more_set_headers 'X-%d: y';\n") + "}\n"
	}},
	{"headers each location drops", 250, func(n int) string {
		return "server {\n    listen 8080;\n" + repeat(n, "    add_header X-H%d v;\n") +
			repeat(n, "    location /l%d { add_header X-L v; return 204; }\n") + "}\n"
	}},
	{"nested regex locations", 300, func(n int) string {
		// Each level sets a header of its own, which drops the outer ones.
		return "server {\n    listen 8080;\n" + repeat(n, "location ~ ^/x {\nadd_header X-D%d v;\n") + "return 204;\n" + strings.Repeat("}\n", n) + "}\n"
	}},
	{"a chain of set variables", 3500, func(n int) string {
		return "server {\n    listen 8080;\n    location / {\n        set $v0 /;\n" +
			repeat(n, "        set $v%[1]d $v0$uri%[1]d;\n") + "        return 200 $v1;\n    }\n}\n"
	}},
	{"one server_name in many servers", 2500, func(n int) string {
		return repeat(n, "server { listen 8080; server_name same.example.test; location /%d { return 204; } }\n")
	}},
	{"one directive repeated in a block", 3000, func(n int) string {
		return "server {\n    listen 8080;\n" + repeat(n, "    root /srv/%d;\n") + "}\n"
	}},
	{"a map of many entries", 100000, func(n int) string {
		return "map $host $m {\n" + repeat(n, "    h%[1]d.example.test v%[1]d;\n") + "}\nserver { listen 8080; return 200 $m; }\n"
	}},
	{"one server_name of many names", 100000, func(n int) string {
		return "server {\n    listen 8080;\n    server_name" + repeat(n, " h%d.example.test") + ";\n}\n"
	}},
	{"one snippet included in many locations", 8000, func(n int) string {
		return "server {\n    listen 8080;\n" + repeat(n, "    location /l%d { include snippet.conf; proxy_pass http://127.0.0.1:8000; }\n") + "}\n"
	}},
	{"many if blocks in a location", 25000, func(n int) string {
		return "server {\n    listen 8080;\n    location / {\n" + repeat(n, "        if ($arg_a = %d) { return 204; }\n") + "    }\n}\n"
	}},
}

// repeat writes format n times, with the repetition's number as its
// argument.
func repeat(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// patternTree writes the tree of a pattern at size n into a new
// directory and returns its statistics.
func patternTree(t *testing.T, p pattern, n int) *Stats {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tree")
	files := map[string]string{
		"nginx.conf":   "events {}\nhttp {\n" + p.http(n) + "}\n",
		"snippet.conf": "add_header X-Snippet on;\nproxy_set_header Host $host;\n",
	}
	st := &Stats{Dir: dir, ConfigFiles: len(files)}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		st.TreeBytes += int64(len(text))
	}
	return st
}

// patternScale and maxPatternGrowth: TestGrowthPatterns lints each
// pattern at N and 4N, which may cost at most 10 times as much, in
// processor time and bytes allocated. A linear cost is 4 times, one
// quadratic in the repetitions 16. The room above 4 is for the caches:
// the larger tree's maps fit them less, and other tests running beside
// it make that worse (one server_name of many names, linear in every
// count of work, reads 4.7x on a quiet machine and up to 7x on a loaded
// one; at twice the size, a limit of 2.5 failed such runs).
const (
	patternScale     = 4
	maxPatternGrowth = 10.0
)

// TestGrowthPatterns is TestGrowth for constructs repeated in one file,
// where TestGrowth's shapes spread a realistic tree (see patternScale).
// A rule that compares each repetition with the others, or each unknown
// name with every directive name the slow way, fails it.
func TestGrowthPatterns(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the growth test in -short mode")
	}
	start := time.Now()
	for _, p := range patterns {
		t.Run(strings.ReplaceAll(p.name, " ", "-"), func(t *testing.T) {
			l1, l2 := newLinter(t, patternTree(t, p, p.n)), newLinter(t, patternTree(t, p, patternScale*p.n))
			small, large := newCost(l1), newCost(l2)
			measure(t, l1, l2, &small, &large, growthRuns)
			tr := float64(large.time) / float64(small.time)
			br := float64(large.bytes) / float64(small.bytes)
			for retry := 0; tr > maxPatternGrowth && retry < 2; retry++ {
				measure(t, l1, l2, &small, &large, growthRuns)
				tr = float64(large.time) / float64(small.time)
			}
			msg := fmt.Sprintf("N=%d: %v of processor time, %.1f MB allocated; %dN: %v, %.1f MB; growth: time %.2fx, bytes %.2fx",
				p.n, small.time.Round(time.Millisecond), float64(small.bytes)/1e6, patternScale,
				large.time.Round(time.Millisecond), float64(large.bytes)/1e6, tr, br)
			t.Log(msg)
			if tr > maxPatternGrowth || br > maxPatternGrowth {
				t.Errorf("%d times the repetitions cost more than %.0f times as much: %s", patternScale, maxPatternGrowth, msg)
			}
		})
	}
	t.Logf("all patterns in %v", time.Since(start).Round(time.Second))
}
