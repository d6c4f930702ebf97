package mutate

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

// The kinds, in report order: the mistakes of the issue that asked for the
// harness, then the syntax ones.
var kinds = []*Kind{
	{Name: "misspelled-directive", mutate: misspell,
		Doc: "misspells a directive's name: drops its last letter, swaps two letters, doubles one, or writes _ as - (server_nam, liste)"},
	{Name: "wrong-block", mutate: wrongBlock,
		Doc: "copies a directive into a block of another kind: listen or server_name into a location, a location into http, a pass directive into a server, an http-level definition into a server, or any directive into another block"},
	{Name: "wrong-argument-count", mutate: wrongArgCount,
		Doc: "repeats a directive's last argument (proxy_pass with two) or removes all its arguments"},
	{Name: "invalid-flag", mutate: invalidFlag,
		Doc: `replaces the "on" or "off" of a directive with another word (gzip yes)`},
	{Name: "duplicate-location", mutate: duplicateLocation,
		Doc: "copies a location block (not a regular expression one) next to itself"},
	{Name: "duplicate-upstream", mutate: duplicateUpstream,
		Doc: "copies an upstream block next to itself"},
	{Name: "duplicate-default-server", mutate: duplicateDefaultServer,
		Doc: "makes a listen default_server and adds a server with another default_server listen on the same address"},
	{Name: "duplicate-directive", mutate: duplicateDirective,
		Doc: "copies a directive that its block sets once next to itself (root twice), except those nginx lets repeat"},
	{Name: "listen-port-range", mutate: listenPortRange,
		Doc: "gives a listen address a port above 65535 (listen 127.0.0.1:65536)"},
	{Name: "listen-unknown-parameter", mutate: listenUnknownParam,
		Doc: "adds a parameter nginx does not know to a listen (default_srever, reuse_port)"},
	{Name: "ssl-without-certificate", mutate: sslWithoutCertificate,
		Doc: "adds ssl to a listen of a server without any ssl_certificate in scope, or removes the certificates of a server that listens with ssl"},
	{Name: "certificate-without-key", mutate: certificateWithoutKey,
		Doc: "removes an ssl_certificate_key beside its ssl_certificate"},
	{Name: "proxy-pass-uri", mutate: proxyPassURI,
		Doc: "gives a proxy_pass a URI part inside a regular expression location, a named location, an if block or limit_except (adding one there when the block has none)"},
	{Name: "unknown-variable", mutate: unknownVariable,
		Doc: "replaces a variable in an argument with $nginxlint_undefined_var, or adds add_header X-Nginxlint-Undefined $nginxlint_undefined_var"},
	{Name: "builtin-variable-redefined", mutate: builtinRedefined,
		Doc: "makes a map or geo block define a built-in variable ($host, $uri ...), or adds such a map"},
	{Name: "version-gated", VersionGated: true, mutate: versionGated,
		Doc: "adds a directive or listen parameter newer than nginx 1.22 (http2 on, http3 on, quic_retry on, listen ... quic)"},
	{Name: "deleted-semicolon", Syntax: true, mutate: deleteSemicolon,
		Doc: `deletes the ";" that ends a directive`},
	{Name: "deleted-open-brace", Syntax: true, mutate: deleteOpenBrace,
		Doc: `deletes the "{" of a block`},
	{Name: "deleted-close-brace", Syntax: true, mutate: deleteCloseBrace,
		Doc: `deletes the "}" of a block`},
	{Name: "stray-close-brace", Syntax: true, mutate: strayCloseBrace,
		Doc: `adds a "}" on a line of its own after a directive`},
	{Name: "unterminated-quote", Syntax: true, mutate: unterminatedQuote,
		Doc: "deletes the closing quote of a quoted argument, or adds an opening quote before an unquoted one"},
	{Name: "missing-include", mutate: missingInclude,
		Doc: "adds an include of a file that does not exist (no glob), or renames the file of a literal include"},
}

// sandboxed are the directives the harness's sandbox rewrites or adds
// (see Nginx.Sandbox in internal/mutate/judge): kinds that copy
// directives leave them alone, so that a copy never meets one the sandbox
// added.
var sandboxed = map[string]bool{
	"access_log": true, "client_body_temp_path": true, "proxy_temp_path": true,
	"fastcgi_temp_path": true, "uwsgi_temp_path": true, "scgi_temp_path": true,
	"pid": true, "lock_file": true, "load_module": true, "user": true, "error_log": true,
}

