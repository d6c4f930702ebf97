package syntax

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// Reasons a path cannot be used.
var (
	errOutside    = errors.New("outside the tree")
	errLoop       = errors.New("too many levels of symbolic links")
	errIsDir      = errors.New("is a directory")
	errNotRegular = errors.New("is not a regular file")
	errTooBig     = fmt.Errorf("larger than the %s limit", sizeText(MaxFileSize))
)

// MaxFileSize is the largest configuration file nginxlint reads.
const MaxFileSize = 64 << 20

// MaxDumpSize is the largest nginx -T dump nginxlint reads from standard
// input, unless Options.MaxDumpSize says otherwise.
const MaxDumpSize = 1 << 30

// maxLinks is how many symbolic links the kernel follows in one path
// (Linux's MAXSYMLINKS) before it fails with ELOOP.
const maxLinks = 40

// source is where the loader reads files from. Paths are virtual: the
// absolute paths nginx would use (under the prefix), as nginx writes them
// (not cleaned: "a/../b" is resolved as the kernel resolves it).
type source interface {
	// canonical follows symbolic links in v and returns the virtual path of
	// the file itself. It fails with fs.ErrNotExist (as a *missingError),
	// errOutside, errLoop, or a permission or other read error.
	canonical(v string) (string, error)
	// glob expands a pattern as glob(3) does (dotfiles only by an explicit
	// dot), sorted bytewise as nginx reads them. errs are the paths that
	// could not be looked at: a directory that cannot be read (a read
	// failure), a link that leaves the tree. A directory that does not
	// exist, or is not one, matches nothing, as for glob(3).
	glob(pattern string) (matches []string, errs []resolveError)
	// read returns the content of the canonical path c.
	read(c string) (string, error)
	// names returns the display name and the on-disk path of c.
	names(c string) (name, diskPath string)
}

// missingError is the error of a path that does not exist. virtual is the
// path the kernel would have looked for, links followed as far as they
// exist: where a package file would be (see stockSource).
type missingError struct {
	virtual string
	err     error
}

func (e *missingError) Error() string { return e.err.Error() }
func (e *missingError) Unwrap() error { return e.err }

// dirSource reads a directory that stands for the prefix. Nothing outside
// root is ever opened: absolute paths and symbolic links are interpreted in
// the virtual namespace and refused when they leave it.
type dirSource struct {
	prefix  string // virtual directory root stands for, e.g. /etc/nginx
	root    string // real directory
	display string // how the user named root

	// dirs holds the virtual paths canonical found to be directories and
	// not symbolic links: a tree of many files in few directories would
	// otherwise look at each directory again for every file in it. One
	// load reads a tree once, so what it holds stays true for the load.
	dirs sync.Map // string -> struct{}
	// paths holds what canonical returned, by the path it was given:
	// the loader resolves a file when an include names it, and the
	// workspace again when it looks for the files no include reached.
	paths sync.Map // string -> string
	// stats holds what canonical found of the regular files it resolved,
	// by canonical path, until read takes it: the file is not asked
	// about twice.
	stats sync.Map // string -> fs.FileInfo
}

func within(v, dir string) bool {
	return v == dir || strings.HasPrefix(v, dir+"/") || dir == "/"
}

// above reports whether v is a directory that holds dir: one of the
// prefix's parents, which a path may pass through ("/etc/nginx/../nginx").
func above(v, dir string) bool {
	return v != dir && (v == "/" || strings.HasPrefix(dir, v+"/"))
}

func (s *dirSource) real(v string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(v, s.prefix), "/")
	return filepath.Join(s.root, filepath.FromSlash(rel))
}

func (s *dirSource) names(c string) (string, string) {
	rel := strings.TrimPrefix(strings.TrimPrefix(c, s.prefix), "/")
	return filepath.Join(s.display, filepath.FromSlash(rel)), s.real(c)
}

// canonical resolves v as the kernel does, one component at a time: a
// symbolic link is followed where it stands, so "link/../x.conf" is x.conf
// beside the link's target, not beside the link. The parents of the prefix
// are taken as they are written, and never opened; a path that reaches any
// other directory outside the prefix is refused.
func (s *dirSource) canonical(v string) (string, error) {
	if c, ok := s.paths.Load(v); ok {
		return c.(string), nil
	}
	c, err := s.resolve(v)
	if err == nil {
		s.paths.Store(v, c)
	}
	return c, err
}

