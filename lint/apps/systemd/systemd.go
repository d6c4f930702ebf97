// Package systemd reads systemd units for nginxlint: a .socket unit's
// ListenStream= addresses with SocketUser=, SocketGroup= and SocketMode=
// (default 0666), and a .service unit's ExecStart= (read by package
// cmdline, with the variables its Environment= sets), its User= and
// Group=, and Environment=PORT= for an app that reads PORT.
//
// The unit syntax is systemd's (systemd.syntax(7)): [Sections], Key=Value
// with white space around "=" ignored, comments on lines starting with #
// or ;, a line ending in a backslash continued on the next (the comment
// lines between are dropped), an empty value resetting a list. Values
// of Environment= and ExecStart= are split into words with quotes and
// C-style backslash escapes; ExecStart= expands ${NAME} and $NAME from
// Environment=. EnvironmentFile= may set any variable, so with one every
// variable is unreadable (its settings override Environment=). The
// specifiers (%i, %h ...) are unreadable.
//
// ListenStream= takes (systemd.socket(5)): an absolute path (a unix
// socket), @name (an abstract socket: unreadable), a port alone (every
// address, IPv6 and IPv4: [::]:PORT), IPV4:PORT or [IPV6]:PORT; host
// names are refused. Under socket activation the service inherits these
// sockets and its own bind settings do not apply: the linker, which sees
// both units, decides.
//
// An App of a .service unit holds the binds of the server its ExecStart
// runs (gunicorn, uvicorn, puma); when the command is not one nginxlint
// reads but Environment= sets PORT, one Bind on 0.0.0.0:PORT (wildcard),
// as package dotenv reads PORT; otherwise one unreadable Bind.
package systemd

import (
	"fmt"
	"net/netip"
	"path"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/cmdline"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DefaultSocketMode is the mode of a unix socket without SocketMode=.
const DefaultSocketMode = 0o666

// setting is one Key=Value of a section, its value as a logical line.
type setting struct {
	section, key string
	keyStart     int
	value        string
	pos          []int // the offset in the file of each byte of value
	start, end   int   // the value's first and last bytes in the file
}

func (s setting) span(f *syntax.File) apps.Span {
	if s.start == s.end {
		return apps.SpanOf(f, s.keyStart, s.keyStart+len(s.key))
	}
	return apps.SpanOf(f, s.start, s.end)
}

// Read reads the unit f: one App, with the binds of a .socket or of a
// .service unit.
func Read(f *syntax.File) ([]*apps.App, []apps.Problem) {
	r := &reader{f: f}
	f.Comments = apps.Comments(f.Src, "#;", false, false)
	settings, sections := r.parse()
	app := &apps.App{Kind: apps.Systemd, File: f, Span: apps.SpanOf(f, 0, len(f.Src))}
	switch {
	case strings.HasSuffix(f.Name, ".socket") || sections["Socket"] && !sections["Service"]:
		app.Binds = r.socket(settings)
	case strings.HasSuffix(f.Name, ".service") || sections["Service"]:
		app.Binds = r.service(settings)
	default:
		r.problem(0, firstLine(f.Src), "this is neither a .socket nor a .service unit: it has no [Socket] or [Service] section")
		return nil, r.problems
	}
	apps.SortProblems(r.problems)
	return []*apps.App{app}, r.problems
}

func firstLine(s string) int {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return i
	}
	return len(s)
}

type reader struct {
	f        *syntax.File
	problems []apps.Problem
}

func (r *reader) problem(start, end int, msg string) {
	r.problems = append(r.problems, apps.Problem{Span: apps.SpanOf(r.f, start, end), Msg: msg})
}

