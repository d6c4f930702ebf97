package main

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// A source set is the C files of one nginx release or of one third-party
// module; analyze reads the directives they define.

type sourceSet struct {
	paths   []string // sorted
	files   map[string]*fileFacts
	macros  map[string][]token      // every file's, the first by path
	fmacros map[string]fmacro       // likewise
	funcs   map[string]*function    // likewise
	arrays  map[string][]command    // likewise
	statics map[string]*staticArray // likewise
}

func newSourceSet(files map[string]*fileFacts) *sourceSet {
	ss := &sourceSet{
		files:   files,
		macros:  map[string][]token{},
		fmacros: map[string]fmacro{},
		statics: map[string]*staticArray{},
		funcs:   map[string]*function{},
		arrays:  map[string][]command{},
	}
	for p := range files {
		ss.paths = append(ss.paths, p)
	}
	sort.Strings(ss.paths)
	for _, p := range ss.paths {
		ff := files[p]
		for name, body := range ff.macros {
			if _, ok := ss.macros[name]; !ok {
				ss.macros[name] = body
			}
		}
		for name, a := range ff.statics {
			if _, ok := ss.statics[name]; !ok {
				ss.statics[name] = a
			}
		}
		for name, fm := range ff.fmacros {
			if _, ok := ss.fmacros[name]; !ok {
				ss.fmacros[name] = fm
			}
		}
		for name, fn := range ff.funcs {
			if _, ok := ss.funcs[name]; !ok {
				ss.funcs[name] = fn
			}
		}
		for name, cmds := range ff.arrays {
			if _, ok := ss.arrays[name]; !ok {
				ss.arrays[name] = cmds
			}
		}
	}
	return ss
}

// included returns the entries of the files the command array #includes
// among its own (found by base name).
func (ss *sourceSet) included(array string) []command {
	var cmds []command
	for _, p := range ss.paths {
		for _, inc := range ss.files[p].includes[array] {
			for _, q := range ss.paths {
				if path.Base(q) == path.Base(inc) {
					cmds = append(cmds, ss.files[q].fragment...)
				}
			}
		}
	}
	return cmds
}

// vkey names a variant: a directive of a module.
type vkey struct{ name, module string }

// pkey names a parameter of a variant.
type pkey struct {
	directive, module, name string
	value                   bool
}