// resolve is canonical, without its memory.
func (s *dirSource) resolve(v string) (string, error) {
	rest := strings.Split(v, "/")
	if path.IsAbs(v) {
		rest = rest[1:]
	}
	cur := "/"
	hops := 0
	// The links being followed, innermost last, each with the number of
	// components left once its target's are used up: a path that leaves
	// the tree while a target's components are read is the link's doing.
	type link struct {
		at, target string
		end        int
	}
	var links []link
	outside := func() error {
		for len(links) > 0 && len(rest) < links[len(links)-1].end {
			links = links[:len(links)-1]
		}
		if len(links) == 0 {
			return errOutside
		}
		l := links[len(links)-1]
		return fmt.Errorf("%w: %s is a symbolic link to %s", errOutside, l.at, l.target)
	}
	for len(rest) > 0 {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			// cur holds no link: its parent is the text before it.
			cur = path.Dir(cur)
			continue
		}
		next := path.Join(cur, c)
		if next == s.prefix || above(next, s.prefix) {
			cur = next // the root, or a parent of it: never opened
			continue
		}
		if !within(next, s.prefix) {
			return "", outside()
		}
		if _, ok := s.dirs.Load(next); ok {
			cur = next
			continue
		}
		disk := s.real(next)
		fi, err := os.Lstat(disk)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", &missingError{virtual: path.Join(append([]string{next}, rest...)...), err: err}
			}
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			switch {
			case fi.IsDir():
				s.dirs.Store(next, struct{}{})
			case len(rest) > 0:
				return "", &fs.PathError{Op: "open", Path: disk, Err: syscall.ENOTDIR}
			case fi.Mode().IsRegular():
				s.stats.Store(next, fi)
			}
			cur = next
			continue
		}
		if hops++; hops > maxLinks {
			return "", errLoop
		}
		target, err := os.Readlink(disk)
		if err != nil {
			return "", err
		}
		target = filepath.ToSlash(target)
		shown := target
		if !path.IsAbs(target) {
			shown = path.Join(cur, target)
		}
		links = append(links, link{at: next, target: shown, end: len(rest)})
		parts := strings.Split(target, "/")
		if path.IsAbs(target) {
			cur, parts = "/", parts[1:]
		}
		rest = append(parts, rest...)
	}
	if !within(cur, s.prefix) {
		return "", outside()
	}
	return cur, nil
}

