package csrc

import (
	"fmt"
	"sort"
	"strings"
)

// What one C file says, as ParseFile reads it: its command arrays, its
// module definitions, its functions (what their bodies say), its
// macros, its static arrays and its ngx_conf_deprecated_t definitions.
// A file's facts depend on its text only, so a caller can read them once
// per text (per git blob).

// A Command is one entry of an ngx_command_t array:
// { ngx_string("name"), FLAGS, HANDLER, CONF, OFFSET, POST }.
type Command struct {
	Name    string
	Flags   []Token // the flags expression, as written
	Handler string  // the set function; "" for NULL
	Post    string  // the object POST points to; "" for NULL
	Line    int
}

// A Module is an ngx_module_t definition: { NGX_MODULE_V1, &ctx,
// COMMANDS, TYPE, ... }.
type Module struct {
	Name     string
	Ctx      string // the module's context (ngx_http_module_t ...); "" for NULL
	Commands string // the command array; "" for NULL
	Type     string // NGX_HTTP_MODULE ...
}

// A Function is what ParseFile reads of a function's body.
type Function struct {
	// Strs are the string literals of the body.
	Strs []string
	// Forwards are the functions it calls with (cf, cmd, conf): the
	// standard slot functions a handler hands its work to.
	Forwards []string
	// Compares are the string literals the body compares an argument
	// (value[i].data) with: ngx_strcmp(value[i].data, "ssl") and the
	// like, in order, without repeats.
	Compares []string
	// SetsHandler: the body assigns cf->handler, the line handler of a
	// block whose lines are data (map, types ...).
	SetsHandler bool
	// Calls are the functions (and function-like macros) it calls, by
	// name, without repeats.
	Calls []string
	// Assigns are its assignments of one identifier to another
	// (v = ngx_http_core_variables, in a for or not): by the assigned.
	Assigns map[string][]string
	// AddVars are its calls of ngx_http_add_variable and
	// ngx_stream_add_variable.
	AddVars []AddVar
	// PrefixCmps are its comparisons of a variable's name with a
	// literal ending in "_" (ngx_strncmp(name->data, "http_", 5)), and
	// the handler each selects.
	PrefixCmps []PrefixCmp
	// Refs are the file's static arrays (File.Statics) the body
	// names, sorted.
	Refs []string
	// StrSets are its ngx_str_set(&name, "value") calls: by name, the
	// value.
	StrSets map[string]string
	// SetsPost is x of its cmd->post = &x, before it hands its work to
	// a slot function; "" when it has none.
	SetsPost string
}

// An AddVar is a call ngx_http_add_variable(cf, NAME, FLAGS) (stream set
// for ngx_stream_add_variable).
type AddVar struct {
	Stream      bool
	Name, Flags []Token
	Line        int
}

// A PrefixCmp is a comparison of a name with a prefix literal, and the
// handler the branch it opens gives the variable (v[i].get_handler = h)
// or calls (h(r, vv, ...)); "" when it names none.
type PrefixCmp struct {
	Lit, Handler string
	Line         int
}

// A StaticArray is a static array of one of the types ParseFile reads
// (see File.Statics): its element type, its line and its items, undecoded.
type StaticArray struct {
	Type  string
	Line  int
	Items []Item
}

// An Item is one item of a static array: an initializer in braces
// (Fields set), an object-like macro (Macro set) or a function-like
// macro's invocation (Macro, Args and Call set).
type Item struct {
	Fields [][]Token
	Macro  string
	Args   [][]Token
	Call   bool
	Line   int
}

// A FuncMacro is a function-like macro: #define NAME(params) body.
type FuncMacro struct {
	Params []string
	Body   string
}

// tableType reports whether typ is the element type of the static
// arrays ParseFile reads: the variables' (ngx_http_variable_t,
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

// A Deprecation is an ngx_conf_deprecated_t: { handler, "old", "new" }.
type Deprecation struct {
	Handler, Old, New string
}

