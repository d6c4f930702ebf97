package gunicorn

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/lint/apps/lex"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// This file is a tokenizer for the part of Python a gunicorn.conf.py is
// read with: names, numbers, operators, and strings decoded in full
// (every quote form, the r, b, u and f prefixes, escapes, implicit
// concatenation), with comments, backslash continuation and brackets
// that span lines. It knows where each logical line starts and how it is
// indented, which is all the reader needs to tell a top-level assignment
// from one inside a block. It does not build expressions: the reader
// takes a value as a literal only when its tokens are one.

type tokKind uint8

const (
	tName tokKind = iota + 1
	tNumber
	tString
	tOp
)

// token is one Python token. For a string, text is its decoded value
// (the pieces of an implicit concatenation are separate tokens).
type token struct {
	kind       tokKind
	start, end int
	text       string
	// For strings: a bytes literal; an f-string with replacement fields
	// (its value is computed); a \N{...} escape (its value is not
	// decoded here).
	bytes, fields, named bool
}

// line is one logical line: its tokens, and the indentation of its first
// one (tabs to the next multiple of 8, as Python counts them).
type line struct {
	toks   []token
	indent int
}

// syntaxError is what stops the tokenizer: the file does not parse, and
// Python would refuse it.
type syntaxError struct {
	start, end int
	msg        string
}

// tokenize splits src into logical lines. It stops at the first error.
// When comments is not nil, it appends where each comment is: from its
// '#' to the end of its line.
func tokenize(src string, comments *[]syntax.Comment) ([]line, *syntaxError) {
	var (
		lines  []line
		cur    line
		depth  int // open brackets
		opens  []int
		i      int
		bol    = true // at the beginning of a physical line, outside brackets
		indent int
	)
	flush := func() {
		if len(cur.toks) > 0 {
			lines = append(lines, cur)
		}
		cur = line{}
	}
	errAt := func(start, end int, format string, args ...any) ([]line, *syntaxError) {
		return nil, &syntaxError{start, end, fmt.Sprintf(format, args...)}
	}
	for i < len(src) {
		if bol {
			indent = 0
			for i < len(src) {
				switch src[i] {
				case ' ':
					indent++
				case '\t':
					indent = (indent/8 + 1) * 8
				case '\f':
					indent = 0
				default:
					goto measured
				}
				i++
			}
		measured:
			bol = false
			if i < len(src) && len(cur.toks) == 0 {
				cur.indent = indent
			}
			continue
		}
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\f':
			i++
		case c == '#':
			start := i
			for i < len(src) && src[i] != '\n' && src[i] != '\r' {
				i++
			}
			if comments != nil {
				*comments = append(*comments, syntax.Comment{Start: int32(start), End: int32(i)})
			}
		case c == '\n' || c == '\r':
			if c == '\r' && i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			i++
			if depth == 0 {
				flush()
				bol = true
			}
		case c == '\\':
			j := i + 1
			switch {
			case strings.HasPrefix(src[j:], "\r\n"):
				j += 2
			case j < len(src) && (src[j] == '\n' || src[j] == '\r'):
				j++
			default:
				return errAt(i, i+1, "unexpected backslash: a backslash outside a string must end the line (line continuation)")
			}
			if j >= len(src) {
				return errAt(i, i+1, "the file ends after a line continuation; remove the backslash")
			}
			i = j
		case c == '"' || c == '\'':
			t, err := scanString(src, i, i, "")
			if err != nil {
				return nil, err
			}
			cur.toks = append(cur.toks, t)
			i = t.end
		case lex.IsIdentStart(c):
			j := i
			for j < len(src) && lex.IsIdentByte(src[j]) {
				j++
			}
			word := src[i:j]
			if j < len(src) && (src[j] == '"' || src[j] == '\'') && isStringPrefix(word) {
				t, err := scanString(src, i, j, strings.ToLower(word))
				if err != nil {
					return nil, err
				}
				cur.toks = append(cur.toks, t)
				i = t.end
				continue
			}
			if !utf8.ValidString(word) {
				return errAt(i, j, "invalid UTF-8 in a name")
			}
			cur.toks = append(cur.toks, token{kind: tName, start: i, end: j, text: word})
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < len(src) {
				d := src[j]
				if lex.IsIdentByte(d) && d < 0x80 || d == '.' {
					j++
					continue
				}
				// An exponent's sign: 1e-5.
				if (d == '+' || d == '-') && (src[j-1] == 'e' || src[j-1] == 'E') && !hasRadix(src[i:j]) {
					j++
					continue
				}
				break
			}
			cur.toks = append(cur.toks, token{kind: tNumber, start: i, end: j, text: src[i:j]})
			i = j
		default:
			op := operator(src[i:])
			if op == "" {
				r, size := utf8.DecodeRuneInString(src[i:])
				if r == utf8.RuneError && size <= 1 {
					return errAt(i, i+1, "invalid UTF-8")
				}
				return errAt(i, i+size, "unexpected character %q", r)
			}
			switch op {
			case "(", "[", "{":
				depth++
				opens = append(opens, i)
			case ")", "]", "}":
				if depth == 0 {
					return errAt(i, i+1, "unmatched %q", op)
				}
				want := map[byte]string{'(': ")", '[': "]", '{': "}"}[src[opens[len(opens)-1]]]
				if op != want {
					return errAt(i, i+1, "%q does not close %q; write %q", op, src[opens[len(opens)-1]:opens[len(opens)-1]+1], want)
				}
				depth--
				opens = opens[:len(opens)-1]
			}
			cur.toks = append(cur.toks, token{kind: tOp, start: i, end: i + len(op), text: op})
			i += len(op)
		}
	}
	if depth > 0 {
		o := opens[len(opens)-1]
		return errAt(o, o+1, "%q is never closed", src[o:o+1])
	}
	flush()
	return lines, nil
}

