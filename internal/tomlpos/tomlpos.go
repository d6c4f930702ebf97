// Package tomlpos finds where the keys, values and array elements of a
// TOML document are written. The TOML library (github.com/BurntSushi/toml)
// reports no positions for them, so [New] scans the source text itself.
//
// The scanner runs only on text the TOML library has already accepted, so
// it can be simple: on anything it does not expect it stops, and lookups
// fall back to the closest enclosing key it did see, then to the start of
// the text. Offsets are byte offsets into the text; [Locator.LineCol]
// turns them into lines and columns.
package tomlpos

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Anchor says where [Locator.Key] places a key.
type Anchor int

const (
	// AtName places a key where its name is first written: a table
	// header [a.b] places a at the "a" and a.b at the "b".
	AtName Anchor = iota
	// AtDefinition places a key where it is defined: a table at the '['
	// of its header, any other key at its last part in the key/value pair
	// that sets it, even when a longer key named it earlier. A table that
	// is only implied by longer keys is placed as with AtName.
	AtDefinition
)

// Locator holds the positions found in one TOML document. Key paths are
// the unquoted key parts, outermost first: [rules.severity] and
// rules.severity = {} both define the path "rules", "severity".
//
// The tables of an array of tables ([[overrides]]) are found both under
// the array's path, where the first table's keys count, and under paths
// with an [Index] part that names each table: the second table's paths
// key is at Key("overrides", Index(1), "paths").
type Locator struct {
	anchor     Anchor
	lineStarts []int
	// named holds where a path was first written, at the offset of its
	// last part.
	named map[string]int
	// defined holds where a path was defined: the '[' of a table header,
	// or the last part of a key in a key/value pair.
	defined map[string]int
	values  map[string]int
	elems   map[string][]int
	// tables counts the tables of each array of tables seen so far.
	tables map[string]int
}

// Index returns the key part that stands for the i-th table (from 0) of
// an array of tables in a path given to a Locator's methods.
func Index(i int) string { return "[" + strconv.Itoa(i) + "]" }

func pathKey(path []string) string { return strings.Join(path, "\x00") }

