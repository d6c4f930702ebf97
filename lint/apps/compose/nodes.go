package compose

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// The YAML node pass: where each value of a compose file is written.
// yaml.v3 gives every node its line and column (1-based, in characters);
// these helpers turn them into byte spans of the file.

// offset returns the byte offset in f of a yaml.v3 line and column.
func offset(f *syntax.File, line, col int) int {
	if line < 1 {
		return 0
	}
	off := f.LineStart(line)
	for c := 1; c < col && off < len(f.Src); c++ {
		if f.Src[off] == '\n' {
			break
		}
		_, w := utf8.DecodeRuneInString(f.Src[off:])
		off += w
	}
	return off
}

// nodeStart returns the offset where n is written.
func nodeStart(f *syntax.File, n *yaml.Node) int { return offset(f, n.Line, n.Column) }

// span returns the span of n in f: a scalar's text (with its quotes), a
// collection from its first character to the end of its last scalar.
func span(f *syntax.File, n *yaml.Node) apps.Span {
	if n == nil || f == nil {
		return apps.Span{}
	}
	start := nodeStart(f, n)
	return apps.Span{File: f, Start: start, End: max(start, nodeEnd(f, n, 0))}
}

// nodeEnd returns the offset just past the text of n.
func nodeEnd(f *syntax.File, n *yaml.Node, depth int) int {
	start := nodeStart(f, n)
	switch n.Kind {
	case yaml.ScalarNode:
		return scalarEnd(f.Src, start, n)
	case yaml.AliasNode:
		end := start + 1
		for end < len(f.Src) && !isBreakOrSpace(f.Src[end]) && !strings.ContainsRune(",]}", rune(f.Src[end])) {
			end++
		}
		return end
	case yaml.MappingNode, yaml.SequenceNode, yaml.DocumentNode:
		end := start
		if depth > 64 {
			return end
		}
		for _, c := range n.Content {
			end = max(end, nodeEnd(f, c, depth+1))
		}
		if n.Style&yaml.FlowStyle != 0 {
			// The closing bracket.
			i := end
			for i < len(f.Src) && (f.Src[i] == ' ' || f.Src[i] == '\t' || f.Src[i] == '\n' || f.Src[i] == '\r' || f.Src[i] == ',') {
				i++
			}
			if i < len(f.Src) && (f.Src[i] == ']' || f.Src[i] == '}') {
				end = i + 1
			}
		}
		return end
	}
	return start
}

func isBreakOrSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// scalarEnd returns the end of the scalar n written at start in src.
func scalarEnd(src string, start int, n *yaml.Node) int {
	if start >= len(src) {
		return len(src)
	}
	i := start
	// A tag or an anchor comes first: "!reset []", "&x value".
	for i < len(src) && (src[i] == '!' || src[i] == '&') {
		for i < len(src) && !isBreakOrSpace(src[i]) {
			i++
		}
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
	}
	switch n.Style &^ (yaml.TaggedStyle | yaml.FlowStyle) {
	case yaml.DoubleQuotedStyle:
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(src)
	case yaml.SingleQuotedStyle:
		for j := i + 1; j < len(src); j++ {
			if src[j] == '\'' {
				if j+1 < len(src) && src[j+1] == '\'' {
					j++
					continue
				}
				return j + 1
			}
		}
		return len(src)
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return blockScalarEnd(src, i)
	}
	// A plain scalar: its value, when written on one line as it reads.
	if strings.HasPrefix(src[i:], n.Value) && n.Value != "" {
		return i + len(n.Value)
	}
	j := i
	for j < len(src) && src[j] != '\n' && src[j] != '\r' {
		if src[j] == '#' && j > i && (src[j-1] == ' ' || src[j-1] == '\t') {
			break
		}
		if n.Style&yaml.FlowStyle != 0 && strings.ContainsRune(",]}", rune(src[j])) {
			break
		}
		j++
	}
	for j > i && (src[j-1] == ' ' || src[j-1] == '\t') {
		j--
	}
	return j
}

