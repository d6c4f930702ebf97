package main

import (
	"fmt"
	"sort"
	"strings"
)

// What one C file says, as the generator reads it: its command arrays,
// its module definitions, its functions (what their bodies say), its
// object-like macros and its ngx_conf_deprecated_t definitions. A file's
// facts depend on its text only, so they are read once per git blob.

// command is one entry of an ngx_command_t array:
// { ngx_string("name"), FLAGS, HANDLER, CONF, OFFSET, POST }.
type command struct {
	name    string
	flags   []token // the flags expression, as written
	handler string  // the set function; "" for NULL
	post    string  // the object POST points to; "" for NULL
	line    int
}

// moduleDef is an ngx_module_t definition: { NGX_MODULE_V1, &ctx,
// COMMANDS, TYPE, ... }.
type moduleDef struct {
	name     string
	ctx      string // the module's context (ngx_http_module_t ...); "" for NULL
	commands string // the command array; "" for NULL
	typ      string // NGX_HTTP_MODULE ...
}

// function is what the generator needs of a function's body.
type function struct {
	// strs are the string literals of the body.
	strs []string
	// forwards are the functions it calls with (cf, cmd, conf): the
	// standard slot functions a handler hands its work to.
	forwards []string
	// compares are the string literals the body compares an argument
	// (value[i].data) with: ngx_strcmp(value[i].data, "ssl") and the
	// like, in order, without repeats.
	compares []string
	// setsHandler: the body assigns cf->handler, the line handler of a
	// block whose lines are data (map, types ...).
	setsHandler bool
	// calls are the functions (and function-like macros) it calls, by
	// name, without repeats.
	calls []string
	// assigns are its assignments of one identifier to another
	// (v = ngx_http_core_variables, in a for or not): by the assigned.
	assigns map[string][]string
	// addVars are its calls of ngx_http_add_variable and
	// ngx_stream_add_variable.
	addVars []addVar
	// prefixCmps are its comparisons of a variable's name with a
	// literal ending in "_" (ngx_strncmp(name->data, "http_", 5)), and
	// the handler each selects.
	prefixCmps []prefixCmp
	// refs are the file's static arrays (see tableType) the body
	// names.
	refs []string
	// strSets are its ngx_str_set(&name, "value") calls: by name, the
	// value.
	strSets map[string]string
	// setsPost is x of its cmd->post = &x, before it hands its work to
	// a slot function; "" when it has none.
	setsPost string
}

// addVar is a call ngx_http_add_variable(cf, NAME, FLAGS) (stream set
// for ngx_stream_add_variable).
type addVar struct {
	stream      bool
	name, flags []token
	line        int
}

// prefixCmp is a comparison of a name with a prefix literal, and the
// handler the branch it opens gives the variable (v[i].get_handler = h)
// or calls (h(r, vv, ...)); "" when it names none.
type prefixCmp struct {
	lit, handler string
	line         int
}

// staticArray is a static array of one of the types the generator reads
// (see tableType): its items, undecoded.
type staticArray struct {
	typ   string
	line  int
	items []item
}

// item is one item of a static array: an initializer in braces (fields set),
// an object-like macro (macro set) or a function-like macro's
// invocation (macro and args set).
type item struct {
	fields [][]token
	macro  string
	args   [][]token
	call   bool
	line   int
}

// fmacro is a function-like macro: #define NAME(params) body.
type fmacro struct {
	params []string
	body   string
}

// tableType reports whether typ is the element type of the static
// arrays the generator reads: the variables' (ngx_http_variable_t,
// ngx_stream_variable_t) and the value sets' (ngx_conf_enum_t,
// ngx_conf_bitmask_t). A third-party module's own variable type
// (nchan_variable_t) is read too: any type whose name ends in
// "variable_t".
func tableType(typ string) bool {
	switch typ {
	case "ngx_conf_enum_t", "ngx_conf_bitmask_t":
		return true
	}
	return strings.HasSuffix(typ, "variable_t")
}

// deprecation is an ngx_conf_deprecated_t: { handler, "old", "new" }.
type deprecation struct {
	handler, old, new string
}

