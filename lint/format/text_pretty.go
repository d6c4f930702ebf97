package format

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// ANSI escapes used by writePretty.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[1;31m"
	ansiYellow  = "\x1b[1;33m"
	ansiCyan    = "\x1b[1;36m"
	ansiGreen   = "\x1b[1;32m"
	ansiMagenta = "\x1b[35m"
)

// writePretty prints the report for a person at a terminal. Each finding
// is its text line (FILE:LINE:COL: SEVERITY: MESSAGE [RULE]), then the
// source line with a gutter holding its number, a caret line (^~~~)
// under the span on that line, a "fix:" hint per fix, and each related
// place as an indented note with its own source line and caret;
// findings are separated by blank lines, and a summary ends the output:
//
//	etc/nginx/nginx.conf:3:13: error: proxy_pass "127.0.0.1:8000" has no scheme [proxy-pass-scheme]
//	 3 | 	proxy_pass 127.0.0.1:8000;
//	   | 	           ^~~~~~~~~~~~~~
//	   = fix: add the scheme (insert `http://`)
//
//	1 error in 4 files
//
// A related place reads:
//
//	etc/nginx/nginx.conf:9:5: note: proxy_http_version 1.0 is set here
//	 9 |     proxy_http_version 1.0;
//	   |     ^~~~~~~~~~~~~~~~~~~~~~~
//
// Columns count bytes, as in the text format. A span over several lines
// is underlined on its first line. A fix hint shows the fix's message and,
// for a single edit that writes text, that text (unless the message
// already quotes it).
//
// A source line longer than sourceWidth characters is cut to a window of
// that many around the span's start (sourceBefore before it), with "…"
// where text is left out; the caret stays under the span. So a finding
// costs the same whatever the length of its line: a minified one-line
// file with thousands of findings prints thousands of short windows, not
// thousands of copies of the line.
//
// Tabs of the source line are kept in the caret line, so the caret stays
// under the span whatever the terminal's tab width; every other character
// is taken to fill one cell (wide East Asian characters are not
// measured). Control characters and CI runners' command markers of the
// source, the file names and the messages are shown as U+FFFD (see
// logSafe), so that a configuration cannot send escape sequences to the
// terminal or commands to a CI runner.
//
// The summary names the rules the configuration turned off
// (Report.Disabled), if any: "1 error in 4 files; 2 rules disabled: a, b".
func writePretty(w io.Writer, r *Report, opts Options) error {
	var b strings.Builder
	p := prettyPrinter{b: &b, color: opts.Color}
	counts := map[lint.Severity]int{}
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		counts[d.Severity]++
		p.finding(d)
		b.WriteByte('\n')
	}
	b.WriteString(summary(counts[lint.Error], counts[lint.Warning], counts[lint.Info], r.Files))
	if r.Fragments > 0 {
		fmt.Fprintf(&b, " (%d loaded by nginx.conf, %d linted as fragments)", r.Reached, r.Fragments)
	}
	b.WriteString(disabledNote(r.Disabled))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// summary is the last line of writePretty: "3 errors, 1 warning in
// 12 files", or "no problems in 12 files".
func summary(errors, warnings, infos, files int) string {
	var parts []string
	if errors > 0 {
		parts = append(parts, prettyCount(errors, "error", "errors"))
	}
	if warnings > 0 {
		parts = append(parts, prettyCount(warnings, "warning", "warnings"))
	}
	if infos > 0 {
		parts = append(parts, prettyCount(infos, "info", "infos"))
	}
	where := " in " + prettyCount(files, "file", "files")
	if len(parts) == 0 {
		return "no problems" + where
	}
	return strings.Join(parts, ", ") + where
}

// disabledNote ends the summary when the configuration turned rules off:
// "; 2 rules disabled: a, b" (sorted, each once), or "" when it did not.
func disabledNote(ids []string) string {
	ids = disabledIDs(ids)
	if len(ids) == 0 {
		return ""
	}
	return "; " + prettyCount(len(ids), "rule", "rules") + " disabled: " + logSafe(strings.Join(ids, ", "))
}

func prettyCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

type prettyPrinter struct {
	b     *strings.Builder
	color bool
}

func (p *prettyPrinter) paint(style, s string) string {
	if !p.color || s == "" {
		return s
	}
	return style + s + ansiReset
}

func severityStyle(s lint.Severity) string {
	switch s {
	case lint.Error:
		return ansiRed
	case lint.Warning:
		return ansiYellow
	}
	return ansiCyan
}

