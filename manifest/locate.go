package manifest

import (
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

// tooComplex guards the TOML library against a manifest nested too deep
// or with too many dotted key parts (see tomlpos.TooComplex).
func tooComplex(src string) (int, string, bool) {
	return tomlpos.TooComplex(src, "a manifest", "manifest keys", "backends.api.listen")
}
