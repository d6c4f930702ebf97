// Package textutil holds small text helpers shared by the manifest and
// configuration readers and the driver: "did you mean" hints, lists
// joined with "or", the names of TOML value types for error messages, and
// text made safe to print.
package textutil

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// EditDistance returns the Levenshtein distance between a and b in bytes,
// comparing at most the first 1024 bytes of each (hints need no more).
func EditDistance(a, b string) int {
	const limit = 1024
	if len(a) > limit {
		a = a[:limit]
	}
	if len(b) > limit {
		b = b[:limit]
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// EditDistanceWithin returns the edit distance between a and b, and true,
// when it is at most limit; false when it is more. It looks only at the
// cells of the table within limit of the diagonal and stops at the first
// row that is all above limit, so that comparing a word with many
// candidates costs about limit times the word's length for each. Words
// are cut at 1024 bytes, as EditDistance cuts them. A Distances compares
// many words without allocating for each.
func EditDistanceWithin(a, b string, limit int) (int, bool) {
	var d Distances
	return d.Within(a, b, limit)
}

// Distances computes EditDistanceWithin, reusing its memory from one
// pair of words to the next, and the letter counts of the first word
// while it stays the same. Its zero value is ready to use.
type Distances struct {
	prev, cur []int
	word      string // the last first word
	counts    Counts // its letter counts
	have      bool   // counts are word's
}

// Counts are the letter counts of a word (CountLetters): a list of
// candidates compared with many words can count its letters once.
type Counts [32]uint8

// CountLetters counts the bytes of s by their five low bits, each count
// at most 255. Half the sum of the differences of two words' counts is
// at most their edit distance (an edit changes at most two counts by
// one; bytes that share a count, or counts held at 255, only make the
// sum smaller): words whose counts differ too much are far apart.
func CountLetters(s string) (c Counts) {
	for i := 0; i < min(len(s), 1024); i++ {
		if k := s[i] & 31; c[k] < 255 {
			c[k]++
		}
	}
	return c
}

// Within is EditDistanceWithin.
func (ds *Distances) Within(a, b string, limit int) (int, bool) {
	cb := CountLetters(b)
	return ds.WithinCounted(a, b, &cb, limit)
}

// WithinCounted is Within for a word b whose letters are counted: cb is
// CountLetters(b).
func (ds *Distances) WithinCounted(a, b string, cb *Counts, limit int) (int, bool) {
	const cut = 1024
	a, b = a[:min(len(a), cut)], b[:min(len(b), cut)]
	if limit < 0 || max(len(a), len(b))-min(len(a), len(b)) > limit {
		return 0, false
	}
	if !ds.have || ds.word != a {
		ds.word, ds.counts, ds.have = a, CountLetters(a), true
	}
	diff := 0
	for k := range cb {
		diff += max(int(ds.counts[k])-int(cb[k]), int(cb[k])-int(ds.counts[k]))
	}
	if (diff+1)/2 > limit {
		return 0, false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	const far = 1 << 30 // beyond any limit, and safe to add one to
	if cap(ds.prev) < len(b)+1 {
		ds.prev, ds.cur = make([]int, len(b)+1, 2*len(b)+2), make([]int, len(b)+1, 2*len(b)+2)
	}
	prev, cur := ds.prev[:len(b)+1], ds.cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
		if j > limit {
			prev[j] = far
		}
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		rowMin := far
		if lo == 1 {
			cur[0] = i
			rowMin = i
		} else {
			cur[lo-1] = far
		}
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < len(b) {
			cur[hi+1] = far
		}
		if rowMin > limit {
			return 0, false
		}
		prev, cur = cur, prev
	}
	d := prev[len(b)]
	return d, d <= limit
}

// TOMLType names the TOML type of a value decoded by BurntSushi/toml into
// an any, with an article: "a string", "an array".
func TOMLType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		return "a date-time"
	case []map[string]any:
		return "an array of tables"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a value of type %T", v)
}

// DidYouMean returns ` (did you mean "X"?)` for the known ID closest to
// id by edit distance, or "" when none is close (see Closest).
func DidYouMean(id string, known map[string]bool) string {
	best := Closest(id, slices.Collect(maps.Keys(known)))
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// Closest returns the option nearest to word by edit distance (the first
// by name among equals), or "" when none is within a third of word's
// length (at least 2 edits).
func Closest(word string, options []string) string {
	best, bestD := "", -1
	var dist Distances
	for _, o := range options {
		d, ok := dist.Within(word, o, max(2, len(word)/3))
		if ok && (bestD < 0 || d < bestD || d == bestD && o < best) {
			best, bestD = o, d
		}
	}
	return best
}

// OrList joins names as "a", "a or b", "a, b or c".
func OrList(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// TermSafe replaces what a terminal or a CI log would interpret in s
// (control characters other than tab and, with lines, newline; C1
// controls; invalid UTF-8) by U+FFFD, one character for one, so that
// text read from a configuration (a file name, a directive) is shown,
// never obeyed.
func TermSafe(s string, lines bool) string {
	safe := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && !(lines && c == '\n') || c >= 0x7f {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 && r != '\t' && !(lines && r == '\n') || r == 0x7f || 0x80 <= r && r < 0xa0 || r == utf8.RuneError {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// LogSafe is TermSafe for text that a CI log shows (every line nginxlint
// prints of a finding): it also replaces by U+FFFD what EscapeLog finds, so
// that text read from a configuration cannot forge a line of its own, run
// a CI runner's command or reorder what a terminal shows. One character
// for one, as TermSafe.
func LogSafe(s string, lines bool) string {
	return EscapeLog(TermSafe(s, lines), func(rune) string { return "\uFFFD" })
}

// LogPath is LogSafe for a file name that may begin a line. A line that
// begins with "::" (after blanks, or characters .NET's culture-aware
// comparison ignores) is a GitHub Actions workflow command, so such a
// name is written "./NAME", which names the same file.
func LogPath(name string) string {
	name = LogSafe(name, false)
	rest := strings.TrimLeftFunc(name, func(r rune) bool { return unicode.IsSpace(r) || ignorable(r) })
	if strings.HasPrefix(rest, ":") {
		return "./" + name
	}
	return name
}

// NoCommands returns s with each of its lines that a GitHub Actions
// runner would take for a workflow command (it begins with "::" after
// blanks, or characters .NET's culture-aware comparison ignores) broken:
// its second ':' replaced by U+FFFD. For text whose lines nginxlint
// writes but whose names and values come from the input.
func NoCommands(s string) string {
	if !strings.Contains(s, "::") {
		return s
	}
	var b strings.Builder
	for line := range strings.SplitAfterSeq(s, "\n") {
		rest := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || ignorable(r) })
		if strings.HasPrefix(rest, "::") {
			at := len(line) - len(rest) + 1
			b.WriteString(line[:at])
			b.WriteString("\uFFFD")
			b.WriteString(line[at+1:])
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// EscapeLog returns s with each character that a terminal or a CI runner
// would obey written as esc(r), and s itself when there is none. s must be
// valid UTF-8; EscapeLog leaves the C0 controls (newline, escape) to its
// callers. It finds:
//
//   - DEL and the C1 controls (U+0080 to U+009F, which some terminals take
//     as CSI and OSC);
//   - the bidirectional controls (U+202A to U+202E, U+2066 to U+2069),
//     which reorder what a terminal shows: a forged line would look real;
//   - the "[" of "##[" and "##vso[", the markers of GitHub Actions' legacy
//     workflow commands ("##[error]", "##[stop-commands]") and of Azure
//     Pipelines' logging commands, which the runners obey anywhere in a
//     line. Characters their culture-aware search ignores (format
//     characters such as U+200B, combining marks) do not hide a marker.
func EscapeLog(s string, esc func(r rune) string) string {
	if !logUnsafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	run := 0 // where the run not yet copied starts: what needs no escape is copied in runs
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c == 0x7f || c == '[' && markerBefore(s, i) {
				b.WriteString(s[run:i])
				b.WriteString(esc(rune(c)))
				run = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case 0x80 <= r && r < 0xa0 || isBidiControl(r):
			b.WriteString(s[run:i])
			b.WriteString(esc(r))
			run = i + size
		case r == utf8.RuneError && size == 1:
			// Not UTF-8: written as the replacement character, as a
			// range over s reads it.
			b.WriteString(s[run:i])
			b.WriteRune(r)
			run = i + size
		}
		i += size
	}
	b.WriteString(s[run:])
	return b.String()
}

// markerBefore reports whether the "[" at s[i] ends a marker: "##[" or
// "##vso[", with the characters a search for it skips (ignorable) left
// out. It looks back at most five other characters, and through the
// ignorable ones between: only the first five "[" after a run of them
// look through it.
func markerBefore(s string, i int) bool {
	var last [5]rune // the latest last; zero where s begins
	n := 0
	for j := i; j > 0 && n < len(last); {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		j -= size
		if ignorable(r) {
			continue
		}
		n++
		last[len(last)-n] = r
	}
	return last[3] == '#' && last[4] == '#' || last == [5]rune{'#', '#', 'v', 's', 'o'}
}

// logUnsafe reports whether s may hold what EscapeLog escapes.
func logUnsafe(s string) bool {
	if strings.IndexByte(s, '#') >= 0 && strings.IndexByte(s, '[') >= 0 {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 0x7f, c == 0xc2 && i+1 < len(s) && s[i+1] < 0xa0: // DEL, C1
			return true
		case c == 0xe2 && i+2 < len(s): // U+2000 to U+2FFF: the bidi controls
			if r, _ := utf8.DecodeRuneInString(s[i:]); isBidiControl(r) {
				return true
			}
		}
	}
	return false
}

func isBidiControl(r rune) bool {
	return 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069
}

// ignorable reports whether a culture-aware comparison (ICU's, which .NET
// uses on Linux) may skip r: format characters, combining marks, variation
// selectors and the other default-ignorable code points.
func ignorable(r rune) bool {
	return r >= 0x80 && unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}
