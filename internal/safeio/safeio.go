// Package safeio reads the small files nginxlint takes besides the nginx
// configuration itself (the backend manifest, .nginxlint.toml), and tells
// a terminal from a file.
//
// A tree comes from anyone (a pull request in CI), and so do the files it
// holds: a backends.toml that is a symbolic link to /proc/self/environ, a
// FIFO that blocks any reader, /dev/zero. ReadFile reads only a regular
// file, within a size limit, and, for a file the tree named rather than
// the user, only inside the directory it may come from (see Scope).
package safeio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Reasons ReadFile refuses a file: errors.Is tells them apart; the
// errors themselves say more (where a link leads, what the file is).
var (
	// ErrOutside: the file, or where its symbolic links lead, is outside
	// the directory it must be read from.
	ErrOutside = errors.New("outside the directory it may be read from")
	// ErrNotRegular: a directory, a FIFO, a device or a socket.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooBig: larger than the limit.
	ErrTooBig = errors.New("larger than the limit")
)

// refusal is a reason to refuse a file, worded for the user.
type refusal struct {
	msg  string
	kind error
}

func (r *refusal) Error() string        { return r.msg }
func (r *refusal) Is(target error) bool { return target == r.kind }

func refuse(kind error, format string, args ...any) error {
	return &refusal{msg: fmt.Sprintf(format, args...), kind: kind}
}

// ReadFile reads the regular file name, at most limit bytes; past that it
// fails with ErrTooBig, having read nothing when the file's size says so,
// and no more than limit+1 bytes when it grows meanwhile. A FIFO, a device
// or a directory fails with ErrNotRegular, before it is opened.
//
// When within is not "", the file must be inside the directory within,
// wherever its symbolic links lead (ErrOutside otherwise), and it is
// opened through an [os.Root] on within, so that a link changed meanwhile
// cannot lead it out either. When within is "" (a file the user named on
// the command line), the file may be anywhere.
//
// Errors do not name the file (the caller does) and quote nothing of its
// content; a link leading outside is told by where it leads.
func ReadFile(name, within string, limit int64) ([]byte, error) {
	f, fi, err := open(name, within)
	if err != nil {
		return nil, err
	}
	defer f.Close() //nolint:errcheck // read-only: a failed close loses nothing
	if fi.Size() > limit {
		return nil, tooBig(limit)
	}
	// Room for the whole file and one byte more, to see its end (or that
	// it grew) without growing the buffer.
	buf := bytes.NewBuffer(make([]byte, 0, fi.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, pathErr(err)
	}
	if int64(buf.Len()) > limit {
		return nil, tooBig(limit)
	}
	return buf.Bytes(), nil
}

// open opens name for reading once it is known to be a regular file, in
// within when that is not "", and returns it with its information.
func open(name, within string) (*os.File, fs.FileInfo, error) {
	if within == "" {
		fi, err := os.Stat(name)
		if err != nil {
			return nil, nil, pathErr(err)
		}
		if err := regular(fi); err != nil {
			return nil, nil, err
		}
		f, err := os.OpenFile(name, os.O_RDONLY|oNonblock, 0)
		if err != nil {
			return nil, nil, pathErr(err)
		}
		return same(f, fi)
	}
	root, rel, err := confine(name, within)
	if err != nil {
		return nil, nil, err
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, nil, pathErr(err)
	}
	defer r.Close() //nolint:errcheck // read-only: a failed close loses nothing
	fi, err := r.Stat(rel)
	if err != nil {
		return nil, nil, pathErr(err)
	}
	if err := regular(fi); err != nil {
		return nil, nil, err
	}
	f, err := r.OpenFile(rel, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, nil, pathErr(err)
	}
	return same(f, fi)
}

// confine resolves the symbolic links of name and of within, and returns
// the real directory within and the real file's path relative to it:
// a path without links, in that directory. A link leading outside fails
// with ErrOutside, saying where it leads.
func confine(name, within string) (root, rel string, err error) {
	absWithin, err := filepath.Abs(within)
	if err != nil {
		return "", "", err
	}
	root, err = filepath.EvalSymlinks(absWithin)
	if err != nil {
		return "", "", pathErr(err)
	}
	// The path made absolute as the kernel resolves it (filepath.Abs
	// would clean "link/.." as text).
	wd := ""
	if !filepath.IsAbs(name) {
		if wd, err = os.Getwd(); err != nil {
			return "", "", err
		}
	}
	abs := Join(wd, name)
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if li, lerr := os.Lstat(abs); lerr == nil && li.Mode()&fs.ModeSymlink != 0 && errors.Is(err, fs.ErrNotExist) {
			target, _ := os.Readlink(abs)
			return "", "", refuse(fs.ErrNotExist, "a symbolic link to %s, which does not exist", target)
		}
		return "", "", pathErr(err)
	}
	if !Within(real, root) {
		if real != abs {
			return "", "", refuse(ErrOutside, "it leads to %s, outside %s", real, absWithin)
		}
		return "", "", refuse(ErrOutside, "it is outside %s", absWithin)
	}
	rel, err = filepath.Rel(root, real)
	if err != nil {
		return "", "", err
	}
	return root, rel, nil
}

