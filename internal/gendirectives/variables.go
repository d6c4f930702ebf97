package main

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
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
	ss      *sourceSet
	res     *varResult
	defs    map[string][]string // function -> the files defining it, sorted
	callers map[fnRef][]fnRef
	ctxOf   map[fnRef][]ctxField // functions a module's context names
	// handlerOf are the functions a module's commands name: what they
	// register exists only where the configuration has the directive.
	handlerOf map[fnRef][]moduleDef
	// fileMods are, per file, the modules its variables went to.
	fileMods map[string]map[string]bool
}

// analyzeVariables reads the built-in variables of the source set.
func analyzeVariables(ss *sourceSet) *varResult {
	vr := &varReader{
		ss:        ss,
		res:       &varResult{vars: map[varKey]*varFound{}},
		defs:      map[string][]string{},
		callers:   map[fnRef][]fnRef{},
		ctxOf:     map[fnRef][]ctxField{},
		handlerOf: map[fnRef][]moduleDef{},
		fileMods:  map[string]map[string]bool{},
	}
	for _, p := range ss.paths {
		for name := range ss.files[p].funcs {
			vr.defs[name] = append(vr.defs[name], p)
		}
	}
	for _, p := range ss.paths {
		ff := ss.files[p]
		for _, name := range sortedKeys(ff.funcs) {
			for _, c := range ff.funcs[name].calls {
				if r, ok := vr.resolve(p, c); ok {
					vr.callers[r] = append(vr.callers[r], fnRef{p, name})
				}
			}
		}
		for _, m := range ff.modules {
			for i, f := range ff.ctxs[m.ctx] {
				if r, ok := vr.resolve(p, f); ok && f != "" {
					vr.ctxOf[r] = append(vr.ctxOf[r], ctxField{m, i})
				}
			}
			cmds, ok := ff.arrays[m.commands]
			if !ok {
				cmds = ss.arrays[m.commands]
			}
			for _, c := range append(cmds[:len(cmds):len(cmds)], ss.included(m.commands)...) {
				if r, ok := vr.resolve(p, c.handler); ok && c.handler != "" {
					vr.handlerOf[r] = append(vr.handlerOf[r], m)
				}
			}
		}
	}
	for _, p := range ss.paths {
		vr.arrays(p)
	}
	for _, p := range ss.paths {
		vr.calls(p)
	}
	for _, p := range ss.paths {
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
	if _, ok := vr.ss.files[p].funcs[name]; ok {
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
	m     moduleDef
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
				if c.m.typ == typ {
					ctx[c.m.name] = true
					late = late && !c.early()
				}
			}
			for _, m := range vr.handlerOf[f] {
				if m.typ == typ {
					cmd[m.name] = true
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
	for _, m := range vr.ss.files[p].modules {
		if m.typ == typ {
			if own != "" {
				return ""
			}
			own = m.name
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
	ff := vr.ss.files[p]
arrays:
	for _, name := range sortedKeys(ff.statics) {
		arr := ff.statics[name]
		if arr.typ != httpVarType && arr.typ != streamVarType {
			continue
		}
		stream := arr.typ == streamVarType
		typ := httpModType
		if stream {
			typ = streamModType
		}
		var users []fnRef
		var callFlags [][]token // the registering calls' flags, when not the entries'
		for _, fname := range sortedKeys(ff.funcs) {
			fn := ff.funcs[fname]
			if !slices.Contains(fn.refs, name) {
				continue
			}
			users = append(users, fnRef{p, fname})
			for _, av := range fn.addVars {
				if x := memberName(av.name); x != "" && slices.Contains(fn.assigns[x], name) && !isMember(av.flags, x, "flags") {
					callFlags = append(callFlags, av.flags)
				}
			}
		}
		what := "variable array " + name
		module, late := vr.moduleOf(p, users, typ, what, arr.line)
		if module == "" {
			continue
		}
		var constFlags *varFlags
		for _, fl := range callFlags {
			f, ok := vr.flags(p, arr.line, fl, stream)
			if !ok {
				continue arrays
			}
			if constFlags != nil && *constFlags != f {
				vr.problem(p, arr.line, "%s: registered with different flags", what)
				continue arrays
			}
			constFlags = &f
		}
		for _, it := range arr.items {
			fields, ok := vr.itemFields(ff, it)
			if !ok {
				vr.problem(p, it.line, "%s: an entry not understood", what)
				continue
			}
			if isNull(fields) {
				continue
			}
			vname, ok := ngxString(fields[0])
			if !ok || len(fields) != 6 {
				vr.problem(p, it.line, "%s: an entry not of the form { ngx_string(\"name\"), set, get, data, flags, index }", what)
				continue
			}
			f := varFlags{}
			if constFlags != nil {
				f = *constFlags
			} else if f, ok = vr.flags(p, it.line, fields[4], stream); !ok {
				continue
			}
			vr.add(p, it.line, varKey{vname, module, stream, f.prefix}, f.changeable || late, true)
		}
	}
}

// calls reads the calls of ngx_http_add_variable and
// ngx_stream_add_variable in file p that register a single variable
// (&NAME of a file-level ngx_str_t) or an array of a module's own type
// (&v->name, v = the array).
func (vr *varReader) calls(p string) {
	ff := vr.ss.files[p]
	for _, fname := range sortedKeys(ff.funcs) {
		fn := ff.funcs[fname]
		for _, av := range fn.addVars {
			typ := httpModType
			if av.stream {
				typ = streamModType
			}
			where := fmt.Sprintf("%s: %s(cf, %s, ...)", fname, map[bool]string{false: "ngx_http_add_variable", true: "ngx_stream_add_variable"}[av.stream], tokText(av.name))
			if len(av.name) == 2 && av.name[0].text == "&" && av.name[1].kind == tIdent {
				value, ok := fn.strSets[av.name[1].text]
				if !ok {
					value, ok = vr.strConst(ff, av.name[1].text)
				}
				if ok {
					module, late := vr.moduleOf(p, []fnRef{{p, fname}}, typ, where, av.line)
					f, ok := vr.flags(p, av.line, av.flags, av.stream)
					if module != "" && ok {
						vr.add(p, av.line, varKey{value, module, av.stream, f.prefix}, f.changeable || late, true)
					}
					continue
				}
			}
			x := memberName(av.name)
			if x == "" {
				vr.res.notes = append(vr.res.notes, fmt.Sprintf("%s: %s: a variable the configuration names", p, where))
				continue
			}
			var arrays []string
			for _, a := range fn.assigns[x] {
				if _, ok := ff.statics[a]; ok {
					arrays = append(arrays, a)
				}
			}
			if len(arrays) != 1 {
				vr.problem(p, av.line, "%s: %s is not assigned one static array of the file", where, x)
				continue
			}
			arr := ff.statics[arrays[0]]
			if arr.typ == httpVarType || arr.typ == streamVarType {
				continue // read by arrays
			}
			what := fmt.Sprintf("variable array %s (%s)", arrays[0], arr.typ)
			module, late := vr.moduleOf(p, []fnRef{{p, fname}}, typ, what, arr.line)
			f, ok := vr.flags(p, av.line, av.flags, av.stream)
			f.changeable = f.changeable || late
			if module == "" || !ok {
				continue
			}
			for _, it := range arr.items {
				fields, ok := vr.itemFields(ff, it)
				if !ok {
					vr.problem(p, it.line, "%s: an entry not understood", what)
					continue
				}
				if isNull(fields) {
					continue
				}
				vname, ok := ngxString(fields[0])
				if !ok {
					vr.problem(p, it.line, "%s: an entry not of the form { ngx_string(\"name\"), ... }", what)
					continue
				}
				vr.add(p, it.line, varKey{vname, module, av.stream, f.prefix}, f.changeable, true)
			}
		}
	}
}

// prefixes reads the prefix families that nginx's functions compared
// names with (prefixFuncs), before NGX_HTTP_VAR_PREFIX.
func (vr *varReader) prefixes(p string) {
	ff := vr.ss.files[p]
	for _, fname := range sortedKeys(ff.funcs) {
		stream, ok := prefixFuncs[fname]
		if !ok {
			continue
		}
		typ := httpModType
		if stream {
			typ = streamModType
		}
		for _, pc := range ff.funcs[fname].prefixCmps {
			where := fmt.Sprintf("%s: prefix %q", fname, pc.lit)
			if pc.handler == "" {
				vr.problem(p, pc.line, "%s: no handler found", where)
				continue
			}
			h, ok := vr.resolve(p, pc.handler)
			if !ok {
				vr.problem(p, pc.line, "%s: handler %s not found", where, pc.handler)
				continue
			}
			module := vr.ownModule(h.path, typ)
			if module == "" && len(vr.fileMods[h.path]) == 1 {
				module = sortedKeys(vr.fileMods[h.path])[0]
			}
			if module == "" {
				vr.problem(p, pc.line, "%s: no module for its handler %s (%s)", where, pc.handler, h.path)
				continue
			}
			vr.add(p, pc.line, varKey{pc.lit, module, stream, true}, false, false)
		}
	}
}

// strConst returns the value of a file-level ngx_str_t: the file's own,
// else any file's.
func (vr *varReader) strConst(ff *fileFacts, name string) (string, bool) {
	if v, ok := ff.strConsts[name]; ok {
		return v, true
	}
	for _, p := range vr.ss.paths {
		if v, ok := vr.ss.files[p].strConsts[name]; ok {
			return v, true
		}
	}
	return "", false
}

// varFlags are the flags of a variable the table records.
type varFlags struct{ changeable, prefix bool }

// flags decodes a variable's flags expression: NGX_HTTP_VAR_* (or
// NGX_STREAM_VAR_* for stream) names joined by "|", 0, and macros of
// them. What it cannot decode is a problem.
func (vr *varReader) flags(p string, line int, expr []token, stream bool) (varFlags, bool) {
	prefix := "NGX_HTTP_VAR_"
	if stream {
		prefix = "NGX_STREAM_VAR_"
	}
	var f varFlags
	var unknown []string
	var walk func(toks []token, depth int)
	walk = func(toks []token, depth int) {
		for _, t := range toks {
			switch {
			case t.kind == tPunct && (t.text == "|" || t.text == "(" || t.text == ")"):
			case t.kind == tNumber && t.text == "0":
			case t.kind == tIdent && strings.HasPrefix(t.text, prefix):
				switch strings.TrimPrefix(t.text, prefix) {
				case "CHANGEABLE":
					f.changeable = true
				case "PREFIX":
					f.prefix = true
				case "NOCACHEABLE", "INDEXED", "NOHASH", "WEAK":
				default:
					unknown = append(unknown, t.text)
				}
			case t.kind == tIdent:
				body, ok := vr.macro(p, t.text)
				if !ok || depth > maxMacroDepth {
					unknown = append(unknown, t.text)
					continue
				}
				walk(body, depth+1)
			default:
				unknown = append(unknown, t.text)
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

// macro returns an object-like macro's tokens: file p's, else any
// file's.
func (vr *varReader) macro(p, name string) ([]token, bool) {
	if body, ok := vr.ss.files[p].macros[name]; ok {
		return body, true
	}
	body, ok := vr.ss.macros[name]
	return body, ok
}

// itemFields returns the fields of an item: its own, or its macro's
// expansion (an initializer in braces).
func (vr *varReader) itemFields(ff *fileFacts, it item) ([][]token, bool) {
	if it.fields != nil {
		return it.fields, true
	}
	if it.macro == "" {
		return nil, false
	}
	var toks []token
	if it.call {
		fm, ok := ff.fmacros[it.macro]
		if !ok {
			fm, ok = vr.ss.fmacros[it.macro]
		}
		if !ok || len(fm.params) != len(it.args) {
			return nil, false
		}
		toks = lex(expand(fm, it.args))
	} else {
		body, ok := ff.macros[it.macro]
		if !ok {
			body, ok = vr.ss.macros[it.macro]
		}
		if !ok {
			return nil, false
		}
		toks = body
	}
	if len(toks) == 0 || toks[0].text != "{" {
		return nil, false
	}
	entry, end := entryTokens(toks, 0)
	if end != len(toks)-1 {
		return nil, false
	}
	return splitTop(entry), true
}

// expand expands a function-like macro's body with the arguments: a
// parameter by its argument, #parameter by the argument as a string.
func expand(fm fmacro, args [][]token) string {
	arg := map[string]string{}
	for i, p := range fm.params {
		arg[p] = cText(args[i])
	}
	var b strings.Builder
	body := fm.body
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			_, n, _ := quoted(body[i:])
			b.WriteString(body[i : i+n])
			i += n
		case c == '#' && i+1 < len(body) && body[i+1] == '#':
			i += 2 // token pasting: the sides are joined as written
			for i < len(body) && body[i] == ' ' {
				i++
			}
		case c == '#':
			j := i + 1
			for j < len(body) && body[j] == ' ' {
				j++
			}
			k := j
			for k < len(body) && isIdentChar(body[k]) {
				k++
			}
			if a, ok := arg[body[j:k]]; ok && k > j {
				b.WriteString(strconv.Quote(a))
				i = k
			} else {
				b.WriteByte(c)
				i++
			}
		case isIdentStart(c):
			j := i
			for j < len(body) && isIdentChar(body[j]) {
				j++
			}
			if a, ok := arg[body[i:j]]; ok {
				b.WriteString(a)
			} else {
				b.WriteString(body[i:j])
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// cText writes tokens back as C text.
func cText(toks []token) string {
	var parts []string
	for _, t := range toks {
		switch t.kind {
		case tString:
			parts = append(parts, strconv.Quote(t.text))
		case tChar:
			parts = append(parts, "'"+t.text+"'")
		default:
			parts = append(parts, t.text)
		}
	}
	return strings.Join(parts, " ")
}

// ngxString returns the value of a field ngx_string("value").
func ngxString(field []token) (string, bool) {
	if len(field) == 4 && field[0].text == "ngx_string" && field[1].text == "(" && field[2].kind == tString && field[3].text == ")" {
		return field[2].text, true
	}
	return "", false
}

// isNull reports whether an entry is an array's end: { ngx_null_string,
// ... }.
func isNull(fields [][]token) bool {
	return len(fields) > 0 && len(fields[0]) == 1 && fields[0][0].text == "ngx_null_string"
}

// memberName returns x of &x->name, or "".
func memberName(arg []token) string {
	if len(arg) == 5 && arg[0].text == "&" && arg[1].kind == tIdent && arg[2].text == "-" && arg[3].text == ">" && arg[4].text == "name" {
		return arg[1].text
	}
	return ""
}

// isMember reports whether the tokens are x->field.
func isMember(toks []token, x, field string) bool {
	return len(toks) == 4 && toks[0].text == x && toks[1].text == "-" && toks[2].text == ">" && toks[3].text == field
}