// blockScalarEnd returns the end of a literal or folded block scalar whose
// indicator ("|", ">-" ...) is at i: the end of its last line of content,
// the lines after the indicator's that are blank or indented at least as
// much as the first line of content.
func blockScalarEnd(src string, i int) int {
	lineEnd := func(k int) int {
		e := strings.IndexByte(src[k:], '\n')
		if e < 0 {
			return len(src)
		}
		return k + e
	}
	end := lineEnd(i)
	// The indicator's line, without a comment.
	first := i
	for first < end && !isBreakOrSpace(src[first]) {
		first++
	}
	last := first
	indent := -1
	for k := end + 1; k < len(src); {
		e := lineEnd(k)
		line := strings.TrimRight(src[k:e], "\r")
		body := strings.TrimLeft(line, " ")
		if body == "" {
			k = e + 1
			continue
		}
		n := len(line) - len(body)
		if indent < 0 {
			indent = n
		}
		if n < indent || n == 0 {
			break
		}
		last = k + len(line)
		k = e + 1
	}
	return last
}

// mapGet returns the value node of key in the mapping n, and the key's
// node; nil when n is not a mapping or has no such key. A key written
// twice (which yaml.v3 refuses) is its first.
func mapGet(n *yaml.Node, key string) (val, k *yaml.Node) {
	return mapGetDepth(n, key, 0)
}

// mapGetDepth is mapGet through at most a few levels of merge keys (a
// merge may name the mapping it is in).
func mapGetDepth(n *yaml.Node, key string, depth int) (val, k *yaml.Node) {
	n = deref(n)
	if depth > 8 {
		return nil, nil
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i].Kind == yaml.ScalarNode {
			return n.Content[i+1], n.Content[i]
		}
	}
	// Merge keys: "<<: *base".
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "<<" && n.Content[i].Tag == "!!merge" {
			m := deref(n.Content[i+1])
			if m == nil {
				continue
			}
			if m.Kind == yaml.SequenceNode {
				for _, e := range m.Content {
					if v, k := mapGetDepth(e, key, depth+1); v != nil {
						return v, k
					}
				}
				continue
			}
			if v, k := mapGetDepth(m, key, depth+1); v != nil {
				return v, k
			}
		}
	}
	return nil, nil
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// items returns the elements of a sequence node, nil for anything else.
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// mapPairs calls fn for each key and value of the mapping n, in order.
func mapPairs(n *yaml.Node, fn func(k, v *yaml.Node)) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag == "!!merge" {
			continue
		}
		fn(n.Content[i], n.Content[i+1])
	}
}

// lookupPath returns the deepest node along a dotted compose path as
// compose-go writes it in its messages ("services.api.ports.[0]",
// "services.api.ports.0.target"), and the number of parts it followed.
func lookupPath(root *yaml.Node, parts []string) (*yaml.Node, int) {
	n := deref(root)
	followed := 0
	for _, p := range parts {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			next, _ = mapGet(n, p)
			if next == nil {
				// Point at the key when the path ends at it.
				if _, k := mapGet(n, p); k != nil {
					next = k
				}
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(strings.Trim(p, "[]"))
			if err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			break
		}
		n = deref(next)
		followed++
	}
	return n, followed
}

// keyOf returns the key node whose value is v in the mapping n.
func keyOf(n, v *yaml.Node) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i+1] == v {
			return n.Content[i]
		}
	}
	return nil
}

// findScalar returns the first scalar under n (n included) whose value is
// s, nil when none is.
func findScalar(n *yaml.Node, s string, depth int) *yaml.Node {
	if n == nil || depth > 32 {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if n.Value == s {
			return n
		}
		return nil
	}
	if n.Kind == yaml.AliasNode {
		return nil
	}
	for _, c := range n.Content {
		if r := findScalar(c, s, depth+1); r != nil {
			return r
		}
	}
	return nil
}
