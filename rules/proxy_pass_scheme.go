package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// ProxyPassScheme reports pass directives whose address has the wrong
// scheme, or none where nginx needs one.
var ProxyPassScheme = &lint.Rule{
	ID:    "proxy-pass-scheme",
	Title: "proxy_pass needs http:// or https://; the other *_pass directives take no URL scheme",
	Doc: `In an http{} configuration, proxy_pass takes a URL: "proxy_pass 127.0.0.1:8000;"
makes "nginx -t" fail with "invalid URL prefix", and a value built from
variables without a scheme fails every request the same way. Write
"proxy_pass http://127.0.0.1:8000;" (or https://, or http://unix:/path).
WebSocket backends are proxied over http:// too; ws:// and wss:// are not
schemes nginx knows.

The other directives take an address, not a URL: fastcgi_pass, scgi_pass
and memcached_pass accept no scheme at all, uwsgi_pass only uwsgi:// or
suwsgi://, grpc_pass only grpc:// or grpcs:// ("invalid host in upstream"
otherwise). In a stream{} server, proxy_pass takes an address
(127.0.0.1:5432, unix:/run/app.sock or an upstream name) and a scheme is an
error.

A value with variables passes "nginx -t" and is evaluated per request,
and nginx then needs the result to begin with a scheme it accepts
(http:// or https:// for proxy_pass). Only the text before the first
variable is known: the value is reported when that text can never begin
such a result ("127.0.0.1:$server_port", "ws://$host": every request fails
with 500), and left alone when it may ("$scheme://$host", "http://$backend",
"$upstream_url", and "http:/$uri", which makes "http://" from the "/" of
$uri). Such a value never gets a fix, since its variables were written for
a reason the rule cannot see; the message says what to write.

A mistyped scheme ("http:/127.0.0.1:8000", "https:host") is fixed to the
scheme it misspells, not prefixed with another "http://".`,
	Bad: `location / {
    proxy_pass 127.0.0.1:8000;
}
location ~ \.php$ {
    fastcgi_pass http://127.0.0.1:9000;
}
`,
	Good: `location / {
    proxy_pass http://127.0.0.1:8000;
}
location ~ \.php$ {
    fastcgi_pass 127.0.0.1:9000;
}
`,
	Severity: lint.Error,
	Fixable:  true,
	Run:      runProxyPassScheme,
}

// schemeFix returns the scheme meant by a scheme the http directive name
// refuses (http:// for ws://), or "". The fixes, like the schemes each
// pass directive accepts and whether it requires one, are its dial spec
// in lint/nginx (nginx.DialOf).
func schemeFix(name, scheme string) string {
	if dial := nginx.DialOf(name, false); dial != nil {
		return dial.SchemeFixes[scheme]
	}
	return ""
}

func runProxyPassScheme(p *lint.Pass) {
	// The targets are the pass directives with one argument, in http and
	// stream (and upstream server lines, which have no scheme).
	for t := range model.Of(p).Targets() {
		if t.IsServer() {
			continue
		}
		d := t.Directive
		want := nginx.DialOf(d.Name(), false)
		if want == nil {
			continue
		}
		if t.Module() == "stream" {
			checkScheme(p, d, nil, false, true)
		} else {
			checkScheme(p, d, want.SchemeNames(), want.SchemeRequired, false)
		}
	}
}

// splitScheme returns the lowercased scheme of v ("" when v has none) and
// the offset of the text after "://".
func splitScheme(v string) (string, int) {
	i := strings.Index(v, "://")
	if i <= 0 || strings.EqualFold(v[:i], "unix") {
		// unix:///run/app.sock is a socket path, not a scheme.
		return "", 0
	}
	for _, c := range v[:i] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return "", 0
		}
	}
	return strings.ToLower(v[:i]), i + 3
}

// literalPart returns the text of v before its first variable, and
// whether v has one. nginx takes every "$" of a pass directive's value
// for a variable (ngx_http_script_variables_count) and then evaluates the
// value per request; only the text before the first "$" is known.
func literalPart(v string) (lit string, vars bool) {
	if i := strings.IndexByte(v, '$'); i >= 0 {
		return v[:i], true
	}
	return v, false
}

// mayBeginWithScheme reports whether a value whose text before its first
// variable is lit may begin with one of the schemes and "://" once its
// variables are evaluated: lit is the beginning of one ("http:/" before
// $uri gives "http://..."). ngx_http_proxy_eval accepts nothing else.
func mayBeginWithScheme(lit string, schemes []string) bool {
	for _, s := range schemes {
		if len(lit) <= len(s)+3 && strings.EqualFold(lit, (s + "://")[:len(lit)]) {
			return true
		}
	}
	return false
}

