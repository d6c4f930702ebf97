package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// BackendResolveOnce reports backend host names that nginx resolves only
// when it starts or reloads.
var BackendResolveOnce = &lint.Rule{
	ID:    "backend-resolve-once",
	Title: "a backend host name that nginx resolves only when it starts",
	Doc: `nginx resolves a host name written in proxy_pass (or fastcgi_pass, grpc_pass
and the other *_pass directives) or in a server line of an upstream block
once, when it starts or reloads, and connects to the addresses it got
until the next reload. When the backend's address changes (a container
restarted with a new IP, a cloud load balancer that moved), requests fail
with 502 until nginx is reloaded.

nginx resolves a name again while it runs in two cases only:

- A server line with the "resolve" parameter (open-source nginx 1.27.3
  and later), in an upstream block with a "zone" (its addresses live in
  shared memory), with a "resolver" in the upstream block or at http (or
  stream) level:

      resolver 127.0.0.53 valid=30s;
      upstream api {
          zone api 64k;
          server api.internal:8080 resolve;
      }

  Without the zone or the resolver nginx refuses to start.

- A target written with a variable, with a "resolver" in scope: nginx
  then resolves the name per request (cached for the resolver's valid=
  time):

      resolver 127.0.0.53 valid=30s;
      location / {
          set $api api.internal:8080;
          proxy_pass http://$api;
      }

  Note that a proxy_pass with variables passes its URI as written: the
  location's prefix is not replaced.

The rule reports a host name nginx resolves only when it starts, and says
what to write for the target nginx version (--nginx-version, or
"version" in the manifest's [nginx] table; without one, both ways).
IP addresses, unix sockets, upstream names and "localhost" are not
reported. A target with variables whose host name is written out is
resolved per request: it is reported only when no resolver is in scope,
where nginx cannot resolve it at all and answers 502 ("no resolver
defined to resolve ...").

nginxlint never resolves a name itself. When a backend's address never
changes (a name pinned in /etc/hosts, a fixed address behind a name), say
so in the manifest, and its addresses are not reported:

    [backends.db]
    listen = "db.internal:5432"
    fixed = true`,
	Bad: `location /api/ {
    proxy_pass http://api.internal:8080;
}
`,
	Good: `resolver 127.0.0.53 valid=30s;
location /api/ {
    set $api api.internal:8080;
    proxy_pass http://$api;
}
`,
	Severity: lint.Warning,
	Run:      runBackendResolveOnce,
}

// resolveOnce is the state of one run of the rule. A tree of host names
// has a finding per target: what they share is looked up once, and each
// message is written in one buffer.
type resolveOnce struct {
	p  *lint.Pass
	ix *model.Index
	// since holds, by module, the first version whose upstream server
	// lines take resolve (zero: none the table knows), and has whether
	// the target version is one of them.
	since map[string]nginx.Version
	has   map[string]bool
	// resolvers holds, by upstream block, whether a resolver applies to
	// its server lines, and by http or stream block whether it has one.
	resolvers map[syntax.Directive]bool
	// literal holds, once needed, the addresses (module, host and port)
	// that pass directives without variables name: nginx makes each an
	// upstream of its own when it starts, and a target with variables
	// that names one of them at run time uses its addresses.
	literal map[string]bool
	msg     strings.Builder
}

func runBackendResolveOnce(p *lint.Pass) {
	r := &resolveOnce{p: p, ix: model.Of(p), since: map[string]nginx.Version{}, has: map[string]bool{}, resolvers: map[syntax.Directive]bool{}}
	for _, module := range []string{"http", "stream"} {
		since := resolveSince(module)
		r.since[module] = since
		r.has[module] = !since.IsZero() && !r.ix.Target().Less(since)
	}
	for t := range r.ix.Targets() {
		if !hostName(t) {
			continue
		}
		var b *manifest.Backend
		if p.Manifest != nil {
			b = p.Manifest.Resolve(t.Parsed().Addr).Backend
		}
		switch {
		case t.Parsed().HasVars:
			// Resolved per request: any name, localhost included, needs
			// a resolver.
			r.variable(t, b)
		case strings.EqualFold(t.Parsed().Addr.Host, "localhost"):
			// /etc/hosts: it does not move.
		case t.Parsed().Name != "" && (bareName(t.Parsed().Name) || !r.complete(t)):
			// A name only an upstream block stands for
			// (upstream-undefined's), or one an upstream block the tree
			// does not hold may stand for.
		case b != nil && b.Fixed:
			// The manifest says its address never changes.
		case t.IsServer():
			r.server(t, b)
		default:
			r.pass(t, b)
		}
	}
}

