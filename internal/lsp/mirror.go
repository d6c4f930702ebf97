package lsp

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nginxlint/nginxlint/lint/workspace"
)

// mirror keeps a copy of a tree in a directory of its own, in which the
// editor's buffers stand in for the files they edit: the loader
// (lint/syntax) reads a directory, so the tree is linted as it is in the
// editor by reading the copy. Files are copied once and again only when
// they change on disk (size or time); symbolic links are copied as
// links, with the same target, which the loader reads in the tree's
// namespace as it reads the original's. The copy never writes to the
// tree.
//
// The copy's root holds an empty .git directory: the configuration file
// search (config.Find, run by workspace.Find) stops there. The
// configuration that applies is the original's, found from the tree.
type mirror struct {
	real string // the tree's directory, absolute
	dir  string // the copy's
	have map[string]stamp
}

// stamp is what a copied entry was copied from.
type stamp struct {
	dir     bool
	link    string // a symbolic link's target
	size    int64
	mod     time.Time
	overlay bool
	text    string // the buffer's text, for an overlay
}

// maxPlainCopy is the largest file the mirror copies that is not nginx
// configuration by its name (a GeoIP database, a page, an archive):
// larger ones are copied empty, which an include would read as empty.
const maxPlainCopy = 1 << 20

func newMirror(real, dir string) (*mirror, error) {
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o700); err != nil {
		return nil, err
	}
	return &mirror{real: real, dir: dir, have: map[string]stamp{}}, nil
}

// sync brings the copy up to date with the tree on disk, buffers aside.
// A directory below the root that holds its own nginx.conf is another
// tree's, and is not copied; nor are hidden directories and the
// directories of other tools' dependencies, which nginxlint never reads
// (see workspace.Walk).
func (m *mirror) sync(known func(string) bool, overlays map[string]string) error {
	keep := map[string]bool{}
	err := filepath.WalkDir(m.real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == m.real {
				return err
			}
			return nil // unreadable: the loader says so, reading the copy
		}
		if p == m.real {
			return nil
		}
		rel, err := filepath.Rel(m.real, p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			// Hidden directories (.git ...) are not configuration; a
			// hidden file may be included by its name.
			if d.IsDir() {
				return filepath.SkipDir
			}
			if d.Name() == ".git" || d.Name() == tmpName {
				return nil
			}
		}
		if d.IsDir() {
			if dependencyDirs[d.Name()] || isRegular(filepath.Join(p, workspace.MainName)) {
				return filepath.SkipDir
			}
			keep[rel] = true
			return m.put(rel, stamp{dir: true}, nil)
		}
		if _, ok := overlays[rel]; ok {
			return nil // written below
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return nil
			}
			keep[rel] = true
			return m.put(rel, stamp{link: target}, nil)
		case info.Mode().IsRegular():
			keep[rel] = true
			st := stamp{size: info.Size(), mod: info.ModTime()}
			return m.put(rel, st, func(w io.Writer) error {
				if info.Size() > maxPlainCopy {
					if ok, _ := workspace.Classify(p, known, true); !ok {
						return nil
					}
				}
				f, err := os.Open(p)
				if err != nil {
					return err
				}
				defer f.Close() //nolint:errcheck // read-only
				_, err = io.Copy(w, f)
				return err
			})
		}
		return nil // a device, a socket, a FIFO: not copied
	})
	if err != nil {
		return err
	}
	for rel, text := range overlays {
		keep[rel] = true
		for d := filepath.Dir(rel); d != "."; d = filepath.Dir(d) {
			keep[d] = true
			if err := m.put(d, stamp{dir: true}, nil); err != nil {
				return err
			}
		}
		if err := m.put(rel, stamp{overlay: true, text: text}, func(w io.Writer) error {
			_, err := io.WriteString(w, text)
			return err
		}); err != nil {
			return err
		}
	}
	for rel := range m.have {
		if !keep[rel] {
			if err := os.RemoveAll(filepath.Join(m.dir, rel)); err != nil {
				return err
			}
			delete(m.have, rel)
		}
	}
	return nil
}

// put makes the copy's entry rel what st says, unless it already is;
// write writes a file's content.
func (m *mirror) put(rel string, st stamp, write func(io.Writer) error) error {
	if have, ok := m.have[rel]; ok && have == st {
		return nil
	}
	dst := filepath.Join(m.dir, rel)
	if st.dir {
		if fi, err := os.Lstat(dst); err == nil && !fi.IsDir() {
			if err := os.Remove(dst); err != nil {
				return err
			}
		}
		if err := os.MkdirAll(dst, 0o700); err != nil {
			return err
		}
		m.have[rel] = st
		return nil
	}
	if fi, err := os.Lstat(dst); err == nil && fi.IsDir() {
		if err := os.RemoveAll(dst); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	// A new entry replaces the old one whole (rename), so that a copy is
	// never seen half written.
	tmp := filepath.Join(filepath.Dir(dst), tmpName)
	_ = os.Remove(tmp)
	if st.link != "" {
		if err := os.Symlink(st.link, tmp); err != nil {
			return err
		}
	} else {
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close() //nolint:errcheck // the error is err
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	m.have[rel] = st
	return nil
}

// tmpName is the name a new entry of the copy is made under before it
// replaces the old one.
const tmpName = ".nginxlint-lsp.tmp"

// dependencyDirs are the directories of other tools' dependencies that
// workspace.Walk skips (its own list is not exported): never
// configuration, and often large.
var dependencyDirs = map[string]bool{
	"node_modules": true, "bower_components": true, "vendor": true,
	"venv": true, "__pycache__": true, "site-packages": true,
}

func isRegular(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