// mistypedScheme returns, for a value that begins with one of the
// schemes and a colon but not "://" ("http:/host", "HTTPS:host"), the
// scheme as written and the length of the mistyped prefix ("http:/": 6);
// "" when it does not.
func mistypedScheme(lit string, schemes []string) (string, int) {
	for _, s := range schemes {
		n := len(s) + 1
		if len(lit) >= n && strings.EqualFold(lit[:n], s+":") {
			if n < len(lit) && lit[n] == '/' {
				n++
			}
			return lit[:len(s)], n
		}
	}
	return "", 0
}

// checkScheme reports the scheme of d's value when nginx refuses it. A
// value with variables is judged by its text before the first variable,
// and reported only when no value of the variables can make it right;
// it never gets a fix: the variables were written for a reason the rule
// cannot see.
func checkScheme(p *lint.Pass, d syntax.Directive, allowed []string, required, stream bool) {
	a := d.ArgAt(0)
	v := a.Value
	valStart := int(a.Start)
	if a.Quote != 0 {
		valStart++
	}
	lit, vars := literalPart(v)
	scheme, rest := splitScheme(lit)
	diag := lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End)}
	edit := func(msg string, end int, text string) {
		if vars {
			return
		}
		diag.Fixes = []lint.Fix{{Message: msg, Edits: []lint.TextEdit{{File: d.File(), Start: valStart, End: valStart + end, NewText: text}}}}
	}
	// fails says how nginx fails on the value: "nginx -t" for a literal
	// one; a value with variables passes it and fails every request.
	fails := func(nginxError string) string {
		switch {
		case !vars:
			return fmt.Sprintf("nginx fails with %q", nginxError)
		case stream:
			return fmt.Sprintf("nginx closes each client connection (%q)", nginxError)
		}
		return fmt.Sprintf("nginx answers every request with 500 (%q)", nginxError)
	}
	whatever := ""
	if vars {
		whatever = ", whatever its variables hold"
	}
	refused := "invalid host in upstream"
	if required {
		refused = "invalid URL prefix"
	}
	switch {
	case scheme == "" && required:
		if vars && mayBeginWithScheme(lit, allowed) {
			return
		}
		if s, n := mistypedScheme(lit, allowed); s != "" {
			diag.Message = fmt.Sprintf(`%s %q has a mistyped scheme%s; %s. Use %q`, d.Name(), v, whatever, fails(refused), s+"://"+v[n:])
			edit(fmt.Sprintf("replace %q with %q", v[:n], s+"://"), n, s+"://")
			break
		}
		diag.Message = fmt.Sprintf(`%s %q has no scheme%s; %s. Use %q`, d.Name(), v, whatever, fails(refused), "http://"+v)
		edit(`insert "http://"`, 0, "http://")
	case scheme == "" || slices.Contains(allowed, scheme):
		return
	case stream:
		diag.Message = fmt.Sprintf(`proxy_pass in a stream server takes an address, not a URL: %q; %s`, v, fails(refused))
		if !strings.Contains(v[rest:], "/") {
			diag.Message += fmt.Sprintf(". Use %q", v[rest:])
			edit(fmt.Sprintf("remove %q", v[:rest]), rest, "")
		}
	case schemeFix(d.Name(), scheme) != "":
		good := schemeFix(d.Name(), scheme)
		diag.Message = fmt.Sprintf(`%s does not speak %s://; use %s://%s`, d.Name(), scheme, good, v[rest:])
		if d.Name() == "proxy_pass" {
			diag.Message += " (WebSocket is proxied over HTTP with the Upgrade and Connection headers)"
		}
		edit(fmt.Sprintf("replace %s:// with %s://", scheme, good), rest, good+"://")
	case len(allowed) == 0:
		diag.Message = fmt.Sprintf(`%s takes an address without a scheme, not %q; %s`, d.Name(), v, fails(refused))
		if !strings.Contains(v[rest:], "/") {
			diag.Message += fmt.Sprintf(". Use %q", v[rest:])
			edit(fmt.Sprintf("remove %q", v[:rest]), rest, "")
		}
	default:
		diag.Message = fmt.Sprintf(`%s does not accept the scheme %s:// (only %s); %s`, d.Name(), scheme, schemeList(allowed), fails(refused))
		if d.Name() == "proxy_pass" && strings.HasPrefix(scheme, "grpc") {
			diag.Message += "; gRPC backends are proxied with grpc_pass"
		}
	}
	p.Report(diag)
}

func schemeList(allowed []string) string {
	var parts []string
	for _, s := range allowed {
		parts = append(parts, s+"://")
	}
	return strings.Join(parts, " and ")
}