// A File is what ParseFile reads of one C source or header file.
type File struct {
	// Arrays are its ngx_command_t arrays, by name.
	Arrays map[string][]Command
	// Includes are the files a command array #includes among its
	// entries (ngx_devel_kit builds its array so), by array.
	Includes map[string][]string
	// Fragment are the entries of a file that is a piece of a command
	// array, to be included in one: entries at its top level.
	Fragment []Command
	// Modules are its ngx_module_t definitions, in order.
	Modules []Module
	// Funcs are its function definitions, by name.
	Funcs map[string]*Function
	// Macros are its object-like macros' bodies, lexed, by name.
	Macros map[string][]Token
	// FuncMacros are its function-like macros, by name.
	FuncMacros map[string]FuncMacro
	// Deprecated are its ngx_conf_deprecated_t definitions, by name.
	Deprecated map[string]Deprecation
	// Statics are its static arrays of ngx_conf_enum_t,
	// ngx_conf_bitmask_t and of the variable types (ngx_http_variable_t,
	// ngx_stream_variable_t, any type named *variable_t), by name.
	Statics map[string]*StaticArray
	// StrConsts are the file-level ngx_str_t NAME = ngx_string("value")
	// definitions.
	StrConsts map[string]string
	// Ctxs are the modules' contexts (ngx_http_module_t,
	// ngx_stream_module_t), by name: the functions of their fields, ""
	// for NULL.
	Ctxs map[string][]string
	// Problems are the shapes the reader recognized but could not read.
	Problems []string
	// Notes are what it skipped on purpose.
	Notes []string
}

