package rules

import (
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// IncludeOutsideTree reports includes that point outside the tree.
var IncludeOutsideTree = &lint.Rule{
	ID:    "include-outside-tree",
	Title: "an include points outside the configuration tree and is not checked",
	Doc: `nginxlint reads only the tree it is given. The tree stands for one absolute
directory, the prefix (--prefix, /etc/nginx by default): an include of
/etc/nginx/conf.d/*.conf resolves inside the tree, and so does a symbolic
link such as sites-enabled/app -> /etc/nginx/sites-available/app.

An include (or a symbolic link) that leads anywhere else, such as
/usr/share/nginx/modules/*.conf or ../../secrets.conf, is not read: the
machine's own files are never consulted. This rule says so, because what
those files contain is not checked. Give --prefix when the tree stands for
another directory, or copy the files into the tree.`,
	Bad: `include /usr/share/nginx/modules/*.conf;
events {}
`,
	Good: `include /etc/nginx/modules-enabled/*.conf;
events {}
`,
	Severity: lint.Warning,
	Run:      reportProblems(syntax.KindOutside),
}
