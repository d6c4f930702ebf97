package nginx

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	nameRE   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	moduleRE = regexp.MustCompile(`^[a-z][a-z0-9]*_[a-z0-9_]+_module$`)
)

// TestHandEntries checks the hand-written entries against the generated
// table: each names a directive of it, and sets only what it does not
// say (no module, no contexts, no kind but Data, which only a block
// directive can be).
func TestHandEntries(t *testing.T) {
	seen := map[string]bool{}
	for _, h := range hand {
		if seen[h.Name] {
			t.Errorf("%s: listed twice", h.Name)
		}
		seen[h.Name] = true
		vs := Variants(h.Name)
		if len(vs) == 0 {
			t.Errorf("%s: not a directive of the generated table", h.Name)
			continue
		}
		if h.Module != "" || h.Contexts != 0 || h.Kind != Unrecorded && h.Kind != Data {
			t.Errorf("%s: sets what the generated table says (module %q, contexts %v, kind %d)", h.Name, h.Module, h.Contexts, h.Kind)
		}
		for _, v := range vs {
			if h.Kind == Data && !v.Block {
				t.Errorf("%s: a data block, but %s's takes no block", h.Name, v.Module)
			}
		}
		if h.Inherit == Inherited && h.Snippet == 0 && h.Dial == nil && h.StreamDial == nil && h.Kind != Data {
			t.Errorf("%s: says nothing the generated table does not", h.Name)
		}
	}
}

// TestGeneratedConsistent checks the generated table: every variant has
// a context and argument counts nginx has, and a module of the table; no
// name has two variants of one module; the versions are in order; every
// parameter belongs to a variant.
func TestGeneratedConsistent(t *testing.T) {
	modules := map[string]bool{}
	for _, m := range Modules() {
		if modules[m.Name] || !moduleRE.MatchString(m.Name) {
			t.Errorf("module %q: listed twice, or not a module name", m.Name)
		}
		modules[m.Name] = true
		if m.ThirdParty() && (m.Short == "" || m.Object == "" || !strings.Contains(m.Source, "/")) {
			t.Errorf("%s: a third-party module needs its repository, short name and object: %+v", m.Name, *m)
		}
		if !m.ThirdParty() && m.Short != "" {
			t.Errorf("%s: nginx's own module with a short name %q", m.Name, m.Short)
		}
		if m.Object != "" && !strings.HasSuffix(m.Object, ".so") {
			t.Errorf("%s: object %q", m.Name, m.Object)
		}
		if m.Option != "" && !strings.HasPrefix(m.Option, "--with-") && !strings.HasPrefix(m.Option, "--without-") {
			t.Errorf("%s: option %q", m.Name, m.Option)
		}
	}
	seen := map[[2]string]bool{}
	for i := range generatedVariants {
		v := &generatedVariants[i]
		k := [2]string{v.Name, v.Module}
		if seen[k] {
			t.Errorf("%s: two variants of %s", v.Name, v.Module)
		}
		seen[k] = true
		if !nameRE.MatchString(v.Name) || !modules[v.Module] {
			t.Errorf("%s of %s: a bad name, or a module the table does not list", v.Name, v.Module)
		}
		if v.Contexts == 0 || v.Contexts&^AnyContext != 0 {
			t.Errorf("%s of %s: contexts %v", v.Name, v.Module, v.Contexts)
		}
		if v.Args == 0 || v.Args >= ArgsAny<<1 || !v.Args.Accepts(0) && !v.Args.Accepts(1) && !v.Args.Accepts(2) && !v.Args.Accepts(3) {
			t.Errorf("%s of %s: argument counts %#x", v.Name, v.Module, uint16(v.Args))
		}
		third := ModuleNamed(v.Module).ThirdParty()
		if third && (!v.Since.IsZero() || !v.Until.IsZero() || !v.Deprecated.IsZero()) {
			t.Errorf("%s of %s: versions for a third-party module", v.Name, v.Module)
		}
		checkVersions(t, v.Name+" of "+v.Module, v.Since, v.Until, v.Deprecated)
		if v.Instead != "" && v.Deprecated.IsZero() {
			t.Errorf("%s of %s: instead %q, but not deprecated", v.Name, v.Module, v.Instead)
		}
	}
	params := map[Param]bool{}
	for i := range generatedParams {
		p := generatedParams[i]
		if params[p] || !nameRE.MatchString(p.Name) || !seen[[2]string{p.Directive, p.Module}] {
			t.Errorf("parameter %s of %s of %s: listed twice, a bad name, or of no variant", p.Name, p.Directive, p.Module)
		}
		params[p] = true
		checkVersions(t, "parameter "+p.Name+" of "+p.Directive, p.Since, p.Until, p.Deprecated)
	}
	if names := DirectiveNames(); !slices.IsSorted(names) || len(names) != len(Directives()) {
		t.Errorf("%d directive names, sorted %v, for %d directives", len(names), slices.IsSorted(names), len(Directives()))
	}
}

