// Package baseline records the findings of a tree as they are today, so
// that a team can adopt nginxlint on an old tree and be told only of the
// findings that are new: nginxlint baseline write FILE records them,
// --baseline FILE hides them.
//
// Findings are recorded by their fingerprints (lint/fingerprint), which
// do not depend on line numbers: inserting lines above a finding or
// reindenting its block does not bring it back. Fingerprints are counted
// as a multiset: a baseline that holds one finding hides one finding with
// that fingerprint, and a second one (the same problem written again
// somewhere else in the block) is reported.
//
// Files are named relative to the baseline file's directory, so the
// baseline means the same wherever nginxlint runs from.
//
// The file is JSON, one entry per fingerprint, sorted by file, rule,
// message and fingerprint, so that it diffs well:
//
//	{
//	  "version": 1,
//	  "findings": [
//	    {
//	      "file": "etc/nginx/sites-available/shop.conf",
//	      "rule": "backend-drift",
//	      "message": "proxy_pass dials 127.0.0.1:8012, where ...",
//	      "fingerprint": "9f0c4ab1d2e3f40516273849a0b1c2d3",
//	      "count": 1
//	    }
//	  ]
//	}
//
// file, rule and message are there for the reader of a diff; only the
// fingerprint and the count decide what is hidden.
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/fingerprint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Version is the version of the file format; it also names the
// fingerprint scheme (fingerprint.Version) the fingerprints are in.
const Version = 1

// Entry is the findings of one fingerprint.
type Entry struct {
	File        string `json:"file"`
	Rule        string `json:"rule"`
	Message     string `json:"message"`
	Fingerprint string `json:"fingerprint"`
	Count       int    `json:"count"`
}

// document is the file as JSON.
type document struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Baseline is a set of findings recorded by their fingerprints.
type Baseline struct {
	// Path is the baseline file; its directory is where file names are
	// relative to.
	Path string
	// Entries are sorted by file, rule, message and fingerprint.
	Entries []Entry

	dir string // Path's directory, absolute
}

// New returns the baseline, to be written at path, that records ds. The
// caller leaves out the findings no baseline may hide (see Filter).
func New(path string, ds []lint.Diagnostic) (*Baseline, error) {
	b, err := empty(path)
	if err != nil {
		return nil, err
	}
	h := b.hasher()
	byFP := map[string]*Entry{}
	for i := range ds {
		d := &ds[i]
		fp := h.Of(*d)
		if e := byFP[fp]; e != nil {
			e.Count++
			continue
		}
		byFP[fp] = &Entry{File: b.fileName(d.File), Rule: d.Rule, Message: d.Message, Fingerprint: fp, Count: 1}
	}
	for _, e := range byFP {
		b.Entries = append(b.Entries, *e)
	}
	sortEntries(b.Entries)
	return b, nil
}

func empty(path string) (*Baseline, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return &Baseline{Path: path, dir: filepath.Dir(abs)}, nil
}

func sortEntries(es []Entry) {
	sort.Slice(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Message != b.Message {
			return a.Message < b.Message
		}
		return a.Fingerprint < b.Fingerprint
	})
}

// Findings returns how many findings the baseline holds.
func (b *Baseline) Findings() int {
	n := 0
	for _, e := range b.Entries {
		n += e.Count
	}
	return n
}

// hasher names files relative to the baseline's directory.
func (b *Baseline) hasher() *fingerprint.Hasher {
	return &fingerprint.Hasher{FileName: b.fileName}
}

// fileName names f relative to the baseline's directory, with forward
// slashes; a name outside it keeps a "../" path, an absolute name of an
// nginx -T dump outside it stays absolute.
func (b *Baseline) fileName(f *syntax.File) string {
	if f == nil {
		return ""
	}
	name := filepath.FromSlash(f.Name)
	abs := name
	if !filepath.IsAbs(abs) {
		var err error
		if abs, err = filepath.Abs(name); err != nil {
			return fingerprint.Name(f)
		}
	}
	rel, err := filepath.Rel(b.dir, abs)
	outside := rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
	if err != nil || filepath.IsAbs(name) && outside {
		return filepath.ToSlash(filepath.Clean(name))
	}
	return filepath.ToSlash(rel)
}

