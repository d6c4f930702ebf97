package manifest

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// parsePlain is Parse for manifests written in the plain subset of TOML
// that manifests are usually written in, read in one pass without the
// TOML library or a locator. ok is false when the text goes beyond that
// subset; the caller then uses parseTOML, which gives the same result on
// every text parsePlain accepts (manifest/plain_test.go checks this).
//
// The subset is: lines that are blank, comments, table headers [nginx]
// and [backends.NAME], and key = value pairs whose value is a string, an
// array of strings, or (in a table) true or false. Keys are bare or
// quoted, not dotted, not empty and without escapes; strings are
// one-line basic strings without escapes or literal strings; arrays may
// span lines and hold comments. Keys that the manifest format does not
// have are allowed where they are values
// (they are reported as parseTOML reports them), except nginx and
// backends at the top level. Anything else, and anything the TOML
// library would refuse (a repeated key or table, a control character,
// invalid UTF-8, a lone carriage return), makes parsePlain give up.
func parsePlain(filename, src string) (*Manifest, ErrorList, bool) {
	r := &plainReader{src: src, line: 1, p: &parser{file: filename}}
	m := &Manifest{Path: filename}
	if !r.document(m) {
		return nil, nil, false
	}
	if len(r.backends) > 0 {
		slices.SortFunc(r.backends, func(a, b *Backend) int { return strings.Compare(a.Name, b.Name) })
		for i := 1; i < len(r.backends); i++ {
			if r.backends[i].Name == r.backends[i-1].Name {
				return nil, nil, false // the TOML library refuses a repeated table
			}
		}
		m.Backends = r.backends
	}
	r.p.checkDuplicates(m)
	r.p.errs.Sort()
	return m, r.p.errs, true
}

// maxPlainUnknown bounds the unknown keys one table may have in
// parsePlain, which looks for repeated ones by comparing them all.
const maxPlainUnknown = 16

// plainReader reads the plain subset of TOML.
type plainReader struct {
	src string
	pos int
	// line is the line of pos, from 1; lineStart is the offset where it
	// starts.
	line, lineStart int
	p               *parser
	backends        []*Backend
	// val is the last value read; its slices are reused.
	val plainValue
}

// plainValue is a value of the plain subset: a string, an array of
// strings or a boolean.
type plainValue struct {
	pos     Position
	list    bool
	boolean bool // the value is true or false: on
	on      bool
	str     string
	strs    []string
	elems   []Position // where each element of strs starts
}

// toAny returns the value as the TOML library decodes it.
func (v *plainValue) toAny() any {
	if v.boolean {
		return v.on
	}
	if !v.list {
		return v.str
	}
	a := make([]any, len(v.strs))
	for i, s := range v.strs {
		a[i] = s
	}
	return a
}

// plainTable is the table that key = value pairs go to.
type plainTable struct {
	kind    int      // one of the plainIn constants
	b       *Backend // for plainInBackend
	seen    uint     // bit i: the i-th known key was set
	unknown []string // keys set that the format does not have
}

const (
	plainInRoot = iota
	plainInNginx
	plainInBackend
)

// position returns the Position of offset off of the current line.
func (r *plainReader) position(off int) Position {
	return Position{File: r.p.file, Line: r.line, Col: off - r.lineStart + 1}
}

func (r *plainReader) eof() bool { return r.pos >= len(r.src) }

// skipSpace skips spaces and tabs.
func (r *plainReader) skipSpace() {
	for r.pos < len(r.src) && (r.src[r.pos] == ' ' || r.src[r.pos] == '\t') {
		r.pos++
	}
}

// newline consumes a line end, "\n" or "\r\n", and reports whether there
// was one.
func (r *plainReader) newline() bool {
	switch {
	case r.pos < len(r.src) && r.src[r.pos] == '\n':
		r.pos++
	case r.pos+1 < len(r.src) && r.src[r.pos] == '\r' && r.src[r.pos+1] == '\n':
		r.pos += 2
	default:
		return false
	}
	r.line++
	r.lineStart = r.pos
	return true
}

