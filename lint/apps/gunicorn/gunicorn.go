// Package gunicorn reads a gunicorn configuration file (gunicorn.conf.py)
// for nginxlint: where gunicorn binds, and the owner, group and mode of
// the unix sockets it creates.
//
// The file is Python, which gunicorn executes; nginxlint reads only what
// a person can read without running it: the top-level assignments of
// bind (a string, or a list or tuple of strings), umask, user, group and
// certfile written as literals. Anything else is reported as unreadable
// with the reason, never guessed: a name, a call (os.environ.get), an
// f-string with fields, a concatenation with +, an assignment inside an
// if, for, with or try block, a later change (bind += ..., bind.append),
// a star import that may set it. Assignments inside a def or class body
// are local to it and do not count.
//
// What gunicorn makes of the values (gunicorn/config.py, util.py,
// sock.py):
//   - bind: HOST:PORT, [IPV6]:PORT, HOST alone (port 8000), :PORT or ""
//     (0.0.0.0), tcp://HOST:PORT, unix:PATH or unix://PATH (so
//     unix://tmp/x is the relative path tmp/x), fd://N (a socket
//     inherited from whoever starts gunicorn: unreadable). Without bind
//     the default is 127.0.0.1:8000; when the environment sets PORT, it
//     is 0.0.0.0:$PORT, which only the linker can know (a .env or unit
//     beside the file). A host name is kept as written; gunicorn binds
//     it on IPv4 only.
//   - umask (default 0): gunicorn sets it while it binds a unix socket,
//     so the socket's mode is 0777 &^ umask (0777 when not set). An int,
//     or a string read as Python's int(s, 0) ("0o117", "91").
//   - user and group: the socket is chowned to them, and the workers
//     run as them (a name or a numeric id).
//   - certfile: when set, the binds speak HTTPS.
//   - protocol: "uwsgi" makes the binds speak the uwsgi protocol (what
//     nginx's uwsgi_pass speaks); "http", the default, HTTP.
//
// Why a tokenizer of our own: no Go parser of Python served by the
// module proxy gives byte offsets for every token. github.com/go-python/
// gpython (v0.2.0) is an interpreter whose AST carries only a start line
// and column and whose grammar is Python 3.4 (no f-strings);
// tree-sitter-python needs cgo, which the static release binaries
// exclude. The subset needed here (tokens, strings with every prefix and
// escape, logical lines and their indentation) is small and exact.
package gunicorn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/lex"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// DefaultBind is where gunicorn binds when neither its configuration nor
// the environment (PORT) says.
const DefaultBind = "127.0.0.1:8000"

// DefaultPort is the port of a bind that names a host alone.
const DefaultPort = 8000

// The settings the reader follows.
var watched = map[string]bool{"bind": true, "umask": true, "user": true, "group": true, "certfile": true, "protocol": true}

// Read reads the gunicorn configuration file f: one App, with one Bind
// per address gunicorn binds.
func Read(f *syntax.File) ([]*apps.App, []apps.Problem) {
	r := &reader{f: f, set: map[string]*setting{}}
	app := &apps.App{Kind: apps.Gunicorn, File: f, Span: apps.SpanOf(f, 0, len(f.Src))}
	var comments []syntax.Comment
	lines, serr := tokenize(f.Src, &comments)
	f.Comments = comments
	if serr != nil {
		r.problem(serr.start, serr.end, "gunicorn cannot load this file: "+serr.msg)
		app.Binds = []apps.Bind{apps.Unreadable("", apps.SpanOf(f, serr.start, serr.end), "the file is not valid Python: "+serr.msg)}
		return []*apps.App{app}, r.problems
	}
	r.statements(lines)
	app.Binds = r.binds()
	return []*apps.App{app}, r.problems
}

type reader struct {
	f        *syntax.File
	set      map[string]*setting
	problems []apps.Problem
}