// parse reads the unit's settings in order.
func (r *reader) parse() ([]setting, map[string]bool) {
	src := r.f.Src
	var out []setting
	sections := map[string]bool{}
	section := ""
	line := func(i int) (int, int) { // [i, end of line)
		e := strings.IndexByte(src[i:], '\n')
		if e < 0 {
			return i, len(src)
		}
		return i, i + e
	}
	for i := 0; i < len(src); {
		s, e := line(i)
		i = e + 1
		ts, te := apps.TrimBlank(src, s, e)
		if ts == te || src[ts] == '#' || src[ts] == ';' {
			continue
		}
		if src[ts] == '[' {
			if src[te-1] != ']' {
				r.problem(ts, te, "a section header ends with ]: write [Service]")
				continue
			}
			section = src[ts+1 : te-1]
			sections[section] = true
			continue
		}
		eq := strings.IndexByte(src[ts:te], '=')
		if eq < 0 {
			r.problem(ts, te, "a setting is Key=Value; this line has no =")
			continue
		}
		ks, ke := apps.TrimBlank(src, ts, ts+eq)
		st := setting{section: section, key: src[ks:ke], keyStart: ks}
		if section == "" {
			r.problem(ts, te, "a setting outside any section: put it under [Socket], [Service] ...")
			continue
		}
		// The value, joined with the lines a trailing backslash continues.
		vs, ve := apps.TrimBlank(src, ts+eq+1, te)
		var b strings.Builder
		for {
			cont := ve > vs && src[ve-1] == '\\'
			if cont {
				ve--
			}
			for k := vs; k < ve; k++ {
				b.WriteByte(src[k])
				st.pos = append(st.pos, k)
			}
			if !cont || i >= len(src) {
				break
			}
			b.WriteByte(' ')
			st.pos = append(st.pos, ve)
			// The next line that is not a comment.
			for i < len(src) {
				s, e = line(i)
				i = e + 1
				ts, te = apps.TrimBlank(src, s, e)
				if ts < te && (src[ts] == '#' || src[ts] == ';') {
					continue
				}
				break
			}
			vs, ve = ts, te
		}
		st.value = strings.TrimRight(b.String(), " ")
		st.pos = st.pos[:len(st.value)]
		if len(st.pos) > 0 {
			st.start, st.end = st.pos[0], st.pos[len(st.pos)-1]+1
		} else {
			st.start, st.end = ks, ks
		}
		out = append(out, st)
	}
	return out, sections
}

// socket reads a .socket unit.
func (r *reader) socket(settings []setting) []apps.Bind {
	f := r.f
	var listens []setting
	var user, group, mode *setting
	v6only := false
	for i := range settings {
		st := &settings[i]
		if st.section != "Socket" {
			continue
		}
		switch st.key {
		case "ListenStream":
			if st.value == "" {
				listens = nil
				continue
			}
			listens = append(listens, *st)
		case "SocketUser":
			user = st
		case "SocketGroup":
			group = st
		case "SocketMode":
			mode = st
		case "BindIPv6Only":
			v6only = st.value == "ipv6-only"
		}
	}
	if len(listens) == 0 {
		return []apps.Bind{apps.Unreadable("", apps.Span{}, "the unit has no ListenStream=: it listens on no stream socket")}
	}
	m, modeSpan := DefaultSocketMode, apps.Span{}
	if mode != nil {
		n, err := apps.ParseOctalMode(mode.value)
		if err != nil {
			r.problem(mode.start, mode.end, "SocketMode: "+err.Error())
			m = -1
		} else {
			m, modeSpan = n, mode.span(f)
		}
	}
	var binds []apps.Bind
	for _, l := range listens {
		sp := l.span(f)
		b, msg := ListenStream(l.value, sp)
		if msg != "" {
			r.problem(l.start, l.end, msg)
			continue
		}
		if v6only && b.Wildcard && b.Addr.IP.Is6() {
			b.Unreadable = "BindIPv6Only=ipv6-only: this socket accepts IPv6 connections only"
		}
		if b.Addr.Unix {
			if user != nil && !hasSpecifier(user.value) {
				b.Owner, b.OwnerSpan = user.value, user.span(f)
			}
			if group != nil && !hasSpecifier(group.value) {
				b.Group, b.GroupSpan = group.value, group.span(f)
			}
			b.Mode, b.ModeSpan = m, modeSpan
		}
		binds = append(binds, b)
	}
	return binds
}

func hasSpecifier(s string) bool {
	return strings.Contains(strings.ReplaceAll(s, "%%", ""), "%")
}

// ListenStream reads a ListenStream= address written at span. It returns
// the Bind, and when systemd refuses the address, a message saying what
// to write (the Bind is then to be dropped).
func ListenStream(s string, span apps.Span) (apps.Bind, string) {
	b := apps.NewBind(s, span)
	if hasSpecifier(s) {
		b.Unreadable = fmt.Sprintf("%s uses a specifier (%%i, %%n ...) that systemd fills in for each unit", s)
		return b, ""
	}
	s = strings.ReplaceAll(s, "%%", "%")
	switch {
	case strings.HasPrefix(s, "/"):
		a, err := apps.Unix(s)
		if err != nil {
			return b, err.Error()
		}
		b.Addr = a
		return b, ""
	case strings.HasPrefix(s, "@"):
		b.Unreadable = fmt.Sprintf("%s is an abstract socket, which has no path in the file system", s)
		return b, ""
	case strings.HasPrefix(s, "vsock:"):
		b.Unreadable = fmt.Sprintf("%s is a VSOCK address, which nginx does not dial", s)
		return b, ""
	}
	host, port := "", s
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, port = s[:i], s[i+1:]
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return b, fmt.Sprintf("%q is not a ListenStream= address: write a port (8000), 127.0.0.1:8000, [::1]:8000 or /run/app.sock", s)
	}
	switch {
	case host == "":
		host = "::" // every address, IPv6 and IPv4
	case strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]"):
		host = host[1 : len(host)-1]
		if i := strings.IndexByte(host, '%'); i >= 0 {
			host = host[:i] // an interface
		}
	}
	if _, err := netip.ParseAddr(host); err != nil {
		return b, fmt.Sprintf("systemd takes an IP address in ListenStream=, not %q: write 127.0.0.1:%d", host, n)
	}
	a, wild, err := apps.TCP(host, n)
	if err != nil {
		return b, err.Error()
	}
	b.Addr, b.Wildcard = a, wild
	return b, ""
}