// repeatable are directives nginx accepts several times in one block
// (arrays, lists, or a new entry each time): copying one is no mistake.
var repeatable = map[string]bool{
	"add_header": true, "add_trailer": true, "proxy_set_header": true, "fastcgi_param": true,
	"uwsgi_param": true, "scgi_param": true, "grpc_set_header": true, "allow": true, "deny": true,
	"set": true, "rewrite": true, "return": true, "if": true, "error_page": true, "access_log": true,
	"error_log": true, "include": true, "listen": true, "server_name": true, "location": true,
	"server": true, "env": true, "load_module": true, "sub_filter": true, "proxy_hide_header": true,
	"proxy_pass_header": true, "fastcgi_hide_header": true, "fastcgi_pass_header": true,
	"uwsgi_hide_header": true, "uwsgi_pass_header": true, "scgi_hide_header": true, "scgi_pass_header": true,
	"grpc_hide_header": true, "grpc_pass_header": true, "ssl_certificate": true, "ssl_certificate_key": true,
	"set_real_ip_from": true, "limit_req": true, "limit_conn": true, "proxy_cache_valid": true,
	"fastcgi_cache_valid": true, "uwsgi_cache_valid": true, "scgi_cache_valid": true,
	"proxy_redirect": true, "proxy_cookie_path": true, "proxy_cookie_domain": true, "proxy_cookie_flags": true,
	"log_format": true, "upstream": true, "map": true, "geo": true, "split_clients": true,
	"limit_req_zone": true, "limit_conn_zone": true, "proxy_cache_path": true, "fastcgi_cache_path": true,
	"uwsgi_cache_path": true, "scgi_cache_path": true, "ssl_conf_command": true, "proxy_ssl_conf_command": true,
	"index": true, "charset_map": true, "proxy_cache_bypass": true, "proxy_no_cache": true,
	"fastcgi_cache_bypass": true, "fastcgi_no_cache": true, "thread_pool": true, "perl_set": true,
	"js_set": true, "js_import": true, "auth_request_set": true, "mirror": true,
}

// passDirectives hand the request to a backend.
var passDirectives = map[string]bool{
	"proxy_pass": true, "fastcgi_pass": true, "uwsgi_pass": true, "scgi_pass": true,
	"grpc_pass": true, "memcached_pass": true,
}

// httpDefinitions are http-level definitions (blocks and zones).
var httpDefinitions = map[string]bool{
	"upstream": true, "map": true, "geo": true, "split_clients": true, "log_format": true,
	"limit_req_zone": true, "limit_conn_zone": true, "proxy_cache_path": true, "fastcgi_cache_path": true,
	"server_names_hash_bucket_size": true, "server_names_hash_max_size": true, "variables_hash_max_size": true,
}

func isSimple(d syntax.Directive) bool { return !d.IsBlock() && !d.IsInclude() }

// argText returns the source text of d's argument i.
func argText(d syntax.Directive, i int) string {
	a := d.ArgAt(i)
	return d.File().Src[a.Start:a.End]
}

func misspell(m *mutator) bool {
	ss := m.filter(func(s site) bool { return plainName(s.d) && len(s.d.Name()) >= 2 })
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	name := d.Name()
	var variants []string
	if len(name) >= 3 {
		variants = append(variants, name[:len(name)-1])
	}
	for i := 1; i+1 < len(name); i++ {
		if name[i] != name[i+1] {
			variants = append(variants, name[:i]+name[i+1:i+2]+name[i:i+1]+name[i+2:])
		}
	}
	i := 1 + m.pick(len(name)-1)
	variants = append(variants, name[:i]+name[i:i+1]+name[i:])
	if strings.Contains(name, "_") {
		variants = append(variants, strings.Replace(name, "_", "-", 1))
	}
	v := variants[m.pick(len(variants))]
	m.on(d.File(), "misspelled %q as %q", name, v)
	m.add(int(d.Start()), int(d.NameEnd()), v)
	return true
}