// comment consumes a comment, if there is one, up to its line end. It
// reports whether the comment holds only what the TOML library takes.
func (r *plainReader) comment() bool {
	if r.eof() || r.src[r.pos] != '#' {
		return true
	}
	r.pos++
	for r.pos < len(r.src) && r.src[r.pos] != '\n' && r.src[r.pos] != '\r' {
		if !r.char() {
			return false
		}
	}
	return true
}

// char consumes one character of a comment or string: a tab, a printable
// ASCII character or a valid UTF-8 sequence, as the TOML library takes.
func (r *plainReader) char() bool {
	c := r.src[r.pos]
	switch {
	case c == '\t' || c >= ' ' && c < 0x7f:
		r.pos++
		return true
	case c < utf8.RuneSelf:
		return false
	}
	ch, w := utf8.DecodeRuneInString(r.src[r.pos:])
	if ch == utf8.RuneError && w == 1 {
		return false
	}
	r.pos += w
	return true
}

// lineEnd consumes the rest of a line after a header or a value: blanks,
// a comment, and the line end or the end of the text. It reports whether
// that is all there was.
func (r *plainReader) lineEnd() bool {
	r.skipSpace()
	if !r.comment() {
		return false
	}
	return r.eof() || r.newline()
}

// blank skips blanks, comments and line ends, as between the elements of
// an array. It reports false on a comment the TOML library refuses.
func (r *plainReader) blank() bool {
	for {
		r.skipSpace()
		if !r.comment() {
			return false
		}
		if r.eof() || !r.newline() {
			return true
		}
	}
}

// document reads the whole text into m, and reports whether it is in the
// plain subset.
func (r *plainReader) document(m *Manifest) bool {
	var t plainTable // the table being read, reused
	var nginxSeen bool
	for {
		if !r.blank() {
			return false
		}
		if r.eof() {
			r.finish(&t)
			return true
		}
		if r.src[r.pos] != '[' {
			if !r.keyValue(m, &t) {
				return false
			}
			continue
		}
		start := r.pos
		hdr := r.position(start)
		r.pos++
		r.skipSpace()
		first, _, ok := r.key()
		if !ok {
			return false
		}
		r.skipSpace()
		var name string
		dotted := r.pos < len(r.src) && r.src[r.pos] == '.'
		if dotted {
			r.pos++
			r.skipSpace()
			if name, _, ok = r.key(); !ok {
				return false
			}
			r.skipSpace()
		}
		if r.eof() || r.src[r.pos] != ']' {
			return false
		}
		r.pos++
		if !r.lineEnd() {
			return false
		}
		r.finish(&t)
		switch {
		case !dotted && first == "nginx" && !nginxSeen:
			nginxSeen = true
			t = plainTable{kind: plainInNginx, unknown: t.unknown[:0]}
		case dotted && first == "backends":
			t = plainTable{kind: plainInBackend, b: r.p.newBackend(name, hdr), unknown: t.unknown[:0]}
			r.backends = append(r.backends, t.b)
		default:
			return false
		}
	}
}

// finish ends table t.
func (r *plainReader) finish(t *plainTable) {
	if t.kind == plainInBackend && t.seen&(1<<slices.Index(backendKeys, "listen")) == 0 {
		r.p.noListen(t.b)
	}
}

// key reads a key: bare, or a one-line quoted key without escapes.
func (r *plainReader) key() (string, int, bool) {
	start := r.pos
	if r.eof() {
		return "", start, false
	}
	switch q := r.src[r.pos]; q {
	case '"', '\'':
		s, ok := r.str()
		return s, start, ok && s != ""
	}
	for r.pos < len(r.src) && isBareKeyByte(r.src[r.pos]) {
		r.pos++
	}
	return r.src[start:r.pos], start, r.pos > start
}

func isBareKeyByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// str reads a one-line string, basic or literal, without escapes.
func (r *plainReader) str() (string, bool) {
	q := r.src[r.pos]
	if r.pos+2 < len(r.src) && r.src[r.pos+1] == q && r.src[r.pos+2] == q {
		return "", false // a multi-line string
	}
	r.pos++
	start := r.pos
	for r.pos < len(r.src) {
		switch r.src[r.pos] {
		case q:
			s := r.src[start:r.pos]
			r.pos++
			return s, true
		case '\\':
			if q == '"' {
				return "", false // an escape
			}
		}
		if !r.char() {
			return "", false
		}
	}
	return "", false
}

