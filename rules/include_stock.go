package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// IncludeStock reports the package files a tree includes without holding
// them.
var IncludeStock = &lint.Rule{
	ID:    "include-stock",
	Title: "an include names a file the nginx package installs, which the tree does not hold",
	Doc: `Repositories rarely hold the files the nginx package installs next to
nginx.conf: mime.types, fastcgi_params, fastcgi.conf, proxy_params,
uwsgi_params, scgi_params, Debian's snippets/fastcgi-php.conf. nginx finds
them on the host, so an include of one is not an error. nginxlint reads its
own copy of what the package installs there instead (never the host's
file), so that what the file sets is checked too: proxy_params sets
proxy_set_header, which replaces every outer one.

This rule says, once per tree, which package files were assumed, at the
first include of one. Which package the deploy host has is set in
.nginxlint.toml: stock = "debian" (the default: Debian's and Ubuntu's
packages), "nginx.org", "alpine", or "none", which makes such an include an
error again (rule include), for trees deployed with every file they need.
Findings in the assumed files themselves are never reported.`,
	Bad: `events {}
http {
    include mime.types;
}
`,
	Good: `-- nginx.conf --
events {}
http {
    include mime.types;
}
-- mime.types --
types {
    text/html html;
}
`,
	Severity: lint.Info,
	Run:      runIncludeStock,
}

func runIncludeStock(p *lint.Pass) {
	var first *syntax.Problem
	var names []string
	seen := map[string]bool{}
	var also []lint.Related
	for _, pr := range p.Tree.Problems {
		if pr.Kind != syntax.KindStock || pr.File.Stock {
			continue // a package file's own includes are the package's
		}
		if first == nil {
			first = pr
		} else {
			also = append(also, lint.Related{File: pr.File, Start: pr.Start, End: pr.End, Message: "also included here"})
		}
		if name := strings.TrimPrefix(pr.Target, p.Tree.Prefix+"/"); !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	if first == nil {
		return
	}
	what := "this file"
	if len(names) > 1 {
		what = "these files"
	}
	p.Report(lint.Diagnostic{File: first.File, Start: first.Start, End: first.End, Related: also,
		Message: fmt.Sprintf("assumed from the nginx package: %s; the tree does not hold %s, and nginxlint reads what %s install there (set stock in .nginxlint.toml if the deploy host has another package)",
			strings.Join(names, ", "), what, p.Tree.Stock)})
}