// checkVersions checks that since < deprecated < until, where set, and
// that they are within the table's versions.
func checkVersions(t *testing.T, what string, since, until, deprecated Version) {
	t.Helper()
	for _, v := range []Version{since, until, deprecated} {
		if !v.IsZero() && (v.Less(Version{1, 0, 0}) || Newest().Less(v)) {
			t.Errorf("%s: version %v outside 1.0.0 to %v", what, v, Newest())
		}
	}
	if !since.IsZero() && !until.IsZero() && !since.Less(until) ||
		!deprecated.IsZero() && (deprecated.Less(since) || !until.IsZero() && !deprecated.Less(until)) {
		t.Errorf("%s: since %v, until %v, deprecated %v", what, since, until, deprecated)
	}
}

// TestTableConsistent checks every entry of the table on its own and
// against the others.
func TestTableConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Directives() {
		if !nameRE.MatchString(d.Name) {
			t.Errorf("%q: a directive name is lowercase letters, digits and '_'", d.Name)
		}
		if seen[d.Name] {
			t.Errorf("%s: listed twice", d.Name)
		}
		seen[d.Name] = true
		if Lookup(d.Name) != d {
			t.Errorf("%s: Lookup does not find the entry", d.Name)
		}
		if !moduleRE.MatchString(d.Module) {
			t.Errorf("%s: module %q is not a module name such as ngx_http_core_module", d.Name, d.Module)
		}
		if d.Contexts == 0 || d.Contexts&^AnyContext != 0 {
			t.Errorf("%s: contexts %v: want at least one known context", d.Name, d.Contexts)
		}
		switch d.Kind {
		case Simple, Block, Data:
		case Either:
			if d.Contexts&(d.Contexts-1) == 0 {
				t.Errorf("%s: Either needs at least two contexts to differ in, has %v", d.Name, d.Contexts)
			}
		default:
			t.Errorf("%s: unknown kind %d", d.Name, d.Kind)
		}
		switch d.Snippet {
		case 0, Main, HTTP, HTTPServer:
		default:
			t.Errorf("%s: snippet context %v: want main, http or server", d.Name, d.Snippet)
		}
		if !d.Contexts.Has(d.Snippet) {
			t.Errorf("%s: snippet context %v is not among its contexts %v", d.Name, d.Snippet, d.Contexts)
		}
		switch d.Inherit {
		case Inherited, NotInherited:
		case Array:
			if d.Kind == Block || d.Kind == Data {
				t.Errorf("%s: a block directive is not an array", d.Name)
			}
		default:
			t.Errorf("%s: unknown inheritance %d", d.Name, d.Inherit)
		}
		if m := UpstreamModule(d.Name); m != "" && d.Contexts&(HTTP|HTTPServer|HTTPLocation) != 0 && d.Module != m &&
			!ModuleNamed(d.Module).ThirdParty() {
			t.Errorf("%s: module %s, but its prefix is %s's", d.Name, d.Module, m)
		}
		if d.Dial != nil {
			checkDial(t, d, d.Dial, HTTPLocation|HTTPUpstream)
		}
		if d.StreamDial != nil {
			checkDial(t, d, d.StreamDial, StreamServer|StreamUpstream)
		}
	}
}

