package golden

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// Apps reads the app configurations the manifest m links (its backends'
// app = "FILE#NAME", [nginx] compose; none when m is nil) and the compose
// files found from the tree root (relative to dir), as the command line
// does (read.Load):
// a case's app files are files of its archive, beside the tree. Paths
// are relative to dir ("." for a case, the example's directory for a
// rule's examples); nothing outside dir is read. A file the manifest
// links that cannot be read, or that holds no such app, fails the test:
// such a case belongs with the command line (internal/cli/testdata).
func Apps(t testing.TB, dir, root string, m *manifest.Manifest) *read.Set {
	t.Helper()
	base, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	readFile := func(p string) (*syntax.File, error) {
		full := p
		if !filepath.IsAbs(p) {
			full = filepath.Join(base, p)
		}
		if rel, err := filepath.Rel(base, full); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("%w: %s", read.ErrOutside, p)
		}
		data, err := os.ReadFile(full)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, err
		}
		return &syntax.File{Name: p, Path: full, Src: string(data)}, nil
	}
	set := read.Load(root, m, readFile)
	if set == nil {
		return nil
	}
	for _, p := range set.Problems {
		where := ""
		if p.Span.File != nil {
			where = p.Span.File.Position(p.Span.Start).String() + ": "
		}
		t.Errorf("%s%s\n(a case about app files nginxlint cannot read or link belongs with the command line, internal/cli/testdata)", where, p.Msg)
	}
	return set
}
