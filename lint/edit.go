package lint

import (
	"strings"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// InsertInBlock returns an edit that adds lines (directives, each with its
// ";") at the start of block's body, indented like the block's first
// directive and with the file's line endings. A block written on one line
// gets the directives inline.
func InsertInBlock(block syntax.Directive, lines []string) TextEdit {
	f := block.File()
	src := f.Src
	at := int(block.LBrace()) + 1
	first := -1
	for _, d := range block.Block() {
		first = int(d.Start())
		break
	}
	nl := "\n"
	if strings.Contains(src, "\r\n") {
		nl = "\r\n"
	}
	sameLine := func(a, b int) bool { return a <= b && !strings.Contains(src[a:b], "\n") }
	switch {
	case first >= 0 && sameLine(at, first):
		// location / { proxy_pass ...; }
		return TextEdit{File: f, Start: first, End: first, NewText: strings.Join(lines, " ") + " "}
	case first >= 0:
		ls := strings.LastIndexByte(src[:first], '\n') + 1
		indent := src[ls:first]
		var b strings.Builder
		for _, l := range lines {
			b.WriteString(indent + l + nl)
		}
		return TextEdit{File: f, Start: ls, End: ls, NewText: b.String()}
	case block.RBrace() >= 0 && sameLine(at, int(block.RBrace())):
		return TextEdit{File: f, Start: at, End: at, NewText: " " + strings.Join(lines, " ") + " "}
	}
	// An empty block over several lines: indent one level more than the
	// line holding "{".
	ls := strings.LastIndexByte(src[:block.LBrace()], '\n') + 1
	indent := leadingBlanks(src[ls:]) + "    "
	var b strings.Builder
	b.WriteString(nl)
	for i, l := range lines {
		b.WriteString(indent + l)
		if i < len(lines)-1 {
			b.WriteString(nl)
		}
	}
	return TextEdit{File: f, Start: at, End: at, NewText: b.String()}
}

func leadingBlanks(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return s[:i]
}