func (r *reader) problem(start, end int, msg string) {
	r.problems = append(r.problems, apps.Problem{Span: apps.SpanOf(r.f, start, end), Msg: msg})
}

// setting is what the file last did to one watched name.
type setting struct {
	v value
	// unsure, when not "", says why the value cannot be known although
	// an earlier one was literal (a conditional reassignment, a star
	// import); start and end are where.
	unsure     string
	start, end int
}

type block struct {
	indent int
	// local is true inside a def or class body; cond is the keyword of
	// the outermost compound statement (if, for ...) around it, "" at
	// the top level.
	local bool
	cond  string
}

// statements reads the logical lines in order.
func (r *reader) statements(lines []line) {
	var stack []block
	for _, ln := range lines {
		for len(stack) > 0 && stack[len(stack)-1].indent >= ln.indent {
			stack = stack[:len(stack)-1]
		}
		local, cond := false, ""
		if len(stack) > 0 {
			local, cond = stack[len(stack)-1].local, stack[len(stack)-1].cond
		}
		toks := ln.toks
		kw := compoundKeyword(toks)
		if kw != "" {
			inner := block{indent: ln.indent, local: local || kw == "def" || kw == "class", cond: cond}
			if inner.cond == "" {
				inner.cond = kw
			}
			stack = append(stack, inner)
			if inner.local {
				continue
			}
			if kw == "for" {
				r.forTarget(toks)
			}
			// The body may follow the header's colon on the same line.
			if c := headerColon(toks); c >= 0 {
				r.simple(toks[c+1:], inner.cond)
			}
			continue
		}
		if local {
			continue
		}
		r.simple(toks, cond)
	}
}

// compoundKeyword returns the keyword of the compound statement toks
// starts, "" when it is a simple statement.
func compoundKeyword(toks []token) string {
	t := toks[0]
	if t.kind != tName {
		return ""
	}
	switch t.text {
	case "if", "elif", "else", "for", "while", "with", "try", "except", "finally", "def", "class":
		return t.text
	case "async":
		if len(toks) > 1 && toks[1].kind == tName {
			switch toks[1].text {
			case "def":
				return "def"
			case "for", "with":
				return toks[1].text
			}
		}
	case "match", "case":
		// Soft keywords: a compound statement only when the line ends
		// with its colon (match = 1 is an assignment).
		if len(toks) > 2 && toks[len(toks)-1].text == ":" && toks[1].text != "=" && toks[1].text != "." {
			return t.text
		}
	}
	return ""
}

// headerColon returns the index of the colon that ends a compound
// statement's header, -1 when there is none.
func headerColon(toks []token) int { return lex.Find(toks, op, ":") }

// forTarget records a for loop whose target is a watched name.
func (r *reader) forTarget(toks []token) {
	for _, t := range toks[1:] {
		if t.kind == tName && t.text == "in" {
			return
		}
		if t.kind == tName && watched[t.text] {
			r.change(t.text, toks[0].start, toks[len(toks)-1].end, "for")
		}
	}
}

// simple reads the simple statements of toks (separated by ";").
func (r *reader) simple(toks []token, cond string) {
	for len(toks) > 0 {
		end := lex.Find(toks, op, ";")
		if end < 0 {
			end = len(toks)
		}
		if end < len(toks) {
			r.statement(toks[:end], cond)
			toks = toks[end+1:]
			continue
		}
		r.statement(toks, cond)
		return
	}
}

