package judge

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Config is a configuration to mutate: a main file (the tree is its
// directory, standing for /etc/nginx) and the context it is read in.
type Config struct {
	// Name identifies it in reports.
	Name string
	// Path is the main file.
	Path string
	// Context is "main" for a whole configuration, or the context of a
	// snippet ("http", "server", "location", "stream", "upstream"); ""
	// lets lint/syntax infer it.
	Context string
}

// Base is a configuration made runnable: its tree copied with stubs for
// what it names but does not ship, and the Env nginx accepts it with.
type Base struct {
	Config
	// Dir is the copy of the tree: the files lint/syntax reads, the
	// other files nginx reads (certificates ...), and the stubs.
	Dir string
	// Tree is the copy as lint/syntax loads it.
	Tree *syntax.Tree
	Env  *Env
	// Stubs lists what was added, for reports ("stub-include:x", ...).
	Stubs []string
	// stubbed are the files of Dir the harness wrote (relative paths):
	// not the configuration's, so never mutated.
	stubbed map[string]bool
}

// Editable reports whether f, a file of Tree, is the configuration's own
// (not a stub the harness added).
func (b *Base) Editable(f *syntax.File) bool {
	return !b.stubbed[strings.TrimPrefix(f.Virtual, b.Tree.Prefix+"/")]
}

// Unusable is the error of Prepare for a configuration the harness cannot
// use: nginx refuses it even with stubs, or nginxlint cannot read it.
type Unusable struct{ Reason string }

func (u *Unusable) Error() string { return u.Reason }

// maxRepairs bounds the rounds of nginx -t that Prepare runs to find the
// stubs a configuration needs.
const maxRepairs = 12

// Prepare copies the tree of c into dir, stubs what it lacks, and runs
// nginx -t until nginx accepts it or says something no stub can answer.
// It returns an *Unusable error for a configuration the harness cannot
// use, another error when the harness itself fails.
func Prepare(c Config, dir string, n *Nginx) (*Base, error) {
	t0, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: c.Path, Context: c.Context})
	if err != nil {
		return nil, &Unusable{err.Error()}
	}
	if len(t0.ReadErrors) > 0 {
		return nil, &Unusable{"unreadable file: " + t0.ReadErrors[0].Error.Error()}
	}
	mainRel := strings.TrimPrefix(t0.Main.Virtual, t0.Prefix+"/")
	b := &Base{Config: c, Dir: dir, Env: &Env{Main: mainRel, Context: t0.Context, Hosts: map[string]bool{}, Users: map[string]string{}, Outside: map[string]string{}},
		stubbed: map[string]bool{}}
	for _, f := range t0.Files {
		rel := strings.TrimPrefix(f.Virtual, t0.Prefix+"/")
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(f.Src)); err != nil {
			return nil, err
		}
	}
	// Includes the tree lacks, then the files nginx reads.
	tree := t0
	for range 4 {
		added, err := b.stubIncludes(tree, t0.Root)
		if err != nil {
			return nil, err
		}
		if added == 0 {
			break
		}
		if tree, err = b.load(); err != nil {
			return nil, err
		}
	}
	if err := b.stubFiles(tree, t0.Root); err != nil {
		return nil, err
	}
	if tree, err = b.load(); err != nil {
		return nil, err
	}
	b.Tree = tree
	for _, p := range tree.Problems {
		if p.Kind == syntax.KindOutside {
			return nil, &Unusable{"includes a file outside the tree: " + p.Error.Error()}
		}
	}
	b.Env.LoadStream = usesStream(tree)
	b.Env.Upstreams = map[string]bool{}
	tree.Walk(func(d syntax.Directive) {
		if d.Name() == "upstream" && d.IsBlock() {
			b.Env.Upstreams[d.Arg(0)] = true
		}
	})

	for range maxRepairs {
		v, err := b.Check(n)
		if err != nil {
			return nil, err
		}
		if v.OK {
			return b, nil
		}
		if !b.repair(v, n) {
			return nil, &Unusable{"nginx: " + v.Msg}
		}
	}
	return nil, &Unusable{"nginx still refuses it after " + fmt.Sprint(maxRepairs) + " stubs"}
}

// load loads the copy of the tree.
func (b *Base) load() (*syntax.Tree, error) {
	t, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: filepath.Join(b.Dir, filepath.FromSlash(b.Env.Main)), Context: b.Env.Context})
	if err != nil {
		return nil, &Unusable{err.Error()}
	}
	return t, nil
}

