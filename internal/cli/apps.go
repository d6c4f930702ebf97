package cli

import (
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/manifest/draft"
)

// loadApps reads the app configurations the manifest of mr links (its
// backends' app = and [nginx] compose) and the compose files found from
// root (those alone without a manifest), prints what could not be read as manifest errors are printed
// (FILE:LINE:COL: message), and reports whether a linked file could not
// be read at all: the run then ends in exit 2. A value the readers
// cannot read (a computed bind) is not a failure: rules report it.
//
// The files are read only inside the repository of the manifest (or,
// outside any, its directory), as regular files within the size limit
// of configuration files, whichever flag named the manifest.
func loadApps(root string, mr manifestResult, o options, stderr io.Writer) (*read.Set, bool) {
	if root == "-" && mr.m == nil {
		return nil, false
	}
	set := read.Load(root, mr.m, read.Confined(root, mr.m))
	if set == nil {
		return nil, false
	}
	for _, p := range set.Problems {
		where := ""
		if f := p.Span.File; f != nil {
			where = f.Name + ": "
			if f.Src != "" {
				where = f.Position(p.Span.Start).String() + ": "
			}
		}
		logf(stderr, "%s%s\n", where, p.Msg)
	}
	for _, p := range set.Unread {
		pos := p.Span.File.Position(p.Span.Start)
		o.out.failAt(p.Span.File.Name, pos.Line, pos.Column, p.Msg)
	}
	if len(set.Unread) > 0 {
		logf(stderr, "nginxlint: an app configuration the manifest %s links could not be read; the result is incomplete\n", mr.m.Path)
	}
	return set, len(set.Unread) > 0
}

// describeApps says, with -v, which app configurations were read.
func describeApps(set *read.Set, verbosef func(string, ...any)) {
	if set == nil {
		return
	}
	for _, a := range set.Apps {
		name := a.File.Name
		if a.Name != "" {
			name += "#" + a.Name
		}
		verbosef("  app: %s (%s, %s)", name, a.Kind, plural(len(a.Binds), "bind"))
	}
	for _, p := range set.Projects {
		verbosef("  compose project: %s (%s)", p.Path, plural(len(p.Services), "service"))
	}
}

// fixedManifest reports whether the fixes edit the manifest of mr.
func fixedManifest(edits []fix.FileEdit, mr manifestResult) bool {
	if mr.m == nil {
		return false
	}
	for _, e := range edits {
		if e.File.Path == mr.m.Path || e.File.Name == mr.m.Path {
			return true
		}
	}
	return false
}

// maxAppFiles bounds the files findApps reads.
const maxAppFiles = 10000

// skipDirs are the directories findApps does not enter: version control
// and other tools' dependencies.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, "bower_components": true,
	"vendor": true, "venv": true, ".venv": true, "__pycache__": true, "site-packages": true,
	".tox": true, "target": true,
}

// findApps reads the app configurations under dir (see read.Detect),
// each as a link relative to root, the directory of the manifest to be.
// Files are read only inside dir's repository, as regular files within
// the size limit; what cannot be read is said on stderr, and ok is false
// when dir itself cannot be walked.
func findApps(dir, root string, stderr io.Writer) (files []draft.AppFile, ok bool) {
	readFile := read.ConfinedTo(read.Scope(dir))
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			logf(stderr, "nginxlint: %s: %v\n", path, err)
			return nil
		}
		if d.IsDir() {
			if path != dir && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !maybeApp(d.Name()) {
			return nil
		}
		if n++; n > maxAppFiles {
			return fmt.Errorf("more than %d candidate files under %s; name a smaller directory", maxAppFiles, dir)
		}
		f, err := readFile(path)
		if err != nil {
			logf(stderr, "nginxlint: %s: not read: %v\n", path, err)
			return nil
		}
		r, isApp := read.ReadApps(f, readFile)
		if !isApp {
			return nil
		}
		as, probs := r.Apps, r.Problems
		for _, p := range probs {
			if p.Span.File != nil && p.Span.File.Src != "" {
				logf(stderr, "%s: %s\n", p.Span.File.Position(p.Span.Start), p.Msg)
			} else {
				logf(stderr, "nginxlint: %s: %s\n", path, p.Msg)
			}
		}
		if len(as) == 0 {
			return nil
		}
		link, err := filepath.Rel(root, path)
		if err != nil {
			link = path
		}
		files = append(files, draft.AppFile{Link: filepath.ToSlash(link), Apps: as, Project: r.Project})
		return nil
	})
	if err != nil {
		logf(stderr, "nginxlint: --apps %s: %v\n", dir, err)
		return nil, false
	}
	return files, true
}

// maybeApp reports whether a file of that name may be an app
// configuration, before its content is read (see read.Detect).
func maybeApp(name string) bool {
	base := strings.ToLower(name)
	switch filepath.Ext(base) {
	case ".py", ".ini", ".conf", ".socket", ".service", ".rb", ".env", ".yml", ".yaml", ".dockerfile", ".containerfile":
		return true
	}
	for _, p := range []string{"procfile", "dockerfile", "containerfile", ".env"} {
		if base == p || strings.HasPrefix(base, p+".") {
			return true
		}
	}
	return false
}