// statement reads one simple statement.
func (r *reader) statement(toks []token, cond string) {
	if len(toks) == 0 {
		return
	}
	first := toks[0]
	start, end := first.start, toks[len(toks)-1].end
	// Assignments by :=, anywhere in the statement.
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == tName && watched[toks[i].text] && toks[i+1].text == ":=" {
			r.change(toks[i].text, start, end, cond)
		}
	}
	if first.kind == tName && (first.text == "from" || first.text == "import") {
		r.importStatement(toks, cond)
		return
	}
	// Targets: NAME = NAME = ... = VALUE; NAME: TYPE = VALUE; a, b = ...
	eq := -1
	for i, t := range lex.TopLevel(toks, op) {
		if op(t) == "=" {
			eq = i
		}
	}
	if eq < 0 {
		// bind += [...], bind.append(...), bind[0] = ...: changes.
		if first.kind == tName && watched[first.text] && len(toks) > 1 {
			switch toks[1].text {
			case "+=", "-=", "*=", "|=", "&=", "^=", "%=", "//=", "/=", "**=", "<<=", ">>=", "@=", ".", "[":
				r.change(first.text, start, end, cond)
			}
		}
		return
	}
	// The value is after the last "=" at depth 0; each target before it.
	value := toks[eq+1:]
	if len(value) == 0 {
		r.problem(toks[eq].start, toks[eq].end, "nothing follows \"=\": write the value")
		return
	}
	targets := splitTopLevel(toks[:eq], "=")
	for _, tg := range targets {
		switch {
		case len(tg) == 0:
		case tg[0].kind == tName && watched[tg[0].text] && (len(tg) == 1 || tg[1].text == ":"):
			if cond != "" {
				r.change(tg[0].text, value[0].start, end, cond)
				continue
			}
			r.assign(tg[0].text, value)
		case tg[0].kind == tName && len(tg) > 1 && (tg[1].text == "." || tg[1].text == "["):
			if watched[tg[0].text] {
				r.change(tg[0].text, start, end, cond)
			}
		default:
			// Unpacking: a, bind = ...
			for _, t := range tg {
				if t.kind == tName && watched[t.text] {
					r.change(t.text, start, end, cond)
				}
			}
		}
	}
}

// importStatement records imports that bind a watched name, and star
// imports, which may bind any.
func (r *reader) importStatement(toks []token, cond string) {
	start, end := toks[0].start, toks[len(toks)-1].end
	names := toks[1:]
	if toks[0].text == "from" {
		i := 1
		for i < len(toks) && !(toks[i].kind == tName && toks[i].text == "import") {
			i++
		}
		names = toks[min(i+1, len(toks)):]
		if len(names) > 0 && names[0].text == "*" {
			for name := range watched {
				s := r.set[name]
				if s == nil {
					s = &setting{}
					r.set[name] = s
				}
				s.unsure = fmt.Sprintf("%s may be set by %s, which nginxlint does not follow", name, apps.Excerpt(r.f.Src[start:end]))
				s.start, s.end = start, end
			}
			return
		}
	}
	for _, part := range splitTopLevel(names, ",") {
		// The name bound is the last of "a.b as c", or the first of "a.b".
		var bound string
		if n := len(part); n >= 3 && part[n-2].text == "as" {
			bound = part[n-1].text
		} else if toks[0].text == "import" && n > 0 {
			bound = part[0].text
		} else if n > 0 {
			bound = part[n-1].text
		}
		if watched[bound] {
			r.change(bound, start, end, cond)
		}
	}
}

// splitTopLevel splits toks at the operator sep outside brackets.
func splitTopLevel(toks []token, sep string) [][]token { return lex.Split(toks, op, sep) }

// assign records an unconditional top-level assignment of name.
func (r *reader) assign(name string, value []token) {
	r.set[name] = &setting{v: r.eval(value)}
}

// change records what makes name's value unknown: a change by a
// statement gunicorn executes (kind "" for an unconditional one), or an
// assignment inside a block whose keyword is kind.
func (r *reader) change(name string, start, end int, kind string) {
	text := apps.Excerpt(r.f.Src[start:end])
	s := r.set[name]
	if kind == "" || s == nil {
		reason := fmt.Sprintf("%s is computed: %s", name, text)
		if kind != "" {
			reason = fmt.Sprintf("%s is set inside %s block (%s): which value applies depends on the program", name, article(kind), text)
		}
		r.set[name] = &setting{v: value{kind: vComputed, reason: reason, start: start, end: end}}
		return
	}
	if s.unsure == "" {
		s.unsure = fmt.Sprintf("%s is set again inside %s block (%s): which value applies depends on the program", name, article(kind), text)
		s.start, s.end = start, end
	}
}

