package apps

import (
	"iter"
	"strings"
)

// Lines yields the offsets of each line of src, the readers of
// line-oriented formats (INI files, units, .env, YAML comments) go
// through: start, and end at its "\n" (or the end of src).
func Lines(src string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for ls := 0; ls < len(src); {
			le := strings.IndexByte(src[ls:], '\n')
			if le < 0 {
				le = len(src)
			} else {
				le += ls
			}
			if !yield(ls, le) {
				return
			}
			ls = le + 1
		}
	}
}

// TrimBlank returns [s, e) of src without the spaces, tabs and carriage
// returns at either end.
func TrimBlank(src string, s, e int) (int, int) {
	for s < e && (src[s] == ' ' || src[s] == '\t' || src[s] == '\r') {
		s++
	}
	for e > s && (src[e-1] == ' ' || src[e-1] == '\t' || src[e-1] == '\r') {
		e--
	}
	return s, e
}
