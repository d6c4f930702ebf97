// Package dotenv reads a .env file for nginxlint: the PORT an app that
// reads its environment listens on (and BIND or HOST when the file sets
// them), with the place of the value.
//
// The syntax is github.com/joho/godotenv's (v1.5.1), which Compose's
// env_file and most dotenv libraries share: KEY=VALUE (or KEY: VALUE) a
// line, an optional "export " before the key, comments on lines starting
// with # and after an unquoted value once a space precedes the #, values
// in 'single' quotes taken as written, in "double" quotes with \n, \r and
// other backslash escapes and ${VAR} or $VAR expanded from the keys set
// earlier in the file (a variable the file does not set makes the value
// unreadable: it comes from the environment), quoted values spanning
// lines. godotenv itself returns a map without positions and stops at
// the first error, hence this reader, which follows its syntax and
// reports every problem at its place.
//
// How the linker should read the App: a .env holds no host, only the
// port an app reads. The App has one Bind: BIND=HOST:PORT when set (the
// uvicorn-gunicorn images read it); else PORT on HOST when both are set;
// else PORT alone, as Addr 0.0.0.0:PORT with Wildcard set, because the
// apps that read PORT without a host listen on every interface: gunicorn
// (0.0.0.0:$PORT when its bind is not set), Node's server.listen(PORT)
// and Express, Go's http.ListenAndServe(":"+PORT), and Rails' puma.rb
// (port ENV.fetch("PORT"): [::] or 0.0.0.0). The exceptions bind
// loopback and are read from their own files: Flask's and Django's
// development servers, uvicorn (which reads UVICORN_PORT, not PORT). So
// the linker compares the port, and the host only when the manifest's
// listen is not on every interface: a manifest 127.0.0.1:8000 is
// accepted by such an app's 0.0.0.0:8000.
package dotenv

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// Var is one KEY=VALUE of the file.
type Var struct {
	Key   string
	Value string
	// Start and End are where the value is written (quotes included).
	Start, End int
	// Unknown, when not "", is the variable the value expands that the
	// file does not set.
	Unknown string
}

// Parse reads the assignments of a .env file in order, with the
// problems of the lines it cannot read.
func Parse(f *syntax.File) ([]Var, []apps.Problem) {
	p := &parser{f: f, src: f.Src, set: map[string]Var{}}
	p.parse()
	return p.vars, p.problems
}

type parser struct {
	f        *syntax.File
	src      string
	i        int
	vars     []Var
	set      map[string]Var
	problems []apps.Problem
}

func (p *parser) problem(start, end int, msg string) {
	p.problems = append(p.problems, apps.Problem{Span: apps.SpanOf(p.f, start, end), Msg: msg})
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' }

// lineEnd returns the end of the line at i.
func (p *parser) lineEnd(i int) int {
	if e := strings.IndexByte(p.src[i:], '\n'); e >= 0 {
		return i + e
	}
	return len(p.src)
}

func (p *parser) parse() {
	src := p.src
	for p.i < len(src) {
		c := src[p.i]
		switch {
		case isSpace(c) || c == '\n':
			p.i++
			continue
		case c == '#':
			p.i = p.lineEnd(p.i)
			continue
		}
		p.statement()
	}
}

// statement reads KEY=VALUE at p.i.
func (p *parser) statement() {
	src := p.src
	start := p.i
	if strings.HasPrefix(src[p.i:], "export") && p.i+6 < len(src) && isSpace(src[p.i+6]) {
		p.i += 6
		for p.i < len(src) && isSpace(src[p.i]) {
			p.i++
		}
	}
	ks := p.i
	for p.i < len(src) && isKeyByte(src, p.i) {
		p.i++
	}
	ke := p.i
	for p.i < len(src) && isSpace(src[p.i]) {
		p.i++
	}
	le := p.lineEnd(start)
	if ke == ks || p.i >= len(src) || src[p.i] != '=' && src[p.i] != ':' {
		p.problem(start, le, "a .env line is KEY=VALUE, with a key of letters, digits, _ and .; write e.g. PORT=8000")
		p.i = le
		return
	}
	key := src[ks:ke]
	p.i++
	for p.i < len(src) && isSpace(src[p.i]) {
		p.i++
	}
	v := Var{Key: key, Start: p.i}
	switch {
	case p.i < len(src) && (src[p.i] == '"' || src[p.i] == '\''):
		q := src[p.i]
		j := p.i + 1
		for j < len(src) && !(src[j] == q && src[j-1] != '\\') {
			j++
		}
		if j >= len(src) {
			p.problem(p.i, p.lineEnd(p.i), fmt.Sprintf("this %c quote is never closed; end the value with %c", q, q))
			p.i = len(src)
			return
		}
		raw := src[p.i+1 : j]
		v.End = j + 1
		if q == '"' {
			v.Value, v.Unknown = p.expand(unescape(raw))
		} else {
			v.Value = raw
		}
		p.i = j + 1
		// Only a comment may follow on the line.
		rest := p.lineEnd(p.i)
		if t := strings.TrimLeft(src[p.i:rest], " \t\r"); t != "" && t[0] != '#' {
			p.problem(rest-len(t), rest, "only a comment may follow a quoted value; start it with #")
		}
		p.i = rest
	default:
		end := p.lineEnd(p.i)
		if end > p.i && src[end-1] == '\r' {
			end--
		}
		// A comment starts at a # that follows white space.
		for k := p.i + 1; k < end; k++ {
			if src[k] == '#' && isSpace(src[k-1]) {
				end = k
				break
			}
		}
		for end > p.i && isSpace(src[end-1]) {
			end--
		}
		v.End = end
		v.Value, v.Unknown = p.expand(src[p.i:end])
		p.i = p.lineEnd(p.i)
	}
	p.vars = append(p.vars, v)
	p.set[key] = v
}

func isKeyByte(src string, i int) bool {
	c := src[i]
	if c < 0x80 {
		return c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	r := []rune(src[i:min(i+4, len(src))])
	return len(r) > 0 && (unicode.IsLetter(r[0]) || unicode.IsNumber(r[0]))
}

// unescape decodes a double-quoted value as godotenv does: \n and \r,
// and a backslash before any other character but $ drops.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '$':
			b.WriteString(`\$`)
		default:
			b.WriteByte(s[i+1])
		}
		i++
	}
	return b.String()
}

