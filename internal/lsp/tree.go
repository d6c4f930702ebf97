package lsp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/safeio"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/lint/config"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/format"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/lint/workspace"
	"github.com/nginxlint/nginxlint/manifest"
)

// defaultPrefix is the directory a tree stands for unless its
// configuration says otherwise (the command's --prefix default).
const defaultPrefix = "/etc/nginx"

// findTree returns the directory and the configuration file of the tree
// the file at p belongs to, found as the command finds them
// (workspace.Find): the nearest directory holding nginx.conf, the root
// .nginxlint.toml sets, or the parent of sites-available/, conf.d/ ...
// A file not on disk yet (a new buffer) belongs to the tree of its
// directory.
func findTree(p string, rules []*lint.Rule) (root, cfg string, err error) {
	loadCfg := func(path string) (*config.File, error) {
		return config.Load(path, knownRules(rules), format.Names())
	}
	named := p
	if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		named = filepath.Dir(p)
	}
	trees, _, err := workspace.Find([]string{named}, workspace.Options{Known: model.LooksLikeDirective}, loadCfg)
	if err != nil {
		// An invalid configuration file: found without reading it, so
		// that the lint says what is wrong with it.
		var again error
		if trees, _, again = workspace.Find([]string{named}, workspace.Options{Known: model.LooksLikeDirective}, nil); again != nil {
			return "", "", err
		}
	}
	if len(trees) != 1 {
		return "", "", fmt.Errorf("%s is in no nginx tree", p)
	}
	root, err = filepath.Abs(trees[0].Root)
	return root, trees[0].Config, err
}

// treeState is a tree that open documents belong to.
type treeState struct {
	root   string // absolute
	config string // the configuration file that applies, "" for none
	mirror *mirror
	// gen counts the changes that concern the tree; linted is the gen
	// that res was linted at.
	gen, linted uint64
	res         *result
}

// input is what a lint reads besides the disk: the open documents, and
// the tree's configuration file ("" for none).
type input struct {
	config string
	docs   []docSnap         // the tree's open documents
	byPath map[string]string // every open document's text, by path
}

type docSnap struct {
	uri     string
	path    string
	text    string
	version int32
}

// result is what one lint of a tree found.
type result struct {
	root   string
	prefix string
	// files are the tree's files by their path relative to root, links
	// followed (a file's canonical name: sites-enabled/app, a link to
	// sites-available/app, is sites-available/app).
	files    map[string]*syntax.File
	findings map[string][]lint.Diagnostic // by the same relative path
	trees    []*syntax.Tree
	// docs are the open documents linted: their text, version and
	// canonical path relative to root ("" for one outside the tree).
	docs []docSnap
	rels map[string]string // document URI -> canonical relative path

	manifestPath string
	configPath   string
	// other are findings and problems in files that are not the tree's
	// nginx configuration (the manifest, the configuration file), by
	// absolute path.
	other map[string][]lint.Diagnostic
	// failure, when set, is why the tree was not linted (an invalid
	// manifest or configuration, as the command's exit 2): shown on each
	// open document of the tree.
	failure string

	mods    []model.Option
	mu      sync.Mutex
	indexes map[*syntax.Tree]*model.Index
	lineIx  map[*syntax.File]*lineIndex
}

// index returns the model of t, built once.
func (r *result) index(t *syntax.Tree) *model.Index {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ix := r.indexes[t]; ix != nil {
		return ix
	}
	if r.indexes == nil {
		r.indexes = map[*syntax.Tree]*model.Index{}
	}
	ix := model.NewIndex(t, r.mods...)
	r.indexes[t] = ix
	return ix
}

// relOf returns the path of f relative to the tree's root, "" for a file
// that is not the tree's (a package file nginxlint assumed, the
// manifest).
func (r *result) relOf(f *syntax.File) string {
	if f == nil || f.Stock || f.Virtual == "" {
		return ""
	}
	return strings.TrimPrefix(f.Virtual, r.prefix+"/")
}

// pathOf returns the absolute path of f, "" for none.
func (r *result) pathOf(f *syntax.File) string {
	if f == nil || f.Stock {
		return ""
	}
	if f.Virtual == "" {
		return absPath(f.Name)
	}
	return f.Path
}

