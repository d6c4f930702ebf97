package nginx

import "strings"

// Facts about the arguments of particular directives that nginx reads
// when it loads the configuration: which name a variable, which it reads
// variables or regular expressions from, which words it takes. The
// directive rules ask these; none of them is written in a rule.

// argSpan is a range of arguments [from, to); to < 0 counts from the end
// (-1: up to the last one included).
type argSpan struct{ from, to int }

func (a argSpan) in(nargs int) (from, to int) {
	from, to = a.from, a.to
	if to < 0 {
		to = nargs + 1 + to
	}
	return from, min(to, nargs)
}

// variableArgs are, per directive, the arguments nginx compiles as
// values with variables (and so refuses an unknown variable in).
var variableArgs = map[string]argSpan{
	"add_header": {1, 2}, "add_trailer": {1, 2}, "proxy_set_header": {1, 2}, "grpc_set_header": {1, 2},
	"fastcgi_param": {1, 2}, "uwsgi_param": {1, 2}, "scgi_param": {1, 2},
	"proxy_pass": {0, -1}, "fastcgi_pass": {0, -1}, "uwsgi_pass": {0, -1}, "scgi_pass": {0, -1}, "grpc_pass": {0, -1},
	"try_files": {0, -1}, "root": {0, -1}, "alias": {0, -1}, "index": {0, -1}, "return": {0, -1},
	"auth_request": {0, -1}, "proxy_set_body": {0, -1}, "sub_filter": {0, -1},
	"proxy_cache_key": {0, -1}, "fastcgi_cache_key": {0, -1}, "uwsgi_cache_key": {0, -1}, "scgi_cache_key": {0, -1},
	"proxy_cache_bypass": {0, -1}, "proxy_no_cache": {0, -1}, "fastcgi_cache_bypass": {0, -1}, "fastcgi_no_cache": {0, -1},
	"limit_req_zone": {0, 1}, "limit_conn_zone": {0, 1},
	"log_format": {1, -1}, "rewrite": {1, 2}, "set": {1, 2}, "auth_request_set": {1, 2}, "map": {0, 1},
}

// VariableArgs returns the arguments [from, to) of a directive with
// nargs arguments that nginx reads variables from when it loads the
// configuration; ok is false for a directive the table does not say
// this of. The operands of if are the rules' to pick (they depend on the
// operators between them).
func VariableArgs(name string, nargs int) (from, to int, ok bool) {
	a, ok := variableArgs[name]
	if !ok {
		return 0, 0, false
	}
	from, to = a.in(nargs)
	return from, to, from < to
}

// DefinedVariableArg returns which argument of a directive with nargs
// arguments names the variable it defines (set $x, map $a $x, geo [$a]
// $x, perl_set, js_set, the set_* of set-misc, ndk and lua ...); -1 for
// a directive that defines none.
func DefinedVariableArg(name string, nargs int) int {
	i := -1
	switch name {
	case "set", "perl_set", "js_set", "js_var", "auth_request_set":
		i = 0
	case "map", "split_clients":
		i = 1
	case "geo":
		i = nargs - 1
	default:
		if strings.HasPrefix(name, "set_") {
			i = 0
		}
	}
	if i >= nargs {
		return -1
	}
	return i
}

// regexDirectives are the directives whose regular expressions nginx
// compiles with their named groups as variables.
var regexDirectives = map[string]bool{
	"location": true, "server_name": true, "if": true, "rewrite": true,
	"proxy_redirect": true, "proxy_cookie_path": true, "proxy_cookie_domain": true,
	"valid_referers": true, "map": true, "fastcgi_split_path_info": true,
}

// CompilesRegex reports whether nginx compiles the regular expressions
// of the directive name, whose named groups then become variables.
func CompilesRegex(name string) bool { return regexDirectives[name] }

// ErrorLogLevels are error_log's levels, least severe first; "debug_"
// points (debug_http ...) may be added to them.
var ErrorLogLevels = []string{"debug", "info", "notice", "warn", "error", "crit", "alert", "emerg"}

// RewriteFlags are the flags rewrite takes as its third argument.
var RewriteFlags = []string{"last", "break", "redirect", "permanent"}

// AccessLogParams are the parameters access_log takes after the file and
// the format: buffer=, gzip[=], flush=, if=.
var AccessLogParams = []string{"buffer", "gzip", "flush", "if"}

// FinalKeyword returns the word a directive takes as its optional third
// argument and nothing else: add_header's "always", fastcgi_param's
// "if_not_empty"; "" for the others.
func FinalKeyword(name string) string {
	switch name {
	case "add_header", "add_trailer":
		return "always"
	case "fastcgi_param", "uwsgi_param", "scgi_param":
		return "if_not_empty"
	}
	return ""
}
