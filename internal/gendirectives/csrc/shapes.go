package csrc

import (
	"strconv"
	"strings"
)

// expand expands a function-like macro's body with the arguments: a
// parameter by its argument, #parameter by the argument as a string.
func expand(fm FuncMacro, args [][]Token) string {
	arg := map[string]string{}
	for i, p := range fm.Params {
		arg[p] = cText(args[i])
	}
	var b strings.Builder
	body := fm.Body
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			_, n, _ := quoted(body[i:])
			b.WriteString(body[i : i+n])
			i += n
		case c == '#' && i+1 < len(body) && body[i+1] == '#':
			i += 2 // token pasting: the sides are joined as written
			for i < len(body) && body[i] == ' ' {
				i++
			}
		case c == '#':
			j := i + 1
			for j < len(body) && body[j] == ' ' {
				j++
			}
			k := j
			for k < len(body) && isIdentChar(body[k]) {
				k++
			}
			if a, ok := arg[body[j:k]]; ok && k > j {
				b.WriteString(strconv.Quote(a))
				i = k
			} else {
				b.WriteByte(c)
				i++
			}
		case isIdentStart(c):
			j := i
			for j < len(body) && isIdentChar(body[j]) {
				j++
			}
			if a, ok := arg[body[i:j]]; ok {
				b.WriteString(a)
			} else {
				b.WriteString(body[i:j])
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// cText writes tokens back as C text.
func cText(toks []Token) string {
	var parts []string
	for _, t := range toks {
		switch t.Kind {
		case String:
			parts = append(parts, strconv.Quote(t.Text))
		case Char:
			parts = append(parts, "'"+t.Text+"'")
		default:
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, " ")
}

// NgxString returns the value of a field ngx_string("value").
func NgxString(field []Token) (string, bool) {
	if len(field) == 4 && field[0].Text == "ngx_string" && field[1].Text == "(" && field[2].Kind == String && field[3].Text == ")" {
		return field[2].Text, true
	}
	return "", false
}

// IsNull reports whether an entry is an array's end: { ngx_null_string,
// ... }.
func IsNull(fields [][]Token) bool {
	return len(fields) > 0 && len(fields[0]) == 1 && fields[0][0].Text == "ngx_null_string"
}

// MemberName returns x of &x->name, or "".
func MemberName(arg []Token) string {
	if len(arg) == 5 && arg[0].Text == "&" && arg[1].Kind == Ident && arg[2].Text == "-" && arg[3].Text == ">" && arg[4].Text == "name" {
		return arg[1].Text
	}
	return ""
}

// IsMember reports whether the tokens are x->field.
func IsMember(toks []Token, x, field string) bool {
	return len(toks) == 4 && toks[0].Text == x && toks[1].Text == "-" && toks[2].Text == ">" && toks[3].Text == field
}

// JoinText writes tokens' texts joined by spaces, for messages.
func JoinText(toks []Token) string {
	var parts []string
	for _, t := range toks {
		parts = append(parts, t.Text)
	}
	return strings.Join(parts, " ")
}
