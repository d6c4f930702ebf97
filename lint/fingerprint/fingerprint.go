// Package fingerprint identifies a finding by what it is about rather
// than by where its text is, so that a finding can be recognised again
// after the file around it changed: the baseline (lint/baseline) and the
// output formats that track findings across runs use it.
//
// A fingerprint is made of the rule, the file's name, the message and a
// content anchor: the headers of the blocks around the finding in its
// file (as "http", "server", "location /api/"), the header of the
// directive it is in, and the text of the finding's span on its first
// line, each with its blanks collapsed. Where the finding is in no
// directive (a comment, a file of another kind such as the manifest),
// the anchor is the text of its line instead.
//
// Stability: a fingerprint does not change when lines are inserted or
// removed above the finding, when the directive moves within its block,
// when indentation or spacing changes, or when comments change. It
// changes when the rule's ID, the file's name, the message, the
// directive's text or a header of a block around it changes. Two findings
// of one rule with the same message on the same text in the same block
// share a fingerprint: count fingerprints as a multiset (Distinct numbers
// them for a consumer that needs them unique). A change of what goes
// into a fingerprint changes [Version].
package fingerprint

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Version is the version of the fingerprint scheme. It is part of every
// fingerprint, so fingerprints of different versions never match.
const Version = 1

// maxPart bounds each part of the anchor, in bytes: a minified file's
// line, or a directive of many arguments, costs no more than this.
const maxPart = 4096

// Of returns the fingerprint of d: 32 lowercase hexadecimal digits. The
// file is named as Name does. It reads d's file; for many findings, use a
// Hasher (or All), which reads each file once.
func Of(d lint.Diagnostic) string { return new(Hasher).Of(d) }

// All returns the fingerprints of ds, in order.
func All(ds []lint.Diagnostic) []string {
	var h Hasher
	out := make([]string, len(ds))
	for i := range ds {
		out[i] = h.Of(ds[i])
	}
	return out
}

// Distinct numbers repeated fingerprints in order, for a consumer that
// needs each finding's key to be unique: the first stays as it is, the
// next ones get ":2", ":3" ...
func Distinct(fps []string) []string {
	seen := map[string]int{}
	out := make([]string, len(fps))
	for i, fp := range fps {
		seen[fp]++
		out[i] = fp
		if n := seen[fp]; n > 1 {
			out[i] = fp + ":" + strconv.Itoa(n)
		}
	}
	return out
}

// Name is how a fingerprint names a file by default: its display name
// (syntax.File.Name), cleaned, with forward slashes.
func Name(f *syntax.File) string {
	if f == nil {
		return ""
	}
	return path.Clean(filepath.ToSlash(f.Name))
}

// Hasher computes fingerprints, reading the directives of each file once.
// The zero Hasher is ready to use; it is not safe for concurrent use.
type Hasher struct {
	// FileName, when set, names files in place of Name: the baseline
	// names them relative to its own directory.
	FileName func(*syntax.File) string

	files map[*syntax.File]*syntax.Nesting
}

// Of returns the fingerprint of d (see the package documentation).
func (h *Hasher) Of(d lint.Diagnostic) string {
	name := Name(d.File)
	if h.FileName != nil && d.File != nil {
		name = h.FileName(d.File)
	}
	sum := sha256.New()
	write := func(part string) {
		// Length-prefixed, so that parts cannot run into each other.
		sum.Write(strconv.AppendInt(nil, int64(len(part)), 10))
		sum.Write([]byte{':'})
		sum.Write([]byte(part))
	}
	write("nginxlint-fingerprint/" + strconv.Itoa(Version))
	write(d.Rule)
	write(name)
	write(d.Message)
	for _, part := range h.anchor(d) {
		write(part)
	}
	return hex.EncodeToString(sum.Sum(nil)[:16])
}

// Anchor returns the content anchor of d, outermost part first: the
// headers of the blocks around it and of its directive, then the text of
// its span; or the text of its line when it is in no directive. It is
// what Of hashes besides the rule, the file and the message.
func (h *Hasher) Anchor(d lint.Diagnostic) []string { return h.anchor(d) }

func (h *Hasher) anchor(d lint.Diagnostic) []string {
	f := d.File
	if f == nil {
		return nil
	}
	start := min(max(d.Start, 0), len(f.Src))
	// The directives around start, outermost first: the blocks it is
	// in, then the directive it is in.
	var parts []string
	n := h.index(f)
	for i := n.Innermost(start); i >= 0; i = n.Parent[i] {
		parts = append(parts, collapse(n.Dirs[i].String()))
	}
	slices.Reverse(parts)
	if len(parts) == 0 {
		// In no directive: the text of the line.
		pos := f.Position(start)
		return []string{"line", collapse(clip(f.Src[f.LineStart(pos.Line):]))}
	}
	end := min(max(d.End, start), len(f.Src))
	span := f.Src[start:end]
	if i := strings.IndexByte(span, '\n'); i >= 0 {
		span = span[:i]
	}
	return append(parts, "span", collapse(clip(span)))
}

// clip returns s up to its first newline, and at most maxPart bytes.
func clip(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > maxPart {
		s = s[:maxPart]
	}
	return s
}

// collapse returns s with its runs of blanks made one space, trimmed, and
// at most maxPart bytes long.
func collapse(s string) string {
	if len(s) > maxPart {
		s = s[:maxPart]
	}
	return strings.Join(strings.Fields(s), " ")
}

func (h *Hasher) index(f *syntax.File) *syntax.Nesting {
	if ix, ok := h.files[f]; ok {
		return ix
	}
	if h.files == nil {
		h.files = map[*syntax.File]*syntax.Nesting{}
	}
	ix := syntax.NewNesting(f)
	h.files[f] = ix
	return ix
}
