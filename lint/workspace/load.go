package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/stock"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// LoadOptions say how a tree is read.
type LoadOptions struct {
	// Prefix is the absolute directory the tree stands for (/etc/nginx).
	Prefix string
	// Context is the context named fragments are read in (--context);
	// empty: inferred from each one's content.
	Context string
	// Stock is the nginx package the deploy host has (stock.Sets):
	// its files are assumed where the tree lacks them. Empty means
	// stock.Default.
	Stock string
	// Grammar is nginx.Grammar{}; Known reports whether a name is an
	// nginx directive (nginx.Lookup(name) != nil). The first Load of a
	// tree keeps what Find, with its own Known, said of the files it
	// classified.
	Grammar syntax.Grammar
	Known   func(string) bool
	// MaxRead is the most bytes read from the tree's files in all
	// (syntax.Options.MaxRead); 0 means syntax.MaxRead.
	MaxRead int64
}

// Loaded is a tree read whole: the main file's tree and every fragment's.
type Loaded struct {
	*Tree
	// Trees are the main file's tree (when the root holds one) and then
	// the fragments' trees, by name.
	Trees []*syntax.Tree
	// Read counts the files read; Reached those the main file reaches;
	// Fragments those linted only as (or from) fragments.
	Read, Reached, Fragments int
	// Skipped are the tree's files that are not nginx configuration, or
	// that nginxlint cannot lint (a link out of the tree).
	Skipped []Skip
	// Errors are files that could not be read: the run is incomplete.
	Errors []error

	named []string // virtual paths: findings in them (or under them) are reported
}

// Load reads the tree t: its main file and what that reaches, then every
// other configuration file of the tree, as fragments.
func Load(t *Tree, opt LoadOptions) (*Loaded, error) {
	sopt, err := syntaxOptions(opt)
	if err != nil {
		return nil, err
	}
	ld, err := syntax.NewLoader(t.Root, sopt)
	if err != nil {
		return nil, err
	}
	out := &Loaded{Tree: t}

	// The named paths, as virtual paths.
	namedFile := map[string]bool{}
	for _, rel := range t.Named {
		v, err := ld.Canonical(rel)
		if err != nil {
			// Only a link can be named and not lead to a file of the
			// tree (a link out of it, or to nothing).
			why := "a symbolic link to a file that does not exist in the tree"
			if strings.Contains(err.Error(), "outside the tree") {
				why = "a symbolic link out of the tree: " + err.Error()
			}
			out.Skipped = append(out.Skipped, Skip{Path: filepath.Join(t.Root, filepath.FromSlash(rel)), Why: why, Named: true})
			continue
		}
		out.named = append(out.named, v)
		namedFile[v] = true
	}

	// The candidates: every configuration file of the tree.
	var cands []string
	// The first Load takes what Find said of the files it classified;
	// a Load again (after --fix wrote files) reads them again.
	first := !t.loaded
	t.loaded = true
	files, skips, err := Walk(t.Root, func(p string, link bool) (bool, string) {
		if ok, why, found := t.classified(p, t.anchored); found && first {
			return ok, why
		}
		if link {
			return ClassifyLink(p, t.anchored)
		}
		return classifyInTree(p, opt.Known, t.anchored)
	})
	if err != nil {
		return nil, err
	}
	out.Skipped = append(out.Skipped, skips...)
	for _, f := range files {
		if abs, err := t.absPath(f); err == nil && !t.belongs(abs) {
			continue // another tree's: a directory below with its own nginx.conf
		}
		rel, err := filepath.Rel(t.Root, f)
		if err != nil {
			return nil, err
		}
		cands = append(cands, filepath.ToSlash(rel))
	}
	if err := out.load(ld, cands, namedFile, opt); err != nil {
		return nil, err
	}
	return out, nil
}

// LoadFiles reads a tree held in memory as Load reads one on disk: files
// are the texts of its files by slash path relative to the directory
// that stands for the prefix (nginx.conf, conf.d/app.conf ...). The
// whole tree is named; files that are not nginx configuration (by
// name and content, as Classify tells) are skipped, with the reason.
func LoadFiles(files map[string]string, opt LoadOptions) (*Loaded, error) {
	sopt, err := syntaxOptions(opt)
	if err != nil {
		return nil, err
	}
	ld, err := syntax.NewMemLoader(files, sopt)
	if err != nil {
		return nil, err
	}
	_, anchored := files[MainName]
	t := &Tree{Named: []string{"."}, anchored: anchored}
	if anchored {
		t.Main = MainName
	}
	out := &Loaded{Tree: t, named: []string{path.Clean(orDefault(opt.Prefix, "/etc/nginx"))}}
	names := slices.Sorted(maps.Keys(files))
	var cands []string
	for _, rel := range names {
		if ok, why := ClassifyText(rel, files[rel], opt.Known, anchored); !ok {
			out.Skipped = append(out.Skipped, Skip{Path: rel, Why: why})
			continue
		}
		cands = append(cands, rel)
	}
	if err := out.load(ld, cands, nil, opt); err != nil {
		return nil, err
	}
	return out, nil
}

