// Package phpfpm reads PHP-FPM pool files (www.conf and the others of
// pool.d/, or php-fpm.conf itself) for nginxlint: one App per pool, named
// after its [section], with the address it listens on (listen), the
// owner, group and mode of its unix socket (listen.owner, listen.group,
// listen.mode, default 0660), the clients it accepts
// (listen.allowed_clients), and the user and group its workers run as.
// Every pool speaks FastCGI.
//
// The file is read as PHP's INI parser reads it for php-fpm: [sections],
// key = value, comments from ";" to the end of the line, values
// unquoted (trimmed), "double-quoted" or 'single-quoted', yes/no/on/off/
// true/false/none/null as PHP turns them into "1" and "". php-fpm
// replaces $pool in values with the pool's name; ${VAR} takes VAR from
// the environment, which makes the value unreadable. A "#" is not a
// comment there (php-fpm refuses "#listen = ..."), and "=", "|", "&",
// "~", "!", "(", ")", "^" must be quoted: both are problems. include =
// lines are not followed: the caller names each pool file. A pool whose
// socket permissions are set by ACLs (listen.acl_users, listen.acl_groups)
// has no owner, group or mode here: the ACLs decide who may connect.
//
// listen takes, as php-fpm reads it (sapi/fpm/fpm/fpm_sockets.c): a
// path (a unix socket; relative paths resolve against the pool's prefix:
// unreadable), IP:PORT, [IPV6]:PORT, or PORT alone (every address, IPv6
// and IPv4: [::]:PORT here). A host name binds only the first address it
// resolves to, which depends on the host's resolver: unreadable, and
// "*:PORT" is a host name (on Debian 12 it binds [::1] only): a problem.
//
// gopkg.in/ini.v1 gives no positions, and its dialect (inline # comments,
// continuation lines, no ${VAR}) is not PHP's, hence a reader of our own.
package phpfpm

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// DefaultMode is the mode of a pool's unix socket without listen.mode.
const DefaultMode = 0o660

// entry is one key = value line.
type entry struct {
	key        string
	keyStart   int
	value      string // decoded, $pool not yet replaced
	start, end int    // the value as written
	unknown    string // why the value cannot be known (${VAR})
}

// pool is one [section] other than [global].
type pool struct {
	name       string
	start, end int // the section header
	entries    []entry
}

// Read reads the PHP-FPM configuration file f: one App per pool.
func Read(f *syntax.File) ([]*apps.App, []apps.Problem) {
	r := &reader{f: f}
	f.Comments = apps.Comments(f.Src, ";", true, false)
	pools := r.lines()
	var out []*apps.App
	for _, p := range pools {
		out = append(out, r.app(p))
	}
	apps.SortProblems(r.problems)
	return out, r.problems
}

type reader struct {
	f        *syntax.File
	problems []apps.Problem
}

func (r *reader) problem(start, end int, msg string) {
	r.problems = append(r.problems, apps.Problem{Span: apps.SpanOf(r.f, start, end), Msg: msg})
}

// lines reads the file's sections and entries.
func (r *reader) lines() []*pool {
	src := r.f.Src
	var pools []*pool
	var cur *pool
	for ls, le := range apps.Lines(src) {
		s, e := apps.TrimBlank(src, ls, le)
		if s == e || src[s] == ';' {
			continue
		}
		switch src[s] {
		case '#':
			r.problem(s, e, "php-fpm does not read # comments (it takes this line for an entry and refuses it): start the comment with ;")
			continue
		case '[':
			end := strings.IndexByte(src[s:e], ']')
			if end < 0 {
				r.problem(s, e, "a section header ends with ]: write [www]")
				continue
			}
			rest := strings.TrimSpace(src[s+end+1 : e])
			if rest != "" && rest[0] != ';' {
				r.problem(s+end+1, e, "nothing but a comment may follow a section header")
			}
			name := strings.TrimSpace(src[s+1 : s+end])
			cur = nil
			if name != "global" {
				cur = &pool{name: name, start: s, end: s + end + 1}
				pools = append(pools, cur)
			}
			continue
		}
		en, ok := r.entry(s, e)
		if !ok || cur == nil {
			continue
		}
		cur.entries = append(cur.entries, en)
	}
	return pools
}