// value reads a string, an array of strings or a boolean into r.val.
func (r *plainReader) value() bool {
	v := &r.val
	v.pos = r.position(r.pos)
	v.boolean = false
	if r.eof() {
		return false
	}
	switch r.src[r.pos] {
	case '"', '\'':
		v.list = false
		s, ok := r.str()
		v.str = s
		return ok
	case 't', 'f':
		// Only the words themselves: what follows must end the line
		// (lineEnd), which "trueish" does not.
		for _, word := range [...]string{"true", "false"} {
			if strings.HasPrefix(r.src[r.pos:], word) {
				r.pos += len(word)
				v.list, v.boolean, v.on = false, true, word == "true"
				return true
			}
		}
		return false
	case '[':
	default:
		return false
	}
	r.pos++
	v.list, v.strs, v.elems = true, v.strs[:0], v.elems[:0]
	for {
		if !r.blank() || r.eof() {
			return false
		}
		switch r.src[r.pos] {
		case ']':
			r.pos++
			return true
		case '"', '\'':
		default:
			return false
		}
		pos := r.position(r.pos)
		s, ok := r.str()
		if !ok || !r.blank() || r.eof() {
			return false
		}
		v.strs, v.elems = append(v.strs, s), append(v.elems, pos)
		switch r.src[r.pos] {
		case ',':
			r.pos++
		case ']':
			r.pos++
			return true
		default:
			return false
		}
	}
}

// keyValue reads a key = value pair into table t.
func (r *plainReader) keyValue(m *Manifest, t *plainTable) bool {
	key, keyOff, ok := r.key()
	if !ok {
		return false
	}
	keyPos := r.position(keyOff)
	r.skipSpace()
	if r.eof() || r.src[r.pos] != '=' {
		return false
	}
	r.pos++
	r.skipSpace()
	if !r.value() || !r.lineEnd() {
		return false
	}
	v := &r.val
	var known []string
	switch t.kind {
	case plainInRoot:
		known = topKeys
	case plainInNginx:
		known = nginxKeys
	case plainInBackend:
		known = backendKeys
	}
	i := slices.Index(known, key)
	if i < 0 {
		if slices.Contains(t.unknown, key) || len(t.unknown) >= maxPlainUnknown {
			return false
		}
		t.unknown = append(t.unknown, key)
		path := []string{key}
		switch t.kind {
		case plainInNginx:
			path = []string{"nginx", key}
		case plainInBackend:
			path = []string{"backends", t.b.Name, key}
		}
		r.p.unknownKey(path, keyPos)
		return true
	}
	if t.seen&(1<<i) != 0 {
		return false // the TOML library refuses a repeated key
	}
	t.seen |= 1 << i
	switch {
	case v.boolean && (t.kind == plainInRoot || key == "listen"):
		return false // parseTOML says what is wrong with it
	case t.kind == plainInRoot && key == "external":
		if !v.list {
			r.p.externalNotList(v.str, v.pos)
			return true
		}
		for i, s := range v.strs {
			r.p.externalEntry(m, s, v.elems[i])
		}
	case t.kind == plainInRoot:
		return false // nginx or backends as a value, not a table
	case t.kind == plainInNginx:
		r.p.nginxValue(m, key, v.toAny(), v.pos, func(i int) Position { return v.elems[i] })
	case key == "listen":
		switch {
		case !v.list:
			r.p.listenEntry(t.b, v.str, v.pos, 1)
		case len(v.strs) == 0:
			r.p.emptyListen(v.pos)
		default:
			for i, s := range v.strs {
				r.p.listenEntry(t.b, s, v.elems[i], len(v.strs))
			}
		}
	case v.list || v.boolean:
		r.p.backendValue(t.b, key, v.toAny(), v.pos)
	default:
		r.p.backendString(t.b, key, v.str, v.pos)
	}
	return true
}
