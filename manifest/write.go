package manifest

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/internal/textutil"
)

// QuoteTOML returns s as a TOML basic string, quotes included. Text that
// is not UTF-8 (which TOML cannot hold) has its bad bytes replaced with
// U+FFFD. What a terminal or a CI runner would obey (control characters,
// C1 and bidirectional controls, the "[" of "##[") is written as a \u
// escape: the string means the same, and a draft shown in a log forges
// nothing.
func QuoteTOML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, string(utf8.RuneError)) {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return textutil.EscapeLog(b.String(), func(r rune) string { return fmt.Sprintf(`\u%04X`, r) })
}

// ArrayTOML returns the strings as a TOML array on one line.
func ArrayTOML(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = QuoteTOML(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// ListenTOML returns the value of a backend's listen key as manifests
// write it: one string for one address, an array for several.
func ListenTOML(addrs []string) string {
	if len(addrs) == 1 {
		return QuoteTOML(addrs[0])
	}
	return ArrayTOML(addrs)
}
