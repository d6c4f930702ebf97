// Package workspace finds the nginx trees that the paths a user names
// belong to, and loads each tree whole: its main file and everything that
// reaches, and every other configuration file of the tree as a fragment.
//
// A path belongs to the tree of the nearest enclosing directory that
// holds nginx.conf, or to the root a .nginxlint.toml sets, or, where
// neither exists, to the directory nginx's own layout implies (the parent
// of sites-available/, conf.d/, snippets/ ...). A file's findings are
// then the same whether the file, its directory or the tree is named.
package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/lint/config"
)

// ManifestName is the name of the backend manifest a tree's root holds
// (manifest.DefaultName).
const ManifestName = "backends.toml"

// MainName is the name of the main configuration file a tree's root
// holds.
const MainName = "nginx.conf"

// layoutDirs are the directories nginx's packages and guides put
// configuration in, directly under the prefix: a file in one of them
// belongs to the tree of its parent.
var layoutDirs = map[string]bool{
	"sites-available": true, "sites-enabled": true, "conf.d": true,
	"snippets": true, "http.d": true, "stream.d": true,
	"streams-available": true, "streams-enabled": true,
	"modules-available": true, "modules-enabled": true,
	"vhosts.d": true, "site-confs": true, "proxy-confs": true,
}

// Tree is one nginx tree and the paths named in it.
type Tree struct {
	// Root is the directory that stands for the prefix, as the user
	// would write it (relative to the working directory when the path
	// was given relatively).
	Root string
	// How says how Root was found, for -v: "holds nginx.conf", "root in
	// .nginxlint.toml", ...
	How string
	// Main is MainName when Root holds it, else "": a tree of fragments.
	Main string
	// Config is the configuration file that applies to the tree ("" for
	// none) and ConfigSkipped the files passed over (see config.Find).
	Config        string
	ConfigSkipped []string
	// Named are the files and directories named in the tree, as slash
	// paths relative to Root ("." for Root itself): findings are reported
	// in them.
	Named []string

	abs      string  // Root, absolute
	anchored bool    // see rootAt
	finder   *finder // what found the tree: which files belong to it
	loaded   bool    // Load ran: a Load again classifies the files again
}

// Skip is a file nginxlint does not lint, and why.
type Skip struct {
	Path string
	Why  string
	// Named is true for a file the user named; false for one found in a
	// directory.
	Named bool
}

// Options change how trees are found.
type Options struct {
	// Root, when set, is the tree's directory for every path (--root):
	// paths must be inside it.
	Root string
	// Config, when set, is the configuration file for every tree
	// (--config).
	Config string
	// Known reports whether name is an nginx directive, to tell nginx
	// configuration from other files by their content.
	Known func(name string) bool
}

// finder caches what it learnt of directories.
type finder struct {
	opt      Options
	relative bool // a path was given relative: show paths relative too
	load     func(path string) (*config.File, error)
	configs  map[string]configAt // by absolute directory
	roots    map[string]rootAt   // by absolute directory
	// classes holds what classify found of each file, by absolute
	// path, for Load: a tree's files are classified once.
	classes map[string]class
	wd      string // the working directory, for abs; "" when unknown
}

// class is what Classify said of a file, in a tree anchored or not.
type class struct {
	anchored, ok bool
	why          string
}

// abs is filepath.Abs with the working directory read once: Abs asks
// the system for it at every call, which costs more than the rest of
// a small file's classification.
func (f *finder) abs(p string) (string, error) {
	if filepath.IsAbs(p) || f.wd == "" {
		return filepath.Abs(p)
	}
	return filepath.Join(f.wd, p), nil
}

type configAt struct {
	path    string
	skipped []string
	cfg     *config.File
	err     error
}

type rootAt struct {
	abs, how string
	cfg      configAt
	// anchored: the root surely is an nginx tree's (it holds nginx.conf,
	// or a configuration or --root says so), not only inferred.
	anchored bool
}

