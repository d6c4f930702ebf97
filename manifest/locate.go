package manifest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The TOML library reports no positions for keys and values, so the
// locator scans the source text itself and records, for every key path,
// where the key was defined, where its value starts and where the elements
// of an array value start. It runs only on text the TOML library has
// already accepted, so it can be simple; on anything it does not expect it
// stops, and lookups fall back to the nearest enclosing key it did see.
//
// Key paths are the key parts joined with a NUL byte, which no bare or
// quoted key in a valid document can make ambiguous.
type locator struct {
	file       string
	lineStarts []int
	// explicit holds where a path was defined: the '[' of a table header,
	// or the last part of a dotted key.
	explicit map[string]int
	// implicit holds where a path was first named as a prefix of a longer
	// key, for tables that are never defined on their own.
	implicit map[string]int
	values   map[string]int
	elems    map[string][]int
}

func pathKey(path []string) string { return strings.Join(path, "\x00") }

func newLocator(file, src string) *locator {
	l := &locator{
		file:     file,
		explicit: map[string]int{},
		implicit: map[string]int{},
		values:   map[string]int{},
		elems:    map[string][]int{},
	}
	l.lineStarts = append(l.lineStarts, 0)
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			l.lineStarts = append(l.lineStarts, i+1)
		}
	}
	s := &scanner{src: src}
	if strings.HasPrefix(src, "\ufeff") {
		s.pos = len("\ufeff")
	}
	l.scanDocument(s)
	return l
}

// position converts a byte offset to a Position.
func (l *locator) position(off int) Position {
	line := sort.Search(len(l.lineStarts), func(i int) bool { return l.lineStarts[i] > off }) - 1
	if line < 0 {
		line = 0
	}
	return Position{File: l.file, Line: line + 1, Col: off - l.lineStarts[line] + 1}
}

// keyPos returns where the key at path was written, falling back to the
// closest enclosing key that was found, then to the start of the file.
func (l *locator) keyPos(path ...string) Position {
	for n := len(path); n > 0; n-- {
		k := pathKey(path[:n])
		if off, ok := l.explicit[k]; ok {
			return l.position(off)
		}
		if off, ok := l.implicit[k]; ok {
			return l.position(off)
		}
	}
	return Position{File: l.file, Line: 1, Col: 1}
}

// valuePos returns where the value of the key at path starts, falling back
// to keyPos.
func (l *locator) valuePos(path ...string) Position {
	if off, ok := l.values[pathKey(path)]; ok {
		return l.position(off)
	}
	return l.keyPos(path...)
}

// elemPos returns where element i of the array at path starts, falling
// back to valuePos.
func (l *locator) elemPos(i int, path ...string) Position {
	if offs := l.elems[pathKey(path)]; i >= 0 && i < len(offs) {
		return l.position(offs[i])
	}
	return l.valuePos(path...)
}

// maxPathLen bounds the key paths the locator records. The manifest's
// keys are at most three deep and an unknown key is reported at its
// outermost unknown part, so deeper paths are never looked up; positions
// below this depth fall back to their recorded ancestor.
const maxPathLen = 8

// define records the positions of the parts of a key: the prefixes at the
// offsets of their parts, the whole key at off.
func (l *locator) define(base, keys []string, offs []int, off int) {
	path := append([]string(nil), base...)
	for i, k := range keys {
		path = append(path, k)
		if len(path) > maxPathLen {
			return
		}
		pk := pathKey(path)
		if i == len(keys)-1 {
			if _, ok := l.explicit[pk]; !ok {
				l.explicit[pk] = off
			}
		} else if _, ok := l.implicit[pk]; !ok {
			l.implicit[pk] = offs[i]
		}
	}
}

// maxDepth bounds the nesting of arrays and inline tables the locator
// follows.
const maxDepth = 64

