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
"" for requests without an Upgrade header. The common map

    map $http_upgrade $connection_upgrade { default upgrade; '' close; }

sends "Connection: close" on every ordinary request, and a
"proxy_set_header Connection "";" beside it does not help: nginx sends
every Connection line whose value is not empty, and skips only the empty
ones. Write '' '' in the map instead: ordinary requests then carry no
Connection header, and WebSocket requests still get "upgrade". The fix-it
changes the map's '' entry (or adds one to a map that has only a
default) when the map serves nothing but Connection headers.

nginx 1.29.7 (mainline) and 1.30 (stable) speak HTTP/1.1 with keep-alive
to upstreams by default. The rule follows the target version: "version" in
the manifest's [nginx] table or --nginx-version. On those versions it
only reports what turns keepalive off again: an explicit
"proxy_http_version 1.0" (reported at every version), or a Connection
header whose value is "close", written as such or yielded by a map. When
no version is given, it assumes an older nginx and says so. HTTP/2 to the
upstream ("proxy_http_version 2", nginx 1.29.4 and later, or grpc_pass)
has no Connection header, and is not reported.

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
	Fixable:  true,
	Run:      runUpstreamKeepalive,
}

// keepaliveDefault is the first nginx version whose proxy module speaks
// HTTP/1.1 to upstreams and sends no Connection header by default
// (CHANGES of 1.29.7: "now ngx_http_proxy_module supports keepalive by
// default").
var keepaliveDefault = nginx.Version{1, 29, 7}

func runUpstreamKeepalive(p *lint.Pass) {
	k := &keepaliveCheck{p: p, ix: model.Of(p), seen: p.Tree.NewSet(),
		versions: model.Of(p).Settings("proxy_http_version"), headers: model.Of(p).Settings("proxy_set_header")}
	k.newDefaults = nginx.VersionAtLeast(p.NginxVersion, keepaliveDefault[0], keepaliveDefault[1], keepaliveDefault[2])
	// Many locations use one upstream: look its keepalive up once.
	kas := make([]syntax.Directive, k.ix.NumUpstreams())
	looked := make([]bool, len(kas))
	for t := range k.ix.Targets() {
		n := t.UpstreamIndex()
		if n < 0 || t.IsServer() || t.Module() != "http" {
			continue
		}
		up := t.Upstream()
		if !looked[n] {
			kas[n], looked[n] = keepaliveOf(up), true
		}
		ka := kas[n]
		if ka.IsZero() || t.Directive.Name() != "proxy_pass" {
			continue
		}
		// nginx allows neither proxy_http_version nor proxy_set_header in
		// an if block: a proxy_pass there uses its location's settings,
		// which is where they must be fixed.
		block := t.Directive.BlockParent()
		for !block.IsZero() && block.Name() == "if" {
			block = block.BlockParent()
		}
		if k.seen.Add(block) {
			k.check(block, up, ka)
		}
	}
}

// keepaliveCheck is the state of one run of the rule. Most blocks are
// fine: check decides that without allocating, and only a block that
// defeats keepalive pays for its message.
type keepaliveCheck struct {
	p           *lint.Pass
	ix          *model.Index
	newDefaults bool // the target nginx speaks HTTP/1.1 with keep-alive by default
	seen        *syntax.Set
	// versions and headers answer Effective for proxy_http_version and
	// proxy_set_header, for the blocks the proxy_pass lines are in.
	versions, headers *model.Settings
	// inherited is what connection found in the lines of the last
	// level blocks inherited them from.
	inherited struct {
		level   syntax.Directive
		hasConn bool
		closing connLine
		known   bool
	}
	// maps holds, by variable name in lower case, what the map defining
	// it yields for a request without an Upgrade header; nil for a
	// variable no map of the kind defines.
	maps map[string]*connMap
	// certain holds, by map, whether the map serves only Connection
	// headers, so that changing its entry is a certain fix.
	certain map[syntax.Directive]bool
}

// connMap is what a map of $http_upgrade yields for a request without
// an Upgrade header.
type connMap struct {
	def   syntax.Directive // the map block
	name  string           // the variable it defines, as written ($connection_upgrade)
	entry syntax.Directive // the entry that yields value; zero for nginx's implicit default ""
	value string
	known bool
}

