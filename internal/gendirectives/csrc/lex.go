package csrc

import "strings"

// A tolerant tokenizer for the C that nginx modules are written in. It
// knows just enough C to find the shapes ParseFile reads (command
// arrays, module definitions, function bodies, #define lines): it never
// fails, and what it does not understand it passes on as punctuation.

// A Kind is the kind of a Token.
type Kind uint8

const (
	Ident   Kind = iota // an identifier or keyword
	Number              // a number, with its suffixes
	String              // a string literal, adjacent ones joined, unescaped
	Char                // a character literal
	Punct               // one punctuation character
	Preproc             // a preprocessor line: "#if", "#else", "#define" ...
)

// A Token is one token of C source.
type Token struct {
	Kind Kind
	// Text is the token; for a String the literal's value (escapes of
	// quotes and backslashes resolved, others kept); for a Preproc the
	// directive ("if", "ifdef", "else", "define" ...).
	Text string
	// Rest is what follows a Preproc directive on its line, comments
	// removed.
	Rest string
	// Line is the line the token starts on, from 1.
	Line int
}

// Lex splits src into tokens, dropping comments and whitespace.
// Adjacent string literals are joined into one, as the compiler does.
func Lex(src string) []Token {
	var toks []Token
	line := 1
	lineStart := true // only whitespace since the last newline
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			lineStart = true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r'):
			i++ // a line continuation outside a preprocessor line
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 2
			}
			line += strings.Count(src[i:i+2+end], "\n")
			i += end + 4
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case c == '#' && lineStart:
			text, n, lines := preprocLine(src[i:])
			dir, rest := splitDirective(text)
			toks = append(toks, Token{Kind: Preproc, Text: dir, Rest: rest, Line: line})
			line += lines
			i += n
			continue
		}
		lineStart = false
		switch {
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			toks = append(toks, Token{Kind: Ident, Text: src[i:j], Line: line})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(src) && (isIdentChar(src[j]) || src[j] == '.') {
				j++
			}
			toks = append(toks, Token{Kind: Number, Text: src[i:j], Line: line})
			i = j
		case c == '"' || c == '\'':
			val, n, lines := quoted(src[i:])
			kind := String
			if c == '\'' {
				kind = Char
			}
			if kind == String && len(toks) > 0 && toks[len(toks)-1].Kind == String {
				toks[len(toks)-1].Text += val
			} else {
				toks = append(toks, Token{Kind: kind, Text: val, Line: line})
			}
			line += lines
			i += n
		default:
			toks = append(toks, Token{Kind: Punct, Text: src[i : i+1], Line: line})
			i++
		}
	}
	return toks
}

// preprocLine reads a preprocessor line starting at src[0] == '#', with
// its continuations and without its comments. It returns the text, the
// bytes consumed (up to, not including, the final newline) and the
// newlines inside.
func preprocLine(src string) (string, int, int) {
	var b strings.Builder
	lines := 0
	i := 1
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			return b.String(), i, lines
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			b.WriteByte(' ')
			lines++
			i += 2
			continue
		case c == '\\' && i+2 < len(src) && src[i+1] == '\r' && src[i+2] == '\n':
			b.WriteByte(' ')
			lines++
			i += 3
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 2
			}
			lines += strings.Count(src[i:i+2+end], "\n")
			b.WriteByte(' ')
			i += end + 4
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), len(src), lines
}

// splitDirective splits "  define X 1" into "define" and "X 1".
func splitDirective(text string) (string, string) {
	text = strings.TrimSpace(text)
	j := 0
	for j < len(text) && isIdentChar(text[j]) {
		j++
	}
	return text[:j], strings.TrimSpace(text[j:])
}

// quoted reads the literal at src[0] (a quote) and returns its value, the
// bytes it takes and the newlines in it.
func quoted(src string) (string, int, int) {
	q := src[0]
	var b strings.Builder
	lines := 0
	for i := 1; i < len(src); i++ {
		c := src[i]
		switch {
		case c == q:
			return b.String(), i + 1, lines
		case c == '\n':
			return b.String(), i, lines // unterminated: stop at the line end
		case c == '\\' && i+1 < len(src):
			i++
			switch src[i] {
			case '"', '\'', '\\':
				b.WriteByte(src[i])
			case '\n':
				lines++
			default:
				b.WriteByte('\\')
				b.WriteByte(src[i])
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), len(src), lines
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }
