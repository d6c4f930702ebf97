package puma

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/lint/apps/lex"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// This file is a tokenizer for the part of Ruby a puma.rb is written in:
// names, constants, numbers, strings ('...', "..." with #{} interpolation
// skipped and marked, %q %Q %w %i %() literals), symbols, operators,
// comments, =begin/=end blocks, and the end of statements. A heredoc
// stops it with an error: nginxlint does not read them.

type tokKind uint8

const (
	tIdent  tokKind = iota + 1 // a name or a keyword: bind, ENV, if, end
	tNumber                    // 3000
	tString                    // a string literal, decoded
	tSymbol                    // :name, or a label name: (text without the colon)
	tOp
	tEOS // the end of a statement: a newline or ";"
)

type token struct {
	kind       tokKind
	start, end int
	text       string // decoded for strings
	// interp is true for a string with interpolation (#{...}): its value
	// is computed.
	interp bool
	// space is true when white space comes before the token.
	space bool
}

type rubyError struct {
	start, end int
	msg        string
}

// tokenize splits src into tokens, with tEOS at the end of each
// statement (a newline outside brackets that does not continue the
// statement). When comments is not nil, it appends where each # comment
// is: from its '#' to the end of its line, without a "\r".
func tokenize(src string, comments *[]syntax.Comment) ([]token, *rubyError) {
	var toks []token
	depth := 0
	i := 0
	space := false
	lineStart := true
	emit := func(t token) {
		t.space = space
		space = false
		toks = append(toks, t)
	}
	for i < len(src) {
		if lineStart && strings.HasPrefix(src[i:], "=begin") && (i+6 == len(src) || isSpace(src[i+6])) {
			j := strings.Index(src[i:], "\n=end")
			if j < 0 {
				return nil, &rubyError{i, i + 6, "this =begin comment is never closed with =end"}
			}
			i += j + 5
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		if lineStart && strings.HasPrefix(src[i:], "__END__") && (i+7 == len(src) || src[i+7] == '\n' || src[i+7] == '\r') {
			break
		}
		lineStart = false
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\f' || c == '\v':
			space = true
			i++
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r'):
			i += 2
			if src[i-1] == '\r' && i < len(src) && src[i] == '\n' {
				i++
			}
			space = true
		case c == '#':
			start := i
			for i < len(src) && src[i] != '\n' {
				i++
			}
			if comments != nil {
				end := i
				if end > start && src[end-1] == '\r' {
					end--
				}
				*comments = append(*comments, syntax.Comment{Start: int32(start), End: int32(end)})
			}
		case c == '\n' || c == '\r' || c == ';':
			if depth == 0 && (c == ';' || !continues(toks)) {
				if len(toks) > 0 && toks[len(toks)-1].kind != tEOS {
					toks = append(toks, token{kind: tEOS, start: i, end: i + 1})
				}
			}
			if c != ';' {
				lineStart = true
			}
			space = true
			i++
		case c == '"' || c == '\'' || c == '`':
			t, err := scanString(src, i, i+1, c, c, c != '\'', 0)
			if err != nil {
				return nil, err
			}
			emit(t)
			i = t.end
		case c == '%' && i+1 < len(src) && percentLiteral(src[i+1:], prevValue(toks), space):
			t, err := scanPercent(src, i)
			if err != nil {
				return nil, err
			}
			emit(t)
			i = t.end
		case c == '<' && strings.HasPrefix(src[i:], "<<") && i+2 < len(src) && (src[i+2] == '~' || src[i+2] == '-' || src[i+2] == '"' || src[i+2] == '\'' || src[i+2] >= 'A' && src[i+2] <= 'Z') && (!prevValue(toks) || space && toks[len(toks)-1].kind == tIdent):
			return nil, &rubyError{i, i + 2, "nginxlint does not read heredocs in puma.rb; write the value as a quoted string"}
		case c == ':' && i+1 < len(src) && (lex.IsIdentStart(src[i+1]) || src[i+1] == '"' || src[i+1] == '\'') && (i+1 >= len(src) || src[i+1] != ':') && !(prevValue(toks) && !space):
			if src[i+1] == '"' || src[i+1] == '\'' {
				t, err := scanString(src, i, i+2, src[i+1], src[i+1], src[i+1] == '"', 0)
				if err != nil {
					return nil, err
				}
				t.kind = tSymbol
				emit(t)
				i = t.end
				continue
			}
			j := i + 1
			for j < len(src) && lex.IsIdentByte(src[j]) {
				j++
			}
			if j < len(src) && (src[j] == '?' || src[j] == '!' || src[j] == '=') && !(j+1 < len(src) && (src[j+1] == '=' || src[j+1] == '~')) {
				j++
			}
			emit(token{kind: tSymbol, start: i, end: j, text: src[i+1 : j]})
			i = j
		case lex.IsIdentStart(c):
			j := i
			for j < len(src) && lex.IsIdentByte(src[j]) {
				j++
			}
			if j < len(src) && (src[j] == '?' || src[j] == '!') && !(j+1 < len(src) && src[j+1] == '=') {
				j++
			}
			word := src[i:j]
			if !utf8.ValidString(word) {
				return nil, &rubyError{i, j, "invalid UTF-8 in a name"}
			}
			// A label: "port: 3000" in a hash or a keyword argument.
			if j < len(src) && src[j] == ':' && (j+1 >= len(src) || src[j+1] != ':') && !strings.HasSuffix(word, "?") {
				emit(token{kind: tSymbol, start: i, end: j + 1, text: word})
				i = j + 1
				continue
			}
			emit(token{kind: tIdent, start: i, end: j, text: word})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (lex.IsIdentByte(src[j]) || src[j] == '.' && j+1 < len(src) && src[j+1] >= '0' && src[j+1] <= '9') {
				j++
			}
			emit(token{kind: tNumber, start: i, end: j, text: src[i:j]})
			i = j
		case c == '@' || c == '$':
			j := i + 1
			for j < len(src) && (lex.IsIdentByte(src[j]) || src[j] == '@') {
				j++
			}
			emit(token{kind: tIdent, start: i, end: j, text: src[i:j]})
			i = j
		default:
			op := operator(src[i:])
			if op == "" {
				r, size := utf8.DecodeRuneInString(src[i:])
				if r == utf8.RuneError && size <= 1 {
					return nil, &rubyError{i, i + 1, "invalid UTF-8"}
				}
				return nil, &rubyError{i, i + size, fmt.Sprintf("unexpected character %q", r)}
			}
			switch op {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth == 0 {
					return nil, &rubyError{i, i + 1, fmt.Sprintf("unmatched %q", op)}
				}
				depth--
			}
			emit(token{kind: tOp, start: i, end: i + len(op), text: op})
			i += len(op)
		}
	}
	if depth > 0 {
		return nil, &rubyError{len(src), len(src), "a bracket is never closed"}
	}
	if len(toks) > 0 && toks[len(toks)-1].kind != tEOS {
		toks = append(toks, token{kind: tEOS, start: len(src), end: len(src)})
	}
	return toks, nil
}