// complete reports whether the tree holds all that applies to t: it is
// not a snippet, and no file around t went unread. Only then can an
// upstream block or a resolver be known to be missing.
func (r *resolveOnce) complete(t *model.Target) bool {
	return r.p.Tree.Context == "main" && !r.ix.Incomplete(t.Directive.BlockParent())
}

// hostName reports whether t dials a host name that nginx resolves, not
// an address, a socket or an upstream block.
func hostName(t *model.Target) bool {
	if t.Err() != nil || !t.Upstream().IsZero() || t.IsDown() {
		return false
	}
	a := &t.Parsed().Addr
	return !a.Unix && !a.IP.IsValid() && a.Host != "" && !strings.ContainsAny(a.Host, "${}")
}

// resolveSince returns the first version whose upstream server lines of
// module ("http" or "stream") take the resolve parameter, from the
// directive table; zero when the table does not know it.
func resolveSince(module string) nginx.Version {
	for _, p := range nginx.Params("server", "ngx_"+module+"_upstream_module") {
		if p.Name == "resolve" {
			return p.Since
		}
	}
	return nginx.Version{}
}

// resolverIn reports whether a resolver applies to the target t. What
// holds for an upstream block is remembered for its other server lines;
// a location mostly holds one pass directive.
func (r *resolveOnce) resolverIn(t *model.Target) bool {
	if !t.IsServer() {
		return r.ix.Resolver(t).IsSet()
	}
	up := t.In()
	if ok, done := r.resolvers[up]; done {
		return ok
	}
	ok := r.ix.Resolver(t).IsSet()
	r.resolvers[up] = ok
	return ok
}

// moduleResolver reports whether the http (or stream) level around d has
// a resolver, which upstream blocks use.
func (r *resolveOnce) moduleResolver(d syntax.Directive) bool {
	block := moduleBlock(d)
	if ok, done := r.resolvers[block]; done && !block.IsZero() {
		return ok
	}
	ok := r.ix.Effective(block, "resolver").IsSet()
	if !block.IsZero() {
		r.resolvers[block] = ok
	}
	return ok
}

// The parts of the messages.
const (
	aResolver      = "a resolver (resolver ADDRESS valid=30s;)"
	nameTheVersion = "; set version in the manifest's [nginx] table or --nginx-version for the advice of your version"
)

// start begins the message about t: what it dials, and, for a target
// nginx resolves only when it starts, the trouble.
func (r *resolveOnce) start(t *model.Target, once bool) *strings.Builder {
	m := &r.msg
	m.Reset()
	m.Grow(640)
	if t.IsServer() {
		m.WriteString(`upstream "`)
		m.WriteString(t.In().Arg(0))
		m.WriteString(`" dials `)
	} else {
		m.WriteString(t.Directive.Name())
		m.WriteString(" dials ")
	}
	m.WriteString(t.Parsed().Addr.String())
	if once {
		m.WriteString(", a host name nginx resolves only when it starts or reloads: when the address of ")
		m.WriteString(t.Parsed().Addr.Host)
		m.WriteString(" changes, requests fail with 502 until the next reload; ")
	}
	return m
}

// written is t's address as written, for the lines a message suggests.
func written(t *model.Target) string {
	if raw := t.Parsed().Addr.Raw; raw != "" {
		return raw
	}
	return t.Parsed().Addr.String()
}