// service reads a .service unit.
func (r *reader) service(settings []setting) []apps.Bind {
	f := r.f
	env := cmdline.Env{}
	var envFile *setting
	var exec *setting
	var user, group string
	for i := range settings {
		st := &settings[i]
		if st.section != "Service" {
			continue
		}
		switch st.key {
		case "Environment":
			if st.value == "" {
				env = cmdline.Env{}
				continue
			}
			words, msg := split(*st)
			if msg != "" {
				r.problem(st.start, st.end, "Environment: "+msg)
				continue
			}
			for _, w := range words {
				name, value, ok := strings.Cut(w.Value, "=")
				if !ok || name == "" {
					r.problem(w.Start, w.End, fmt.Sprintf("Environment= takes NAME=VALUE assignments; %q is not one", w.Value))
					continue
				}
				vs, ve := w.Offset(len(name)+1), w.Offset(len(w.Value)-1)+1
				if value == "" {
					ve = vs
				}
				env[name] = cmdline.Var{Value: value, Span: apps.SpanOf(f, min(vs, ve), ve)}
			}
		case "EnvironmentFile":
			if st.value == "" {
				envFile = nil
				continue
			}
			envFile = st
		case "ExecStart":
			if st.value == "" {
				exec = nil
				continue
			}
			exec = st
		case "User":
			user = st.value
		case "Group":
			group = st.value
		}
	}
	var binds []apps.Bind
	port, hasPort := env["PORT"]
	if envFile != nil {
		hasPort = false
	}
	if exec != nil {
		words, msg := split(*exec)
		if msg != "" {
			r.problem(exec.start, exec.end, "ExecStart: "+msg)
			return []apps.Bind{apps.Unreadable(exec.value, exec.span(f), "ExecStart cannot be read: "+msg)}
		}
		// The prefixes of the executable: @ - : + !
		if len(words) > 0 {
			w := &words[0]
			k := 0
			for k < len(w.Value) && strings.IndexByte("@-:+!", w.Value[k]) >= 0 {
				k++
			}
			if k > 0 {
				*w = cmdline.NewWord(w.Value[k:], w.Offset(k), w.End, positions(*w, k))
			}
		}
		known := env
		if envFile != nil {
			known = cmdline.Env{}
		}
		words = r.expand(words, known, envFile)
		as, ps := cmdline.ReadArgv(f, words, known)
		r.problems = append(r.problems, ps...)
		for _, a := range as {
			binds = append(binds, a.Binds...)
		}
		if len(as) == 0 && !hasPort {
			prog := ""
			if len(words) > 0 {
				prog = path.Base(words[0].Value)
			}
			reason := fmt.Sprintf("ExecStart runs %s, whose listen address nginxlint does not read", prog)
			if envFile != nil {
				reason += fmt.Sprintf(" (PORT may be set by EnvironmentFile=%s)", envFile.value)
			}
			binds = append(binds, apps.Unreadable(exec.value, exec.span(f), reason))
		}
	}
	if len(binds) == 0 && hasPort && hasSpecifier(port.Value) {
		// A template unit (name@.service): PORT=%i is each instance's.
		binds = append(binds, apps.Unreadable(port.Value, port.Span, fmt.Sprintf("PORT=%s uses a specifier (%%i, %%I ...) that systemd fills in for each instance of the unit", port.Value)))
	}
	if len(binds) == 0 && hasPort {
		b := apps.NewBind(port.Value, port.Span)
		n, err := strconv.Atoi(port.Value)
		if err != nil || n < 1 || n > 65535 {
			r.problem(port.Span.Start, port.Span.End, fmt.Sprintf("PORT %q is not a port; write a number from 1 to 65535", port.Value))
			return nil
		}
		b.Addr, b.Wildcard, _ = apps.TCP("0.0.0.0", n)
		binds = append(binds, b)
	}
	if len(binds) == 0 {
		binds = append(binds, apps.Unreadable("", apps.Span{}, "the unit has no ExecStart= and sets no PORT"))
	}
	for i := range binds {
		if binds[i].RunUser == "" && !hasSpecifier(user) {
			binds[i].RunUser = user
		}
		if binds[i].RunGroup == "" && !hasSpecifier(group) {
			binds[i].RunGroup = group
		}
	}
	return binds
}