// entry reads the key = value line at [s, e).
func (r *reader) entry(s, e int) (entry, bool) {
	src := r.f.Src
	eq := strings.IndexByte(src[s:e], '=')
	if eq < 0 {
		r.problem(s, e, "an entry is key = value; write e.g. listen = /run/php/php-fpm.sock")
		return entry{}, false
	}
	ks, ke := apps.TrimBlank(src, s, s+eq)
	en := entry{key: src[ks:ke], keyStart: ks}
	if en.key == "" {
		r.problem(s, e, "an entry has a key before =; write e.g. listen = /run/php/php-fpm.sock")
		return entry{}, false
	}
	// The value: pieces up to a ";" outside quotes.
	i := s + eq + 1
	for i < e && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	en.start = i
	var b strings.Builder
	last := i // the end of the value's last non-blank piece
	plain := true
	for i < e {
		c := src[i]
		switch {
		case c == ';':
			goto done
		case c == '"' || c == '\'':
			plain = false
			j := strings.IndexByte(src[i+1:e], c)
			if j < 0 {
				r.problem(i, e, fmt.Sprintf("this %c quote is never closed on its line", c))
				return entry{}, false
			}
			body := src[i+1 : i+1+j]
			if c == '"' {
				if k := strings.Index(body, "${"); k >= 0 && en.unknown == "" {
					en.unknown = fmt.Sprintf("%s takes %s from the environment", en.key, envName(body[k:]))
				}
			}
			b.WriteString(body)
			i += j + 2
			last = i
		case c == '$' && i+1 < e && src[i+1] == '{':
			k := strings.IndexByte(src[i:e], '}')
			if k < 0 {
				r.problem(i, e, "this ${ is never closed with }")
				return entry{}, false
			}
			if en.unknown == "" {
				en.unknown = fmt.Sprintf("%s takes %s from the environment", en.key, src[i:i+k+1])
			}
			b.WriteString(src[i : i+k+1])
			i += k + 1
			last = i
		case strings.IndexByte("=|&~!()^{}", c) >= 0:
			r.problem(i, i+1, fmt.Sprintf("php-fpm cannot read %q in an unquoted value; put the value in double quotes", c))
			return entry{}, false
		case c == '#' && i > en.start && (src[i-1] == ' ' || src[i-1] == '\t'):
			r.problem(i, e, "php-fpm does not read # comments: this text is part of the value; start the comment with ;")
			return entry{}, false
		default:
			b.WriteByte(c)
			i++
			if c != ' ' && c != '\t' {
				last = i
			}
		}
	}
done:
	en.end = last
	en.value = strings.TrimRight(b.String(), " \t")
	if plain {
		switch strings.ToLower(en.value) {
		case "yes", "on", "true":
			en.value = "1"
		case "no", "off", "false", "none", "null":
			en.value = ""
		}
	}
	return en, true
}

func envName(s string) string {
	if k := strings.IndexByte(s, '}'); k >= 0 {
		return s[:k+1]
	}
	return s
}

