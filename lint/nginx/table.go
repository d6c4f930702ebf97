package nginx

import "time"

// The hand-written part of the table: what nginx's sources do not say in
// one place, by directive name. Where each directive is allowed, how many
// arguments it takes, whether it takes a block and its versions are the
// generated part's (generated.go, see [Variants]); an entry here adds
// only
//
//   - Inherit: how an inner level takes the directive (the modules'
//     merge functions say it, each in its own way);
//   - Snippet: what a snippet holding it implies (a guess, no fact);
//   - Dial and StreamDial: how it reads the address it connects to;
//   - Kind Data: its block holds data lines, not directives (map,
//     types ...). The generator sees the same in the handlers that set
//     cf->handler, and table_test.go checks these are block directives.
//
// A directive with nothing to add has no entry: [Lookup] knows every
// directive of the generated table. table_test.go checks that every
// entry names one, and sets nothing the generated table says.

// The dial specs, from ngx_http_proxy_pass, ngx_http_fastcgi_pass,
// ngx_http_uwsgi_pass, ngx_http_scgi_pass, ngx_http_grpc_pass,
// ngx_http_memcached_pass, ngx_http_upstream_server,
// ngx_stream_proxy_pass and ngx_stream_upstream_server.
var (
	proxyPass = Dial{
		Schemes: []Scheme{
			{"http", ProtocolHTTP, 80},
			{"https", ProtocolHTTPS, 443},
		},
		SchemeRequired: true, URI: true, Vars: true, Upstream: true,
		ReadTimeout: "proxy_read_timeout", DefaultReadTimeout: time.Minute,
		SchemeFixes: map[string]string{"ws": "http", "wss": "https"},
	}
	fastcgiPass = Dial{Protocol: ProtocolFastCGI, Vars: true, Upstream: true, ReadTimeout: "fastcgi_read_timeout", DefaultReadTimeout: time.Minute}
	uwsgiPass   = Dial{
		Schemes: []Scheme{
			{"uwsgi", ProtocolUWSGI, 0},
			{"suwsgi", ProtocolUWSGI, 0},
		},
		Protocol: ProtocolUWSGI, Vars: true, Upstream: true, ReadTimeout: "uwsgi_read_timeout", DefaultReadTimeout: time.Minute,
	}
	scgiPass = Dial{Protocol: ProtocolSCGI, Vars: true, Upstream: true, ReadTimeout: "scgi_read_timeout", DefaultReadTimeout: time.Minute}
	grpcPass = Dial{
		Schemes: []Scheme{
			{"grpc", ProtocolGRPC, 0},
			{"grpcs", ProtocolGRPCS, 0},
		},
		Protocol: ProtocolGRPC, Vars: true, Upstream: true, ReadTimeout: "grpc_read_timeout", DefaultReadTimeout: time.Minute,
		SchemeFixes: map[string]string{"http": "grpc", "https": "grpcs"},
	}
	memcachedPass   = Dial{Protocol: ProtocolMemcached, Upstream: true, ReadTimeout: "memcached_read_timeout", DefaultReadTimeout: time.Minute}
	upstreamServer  = Dial{DefaultPort: 80}
	streamProxyPass = Dial{Vars: true, Upstream: true, ReadTimeout: "proxy_timeout", DefaultReadTimeout: 10 * time.Minute}
	streamServer    = Dial{PortRequired: true}
)

