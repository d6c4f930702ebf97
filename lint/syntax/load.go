package syntax

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// Limits on what one run reads. Past them nginxlint stops reading and the
// run fails (exit 2): it never reports a tree as clean that it did not read
// completely.
const (
	MaxFiles     = 100000  // distinct files
	MaxInstances = 500000  // included file instances (a file included twice counts twice)
	MaxRead      = 1 << 30 // bytes read from files in all (Options.MaxRead)
)

// Kinds of problems the loader reports.
const (
	KindSyntax  = "syntax"               // nginx would refuse the text
	KindInclude = "include"              // an include nginx cannot follow
	KindOutside = "include-outside-tree" // an include that leaves the tree: not read
	KindStock   = "include-stock"        // an include of a package file the tree lacks: assumed
	kindRead    = "read"                 // a file that exists but cannot be read
)

// Problem is something the loader found: a syntax error or an include
// that cannot be followed.
type Problem struct {
	Kind string
	Error
	// Target is the virtual path an include problem is about (for
	// KindStock, the package file assumed).
	Target string
}

// Options says what to load.
type Options struct {
	// Path is a directory holding nginx.conf, or a configuration file, or
	// "-" for an nginx -T dump read from Stdin.
	Path  string
	Stdin io.Reader
	// Prefix is the absolute directory the tree stands for (default
	// /etc/nginx): absolute include paths under it resolve inside the tree.
	Prefix string
	// Files, when not nil, holds the tree in memory instead: virtual
	// absolute path to content. Path is then the main file's virtual path.
	Files map[string]string
	// Context is the context the main file's content is read in: "main"
	// for a whole configuration, "http", "server" or "location" for a
	// snippet, "stream" for a stream snippet. Empty: inferred from the
	// content.
	Context string
	// MaxDumpSize is the largest dump read from Stdin, in bytes; 0 (or
	// less) means the MaxDumpSize constant.
	MaxDumpSize int
	// MaxRead is the most bytes read from files in all, whatever their
	// number (sparse files cannot make gigabytes); 0 (or less) means the
	// MaxRead constant. A file that would pass it is not read: a read
	// error, and the run is incomplete.
	MaxRead int64
	// Stock, when set, serves the files the nginx package installs on the
	// host (mime.types, fastcgi_params ...) by their path relative to the
	// prefix: a literal include of such a file that the tree lacks reads
	// that content instead of failing, and is reported as KindStock.
	Stock func(rel string) (content string, ok bool)
	// StockName says whose package Stock describes, for messages
	// ("Debian's and Ubuntu's nginx packages").
	StockName string
	// Grammar is what the parser and the context inference know of
	// nginx's directives: pass nginx.Grammar{} (lint/nginx). It is
	// required: Load refuses a nil Grammar rather than read a tree as if
	// nginx had no directives.
	Grammar Grammar
}

// Tree is a loaded configuration: the main file and everything it
// includes, with include directives expanded.
type Tree struct {
	Prefix string // the directory the tree stands for
	Root   string // the real directory read as Prefix ("" for a dump)
	Main   *File
	// Files lists every file read, in the order nginx first reads them.
	Files []*File
	// Directives are the main file's top-level directives; an include
	// directive among them holds what it includes (Included). Walk visits
	// every directive of the tree.
	Directives []Directive
	// Context is the context of the main file's top level.
	Context string
	// Inferred is true when Context was inferred from the content.
	Inferred bool
	// Fragment is true when Main is not the configuration's main file
	// but a file read on its own (see Loader.Load): a site no include
	// reaches, a snippet named by itself.
	Fragment bool
	// NotLoadedBy, for a fragment, is the display name of the main file
	// that does not reach it: nginx never reads the fragment. "" when
	// that is not known or does not matter (no main file; a file the
	// nginx package installs). Set by the caller that knows the tree.
	NotLoadedBy string
	// Stock says whose package files were assumed for includes the tree
	// lacks (Options.StockName); "" when none was.
	Stock string
	// Problems are syntax errors and include problems, in file order.
	Problems []*Problem
	// ReadErrors name files that could not be read. A tree with read
	// errors is incomplete.
	ReadErrors []*Problem

	insts []*instance // every file instance, the main file's first
}

// Contexts a snippet may be read in.
var Contexts = []string{"main", "http", "server", "location", "stream", "upstream"}

