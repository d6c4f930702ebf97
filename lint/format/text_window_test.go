package format_test

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

// TestPrettyLongLine: a source line longer than 120 characters is shown
// as a window of 120 around the span (40 before its start, more when the
// line ends first), with "…" where text is left out; the caret stays under
// the span, a tab of the window stays a tab in the caret line, characters
// count as one however many bytes they take, and a span that goes on past
// the window is underlined under the "…" too.
func TestPrettyLongLine(t *testing.T) {
	a, b := strings.Repeat("a", 200), strings.Repeat("é", 200)
	src := "set $x " + a + "; proxy_pass\t127.0.0.1:1; set $y " + b + ";\n"
	f := fmtParse(t, "long.conf", src)
	set0, pass, set1 := fmtDirective(t, f, "set", 0), fmtDirective(t, f, "proxy_pass", 0), fmtDirective(t, f, "set", 1)
	end := int(set1.End())
	ds := []lint.Diagnostic{
		// At the start of the line: no "…" before.
		fmtArgDiag(fmtRuleScheme, set0, 0, "start"),
		// In the middle: 40 characters before, "…" on both sides.
		fmtArgDiag(fmtRuleScheme, pass, 0, "middle"),
		// Near the end: the window takes more of what comes before.
		{Rule: "r", Severity: lint.Error, File: f, Start: end - 1, End: end, Message: "end"},
		// Longer than the window: underlined to its end, and under the "…".
		{Rule: "r", Severity: lint.Error, File: f, Start: int(set0.Args()[1].Start), End: end, Message: "long"},
	}
	passCol := strings.Index(src, "127.0.0.1")
	want := "" +
		"long.conf:1:5: error: start [proxy-pass-scheme]\n" +
		" 1 | " + src[:120] + "…\n" +
		"   |     ^~\n" +
		"\n" +
		"long.conf:1:" + strconv.Itoa(passCol+1) + ": error: middle [proxy-pass-scheme]\n" +
		" 1 | …" + src[passCol-40:passCol] + "127.0.0.1:1; set $y " + strings.Repeat("é", 60) + "…\n" +
		"   |  " + strings.Repeat(" ", 39) + "\t^" + strings.Repeat("~", 10) + "\n" +
		"\n" +
		"long.conf:1:" + strconv.Itoa(len(src)-1) + ": error: end [r]\n" +
		" 1 | …" + strings.Repeat("é", 119) + ";\n" +
		"   |  " + strings.Repeat(" ", 119) + "^\n" +
		"\n" +
		"long.conf:1:8: error: long [r]\n" +
		" 1 | " + src[:120] + "…\n" +
		"   | " + strings.Repeat(" ", 7) + "^" + strings.Repeat("~", 112) + "~\n" +
		"\n" +
		"4 errors in 1 file\n"
	if got := writePretty(t, &format.Report{Diagnostics: ds, Files: 1}, false); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestPrettyCostPerFinding: what the terminal output allocates per
// finding does not grow with the length of the finding's line. (A 131 KB
// one-line file with many findings once took 1.4 GB: each finding copied
// its whole line, twice.) The same number of findings on a line four
// times as long must cost about the same.
func TestPrettyCostPerFinding(t *testing.T) {
	const findings = 200
	perFinding := func(lineLen int) float64 {
		// Quoted values with an escape character, so that the line is
		// one that must be made safe to show.
		unit := "proxy_pass \"127.0.0.1:1\x1b\"; "
		src := strings.Repeat(unit, lineLen/len(unit)) + "\n"
		f := fmtParse(t, "min.conf", src)
		dirs := f.Directives()
		var ds []lint.Diagnostic
		for i := range findings {
			ds = append(ds, fmtArgDiag(fmtRuleScheme, dirs[i*len(dirs)/findings], 0, "m"))
		}
		r := &format.Report{Diagnostics: ds, Files: 1}
		writePretty(t, r, false) // the file's line table is built once, here
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		writePretty(t, r, false)
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc-before.TotalAlloc) / findings
	}
	short, long := perFinding(32<<10), perFinding(128<<10)
	t.Logf("bytes allocated per finding: %.0f on a 32 KB line, %.0f on a 128 KB line", short, long)
	if long > 1.25*short+256 {
		t.Errorf("a line 4 times as long costs %.1f times as much per finding (%.0f bytes, was %.0f): the cost follows the line's length", long/short, long, short)
	}
	if long > 8<<10 {
		t.Errorf("%.0f bytes per finding: more than a window of the line", long)
	}
}