// continues reports whether a statement whose last token is the last of
// toks goes on on the next line (it ends with an operator or a comma).
func continues(toks []token) bool {
	if len(toks) == 0 {
		return false
	}
	t := toks[len(toks)-1]
	if t.kind != tOp {
		return false
	}
	switch t.text {
	case ")", "]", "}":
		return false
	}
	return true
}

// prevValue reports whether the last token ends a value, so that what
// follows is an operator (a % or a < is then not a literal).
func prevValue(toks []token) bool {
	if len(toks) == 0 {
		return false
	}
	t := toks[len(toks)-1]
	switch t.kind {
	case tNumber, tString, tSymbol:
		return true
	case tIdent:
		switch t.text {
		case "if", "unless", "while", "until", "and", "or", "not", "return", "when", "puts", "then", "do", "else", "elsif", "in":
			return false
		}
		return true
	case tOp:
		return t.text == ")" || t.text == "]" || t.text == "}"
	}
	return false
}

// percentLiteral reports whether "%" followed by s starts a literal
// (%w[...], %q(...), %(...)) rather than the modulo operator.
func percentLiteral(s string, afterValue, space bool) bool {
	if afterValue && !(space && len(s) > 0 && s[0] != ' ' && s[0] != '=') {
		return false
	}
	if len(s) >= 2 && strings.IndexByte("qQwWiIsr", s[0]) >= 0 && isDelim(s[1]) {
		return true
	}
	return len(s) >= 1 && strings.IndexByte("([{<|!/", s[0]) >= 0
}

func isDelim(c byte) bool {
	return c < 0x80 && !lex.IsIdentByte(c) && c != ' ' && c != '\n' && c != '\t'
}

func scanPercent(src string, i int) (token, *rubyError) {
	j := i + 1
	kind := byte('Q')
	if strings.IndexByte("qQwWiIsr", src[j]) >= 0 {
		kind = src[j]
		j++
	}
	open := src[j]
	closer := open
	switch open {
	case '(':
		closer = ')'
	case '[':
		closer = ']'
	case '{':
		closer = '}'
	case '<':
		closer = '>'
	}
	t, err := scanString(src, i, j+1, open, closer, kind == 'Q' || kind == 'W' || kind == 'I', 0)
	if err != nil {
		return t, err
	}
	switch kind {
	case 'w', 'W', 'i', 'I', 'r':
		// Arrays and regular expressions are not values nginxlint reads.
		t.kind = tOp
		t.text = "%" + string(kind)
	case 's':
		t.kind = tSymbol
	}
	return t, nil
}

