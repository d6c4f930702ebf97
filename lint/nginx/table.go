package nginx

import "time"

// The table: the directives nginxlint knows, grouped by the module that
// defines them, in nginx's order. Contexts follow the ngx_command_t
// definitions of nginx 1.22 (src/core/nginx.c, src/http/ngx_http_core_module.c,
// src/http/modules/*.c, src/stream/*.c, src/mail/*.c). verify_test.go
// checks every context but mail's, and every recorded kind, against the
// installed nginx binary. Kinds are recorded only for the directives
// nginxlint has always checked (see [Unrecorded]). To add a directive, add
// its entry here, run go test ./lint/nginx (with nginx installed), and
// see what the parser, the loader and the rules now say of it.

// Context sets many directives share.
const (
	// httpLevels: NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF.
	httpLevels = HTTP | HTTPServer | HTTPLocation
	// rewriteLevels: where the rewrite module's directives go.
	rewriteLevels = HTTPServer | HTTPServerIf | HTTPLocation | HTTPLocationIf
	streamLevels  = Stream | StreamServer
	mailLevels    = Mail | MailServer
	// tlsLevels: where the ssl_* directives of http, stream and mail go.
	tlsLevels = HTTP | HTTPServer | streamLevels | mailLevels
	// passLevels: where the http pass directives go.
	passLevels = HTTPLocation | HTTPLocationIf
)

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