// hand is the hand-written part of the table (see the top of this
// file), grouped by the module that defines each directive, in nginx's
// order.
var hand = []Directive{
	// Core: src/core/nginx.c, ngx_conf_file.c, ngx_log.c, ngx_regex.c,
	// ngx_thread_pool.c.
	{Name: "daemon", Snippet: Main},
	{Name: "master_process", Snippet: Main},
	{Name: "timer_resolution", Snippet: Main},
	{Name: "pid", Snippet: Main},
	{Name: "lock_file", Snippet: Main},
	{Name: "worker_processes", Snippet: Main},
	{Name: "user", Snippet: Main},
	{Name: "worker_priority", Snippet: Main},
	{Name: "worker_cpu_affinity", Snippet: Main},
	{Name: "worker_rlimit_nofile", Snippet: Main},
	{Name: "worker_shutdown_timeout", Snippet: Main},
	{Name: "working_directory", Snippet: Main},
	{Name: "env", Snippet: Main},
	{Name: "load_module", Snippet: Main},
	{Name: "error_log", Inherit: Array},
	{Name: "pcre_jit", Snippet: Main},
	{Name: "thread_pool", Snippet: Main},

	// The top-level blocks of events, http, stream and mail.
	{Name: "events", Snippet: Main},
	{Name: "http", Snippet: Main},
	{Name: "stream", Snippet: Main},
	{Name: "mail", Snippet: Main},

	// http core: src/http/ngx_http_core_module.c (server is also the
	// upstream modules' server line, and the stream and mail server
	// blocks).
	{Name: "server", Snippet: HTTP, Dial: &upstreamServer, StreamDial: &streamServer},
	{Name: "location", Inherit: NotInherited, Snippet: HTTPServer},
	{Name: "listen", Snippet: HTTPServer},
	{Name: "server_name", Snippet: HTTPServer},
	{Name: "types", Kind: Data},
	{Name: "error_page", Inherit: Array},
	{Name: "try_files", Inherit: NotInherited},
	{Name: "server_names_hash_bucket_size", Snippet: HTTP},
	{Name: "server_names_hash_max_size", Snippet: HTTP},
	{Name: "variables_hash_max_size", Snippet: HTTP},
	{Name: "variables_hash_bucket_size", Snippet: HTTP},

	// Logs: src/http/modules/ngx_http_log_module.c (and the stream one).
	{Name: "access_log", Inherit: Array},
	{Name: "log_format", Snippet: HTTP},

	// Rewrite: src/http/modules/ngx_http_rewrite_module.c (return and set
	// also in stream).
	{Name: "return", Inherit: NotInherited},
	{Name: "rewrite", Inherit: NotInherited},
	{Name: "set", Inherit: NotInherited},
	{Name: "break", Inherit: NotInherited},
	{Name: "if", Inherit: NotInherited},

	// Content and access.
	{Name: "index", Inherit: Array},
	{Name: "allow", Inherit: Array},
	{Name: "deny", Inherit: Array},

	// Response headers and filters.
	{Name: "add_header", Inherit: Array, Entries: EntriesFold},
	{Name: "add_trailer", Inherit: Array, Entries: EntriesFold},
	{Name: "charset_map", Kind: Data},
	{Name: "sub_filter", Inherit: Array, Entries: EntriesFold},

	// TLS: src/http/modules/ngx_http_ssl_module.c (and the stream and mail
	// ones).
	{Name: "ssl_certificate", Inherit: Array, Snippet: HTTPServer},
	{Name: "ssl_certificate_key", Inherit: Array, Snippet: HTTPServer},

	// Proxy: src/http/modules/ngx_http_proxy_module.c (proxy_pass also in
	// src/stream/ngx_stream_proxy_module.c).
	{Name: "proxy_pass", Inherit: NotInherited, Dial: &proxyPass, StreamDial: &streamProxyPass},
	{Name: "proxy_set_header", Inherit: Array, Entries: EntriesFold},
	{Name: "proxy_redirect", Inherit: Array},
	{Name: "proxy_hide_header", Inherit: Array, Entries: EntriesFold},
	{Name: "proxy_pass_header", Inherit: Array, Entries: EntriesFold},
	{Name: "proxy_cache_path", Snippet: HTTP},
	{Name: "proxy_cache_valid", Inherit: Array},

	// FastCGI, uwsgi, SCGI, gRPC and memcached:
	// src/http/modules/ngx_http_{fastcgi,uwsgi,scgi,grpc,memcached}_module.c.
	{Name: "fastcgi_pass", Inherit: NotInherited, Dial: &fastcgiPass},
	{Name: "fastcgi_param", Inherit: Array, Entries: EntriesExact},
	{Name: "fastcgi_cache_path", Snippet: HTTP},
	{Name: "uwsgi_pass", Inherit: NotInherited, Dial: &uwsgiPass},
	{Name: "uwsgi_param", Inherit: Array, Entries: EntriesExact},
	{Name: "uwsgi_cache_path", Snippet: HTTP},
	{Name: "scgi_pass", Inherit: NotInherited, Dial: &scgiPass},
	{Name: "scgi_param", Inherit: Array, Entries: EntriesExact},
	{Name: "scgi_cache_path", Snippet: HTTP},
	{Name: "grpc_pass", Inherit: NotInherited, Dial: &grpcPass},
	{Name: "grpc_set_header", Inherit: Array, Entries: EntriesFold},
	{Name: "memcached_pass", Inherit: NotInherited, Dial: &memcachedPass},

	// Other arrays whose entries are named (array-inherit-dropped):
	// their merge functions take the outer list only when a level
	// sets none of its own.
	{Name: "auth_request_set", Inherit: Array, Entries: EntriesFold},
	{Name: "fastcgi_hide_header", Inherit: Array, Entries: EntriesFold},
	{Name: "fastcgi_pass_header", Inherit: Array, Entries: EntriesFold},
	{Name: "grpc_hide_header", Inherit: Array, Entries: EntriesFold},
	{Name: "grpc_pass_header", Inherit: Array, Entries: EntriesFold},
	{Name: "grpc_ssl_conf_command", Inherit: Array, Entries: EntriesFold},
	{Name: "proxy_cookie_domain", Inherit: Array, Entries: EntriesFold | EntriesOff},
	{Name: "proxy_cookie_flags", Inherit: Array, Entries: EntriesExact | EntriesOff},
	{Name: "proxy_cookie_path", Inherit: Array, Entries: EntriesExact | EntriesOff},
	{Name: "proxy_ssl_conf_command", Inherit: Array, Entries: EntriesFold},
	{Name: "scgi_hide_header", Inherit: Array, Entries: EntriesFold},
	{Name: "scgi_pass_header", Inherit: Array, Entries: EntriesFold},
	{Name: "ssl_conf_command", Inherit: Array, Entries: EntriesFold},
	{Name: "uwsgi_hide_header", Inherit: Array, Entries: EntriesFold},
	{Name: "uwsgi_pass_header", Inherit: Array, Entries: EntriesFold},
	{Name: "uwsgi_ssl_conf_command", Inherit: Array, Entries: EntriesFold},

	// Limits and the client address.
	{Name: "limit_req", Inherit: Array},
	{Name: "limit_req_zone", Snippet: HTTP},
	{Name: "limit_conn", Inherit: Array},
	{Name: "limit_conn_zone", Snippet: HTTP},
	{Name: "set_real_ip_from", Inherit: Array},

	// Upstream blocks (also in stream).
	{Name: "upstream", Snippet: HTTP},

	// Variables from tables (also in stream), and geoip2's (a third-party
	// module) block of variables.
	{Name: "map", Kind: Data, Snippet: HTTP},
	{Name: "geo", Kind: Data, Snippet: HTTP},
	{Name: "split_clients", Kind: Data, Snippet: HTTP},
	{Name: "geoip2", Kind: Data},
}