type fileFacts struct {
	arrays map[string][]command
	// includes are the files a command array #includes among its
	// entries (ngx_devel_kit builds its array so), by array.
	includes map[string][]string
	// fragment are the entries of a file that is a piece of a command
	// array, to be included in one: entries at its top level.
	fragment   []command
	modules    []moduleDef
	funcs      map[string]*function
	macros     map[string][]token
	fmacros    map[string]fmacro
	deprecated map[string]deprecation
	// statics are the static arrays of the types tableType reports,
	// by name.
	statics map[string]*staticArray
	// strConsts are the file-level ngx_str_t NAME = ngx_string("value")
	// definitions.
	strConsts map[string]string
	// ctxs are the modules' contexts (ngx_http_module_t,
	// ngx_stream_module_t): the functions of their fields, "" for NULL.
	ctxs map[string][]string
	// problems are the shapes the reader recognized but could not read.
	problems []string
	// notes are what it skipped on purpose.
	notes []string
}

// parseFile reads the facts of one C source or header file.
func parseFile(src string) *fileFacts {
	toks := lex(src)
	ff := &fileFacts{
		arrays:     map[string][]command{},
		includes:   map[string][]string{},
		funcs:      map[string]*function{},
		macros:     map[string][]token{},
		fmacros:    map[string]fmacro{},
		deprecated: map[string]deprecation{},
		statics:    map[string]*staticArray{},
		strConsts:  map[string]string{},
		ctxs:       map[string][]string{},
	}
	live := liveTokens(toks)
	type span struct{ from, to int } // a function body's live positions
	bodies := map[string]span{}
	ff.readMacros(toks)
	depth := 0
	for k := 0; k < len(live); k++ {
		t := toks[live[k]]
		if t.kind == tPunct {
			switch t.text {
			case "{":
				depth++
			case "}":
				depth--
			}
			continue
		}
		if depth == 1 && t.text == "ngx_string" && toks[live[k-1]].text == "{" && ff.fragment == nil &&
			(k < 2 || toks[live[k-2]].text == ";" || toks[live[k-2]].text == "}") {
			// An entry at the top level: the file is a fragment of a
			// command array (its first branches are read).
			frag := []token{{kind: tPunct, text: "{"}}
			for _, idx := range live {
				frag = append(frag, toks[idx])
			}
			frag = append(frag, token{kind: tPunct, text: "}"})
			cmds, _, _, problems := ff.readCommands(frag, 0)
			ff.fragment = cmds
			ff.problems = append(ff.problems, problems...)
			continue
		}
		if depth != 0 || t.kind != tIdent {
			continue
		}
		switch {
		case t.text == "ngx_command_t" && matchAt(toks, live, k+1, tIdent, "", "[", "]", "=", "{"):
			name := toks[live[k+1]].text
			open := live[k+5]
			cmds, end, includes, problems := ff.readCommands(toks, open)
			ff.arrays[name] = cmds
			ff.includes[name] = includes
			for _, p := range problems {
				ff.problems = append(ff.problems, name+": "+p)
			}
			k = skipTo(live, end)
		case t.text == "ngx_module_t" && matchAt(toks, live, k+1, tIdent, "", "=", "{"):
			name := toks[live[k+1]].text
			fields, end := fieldsOf(toks, live, k+3)
			k = end
			if len(fields) > 0 && len(fields[0]) == 1 && fields[0][0].text == "NGX_MODULE" {
				// The form of nginx 0.1: a leftover source file that
				// no build script of the release compiles
				// (ngx_http_status_module.c, until 1.1.7).
				ff.notes = append(ff.notes, fmt.Sprintf("module %s: an NGX_MODULE (pre-0.2) definition, not compiled; skipped", name))
				continue
			}
			if len(fields) < 4 || len(fields[0]) != 1 || fields[0][0].text != "NGX_MODULE_V1" {
				ff.problems = append(ff.problems, fmt.Sprintf("module %s: not { NGX_MODULE_V1, ctx, commands, type ... }", name))
				continue
			}
			m := moduleDef{name: name, ctx: identOf(fields[1]), commands: identOf(fields[2]), typ: identOf(fields[3])}
			ff.modules = append(ff.modules, m)
		case (t.text == "ngx_http_module_t" || t.text == "ngx_stream_module_t") && matchAt(toks, live, k+1, tIdent, "", "=", "{"):
			name := toks[live[k+1]].text
			fields, end := fieldsOf(toks, live, k+3)
			k = end
			var fns []string
			for _, f := range fields {
				fns = append(fns, identOf(f))
			}
			ff.ctxs[name] = fns
		case tableType(t.text) && matchAt(toks, live, k+1, tIdent, "", "[", "]", "=", "{"):
			name := toks[live[k+1]].text
			items, end := readItems(toks, live[k+5])
			ff.statics[name] = &staticArray{typ: t.text, line: t.line, items: items}
			k = skipTo(live, end)
		case t.text == "ngx_str_t" && matchAt(toks, live, k+1, tIdent, "", "=", "ngx_string", "(") &&
			k+6 < len(live) && toks[live[k+5]].kind == tString && toks[live[k+6]].text == ")":
			ff.strConsts[toks[live[k+1]].text] = toks[live[k+5]].text
			k += 6
		case t.text == "ngx_conf_deprecated_t" && matchAt(toks, live, k+1, tIdent, "", "=", "{"):
			name := toks[live[k+1]].text
			fields, end := fieldsOf(toks, live, k+3)
			k = end
			if len(fields) != 3 || len(fields[1]) != 1 || fields[1][0].kind != tString {
				ff.problems = append(ff.problems, fmt.Sprintf("deprecation %s: not { handler, \"old\", \"new\" }", name))
				continue
			}
			d := deprecation{handler: identOf(fields[0]), old: fields[1][0].text}
			if len(fields[2]) == 1 && fields[2][0].kind == tString {
				d.new = fields[2][0].text
			}
			ff.deprecated[name] = d
		case k+1 < len(live) && toks[live[k+1]].text == "(" && !isKeyword(t.text):
			// A function definition: name ( ... ) { body }.
			closeParen := matching(toks, live, k+1)
			if closeParen+1 >= len(live) || toks[live[closeParen+1]].text != "{" {
				continue
			}
			closeBrace := matching(toks, live, closeParen+1)
			if closeBrace >= len(live) {
				continue
			}
			ff.funcs[t.text] = readBody(toks[live[closeParen+1]:live[closeBrace]])
			bodies[t.text] = span{closeParen + 1, closeBrace}
			k = closeBrace
		}
	}
	if len(ff.statics) > 0 {
		for name, sp := range bodies {
			fn := ff.funcs[name]
			seen := map[string]bool{}
			for j := sp.from; j < sp.to; j++ {
				if t := toks[live[j]]; t.kind == tIdent && ff.statics[t.text] != nil && !seen[t.text] {
					seen[t.text] = true
					fn.refs = append(fn.refs, t.text)
				}
			}
			sort.Strings(fn.refs)
		}
	}
	return ff
}