var table = []Directive{
	// Core: src/core/nginx.c, ngx_conf_file.c, ngx_log.c, ngx_regex.c,
	// ngx_thread_pool.c.
	{Name: "include", Module: "ngx_conf_module", Contexts: AnyContext, Kind: Simple},
	{Name: "daemon", Module: "ngx_core_module", Contexts: Main, Snippet: Main},
	{Name: "master_process", Module: "ngx_core_module", Contexts: Main, Snippet: Main},
	{Name: "timer_resolution", Module: "ngx_core_module", Contexts: Main, Snippet: Main},
	{Name: "pid", Module: "ngx_core_module", Contexts: Main, Kind: Simple, Snippet: Main},
	{Name: "lock_file", Module: "ngx_core_module", Contexts: Main, Snippet: Main},
	{Name: "worker_processes", Module: "ngx_core_module", Contexts: Main, Kind: Simple, Snippet: Main},
	{Name: "user", Module: "ngx_core_module", Contexts: Main, Kind: Simple, Snippet: Main},
	{Name: "worker_priority", Module: "ngx_core_module", Contexts: Main, Snippet: Main},
	{Name: "worker_cpu_affinity", Module: "ngx_core_module", Contexts: Main, Snippet: Main},
	{Name: "worker_rlimit_nofile", Module: "ngx_core_module", Contexts: Main, Kind: Simple, Snippet: Main},
	{Name: "worker_shutdown_timeout", Module: "ngx_core_module", Contexts: Main, Snippet: Main},
	{Name: "working_directory", Module: "ngx_core_module", Contexts: Main, Snippet: Main},
	{Name: "env", Module: "ngx_core_module", Contexts: Main, Kind: Simple, Snippet: Main},
	{Name: "load_module", Module: "ngx_core_module", Contexts: Main, Kind: Simple, Snippet: Main},
	{Name: "error_log", Module: "ngx_errlog_module", Contexts: Main | httpLevels | streamLevels | mailLevels, Kind: Simple, Inherit: Array},
	{Name: "pcre_jit", Module: "ngx_regex_module", Contexts: Main, Snippet: Main},
	{Name: "thread_pool", Module: "ngx_thread_pool_module", Contexts: Main, Snippet: Main},

	// Events: src/event/ngx_event.c.
	{Name: "events", Module: "ngx_events_module", Contexts: Main, Kind: Block, Snippet: Main},
	{Name: "worker_connections", Module: "ngx_event_core_module", Contexts: Events, Kind: Simple},

	// The top-level blocks of http, stream and mail.
	{Name: "http", Module: "ngx_http_module", Contexts: Main, Kind: Block, Snippet: Main},
	{Name: "stream", Module: "ngx_stream_module", Contexts: Main, Kind: Block, Snippet: Main},
	{Name: "mail", Module: "ngx_mail_module", Contexts: Main, Kind: Block, Snippet: Main},

	// http core: src/http/ngx_http_core_module.c (server is also the
	// upstream modules' server line, and the stream and mail server
	// blocks).
	{Name: "server", Module: "ngx_http_core_module", Contexts: HTTP | HTTPUpstream | Stream | StreamUpstream | Mail, Kind: Either, Snippet: HTTP,
		Dial: &upstreamServer, StreamDial: &streamServer},
	{Name: "location", Module: "ngx_http_core_module", Contexts: HTTPServer | HTTPLocation, Kind: Block, Inherit: NotInherited, Snippet: HTTPServer},
	{Name: "listen", Module: "ngx_http_core_module", Contexts: HTTPServer | StreamServer | MailServer, Kind: Simple, Snippet: HTTPServer},
	{Name: "server_name", Module: "ngx_http_core_module", Contexts: HTTPServer | mailLevels, Kind: Simple, Snippet: HTTPServer},
	{Name: "types", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Data},
	{Name: "default_type", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "root", Module: "ngx_http_core_module", Contexts: httpLevels | HTTPLocationIf, Kind: Simple},
	{Name: "alias", Module: "ngx_http_core_module", Contexts: HTTPLocation, Kind: Simple},
	{Name: "limit_except", Module: "ngx_http_core_module", Contexts: HTTPLocation, Kind: Block},
	{Name: "client_max_body_size", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "client_body_buffer_size", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "client_body_timeout", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "client_header_timeout", Module: "ngx_http_core_module", Contexts: HTTP | HTTPServer, Kind: Simple},
	{Name: "large_client_header_buffers", Module: "ngx_http_core_module", Contexts: HTTP | HTTPServer, Kind: Simple},
	{Name: "sendfile", Module: "ngx_http_core_module", Contexts: httpLevels | HTTPLocationIf, Kind: Simple},
	{Name: "tcp_nopush", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "tcp_nodelay", Module: "ngx_http_core_module", Contexts: httpLevels | streamLevels, Kind: Simple},
	{Name: "send_timeout", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	// The keepalive_* directives are also the upstream keepalive module's.
	{Name: "keepalive_timeout", Module: "ngx_http_core_module", Contexts: httpLevels | HTTPUpstream, Kind: Simple},
	{Name: "keepalive_requests", Module: "ngx_http_core_module", Contexts: httpLevels | HTTPUpstream, Kind: Simple},
	{Name: "keepalive_time", Module: "ngx_http_core_module", Contexts: httpLevels | HTTPUpstream, Kind: Simple},
	{Name: "internal", Module: "ngx_http_core_module", Contexts: HTTPLocation, Kind: Simple},
	{Name: "error_page", Module: "ngx_http_core_module", Contexts: httpLevels | HTTPLocationIf, Kind: Simple, Inherit: Array},
	{Name: "try_files", Module: "ngx_http_core_module", Contexts: HTTPServer | HTTPLocation, Kind: Simple, Inherit: NotInherited},
	{Name: "log_not_found", Module: "ngx_http_core_module", Contexts: httpLevels},
	{Name: "server_tokens", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "types_hash_max_size", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "server_names_hash_bucket_size", Module: "ngx_http_core_module", Contexts: HTTP, Kind: Simple, Snippet: HTTP},
	{Name: "server_names_hash_max_size", Module: "ngx_http_core_module", Contexts: HTTP, Snippet: HTTP},
	{Name: "variables_hash_max_size", Module: "ngx_http_core_module", Contexts: HTTP | Stream, Kind: Simple, Snippet: HTTP},
	{Name: "variables_hash_bucket_size", Module: "ngx_http_core_module", Contexts: HTTP | Stream, Snippet: HTTP},
	{Name: "resolver", Module: "ngx_http_core_module", Contexts: httpLevels | streamLevels | mailLevels, Kind: Simple},
	{Name: "resolver_timeout", Module: "ngx_http_core_module", Contexts: httpLevels | streamLevels | mailLevels, Kind: Simple},
	{Name: "limit_rate", Module: "ngx_http_core_module", Contexts: httpLevels | HTTPLocationIf},

	// Logs: src/http/modules/ngx_http_log_module.c (and the stream one).
	{Name: "access_log", Module: "ngx_http_log_module", Contexts: httpLevels | HTTPLocationIf | LimitExcept | streamLevels, Kind: Simple, Inherit: Array},
	{Name: "log_format", Module: "ngx_http_log_module", Contexts: HTTP | Stream, Kind: Simple, Snippet: HTTP},

	// Rewrite: src/http/modules/ngx_http_rewrite_module.c (return and set
	// also in stream).
	{Name: "return", Module: "ngx_http_rewrite_module", Contexts: rewriteLevels | StreamServer, Kind: Simple, Inherit: NotInherited},
	{Name: "rewrite", Module: "ngx_http_rewrite_module", Contexts: rewriteLevels, Kind: Simple, Inherit: NotInherited},
	{Name: "set", Module: "ngx_http_rewrite_module", Contexts: rewriteLevels | StreamServer, Kind: Simple, Inherit: NotInherited},
	{Name: "break", Module: "ngx_http_rewrite_module", Contexts: rewriteLevels, Inherit: NotInherited},
	{Name: "if", Module: "ngx_http_rewrite_module", Contexts: HTTPServer | HTTPLocation, Kind: Block, Inherit: NotInherited},
	{Name: "rewrite_log", Module: "ngx_http_rewrite_module", Contexts: HTTP | rewriteLevels},
	{Name: "uninitialized_variable_warn", Module: "ngx_http_rewrite_module", Contexts: HTTP | rewriteLevels},

	// Content and access.
	{Name: "index", Module: "ngx_http_index_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "autoindex", Module: "ngx_http_autoindex_module", Contexts: httpLevels, Kind: Simple},
	{Name: "allow", Module: "ngx_http_access_module", Contexts: httpLevels | LimitExcept | streamLevels, Kind: Simple, Inherit: Array},
	{Name: "deny", Module: "ngx_http_access_module", Contexts: httpLevels | LimitExcept | streamLevels, Kind: Simple, Inherit: Array},
	{Name: "auth_basic", Module: "ngx_http_auth_basic_module", Contexts: httpLevels | LimitExcept, Kind: Simple},
	{Name: "auth_basic_user_file", Module: "ngx_http_auth_basic_module", Contexts: httpLevels | LimitExcept, Kind: Simple},

	// Response headers and filters.
	{Name: "add_header", Module: "ngx_http_headers_module", Contexts: httpLevels | HTTPLocationIf, Kind: Simple, Inherit: Array},
	{Name: "add_trailer", Module: "ngx_http_headers_module", Contexts: httpLevels | HTTPLocationIf, Inherit: Array},
	{Name: "expires", Module: "ngx_http_headers_module", Contexts: httpLevels | HTTPLocationIf, Kind: Simple},
	{Name: "charset", Module: "ngx_http_charset_module", Contexts: httpLevels | HTTPLocationIf, Kind: Simple},
	{Name: "charset_map", Module: "ngx_http_charset_module", Contexts: HTTP, Kind: Data},
	// gzip_vary and gzip_proxied are defined by the core module, which the
	// gzip_static module shares them with.
	{Name: "gzip", Module: "ngx_http_gzip_filter_module", Contexts: httpLevels | HTTPLocationIf, Kind: Simple},
	{Name: "gzip_types", Module: "ngx_http_gzip_filter_module", Contexts: httpLevels, Kind: Simple},
	{Name: "gzip_vary", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "gzip_proxied", Module: "ngx_http_core_module", Contexts: httpLevels, Kind: Simple},
	{Name: "gzip_comp_level", Module: "ngx_http_gzip_filter_module", Contexts: httpLevels, Kind: Simple},
	{Name: "sub_filter", Module: "ngx_http_sub_filter_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},

	// TLS: src/http/modules/ngx_http_ssl_module.c (and the stream and mail
	// ones).
	{Name: "ssl_certificate", Module: "ngx_http_ssl_module", Contexts: tlsLevels, Kind: Simple, Inherit: Array, Snippet: HTTPServer},
	{Name: "ssl_certificate_key", Module: "ngx_http_ssl_module", Contexts: tlsLevels, Kind: Simple, Inherit: Array, Snippet: HTTPServer},
	{Name: "ssl_protocols", Module: "ngx_http_ssl_module", Contexts: tlsLevels, Kind: Simple},
	{Name: "ssl_ciphers", Module: "ngx_http_ssl_module", Contexts: tlsLevels, Kind: Simple},
	{Name: "ssl_prefer_server_ciphers", Module: "ngx_http_ssl_module", Contexts: tlsLevels, Kind: Simple},
	{Name: "ssl_session_cache", Module: "ngx_http_ssl_module", Contexts: tlsLevels, Kind: Simple},
	{Name: "ssl_session_timeout", Module: "ngx_http_ssl_module", Contexts: tlsLevels, Kind: Simple},

	// Proxy: src/http/modules/ngx_http_proxy_module.c (proxy_pass and a
	// few others also in src/stream/ngx_stream_proxy_module.c).
	// proxy_pass, alone of the pass directives, is allowed in limit_except.
	{Name: "proxy_pass", Module: "ngx_http_proxy_module", Contexts: passLevels | LimitExcept | StreamServer, Kind: Simple, Inherit: NotInherited,
		Dial: &proxyPass, StreamDial: &streamProxyPass},
	{Name: "proxy_set_header", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "proxy_http_version", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple},
	{Name: "proxy_redirect", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "proxy_buffering", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple},
	{Name: "proxy_buffers", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple},
	{Name: "proxy_buffer_size", Module: "ngx_http_proxy_module", Contexts: httpLevels | streamLevels, Kind: Simple},
	{Name: "proxy_read_timeout", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple},
	{Name: "proxy_send_timeout", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple},
	{Name: "proxy_connect_timeout", Module: "ngx_http_proxy_module", Contexts: httpLevels | streamLevels, Kind: Simple},
	{Name: "proxy_hide_header", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "proxy_pass_header", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "proxy_cache", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple},
	{Name: "proxy_cache_path", Module: "ngx_http_proxy_module", Contexts: HTTP, Kind: Simple, Snippet: HTTP},
	{Name: "proxy_cache_valid", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "proxy_cache_key", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple},
	{Name: "proxy_next_upstream", Module: "ngx_http_proxy_module", Contexts: httpLevels | streamLevels, Kind: Simple},
	{Name: "proxy_intercept_errors", Module: "ngx_http_proxy_module", Contexts: httpLevels, Kind: Simple},
	{Name: "proxy_ssl_server_name", Module: "ngx_http_proxy_module", Contexts: httpLevels | streamLevels, Kind: Simple},
	{Name: "proxy_ssl_verify", Module: "ngx_http_proxy_module", Contexts: httpLevels | streamLevels, Kind: Simple},
	{Name: "proxy_timeout", Module: "ngx_stream_proxy_module", Contexts: streamLevels},

	// FastCGI, uwsgi, SCGI, gRPC and memcached:
	// src/http/modules/ngx_http_{fastcgi,uwsgi,scgi,grpc,memcached}_module.c.
	{Name: "fastcgi_pass", Module: "ngx_http_fastcgi_module", Contexts: passLevels, Kind: Simple, Inherit: NotInherited, Dial: &fastcgiPass},
	{Name: "fastcgi_param", Module: "ngx_http_fastcgi_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "fastcgi_index", Module: "ngx_http_fastcgi_module", Contexts: httpLevels, Kind: Simple},
	{Name: "fastcgi_split_path_info", Module: "ngx_http_fastcgi_module", Contexts: httpLevels, Kind: Simple},
	{Name: "fastcgi_read_timeout", Module: "ngx_http_fastcgi_module", Contexts: httpLevels, Kind: Simple},
	{Name: "fastcgi_buffers", Module: "ngx_http_fastcgi_module", Contexts: httpLevels, Kind: Simple},
	{Name: "fastcgi_buffer_size", Module: "ngx_http_fastcgi_module", Contexts: httpLevels, Kind: Simple},
	{Name: "fastcgi_intercept_errors", Module: "ngx_http_fastcgi_module", Contexts: httpLevels, Kind: Simple},
	{Name: "fastcgi_cache_path", Module: "ngx_http_fastcgi_module", Contexts: HTTP, Snippet: HTTP},
	{Name: "uwsgi_pass", Module: "ngx_http_uwsgi_module", Contexts: passLevels, Kind: Simple, Inherit: NotInherited, Dial: &uwsgiPass},
	{Name: "uwsgi_param", Module: "ngx_http_uwsgi_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "uwsgi_read_timeout", Module: "ngx_http_uwsgi_module", Contexts: httpLevels},
	{Name: "uwsgi_cache_path", Module: "ngx_http_uwsgi_module", Contexts: HTTP, Snippet: HTTP},
	{Name: "scgi_pass", Module: "ngx_http_scgi_module", Contexts: passLevels, Kind: Simple, Inherit: NotInherited, Dial: &scgiPass},
	{Name: "scgi_param", Module: "ngx_http_scgi_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "scgi_read_timeout", Module: "ngx_http_scgi_module", Contexts: httpLevels},
	{Name: "scgi_cache_path", Module: "ngx_http_scgi_module", Contexts: HTTP, Snippet: HTTP},
	{Name: "grpc_pass", Module: "ngx_http_grpc_module", Contexts: passLevels, Kind: Simple, Inherit: NotInherited, Dial: &grpcPass},
	{Name: "grpc_set_header", Module: "ngx_http_grpc_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "grpc_read_timeout", Module: "ngx_http_grpc_module", Contexts: httpLevels, Kind: Simple},
	{Name: "memcached_pass", Module: "ngx_http_memcached_module", Contexts: passLevels, Kind: Simple, Inherit: NotInherited, Dial: &memcachedPass},
	{Name: "memcached_read_timeout", Module: "ngx_http_memcached_module", Contexts: httpLevels},

	// Limits and the client address.
	{Name: "limit_req", Module: "ngx_http_limit_req_module", Contexts: httpLevels, Kind: Simple, Inherit: Array},
	{Name: "limit_req_zone", Module: "ngx_http_limit_req_module", Contexts: HTTP, Kind: Simple, Snippet: HTTP},
	{Name: "limit_conn", Module: "ngx_http_limit_conn_module", Contexts: httpLevels | streamLevels, Kind: Simple, Inherit: Array},
	{Name: "limit_conn_zone", Module: "ngx_http_limit_conn_module", Contexts: HTTP | Stream, Kind: Simple, Snippet: HTTP},
	{Name: "real_ip_header", Module: "ngx_http_realip_module", Contexts: httpLevels, Kind: Simple},
	{Name: "set_real_ip_from", Module: "ngx_http_realip_module", Contexts: httpLevels | streamLevels, Kind: Simple, Inherit: Array},

	// Upstream blocks and their balancers (also in stream).
	{Name: "upstream", Module: "ngx_http_upstream_module", Contexts: HTTP | Stream, Kind: Block, Snippet: HTTP},
	{Name: "ip_hash", Module: "ngx_http_upstream_ip_hash_module", Contexts: HTTPUpstream, Kind: Simple},
	{Name: "least_conn", Module: "ngx_http_upstream_least_conn_module", Contexts: HTTPUpstream | StreamUpstream, Kind: Simple},
	{Name: "hash", Module: "ngx_http_upstream_hash_module", Contexts: HTTPUpstream | StreamUpstream, Kind: Simple},
	{Name: "zone", Module: "ngx_http_upstream_zone_module", Contexts: HTTPUpstream | StreamUpstream, Kind: Simple},
	{Name: "keepalive", Module: "ngx_http_upstream_keepalive_module", Contexts: HTTPUpstream, Kind: Simple},

	// Variables from tables (also in stream).
	{Name: "map", Module: "ngx_http_map_module", Contexts: HTTP | Stream, Kind: Data, Snippet: HTTP},
	{Name: "geo", Module: "ngx_http_geo_module", Contexts: HTTP | Stream, Kind: Data, Snippet: HTTP},
	{Name: "split_clients", Module: "ngx_http_split_clients_module", Contexts: HTTP | Stream, Kind: Data, Snippet: HTTP},
}