// table is the whole table: the hand-written entries, in their order,
// then every other directive of the generated table, by name; each with
// its Module, Contexts and Kind from the generated variants.
var table = directiveTable(hand)

// directiveTable completes the hand-written entries with the generated
// variants, and adds an entry for every other directive they define.
func directiveTable(hand []Directive) []Directive {
	all := make([]Directive, 0, len(directiveNames))
	listed := make(map[string]bool, len(hand))
	for _, d := range hand {
		listed[d.Name] = true
		all = append(all, fromVariants(d))
	}
	for _, name := range directiveNames {
		if !listed[name] {
			all = append(all, fromVariants(Directive{Name: name}))
		}
	}
	return all
}

// fromVariants fills in what the variants of d.Name say: the first
// variant's module (nginx's own modules first, in nginx's order), the
// union of their contexts, and whether they take a block: Block when all
// do (Data when the entry says so), Simple when none does, Either
// otherwise.
func fromVariants(d Directive) Directive {
	vs := variantsByName[d.Name]
	if len(vs) == 0 {
		return d // table_test.go reports it
	}
	d.Module = vs[0].Module
	blocks := 0
	for _, v := range vs {
		d.Contexts |= v.Contexts
		if v.Block {
			blocks++
		}
	}
	switch {
	case d.Kind == Data:
	case blocks == len(vs):
		d.Kind = Block
	case blocks == 0:
		d.Kind = Simple
	default:
		d.Kind = Either
	}
	return d
}
