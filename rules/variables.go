package rules

import (
	"regexp"
	"strings"

	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// What the variable rules share: which directives define a variable,
// which arguments nginx reads variables from, and the variables a tree
// defines.

// definedVariable returns the variable d defines ("" for none) and the
// argument that names it.
func definedVariable(d syntax.Directive) (string, int) {
	name := d.Name()
	i := -1
	switch {
	case name == "set" || name == "perl_set" || name == "js_set" || name == "js_var" || name == "auth_request_set":
		i = 0
	case name == "map" || name == "split_clients":
		i = 1
	case name == "geo":
		i = d.NArgs() - 1
	case strings.HasPrefix(name, "set_"):
		// set-misc, ndk, lua: set_by_lua_block $x {...}, set_md5 $x ...
		i = 0
	}
	if i < 0 || i >= d.NArgs() {
		return "", -1
	}
	v := d.Arg(i)
	if len(v) < 2 || v[0] != '$' {
		return "", -1
	}
	return strings.Trim(v[1:], "{}"), i
}

// variableDirectives are the directives the variable rules look at:
// those that define variables, compile regular expressions, or read
// variables from their arguments (see definedVariable, regexDirectives,
// evaluated); the names of set-misc, ndk and lua's set_* directives are
// matched by their prefix.
var variableDirectives = func() map[string]bool {
	m := map[string]bool{
		"set": true, "perl_set": true, "js_set": true, "js_var": true, "auth_request_set": true,
		"map": true, "split_clients": true, "geo": true, "geoip": true, "geoip2": true,
		"add_header": true, "add_trailer": true, "proxy_set_header": true, "grpc_set_header": true,
		"fastcgi_param": true, "uwsgi_param": true, "scgi_param": true,
		"proxy_pass": true, "fastcgi_pass": true, "uwsgi_pass": true, "scgi_pass": true, "grpc_pass": true,
		"try_files": true, "root": true, "alias": true, "proxy_cache_key": true, "fastcgi_cache_key": true,
		"uwsgi_cache_key": true, "scgi_cache_key": true, "proxy_cache_bypass": true, "proxy_no_cache": true,
		"fastcgi_cache_bypass": true, "fastcgi_no_cache": true, "limit_req_zone": true, "limit_conn_zone": true,
		"log_format": true, "return": true, "index": true, "auth_request": true, "proxy_set_body": true,
		"sub_filter": true, "rewrite": true, "if": true,
	}
	for name := range regexDirectives {
		m[name] = true
	}
	return m
}()

// regexDirectives are the directives whose regular expressions nginx
// compiles with their named groups as variables.
var regexDirectives = map[string]bool{
	"location": true, "server_name": true, "if": true, "rewrite": true,
	"proxy_redirect": true, "proxy_cookie_path": true, "proxy_cookie_domain": true,
	"valid_referers": true, "map": true, "fastcgi_split_path_info": true,
}

// namedCapture finds the named groups of a regular expression: they
// define variables.
var namedCapture = regexp.MustCompile(`\(\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']`)

// evaluated returns the arguments of d that nginx reads variables from
// when it loads the configuration (and refuses an unknown one): the value
// arguments of the directives that take variables. Regular expressions,
// names and file paths nginx takes literally are left out.
func evaluated(d syntax.Directive) []syntax.Arg {
	n := d.NArgs()
	from, to := 0, n
	switch d.Name() {
	case "add_header", "add_trailer", "proxy_set_header", "grpc_set_header",
		"fastcgi_param", "uwsgi_param", "scgi_param":
		from, to = 1, min(n, 2)
	case "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass",
		"try_files", "root", "alias", "proxy_cache_key", "fastcgi_cache_key",
		"uwsgi_cache_key", "scgi_cache_key", "proxy_cache_bypass", "proxy_no_cache",
		"fastcgi_cache_bypass", "fastcgi_no_cache", "limit_req_zone", "limit_conn_zone",
		"log_format", "return", "index", "auth_request", "proxy_set_body",
		"sub_filter":
		if d.Name() == "limit_req_zone" || d.Name() == "limit_conn_zone" {
			to = min(n, 1)
		}
		if d.Name() == "log_format" {
			from = 1
		}
	case "rewrite":
		from, to = 1, min(n, 2)
	case "set", "auth_request_set":
		from, to = 1, min(n, 2)
	case "map":
		to = min(n, 1)
	case "if":
		return ifOperands(d)
	default:
		return nil
	}
	if from >= to {
		return nil
	}
	return d.Args()[from:to]
}

// ifOperands returns the arguments of an if condition that are
// variables or compared strings, not regular expressions.
func ifOperands(d syntax.Directive) []syntax.Arg {
	args := d.Args()
	var out []syntax.Arg
	for i, a := range args {
		if i > 0 {
			switch args[i-1].Value {
			case "~", "~*", "!~", "!~*":
				continue // a regular expression
			}
		}
		switch a.Value {
		case "~", "~*", "!~", "!~*", "=", "!=", "-f", "!-f", "-d", "!-d", "-e", "!-e", "-x", "!-x":
			continue
		}
		out = append(out, a)
	}
	return out
}

// references returns the spans of the names of the variables a value
// refers to ($name, ${name}), as nginx's script compiler reads them;
// $1 ... $9 (captures) are left out.
func references(v string) [][2]int {
	var out [][2]int
	for i := strings.IndexByte(v, '$'); i >= 0 && i < len(v); {
		j := i + 1
		braced := j < len(v) && v[j] == '{'
		if braced {
			j++
		}
		start := j
		for j < len(v) && isVarByte(v[j]) {
			j++
		}
		switch {
		case j == start:
		case '0' <= v[start] && v[start] <= '9':
			// A capture, whatever follows ("$1index").
		case braced && (j == len(v) || v[j] != '}'):
		default:
			out = append(out, [2]int{start, j})
		}
		k := strings.IndexByte(v[j:], '$')
		if k < 0 {
			break
		}
		i = j + k
	}
	return out
}

func isVarByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// variablesKnowable reports whether the tree holds every definition
// of a variable nginx would see: not a snippet, and no include it does
// not hold.
func variablesKnowable(t *syntax.Tree) bool {
	if t.Context != "main" {
		return false
	}
	for _, pr := range t.Problems {
		if pr.Kind == syntax.KindInclude || pr.Kind == syntax.KindOutside {
			return false
		}
	}
	return true
}

// noteDefinitions records the variables directive d (in context c)
// defines, by set, map, geo ... or a named capture, in lower case (nginx
// compares variable names without case).
func noteDefinitions(d syntax.Directive, c nginx.Context, http, stream map[string]bool) {
	name := d.Name()
	set := http
	if inStream(c) {
		set = stream
	}
	if v, _ := definedVariable(d); v != "" {
		set[strings.ToLower(v)] = true
	}
	switch {
	case name == "geoip2" || name == "geoip":
		// geoip2 { $var default=... path; } entries define variables.
		for _, e := range d.Children() {
			if n := e.Name(); strings.HasPrefix(n, "$") {
				set[strings.ToLower(n[1:])] = true
			}
		}
	case regexDirectives[name] && textHas(d, "(?"):
		for _, a := range d.EachArg() {
			captures(a.Value, http, stream)
		}
	case c == 0 && strings.Contains(name, "(?"):
		// a regex key of a map block
		captures(name, http, stream)
	}
}

// textHas reports whether the text of d's header (its name and
// arguments) holds s: a cheap test before its arguments are read.
func textHas(d syntax.Directive, s string) bool {
	src := d.File().Src
	start, end := int(d.Start()), int(d.End())
	if d.IsBlock() {
		end = int(d.LBrace())
	}
	if start < 0 || end > len(src) || end < start {
		return true
	}
	return strings.Contains(src[start:end], s)
}

// captures records the named groups of a regular expression: nginx
// makes them variables of http and stream alike.
func captures(re string, http, stream map[string]bool) {
	if !strings.Contains(re, "(?") {
		return
	}
	for _, m := range namedCapture.FindAllStringSubmatch(re, -1) {
		name := strings.ToLower(m[1])
		http[name], stream[name] = true, true
	}
}

// inStream reports whether context c is stream's.
func inStream(c nginx.Context) bool {
	return c&(nginx.Stream|nginx.StreamServer|nginx.StreamUpstream) != 0
}

// builtin returns the built-in variable name in http (stream false) or
// stream, of the target version and of a module nginx has; nil for none.
func builtin(ix *model.Index, name string, stream bool) *nginx.Variable {
	for _, v := range nginx.BuiltinVariables(name, stream) {
		if !v.In(ix.Target()) {
			continue
		}
		if m := nginx.ModuleNamed(v.Module); m != nil && m.ThirdParty() {
			if enabled, known := ix.ThirdPartyEnabled(m); !enabled && known {
				continue
			}
		}
		return v
	}
	return nil
}