type fileEntry struct {
	file    *File
	readErr error
	// What reading the file found, whichever tree includes it: syntax
	// errors and include problems (probs), includes that could not be
	// read (reads), and the canonical paths its includes name (incs).
	probs, reads []*Problem
	incs         []string
}

// loader reads and parses the files of one source, once each, for
// every tree built from it.
type loader struct {
	src       source
	prefix    string
	base      string // what a relative include is joined to: the prefix and "/"
	grammar   Grammar
	stock     func(string) (string, bool)
	stockName string

	mu       sync.Mutex
	files    map[string]*fileEntry // by canonical path
	resolved map[string]*resolution
	stocked  map[string]bool // canonical paths served by stock

	wg  sync.WaitGroup
	sem chan struct{}

	instances int // included file instances, in every tree

	maxRead int64        // Options.MaxRead
	read    atomic.Int64 // bytes read so far
}

// build is the state of one tree being built.
type build struct {
	l        *loader
	insts    []*instance
	order    []*File
	used     map[*fileEntry]bool
	cycles   map[cycleKey]bool
	onStack  map[*File]bool // the files being included: a cycle's test
	problems []*Problem
	reads    []*Problem
}

type cycleKey struct {
	file *File
	at   int32
	to   *File
}

// resolution is what an include argument expands to.
type resolution struct {
	files []string // canonical paths
	errs  []resolveError
}

// resolveError is a path nginx would try that cannot be used.
type resolveError struct {
	what string // the virtual path
	err  error
}

// Load reads a configuration tree. The error is non-nil only when the
// main file itself cannot be read or Options are invalid; problems inside
// the tree are in Tree.Problems and Tree.ReadErrors.
func Load(opt Options) (*Tree, error) {
	l, err := newLoader(opt)
	if err != nil {
		return nil, err
	}
	var main string
	var root, display string
	if opt.Files != nil {
		ds := newMemSource(opt.Files)
		ds.confine = l.prefix
		main = path.Clean(opt.Path)
		if !path.IsAbs(main) {
			main = path.Join(l.prefix, main)
		}
		l.src = ds
	} else if opt.Path == "-" {
		limit := opt.MaxDumpSize
		if limit <= 0 {
			limit = MaxDumpSize
		}
		data, err := io.ReadAll(io.LimitReader(opt.Stdin, int64(limit)+1))
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %v", err)
		}
		if len(data) > limit {
			return nil, fmt.Errorf("standard input: larger than the %s nginxlint reads from a dump; lint the tree's directory instead", sizeText(limit))
		}
		// The files' texts are pieces of the dump, never written again:
		// share the buffer instead of copying it (a dump costs what the
		// same tree read from files costs).
		text := ""
		if len(data) > 0 {
			text = unsafe.String(&data[0], len(data))
		}
		ds, order, err := parseDump(text, l.grammar)
		if err != nil {
			return nil, fmt.Errorf("standard input: %v", err)
		}
		main = order[0]
		l.prefix = path.Dir(main)
		// nginx joins a relative include to the main file's directory
		// as it names it ("/etc/nginx/", "./").
		l.base = main[:strings.LastIndexByte(main, '/')+1]
		l.src = ds
	} else {
		fi, err := os.Stat(opt.Path)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %v", opt.Path, pathErr(err))
		}
		dir, base := opt.Path, "nginx.conf"
		if !fi.IsDir() {
			dir, base = filepath.Dir(opt.Path), filepath.Base(opt.Path)
		} else if _, err := os.Stat(filepath.Join(dir, base)); err != nil {
			return nil, fmt.Errorf("cannot read %s: %v (give the main configuration file, or a directory that holds nginx.conf)", filepath.Join(dir, base), pathErr(err))
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		root, display = abs, filepath.Clean(dir)
		l.src = &dirSource{prefix: l.prefix, root: abs, display: display}
		main = path.Join(l.prefix, base)
	}
	l.wrapStock()
	c, err := l.src.canonical(main)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", opt.Path, pathErr(err))
	}
	t, err := l.tree(c, opt.Context, false)
	if err != nil {
		return nil, err
	}
	t.Root = root
	return t, nil
}

// Loader builds trees from the files of one directory: the tree of the
// main file and those of fragments (files no include of the main file
// reaches, read on their own). Each file is read and parsed once, however
// many trees hold it; Load may be called many times, not concurrently.
type Loader struct {
	l *loader
}

