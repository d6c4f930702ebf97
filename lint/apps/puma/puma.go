// Package puma reads a puma configuration file (config/puma.rb) for
// nginxlint: the addresses puma binds and the mode of its unix sockets.
//
// The file is Ruby that puma evaluates; nginxlint reads the top-level
// calls of puma's DSL (lib/puma/dsl.rb) whose arguments are literals:
//   - bind "tcp://HOST:PORT", "ssl://HOST:PORT?...", "unix:///PATH" with
//     the query parameters umask (the socket is made with that umask,
//     0 by default, so mode 0777) and mode (a chmod after), as puma's
//     binder reads them (Integer(umask): a leading 0 is octal;
//     Integer("0" + mode): always octal);
//   - port PORT[, HOST], on HOST or puma's default host: [::] where the
//     machine has an IPv6 interface, else 0.0.0.0 (nginxlint writes
//     [::]; both accept 127.0.0.1);
//   - ssl_bind HOST, PORT; set_default_host HOST; clear_binds!;
//     bind_to_activated_sockets (the sockets systemd passes:
//     unreadable here, read from the .socket unit).
//
// Without any of them puma binds tcp://[::]:9292 (or 0.0.0.0:9292), the
// Bind returned then has no span. A value that is not a literal is
// unreadable with the reason: ENV.fetch("PORT") { 3000 }, ENV["PORT"] ||
// 3000 and ENV.fetch("PORT", 3000) name the variable and the default. A
// call inside an if, unless, case or block, or with a modifier (bind ...
// if ...), is unreadable too; a call inside a def is not executed when
// the file is read and does not count.
//
// Why a tokenizer of our own: no Go parser of Ruby with byte offsets is
// served by the module proxy, and the subset a puma.rb uses (calls,
// literals, comments, blocks) is small.
package puma

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/lex"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// DefaultBind is where puma binds when nothing says otherwise (where the
// machine has no IPv6 interface: tcp://0.0.0.0:9292).
const DefaultBind = "tcp://[::]:9292"

// defaultHost is the host of port PORT without a host.
const defaultHost = "::"

// Read reads the puma configuration file f: one App with its binds.
func Read(f *syntax.File) ([]*apps.App, []apps.Problem) {
	app := &apps.App{Kind: apps.Puma, File: f, Span: apps.SpanOf(f, 0, len(f.Src))}
	r := &reader{f: f, host: defaultHost}
	var comments []syntax.Comment
	toks, err := tokenize(f.Src, &comments)
	f.Comments = comments
	if err != nil {
		r.problem(err.start, err.end, "puma cannot load this file: "+err.msg)
		app.Binds = []apps.Bind{apps.Unreadable("", apps.SpanOf(f, err.start, err.end), "the file cannot be read: "+err.msg)}
		return []*apps.App{app}, r.problems
	}
	r.statements(toks)
	if !r.bound {
		b, _ := Bind(DefaultBind, apps.Span{})
		b.Written = ""
		r.binds = append(r.binds, b)
	}
	app.Binds = r.binds
	return []*apps.App{app}, r.problems
}

type reader struct {
	f        *syntax.File
	binds    []apps.Bind
	bound    bool // a bind, port or clear_binds! was read
	problems []apps.Problem
	host     string // set_default_host
	hostSpan apps.Span
	// hostUnknown is why the default host is not known, when it is not.
	hostUnknown string
}

func (r *reader) problem(start, end int, msg string) {
	r.bound = true // a call puma refuses: it does not start
	r.problems = append(r.problems, apps.Problem{Span: apps.SpanOf(r.f, start, end), Msg: msg})
}

// The DSL methods read.
var dsl = map[string]bool{
	"bind": true, "port": true, "ssl_bind": true, "set_default_host": true,
	"clear_binds!": true, "bind_to_activated_sockets": true,
}