func article(kw string) string {
	switch kw {
	case "if", "elif", "else", "except":
		return "an " + kw
	}
	return "a " + kw
}

type valKind uint8

const (
	vComputed valKind = iota
	vStr
	vBytes
	vInt
	vNone
	vList
	vOther // a literal of another type (a float, a dict ...)
)

// value is the value of an expression when it is a literal.
type value struct {
	kind       valKind
	s          string // vStr, vBytes
	n          int64  // vInt
	elems      []value
	start, end int
	reason     string // vComputed: why
	bad        string // an invalid literal: what Python says
}

// eval reads toks as a literal.
func (r *reader) eval(toks []token) value {
	return r.evalDepth(toks, 0)
}

// maxDepth is how deep brackets may nest in a literal nginxlint reads:
// deeper is taken as computed, which keeps reading linear.
const maxDepth = 8

func (r *reader) evalDepth(toks []token, depth int) value {
	if len(toks) == 0 {
		return value{kind: vOther}
	}
	start, end := toks[0].start, toks[len(toks)-1].end
	computed := func() value {
		return value{kind: vComputed, start: start, end: end}
	}
	if depth > maxDepth {
		return computed()
	}
	if parts := splitTopLevel(toks, ","); len(parts) > 1 {
		// A tuple without brackets: "a", "b".
		return r.sequence(parts, start, end, depth)
	}
	switch t := toks[0]; {
	case t.kind == tString:
		v := value{kind: vStr, start: start, end: end}
		var b strings.Builder
		for _, p := range toks {
			if p.kind != tString {
				return computed()
			}
			if p.fields || p.named {
				return computed()
			}
			if p.bytes {
				v.kind = vBytes
			}
			if p.bytes != t.bytes {
				v.bad = "cannot mix bytes and str literals"
			}
			b.WriteString(p.text)
		}
		v.s = b.String()
		return v
	case t.kind == tNumber && len(toks) == 1:
		return pyIntLiteral(t)
	case t.text == "-" && len(toks) == 2 && toks[1].kind == tNumber:
		v := pyIntLiteral(toks[1])
		v.start = start
		if v.kind == vInt {
			v.n = -v.n
		}
		return v
	case t.kind == tName && len(toks) == 1:
		switch t.text {
		case "None":
			return value{kind: vNone, start: start, end: end}
		case "True", "False":
			v := value{kind: vInt, start: start, end: end}
			if t.text == "True" {
				v.n = 1
			}
			return v
		}
	case t.text == "(" || t.text == "[":
		closer := map[string]string{"(": ")", "[": "]"}[t.text]
		last := toks[len(toks)-1]
		if last.text != closer || matching(toks) != len(toks)-1 {
			return computed()
		}
		inner := toks[1 : len(toks)-1]
		if len(inner) == 0 {
			return value{kind: vList, start: start, end: end}
		}
		parts := splitTopLevel(inner, ",")
		if t.text == "(" && len(parts) == 1 {
			// Parentheses around one value.
			v := r.evalDepth(inner, depth+1)
			if v.kind == vComputed {
				return computed()
			}
			v.start, v.end = start, end
			return v
		}
		return r.sequence(parts, start, end, depth)
	case t.text == "{":
		return value{kind: vOther, start: start, end: end}
	}
	return computed()
}

// sequence reads the elements of a list or tuple.
func (r *reader) sequence(parts [][]token, start, end, depth int) value {
	v := value{kind: vList, start: start, end: end}
	for i, p := range parts {
		if len(p) == 0 {
			if i == len(parts)-1 && i > 0 {
				break // a trailing comma
			}
			if len(parts) == 1 {
				break // []
			}
			return value{kind: vComputed, start: start, end: end}
		}
		e := r.evalDepth(p, depth+1)
		if e.kind == vComputed {
			e.start, e.end = p[0].start, p[len(p)-1].end
		}
		v.elems = append(v.elems, e)
	}
	return v
}

