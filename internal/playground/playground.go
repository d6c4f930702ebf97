// Package playground lints a configuration tree held in memory, as the
// command lints the same files on disk: the engine of the playground
// page, where nginxlint runs in the browser (cmd/nginxlint-wasm). Its
// input and output are plain values that encode to JSON.
//
// The tree is the command's default one: its files stand for /etc/nginx,
// nginx.conf is the main file, backends.toml beside it the manifest,
// the package files Debian installs are assumed where the tree lacks
// them, and every file nginx.conf does not reach is linted as a fragment.
// The findings, their positions and their fixes are those of
// "nginxlint --format json ." run in the tree's directory.
package playground

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/ruledoc"
	"github.com/nginxlint/nginxlint/lint/stock"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/lint/workspace"
	"github.com/nginxlint/nginxlint/manifest"
)

const (
	// Prefix is the directory the tree stands for (the command's
	// --prefix default).
	Prefix = "/etc/nginx"
	// MainFile is the tree's main file.
	MainFile = "nginx.conf"
	// ManifestFile is the file of the tree that holds the backend
	// manifest, as the command finds it without --manifest.
	ManifestFile = manifest.DefaultName
	// MaxInput is the most bytes of files one lint reads in all (the
	// command's --max-read default); each file is limited to
	// syntax.MaxFileSize, and their number to syntax.MaxFiles.
	MaxInput = syntax.MaxRead
)

// Input is a tree to lint.
type Input struct {
	// Files are the tree's files by their slash path relative to the
	// tree's directory: MainFile, conf.d/app.conf ..., and ManifestFile
	// when the tree has a manifest.
	Files map[string]string `json:"files"`
	// NginxVersion is the nginx version the tree runs on ("1.22.1");
	// empty: the manifest's [nginx] version, else the newest the
	// directive table covers (--nginx-version).
	NginxVersion string `json:"nginx_version,omitempty"`
	// Stock is the nginx package the host has (--stock): "debian" when
	// empty, "nginx.org", "alpine" or "none".
	Stock string `json:"stock,omitempty"`
}

// Result is what a lint found.
type Result struct {
	// Findings are sorted by file and position, as the command prints
	// them.
	Findings []Finding `json:"findings"`
	// Errors are why the result is incomplete or was not computed: an
	// invalid manifest (then the rules that need it did not run), an
	// invalid version, a file that could not be read. The command exits
	// with status 2 on them.
	Errors []Problem `json:"errors,omitempty"`
	// Manifest reports whether the rules checked the tree against a
	// manifest.
	Manifest bool `json:"manifest"`
	// NginxVersion is the version the rules took; empty when none was
	// given (the newest the directive table covers).
	NginxVersion string `json:"nginx_version,omitempty"`
	// Files counts the configuration files read, Reached those nginx.conf
	// loads, Fragments those linted on their own.
	Files     int `json:"files"`
	Reached   int `json:"reached"`
	Fragments int `json:"fragments"`
}

// Range is a span of a file. Line and Column start at 1 and count bytes,
// as the command prints them; EndLine and EndColumn point just past the
// span's last byte. From and To are the same span in UTF-16 code units
// from the start of the file, as a browser counts a text's characters.
type Range struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	From      int    `json:"from"`
	To        int    `json:"to"`
}

// Finding is one finding, with its fixes and the other places it is
// about.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Range
	Message string    `json:"message"`
	Title   string    `json:"title,omitempty"` // the rule's one-line summary
	URL     string    `json:"url"`             // the rule's documentation
	Fixes   []Fix     `json:"fixes,omitempty"`
	Related []Related `json:"related,omitempty"`
}

// Fix is a set of edits that resolves a finding; the first fix of a
// finding is the one "nginxlint --fix" applies.
type Fix struct {
	Message string `json:"message"`
	Edits   []Edit `json:"edits"`
}

// Edit replaces the span Range with NewText.
type Edit struct {
	Range
	NewText string `json:"new_text"`
}

// Related is another place a finding is about.
type Related struct {
	Range
	Message string `json:"message"`
}

// Problem is an error of the run, at its place when it has one.
type Problem struct {
	Message string `json:"message"`
	*Range
}

// run is one lint: the findings as the driver made them, with the files
// they point into.
type run struct {
	diags  []lint.Diagnostic
	errors []Problem
	res    Result
	// incomplete is set when the command would exit with status 2 (an
	// invalid manifest, a file it could not read): --fix writes nothing
	// then.
	incomplete bool
}

