package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// UpstreamKeepalive reports locations that defeat their upstream's
// keepalive.
var UpstreamKeepalive = &lint.Rule{
	ID:    "upstream-keepalive",
	Title: "upstream keepalive without HTTP/1.1 and a cleared Connection header",
	Doc: `"keepalive N;" in an upstream block keeps idle connections to the backend
open for reuse. Before nginx 1.29.7 it does nothing unless every location
that proxies to the upstream also speaks HTTP/1.1 and clears the Connection
header:

    proxy_http_version 1.1;
    proxy_set_header Connection "";

Otherwise nginx sends HTTP/1.0 and "Connection: close", and each request
opens (and the backend closes) a new connection: lost latency, TIME_WAIT
sockets, and port exhaustion under load.

Both settings are inherited from server and http, but proxy_set_header is
an array directive: a location that sets any proxy_set_header of its own
inherits none of the outer ones, so adding
"proxy_set_header Host $host;" to a location silently drops the server's
"proxy_set_header Connection "";". The finding names that cause. An if
block cannot set either directive (nginx refuses them there): one that
proxies to the upstream uses its location's settings, and is reported at
the location.

A Connection header taken from a map (the WebSocket recipe, "proxy_set_header
Connection $connection_upgrade;") is read through the map: it must yield
"" for requests without an Upgrade header. The common map with '' close
sends "Connection: close" on every ordinary request and is reported; write
'' '' instead.

nginx 1.29.7 (mainline) and 1.30 (stable) speak HTTP/1.1 with keep-alive
to upstreams by default. The rule follows the target version: "version" in
the manifest's [nginx] table or --nginx-version. On those versions it
only reports an explicit "proxy_http_version 1.0" or "Connection close"
that turns keepalive off. When no version is given, it assumes an older
nginx and says so.

The fix-it inserts the missing lines into the location, together with
the proxy_set_header lines it would otherwise stop inheriting.`,
	Bad: `upstream api {
    server 127.0.0.1:8001;
    keepalive 16;
}
server {
    listen 127.0.0.1:8080;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location / {
        proxy_set_header Host $host;
        proxy_pass http://api;
    }
}
`,
	Good: `upstream api {
    server 127.0.0.1:8001;
    keepalive 16;
}
server {
    listen 127.0.0.1:8080;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location / {
        proxy_pass http://api;
    }
}
`,
	Severity: lint.Warning,
	Run:      runUpstreamKeepalive,
}

func runUpstreamKeepalive(p *lint.Pass) {
	ix := model.Of(p)
	newDefaults := nginx.VersionAtLeast(p.NginxVersion, 1, 29, 7)
	seen := p.Tree.NewSet()
	check := func(block, pass syntax.Directive, up, ka syntax.Directive) {
		if !seen.Add(block) {
			return
		}
		if newDefaults {
			checkKeepaliveDisabled(p, block, up, ka)
		} else {
			checkKeepaliveEnabled(p, block, up, ka)
		}
	}
	// Many locations use one upstream: look its keepalive up once.
	kas := map[syntax.Directive]syntax.Directive{}
	for t := range ix.Targets() {
		if t.Upstream().IsZero() || t.Directive.Name() != "proxy_pass" || t.Module() != "http" {
			continue
		}
		ka, ok := kas[t.Upstream()]
		if !ok {
			ka = keepaliveOf(t.Upstream())
			kas[t.Upstream()] = ka
		}
		if ka.IsZero() {
			continue
		}
		// nginx allows neither proxy_http_version nor proxy_set_header in
		// an if block: a proxy_pass there uses its location's settings,
		// which is where they must be fixed.
		block := t.Directive.BlockParent()
		for !block.IsZero() && block.Name() == "if" {
			block = block.BlockParent()
		}
		check(block, t.Directive, t.Upstream(), ka)
	}
}

func levelName(s model.Setting, root string) string {
	if s.Level.IsZero() {
		return root
	}
	return s.Level.Name()
}

// connectionHeader returns the effective proxy_set_header Connection line
// of block, or zero when there is none (nginx then sends "close").
func connectionHeader(s model.Setting) syntax.Directive {
	var found syntax.Directive
	for _, d := range s.Directives {
		if d.NArgs() >= 1 && strings.EqualFold(d.Arg(0), "Connection") {
			found = d
		}
	}
	return found
}