// statements reads the statements, keeping track of the blocks they are
// in.
func (r *reader) statements(toks []token) {
	type open struct {
		keyword string
	}
	var stack []open
	defs := 0 // the defs, classes and modules in stack
	isDef := func(kw string) bool { return kw == "def" || kw == "class" || kw == "module" }
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && toks[i].kind != tEOS {
			continue
		}
		stmt := toks[start:i]
		start = i + 1
		if len(stmt) == 0 {
			continue
		}
		depth := len(stack)
		local := defs > 0
		// Keywords that open and close blocks.
		loopHeader := false
		for k, t := range stmt {
			if t.kind != tIdent || k > 0 && (stmt[k-1].text == "." || stmt[k-1].text == "&." || stmt[k-1].text == "::") {
				continue
			}
			switch t.text {
			case "class", "module", "def", "begin", "case":
				if t.text == "def" && endless(stmt[k:]) {
					continue
				}
				stack = append(stack, open{t.text})
				if isDef(t.text) {
					defs++
				}
			case "if", "unless", "while", "until", "for":
				if k == 0 || !valueEnd(stmt[k-1]) {
					stack = append(stack, open{t.text})
					loopHeader = t.text == "while" || t.text == "until" || t.text == "for"
				}
			case "do":
				if loopHeader {
					loopHeader = false
					continue
				}
				stack = append(stack, open{"do"})
			case "end":
				if len(stack) > 0 {
					if isDef(stack[len(stack)-1].keyword) {
						defs--
					}
					stack = stack[:len(stack)-1]
				}
			}
		}
		if local {
			continue
		}
		r.statement(stmt, depth > 0)
	}
}

// endless reports whether the def that toks starts is an endless method
// (def x = 1), which has no end.
func endless(toks []token) bool {
	depth := 0
	for _, t := range toks[1:] {
		switch t.text {
		case "(":
			depth++
		case ")":
			depth--
		case "=":
			if depth == 0 {
				return true
			}
		}
	}
	return false
}

// valueEnd reports whether t ends a value, so that an if after it is a
// modifier.
func valueEnd(t token) bool {
	switch t.kind {
	case tNumber, tString, tSymbol:
		return true
	case tIdent:
		switch t.text {
		case "and", "or", "not", "then", "do", "else", "return", "begin":
			return false
		}
		return true
	case tOp:
		return t.text == ")" || t.text == "]" || t.text == "}"
	}
	return false
}

// statement reads one statement; nested is true inside a block.
func (r *reader) statement(stmt []token, nested bool) {
	for k, t := range stmt {
		if t.kind != tIdent || !dsl[t.text] || !isCall(stmt, k) {
			continue
		}
		end := stmt[len(stmt)-1].end
		if k > 0 || nested {
			r.add(apps.Unreadable(r.f.Src[t.start:end], apps.SpanOf(r.f, t.start, end),
				fmt.Sprintf("%s is called inside a block or a condition: whether it runs depends on the program", t.text)))
			continue
		}
		args := stmt[1:]
		// A modifier makes the call conditional.
		for j, a := range lex.TopLevel(args, op) {
			if a.kind == tIdent && (a.text == "if" || a.text == "unless" || a.text == "while" || a.text == "until" || a.text == "rescue") && j > 0 {
				r.add(apps.Unreadable(r.f.Src[t.start:end], apps.SpanOf(r.f, t.start, end),
					fmt.Sprintf("%s is called under a condition (%s): whether it runs depends on the program", t.text, a.text)))
				return
			}
		}
		r.call(t, args)
		return
	}
}

// isCall reports whether the name at stmt[k] is a call of the DSL, not
// a method of something else or a local variable.
func isCall(stmt []token, k int) bool {
	if k > 0 {
		switch stmt[k-1].text {
		case ".", "&.", "::", "def", ":":
			return false
		}
	}
	if k+1 == len(stmt) {
		return stmt[k].text == "clear_binds!" || stmt[k].text == "bind_to_activated_sockets"
	}
	n := stmt[k+1]
	switch n.kind {
	case tString, tNumber, tIdent, tSymbol:
		return n.space || n.kind == tIdent && n.text == "if"
	case tOp:
		return n.text == "(" && !n.space || n.text == "::" && n.space
	}
	return false
}