// liveTokens returns the indexes of the tokens of the first branch of
// every conditional (#if ... #else ... #endif: the #if part), without
// the preprocessor lines: one consistent reading of the file, in which
// braces balance even where the branches open a block each.
func liveTokens(toks []token) []int {
	var live []int
	var stack []bool // per open conditional: past its first branch
	dead := 0        // how many of them are
	for i, t := range toks {
		if t.kind == tPreproc {
			switch t.text {
			case "if", "ifdef", "ifndef":
				stack = append(stack, false)
			case "elif", "else":
				if len(stack) > 0 && !stack[len(stack)-1] {
					stack[len(stack)-1] = true
					dead++
				}
			case "endif":
				if len(stack) > 0 {
					if stack[len(stack)-1] {
						dead--
					}
					stack = stack[:len(stack)-1]
				}
			}
			continue
		}
		if dead == 0 {
			live = append(live, i)
		}
	}
	return live
}

// readMacros records the object-like #define lines of the file.
func (ff *fileFacts) readMacros(toks []token) {
	for _, t := range toks {
		if t.kind != tPreproc || t.text != "define" {
			continue
		}
		j := 0
		for j < len(t.rest) && isIdentChar(t.rest[j]) {
			j++
		}
		if j == 0 {
			continue
		}
		if j < len(t.rest) && t.rest[j] == '(' {
			params, body, ok := strings.Cut(t.rest[j+1:], ")")
			if !ok {
				continue
			}
			var fm fmacro
			for _, p := range strings.Split(params, ",") {
				if p = strings.TrimSpace(p); p != "" {
					fm.params = append(fm.params, p)
				}
			}
			fm.body = body
			ff.fmacros[t.rest[:j]] = fm
			continue
		}
		ff.macros[t.rest[:j]] = lex(t.rest[j:])
	}
}

