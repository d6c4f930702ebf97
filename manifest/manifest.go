package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/internal/tomlpos"

	"github.com/BurntSushi/toml"
)

// Manifest is a parsed backend manifest.
type Manifest struct {
	// Path is the file name the manifest was read from.
	Path string
	// Version is the nginx version of [nginx] version, "" if absent.
	Version string
	// VersionPos is where the version value was written.
	VersionPos Position
	// External lists the hosts outside this machine that targets may point
	// at without being backends.
	External []External
	// Backends are the backends, sorted by Name.
	Backends []*Backend

	indexOnce sync.Once
	index     map[listenKey][]listenRef
}

// Backend is one [backends.NAME] table.
type Backend struct {
	// Name is the key of the table.
	Name string
	// Pos is where the backend was defined: the '[' of its
	// [backends.NAME] header, or its name in a dotted key or inline table.
	Pos Position
	// Listen holds the addresses the backend listens on, in the order
	// written. Each Addr.Pos is where that address was written.
	Listen []Addr
	// Protocol is the protocol the backend speaks; http when not given.
	Protocol Protocol
	// ProtocolSet is true when the protocol key was given.
	ProtocolSet bool
	// Upstream is the nginx upstream block that must point at this
	// backend, "" if not given.
	Upstream string
	// UpstreamPos is where the upstream value was written.
	UpstreamPos Position
	// IdleTimeout is how long the backend keeps an idle keep-alive
	// connection open; 0 when not given.
	IdleTimeout time.Duration
	// MaxResponseTime is the slowest legitimate response of the backend;
	// 0 when not given.
	MaxResponseTime time.Duration
	// IdleTimeoutPos and MaxResponseTimePos are where those values were
	// written.
	IdleTimeoutPos, MaxResponseTimePos Position
}

// Backend returns the backend with the given name, or nil.
func (m *Manifest) Backend(name string) *Backend {
	if m == nil {
		return nil
	}
	i, ok := slices.BinarySearchFunc(m.Backends, name, func(b *Backend, name string) int {
		return strings.Compare(b.Name, name)
	})
	if !ok {
		return nil
	}
	return m.Backends[i]
}

// ByUpstream returns the backends whose upstream key names the upstream
// block name, compared case-insensitively as nginx compares upstream names.
func (m *Manifest) ByUpstream(name string) []*Backend {
	if m == nil {
		return nil
	}
	var out []*Backend
	for _, b := range m.Backends {
		if b.Upstream != "" && strings.EqualFold(b.Upstream, name) {
			out = append(out, b)
		}
	}
	return out
}

// Load reads and parses the manifest file at path. A file that cannot be
// read gives a plain error ("cannot read manifest FILE: ..."); problems in
// the file give an [ErrorList], as from [Parse].
func Load(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot read manifest %s: %w", path, err)
	}
	return Parse(path, data)
}

// Keys known in each table of the manifest.
var (
	topKeys     = []string{"nginx", "external", "backends"}
	nginxKeys   = []string{"version"}
	backendKeys = []string{"listen", "protocol", "upstream", "idle_timeout", "max_response_time"}
)

// Parse parses and validates a manifest; filename is used in positions.
//
// All problems found are returned together as an [ErrorList] sorted by
// position. When the text is valid TOML, Parse also returns the manifest
// built from the parts that were valid, so callers may go on with it; on a
// TOML syntax error it returns a nil manifest.
func Parse(filename string, data []byte) (*Manifest, error) {
	loc := newLocator(filename, string(data))
	if off, msg, bad := tooComplex(string(data)); bad {
		return nil, ErrorList{{Pos: loc.position(off), Msg: msg}}
	}
	var root any
	md, err := decodeTOML(data, &root)
	if err != nil {
		return nil, ErrorList{syntaxError(loc, len(data), err)}
	}
	p := &parser{
		loc:      loc,
		used:     map[string]bool{},
		opaque:   map[string]bool{},
		reported: map[string]bool{},
	}
	m := &Manifest{Path: filename}
	table, _ := root.(map[string]any)
	p.parseNginx(m, table)
	p.parseExternal(m, table)
	p.parseBackends(m, table)
	p.checkDuplicates(m)
	p.checkUnknownKeys(md.Undecoded())
	if len(p.errs) == 0 {
		return m, nil
	}
	p.errs.Sort()
	return m, p.errs
}

