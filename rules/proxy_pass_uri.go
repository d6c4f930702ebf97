package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// ProxyPassURI reports proxy_pass with a URI part where nginx has no
// matched prefix to replace.
var ProxyPassURI = &lint.Rule{
	ID:    "proxy-pass-uri",
	Title: "proxy_pass with a URI part in a regex or named location, an if block or limit_except",
	Doc: `"proxy_pass http://backend/api/;" replaces the part of the request URI
that matched the location's prefix with "/api/". A location given by a
regular expression, a named location (@name), an if block and a
limit_except block have no such prefix, so nginx refuses a URI part
there: "nginx -t" fails with ""proxy_pass" cannot have URI part in
location given by regular expression ...". Write the address alone
("proxy_pass http://backend;"), and rewrite the URI with "rewrite ...
break;" when it must change. A value built from variables is not
checked: nginx takes it as the whole URL at request time.`,
	Bad: `location ~ ^/api/(.*)$ {
    proxy_pass http://127.0.0.1:8000/v1/;
}
`,
	Good: `location ~ ^/api/(.*)$ {
    rewrite ^/api/(.*)$ /v1/$1 break;
    proxy_pass http://127.0.0.1:8000;
}
`,
	Severity: lint.Error,
	Run:      runProxyPassURI,
}

func runProxyPassURI(p *lint.Pass) {
	ix := model.Of(p)
	for d := range ix.ByName("proxy_pass") {
		if d.NArgs() != 1 || ix.Module(d) != "http" {
			continue
		}
		a := d.ArgAt(0)
		if strings.Contains(a.Value, "$") || !hasURIPart(a.Value) {
			continue
		}
		where := uriForbiddenIn(d.BlockParent())
		if where == "" {
			continue
		}
		p.Report(lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End),
			Message: fmt.Sprintf(`"proxy_pass" cannot have a URI part in %s: nginx does not start; write the address alone and rewrite the URI with "rewrite ... break" if it must change`, where)})
	}
}

// uriForbiddenIn says why the block b has no prefix for proxy_pass to
// replace; "" when it has one.
func uriForbiddenIn(b syntax.Directive) string {
	switch b.Name() {
	case "if":
		return `an "if" block`
	case "limit_except":
		return `a "limit_except" block`
	case "location":
		switch {
		case b.NArgs() == 2 && (b.Arg(0) == "~" || b.Arg(0) == "~*"):
			return "a location given by a regular expression"
		case b.NArgs() == 1 && strings.HasPrefix(b.Arg(0), "@"):
			return "a named location"
		case b.NArgs() == 1 && strings.HasPrefix(b.Arg(0), "~"):
			return "a location given by a regular expression"
		}
	}
	return ""
}

// hasURIPart reports whether a proxy_pass URL has a URI after its
// address, as ngx_parse_url reads it: http://host/uri, http://host?args,
// http://[::1]:8000/uri, http://unix:/run/app.sock:/uri (unix:///path is a
// path with extra slashes; an empty URI after the ":" is none).
func hasURIPart(v string) bool {
	i := strings.Index(v, "://")
	if i < 0 {
		return false
	}
	rest := v[i+3:]
	switch {
	case len(rest) >= 5 && strings.EqualFold(rest[:5], "unix:"):
		j := strings.IndexByte(rest[5:], ':')
		return j >= 0 && 5+j+1 < len(rest)
	case strings.HasPrefix(rest, "["):
		return strings.IndexByte(rest, '/') >= 0
	}
	return strings.ContainsAny(rest, "/?")
}
