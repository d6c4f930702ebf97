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
// is a headline (FILE:LINE:COL: SEVERITY: HEADLINE [RULE]), then the
// source line with a gutter holding its number, a caret line (^~~~)
// under the span on that line, the rest of the message on "note:" lines,
// a "fix:" hint per fix, and each related place as an indented note with
// its own source line and caret; findings are separated by blank lines,
// and a summary ends the output, with how many findings --fix can fix:
//
//	etc/nginx/nginx.conf:3:13: error: proxy_pass "127.0.0.1:8000" has no scheme [proxy-pass-scheme]
//	 3 | 	proxy_pass 127.0.0.1:8000;
//	   | 	           ^~~~~~~~~~~~~~
//	   = note: nginx fails with "invalid URL prefix". Use "http://127.0.0.1:8000"
//	   = fix: add the scheme (insert `http://`)
//
//	1 error in 4 files; 1 fixable with --fix
//
// The headline is the message up to its first ": " or "; " outside
// quotes and brackets; each further "; " starts a note line (see
// splitMessage). When the writer tells the width of its terminal
// (TerminalWidth), every line but the source lines is wrapped to it at
// spaces, continuation lines indented under the text they continue.
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
// (Report.Disabled), if any ("1 error in 4 files; 2 rules disabled: a,
// b"; only their number past maxDisabledNamed), and ends with "N fixable
// with --fix" when findings have a fix.
func writePretty(w io.Writer, r *Report, opts Options) error {
	var b strings.Builder
	p := prettyPrinter{b: &b, color: opts.Color}
	if tw, ok := w.(TerminalWidth); ok {
		p.width = max(tw.TerminalWidth(), minWrapWidth)
	}
	counts := map[lint.Severity]int{}
	fixable := 0
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		counts[d.Severity]++
		if len(d.Fixes) > 0 {
			fixable++
		}
		p.finding(d)
		b.WriteByte('\n')
	}
	line := summary(counts[lint.Error], counts[lint.Warning], counts[lint.Info], r.Files)
	if r.Fragments > 0 {
		line += fmt.Sprintf(" (%d loaded by nginx.conf, %d linted as fragments)", r.Reached, r.Fragments)
	}
	line += disabledNote(r.Disabled)
	if fixable > 0 {
		line += "; " + strconv.Itoa(fixable) + " fixable with --fix"
	}
	p.wrap("", "  ", words(line))
	_, err := io.WriteString(w, b.String())
	return err
}

// TerminalWidth is implemented by a writer that knows the width of the
// terminal it writes to, in columns: the terminal layout wraps its lines
// to it (the command passes one for standard output on a terminal).
type TerminalWidth interface {
	TerminalWidth() int
}

// minWrapWidth is the narrowest width lines are wrapped to, whatever the
// terminal says.
const minWrapWidth = 40

// maxDisabledNamed is how many disabled rules the summary names; past
// it, it gives their number (-v names them).
const maxDisabledNamed = 5

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
	if len(ids) > maxDisabledNamed {
		return "; " + prettyCount(len(ids), "rule", "rules") + " disabled (-v names them)"
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
	width int // the width lines are wrapped to; 0: not wrapped
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
	sev := severityStyle(d.Severity)
	headline, details := splitMessage(logSafe(d.Message))
	var head []word
	if d.File != nil {
		head = append(head, p.word(ansiBold, position(d.File, d.Start)+":"))
	}
	head = append(head, p.word(sev, d.Severity.String()+":"))
	head = append(head, words(headline)...)
	head = append(head, p.word(ansiMagenta, "["+d.Rule+"]"))
	p.wrap("", noteIndent, head)
	pad := ""
	if d.File != nil {
		pad = p.source("", d.File, d.Start, d.End, sev)
	}
	lead := " " + pad + " = "
	for _, text := range details {
		p.wrap(lead, strings.Repeat(" ", len(lead)+len("note: ")), append([]word{p.word(ansiCyan, "note:")}, words(text)...))
	}
	for _, f := range d.Fixes {
		p.wrap(lead, strings.Repeat(" ", len(lead)+len("fix: ")), append([]word{p.word(ansiGreen, "fix:")}, words(logSafe(fixHint(f)))...))
	}
	for _, r := range d.Related {
		if r.File == nil {
			continue
		}
		note := []word{p.word(ansiBold, position(r.File, r.Start)+":"), p.word(ansiCyan, "note:")}
		p.wrap(noteIndent, noteIndent+noteIndent, append(note, words(logSafe(r.Message))...))
		p.source(noteIndent, r.File, r.Start, r.End, ansiCyan)
	}
}

// word is one word of a line the printer wraps: its text, and how it is
// written (with colour escapes, or the text).
type word struct{ text, painted string }

func (p *prettyPrinter) word(style, text string) word {
	return word{text, p.paint(style, text)}
}

// words splits text at its spaces (a run of spaces keeps its width:
// empty words stand for the extra ones).
func words(text string) []word {
	if text == "" {
		return nil
	}
	parts := strings.Split(text, " ")
	out := make([]word, len(parts))
	for i, s := range parts {
		out[i] = word{s, s}
	}
	return out
}

// wrap writes one line of ws after lead, joined by spaces, and ends it;
// with a width, it breaks the line at spaces where it would pass the
// width, each continuation line starting with cont. A word longer than
// the width stays whole.
func (p *prettyPrinter) wrap(lead, cont string, ws []word) {
	b := p.b
	b.WriteString(lead)
	col := utf8.RuneCountInString(lead)
	start := col // where the line's text starts: no break before its first word
	for i, w := range ws {
		n := utf8.RuneCountInString(w.text)
		if i > 0 {
			if p.width > 0 && col > start && col+1+n > p.width {
				b.WriteByte('\n')
				b.WriteString(cont)
				col = utf8.RuneCountInString(cont)
				start = col
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(w.painted)
		col += n
	}
	b.WriteByte('\n')
}

// splitMessage splits a finding's message into a short headline and the
// details that follow it: the headline runs to the first ": " or "; ",
// each further "; " starts another detail. Separators inside double
// quotes (with backslash escapes), backquotes, parentheses or brackets do
// not count; a message whose quotes or brackets do not pair is not split.
//
//	upstream "u" dials 127.0.0.1:1, where no backend listens: requests fail with 502; did you mean 127.0.0.1:2?
//
// is "upstream "u" dials 127.0.0.1:1, where no backend listens", then
// "requests fail with 502" and "did you mean 127.0.0.1:2?".
func splitMessage(msg string) (headline string, details []string) {
	var cuts []int
	depth := 0
	var quote byte
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '`':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			if depth--; depth < 0 {
				return msg, nil
			}
		case depth == 0 && i+1 < len(msg) && msg[i+1] == ' ' && (c == ';' || c == ':' && len(cuts) == 0):
			cuts = append(cuts, i)
		}
	}
	if quote != 0 || depth != 0 || len(cuts) == 0 {
		return msg, nil
	}
	from := 0
	var parts []string
	for _, at := range append(cuts, len(msg)) {
		if part := strings.TrimSpace(msg[from:at]); part != "" {
			parts = append(parts, part)
		}
		from = at + 1
	}
	if len(parts) < 2 {
		return msg, nil
	}
	return parts[0], parts[1:]
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
