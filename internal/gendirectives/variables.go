package main

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/internal/gendirectives/csrc"
)

// The built-in variables of a source set, as nginx registers them:
//
//   - the static arrays of ngx_http_variable_t and ngx_stream_variable_t
//     ({ ngx_string("host"), set, get, data, FLAGS, index }, ended by
//     ngx_http_null_variable), registered in a loop by a function that
//     a module's context (ngx_http_module_t, ngx_stream_module_t) calls,
//     most often its preconfiguration;
//   - single variables, a file-level ngx_str_t NAME = ngx_string("...")
//     handed to ngx_http_add_variable(cf, &NAME, FLAGS);
//   - a third-party module's own array type (nchan_variable_t), handed
//     entry by entry to ngx_http_add_variable(cf, &v->name, FLAGS);
//   - before nginx 1.11.10 (NGX_HTTP_VAR_PREFIX), the prefix families
//     ($http_NAME, $arg_NAME ...) were names compared in code:
//     ngx_strncmp(name->data, "http_", 5) in ngx_http_get_variable and
//     ngx_http_variables_init_vars, each selecting a handler.
//
// The module of a variable is the module whose context reaches (by
// calls) the function that names the array or registers the variable;
// failing that, the one module its file defines. A prefix family of
// the old kind belongs to the module of the file defining its handler.
//
// Variables the configuration names (set, map, geo, perl_set, js_set:
// ngx_http_add_variable(cf, &value[1], ...)) are no built-in ones: such
// calls are notes. What else the generator cannot read is a problem.

// varKey names a variable of the table.
type varKey struct {
	name, module   string
	stream, prefix bool
}

// varFound is a variable as one source set defines it.
type varFound struct {
	changeable bool
}

// varResult is what analyzeVariables reads of a source set.
type varResult struct {
	vars     map[varKey]*varFound
	problems []string
	notes    []string
}

// The element types of nginx's variable arrays, and the module types
// whose variables they are.
const (
	httpVarType   = "ngx_http_variable_t"
	streamVarType = "ngx_stream_variable_t"
	httpModType   = "NGX_HTTP_MODULE"
	streamModType = "NGX_STREAM_MODULE"
	maxReachDepth = 8
	maxMacroDepth = 8
)

// prefixFuncs are the functions that compared names with the prefixes
// of the families before NGX_HTTP_VAR_PREFIX; the value says stream.
var prefixFuncs = map[string]bool{
	"ngx_http_get_variable":          false,
	"ngx_http_variables_init_vars":   false,
	"ngx_stream_get_variable":        true,
	"ngx_stream_variables_init_vars": true,
}

var varNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// fnRef is a function of a file.
type fnRef struct{ path, name string }

// varReader reads the variables of a source set.
type varReader struct {
	ss      *csrc.Set
	res     *varResult
	defs    map[string][]string // function -> the files defining it, sorted
	callers map[fnRef][]fnRef
	ctxOf   map[fnRef][]ctxField // functions a module's context names
	// handlerOf are the functions a module's commands name: what they
	// register exists only where the configuration has the directive.
	handlerOf map[fnRef][]csrc.Module
	// fileMods are, per file, the modules its variables went to.
	fileMods map[string]map[string]bool
}