// connLine is what one proxy_set_header Connection line sends on a
// request without an Upgrade header.
type connLine struct {
	d     syntax.Directive
	value string
	known bool
	m     *connMap // the map the value comes from; nil when it is written in the line
}

// check looks at the block (zero: the top level) whose proxy_pass uses
// upstream up, which keeps idle connections (ka).
func (k *keepaliveCheck) check(block, up, ka syntax.Directive) {
	// The block's own lines of both directives, read in one pass.
	var ownVersions, ownHeaders []syntax.Directive
	if !block.IsZero() {
		for d := range block.EachChild() {
			switch d.Name() {
			case "proxy_http_version":
				ownVersions = append(ownVersions, d)
			case "proxy_set_header":
				if ownHeaders == nil {
					ownHeaders = make([]syntax.Directive, 0, 4)
				}
				ownHeaders = append(ownHeaders, d)
			}
		}
	}
	ver := k.versions.Given(block, ownVersions).Last()
	version := ""
	if !ver.IsZero() && ver.NArgs() == 1 {
		version = ver.Arg(0)
	}
	if version == "2" {
		// HTTP/2 (nginx 1.29.4 and later; nginx refuses the value
		// before) keeps its connection open without a Connection
		// header: "Connection: close" means nothing to it.
		return
	}
	http10 := version == "1.0" || ver.IsZero() && !k.newDefaults
	headers := k.headers.Given(block, ownHeaders)
	hasConn, closing := k.connection(headers)
	// Before 1.29.7 nginx sends "Connection: close" unless a line says
	// otherwise; from 1.29.7 it sends no Connection header.
	defaultClose := !hasConn && !k.newDefaults
	if !http10 && closing.d.IsZero() && !defaultClose {
		return
	}
	if k.newDefaults {
		k.reportDisabled(block, up, ka, ver, headers, closing)
	} else {
		k.reportEnabled(block, up, ka, ver, headers, closing)
	}
}

// connection reports whether the proxy_set_header lines headers hold a
// Connection line, and returns the first that sends "close" (zero for
// none). The blocks that inherit their lines from one level (the
// locations of a server) follow each other: the answer for the last
// such level is kept.
func (k *keepaliveCheck) connection(headers model.Setting) (hasConn bool, closing connLine) {
	if headers.Inherited && k.inherited.known && k.inherited.level == headers.Level {
		return k.inherited.hasConn, k.inherited.closing
	}
	for _, d := range headers.Directives {
		if d.NArgs() < 1 || !strings.EqualFold(d.Arg(0), "Connection") {
			continue
		}
		hasConn = true
		if closing.d.IsZero() {
			if l := k.line(d); l.known && closes(l.value) {
				closing = l
			}
		}
	}
	if headers.Inherited {
		k.inherited.level, k.inherited.hasConn, k.inherited.closing, k.inherited.known = headers.Level, hasConn, closing, true
	}
	return hasConn, closing
}

// line returns what the proxy_set_header Connection line d sends on a
// request without an Upgrade header.
func (k *keepaliveCheck) line(d syntax.Directive) connLine {
	if d.NArgs() < 2 {
		return connLine{d: d, known: true}
	}
	v := d.Arg(1)
	name, ok := soleVariable(v)
	if !ok {
		return connLine{d: d, value: v, known: !strings.Contains(v, "$")}
	}
	m := k.mapOf(name)
	if m == nil {
		return connLine{d: d}
	}
	return connLine{d: d, value: m.value, known: m.known, m: m}
}

// soleVariable returns the name of the variable v consists of ($name or
// ${name}); false when v is anything else.
func soleVariable(v string) (string, bool) {
	if len(v) < 2 || v[0] != '$' {
		return "", false
	}
	name := v[1:]
	if strings.HasPrefix(name, "{") {
		if !strings.HasSuffix(name, "}") {
			return "", false
		}
		name = name[1 : len(name)-1]
	}
	for i := 0; i < len(name); i++ {
		if !isVarByte(name[i]) {
			return "", false
		}
	}
	return name, name != ""
}

// mapOf returns what the http map defining $name yields for a request
// without an Upgrade header; nil when no map defines it, and an unknown
// value when the map reads something else than $http_upgrade.
func (k *keepaliveCheck) mapOf(name string) *connMap {
	key := strings.ToLower(name)
	if m, ok := k.maps[key]; ok {
		return m
	}
	if k.maps == nil {
		k.maps = map[string]*connMap{}
	}
	var found *connMap
	for m := range k.ix.ByName("map") {
		if !m.IsBlock() || m.NArgs() != 2 || k.ix.Module(m) != "http" {
			continue
		}
		if n, ok := soleVariable(m.Arg(1)); !ok || !strings.EqualFold(n, name) {
			continue
		}
		found = readConnMap(m)
		break
	}
	k.maps[key] = found
	return found
}

