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

// source is where the loader reads files from. Paths are virtual: the
// absolute paths nginx would use (under the prefix).
type source interface {
	// canonical follows symbolic links in v and returns the virtual path of
	// the file itself. It fails with fs.ErrNotExist, errOutside, errLoop,
	// or a permission error.
	canonical(v string) (string, error)
	// glob expands a pattern as glob(3) does (dotfiles only by an explicit
	// dot), sorted bytewise as nginx reads them.
	glob(pattern string) ([]string, error)
	// read returns the content of the canonical path c.
	read(c string) (string, error)
	// names returns the display name and the on-disk path of c.
	names(c string) (name, diskPath string)
}

// dirSource reads a directory that stands for the prefix. Nothing outside
// root is ever opened: absolute paths and symbolic links are interpreted in
// the virtual namespace and refused when they leave it.
type dirSource struct {
	prefix  string // virtual directory root stands for, e.g. /etc/nginx
	root    string // real directory
	display string // how the user named root
}

func within(v, dir string) bool {
	return v == dir || strings.HasPrefix(v, dir+"/") || dir == "/"
}

func (s *dirSource) real(v string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(v, s.prefix), "/")
	return filepath.Join(s.root, filepath.FromSlash(rel))
}

func (s *dirSource) names(c string) (string, string) {
	rel := strings.TrimPrefix(strings.TrimPrefix(c, s.prefix), "/")
	return filepath.Join(s.display, filepath.FromSlash(rel)), s.real(c)
}

func (s *dirSource) canonical(v string) (string, error) {
	v = path.Clean(v)
	if !within(v, s.prefix) {
		return "", errOutside
	}
	rest := splitPath(strings.TrimPrefix(v, s.prefix))
	cur := s.prefix
	hops := 0
	for len(rest) > 0 {
		c := rest[0]
		rest = rest[1:]
		next := path.Join(cur, c)
		fi, err := os.Lstat(s.real(next))
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if hops++; hops > 40 {
			return "", errLoop
		}
		target, err := os.Readlink(s.real(next))
		if err != nil {
			return "", err
		}
		target = filepath.ToSlash(target)
		if !path.IsAbs(target) {
			target = path.Join(cur, target)
		}
		target = path.Clean(target)
		if !within(target, s.prefix) {
			return "", fmt.Errorf("%w: %s is a symbolic link to %s", errOutside, next, target)
		}
		rest = append(splitPath(strings.TrimPrefix(target, s.prefix)), rest...)
		cur = s.prefix
	}
	return cur, nil
}

func splitPath(p string) []string {
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

func (s *dirSource) read(c string) (string, error) {
	// Stat first: opening a FIFO or a device could block or never end.
	fi, err := os.Stat(s.real(c))
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		return "", errIsDir
	}
	if !fi.Mode().IsRegular() {
		return "", errNotRegular
	}
	f, err := os.Open(s.real(c))
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

func (s *dirSource) glob(pattern string) ([]string, error) {
	pattern = path.Clean(pattern)
	if !within(pattern, s.prefix) {
		return nil, errOutside
	}
	dirs := []string{s.prefix}
	comps := splitPath(strings.TrimPrefix(pattern, s.prefix))
	for i, comp := range comps {
		last := i == len(comps)-1
		var next []string
		for _, d := range dirs {
			if !hasMeta(comp) {
				p := path.Join(d, comp)
				if _, err := s.canonical(p); err == nil {
					next = append(next, p)
				}
				continue
			}
			cd, err := s.canonical(d)
			if err != nil {
				continue
			}
			entries, err := os.ReadDir(s.real(cd))
			if err != nil {
				if errors.Is(err, fs.ErrPermission) {
					return nil, err
				}
				continue
			}
			for _, e := range entries {
				if globMatch(comp, e.Name()) {
					p := path.Join(d, e.Name())
					if !last {
						if c, err := s.canonical(p); err != nil || !s.isDir(c) {
							continue
						}
					}
					next = append(next, p)
				}
			}
		}
		dirs = next
	}
	sort.Strings(dirs)
	return dirs, nil
}

func (s *dirSource) isDir(c string) bool {
	fi, err := os.Stat(s.real(c))
	return err == nil && fi.IsDir()
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

// dumpSource serves files held in memory: those of an nginx -T dump, or
// a tree given as Options.Files.
type dumpSource struct {
	files map[string]string
	paths []string // sorted
	// confine, when set, is the prefix paths must stay under, as for a
	// directory; a dump holds exactly what nginx read, wherever it was.
	confine string
}

// parseDump splits the output of nginx -T into its files. nginx writes
// "# configuration file PATH:" before each file and a newline after it.
func parseDump(data string) (*dumpSource, []string, error) {
	const marker = "# configuration file "
	s := &dumpSource{files: map[string]string{}}
	var order []string
	cur := ""
	var body strings.Builder
	flush := func() {
		if cur == "" {
			return
		}
		text := strings.TrimSuffix(body.String(), "\n")
		if _, dup := s.files[cur]; !dup {
			s.files[cur] = text
			order = append(order, cur)
		}
		body.Reset()
	}
	for len(data) > 0 {
		line := data
		if i := strings.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = ""
		}
		trimmed := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(trimmed, marker) && strings.HasSuffix(trimmed, ":") {
			flush()
			cur = path.Clean(strings.TrimSuffix(strings.TrimPrefix(trimmed, marker), ":"))
			continue
		}
		if cur != "" {
			body.WriteString(line)
		}
	}
	flush()
	if len(order) == 0 {
		return nil, nil, errors.New(`no "# configuration file PATH:" section found; expected the output of nginx -T`)
	}
	return newMemSource(s.files), order, nil
}

// newMemSource serves files held in memory, by virtual path.
func newMemSource(files map[string]string) *dumpSource {
	s := &dumpSource{files: map[string]string{}}
	for p, text := range files {
		p = path.Clean(p)
		s.files[p] = text
		s.paths = append(s.paths, p)
	}
	sort.Strings(s.paths)
	return s
}

func (s *dumpSource) canonical(v string) (string, error) {
	v = path.Clean(v)
	if s.confine != "" && !within(v, s.confine) {
		return "", errOutside
	}
	if _, ok := s.files[v]; ok {
		return v, nil
	}
	return "", fs.ErrNotExist
}

func (s *dumpSource) read(c string) (string, error) {
	text := s.files[c]
	if len(text) > MaxFileSize {
		return "", errTooBig
	}
	return text, nil
}

func (s *dumpSource) names(c string) (string, string) { return c, "" }

func (s *dumpSource) glob(pattern string) ([]string, error) {
	pattern = path.Clean(pattern)
	if s.confine != "" && !within(pattern, s.confine) {
		return nil, errOutside
	}
	pc := strings.Split(pattern, "/")
	var out []string
	for _, p := range s.paths {
		fc := strings.Split(p, "/")
		if len(fc) != len(pc) {
			continue
		}
		ok := true
		for i := range pc {
			if pc[i] != fc[i] && !(hasMeta(pc[i]) && globMatch(pc[i], fc[i])) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
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
	if err != nil && errors.Is(err, fs.ErrNotExist) {
		if _, ok := s.rel(path.Clean(v)); ok {
			return path.Clean(v), nil
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
