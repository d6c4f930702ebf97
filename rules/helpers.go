// Helpers shared by several rules.

package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// checkable reports whether a target has a literal address to check
// against the manifest: no variables, no parse error, a port or a socket
// path, not a name that stands for an upstream block (defined or not:
// upstream-undefined reports those), and not a server marked down, which
// nginx never dials.
func checkable(t *model.Target) bool {
	a := &t.Parsed().Addr
	return t.Err() == nil && !t.Parsed().HasVars && t.Upstream().IsZero() && (a.Unix || a.Port != 0) && !bareName(t.Parsed().Name) && !t.IsDown()
}

// bareName reports whether name is a word nginx can only take for an
// upstream name: no dot, not localhost, not an address.
func bareName(name string) bool {
	if name == "" || strings.Contains(name, ".") || strings.Contains(name, ":") || strings.EqualFold(name, "localhost") {
		return false
	}
	_, err := netip.ParseAddr(name)
	return err != nil
}

// dialed describes what nginx connects to for t.
func dialed(t *model.Target) string {
	if t.IsServer() {
		return fmt.Sprintf("upstream %q dials %s", t.In().Arg(0), t.Parsed().Addr)
	}
	return fmt.Sprintf("%s dials %s", t.Directive.Name(), t.Parsed().Addr)
}

// suggestion is the address to write instead of target to reach listen:
// the listen address itself; for a backend on a wildcard address, the
// target's host with the listen port when that host is in the family the
// wildcard accepts, loopback of that family otherwise.
func suggestion(target, listen manifest.Addr) string {
	if listen.Unix || !listen.IP.IsValid() || !listen.IP.IsUnspecified() || target.Unix {
		return listen.String()
	}
	a := target
	a.Port = listen.Port
	a.Raw = ""
	if !a.IP.IsValid() || a.IP.Is4() == listen.IP.Is4() || listen.IP.Is6() {
		// A host name, the same family, or [::] (which takes both).
		return a.String()
	}
	return fmt.Sprintf("127.0.0.1:%d", listen.Port)
}

// replaceAddr returns a fix that rewrites the address in t's argument, or
// nil when the address cannot be located in the source text exactly.
func replaceAddr(t *model.Target, with string) []lint.Fix {
	arg := t.Arg()
	src := t.Directive.File().Src[arg.Start:arg.End]
	raw := t.Parsed().Addr.Raw
	off := 0
	if arg.Quote != 0 {
		src, off = src[1:len(src)-1], 1
	}
	if src != arg.Value || raw == "" {
		return nil // escapes: the text differs from the value
	}
	i := strings.Index(src, raw)
	if i < 0 {
		return nil
	}
	start := int(arg.Start) + off + i
	return []lint.Fix{{
		Message: fmt.Sprintf("replace %s with %s", raw, with),
		Edits:   []lint.TextEdit{{File: t.Directive.File(), Start: start, End: start + len(raw), NewText: with}},
	}}
}

// boundUpstream returns the upstream block the manifest binds backend b
// to (its upstream key): the http block of that name, else the stream
// block; zero when b names none or the tree has no such block.
func boundUpstream(p *lint.Pass, b *manifest.Backend) syntax.Directive {
	if b.Upstream == "" {
		return syntax.Directive{}
	}
	ix := model.Of(p)
	if up := ix.Upstream("http", b.Upstream); !up.IsZero() {
		return up
	}
	return ix.Upstream("stream", b.Upstream)
}

// backendRelated points at where the manifest defines a backend, when
// the run has the manifest's text.
func backendRelated(p *lint.Pass, b *manifest.Backend) []lint.Related {
	if r, ok := p.ManifestRelated(b.Pos, "backend "+b.Name+" is defined here"); ok {
		return []lint.Related{r}
	}
	return nil
}

// listenList renders a backend's listen addresses.
func listenList(b *manifest.Backend) string {
	var s []string
	for _, l := range b.Listen {
		s = append(s, l.String())
	}
	return strings.Join(s, ", ")
}

// reportProblems reports what the loader found of one kind: the loader
// reads the text once, and these rules only turn its problems into
// findings, so they can be configured and suppressed like any other.
func reportProblems(kind string) func(*lint.Pass) {
	return func(p *lint.Pass) {
		for _, pr := range p.Tree.Problems {
			if pr.Kind == kind {
				d := lint.Diagnostic{File: pr.File, Start: pr.Start, End: pr.End, Message: pr.Msg}
				for _, n := range pr.Notes {
					d.Related = append(d.Related, lint.Related{File: pr.File, Start: n.Start, End: n.End, Message: n.Msg})
				}
				p.Report(d)
			}
		}
	}
}

// keepaliveOf returns the keepalive directive of an upstream block, or
// zero.
func keepaliveOf(up syntax.Directive) syntax.Directive {
	for d := range up.EachChild() {
		if d.Name() == "keepalive" {
			return d
		}
	}
	return syntax.Directive{}
}

// upstreamBackends returns the backends the server lines of an upstream
// block reach, each once, in order.
func upstreamBackends(p *lint.Pass, up syntax.Directive) []*manifest.Backend {
	return serverBackends(p, model.Of(p).UpstreamServers(up))
}

// serverBackends returns the backends the server lines servers resolve
// to, each once, in order.
func serverBackends(p *lint.Pass, servers []*model.Target) []*manifest.Backend {
	var out []*manifest.Backend
	var seen map[*manifest.Backend]bool // once out is long enough to be worth it
	for _, t := range servers {
		if !checkable(t) {
			continue
		}
		b := p.Manifest.Resolve(t.Parsed().Addr).Backend
		switch {
		case b == nil:
		case seen != nil:
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		case !slices.Contains(out, b):
			out = append(out, b)
			if len(out) == 16 {
				seen = make(map[*manifest.Backend]bool, 2*len(out))
				for _, b := range out {
					seen[b] = true
				}
			}
		}
	}
	return out
}