// scanString reads a string whose token starts at start and whose
// content starts at i, up to closer (open nests when it differs).
// nest counts the interpolations around the string.
func scanString(src string, start, i int, open, closer byte, double bool, nest int) (token, *rubyError) {
	t := token{kind: tString, start: start}
	var b strings.Builder
	depth := 0
	for {
		if i >= len(src) {
			return t, &rubyError{start, start + 1, fmt.Sprintf("this string is never closed; end it with %c", closer)}
		}
		c := src[i]
		switch {
		case c == closer && depth == 0:
			t.end = i + 1
			t.text = b.String()
			return t, nil
		case c == closer:
			depth--
			b.WriteByte(c)
			i++
		case c == open && open != closer:
			depth++
			b.WriteByte(c)
			i++
		case c == '\\' && i+1 < len(src):
			if !double {
				if src[i+1] == '\\' || src[i+1] == closer || src[i+1] == open {
					b.WriteByte(src[i+1])
				} else {
					b.WriteString(src[i : i+2])
				}
				i += 2
				continue
			}
			i = unescape(src, i, &b)
		case double && c == '#' && i+1 < len(src) && src[i+1] == '{':
			t.interp = true
			if nest >= maxNest {
				return t, &rubyError{i, i + 2, "interpolations nest too deep"}
			}
			n, err := skipInterpolation(src, i+1, nest+1)
			if err != nil {
				return t, err
			}
			b.WriteString(src[i:n])
			i = n
		case double && c == '#' && i+1 < len(src) && (src[i+1] == '@' || src[i+1] == '$'):
			t.interp = true
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// maxNest bounds strings in interpolations in strings.
const maxNest = 16

// skipInterpolation skips #{...} from its "{", strings inside included,
// and returns the offset after its "}".
func skipInterpolation(src string, i, nest int) (int, *rubyError) {
	open := i
	depth := 0
	for i < len(src) {
		switch c := src[i]; c {
		case '{':
			depth++
			i++
		case '}':
			depth--
			i++
			if depth == 0 {
				return i, nil
			}
		case '"', '\'':
			t, err := scanString(src, i, i+1, c, c, c == '"', nest)
			if err != nil {
				return 0, err
			}
			i = t.end
		default:
			i++
		}
	}
	return 0, &rubyError{open - 1, open + 1, "this #{ interpolation is never closed"}
}

// unescape decodes the escape at src[i] ("\") of a double-quoted string.
func unescape(src string, i int, b *strings.Builder) int {
	c := src[i+1]
	simple := map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', 's': ' ', 'e': 0x1b, 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v'}
	if r, ok := simple[c]; ok {
		b.WriteByte(r)
		return i + 2
	}
	switch {
	case c == '\n':
		return i + 2
	case c >= '0' && c <= '7':
		j, n := i+1, 0
		for j < len(src) && j < i+4 && src[j] >= '0' && src[j] <= '7' {
			n = n*8 + int(src[j]-'0')
			j++
		}
		b.WriteByte(byte(n))
		return j
	case c == 'x':
		j, n := i+2, 0
		for j < len(src) && j < i+4 && isHex(src[j]) {
			v, _ := strconv.ParseUint(src[j:j+1], 16, 8)
			n = n*16 + int(v)
			j++
		}
		b.WriteByte(byte(n))
		return j
	case c == 'u':
		if i+2 < len(src) && src[i+2] == '{' {
			end := strings.IndexByte(src[i:], '}')
			if end > 0 {
				for _, h := range strings.Fields(src[i+3 : i+end]) {
					if n, err := strconv.ParseUint(h, 16, 32); err == nil && n <= utf8.MaxRune {
						b.WriteRune(rune(n))
					}
				}
				return i + end + 1
			}
		}
		if i+6 <= len(src) {
			if n, err := strconv.ParseUint(src[i+2:i+6], 16, 32); err == nil {
				b.WriteRune(rune(n))
				return i + 6
			}
		}
	}
	b.WriteByte(c)
	return i + 2
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

var operators = []string{
	"**=", "<=>", "===", "...", "<<=", ">>=", "&&=", "||=", "&.",
	"**", "==", "!=", ">=", "<=", "&&", "||", "<<", ">>", "=~", "!~", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "::", "..", "=>", "->",
	"(", ")", "[", "]", "{", "}", ",", ".", "+", "-", "*", "/", "%", "=", "<", ">", "!", "&", "|", "^", "~", "?", ":",
}

func operator(s string) string { return lex.Operator(s, operators) }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