// ParseFile reads the facts of one C source or header file. It never
// fails: what it recognizes but cannot read is in the File's Problems.
func ParseFile(src string) *File {
	toks := Lex(src)
	ff := &File{
		Arrays:     map[string][]Command{},
		Includes:   map[string][]string{},
		Funcs:      map[string]*Function{},
		Macros:     map[string][]Token{},
		FuncMacros: map[string]FuncMacro{},
		Deprecated: map[string]Deprecation{},
		Statics:    map[string]*StaticArray{},
		StrConsts:  map[string]string{},
		Ctxs:       map[string][]string{},
	}
	live := liveTokens(toks)
	type span struct{ from, to int } // a function body's live positions
	bodies := map[string]span{}
	ff.readMacros(toks)
	depth := 0
	for k := 0; k < len(live); k++ {
		t := toks[live[k]]
		if t.Kind == Punct {
			switch t.Text {
			case "{":
				depth++
			case "}":
				depth--
			}
			continue
		}
		if depth == 1 && t.Text == "ngx_string" && toks[live[k-1]].Text == "{" && ff.Fragment == nil &&
			(k < 2 || toks[live[k-2]].Text == ";" || toks[live[k-2]].Text == "}") {
			// An entry at the top level: the file is a fragment of a
			// command array (its first branches are read).
			frag := []Token{{Kind: Punct, Text: "{"}}
			for _, idx := range live {
				frag = append(frag, toks[idx])
			}
			frag = append(frag, Token{Kind: Punct, Text: "}"})
			cmds, _, _, problems := ff.readCommands(frag, 0)
			ff.Fragment = cmds
			ff.Problems = append(ff.Problems, problems...)
			continue
		}
		if depth != 0 || t.Kind != Ident {
			continue
		}
		switch {
		case t.Text == "ngx_command_t" && matchAt(toks, live, k+1, Ident, "", "[", "]", "=", "{"):
			name := toks[live[k+1]].Text
			open := live[k+5]
			cmds, end, includes, problems := ff.readCommands(toks, open)
			ff.Arrays[name] = cmds
			ff.Includes[name] = includes
			for _, p := range problems {
				ff.Problems = append(ff.Problems, name+": "+p)
			}
			k = skipTo(live, end)
		case t.Text == "ngx_module_t" && matchAt(toks, live, k+1, Ident, "", "=", "{"):
			name := toks[live[k+1]].Text
			fields, end := fieldsOf(toks, live, k+3)
			k = end
			if len(fields) > 0 && len(fields[0]) == 1 && fields[0][0].Text == "NGX_MODULE" {
				// The form of nginx 0.1: a leftover source file that
				// no build script of the release compiles
				// (ngx_http_status_module.c, until 1.1.7).
				ff.Notes = append(ff.Notes, fmt.Sprintf("module %s: an NGX_MODULE (pre-0.2) definition, not compiled; skipped", name))
				continue
			}
			if len(fields) < 4 || len(fields[0]) != 1 || fields[0][0].Text != "NGX_MODULE_V1" {
				ff.Problems = append(ff.Problems, fmt.Sprintf("module %s: not { NGX_MODULE_V1, ctx, commands, type ... }", name))
				continue
			}
			m := Module{Name: name, Ctx: identOf(fields[1]), Commands: identOf(fields[2]), Type: identOf(fields[3])}
			ff.Modules = append(ff.Modules, m)
		case (t.Text == "ngx_http_module_t" || t.Text == "ngx_stream_module_t") && matchAt(toks, live, k+1, Ident, "", "=", "{"):
			name := toks[live[k+1]].Text
			fields, end := fieldsOf(toks, live, k+3)
			k = end
			var fns []string
			for _, f := range fields {
				fns = append(fns, identOf(f))
			}
			ff.Ctxs[name] = fns
		case tableType(t.Text) && matchAt(toks, live, k+1, Ident, "", "[", "]", "=", "{"):
			name := toks[live[k+1]].Text
			items, end := readItems(toks, live[k+5])
			ff.Statics[name] = &StaticArray{Type: t.Text, Line: t.Line, Items: items}
			k = skipTo(live, end)
		case t.Text == "ngx_str_t" && matchAt(toks, live, k+1, Ident, "", "=", "ngx_string", "(") &&
			k+6 < len(live) && toks[live[k+5]].Kind == String && toks[live[k+6]].Text == ")":
			ff.StrConsts[toks[live[k+1]].Text] = toks[live[k+5]].Text
			k += 6
		case t.Text == "ngx_conf_deprecated_t" && matchAt(toks, live, k+1, Ident, "", "=", "{"):
			name := toks[live[k+1]].Text
			fields, end := fieldsOf(toks, live, k+3)
			k = end
			if len(fields) != 3 || len(fields[1]) != 1 || fields[1][0].Kind != String {
				ff.Problems = append(ff.Problems, fmt.Sprintf("deprecation %s: not { handler, \"old\", \"new\" }", name))
				continue
			}
			d := Deprecation{Handler: identOf(fields[0]), Old: fields[1][0].Text}
			if len(fields[2]) == 1 && fields[2][0].Kind == String {
				d.New = fields[2][0].Text
			}
			ff.Deprecated[name] = d
		case k+1 < len(live) && toks[live[k+1]].Text == "(" && !isKeyword(t.Text):
			// A function definition: name ( ... ) { body }.
			closeParen := matching(toks, live, k+1)
			if closeParen+1 >= len(live) || toks[live[closeParen+1]].Text != "{" {
				continue
			}
			closeBrace := matching(toks, live, closeParen+1)
			if closeBrace >= len(live) {
				continue
			}
			ff.Funcs[t.Text] = readBody(toks[live[closeParen+1]:live[closeBrace]])
			bodies[t.Text] = span{closeParen + 1, closeBrace}
			k = closeBrace
		}
	}
	if len(ff.Statics) > 0 {
		for name, sp := range bodies {
			fn := ff.Funcs[name]
			seen := map[string]bool{}
			for j := sp.from; j < sp.to; j++ {
				if t := toks[live[j]]; t.Kind == Ident && ff.Statics[t.Text] != nil && !seen[t.Text] {
					seen[t.Text] = true
					fn.Refs = append(fn.Refs, t.Text)
				}
			}
			sort.Strings(fn.Refs)
		}
	}
	return ff
}