func wrongBlock(m *mutator) bool {
	type pair struct {
		d syntax.Directive
		s slot
	}
	var classic []pair
	copyable := func(d syntax.Directive) bool {
		return !d.IsInclude() && !sandboxed[d.Name()] && (!d.IsBlock() || d.RBrace() >= 0)
	}
	for _, s := range m.sites {
		d := s.d
		if !copyable(d) {
			continue
		}
		var to func(slot) bool
		switch name := d.Name(); {
		case (name == "listen" || name == "server_name") && s.ctx == "server":
			to = func(t slot) bool { return t.typ == "location" || t.typ == "if" }
		case name == "location" && d.IsBlock():
			to = func(t slot) bool { return t.typ == "http" }
		case passDirectives[name] && (s.ctx == "location" || s.ctx == "if"):
			to = func(t slot) bool { return t.typ == "server" || t.typ == "http" }
		case httpDefinitions[name] && s.ctx == "http":
			to = func(t slot) bool { return t.typ == "server" || t.typ == "location" }
		}
		if to == nil {
			continue
		}
		for _, t := range m.slots {
			if to(t) {
				classic = append(classic, pair{d, t})
			}
		}
	}
	var p pair
	switch {
	case len(classic) > 0 && m.pick(5) < 3:
		p = classic[m.pick(len(classic))]
	default:
		ss := m.filter(func(s site) bool { return isSimple(s.d) && copyable(s.d) })
		if len(ss) == 0 || len(m.slots) == 0 {
			if len(classic) == 0 {
				return false
			}
			p = classic[m.pick(len(classic))]
			break
		}
		found := false
		for range 20 {
			s := ss[m.pick(len(ss))]
			t := m.slots[m.pick(len(m.slots))]
			if t.typ != s.ctx {
				p, found = pair{s.d, t}, true
				break
			}
		}
		if !found {
			if len(classic) == 0 {
				return false
			}
			p = classic[m.pick(len(classic))]
		}
	}
	m.on(p.s.file, "copied %q into a %s block", p.d.String(), p.s.typ)
	m.insertInto(p.s, text(p.d))
	return true
}

func wrongArgCount(m *mutator) bool {
	ss := m.filter(func(s site) bool { return isSimple(s.d) && s.d.NArgs() >= 1 })
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	n := d.NArgs()
	last := d.ArgAt(n - 1)
	if m.pick(3) < 2 {
		m.on(d.File(), "repeated the last argument of %q", d.String())
		m.add(int(last.End), int(last.End), " "+d.File().Src[last.Start:last.End])
		return true
	}
	m.on(d.File(), "removed the arguments of %q", d.String())
	m.add(int(d.NameEnd()), int(last.End), "")
	return true
}

func invalidFlag(m *mutator) bool {
	ss := m.filter(func(s site) bool {
		if !isSimple(s.d) || s.d.NArgs() != 1 {
			return false
		}
		v := strings.ToLower(s.d.Arg(0))
		return v == "on" || v == "off"
	})
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	a := d.ArgAt(0)
	v := m.choose("yes", "no", "enabled", "true", "1", "onn", "of")
	m.on(d.File(), "replaced %q of %q with %q", a.Value, d.Name(), v)
	m.add(int(a.Start), int(a.End), v)
	return true
}

func duplicateLocation(m *mutator) bool {
	ss := m.filter(func(s site) bool {
		d := s.d
		return d.Name() == "location" && d.IsBlock() && d.RBrace() >= 0 && d.NArgs() >= 1 && !strings.HasPrefix(d.Arg(0), "~")
	})
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	m.on(d.File(), "copied %q next to itself", d.String())
	m.insertAfter(d, text(d))
	return true
}

func duplicateUpstream(m *mutator) bool {
	ss := m.filter(func(s site) bool { return s.d.Name() == "upstream" && s.d.IsBlock() && s.d.RBrace() >= 0 })
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	m.on(d.File(), "copied %q next to itself", d.String())
	m.insertAfter(d, text(d))
	return true
}