// connectionValue is the Connection header an ordinary request (no Upgrade
// header) gets from a proxy_set_header Connection line, and whether it is
// known.
func connectionValue(ix *model.Index, d syntax.Directive) (value string, via syntax.Directive, known bool) {
	if d.NArgs() < 2 {
		return "", syntax.Directive{}, true
	}
	v := d.Arg(1)
	if !strings.HasPrefix(v, "$") || strings.ContainsAny(v[1:], "$ ") {
		return v, syntax.Directive{}, !strings.Contains(v, "$")
	}
	name := strings.Trim(v, "${}")
	for m := range ix.ByName("map") {
		if !m.IsBlock() || m.NArgs() != 2 || m.Arg(1) != "$"+name {
			continue
		}
		if m.Arg(0) != "$http_upgrade" {
			return "", m, false
		}
		def, empty, hasEmpty := "", "", false
		for _, e := range m.Children() {
			switch {
			case e.NArgs() != 1:
			case e.Name() == "default":
				def = e.Arg(0)
			case e.Name() == "":
				empty, hasEmpty = e.Arg(0), true
			}
		}
		if hasEmpty {
			return empty, m, true
		}
		return def, m, true
	}
	return "", syntax.Directive{}, false
}

// closes reports whether a Connection header value makes the backend
// close the connection after the response.
func closes(v string) bool { return strings.Contains(strings.ToLower(v), "close") }

func checkKeepaliveEnabled(p *lint.Pass, block, up, ka syntax.Directive) {
	ix := model.Of(p)
	root := p.Tree.Context
	var problems []string
	var missing, fixes []string
	related := []lint.Related{lint.RelatedTo(ka, fmt.Sprintf("upstream %q keeps idle connections here", up.Arg(0)))}

	var edits []lint.TextEdit
	ver := ix.Effective(block, "proxy_http_version")
	if v := ver.Last(); v.IsZero() || v.Arg(0) != "1.1" {
		if v.IsZero() {
			problems = append(problems, "sends HTTP/1.0 (proxy_http_version is not set; the default is 1.0)")
		} else {
			problems = append(problems, fmt.Sprintf("sends HTTP/%s (proxy_http_version %s, %s level)", v.Arg(0), v.Arg(0), levelName(ver, root)))
			related = append(related, lint.RelatedTo(v, "proxy_http_version "+v.Arg(0)+" is set here"))
		}
		if !v.IsZero() && !ver.Inherited && v.NArgs() == 1 {
			// The block sets its own: change it (a second one is an error).
			edits = append(edits, lint.TextEdit{File: v.File(), Start: int(v.ArgAt(0).Start), End: int(v.ArgAt(0).End), NewText: "1.1"})
			fixes = append(fixes, "proxy_http_version 1.1;")
		} else {
			missing = append(missing, "proxy_http_version 1.1;")
		}
	}

	headers := ix.Effective(block, "proxy_set_header")
	conn := connectionHeader(headers)
	switch {
	case conn.IsZero():
		why := `sends "Connection: close" (no proxy_set_header Connection applies here)`
		hidden, by := ix.Shadowed(block, "proxy_set_header")
		if hc := connectionHeader(hidden); !hc.IsZero() {
			if v, _, _ := connectionValue(ix, hc); v == "" {
				who := "this " + levelName(by, root)
				if by.Level != block {
					who = "the enclosing " + levelName(by, root)
				}
				why = fmt.Sprintf(`sends "Connection: close": proxy_set_header Connection "" (%s level) is not inherited here because %s sets its own proxy_set_header`,
					levelName(hidden, root), who)
				related = append(related,
					lint.RelatedTo(hc, `proxy_set_header Connection "" is set here, and not inherited`),
					lint.RelatedTo(by.Directives[0], "this proxy_set_header replaces every outer one"))
			}
		}
		problems = append(problems, why)
		missing = append(missing, `proxy_set_header Connection "";`)
	default:
		v, via, known := connectionValue(ix, conn)
		switch {
		case !known || !closes(v):
		case !via.IsZero():
			problems = append(problems, fmt.Sprintf(`sends "Connection: %s" on every request without an Upgrade header: proxy_set_header Connection %s takes a map that yields %q for them; map '' to '' instead`,
				v, conn.Arg(1), v))
			related = append(related,
				lint.RelatedTo(conn, "proxy_set_header Connection "+conn.Arg(1)+" is set here"),
				lint.RelatedTo(via, fmt.Sprintf("the map yields %q for a request without an Upgrade header", v)))
		default:
			problems = append(problems, fmt.Sprintf(`sends "Connection: %s" (proxy_set_header Connection %s)`, v, conn.Arg(1)))
			related = append(related, lint.RelatedTo(conn, "proxy_set_header Connection "+conn.Arg(1)+" is set here"))
		}
	}
	if len(problems) == 0 {
		return
	}
	what := "location"
	if !block.IsZero() {
		what = block.Name()
	}
	msg := fmt.Sprintf("upstream %q keeps idle connections (keepalive %s), but this %s %s: every request opens a new connection",
		up.Arg(0), ka.Arg(0), what, strings.Join(problems, ", and "))
	todo := append(append([]string{}, fixes...), missing...)
	if len(todo) > 0 {
		msg += "; write " + strings.Join(todo, " ")
	}
	if p.NginxVersion == "" {
		msg += ` (assuming nginx older than 1.29.7, which needs these lines; set version in the manifest's [nginx] table or --nginx-version)`
	}
	d := blockDiagnostic(p, block, msg)
	d.Related = related
	if len(missing) > 0 && !block.IsZero() && block.RBrace() >= 0 {
		lines := missing
		if headers.Inherited && headers.IsSet() && strings.Contains(strings.Join(missing, ""), "Connection") {
			// Writing a proxy_set_header here would drop the inherited ones:
			// carry them over, so only Connection changes.
			var carried []string
			for _, h := range headers.Directives {
				carried = append(carried, h.String()+";")
			}
			lines = append(append([]string{}, missing[:len(missing)-1]...), append(carried, missing[len(missing)-1])...)
		}
		edits = append([]lint.TextEdit{lint.InsertInBlock(block, lines)}, edits...)
	}
	if len(edits) > 0 && (len(missing) == 0 || !block.IsZero() && block.RBrace() >= 0) {
		d.Fixes = []lint.Fix{{Message: "write " + strings.Join(todo, " "), Edits: edits}}
	}
	p.Report(d)
}