func (r *reader) add(b apps.Bind) {
	r.binds = append(r.binds, b)
	r.bound = true
}

// call reads a top-level call of the DSL.
func (r *reader) call(name token, args []token) {
	if len(args) > 0 && args[0].text == "(" && !args[0].space && matching(args) == len(args)-1 {
		args = args[1 : len(args)-1]
	}
	parts := splitCommas(args)
	f := r.f
	spanOf := func(ts []token) apps.Span {
		if len(ts) == 0 {
			return apps.SpanOf(f, name.start, name.end)
		}
		return apps.SpanOf(f, ts[0].start, ts[len(ts)-1].end)
	}
	text := func(ts []token) string { return spanOf(ts).Text() }
	switch name.text {
	case "clear_binds!":
		r.binds = nil
		r.bound = true
	case "bind_to_activated_sockets":
		if len(parts) > 0 {
			if s, ok := literalString(parts[0]); ok && s == "only" {
				r.binds = nil
			}
		}
		r.add(apps.Unreadable(text(args), spanOf(append([]token{name}, args...)), "puma also listens on the sockets systemd passes it (bind_to_activated_sockets): read them from the .socket unit"))
	case "set_default_host":
		if len(parts) != 1 {
			r.problem(name.start, name.end, `set_default_host takes one host, e.g. set_default_host "0.0.0.0"`)
			return
		}
		if s, ok := literalString(parts[0]); ok {
			r.host, r.hostSpan, r.hostUnknown = s, spanOf(parts[0]), ""
			return
		}
		r.hostUnknown = "the default host is computed: " + apps.Excerpt(text(parts[0]))
	case "bind":
		if len(parts) != 1 {
			r.problem(name.start, name.end, `bind takes one URL, e.g. bind "tcp://127.0.0.1:9292"`)
			return
		}
		sp := spanOf(parts[0])
		s, ok := literalString(parts[0])
		if !ok {
			r.add(apps.Unreadable(sp.Text(), sp, computed("bind", parts[0], sp.Text())))
			return
		}
		b, msg := Bind(s, sp)
		if msg != "" {
			r.problem(sp.Start, sp.End, msg)
			return
		}
		r.add(b)
	case "port", "ssl_bind":
		want := 1
		if name.text == "ssl_bind" {
			want = 2
		}
		if len(parts) < want {
			r.problem(name.start, name.end, fmt.Sprintf(`%s needs a port, e.g. %s 3000`, name.text, name.text))
			return
		}
		portToks, hostToks := parts[0], []token(nil)
		if name.text == "ssl_bind" {
			hostToks, portToks = parts[0], parts[1]
		} else if len(parts) > 1 {
			hostToks = parts[1]
		}
		sp := spanOf(portToks)
		port, ok := literalString(portToks)
		if !ok {
			if len(portToks) == 1 && portToks[0].kind == tNumber {
				port, ok = portToks[0].text, true
			}
		}
		if !ok {
			r.add(apps.Unreadable(sp.Text(), sp, computed("port", portToks, sp.Text())))
			return
		}
		host := r.host
		if hostToks != nil {
			h, ok := literalString(hostToks)
			if !ok {
				hs := spanOf(hostToks)
				r.add(apps.Unreadable(hs.Text(), hs, computed("the host", hostToks, hs.Text())))
				return
			}
			host = h
		} else if r.hostUnknown != "" {
			r.add(apps.Unreadable(sp.Text(), sp, r.hostUnknown))
			return
		}
		b, msg := Port(port, host, sp)
		if msg != "" {
			r.problem(sp.Start, sp.End, msg)
			return
		}
		if name.text == "ssl_bind" {
			b.Protocol = manifest.ProtocolHTTPS
		}
		r.add(b)
	}
}

