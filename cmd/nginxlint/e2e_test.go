package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/rules"
)

// Helpers shared by the end-to-end tests: they run nginxlint in-process
// with --format json and apply its fix-its.

// jsonDiag is a finding as nginxlint --format json prints it.
type jsonDiag struct {
	Rule     string    `json:"rule"`
	Severity string    `json:"severity"`
	File     string    `json:"file"`
	Line     int       `json:"line"`
	Column   int       `json:"column"`
	Message  string    `json:"message"`
	Fixes    []jsonFix `json:"fixes"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	NewText   string `json:"new_text"`
}

// lintJSON runs nginxlint --format json with args and returns its findings
// and everything it printed. An exit code other than 0 or 1 fails the test.
func lintJSON(t *testing.T, args ...string) ([]jsonDiag, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(append([]string{"--format", "json"}, args...), rules.All(),
		cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	out := stdout.String() + stderr.String()
	if code != cli.ExitClean && code != cli.ExitFindings {
		t.Fatalf("nginxlint %s exited %d\n%s", strings.Join(args, " "), code, out)
	}
	var report struct {
		Diagnostics []jsonDiag `json:"diagnostics"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("nginxlint output is not JSON: %v\n%s", err, out)
	}
	return report.Diagnostics, out
}

// applyEdits applies edits (1-based lines and byte columns, end exclusive,
// all of one file) to src, from the last to the first; overlapping edits
// are an error.
func applyEdits(src string, edits []jsonEdit) (string, error) {
	lineStart := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	offset := func(line, col int) (int, error) {
		if line < 1 || line > len(lineStart) {
			return 0, fmt.Errorf("line %d out of range", line)
		}
		next := len(src)
		if line < len(lineStart) {
			next = lineStart[line]
		}
		off := lineStart[line-1] + col - 1
		if col < 1 || off > next {
			return 0, fmt.Errorf("column %d of line %d out of range", col, line)
		}
		return off, nil
	}
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		start, err := offset(e.Line, e.Column)
		if err != nil {
			return "", err
		}
		end, err := offset(e.EndLine, e.EndColumn)
		if err != nil {
			return "", err
		}
		if end < start {
			return "", fmt.Errorf("edit at %d:%d ends before it starts", e.Line, e.Column)
		}
		spans = append(spans, span{start, end, e.NewText})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start > spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].end > spans[i-1].start {
			return "", fmt.Errorf("overlapping edits")
		}
	}
	for _, s := range spans {
		src = src[:s.start] + s.text + src[s.end:]
	}
	return src, nil
}

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}