// Find sorts the named paths into trees, sorted by root. A named
// directory stands for every configuration file under it. Named files
// that are not nginx configuration (by name and content) are skipped.
// loadConfig reads a configuration file (with the rules it knows).
func Find(paths []string, opt Options, loadConfig func(path string) (*config.File, error)) ([]*Tree, []Skip, error) {
	f := &finder{opt: opt, load: loadConfig, configs: map[string]configAt{}, roots: map[string]rootAt{}, classes: map[string]class{}}
	if wd, err := os.Getwd(); err == nil {
		f.wd = wd
	}
	trees := map[string]*Tree{}
	var skips []Skip
	for _, p := range paths {
		f.relative = f.relative || !filepath.IsAbs(p)
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if li, lerr := os.Lstat(p); err != nil && lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
			// A link that does not resolve here may resolve in the tree
			// (sites-enabled/app -> /etc/nginx/sites-available/app):
			// the tree says (see Load).
			fi, err = li, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("cannot read %s: %v", p, pathErr(err))
		}
		abs, err := f.abs(p)
		if err != nil {
			return nil, nil, err
		}
		if fi.IsDir() {
			// A directory inside a tree (or a tree's root) is named in
			// that tree; the files under it that belong to other trees
			// (a directory holding its own nginx.conf, a repository of
			// several trees) are named in theirs.
			r, inTree, err := f.enclosing(abs, true)
			if err != nil {
				return nil, nil, err
			}
			if inTree {
				f.add(trees, r, abs, p)
			}
			files, walkSkips, err := Walk(p, f.classify)
			if err != nil {
				return nil, nil, err
			}
			skips = append(skips, walkSkips...)
			if !inTree && len(files) == 0 {
				return nil, nil, fmt.Errorf("%s holds no nginx configuration: no %s, no *.conf file, nothing in sites-available/ or conf.d/ (give the directory of the tree, or its files)", p, MainName)
			}
			for _, file := range files {
				fabs, err := f.abs(file)
				if err != nil {
					return nil, nil, err
				}
				fr, err := f.rootOf(fabs)
				if err != nil {
					return nil, nil, err
				}
				switch {
				case inTree && fr.abs == r.abs:
					// Named with the directory.
				case within(fr.abs, abs):
					f.add(trees, fr, fr.abs, file) // a whole tree under the directory
				default:
					f.add(trees, fr, fabs, file)
				}
			}
			continue
		}
		if !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
			return nil, nil, fmt.Errorf("cannot read %s: not a regular file or directory", p)
		}
		if base := filepath.Base(p); base == ManifestName || base == config.Name {
			// Every finding may change with the manifest or the
			// configuration: name the whole tree.
			r, ok, err := f.enclosing(filepath.Dir(abs), true)
			if err != nil {
				return nil, nil, err
			}
			if !ok {
				r = f.inferred(filepath.Dir(abs))
			}
			f.add(trees, r, r.abs, p)
			continue
		}
		li, err := os.Lstat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot read %s: %v", p, pathErr(err))
		}
		if ok, why := f.classify(p, li.Mode()&fs.ModeSymlink != 0); !ok {
			skips = append(skips, Skip{Path: p, Why: why, Named: true})
			continue
		}
		if err := f.addFile(trees, p); err != nil {
			return nil, nil, err
		}
	}
	// A file skipped in a tree's directory is said when the tree is read.
	kept := skips[:0]
	for _, s := range skips {
		if !s.Named {
			if abs, err := f.abs(s.Path); err == nil {
				if r, err := f.rootOf(abs); err == nil && trees[r.abs] != nil {
					continue
				}
			}
		}
		kept = append(kept, s)
	}
	skips = kept
	var out []*Tree
	for _, t := range trees {
		sort.Strings(t.Named)
		t.Named = dedup(t.Named)
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Root < out[j].Root })
	return out, skips, nil
}

func (f *finder) addFile(trees map[string]*Tree, p string) error {
	abs, err := f.abs(p)
	if err != nil {
		return err
	}
	r, err := f.rootOf(abs)
	if err != nil {
		return err
	}
	f.add(trees, r, abs, p)
	return nil
}

// rootOf returns the root of the tree the file at abs belongs to.
func (f *finder) rootOf(abs string) (rootAt, error) {
	r, ok, err := f.enclosing(filepath.Dir(abs), false)
	if err != nil {
		return r, err
	}
	if !ok {
		if r = f.inferred(filepath.Dir(abs)); r.cfg.err != nil {
			return r, r.cfg.err
		}
	}
	return r, nil
}

// classify tells whether the file at p is nginx configuration (see
// Classify), in the light of the tree it would belong to.
func (f *finder) classify(p string, link bool) (bool, string) {
	anchored := false
	abs, err := f.abs(p)
	if err == nil {
		if r, err := f.rootOf(abs); err == nil {
			anchored = r.anchored
		}
	}
	var ok bool
	var why string
	if link {
		ok, why = ClassifyLink(p, anchored)
	} else {
		ok, why = classifyInTree(p, f.opt.Known, anchored)
	}
	if err == nil {
		f.classes[abs] = class{anchored, ok, why}
	}
	return ok, why
}

// classified returns what Find's classify said of the file at p in a
// tree anchored or not, if it classified it so.
func (t *Tree) classified(p string, anchored bool) (ok bool, why string, found bool) {
	if t.finder == nil {
		return false, "", false
	}
	abs, err := t.finder.abs(p)
	if err != nil {
		return false, "", false
	}
	c, found := t.finder.classes[abs]
	if !found || c.anchored != anchored {
		return false, "", false
	}
	return c.ok, c.why, true
}

// absPath is filepath.Abs, through the finder's when there is one.
func (t *Tree) absPath(p string) (string, error) {
	if t.finder == nil {
		return filepath.Abs(p)
	}
	return t.finder.abs(p)
}

// belongs reports whether the file at abs belongs to the tree rooted at
// root: a file under root may belong to another tree (a directory below
// that holds its own nginx.conf).
func (t *Tree) belongs(abs string) bool {
	if t.finder == nil {
		return true
	}
	r, err := t.finder.rootOf(abs)
	return err == nil && r.abs == t.abs
}

