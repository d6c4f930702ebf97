package nginxtest

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// machinePaths are the locations of the machine's own nginx installation
// that a test tree may not name.
var machinePaths = []string{
	"/etc/nginx",
	"/var/log/nginx",
	"/var/lib/nginx",
	"/run/nginx.pid",
	"/var/run/nginx.pid",
}

const (
	maxConfigFile    = 4 << 20 // larger files are not read by the tree check
	maxIncludeDepth  = 32
	maxIncludedFiles = 10000
)

// token kinds of the config lexer.
const (
	tokWord = iota
	tokSemicolon
	tokOpen
	tokClose
)

type token struct {
	kind int
	text string
	line int
}

// tokenize splits an nginx config file into words and the punctuation ';',
// '{' and '}', following nginx's lexer closely enough to find directives:
// '#' starts a comment at the start of a token, quotes group, a backslash
// escapes, and "${" does not open a block. It never fails: malformed input
// (which nginx itself will reject) just yields odd tokens.
func tokenize(src string) []token {
	var toks []token
	line := 1
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == ';':
			toks = append(toks, token{tokSemicolon, ";", line})
			i++
		case c == '{':
			toks = append(toks, token{tokOpen, "{", line})
			i++
		case c == '}':
			toks = append(toks, token{tokClose, "}", line})
			i++
		case c == '"' || c == '\'':
			start := line
			var b strings.Builder
			i++
			for i < len(src) && src[i] != c {
				if src[i] == '\\' && i+1 < len(src) {
					switch src[i+1] {
					case '"', '\'', '\\':
						b.WriteByte(src[i+1])
						i += 2
						continue
					case 't':
						b.WriteByte('\t')
						i += 2
						continue
					case 'r':
						b.WriteByte('\r')
						i += 2
						continue
					case 'n':
						b.WriteByte('\n')
						i += 2
						continue
					}
				}
				if src[i] == '\n' {
					line++
				}
				b.WriteByte(src[i])
				i++
			}
			i++ // closing quote
			toks = append(toks, token{tokWord, b.String(), start})
		default:
			var b strings.Builder
			variable := false
		word:
			for i < len(src) {
				c := src[i]
				switch {
				case c == '{' && variable:
				case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{':
					break word
				case c == '\\' && i+1 < len(src):
					i++
					if src[i] == '\n' {
						line++
					}
					b.WriteByte(src[i])
					i++
					variable = false
					continue
				}
				variable = c == '$'
				b.WriteByte(c)
				i++
			}
			toks = append(toks, token{tokWord, b.String(), line})
		}
	}
	return toks
}

// treeChecker walks a config tree the way nginx reads it (main file, then
// includes in place) and collects the first violation of the rules in the
// package documentation.
type treeChecker struct {
	confPrefix string // directory of the main file: base of relative includes
	forStart   bool   // also check what only matters when nginx serves
	files      int
	stack      []frame
	httpBlocks []*httpBlock
	err        error
}

type frame struct {
	name   string
	file   string
	line   int
	listen bool
	http   *httpBlock
}

type httpBlock struct {
	file string
	line int
	set  map[string]bool
}

// checkTree checks the tree whose main file is mainPath; see the package
// documentation for the rules.
func checkTree(mainPath string, forStart bool) error {
	if p, bad := machinePath(mainPath); bad {
		return fmt.Errorf("the tree is inside the machine's %s; copy it to a t.TempDir()", p)
	}
	c := &treeChecker{confPrefix: filepath.Dir(mainPath), forStart: forStart}
	c.file(mainPath, 0)
	if c.err != nil {
		return c.err
	}
	for _, h := range c.httpBlocks {
		var missing []string
		for _, d := range httpPreambleDirectives {
			if !h.set[d[0]] {
				missing = append(missing, d[0])
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("http block at %s:%d does not set %s: start it with nginxtest.HTTPPreamble(dir), or nginx uses /var/log/nginx and /var/lib/nginx",
				h.file, h.line, strings.Join(missing, ", "))
		}
	}
	return nil
}

func (c *treeChecker) fail(file string, line int, format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...))
	}
}

