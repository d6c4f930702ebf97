package lsp

import (
	"sort"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"
)

// encoding is how a Position's character counts: in UTF-16 code units,
// LSP's default, or in bytes of UTF-8 when the client offers it
// (general.positionEncodings, LSP 3.17). nginxlint's offsets are bytes.
type encoding int

const (
	utf16 encoding = iota
	utf8Bytes
)

func (e encoding) String() string {
	if e == utf8Bytes {
		return "utf-8"
	}
	return "utf-16"
}

// lineIndex maps byte offsets of a text to LSP positions and back. Lines
// end at "\n", "\r\n" or a lone "\r", as LSP counts them.
type lineIndex struct {
	text   string
	starts []int // byte offset of each line's start
}

func newLineIndex(text string) *lineIndex {
	ix := &lineIndex{text: text, starts: []int{0}}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			ix.starts = append(ix.starts, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			ix.starts = append(ix.starts, i+1)
		}
	}
	return ix
}

// lineEnd returns the offset of the end of line n, before its break.
func (ix *lineIndex) lineEnd(n int) int {
	if n+1 >= len(ix.starts) {
		return len(ix.text)
	}
	end := ix.starts[n+1] - 1
	if ix.text[end] == '\n' && end > ix.starts[n] && ix.text[end-1] == '\r' {
		end--
	}
	return end
}

// position returns the position of the byte offset off (clamped to the
// text).
func (ix *lineIndex) position(off int, enc encoding) protocol.Position {
	off = max(0, min(off, len(ix.text)))
	line := sort.Search(len(ix.starts), func(i int) bool { return ix.starts[i] > off }) - 1
	start := ix.starts[line]
	// An offset inside a line break (between "\r" and "\n") is the end
	// of its line.
	off = min(off, ix.lineEnd(line))
	return protocol.Position{Line: uint32(line), Character: uint32(units(ix.text[start:off], enc))}
}

// offset returns the byte offset of p. A character past the end of its
// line is the line's end, as LSP says; a line past the last is the end
// of the text. A UTF-16 position inside a character (between the two
// halves of a surrogate pair) is that character's end.
func (ix *lineIndex) offset(p protocol.Position, enc encoding) int {
	line := int(p.Line)
	if line >= len(ix.starts) {
		return len(ix.text)
	}
	start, end := ix.starts[line], ix.lineEnd(line)
	want := int(p.Character)
	if enc == utf8Bytes {
		off := min(start+want, end)
		// Never split a character: move to its end.
		for off < end && !utf8.RuneStart(ix.text[off]) {
			off++
		}
		return off
	}
	n := 0
	for off := start; off < end; {
		if n >= want {
			return off
		}
		r, size := utf8.DecodeRuneInString(ix.text[off:end])
		n += utf16Len(r)
		off += size
	}
	return end
}

// rangeOf returns the range of the bytes [start, end).
func (ix *lineIndex) rangeOf(start, end int, enc encoding) protocol.Range {
	return protocol.Range{Start: ix.position(start, enc), End: ix.position(max(start, end), enc)}
}

// units counts s in the encoding's units.
func units(s string, enc encoding) int {
	if enc == utf8Bytes {
		return len(s)
	}
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}

// utf16Len is the number of UTF-16 code units of r; an invalid byte
// (utf8.RuneError) is one, as the editor shows it as U+FFFD.
func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