// readCommands reads the command array whose "{" is toks[open]. Every
// entry counts, those inside #if blocks too (but #if 0's); inside an entry, only the
// first branch of a conditional is read. It returns the entries, the
// index of the closing "}", the files #included among the entries and
// what it could not read.
func (ff *fileFacts) readCommands(toks []token, open int) ([]command, int, []string, []string) {
	var cmds []command
	var includes, problems []string
	var never ifZero
	i := open + 1
	for ; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tPreproc {
			if t.text == "include" && !never.dead() {
				includes = append(includes, strings.Trim(t.rest, `<>" `))
			}
			never.see(t)
			continue
		}
		if t.text == "}" {
			break
		}
		if t.text != "{" {
			continue // "," and ngx_null_command
		}
		entry, end := entryTokens(toks, i)
		i = end
		if never.dead() {
			continue
		}
		fields := splitTop(entry)
		if len(fields) >= 1 && len(fields[0]) == 1 && fields[0][0].text == "ngx_null_string" {
			continue
		}
		if len(fields) != 6 || len(fields[0]) != 4 || fields[0][0].text != "ngx_string" || fields[0][2].kind != tString {
			problems = append(problems, fmt.Sprintf("line %d: an entry not of the form { ngx_string(\"name\"), flags, handler, conf, offset, post }", t.line))
			continue
		}
		cmds = append(cmds, command{
			name:    fields[0][2].text,
			flags:   fields[1],
			handler: identOf(fields[2]),
			post:    pointee(fields[5]),
			line:    t.line,
		})
	}
	return cmds, i, includes, problems
}

// readItems reads the items of the static array whose "{" is toks[open]:
// as readCommands, every item counts, those inside #if blocks too (but
// #if 0's), and
// inside an item only the first branch of a conditional. It returns the
// items and the index of the closing "}".
func readItems(toks []token, open int) ([]item, int) {
	var items []item
	var never ifZero
	i := open + 1
	for ; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tPreproc:
			never.see(t)
			continue
		case t.text == ",":
			continue
		case t.text == "}":
			return items, i
		case t.text == "{":
			entry, end := entryTokens(toks, i)
			if !never.dead() {
				items = append(items, item{fields: splitTop(entry), line: t.line})
			}
			i = end
		case t.kind == tIdent && i+1 < len(toks) && toks[i+1].text == "(":
			// A function-like macro: its arguments up to the ")".
			var args []token
			depth := 0
			j := i + 1
			for ; j < len(toks); j++ {
				a := toks[j]
				if a.kind == tPreproc {
					continue
				}
				if a.text == "(" {
					depth++
					if depth == 1 {
						continue
					}
				}
				if a.text == ")" {
					depth--
					if depth == 0 {
						break
					}
				}
				args = append(args, a)
			}
			if !never.dead() {
				items = append(items, item{macro: t.text, call: true, args: splitTop(args), line: t.line})
			}
			i = j
		case never.dead():
		case t.kind == tIdent:
			items = append(items, item{macro: t.text, line: t.line})
		default:
			items = append(items, item{line: t.line}) // neither: no fields
		}
	}
	return items, i
}

// ifZero follows the conditionals around the entries of an array, to
// leave out those of an #if 0 branch, which no build compiles (the
// other branches all count).
type ifZero struct {
	stack []bool // per open conditional: in an #if 0 branch
	zero  []bool // per open conditional: it is an #if 0
}

// see takes a preprocessor line.
func (z *ifZero) see(t token) {
	switch t.text {
	case "if", "ifdef", "ifndef":
		isZero := t.text == "if" && (t.rest == "0" || t.rest == "(0)")
		z.stack = append(z.stack, isZero)
		z.zero = append(z.zero, isZero)
	case "elif", "else":
		if n := len(z.stack); n > 0 && z.zero[n-1] {
			z.stack[n-1] = false
		}
	case "endif":
		if n := len(z.stack); n > 0 {
			z.stack, z.zero = z.stack[:n-1], z.zero[:n-1]
		}
	}
}

// dead reports whether the entries now are in an #if 0 branch.
func (z *ifZero) dead() bool {
	for _, d := range z.stack {
		if d {
			return true
		}
	}
	return false
}

// entryTokens returns the tokens of the entry whose "{" is toks[open],
// without its braces and without the later branches of conditionals
// that start inside it, and the index of its "}".
func entryTokens(toks []token, open int) ([]token, int) {
	var out []token
	depth := 0
	var stack []bool
	dead := 0
	for i := open; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tPreproc {
			switch t.text {
			case "if", "ifdef", "ifndef":
				stack = append(stack, false)
			case "elif", "else":
				if len(stack) > 0 && !stack[len(stack)-1] {
					stack[len(stack)-1] = true
					dead++
				}
			case "endif":
				if len(stack) > 0 {
					if stack[len(stack)-1] {
						dead--
					}
					stack = stack[:len(stack)-1]
				}
			}
			continue
		}
		if dead > 0 {
			continue
		}
		switch t.text {
		case "{":
			depth++
			if depth == 1 {
				continue
			}
		case "}":
			depth--
			if depth == 0 {
				return out, i
			}
		}
		out = append(out, t)
	}
	return out, len(toks)
}