// lintTree lints the tree of ts as the command does for its directory
// with its configuration and manifest, the open documents standing in
// for their files: the tree is copied (mirror) with the documents'
// text, and the copy is read. Findings point at the real files.
func lintTree(ts *treeState, in input, rules []*lint.Rule, shadowBase string) (*result, error) {
	res := &result{root: ts.root, files: map[string]*syntax.File{},
		findings: map[string][]lint.Diagnostic{}, rels: map[string]string{}, other: map[string][]lint.Diagnostic{}, docs: in.docs}

	var cfg *config.File
	if in.config != "" {
		res.configPath = absPath(in.config)
		c, err := config.Load(in.config, knownRules(rules), format.Names())
		if err != nil {
			res.fail(res.configPath, nil, "the configuration file "+in.config+" is invalid", err)
			return res, nil
		}
		cfg = c
	}
	prefix, stockSet, version := defaultPrefix, "", ""
	if cfg != nil {
		prefix = orDefault(cfg.Prefix, prefix)
		stockSet, version = cfg.Stock, cfg.NginxVersion
	}
	res.prefix = path.Clean(prefix)
	run, disabled, severity := selectRules(rules, cfg)

	m, err := res.loadManifest(ts.root, cfg, in.byPath)
	if err != nil {
		return res, nil // res.failure says why
	}
	if version == "" && m != nil {
		version = m.Version
	}
	if version != "" {
		if _, ok := nginx.ParseVersion(version); !ok {
			res.failure = fmt.Sprintf("nginx version %q: write it as 1.22.1", version)
			return res, nil
		}
	}
	runCfg := driver.Config{Manifest: m, NginxVersion: version, Severity: severity, Disabled: disabled, Apps: res.loadApps(ts.root, m)}
	if cfg != nil {
		runCfg.Modules, runCfg.Directives = cfg.Modules, cfg.Directives
		if len(cfg.Exclude) > 0 {
			runCfg.Exclude = cfg.Excluded
		}
		res.mods = append(res.mods, model.Modules(cfg.Modules...), model.Directives(cfg.Directives...))
	}

	// The copy, with the documents in it.
	if ts.mirror == nil {
		dir, err := os.MkdirTemp(shadowBase, "tree-")
		if err != nil {
			return nil, err
		}
		if ts.mirror, err = newMirror(ts.root, dir); err != nil {
			return nil, err
		}
	}
	overlays := map[string]string{}
	for _, d := range in.docs {
		rel := canonicalRel(ts.root, res.prefix, d.path)
		res.rels[d.uri] = rel
		if rel != "" {
			overlays[filepath.FromSlash(rel)] = d.text
		}
	}
	if err := ts.mirror.sync(model.LooksLikeDirective, overlays); err != nil {
		return nil, fmt.Errorf("copying %s: %v", ts.root, err)
	}
	shadow := ts.mirror.dir
	trees, _, err := workspace.Find([]string{shadow}, workspace.Options{Root: shadow, Known: model.LooksLikeDirective}, nil)
	if err != nil {
		return nil, err
	}
	if len(trees) != 1 {
		return res, nil // nothing to lint
	}
	ld, err := workspace.Load(trees[0], workspace.LoadOptions{Prefix: res.prefix, Stock: stockSet, Grammar: nginx.Grammar{}, Known: model.LooksLikeDirective})
	if err != nil {
		res.failure = strings.ReplaceAll(err.Error(), shadow, ts.root)
		return res, nil
	}
	res.trees = ld.Trees

	// The files are the real ones: their names and paths, and what the
	// loader said of them.
	mainName := ""
	for _, t := range ld.Trees {
		for _, f := range t.Files {
			if rel := res.relOf(f); rel != "" {
				f.Path = filepath.Join(ts.root, filepath.FromSlash(rel))
				f.Name = f.Path
				res.files[rel] = f
			}
		}
		if !t.Fragment && mainName == "" {
			mainName = t.Main.Name
		}
		if t.NotLoadedBy != "" {
			t.NotLoadedBy = mainName
		}
	}
	diags, err := ld.Lint(func(t *syntax.Tree) ([]lint.Diagnostic, error) {
		ds, err := driver.Run(t, run, runCfg)
		if err != nil {
			return nil, err
		}
		for _, p := range t.ReadErrors {
			ds = append(ds, lint.Diagnostic{Rule: "read", Severity: lint.Error, File: p.File, Start: p.Start, End: p.End, Message: p.Msg})
		}
		return cfg.ApplyOverrides(ds, driver.IsFatal), nil
	}, true)
	if err != nil {
		return nil, err
	}
	for _, d := range driver.Sort(diags) {
		d.Message = strings.ReplaceAll(d.Message, shadow, ts.root)
		for i := range d.Related {
			d.Related[i].Message = strings.ReplaceAll(d.Related[i].Message, shadow, ts.root)
		}
		if rel := res.relOf(d.File); rel != "" {
			res.findings[rel] = append(res.findings[rel], d)
		} else if p := res.pathOf(d.File); p != "" {
			res.other[p] = append(res.other[p], d)
		}
	}
	return res, nil
}

