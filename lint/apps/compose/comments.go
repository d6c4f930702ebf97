package compose

import (
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// yamlComments returns the comments of a YAML file, in order: from a
// '#' at the start of a line's text, or after a blank, outside quotes and
// block scalars (the lines of "key: |" more indented than the key), to
// the end of its line, without a "\r". A quoted scalar that spans lines
// is read line by line: a '#' after a blank on its later lines is taken
// for a comment, which only a suppression comment would notice.
func yamlComments(src string) []syntax.Comment {
	var out []syntax.Comment
	block := -1 // the indentation a block scalar's lines exceed; -1: none
	for ls, le := range apps.Lines(src) {
		end := le
		if end > ls && src[end-1] == '\r' {
			end--
		}
		line := src[ls:end]
		text := strings.TrimLeft(line, " \t")
		indent := len(line) - len(text)
		if block >= 0 && (text == "" || indent > block) {
			continue // a block scalar's content
		}
		block = -1
		code := len(line)
		var quote byte
		for k := indent; k < len(line); k++ {
			c := line[k]
			switch {
			case quote == '\'':
				switch {
				case c == '\'' && k+1 < len(line) && line[k+1] == '\'':
					k++ // '' is a quote inside
				case c == '\'':
					quote = 0
				}
			case quote == '"':
				switch c {
				case '\\':
					k++
				case '"':
					quote = 0
				}
			case c == '#' && (k == indent || line[k-1] == ' ' || line[k-1] == '\t'):
				out = append(out, syntax.Comment{Start: int32(ls + k), End: int32(end)})
				code = k
				k = len(line)
			case (c == '"' || c == '\'') && (k == indent || strings.IndexByte(" \t:-[{,", line[k-1]) >= 0):
				quote = c
			}
		}
		if startsBlockScalar(strings.TrimRight(line[:code], " \t")) {
			block = indent
		}
	}
	return out
}

// startsBlockScalar reports whether a line (without its comment) ends
// with a block scalar's header: "key: |", "- >-", "key: |2+" (not a
// plain scalar's "a | b").
func startsBlockScalar(s string) bool {
	i := len(s)
	for i > 0 && (s[i-1] == '-' || s[i-1] == '+' || s[i-1] >= '0' && s[i-1] <= '9') {
		i--
	}
	if i == 0 || s[i-1] != '|' && s[i-1] != '>' {
		return false
	}
	before := strings.TrimRight(s[:i-1], " \t")
	if len(before) == len(s[:i-1]) && before != "" {
		return false // "a|": part of a plain scalar
	}
	return before == "" || strings.HasSuffix(before, ":") || strings.HasSuffix(before, "-")
}