// matching returns the index of the bracket that closes toks[0].
func matching(toks []token) int { return lex.Matching(toks, op) }

// op is the text of t when it is an operator, "" otherwise (for lex).
func op(t token) string {
	if t.kind == tOp {
		return t.text
	}
	return ""
}

// pyIntLiteral reads a number token as Python reads an int literal.
func pyIntLiteral(t token) value {
	v := value{kind: vInt, start: t.start, end: t.end}
	n, err := parsePyInt(t.text, false)
	switch {
	case errors.Is(err, errNotInt):
		v.kind = vOther
	case err != nil:
		v.bad = err.Error()
	}
	v.n = n
	return v
}

type intError string

func (e intError) Error() string { return string(e) }

const (
	errNotInt    intError = "not an integer"
	errLeadZero  intError = "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"
	errBadDigits intError = "invalid digit in the number"
	errTooLarge  intError = "the number is too large"
)

// parsePyInt reads s as a Python int literal, or, with str, as Python's
// int(s, 0) reads a string (a sign and surrounding white space allowed).
func parsePyInt(s string, str bool) (int64, error) {
	neg := false
	if str {
		s = strings.TrimSpace(s)
		if s != "" && (s[0] == '+' || s[0] == '-') {
			neg = s[0] == '-'
			s = s[1:]
		}
	}
	if s == "" {
		return 0, errNotInt
	}
	base, digits := 10, s
	if len(s) >= 2 && s[0] == '0' {
		switch s[1] {
		case 'x', 'X':
			base, digits = 16, s[2:]
		case 'o', 'O':
			base, digits = 8, s[2:]
		case 'b', 'B':
			base, digits = 2, s[2:]
		}
	}
	if base == 10 {
		if strings.ContainsAny(s, ".jJ") || strings.ContainsAny(s, "eE") {
			return 0, errNotInt
		}
	} else if strings.HasPrefix(digits, "_") {
		digits = digits[1:]
	}
	if digits == "" || digits[len(digits)-1] == '_' || strings.Contains(digits, "__") {
		return 0, errBadDigits
	}
	clean := strings.ReplaceAll(digits, "_", "")
	if base == 10 && len(clean) > 1 && clean[0] == '0' && strings.Trim(clean, "0") != "" {
		return 0, errLeadZero
	}
	n, err := strconv.ParseInt(clean, base, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, errTooLarge
		}
		return 0, errBadDigits
	}
	if neg {
		n = -n
	}
	return n, nil
}