// splitTop splits tokens at the commas outside parentheses and braces; a
// trailing comma makes no empty field.
func splitTop(toks []token) [][]token {
	var fields [][]token
	var cur []token
	depth := 0
	for _, t := range toks {
		if t.kind == tPunct {
			switch t.text {
			case "(", "{", "[":
				depth++
			case ")", "}", "]":
				depth--
			case ",":
				if depth == 0 {
					fields = append(fields, cur)
					cur = nil
					continue
				}
			}
		}
		cur = append(cur, t)
	}
	if len(cur) > 0 {
		fields = append(fields, cur)
	}
	return fields
}

// fieldsOf returns the top-level fields of the initializer whose "{" is
// at live[k], and the position in live of its "}".
func fieldsOf(toks []token, live []int, k int) ([][]token, int) {
	end := matching(toks, live, k)
	var inner []token
	for j := k + 1; j < end && j < len(live); j++ {
		inner = append(inner, toks[live[j]])
	}
	return splitTop(inner), end
}

// matching returns the position in live of the bracket closing the one
// at live[k]; len(live) when there is none.
func matching(toks []token, live []int, k int) int {
	open := toks[live[k]].text
	closeBy := map[string]string{"(": ")", "{": "}", "[": "]"}[open]
	depth := 0
	for j := k; j < len(live); j++ {
		switch toks[live[j]].text {
		case open:
			depth++
		case closeBy:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(live)
}

// matchAt reports whether the live tokens from position k are an
// identifier (when kind is tIdent and text "") and then the given
// punctuation.
func matchAt(toks []token, live []int, k int, kind tokKind, text string, punct ...string) bool {
	if k >= len(live) || toks[live[k]].kind != kind || text != "" && toks[live[k]].text != text {
		return false
	}
	for j, p := range punct {
		if k+1+j >= len(live) || toks[live[k+1+j]].text != p {
			return false
		}
	}
	return true
}

// skipTo returns the position in live of the first live token at or
// after toks index i.
func skipTo(live []int, i int) int {
	for k, idx := range live {
		if idx >= i {
			return k
		}
	}
	return len(live)
}

// identOf returns the identifier a field names: "ngx_http_core_commands"
// for "ngx_http_core_commands", "&ctx" or "(void *) &ctx"; "" for NULL,
// 0 and anything else.
func identOf(field []token) string {
	for k := len(field) - 1; k >= 0; k-- {
		if field[k].kind == tIdent {
			if field[k].text == "NULL" {
				return ""
			}
			return field[k].text
		}
	}
	return ""
}

// pointee returns what a POST field points to: "x" for "&x", "" for NULL.
func pointee(field []token) string { return identOf(field) }

// cmpFuncs are nginx's string comparisons of an argument with a literal.
var cmpFuncs = map[string]bool{
	"ngx_strcmp": true, "ngx_strncmp": true, "ngx_strcasecmp": true, "ngx_strncasecmp": true,
}

// readBody reads what the generator needs of a function body.
func readBody(body []token) *function {
	f := &function{}
	seen := map[string]bool{}
	calls := map[string]bool{}
	for i := 0; i < len(body); i++ {
		t := body[i]
		switch t.kind {
		case tString:
			f.strs = append(f.strs, t.text)
		case tIdent:
			// ngx_strcmp(value[n].data, "lit"
			if cmpFuncs[t.text] && shape(body, i+1, "(", "value", "[", "*", "]", ".", "data", ",") &&
				i+9 < len(body) && body[i+9].kind == tString {
				lit := body[i+9].text
				if !seen[lit] {
					seen[lit] = true
					f.compares = append(f.compares, lit)
				}
			}
			// f(cf, cmd, conf)
			if shape(body, i+1, "(", "cf", ",", "cmd", ",", "conf", ")") && !isKeyword(t.text) {
				f.forwards = append(f.forwards, t.text)
			}
			// cf->handler =
			if t.text == "cf" && shape(body, i+1, "-", ">", "handler", "=") && (i+5 >= len(body) || body[i+5].text != "=") {
				f.setsHandler = true
			}
			// cmd->post = &x;
			if t.text == "cmd" && shape(body, i+1, "-", ">", "post", "=", "&", "*", ";") {
				f.setsPost = body[i+6].text
			}
			member := i > 0 && (body[i-1].text == "." || body[i-1].text == ">")
			if i+1 < len(body) && body[i+1].text == "(" && !isKeyword(t.text) && !member {
				if !calls[t.text] {
					calls[t.text] = true
					f.calls = append(f.calls, t.text)
				}
				args, _ := callArgs(body, i+1)
				switch {
				case t.text == "ngx_http_add_variable" || t.text == "ngx_stream_add_variable":
					if len(args) == 3 {
						f.addVars = append(f.addVars, addVar{stream: t.text == "ngx_stream_add_variable", name: args[1], flags: args[2], line: t.line})
					}
				case t.text == "ngx_str_set" && len(args) == 2 && len(args[0]) == 2 && args[0][0].text == "&" &&
					args[0][1].kind == tIdent && len(args[1]) == 1 && args[1][0].kind == tString:
					if f.strSets == nil {
						f.strSets = map[string]string{}
					}
					f.strSets[args[0][1].text] = args[1][0].text
				case cmpFuncs[t.text] && len(args) >= 2 && len(args[1]) == 1 && args[1][0].kind == tString &&
					strings.HasSuffix(args[1][0].text, "_") && mentions(args[0], "name"):
					f.prefixCmps = append(f.prefixCmps, prefixCmp{lit: args[1][0].text, handler: branchHandler(body, i), line: t.line})
				}
			}
			// x = y; or for (x = y; ...
			if !member && shape(body, i+1, "=") && i+3 < len(body) && body[i+2].kind == tIdent &&
				(body[i+3].text == ";" || body[i+3].text == ",") && (i == 0 || !compoundOps[body[i-1].text]) {
				if f.assigns == nil {
					f.assigns = map[string][]string{}
				}
				f.assigns[t.text] = append(f.assigns[t.text], body[i+2].text)
			}
		}
	}
	return f
}

// compoundOps are the characters before "=" of the operators that are
// no plain assignment (==, !=, <=, >=, +=, |= ...).
var compoundOps = map[string]bool{
	"=": true, "!": true, "<": true, ">": true, "+": true, "-": true, "*": true,
	"/": true, "%": true, "&": true, "|": true, "^": true,
}

// callArgs returns the arguments of the call whose "(" is toks[open],
// and the index of its ")".
func callArgs(toks []token, open int) ([][]token, int) {
	depth := 0
	for j := open; j < len(toks); j++ {
		switch toks[j].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return splitTop(toks[open+1 : j]), j
			}
		}
	}
	return nil, len(toks)
}