// readConnMap reads what the map m yields when $http_upgrade is empty:
// its entry for the empty string, else (when no regular expression could match the empty
// string instead) its default, else "".
func readConnMap(m syntax.Directive) *connMap {
	c := &connMap{def: m, name: m.Arg(1)}
	if !strings.EqualFold(m.Arg(0), "$http_upgrade") {
		return c
	}
	var def, empty syntax.Directive
	regex := false
	for e := range m.EachChild() {
		switch {
		case e.NArgs() != 1:
		case e.Name() == "default":
			def = e
		case e.Name() == "":
			empty = e
		case strings.HasPrefix(e.Name(), "~"):
			regex = true
		}
	}
	switch {
	case !empty.IsZero():
		c.entry = empty
	case regex:
		return c
	case !def.IsZero():
		c.entry = def
	default:
		c.known = true
		return c
	}
	c.value = c.entry.Arg(0)
	c.known = !strings.Contains(c.value, "$")
	return c
}

// closes reports whether a Connection header value makes the backend
// close the connection after the response.
func closes(v string) bool { return strings.Contains(strings.ToLower(v), "close") }

func levelName(s model.Setting, root string) string {
	if s.Level.IsZero() {
		return root
	}
	return s.Level.Name()
}

// lineText is how the directive d is written: its name and arguments.
func lineText(d syntax.Directive) string { return d.String() }

// mapProblem describes a Connection line l that sends "close" through
// a map ("sends ... (...)"), and adds the related places; emptyToo is a
// Connection line with an empty value beside it, zero if none.
func (k *keepaliveCheck) mapProblem(l connLine, emptyToo syntax.Directive, related *[]lint.Related) string {
	m := l.m
	s := fmt.Sprintf(`sends "Connection: %s" on every request without an Upgrade header (%s takes it from the map %s, `, l.value, lineText(l.d), m.name)
	if m.entry.Name() == "" {
		s += fmt.Sprintf(`whose '' entry is %q`, l.value)
	} else {
		s += fmt.Sprintf(`which has no '' entry and whose default is %q`, l.value)
	}
	*related = append(*related,
		lint.RelatedTo(l.d, lineText(l.d)+" is set here"),
		lint.RelatedTo(m.entry, fmt.Sprintf("the map yields %q for a request without an Upgrade header", l.value)))
	if !emptyToo.IsZero() {
		s += fmt.Sprintf(`; %s beside it does not clear it, as nginx sends every Connection line whose value is not empty`, lineText(emptyToo))
		*related = append(*related, lint.RelatedTo(emptyToo, lineText(emptyToo)+" sends nothing, and does not remove the other line"))
	}
	return s + ")"
}

// mapFixMessage says what makes the map m yield an empty value, which
// nginx does not send, for a request without an Upgrade header.
func mapFixMessage(m *connMap) string {
	if m.entry.Name() == "" {
		return "make the '' entry of the map " + m.name + " ''"
	}
	return "add the entry '' ''; to the map " + m.name
}

// emptyConnection returns a Connection line of headers other than l
// whose value is known to be empty, or zero.
func (k *keepaliveCheck) emptyConnection(headers model.Setting, l syntax.Directive) syntax.Directive {
	for _, d := range headers.Directives {
		if d == l || d.NArgs() < 1 || !strings.EqualFold(d.Arg(0), "Connection") {
			continue
		}
		if c := k.line(d); c.known && c.value == "" {
			return d
		}
	}
	return syntax.Directive{}
}

// mapEdit returns the edit that makes the map of l yield the empty
// string for a request without an Upgrade header (its entry for the
// empty string changed, or one added), and whether it is certain: the
// map serves Connection headers only.
func (k *keepaliveCheck) mapEdit(l connLine) (lint.TextEdit, bool) {
	m := l.m
	if m == nil || m.entry.IsZero() || m.def.RBrace() < 0 || !k.onlyConnection(m) {
		return lint.TextEdit{}, false
	}
	if m.entry.Name() != "" {
		return lint.InsertInBlock(m.def, []string{"'' '';"}), true
	}
	a := m.entry.ArgAt(0)
	return lint.TextEdit{File: m.entry.File(), Start: int(a.Start), End: int(a.End), NewText: "''"}, true
}

