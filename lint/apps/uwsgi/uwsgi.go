// Package uwsgi reads a uWSGI .ini file for nginxlint: the sockets uWSGI
// binds (socket, uwsgi-socket, http-socket, https-socket,
// fastcgi-socket, scgi-socket, and the HTTP router's http and https),
// what each speaks, and the owner, group and mode of its unix sockets
// (chmod-socket, chown-socket, umask), with uid and gid.
//
// The file is read as uWSGI reads it (core/ini.c), which is not what
// general INI libraries do: a line is a [section], a comment (a line
// starting with ; or #; nothing is a comment after a value), or
// key = value with the value up to the end of the line, no quotes and no
// continuation; a key given again adds another value (two socket lines
// are two sockets); only the [uwsgi] section is read. gopkg.in/ini.v1
// gives no positions and reads quotes, inline comments and continuations
// uWSGI does not, so a small reader of our own is exact where it would
// not be.
//
// What uWSGI makes of the values (core/socket.c, core/uwsgi.c): an
// address with no colon is a unix socket (a relative path is created in
// the working directory: unreadable; @name is an abstract socket:
// unreadable); ":PORT" is every IPv4 interface; "[IPV6]:PORT" and
// "HOST:PORT" are TCP. chmod-socket takes three octal digits (660), or
// no value for 666; without it a socket's mode is 0777 less the umask
// option, unknown when neither is set. chown-socket is USER[:GROUP].
// The magic variables (%d, %n ...), $(ENV) and @(file) are unreadable;
// %(name) is read from an option set earlier in the file with a literal
// value. Other files the file names (ini =, include =) are not followed.
package uwsgi

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// The socket options, and what each speaks ("" for socket: the protocol
// option's, uwsgi by default).
var socketOptions = map[string]manifest.Protocol{
	"socket":         "",
	"uwsgi-socket":   manifest.ProtocolUWSGI,
	"http-socket":    manifest.ProtocolHTTP,
	"https-socket":   manifest.ProtocolHTTPS,
	"fastcgi-socket": manifest.ProtocolFastCGI,
	"scgi-socket":    manifest.ProtocolSCGI,
	"http":           manifest.ProtocolHTTP,
	"https":          manifest.ProtocolHTTPS,
}

// value is one key = value line of the [uwsgi] section.
type value struct {
	key        string
	text       string // the value as written
	start, end int    // where the value is written
	keyStart   int
}

// Read reads the uWSGI ini file f: one App, one Bind per socket.
func Read(f *syntax.File) ([]*apps.App, []apps.Problem) {
	r := &reader{f: f}
	f.Comments = apps.Comments(f.Src, ";#", false, false)
	values, sawSection := r.lines()
	app := &apps.App{Kind: apps.UWSGI, File: f, Span: apps.SpanOf(f, 0, len(f.Src))}
	if !sawSection {
		r.problem(0, min(len(f.Src), firstLineEnd(f.Src)), "this file has no [uwsgi] section: uWSGI reads only the options under [uwsgi]")
		return []*apps.App{app}, r.problems
	}
	app.Binds = r.binds(values)
	apps.SortProblems(r.problems)
	return []*apps.App{app}, r.problems
}

type reader struct {
	f        *syntax.File
	problems []apps.Problem
	// set holds the options read so far, for %(name).
	set map[string][]value
}

func (r *reader) problem(start, end int, msg string) {
	r.problems = append(r.problems, apps.Problem{Span: apps.SpanOf(r.f, start, end), Msg: msg})
}

func firstLineEnd(s string) int {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return i
	}
	return len(s)
}