func duplicateDefaultServer(m *mutator) bool {
	ss := m.filter(func(s site) bool {
		d := s.d
		srv := d.BlockParent()
		return d.Name() == "listen" && s.ctx == "server" && d.NArgs() >= 1 && !srv.IsZero() &&
			srv.File() == d.File() && srv.RBrace() >= 0 && !hasVar(d.Arg(0))
	})
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	srv := d.BlockParent()
	m.on(d.File(), "made %q a default server and added another default server on %s", d.String(), d.Arg(0))
	isDefault := false
	for _, a := range d.Args() {
		if a.Value == "default_server" || a.Value == "default" {
			isDefault = true
		}
	}
	if !isDefault {
		last := d.ArgAt(d.NArgs() - 1)
		m.add(int(last.End), int(last.End), " default_server")
	}
	m.insertAfter(srv, "server { listen "+argText(d, 0)+" default_server; }")
	m.markLast()
	return true
}

func duplicateDirective(m *mutator) bool {
	ss := m.filter(func(s site) bool {
		d := s.d
		if !isSimple(d) || repeatable[d.Name()] || sandboxed[d.Name()] {
			return false
		}
		var sibs []syntax.Directive
		if p := d.Parent(); !p.IsZero() && !p.IsInclude() {
			sibs = p.Block()
		} else {
			sibs = d.File().Directives()
		}
		n := 0
		for _, o := range sibs {
			if o.Name() == d.Name() {
				n++
			}
		}
		return n == 1
	})
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	m.on(d.File(), "copied %q next to itself", d.String())
	m.insertAfter(d, text(d))
	return true
}

// listenSites returns the listen directives with an address (not a unix
// socket, no variable).
func (m *mutator) listenSites(http bool) []site {
	return m.filter(func(s site) bool {
		d := s.d
		if d.Name() != "listen" || d.NArgs() < 1 || hasVar(d.Arg(0)) || strings.HasPrefix(d.Arg(0), "unix:") {
			return false
		}
		return !http || s.ctx == "server"
	})
}

func listenPortRange(m *mutator) bool {
	ss := m.listenSites(false)
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	a := d.ArgAt(0)
	addr := a.Value
	port := m.choose("65536", "65537", "70000", "99999", "123456")
	var v string
	switch {
	case strings.HasPrefix(addr, "["):
		end := strings.IndexByte(addr, ']')
		if end < 0 {
			return false
		}
		v = addr[:end+1] + ":" + port
	case strings.Trim(addr, "0123456789") == "":
		v = port
	case strings.Contains(addr, ":"):
		v = addr[:strings.LastIndexByte(addr, ':')] + ":" + port
	default:
		v = addr + ":" + port
	}
	m.on(d.File(), "listen address %q → %q", addr, v)
	m.add(int(a.Start), int(a.End), v)
	return true
}

func listenUnknownParam(m *mutator) bool {
	ss := m.listenSites(false)
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	p := m.choose("default_srever", "default_servers", "reuse_port", "ssl_on", "http_2", "proxy-protocol", "sslv3", "keepalive")
	last := d.ArgAt(d.NArgs() - 1)
	m.on(d.File(), "added %q to %q", p, d.String())
	m.add(int(last.End), int(last.End), " "+p)
	return true
}

// named returns the directives of ds named name.
func named(ds []syntax.Directive, name string) []syntax.Directive {
	var out []syntax.Directive
	for _, d := range ds {
		if d.Name() == name {
			out = append(out, d)
		}
	}
	return out
}

// serverOf returns the slot of the server that directive d (a listen ...)
// is in, and the slot of the http level around it; ok is false when d is
// not directly in an http server.
func (m *mutator) serverOf(d syntax.Directive) (srv, http slot, ok bool) {
	p := d.BlockParent()
	if srv, ok = m.slotOf(p); !ok || srv.typ != "server" {
		return slot{}, slot{}, false
	}
	if p.IsZero() {
		return srv, slot{}, true // a server snippet: the harness's http is empty
	}
	hp := p.BlockParent()
	if http, ok = m.slotOf(hp); !ok || http.typ != "http" {
		return srv, slot{}, !hp.IsZero() || m.tree.Context == "http"
	}
	return srv, http, true
}