// app makes the App of a pool.
func (r *reader) app(p *pool) *apps.App {
	f := r.f
	a := &apps.App{Kind: apps.PHPFPM, Name: p.name, File: f, Span: apps.SpanOf(f, p.start, p.end)}
	last := map[string]entry{}
	for _, en := range p.entries {
		en.value = strings.ReplaceAll(en.value, "$pool", p.name)
		last[en.key] = en
	}
	span := func(en entry) apps.Span {
		if en.start == en.end {
			return apps.SpanOf(f, en.keyStart, en.keyStart+len(en.key))
		}
		return apps.SpanOf(f, en.start, en.end)
	}
	listen, ok := last["listen"]
	if !ok {
		r.problem(p.start, p.end, fmt.Sprintf("pool %s has no listen: php-fpm refuses to start; write listen = /run/php/%s.sock", p.name, p.name))
		return a
	}
	var b apps.Bind
	if listen.unknown != "" {
		b = apps.Unreadable(f.Src[listen.start:listen.end], span(listen), listen.unknown)
	} else {
		var msg string
		b, msg = Bind(listen.value, span(listen))
		if msg != "" {
			r.problem(listen.start, listen.end, msg)
			if b.Unreadable == "" {
				return a
			}
		}
		b.Written = f.Src[listen.start:listen.end]
	}
	b.Protocol = manifest.ProtocolFastCGI
	if u, ok := last["user"]; ok && u.unknown == "" {
		b.RunUser = u.value
	}
	if g, ok := last["group"]; ok && g.unknown == "" {
		b.RunGroup = g.value
	}
	for _, key := range []string{"listen.owner", "listen.group", "user", "group", "listen.mode"} {
		if en, ok := last[key]; ok && en.value == "" && en.unknown == "" {
			r.problem(en.keyStart, en.end, fmt.Sprintf("%s has no value; php-fpm refuses an empty one", key))
		}
	}
	if ac, ok := last["listen.allowed_clients"]; ok && ac.unknown == "" && ac.value != "" {
		b.AllowedSpan = span(ac)
		for _, c := range strings.Split(ac.value, ",") {
			c = strings.TrimSpace(c)
			if _, err := netip.ParseAddr(c); err != nil {
				r.problem(ac.start, ac.end, fmt.Sprintf("%q in listen.allowed_clients is not an IP address: php-fpm ignores it; list addresses, e.g. 127.0.0.1, ::1", c))
				continue
			}
			b.AllowedClients = append(b.AllowedClients, c)
		}
		if b.AllowedClients == nil {
			b.AllowedClients = []string{}
		}
	}
	if b.Addr.Unix {
		_, aclUsers := last["listen.acl_users"]
		_, aclGroups := last["listen.acl_groups"]
		if !aclUsers && !aclGroups {
			if o, ok := last["listen.owner"]; ok && o.unknown == "" && o.value != "" {
				b.Owner, b.OwnerSpan = o.value, span(o)
			}
			if g, ok := last["listen.group"]; ok && g.unknown == "" && g.value != "" {
				b.Group, b.GroupSpan = g.value, span(g)
			}
			b.Mode = DefaultMode
			if m, ok := last["listen.mode"]; ok && m.value != "" {
				n, err := strconv.ParseUint(m.value, 8, 32)
				switch {
				case m.unknown != "":
					b.Mode = -1
				case err != nil || n > 0o7777:
					r.problem(m.start, m.end, fmt.Sprintf("listen.mode %q is not an octal mode (php-fpm reads the octal digits before the first other one); write it as 0660", m.value))
					b.Mode = -1
				default:
					b.Mode, b.ModeSpan = int(n), span(m)
				}
			}
		}
	}
	a.Binds = []apps.Bind{b}
	return a
}

// Bind reads a listen address as php-fpm reads it, written at span. It
// returns the Bind, and when php-fpm would refuse the address or bind
// something else than meant, a message saying what to write.
func Bind(s string, span apps.Span) (apps.Bind, string) {
	b := apps.NewBind(s, span)
	digits := s != "" && strings.Trim(s, "0123456789") == ""
	colon := strings.LastIndexByte(s, ':')
	switch {
	case s == "":
		return b, "listen is empty; write listen = /run/php/php-fpm.sock or listen = 127.0.0.1:9000"
	case strings.HasPrefix(strings.ToLower(s), "unix:"):
		return b, fmt.Sprintf("php-fpm reads %q as HOST:PORT, not as a socket path; write the path alone: listen = %s", s, s[len("unix:"):])
	case colon < 0 && !digits:
		if !strings.HasPrefix(s, "/") {
			b.Unreadable = fmt.Sprintf("the socket path %q is relative: php-fpm resolves it against the pool's prefix", s)
			return b, ""
		}
		a, err := apps.Unix(s)
		if err != nil {
			return b, err.Error()
		}
		b.Addr = a
		return b, ""
	}
	host, port := "", s
	if colon >= 0 {
		host, port = s[:colon], s[colon+1:]
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return b, fmt.Sprintf("invalid port %q; write listen = 127.0.0.1:9000", port)
	}
	switch {
	case host == "":
		// The port alone: every address, IPv6 and IPv4.
		host = "::"
	case host == "*":
		b.Unreadable = "php-fpm resolves * as a host name and binds its first address only"
		return b, fmt.Sprintf("php-fpm resolves * as a host name and binds its first address only (on Debian 12: [::1]); for every address write the port alone: listen = %d", n)
	case strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]"):
		host = host[1 : len(host)-1]
	}
	if _, err := netip.ParseAddr(host); err != nil {
		if strings.Contains(host, ":") {
			return b, fmt.Sprintf("%q: write an IPv6 address in brackets, e.g. listen = [::1]:9000", s)
		}
		b.Unreadable = fmt.Sprintf("php-fpm binds only the first address %s resolves to, which depends on the host's resolver; write an IP address, e.g. listen = 127.0.0.1:%d", host, n)
		return b, ""
	}
	a, wild, err := apps.TCP(host, n)
	if err != nil {
		return b, err.Error()
	}
	b.Addr, b.Wildcard = a, wild
	return b, ""
}