// liveTokens returns the indexes of the tokens of the first branch of
// every conditional (#if ... #else ... #endif: the #if part), without
// the preprocessor lines: one consistent reading of the file, in which
// braces balance even where the branches open a block each.
func liveTokens(toks []Token) []int {
	var live []int
	var stack []bool // per open conditional: past its first branch
	dead := 0        // how many of them are
	for i, t := range toks {
		if t.Kind == Preproc {
			switch t.Text {
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
func (ff *File) readMacros(toks []Token) {
	for _, t := range toks {
		if t.Kind != Preproc || t.Text != "define" {
			continue
		}
		j := 0
		for j < len(t.Rest) && isIdentChar(t.Rest[j]) {
			j++
		}
		if j == 0 {
			continue
		}
		if j < len(t.Rest) && t.Rest[j] == '(' {
			params, body, ok := strings.Cut(t.Rest[j+1:], ")")
			if !ok {
				continue
			}
			var fm FuncMacro
			for _, p := range strings.Split(params, ",") {
				if p = strings.TrimSpace(p); p != "" {
					fm.Params = append(fm.Params, p)
				}
			}
			fm.Body = body
			ff.FuncMacros[t.Rest[:j]] = fm
			continue
		}
		ff.Macros[t.Rest[:j]] = Lex(t.Rest[j:])
	}
}

// readCommands reads the command array whose "{" is toks[open]. Every
// entry counts, those inside #if blocks too (but #if 0's); inside an entry, only the
// first branch of a conditional is read. It returns the entries, the
// index of the closing "}", the files #included among the entries and
// what it could not read.
func (ff *File) readCommands(toks []Token, open int) ([]Command, int, []string, []string) {
	var cmds []Command
	var includes, problems []string
	var never ifZero
	i := open + 1
	for ; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == Preproc {
			if t.Text == "include" && !never.dead() {
				includes = append(includes, strings.Trim(t.Rest, `<>" `))
			}
			never.see(t)
			continue
		}
		if t.Text == "}" {
			break
		}
		if t.Text != "{" {
			continue // "," and ngx_null_command
		}
		entry, end := entryTokens(toks, i)
		i = end
		if never.dead() {
			continue
		}
		fields := splitTop(entry)
		if len(fields) >= 1 && len(fields[0]) == 1 && fields[0][0].Text == "ngx_null_string" {
			continue
		}
		if len(fields) != 6 || len(fields[0]) != 4 || fields[0][0].Text != "ngx_string" || fields[0][2].Kind != String {
			problems = append(problems, fmt.Sprintf("line %d: an entry not of the form { ngx_string(\"name\"), flags, handler, conf, offset, post }", t.Line))
			continue
		}
		cmds = append(cmds, Command{
			Name:    fields[0][2].Text,
			Flags:   fields[1],
			Handler: identOf(fields[2]),
			Post:    pointee(fields[5]),
			Line:    t.Line,
		})
	}
	return cmds, i, includes, problems
}

// readItems reads the items of the static array whose "{" is toks[open]:
// as readCommands, every item counts, those inside #if blocks too (but
// #if 0's), and
// inside an item only the first branch of a conditional. It returns the
// items and the index of the closing "}".
func readItems(toks []Token, open int) ([]Item, int) {
	var items []Item
	var never ifZero
	i := open + 1
	for ; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.Kind == Preproc:
			never.see(t)
			continue
		case t.Text == ",":
			continue
		case t.Text == "}":
			return items, i
		case t.Text == "{":
			entry, end := entryTokens(toks, i)
			if !never.dead() {
				items = append(items, Item{Fields: splitTop(entry), Line: t.Line})
			}
			i = end
		case t.Kind == Ident && i+1 < len(toks) && toks[i+1].Text == "(":
			// A function-like macro: its arguments up to the ")".
			var args []Token
			depth := 0
			j := i + 1
			for ; j < len(toks); j++ {
				a := toks[j]
				if a.Kind == Preproc {
					continue
				}
				if a.Text == "(" {
					depth++
					if depth == 1 {
						continue
					}
				}
				if a.Text == ")" {
					depth--
					if depth == 0 {
						break
					}
				}
				args = append(args, a)
			}
			if !never.dead() {
				items = append(items, Item{Macro: t.Text, Call: true, Args: splitTop(args), Line: t.Line})
			}
			i = j
		case never.dead():
		case t.Kind == Ident:
			items = append(items, Item{Macro: t.Text, Line: t.Line})
		default:
			items = append(items, Item{Line: t.Line}) // neither: no fields
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
func (z *ifZero) see(t Token) {
	switch t.Text {
	case "if", "ifdef", "ifndef":
		isZero := t.Text == "if" && (t.Rest == "0" || t.Rest == "(0)")
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
func entryTokens(toks []Token, open int) ([]Token, int) {
	var out []Token
	depth := 0
	var stack []bool
	dead := 0
	for i := open; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == Preproc {
			switch t.Text {
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
		switch t.Text {
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
func splitTop(toks []Token) [][]Token {
	var fields [][]Token
	var cur []Token
	depth := 0
	for _, t := range toks {
		if t.Kind == Punct {
			switch t.Text {
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
func fieldsOf(toks []Token, live []int, k int) ([][]Token, int) {
	end := matching(toks, live, k)
	var inner []Token
	for j := k + 1; j < end && j < len(live); j++ {
		inner = append(inner, toks[live[j]])
	}
	return splitTop(inner), end
}

// matching returns the position in live of the bracket closing the one
// at live[k]; len(live) when there is none.
func matching(toks []Token, live []int, k int) int {
	open := toks[live[k]].Text
	closeBy := map[string]string{"(": ")", "{": "}", "[": "]"}[open]
	depth := 0
	for j := k; j < len(live); j++ {
		switch toks[live[j]].Text {
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
// identifier (when kind is Ident and text "") and then the given
// punctuation.
func matchAt(toks []Token, live []int, k int, kind Kind, text string, punct ...string) bool {
	if k >= len(live) || toks[live[k]].Kind != kind || text != "" && toks[live[k]].Text != text {
		return false
	}
	for j, p := range punct {
		if k+1+j >= len(live) || toks[live[k+1+j]].Text != p {
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
func identOf(field []Token) string {
	for k := len(field) - 1; k >= 0; k-- {
		if field[k].Kind == Ident {
			if field[k].Text == "NULL" {
				return ""
			}
			return field[k].Text
		}
	}
	return ""
}

// pointee returns what a POST field points to: "x" for "&x", "" for NULL.
func pointee(field []Token) string { return identOf(field) }

// cmpFuncs are nginx's string comparisons of an argument with a literal.
var cmpFuncs = map[string]bool{
	"ngx_strcmp": true, "ngx_strncmp": true, "ngx_strcasecmp": true, "ngx_strncasecmp": true,
}

// readBody reads what ParseFile records of a function body.
func readBody(body []Token) *Function {
	f := &Function{}
	seen := map[string]bool{}
	calls := map[string]bool{}
	for i := 0; i < len(body); i++ {
		t := body[i]
		switch t.Kind {
		case String:
			f.Strs = append(f.Strs, t.Text)
		case Ident:
			// ngx_strcmp(value[n].data, "lit"
			if cmpFuncs[t.Text] && shape(body, i+1, "(", "value", "[", "*", "]", ".", "data", ",") &&
				i+9 < len(body) && body[i+9].Kind == String {
				lit := body[i+9].Text
				if !seen[lit] {
					seen[lit] = true
					f.Compares = append(f.Compares, lit)
				}
			}
			// f(cf, cmd, conf)
			if shape(body, i+1, "(", "cf", ",", "cmd", ",", "conf", ")") && !isKeyword(t.Text) {
				f.Forwards = append(f.Forwards, t.Text)
			}
			// cf->handler =
			if t.Text == "cf" && shape(body, i+1, "-", ">", "handler", "=") && (i+5 >= len(body) || body[i+5].Text != "=") {
				f.SetsHandler = true
			}
			// cmd->post = &x;
			if t.Text == "cmd" && shape(body, i+1, "-", ">", "post", "=", "&", "*", ";") {
				f.SetsPost = body[i+6].Text
			}
			member := i > 0 && (body[i-1].Text == "." || body[i-1].Text == ">")
			if i+1 < len(body) && body[i+1].Text == "(" && !isKeyword(t.Text) && !member {
				if !calls[t.Text] {
					calls[t.Text] = true
					f.Calls = append(f.Calls, t.Text)
				}
				args, _ := callArgs(body, i+1)
				switch {
				case t.Text == "ngx_http_add_variable" || t.Text == "ngx_stream_add_variable":
					if len(args) == 3 {
						f.AddVars = append(f.AddVars, AddVar{Stream: t.Text == "ngx_stream_add_variable", Name: args[1], Flags: args[2], Line: t.Line})
					}
				case t.Text == "ngx_str_set" && len(args) == 2 && len(args[0]) == 2 && args[0][0].Text == "&" &&
					args[0][1].Kind == Ident && len(args[1]) == 1 && args[1][0].Kind == String:
					if f.StrSets == nil {
						f.StrSets = map[string]string{}
					}
					f.StrSets[args[0][1].Text] = args[1][0].Text
				case cmpFuncs[t.Text] && len(args) >= 2 && len(args[1]) == 1 && args[1][0].Kind == String &&
					strings.HasSuffix(args[1][0].Text, "_") && mentions(args[0], "name"):
					f.PrefixCmps = append(f.PrefixCmps, PrefixCmp{Lit: args[1][0].Text, Handler: branchHandler(body, i), Line: t.Line})
				}
			}
			// x = y; or for (x = y; ...
			if !member && shape(body, i+1, "=") && i+3 < len(body) && body[i+2].Kind == Ident &&
				(body[i+3].Text == ";" || body[i+3].Text == ",") && (i == 0 || !compoundOps[body[i-1].Text]) {
				if f.Assigns == nil {
					f.Assigns = map[string][]string{}
				}
				f.Assigns[t.Text] = append(f.Assigns[t.Text], body[i+2].Text)
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
func callArgs(toks []Token, open int) ([][]Token, int) {
	depth := 0
	for j := open; j < len(toks); j++ {
		switch toks[j].Text {
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
func mentions(toks []Token, name string) bool {
	for _, t := range toks {
		if t.Kind == Ident && t.Text == name {
			return true
		}
	}
	return false
}

// branchHandler returns the handler the code after the comparison at
// body[i] gives a variable (get_handler = h) or calls with the request
// or session (h(r, ...), h(s, ...)), before the next comparison; "" when
// it names none.
func branchHandler(body []Token, i int) string {
	_, end := callArgs(body, i+1)
	for j := end + 1; j < len(body) && j < end+80; j++ {
		t := body[j]
		if t.Kind != Ident {
			continue
		}
		if cmpFuncs[t.Text] {
			break
		}
		if t.Text == "get_handler" && shape(body, j+1, "=") && j+2 < len(body) && body[j+2].Kind == Ident {
			return body[j+2].Text
		}
		if shape(body, j+1, "(") && j+3 < len(body) && (body[j+2].Text == "r" || body[j+2].Text == "s") && body[j+3].Text == "," {
			return t.Text
		}
	}
	return ""
}

// shape reports whether toks from i have the given texts; "*" matches
// any identifier or number.
func shape(toks []Token, i int, texts ...string) bool {
	if i+len(texts) > len(toks) {
		return false
	}
	for k, want := range texts {
		t := toks[i+k]
		if want == "*" {
			if t.Kind != Ident && t.Kind != Number {
				return false
			}
		} else if t.Text != want || t.Kind == String {
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
