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

// namedCapture finds the named groups of a regular expression: they
// define variables.
var namedCapture = regexp.MustCompile(`\(\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']`)

// varRef finds variable references: $name and ${name}.
var varRef = regexp.MustCompile(`\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))`)

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

// references yields the names of the variables a value refers to, with
// their offsets in it; $1 ... $9 (captures) are left out.
func references(v string) [][2]int {
	var out [][2]int
	for _, m := range varRef.FindAllStringSubmatchIndex(v, -1) {
		s, e := m[2], m[3]
		if s < 0 {
			s, e = m[4], m[5]
		}
		if c := v[s]; '0' <= c && c <= '9' {
			continue // $1 ... $9: a capture, whatever follows ("$1index")
		}
		out = append(out, [2]int{s, e})
	}
	return out
}

// treeVariables returns the variables the tree defines, http's and
// stream's (by set, map, geo ... and named captures), their names in
// lower case (nginx compares them without case); ok is false when the
// tree may define more where it cannot see: a snippet, or an include it
// does not hold.
func treeVariables(t *syntax.Tree, ix *model.Index) (http, stream map[string]bool, ok bool) {
	if t.Context != "main" {
		return nil, nil, false
	}
	for _, pr := range t.Problems {
		if pr.Kind == syntax.KindInclude || pr.Kind == syntax.KindOutside {
			return nil, nil, false
		}
	}
	http, stream = map[string]bool{}, map[string]bool{}
	t.Walk(func(d syntax.Directive) {
		set := http
		if ix.Module(d) == "stream" {
			set = stream
		}
		if name, _ := definedVariable(d); name != "" {
			set[strings.ToLower(name)] = true
		}
		if d.Name() == "geoip2" || d.Name() == "geoip" {
			// geoip2 { $var default=... path; } entries define variables.
			for _, e := range d.Children() {
				if n := e.Name(); strings.HasPrefix(n, "$") {
					set[strings.ToLower(n[1:])] = true
				}
			}
		}
		for _, a := range d.EachArg() {
			if strings.Contains(a.Value, "(?") {
				for _, m := range namedCapture.FindAllStringSubmatch(a.Value, -1) {
					name := strings.ToLower(m[1])
					http[name], stream[name] = true, true
				}
			}
		}
		if n := d.Name(); strings.Contains(n, "(?") {
			// a regex key of a map block
			for _, m := range namedCapture.FindAllStringSubmatch(n, -1) {
				name := strings.ToLower(m[1])
				http[name], stream[name] = true, true
			}
		}
	})
	return http, stream, true
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
