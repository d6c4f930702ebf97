package manifest

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/internal/tomlpos"
)

// locator places the keys, values and array elements of a manifest's
// TOML text; see package tomlpos. A table is placed at the '[' of its
// header.
type locator struct {
	file string
	loc  *tomlpos.Locator
}

// pathKey joins a key path into a map key; no bare or quoted key in a
// valid document can make it ambiguous.
func pathKey(path []string) string { return strings.Join(path, "\x00") }

func newLocator(file, src string) *locator {
	return &locator{file: file, loc: tomlpos.New(src, tomlpos.AtDefinition)}
}

// position converts a byte offset to a Position.
func (l *locator) position(off int) Position {
	line, col := l.loc.LineCol(off)
	return Position{File: l.file, Line: line, Col: col}
}

// keyPos returns where the key at path was written, falling back to the
// closest enclosing key that was found, then to the start of the file.
func (l *locator) keyPos(path ...string) Position { return l.position(l.loc.Key(path...)) }

// valuePos returns where the value of the key at path starts, falling back
// to keyPos.
func (l *locator) valuePos(path ...string) Position { return l.position(l.loc.Value(path...)) }

// elemPos returns where element i of the array at path starts, falling
// back to valuePos.
func (l *locator) elemPos(i int, path ...string) Position {
	return l.position(l.loc.Elem(i, path...))
}

// unescape decodes the escapes of a TOML basic string, as the locator
// does for quoted keys.
var unescape = tomlpos.Unescape

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