// server reports a server line of an upstream block.
func (r *resolveOnce) server(t *model.Target, b *manifest.Backend) {
	up := t.In()
	module := t.Module()
	resolve := false
	for i, a := range t.Directive.EachArg() {
		resolve = resolve || i > 0 && a.Value == "resolve"
	}
	zone := !childNamed(up, "zone").IsZero()
	resolver := r.resolverIn(t)
	switch {
	case resolve && !r.has[module]:
		return // a parameter the version does not have: directive-version's
	case resolve && zone && resolver:
		return // resolved again while nginx runs
	case resolve && !r.complete(t):
		return // the zone or the resolver may be in what the tree lacks
	case resolve:
		m := r.start(t, false)
		m.WriteString(` with resolve, but nginx refuses to start ("`)
		if !zone {
			fmt.Fprintf(m, `resolving names at run time requires upstream "%s" ... to be in shared memory`, up.Arg(0))
		} else {
			fmt.Fprintf(m, `no resolver defined to resolve names at run time in upstream "%s" ...`, up.Arg(0))
		}
		fmt.Fprintf(m, `"): resolve needs a zone in the upstream and a resolver in it or at %s level; add `, module)
		if !zone {
			fmt.Fprintf(m, "zone %s 64k; to the upstream", up.Arg(0))
			if !resolver {
				m.WriteString(" and ")
			}
		}
		if !resolver {
			fmt.Fprintf(m, "%s to the upstream or the %s block", aResolver, module)
		}
		d := r.diagnostic(t, b)
		d.Related = append([]lint.Related{lint.RelatedTo(up, fmt.Sprintf("upstream %q is defined here", up.Arg(0)))}, d.Related...)
		r.p.Report(d)
		return
	}
	m := r.start(t, true)
	since := r.since[module]
	todo := func() {
		m.WriteString("add resolve to this server line")
		switch {
		case !zone && !resolver:
			fmt.Fprintf(m, ", zone %s 64k; to the upstream and %s to the upstream or the %s block", up.Arg(0), aResolver, module)
		case !zone:
			fmt.Fprintf(m, " and zone %s 64k; to the upstream", up.Arg(0))
		case !resolver:
			fmt.Fprintf(m, " and %s to the upstream or the %s block", aResolver, module)
		}
	}
	variable := func() {
		fmt.Fprintf(m, "proxy to it through a variable and a resolver instead of the upstream (set $backend %s; %s$backend;)", written(t), r.passLine(up, module))
	}
	switch {
	case r.has[module] && r.p.NginxVersion != "":
		m.WriteString("to have nginx resolve it while it runs, ")
		todo()
	case r.has[module]:
		fmt.Fprintf(m, "with nginx %s or later, ", since)
		todo()
		fmt.Fprintf(m, "; before %s, ", since)
		variable()
		m.WriteString(nameTheVersion)
	default:
		fmt.Fprintf(m, "nginx %s resolves upstream servers only when it starts (server ... resolve came with nginx %s): ", r.p.NginxVersion, versionText(since))
		variable()
		m.WriteString(", or upgrade")
	}
	r.p.Report(r.diagnostic(t, b))
}

// passLine is how a pass directive of the upstream up (of module) begins,
// as its first user writes it ("proxy_pass http://"), to show how it
// would name a variable instead.
func (r *resolveOnce) passLine(up syntax.Directive, module string) string {
	if users := r.ix.UpstreamUsers(up); len(users) > 0 {
		return users[0].Directive.Name() + " " + schemePrefix(users[0])
	}
	if module == "stream" {
		return "proxy_pass "
	}
	return "proxy_pass http://"
}

// pass reports a pass directive that names a host without variables.
func (r *resolveOnce) pass(t *model.Target, b *manifest.Backend) {
	module := t.Module()
	since := r.since[module]
	m := r.start(t, true)
	withUpstream := func() {
		fmt.Fprintf(m, "proxy to an upstream block with zone NAME 64k; and server %s resolve;, with ", written(t))
		if r.moduleResolver(t.Directive) {
			fmt.Fprintf(m, "the %s level's resolver", module)
		} else {
			fmt.Fprintf(m, "%s at %s level", aResolver, module)
		}
	}
	withVariable := func() {
		m.WriteString("write the address with a variable, with ")
		if r.resolverIn(t) {
			m.WriteString("the resolver in scope")
		} else {
			m.WriteString(aResolver + " in scope")
		}
		fmt.Fprintf(m, " (set $backend %s; %s %s$backend;)", written(t), t.Directive.Name(), schemePrefix(t))
		if uri := uriPart(t); uri != "" {
			fmt.Fprintf(m, ", and mind that proxy_pass with variables passes its URI (%s) as written, not in place of the location's prefix", uri)
		}
	}
	m.WriteString("to have nginx resolve it while it runs, ")
	switch {
	case r.has[module] && r.p.NginxVersion != "":
		withUpstream()
		m.WriteString("; or ")
		withVariable()
	case r.has[module]:
		fmt.Fprintf(m, "with nginx %s or later, ", since)
		withUpstream()
		m.WriteString("; with any version, ")
		withVariable()
		m.WriteString(nameTheVersion)
	default:
		withVariable()
	}
	r.p.Report(r.diagnostic(t, b))
}