// Marshal returns the baseline as its file holds it.
func (b *Baseline) Marshal() []byte {
	doc := document{Version: Version, Findings: b.Entries}
	if doc.Findings == nil {
		doc.Findings = []Entry{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic(err) // strings and integers always encode
	}
	// The messages quote the tree: what a terminal or a CI runner would
	// obey (DEL, C1 and bidirectional controls, "##[") is written as \u
	// escapes, which JSON reads back as the same text.
	return []byte(textutil.EscapeLog(buf.String(), func(r rune) string { return fmt.Sprintf(`\u%04x`, r) }))
}

// Write writes the baseline to its Path, atomically: a temporary file in
// the same directory, renamed over the file.
func (b *Baseline) Write() error {
	dir := filepath.Dir(b.Path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(b.Path)+".nginxlint-*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write the baseline %s: %v", b.Path, pathErr(err))
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()           //nolint:errcheck // already failing; the file is removed
			os.Remove(tmp.Name()) //nolint:errcheck // best effort
		}
	}()
	if _, err := tmp.Write(b.Marshal()); err != nil {
		return fmt.Errorf("cannot write the baseline %s: %v", b.Path, pathErr(err))
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("cannot write the baseline %s: %v", b.Path, pathErr(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write the baseline %s: %v", b.Path, pathErr(err))
	}
	if err := os.Rename(tmp.Name(), b.Path); err != nil {
		return fmt.Errorf("cannot write the baseline %s: %v", b.Path, pathErr(err))
	}
	done = true
	return nil
}

// maxSize bounds the baseline file nginxlint reads.
const maxSize = 64 << 20

var hexFP = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ErrNotFound is the error Read wraps when the file is not there.
var ErrNotFound = errors.New("not found")

// Read reads and checks the baseline file at path. A file that is not
// there gives an error wrapping ErrNotFound; problems in the file a
// poserr.List with their positions.
func Read(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("baseline %s %w: write it first with nginxlint baseline write %s PATH", path, ErrNotFound, path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline %s: %v", path, pathErr(err))
	}
	defer f.Close() //nolint:errcheck // read-only
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("cannot read the baseline %s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline %s: %v", path, pathErr(err))
	}
	if len(data) > maxSize {
		return nil, fmt.Errorf("cannot read the baseline %s: larger than %d MiB", path, maxSize>>20)
	}
	return parse(path, data)
}

func parse(path string, data []byte) (*Baseline, error) {
	b, err := empty(path)
	if err != nil {
		return nil, err
	}
	at := func(off int64) poserr.Position {
		off = min(max(off, 0), int64(len(data)))
		line := 1 + bytes.Count(data[:off], []byte{'\n'})
		col := int(off) - bytes.LastIndexByte(data[:off], '\n')
		return poserr.Position{File: path, Line: line, Col: col}
	}
	fail := func(off int64, format string, args ...any) error {
		return poserr.List{{Pos: at(off), Msg: fmt.Sprintf(format, args...)}}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		// The offsets are just past the offending byte or value.
		case errors.As(err, &se):
			return nil, fail(se.Offset-1, "not a baseline (invalid JSON: %v); write it again with nginxlint baseline write %s PATH", se, path)
		case errors.As(err, &te):
			return nil, fail(te.Offset-1, "%s must be %s, not %s", te.Field, jsonType(te.Type.Kind().String()), te.Value)
		case errors.Is(err, io.EOF):
			return nil, fail(0, "empty file: not a baseline; write it with nginxlint baseline write %s PATH", path)
		}
		off := dec.InputOffset()
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			// At the key, which the decoder has read past.
			if i := bytes.LastIndex(data[:off], []byte(name)); i >= 0 {
				off = int64(i)
			}
			return nil, fail(off, "unknown key %s; a baseline holds version and findings (file, rule, message, fingerprint, count)", name)
		}
		return nil, fail(off, "not a baseline: %v", err)
	}
	if doc.Version != Version {
		if doc.Version > Version {
			return nil, fail(0, "version %d is newer than this nginxlint reads (%d): upgrade nginxlint, or write the baseline again with this one", doc.Version, Version)
		}
		return nil, fail(0, "version %d: not a baseline this nginxlint reads (version %d); write it again with nginxlint baseline write %s PATH", doc.Version, Version, path)
	}
	var errs poserr.List
	for i, e := range doc.Findings {
		where := poserr.Position{File: path}
		if !hexFP.MatchString(e.Fingerprint) {
			errs.Add(where, fmt.Sprintf("findings[%d]: fingerprint %q is not 32 hexadecimal digits; write the baseline again", i, e.Fingerprint))
		}
		if e.Count < 1 {
			errs.Add(where, fmt.Sprintf("findings[%d]: count %d must be 1 or more", i, e.Count))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	b.Entries = doc.Findings
	return b, nil
}

func jsonType(kind string) string {
	switch kind {
	case "int":
		return "a number"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct":
		return "an object"
	}
	return kind
}

// Filter returns the findings of ds the baseline does not hold, in
// their order, and how many it hid. Each entry hides as many findings of
// its fingerprint as its count, the first ones in order; a finding for
// which never returns true (one saying nginx refuses the tree) is never
// hidden. Unmatched are the entries (with the count left) that hid fewer
// findings than they hold: findings fixed since, or in files not linted
// this time.
func (b *Baseline) Filter(ds []lint.Diagnostic, never func(*lint.Diagnostic) bool) (shown []lint.Diagnostic, hidden int, unmatched []Entry) {
	left := map[string]int{}
	for _, e := range b.Entries {
		left[e.Fingerprint] += e.Count
	}
	h := b.hasher()
	shown = make([]lint.Diagnostic, 0, len(ds))
	for i := range ds {
		d := &ds[i]
		if never == nil || !never(d) {
			if fp := h.Of(*d); left[fp] > 0 {
				left[fp]--
				hidden++
				continue
			}
		}
		shown = append(shown, *d)
	}
	for _, e := range b.Entries {
		if n := left[e.Fingerprint]; n > 0 {
			e.Count = min(n, e.Count)
			left[e.Fingerprint] -= e.Count
			unmatched = append(unmatched, e)
		}
	}
	return shown, hidden, unmatched
}

// pathErr strips the path of an *os.PathError: messages name the file.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