// add records the named path abs (named by the user as given) in the tree
// of r.
func (f *finder) add(trees map[string]*Tree, r rootAt, abs, given string) {
	t := trees[r.abs]
	if t == nil {
		t = &Tree{Root: display(given, abs, r.abs), How: r.how, Config: r.cfg.path, ConfigSkipped: r.cfg.skipped, abs: r.abs, anchored: r.anchored, finder: f}
		if fi, err := os.Stat(filepath.Join(r.abs, MainName)); err == nil && fi.Mode().IsRegular() {
			t.Main = MainName
		}
		trees[r.abs] = t
	}
	rel, err := filepath.Rel(r.abs, abs)
	if err != nil {
		rel = "."
	}
	t.Named = append(t.Named, filepath.ToSlash(rel))
}

// enclosing finds the tree dir belongs to (dir itself included): the
// --root, the root of the configuration file that applies, or the
// nearest directory holding nginx.conf, up to the repository's root.
// isNamed is true when dir was named as a directory.
func (f *finder) enclosing(dir string, isNamed bool) (rootAt, bool, error) {
	if f.opt.Root != "" {
		root, err := filepath.Abs(f.opt.Root)
		if err != nil {
			return rootAt{}, false, err
		}
		if !within(dir, root) {
			if isNamed && within(root, dir) {
				// A directory above --root: the tree under it.
				c, err := f.configFor(root)
				return rootAt{abs: root, how: "given by --root", cfg: c, anchored: true}, err == nil, err
			}
			return rootAt{}, false, fmt.Errorf("%s is not inside --root %s", dir, f.opt.Root)
		}
		c, err := f.configFor(root)
		return rootAt{abs: root, how: "given by --root", cfg: c, anchored: true}, err == nil, err
	}
	if r, ok := f.roots[dir]; ok {
		return r, r.abs != "", r.cfg.err
	}
	r, err := f.findRoot(dir)
	f.roots[dir] = r
	return r, r.abs != "", err
}

func (f *finder) findRoot(dir string) (rootAt, error) {
	c, err := f.configFor(dir)
	if err != nil {
		return rootAt{cfg: c}, err
	}
	if c.cfg != nil && c.cfg.Root != "" {
		root, err := filepath.Abs(c.cfg.Root)
		if err != nil {
			return rootAt{}, err
		}
		if within(dir, root) {
			return rootAt{abs: root, how: "root in " + c.path, cfg: c, anchored: true}, nil
		}
	}
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, MainName)); err == nil && fi.Mode().IsRegular() {
			if d == dir {
				return rootAt{abs: d, how: "holds " + MainName, cfg: c, anchored: true}, nil
			}
			rc, err := f.configFor(d)
			return rootAt{abs: d, how: "holds " + MainName, cfg: rc, anchored: true}, err
		}
		if isRepoRoot(d) {
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return rootAt{}, nil
}

// inferred returns the root of a file in dir that no nginx.conf and no
// configuration encloses: the parent of the nearest layout directory
// (sites-available/ ...), else dir itself.
func (f *finder) inferred(dir string) rootAt {
	for d := dir; ; {
		if layoutDirs[filepath.Base(d)] {
			p := filepath.Dir(d)
			c, err := f.configFor(p)
			c.err = err
			return rootAt{abs: p, how: "no " + MainName + "; the parent of " + filepath.Base(d) + "/", cfg: c}
		}
		if isRepoRoot(d) {
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	c, err := f.configFor(dir)
	c.err = err
	return rootAt{abs: dir, how: "no " + MainName + "; the file's directory", cfg: c}
}

// configFor returns the configuration file that applies in dir: --config,
// or the nearest .nginxlint.toml from dir up to the repository's root.
func (f *finder) configFor(dir string) (configAt, error) {
	if c, ok := f.configs[dir]; ok {
		return c, c.err
	}
	var c configAt
	if f.opt.Config != "" {
		c.path = f.opt.Config
	} else {
		c.path, c.skipped, c.err = config.Find(f.shown(dir))
	}
	if c.err == nil && c.path != "" && f.load != nil {
		c.cfg, c.err = f.load(c.path)
	}
	f.configs[dir] = c
	return c, c.err
}

func isRepoRoot(d string) bool {
	_, err := os.Lstat(filepath.Join(d, ".git"))
	return err == nil
}

// within reports whether p is dir or under it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

// shown returns the absolute path p as the user would write it: relative
// to the working directory when the paths were given relatively.
func (f *finder) shown(p string) string {
	if !f.relative {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil {
		return rel
	}
	return p
}

// display returns root as the user would write it: relative to the
// working directory when the path was given relatively.
func display(given, abs, root string) string {
	if filepath.IsAbs(given) {
		return root
	}
	wd, err := os.Getwd()
	if err != nil {
		return root
	}
	if rel, err := filepath.Rel(wd, root); err == nil {
		return rel
	}
	return root
}

func dedup(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
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