func (p *prettyPrinter) finding(d *lint.Diagnostic) {
	b := p.b
	sev := severityStyle(d.Severity)
	if d.File == nil {
		fmt.Fprintf(b, "%s %s %s\n", p.paint(sev, d.Severity.String()+":"), logSafe(d.Message), p.paint(ansiMagenta, "["+d.Rule+"]"))
		return
	}
	fmt.Fprintf(b, "%s %s %s %s\n", p.paint(ansiBold, position(d.File, d.Start)+":"), p.paint(sev, d.Severity.String()+":"), logSafe(d.Message), p.paint(ansiMagenta, "["+d.Rule+"]"))
	pad := p.source("", d.File, d.Start, d.End, sev)
	for _, f := range d.Fixes {
		fmt.Fprintf(b, " %s = %s %s\n", pad, p.paint(ansiGreen, "fix:"), logSafe(fixHint(f)))
	}
	for _, r := range d.Related {
		if r.File == nil {
			continue
		}
		fmt.Fprintf(b, "%s%s %s %s\n", noteIndent, p.paint(ansiBold, position(r.File, r.Start)+":"), p.paint(ansiCyan, "note:"), logSafe(r.Message))
		p.source(noteIndent, r.File, r.Start, r.End, ansiCyan)
	}
}

// How much of a source line writePretty shows, in characters: at most
// sourceWidth, of which up to sourceBefore come before the span's start
// when the line is cut.
const (
	sourceWidth  = 120
	sourceBefore = 40
)

// source prints the line of f holding offset start, after a gutter with
// its number, and a caret line under the span [start, end) on that line
// (only its first line), each line prefixed with indent. A long line is
// cut to a window around start (see sourceWindow). It returns the gutter's
// blank padding, for the lines that follow.
func (p *prettyPrinter) source(indent string, f *syntax.File, start, end int, style string) string {
	b := p.b
	pos := f.Position(start)
	num := strconv.Itoa(pos.Line)
	pad := strings.Repeat(" ", len(num))
	lineStart := f.LineStart(pos.Line)
	text := lineText(f, pos.Line)
	col := pos.Offset - lineStart // bytes into the line
	col = min(max(col, 0), len(text))
	end -= lineStart
	end = min(max(end, col), len(text)) // only the first line of the span
	from, to := sourceWindow(text, col)

	fmt.Fprintf(b, "%s %s |", indent, num)
	if text != "" {
		b.WriteByte(' ')
		if from > 0 {
			b.WriteString(ellipsis)
		}
		b.WriteString(logSafe(text[from:to]))
		if to < len(text) {
			b.WriteString(ellipsis)
		}
	}
	b.WriteByte('\n')

	var lead, marks strings.Builder
	if from > 0 {
		lead.WriteByte(' ') // under the ellipsis
	}
	for _, r := range text[from:col] {
		if r == '\t' {
			lead.WriteByte('\t')
		} else {
			lead.WriteByte(' ')
		}
	}
	marks.WriteByte('^')
	first := true
	for _, r := range text[col:min(end, to)] {
		if first {
			first = false
			continue
		}
		if r == '\t' {
			marks.WriteByte('\t')
		} else {
			marks.WriteByte('~')
		}
	}
	if end > to {
		marks.WriteByte('~') // under the ellipsis: the span goes on
	}
	fmt.Fprintf(b, "%s %s | %s%s\n", indent, pad, lead.String(), p.paint(style, marks.String()))
	return pad
}

// ellipsis stands for the text of a long source line that is left out.
const ellipsis = "…"

// lineText returns the 1-based line of f without its line ending, without
// searching for its end (a minified file is one long line).
func lineText(f *syntax.File, line int) string {
	text := f.Src[f.LineStart(line):f.LineStart(line+1)]
	text = strings.TrimSuffix(text, "\n")
	return strings.TrimSuffix(text, "\r")
}

// sourceWindow returns the bytes [from, to) of text that source shows for
// a span starting at byte col: the whole line if it has at most
// sourceWidth characters, else sourceWidth characters starting up to
// sourceBefore characters before col (more if the line ends first). It
// reads only the bytes it returns.
func sourceWindow(text string, col int) (from, to int) {
	if len(text) <= sourceWidth {
		return 0, len(text)
	}
	from = col
	for n := 0; n < sourceBefore && from > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:from])
		from -= size
	}
	to = from
	n := 0
	for ; n < sourceWidth && to < len(text); n++ {
		_, size := utf8.DecodeRuneInString(text[to:])
		to += size
	}
	for ; n < sourceWidth && from > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:from])
		from -= size
	}
	return from, to
}

// noteIndent indents the related places under a finding.
const noteIndent = "    "

// fixHint describes a fix: its message and, for a single edit that
// writes text, the text it writes (on one line), unless the message
// already quotes it.
func fixHint(f lint.Fix) string {
	hint := f.Message
	if len(f.Edits) != 1 {
		return hint
	}
	e := f.Edits[0]
	text := strings.Join(strings.Fields(e.NewText), " ")
	if text == "" || strings.Contains(hint, text) {
		return hint
	}
	what := "replace with `" + text + "`"
	if e.Start == e.End {
		what = "insert `" + text + "`"
	}
	if hint == "" {
		return what
	}
	return hint + " (" + what + ")"
}
