package nginx

import (
	"slices"
	"strconv"
	"strings"
)

// The generated part of the table (generated.go, written by
// internal/gendirectives from nginx's own sources and the third-party
// modules'): for every directive of every module, where nginx allows it,
// how many arguments it takes, whether it may repeat in a block, and the
// nginx versions that have it. The hand-written part (table.go) adds what
// the sources do not say in one place: inheritance, what a directive
// dials, what a snippet holding it implies.

// Args is the number of arguments a directive takes: nginx's
// NGX_CONF_NOARGS, NGX_CONF_TAKE1 ... NGX_CONF_TAKE7 (any combination,
// as TAKE12 or TAKE123), NGX_CONF_FLAG, NGX_CONF_1MORE, NGX_CONF_2MORE and
// NGX_CONF_ANY.
type Args uint16

// The argument counts. ArgsN is "exactly N"; a directive may accept
// several (Args1|Args2 is nginx's TAKE12).
const (
	Args0 Args = 1 << iota // NGX_CONF_NOARGS
	Args1
	Args2
	Args3
	Args4
	Args5
	Args6
	Args7
	ArgsFlag  // NGX_CONF_FLAG: one argument, "on" or "off"
	Args1More // NGX_CONF_1MORE
	Args2More // NGX_CONF_2MORE
	ArgsAny   // NGX_CONF_ANY: any number, none included
)

// Accepts reports whether a directive with these argument counts may
// take n arguments, as ngx_conf_handler checks it before the directive's
// own handler runs.
func (a Args) Accepts(n int) bool {
	switch {
	case a&ArgsAny != 0:
		return true
	case a&ArgsFlag != 0 && n == 1:
		return true
	case a&Args1More != 0 && n >= 1:
		return true
	case a&Args2More != 0 && n >= 2:
		return true
	case n >= 0 && n <= 7:
		return a&(Args0<<n) != 0
	}
	return false
}

// String describes the counts as nginx's error says what is allowed:
// "1", "1 or 2", "1 or more", "on or off", "none".
func (a Args) String() string {
	var parts []string
	for n := 0; n <= 7; n++ {
		if a&(Args0<<n) != 0 {
			if n == 0 {
				parts = append(parts, "none")
			} else {
				parts = append(parts, strconv.Itoa(n))
			}
		}
	}
	if a&ArgsFlag != 0 {
		parts = append(parts, "on or off")
	}
	if a&Args1More != 0 {
		parts = append(parts, "1 or more")
	}
	if a&Args2More != 0 {
		parts = append(parts, "2 or more")
	}
	if a&ArgsAny != 0 {
		parts = append(parts, "any number")
	}
	switch len(parts) {
	case 0:
		return "no count"
	case 1:
		return parts[0]
	}
	return joinOr(parts)
}

func joinOr(parts []string) string {
	s := ""
	for i, p := range parts {
		switch {
		case i == 0:
		case i == len(parts)-1:
			s += " or "
		default:
			s += ", "
		}
		s += p
	}
	return s
}

// Variant is one module's definition of a directive: nginx's
// ngx_command_t. A name several modules define (listen in http, stream
// and mail; proxy_pass in http and stream) has one Variant each.
type Variant struct {
	Name string
	// Module is the module that defines it (ngx_http_core_module).
	Module string
	// Contexts are where the module allows it.
	Contexts Context
	// Args are the argument counts it takes (for a block directive, the
	// arguments before "{").
	Args Args
	// Block is set when it takes a block (NGX_CONF_BLOCK).
	Block bool
	// Unique is set when nginx refuses it twice in one block ("directive
	// is duplicate").
	Unique bool
	// Since is the first nginx version that has it; zero when every
	// version the table covers has it (or, for a third-party module, when
	// the module does not follow nginx's versions). Until is the first
	// version that no longer has it; zero when the newest still has it.
	// Versions compare as numbers, stable and mainline alike: where a
	// stable release got a directive before the next mainline release
	// did (mp4 in 1.0.7, in mainline from 1.1.3), Since is the stable one.
	Since, Until Version
	// Deprecated is the version from which nginx warns that the
	// directive is deprecated or obsolete; zero when it does not.
	// Instead says what to use then, when nginx says.
	Deprecated Version
	Instead    string
	// Values are the words the directive takes when its handler is
	// nginx's ngx_conf_set_enum_slot or ngx_conf_set_bitmask_slot (or
	// hands its work to one): the ngx_conf_enum_t or ngx_conf_bitmask_t
	// array it names, in the newest version that has the directive; nil
	// for any other directive. nginx compares a word with them without
	// regard to case (ngx_strcasecmp), and refuses any other word with
	// "invalid value".
	Values []string
	// Bitmask is set when the directive takes any number of the Values
	// (ngx_conf_set_bitmask_slot: each argument one of them); otherwise
	// its first argument is exactly one of them (ngx_conf_set_enum_slot).
	Bitmask bool
}

