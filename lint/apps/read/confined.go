package read

import (
	"errors"
	"path/filepath"

	"github.com/nginxlint/nginxlint/internal/safeio"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// Confined returns the reader Load takes for a run: app files are read
// only inside the repository of the manifest (or of root, without one;
// outside any repository, that directory), as regular files within the
// size limit of configuration files. A file it refuses as outside wraps
// ErrOutside, which ends Load's search for compose files there.
func Confined(root string, m *manifest.Manifest) func(path string) (*syntax.File, error) {
	within := Scope(root)
	if m != nil {
		within = Scope(filepath.Dir(m.Path))
	}
	return ConfinedTo(within)
}

// ConfinedTo is Confined's reader for the files inside the directory
// within.
func ConfinedTo(within string) func(path string) (*syntax.File, error) {
	return func(path string) (*syntax.File, error) {
		data, err := safeio.ReadFile(path, within, syntax.MaxFileSize)
		if err != nil {
			if errors.Is(err, safeio.ErrOutside) {
				return nil, outsideError{err}
			}
			return nil, err
		}
		return &syntax.File{Name: path, Path: path, Src: string(data)}, nil
	}
}

// Scope returns the repository that holds dir (safeio.Scope), or dir
// itself when it cannot tell.
func Scope(dir string) string {
	s, err := safeio.Scope(dir)
	if err != nil {
		return dir
	}
	return s
}

// outsideError is a file safeio refused as outside the repository.
type outsideError struct{ err error }

func (e outsideError) Error() string   { return e.err.Error() }
func (e outsideError) Unwrap() []error { return []error{e.err, ErrOutside} }
