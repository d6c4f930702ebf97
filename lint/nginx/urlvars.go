package nginx

import "strings"

// VarStart is what a variable's value begins with, as far as the host
// name of a URL goes. A pass directive with variables is evaluated per
// request, and nginx then reads the host of the result up to the first
// ":", "/" or "?" (ngx_parse_url): a variable written right after a host
// name ends it only when its value cannot continue it.
type VarStart uint8

const (
	// VarStartsAny: the value may begin with anything, so written right
	// after a host name it may continue it ($host, $1, most variables).
	VarStartsAny VarStart = iota
	// VarStartsURI: the value always begins with "/" or "?", which end a
	// host name ($request_uri).
	VarStartsURI
	// VarEmptyOrURI: the value is empty or begins with "/" or "?"
	// ($is_args); what follows it then decides.
	VarEmptyOrURI
)

// builtinStarts are the http variables whose value is known to begin a
// URI (ngx_http_variables.c). None is changeable: no set or map can give
// them another value.
var builtinStarts = map[string]VarStart{
	// The URI of the request line, as sent: nginx's parser takes "/..."
	// only, or "?..." after the host of an absolute URL ("GET
	// http://h?a HTTP/1.1"), whose path it leaves out (ngx_http_parse.c).
	"request_uri": VarStartsURI,
	// The normalised URI: "/..." as parsed, or as an internal redirect
	// (try_files, error_page, index) sets it. A rewrite to a replacement
	// without "/" ("rewrite ^ foo break;") is the only way to another
	// value, and breaks any URL built on it whatever its host.
	"uri":          VarStartsURI,
	"document_uri": VarStartsURI,
	// "?" when the request has arguments, "" when it has none.
	"is_args": VarEmptyOrURI,
}

// BuiltinVarStart returns what the http variable name (without "$",
// any case) begins with when it is one of nginx's own variables known to
// begin a URI; VarStartsAny for every other.
func BuiltinVarStart(name string) VarStart {
	return builtinStarts[strings.ToLower(name)]
}

// VarRef reads the variable reference at the start of s, which begins
// with "$", as nginx's script compiler does (ngx_http_script_compile):
// "$name" or "${name}", the name of letters, digits and "_". It returns
// the name and the length of the reference; name is "" for a capture
// ("$1": one digit from 1 to 9) and for text that is not a reference.
func VarRef(s string) (name string, n int) {
	if len(s) < 2 || s[0] != '$' {
		return "", min(len(s), 1)
	}
	if '1' <= s[1] && s[1] <= '9' {
		return "", 2
	}
	i, braced := 1, s[1] == '{'
	if braced {
		i++
	}
	start := i
	for i < len(s) && isVarNameByte(s[i]) {
		i++
	}
	name = s[start:i]
	if braced {
		if i == len(s) || s[i] != '}' {
			return "", i // nginx refuses it: "the closing bracket ... is missing"
		}
		i++
	}
	return name, i
}

func isVarNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// TextStart returns what s, the rest of a pass directive's value after
// a host name, begins with once nginx evaluates its variables. nginx's
// own variables are [BuiltinVarStart]; user says what the variables the
// configuration defines begin with (nil: VarStartsAny), and is asked
// about no variable nginx has of its own (a changeable one such as $args
// keeps its own value where no set gives it one). A variable that may be empty leaves the
// decision to what follows it; "$is_args$args" (and "$is_args
// $query_string") is empty or "?..." as a whole, since both read the
// request's arguments.
func TextStart(s string, user func(name string) VarStart) VarStart {
	for {
		switch {
		case s == "":
			return VarEmptyOrURI
		case s[0] == '/' || s[0] == '?':
			return VarStartsURI
		case s[0] != '$':
			return VarStartsAny
		}
		name, n := VarRef(s)
		if name == "" {
			return VarStartsAny
		}
		start := BuiltinVarStart(name)
		if strings.EqualFold(name, "is_args") {
			if next, m := VarRef(s[n:]); strings.EqualFold(next, "args") || strings.EqualFold(next, "query_string") {
				n += m
			}
		} else if start == VarStartsAny && user != nil && len(BuiltinVariables(name, false)) == 0 {
			start = user(strings.ToLower(name))
		}
		switch start {
		case VarStartsURI:
			return VarStartsURI
		case VarEmptyOrURI:
			s = s[n:] // empty: what follows decides
		default:
			return VarStartsAny
		}
	}
}