// Module is what the table knows of a module.
type Module struct {
	// Name is the module's name in nginx (ngx_http_lua_module).
	Name string
	// Source is where its directives were read: "nginx" for nginx's own
	// modules, otherwise the third-party repository (openresty/lua-nginx-module).
	Source string
	// Object is the dynamic module file that load_module names to enable
	// it (ngx_http_lua_module.so); "" for a module nginx always builds in.
	Object string
	// Short is the name .nginxlint.toml's modules list takes ("lua");
	// "" for nginx's own modules.
	Short string
	// Option is, for nginx's own modules, the configure option that
	// builds the module when nginx does not by default
	// ("--with-http_ssl_module"; with "=dynamic" appended when Object is
	// set, it builds Object), or that leaves it out when it does
	// ("--without-http_gzip_module"); "" when nginx's build scripts name
	// none (the core and event modules, which nginx builds as the system
	// allows).
	Option string
}

// ThirdParty reports whether the module is not part of nginx itself: its
// directives are refused unless the module is loaded (load_module) or
// built in (declared in .nginxlint.toml).
func (m *Module) ThirdParty() bool { return m.Source != "nginx" }

// Param is a parameter of listen or of an upstream server line:
// "ssl", "backlog=", "weight=".
type Param struct {
	// Directive and Module say whose parameter it is: listen of
	// ngx_http_core_module, server of ngx_http_upstream_module ...
	Directive, Module string
	// Name is the parameter without "=".
	Name string
	// Value is set when it takes a value (name=value).
	Value bool
	// Since and Until are as for a Variant.
	Since, Until Version
	// Deprecated and Instead are as for a Variant: nginx warns of the
	// parameter ("the "listen ... http2" directive is deprecated").
	Deprecated Version
	Instead    string
}

// Variants returns every module's definition of the directive name, in
// the table's order; nil when no module the table knows defines it.
func Variants(name string) []*Variant { return variantsByName[name] }

// ModuleNamed returns what the table knows of the module, or nil.
func ModuleNamed(name string) *Module { return modulesByName[name] }

// Modules returns every module of the table.
func Modules() []*Module {
	all := make([]*Module, len(generatedModules))
	for i := range generatedModules {
		all[i] = &generatedModules[i]
	}
	return all
}

// Params returns the parameters of directive name of module, in the
// table's order.
func Params(directive, module string) []*Param {
	return paramsByDirective[[2]string{directive, module}]
}

// DirectiveNames returns the name of every directive the table knows,
// sorted: the candidates of a "did you mean".
func DirectiveNames() []string { return directiveNames }

// Newest is the newest nginx version the table covers: the target when
// none is given.
func Newest() Version { return generatedNewest }

// IsZero reports whether v is the zero Version ("unknown", or "always").
func (v Version) IsZero() bool { return v == Version{} }

// Less reports whether v is older than w.
func (v Version) Less(w Version) bool { return slices.Compare(v[:], w[:]) < 0 }

// String writes v as 1.22.1.
func (v Version) String() string {
	return strconv.Itoa(v[0]) + "." + strconv.Itoa(v[1]) + "." + strconv.Itoa(v[2])
}

// In reports whether the variant exists in nginx version v: at or after
// Since and before Until. A zero v (unknown) is taken as the newest.
func (x *Variant) In(v Version) bool {
	if v.IsZero() {
		v = generatedNewest
	}
	return (x.Since.IsZero() || !v.Less(x.Since)) && (x.Until.IsZero() || v.Less(x.Until))
}

// In reports whether the parameter exists in nginx version v.
func (p *Param) In(v Version) bool {
	if v.IsZero() {
		v = generatedNewest
	}
	return (p.Since.IsZero() || !v.Less(p.Since)) && (p.Until.IsZero() || v.Less(p.Until))
}

var (
	variantsByName = func() map[string][]*Variant {
		m := make(map[string][]*Variant)
		for i := range generatedVariants {
			v := &generatedVariants[i]
			m[v.Name] = append(m[v.Name], v)
		}
		return m
	}()
	modulesByName = func() map[string]*Module {
		m := make(map[string]*Module, len(generatedModules))
		for i := range generatedModules {
			m[generatedModules[i].Name] = &generatedModules[i]
		}
		return m
	}()
	paramsByDirective = func() map[[2]string][]*Param {
		m := make(map[[2]string][]*Param)
		for i := range generatedParams {
			p := &generatedParams[i]
			k := [2]string{p.Directive, p.Module}
			m[k] = append(m[k], p)
		}
		return m
	}()
	directiveNames = func() []string {
		var names []string
		for name := range variantsByName {
			names = append(names, name)
		}
		slices.Sort(names)
		return names
	}()
)

// ParseArgs reads argument counts written for people: "0" to "7", a
// range ("1-3"), "1+" or "2+" (that many or more), "flag" (on or off)
// and "any".
func ParseArgs(s string) (Args, bool) {
	switch s {
	case "flag":
		return ArgsFlag, true
	case "any":
		return ArgsAny, true
	case "1+":
		return Args1More, true
	case "2+":
		return Args2More, true
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || a < 0 || b > 7 || a > b {
		return 0, false
	}
	var args Args
	for n := a; n <= b; n++ {
		args |= Args0 << n
	}
	return args, true
}
