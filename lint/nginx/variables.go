package nginx

import "strings"

// Variable is a variable a module of nginx defines: $host, $remote_addr,
// $upstream_addr, or a family of them by prefix ($http_NAME, $arg_NAME).
// The table (variables_gen.go, written by internal/gendirectives from the
// modules' ngx_http_variable_t and ngx_stream_variable_t arrays and
// ngx_http_add_variable calls, at every release tag) holds one entry per
// module that defines it.
type Variable struct {
	// Name is the name without "$", in lower case; for a prefix family,
	// the prefix ("http_").
	Name string
	// Prefix is set for a family: every name that starts with Name
	// ($http_ itself included, as nginx has it). nginx's
	// NGX_HTTP_VAR_PREFIX; before 1.11.10, the prefixes its
	// ngx_http_get_variable and ngx_http_variables_init_vars compared
	// names with.
	Prefix bool
	// Module is the module that defines it.
	Module string
	// Stream is set for the stream modules' variables; the others are
	// http's. The two sets are apart: $host does not exist in stream.
	Stream bool
	// Changeable is set when a configuration may define it again (set,
	// map): nginx's NGX_HTTP_VAR_CHANGEABLE, or a module that registers
	// its variables only after nginx has read the configuration (in its
	// postconfiguration, as echo and srcache do; the module's variable
	// then takes the definition over). Defining any other built-in
	// variable again makes nginx fail with "the duplicate variable". A
	// prefix family is no variable of any one name: nginx takes a
	// definition of $http_x (which then wins over the family) whatever
	// Changeable says.
	Changeable bool
	// Since and Until are as for a Variant.
	Since, Until Version
}

// In reports whether the variable exists in nginx version v (zero: the
// newest).
func (x *Variable) In(v Version) bool {
	if v.IsZero() {
		v = generatedNewest
	}
	return (x.Since.IsZero() || !v.Less(x.Since)) && (x.Until.IsZero() || v.Less(x.Until))
}

// BuiltinVariables returns the built-in variables named name in http
// (stream false) or stream: the exact ones first, then the prefix
// families name belongs to. nginx compares variable names without
// regard to case ($HOST is $host), and so does BuiltinVariables. nil
// when no module defines it.
func BuiltinVariables(name string, stream bool) []*Variable {
	name = strings.ToLower(name)
	var out []*Variable
	out = append(out, variablesByName[variableKey{name, stream}]...)
	for _, v := range prefixVariables[variableKey{stream: stream}.index()] {
		if strings.HasPrefix(name, v.Name) {
			out = append(out, v)
		}
	}
	return out
}

type variableKey struct {
	name   string
	stream bool
}

// index is 0 for http, 1 for stream.
func (k variableKey) index() int {
	if k.stream {
		return 1
	}
	return 0
}

var (
	// variablesByName are the variables of one name, by name and
	// stream.
	variablesByName = func() map[variableKey][]*Variable {
		m := map[variableKey][]*Variable{}
		for i := range generatedVariables {
			v := &generatedVariables[i]
			if !v.Prefix {
				k := variableKey{v.Name, v.Stream}
				m[k] = append(m[k], v)
			}
		}
		return m
	}()
	// prefixVariables are the prefix families of http and of stream.
	prefixVariables = func() [2][]*Variable {
		var p [2][]*Variable
		for i := range generatedVariables {
			v := &generatedVariables[i]
			if v.Prefix {
				k := variableKey{stream: v.Stream}.index()
				p[k] = append(p[k], v)
			}
		}
		return p
	}()
)