// checkDial checks a dial spec of d, which applies in the contexts of d
// among where.
func checkDial(t *testing.T, d *Directive, dial *Dial, where Context) {
	t.Helper()
	in := d.Contexts & where
	if in == 0 {
		t.Errorf("%s: a dial spec for %v, where it is not allowed (%v)", d.Name, where, d.Contexts)
		return
	}
	server := in&(HTTPUpstream|StreamUpstream) != 0 // an upstream's server line
	stream := where&(StreamServer|StreamUpstream) != 0
	// The scheme rule.
	if dial.SchemeRequired && len(dial.Schemes) == 0 {
		t.Errorf("%s: a scheme is required, but none is listed", d.Name)
	}
	schemes := dial.SchemeNames()
	for i, s := range dial.Schemes {
		if !nameRE.MatchString(s.Name) || slices.Index(schemes, s.Name) != i {
			t.Errorf("%s: scheme %q is not a unique lowercase name", d.Name, s.Name)
		}
		if !s.Protocol.Valid() {
			t.Errorf("%s: scheme %s speaks the unknown protocol %q", d.Name, s.Name, s.Protocol)
		}
	}
	if dial.Protocol != "" && !dial.Protocol.Valid() {
		t.Errorf("%s: unknown protocol %q", d.Name, dial.Protocol)
	}
	if dial.Protocol == "" && !dial.SchemeRequired && !server && !stream {
		t.Errorf("%s: without a scheme it speaks no protocol; only server lines and the stream context leave it to others", d.Name)
	}
	for from, to := range dial.SchemeFixes {
		if slices.Contains(schemes, from) || !slices.Contains(schemes, to) {
			t.Errorf("%s: scheme fix %s -> %s: want a refused scheme to an accepted one", d.Name, from, to)
		}
	}
	// The port rule: a default, a required port, or a host that must name
	// an upstream block.
	schemePorts := len(dial.Schemes) > 0
	for _, s := range dial.Schemes {
		schemePorts = schemePorts && s.Port > 0
	}
	if dial.DefaultPort == 0 && !dial.PortRequired && !dial.Upstream && !(dial.SchemeRequired && schemePorts) {
		t.Errorf("%s: no default port, no port required, and no upstream name: a port-less address means nothing", d.Name)
	}
	if dial.DefaultPort < 0 || dial.DefaultPort > 65535 || dial.PortRequired && dial.DefaultPort != 0 {
		t.Errorf("%s: default port %d with port required %v", d.Name, dial.DefaultPort, dial.PortRequired)
	}
	// The read timeout is a directive of the table, allowed where d is.
	switch {
	case dial.ReadTimeout == "" && !server:
		t.Errorf("%s: no read-timeout directive", d.Name)
	case dial.ReadTimeout != "" && server:
		t.Errorf("%s: a server line has no read timeout of its own, has %s", d.Name, dial.ReadTimeout)
	case dial.ReadTimeout != "":
		rt := Lookup(dial.ReadTimeout)
		if rt == nil {
			t.Errorf("%s: read timeout %s is not in the table", d.Name, dial.ReadTimeout)
		} else if !rt.Contexts.Has(in &^ HTTPLocationIf) {
			t.Errorf("%s: read timeout %s (%v) is not allowed everywhere %s is (%v)", d.Name, rt.Name, rt.Contexts, d.Name, in)
		}
	}
}

func TestPassDirectives(t *testing.T) {
	passes := PassDirectives()
	if len(passes) == 0 {
		t.Fatal("no pass directives")
	}
	for _, name := range passes {
		d := Lookup(name)
		if !strings.HasSuffix(name, "_pass") || !IsPass(name) || d.Inherit != NotInherited ||
			!d.Contexts.Has(HTTPLocation|HTTPLocationIf) || DialOf(name, false) == nil {
			t.Errorf("%s: a pass directive ends in _pass, is allowed in a location and its if blocks, is not inherited and dials", name)
		}
	}
	for _, d := range Directives() {
		if d.Dial != nil && d.Contexts&HTTPLocation != 0 && !IsPass(d.Name) {
			t.Errorf("%s dials from a location but is not a pass directive", d.Name)
		}
	}
	if IsPass("server") || IsPass("proxy_set_header") || IsPass("") {
		t.Error("IsPass is true of a directive that is not a pass directive")
	}
	if got := dialList(); got != "proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass, memcached_pass or server" {
		t.Errorf("dialList() = %q", got)
	}
}