// upstreamServers returns the server lines of an upstream block and how
// many are primaries, backups and down.
func upstreamServers(up syntax.Directive) (servers []syntax.Directive, livePrimary, liveBackup int) {
	for _, d := range up.Children() {
		if d.Name() != "server" || d.IsBlock() || d.NArgs() == 0 {
			continue
		}
		servers = append(servers, d)
		down, backup := false, false
		for i, a := range d.EachArg() {
			switch {
			case i == 0:
				continue
			case a.Value == "down":
				down = true
			case a.Value == "backup":
				backup = true
			}
		}
		switch {
		case down:
		case backup:
			liveBackup++
		default:
			livePrimary++
		}
	}
	return servers, livePrimary, liveBackup
}

// nameSpan is a finding at a directive's name.
func nameSpan(d syntax.Directive, msg string) lint.Diagnostic {
	return lint.Diagnostic{File: d.File(), Start: int(d.Start()), End: int(d.NameEnd()), Message: msg}
}

// firstInBlock remembers, for the block being walked and the blocks
// around it, the first directive seen under each key: the duplicates
// nginx refuses are within one block. Directives must come in the order
// of a walk of the tree (a block before its directives); the maps of
// blocks the walk has left are emptied and used again, so that memory
// follows the depth of the tree, not its size.
type firstInBlock struct {
	stack []blockSeen
	free  []map[string]syntax.Directive
}

type blockSeen struct {
	block syntax.Directive
	seen  map[string]syntax.Directive
}

// see records d under key in d's block and returns the directive
// recorded first there under that key, if any.
func (fb *firstInBlock) see(d syntax.Directive, key string) (first syntax.Directive, dup bool) {
	bp := d.BlockParent()
	for n := len(fb.stack); n > 0 && fb.stack[n-1].block != bp && !isAncestor(fb.stack[n-1].block, bp); n = len(fb.stack) {
		m := fb.stack[n-1].seen
		clear(m)
		fb.free = append(fb.free, m)
		fb.stack = fb.stack[:n-1]
	}
	if n := len(fb.stack); n == 0 || fb.stack[n-1].block != bp {
		var m map[string]syntax.Directive
		if k := len(fb.free); k > 0 {
			m, fb.free = fb.free[k-1], fb.free[:k-1]
		} else {
			m = map[string]syntax.Directive{}
		}
		fb.stack = append(fb.stack, blockSeen{bp, m})
	}
	seen := fb.stack[len(fb.stack)-1].seen
	if f, ok := seen[key]; ok {
		return f, true
	}
	seen[key] = d
	return syntax.Directive{}, false
}

// isAncestor reports whether block a encloses block b (the zero block,
// the top level, encloses every block).
func isAncestor(a, b syntax.Directive) bool {
	if a.IsZero() {
		return true
	}
	for p := b; !p.IsZero(); p = p.BlockParent() {
		if p == a {
			return true
		}
	}
	return false
}

// eachParamLine calls fn for every listen directive and upstream server
// line of the tree, with the module whose parameters it takes.
func eachParamLine(ix *model.Index, fn func(d syntax.Directive, module string)) {
	// The module is that of the outermost block around the listen
	// directive: the same for every listen whose block (a server) stands
	// in the same block (an http), as consecutive listens mostly do.
	// outer and core remember the last such block and its module.
	var outer syntax.Directive
	core := ""
	for l := range ix.ByName("listen") {
		in := l.BlockParent()
		var o syntax.Directive
		if !in.IsZero() {
			o = in.BlockParent()
		}
		if o.IsZero() {
			fn(l, paramModules[ix.Module(l)].core)
			continue
		}
		if o != outer {
			outer, core = o, paramModules[ix.Module(in)].core
		}
		fn(l, core)
	}
	for t := range ix.Targets() {
		if t.IsServer() {
			fn(t.Directive, paramModules[t.Module()].upstream)
		}
	}
}

// paramModules names, by model.Index.Module, the modules whose
// parameters listen directives and upstream server lines take.
var paramModules = map[string]struct{ core, upstream string }{
	"main":   {"ngx_main_core_module", "ngx_main_upstream_module"},
	"http":   {"ngx_http_core_module", "ngx_http_upstream_module"},
	"stream": {"ngx_stream_core_module", "ngx_stream_upstream_module"},
	"mail":   {"ngx_mail_core_module", "ngx_mail_upstream_module"},
}

// location is what nginx reads of a location's arguments.
type location struct {
	name                    string // the path, regex or @name, as nginx names it
	exact, named, regex, ok bool
}

func readLocation(d syntax.Directive) location {
	switch d.NArgs() {
	case 1:
		a := d.Arg(0)
		switch {
		case strings.HasPrefix(a, "@"):
			return location{name: a, named: true, ok: true}
		case strings.HasPrefix(a, "="):
			return location{name: a[1:], exact: true, ok: true}
		case strings.HasPrefix(a, "^~"):
			return location{name: a[2:], ok: true}
		case strings.HasPrefix(a, "~*"):
			return location{name: a[2:], regex: true, ok: true}
		case strings.HasPrefix(a, "~"):
			return location{name: a[1:], regex: true, ok: true}
		}
		return location{name: a, ok: true}
	case 2:
		switch d.Arg(0) {
		case "=":
			return location{name: d.Arg(1), exact: true, ok: true}
		case "^~":
			return location{name: d.Arg(1), ok: true}
		case "~", "~*":
			return location{name: d.Arg(1), regex: true, ok: true}
		}
	}
	return location{}
}

// isDigits reports whether s is a decimal number.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
