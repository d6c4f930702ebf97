package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// DirectiveValue reports arguments nginx refuses when it reads a
// directive: a flag of add_header or rewrite it does not have, a log
// level or log format that does not exist, a bad expires or return.
var DirectiveValue = &lint.Rule{
	ID:    "directive-value",
	Title: "an argument nginx refuses when it reads the directive",
	Doc: `Beyond counting arguments, nginx reads some of them when it starts, and
refuses what it does not know:

    add_header, add_trailer   a third argument must be "always"
    fastcgi_param, uwsgi_param, scgi_param
                              a third argument must be "if_not_empty"
    rewrite                   a third argument must be last, break,
                              redirect or permanent
    return                    a code from 0 to 999, or a URL alone
    expires                   epoch, max, off, a time, or "modified" and
                              a time
    error_log                 one level: debug, info, notice, warn,
                              error, crit, alert or emerg
    access_log                "off" alone, or a file, a log_format name
                              the configuration defines ("combined" in
                              http is built in) and buffer=, gzip,
                              flush=, if=

"nginx -t" fails with "invalid parameter", "invalid return code",
"invalid value", "invalid log level" or "unknown log format". A value
built from variables is read at request time and is not checked.`,
	Bad: `location / {
    add_header X-Frame-Options DENY allways;
    rewrite ^/old/(.*)$ /new/$1 moved;
}
`,
	Good: `location / {
    add_header X-Frame-Options DENY always;
    rewrite ^/old/(.*)$ /new/$1 permanent;
}
`,
	Severity: lint.Error,
	Run:      runDirectiveValue,
}

func runDirectiveValue(p *lint.Pass) {
	ix := model.Of(p)
	formats := logFormats(p, ix)
	ix.WalkDefsWhere(valueChecked, func(d syntax.Directive, c nginx.Context, defs *model.Defs) {
		if d.IsInclude() {
			return
		}
		if checkValues(p, d, defs.Here) {
			return
		}
		if check := argChecks[defs.Name]; check != nil {
			check(d, c, formats, func(i int, format string, args ...any) {
				a := d.ArgAt(i)
				p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End), Message: fmt.Sprintf(format, args...)})
			})
		}
	})
}

// An argCheck checks the arguments of a directive in context c; formats
// are the tree's log_format names.
type argCheck func(d syntax.Directive, c nginx.Context, formats map[string]bool, report func(int, string, ...any))

// argChecks check the arguments of the directives the table gives no
// list of values for, by name.
var argChecks = map[string]argCheck{
	"add_header":    checkFinalKeyword,
	"add_trailer":   checkFinalKeyword,
	"fastcgi_param": checkFinalKeyword,
	"uwsgi_param":   checkFinalKeyword,
	"scgi_param":    checkFinalKeyword,
	"rewrite": func(d syntax.Directive, _ nginx.Context, _ map[string]bool, report func(int, string, ...any)) {
		if d.NArgs() == 3 && !slices.Contains(nginx.RewriteFlags, d.Arg(2)) {
			report(2, `invalid parameter %q: a rewrite flag is %s`, d.Arg(2), orWords(nginx.RewriteFlags))
		}
	},
	"return": func(d syntax.Directive, c nginx.Context, _ map[string]bool, report func(int, string, ...any)) {
		if c&(nginx.Stream|nginx.StreamServer) == 0 {
			checkReturn(d, report) // stream's return sends any text
		}
	},
	"proxy_redirect": func(d syntax.Directive, _ nginx.Context, _ map[string]bool, report func(int, string, ...any)) {
		if d.NArgs() == 1 && d.Arg(0) != "off" && d.Arg(0) != "default" {
			report(0, `invalid parameter %q: proxy_redirect takes "off", "default", or a redirect and its replacement`, d.Arg(0))
		}
	},
	"expires": func(d syntax.Directive, _ nginx.Context, _ map[string]bool, report func(int, string, ...any)) {
		checkExpires(d, report)
	},
	"error_log": func(d syntax.Directive, _ nginx.Context, _ map[string]bool, report func(int, string, ...any)) {
		checkErrorLog(d, report)
	},
	"access_log": checkAccessLog,
}

// checkFinalKeyword checks the optional third argument of add_header and
// the *_param directives.
func checkFinalKeyword(d syntax.Directive, _ nginx.Context, _ map[string]bool, report func(int, string, ...any)) {
	if w := nginx.FinalKeyword(d.Name()); d.NArgs() == 3 && d.Arg(2) != w {
		report(2, `invalid parameter %q: the third argument of %s can only be %q`, d.Arg(2), d.Name(), w)
	}
}

// valueChecked reports whether runDirectiveValue looks at the
// directives of defs: those with a list of values, or with an argCheck.
func valueChecked(defs *model.Defs) bool {
	if defs == nil || len(defs.Here) == 0 {
		return false
	}
	for _, v := range defs.Here {
		if v.Values != nil {
			return true
		}
	}
	return argChecks[defs.Name] != nil
}