// NewLoader returns a Loader for the directory root, which stands for
// opt.Prefix. opt's Path, Stdin, Files and Context are not used.
func NewLoader(root string, opt Options) (*Loader, error) {
	opt.Context = ""
	l, err := newLoader(opt)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	l.src = &dirSource{prefix: l.prefix, root: abs, display: filepath.Clean(root)}
	l.wrapStock()
	return &Loader{l: l}, nil
}

// NewMemLoader returns a Loader for a tree held in memory: files are
// the texts of its files by slash path relative to the directory that
// stands for opt.Prefix (nginx.conf, conf.d/app.conf ...), and the
// directories that hold them exist too. Files are named by that path,
// as those of a directory read from its root are. opt's Path, Stdin,
// Files and Context are not used.
func NewMemLoader(files map[string]string, opt Options) (*Loader, error) {
	opt.Context = ""
	l, err := newLoader(opt)
	if err != nil {
		return nil, err
	}
	abs := make(map[string]string, len(files))
	for rel, text := range files {
		abs[path.Join(l.prefix, rel)] = text
	}
	ms := newMemSource(abs)
	ms.confine, ms.relative = l.prefix, true
	l.src = ms
	l.wrapStock()
	return &Loader{l: l}, nil
}

// Canonical returns the virtual path of the file rel (a slash path
// relative to the root), following symbolic links inside the tree: the
// name the file is known by in every tree (Tree.Files, File.Virtual).
func (ld *Loader) Canonical(rel string) (string, error) {
	return ld.l.src.canonical(path.Join(ld.l.prefix, rel))
}

// Load builds the tree of the file at the canonical path c, read in
// context ctx (inferred from its content when empty). A fragment's tree
// is not checked for what only a whole configuration must hold (an events
// block): pass fragment true for any file but the main one.
func (ld *Loader) Load(c, ctx string, fragment bool) (*Tree, error) {
	if ctx != "" && !validContext(ctx) {
		return nil, fmt.Errorf("--context %q: must be one of %s", ctx, strings.Join(Contexts, ", "))
	}
	t, err := ld.l.tree(c, ctx, fragment)
	if err != nil {
		return nil, err
	}
	src := ld.l.src
	if ss, ok := src.(*stockSource); ok {
		src = ss.source
	}
	if ds, ok := src.(*dirSource); ok {
		t.Root = ds.root // "" for a tree in memory
	}
	return t, nil
}

// Read reads and parses the file at the canonical path c without
// building a tree, and returns the canonical paths its include
// directives name (the files it pulls in, read too).
func (ld *Loader) Read(c string) (*File, []string, error) {
	e := ld.l.entry(c)
	ld.l.wg.Wait()
	if e.readErr != nil {
		return e.file, nil, e.readErr
	}
	return e.file, e.incs, nil
}

// newLoader checks the options every loader shares and makes a loader
// without a source.
func newLoader(opt Options) (*loader, error) {
	if opt.Grammar == nil {
		return nil, errors.New("syntax.Load: Options.Grammar is nil (pass nginx.Grammar{})")
	}
	prefix := opt.Prefix
	if prefix == "" {
		prefix = "/etc/nginx"
	}
	if !path.IsAbs(prefix) {
		return nil, fmt.Errorf("--prefix %q: must be an absolute path such as /etc/nginx", prefix)
	}
	if opt.Context != "" && !validContext(opt.Context) {
		return nil, fmt.Errorf("--context %q: must be one of %s", opt.Context, strings.Join(Contexts, ", "))
	}
	maxRead := opt.MaxRead
	if maxRead <= 0 {
		maxRead = MaxRead
	}
	return &loader{
		maxRead:   maxRead,
		prefix:    path.Clean(prefix),
		base:      strings.TrimSuffix(path.Clean(prefix), "/") + "/",
		grammar:   opt.Grammar,
		stock:     opt.Stock,
		stockName: opt.StockName,
		files:     map[string]*fileEntry{},
		resolved:  map[string]*resolution{},
		stocked:   map[string]bool{},
		sem:       make(chan struct{}, runtime.GOMAXPROCS(0)),
	}, nil
}

// wrapStock makes the loader's source serve the package files it is told
// of where the tree lacks them.
func (l *loader) wrapStock() {
	if l.stock != nil {
		l.src = &stockSource{source: l.src, prefix: l.prefix, stock: l.stock}
	}
}