// onlyConnection reports whether the variable of map m is used nowhere
// but in the map itself and as the value of proxy_set_header Connection
// lines: changing what it yields then changes nothing else. It compares
// every mention of the variable in the tree's text (comments included,
// so that a doubt leaves the fix out) with those uses.
func (k *keepaliveCheck) onlyConnection(m *connMap) bool {
	if ok, done := k.certain[m.def]; done {
		return ok
	}
	if k.certain == nil {
		k.certain = map[syntax.Directive]bool{}
	}
	name, _ := soleVariable(m.name)
	mentions := 0
	for _, f := range k.p.Tree.Files {
		mentions += countVariable(f.Src, name)
	}
	type at struct {
		f   *syntax.File
		off int32
	}
	uses := map[at]bool{{m.def.File(), m.def.Start()}: true}
	for d := range k.ix.ByName("proxy_set_header") {
		if d.NArgs() != 2 || !strings.EqualFold(d.Arg(0), "Connection") {
			continue
		}
		if n, ok := soleVariable(d.Arg(1)); ok && strings.EqualFold(n, name) {
			uses[at{d.File(), d.Start()}] = true
		}
	}
	ok := mentions == len(uses)
	k.certain[m.def] = ok
	return ok
}

// countVariable counts the mentions of the variable name ($name or
// ${name}, in any case, as nginx compares variable names) in src.
func countVariable(src, name string) int {
	n := 0
	for i := strings.IndexByte(src, '$'); i >= 0; {
		j := i + 1
		braced := j < len(src) && src[j] == '{'
		if braced {
			j++
		}
		if end := j + len(name); end <= len(src) && strings.EqualFold(src[j:end], name) &&
			(braced && end < len(src) && src[end] == '}' || !braced && (end == len(src) || !isVarByte(src[end]))) {
			n++
		}
		next := strings.IndexByte(src[i+1:], '$')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return n
}

// reportEnabled reports a block that does not turn keepalive on, for
// nginx before 1.29.7.
func (k *keepaliveCheck) reportEnabled(block, up, ka, ver syntax.Directive, headers model.Setting, closing connLine) {
	p, ix := k.p, k.ix
	root := p.Tree.Context
	var problems []string
	var missing, fixes []string
	related := []lint.Related{lint.RelatedTo(ka, fmt.Sprintf("upstream %q keeps idle connections here", up.Arg(0)))}

	var edits []lint.TextEdit
	if ver.IsZero() || ver.NArgs() == 1 && ver.Arg(0) == "1.0" {
		if ver.IsZero() {
			problems = append(problems, "sends HTTP/1.0 (proxy_http_version is not set; the default is 1.0)")
			missing = append(missing, "proxy_http_version 1.1;")
		} else {
			verSetting := ix.Effective(block, "proxy_http_version")
			problems = append(problems, fmt.Sprintf("sends HTTP/%s (proxy_http_version %s, %s level)", ver.Arg(0), ver.Arg(0), levelName(verSetting, root)))
			related = append(related, lint.RelatedTo(ver, "proxy_http_version "+ver.Arg(0)+" is set here"))
			if !verSetting.Inherited && ver.NArgs() == 1 {
				// The block sets its own: change it (a second one is an error).
				edits = append(edits, lint.TextEdit{File: ver.File(), Start: int(ver.ArgAt(0).Start), End: int(ver.ArgAt(0).End), NewText: "1.1"})
				fixes = append(fixes, "proxy_http_version 1.1;")
			} else {
				missing = append(missing, "proxy_http_version 1.1;")
			}
		}
	}

	var mapFix []string // what to do in a map
	mapEdited := false  // and whether the fix does it
	switch {
	case !closing.d.IsZero() && closing.m != nil:
		problems = append(problems, k.mapProblem(closing, k.emptyConnection(headers, closing.d), &related))
		mapFix = append(mapFix, mapFixMessage(closing.m))
		if e, ok := k.mapEdit(closing); ok {
			edits = append(edits, e)
			mapEdited = true
		}
	case !closing.d.IsZero():
		problems = append(problems, fmt.Sprintf(`sends "Connection: %s" (%s)`, closing.value, lineText(closing.d)))
		related = append(related, lint.RelatedTo(closing.d, lineText(closing.d)+" is set here"))
		if e := k.emptyConnection(headers, closing.d); !e.IsZero() {
			problems[len(problems)-1] += fmt.Sprintf(`; %s does not clear it: nginx sends every Connection line whose value is not empty`, lineText(e))
		}
	case !k.hasConnection(headers):
		why := `sends "Connection: close" (no proxy_set_header Connection applies here)`
		hidden, by := ix.Shadowed(block, "proxy_set_header")
		if hc := k.emptyConnection(hidden, syntax.Directive{}); !hc.IsZero() {
			who := "this " + levelName(by, root)
			if by.Level != block {
				who = "the enclosing " + levelName(by, root)
			}
			why = fmt.Sprintf(`sends "Connection: close": %s (%s level) is not inherited here because %s sets its own proxy_set_header`,
				lineText(hc), levelName(hidden, root), who)
			related = append(related,
				lint.RelatedTo(hc, lineText(hc)+" is set here, and not inherited"),
				lint.RelatedTo(by.Directives[0], "this proxy_set_header replaces every outer one"))
		}
		problems = append(problems, why)
		missing = append(missing, `proxy_set_header Connection "";`)
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
	for _, f := range mapFix {
		msg += "; " + f + " (an empty value, which nginx does not send)"
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
		var say []string
		if len(todo) > 0 {
			say = append(say, "write "+strings.Join(todo, " "))
		}
		if mapEdited {
			say = append(say, mapFix...)
		}
		d.Fixes = []lint.Fix{{Message: strings.Join(say, "; "), Edits: edits}}
	}
	p.Report(d)
}

// hasConnection reports whether headers hold a Connection line.
func (k *keepaliveCheck) hasConnection(headers model.Setting) bool {
	for _, d := range headers.Directives {
		if d.NArgs() >= 1 && strings.EqualFold(d.Arg(0), "Connection") {
			return true
		}
	}
	return false
}

// reportDisabled reports a block that turns keepalive off again, for
// nginx 1.29.7 and later, where HTTP/1.1 with keep-alive is the default.
func (k *keepaliveCheck) reportDisabled(block, up, ka, ver syntax.Directive, headers model.Setting, closing connLine) {
	p := k.p
	var problems, todo []string
	var edits []lint.TextEdit
	related := []lint.Related{lint.RelatedTo(ka, fmt.Sprintf("upstream %q keeps idle connections here", up.Arg(0)))}
	if !ver.IsZero() && ver.NArgs() == 1 && ver.Arg(0) == "1.0" {
		problems = append(problems, "proxy_http_version 1.0 turns HTTP/1.1 off")
		related = append(related, lint.RelatedTo(ver, "proxy_http_version 1.0 is set here"))
		todo = append(todo, "remove proxy_http_version 1.0")
	}
	switch {
	case closing.d.IsZero():
	case closing.m != nil:
		problems = append(problems, "nginx "+k.mapProblem(closing, k.emptyConnection(headers, closing.d), &related))
		todo = append(todo, mapFixMessage(closing.m)+" (an empty value, which nginx does not send)")
		if e, ok := k.mapEdit(closing); ok {
			edits = append(edits, e)
		}
	default:
		problems = append(problems, fmt.Sprintf(`%s sends "Connection: %s"`, lineText(closing.d), closing.value))
		related = append(related, lint.RelatedTo(closing.d, lineText(closing.d)+" is set here"))
		todo = append(todo, "remove "+lineText(closing.d))
	}
	what := "location"
	if !block.IsZero() {
		what = block.Name()
	}
	msg := fmt.Sprintf("upstream %q keeps idle connections (keepalive %s), but in this %s %s: every request opens a new connection (nginx %s speaks HTTP/1.1 with keep-alive to upstreams by default)",
		up.Arg(0), ka.Arg(0), what, strings.Join(problems, " and "), p.NginxVersion)
	if len(todo) > 0 {
		msg += "; " + strings.Join(todo, " and ")
	}
	d := blockDiagnostic(p, block, msg)
	d.Related = related
	if len(edits) > 0 && len(todo) == 1 {
		// The map's fix is all there is to do.
		d.Fixes = []lint.Fix{{Message: mapFixMessage(closing.m), Edits: edits}}
	}
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