// computed returns why the value toks of what is not a literal, naming
// the environment variable and its default for ENV.fetch("PORT") { 3000 },
// ENV.fetch("PORT", 3000) and ENV["PORT"] || 3000.
func computed(what string, toks []token, text string) string {
	for i := 0; i+3 < len(toks); i++ {
		if toks[i].text != "ENV" {
			continue
		}
		var name, def string
		j := i + 1
		switch {
		case toks[j].text == "." && toks[j+1].text == "fetch" && j+3 < len(toks) && toks[j+2].text == "(" && toks[j+3].kind == tString:
			name = toks[j+3].text
			k := j + 4
			if k+1 < len(toks) && toks[k].text == "," {
				def = valueText(toks[k+1:], ")")
			} else if k+2 < len(toks) && toks[k].text == ")" && toks[k+1].text == "{" {
				def = valueText(toks[k+2:], "}")
			}
		case toks[j].text == "[" && toks[j+1].kind == tString:
			name = toks[j+1].text
			if k := j + 3; k+1 < len(toks) && toks[j+2].text == "]" && toks[k].text == "||" {
				def = valueText(toks[k+1:], "")
			}
		default:
			continue
		}
		if def != "" {
			return fmt.Sprintf("%s is taken from the environment: %s (%s when unset)", what, name, def)
		}
		return fmt.Sprintf("%s is taken from the environment: %s", what, name)
	}
	return fmt.Sprintf("%s is computed: %s", what, apps.Excerpt(text))
}

// valueText returns the literal at the start of toks when the token
// after it is closer ("" for the end), "" otherwise.
func valueText(toks []token, closer string) string {
	if len(toks) == 0 || toks[0].kind != tNumber && toks[0].kind != tString || toks[0].interp {
		return ""
	}
	if closer != "" && (len(toks) < 2 || toks[1].text != closer) {
		return ""
	}
	return toks[0].text
}

// literalString returns the value of toks when they are one string
// literal without interpolation.
func literalString(toks []token) (string, bool) {
	if len(toks) == 1 && toks[0].kind == tString && !toks[0].interp {
		return toks[0].text, true
	}
	return "", false
}

