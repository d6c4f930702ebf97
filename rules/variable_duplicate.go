package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// VariableDuplicate reports a built-in variable the configuration
// defines again.
var VariableDuplicate = &lint.Rule{
	ID:    "variable-duplicate",
	Title: "set, map or geo defines a built-in variable nginx does not let change",
	Doc: `Most built-in variables ($remote_addr, $host, $server_name ...) cannot be
defined again: "map $x $remote_addr", "geo $remote_addr" or "set
$remote_addr ..." makes "nginx -t" fail with "the duplicate variable".
A few are made to be set ($args, $limit_rate ...). Give the new variable
a name of its own.`,
	Bad: `map $http_x_forwarded_for $remote_addr {
    default $http_x_forwarded_for;
}
`,
	Good: `map $http_x_forwarded_for $client_addr {
    default $http_x_forwarded_for;
}
`,
	Severity: lint.Error,
	Run:      runVariableDuplicate,
}

func runVariableDuplicate(p *lint.Pass) {
	ix := model.Of(p)
	defines := func(defs *model.Defs) bool {
		return defs == nil || nginx.DefinedVariableArg(defs.Name, defs.NArgs) >= 0
	}
	ix.WalkDefsWhere(defines, func(d syntax.Directive, _ nginx.Context, _ *model.Defs) {
		name, i := definedVariable(d)
		if name == "" {
			return
		}
		v := builtin(ix, name, ix.Module(d) == "stream")
		if v == nil || v.Changeable || v.Prefix {
			return
		}
		a := d.ArgAt(i)
		p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End),
			Message: fmt.Sprintf("the duplicate %q variable: %s is built into nginx (%s) and cannot be defined again; give this one another name", name, "$"+name, v.Module)})
	})
}