// lines reads the [uwsgi] section's options, in order.
func (r *reader) lines() ([]value, bool) {
	src := r.f.Src
	var out []value
	section, saw := "", false
	for ls, le := range apps.Lines(src) {
		s, e := apps.TrimBlank(src, ls, le)
		if s == e {
			continue
		}
		line := src[s:e]
		switch line[0] {
		case '[':
			if line[len(line)-1] != ']' {
				r.problem(s, e, "a section header ends with ]: write [uwsgi]")
			}
			section = strings.TrimSuffix(line[1:], "]")
			if section == "uwsgi" {
				saw = true
			}
		case ';', '#':
		default:
			if section != "uwsgi" {
				break
			}
			eq := strings.IndexByte(line, '=')
			v := value{keyStart: s}
			if eq < 0 {
				// A flag: the value is empty, its place the name's.
				v.key = line
				v.start, v.end = s, e
			} else {
				ks, ke := apps.TrimBlank(src, s, s+eq)
				v.key = src[ks:ke]
				v.start, v.end = apps.TrimBlank(src, s+eq+1, e)
			}
			if eq >= 0 {
				v.text = src[v.start:v.end]
			}
			if v.key == "" {
				r.problem(s, e, "an option has a name before =: write socket = 127.0.0.1:3031")
				break
			}
			out = append(out, v)
		}
	}
	return out, saw
}