// analyzeVariables reads the built-in variables of the source set.
func analyzeVariables(ss *csrc.Set) *varResult {
	vr := &varReader{
		ss:        ss,
		res:       &varResult{vars: map[varKey]*varFound{}},
		defs:      map[string][]string{},
		callers:   map[fnRef][]fnRef{},
		ctxOf:     map[fnRef][]ctxField{},
		handlerOf: map[fnRef][]csrc.Module{},
		fileMods:  map[string]map[string]bool{},
	}
	for _, p := range ss.Paths {
		for name := range ss.Files[p].Funcs {
			vr.defs[name] = append(vr.defs[name], p)
		}
	}
	for _, p := range ss.Paths {
		ff := ss.Files[p]
		for _, name := range sortedKeys(ff.Funcs) {
			for _, c := range ff.Funcs[name].Calls {
				if r, ok := vr.resolve(p, c); ok {
					vr.callers[r] = append(vr.callers[r], fnRef{p, name})
				}
			}
		}
		for _, m := range ff.Modules {
			for i, f := range ff.Ctxs[m.Ctx] {
				if r, ok := vr.resolve(p, f); ok && f != "" {
					vr.ctxOf[r] = append(vr.ctxOf[r], ctxField{m, i})
				}
			}
			cmds, ok := ff.Arrays[m.Commands]
			if !ok {
				cmds = ss.Arrays[m.Commands]
			}
			for _, c := range append(cmds[:len(cmds):len(cmds)], ss.Included(m.Commands)...) {
				if r, ok := vr.resolve(p, c.Handler); ok && c.Handler != "" {
					vr.handlerOf[r] = append(vr.handlerOf[r], m)
				}
			}
		}
	}
	for _, p := range ss.Paths {
		vr.arrays(p)
	}
	for _, p := range ss.Paths {
		vr.calls(p)
	}
	for _, p := range ss.Paths {
		vr.prefixes(p)
	}
	return vr.res
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// resolve returns the definition a call of name from file p reaches:
// p's own, else the first file's that defines it.
func (vr *varReader) resolve(p, name string) (fnRef, bool) {
	if _, ok := vr.ss.Files[p].Funcs[name]; ok {
		return fnRef{p, name}, true
	}
	if defs := vr.defs[name]; len(defs) > 0 {
		return fnRef{defs[0], name}, true
	}
	return fnRef{}, false
}

// ctxField is a field of a module's context: a function nginx calls
// at a step of reading the configuration.
type ctxField struct {
	m     csrc.Module
	field int
}

// early reports whether nginx calls the field before it reads the
// module type's block: ngx_http_module_t's and ngx_stream_module_t's
// preconfiguration and create_*_conf (the even fields; the odd ones,
// postconfiguration, init_main_conf and merge_*_conf, come after).
func (c ctxField) early() bool { return c.field%2 == 0 }

// reach returns the modules of type typ whose contexts name the function
// or one of its callers, the nearest ones; failing that, those whose
// commands do (byDirective set). late is set when the contexts name it
// only in fields nginx calls after it has read the block (see early).
func (vr *varReader) reach(start fnRef, typ string) (mods []string, byDirective, late bool) {
	seen := map[fnRef]bool{start: true}
	level := []fnRef{start}
	for depth := 0; depth <= maxReachDepth && len(level) > 0; depth++ {
		ctx, cmd := map[string]bool{}, map[string]bool{}
		late = true
		var next []fnRef
		for _, f := range level {
			for _, c := range vr.ctxOf[f] {
				if c.m.Type == typ {
					ctx[c.m.Name] = true
					late = late && !c.early()
				}
			}
			for _, m := range vr.handlerOf[f] {
				if m.Type == typ {
					cmd[m.Name] = true
				}
			}
			for _, c := range vr.callers[f] {
				if !seen[c] {
					seen[c] = true
					next = append(next, c)
				}
			}
		}
		switch {
		case len(ctx) > 0:
			return sortedKeys(ctx), false, late
		case len(cmd) > 0:
			return sortedKeys(cmd), true, false
		}
		level = next
	}
	return nil, false, false
}

// ownModule returns the one module of type typ file p defines, or "".
func (vr *varReader) ownModule(p, typ string) string {
	own := ""
	for _, m := range vr.ss.Files[p].Modules {
		if m.Type == typ {
			if own != "" {
				return ""
			}
			own = m.Name
		}
	}
	return own
}

// moduleOf returns the module of variables a file registers through the
// functions users: the module the users reach, else the file's own. A
// variable that a directive's handler registers is a note: it exists
// only where the configuration has the directive. late is set when the
// module registers them only after nginx has read the block (its
// postconfiguration: echo's): nginx then takes a definition of any of
// them (map, set), which the module's registration finds and takes
// over.
func (vr *varReader) moduleOf(p string, users []fnRef, typ, what string, line int) (module string, late bool) {
	mods := map[string]bool{}
	late = true
	for _, u := range users {
		found, byDirective, l := vr.reach(u, typ)
		for _, m := range found {
			mods[m] = true
		}
		if len(found) > 0 {
			late = late && l
		}
		if byDirective {
			vr.res.notes = append(vr.res.notes, fmt.Sprintf("%s: %s: registered by a directive of %s (%s), where the configuration has it; recorded as a built-in",
				p, what, strings.Join(found, ", "), u.name))
		}
	}
	late = late && len(mods) > 0
	switch {
	case len(mods) == 1:
		module = sortedKeys(mods)[0]
		if late {
			vr.res.notes = append(vr.res.notes, fmt.Sprintf("%s: %s: registered by %s after the configuration is read; recorded as changeable", p, what, module))
		}
		return module, late
	case len(mods) > 1:
		vr.problem(p, line, "%s: registered by several modules: %s", what, strings.Join(sortedKeys(mods), ", "))
		return "", false
	}
	if own := vr.ownModule(p, typ); own != "" {
		return own, false
	}
	vr.problem(p, line, "%s: no %s module registers it", what, typ)
	return "", false
}

func (vr *varReader) problem(p string, line int, format string, args ...any) {
	vr.res.problems = append(vr.res.problems, fmt.Sprintf("%s:%d: ", p, line)+fmt.Sprintf(format, args...))
}

// add records a variable that file p defines (fileMods notes its
// module when own is set).
func (vr *varReader) add(p string, line int, k varKey, changeable, own bool) {
	if !varNameRE.MatchString(k.name) {
		vr.problem(p, line, "variable name %q not understood", k.name)
		return
	}
	if own {
		if vr.fileMods[p] == nil {
			vr.fileMods[p] = map[string]bool{}
		}
		vr.fileMods[p][k.module] = true
	}
	if old, ok := vr.res.vars[k]; ok {
		if old.changeable != changeable {
			vr.res.notes = append(vr.res.notes, fmt.Sprintf("%s:%d: $%s of %s defined twice, changeable and not; the table takes changeable", p, line, k.name, k.module))
		}
		old.changeable = old.changeable || changeable
		return
	}
	vr.res.vars[k] = &varFound{changeable: changeable}
}

// arrays reads the variable arrays of file p (ngx_http_variable_t,
// ngx_stream_variable_t), and the flags of the calls that register them.
func (vr *varReader) arrays(p string) {
	ff := vr.ss.Files[p]
arrays:
	for _, name := range sortedKeys(ff.Statics) {
		arr := ff.Statics[name]
		if arr.Type != httpVarType && arr.Type != streamVarType {
			continue
		}
		stream := arr.Type == streamVarType
		typ := httpModType
		if stream {
			typ = streamModType
		}
		var users []fnRef
		var callFlags [][]csrc.Token // the registering calls' flags, when not the entries'
		for _, fname := range sortedKeys(ff.Funcs) {
			fn := ff.Funcs[fname]
			if !slices.Contains(fn.Refs, name) {
				continue
			}
			users = append(users, fnRef{p, fname})
			for _, av := range fn.AddVars {
				if x := csrc.MemberName(av.Name); x != "" && slices.Contains(fn.Assigns[x], name) && !csrc.IsMember(av.Flags, x, "flags") {
					callFlags = append(callFlags, av.Flags)
				}
			}
		}
		what := "variable array " + name
		module, late := vr.moduleOf(p, users, typ, what, arr.Line)
		if module == "" {
			continue
		}
		var constFlags *varFlags
		for _, fl := range callFlags {
			f, ok := vr.flags(p, arr.Line, fl, stream)
			if !ok {
				continue arrays
			}
			if constFlags != nil && *constFlags != f {
				vr.problem(p, arr.Line, "%s: registered with different flags", what)
				continue arrays
			}
			constFlags = &f
		}
		for _, it := range arr.Items {
			fields, ok := vr.ss.ItemFields(ff, it)
			if !ok {
				vr.problem(p, it.Line, "%s: an entry not understood", what)
				continue
			}
			if csrc.IsNull(fields) {
				continue
			}
			vname, ok := csrc.NgxString(fields[0])
			if !ok || len(fields) != 6 {
				vr.problem(p, it.Line, "%s: an entry not of the form { ngx_string(\"name\"), set, get, data, flags, index }", what)
				continue
			}
			f := varFlags{}
			if constFlags != nil {
				f = *constFlags
			} else if f, ok = vr.flags(p, it.Line, fields[4], stream); !ok {
				continue
			}
			vr.add(p, it.Line, varKey{vname, module, stream, f.prefix}, f.changeable || late, true)
		}
	}
}

// calls reads the calls of ngx_http_add_variable and
// ngx_stream_add_variable in file p that register a single variable
// (&NAME of a file-level ngx_str_t) or an array of a module's own type
// (&v->name, v = the array).
func (vr *varReader) calls(p string) {
	ff := vr.ss.Files[p]
	for _, fname := range sortedKeys(ff.Funcs) {
		fn := ff.Funcs[fname]
		for _, av := range fn.AddVars {
			typ := httpModType
			if av.Stream {
				typ = streamModType
			}
			where := fmt.Sprintf("%s: %s(cf, %s, ...)", fname, map[bool]string{false: "ngx_http_add_variable", true: "ngx_stream_add_variable"}[av.Stream], csrc.JoinText(av.Name))
			if len(av.Name) == 2 && av.Name[0].Text == "&" && av.Name[1].Kind == csrc.Ident {
				value, ok := fn.StrSets[av.Name[1].Text]
				if !ok {
					value, ok = vr.ss.StrConst(ff, av.Name[1].Text)
				}
				if ok {
					module, late := vr.moduleOf(p, []fnRef{{p, fname}}, typ, where, av.Line)
					f, ok := vr.flags(p, av.Line, av.Flags, av.Stream)
					if module != "" && ok {
						vr.add(p, av.Line, varKey{value, module, av.Stream, f.prefix}, f.changeable || late, true)
					}
					continue
				}
			}
			x := csrc.MemberName(av.Name)
			if x == "" {
				vr.res.notes = append(vr.res.notes, fmt.Sprintf("%s: %s: a variable the configuration names", p, where))
				continue
			}
			var arrays []string
			for _, a := range fn.Assigns[x] {
				if _, ok := ff.Statics[a]; ok {
					arrays = append(arrays, a)
				}
			}
			if len(arrays) != 1 {
				vr.problem(p, av.Line, "%s: %s is not assigned one static array of the file", where, x)
				continue
			}
			arr := ff.Statics[arrays[0]]
			if arr.Type == httpVarType || arr.Type == streamVarType {
				continue // read by arrays
			}
			what := fmt.Sprintf("variable array %s (%s)", arrays[0], arr.Type)
			module, late := vr.moduleOf(p, []fnRef{{p, fname}}, typ, what, arr.Line)
			f, ok := vr.flags(p, av.Line, av.Flags, av.Stream)
			f.changeable = f.changeable || late
			if module == "" || !ok {
				continue
			}
			for _, it := range arr.Items {
				fields, ok := vr.ss.ItemFields(ff, it)
				if !ok {
					vr.problem(p, it.Line, "%s: an entry not understood", what)
					continue
				}
				if csrc.IsNull(fields) {
					continue
				}
				vname, ok := csrc.NgxString(fields[0])
				if !ok {
					vr.problem(p, it.Line, "%s: an entry not of the form { ngx_string(\"name\"), ... }", what)
					continue
				}
				vr.add(p, it.Line, varKey{vname, module, av.Stream, f.prefix}, f.changeable, true)
			}
		}
	}
}

// prefixes reads the prefix families that nginx's functions compared
// names with (prefixFuncs), before NGX_HTTP_VAR_PREFIX.
func (vr *varReader) prefixes(p string) {
	ff := vr.ss.Files[p]
	for _, fname := range sortedKeys(ff.Funcs) {
		stream, ok := prefixFuncs[fname]
		if !ok {
			continue
		}
		typ := httpModType
		if stream {
			typ = streamModType
		}
		for _, pc := range ff.Funcs[fname].PrefixCmps {
			where := fmt.Sprintf("%s: prefix %q", fname, pc.Lit)
			if pc.Handler == "" {
				vr.problem(p, pc.Line, "%s: no handler found", where)
				continue
			}
			h, ok := vr.resolve(p, pc.Handler)
			if !ok {
				vr.problem(p, pc.Line, "%s: handler %s not found", where, pc.Handler)
				continue
			}
			module := vr.ownModule(h.path, typ)
			if module == "" && len(vr.fileMods[h.path]) == 1 {
				module = sortedKeys(vr.fileMods[h.path])[0]
			}
			if module == "" {
				vr.problem(p, pc.Line, "%s: no module for its handler %s (%s)", where, pc.Handler, h.path)
				continue
			}
			vr.add(p, pc.Line, varKey{pc.Lit, module, stream, true}, false, false)
		}
	}
}

// varFlags are the flags of a variable the table records.
type varFlags struct{ changeable, prefix bool }

// flags decodes a variable's flags expression: NGX_HTTP_VAR_* (or
// NGX_STREAM_VAR_* for stream) names joined by "|", 0, and macros of
// them. What it cannot decode is a problem.
func (vr *varReader) flags(p string, line int, expr []csrc.Token, stream bool) (varFlags, bool) {
	prefix := "NGX_HTTP_VAR_"
	if stream {
		prefix = "NGX_STREAM_VAR_"
	}
	var f varFlags
	var unknown []string
	var walk func(toks []csrc.Token, depth int)
	walk = func(toks []csrc.Token, depth int) {
		for _, t := range toks {
			switch {
			case t.Kind == csrc.Punct && (t.Text == "|" || t.Text == "(" || t.Text == ")"):
			case t.Kind == csrc.Number && t.Text == "0":
			case t.Kind == csrc.Ident && strings.HasPrefix(t.Text, prefix):
				switch strings.TrimPrefix(t.Text, prefix) {
				case "CHANGEABLE":
					f.changeable = true
				case "PREFIX":
					f.prefix = true
				case "NOCACHEABLE", "INDEXED", "NOHASH", "WEAK":
				default:
					unknown = append(unknown, t.Text)
				}
			case t.Kind == csrc.Ident:
				body, ok := vr.ss.Macro(vr.ss.Files[p], t.Text)
				if !ok || depth > maxMacroDepth {
					unknown = append(unknown, t.Text)
					continue
				}
				walk(body, depth+1)
			default:
				unknown = append(unknown, t.Text)
			}
		}
	}
	walk(expr, 0)
	if len(unknown) > 0 {
		vr.problem(p, line, "variable flags not understood: %s", strings.Join(unknown, ", "))
		return f, false
	}
	return f, true
}