// syntaxOptions are the options of the tree's loader.
func syntaxOptions(opt LoadOptions) (syntax.Options, error) {
	set := opt.Stock
	if set == "" {
		set = stock.Default
	}
	if !stock.Valid(set) {
		return syntax.Options{}, fmt.Errorf("unknown stock %q: use %s", set, strings.Join(stock.Sets(), ", "))
	}
	sopt := syntax.Options{Grammar: opt.Grammar, Prefix: opt.Prefix, MaxRead: opt.MaxRead}
	if set != "none" {
		sopt.Stock = func(rel string) (string, bool) { return stock.Lookup(set, rel) }
		sopt.StockName = stock.Describe(set)
	}
	return sopt, nil
}

// load reads, with ld, the main file's tree (when l has one), then the
// candidates (slash paths relative to the root) it does not reach, as
// fragments; those in namedFile are read in opt.Context.
func (l *Loaded) load(ld *syntax.Loader, cands []string, namedFile map[string]bool, opt LoadOptions) error {
	prefix := path.Clean(orDefault(opt.Prefix, "/etc/nginx"))
	reached := map[string]bool{}
	var main *syntax.Tree
	if l.Main != "" {
		c, err := ld.Canonical(l.Main)
		if err != nil {
			return fmt.Errorf("cannot read %s: %v", filepath.Join(l.Root, l.Main), pathErr(err))
		}
		if main, err = ld.Load(c, "", false); err != nil {
			return err
		}
		l.Trees = append(l.Trees, main)
		for _, f := range main.Files {
			reached[f.Virtual] = true
			if !f.Stock {
				l.Reached++
			}
		}
	}

	// The fragments: candidates the main file does not reach.
	var orphans []string
	seen := map[string]bool{}
	for _, rel := range cands {
		c, err := ld.Canonical(rel)
		if err != nil {
			why := fmt.Sprintf("cannot be linted: %v", pathErr(err))
			if errors.Is(err, fs.ErrNotExist) {
				why = "a symbolic link to a file that does not exist"
			} else if strings.Contains(err.Error(), "outside the tree") {
				why = "a symbolic link out of the tree: " + err.Error()
			}
			l.Skipped = append(l.Skipped, Skip{Path: filepath.Join(l.Root, filepath.FromSlash(rel)), Why: why})
			continue
		}
		if reached[c] || seen[c] {
			continue
		}
		seen[c] = true
		orphans = append(orphans, c)
	}
	sort.Strings(orphans)
	orphans = l.dropINI(ld, orphans, prefix)
	roots := fragmentRoots(ld, orphans)

	mainName := ""
	if main != nil {
		mainName = main.Main.Name
	}
	fragFiles := map[string]bool{}
	for _, c := range roots {
		ctx := ""
		if namedFile[c] {
			ctx = opt.Context
		}
		ft, err := ld.Load(c, ctx, true)
		if err != nil {
			l.Errors = append(l.Errors, err)
			continue
		}
		if mainName != "" && !stock.Known(strings.TrimPrefix(c, prefix+"/")) {
			ft.NotLoadedBy = mainName
		}
		l.Trees = append(l.Trees, ft)
		for _, f := range ft.Files {
			if !reached[f.Virtual] && !f.Stock {
				fragFiles[f.Virtual] = true
			}
		}
	}
	l.Fragments = len(fragFiles)
	l.Read = l.Reached + l.Fragments
	return nil
}

// dropINI returns the orphans (canonical paths) but the INI files that
// their names took for configuration (see classifyInTree), which are
// skipped, with the reason. Their text is read here, as it would be to
// lint them.
func (l *Loaded) dropINI(ld *syntax.Loader, orphans []string, prefix string) []string {
	kept := orphans[:0]
	for _, c := range orphans {
		p := filepath.Join(l.Root, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(c, prefix), "/")))
		if ok, _, sure := classifyName(p, l.anchored); sure && mayBeINI(p, ok) {
			if f, _, err := ld.Read(c); err == nil && iniSection([]byte(f.Src[:min(len(f.Src), sniffSize)])) {
				l.Skipped = append(l.Skipped, Skip{Path: p, Why: iniWhy})
				continue
			}
		}
		kept = append(kept, c)
	}
	return kept
}

