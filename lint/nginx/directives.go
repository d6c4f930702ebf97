package nginx

import "strings"

// Directive is what nginxlint knows of one nginx directive, every
// module's definition of the name taken together: one entry for every
// name of the generated table ([Variants] has each module's own), with
// what table.go adds by hand. Look them up with [Lookup].
//
// A name that several modules define (proxy_pass in http and in stream,
// server in http, upstream, stream and mail) has one entry: Contexts is
// the union of theirs, and Dial and StreamDial tell the http and the
// stream reading apart.
type Directive struct {
	Name string
	// Module is the module that defines the directive; for a name
	// several modules define, the first of them: nginx's own modules in
	// nginx's order (core and events, http, stream, mail), then the
	// third-party ones. From the generated table.
	Module string
	// Contexts are the places a module allows the directive in, as in
	// its sources (the NGX_*_CONF flags of its ngx_command_t): the union
	// over every module, and over every nginx version the table covers.
	// From the generated table.
	Contexts Context
	// Kind says whether the directive takes a block: from the generated
	// table (NGX_CONF_BLOCK), but for Data, which table.go says.
	Kind Kind
	// Inherit says how an inner level takes the directive from an outer
	// one.
	Inherit Inherit
	// Entries says, for an Array directive whose entries are named by
	// their first argument (a header, a parameter, a variable), how two
	// entries name the same thing; zero for the others, and for lists
	// whose override is the usual intent (access_log, error_page, index,
	// allow and deny, limit_req ...).
	Entries Entries
	// Snippet is the context a file with the directive at its top level
	// is read in, when the loader infers a snippet's context (see
	// [Grammar]): Main, HTTP or HTTPServer, or 0 when the directive says
	// nothing. It is a guess about snippets, not a fact of nginx:
	// ssl_certificate is allowed in http too, but a snippet that sets one
	// is most likely a server's. For an Either directive it concerns the
	// block form only (a server block, not an upstream's server line).
	Snippet Context
	// Dial says how the directive reads the address it connects to, in
	// http (a pass directive, or a server line of an upstream block); nil
	// for the others.
	Dial *Dial
	// StreamDial is the same in the stream context (proxy_pass, server).
	StreamDial *Dial
}

// Kind says whether a directive takes a block: nginx's NGX_CONF_BLOCK
// flag.
type Kind uint8

// The kinds.
const (
	// Unrecorded is the kind of no directive of the table: the zero
	// Kind, for a directive the table does not know, which the parser
	// accepts with or without a block.
	Unrecorded Kind = iota
	// Simple directives end with ";"; nginx refuses them with a block
	// ("directive is not terminated by ;").
	Simple
	// Block directives take a block of directives; nginx refuses them
	// with ";" ("directive has no opening {").
	Block
	// Data directives take a block of data entries, not directives (map,
	// types, geo ...): nginx reads "location x;" there as an entry and
	// refuses a nested block.
	Data
	// Either takes a block in some of its contexts (or modules) and
	// none in others: server is a block in http, stream and mail and a
	// line in upstream.
	Either
)

// Inherit says how an inner level (server, location, nested location,
// if) takes a directive that an outer level sets.
type Inherit uint8

// The ways of inheritance.
const (
	// Inherited: the nearest level that sets the directive wins. This is
	// also what nginxlint assumes of directives the table lacks.
	Inherited Inherit = iota
	// Array directives (proxy_set_header, add_header, fastcgi_param ...)
	// are inherited as a whole: an inner level that sets any of them
	// replaces all those of the outer levels, it does not add to them.
	Array
	// NotInherited directives apply only at the level they are written
	// at: the rewrite module's, location and the pass directives (an if
	// block in a location still proxies with the location's proxy_pass).
	NotInherited
)

// Entries says how the entries of an Array directive are named (see
// Directive.Entries).
type Entries uint8

// The ways entries are named; EntriesOff may be added to either.
const (
	// EntriesExact: entries are the same when their names are
	// (fastcgi_param SCRIPT_FILENAME).
	EntriesExact Entries = 1 << iota
	// EntriesFold: entries are the same when their names are, whatever
	// the case (header names).
	EntriesFold
	// EntriesOff: "NAME off" at a level turns the outer entries off on
	// purpose (proxy_cookie_path off).
	EntriesOff
)

// byName indexes the table; built once from it.
var byName = func() map[string]*Directive {
	m := make(map[string]*Directive, len(table))
	for i := range table {
		m[table[i].Name] = &table[i]
	}
	return m
}()

// Lookup returns the directive named name, or nil when the table does not
// know it. The entry is shared: do not modify it.
func Lookup(name string) *Directive { return byName[name] }

// Directives returns every directive of the table, in table order. The
// entries are shared: do not modify them.
func Directives() []*Directive {
	all := make([]*Directive, len(table))
	for i := range table {
		all[i] = &table[i]
	}
	return all
}

// Inheritance returns how name is inherited; Inherited for a directive
// the table does not know.
func Inheritance(name string) Inherit {
	if d := byName[name]; d != nil {
		return d.Inherit
	}
	return Inherited
}

// Allows reports whether nginx allows the directive name in context c
// (in one of the contexts of c). known is false when the table cannot
// tell: the directive is not in it, except that a name with the prefix of
// an upstream module (proxy_, fastcgi_ ...) is known to be refused in if
// blocks, where those modules allow only their pass directives.
func Allows(name string, c Context) (allowed, known bool) {
	if d := byName[name]; d != nil {
		return d.Contexts&c != 0, true
	}
	if c&^(HTTPServerIf|HTTPLocationIf) == 0 && UpstreamModule(name) != "" {
		return false, true
	}
	return false, false
}

// upstreamModules are the modules that pass requests to backends, with
// the prefix every directive of theirs has.
var upstreamModules = [...]struct{ prefix, module string }{
	{"proxy_", "ngx_http_proxy_module"},
	{"fastcgi_", "ngx_http_fastcgi_module"},
	{"uwsgi_", "ngx_http_uwsgi_module"},
	{"scgi_", "ngx_http_scgi_module"},
	{"grpc_", "ngx_http_grpc_module"},
	{"memcached_", "ngx_http_memcached_module"},
}

// UpstreamModule returns the http upstream module (ngx_http_proxy_module,
// ngx_http_fastcgi_module ...) whose prefix name has, whether the table
// knows name or not; "" for none.
func UpstreamModule(name string) string {
	for _, m := range upstreamModules {
		if strings.HasPrefix(name, m.prefix) {
			return m.module
		}
	}
	return ""
}