// Lint lints the tree in with rules (the command passes rules.All()).
// It never fails: what stops a lint is in Result.Errors.
func Lint(rules []*lint.Rule, in Input) *Result {
	r := lintInput(rules, in)
	res := r.res
	res.Errors = r.errors
	res.Findings = make([]Finding, 0, len(r.diags))
	titles := map[string]string{}
	for _, rule := range rules {
		titles[rule.ID] = rule.Title
	}
	conv := &converter{}
	for _, d := range r.diags {
		f := Finding{
			Rule:     d.Rule,
			Severity: d.Severity.String(),
			Range:    conv.rangeOf(d.File, d.Start, d.End),
			Message:  shown(d.Message),
			Title:    titles[d.Rule],
			URL:      ruledoc.URL(d.Rule),
		}
		for _, fx := range d.Fixes {
			out := Fix{Message: shown(fx.Message)}
			for _, e := range fx.Edits {
				out.Edits = append(out.Edits, Edit{Range: conv.rangeOf(e.File, e.Start, e.End), NewText: e.NewText})
			}
			f.Fixes = append(f.Fixes, out)
		}
		for _, rel := range d.Related {
			f.Related = append(f.Related, Related{Range: conv.rangeOf(rel.File, rel.Start, rel.End), Message: shown(rel.Message)})
		}
		res.Findings = append(res.Findings, f)
	}
	return &res
}

// shown is text of a finding as the command's text output shows it:
// what a terminal would obey (control characters, bidirectional
// controls) replaced, one character for one.
func shown(s string) string { return textutil.LogSafe(s, false) }

// lintInput lints in as the command lints the same files on disk.
func lintInput(rules []*lint.Rule, in Input) (r *run) {
	r = &run{}
	defer func() {
		if p := recover(); p != nil {
			*r = run{incomplete: true, errors: []Problem{{Message: fmt.Sprintf("nginxlint failed on this input (%v); please report it with the configuration that triggers it", p)}}}
		}
	}()
	if err := checkInput(in); err != nil {
		r.errors = append(r.errors, Problem{Message: err.Error()})
		r.incomplete = true
		return r
	}
	set := in.Stock
	if set == "" {
		set = stock.Default
	}
	if !stock.Valid(set) {
		r.incomplete = true
		r.errors = append(r.errors, Problem{Message: fmt.Sprintf("unknown stock %q: use %s", set, strings.Join(stock.Sets(), ", "))})
		return r
	}

	// The manifest.
	var m *manifest.Manifest
	if text, ok := in.Files[ManifestFile]; ok {
		mm, err := manifest.Parse(ManifestFile, []byte(text))
		if err != nil {
			r.incomplete = true
			r.errors = append(r.errors, manifestProblems(text, err)...)
			r.errors = append(r.errors, Problem{Message: "the manifest " + ManifestFile + " is invalid: the rules that need it did not run"})
		} else {
			m = mm
		}
	}
	version := in.NginxVersion
	if version == "" && m != nil {
		version = m.Version
	}
	if version != "" {
		if _, ok := nginx.ParseVersion(version); !ok {
			r.incomplete = true
			r.errors = append(r.errors, Problem{Message: fmt.Sprintf("nginx version %q: write it as 1.22.1", version)})
			return r
		}
	}
	r.res.Manifest = m != nil
	r.res.NginxVersion = version

	// The apps' configurations the manifest links, read from the tree's
	// files: they are not nginx configuration.
	appFiles := map[string]bool{}
	apps := read.Load(".", m, func(p string) (*syntax.File, error) {
		rel := path.Clean(strings.ReplaceAll(p, "\\", "/"))
		if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
			return nil, fmt.Errorf("%w: %s", read.ErrOutside, p)
		}
		text, ok := in.Files[rel]
		if !ok || rel == ManifestFile {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		appFiles[rel] = true
		return &syntax.File{Name: rel, Src: text}, nil
	})
	if apps != nil {
		conv := &converter{}
		for _, p := range apps.Problems {
			pr := Problem{Message: shown(p.Msg)}
			if p.Span.File != nil && p.Span.File.Src != "" {
				rg := conv.rangeOf(p.Span.File, p.Span.Start, p.Span.End)
				pr.Range = &rg
			}
			r.errors = append(r.errors, pr)
		}
		r.incomplete = r.incomplete || len(apps.Unread) > 0
	}

	// The tree, read as the command reads its directory.
	ld, err := workspace.LoadFiles(in.Files, workspace.LoadOptions{Prefix: Prefix, Stock: set, Grammar: nginx.Grammar{}, Known: model.LooksLikeDirective, MaxRead: MaxInput})
	if err != nil {
		r.incomplete = true
		r.errors = append(r.errors, Problem{Message: shown(err.Error())})
		return r
	}
	for _, err := range ld.Errors {
		r.incomplete = true
		r.errors = append(r.errors, Problem{Message: shown(err.Error())})
	}
	r.res.Files, r.res.Reached, r.res.Fragments = ld.Read, ld.Reached, ld.Fragments

	cfg := driver.Config{Manifest: m, NginxVersion: version, Apps: apps}
	diags, err := ld.Lint(func(t *syntax.Tree) ([]lint.Diagnostic, error) {
		conv := &converter{}
		for _, p := range t.ReadErrors {
			rg := conv.rangeOf(p.File, p.Start, p.End)
			r.errors = append(r.errors, Problem{Message: shown(p.Msg), Range: &rg})
			r.incomplete = true
		}
		return driver.Run(t, rules, cfg)
	}, true)
	if err != nil {
		r.incomplete = true
		r.errors = append(r.errors, Problem{Message: err.Error() + "; please report it with the configuration that triggers it"})
		return r
	}
	r.diags = driver.Sort(diags)
	r.errors = uniqueProblems(r.errors)
	return r
}