// found is a variant as one source set defines it.
type found struct {
	flags
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
func analyze(ss *sourceSet, withParams bool) *result {
	res := &result{variants: map[vkey]*found{}, params: map[pkey]*paramFound{}, modules: map[string]string{}}
	for _, p := range ss.paths {
		ff := ss.files[p]
		for _, prob := range ff.problems {
			res.problems = append(res.problems, p+": "+prob)
		}
		for _, n := range ff.notes {
			res.notes = append(res.notes, p+": "+n)
		}
		for _, m := range ff.modules {
			if m.commands == "" {
				continue
			}
			cmds, ok := ff.arrays[m.commands]
			if !ok {
				cmds, ok = ss.arrays[m.commands]
			}
			if !ok {
				res.problems = append(res.problems, fmt.Sprintf("%s: module %s: command array %s not found", p, m.name, m.commands))
				continue
			}
			cmds = append(cmds[:len(cmds):len(cmds)], ss.included(m.commands)...)
			res.modules[m.name] = p
			for _, c := range cmds {
				res.command(ss, ff, p, m, c, withParams)
			}
		}
	}
	return res
}

// command reads one command of module m (in file p).
func (res *result) command(ss *sourceSet, ff *fileFacts, p string, m moduleDef, c command, withParams bool) {
	macro := func(name string) ([]token, bool) {
		if body, ok := ff.macros[name]; ok {
			return body, true
		}
		body, ok := ss.macros[name]
		return body, ok
	}
	fl, unknown := decodeFlags(c.flags, macro)
	where := fmt.Sprintf("%s:%d: %s of %s", p, c.line, c.name, m.name)
	if len(unknown) > 0 {
		res.problems = append(res.problems, fmt.Sprintf("%s: flags not understood: %s", where, strings.Join(unknown, ", ")))
		return
	}
	if fl.contexts == 0 || fl.args == 0 {
		res.problems = append(res.problems, fmt.Sprintf("%s: flags give no context or no argument count: %s", where, tokText(c.flags)))
		return
	}
	fn := ss.function(ff, c.handler)
	f := &found{flags: fl}
	f.unique = ss.checksDuplicate(ff, c.handler, 0)
	f.data = fn != nil && fn.setsHandler
	f.deprecated, f.instead = ss.deprecation(ff, c)
	if slot := ss.valueSlot(ff, c.handler, 0); slot != "" {
		post := c.post
		if fn != nil && fn.setsPost != "" {
			post = fn.setsPost // the handler's, for the slot it calls
		}
		values, problem := ss.values(ff, post, slot)
		if problem != "" {
			res.problems = append(res.problems, fmt.Sprintf("%s: %s", where, problem))
			return
		}
		f.values, f.bitmask = values, slot == bitmaskSlot
	}
	k := vkey{c.name, m.name}
	if old, ok := res.variants[k]; ok {
		// Defined twice in one release: in two branches of an #if.
		if old.flags != f.flags || old.unique != f.unique || !slices.Equal(old.values, f.values) {
			res.notes = append(res.notes, fmt.Sprintf("%s: defined twice, differently; the table takes the union", where))
		}
		for _, v := range f.values {
			if !slices.Contains(old.values, v) {
				old.values = append(old.values, v)
			}
		}
		old.contexts |= f.contexts
		old.args |= f.args
		old.block = old.block || f.block
		old.unique = old.unique && f.unique
		old.deprecated = old.deprecated || f.deprecated
		return
	}
	res.variants[k] = f
	if !withParams || !paramDirectives[c.name] || fn == nil {
		return
	}
	for _, lit := range fn.compares {
		name, value := paramName(lit)
		if !paramRE.MatchString(name) {
			res.notes = append(res.notes, fmt.Sprintf("%s: compared literal %q is not a parameter name", where, lit))
			continue
		}
		res.params[pkey{c.name, m.name, name, value}] = &paramFound{}
	}
	// "the "listen ... http2" directive is deprecated, use the "http2"
	// directive instead": a parameter's deprecation; "invalid parameter
	// "spdy": ngx_http_spdy_module was superseded by ngx_http_v2_module",
	// a warning of a parameter nginx ignores, counts as one too.
	for _, s := range fn.strs {
		mm := paramDeprecatedRE.FindStringSubmatch(s)
		if o := paramObsoleteRE.FindStringSubmatch(s); o != nil {
			mm = []string{"", c.name, o[1], ""}
		}
		if mm == nil || mm[1] != c.name {
			continue
		}
		matched := false
		for k, pf := range res.params {
			if k.directive == c.name && k.module == m.name && k.name == mm[2] {
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

// function returns the function name: the file's own, else any file's.
func (ss *sourceSet) function(ff *fileFacts, name string) *function {
	if name == "" {
		return nil
	}
	if fn, ok := ff.funcs[name]; ok {
		return fn
	}
	return ss.funcs[name]
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
func (ss *sourceSet) checksDuplicate(ff *fileFacts, name string, depth int) bool {
	fn := ss.function(ff, name)
	if fn == nil || depth > 4 {
		return false
	}
	for _, s := range fn.strs {
		if s == "is duplicate" || strings.HasPrefix(s, `"%V" directive is duplicate`) {
			return true
		}
	}
	for _, g := range fn.forwards {
		if g != name && ss.checksDuplicate(ff, g, depth+1) {
			return true
		}
	}
	return false
}

// deprecation reads whether nginx warns that command c is deprecated or
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
func (ss *sourceSet) deprecation(ff *fileFacts, c command) (bool, string) {
	d, isDef := ff.deprecated[c.post]
	if fn := ss.function(ff, c.handler); fn != nil {
		for _, s := range fn.strs {
			if genericDeprecatedRE.MatchString(s) {
				if isDef {
					return true, insteadName(d.new)
				}
				return true, ""
			}
		}
	}
	if isDef {
		if fn := ss.function(ff, d.handler); fn != nil {
			for _, s := range fn.strs {
				if genericDeprecatedRE.MatchString(s) {
					return true, insteadName(d.new)
				}
			}
		}
	}
	if fn := ss.function(ff, c.handler); fn != nil {
		prefix := `the "` + c.name + `" directive is `
		for _, s := range fn.strs {
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

func tokText(toks []token) string {
	var parts []string
	for _, t := range toks {
		parts = append(parts, t.text)
	}
	return strings.Join(parts, " ")
}

// The slot functions of the directives that take words of a set.
const (
	enumSlot    = "ngx_conf_set_enum_slot"
	bitmaskSlot = "ngx_conf_set_bitmask_slot"
)

// valueSlot returns enumSlot or bitmaskSlot when the handler is one, or
// hands its work (cf, cmd, conf) to one; "" otherwise.
func (ss *sourceSet) valueSlot(ff *fileFacts, name string, depth int) string {
	if name == enumSlot || name == bitmaskSlot {
		return name
	}
	fn := ss.function(ff, name)
	if fn == nil || depth > 4 {
		return ""
	}
	for _, g := range fn.forwards {
		if g != name {
			if slot := ss.valueSlot(ff, g, depth+1); slot != "" {
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
func (ss *sourceSet) values(ff *fileFacts, post, slot string) ([]string, string) {
	typ := map[string]string{enumSlot: "ngx_conf_enum_t", bitmaskSlot: "ngx_conf_bitmask_t"}[slot]
	arr, ok := ff.statics[post]
	if !ok {
		arr, ok = ss.statics[post]
	}
	switch {
	case post == "":
		return nil, fmt.Sprintf("%s with no POST", slot)
	case !ok:
		return nil, fmt.Sprintf("%s: the %s array %s not found", slot, typ, post)
	case arr.typ != typ:
		return nil, fmt.Sprintf("%s: %s is an array of %s, not of %s", slot, post, arr.typ, typ)
	}
	var words []string
	for _, it := range arr.items {
		if isNull(it.fields) {
			continue
		}
		word, ok := "", false
		if len(it.fields) == 2 {
			word, ok = ngxString(it.fields[0])
		}
		if !ok {
			return nil, fmt.Sprintf("%s: line %d: an entry not of the form { ngx_string(\"word\"), value }", post, it.line)
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
func (ss *sourceSet) slotsIgnoreCase() []string {
	var problems []string
	for _, slot := range []string{enumSlot, bitmaskSlot} {
		fn, ok := ss.funcs[slot]
		if !ok {
			continue
		}
		if !slices.Contains(fn.calls, "ngx_strcasecmp") || slices.Contains(fn.calls, "ngx_strcmp") || slices.Contains(fn.calls, "ngx_strncmp") {
			problems = append(problems, slot+": does not compare the words with ngx_strcasecmp alone; Variant.Values says they are compared without regard to case")
		}
	}
	return problems
}
