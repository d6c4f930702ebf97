package format

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/internal/textutil"

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
// Tabs of the source line are kept in the caret line, so the caret stays
// under the span whatever the terminal's tab width; every other character
// is taken to fill one cell (wide East Asian characters are not
// measured). Control characters of the source and the message are shown
// as U+FFFD, so that a configuration cannot send escape sequences to the
// terminal.
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
		fmt.Fprintf(b, "%s %s %s\n", p.paint(sev, d.Severity.String()+":"), termSafe(d.Message), p.paint(ansiMagenta, "["+d.Rule+"]"))
		return
	}
	pos := d.File.Position(d.Start)
	fmt.Fprintf(b, "%s %s %s %s\n", p.paint(ansiBold, termSafe(pos.String())+":"), p.paint(sev, d.Severity.String()+":"), termSafe(d.Message), p.paint(ansiMagenta, "["+d.Rule+"]"))
	pad := p.source("", d.File, d.Start, d.End, sev)
	for _, f := range d.Fixes {
		fmt.Fprintf(b, " %s = %s %s\n", pad, p.paint(ansiGreen, "fix:"), termSafe(fixHint(f)))
	}
	for _, r := range d.Related {
		if r.File == nil {
			continue
		}
		fmt.Fprintf(b, "%s%s %s %s\n", noteIndent, p.paint(ansiBold, termSafe(r.File.Position(r.Start).String())+":"), p.paint(ansiCyan, "note:"), termSafe(r.Message))
		p.source(noteIndent, r.File, r.Start, r.End, ansiCyan)
	}
}

// source prints the line of f holding offset start, after a gutter with
// its number, and a caret line under the span [start, end) on that line
// (only its first line), each line prefixed with indent. It returns the
// gutter's blank padding, for the lines that follow.
func (p *prettyPrinter) source(indent string, f *syntax.File, start, end int, style string) string {
	b := p.b
	pos := f.Position(start)
	num := strconv.Itoa(pos.Line)
	pad := strings.Repeat(" ", len(num))
	text := f.Line(pos.Line)
	col := pos.Offset - f.LineStart(pos.Line) // bytes into the line
	col = min(max(col, 0), len(text))
	end -= f.LineStart(pos.Line)
	end = min(max(end, col), len(text)) // only the first line of the span

	fmt.Fprintf(b, "%s %s |", indent, num)
	if text != "" {
		b.WriteString(" " + termSafe(text))
	}
	b.WriteByte('\n')

	var lead, marks strings.Builder
	for _, r := range text[:col] {
		if r == '\t' {
			lead.WriteByte('\t')
		} else {
			lead.WriteByte(' ')
		}
	}
	marks.WriteByte('^')
	first := true
	for _, r := range text[col:end] {
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
	fmt.Fprintf(b, "%s %s | %s%s\n", indent, pad, lead.String(), p.paint(style, marks.String()))
	return pad
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

// termSafe replaces control characters other than tab, and invalid UTF-8,
// by U+FFFD: one character for one, so columns do not move.
func termSafe(s string) string { return textutil.TermSafe(s, false) }