// checkInput refuses what the command could not read: a name that is
// not a clean relative path inside the tree, too many files, too many
// bytes.
func checkInput(in Input) error {
	if len(in.Files) > syntax.MaxFiles {
		return fmt.Errorf("more than %d files; nginxlint stops reading here", syntax.MaxFiles)
	}
	var total int64
	for name, text := range in.Files {
		if err := checkName(name); err != nil {
			return err
		}
		if len(text) > syntax.MaxFileSize {
			return fmt.Errorf("%s: larger than the %d MiB limit", name, syntax.MaxFileSize>>20)
		}
		total += int64(len(text))
	}
	if total > MaxInput {
		return fmt.Errorf("the files hold more than the %d MiB nginxlint reads from a tree", MaxInput>>20)
	}
	return nil
}

// checkName reports why name cannot name a file of the tree, or nil.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("a file has no name")
	case !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\\"):
		return fmt.Errorf("%q: a file name may not hold NUL or backslashes", name)
	case path.IsAbs(name):
		return fmt.Errorf("%q: name a file relative to the tree's directory (%s)", name, Prefix)
	case path.Clean(name) != name || name == "." || name == ".." || strings.HasPrefix(name, "../"):
		return fmt.Errorf("%q: not a clean path inside the tree; write %q", name, path.Clean(name))
	}
	return nil
}

// manifestProblems turns the manifest's errors into problems at their
// places.
func manifestProblems(text string, err error) []Problem {
	var pl poserr.List
	if !errors.As(err, &pl) {
		return []Problem{{Message: shown(err.Error())}}
	}
	f := &syntax.File{Name: ManifestFile, Src: text}
	conv := &converter{}
	var out []Problem
	for _, e := range pl {
		p := Problem{Message: shown(e.Msg)}
		if e.Pos.Line > 0 {
			start := min(f.LineStart(e.Pos.Line)+max(e.Pos.Col, 1)-1, len(text))
			end := start
			for end < len(text) && text[end] != '\n' && text[end] != '\r' {
				end++
			}
			rg := conv.rangeOf(f, start, end)
			p.Range = &rg
		}
		out = append(out, p)
	}
	return out
}

// uniqueProblems drops repeated problems (a file read in several trees),
// keeping the first.
func uniqueProblems(ps []Problem) []Problem {
	type key struct {
		msg  string
		file string
		from int
	}
	seen := map[key]bool{}
	out := ps[:0]
	for _, p := range ps {
		k := key{msg: p.Message}
		if p.Range != nil {
			k.file, k.from = p.File, p.From
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// converter turns byte offsets into ranges.
type converter struct {
	ascii map[*syntax.File]bool
}

func (c *converter) rangeOf(f *syntax.File, start, end int) Range {
	if f == nil {
		return Range{}
	}
	s, e := f.Position(start), f.Position(end)
	return Range{File: f.Name, Line: s.Line, Column: s.Column, EndLine: e.Line, EndColumn: e.Column,
		From: c.utf16(f, s.Offset), To: c.utf16(f, e.Offset)}
}

// utf16 returns the number of UTF-16 code units in the first off bytes
// of f's text (an invalid byte counts as one, as a browser decodes it).
func (c *converter) utf16(f *syntax.File, off int) int {
	if c.ascii == nil {
		c.ascii = map[*syntax.File]bool{}
	}
	ascii, ok := c.ascii[f]
	if !ok {
		ascii = isASCII(f.Src)
		c.ascii[f] = ascii
	}
	if ascii {
		return off
	}
	n := 0
	for _, r := range f.Src[:off] {
		if k := utf16.RuneLen(r); k > 0 {
			n += k
		} else {
			n++
		}
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