func (s *dirSource) read(c string) (string, error) {
	// Stat first: opening a FIFO or a device could block or never end.
	var fi fs.FileInfo
	if v, ok := s.stats.LoadAndDelete(c); ok {
		fi = v.(fs.FileInfo) // what canonical found, links followed
	} else {
		var err error
		if fi, err = os.Stat(s.real(c)); err != nil {
			return "", err
		}
	}
	if fi.IsDir() {
		return "", errIsDir
	}
	if !fi.Mode().IsRegular() {
		return "", errNotRegular
	}
	f, err := OpenRead(s.real(c))
	if err != nil {
		return "", err
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	if fi.Size() > MaxFileSize {
		return "", errTooBig
	}
	return readText(f, fi.Size())
}

// readText reads r to its end; size is what the file's size said, a
// hint (the file may grow or shrink meanwhile). A read error is an error,
// never a shorter text: a file cut short must not pass for a whole one.
func readText(r io.Reader, size int64) (string, error) {
	buf := make([]byte, size+1)
	n := 0
	for {
		m, err := r.Read(buf[n:])
		n += m
		if n > MaxFileSize {
			return "", errTooBig
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		if n == len(buf) {
			buf = append(buf, make([]byte, len(buf))...)
		}
	}
	if n == 0 {
		return "", nil
	}
	// The buffer is never written again: share it instead of copying the
	// whole file into a new string.
	return unsafe.String(&buf[0], n), nil
}

// glob expands pattern as glob(3) does for nginx: a component with meta
// characters lists its directory; the matches keep the pattern's text
// ("a/./b/*.conf" gives "a/./b/x.conf"). Every directory on the way is
// resolved as the kernel resolves it (see canonical). A directory reached
// by several paths ("*/../*/") is followed further once, by the first:
// glob(3) follows each, which multiplies the paths at every step. The
// last step keeps them all: nginx includes the files once per path.
func (s *dirSource) glob(pattern string) ([]string, []resolveError) {
	comps := strings.Split(pattern, "/")
	paths := []string{comps[0]}
	var errs []resolveError
	// use leaves p out as glob(3) does when it does not exist, is not a
	// directory or loops, and records the other errors: nginxlint cannot
	// tell what nginx would find there.
	use := func(p string, err error) {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.ENAMETOOLONG) || errors.Is(err, errLoop) {
			return
		}
		errs = append(errs, resolveError{p, err})
	}
	listed := map[string][]string{} // by canonical directory
	for i := 1; i < len(comps); i++ {
		comp, last := comps[i], i == len(comps)-1
		var next []string
		from := map[string]bool{} // the directories listed, when not last
		seen := map[string]bool{} // the directories of next, when not last
		for _, d := range paths {
			if !hasMeta(comp) {
				p := d + "/" + comp
				if !last {
					next = append(next, p) // looked at with what follows
				} else if err := s.lexists(d, comp); err != nil {
					use(p, err)
				} else {
					next = append(next, p)
				}
				continue
			}
			dc, names, err := s.list(d, listed)
			if err != nil {
				use(d, err)
				continue
			}
			if !last {
				if from[dc] {
					continue // its directories are in next already
				}
				from[dc] = true
			}
			for _, name := range names {
				if !globMatch(comp, name) {
					continue
				}
				p := d + "/" + name
				if !last {
					// Only a directory leads further.
					c, err := s.canonical(p)
					if err != nil {
						use(p, err)
						continue
					}
					if fi, err := os.Stat(s.real(c)); err != nil {
						use(p, err)
						continue
					} else if !fi.IsDir() || seen[c] {
						continue
					}
					seen[c] = true
				}
				next = append(next, p)
			}
		}
		paths = next
	}
	sort.Strings(paths)
	return paths, errs
}

// list returns the canonical path of the directory d (a virtual path) and
// the names in it, as glob(3) reads them with readdir; listed keeps what
// was read, by canonical path.
func (s *dirSource) list(d string, listed map[string][]string) (string, []string, error) {
	if d == "" {
		d = "/"
	}
	c, err := s.canonical(d)
	if err != nil {
		return "", nil, err
	}
	if names, ok := listed[c]; ok {
		return c, names, nil
	}
	// Stat first, as read does: a pipe or a device is no directory to open.
	if fi, err := os.Stat(s.real(c)); err != nil {
		return "", nil, err
	} else if !fi.IsDir() {
		return "", nil, &fs.PathError{Op: "open", Path: s.real(c), Err: syscall.ENOTDIR}
	}
	entries, err := os.ReadDir(s.real(c))
	if err != nil {
		return "", nil, err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	listed[c] = names
	return c, names, nil
}

// lexists reports whether name exists in the directory d as glob(3) sees
// it for a last component without meta characters: with lstat, so a link
// that leads nowhere is still a match (nginx then fails to open it).
func (s *dirSource) lexists(d, name string) error {
	if d == "" {
		d = "/"
	}
	c, err := s.canonical(d)
	if err != nil {
		return err
	}
	fi, err := os.Stat(s.real(c))
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &fs.PathError{Op: "open", Path: s.real(c), Err: syscall.ENOTDIR}
	}
	if name == "" || name == "." || name == ".." {
		return nil // the directory itself, or its parent: resolved later
	}
	_, err = os.Lstat(s.real(path.Join(c, name)))
	return err
}

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

// globMatch matches one path component as glob(3) does: a leading dot must
// be matched explicitly.
func globMatch(pattern, name string) bool {
	if strings.HasPrefix(name, ".") && !strings.HasPrefix(pattern, ".") {
		return false
	}
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

// globName matches a whole path against a pattern, component by
// component as glob(3) builds its matches: the pattern's text where it
// has no meta characters, a matching name where it has.
func globName(pattern, name string) bool {
	for {
		pc, prest, pmore := strings.Cut(pattern, "/")
		nc, nrest, nmore := strings.Cut(name, "/")
		if pmore != nmore {
			return false
		}
		if pc != nc && !(hasMeta(pc) && globMatch(pc, nc)) {
			return false
		}
		if !pmore {
			return true
		}
		pattern, name = prest, nrest
	}
}

// dumpSource serves files held in memory: those of an nginx -T dump, or
// a tree given as Options.Files.
type dumpSource struct {
	files map[string]string
	// confine, when set, is the prefix paths must stay under, as for a
	// directory; a dump holds exactly what nginx read, wherever it was.
	confine string
	// literal is set for a dump: a file is known by the name nginx gave
	// it, exactly ("/etc/nginx/a/../b.conf" is not "/etc/nginx/b.conf":
	// a is perhaps a link), and index finds the matches of a pattern.
	literal bool
	index   *nameIndex // the names glob matches
	// dirs are the directories that hold the files of a tree in memory
	// (not of a dump): an include names them as it names directories
	// on disk.
	dirs map[string]bool
	// relative is set when files are shown by their path relative to
	// confine, as the files of a directory are.
	relative bool
}

// newMemSource serves files held in memory, by virtual path; the
// directories that hold them exist too.
func newMemSource(files map[string]string) *dumpSource {
	s := &dumpSource{files: map[string]string{}, dirs: map[string]bool{}}
	var paths []string
	for p, text := range files {
		p = path.Clean(p)
		s.files[p] = text
		paths = append(paths, p)
		for d := path.Dir(p); d != "/" && d != "." && !s.dirs[d]; d = path.Dir(d) {
			s.dirs[d] = true
			paths = append(paths, d)
		}
	}
	s.index = newNameIndex(paths) // what glob matches, as glob(3) matches directories too
	return s
}

func (s *dumpSource) canonical(v string) (string, error) {
	if !s.literal {
		v = path.Clean(v)
	}
	if s.confine != "" && !within(v, s.confine) {
		return "", errOutside
	}
	if _, ok := s.files[v]; ok || s.dirs[v] {
		return v, nil
	}
	return "", &missingError{virtual: path.Clean(v), err: fs.ErrNotExist}
}

func (s *dumpSource) read(c string) (string, error) {
	if s.dirs[c] {
		return "", errIsDir
	}
	text := s.files[c]
	if len(text) > MaxFileSize {
		return "", errTooBig
	}
	return text, nil
}

func (s *dumpSource) names(c string) (string, string) {
	if s.relative {
		if rel, ok := strings.CutPrefix(c, s.confine+"/"); ok {
			return rel, ""
		}
	}
	return c, ""
}

func (s *dumpSource) glob(pattern string) ([]string, []resolveError) {
	if s.literal {
		out, _ := s.index.match(pattern, nil)
		return out, nil
	}
	pattern = path.Clean(pattern)
	if s.confine != "" && !within(pattern, s.confine) {
		return nil, []resolveError{{pattern, errOutside}}
	}
	out, _ := s.index.match(pattern, nil)
	return out, nil
}

// nameIndex finds, among a set of file names, those a glob pattern
// matches, without comparing the pattern with every name when only its
// last component has meta characters.
type nameIndex struct {
	all   []string            // sorted
	byDir map[string][]string // by the text before the last "/", sorted
	set   map[string]bool
}

func newNameIndex(names []string) *nameIndex {
	x := &nameIndex{byDir: map[string][]string{}, set: map[string]bool{}}
	for _, n := range names {
		if !x.set[n] {
			x.set[n] = true
			x.all = append(x.all, n)
		}
	}
	sort.Strings(x.all)
	for _, n := range x.all {
		dir := n[:max(strings.LastIndexByte(n, '/'), 0)]
		x.byDir[dir] = append(x.byDir[dir], n)
	}
	return x
}

// match returns the names pattern matches, sorted. work, when not nil,
// counts the names compared and stops the search past maxDumpMatchWork.
func (x *nameIndex) match(pattern string, work *int) ([]string, bool) {
	cands := x.all
	if i := strings.LastIndexByte(pattern, '/'); i < 0 || !hasMeta(pattern[:i]) {
		cands = x.byDir[pattern[:max(i, 0)]]
	}
	if work != nil {
		if *work += len(cands); *work > maxDumpMatchWork {
			return nil, false
		}
	}
	var out []string
	for _, n := range cands {
		if globName(pattern, n) {
			out = append(out, n)
		}
	}
	return out, true
}

// The output of nginx -T (main in src/core/nginx.c): for each file nginx
// read, once each (ngx_conf_add_dump), in the order it first read them,
// the line
//
//	# configuration file PATH:
//
// then the file's bytes as they are, then a newline. PATH is the name
// nginx opened: the main file's directory and the include's argument, or
// what glob(3) made of it, not cleaned. nginx reads a file's includes as
// it meets them, so after a file come the files its first include pulls
// in (and theirs), then those of its second ...: the order of a
// depth-first walk of the includes.
const dumpMarker = "# configuration file "

// maxDumpMatchWork bounds the comparisons of include patterns with the
// names of a dump's files, which an input of comments and includes made
// for it could otherwise make quadratic.
const maxDumpMatchWork = 1 << 22

// dumpHeader is a line of a dump that looks like a section header.
type dumpHeader struct {
	at, end int // the line's first byte, and the byte after its newline
	name    string
	crlf    bool // the line ends with "\r\n"
}

// dumpHeaderAt reads the line at data[at:] as a section header. A header
// ends with ":\n", as nginx writes it, or with ":\r\n" in a dump whose
// line ends were all made CRLF since (crlf, which the first header
// says): a line that ends otherwise than the first header is a comment.
func dumpHeaderAt(data string, at int, crlf bool) (dumpHeader, bool) {
	if at > 0 && data[at-1] != '\n' || !strings.HasPrefix(data[at:], dumpMarker) {
		return dumpHeader{}, false
	}
	nl := strings.IndexByte(data[at:], '\n')
	if nl < 0 {
		return dumpHeader{}, false // nginx ends the line with a newline
	}
	line := data[at+len(dumpMarker) : at+nl]
	cr := strings.HasSuffix(line, "\r")
	name, ok := strings.CutSuffix(strings.TrimSuffix(line, "\r"), ":")
	return dumpHeader{at: at, end: at + nl + 1, name: name, crlf: cr}, ok && name != "" && cr == crlf
}

// parseDump splits the output of nginx -T into its files, by the name
// nginx gave each, and returns them in the dump's order. A line that looks
// like a header starts a file only where nginx writes one: between two
// statements outside any block (not in a string, a block or the middle of
// a directive: nginx read the file before it whole), after at least the
// newline nginx writes after each file, and naming the file nginx reads
// next, as the includes read so far say. Anywhere else it is a comment
// line of the file it stands in. A file named twice is an error: nginx
// writes each file once.
//
// The format leaves one thing open: a comment line that names the very
// file nginx would read next cannot be told from the header of that file.
// The text is read either way, in the place nginx would read it.
func parseDump(data string, g Grammar) (*dumpSource, []string, error) {
	// The first header: what comes before it is not nginx's dump (its
	// messages, when 2>&1 sent them along).
	first, ok := dumpHeader{}, false
	for at := 0; at < len(data) && !ok; {
		if first, ok = dumpHeaderAt(data, at, false); !ok {
			first, ok = dumpHeaderAt(data, at, true)
		}
		if !ok {
			nl := strings.IndexByte(data[at:], '\n')
			if nl < 0 {
				break
			}
			at += nl + 1
		}
	}
	if !ok {
		return nil, nil, errors.New(`no "# configuration file PATH:" section found; expected the output of nginx -T`)
	}
	// Then the header lines that stand where a file can end: their names
	// are the files the dump may hold.
	last := map[string]int{first.name: first.at}
	names := []string{first.name}
	err := scanDump(data, g, first.end, first.crlf, func(h dumpHeader) error {
		if _, seen := last[h.name]; !seen {
			if len(names) == MaxFiles {
				return fmt.Errorf("more than %d files; nginxlint reads at most %d", MaxFiles, MaxFiles)
			}
			names = append(names, h.name)
		}
		last[h.name] = h.at
		return nil
	}, nil)
	if err != nil {
		return nil, nil, err
	}
	sp := &dumpSplit{data: data, crlf: first.crlf, index: newNameIndex(names), last: last, base: first.name[:strings.LastIndexByte(first.name, '/')+1],
		files: map[string]string{}, at: map[string]int{}, exps: map[string]*dumpExpansion{}}
	sp.open(first)
	if err := scanDump(data, g, first.end, first.crlf, sp.header, sp.include); err != nil {
		return nil, nil, err
	}
	sp.close(len(data) + 1)
	return &dumpSource{files: sp.files, literal: true, index: newNameIndex(sp.order)}, sp.order, nil
}

// scanDump reads the dump from offset start as nginx reads one file, and
// calls onHeader for each header line that stands between statements
// outside any block, where the file before it may end, and onInclude for
// each include directive (with one argument, outside Lua code, as Parse
// reads them). Where a file does end, nginx read it whole: the next one
// starts as if at the top of a file, so one reading serves them all.
func scanDump(data string, g Grammar, start int, crlf bool, onHeader func(dumpHeader) error, onInclude func(arg string) error) error {
	p := &parser{f: &File{Src: data}, g: grammarOrNone(g), src: data, pos: start}
	depth := 0
	for {
		p.f.Comments, p.errs = p.f.Comments[:0], p.errs[:0]
		kind, at := p.readStatement()
		if depth == 0 {
			for _, c := range p.f.Comments {
				if p.hasName && c.Start > p.name.start {
					break // inside the statement
				}
				if h, ok := dumpHeaderAt(data, int(c.Start), crlf); ok {
					if err := onHeader(h); err != nil {
						return err
					}
				}
			}
		}
		switch kind {
		case stmtEnd, stmtCut:
			if onInclude != nil && depth <= MaxDepth && p.argc == 1 && p.stmtName() == "include" {
				w, _ := scanWord(data, skipBlank(data, int(p.name.end)))
				if err := onInclude(w.value(data)); err != nil {
					return err
				}
			}
			if kind == stmtCut {
				// As Parse: a "}" after words closes the enclosing block
				// next, and closes nothing at the top.
				p.pos = at + 1
				if depth > 0 {
					p.pos = at
				}
			}
		case stmtBlock:
			if depth < MaxDepth && p.nwords() > 0 && p.g.LuaBlock(p.stmtName()) {
				p.f.blocks = append(p.f.blocks[:0], block{lbrace: int32(at), rbrace: -1})
				p.readLua(&node{}, p.stmtName())
				continue
			}
			depth++
		case stmtBlockDone:
			depth = max(depth-1, 0)
		case stmtEOF, stmtBadEOF:
			return nil
		}
	}
}

// dumpSplit is the state of parseDump: the files found so far, and the
// walk of their includes that says which file nginx reads next.
type dumpSplit struct {
	data  string
	crlf  bool   // the dump's line ends were made CRLF (see dumpHeaderAt)
	base  string // the main file's directory, as nginx joins a relative include to it
	index *nameIndex
	last  map[string]int // where the last header line naming each file stands
	work  int

	files map[string]string
	order []string
	at    map[string]int // where each file's header stands
	cur   string         // the file being read
	start int            // where its text starts

	// The walk: one frame per file being read, the current one last,
	// each with the expansions of its includes so far.
	stack []*dumpFrame
	exps  map[string]*dumpExpansion
	// next is the file nginx reads next, as far as the walk knows ("":
	// none), and the frame whose includes name it; the frames above it
	// have none left.
	next      string
	nextFrame int
}

type dumpFrame struct {
	incs []*dumpExpansion
	cur  int // incs[:cur] are used up
}

// dumpExpansion is what one include pattern names among the dump's
// files, in the order nginx reads them. names[:done] are used up: read,
// or with no header line left to start them.
type dumpExpansion struct {
	names []string
	done  int
}

// first returns the first name of f's includes that is not read and has
// a header line at or after offset at, using up those before it.
func (f *dumpFrame) first(sp *dumpSplit, at int) string {
	for ; f.cur < len(f.incs); f.cur++ {
		e := f.incs[f.cur]
		for ; e.done < len(e.names); e.done++ {
			n := e.names[e.done]
			if _, read := sp.at[n]; !read && sp.last[n] >= at {
				return n
			}
		}
	}
	return ""
}

// seek finds the file nginx reads next, from the frame of the last one
// found down.
func (sp *dumpSplit) seek(at int) {
	for k := min(sp.nextFrame, len(sp.stack)-1); k >= 0; k-- {
		if n := sp.stack[k].first(sp, at); n != "" {
			sp.next, sp.nextFrame = n, k
			return
		}
	}
	sp.next, sp.nextFrame = "", -1
}

func (sp *dumpSplit) open(h dumpHeader) {
	sp.cur, sp.start = h.name, h.end
	sp.order = append(sp.order, h.name)
	sp.at[h.name] = h.at
	sp.stack = append(sp.stack, &dumpFrame{})
	sp.nextFrame = len(sp.stack) - 1
	sp.seek(h.at)
}

// close ends the current file where the header at offset at starts (past
// the end of data for the last one), less the newline nginx added.
func (sp *dumpSplit) close(at int) {
	text := sp.data[sp.start:min(at, len(sp.data))]
	if sp.crlf {
		sp.files[sp.cur] = strings.TrimSuffix(text, "\r\n")
		return
	}
	sp.files[sp.cur] = strings.TrimSuffix(text, "\n")
}

// include records an include directive of the current file.
func (sp *dumpSplit) include(arg string) error {
	full := arg
	if !path.IsAbs(full) {
		full = sp.base + arg
	}
	e, ok := sp.exps[full]
	if !ok {
		e = &dumpExpansion{}
		if !hasMeta(full) {
			if sp.index.set[full] {
				e.names = []string{full}
			}
		} else if e.names, ok = sp.index.match(full, &sp.work); !ok {
			return fmt.Errorf("its include patterns are too many to match against its %d file names (more than %d comparisons); lint the tree's directory instead", len(sp.index.all), maxDumpMatchWork)
		}
		sp.exps[full] = e
	}
	if e.done == len(e.names) {
		return nil
	}
	top := len(sp.stack) - 1
	sp.stack[top].incs = append(sp.stack[top].incs, e)
	if sp.nextFrame < top {
		// The current file named nothing to come so far: this comes
		// before what its parents name.
		if n := sp.stack[top].first(sp, sp.start); n != "" {
			sp.next, sp.nextFrame = n, top
		}
	}
	return nil
}

// header decides whether the header line h, which stands between
// statements outside any block, starts a file: whether it names the file
// nginx reads next. That is the first name, walking the includes read so
// far from the current file's down to the main file's, that is not read
// yet and has a header line still to come; a name with none left is a
// file that does not exist.
func (sp *dumpSplit) header(h dumpHeader) error {
	if h.at == sp.start {
		return nil // nginx writes at least a newline after each file
	}
	if first, ok := sp.at[h.name]; ok {
		line := func(at int) int { return strings.Count(sp.data[:at], "\n") + 1 }
		return fmt.Errorf("lines %d and %d both start a file named %s, but nginx -T writes each file once: one of them is a comment line that looks like a section header, and nginxlint cannot tell which; lint the tree's directory instead",
			line(first), line(h.at), h.name)
	}
	if sp.next != "" && sp.last[sp.next] < h.at {
		sp.seek(h.at) // no header line left for it: it does not exist
	}
	if sp.next != h.name {
		return nil // a comment
	}
	f := sp.stack[sp.nextFrame]
	f.incs[f.cur].done++
	sp.stack = sp.stack[:sp.nextFrame+1]
	sp.close(h.at)
	sp.open(h)
	return nil
}

// stockSource serves the files the nginx package installs where the tree
// lacks them (Options.Stock): a literal path that does not exist under
// the prefix and names such a file reads the package's content.
type stockSource struct {
	source
	prefix string
	stock  func(rel string) (string, bool)
}

func (s *stockSource) rel(v string) (string, bool) {
	if !strings.HasPrefix(v, s.prefix+"/") {
		return "", false
	}
	rel := strings.TrimPrefix(v, s.prefix+"/")
	_, ok := s.stock(rel)
	return rel, ok
}

func (s *stockSource) canonical(v string) (string, error) {
	c, err := s.source.canonical(v)
	if me := (*missingError)(nil); errors.As(err, &me) {
		// The file the kernel would look for, links followed.
		if _, ok := s.rel(me.virtual); ok {
			return me.virtual, nil
		}
	}
	return c, err
}

// served reports whether the canonical path c is a package file the
// tree lacks.
func (s *stockSource) served(c string) bool {
	if _, ok := s.rel(c); !ok {
		return false
	}
	_, err := s.source.canonical(c)
	return err != nil
}

func (s *stockSource) read(c string) (string, error) {
	if s.served(c) {
		text, _ := s.stock(strings.TrimPrefix(c, s.prefix+"/"))
		return text, nil
	}
	return s.source.read(c)
}

func (s *stockSource) names(c string) (string, string) {
	if s.served(c) {
		return c, "" // not in the tree: no file to show or to fix
	}
	return s.source.names(c)
}
