package cmdline

import (
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
)

// Word is one word of a command line: its value once quotes, escapes
// and known variables are resolved, and where it is written.
type Word struct {
	Value string
	// Start and End are the word's bytes in the file, quotes included.
	Start, End int
	// Unknown, when not "", is the first expansion of the word whose
	// value is not known ("$PORT", "${PORT:-8000}", "$(hostname)"): the
	// word's Value keeps it as written.
	Unknown string
	// pos holds the offset in the file of each byte of Value; nil when
	// Value is the file's text from Start on.
	pos []int
	// plain is true for a word written without quotes, escapes or
	// expansions: only such a word is a keyword or an assignment.
	plain bool
}

// Offset returns the offset in the file of the byte i of w.Value; for i
// = len(w.Value), the offset just after the last byte.
func (w Word) Offset(i int) int {
	switch {
	case w.pos == nil:
		return w.Start + i
	case i < len(w.pos):
		return w.pos[i]
	case len(w.pos) > 0:
		return w.pos[len(w.pos)-1] + 1
	}
	return w.End
}

// NewWord returns a word written at [start, end) whose value is value;
// when the text there is not value itself (a quoted YAML or JSON string),
// pos gives the offset of each byte of value, and may be nil only when
// the word is read as a whole.
func NewWord(value string, start, end int, pos []int) Word {
	return Word{Value: value, Start: start, End: end, pos: pos}
}

// Var is the value of an environment variable where the file that runs
// the command sets it.
type Var struct {
	Value string
	Span  apps.Span
}

// Env is the environment a command runs with, as far as the file that
// runs it says (systemd's Environment=, a Dockerfile's ENV, compose's
// environment:). A variable it does not hold is unknown.
type Env map[string]Var

// source is text to split into words: the file's text, or a word's value
// (sh -c "..."), with the offset in the file of each of its bytes.
type source struct {
	text string
	pos  []int // nil: text is the file's from base on
	base int
}

func (s *source) offset(i int) int {
	if s.pos == nil {
		return s.base + i
	}
	if i < len(s.pos) {
		return s.pos[i]
	}
	if len(s.pos) > 0 {
		return s.pos[len(s.pos)-1] + 1
	}
	return s.base
}

// shellError is text the shell would refuse.
type shellError struct {
	start, end int // offsets in the file
	msg        string
}

// splitShell splits shell text into simple commands, each a list of
// words, as a POSIX shell reads them: quotes, backslashes, comments,
// line continuation, the operators that separate commands (; & && || |
// newline), redirections (dropped with their target), and the
// expansions of env. Control keywords (if, then, do ...) and brackets
// end a command.
func splitShell(src source, env Env) ([][]Word, *shellError) {
	var (
		cmds [][]Word
		cur  []Word
		t    = src.text
		i    int
	)
	end := func() {
		if len(cur) > 0 {
			cmds = append(cmds, cur)
		}
		cur = nil
	}
	for i < len(t) {
		c := t[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '\\' && i+1 < len(t) && t[i+1] == '\n':
			i += 2
		case c == '\\' && i+2 < len(t) && t[i+1] == '\r' && t[i+2] == '\n':
			i += 3
		case c == '#':
			for i < len(t) && t[i] != '\n' {
				i++
			}
		case c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')':
			end()
			i++
		case c == '>' || c == '<' || c >= '0' && c <= '9' && redirection(t[i:]) > 0:
			n := redirection(t[i:])
			if n == 0 {
				n = 1
			}
			i += n
			for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
				i++
			}
			if i < len(t) && !strings.ContainsRune("\n;&|()<>", rune(t[i])) {
				_, next, err := scanWord(src, i, env)
				if err != nil {
					return nil, err
				}
				i = next
			}
		default:
			w, next, err := scanWord(src, i, env)
			if err != nil {
				return nil, err
			}
			i = next
			if len(cur) == 0 && w.plain {
				switch w.Value {
				case "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "case", "esac", "{", "}", "!":
					end()
					continue
				}
			}
			cur = append(cur, w)
		}
	}
	end()
	return cmds, nil
}

// redirection returns the length of the redirection operator t starts
// with (2>&1 counts its target too), 0 when there is none.
func redirection(t string) int {
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i >= len(t) || t[i] != '>' && t[i] != '<' {
		return 0
	}
	i++
	if i < len(t) && (t[i] == '>' || t[i] == '<' || t[i] == '&' || t[i] == '|') {
		i++
	}
	if i < len(t) && t[i-1] == '&' {
		// >&2, <&-: the target is part of the operator.
		for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '-') {
			i++
		}
	}
	return i
}