// expand resolves the placeholders of v's value; reason is why it cannot
// be known when it cannot.
func (r *reader) expand(v value) (string, string) {
	t := v.text
	if !strings.ContainsAny(t, "%$@") {
		return t, ""
	}
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		if i+1 >= len(t) {
			b.WriteByte(c)
			continue
		}
		switch {
		case c == '%' && t[i+1] == '(':
			end := strings.IndexByte(t[i:], ')')
			if end < 0 {
				return "", fmt.Sprintf("%s uses %q, which is never closed", v.key, t[i:])
			}
			name := t[i+2 : i+end]
			prev := r.set[name]
			if len(prev) != 1 || strings.ContainsAny(prev[0].text, "%$@") {
				return "", fmt.Sprintf("%s uses %%(%s), which nginxlint cannot resolve from this file", v.key, name)
			}
			b.WriteString(prev[0].text)
			i += end
		case c == '%' && t[i+1] == '%':
			b.WriteByte('%')
			i++
		case c == '%':
			return "", fmt.Sprintf("%s uses the magic variable %%%c, which uWSGI fills in when it starts", v.key, t[i+1])
		case c == '$' && t[i+1] == '(':
			return "", fmt.Sprintf("%s uses %s, which is taken from the environment", v.key, strings.SplitAfter(t[i:], ")")[0])
		case c == '@' && t[i+1] == '(':
			return "", fmt.Sprintf("%s uses %s, which is read from a file", v.key, strings.SplitAfter(t[i:], ")")[0])
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// binds reads the options.
func (r *reader) binds(values []value) []apps.Bind {
	r.set = map[string][]value{}
	var (
		binds                         []apps.Bind
		unix                          []int // indexes of unix binds
		protocol                      manifest.Protocol
		chmod, umask                  = -1, -1
		chmodSpan                     apps.Span
		owner, group, runUser, runGrp string
		ownerSpan, groupSpan          apps.Span
	)
	f := r.f
	for _, v := range values {
		sp := apps.SpanOf(f, v.start, v.end)
		text, unknown := r.expand(v)
		proto, isSocket := socketOptions[v.key]
		switch {
		case isSocket:
			if unknown != "" {
				binds = append(binds, apps.Unreadable(v.text, sp, unknown))
				break
			}
			addr := text
			if v.key == "https" || v.key == "https-socket" {
				addr, _, _ = strings.Cut(addr, ",")
			}
			b, msg := Bind(addr, sp)
			b.Written = v.text
			if msg != "" {
				r.problem(v.start, v.end, v.key+": "+msg)
				break
			}
			b.Protocol = proto
			if v.key == "socket" {
				b.Protocol = "" // set below, once protocol = is known
			}
			if b.Addr.Unix {
				unix = append(unix, len(binds))
			}
			binds = append(binds, b)
		case unknown != "":
			// An option nginxlint does not need to know, or one whose
			// value is unknown: chmod-socket and the others stay unset.
		case v.key == "protocol":
			protocol = manifest.Protocol(strings.ToLower(text))
			if !protocol.Valid() {
				protocol = ""
			}
		case v.key == "chmod-socket" || v.key == "chmod":
			switch {
			case text == "" || text == "1" || strings.EqualFold(text, "true"):
				chmod, chmodSpan = 0o666, sp
			case len(text) == 3 && allOctal(text):
				n, _ := strconv.ParseInt(text, 8, 32)
				chmod, chmodSpan = int(n), sp
			default:
				r.problem(v.start, v.end, fmt.Sprintf("uWSGI refuses chmod-socket %q: write three octal digits, e.g. chmod-socket = 660", text))
			}
		case v.key == "umask":
			n, err := strconv.ParseInt(text, 8, 32)
			if err != nil || n < 0 || n > 0o777 {
				r.problem(v.start, v.end, fmt.Sprintf("umask %q is not an octal mask; write it as 022", text))
				break
			}
			umask = int(n)
		case v.key == "chown-socket":
			u, g, hasGroup := strings.Cut(text, ":")
			if u == "" || hasGroup && g == "" {
				r.problem(v.start, v.end, "chown-socket is USER or USER:GROUP, e.g. chown-socket = www-data:www-data")
				break
			}
			owner, ownerSpan = u, apps.SpanOf(f, v.start, v.start+len(u))
			group, groupSpan = "", apps.Span{}
			if hasGroup {
				group, groupSpan = g, apps.SpanOf(f, v.start+len(u)+1, v.end)
			}
		case v.key == "uid":
			runUser = text
		case v.key == "gid":
			runGrp = text
		}
		r.set[v.key] = append(r.set[v.key], v)
	}
	if len(binds) == 0 {
		return []apps.Bind{apps.Unreadable("", apps.Span{}, "the file sets no socket: uWSGI takes it from its command line (--socket, --http)")}
	}
	if protocol == "" {
		protocol = manifest.ProtocolUWSGI
	}
	for i := range binds {
		b := &binds[i]
		if b.Protocol == "" && b.Unreadable == "" {
			b.Protocol = protocol
		}
		b.RunUser, b.RunGroup = runUser, runGrp
	}
	for _, i := range unix {
		b := &binds[i]
		b.Owner, b.OwnerSpan, b.Group, b.GroupSpan = owner, ownerSpan, group, groupSpan
		switch {
		case chmod >= 0:
			b.Mode, b.ModeSpan = chmod, chmodSpan
		case umask >= 0:
			b.Mode = 0o777 &^ umask
		}
	}
	return binds
}

func allOctal(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '7' {
			return false
		}
	}
	return true
}

// Bind reads a uWSGI socket address written at span. It returns the
// Bind, and when uWSGI refuses the address, a message saying why (the
// Bind is then to be dropped).
func Bind(s string, span apps.Span) (apps.Bind, string) {
	b := apps.NewBind(s, span)
	colon := strings.LastIndexByte(s, ':')
	switch {
	case s == "":
		return b, "the address is empty; write 127.0.0.1:3031 or /run/uwsgi/app.sock"
	case strings.HasPrefix(s, "="):
		b.Unreadable = fmt.Sprintf("%s is a shared socket, defined by shared-socket", s)
		return b, ""
	case colon < 0 && (strings.HasPrefix(s, "@") || strings.HasPrefix(s, `\0`)):
		b.Unreadable = fmt.Sprintf("%s is an abstract socket, which has no path in the file system", s)
		return b, ""
	case colon < 0 && !strings.HasPrefix(s, "/"):
		b.Unreadable = fmt.Sprintf("the socket path %q is relative: uWSGI creates it in its working directory", s)
		return b, ""
	case colon < 0:
		a, err := apps.Unix(s)
		if err != nil {
			return b, err.Error()
		}
		b.Addr = a
		return b, ""
	}
	host, port := s[:colon], s[colon+1:]
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	} else if strings.Contains(host, ":") {
		return b, fmt.Sprintf("%q: write an IPv6 address in brackets, e.g. [::1]:3031", s)
	}
	n, err := strconv.Atoi(port)
	switch {
	case err != nil:
		return b, fmt.Sprintf("port %q is not a number; write HOST:PORT, e.g. 127.0.0.1:3031", port)
	case n == 0:
		b.Unreadable = "port 0: the kernel picks a free port when uWSGI starts"
		return b, ""
	case n < 0 || n > 65535:
		return b, fmt.Sprintf("port %d is out of range; use a port from 1 to 65535", n)
	}
	a, wild, err := apps.TCP(host, n)
	if err != nil {
		return b, err.Error()
	}
	b.Addr, b.Wildcard = a, wild
	return b, ""
}