// variable reports a target with variables whose host name is written
// out, when nginx cannot resolve it per request: no resolver applies, the
// tree holds all that applies to it, and no pass directive without
// variables names the same address (nginx would use the addresses it
// resolved for that one when it started; the pass directive is reported
// itself).
func (r *resolveOnce) variable(t *model.Target, b *manifest.Backend) {
	if r.resolverIn(t) || !r.complete(t) || r.literalTarget(t) {
		return
	}
	host := t.Parsed().Addr.Host
	m := r.start(t, false)
	fmt.Fprintf(m, ` with variables, so nginx resolves %s for each request, but no resolver is in scope: it cannot, and every request fails with 502 ("no resolver defined to resolve %s"); `, host, host)
	if strings.EqualFold(host, "localhost") {
		m.WriteString("write 127.0.0.1 (or [::1]) instead of localhost, an address nginx need not resolve, or ")
	}
	m.WriteString("add " + aResolver + " to this block or one around it")
	r.p.Report(r.diagnostic(t, b))
}

// literalTarget reports whether a pass directive without variables, in
// t's module, names the host and port t names.
func (r *resolveOnce) literalTarget(t *model.Target) bool {
	if r.literal == nil {
		r.literal = map[string]bool{}
		for o := range r.ix.Targets() {
			if o.Err() == nil && !o.IsServer() && !o.Parsed().HasVars && o.Parsed().Addr.Host != "" {
				r.literal[addrKey(o)] = true
			}
		}
	}
	return r.literal[addrKey(t)]
}

func addrKey(t *model.Target) string {
	a := &t.Parsed().Addr
	return t.Module() + " " + a.Host + ":" + strconv.Itoa(a.Port)
}

// diagnostic is the finding at t's address with the message written so
// far, pointing at the manifest's backend b (when not nil) whose
// fixed = true would silence it.
func (r *resolveOnce) diagnostic(t *model.Target, b *manifest.Backend) lint.Diagnostic {
	m := &r.msg
	var related []lint.Related
	if b != nil && !t.Parsed().HasVars {
		fmt.Fprintf(m, "; if the address of %s never changes, write fixed = true in backend %s of the manifest", t.Parsed().Addr.Host, b.Name)
		if rel, ok := r.p.ManifestRelated(b.Pos, "backend "+b.Name+" is defined here"); ok {
			related = []lint.Related{rel}
		}
	}
	a := t.Arg()
	return lint.Diagnostic{File: t.Directive.File(), Start: int(a.Start), End: int(a.End), Message: m.String(), Related: related}
}

// childNamed returns the first directive named name in block, or zero.
func childNamed(block syntax.Directive, name string) syntax.Directive {
	for d := range block.EachChild() {
		if d.Name() == name {
			return d
		}
	}
	return syntax.Directive{}
}

// moduleBlock returns the http or stream block d is in; zero for a
// snippet read at that level.
func moduleBlock(d syntax.Directive) syntax.Directive {
	for b := d.BlockParent(); !b.IsZero(); b = b.BlockParent() {
		if n := b.Name(); n == "http" || n == "stream" {
			return b
		}
	}
	return syntax.Directive{}
}

// schemePrefix is the scheme of t's argument as written ("http://"), ""
// for none.
func schemePrefix(t *model.Target) string {
	if s := t.Parsed().Scheme; s != "" {
		return s + "://"
	}
	return ""
}

// uriPart returns the URI part of an http proxy_pass argument (what
// follows the address), "" for none.
func uriPart(t *model.Target) string {
	if t.Directive.Name() != "proxy_pass" || t.Module() != "http" {
		return ""
	}
	arg := t.Directive.Arg(0)
	rest := arg[len(schemePrefix(t)):]
	if !strings.HasPrefix(rest, t.Parsed().Addr.Raw) {
		return ""
	}
	return rest[len(t.Parsed().Addr.Raw):]
}

// versionText writes a version of the table, "a later version" for none.
func versionText(v nginx.Version) string {
	if v.IsZero() {
		return "a later version"
	}
	return v.String()
}
