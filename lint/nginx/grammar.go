package nginx

import "strings"

// Grammar is what the parser and the loader of lint/syntax need to know
// of nginx's directives; it implements syntax.Grammar (lint/syntax imports
// no knowledge of its own). The zero value is ready to use:
//
//	syntax.Load(syntax.Options{Path: dir, Grammar: nginx.Grammar{}})
type Grammar struct{}

// luaBlockSuffix ends the directives of the lua module (OpenResty) that
// take Lua code in their block: content_by_lua_block and the like.
const luaBlockSuffix = "_by_lua_block"

// TakesBlock reports whether nginx accepts the directive name only with
// a block (always) or only without one (never), as the generated table
// says (NGX_CONF_BLOCK) of every module that defines it. Both are false
// when that depends on the context or the module (server), and for a
// directive the table does not know, but that a name ending in
// _by_lua_block always takes one.
func (Grammar) TakesBlock(name string) (always, never bool) {
	if d := byName[name]; d != nil {
		switch d.Kind {
		case Simple:
			return false, true
		case Block, Data:
			return true, false
		}
		return false, false
	}
	return strings.HasSuffix(name, luaBlockSuffix), false
}

// DataBlock reports whether the block of the directive name holds data
// entries, not directives (map, types, geo, split_clients, charset_map).
func (Grammar) DataBlock(name string) bool {
	d := byName[name]
	return d != nil && d.Kind == Data
}

// LuaBlock reports whether the block of the directive name holds Lua code,
// which the parser reads as Lua, not as nginx directives.
func (Grammar) LuaBlock(name string) bool { return strings.HasSuffix(name, luaBlockSuffix) }

// SnippetContext returns the context that a file with the directive name
// at its top level (with a block when block is true) is read in, when its
// context is inferred: "main", "http" or "server"; "" when the directive
// says nothing. See [Directive.Snippet].
func (Grammar) SnippetContext(name string, block bool) string {
	d := byName[name]
	if d == nil || d.Kind == Either && !block {
		return ""
	}
	switch d.Snippet {
	case Main:
		return "main"
	case HTTP:
		return "http"
	case HTTPServer:
		return "server"
	}
	// Where the table says nothing, where nginx allows the directive
	// does: one allowed in http{} and in no lower http context (map,
	// charset_map, limit_req_zone ...) makes an http-level snippet.
	c := d.Contexts
	switch {
	case c&(HTTPServer|HTTPLocation|HTTPServerIf|HTTPLocationIf|LimitExcept|HTTPUpstream) != 0 || c&(Stream|StreamServer|Mail|MailServer) != 0:
		return ""
	case c&HTTP != 0:
		return "http"
	}
	return ""
}

// Stream reports whether a snippet holding the directive name belongs to
// the stream module: nginx allows name in stream{} (stream's server{}
// when inServer) and not in http{} (http's server{}): proxy_pass directly
// in a server block, ssl_preread, proxy_timeout say so; the http and
// stream modules share many other names (listen, server, upstream).
func (Grammar) Stream(name string, inServer bool) bool {
	d := byName[name]
	if d == nil {
		return false
	}
	stream, http := Stream, HTTP
	if inServer {
		stream, http = StreamServer, HTTPServer
	}
	return d.Contexts&stream != 0 && d.Contexts&http == 0
}