// splitCommas splits toks at the commas outside brackets.
func splitCommas(toks []token) [][]token {
	if len(toks) == 0 {
		return nil
	}
	return lex.Split(toks, op, ",")
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

// Bind reads a puma bind URL written at span, as puma's binder reads it
// (lib/puma/binder.rb). It returns the Bind, and, when puma refuses the
// URL, a message saying why and what to write (the Bind is then to be
// dropped).
func Bind(s string, span apps.Span) (apps.Bind, string) {
	b := apps.NewBind(s, span)
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok {
		return b, fmt.Sprintf("%q has no scheme; write tcp://HOST:PORT, ssl://HOST:PORT or unix:///PATH", s)
	}
	rest, query, _ := strings.Cut(rest, "?")
	params := map[string]string{}
	for _, kv := range strings.Split(query, "&") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			params[k] = v
		}
	}
	switch scheme {
	case "tcp", "ssl":
		hostport, ok := strings.CutPrefix(rest, "//")
		if !ok {
			return b, fmt.Sprintf("%q has no host; write %s://HOST:PORT", s, scheme)
		}
		hostport, _, _ = strings.Cut(hostport, "/")
		host, port := hostport, ""
		if strings.HasPrefix(hostport, "[") {
			if i := strings.Index(hostport, "]"); i >= 0 {
				host = hostport[1:i]
				port = strings.TrimPrefix(hostport[i+1:], ":")
			}
		} else if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
			host, port = hostport[:i], hostport[i+1:]
		}
		if port == "" {
			return b, fmt.Sprintf("%q has no port; write %s://%s:9292", s, scheme, hostport)
		}
		b2, msg := Port(port, host, span)
		if msg != "" {
			return b, msg
		}
		b2.Written = s
		if scheme == "ssl" {
			b2.Protocol = manifest.ProtocolHTTPS
		}
		return b2, ""
	case "unix":
		path := rest
		if p, ok := strings.CutPrefix(rest, "//"); ok {
			path = p
		}
		path = strings.ReplaceAll(path, "%20", " ")
		switch {
		case strings.HasPrefix(path, "@"):
			b.Unreadable = fmt.Sprintf("%s is an abstract socket, which has no path in the file system", s)
			return b, ""
		case path == "":
			return b, fmt.Sprintf("%q names no socket path; write unix:///run/puma.sock", s)
		case !strings.HasPrefix(path, "/"):
			b.Unreadable = fmt.Sprintf("puma reads %q as the relative path %q (in its working directory); for an absolute path write unix:///%s", s, path, path)
			return b, ""
		}
		a, err := apps.Unix(path)
		if err != nil {
			return b, err.Error()
		}
		b.Addr = a
		b.Protocol = manifest.ProtocolHTTP
		b.Mode = 0o777
		if u, ok := params["umask"]; ok {
			n, ok := rubyInteger(u)
			if !ok || n < 0 || n > 0o7777 {
				return b, fmt.Sprintf("puma cannot read umask %q; write it in octal with a leading 0, e.g. umask=0117", u)
			}
			b.Mode = 0o777 &^ int(n)
		}
		if m, ok := params["mode"]; ok {
			n, ok := rubyInteger("0" + m)
			if !ok || n > 0o7777 {
				return b, fmt.Sprintf("puma cannot read mode %q; write it in octal, e.g. mode=0660", m)
			}
			b.Mode = int(n)
		}
		b.ModeSpan = span
		if _, u := params["umask"]; !u {
			if _, m := params["mode"]; !m {
				b.ModeSpan = apps.Span{}
			}
		}
		return b, ""
	}
	return b, fmt.Sprintf("puma does not bind %q: the scheme must be tcp, ssl or unix", s)
}

// Port returns the Bind of port (a number as puma's Integer() reads it)
// on host ("" or "::" for puma's default host, [::] or 0.0.0.0), written
// at span.
func Port(port, host string, span apps.Span) (apps.Bind, string) {
	b := apps.NewBind(port, span)
	n, ok := rubyInteger(port)
	if !ok {
		return b, fmt.Sprintf("port %q is not a number; write a port from 1 to 65535", port)
	}
	if n == 0 {
		b.Unreadable = "port 0: the kernel picks a free port when puma starts"
		return b, ""
	}
	if n < 0 || n > 65535 {
		return b, fmt.Sprintf("port %d is out of range; use a port from 1 to 65535", n)
	}
	if host == "" {
		host = defaultHost
	}
	a, wild, err := apps.TCP(strings.Trim(host, "[]"), int(n))
	if err != nil {
		return b, err.Error()
	}
	b.Addr, b.Wildcard, b.Protocol = a, wild, manifest.ProtocolHTTP
	return b, ""
}

// rubyInteger reads s as Ruby's Integer(s): a sign, a radix prefix (0x,
// 0b, 0o, 0d, or a leading 0 for octal), underscores between digits.
func rubyInteger(s string) (int64, bool) {
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg, t = t[0] == '-', t[1:]
	}
	base := 10
	if len(t) > 1 && t[0] == '0' {
		switch t[1] {
		case 'x', 'X':
			base, t = 16, t[2:]
		case 'b', 'B':
			base, t = 2, t[2:]
		case 'o', 'O':
			base, t = 8, t[2:]
		case 'd', 'D':
			base, t = 10, t[2:]
		default:
			base, t = 8, t[1:]
		}
	}
	if t == "" || t[0] == '_' || t[len(t)-1] == '_' || strings.Contains(t, "__") {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(t, "_", ""), base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}
