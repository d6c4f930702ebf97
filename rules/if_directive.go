package rules

import (
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

// IfDirective reports directives nginx does not allow inside an if block.
var IfDirective = &lint.Rule{
	ID:    "if-directive",
	Title: "a directive nginx does not allow inside an if block",
	Doc: `An if block accepts only some directives. Inside a location's if, nginx
refuses every proxy_*, fastcgi_*, uwsgi_*, scgi_*, grpc_* and memcached_*
directive except the *_pass ones (proxy_set_header, proxy_http_version,
proxy_read_timeout, fastcgi_param ...), and also alias, index, try_files,
allow, deny, auth_basic, client_max_body_size, default_type, internal and
a few others. Inside a server's if, only the rewrite module's directives
(return, rewrite, set, break, if) are allowed. "nginx -t" fails with
"directive is not allowed here".

Set the value in the location instead (the if block inherits it), or
compute it per request with a map and use the variable in the location.
The lists were checked against nginx 1.22.`,
	Bad: `location / {
    proxy_pass http://127.0.0.1:8001;
    if ($http_x_tenant) {
        proxy_set_header X-Tenant $http_x_tenant;
    }
}
`,
	Good: `location / {
    proxy_set_header X-Tenant $http_x_tenant;
    proxy_pass http://127.0.0.1:8001;
}
`,
	Severity: lint.Error,
	Run:      runIfDirective,
}

// refusedInIf reports whether nginx refuses the directive name in an if
// block of a location (where is "location") or of a server: the
// directive table knows it and allows it in neither.
func refusedInIf(name, where string) bool {
	var in nginx.Context
	switch where {
	case "location":
		in = nginx.HTTPLocationIf
	case "server":
		in = nginx.HTTPServerIf
	default:
		return false
	}
	allowed, known := nginx.Allows(name, in)
	return known && !allowed
}

func runIfDirective(p *lint.Pass) {
	for ifb := range model.Of(p).ByName("if") {
		if !ifb.IsBlock() {
			continue
		}
		where := ifb.Context(p.Tree.Context)
		for _, d := range ifb.Children() {
			if refusedInIf(d.Name(), where) {
				p.Reportf(d, `%q is not allowed in an if block of a %s: "nginx -t" fails with "directive is not allowed here"; set it in the %s (the if block inherits it), or compute the value with a map`,
					d.Name(), where, where)
			}
		}
	}
}