func sslWithoutCertificate(m *mutator) bool {
	type option struct {
		d   syntax.Directive // the listen to add ssl to
		srv slot             // or the server whose certificates to remove
	}
	var opts []option
	hasCert := func(s slot) bool {
		if s.typ == "" {
			return false
		}
		return len(named(m.children(s), "ssl_certificate")) > 0
	}
	for _, s := range m.listenSites(true) {
		srv, http, ok := m.serverOf(s.d)
		if !ok || hasCert(http) {
			continue
		}
		ssl := false
		for _, a := range s.d.Args() {
			ssl = ssl || a.Value == "ssl" || a.Value == "quic"
		}
		switch {
		case !ssl && !hasCert(srv):
			opts = append(opts, option{d: s.d})
		case ssl && hasCert(srv):
			certs := named(m.children(srv), "ssl_certificate")
			same := true
			for _, c := range certs {
				same = same && c.File() == s.d.File()
			}
			if same {
				opts = append(opts, option{srv: srv})
			}
		}
	}
	if len(opts) == 0 {
		return false
	}
	o := opts[m.pick(len(opts))]
	if !o.d.IsZero() {
		last := o.d.ArgAt(o.d.NArgs() - 1)
		m.on(o.d.File(), "added ssl to %q in a server without certificates", o.d.String())
		m.add(int(last.End), int(last.End), " ssl")
		return true
	}
	certs := named(m.children(o.srv), "ssl_certificate")
	m.on(certs[0].File(), "removed the ssl_certificate directives of a server that listens with ssl")
	for _, c := range certs {
		m.add(int(c.Start()), int(c.End()), "")
	}
	return true
}

func certificateWithoutKey(m *mutator) bool {
	ss := m.filter(func(s site) bool {
		d := s.d
		if d.Name() != "ssl_certificate_key" {
			return false
		}
		sl, ok := m.slotOf(d.BlockParent())
		return ok && len(named(m.children(sl), "ssl_certificate")) > 0
	})
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	m.on(d.File(), "removed %q", d.String())
	m.add(int(d.Start()), int(d.End()), "")
	return true
}

// restricted reports whether proxy_pass may not have a URI part in slot
// s: a regular expression or named location, an if block in a location,
// limit_except.
func restricted(s slot) bool {
	if s.block.IsZero() {
		return false // the top of a snippet: the harness wraps it in location /
	}
	switch s.typ {
	case "location":
		if s.block.NArgs() == 0 {
			return false
		}
		a := s.block.Arg(0)
		return strings.HasPrefix(a, "~") || strings.HasPrefix(a, "@")
	case "if":
		return s.in == "location"
	case "limit_except":
		return true
	}
	return false
}

func proxyPassURI(m *mutator) bool {
	type option struct {
		d syntax.Directive // a proxy_pass to give a URI
		s slot             // or a block to add one to
	}
	var opts []option
	for _, s := range m.slots {
		if !restricted(s) || m.inStream(s.block) {
			continue
		}
		kids := s.block.Block()
		pass := false
		for _, k := range kids {
			if passDirectives[k.Name()] {
				pass = true
			}
			if k.Name() != "proxy_pass" || k.NArgs() != 1 || hasVar(k.Arg(0)) {
				continue
			}
			u := k.Arg(0)
			rest, ok := strings.CutPrefix(u, "http://")
			if !ok {
				rest, ok = strings.CutPrefix(u, "https://")
			}
			if ok && !strings.HasPrefix(rest, "unix:") && !strings.Contains(rest, "/") {
				opts = append(opts, option{d: k})
			}
		}
		if !pass {
			opts = append(opts, option{s: s})
		}
	}
	if len(opts) == 0 {
		return false
	}
	o := opts[m.pick(len(opts))]
	uri := m.choose("/", "/nginxlint/", "/api")
	if !o.d.IsZero() {
		a := o.d.ArgAt(0)
		end := int(a.End)
		if a.Quote != 0 {
			end--
		}
		m.on(o.d.File(), "added the URI %q to %q in %s", uri, o.d.String(), o.d.BlockParent().String())
		m.add(end, end, uri)
		return true
	}
	m.on(o.s.file, "added a proxy_pass with a URI to %s", o.s.block.String())
	m.insertInto(o.s, "proxy_pass http://127.0.0.1:8080"+uri+";")
	return true
}