func TestDialOf(t *testing.T) {
	for _, tt := range []struct {
		name   string
		stream bool
		want   *Dial
	}{
		{"proxy_pass", false, &proxyPass},
		{"proxy_pass", true, &streamProxyPass},
		{"server", false, &upstreamServer},
		{"server", true, &streamServer},
		{"fastcgi_pass", true, nil},
		{"proxy_set_header", false, nil},
		{"nothing", false, nil},
	} {
		if got := DialOf(tt.name, tt.stream); got != tt.want {
			t.Errorf("DialOf(%q, %v) = %p, want %p", tt.name, tt.stream, got, tt.want)
		}
	}
	if got := DialOf("grpc_pass", false).SchemeFixes["https"]; got != "grpcs" {
		t.Errorf("grpc_pass fixes https:// to %q", got)
	}
}

func TestAllows(t *testing.T) {
	for _, tt := range []struct {
		name           string
		c              Context
		allowed, known bool
	}{
		{"proxy_pass", HTTPLocationIf, true, true},
		{"proxy_set_header", HTTPLocationIf, false, true},
		{"proxy_set_header", HTTPLocation, true, true},
		{"alias", HTTPLocationIf, false, true},
		{"root", HTTPLocationIf, true, true},
		{"return", HTTPServerIf, true, true},
		{"add_header", HTTPServerIf, false, true},
		{"include", LimitExcept, true, true},
		{"proxy_cache_lock", HTTPLocationIf, false, true},
		{"proxy_cache_lock", HTTPLocation, true, true},
		{"more_set_headers", HTTPLocationIf, true, true}, // headers-more
		{"listen", RTMPServer, true, true},               // nginx-rtmp-module
		// Not in the table: an upstream module's directive is refused in
		// if blocks, and nothing else is known.
		{"proxy_made_up", HTTPLocationIf, false, true},
		{"fastcgi_made_up", HTTPServerIf, false, true},
		{"proxy_made_up", HTTPLocation, false, false},
		{"made_up", HTTPLocationIf, false, false},
	} {
		allowed, known := Allows(tt.name, tt.c)
		if allowed != tt.allowed || known != tt.known {
			t.Errorf("Allows(%q, %v) = %v, %v; want %v, %v", tt.name, tt.c, allowed, known, tt.allowed, tt.known)
		}
	}
}

