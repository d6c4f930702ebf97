package rules

import (
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
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

// notInLocationIf are directives (besides the upstream modules' own)
// nginx refuses in a location's if block.
var notInLocationIf = map[string]bool{
	"alias": true, "index": true, "try_files": true, "error_log": true,
	"client_max_body_size": true, "keepalive_timeout": true, "default_type": true,
	"sub_filter": true, "auth_basic": true, "auth_basic_user_file": true,
	"allow": true, "deny": true, "internal": true, "log_not_found": true,
	"types_hash_max_size": true,
}

// rewriteDirectives are the only ones a server's if block accepts.
var rewriteDirectives = map[string]bool{
	"return": true, "rewrite": true, "set": true, "break": true, "if": true,
	"rewrite_log": true, "uninitialized_variable_warn": true,
}

var upstreamModules = []string{"proxy_", "fastcgi_", "uwsgi_", "scgi_", "grpc_", "memcached_"}

func upstreamModuleDirective(name string) bool {
	for _, p := range upstreamModules {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func runIfDirective(p *lint.Pass) {
	for ifb := range model.Of(p).ByName("if") {
		if !ifb.IsBlock() {
			continue
		}
		where := ifb.Context(p.Tree.Context)
		for _, d := range ifb.Children() {
			var refused bool
			switch where {
			case "location":
				refused = notInLocationIf[d.Name()] || upstreamModuleDirective(d.Name()) && !model.IsPass(d.Name())
			case "server":
				refused = !rewriteDirectives[d.Name()] && (knownDirective(d) || upstreamModuleDirective(d.Name()))
			}
			if refused {
				p.Reportf(d, `%q is not allowed in an if block of a %s: "nginx -t" fails with "directive is not allowed here"; set it in the %s (the if block inherits it), or compute the value with a map`,
					d.Name(), where, where)
			}
		}
	}
}

// knownDirective reports whether d is one of nginx's own directives that
// the rewrite module does not provide.
func knownDirective(d syntax.Directive) bool {
	switch d.Name() {
	case "add_header", "root", "access_log", "expires", "limit_rate", "gzip", "proxy_pass",
		"error_page", "charset", "sendfile", "add_trailer":
		return true
	}
	return notInLocationIf[d.Name()]
}