// fail records that the tree was not linted because the file at p is
// invalid: its problems, at their place when err says (poserr.List).
// text is the file's text; nil reads it from disk.
func (r *result) fail(p string, text []byte, what string, err error) {
	r.failure = what + ": fix it to see nginxlint's findings"
	var pl poserr.List
	if !errors.As(err, &pl) {
		r.failure = what + ": " + err.Error()
		return
	}
	if text == nil {
		text, _ = os.ReadFile(p)
	}
	f := &syntax.File{Name: p, Src: string(text)}
	for _, e := range pl {
		start := 0
		if e.Pos.Line > 0 {
			start = f.LineStart(e.Pos.Line) + max(e.Pos.Col, 1) - 1
		}
		r.other[p] = append(r.other[p], lint.Diagnostic{Rule: "invalid", Severity: lint.Error, File: f, Start: start, End: start, Message: e.Msg})
	}
}

// loadManifest reads the tree's manifest as the command does: the one
// the configuration names, or backends.toml in the tree's directory
// when there is one; an open document stands for its file. It returns
// nil without one, and an error (res.failure says what) for one that
// cannot be read or is invalid.
func (r *result) loadManifest(root string, cfg *config.File, open map[string]string) (*manifest.Manifest, error) {
	file, within := "", ""
	if cfg != nil && cfg.Manifest != "" {
		file, within = cfg.Manifest, read.Scope(filepath.Dir(cfg.Path))
	} else {
		file, within = filepath.Join(root, manifest.DefaultName), read.Scope(root)
		if _, err := os.Lstat(file); errors.Is(err, fs.ErrNotExist) {
			if _, open := open[file]; !open {
				return nil, nil
			}
		}
	}
	file = absPath(file)
	r.manifestPath = file
	data := []byte(nil)
	if text, ok := open[file]; ok {
		data = []byte(text)
	} else {
		var err error
		if data, err = safeio.ReadFile(file, within, syntax.MaxFileSize); err != nil {
			r.failure = fmt.Sprintf("cannot read the manifest %s: %v", file, err)
			return nil, err
		}
	}
	m, err := manifest.Parse(file, data)
	if err != nil {
		r.fail(file, data, "the manifest "+file+" is invalid", err)
		return nil, err
	}
	return m, nil
}

// loadApps reads the app configurations the manifest links and the
// compose files found from the tree, as the command does: inside the
// manifest's repository (or the tree's), as regular files within the
// size limit. What could not be read is shown in the file that says so
// (the manifest's app = value, the app's file).
func (r *result) loadApps(root string, m *manifest.Manifest) *read.Set {
	set := read.Load(root, m, read.Confined(root, m))
	if set == nil {
		return nil
	}
	for _, p := range set.Problems {
		f := p.Span.File
		if f == nil {
			continue
		}
		sev := lint.Warning
		if slices.ContainsFunc(set.Unread, func(u apps.Problem) bool { return u.Span == p.Span && u.Msg == p.Msg }) {
			sev = lint.Error // the run did not see what the manifest links
		}
		path := absPath(f.Name)
		r.other[path] = append(r.other[path], lint.Diagnostic{Rule: "apps", Severity: sev, File: f, Start: p.Span.Start, End: p.Span.End, Message: p.Msg})
	}
	return set
}

// canonicalRel returns the path of the file at p relative to the tree's
// root root, with the tree's symbolic links followed as nginxlint's
// loader follows them (an absolute target under prefix stays in the
// tree): the name of the file the loader reads. "" when p is not in the
// tree.
func canonicalRel(root, prefix, p string) string {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		// Through a link to the tree's directory, perhaps.
		r, err1 := filepath.EvalSymlinks(root)
		q, err2 := filepath.EvalSymlinks(filepath.Dir(p))
		if err1 != nil || err2 != nil {
			return ""
		}
		if rel, err = filepath.Rel(r, filepath.Join(q, filepath.Base(p))); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return ""
		}
	}
	rel = filepath.ToSlash(rel)
	ld, err := syntax.NewLoader(root, syntax.Options{Grammar: nginx.Grammar{}, Prefix: prefix})
	if err != nil {
		return rel
	}
	v, err := ld.Canonical(rel)
	if err != nil {
		return rel // not on disk yet, or a link out of the tree
	}
	return strings.TrimPrefix(v, path.Clean(prefix)+"/")
}

// selectRules decides which rules run from the configuration's select
// and ignore (or rules.enable and rules.disable), as the command does
// without --select and --ignore: the Fatal rules always run.
func selectRules(rules []*lint.Rule, c *config.File) (run []*lint.Rule, disabled []string, severity map[string]lint.Severity) {
	on, off := c.Switches()
	for _, r := range rules {
		if (off[r.ID] || on != nil && !on[r.ID]) && !driver.IsFatal(r.ID) {
			disabled = append(disabled, r.ID)
			continue
		}
		run = append(run, r)
	}
	if c != nil {
		severity = c.Severity
	}
	return run, disabled, severity
}

func knownRules(rules []*lint.Rule) map[string]bool {
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	return known
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