func checkReturn(d syntax.Directive, report func(int, string, ...any)) {
	n := d.NArgs()
	if n == 0 {
		return
	}
	code := d.Arg(0)
	if strings.Contains(code, "$") {
		return
	}
	if n == 1 && (strings.HasPrefix(code, "http://") || strings.HasPrefix(code, "https://") || strings.HasPrefix(code, "$")) {
		return // return URL
	}
	if v, err := strconv.Atoi(code); err != nil || v < 0 || v > 999 {
		if n == 1 && !isDigits(code) {
			report(0, `invalid return code %q: "return" takes a code (0 to 999), or a URL starting with http:// or https://`, code)
			return
		}
		report(0, "invalid return code %q: a code is a number from 0 to 999", code)
	}
}

func checkExpires(d syntax.Directive, report func(int, string, ...any)) {
	n := d.NArgs()
	args := d.Args()
	if n == 2 {
		if args[0].Value != "modified" {
			report(0, `"expires" directive invalid value %q: with two arguments the first is "modified"`, args[0].Value)
			return
		}
		args = args[1:]
	}
	if len(args) != 1 {
		return
	}
	v := args[0].Value
	switch v {
	case "epoch", "max", "off":
		return
	}
	if strings.Contains(v, "$") {
		return
	}
	t := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(v, "@"), "+"), "-")
	if _, ok := nginx.ParseSeconds(t); !ok {
		report(n-1, `"expires" directive invalid value %q: write epoch, max, off or a time such as 7d`, v)
	}
}

// orWords joins words as "a, b or c".
func orWords(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

func checkErrorLog(d syntax.Directive, report func(int, string, ...any)) {
	level := ""
	for i, a := range d.EachArg() {
		if i == 0 {
			continue
		}
		switch {
		case slices.Contains(nginx.ErrorLogLevels, a.Value) && level != "":
			report(i, "duplicate log level %q: error_log takes one level", a.Value)
		case slices.Contains(nginx.ErrorLogLevels, a.Value):
			level = a.Value
		case strings.HasPrefix(a.Value, "debug_"):
		default:
			report(i, "invalid log level %q: write %s", a.Value, orWords(nginx.ErrorLogLevels))
		}
	}
}

func checkAccessLog(d syntax.Directive, c nginx.Context, formats map[string]bool, report func(int, string, ...any)) {
	n := d.NArgs()
	if n == 0 {
		return
	}
	if d.Arg(0) == "off" {
		if n > 1 {
			report(1, `invalid parameter %q: "access_log off" takes nothing more`, d.Arg(1))
		}
		return
	}
	for i, a := range d.EachArg() {
		if i == 0 {
			continue
		}
		v := a.Value
		if i == 1 && !strings.Contains(v, "=") && v != "gzip" {
			stream := c&(nginx.Stream|nginx.StreamServer) != 0
			if !formats[v] && (stream || v != "combined") && formats != nil {
				report(i, "unknown log format %q: no log_format of that name is defined", v)
			}
			continue
		}
		if name, _, _ := strings.Cut(v, "="); !slices.Contains(nginx.AccessLogParams, name) {
			report(i, `invalid parameter %q: access_log takes buffer=, gzip, flush= and if=`, v)
		}
	}
}

// logFormats returns the names of the log_format directives of the tree;
// nil when the tree may define more where it cannot see: a snippet, or
// an include at the top or in http that the tree does not hold.
func logFormats(p *lint.Pass, ix *model.Index) map[string]bool {
	if p.Tree.Context != "main" || ix.Incomplete(syntax.Directive{}) {
		return nil
	}
	for _, d := range p.Tree.Directives {
		if d.Name() == "http" && d.IsBlock() && ix.Incomplete(d) {
			return nil
		}
	}
	formats := map[string]bool{}
	for d := range ix.ByName("log_format") {
		if d.NArgs() > 0 {
			formats[d.Arg(0)] = true
		}
	}
	return formats
}

// checkValues checks the words of a directive that takes one of a set
// (an enum: proxy_http_version 1.0 or 1.1) or any of a set (a bitmask:
// ssl_protocols TLSv1.2 TLSv1.3), as nginx compares them, without case.
// It reports whether the directive is one of those.
func checkValues(p *lint.Pass, d syntax.Directive, here []*nginx.Variant) bool {
	var v *nginx.Variant
	for _, x := range here {
		if x.Values != nil {
			v = x
		}
	}
	if v == nil || len(here) > 1 {
		return false
	}
	for i, a := range d.EachArg() {
		if strings.Contains(a.Value, "$") {
			continue
		}
		known := false
		for _, w := range v.Values {
			known = known || strings.EqualFold(w, a.Value)
		}
		if !known {
			p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End),
				Message: fmt.Sprintf("invalid value %q in %q directive: it takes %s", a.Value, d.Name(), valueList(v))})
		}
		if !v.Bitmask && i == 0 {
			break
		}
	}
	return true
}

// valueList says which words a directive takes.
func valueList(v *nginx.Variant) string {
	quoted := make([]string, len(v.Values))
	for i, w := range v.Values {
		quoted[i] = strconv.Quote(w)
	}
	if v.Bitmask {
		return "any of " + strings.Join(quoted, ", ")
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return "one of " + strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}