// decodeTOML runs the TOML decoder, turning a failure inside it into an
// error so that no input can crash the caller.
func decodeTOML(data []byte, v any) (md toml.MetaData, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the TOML decoder failed on this input: %v", r)
		}
	}()
	return toml.Decode(string(data), v)
}

// syntaxError turns a TOML decoding error into an Error at its position.
// The position is computed from the error's byte offset, which is exact
// where the library's own line number can be one line late.
func syntaxError(loc *locator, size int, err error) *Error {
	pos := Position{File: loc.file, Line: 1, Col: 1}
	msg := err.Error()
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg = pe.Message
		switch {
		case pe.Position.Start > 0 && pe.Position.Start <= size:
			pos = loc.position(pe.Position.Start)
		case pe.Position.Line > 0:
			pos.Line, pos.Col = pe.Position.Line, max(pe.Position.Col, 1)
		}
	}
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ".")
	msg = strings.NewReplacer("\n", "\\n", "\r", "\\r", "\t", "\\t").Replace(msg)
	return &Error{Pos: pos, Msg: "invalid TOML: " + msg + "; fix the syntax so the manifest can be read"}
}

// parser collects what Parse finds.
type parser struct {
	loc  *locator
	errs ErrorList
	// used holds the key paths that were read.
	used map[string]bool
	// opaque holds key paths whose sub-keys are not to be reported as
	// unknown: values that are not tables, and tables of the wrong type.
	opaque map[string]bool
	// reported holds unknown keys already reported.
	reported map[string]bool
}