// file reads and checks one config file. Unreadable files are left to nginx,
// which reports them itself.
func (c *treeChecker) file(path string, depth int) {
	c.files++
	if c.err != nil || depth > maxIncludeDepth || c.files > maxIncludedFiles {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigFile))
	f.Close()
	if err != nil {
		return
	}
	toks := tokenize(string(data))
	var words []token
	for _, tk := range toks {
		if c.err != nil {
			return
		}
		switch tk.kind {
		case tokWord:
			words = append(words, tk)
		case tokSemicolon:
			if len(words) > 0 {
				c.directive(path, words, depth)
			}
			words = nil
		case tokOpen:
			if len(words) > 0 {
				c.directive(path, words, depth)
				c.open(path, words)
			} else {
				c.stack = append(c.stack, frame{file: path, line: tk.line})
			}
			words = nil
		case tokClose:
			words = nil
			c.close(path)
		}
	}
}

func (c *treeChecker) top() *frame {
	if len(c.stack) == 0 {
		return nil
	}
	return &c.stack[len(c.stack)-1]
}

// directive checks one simple or block directive.
func (c *treeChecker) directive(file string, words []token, depth int) {
	name, line := words[0].text, words[0].line
	for _, w := range words[1:] {
		if p, bad := machinePath(w.text); bad {
			c.fail(file, line, "%s names the machine's %s; use paths inside the test's temporary directories", name, p)
			return
		}
	}
	top := c.top()
	switch {
	case top == nil && name == "pid":
		c.fail(file, line, "the tree sets pid; nginxtest passes it with -g (remove it)")
	case top == nil && name == "daemon" && c.forStart:
		c.fail(file, line, "the tree sets daemon; nginxtest.Start passes \"daemon off\" with -g (remove it)")
	case top != nil && top.http != nil && top.name == "http":
		top.http.set[name] = true
	}
	switch name {
	case "include":
		if len(words) == 2 {
			c.include(file, line, words[1].text, depth)
		}
	case "listen":
		if !c.forStart || len(words) < 2 {
			break
		}
		if !loopbackListen(words[1].text) {
			c.fail(file, line, "listen %s is not a loopback address; listen on 127.0.0.1, [::1] or unix: only", words[1].text)
			return
		}
		if top != nil && top.name == "server" {
			top.listen = true
		}
	}
}

func (c *treeChecker) include(file string, line int, pattern string, depth int) {
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(c.confPrefix, pattern)
	}
	if p, bad := machinePath(pattern); bad {
		c.fail(file, line, "include names the machine's %s", p)
		return
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return
	}
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			c.file(m, depth+1)
		}
	}
}

func (c *treeChecker) open(file string, words []token) {
	fr := frame{name: words[0].text, file: file, line: words[0].line}
	if fr.name == "http" && len(c.stack) == 0 {
		fr.http = &httpBlock{file: file, line: fr.line, set: map[string]bool{}}
		c.httpBlocks = append(c.httpBlocks, fr.http)
	}
	c.stack = append(c.stack, fr)
}

func (c *treeChecker) close(file string) {
	if len(c.stack) == 0 {
		return // unbalanced: nginx reports it
	}
	fr := c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
	parent := c.top()
	if c.forStart && fr.name == "server" && !fr.listen && parent != nil && parent.name == "http" {
		c.fail(fr.file, fr.line, "server has no listen directive, so nginx would listen on *:80 or *:8000; give it a loopback listen")
	}
}

// machinePath reports whether p (made clean) is one of machinePaths or lies
// below one, and which.
func machinePath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") {
		return "", false
	}
	p = filepath.Clean(p)
	for _, m := range machinePaths {
		if p == m || strings.HasPrefix(p, m+"/") {
			return m, true
		}
	}
	return "", false
}

// loopbackListen reports whether the address of a listen directive is on
// loopback: a unix socket, or a host that is a loopback IP or localhost.
// A bare port or "*" means every interface.
func loopbackListen(addr string) bool {
	if strings.HasPrefix(addr, "unix:") {
		return true
	}
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	} else if strings.HasPrefix(addr, "[") && strings.HasSuffix(addr, "]") {
		host = addr[1 : len(addr)-1]
	}
	return loopbackHost(host)
}

// loopbackHost reports whether host is localhost or a loopback IP address.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
