// Package lex holds what the readers of app configurations written in a
// programming language (gunicorn's Python, puma's Ruby) share once their
// text is tokens: identifier bytes, operators by longest match, and
// brackets. Each reader keeps its own token type; these functions see a
// token through op, which returns its text when it is an operator and ""
// otherwise.
package lex

import (
	"iter"
	"strings"
)

// IsIdentStart reports whether c may start an identifier (a byte of a
// multi-byte character counts as a letter, as in Python and Ruby).
func IsIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// IsIdentByte reports whether c may continue an identifier.
func IsIdentByte(c byte) bool { return IsIdentStart(c) || c >= '0' && c <= '9' }

// Operator returns the first of ops (listed longest first) that s starts
// with, "" for none.
func Operator(s string, ops []string) string {
	for _, op := range ops {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	return ""
}

// depth is how an operator changes the bracket depth.
func depth(op string) int {
	switch op {
	case "(", "[", "{":
		return 1
	case ")", "]", "}":
		return -1
	}
	return 0
}

// Matching returns the index of the bracket that closes the one toks
// starts with, -1 when none does.
func Matching[T any](toks []T, op func(T) string) int {
	d := 0
	for i, t := range toks {
		if d += depth(op(t)); d == 0 && op(t) != "" && depth(op(t)) < 0 {
			return i
		}
	}
	return -1
}

// TopLevel yields the tokens of toks that stand outside brackets, with
// their indexes (an opening bracket outside brackets is one of them).
func TopLevel[T any](toks []T, op func(T) string) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		d := 0
		for i, t := range toks {
			o := op(t)
			if d == 0 && depth(o) >= 0 && !yield(i, t) {
				return
			}
			d += depth(o)
		}
	}
}

// Find returns the index of the first operator target outside brackets,
// -1 when there is none.
func Find[T any](toks []T, op func(T) string, target string) int {
	for i, t := range TopLevel(toks, op) {
		if op(t) == target {
			return i
		}
	}
	return -1
}

// Split splits toks at the operator sep outside brackets; toks without
// one is one part.
func Split[T any](toks []T, op func(T) string, sep string) [][]T {
	var parts [][]T
	from := 0
	for i, t := range TopLevel(toks, op) {
		if op(t) == sep {
			parts = append(parts, toks[from:i])
			from = i + 1
		}
	}
	return append(parts, toks[from:])
}