func (p *parser) errorf(pos Position, format string, args ...any) {
	p.errs = append(p.errs, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// use marks a key path as read; leaf marks it opaque as well.
func (p *parser) use(leaf bool, path ...string) {
	k := pathKey(path)
	p.used[k] = true
	if leaf {
		p.opaque[k] = true
	}
}

func (p *parser) parseNginx(m *Manifest, root map[string]any) {
	v, ok := root["nginx"]
	if !ok {
		return
	}
	p.use(false, "nginx")
	tbl, ok := v.(map[string]any)
	if !ok {
		p.opaque["nginx"] = true
		p.errorf(p.loc.keyPos("nginx"), "nginx must be a table, not %s: write [nginx] on its own line and version = \"1.22.1\" below it", textutil.TOMLType(v))
		return
	}
	ver, ok := tbl["version"]
	if !ok {
		return
	}
	p.use(true, "nginx", "version")
	pos := p.loc.valuePos("nginx", "version")
	s, ok := ver.(string)
	switch {
	case !ok:
		p.errorf(pos, "nginx version must be a string, not %s: write it in quotes, e.g. version = \"1.22.1\"", textutil.TOMLType(ver))
	case !validVersion(s):
		p.errorf(pos, "nginx version %q is not valid; write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. \"1.22.1\"", s)
	default:
		m.Version, m.VersionPos = s, pos
	}
}

// validVersion reports whether s is N.N or N.N.N with decimal numbers.
func validVersion(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for _, part := range parts {
		if part == "" || len(part) > 9 {
			return false
		}
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

func (p *parser) parseExternal(m *Manifest, root map[string]any) {
	v, ok := root["external"]
	if !ok {
		return
	}
	p.use(true, "external")
	list, ok := v.([]any)
	if !ok {
		p.errorf(p.loc.valuePos("external"), "external must be a list of strings, not %s, e.g. external = [\"api.stripe.com\", \"10.0.0.0/8\"]", textutil.TOMLType(v))
		return
	}
	for i, item := range list {
		pos := p.loc.elemPos(i, "external")
		s, ok := item.(string)
		if !ok {
			p.errorf(pos, "external entries must be strings, not %s: write host names, *.wildcards, CIDR ranges or host:port in quotes", textutil.TOMLType(item))
			continue
		}
		e, err := ParseExternal(s)
		if err != nil {
			p.errorf(pos, "%s", err)
			continue
		}
		e.Pos = pos
		m.External = append(m.External, e)
	}
}

// ParseExternal parses one entry of the external list: a host name
// ("api.stripe.com"), a wildcard ("*.example.org"), an IP address, a CIDR
// range ("10.0.0.0/8"), or any of the host forms with a port
// ("203.0.113.7:443", "[2001:db8::1]:443", "api.stripe.com:443").
func ParseExternal(s string) (External, error) {
	e, err := parseExternal(s)
	if err != nil {
		return External{Raw: s}, fmt.Errorf("invalid external entry %q: %w", s, err)
	}
	e.Raw = s
	return e, nil
}

func parseExternal(s string) (External, error) {
	switch {
	case s == "":
		return External{}, errors.New("it is empty; write a host name, *.wildcard, CIDR range or host:port")
	case strings.IndexFunc(s, isSpaceOrControl) >= 0:
		return External{}, errors.New("it contains a space or control character; remove it")
	case hasPrefixFold(s, "unix:"):
		return External{}, errors.New("unix sockets are always on this machine; describe the socket as a backend instead")
	case strings.Contains(s, "://"):
		return External{}, fmt.Errorf("remove the scheme %q; write the host name alone, e.g. \"api.stripe.com\"", s[:strings.Index(s, "://")+3])
	case strings.Contains(s, "/"):
		pfx, err := netip.ParsePrefix(s)
		if err != nil {
			return External{}, errors.New("not a CIDR range; write an address, a slash and a prefix length, e.g. \"10.0.0.0/8\"")
		}
		return External{Prefix: pfx.Masked()}, nil
	case !strings.HasPrefix(s, "[") && strings.Count(s, ":") > 1:
		ip, err := netip.ParseAddr(s)
		if err != nil || ip.Zone() != "" {
			return External{}, errors.New("not an IPv6 address; to add a port, write \"[2001:db8::1]:443\"")
		}
		return External{Prefix: netip.PrefixFrom(ip, ip.BitLen())}, nil
	}
	host, portText, hasPort, err := splitHostPort(s)
	if err != nil {
		return External{}, err
	}
	var e External
	if hasPort {
		if e.Port, err = parsePort(portText); err != nil {
			return External{}, err
		}
	}
	if suffix, ok := strings.CutPrefix(host, "*."); ok {
		name := strings.ToLower(suffix)
		if !validHostname(name) || isDigitsAndDots(name) {
			return External{}, fmt.Errorf("%q is not a valid host name after \"*.\"", suffix)
		}
		e.Host, e.Wildcard = name, true
		return e, nil
	}
	if strings.Contains(host, "*") {
		if host == "*" {
			return External{}, errors.New("a bare \"*\" would allow every host; list the hosts, *.domain wildcards or CIDR ranges instead")
		}
		return External{}, errors.New("a wildcard may only stand for the leading labels, e.g. \"*.example.org\"")
	}
	a, err := parseHost(host)
	if err != nil {
		return External{}, err
	}
	if a.IP.IsValid() {
		e.Prefix = netip.PrefixFrom(a.IP, a.IP.BitLen())
	} else {
		e.Host = a.Host
	}
	return e, nil
}

func (p *parser) parseBackends(m *Manifest, root map[string]any) {
	v, ok := root["backends"]
	if !ok {
		return
	}
	p.use(false, "backends")
	tbl, ok := v.(map[string]any)
	if !ok {
		p.opaque["backends"] = true
		p.errorf(p.loc.keyPos("backends"), "backends must be a table of backends, not %s: write one [backends.NAME] table per backend", textutil.TOMLType(v))
		return
	}
	names := make([]string, 0, len(tbl))
	for name := range tbl {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if b := p.parseBackend(name, tbl[name]); b != nil {
			m.Backends = append(m.Backends, b)
		}
	}
}

// tableName returns how a table header for path is written.
func tableName(path ...string) string {
	return "[" + toml.Key(path).String() + "]"
}

// backendLabel names a backend in messages: bare when it is a bare key.
func backendLabel(name string) string {
	if tomlpos.IsBareKey(name) {
		return name
	}
	return fmt.Sprintf("%q", name)
}

func (p *parser) parseBackend(name string, v any) *Backend {
	p.use(false, "backends", name)
	hdr := p.loc.keyPos("backends", name)
	tbl, ok := v.(map[string]any)
	if !ok {
		p.opaque[pathKey([]string{"backends", name})] = true
		p.errorf(hdr, "backend %s must be a table, not %s: write %s followed by listen = \"127.0.0.1:8001\"", backendLabel(name), textutil.TOMLType(v), tableName("backends", name))
		return nil
	}
	b := &Backend{Name: name, Pos: hdr, Protocol: ProtocolHTTP}
	if name == "" {
		p.errorf(hdr, "backend name must not be empty: name the table, e.g. [backends.api]")
	}
	p.parseListen(b, tbl)
	if v, ok := tbl["protocol"]; ok {
		p.use(true, "backends", name, "protocol")
		pos := p.loc.valuePos("backends", name, "protocol")
		if s, ok := p.stringValue(pos, "protocol", v, "\"http\""); ok {
			proto, err := ParseProtocol(s)
			if err != nil {
				p.errorf(pos, "%s", err)
			} else {
				b.Protocol, b.ProtocolSet = proto, true
			}
		}
	}
	if v, ok := tbl["upstream"]; ok {
		p.use(true, "backends", name, "upstream")
		pos := p.loc.valuePos("backends", name, "upstream")
		if s, ok := p.stringValue(pos, "upstream", v, "\"api_pool\""); ok {
			if msg := checkUpstreamName(s); msg != "" {
				p.errorf(pos, "%s", msg)
			} else {
				b.Upstream, b.UpstreamPos = s, pos
			}
		}
	}
	b.IdleTimeout, b.IdleTimeoutPos = p.duration(tbl, name, "idle_timeout")
	b.MaxResponseTime, b.MaxResponseTimePos = p.duration(tbl, name, "max_response_time")
	return b
}

// stringValue checks that v is a string and reports an error at pos if not.
func (p *parser) stringValue(pos Position, key string, v any, example string) (string, bool) {
	s, ok := v.(string)
	if !ok {
		p.errorf(pos, "%s must be a string, not %s, e.g. %s = %s", key, textutil.TOMLType(v), key, example)
	}
	return s, ok
}

// checkUpstreamName returns why s cannot name an upstream block, or "".
func checkUpstreamName(s string) string {
	switch {
	case s == "":
		return "upstream must not be empty: name the nginx upstream block, e.g. upstream = \"api_pool\", or remove the key"
	case strings.IndexFunc(s, isSpaceOrControl) >= 0 || strings.ContainsAny(s, ";{}\"'$"):
		return fmt.Sprintf("upstream %q cannot be the name of an nginx upstream block; remove spaces, quotes and the characters ; { } $", s)
	case hasPrefixFold(s, "unix:") || strings.Contains(s, "/") || strings.Contains(s, ":"):
		return fmt.Sprintf("upstream %q looks like an address; write the name of the nginx upstream block (upstream NAME { ... }) instead, and put addresses in listen", s)
	}
	return ""
}

func (p *parser) duration(tbl map[string]any, name, key string) (time.Duration, Position) {
	v, ok := tbl[key]
	if !ok {
		return 0, Position{}
	}
	p.use(true, "backends", name, key)
	pos := p.loc.valuePos("backends", name, key)
	s, ok := p.stringValue(pos, key, v, "\"75s\"")
	if !ok {
		return 0, Position{}
	}
	d, ok := parseDuration(s)
	switch {
	case !ok:
		p.errorf(pos, "%s %q is not a valid duration; write it like \"75s\", \"1m30s\" or \"500ms\"", key, s)
		return 0, Position{}
	case d <= 0:
		p.errorf(pos, "%s %q must be greater than zero; remove the key if there is no limit", key, s)
		return 0, Position{}
	}
	return d, pos
}

func (p *parser) parseListen(b *Backend, tbl map[string]any) {
	path := []string{"backends", b.Name, "listen"}
	v, ok := tbl["listen"]
	if !ok {
		p.errorf(b.Pos, "backend %s has no listen address: add listen = \"127.0.0.1:8001\" (or \"unix:/run/app.sock\", or a list of addresses) to %s", backendLabel(b.Name), tableName("backends", b.Name))
		return
	}
	p.use(true, path...)
	var items []any
	var positions []Position
	switch v := v.(type) {
	case string:
		items, positions = []any{v}, []Position{p.loc.valuePos(path...)}
	case []any:
		if len(v) == 0 {
			p.errorf(p.loc.valuePos(path...), "listen must name at least one address, e.g. listen = [\"127.0.0.1:8001\"]")
			return
		}
		items = v
		for i := range v {
			positions = append(positions, p.loc.elemPos(i, path...))
		}
	default:
		p.errorf(p.loc.valuePos(path...), "listen must be a string or a list of strings, not %s, e.g. listen = \"127.0.0.1:8001\"", textutil.TOMLType(v))
		return
	}
	for i, item := range items {
		pos := positions[i]
		s, ok := item.(string)
		if !ok {
			p.errorf(pos, "listen must be a string or a list of strings; this entry is %s", textutil.TOMLType(item))
			continue
		}
		a, err := ParseListen(s)
		if err != nil {
			p.errorf(pos, "%s", err)
			continue
		}
		a.Pos = pos
		b.Listen = append(b.Listen, a)
	}
}

// checkDuplicates reports listen addresses that two backends would share,
// and addresses listed twice by one backend.
func (p *parser) checkDuplicates(m *Manifest) {
	type entry struct {
		b *Backend
		a Addr
	}
	var all []entry
	for _, b := range m.Backends {
		for _, a := range b.Listen {
			all = append(all, entry{b, a})
		}
	}
	slices.SortStableFunc(all, func(x, y entry) int { return comparePositions(x.a.Pos, y.a.Pos) })
	// Only addresses with the same port, or unix sockets with the same
	// path, can collide: compare within those groups.
	groups := map[string][]entry{}
	for _, cur := range all {
		group := "port " + strconv.Itoa(cur.a.Port)
		if cur.a.Unix {
			group = "unix " + cur.a.Path
		}
		earlier := groups[group]
		groups[group] = append(earlier, cur)
		for _, prev := range earlier {
			if prev.b == cur.b {
				if prev.a.String() == cur.a.String() {
					p.errorf(cur.a.Pos, "listen address %q is listed twice by backend %s (first at %s); remove one", cur.a.Raw, backendLabel(cur.b.Name), prev.a.Pos)
					break
				}
				continue
			}
			common := commonTarget(prev.a, cur.a)
			if common == nil {
				continue
			}
			var what string
			switch {
			case prev.a.String() == cur.a.String() && prev.a.Raw == cur.a.Raw:
				what = fmt.Sprintf("listen address %q is", cur.a.Raw)
			case prev.a.String() == cur.a.String():
				what = fmt.Sprintf("listen address %q is the same address as %q,", cur.a.Raw, prev.a.Raw)
				if cur.a.Unix && strings.Contains(cur.a.Raw+prev.a.Raw, "/var/run") {
					what = fmt.Sprintf("listen address %q is the same socket as %q (/var/run is a link to /run),", cur.a.Raw, prev.a.Raw)
				}
			default:
				what = fmt.Sprintf("listen address %q overlaps %q (both would accept connections to %s),", cur.a.Raw, prev.a.Raw, common)
			}
			p.errorf(cur.a.Pos, "%s also listed by backend %s at %s; each address can belong to one backend only", what, backendLabel(prev.b.Name), prev.a.Pos)
			break
		}
	}
}

// checkUnknownKeys reports keys the manifest format does not have.
func (p *parser) checkUnknownKeys(keys []toml.Key) {
next:
	for _, k := range keys {
		// Report the outermost key that was not read: for "foo.bar = 1"
		// that is "foo", which the TOML library does not list by itself.
		for n := 1; n <= len(k); n++ {
			pk := pathKey(k[:n])
			if p.opaque[pk] || p.reported[pk] {
				continue next
			}
			if !p.used[pk] {
				k = k[:n]
				break
			}
			if n == len(k) {
				continue next
			}
		}
		if len(k) == 0 {
			continue
		}
		p.reported[pathKey(k)] = true
		pos := p.loc.keyPos(k...)
		last := k[len(k)-1]
		parent := k[:len(k)-1]
		switch {
		case len(parent) == 0:
			p.errorf(pos, "unknown top-level key %q; known keys: %s", last, strings.Join(topKeys, ", "))
		case len(parent) == 1 && parent[0] == "nginx":
			p.errorf(pos, "unknown key %q in [nginx]; known keys: %s", last, strings.Join(nginxKeys, ", "))
		case len(parent) == 2 && parent[0] == "backends":
			p.errorf(pos, "unknown key %q in %s; known keys: %s", last, tableName(parent...), strings.Join(backendKeys, ", "))
		default:
			p.errorf(pos, "unknown key %q in %s; remove it", last, tableName(parent...))
		}
	}
}