func checkKeepaliveDisabled(p *lint.Pass, block, up, ka syntax.Directive) {
	ix := model.Of(p)
	var problems []string
	related := []lint.Related{lint.RelatedTo(ka, fmt.Sprintf("upstream %q keeps idle connections here", up.Arg(0)))}
	if v := ix.Effective(block, "proxy_http_version").Last(); !v.IsZero() && v.Arg(0) == "1.0" {
		problems = append(problems, "proxy_http_version 1.0 turns HTTP/1.1 off")
		related = append(related, lint.RelatedTo(v, "proxy_http_version 1.0 is set here"))
	}
	if c := connectionHeader(ix.Effective(block, "proxy_set_header")); !c.IsZero() {
		if v, _, known := connectionValue(ix, c); known && closes(v) {
			problems = append(problems, fmt.Sprintf(`proxy_set_header Connection %s sends "Connection: close"`, c.Arg(1)))
			related = append(related, lint.RelatedTo(c, "proxy_set_header Connection "+c.Arg(1)+" is set here"))
		}
	}
	if len(problems) == 0 {
		return
	}
	what := "location"
	if !block.IsZero() {
		what = block.Name()
	}
	d := blockDiagnostic(p, block, fmt.Sprintf("upstream %q keeps idle connections (keepalive %s), but in this %s %s: every request opens a new connection (nginx %s speaks HTTP/1.1 with keep-alive to upstreams by default; remove the line)",
		up.Arg(0), ka.Arg(0), what, strings.Join(problems, " and "), p.NginxVersion))
	d.Related = related
	p.Report(d)
}

// blockDiagnostic reports at a block's name and arguments, or at the start
// of the main file for the top level of a snippet.
func blockDiagnostic(p *lint.Pass, block syntax.Directive, msg string) lint.Diagnostic {
	if block.IsZero() {
		return lint.Diagnostic{File: p.Tree.Main, Start: 0, End: 0, Message: msg}
	}
	end := int(block.NameEnd())
	if n := block.NArgs(); n > 0 {
		end = int(block.ArgAt(n - 1).End)
	}
	return lint.Diagnostic{File: block.File(), Start: int(block.Start()), End: end, Message: msg}
}
