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
	return definedVariableAt(d, nginx.DefinedVariableArg(d.Name(), d.NArgs()))
}

// definedVariableAt is definedVariable, given the argument that names
// the variable (nginx.DefinedVariableArg).
func definedVariableAt(d syntax.Directive, i int) (string, int) {
	if i < 0 {
		return "", -1
	}
	v := d.Arg(i)
	if len(v) < 2 || v[0] != '$' {
		return "", -1
	}
	return strings.Trim(v[1:], "{}"), i
}

// looksAt reports whether the variable rules look at a directive with
// these Defs: it defines a variable, compiles a regular expression, or
// nginx reads variables from its arguments.
func looksAt(defs *model.Defs) bool {
	return defs.Name == "if" || defs.Regex || defs.DefinesArg >= 0 || defs.VarFrom < defs.VarTo
}

// eachEvaluated calls fn for each argument of d that nginx reads
// variables from when it loads the configuration (and refuses an unknown
// one in): the directive table's VariableArgs (in defs), and the
// operands of an if condition.
func eachEvaluated(d syntax.Directive, defs *model.Defs, fn func(syntax.Arg)) {
	if defs.Name == "if" {
		for _, a := range ifOperands(d) {
			fn(a)
		}
		return
	}
	for i, a := range d.EachArg() {
		if i >= defs.VarTo {
			return
		}
		if i >= defs.VarFrom {
			fn(a)
		}
	}
}

// namedCapture finds the named groups of a regular expression: they
// define variables.
var namedCapture = regexp.MustCompile(`\(\?(?:P?<|')([A-Za-z_][A-Za-z0-9_]*)[>']`)

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

// references returns the spans of the names of the variables a value
// refers to ($name, ${name}), as nginx's script compiler reads them;
// $1 ... $9 (captures) are left out. They are appended to out.
func references(out [][2]int, v string) [][2]int {
	for i := strings.IndexByte(v, '$'); i >= 0 && i < len(v); {
		j := i + 1
		braced := j < len(v) && v[j] == '{'
		if braced {
			j++
		}
		start := j
		for j < len(v) && isVarByte(v[j]) {
			j++
		}
		switch {
		case j == start:
		case '0' <= v[start] && v[start] <= '9':
			// A capture, whatever follows ("$1index").
		case braced && (j == len(v) || v[j] != '}'):
		default:
			out = append(out, [2]int{start, j})
		}
		k := strings.IndexByte(v[j:], '$')
		if k < 0 {
			break
		}
		i = j + k
	}
	return out
}

func isVarByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// variablesKnowable reports whether the tree holds every definition
// of a variable nginx would see: not a snippet, and no include it does
// not hold.
func variablesKnowable(t *syntax.Tree) bool {
	if t.Context != "main" || len(t.ReadErrors) > 0 {
		return false
	}
	for _, pr := range t.Problems {
		if pr.Kind == syntax.KindInclude || pr.Kind == syntax.KindOutside {
			return false
		}
	}
	return true
}

// noteDefinitions records the variables directive d (in context c)
// defines, by set, map, geo ... or a named capture, in lower case (nginx
// compares variable names without case).
func noteDefinitions(d syntax.Directive, c nginx.Context, defs *model.Defs, http, stream map[string]bool) {
	noteDefinitionsIn(d, readHeader(d), c, defs, http, stream)
}

// noteDefinitionsIn is noteDefinitions, given d's header (readHeader).
func noteDefinitionsIn(d syntax.Directive, h header, c nginx.Context, defs *model.Defs, http, stream map[string]bool) {
	set := http
	if inStream(c) {
		set = stream
	}
	name := ""
	defArg, regex := 0, false
	if defs != nil {
		name, defArg, regex = defs.Name, defs.DefinesArg, defs.Regex
	} else {
		name = d.Name()
		defArg, regex = nginx.DefinedVariableArg(name, d.NArgs()), nginx.CompilesRegex(name)
	}
	if v, _ := definedVariableAt(d, defArg); v != "" {
		set[strings.ToLower(v)] = true
	}
	switch {
	case name == "geoip2" || name == "geoip":
		// geoip2 { $var default=... path; } entries define variables.
		for _, e := range d.Children() {
			if n := e.Name(); strings.HasPrefix(n, "$") {
				set[strings.ToLower(n[1:])] = true
			}
		}
	case regex && h.has("(?"):
		for _, a := range d.EachArg() {
			captures(a.Value, http, stream)
		}
	case c == 0 && strings.Contains(name, "(?"):
		// a regex key of a map block
		captures(name, http, stream)
	}
}

// header is the text of a directive's header (its name and arguments),
// for cheap tests before its arguments are read; ok is false when the
// directive's offsets do not delimit it (every test then says yes).
type header struct {
	text string
	ok   bool
}

func readHeader(d syntax.Directive) header {
	src := d.File().Src
	start, end := int(d.Start()), int(d.End())
	if d.IsBlock() {
		end = int(d.LBrace())
	}
	if start < 0 || end > len(src) || end < start {
		return header{}
	}
	return header{src[start:end], true}
}

// has reports whether the header holds s.
func (h header) has(s string) bool { return !h.ok || strings.Contains(h.text, s) }

// captures records the named groups of a regular expression: nginx
// makes them variables of http and stream alike.
func captures(re string, http, stream map[string]bool) {
	if !strings.Contains(re, "(?") {
		return
	}
	for _, m := range namedCapture.FindAllStringSubmatch(re, -1) {
		name := strings.ToLower(m[1])
		http[name], stream[name] = true, true
	}
}

// inStream reports whether context c is stream's.
func inStream(c nginx.Context) bool {
	return c&(nginx.Stream|nginx.StreamServer|nginx.StreamUpstream) != 0
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