// operators, longest first.
var operators = []string{
	"**=", "//=", ">>=", "<<=", "...",
	"->", ":=", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "**", "//", "<<", ">>",
	"(", ")", "[", "]", "{", "}", ":", ",", ";", ".", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">", "=", "@", "!",
}

func operator(s string) string { return lex.Operator(s, operators) }

// hasRadix reports whether the number s starts with 0x, 0o or 0b.
func hasRadix(s string) bool {
	return len(s) >= 2 && s[0] == '0' && strings.IndexByte("xXoObB", s[1]) >= 0
}

// isStringPrefix reports whether w, before a quote, is a string prefix.
func isStringPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt":
		return true
	}
	return false
}

// scanString reads the string literal whose prefix starts at start and
// whose opening quote is at q.
func scanString(src string, start, q int, prefix string) (token, *syntaxError) {
	raw := strings.Contains(prefix, "r")
	fstr := strings.ContainsAny(prefix, "ft")
	t := token{kind: tString, start: start, bytes: strings.Contains(prefix, "b")}
	quote := src[q]
	triple := q+2 < len(src) && src[q+1] == quote && src[q+2] == quote
	i := q + 1
	if triple {
		i = q + 3
	}
	var b strings.Builder
	for {
		if i >= len(src) {
			if triple {
				return t, &syntaxError{start, q + 3, "this triple-quoted string is never closed"}
			}
			return t, &syntaxError{start, i, "this string is never closed; end it with " + string(quote)}
		}
		c := src[i]
		switch {
		case c == quote && (!triple || i+2 < len(src) && src[i+1] == quote && src[i+2] == quote):
			if triple {
				i += 3
			} else {
				i++
			}
			t.end = i
			t.text = b.String()
			return t, nil
		case (c == '\n' || c == '\r') && !triple:
			return t, &syntaxError{start, i, "this string is never closed on its line; end it with " + string(quote) + " or use a triple-quoted string"}
		case c == '\\':
			if i+1 >= len(src) {
				i++
				continue
			}
			if raw {
				b.WriteString(src[i : i+2])
				i += 2
				continue
			}
			n, err := unescape(src, i, &b, &t)
			if err != nil {
				return t, err
			}
			i = n
		case fstr && c == '{':
			if i+1 < len(src) && src[i+1] == '{' {
				b.WriteByte('{')
				i += 2
				continue
			}
			t.fields = true
			n, err := skipField(src, i)
			if err != nil {
				return t, err
			}
			i = n
		case fstr && c == '}':
			if i+1 < len(src) && src[i+1] == '}' {
				i++
			}
			b.WriteByte('}')
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// skipField skips an f-string's replacement field from its "{", strings
// inside it included, and returns the offset after its "}".
func skipField(src string, i int) (int, *syntaxError) {
	open := i
	depth := 0
	for i < len(src) {
		switch c := src[i]; c {
		case '{', '[', '(':
			depth++
			i++
		case '}', ']', ')':
			depth--
			i++
			if depth == 0 {
				return i, nil
			}
		case '"', '\'':
			t, err := scanString(src, i, i, "")
			if err != nil {
				return 0, err
			}
			i = t.end
		case '\n', '\r':
			return 0, &syntaxError{open, open + 1, "this f-string's replacement field is never closed"}
		default:
			i++
		}
	}
	return 0, &syntaxError{open, open + 1, "this f-string's replacement field is never closed"}
}

// unescape decodes the escape sequence at src[i] ("\") into b and
// returns the offset after it. Unknown escapes are kept as written, as
// Python keeps them.
func unescape(src string, i int, b *strings.Builder, t *token) (int, *syntaxError) {
	c := src[i+1]
	switch c {
	case '\n':
		return i + 2, nil
	case '\r':
		if i+2 < len(src) && src[i+2] == '\n' {
			return i + 3, nil
		}
		return i + 2, nil
	case '\\', '\'', '"':
		b.WriteByte(c)
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'v':
		b.WriteByte('\v')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		j, n := i+1, 0
		for j < len(src) && j < i+4 && src[j] >= '0' && src[j] <= '7' {
			n = n*8 + int(src[j]-'0')
			j++
		}
		writeCode(b, n, t.bytes)
		return j, nil
	case 'x', 'u', 'U':
		size := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		if c != 'x' && t.bytes {
			b.WriteString(src[i : i+2])
			return i + 2, nil
		}
		if i+2+size > len(src) {
			return 0, &syntaxError{i, len(src), fmt.Sprintf(`truncated \%c escape: write %d hexadecimal digits`, c, size)}
		}
		n, err := strconv.ParseUint(src[i+2:i+2+size], 16, 32)
		if err != nil {
			return 0, &syntaxError{i, i + 2 + size, fmt.Sprintf(`invalid \%c escape: write %d hexadecimal digits`, c, size)}
		}
		if n > utf8.MaxRune {
			return 0, &syntaxError{i, i + 2 + size, `\U escape beyond the last Unicode character`}
		}
		writeCode(b, int(n), t.bytes)
		return i + 2 + size, nil
	case 'N':
		if t.bytes {
			b.WriteString(`\N`)
			return i + 2, nil
		}
		end := strings.IndexByte(src[i:], '}')
		if i+2 >= len(src) || src[i+2] != '{' || end < 0 || strings.ContainsAny(src[i:i+end], "\n\r") {
			return 0, &syntaxError{i, i + 2, `malformed \N character escape: write \N{NAME}`}
		}
		t.named = true
		b.WriteString(src[i : i+end+1])
		return i + end + 1, nil
	default:
		b.WriteString(src[i : i+2])
	}
	return i + 2, nil
}

func writeCode(b *strings.Builder, n int, bytes bool) {
	if bytes || n < 0x80 {
		b.WriteByte(byte(n))
		return
	}
	b.WriteRune(rune(n))
}
