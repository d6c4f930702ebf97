package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/internal/gendirectives/csrc"
)

// A source set (csrc.Set) is the C files of one nginx release or of one
// third-party module; analyze reads the directives they define.

// vkey names a variant: a directive of a module.
type vkey struct{ name, module string }

// pkey names a parameter of a variant.
type pkey struct {
	directive, module, name string
	value                   bool
}

// found is a variant as one source set defines it.
type found struct {
	csrc.Flags
	unique bool
	// deprecated is set when nginx warns that the directive is
	// deprecated or obsolete; instead is the replacement it names.
	deprecated bool
	instead    string
	// data: its handler sets cf->handler, a block of data lines.
	data bool
	// values are the words an enum or bitmask directive takes (its
	// handler is ngx_conf_set_enum_slot or ngx_conf_set_bitmask_slot,
	// or hands its work to one): its POST's ngx_conf_enum_t or
	// ngx_conf_bitmask_t; bitmask is set for the latter.
	values  []string
	bitmask bool
}

// paramFound is a parameter as one source set's parser reads it.
type paramFound struct {
	deprecated bool
	instead    string
}

// result is what analyze reads of a source set.
type result struct {
	variants map[vkey]*found
	params   map[pkey]*paramFound
	modules  map[string]string // module name -> its file
	problems []string
	notes    []string
}

// paramDirectives are the directives whose parameters (listen's ssl,
// server's weight=) the table records: the handler's comparisons of an
// argument with a literal name them.
var paramDirectives = map[string]bool{"listen": true, "server": true}

// analyze reads every module of the source set: each command of its
// array, decoded.
func analyze(ss *csrc.Set, withParams bool) *result {
	res := &result{variants: map[vkey]*found{}, params: map[pkey]*paramFound{}, modules: map[string]string{}}
	for _, p := range ss.Paths {
		ff := ss.Files[p]
		for _, prob := range ff.Problems {
			res.problems = append(res.problems, p+": "+prob)
		}
		for _, n := range ff.Notes {
			res.notes = append(res.notes, p+": "+n)
		}
		for _, m := range ff.Modules {
			if m.Commands == "" {
				continue
			}
			cmds, ok := ff.Arrays[m.Commands]
			if !ok {
				cmds, ok = ss.Arrays[m.Commands]
			}
			if !ok {
				res.problems = append(res.problems, fmt.Sprintf("%s: module %s: command array %s not found", p, m.Name, m.Commands))
				continue
			}
			cmds = append(cmds[:len(cmds):len(cmds)], ss.Included(m.Commands)...)
			res.modules[m.Name] = p
			for _, c := range cmds {
				res.command(ss, ff, p, m, c, withParams)
			}
		}
	}
	return res
}

// command reads one command of module m (in file p).
func (res *result) command(ss *csrc.Set, ff *csrc.File, p string, m csrc.Module, c csrc.Command, withParams bool) {
	macro := func(name string) ([]csrc.Token, bool) { return ss.Macro(ff, name) }
	fl, unknown := csrc.DecodeFlags(c.Flags, macro)
	where := fmt.Sprintf("%s:%d: %s of %s", p, c.Line, c.Name, m.Name)
	if len(unknown) > 0 {
		res.problems = append(res.problems, fmt.Sprintf("%s: flags not understood: %s", where, strings.Join(unknown, ", ")))
		return
	}
	if fl.Contexts == 0 || fl.Args == 0 {
		res.problems = append(res.problems, fmt.Sprintf("%s: flags give no context or no argument count: %s", where, csrc.JoinText(c.Flags)))
		return
	}
	fn := ss.Function(ff, c.Handler)
	f := &found{Flags: fl}
	f.unique = checksDuplicate(ss, ff, c.Handler, 0)
	f.data = fn != nil && fn.SetsHandler
	f.deprecated, f.instead = deprecationOf(ss, ff, c)
	if slot := valueSlot(ss, ff, c.Handler, 0); slot != "" {
		post := c.Post
		if fn != nil && fn.SetsPost != "" {
			post = fn.SetsPost // the handler's, for the slot it calls
		}
		values, problem := values(ss, ff, post, slot)
		if problem != "" {
			res.problems = append(res.problems, fmt.Sprintf("%s: %s", where, problem))
			return
		}
		f.values, f.bitmask = values, slot == bitmaskSlot
	}
	k := vkey{c.Name, m.Name}
	if old, ok := res.variants[k]; ok {
		// Defined twice in one release: in two branches of an #if.
		if old.Flags != f.Flags || old.unique != f.unique || !slices.Equal(old.values, f.values) {
			res.notes = append(res.notes, fmt.Sprintf("%s: defined twice, differently; the table takes the union", where))
		}
		for _, v := range f.values {
			if !slices.Contains(old.values, v) {
				old.values = append(old.values, v)
			}
		}
		old.Contexts |= f.Contexts
		old.Args |= f.Args
		old.Block = old.Block || f.Block
		old.unique = old.unique && f.unique
		old.deprecated = old.deprecated || f.deprecated
		return
	}
	res.variants[k] = f
	if !withParams || !paramDirectives[c.Name] || fn == nil {
		return
	}
	for _, lit := range fn.Compares {
		name, value := paramName(lit)
		if !paramRE.MatchString(name) {
			res.notes = append(res.notes, fmt.Sprintf("%s: compared literal %q is not a parameter name", where, lit))
			continue
		}
		res.params[pkey{c.Name, m.Name, name, value}] = &paramFound{}
	}
	// "the "listen ... http2" directive is deprecated, use the "http2"
	// directive instead": a parameter's deprecation; "invalid parameter
	// "spdy": ngx_http_spdy_module was superseded by ngx_http_v2_module",
	// a warning of a parameter nginx ignores, counts as one too.
	for _, s := range fn.Strs {
		mm := paramDeprecatedRE.FindStringSubmatch(s)
		if o := paramObsoleteRE.FindStringSubmatch(s); o != nil {
			mm = []string{"", c.Name, o[1], ""}
		}
		if mm == nil || mm[1] != c.Name {
			continue
		}
		matched := false
		for k, pf := range res.params {
			if k.directive == c.Name && k.module == m.Name && k.name == mm[2] {
				pf.deprecated, pf.instead = true, mm[3]
				matched = true
			}
		}
		if !matched {
			res.notes = append(res.notes, fmt.Sprintf("%s: a deprecation of parameter %q, which it does not compare", where, mm[2]))
		}
	}
}