// fragmentRoots returns the orphans that no other orphan includes, in
// order; orphans that only include each other (a cycle) are rooted at
// the first of them.
func fragmentRoots(ld *syntax.Loader, orphans []string) []string {
	isOrphan := map[string]bool{}
	for _, c := range orphans {
		isOrphan[c] = true
	}
	incs := map[string][]string{}
	included := map[string]bool{}
	for _, c := range orphans {
		_, cs, err := ld.Read(c)
		if err != nil {
			continue
		}
		incs[c] = cs
		for _, x := range cs {
			if x != c && isOrphan[x] {
				included[x] = true
			}
		}
	}
	covered := map[string]bool{}
	var cover func(c string)
	cover = func(c string) {
		if covered[c] {
			return
		}
		covered[c] = true
		for _, x := range incs[c] {
			if isOrphan[x] {
				cover(x)
			}
		}
	}
	var roots []string
	for _, c := range orphans {
		if !included[c] {
			roots = append(roots, c)
			cover(c)
		}
	}
	for _, c := range orphans {
		if !covered[c] {
			roots = append(roots, c)
			cover(c)
		}
	}
	sort.Strings(roots)
	return roots
}

// Lint runs check on every tree of l and returns the findings l
// reports (see Reports), sorted by check's order per tree. A finding
// outside the tree's files (in the manifest, in an app's configuration)
// is kept when the whole tree is named: from the main file's tree, never
// from a fragment's, which holds only part of the configuration. A tree
// without a main file has only fragments: such a finding is then kept
// when every fragment reports it (it does not depend on what one of them
// lacks, as an app binding elsewhere than the manifest says), once. With
// all, the findings in every file of the tree are kept.
func (l *Loaded) Lint(check func(*syntax.Tree) ([]lint.Diagnostic, error), all bool) ([]lint.Diagnostic, error) {
	whole := all || slices.Contains(l.Named, ".")
	main := slices.ContainsFunc(l.Trees, func(t *syntax.Tree) bool { return !t.Fragment })
	type outside struct {
		file, rule, msg string
		start, end      int
	}
	var out []lint.Diagnostic
	var shared []lint.Diagnostic // outside the tree, from fragments, when there is no main tree
	seen := map[outside]int{}
	for _, t := range l.Trees {
		ds, err := check(t)
		if err != nil {
			return nil, err
		}
		counted := map[outside]bool{}
		for _, d := range ds {
			switch {
			case d.File == nil || d.File.Virtual == "":
				switch {
				case !whole:
				case !t.Fragment:
					out = append(out, d)
				case !main:
					k := outside{rule: d.Rule, msg: d.Message, start: d.Start, end: d.End}
					if d.File != nil {
						k.file = d.File.Name
					}
					if counted[k] {
						continue
					}
					counted[k] = true
					if seen[k]++; seen[k] == 1 {
						shared = append(shared, d)
					}
				}
			case d.File.Stock:
			case all || l.Reports(d.File):
				out = append(out, withoutStockFixes(d))
			}
		}
	}
	for _, d := range shared {
		k := outside{rule: d.Rule, msg: d.Message, start: d.Start, end: d.End}
		if d.File != nil {
			k.file = d.File.Name
		}
		if seen[k] == len(l.Trees) {
			out = append(out, d)
		}
	}
	return out, nil
}

// withoutStockFixes drops the fixes of d that would edit a package file
// nginxlint assumed: it is not in the tree, there is nothing to write.
func withoutStockFixes(d lint.Diagnostic) lint.Diagnostic {
	keep := d.Fixes[:0:0]
	for _, f := range d.Fixes {
		if !slices.ContainsFunc(f.Edits, func(e lint.TextEdit) bool { return e.File != nil && e.File.Stock }) {
			keep = append(keep, f)
		}
	}
	d.Fixes = keep
	return d
}

// Reports reports whether findings in f are reported: f is a named file,
// or under a named directory, and not a package file nginxlint assumed.
func (l *Loaded) Reports(f *syntax.File) bool {
	if f == nil || f.Stock {
		return false
	}
	for _, v := range l.named {
		if f.Virtual == v || strings.HasPrefix(f.Virtual, v+"/") {
			return true
		}
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
