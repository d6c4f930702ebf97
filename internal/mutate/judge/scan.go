package judge

import "strings"

// token is a word or one of ";", "{" and "}" of a configuration file, as
// nginx's lexer splits it. The sandbox rewrites files with it rather than
// with lib/syntax's parser because it must also read the mutants that do
// not parse: it never fails, and malformed text just gives odd tokens.
type token struct {
	punct      byte // ';', '{', '}', or 0 for a word
	start, end int  // the source text, quotes included
	value      string
	quote      byte
}

// scan splits src into tokens: '#' starts a comment at the start of a
// token, quotes group, a backslash escapes, and "${" does not open a
// block.
func scan(src string) []token {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == ';' || c == '{' || c == '}':
			toks = append(toks, token{punct: c, start: i, end: i + 1})
			i++
		case c == '"' || c == '\'':
			start := i
			var b strings.Builder
			i++
			for i < len(src) && src[i] != c {
				if src[i] == '\\' && i+1 < len(src) {
					switch src[i+1] {
					case '"', '\'', '\\':
						b.WriteByte(src[i+1])
						i += 2
						continue
					}
				}
				b.WriteByte(src[i])
				i++
			}
			if i < len(src) {
				i++
			}
			toks = append(toks, token{start: start, end: i, value: b.String(), quote: c})
		default:
			start := i
			var b strings.Builder
			dollar := false
		word:
			for i < len(src) {
				c := src[i]
				switch {
				case c == '{' && dollar:
				case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{':
					break word
				case c == '\\' && i+1 < len(src):
					b.WriteByte(src[i+1])
					i += 2
					dollar = false
					continue
				}
				dollar = c == '$'
				b.WriteByte(c)
				i++
			}
			toks = append(toks, token{start: start, end: i, value: b.String()})
		}
	}
	return toks
}

// statement is a directive as the tokens show it: its words and what
// ended it (';', '{', '}' for a statement cut by a closing brace, 0 at
// the end of the file).
type statement struct {
	words []token
	end   token
	depth int      // the number of blocks open around it in its file
	outer []string // the names of those blocks, outermost first
}

// statements groups tokens into statements.
func statements(toks []token) []statement {
	var out []statement
	var words []token
	var stack []string
	flush := func(end token) {
		if len(words) > 0 || end.punct == '{' {
			out = append(out, statement{words: words, end: end, depth: len(stack), outer: append([]string(nil), stack...)})
		}
		words = nil
	}
	for _, t := range toks {
		switch t.punct {
		case 0:
			words = append(words, t)
		case ';':
			flush(t)
		case '{':
			flush(t)
			name := ""
			if n := len(out); n > 0 && len(out[n-1].words) > 0 {
				name = out[n-1].words[0].value
			}
			stack = append(stack, name)
		case '}':
			if len(words) > 0 {
				flush(t)
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	flush(token{})
	return out
}
