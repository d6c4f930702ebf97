// Package textutil holds small text helpers shared by the manifest and
// configuration readers and the driver: "did you mean" hints, lists
// joined with "or", the names of TOML value types for error messages, and
// text made safe to print.
package textutil

import (
	"fmt"
	"strings"
	"time"
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
// id by edit distance, or "" when none is close.
func DidYouMean(id string, known map[string]bool) string {
	best, bestD := "", -1
	for k := range known {
		d := EditDistance(id, k)
		if bestD < 0 || d < bestD || d == bestD && k < best {
			best, bestD = k, d
		}
	}
	if bestD < 0 || bestD > max(2, len(id)/3) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
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
