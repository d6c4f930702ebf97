package rules

import (
	"fmt"
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

Values that start with a variable ("proxy_pass $backend;") are decided at
request time and are not checked.`,
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
		if want == nil || strings.HasPrefix(d.Arg(0), "$") {
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

func checkScheme(p *lint.Pass, d syntax.Directive, allowed []string, required, stream bool) {
	a := d.ArgAt(0)
	v := a.Value
	valStart := int(a.Start)
	if a.Quote != 0 {
		valStart++
	}
	scheme, rest := splitScheme(v)
	diag := lint.Diagnostic{File: d.File(), Start: int(a.Start), End: int(a.End)}
	edit := func(msg string, end int, text string) {
		diag.Fixes = []lint.Fix{{Message: msg, Edits: []lint.TextEdit{{File: d.File(), Start: valStart, End: valStart + end, NewText: text}}}}
	}
	runtime := ""
	if strings.Contains(v, "$") {
		runtime = " when a request comes"
	}
	switch {
	case scheme == "" && required:
		fixed := "http://" + v
		diag.Message = fmt.Sprintf(`%s %q has no scheme; nginx fails%s with "invalid URL prefix". Use %q`, d.Name(), v, runtime, fixed)
		edit(`insert "http://"`, 0, "http://")
	case scheme == "" || contains(allowed, scheme):
		return
	case stream:
		diag.Message = fmt.Sprintf(`proxy_pass in a stream server takes an address, not a URL: %q; nginx fails%s with "invalid host in upstream"`, v, runtime)
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
		diag.Message = fmt.Sprintf(`%s takes an address without a scheme, not %q; nginx fails%s with "invalid host in upstream"`, d.Name(), v, runtime)
		if !strings.Contains(v[rest:], "/") {
			diag.Message += fmt.Sprintf(". Use %q", v[rest:])
			edit(fmt.Sprintf("remove %q", v[:rest]), rest, "")
		}
	default:
		diag.Message = fmt.Sprintf(`%s does not accept the scheme %s:// (only %s); nginx fails%s`, d.Name(), scheme, schemeList(allowed), runtime)
		if d.Name() == "proxy_pass" && strings.HasPrefix(scheme, "grpc") {
			diag.Message += "; gRPC backends are proxied with grpc_pass"
		}
	}
	p.Report(diag)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func schemeList(allowed []string) string {
	var parts []string
	for _, s := range allowed {
		parts = append(parts, s+"://")
	}
	return strings.Join(parts, " and ")
}
