package syntax

import "strings"

// alwaysBlock reports whether nginx accepts the directive name only with
// a block, in every context ("server" depends on its context and is
// checked with the tree, see checkContext). A switch: it is asked of
// every directive.
func alwaysBlock(name string) bool {
	switch name {
	case "events", "http", "stream", "mail",
		"upstream", "map", "geo", "split_clients",
		"types", "location", "if", "limit_except",
		"charset_map":
		return true
	}
	return strings.HasSuffix(name, "_by_lua_block")
}

// simpleDirectives are common directives of nginx's own modules that take
// no block; nginx refuses them with "{" ("is not terminated by ;").
var simpleDirectives = map[string]bool{}

func init() {
	for _, name := range []string{
		"include", "user", "worker_processes", "pid", "error_log", "access_log",
		"load_module", "worker_connections", "worker_rlimit_nofile", "env",
		"listen", "server_name", "root", "alias", "index", "return", "rewrite",
		"try_files", "error_page", "set", "allow", "deny", "add_header",
		"expires", "default_type", "sendfile", "tcp_nopush", "tcp_nodelay",
		"keepalive_timeout", "keepalive_requests", "keepalive", "keepalive_time",
		"client_max_body_size", "client_body_buffer_size", "charset",
		"gzip", "gzip_types", "gzip_vary", "gzip_proxied", "gzip_comp_level",
		"ssl_certificate", "ssl_certificate_key", "ssl_protocols", "ssl_ciphers",
		"ssl_prefer_server_ciphers", "ssl_session_cache", "ssl_session_timeout",
		"resolver", "resolver_timeout", "log_format", "auth_basic",
		"auth_basic_user_file", "internal", "autoindex",
		"proxy_pass", "proxy_set_header", "proxy_http_version", "proxy_redirect",
		"proxy_buffering", "proxy_buffers", "proxy_buffer_size",
		"proxy_read_timeout", "proxy_send_timeout", "proxy_connect_timeout",
		"proxy_hide_header", "proxy_pass_header", "proxy_cache", "proxy_cache_path",
		"proxy_cache_valid", "proxy_cache_key", "proxy_next_upstream",
		"proxy_intercept_errors", "proxy_ssl_server_name", "proxy_ssl_verify",
		"fastcgi_pass", "fastcgi_param", "fastcgi_index", "fastcgi_split_path_info",
		"fastcgi_read_timeout", "fastcgi_buffers", "fastcgi_buffer_size",
		"fastcgi_intercept_errors", "uwsgi_pass", "uwsgi_param", "scgi_pass",
		"scgi_param", "grpc_pass", "grpc_set_header", "grpc_read_timeout",
		"memcached_pass", "limit_req", "limit_req_zone", "limit_conn",
		"limit_conn_zone", "real_ip_header", "set_real_ip_from", "sub_filter",
		"ip_hash", "least_conn", "hash", "zone", "server_tokens",
		"large_client_header_buffers", "client_header_timeout",
		"client_body_timeout", "send_timeout", "types_hash_max_size",
		"server_names_hash_bucket_size", "variables_hash_max_size",
	} {
		simpleDirectives[name] = true
	}
}