var (
	paramRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	// the "listen ... http2" directive is deprecated[, use the "http2" directive instead]
	paramDeprecatedRE = regexp.MustCompile(`^the "([a-z0-9_]+) \.\.\. ([a-z0-9_]+)" directive is (?:deprecated|obsolete)(?:, use the "([^"]+)" directive instead)?`)
	// invalid parameter "spdy": ... (of a literal name, not "%V")
	paramObsoleteRE = regexp.MustCompile(`^invalid parameter "([a-z0-9_]+)"`)
	// the "%s" directive is deprecated / the "%V" directive is obsolete
	genericDeprecatedRE = regexp.MustCompile(`^the "%[sV]" directive is (?:deprecated|obsolete)`)
	insteadRE           = regexp.MustCompile(`use the "([^"]+)" directive instead`)
)

// paramName splits a compared literal into the parameter's name and
// whether it takes a value: "backlog=" is backlog with a value;
// "ipv6only=o" (nginx compares a prefix, then the rest) too.
func paramName(lit string) (string, bool) {
	if name, _, ok := strings.Cut(lit, "="); ok {
		return name, true
	}
	return lit, false
}

// checksDuplicate is the "unique" heuristic: a directive is refused
// twice in one block when its handler's body has nginx's "is duplicate"
// message, returned as a string ("is duplicate", which nginx prefixes
// with the directive's name) or logged ("\"%V\" directive is
// duplicate"), or when the handler hands its work (cf, cmd, conf) to a
// function that does, such as the ngx_conf_set_*_slot functions of
// src/core/ngx_conf_file.c. Messages about something else being
// duplicate ("duplicate location", "parameter \"path\" is duplicate")
// do not count.
func checksDuplicate(ss *csrc.Set, ff *csrc.File, name string, depth int) bool {
	fn := ss.Function(ff, name)
	if fn == nil || depth > 4 {
		return false
	}
	for _, s := range fn.Strs {
		if s == "is duplicate" || strings.HasPrefix(s, `"%V" directive is duplicate`) {
			return true
		}
	}
	for _, g := range fn.Forwards {
		if g != name && checksDuplicate(ss, ff, g, depth+1) {
			return true
		}
	}
	return false
}