// mentions reports whether the tokens have the identifier name.
func mentions(toks []token, name string) bool {
	for _, t := range toks {
		if t.kind == tIdent && t.text == name {
			return true
		}
	}
	return false
}

// branchHandler returns the handler the code after the comparison at
// body[i] gives a variable (get_handler = h) or calls with the request
// or session (h(r, ...), h(s, ...)), before the next comparison; "" when
// it names none.
func branchHandler(body []token, i int) string {
	_, end := callArgs(body, i+1)
	for j := end + 1; j < len(body) && j < end+80; j++ {
		t := body[j]
		if t.kind != tIdent {
			continue
		}
		if cmpFuncs[t.text] {
			break
		}
		if t.text == "get_handler" && shape(body, j+1, "=") && j+2 < len(body) && body[j+2].kind == tIdent {
			return body[j+2].text
		}
		if shape(body, j+1, "(") && j+3 < len(body) && (body[j+2].text == "r" || body[j+2].text == "s") && body[j+3].text == "," {
			return t.text
		}
	}
	return ""
}

// shape reports whether toks from i have the given texts; "*" matches
// any identifier or number.
func shape(toks []token, i int, texts ...string) bool {
	if i+len(texts) > len(toks) {
		return false
	}
	for k, want := range texts {
		t := toks[i+k]
		if want == "*" {
			if t.kind != tIdent && t.kind != tNumber {
				return false
			}
		} else if t.text != want || t.kind == tString {
			return false
		}
	}
	return true
}

var keywords = map[string]bool{
	"if": true, "for": true, "while": true, "switch": true, "return": true, "sizeof": true,
	"do": true, "else": true, "case": true, "offsetof": true,
}

func isKeyword(s string) bool { return keywords[s] }