// tree builds the tree whose main file is the canonical path c, read in
// context ctx (inferred when empty). A fragment is not checked for what
// only a whole configuration must have (an events block).
func (l *loader) tree(c, ctx string, fragment bool) (*Tree, error) {
	entry := l.entry(c)
	l.wg.Wait()
	if entry.readErr != nil {
		return nil, fmt.Errorf("cannot read %s: %v", entry.file.Name, pathErr(entry.readErr))
	}
	b := &build{l: l, used: map[*fileEntry]bool{}, cycles: map[cycleKey]bool{}, onStack: map[*File]bool{}}
	t := &Tree{Prefix: l.prefix, Fragment: fragment}
	t.Main = entry.file
	t.Context = ctx
	if t.Context == "" {
		t.Context = inferContext(t.Main, l.grammar)
		t.Inferred = true
	}
	root := b.use(entry)
	b.register(root)
	b.onStack[t.Main] = true
	b.expand(root, t.Main.top, t.Main.ntop, t.Context, []*File{t.Main})
	t.Directives = root.top()
	for _, f := range b.order {
		e := l.files[f.Virtual]
		b.problems = append(b.problems, e.probs...)
		b.reads = append(b.reads, e.reads...)
		if l.stocked[f.Virtual] {
			t.Stock = l.stockName
		}
	}
	if !fragment && t.Context == "main" && !hasTop(t.Directives, "events") && !b.incomplete() {
		n := len(t.Main.Src)
		b.problems = append(b.problems, &Problem{Kind: KindSyntax, Error: Error{File: t.Main, Start: n, End: n,
			Msg: `no "events" section in configuration: nginx refuses to start without one; add "events {}" (or give --context if this file is a snippet)`}})
	}
	t.Files = b.order
	t.insts = b.insts
	t.Problems = sortProblems(b.problems)
	t.ReadErrors = sortProblems(b.reads)
	return t, nil
}

// use returns the instance of e's file for this tree: its own the first
// time any tree uses it, a new one after that.
func (b *build) use(e *fileEntry) *instance {
	if b.used[e] {
		return &instance{file: e.file, id: -1}
	}
	b.used[e] = true
	b.order = append(b.order, e.file)
	if e.file.own.id < 0 {
		return e.file.own // registered next: no other tree has it
	}
	return &instance{file: e.file, id: -1}
}

// incomplete reports whether an include could not be followed, so that
// what the tree lacks may be in a file nginxlint did not read.
func (b *build) incomplete() bool {
	for _, p := range b.problems {
		if p.Kind == KindInclude || p.Kind == KindOutside {
			return true
		}
	}
	return len(b.reads) > 0
}

// hasTop reports whether a directive named name stands at the top level,
// looking through includes.
func hasTop(ds []Directive, name string) bool {
	for _, d := range ds {
		if d.Name() == name || d.IsInclude() && hasTop(d.Included(), name) {
			return true
		}
	}
	return false
}

