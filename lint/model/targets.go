package model

import (
	"iter"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// passDirectives are the directives that send a request to a backend:
// lint/nginx's pass directives, in its order.
var passDirectives = nginx.PassDirectives()

// Target is an address nginx connects to: the argument of a *_pass
// directive, or of a server line in an upstream block.
type Target struct {
	Directive syntax.Directive
	parsed    *parsedTarget // shared by every target written the same way
	// up is UpstreamIndex: for a server line, the number of its block;
	// for a pass directive, parsed.upNum.
	up int32
}

// UpstreamIndex returns the number of the upstream block a pass
// directive sends requests to (Upstream), or the one a server line
// belongs to (In), among the tree's upstream blocks; -1 when there is
// none, and for a server line of a block that repeats an earlier block's
// name. A rule that keeps something per upstream keeps it in a slice of
// Index.NumUpstreams entries by this number: on a tree of many
// upstreams, a map by block costs a cache miss per look-up.
func (t *Target) UpstreamIndex() int { return int(t.up) }

// Upstream returns, for a pass directive that names an upstream block,
// the block: nginx dials its server lines instead of the name. A value
// with variables names one when its host is the same whatever the
// variables hold ("http://pool$request_uri", "http://pool/$1"; see
// manifest.ParseTargetVars): nginx looks the host up among the upstream
// blocks on each request. Zero otherwise.
func (t *Target) Upstream() syntax.Directive {
	if t.parsed.upstream == nil {
		return syntax.Directive{}
	}
	return *t.parsed.upstream
}

// Module returns "http" or "stream": the module the target belongs to.
func (t *Target) Module() string {
	if t.parsed.stream {
		return "stream"
	}
	return "http"
}

// Parsed returns the address as nginx reads it. It is shared by every
// target written the same way: do not modify it.
func (t *Target) Parsed() *manifest.Target { return &t.parsed.t }

// Err returns why nginx refuses the address, nil when it accepts it (the
// address is then checked further).
func (t *Target) Err() error { return t.parsed.err }

// In returns, for a server line, the upstream block it belongs to; zero
// for a pass directive.
func (t *Target) In() syntax.Directive {
	if !t.parsed.server {
		return syntax.Directive{}
	}
	return t.Directive.BlockParent()
}

// Arg is the argument that holds the address.
func (t *Target) Arg() syntax.Arg { return t.Directive.ArgAt(0) }

// IsServer reports whether t is a server line of an upstream block.
func (t *Target) IsServer() bool { return t.parsed.server }

// IsDown reports whether t is a server line marked down, which nginx
// never dials.
func (t *Target) IsDown() bool { return t.parsed.down }

type targetIndex struct {
	once  sync.Once
	all   []Target
	users [][]*Target // by upstream number: the pass directives using it
	// servers holds the server lines by upstream number; extraServers
	// those of blocks that repeat an earlier block's name, which have no
	// number.
	servers      [][]*Target
	extraServers map[syntax.Directive][]*Target
	vars         userVars
}

// Targets yields every target in the tree, in order: pass directives in
// http and stream, and server lines of upstream blocks. Computed once.
func (ix *Index) Targets() iter.Seq[*Target] {
	ix.targets.once.Do(ix.buildTargets)
	return func(yield func(*Target) bool) {
		all := ix.targets.all
		for i := range all {
			if !yield(&all[i]) {
				return
			}
		}
	}
}

// UpstreamServers returns the server lines of the upstream block up.
func (ix *Index) UpstreamServers(up syntax.Directive) []*Target {
	ix.targets.once.Do(ix.buildTargets)
	if n := ix.UpstreamIndexOf(up); n >= 0 {
		return ix.targets.servers[n]
	}
	return ix.targets.extraServers[up]
}

// UpstreamServersAt returns the server lines of upstream block number n
// (see Target.UpstreamIndex).
func (ix *Index) UpstreamServersAt(n int) []*Target {
	ix.targets.once.Do(ix.buildTargets)
	return ix.targets.servers[n]
}

// UpstreamUsers returns the pass directives that send requests to the
// upstream block up.
func (ix *Index) UpstreamUsers(up syntax.Directive) []*Target {
	if n := ix.UpstreamIndexOf(up); n >= 0 {
		return ix.UpstreamUsersAt(n)
	}
	return nil
}

// UpstreamUsersAt returns the pass directives that send requests to
// upstream block number n (see Target.UpstreamIndex).
func (ix *Index) UpstreamUsersAt(n int) []*Target {
	ix.targets.once.Do(ix.buildTargets)
	return ix.targets.users[n]
}

// parsedTarget is what a target's directive, argument and module make
// of it, shared by every target written the same way.
type parsedTarget struct {
	t        manifest.Target
	err      error
	upstream *syntax.Directive // in Index.upstreamList, nil for none
	// upNum is the upstream's number in Index.upstreamList.
	upNum                int32
	stream, server, down bool
}

// parseCache holds the targets a worker has read, by directive, module
// and argument.
type parseCache struct {
	// byKind holds the passDirectives, then server lines, then server
	// lines marked down.
	byKind [][2]map[string]*parsedTarget
	// lastBlock and lastUp are the last upstream block a server line
	// was in and its number (see upstreamIndex).
	lastBlock syntax.Directive
	lastUp    int32
}

// get returns the target the directive name (a pass directive or an
// upstream server line, down or not) reads from arg, reading it the
// first time.
func (c *parseCache) get(ix *Index, name, arg string, stream, down bool) *parsedTarget {
	kind := slices.Index(passDirectives, name)
	server := kind < 0
	switch {
	case server && down:
		kind = len(passDirectives) + 1
	case server:
		kind = len(passDirectives)
	}
	if c.byKind == nil {
		c.byKind = make([][2]map[string]*parsedTarget, len(passDirectives)+2)
	}
	m := &c.byKind[kind][b2i(stream)]
	if p, ok := (*m)[arg]; ok {
		return p
	}
	if *m == nil {
		*m = map[string]*parsedTarget{}
	}
	p := &parsedTarget{stream: stream, server: server, down: down}
	p.t, p.err = manifest.ParseTargetVars(name, arg, stream, ix.userVarStart)
	if p.err == nil && !p.server && p.t.Name != "" {
		module := "http"
		if stream {
			module = "stream"
		}
		if n, ok := ix.upstream(module, p.t.Name); ok {
			p.upstream, p.upNum = &ix.upstreamList[n], n
		}
	}
	(*m)[arg] = p
	return p
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// defaultTargetsPerWorker is how many candidates make another worker
// worth starting.
const defaultTargetsPerWorker = 4096

// TargetsPerWorker sets how many candidate targets (pass directives and
// server lines) make another worker worth starting when Targets first
// reads them; n < 1 keeps the default.
func TargetsPerWorker(n int) Option {
	return func(ix *Index) {
		if n >= 1 {
			ix.targetsPerWorker = n
		}
	}
}

// buildTargets reads the candidates in parallel, in pieces of one slab,
// then indexes them in order.
func (ix *Index) buildTargets() {
	ti := &ix.targets
	// The pieces: each part's candidates, cut at ix.targetsPerWorker, and
	// where they go in the slab.
	type piece struct {
		refs []syntax.Ref
		at   int
	}
	var pieces []piece
	n := 0
	for i := range ix.parts {
		for refs := range slices.Chunk(ix.parts[i].candidates, ix.targetsPerWorker) {
			pieces = append(pieces, piece{refs, n})
			n += len(refs)
		}
	}
	// One allocation for all; it never grows, so pointers into it stay.
	// A candidate that is not a target keeps a nil parsed.
	slab := make([]Target, n)
	parsed := make([]parseCache, workers(len(pieces))) // per worker: what is written the same way is read once
	inParallel(len(pieces), func(w, i int) {
		p := pieces[i]
		for j, r := range p.refs {
			ix.readTarget(&slab[p.at+j], ix.tree.Directive(r), &parsed[w])
		}
	})
	// Keep the targets alone, then index them: pointers into the slab
	// are taken once it no longer moves.
	ti.all = slices.DeleteFunc(slab, func(t Target) bool { return t.parsed == nil })
	ti.users = ix.byUpstream(func(t *Target) bool { return !t.parsed.server })
	ti.servers = ix.byUpstream(func(t *Target) bool { return t.parsed.server })
	for i := range ti.all {
		if t := &ti.all[i]; t.parsed.server && t.up < 0 {
			if ti.extraServers == nil {
				ti.extraServers = map[syntax.Directive][]*Target{}
			}
			up := t.In()
			ti.extraServers[up] = append(ti.extraServers[up], t)
		}
	}
}

// byUpstream groups the targets keep is true of by their upstream
// number, in order, in lists that share one allocation.
func (ix *Index) byUpstream(keep func(*Target) bool) [][]*Target {
	all := ix.targets.all
	counts := make([]int32, len(ix.upstreamList))
	n := int32(0)
	for i := range all {
		if t := &all[i]; t.up >= 0 && keep(t) {
			counts[t.up]++
			n++
		}
	}
	lists := make([][]*Target, len(ix.upstreamList))
	backing := make([]*Target, n)
	for u, c := range counts {
		lists[u], backing = backing[:0:c], backing[c:]
	}
	for i := range all {
		if t := &all[i]; t.up >= 0 && keep(t) {
			lists[t.up] = append(lists[t.up], t)
		}
	}
	return lists
}

// readTarget fills t when d is a target, and leaves it zero otherwise.
func (ix *Index) readTarget(t *Target, d syntax.Directive, parsed *parseCache) {
	if d.NArgs() == 0 {
		return
	}
	name := d.Name()
	down := false
	up := int32(-1)
	switch {
	case name == "server" && !d.IsBlock():
		block := d.BlockParent()
		if block.IsZero() || block.Name() != "upstream" {
			return
		}
		up = parsed.upstreamIndex(ix, block)
		for i, a := range d.EachArg() {
			down = down || i > 0 && a.Value == "down"
		}
	case nginx.IsPass(name) && d.NArgs() == 1:
	default:
		return
	}
	module := ix.Module(d)
	if module != "http" && module != "stream" || module == "stream" && nginx.DialOf(name, true) == nil {
		return
	}
	p := parsed.get(ix, name, d.Arg(0), module == "stream", down)
	if p.upstream != nil {
		up = p.upNum
	}
	*t = Target{Directive: d, parsed: p, up: up}
}

// upstreamIndex returns the number of the upstream block block, -1 when
// it has none. Server lines come in runs of one block: the last answer
// is kept.
func (c *parseCache) upstreamIndex(ix *Index, block syntax.Directive) int32 {
	if !c.lastBlock.IsZero() && c.lastBlock == block {
		return c.lastUp
	}
	c.lastBlock, c.lastUp = block, int32(ix.UpstreamIndexOf(block))
	return c.lastUp
}

// upstreamName is how nginx compares upstream names: case-insensitively.
func upstreamName(s string) string { return strings.ToLower(s) }

// userVars knows what the variables the tree defines begin with, as far
// as a URL's host name goes (nginx.VarStart): read once, when a target
// first asks ("http://octane$suffix").
type userVars struct {
	once   sync.Once
	starts map[string]nginx.VarStart // by lower-case name; absent: VarStartsAny
}

// userVarStart returns what the variable name (lower case) the tree
// defines begins with.
func (ix *Index) userVarStart(name string) nginx.VarStart {
	u := &ix.targets.vars
	u.once.Do(ix.readUserVars)
	return u.starts[name]
}

// namedCapture finds the named groups of a regular expression, which
// nginx makes variables: (?<name>...), (?P<name>...), (?'name'...).
var namedCapture = regexp.MustCompile(`\(\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']`)

// readUserVars finds what the variables the tree defines begin with. A
// variable is known when only set defines it, each time to a value that
// is empty or begins with "/" or "?" (a variable in it decided the same
// way): it is then VarEmptyOrURI, as where no set ran it is empty ("using
// uninitialized variable"). A map, geo, a module's *_set or a regular
// expression's named group defining it too leaves it unknown, and so does
// a tree that may not hold every definition (a fragment, a file not
// read): nothing is known then.
func (ix *Index) readUserVars() {
	u := &ix.targets.vars
	u.starts = map[string]nginx.VarStart{}
	if ix.tree.Context != "main" || ix.AnyIncomplete() {
		return
	}
	sets := map[string][]string{}
	other := map[string]bool{}
	captures := func(s string) {
		if strings.Contains(s, "(?") {
			for _, m := range namedCapture.FindAllStringSubmatch(s, -1) {
				other[strings.ToLower(m[1])] = true
			}
		}
	}
	ix.tree.Walk(func(d syntax.Directive) {
		name := d.Name()
		if strings.HasPrefix(name, "$") {
			other[strings.ToLower(name[1:])] = true // geoip2 { $var ...; }
		}
		captures(name) // a regex key of a map block
		if i := nginx.DefinedVariableArg(name, d.NArgs()); i >= 0 {
			v := d.Arg(i)
			if vn, n := nginx.VarRef(v); vn != "" && n == len(v) {
				key := strings.ToLower(vn)
				if name == "set" && d.NArgs() == 2 {
					sets[key] = append(sets[key], d.Arg(1))
				} else {
					other[key] = true
				}
			}
		}
		for _, a := range d.EachArg() {
			captures(a.Value)
		}
	})
	// resolve decides a variable, and those its values begin with; one
	// met again on the way (set $a $b; set $b $a;) is unknown.
	const visiting, decided = 1, 2
	state := map[string]int{}
	var resolve func(name string) nginx.VarStart
	resolve = func(name string) nginx.VarStart {
		switch state[name] {
		case visiting:
			return nginx.VarStartsAny
		case decided:
			return u.starts[name]
		}
		state[name] = visiting
		start := nginx.VarEmptyOrURI
		if other[name] || len(sets[name]) == 0 {
			start = nginx.VarStartsAny
		}
		for _, v := range sets[name] {
			if start == nginx.VarStartsAny {
				break
			}
			if nginx.TextStart(v, resolve) == nginx.VarStartsAny {
				start = nginx.VarStartsAny
			}
		}
		state[name] = decided
		if start != nginx.VarStartsAny {
			u.starts[name] = start
		}
		return start
	}
	for name := range sets {
		resolve(name)
	}
}