// noVarUse are the directives whose argument i (every argument for -1)
// defines a variable or holds a pattern, not a use of a variable.
var noVarUse = map[string]int{
	"location": -1, "server_name": -1, "map": 1, "geo": -1, "split_clients": 1, "set": 0,
	"rewrite": 0, "log_format": 0, "perl_set": 0, "js_set": 0, "auth_request_set": 0,
	"fastcgi_split_path_info": -1, "valid_referers": -1,
}

func unknownVariable(m *mutator) bool {
	type use struct {
		d     syntax.Directive
		start int // offset of the name after "$" or "${"
		end   int
	}
	var uses []use
	for _, s := range m.sites {
		d := s.d
		skip, special := noVarUse[d.Name()]
		if special && skip < 0 || d.IsInclude() {
			continue
		}
		src := d.File().Src
		for i, a := range d.EachArg() {
			if special && i == skip {
				continue
			}
			raw := src[a.Start:a.End]
			for j := 0; j < len(raw)-1; j++ {
				if raw[j] != '$' {
					continue
				}
				k := j + 1
				brace := raw[k] == '{'
				if brace {
					k++
				}
				e := k
				for e < len(raw) && (raw[e] == '_' || raw[e] >= 'a' && raw[e] <= 'z' || raw[e] >= 'A' && raw[e] <= 'Z' || e > k && raw[e] >= '0' && raw[e] <= '9') {
					e++
				}
				if e == k || raw[k] >= '0' && raw[k] <= '9' || brace && (e >= len(raw) || raw[e] != '}') {
					continue
				}
				uses = append(uses, use{d, int(a.Start) + k, int(a.Start) + e})
				j = e - 1
			}
		}
	}
	targets := m.slotsWhere(func(s slot) bool { return s.typ == "server" || s.typ == "location" || s.typ == "http" })
	if len(uses) == 0 && len(targets) == 0 {
		return false
	}
	if len(uses) > 0 && (len(targets) == 0 || m.pick(2) == 0) {
		u := uses[m.pick(len(uses))]
		f := u.d.File()
		m.on(f, "replaced $%s in %q with $nginxlint_undefined_var", f.Src[u.start:u.end], u.d.String())
		m.add(u.start, u.end, "nginxlint_undefined_var")
		return true
	}
	t := targets[m.pick(len(targets))]
	m.on(t.file, "added add_header with an undefined variable to a %s block", t.typ)
	m.insertInto(t, "add_header X-Nginxlint-Undefined $nginxlint_undefined_var;")
	return true
}

var (
	httpBuiltins   = []string{"$host", "$uri", "$remote_addr", "$request_uri", "$scheme", "$server_name", "$request_method", "$document_uri", "$server_port"}
	streamBuiltins = []string{"$remote_addr", "$server_port", "$protocol", "$server_addr", "$remote_port"}
)

func builtinRedefined(m *mutator) bool {
	ss := m.filter(func(s site) bool {
		d := s.d
		switch {
		case !d.IsBlock():
			return false
		case d.Name() == "map":
			return d.NArgs() == 2
		case d.Name() == "geo":
			return d.NArgs() == 1 || d.NArgs() == 2
		}
		return false
	})
	targets := m.slotsWhere(func(s slot) bool { return s.typ == "http" || s.typ == "stream" })
	if len(ss) == 0 && len(targets) == 0 {
		return false
	}
	if len(ss) > 0 && (len(targets) == 0 || m.pick(3) < 2) {
		d := ss[m.pick(len(ss))].d
		builtins := httpBuiltins
		if m.inStream(d) {
			builtins = streamBuiltins
		}
		v := builtins[m.pick(len(builtins))]
		a := d.ArgAt(d.NArgs() - 1)
		m.on(d.File(), "made %q define %s", d.String(), v)
		m.add(int(a.Start), int(a.End), v)
		return true
	}
	t := targets[m.pick(len(targets))]
	builtins := httpBuiltins
	if t.typ == "stream" {
		builtins = streamBuiltins
	}
	v := builtins[m.pick(len(builtins))]
	m.on(t.file, "added a map defining %s to a %s block", v, t.typ)
	m.insertInto(t, fmt.Sprintf(`map $remote_addr %s { default ""; }`, v))
	return true
}