// binds makes the Binds of what the file set.
func (r *reader) binds() []apps.Bind {
	f := r.f
	span := func(v value) apps.Span { return apps.SpanOf(f, v.start, v.end) }
	text := func(v value) string { return f.Src[v.start:v.end] }

	// The socket's owner, group and mode, and the workers' user.
	var owner, group string
	var ownerSpan, groupSpan apps.Span
	for _, name := range []string{"user", "group"} {
		s := r.set[name]
		if s == nil || s.unsure != "" {
			continue
		}
		v := s.v
		var id string
		switch v.kind {
		case vStr:
			id = strings.TrimSpace(v.s)
		case vInt:
			if v.bad != "" || v.n < 0 {
				r.problem(v.start, v.end, fmt.Sprintf("%s is not a valid id; write a user name or a positive number", name))
				continue
			}
			id = strconv.FormatInt(v.n, 10)
		case vNone, vComputed:
			continue
		default:
			r.problem(v.start, v.end, fmt.Sprintf("%s must be a name or a numeric id, e.g. %s = \"www-data\"", name, name))
			continue
		}
		if name == "user" {
			owner, ownerSpan = id, span(v)
		} else {
			group, groupSpan = id, span(v)
		}
	}
	mode, modeSpan := 0o777, apps.Span{}
	if s := r.set["umask"]; s != nil {
		mode = -1
		v := s.v
		if s.unsure == "" {
			n, ok := int64(0), false
			switch v.kind {
			case vInt:
				n, ok = v.n, v.bad == ""
				if !ok {
					r.problem(v.start, v.end, "umask is not a valid Python number: "+v.bad+"; write it as 0o007")
				}
			case vStr:
				var err error
				n, err = parsePyInt(v.s, true)
				ok = err == nil
				if !ok {
					r.problem(v.start, v.end, fmt.Sprintf("gunicorn reads umask %q with int(value, 0), which fails: write it as 0o007 (or the string \"0o007\")", v.s))
				}
			case vComputed:
			default:
				r.problem(v.start, v.end, "umask must be an integer; write it as 0o007")
			}
			switch {
			case ok && n < 0:
				r.problem(v.start, v.end, "gunicorn refuses a negative umask; write it as 0o007")
			case ok && n > 0o7777:
				r.problem(v.start, v.end, "umask is larger than 0o7777; write it as 0o007")
			case ok:
				mode, modeSpan = 0o777&^int(n), span(v)
			}
		}
	}
	protocol := manifest.ProtocolHTTP
	if s := r.set["certfile"]; s != nil {
		switch {
		case s.unsure != "" || s.v.kind == vComputed:
			protocol = ""
		case s.v.kind == vStr && s.v.s != "":
			protocol = manifest.ProtocolHTTPS
		}
	}
	if s := r.set["protocol"]; s != nil {
		switch {
		case s.unsure != "" || s.v.kind != vStr:
			protocol = ""
		case strings.EqualFold(s.v.s, "uwsgi"):
			protocol = manifest.ProtocolUWSGI
		}
	}
	finish := func(b apps.Bind) apps.Bind {
		b.RunUser, b.RunGroup = owner, group
		b.Protocol = protocol
		if b.Addr.Unix {
			b.Owner, b.OwnerSpan, b.Group, b.GroupSpan = owner, ownerSpan, group, groupSpan
			b.Mode, b.ModeSpan = mode, modeSpan
		}
		return b
	}

	s := r.set["bind"]
	switch {
	case s == nil:
		b, _ := Bind(DefaultBind, apps.Span{})
		b.Written = ""
		return []apps.Bind{finish(b)}
	case s.unsure != "":
		sp := apps.SpanOf(f, s.start, s.end)
		return []apps.Bind{finish(apps.Unreadable(sp.Text(), sp, s.unsure))}
	}
	v := s.v
	var elems []value
	switch v.kind {
	case vComputed:
		reason := v.reason
		if reason == "" {
			reason = "bind is computed: " + apps.Excerpt(text(v))
		}
		return []apps.Bind{finish(apps.Unreadable(text(v), span(v), reason))}
	case vStr, vBytes:
		elems = []value{v}
	case vList:
		elems = v.elems
	case vNone:
		elems = nil
	default:
		r.problem(v.start, v.end, `bind must be a string or a list of strings, e.g. bind = "127.0.0.1:8000"`)
		return []apps.Bind{finish(apps.Unreadable(text(v), span(v), "bind is not a string or a list of strings"))}
	}
	if len(elems) == 0 || v.kind == vStr && strings.TrimSpace(v.s) == "" {
		r.problem(v.start, v.end, `bind is empty: gunicorn listens nowhere; write an address, e.g. bind = "127.0.0.1:8000"`)
		return []apps.Bind{finish(apps.Unreadable(text(v), span(v), "bind is empty"))}
	}
	var binds []apps.Bind
	for _, e := range elems {
		switch {
		case e.kind == vComputed:
			binds = append(binds, finish(apps.Unreadable(text(e), span(e), "bind is computed: "+apps.Excerpt(text(e)))))
		case e.bad != "":
			r.problem(e.start, e.end, "Python refuses this string: "+e.bad)
		case e.kind == vBytes:
			r.problem(e.start, e.end, `gunicorn wants a str, not bytes: remove the b prefix`)
		case e.kind != vStr:
			r.problem(e.start, e.end, `each address of bind must be a string, e.g. "127.0.0.1:8000"`)
		default:
			b, p := Bind(strings.TrimSpace(e.s), span(e))
			b.Written = e.s
			if p != "" {
				r.problem(e.start, e.end, p)
				continue
			}
			binds = append(binds, finish(b))
		}
	}
	return binds
}