func (l *locator) scanDocument(s *scanner) {
	var table []string
	for {
		s.skipBlank(true)
		if s.eof() {
			return
		}
		start := s.pos
		if s.peek() == '[' {
			s.pos++
			array := s.peek() == '['
			if array {
				s.pos++
			}
			keys, offs, ok := s.key()
			if !ok {
				return
			}
			s.skipBlank(false)
			if !s.consume(']') || (array && !s.consume(']')) {
				return
			}
			l.define(nil, keys, offs, start)
			table = keys
			continue
		}
		keys, offs, ok := s.key()
		if !ok {
			return
		}
		l.define(table, keys, offs, offs[len(offs)-1])
		s.skipBlank(false)
		if !s.consume('=') {
			return
		}
		s.skipBlank(false)
		if !l.value(s, concat(table, keys), 0) {
			return
		}
	}
}

func concat(a, b []string) []string {
	return append(append([]string(nil), a...), b...)
}

// value scans one value; path is nil inside arrays, whose elements have no
// key path of their own.
func (l *locator) value(s *scanner, path []string, depth int) bool {
	if depth > maxDepth || s.eof() {
		return false
	}
	if len(path) > maxPathLen {
		path = nil
	}
	if path != nil {
		if _, ok := l.values[pathKey(path)]; !ok {
			l.values[pathKey(path)] = s.pos
		}
	}
	switch s.peek() {
	case '"', '\'':
		_, ok := s.str(true)
		return ok
	case '[':
		s.pos++
		first := path != nil
		if first {
			if _, seen := l.elems[pathKey(path)]; seen {
				first = false // an array of tables seen before; keep the first
			}
		}
		var offs []int
		for {
			s.skipBlank(true)
			if s.eof() {
				return false
			}
			if s.peek() == ']' {
				s.pos++
				if first {
					l.elems[pathKey(path)] = offs
				}
				return true
			}
			before := s.pos
			offs = append(offs, s.pos)
			if !l.value(s, nil, depth+1) {
				return false
			}
			s.skipBlank(true)
			if s.peek() == ',' {
				s.pos++
			} else if s.pos == before {
				return false
			}
		}
	case '{':
		s.pos++
		for {
			s.skipBlank(true)
			if s.eof() {
				return false
			}
			if s.peek() == '}' {
				s.pos++
				return true
			}
			before := s.pos
			keys, offs, ok := s.key()
			if !ok {
				return false
			}
			if path != nil {
				l.define(path, keys, offs, offs[len(offs)-1])
			}
			s.skipBlank(false)
			if !s.consume('=') {
				return false
			}
			s.skipBlank(false)
			var sub []string
			if path != nil {
				sub = concat(path, keys)
			}
			if !l.value(s, sub, depth+1) {
				return false
			}
			s.skipBlank(true)
			if s.peek() == ',' {
				s.pos++
			} else if s.pos == before {
				return false
			}
		}
	}
	// A number, boolean or date: it runs to the next delimiter.
	start := s.pos
	for !s.eof() && !strings.ContainsRune(",]}#\r\n", rune(s.peek())) {
		s.pos++
	}
	return s.pos > start
}

// scanner walks TOML source text.
type scanner struct {
	src string
	pos int
}

func (s *scanner) eof() bool { return s.pos >= len(s.src) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.pos]
}

func (s *scanner) consume(c byte) bool {
	if s.peek() == c && !s.eof() {
		s.pos++
		return true
	}
	return false
}

// skipBlank skips spaces and tabs, and when newlines is true also line
// ends and comments. Without newlines it still skips a comment, which runs
// to the line end.
func (s *scanner) skipBlank(newlines bool) {
	for !s.eof() {
		switch s.src[s.pos] {
		case ' ', '\t':
			s.pos++
		case '\r', '\n':
			if !newlines {
				return
			}
			s.pos++
		case '#':
			for !s.eof() && s.src[s.pos] != '\n' {
				s.pos++
			}
			if !newlines {
				return
			}
		default:
			return
		}
	}
}

func isBareKeyByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// key scans a possibly dotted key and returns its parts and their offsets.
func (s *scanner) key() (parts []string, offs []int, ok bool) {
	for {
		s.skipBlank(false)
		start := s.pos
		var part string
		switch c := s.peek(); {
		case s.eof():
			return nil, nil, false
		case c == '"' || c == '\'':
			if part, ok = s.str(false); !ok {
				return nil, nil, false
			}
		default:
			for !s.eof() && isBareKeyByte(s.peek()) {
				s.pos++
			}
			if s.pos == start {
				return nil, nil, false
			}
			part = s.src[start:s.pos]
		}
		parts = append(parts, part)
		offs = append(offs, start)
		s.skipBlank(false)
		if !s.consume('.') {
			return parts, offs, true
		}
	}
}