func validContext(c string) bool {
	for _, x := range Contexts {
		if x == c {
			return true
		}
	}
	return false
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

// entry returns the file entry for canonical path c, scheduling its read
// and parse when it is new. Called with l.mu not held.
func (l *loader) entry(c string) *fileEntry {
	l.mu.Lock()
	e, ok := l.files[c]
	if !ok {
		name, disk := l.src.names(c)
		e = &fileEntry{file: &File{Name: name, Path: disk, Virtual: c}}
		if ss, ok := l.src.(*stockSource); ok && ss.served(c) {
			e.file.Stock = true
			l.stocked[c] = true
		}
		if len(l.files) >= MaxFiles {
			e.readErr = fmt.Errorf("more than %d files are included; nginxlint stops reading here", MaxFiles)
		} else {
			l.wg.Add(1)
			go l.parse(e)
		}
		l.files[c] = e
	}
	l.mu.Unlock()
	return e
}

// parse reads and parses one file, then schedules the files it includes.
func (l *loader) parse(e *fileEntry) {
	defer l.wg.Done()
	l.sem <- struct{}{}
	src, err := l.src.read(e.file.Virtual)
	if err == nil && l.read.Add(int64(len(src))) > l.maxRead {
		src, err = "", fmt.Errorf("reading it would pass the %s nginxlint reads in all (--max-read)", sizeText64(l.maxRead))
	}
	if err != nil {
		<-l.sem
		e.readErr = err
		return
	}
	e.file.Src = src
	errs := Parse(e.file, l.grammar)
	if i := strings.IndexByte(src, 0); i >= 0 {
		errs = append(errs, &Error{File: e.file, Start: i, End: i + 1,
			Msg: fmt.Sprintf("NUL byte (%d in the file): this looks like a binary or corrupt file, not nginx configuration", strings.Count(src, "\x00"))})
	}
	<-l.sem

	var probs []*Problem
	for _, err := range errs {
		probs = append(probs, &Problem{Kind: KindSyntax, Error: *err})
	}
	var reads []*Problem
	f := e.file
	var incs []Directive
	f.collectIncludes(f.top, f.ntop, &incs)
	for _, d := range incs {
		if d.NArgs() != 1 {
			// nginx reports it where the directive ends: at its last
			// argument, which a missing ";" puts on the next line.
			start := int(d.Start())
			if n := d.NArgs(); n > 1 {
				start = int(d.ArgAt(n - 1).Start)
			}
			probs = append(probs, &Problem{Kind: KindSyntax, Error: Error{File: e.file, Start: start, End: int(d.End()),
				Msg: fmt.Sprintf(`invalid number of arguments in "include" directive: it takes one file name or pattern, not %d`, d.NArgs())},
			})
			if n := d.NArgs(); n > 1 {
				probs[len(probs)-1].Notes = []Note{{Start: int(d.Start()), End: int(d.NameEnd()), Msg: `the include directive (is its ";" missing?)`}}
			}
			continue
		}
		r := l.resolve(d.Arg(0))
		for _, re := range r.errs {
			if p := l.includeProblem(d, re); p.Kind == kindRead {
				reads = append(reads, p)
			} else {
				probs = append(probs, p)
			}
		}
		for _, c := range r.files {
			l.entry(c)
			e.incs = append(e.incs, c)
			if l.isStock(c) {
				probs = append(probs, &Problem{Kind: KindStock, Target: c, Error: Error{File: f, Start: int(d.ArgAt(0).Start), End: int(d.ArgAt(0).End),
					Msg: fmt.Sprintf("include %q: the tree does not hold %s; nginxlint assumes the file %s install", d.Arg(0), c, l.stockName)}})
			}
		}
	}
	e.probs, e.reads = probs, reads
}

// isStock reports whether the canonical path c is a package file served
// by Options.Stock.
func (l *loader) isStock(c string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stocked[c]
}

// collectIncludes adds the include directives among the n nodes from
// first, and in their blocks, to out.
func (f *File) collectIncludes(first, n int32, out *[]Directive) {
	for i := first; i < first+n; i++ {
		d := Directive{f.own, i}
		b := f.blockOf(&f.nodes[i])
		if b == nil && d.IsInclude() {
			*out = append(*out, d)
		}
		if b != nil && b.nkids > 0 {
			f.collectIncludes(b.kids, b.nkids, out)
		}
	}
}

func (l *loader) includeProblem(d Directive, r resolveError) *Problem {
	arg := d.ArgAt(0)
	p := &Problem{Kind: KindInclude, Error: Error{File: d.File(), Start: int(arg.Start), End: int(arg.End)}}
	switch {
	case errors.Is(r.err, errOutside):
		p.Kind = KindOutside
		why := ""
		if msg := r.err.Error(); msg != errOutside.Error() {
			why = " (" + strings.TrimPrefix(msg, errOutside.Error()+": ") + ")"
		}
		p.Msg = fmt.Sprintf("include %q leaves the tree%s; nginxlint reads only files under %s, so it is not checked (set --prefix if the tree stands for another directory)", arg.Value, why, l.prefix)
	case errors.Is(r.err, fs.ErrNotExist):
		p.Msg = fmt.Sprintf("included file %q does not exist (nginx looks for %s)", arg.Value, r.what)
		if me := (*missingError)(nil); errors.As(r.err, &me) && me.virtual != path.Clean(r.what) {
			p.Msg = fmt.Sprintf("included file %q does not exist (nginx looks for %s, which is %s once symbolic links are followed)", arg.Value, r.what, me.virtual)
		}
		if !path.IsAbs(arg.Value) && !hasMeta(arg.Value) {
			// Written relative to the including file, as nginx does not
			// read it?
			beside := path.Join(path.Dir(d.File().Virtual), arg.Value)
			if beside != path.Clean(r.what) {
				if _, err := l.src.canonical(beside); err == nil {
					p.Msg += fmt.Sprintf("; %s exists, but nginx resolves a relative include from the prefix (%s), not from the including file: write %q", beside, l.prefix, strings.TrimPrefix(beside, l.prefix+"/"))
				}
			}
		}
	case errors.Is(r.err, syscall.ENOTDIR):
		p.Msg = fmt.Sprintf("included file %q does not exist: nginx looks for %s, where a directory on the way is a file (\"Not a directory\")", arg.Value, r.what)
	case errors.Is(r.err, errLoop):
		p.Msg = fmt.Sprintf("include %q: %v", arg.Value, r.err)
	default:
		p.Kind = kindRead
		p.Msg = fmt.Sprintf("include %q: cannot read %s: %v", arg.Value, r.what, pathErr(r.err))
	}
	return p
}

// resolve expands an include argument to canonical file paths, relative
// paths against the prefix as nginx does (not against the including file).
func (l *loader) resolve(arg string) *resolution {
	l.mu.Lock()
	r, ok := l.resolved[arg]
	l.mu.Unlock()
	if ok {
		return r
	}
	// The path nginx opens, as it writes it: the source resolves "." and
	// ".." where the kernel does, after the links before them.
	v := arg
	if !path.IsAbs(v) {
		v = l.base + v
	}
	r = &resolution{}
	matches := []string{v}
	if hasMeta(v) {
		matches, r.errs = l.src.glob(v)
	}
	for _, m := range matches {
		c, err := l.src.canonical(m)
		if err != nil {
			// A path that leads out of the tree or nowhere.
			r.errs = append(r.errs, resolveError{m, err})
			continue
		}
		r.files = append(r.files, c)
	}
	l.mu.Lock()
	l.resolved[arg] = r
	l.mu.Unlock()
	return r
}

// expand instantiates the files the include directives among the n
// nodes from first of instance in pull in (and in their blocks), and
// checks what depends on the context ctx. stack holds the files being
// included, to detect cycles.
func (b *build) expand(in *instance, first, n int32, ctx string, stack []*File) {
	f := in.file
	// Only blocks, includes, and in http, stream and mail the lines that
	// may be a server without its block need their names read.
	simple := ctx != "http" && ctx != "stream" && ctx != "mail"
	for i := first; i < first+n; i++ {
		nd := &f.nodes[i]
		if simple && nd.meta&(isBlock|includeName) == 0 {
			continue
		}
		d := Directive{in, i}
		name := d.Name()
		b.checkContext(d, name, ctx)
		if blk := f.blockOf(nd); blk != nil {
			b.expand(in, blk.kids, blk.nkids, name, stack)
			continue
		}
		if nd.meta&includeName == 0 || f.argc(nd) != 1 {
			continue
		}
		arg := d.ArgAt(0)
		l := b.l
		r := l.resolve(arg.Value)
		for _, c := range r.files {
			e := l.files[c]
			if errors.Is(e.readErr, errIsDir) {
				b.problems = append(b.problems, &Problem{Kind: KindInclude, Error: Error{
					File: f, Start: int(arg.Start), End: int(arg.End),
					Msg: fmt.Sprintf("include %q names a directory (%s); nginx fails with \"Is a directory\". Include the files in it with a pattern such as %q", arg.Value, e.file.Name, strings.TrimSuffix(arg.Value, "/")+"/*.conf"),
				}})
				continue
			}
			if e.readErr != nil {
				b.readError(d, e)
				continue
			}
			if b.onStack[e.file] {
				// Once per include line and file, whatever path led here.
				k := cycleKey{f, nd.start, e.file}
				if b.cycles[k] {
					continue
				}
				b.cycles[k] = true
				cycle := cycleFrom(stack, e.file)
				b.problems = append(b.problems, &Problem{Kind: KindInclude, Error: Error{
					File: f, Start: int(arg.Start), End: int(arg.End),
					Msg: fmt.Sprintf("include cycle: %s; nginx would include these files forever", cycle),
				}})
				continue
			}
			if l.instances++; l.instances > MaxInstances {
				if l.instances == MaxInstances+1 {
					b.reads = append(b.reads, &Problem{Kind: kindRead, Error: Error{File: f, Start: int(nd.start), End: int(d.End()),
						Msg: fmt.Sprintf("more than %d included file instances; nginxlint stops expanding includes here", MaxInstances)}})
				}
				continue
			}
			sub := b.use(e)
			sub.include = d
			sub.outer = d.BlockParent()
			b.register(sub)
			b.onStack[e.file] = true
			b.expand(sub, e.file.top, e.file.ntop, ctx, append(stack, e.file))
			b.onStack[e.file] = false
			if in.included == nil {
				in.included = map[int32][]*instance{}
			}
			in.included[i] = append(in.included[i], sub)
		}
	}
}

// register makes in part of the tree.
func (b *build) register(in *instance) {
	in.id = int32(len(b.insts))
	b.insts = append(b.insts, in)
}

func (b *build) readError(d Directive, e *fileEntry) {
	arg := d.ArgAt(0)
	b.reads = append(b.reads, &Problem{Kind: kindRead, Error: Error{
		File: d.File(), Start: int(arg.Start), End: int(arg.End),
		Msg: fmt.Sprintf("cannot read included file %s: %v", e.file.Name, pathErr(e.readErr)),
	}})
}

// cycleFrom returns the include chain from f back to f when f is already
// being included, or "".
func cycleFrom(stack []*File, f *File) string {
	for i, s := range stack {
		if s == f {
			var names []string
			for _, s := range stack[i:] {
				names = append(names, s.Name)
			}
			return strings.Join(append(names, f.Name), " includes ")
		}
	}
	return ""
}

// checkContext reports what nginx refuses because of where a directive
// stands: "server" is a block in http, stream and mail, a plain directive
// in upstream.
func (b *build) checkContext(d Directive, name, ctx string) {
	if name != "server" {
		return
	}
	switch ctx {
	case "http", "stream", "mail":
		if !d.IsBlock() {
			b.problems = append(b.problems, &Problem{Kind: KindSyntax, Error: Error{File: d.File(), Start: int(d.End()) - 1, End: int(d.End()),
				Msg: fmt.Sprintf(`directive "server" has no opening "{" (in %s, "server" is a block; a "server ADDRESS;" line belongs inside an "upstream" block)`, ctx)}})
		}
	case "upstream":
		if d.IsBlock() {
			b.problems = append(b.problems, &Problem{Kind: KindSyntax, Error: Error{File: d.File(), Start: int(d.LBrace()), End: int(d.LBrace()) + 1,
				Msg: `directive "server" is not terminated by ";" (in an upstream block, "server ADDRESS [PARAMETERS];" takes no block)`}})
		}
	}
}

// inferContext guesses the context of a file from its top-level
// directives: a whole configuration, or a snippet meant for http, server
// or location level, or for stream. The grammar says which context each
// directive points to; the highest wins. A snippet whose top level, or
// one of whose server blocks, holds a directive only the stream module
// has is a stream snippet.
func inferContext(f *File, g Grammar) string {
	g = grammarOrNone(g)
	ds := f.Directives()
	level := ""
	rank := map[string]int{"location": 1, "server": 2, "http": 3, "main": 4}
	stream := false
	for _, d := range ds {
		name := d.Name()
		if c := g.SnippetContext(name, d.IsBlock()); rank[c] > rank[level] {
			level = c
		}
		if g.Stream(name, false) {
			stream = true
		}
		if name == "server" && d.IsBlock() {
			for _, c := range d.Block() {
				if g.Stream(c.Name(), true) {
					stream = true
				}
			}
		}
	}
	switch {
	case stream && level != "main":
		return "stream"
	case level != "":
		return level
	case len(ds) == 0:
		return "main"
	}
	return "location"
}

// sortProblems sorts problems by file, position and message, and drops
// duplicates: a file included in several places is checked in each.
func sortProblems(ps []*Problem) []*Problem {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File.Name != b.File.Name {
			return a.File.Name < b.File.Name
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Msg < b.Msg
	})
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 {
			q := out[n-1]
			if q.File == p.File && q.Start == p.Start && q.End == p.End && q.Kind == p.Kind && q.Msg == p.Msg {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// sizeText64 is sizeText for a limit that may pass an int.
func sizeText64(n int64) string {
	if n > 1<<40 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return sizeText(int(n))
}

// sizeText renders a size limit: "1 GiB", "64 MiB", "1 KiB".
func sizeText(n int) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