// scanWord reads the word at t[i].
func scanWord(src source, i int, env Env) (Word, int, *shellError) {
	t := src.text
	start := i
	var (
		val      strings.Builder
		pos      []int
		unknown  string
		verbatim = true // val is t[start:i]
	)
	add := func(b byte, at int) {
		val.WriteByte(b)
		pos = append(pos, src.offset(at))
	}
	addString := func(s string, at int) {
		for k := 0; k < len(s); k++ {
			add(s[k], at)
		}
	}
	for i < len(t) {
		c := t[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>':
			goto done
		case c == '\\':
			verbatim = false
			if i+1 >= len(t) {
				i++
				continue
			}
			if t[i+1] == '\n' {
				i += 2
				continue
			}
			add(t[i+1], i+1)
			i += 2
		case c == '\'':
			verbatim = false
			j := strings.IndexByte(t[i+1:], '\'')
			if j < 0 {
				return Word{}, 0, &shellError{src.offset(i), src.offset(i) + 1, "this single quote is never closed"}
			}
			for k := i + 1; k <= i+j; k++ {
				add(t[k], k)
			}
			i += j + 2
		case c == '"':
			verbatim = false
			open := i
			i++
			for {
				if i >= len(t) {
					return Word{}, 0, &shellError{src.offset(open), src.offset(open) + 1, "this double quote is never closed"}
				}
				d := t[i]
				if d == '"' {
					i++
					break
				}
				if d == '\\' && i+1 < len(t) && strings.IndexByte("\"\\$`\n", t[i+1]) >= 0 {
					if t[i+1] != '\n' {
						add(t[i+1], i+1)
					}
					i += 2
					continue
				}
				if d == '$' || d == '`' {
					n, value, known, err := expansion(src, i, env)
					if err != nil {
						return Word{}, 0, err
					}
					if known {
						addString(value, i)
					} else {
						if unknown == "" {
							unknown = t[i : i+n]
						}
						for k := i; k < i+n; k++ {
							add(t[k], k)
						}
					}
					i += n
					continue
				}
				add(d, i)
				i++
			}
		case c == '$' || c == '`':
			n, value, known, err := expansion(src, i, env)
			if err != nil {
				return Word{}, 0, err
			}
			if n == 1 {
				add(c, i)
				i++
				continue
			}
			verbatim = false
			if known {
				addString(value, i)
			} else {
				if unknown == "" {
					unknown = t[i : i+n]
				}
				for k := i; k < i+n; k++ {
					add(t[k], k)
				}
			}
			i += n
		default:
			add(c, i)
			i++
		}
	}
done:
	w := Word{Value: val.String(), Start: src.offset(start), End: src.offset(i-1) + 1, Unknown: unknown, plain: verbatim}
	w.End = max(w.End, w.Start)
	if !verbatim || src.pos != nil {
		w.pos = pos
	}
	return w, i, nil
}

// expansion reads the expansion at t[i] ("$" or "`"): its length, and
// its value when env knows it. A "$" that starts no expansion has length
// 1 and is kept.
func expansion(src source, i int, env Env) (n int, value string, known bool, err *shellError) {
	t := src.text
	fail := func(msg string) (int, string, bool, *shellError) {
		return 0, "", false, &shellError{src.offset(i), src.offset(i) + 1, msg}
	}
	if t[i] == '`' {
		j := strings.IndexByte(t[i+1:], '`')
		if j < 0 {
			return fail("this backquote is never closed")
		}
		return j + 2, "", false, nil
	}
	if i+1 >= len(t) {
		return 1, "", false, nil
	}
	switch c := t[i+1]; {
	case c == '(':
		depth := 0
		for j := i + 1; j < len(t); j++ {
			switch t[j] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return j - i + 1, "", false, nil
				}
			}
		}
		return fail("this $( is never closed")
	case c == '{':
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			return fail("this ${ is never closed")
		}
		inner := t[i+2 : i+j]
		k := 0
		for k < len(inner) && isNameByte(inner[k], k == 0) {
			k++
		}
		name, op := inner[:k], inner[k:]
		v, ok := env[name]
		switch {
		case name == "":
			return j + 1, "", false, nil
		case op == "":
			return j + 1, v.Value, ok, nil
		case strings.HasPrefix(op, ":-") || strings.HasPrefix(op, "-"):
			if ok && (v.Value != "" || op[0] == '-') {
				return j + 1, v.Value, true, nil
			}
		}
		return j + 1, "", false, nil
	case isNameByte(c, true):
		j := i + 1
		for j < len(t) && isNameByte(t[j], j == i+1) {
			j++
		}
		v, ok := env[t[i+1:j]]
		return j - i, v.Value, ok, nil
	case c >= '0' && c <= '9' || strings.IndexByte("@*#?$!-", c) >= 0:
		return 2, "", false, nil
	}
	return 1, "", false, nil
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
}