// regular fails for anything but a regular file, saying what it is.
func regular(fi fs.FileInfo) error {
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return refuse(ErrNotRegular, "a directory, not a regular file")
	case m&fs.ModeNamedPipe != 0:
		return refuse(ErrNotRegular, "a FIFO (named pipe), not a regular file")
	case m&fs.ModeDevice != 0:
		return refuse(ErrNotRegular, "a device, not a regular file")
	case m&fs.ModeSocket != 0:
		return refuse(ErrNotRegular, "a socket, not a regular file")
	}
	return ErrNotRegular
}

// same checks that the file opened is the regular file that was checked
// (nothing replaced it in between), and closes it when not.
func same(f *os.File, checked fs.FileInfo) (*os.File, fs.FileInfo, error) {
	fi, err := f.Stat()
	if err == nil {
		if err = regular(fi); err == nil && !os.SameFile(fi, checked) {
			err = errors.New("the file changed while it was being opened")
		}
	}
	if err != nil {
		f.Close() //nolint:errcheck // read-only, and failing anyway
		return nil, nil, pathErr(err)
	}
	return f, fi, nil
}

func tooBig(limit int64) error {
	size := fmt.Sprintf("%d bytes", limit)
	if limit >= 1<<20 && limit%(1<<20) == 0 {
		size = fmt.Sprintf("%d MiB", limit>>20)
	}
	return refuse(ErrTooBig, "larger than the %s limit", size)
}

// Scope returns the directory a file found from dir may be read from: the
// repository that holds dir (the nearest directory at or above it that
// holds .git), else dir itself. The result is absolute.
func Scope(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs, nil
		}
		d = parent
	}
}

// Within reports whether the path p is dir or under it; both are clean
// paths of the same kind (absolute, or relative to the same directory).
func Within(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// pathErr strips the path from an *fs.PathError: messages name the path
// themselves.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Join returns the path rel names from the directory dir (rel itself when
// it is absolute), as the kernel resolves it: ".." climbs out of where a
// symbolic link before it leads, not out of the link. filepath.Join cleans
// the text first, and "link/../x" becomes "x" beside the link, another
// file. Where the path holds "..", what comes before the last ".." is
// resolved first (its links followed); the result is clean, and relative
// when dir and rel are. Where that part does not resolve (it does not
// exist), the text is cleaned: opening it fails either way.
func Join(dir, rel string) string {
	p := rel
	if !filepath.IsAbs(rel) && dir != "" {
		p = dir + string(filepath.Separator) + rel
	}
	last := -1 // where the last ".." component starts
	for i := 0; i+2 <= len(p); i++ {
		if p[i] == '.' && p[i+1] == '.' && (i == 0 || os.IsPathSeparator(p[i-1])) && (i+2 == len(p) || os.IsPathSeparator(p[i+2])) {
			last = i
		}
	}
	if last <= 0 {
		return filepath.Clean(p)
	}
	head := p[:last]
	if real, err := filepath.EvalSymlinks(head); err == nil {
		return filepath.Join(real, p[last:])
	}
	return filepath.Clean(p)
}