func versionGated(m *mutator) bool {
	servers := m.slotsWhere(func(s slot) bool { return s.typ == "server" })
	listens := m.listenSites(true)
	if len(servers) == 0 && len(listens) == 0 {
		return false
	}
	if len(listens) > 0 && (len(servers) == 0 || m.pick(4) == 0) {
		d := listens[m.pick(len(listens))].d
		last := d.ArgAt(d.NArgs() - 1)
		m.on(d.File(), "added quic (nginx 1.25) to %q", d.String())
		m.add(int(last.End), int(last.End), " quic")
		return true
	}
	s := servers[m.pick(len(servers))]
	dir := m.choose("http2 on;", "http3 on;", "quic_retry on;", "quic_gso on;", "http3_hq on;")
	m.on(s.file, "added %q (nginx 1.25) to a server", dir)
	m.insertInto(s, dir)
	return true
}

func deleteSemicolon(m *mutator) bool {
	ss := m.filter(func(s site) bool {
		d := s.d
		return !d.IsBlock() && d.End() > 0 && d.File().Src[d.End()-1] == ';'
	})
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	m.on(d.File(), "deleted the ; of %q", d.String())
	m.add(int(d.End())-1, int(d.End()), "")
	return true
}

func deleteOpenBrace(m *mutator) bool {
	ss := m.filter(func(s site) bool { return s.d.IsBlock() && s.d.LBrace() >= 0 })
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	m.on(d.File(), "deleted the { of %q", d.String())
	m.add(int(d.LBrace()), int(d.LBrace())+1, "")
	return true
}

func deleteCloseBrace(m *mutator) bool {
	ss := m.filter(func(s site) bool { return s.d.IsBlock() && s.d.RBrace() >= 0 })
	if len(ss) == 0 {
		return false
	}
	d := ss[m.pick(len(ss))].d
	m.on(d.File(), "deleted the } of %q", d.String())
	m.add(int(d.RBrace()), int(d.RBrace())+1, "")
	return true
}

func strayCloseBrace(m *mutator) bool {
	if len(m.sites) == 0 {
		return false
	}
	d := m.sites[m.pick(len(m.sites))].d
	m.on(d.File(), "added a } after %q", d.String())
	m.insertAfter(d, "}")
	return true
}

func unterminatedQuote(m *mutator) bool {
	type arg struct {
		d syntax.Directive
		a syntax.Arg
	}
	var args []arg
	for _, s := range m.sites {
		if s.d.IsInclude() && s.d.NArgs() == 0 {
			continue
		}
		for _, a := range s.d.EachArg() {
			args = append(args, arg{s.d, a})
		}
	}
	if len(args) == 0 {
		return false
	}
	x := args[m.pick(len(args))]
	f := x.d.File()
	if x.a.Quote != 0 {
		m.on(f, "deleted the closing quote of %s in %q", f.Src[x.a.Start:x.a.End], x.d.String())
		m.add(int(x.a.End)-1, int(x.a.End), "")
		return true
	}
	q := m.choose(`"`, `'`)
	m.on(f, "added an opening %s before %s in %q", q, x.a.Value, x.d.String())
	m.add(int(x.a.Start), int(x.a.Start), q)
	return true
}

func missingInclude(m *mutator) bool {
	var literal []syntax.Directive
	for _, s := range m.sites {
		if s.d.IsInclude() && s.d.NArgs() == 1 && !strings.ContainsAny(s.d.Arg(0), "*?[$") {
			literal = append(literal, s.d)
		}
	}
	if len(m.sites) == 0 {
		return false
	}
	if len(literal) > 0 && m.pick(3) == 0 {
		d := literal[m.pick(len(literal))]
		a := d.ArgAt(0)
		end := int(a.End)
		if a.Quote != 0 {
			end--
		}
		suffix := m.choose(".missing", "-nginxlint-missing", "x")
		m.on(d.File(), "renamed the file of %q to one that does not exist", d.String())
		m.add(end, end, suffix)
		return true
	}
	d := m.sites[m.pick(len(m.sites))].d
	path := m.choose("nginxlint-missing.conf", "conf.d/nginxlint-missing.conf", "/etc/nginx/nginxlint-missing.conf", "snippets/nginxlint-missing.conf")
	m.on(d.File(), "added include %s after %q", path, d.String())
	m.insertAfter(d, "include "+path+";")
	return true
}
