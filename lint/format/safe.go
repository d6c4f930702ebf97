package format

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

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
	if err := indentEncoder(&buf, "", escapeHTML).Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, escapeJSON(buf.Bytes()))
	return err
}

// indentEncoder returns an encoder to buf that indents by two spaces
// after prefix, as every JSON format does.
func indentEncoder(buf *bytes.Buffer, prefix string, escapeHTML bool) *json.Encoder {
	enc := json.NewEncoder(buf)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(escapeHTML)
	return enc
}

// escapeJSON is the escaping of encodeJSON. Outside strings, JSON holds
// only ASCII punctuation, digits, letters and blanks, none of which
// EscapeLog touches or takes for part of a marker ("#" appears only in
// strings, and a string's closing quote ends any marker): every escape
// is in a string, and pieces of a document can be escaped apart.
func escapeJSON(b []byte) string {
	return textutil.EscapeLog(string(b), func(r rune) string { return fmt.Sprintf(`\u%04x`, r) })
}

// encodeJSONList writes v as encodeJSON does, with the elements of one
// list written one by one from list: a report of many findings is never
// held whole in memory as text, three times over. The list is v's field
// named key, at depth levels of nesting (1 for a field of the top
// object), and must be empty in v; with key "", v is the list itself (v
// must be an empty list). The document is byte for byte encodeJSON's.
func encodeJSONList[T any](w io.Writer, v any, key string, depth int, list []T, escapeHTML bool) error {
	if len(list) == 0 && key == "" {
		return encodeJSON(w, list, escapeHTML)
	}
	var buf bytes.Buffer
	if err := indentEncoder(&buf, "", escapeHTML).Encode(v); err != nil {
		return err
	}
	doc := buf.Bytes()
	// Where the empty list is: a new line, the indentation of its depth,
	// the key (strings hold no raw new line, so nothing else matches).
	indent := strings.Repeat("  ", depth)
	at := "\n" + indent + strconv.Quote(key) + ": []"
	if key == "" {
		doc, at = append([]byte("\n"), doc...), "\n[]" // the list is the document
	}
	i := bytes.Index(doc, []byte(at))
	if i < 0 || bytes.Contains(doc[i+len(at):], []byte(at)) {
		return fmt.Errorf("format: no single empty %q list in the JSON document", key)
	}
	head, tail := doc[:i+len(at)-1], doc[i+len(at):] // up to "[", after "]"
	if key == "" {
		head = head[1:]
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(escapeJSON(head)) //nolint:errcheck // bufio keeps the first error for Flush
	// The elements are encoded in chunks, several at a time on as many
	// processors, and written in order.
	encode := func(from, to int) ([]byte, error) {
		var out, el bytes.Buffer
		enc := indentEncoder(&el, indent+"  ", escapeHTML)
		for i := from; i < to; i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			out.WriteString("\n" + indent + "  ")
			el.Reset()
			if err := enc.Encode(&list[i]); err != nil {
				return nil, err
			}
			out.WriteString(escapeJSON(bytes.TrimSuffix(el.Bytes(), []byte("\n"))))
		}
		return out.Bytes(), nil
	}
	const chunk = 256
	workers := max(1, min(runtime.GOMAXPROCS(0), (len(list)+chunk-1)/chunk))
	for batch := 0; batch < len(list); batch += workers * chunk {
		outs := make([][]byte, workers)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for k := range workers {
			from := batch + k*chunk
			if from >= len(list) {
				break
			}
			wg.Go(func() { outs[k], errs[k] = encode(from, min(from+chunk, len(list))) })
		}
		wg.Wait()
		for k := range workers {
			if errs[k] != nil {
				return errs[k]
			}
			bw.Write(outs[k]) //nolint:errcheck // as above
		}
	}
	if len(list) > 0 {
		bw.WriteString("\n" + indent) //nolint:errcheck // as above
	}
	bw.WriteByte(']')                //nolint:errcheck // as above
	bw.WriteString(escapeJSON(tail)) //nolint:errcheck // as above
	return bw.Flush()
}
