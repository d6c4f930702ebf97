package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
)

// NotLoaded reports configuration files of a tree that nginx never reads.
var NotLoaded = &lint.Rule{
	ID:    "not-loaded",
	Title: "a configuration file of the tree is not loaded by nginx.conf",
	Doc: `nginxlint reads every configuration file of the tree, not only those
nginx.conf includes: a site that is not enabled yet, a snippet nothing
includes any more. Such a file is linted on its own, as a fragment, in the
context its content implies (server blocks at http level, location blocks
at server level; --context for a file named on the command line), with its
relative includes resolved from the prefix as nginx would resolve them.
Its problems are reported like any other, so a broken site fails the check
before it is enabled, not after.

This rule says that the file is not loaded: nginx does not read it, so
what it says does not take effect. That is often on purpose (a site in
sites-available/ waiting to be linked from sites-enabled/), hence the
severity info. Files the nginx package installs (fastcgi.conf,
proxy_params ...) are not reported. Raise the severity in .nginxlint.toml
([rules.severity] not-loaded = "warning") to catch a file someone forgot to
enable, or disable the rule.`,
	Bad: `-- nginx.conf --
events {}
http {
    include sites-enabled/*;
}
-- sites-available/shop.conf --
server {
    listen 80;
    server_name shop.example.com;
}
`,
	Good: `-- nginx.conf --
events {}
http {
    include sites-available/*.conf;
}
-- sites-available/shop.conf --
server {
    listen 80;
    server_name shop.example.com;
}
`,
	Severity: lint.Info,
	Run:      runNotLoaded,
}

func runNotLoaded(p *lint.Pass) {
	t := p.Tree
	if !t.Fragment || t.NotLoadedBy == "" {
		return
	}
	hint := ""
	if dir := path.Base(path.Dir(t.Main.Virtual)); strings.HasSuffix(dir, "-available") {
		hint = fmt.Sprintf(" (a site not enabled yet? a link in %s/ enables it)", strings.TrimSuffix(dir, "-available")+"-enabled")
	}
	p.Report(lint.Diagnostic{File: t.Main, Start: 0, End: 0,
		Message: fmt.Sprintf("%s does not load this file, so nginx never reads it: no include reaches it%s; it is linted on its own, in %s context", t.NotLoadedBy, hint, t.Context)})
}
