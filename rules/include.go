package rules

import (
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Include reports include directives nginx cannot follow.
var Include = &lint.Rule{
	ID:    "include",
	Title: "an include names a file that is not there, or includes itself",
	Doc: `nginx resolves a relative include path against its configuration prefix
(the directory of nginx.conf, usually /etc/nginx), not against the file that
holds the include. A literal path that names no file makes "nginx -t" fail;
a glob (conf.d/*.conf) that matches nothing is fine. Files whose name starts
with a dot are matched only by a pattern that starts with a dot.

This rule reports a literal include that names no file (with the path nginx
looks for), an include that names a directory, and include cycles (a file
that ends up including itself), with the chain of files.`,
	Bad: `events {}
http {
    include snippets/proxy-defaults.conf;
}
`,
	Good: `events {}
http {
    include conf.d/*.conf;
}
`,
	Severity: lint.Error,
	Run:      reportProblems(syntax.KindInclude),
}