// Check runs nginx -t on the base as it is.
func (b *Base) Check(n *Nginx) (Verdict, error) {
	scratch, err := os.MkdirTemp("", "nginxlint-base-")
	if err != nil {
		return Verdict{}, err
	}
	defer func() { _ = os.RemoveAll(scratch) }()
	main, g, err := n.Sandbox(b.Dir, b.Env, scratch)
	if err != nil {
		return Verdict{}, &Unusable{err.Error()}
	}
	return n.Test(scratch, main, g, b.Env.LoopbackIPs)
}

// resolve returns the path relative to the tree that nginx would open for
// argument v of a file directive (relative to the tree's top, or absolute
// under /etc/nginx), and false for a path outside the tree.
func resolve(v string) (string, bool) {
	if !path.IsAbs(v) {
		return path.Clean(v), true
	}
	v = path.Clean(v)
	if rel, ok := strings.CutPrefix(v, "/etc/nginx/"); ok {
		return rel, true
	}
	return "", false
}

// stubIncludes writes a file for each literal include of the tree that
// names a file nobody shipped: the stock file of that name, else an
// empty one. It returns how many it wrote.
func (b *Base) stubIncludes(t *syntax.Tree, origRoot string) (int, error) {
	added := 0
	var err error
	t.Walk(func(d syntax.Directive) {
		if err != nil || !d.IsInclude() || d.NArgs() != 1 {
			return
		}
		v := d.Arg(0)
		if strings.ContainsAny(v, "*?[$") {
			return
		}
		rel, inside := resolve(v)
		if !inside || strings.HasPrefix(rel, "../") || rel == ".." {
			return
		}
		dst := filepath.Join(b.Dir, filepath.FromSlash(rel))
		if _, e := os.Stat(dst); e == nil {
			return
		}
		if orig := filepath.Join(origRoot, filepath.FromSlash(rel)); origRoot != "" {
			if fi, e := os.Stat(orig); e == nil && fi.Mode().IsRegular() {
				return // lint/syntax read it, or could not: nothing to stub
			}
		}
		data, ok := stockFile(rel)
		what := "stub-include(empty):"
		if ok {
			what = "stub-include(stock):"
		}
		if err = writeFile(dst, data); err == nil {
			b.stubbed[rel] = true
			b.Stubs = append(b.Stubs, what+rel)
			added++
		}
	})
	return added, err
}

// stubFiles copies the files the tree's directives name (certificates,
// keys ...) into the copy, or writes stubs for those nobody shipped; a
// path outside the tree is stubbed in each sandbox (Env.Outside).
func (b *Base) stubFiles(t *syntax.Tree, origRoot string) error {
	var err error
	t.Walk(func(d syntax.Directive) {
		kind, ok := pathArgs[d.Name()]
		if err != nil || !ok || kind == "" || d.NArgs() < 1 {
			return
		}
		v := d.Arg(0)
		if strings.Contains(v, "$") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "engine:") {
			return
		}
		rel, inside := resolve(v)
		if !inside || strings.HasPrefix(rel, "../") {
			if _, seen := b.Env.Outside[path.Clean(v)]; !seen {
				b.Env.Outside[path.Clean(v)] = kind
				b.Stubs = append(b.Stubs, "stub-"+kind+":"+path.Clean(v))
			}
			return
		}
		dst := filepath.Join(b.Dir, filepath.FromSlash(rel))
		if _, e := os.Stat(dst); e == nil {
			return
		}
		if origRoot != "" {
			if data, e := os.ReadFile(filepath.Join(origRoot, filepath.FromSlash(rel))); e == nil {
				err = writeFile(dst, data)
				return
			}
		}
		if err = writeStub(dst, kind); err == nil {
			b.stubbed[rel] = true
			b.Stubs = append(b.Stubs, "stub-"+kind+":"+rel)
		}
	})
	return err
}

// usesStream reports whether the tree has a stream block (or is a stream
// snippet) and does not load the stream module itself.
func usesStream(t *syntax.Tree) bool {
	uses := t.Context == "stream"
	loads := false
	t.Walk(func(d syntax.Directive) {
		switch d.Name() {
		case "stream":
			uses = true
		case "load_module":
			loads = loads || strings.Contains(d.Arg(0), "ngx_stream_module")
		}
	})
	return uses && !loads
}

