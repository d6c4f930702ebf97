package driver

import (
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// TestAppFileSuppressions: an app configuration (no directives, its
// comments recorded by its reader) takes ignores by line: above a line
// and the lines indented below it, or at the end of a line; an unused
// one is reported in a file given as an app file even with no finding
// in it, and one in a file of a finding.
func TestAppFileSuppressions(t *testing.T) {
	yml := "services:\n  # nginxlint:ignore backend-drift the service is published by the firewall\n  api:\n    ports:\n      - \"8080:80\"\n  web:\n    image: x # nginxlint:ignore backend-drift trailing\n    ports: [\"81:80\"]\n"
	ini := "[uwsgi]\n; nginxlint:ignore backend-drift nothing left to suppress\nsocket = :8000\n"
	yf := &syntax.File{Name: "compose.yaml", Src: yml}
	yf.Comments = []syntax.Comment{}
	for i, line := 0, 0; i < len(yml); line++ {
		j := strings.IndexByte(yml[i:], '\n') + i
		if k := strings.Index(yml[i:j], "# "); k >= 0 {
			yf.Comments = append(yf.Comments, syntax.Comment{Start: int32(i + k), End: int32(j)})
		}
		i = j + 1
	}
	inf := &syntax.File{Name: "app.ini", Src: ini, Comments: apps.Comments(ini, ";#", false, false)}
	at := func(f *syntax.File, text string) lint.Diagnostic {
		i := strings.Index(f.Src, text)
		return lint.Diagnostic{Rule: "backend-drift", File: f, Start: i, End: i + len(text), Message: text}
	}
	diags := []lint.Diagnostic{
		at(yf, `"8080:80"`), // in api's block: suppressed
		at(yf, "image: x"),  // on the trailing ignore's line: suppressed
		at(yf, `["81:80"]`), // below it: kept
		at(yf, "services:"), // above: kept
	}
	out := ApplySuppressions(nil, diags, suppressKnown, lint.Warning, yf, inf)
	var got []string
	for _, d := range out {
		got = append(got, d.File.Position(d.Start).String()+" "+d.Rule)
	}
	want := []string{"app.ini:2:1 nginxlint-ignore", "compose.yaml:1:1 backend-drift", "compose.yaml:8:12 backend-drift"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// An app file not given is not read (app.ini's malformed ignore is
	// not reported); the trailing ignore of the file read is unused now.
	out = ApplySuppressions(nil, diags[:1], suppressKnown, lint.Warning, yf)
	if len(out) != 1 || out[0].Rule != IgnoreRuleID || out[0].File != yf || yf.Position(out[0].Start).Line != 7 {
		t.Errorf("got %v, want the unused trailing ignore only", out)
	}
}

// TestAppFileSuppressionsLinear: many ignores above one long block of an
// app file cost no more than reading it once each way. Four times the
// file may cost at most eight times as much (a cost quadratic in the
// file costs sixteen times); the least of five runs counts, three times
// over at most.
func TestAppFileSuppressionsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	cost := func(n int) time.Duration {
		var b strings.Builder
		for range n {
			b.WriteString("# nginxlint:ignore backend-drift a reason\n")
		}
		b.WriteString("services:\n")
		for range n {
			b.WriteString("  x: y\n")
		}
		src := b.String()
		f := &syntax.File{Name: "compose.yaml", Src: src, Comments: apps.Comments(src, "#", false, false)}
		i := strings.LastIndex(src, "x: y")
		d := lint.Diagnostic{Rule: "backend-drift", File: f, Start: i, End: i + 4}
		best := time.Duration(1<<63 - 1)
		for range 5 {
			start := time.Now()
			out := ApplySuppressions(nil, []lint.Diagnostic{d}, suppressKnown, lint.Warning, f)
			best = min(best, time.Since(start))
			for _, o := range out {
				if o.Rule == "backend-drift" {
					t.Fatalf("the finding in the block was not suppressed (n=%d)", n)
				}
			}
		}
		return best
	}
	var small, large time.Duration
	for range 3 {
		if small, large = cost(5000), cost(20000); large <= 8*max(small, time.Microsecond) {
			return
		}
	}
	t.Errorf("5,000 ignores: %v; 20,000: %v (%.1fx): not linear", small, large, float64(large)/float64(small))
}

// TestAppFileSuppressionLastByte: a finding on the last byte of a line
// (a one-character value) is on the line.
func TestAppFileSuppressionLastByte(t *testing.T) {
	src := "# nginxlint:ignore backend-drift a reason\nport = 1\nx = 2 # nginxlint:ignore backend-drift another\n"
	f := &syntax.File{Name: "app.ini", Src: src, Comments: apps.Comments(src, "#", false, false)}
	f.Comments = append(f.Comments, syntax.Comment{Start: int32(strings.LastIndex(src, "#")), End: int32(len(src) - 1)})
	var diags []lint.Diagnostic
	for _, v := range []string{"1", "2"} {
		i := strings.Index(src, "= "+v) + 2
		diags = append(diags, lint.Diagnostic{Rule: "backend-drift", File: f, Start: i, End: i + 1})
	}
	if out := ApplySuppressions(nil, diags, suppressKnown, lint.Warning, f); len(out) != 0 {
		t.Errorf("got %v, want both suppressed", out)
	}
}