// Bind reads one address as gunicorn reads bind (util.parse_address),
// written at span. It returns the Bind, and when gunicorn refuses the
// address, a message saying why and what to write instead (the Bind is
// then to be dropped). An address that is valid but cannot be known
// (fd://N, a port of 0, a relative socket path) is a Bind with
// Unreadable set.
func Bind(s string, span apps.Span) (apps.Bind, string) {
	b := apps.NewBind(s, span)
	if strings.HasPrefix(s, "unix:") {
		path := strings.TrimPrefix(s[len("unix:"):], "//")
		if path == "" {
			return b, fmt.Sprintf("%q names no socket path; write unix:/run/gunicorn.sock", s)
		}
		if !strings.HasPrefix(path, "/") {
			reason := fmt.Sprintf("the socket path %q is relative: gunicorn creates it in its working directory", path)
			if strings.HasPrefix(s, "unix://") {
				reason = fmt.Sprintf("gunicorn reads %q as the relative path %q (in its working directory); for an absolute path write unix:/%s", s, path, path)
			}
			b.Unreadable = reason
			return b, ""
		}
		a, err := apps.Unix(path)
		if err != nil {
			return b, err.Error()
		}
		b.Addr = a
		return b, ""
	}
	if fd, ok := strings.CutPrefix(s, "fd://"); ok {
		if _, err := strconv.Atoi(fd); err != nil {
			return b, fmt.Sprintf("%q is not a valid file descriptor; write fd://3", fd)
		}
		b.Unreadable = fmt.Sprintf("bind %s is a socket inherited as file descriptor %s: its address is set by whoever starts gunicorn", s, fd)
		return b, ""
	}
	s = strings.TrimPrefix(s, "tcp://")
	host, port := s, strconv.Itoa(DefaultPort)
	switch {
	case strings.Contains(s, "[") && strings.Contains(s, "]"):
		// netloc.split(']')[0][1:]: what precedes the first "]", less
		// its first character, whatever that is ("][" gives "").
		host = s[:strings.IndexByte(s, ']')]
		if host != "" {
			host = host[1:]
		}
		if i := strings.Index(s, "]:"); i >= 0 {
			port = s[i+2:]
			if j := strings.Index(port, "]:"); j >= 0 {
				port = port[:j]
			}
		}
	case strings.Contains(s, ":"):
		// gunicorn takes what is before the first colon and what is
		// between it and the next.
		parts := strings.SplitN(s, ":", 3)
		host, port = parts[0], parts[1]
		if len(parts) > 2 && (host == "" || port == "") {
			return b, fmt.Sprintf("%q is not a valid address: write an IPv6 address in brackets, e.g. [::1]:8000", s)
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(port))
	if err != nil {
		return b, fmt.Sprintf("%q is not a valid port number; write HOST:PORT, e.g. 127.0.0.1:8000", port)
	}
	switch {
	case n == 0:
		b.Unreadable = "port 0: the kernel picks a free port when gunicorn starts"
		return b, ""
	case n < 0 || n > 65535:
		return b, fmt.Sprintf("port %d is out of range; use a port from 1 to 65535", n)
	}
	a, wild, err := apps.TCP(strings.ToLower(host), n)
	if err != nil {
		return b, err.Error()
	}
	b.Addr, b.Wildcard = a, wild
	return b, ""
}