// str scans a string starting at the current quote and returns its
// decoded text. Multi-line strings are only taken when multiline is true
// (keys cannot be multi-line).
func (s *scanner) str(multiline bool) (string, bool) {
	q := s.peek()
	triple := strings.Repeat(string(q), 3)
	if multiline && strings.HasPrefix(s.src[s.pos:], triple) {
		s.pos += 3
		for !s.eof() {
			if q == '"' && s.src[s.pos] == '\\' {
				s.pos += 2
				continue
			}
			if strings.HasPrefix(s.src[s.pos:], triple) {
				s.pos += 3
				// Up to two more quotes belong to the content.
				for i := 0; i < 2 && s.peek() == q; i++ {
					s.pos++
				}
				return "", true
			}
			s.pos++
		}
		return "", false
	}
	s.pos++
	start := s.pos
	for !s.eof() {
		c := s.src[s.pos]
		switch {
		case c == '\n':
			return "", false
		case c == '\\' && q == '"':
			s.pos += 2
		case c == q:
			raw := s.src[start:s.pos]
			s.pos++
			if q == '\'' {
				return raw, true
			}
			return unescape(raw), true
		default:
			s.pos++
		}
	}
	return "", false
}

// unescape decodes the escapes of a TOML basic string. An escape it does
// not know is kept as written.
func unescape(raw string) string {
	if !strings.Contains(raw, `\`) {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			b.WriteByte(c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case '"':
			b.WriteByte('"')
		case '\\':
			b.WriteByte('\\')
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[raw[i]]
			var r uint64
			err := strconv.ErrSyntax
			if i+1+n <= len(raw) {
				r, err = strconv.ParseUint(raw[i+1:i+1+n], 16, 32)
			}
			if err != nil || !utf8.ValidRune(rune(r)) {
				b.WriteByte('\\')
				b.WriteByte(raw[i])
				continue
			}
			b.WriteRune(rune(r))
			i += n
		default:
			b.WriteByte('\\')
			b.WriteByte(raw[i])
		}
	}
	return b.String()
}

// Limits on the shape of a manifest. The TOML library recurses once per
// nesting level, so a file nested millions of levels deep would exhaust the
// stack, and it slows down sharply on keys with thousands of dotted parts.
// A real manifest needs three levels and three parts.
const (
	maxNesting  = 256
	maxKeyParts = 256
)

// tooComplex returns the offset and description of the first place where
// src nests arrays and tables more than maxNesting levels deep or has a key
// of more than maxKeyParts dotted parts. Strings and comments are skipped.
func tooComplex(src string) (int, string, bool) {
	depth, dots := 0, 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			dots = 0
		case '"', '\'':
			triple := strings.Repeat(string(c), 3)
			if strings.HasPrefix(src[i:], triple) {
				i += 3
				for i < len(src) && !strings.HasPrefix(src[i:], triple) {
					if c == '"' && src[i] == '\\' {
						i++
					}
					i++
				}
				i += 2
				continue
			}
			for i++; i < len(src) && src[i] != c && src[i] != '\n'; i++ {
				if c == '"' && src[i] == '\\' {
					i++
				}
			}
		case '.':
			dots++
			if dots >= maxKeyParts {
				return i, fmt.Sprintf("this key has more than %d dotted parts; manifest keys have at most three, such as backends.api.listen", maxKeyParts), true
			}
		case '[', '{':
			depth++
			dots = 0
			if depth > maxNesting {
				return i, fmt.Sprintf("arrays and tables are nested more than %d levels deep here; a manifest needs only a few levels, so flatten this value", maxNesting), true
			}
		case ']', '}':
			dots = 0
			if depth > 0 {
				depth--
			}
		case '\n', '=', ',':
			dots = 0
		}
	}
	return 0, "", false
}