// New scans src, which should be a document the TOML library accepted,
// and places keys as anchor says. A leading byte order mark is skipped.
func New(src string, anchor Anchor) *Locator {
	l := &Locator{
		anchor:     anchor,
		lineStarts: []int{0},
		named:      map[string]int{},
		defined:    map[string]int{},
		values:     map[string]int{},
		elems:      map[string][]int{},
		tables:     map[string]int{},
	}
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

// LineCol converts a byte offset to a 1-based line and a 1-based byte
// column.
func (l *Locator) LineCol(off int) (line, col int) {
	i := sort.Search(len(l.lineStarts), func(i int) bool { return l.lineStarts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - l.lineStarts[i] + 1
}

// Key returns the offset of the key at path, placed as the Locator's
// [Anchor] says. A key that was not found falls back to its closest
// enclosing key that was, then to 0.
func (l *Locator) Key(path ...string) int {
	for n := len(path); n > 0; n-- {
		k := pathKey(path[:n])
		if l.anchor == AtDefinition {
			if off, ok := l.defined[k]; ok {
				return off
			}
		}
		if off, ok := l.named[k]; ok {
			return off
		}
	}
	return 0
}

// Value returns the offset where the value of the key at path starts,
// falling back to [Locator.Key]. A table defined by a header has no value
// position of its own.
func (l *Locator) Value(path ...string) int {
	if off, ok := l.values[pathKey(path)]; ok {
		return off
	}
	return l.Key(path...)
}

// Elem returns the offset where element i of the array value at path
// starts, falling back to [Locator.Value]. Only arrays written as values
// of keys have element positions; the elements of nested arrays and the
// tables of [[arrays of tables]] do not. When a path is given an array
// more than once, as in several [[tables]], the first one counts.
func (l *Locator) Elem(i int, path ...string) int {
	if offs := l.elems[pathKey(path)]; i >= 0 && i < len(offs) {
		return offs[i]
	}
	return l.Value(path...)
}

// maxPathLen bounds the key paths the locator records: deeper keys are
// placed at their ancestor of this depth. It spares the work of joining
// thousands of dotted parts, and real documents need far fewer.
const maxPathLen = 8

// record notes the parts of a key under base: each part where it is
// written, and the whole key as defined at def.
func (l *Locator) record(base, keys []string, offs []int, def int) {
	path := append([]string(nil), base...)
	for i, k := range keys {
		path = append(path, k)
		if len(path) > maxPathLen {
			return
		}
		pk := pathKey(path)
		if _, ok := l.named[pk]; !ok {
			l.named[pk] = offs[i]
		}
		if i == len(keys)-1 {
			if _, ok := l.defined[pk]; !ok {
				l.defined[pk] = def
			}
		}
	}
}

// maxDepth bounds the nesting of arrays and inline tables the locator
// follows; it stops at a value nested deeper.
const maxDepth = 64

func (l *Locator) scanDocument(s *scanner) {
	// table is the path of the current table header; indexed the same
	// path with an Index part after each array of tables in it, nil
	// when it goes through none.
	var table, indexed []string
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
			l.record(nil, keys, offs, start)
			table = keys
			indexed, offs = l.indexPath(keys, offs, array, start)
			if indexed != nil {
				l.record(nil, indexed, offs, start)
			}
			continue
		}
		keys, offs, ok := s.key()
		if !ok {
			return
		}
		l.record(table, keys, offs, offs[len(offs)-1])
		if indexed != nil {
			l.record(indexed, keys, offs, offs[len(offs)-1])
		}
		s.skipBlank(false)
		if !s.consume('=') {
			return
		}
		s.skipBlank(false)
		if indexed != nil {
			// The value is scanned twice, once for each path.
			at := s.pos
			if !l.value(s, concat(indexed, keys), 0) {
				return
			}
			s.pos = at
		}
		if !l.value(s, concat(table, keys), 0) {
			return
		}
	}
}

// indexPath returns the path of a table header with an Index part after
// each array of tables it goes through (a new table of the array when
// the header is [[keys]]), with the offsets of its parts; nil when it
// goes through none.
func (l *Locator) indexPath(keys []string, offs []int, array bool, start int) ([]string, []int) {
	var path []string
	var at []int
	found := false
	for i, k := range keys {
		path = append(path, k)
		at = append(at, offs[i])
		pk := pathKey(keys[:i+1])
		n, isArray := l.tables[pk]
		if array && i == len(keys)-1 {
			l.tables[pk] = n + 1
			n, isArray = n+1, true
		}
		if isArray {
			path = append(path, Index(n-1))
			at = append(at, start)
			found = true
		}
	}
	if !found {
		return nil, nil
	}
	return path, at
}

func concat(a, b []string) []string {
	return append(append([]string(nil), a...), b...)
}

// value scans one value; path is nil inside arrays, whose elements have no
// key path of their own.
func (l *Locator) value(s *scanner, path []string, depth int) bool {
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
				l.record(path, keys, offs, offs[len(offs)-1])
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

// IsBareKey reports whether s can be written as a bare key, without
// quotes: it is not empty and holds only ASCII letters, digits, '_' and
// '-'.
func IsBareKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isBareKeyByte(s[i]) {
			return false
		}
	}
	return s != ""
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
			return Unescape(raw), true
		default:
			s.pos++
		}
	}
	return "", false
}

// Unescape decodes the escapes of the text of a TOML basic string, given
// without its quotes. An escape it does not know is kept as written.
func Unescape(raw string) string {
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

// Limits on the shape of a TOML file nginxlint reads (the manifest, the
// configuration). The TOML library recurses once per nesting level, so a
// file nested millions of levels deep would exhaust the stack, and it slows
// down sharply on keys with thousands of dotted parts. Real files need
// three levels and three parts.
const (
	MaxNesting  = 256
	MaxKeyParts = 256
)

// TooComplex returns the offset and description of the first place where
// src nests arrays and tables more than MaxNesting levels deep or has a key
// of more than MaxKeyParts dotted parts. Strings and comments are skipped.
// what names the file in messages ("a manifest"), keys its keys
// ("manifest keys"); keyExample is a key of three parts it holds.
func TooComplex(src, what, keys, keyExample string) (int, string, bool) {
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
			if dots >= MaxKeyParts {
				return i, fmt.Sprintf("this key has more than %d dotted parts; %s have at most three, such as %s", MaxKeyParts, keys, keyExample), true
			}
		case '[', '{':
			depth++
			dots = 0
			if depth > MaxNesting {
				return i, fmt.Sprintf("arrays and tables are nested more than %d levels deep here; %s needs only a few levels, so flatten this value", MaxNesting, what), true
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