// deprecationOf reads whether nginx warns that command c is deprecated or
// obsolete, and what it names instead:
//
//  1. the handler's body warns with a message of any directive (the
//     "%s"/"%V" directive is deprecated|obsolete): the replacement is
//     the new name of its POST's ngx_conf_deprecated_t, if any;
//  2. otherwise its POST is an ngx_conf_deprecated_t whose handler
//     (ngx_conf_deprecated) warns so: its new name;
//  3. otherwise the handler's body warns of this directive by name
//     (the "ssl" directive is deprecated, use the "listen ... ssl"
//     directive instead), at the start of a message, so that a warning
//     about one parameter of it does not count.
func deprecationOf(ss *csrc.Set, ff *csrc.File, c csrc.Command) (bool, string) {
	d, isDef := ff.Deprecated[c.Post]
	if fn := ss.Function(ff, c.Handler); fn != nil {
		for _, s := range fn.Strs {
			if genericDeprecatedRE.MatchString(s) {
				if isDef {
					return true, insteadName(d.New)
				}
				return true, ""
			}
		}
	}
	if isDef {
		if fn := ss.Function(ff, d.Handler); fn != nil {
			for _, s := range fn.Strs {
				if genericDeprecatedRE.MatchString(s) {
					return true, insteadName(d.New)
				}
			}
		}
	}
	if fn := ss.Function(ff, c.Handler); fn != nil {
		prefix := `the "` + c.Name + `" directive is `
		for _, s := range fn.Strs {
			if rest, ok := strings.CutPrefix(s, prefix); ok &&
				(strings.HasPrefix(rest, "deprecated") || strings.HasPrefix(rest, "obsolete")) {
				instead := ""
				if m := insteadRE.FindStringSubmatch(rest); m != nil {
					instead = m[1]
				}
				return true, instead
			}
		}
	}
	return false, ""
}

// insteadName reads the new name of an ngx_conf_deprecated_t, which
// nginx prints in `use the "%s" directive instead`: a parameter is named
// with quotes inside (`so_keepalive" parameter of the "listen`), which
// reads as "listen ... so_keepalive", nginx's own way of naming one.
func insteadName(s string) string {
	if param, dir, ok := strings.Cut(s, `" parameter of the "`); ok {
		return dir + " ... " + param
	}
	return s
}

// The slot functions of the directives that take words of a set.
const (
	enumSlot    = "ngx_conf_set_enum_slot"
	bitmaskSlot = "ngx_conf_set_bitmask_slot"
)

// valueSlot returns enumSlot or bitmaskSlot when the handler is one, or
// hands its work (cf, cmd, conf) to one; "" otherwise.
func valueSlot(ss *csrc.Set, ff *csrc.File, name string, depth int) string {
	if name == enumSlot || name == bitmaskSlot {
		return name
	}
	fn := ss.Function(ff, name)
	if fn == nil || depth > 4 {
		return ""
	}
	for _, g := range fn.Forwards {
		if g != name {
			if slot := valueSlot(ss, ff, g, depth+1); slot != "" {
				return slot
			}
		}
	}
	return ""
}

// values reads the words of the ngx_conf_enum_t (enumSlot) or
// ngx_conf_bitmask_t (bitmaskSlot) array post: { ngx_string("word"),
// value } entries, ended by { ngx_null_string, 0 }. It returns a
// problem when it cannot.
func values(ss *csrc.Set, ff *csrc.File, post, slot string) ([]string, string) {
	typ := map[string]string{enumSlot: "ngx_conf_enum_t", bitmaskSlot: "ngx_conf_bitmask_t"}[slot]
	arr, ok := ff.Statics[post]
	if !ok {
		arr, ok = ss.Statics[post]
	}
	switch {
	case post == "":
		return nil, fmt.Sprintf("%s with no POST", slot)
	case !ok:
		return nil, fmt.Sprintf("%s: the %s array %s not found", slot, typ, post)
	case arr.Type != typ:
		return nil, fmt.Sprintf("%s: %s is an array of %s, not of %s", slot, post, arr.Type, typ)
	}
	var words []string
	for _, it := range arr.Items {
		if csrc.IsNull(it.Fields) {
			continue
		}
		word, ok := "", false
		if len(it.Fields) == 2 {
			word, ok = csrc.NgxString(it.Fields[0])
		}
		if !ok {
			return nil, fmt.Sprintf("%s: line %d: an entry not of the form { ngx_string(\"word\"), value }", post, it.Line)
		}
		if !slices.Contains(words, word) {
			words = append(words, word)
		}
	}
	if len(words) == 0 {
		return nil, fmt.Sprintf("%s: no words", post)
	}
	return words, ""
}

// slotsIgnoreCase checks that nginx's enum and bitmask slots compare a
// word with the set's without regard to case (ngx_strcasecmp), as
// lint/nginx's Variant.Values says; a problem when the source set has
// them and they do not.
func slotsIgnoreCase(ss *csrc.Set) []string {
	var problems []string
	for _, slot := range []string{enumSlot, bitmaskSlot} {
		fn, ok := ss.Funcs[slot]
		if !ok {
			continue
		}
		if !slices.Contains(fn.Calls, "ngx_strcasecmp") || slices.Contains(fn.Calls, "ngx_strcmp") || slices.Contains(fn.Calls, "ngx_strncmp") {
			problems = append(problems, slot+": does not compare the words with ngx_strcasecmp alone; Variant.Values says they are compared without regard to case")
		}
	}
	return problems
}