func positions(w cmdline.Word, from int) []int {
	p := make([]int, 0, len(w.Value)-from)
	for i := from; i < len(w.Value); i++ {
		p = append(p, w.Offset(i))
	}
	return p
}

// expand replaces ${NAME} and $NAME in the words with their values from
// env; a variable env does not hold, and a specifier, make a word's
// Unknown.
func (r *reader) expand(words []cmdline.Word, env cmdline.Env, envFile *setting) []cmdline.Word {
	out := make([]cmdline.Word, 0, len(words))
	for _, w := range words {
		v := w.Value
		if !strings.ContainsAny(v, "$%") {
			out = append(out, w)
			continue
		}
		var b strings.Builder
		var pos []int
		unknown := ""
		lastBrace := strings.LastIndexByte(v, '}')
		for i := 0; i < len(v); i++ {
			c := v[i]
			at := w.Offset(i)
			switch {
			case c == '$' && i+1 < len(v) && v[i+1] == '$', c == '%' && i+1 < len(v) && v[i+1] == '%':
				b.WriteByte(c)
				pos = append(pos, at)
				i++
			case c == '%' && i+1 < len(v):
				if unknown == "" {
					unknown = v[i : i+2]
				}
				b.WriteString(v[i : i+2])
				pos = append(pos, at, w.Offset(i+1))
				i++
			case c == '$' && i+1 < len(v) && (v[i+1] == '{' || isNameStart(v[i+1])):
				j, name := i+1, ""
				if v[j] == '{' {
					k := -1
					if j < lastBrace {
						k = strings.IndexByte(v[j:], '}')
					}
					if k < 0 {
						b.WriteByte(c)
						pos = append(pos, at)
						continue
					}
					name, j = v[j+1:j+k], j+k+1
				} else {
					for j < len(v) && (isNameStart(v[j]) || v[j] >= '0' && v[j] <= '9') {
						j++
					}
					name = v[i+1 : j]
				}
				if val, ok := env[name]; ok {
					for k := 0; k < len(val.Value); k++ {
						b.WriteByte(val.Value[k])
						pos = append(pos, at)
					}
				} else {
					if unknown == "" {
						unknown = v[i:j]
						if envFile != nil {
							unknown += " (EnvironmentFile=" + envFile.value + " may set it)"
						}
					}
					for k := i; k < j; k++ {
						b.WriteByte(v[k])
						pos = append(pos, w.Offset(k))
					}
				}
				i = j - 1
			default:
				b.WriteByte(c)
				pos = append(pos, at)
			}
		}
		nw := cmdline.NewWord(b.String(), w.Start, w.End, pos)
		nw.Unknown = unknown
		out = append(out, nw)
	}
	return out
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// split splits a value into words as systemd does for Environment= and
// ExecStart=: white space between words, "double" and 'single' quotes,
// C-style backslash escapes.
func split(st setting) ([]cmdline.Word, string) {
	v := st.value
	var out []cmdline.Word
	for i := 0; i < len(v); {
		if v[i] == ' ' || v[i] == '\t' {
			i++
			continue
		}
		start := i
		var b strings.Builder
		var pos []int
		var quote byte
		for i < len(v) {
			c := v[i]
			if quote == 0 && (c == ' ' || c == '\t') {
				break
			}
			switch {
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
				i++
				continue
			case quote != 0 && c == quote:
				quote = 0
				i++
				continue
			case c == '\\' && i+1 < len(v):
				d := v[i+1]
				esc := map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v', '\\': '\\', '"': '"', '\'': '\'', ' ': ' ', 's': ' '}
				if e, ok := esc[d]; ok {
					b.WriteByte(e)
				} else {
					b.WriteByte(d)
				}
				pos = append(pos, st.pos[i+1])
				i += 2
				continue
			}
			b.WriteByte(c)
			pos = append(pos, st.pos[i])
			i++
		}
		if quote != 0 {
			return nil, fmt.Sprintf("the %c quote is never closed", quote)
		}
		end := st.pos[i-1] + 1
		out = append(out, cmdline.NewWord(b.String(), st.pos[start], end, pos))
	}
	return out, ""
}