// expand replaces ${VAR} and $VAR with the values the file set earlier;
// \$ is a literal $. unknown is the first variable the file does not set.
func (p *parser) expand(s string) (value, unknown string) {
	if !strings.Contains(s, "$") {
		return s, ""
	}
	var b strings.Builder
	lastBrace := strings.LastIndexByte(s, '}')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '$':
			b.WriteByte('$')
			i++
		case c == '$' && i+1 < len(s) && (s[i+1] == '{' || isName(s[i+1])):
			j := i + 1
			brace := s[j] == '{'
			if brace {
				j++
			}
			k := j
			for k < len(s) && isName(s[k]) {
				k++
			}
			name := s[j:k]
			if brace {
				if k >= len(s) || s[k] != '}' {
					// ${VAR:-default} and the like: the shell's forms,
					// which Compose reads; the value is the environment's.
					e := -1
					if k < lastBrace {
						e = strings.IndexByte(s[k:], '}')
					}
					if e < 0 {
						b.WriteByte(c)
						continue
					}
					k += e + 1
					if unknown == "" {
						unknown = s[i:k]
					}
					b.WriteString(s[i:k])
					i = k - 1
					continue
				}
				k++
			}
			if v, ok := p.set[name]; ok && v.Unknown == "" {
				b.WriteString(v.Value)
			} else {
				if unknown == "" {
					unknown = s[i:k]
				}
				b.WriteString(s[i:k])
			}
			i = k - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), unknown
}

func isName(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Read reads the .env file f: one App of kind dotenv with one Bind, as
// the package documentation says.
func Read(f *syntax.File) ([]*apps.App, []apps.Problem) {
	vars, problems := Parse(f)
	f.Comments = apps.Comments(f.Src, "#", true, true)
	app := &apps.App{Kind: apps.Dotenv, File: f, Span: apps.SpanOf(f, 0, len(f.Src))}
	last := map[string]Var{}
	for _, v := range vars {
		last[v.Key] = v
	}
	span := func(v Var) apps.Span { return apps.SpanOf(f, v.Start, v.End) }
	text := func(v Var) string { return f.Src[v.Start:v.End] }
	unreadable := func(v Var) apps.Bind {
		return apps.Unreadable(text(v), span(v), fmt.Sprintf("%s takes %s from the environment", v.Key, v.Unknown))
	}
	var b apps.Bind
	bind, hasBind := last["BIND"]
	port, hasPort := last["PORT"]
	host, hasHost := last["HOST"]
	switch {
	case hasBind && bind.Unknown != "":
		b = unreadable(bind)
	case hasBind:
		b = apps.NewBind(text(bind), span(bind))
		a, err := manifest.ParseListen(bind.Value)
		if err != nil {
			problems = append(problems, apps.Problem{Span: span(bind), Msg: "BIND: " + err.Error()})
			apps.SortProblems(problems)
			return []*apps.App{app}, problems
		}
		b.Addr, b.Wildcard = a, a.IP.IsValid() && a.IP.IsUnspecified()
	case hasPort && port.Unknown != "":
		b = unreadable(port)
	case hasPort:
		b = apps.NewBind(text(port), span(port))
		n, err := strconv.Atoi(port.Value)
		if err != nil || n < 1 || n > 65535 {
			problems = append(problems, apps.Problem{Span: span(port), Msg: fmt.Sprintf("PORT %q is not a port; write a number from 1 to 65535", port.Value)})
			apps.SortProblems(problems)
			return []*apps.App{app}, problems
		}
		h := "0.0.0.0"
		if hasHost {
			if host.Unknown != "" {
				b = unreadable(host)
				break
			}
			h = strings.Trim(host.Value, "[]")
		}
		a, wild, err := apps.TCP(h, n)
		if err != nil {
			problems = append(problems, apps.Problem{Span: span(host), Msg: "HOST: " + err.Error()})
			apps.SortProblems(problems)
			return []*apps.App{app}, problems
		}
		b.Addr, b.Wildcard = a, wild
	default:
		b = apps.Unreadable("", apps.Span{}, "the file sets no PORT (nor BIND)")
	}
	app.Binds = []apps.Bind{b}
	apps.SortProblems(problems)
	return []*apps.App{app}, problems
}