var (
	hostRE     = regexp.MustCompile(`^host not found in (?:upstream )?"([^"]+)"`)
	resolverRE = regexp.MustCompile(`^host not found in resolver "([^"]+)"`)
	userRE     = regexp.MustCompile(`^(getpwnam|getgrnam)\("([^"]+)"\) failed`)
	bindRE     = regexp.MustCompile(`^bind\(\) to (\S+) failed \(99: `)
	logFmtRE   = regexp.MustCompile(`^unknown log format "([^"]+)"`)
	varRE      = regexp.MustCompile(`^unknown "([^"]+)" variable`)
	zoneRE     = regexp.MustCompile(`^zero size shared memory zone "([^"]+)"`)
	noPortRE   = regexp.MustCompile(`^no port in upstream "([^"]+)"`)
)

// repair adds to the base the stub that answers nginx's refusal v, and
// reports whether there was one it had not tried.
func (b *Base) repair(v Verdict, n *Nginx) bool {
	e := b.Env
	snippet := e.Context != "main"
	if m := hostRE.FindStringSubmatch(v.Msg); m != nil || resolverRE.MatchString(v.Msg) {
		if m == nil {
			m = resolverRE.FindStringSubmatch(v.Msg)
		}
		host := m[1]
		if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.Contains(host[:i], ":") {
			host = host[:i]
		}
		if e.Hosts[host] || host == "127.0.0.1" {
			return false
		}
		e.Hosts[host] = true
		b.Stubs = append(b.Stubs, "stub-host:"+host)
		return true
	}
	if m := userRE.FindStringSubmatch(v.Msg); m != nil {
		if _, done := e.Users[m[2]]; done {
			return false
		}
		to := "nobody"
		if u, err := user.Current(); err == nil {
			to = u.Username
			if m[1] == "getgrnam" {
				if g, err := user.LookupGroupId(u.Gid); err == nil {
					to = g.Name
				}
			}
		}
		e.Users[m[2]] = to
		b.Stubs = append(b.Stubs, "stub-user:"+m[2]+"->"+to)
		return true
	}
	if m := bindRE.FindStringSubmatch(v.Msg); m != nil && n.Isolation != "" {
		host := m[1]
		if i := strings.LastIndexByte(host, ':'); i > 0 {
			host = host[:i]
		}
		host = strings.Trim(host, "[]")
		if slices.Contains(e.LoopbackIPs, host) {
			return false
		}
		e.LoopbackIPs = append(e.LoopbackIPs, host)
		b.Stubs = append(b.Stubs, "stub-ip-on-lo:"+host)
		return true
	}
	if !snippet {
		return false
	}
	var def string
	if m := logFmtRE.FindStringSubmatch(v.Msg); m != nil {
		def = fmt.Sprintf("log_format %s '$remote_addr';", m[1])
	} else if m := varRE.FindStringSubmatch(v.Msg); m != nil {
		def = fmt.Sprintf(`map "" $%s { default ""; }`, m[1])
	} else if m := noPortRE.FindStringSubmatch(v.Msg); m != nil {
		def = fmt.Sprintf("upstream %s { server 127.0.0.1:9000; }", m[1])
	} else if m := zoneRE.FindStringSubmatch(v.Msg); m != nil {
		def = b.zoneDef(m[1])
	}
	if def == "" || slices.Contains(e.Defs, def) {
		return false
	}
	e.Defs = append(e.Defs, def)
	b.Stubs = append(b.Stubs, "stub-harness-def:"+def)
	return true
}

// zoneDef returns the definition of the shared memory zone name, from the
// directive of the tree that uses it; "" when none does.
func (b *Base) zoneDef(name string) string {
	def := ""
	b.Tree.Walk(func(d syntax.Directive) {
		if def != "" {
			return
		}
		switch d.Name() {
		case "limit_req":
			for _, a := range d.Args() {
				if a.Value == "zone="+name {
					def = fmt.Sprintf("limit_req_zone $binary_remote_addr zone=%s:1m rate=10r/s;", name)
				}
			}
		case "limit_conn":
			if d.Arg(0) == name {
				def = fmt.Sprintf("limit_conn_zone $binary_remote_addr zone=%s:1m;", name)
			}
		case "proxy_cache", "fastcgi_cache", "uwsgi_cache", "scgi_cache":
			if d.Arg(0) == name {
				dir := strings.TrimSuffix(d.Name(), "_cache")
				def = fmt.Sprintf("%s_cache_path nginxlint_cache_%s_%s keys_zone=%s:1m;", dir, dir, name, name)
			}
		}
	})
	return def
}

// writeFile writes data at p, making its directories.
func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// IsUnusable reports whether err says a configuration cannot be used.
func IsUnusable(err error) bool {
	var u *Unusable
	return errors.As(err, &u)
}