func TestInheritance(t *testing.T) {
	for name, want := range map[string]Inherit{
		"proxy_pass":       NotInherited,
		"location":         NotInherited,
		"proxy_set_header": Array,
		"root":             Inherited,
		"unknown_thing":    Inherited,
	} {
		if got := Inheritance(name); got != want {
			t.Errorf("Inheritance(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestContextString(t *testing.T) {
	for c, want := range map[Context]string{
		0:                           "none",
		AnyContext:                  "any",
		HTTP | HTTPServer:           "http|server",
		HTTPLocationIf | MailServer: "if-in-location|mail-server",
		RTMPApplication:             "rtmp-application",
	} {
		if got := c.String(); got != want {
			t.Errorf("%#x.String() = %q, want %q", uint32(c), got, want)
		}
	}
	if len(contextNames) != 18 || AnyContext != 1<<len(contextNames)-1 {
		t.Errorf("%d context names for the contexts %#x", len(contextNames), uint32(AnyContext))
	}
}

func TestGrammar(t *testing.T) {
	var g Grammar
	for _, tt := range []struct {
		name          string
		always, never bool
		data, lua     bool
	}{
		{"http", true, false, false, false},
		{"map", true, false, true, false},
		{"charset_map", true, false, true, false},
		{"proxy_pass", false, true, false, false},
		{"server", false, false, false, false}, // Either
		{"daemon", false, true, false, false},
		{"more_set_headers", false, true, false, false}, // headers-more
		{"application", true, false, false, false},      // nginx-rtmp-module
		{"geoip2", true, false, true, false},            // ngx_http_geoip2_module
		{"made_up", false, false, false, false},         // not in the table
		{"made_up_by_lua_block", true, false, false, true},
		{"content_by_lua_block", true, false, false, true},
	} {
		always, never := g.TakesBlock(tt.name)
		if always != tt.always || never != tt.never || g.DataBlock(tt.name) != tt.data || g.LuaBlock(tt.name) != tt.lua {
			t.Errorf("%s: TakesBlock %v, %v, DataBlock %v, LuaBlock %v; want %v, %v, %v, %v", tt.name,
				always, never, g.DataBlock(tt.name), g.LuaBlock(tt.name), tt.always, tt.never, tt.data, tt.lua)
		}
	}
	for _, tt := range []struct {
		name  string
		block bool
		want  string
	}{
		{"events", true, "main"},
		{"http", false, "main"}, // the form does not matter but for Either directives
		{"worker_processes", false, "main"},
		{"server", true, "http"},
		{"server", false, ""}, // an upstream's server line
		{"upstream", true, "http"},
		{"listen", false, "server"},
		{"location", true, "server"},
		{"root", false, ""},
		{"unknown", false, ""},
	} {
		if got := g.SnippetContext(tt.name, tt.block); got != tt.want {
			t.Errorf("SnippetContext(%q, %v) = %q, want %q", tt.name, tt.block, got, tt.want)
		}
	}
}

// TestReadTimeouts: every http pass directive X_pass is bounded by
// X_read_timeout, whose default is a minute, as in nginx's sources.
func TestReadTimeouts(t *testing.T) {
	for _, pass := range PassDirectives() {
		dial := DialOf(pass, false)
		if dial == nil {
			t.Errorf("%s has no http dial spec", pass)
			continue
		}
		if want := strings.TrimSuffix(pass, "_pass") + "_read_timeout"; dial.ReadTimeout != want {
			t.Errorf("%s: read timeout %q, want %q", pass, dial.ReadTimeout, want)
		}
		if dial.DefaultReadTimeout != time.Minute {
			t.Errorf("%s: default read timeout %v, want 1m", pass, dial.DefaultReadTimeout)
		}
	}
}

func TestFormatTime(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{{2 * time.Minute, "2m"}, {90 * time.Second, "90s"}, {1500 * time.Millisecond, "1500ms"}, {0, "0m"}} {
		if got := FormatTime(c.d); got != c.want {
			t.Errorf("FormatTime(%v) = %q, want %q", c.d, got, c.want)
		}
		if back, ok := ParseTime(FormatTime(c.d)); !ok || back != c.d {
			t.Errorf("ParseTime(FormatTime(%v)) = %v, %v", c.d, back, ok)
		}
	}
}

// TestEntries: only Array directives have named entries, and the names
// compare as nginx compares them (headers without case, parameters
// exactly; "off" resets the cookie rewrites).
func TestEntries(t *testing.T) {
	n := 0
	for _, d := range Directives() {
		if d.Entries == 0 {
			continue
		}
		n++
		if d.Inherit != Array {
			t.Errorf("%s has named entries but is not inherited as an array", d.Name)
		}
		if d.Entries&(EntriesFold|EntriesExact) == 0 || d.Entries&EntriesFold != 0 && d.Entries&EntriesExact != 0 {
			t.Errorf("%s: entries %b must be compared one way", d.Name, d.Entries)
		}
	}
	for name, want := range map[string]Entries{
		"proxy_set_header":  EntriesFold,
		"add_header":        EntriesFold,
		"fastcgi_param":     EntriesExact,
		"proxy_cookie_path": EntriesExact | EntriesOff,
		"access_log":        0,
		"error_page":        0,
	} {
		if got := Lookup(name).Entries; got != want {
			t.Errorf("%s: entries %b, want %b", name, got, want)
		}
	}
	if n < 20 {
		t.Errorf("only %d directives with named entries", n)
	}
}
