package format

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// What the formats print comes partly from the input: file names,
// directive values and backend names, and the messages, notes and fix
// texts that quote them. None of it may reach a terminal or a CI log as
// anything but text: the line formats (text, github, checkstyle) show it
// through logSafe and logPath, and the JSON formats (json, sarif) escape
// it through encodeJSON, so that it round-trips exactly.

// logSafe replaces what a terminal or a CI runner would obey in s
// (control characters other than tab, invalid UTF-8, workflow command
// markers; see textutil.LogSafe) by U+FFFD, one character for one, so that
// columns do not move.
func logSafe(s string) string { return textutil.LogSafe(s, false) }

// logPath is logSafe for a file name, which may begin a line: one that
// would make the line read as a GitHub Actions workflow command is written
// "./NAME" (see textutil.LogPath).
func logPath(name string) string { return textutil.LogPath(name) }

// position is the "FILE:LINE:COL" of an offset in f, made safe to begin a
// line.
func position(f *syntax.File, off int) string {
	pos := f.Position(off)
	return fmt.Sprintf("%s:%d:%d", logPath(pos.File), pos.Line, pos.Column)
}

// encodeJSON writes v as indented JSON, with the characters a terminal or
// a CI runner would obey that encoding/json leaves as they are (DEL, C1
// and bidirectional controls, the "[" of "##[") written as \u escapes:
// the document means the same, and printed to a CI log it forges nothing.
func encodeJSON(w io.Writer, v any, escapeHTML bool) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		return err
	}
	// Outside strings, JSON holds only ASCII punctuation, digits, letters
	// and blanks, none of which EscapeLog touches or takes for part of a
	// marker ("#" appears only in strings): every escape is in a string.
	out := textutil.EscapeLog(buf.String(), func(r rune) string { return fmt.Sprintf(`\u%04x`, r) })
	_, err := io.WriteString(w, out)
	return err
}
