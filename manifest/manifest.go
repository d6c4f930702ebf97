package manifest

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/internal/tomlpos"
	"github.com/nginxlint/nginxlint/lint/nginx"

	"github.com/BurntSushi/toml"
)

// Manifest is a parsed backend manifest. Lookups in it (Resolve,
// BackendAccepts, ByUpstream, IsExternal, Nearest) index it: it must not
// change after the first.
type Manifest struct {
	// Path is the file name the manifest was read from.
	Path string
	// Src is the manifest's text.
	Src string
	// Version is the nginx version of [nginx] version, "" if absent.
	Version string
	// VersionPos is where the version value was written.
	VersionPos Position
	// User is [nginx] user: the user nginx's worker processes run as,
	// for a tree without a user directive; "" when not given.
	User string
	// UserPos is where the user value was written.
	UserPos Position
	// Groups is [nginx] groups: every group nginx's worker user belongs
	// to (as "id -Gn USER" lists them), in the order written; GroupsSet
	// is true when the key was given, even as an empty list, so that a
	// rule can tell "no other group" from "not stated".
	Groups    []string
	GroupsSet bool
	// GroupsPos is where the groups value was written.
	GroupsPos Position
	// Compose is [nginx] compose: the Docker Compose service nginx runs
	// in, "FILE#SERVICE", FILE relative to the manifest's directory; ""
	// when not given. See [SplitLink].
	Compose string
	// ComposePos is where the compose value was written.
	ComposePos Position
	// PrivateDirs are [nginx] private_dirs: directories nginx's worker
	// user cannot enter (no search permission for it), so that it cannot
	// reach a unix socket below them. Each Path is absolute and cleaned
	// as socket paths are (/var/run is /run).
	PrivateDirs []Dir
	// External lists the hosts outside this machine that targets may point
	// at without being backends.
	External []External
	// Backends are the backends, sorted by Name.
	Backends []*Backend

	indexOnce sync.Once
	index     listenIndex
	nearCalls atomic.Int32
	nearOnce  sync.Once
	near      nearIndex
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
	// ProtocolPos is where the protocol value was written.
	ProtocolPos Position
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
	// Fixed is true when the host names the backend listens on always
	// stand for the same address (fixed = true): nginx resolving them only
	// when it starts or reloads is then no problem.
	Fixed bool
	// FixedPos is where the fixed value was written.
	FixedPos Position
	// App names the app configuration that binds the backend: "FILE"
	// or "FILE#NAME" (a pool, a service, a unit of a file holding
	// several), FILE relative to the manifest's directory; "" when not
	// given. See [SplitLink].
	App string
	// AppPos is where the app value was written.
	AppPos Position
}

// Dir is a directory the manifest names, with where it was written.
type Dir struct {
	Path string
	Pos  Position
}

// SplitLink splits a link to an app configuration, as the app and
// compose keys write it, into the file and the name after '#' ("" when
// there is none).
func SplitLink(s string) (file, name string) {
	file, name, _ = strings.Cut(s, "#")
	return file, name
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
	m.indexOnce.Do(m.buildIndex)
	if !m.index.upstreamNonASCII && isASCII(name) {
		// Two ASCII names are equal under Unicode case folding when they
		// are equal in lower case.
		return slices.Clone(m.index.byUpstream[strings.ToLower(name)])
	}
	var out []*Backend
	for _, b := range m.Backends {
		if b.Upstream != "" && strings.EqualFold(b.Upstream, name) {
			out = append(out, b)
		}
	}
	return out
}

// isASCII reports whether s is ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
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
	nginxKeys   = []string{"version", "user", "groups", "compose", "private_dirs"}
	backendKeys = []string{"listen", "protocol", "upstream", "idle_timeout", "max_response_time", "fixed", "app"}
)

// Parse parses and validates a manifest; filename is used in positions.
//
// All problems found are returned together as an [ErrorList] sorted by
// position. When the text is valid TOML, Parse also returns the manifest
// built from the parts that were valid, so callers may go on with it; on a
// TOML syntax error it returns a nil manifest.
func Parse(filename string, data []byte) (*Manifest, error) {
	src := string(data)
	m, errs, ok := parsePlain(filename, src)
	if !ok {
		m, errs = parseTOML(filename, src)
	}
	if m != nil {
		m.Src = src
	}
	if len(errs) == 0 {
		return m, nil
	}
	return m, errs
}

// parseTOML is Parse for any text: the TOML library decodes it and a
// locator finds the positions.
func parseTOML(filename, src string) (*Manifest, ErrorList) {
	loc := newLocator(filename, src)
	if off, msg, bad := tooComplex(src); bad {
		return nil, ErrorList{{Pos: loc.position(off), Msg: msg}}
	}
	var root any
	md, err := decodeTOML(src, &root)
	if err != nil {
		return nil, ErrorList{syntaxError(loc, len(src), err)}
	}
	p := &parser{
		file:     filename,
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
	p.errs.Sort()
	return m, p.errs
}

// decodeTOML runs the TOML decoder, turning a failure inside it into an
// error so that no input can crash the caller.
func decodeTOML(src string, v any) (md toml.MetaData, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the TOML decoder failed on this input: %v", r)
		}
	}()
	return toml.Decode(src, v)
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

// parser collects what Parse finds. The checks of single values are
// shared by the two readers, parseTOML and parsePlain; the first also
// tracks which keys were read, to report the others.
type parser struct {
	file string
	// loc is nil in parsePlain, which finds positions itself.
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
	for _, key := range nginxKeys {
		v, ok := tbl[key]
		if !ok {
			continue
		}
		p.use(true, "nginx", key)
		p.nginxValue(m, key, v, p.loc.valuePos("nginx", key), func(i int) Position { return p.loc.elemPos(i, "nginx", key) })
	}
}

// nginxValue checks the value v, written at pos, of key of the [nginx]
// table; elem gives where element i of an array value is written.
func (p *parser) nginxValue(m *Manifest, key string, v any, pos Position, elem func(int) Position) {
	switch key {
	case "version":
		p.nginxVersion(m, v, pos)
	case "user":
		s, ok := p.stringValue(pos, "user", v, "\"www-data\"")
		if !ok {
			return
		}
		if msg := checkUserName("user", s); msg != "" {
			p.errorf(pos, "%s", msg)
			return
		}
		m.User, m.UserPos = s, pos
	case "groups":
		list, ok := p.stringList(pos, "groups", v, elem, "[\"www-data\"]")
		if !ok {
			return
		}
		m.Groups, m.GroupsSet, m.GroupsPos = []string{}, true, pos
		for i, g := range list {
			switch {
			case g.err != "":
			case checkUserName("group", g.s) != "":
				p.errorf(elem(i), "%s", checkUserName("group", g.s))
			case slices.Contains(m.Groups, g.s):
				p.errorf(elem(i), "group %q is listed twice; remove one", g.s)
			default:
				m.Groups = append(m.Groups, g.s)
			}
		}
	case "compose":
		s, ok := p.stringValue(pos, "compose", v, "\"compose.yaml#nginx\"")
		if !ok {
			return
		}
		if msg := checkLink("compose", s, true); msg != "" {
			p.errorf(pos, "%s", msg)
			return
		}
		m.Compose, m.ComposePos = s, pos
	case "private_dirs":
		list, ok := p.stringList(pos, "private_dirs", v, elem, "[\"/home/deploy\"]")
		if !ok {
			return
		}
		for i, d := range list {
			if d.err != "" {
				continue
			}
			if msg := checkDir(d.s); msg != "" {
				p.errorf(elem(i), "%s", msg)
				continue
			}
			m.PrivateDirs = append(m.PrivateDirs, Dir{Path: nginx.CleanSocketPath(d.s), Pos: elem(i)})
		}
	}
}

// listItem is an element of a list of strings: the string, or why it
// is not one (already reported).
type listItem struct {
	s   string
	err string
}

// stringList checks that v, written at pos, is a list of strings, and
// reports an error at pos if not, or at each element that is not a
// string; example is a list to write instead.
func (p *parser) stringList(pos Position, key string, v any, elem func(int) Position, example string) ([]listItem, bool) {
	list, ok := v.([]any)
	if !ok {
		p.errorf(pos, "%s must be a list of strings, not %s, e.g. %s = %s", key, textutil.TOMLType(v), key, example)
		return nil, false
	}
	out := make([]listItem, len(list))
	for i, item := range list {
		s, ok := item.(string)
		if !ok {
			out[i].err = "not a string"
			p.errorf(elem(i), "%s must be a list of strings; this entry is %s", key, textutil.TOMLType(item))
			continue
		}
		out[i].s = s
	}
	return out, true
}

// checkUserName returns why s cannot name a user or group (what is
// "user" or "group"), or "".
func checkUserName(what, s string) string {
	switch {
	case s == "":
		return fmt.Sprintf("%s must not be empty: name the %s, e.g. \"www-data\"", what, what)
	case strings.IndexFunc(s, isSpaceOrControl) >= 0 || strings.ContainsAny(s, ":/,;\"'#"):
		return fmt.Sprintf("%s %q cannot be a %s name; write the name alone, e.g. \"www-data\"", what, s, what)
	}
	return ""
}

// checkLink returns why s, the value of key (app or compose), cannot
// name an app configuration, or "": FILE or FILE#NAME, FILE relative to
// the manifest's directory; named requires the #NAME.
func checkLink(key, s string, named bool) string {
	file, name := SplitLink(s)
	example := "\"deploy/gunicorn.conf.py\" or \"compose.yaml#api\""
	if key == "compose" {
		example = "\"compose.yaml#nginx\""
	}
	switch {
	case s == "":
		return fmt.Sprintf("%s must not be empty: name the file, e.g. %s = %s, or remove the key", key, key, example)
	case strings.IndexFunc(s, isControl) >= 0:
		return fmt.Sprintf("%s %q contains a control character; remove it", key, s)
	case file == "":
		return fmt.Sprintf("%s %q names no file before '#'; write FILE#NAME, e.g. %s = %s", key, s, key, example)
	case strings.HasPrefix(file, "/") || strings.HasPrefix(file, "\\") || len(file) > 1 && file[1] == ':':
		return fmt.Sprintf("%s %q is an absolute path: nginxlint reads the repository, never the host; write the path relative to the manifest's directory", key, s)
	case strings.Contains(name, "#"):
		return fmt.Sprintf("%s %q has more than one '#'; write FILE#NAME", key, s)
	case strings.Contains(s, "#") && name == "":
		return fmt.Sprintf("%s %q has an empty name after '#'; name the app, or remove the '#'", key, s)
	case named && name == "":
		return fmt.Sprintf("%s %q does not name the service; write FILE#SERVICE, e.g. %s = %s", key, s, key, example)
	}
	return ""
}

// isControl reports whether r is a control character.
func isControl(r rune) bool { return r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0 }

// checkDir returns why s cannot be an entry of private_dirs, or "".
func checkDir(s string) string {
	switch {
	case s == "":
		return "private_dirs entries must not be empty: write an absolute directory, e.g. \"/home/deploy\""
	case strings.IndexFunc(s, isControl) >= 0:
		return fmt.Sprintf("private_dirs entry %q contains a control character; remove it", s)
	case !strings.HasPrefix(s, "/"):
		return fmt.Sprintf("private_dirs entry %q is relative; write the absolute directory on the host, e.g. \"/home/deploy\"", s)
	case nginx.CleanSocketPath(s) == "/":
		return "private_dirs entry \"/\" would make every socket unreachable; name the directories nginx's user cannot enter"
	}
	return ""
}

// nginxVersion checks the value of [nginx] version, written at pos.
func (p *parser) nginxVersion(m *Manifest, ver any, pos Position) {
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
		p.externalNotList(v, p.loc.valuePos("external"))
		return
	}
	for i, item := range list {
		pos := p.loc.elemPos(i, "external")
		s, ok := item.(string)
		if !ok {
			p.errorf(pos, "external entries must be strings, not %s: write host names, *.wildcards, CIDR ranges or host:port in quotes", textutil.TOMLType(item))
			continue
		}
		p.externalEntry(m, s, pos)
	}
}

// externalNotList reports an external value v, written at pos, that is
// not an array.
func (p *parser) externalNotList(v any, pos Position) {
	p.errorf(pos, "external must be a list of strings, not %s, e.g. external = [\"api.stripe.com\", \"10.0.0.0/8\"]", textutil.TOMLType(v))
}

// externalEntry checks the external entry s, written at pos.
func (p *parser) externalEntry(m *Manifest, s string, pos Position) {
	e, err := ParseExternal(s)
	if err != nil {
		p.errorf(pos, "%s", err)
		return
	}
	e.Pos = pos
	m.External = append(m.External, e)
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
	b := p.newBackend(name, hdr)
	p.parseListen(b, tbl)
	for _, key := range backendKeys {
		if v, ok := tbl[key]; ok && key != "listen" {
			p.use(true, "backends", name, key)
			p.backendValue(b, key, v, p.loc.valuePos("backends", name, key))
		}
	}
	return b
}

// newBackend starts the backend name defined at hdr.
func (p *parser) newBackend(name string, hdr Position) *Backend {
	if name == "" {
		p.errorf(hdr, "backend name must not be empty: name the table, e.g. [backends.api]")
	}
	return &Backend{Name: name, Pos: hdr, Protocol: ProtocolHTTP}
}

// backendValue checks the value v, written at pos, of key of a backend
// table; key is one of backendKeys but listen.
func (p *parser) backendValue(b *Backend, key string, v any, pos Position) {
	if key == "fixed" {
		p.backendFixed(b, v, pos)
		return
	}
	if s, ok := p.stringValue(pos, key, v, backendExamples[key]); ok {
		p.backendString(b, key, s, pos)
	}
}

// backendExamples are the example values that messages about a backend
// value of the wrong type give.
var backendExamples = map[string]string{
	"protocol":          "\"http\"",
	"upstream":          "\"api_pool\"",
	"idle_timeout":      "\"75s\"",
	"max_response_time": "\"75s\"",
	"app":               "\"deploy/gunicorn.conf.py\"",
}

// backendString checks the string s, written at pos, set for key of a
// backend table; key is one of backendKeys but listen (fixed, which
// takes a boolean, is refused).
func (p *parser) backendString(b *Backend, key, s string, pos Position) {
	switch key {
	case "protocol":
		proto, err := ParseProtocol(s)
		if err != nil {
			p.errorf(pos, "%s", err)
		} else {
			b.Protocol, b.ProtocolSet, b.ProtocolPos = proto, true, pos
		}
	case "upstream":
		if msg := checkUpstreamName(s); msg != "" {
			p.errorf(pos, "%s", msg)
		} else {
			b.Upstream, b.UpstreamPos = s, pos
		}
	case "idle_timeout":
		b.IdleTimeout, b.IdleTimeoutPos = p.duration(key, s, pos)
	case "max_response_time":
		b.MaxResponseTime, b.MaxResponseTimePos = p.duration(key, s, pos)
	case "fixed":
		p.backendFixed(b, s, pos)
	case "app":
		if msg := checkLink("app", s, false); msg != "" {
			p.errorf(pos, "%s", msg)
		} else {
			b.App, b.AppPos = s, pos
		}
	}
}

// backendFixed checks the value v, written at pos, of a backend's fixed
// key: a boolean.
func (p *parser) backendFixed(b *Backend, v any, pos Position) {
	f, ok := v.(bool)
	if !ok {
		p.errorf(pos, "fixed must be true or false, not %s, e.g. fixed = true", textutil.TOMLType(v))
		return
	}
	b.Fixed, b.FixedPos = f, pos
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

// duration checks the duration s, written at pos, of key.
func (p *parser) duration(key, s string, pos Position) (time.Duration, Position) {
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
		p.noListen(b)
		return
	}
	p.use(true, path...)
	switch v := v.(type) {
	case string:
		p.listenEntry(b, v, p.loc.valuePos(path...), 1)
	case []any:
		if len(v) == 0 {
			p.emptyListen(p.loc.valuePos(path...))
			return
		}
		positions := make([]Position, len(v))
		for i := range v {
			positions[i] = p.loc.elemPos(i, path...)
		}
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				p.errorf(positions[i], "listen must be a string or a list of strings; this entry is %s", textutil.TOMLType(item))
				continue
			}
			p.listenEntry(b, s, positions[i], len(v))
		}
	default:
		p.errorf(p.loc.valuePos(path...), "listen must be a string or a list of strings, not %s, e.g. listen = \"127.0.0.1:8001\"", textutil.TOMLType(v))
	}
}

// noListen reports a backend without a listen key.
func (p *parser) noListen(b *Backend) {
	p.errorf(b.Pos, "backend %s has no listen address: add listen = \"127.0.0.1:8001\" (or \"unix:/run/app.sock\", or a list of addresses) to %s", backendLabel(b.Name), tableName("backends", b.Name))
}

// emptyListen reports an empty listen array written at pos.
func (p *parser) emptyListen(pos Position) {
	p.errorf(pos, "listen must name at least one address, e.g. listen = [\"127.0.0.1:8001\"]")
}

// listenEntry checks the listen address s, written at pos, and adds it
// to b; n is the number of addresses of the listen value.
func (p *parser) listenEntry(b *Backend, s string, pos Position, n int) {
	a, err := ParseListen(s)
	if err != nil {
		p.errorf(pos, "%s", err)
		return
	}
	a.Pos = pos
	if b.Listen == nil {
		b.Listen = make([]Addr, 0, n)
	}
	b.Listen = append(b.Listen, a)
}

// checkDuplicates reports listen addresses that two backends would share,
// and addresses listed twice by one backend.
//
// Each address is compared with those written before it (by position)
// and reported at the first conflict. Only addresses with the same port,
// or unix sockets with the same path, can collide, so the addresses are
// sorted into such groups, each in the order they were written; within a
// group of more than a few, a dupIndex finds the first conflict without
// trying every address written before.
func (p *parser) checkDuplicates(m *Manifest) {
	n := 0
	for _, b := range m.Backends {
		n += len(b.Listen)
	}
	all := make([]dupEntry, 0, n)
	for _, b := range m.Backends {
		for i := range b.Listen {
			all = append(all, dupEntry{b: b, a: &b.Listen[i], i: len(all)})
		}
	}
	slices.SortFunc(all, func(x, y dupEntry) int {
		if c := compareListenGroups(x.a, y.a); c != 0 {
			return c
		}
		if c := comparePositions(x.a.Pos, y.a.Pos); c != 0 {
			return c
		}
		return x.i - y.i
	})
	for start := 0; start < len(all); {
		end := start + 1
		for end < len(all) && compareListenGroups(all[start].a, all[end].a) == 0 {
			end++
		}
		group := all[start:end]
		start = end
		if len(group) <= smallBucket {
			for j := range group {
				cur := &group[j]
				for k := range group[:j] {
					if prev := &group[k]; p.checkDuplicate(prev.b, cur.b, *prev.a, *cur.a) {
						break
					}
				}
			}
			continue
		}
		x := dupIndex{group: group, firsts: make(map[dupKey]firstTwo, 2*len(group))}
		for j := range group {
			cur := &group[j]
			if k := x.conflict(cur); k >= 0 {
				prev := &group[k]
				p.checkDuplicate(prev.b, cur.b, *prev.a, *cur.a)
			}
			x.add(int32(j), cur)
		}
	}
}

// dupEntry is a listen address of a backend, for checkDuplicates.
type dupEntry struct {
	b *Backend
	a *Addr
	i int // the order of m.Backends and their Listen, for ties
}

// dupIndex finds, for each address of a group of checkDuplicates in
// turn, the first address before it that checkDuplicate reports it
// against: one of the same backend written the same way, or one of
// another backend with a target in common (commonTarget). Addresses are
// filed under what they bind: their socket path, or a host (an IP
// address or a name) of their port, 0.0.0.0 (every IPv4 address) or [::]
// (every address); and under the classes of addresses that 0.0.0.0 and
// [::] collide with.
type dupIndex struct {
	group  []dupEntry
	firsts map[dupKey]firstTwo
	// str is the text of the address conflict looked at last.
	str string
}

// The kinds of dupKey.
const (
	dupExact = iota // the address binds host ip or name (or is a socket)
	dupAll4         // the address is 0.0.0.0
	dupAll6         // the address is [::]
	dupAny4         // the address accepts an IPv4 address: 0.0.0.0, [::] or an IPv4 address
	dupAnyIP        // the address binds an IP address, 0.0.0.0 and [::] included
	dupSame         // the address is written name by backend b
)

// dupKey is what addresses are filed under in a group: all have the same
// port, or the same socket path.
type dupKey struct {
	kind int
	ip   netip.Addr
	name string
	b    *Backend
}

// firstTwo holds the first address filed under a key and the first of
// another backend than that one's; -1 where there is none.
type firstTwo struct{ first, other int32 }

// notOf returns the first address of f that is not of backend b, -1 if
// none.
func (x *dupIndex) notOf(f firstTwo, b *Backend) int32 {
	if f.first >= 0 && x.group[f.first].b != b {
		return f.first
	}
	return f.other
}

// file files address j under k.
func (x *dupIndex) file(k dupKey, j int32) {
	f, ok := x.firsts[k]
	switch {
	case !ok:
		f = firstTwo{j, -1}
	case f.other < 0 && x.group[f.first].b != x.group[j].b:
		f.other = j
	default:
		return
	}
	x.firsts[k] = f
}

// filed reports whether an address is filed under k.
func (x *dupIndex) filed(k dupKey) bool {
	_, ok := x.firsts[k]
	return ok
}

// add files address j, after conflict looked at it.
func (x *dupIndex) add(j int32, e *dupEntry) {
	a := e.a
	if k := (dupKey{kind: dupSame, b: e.b, name: x.str}); !x.filed(k) {
		x.firsts[k] = firstTwo{j, -1}
	}
	if a.Unix {
		x.file(dupKey{kind: dupExact}, j)
		return
	}
	if a.Port == 0 {
		return // as commonTarget: port 0 collides with nothing
	}
	ends := bindEndpoints(a)
	for _, f := range ends.list() {
		switch {
		case f.ip == unspecified:
			x.file(dupKey{kind: dupAll4}, j)
			x.file(dupKey{kind: dupAny4}, j)
			x.file(dupKey{kind: dupAnyIP}, j)
		case f.ip == unspec6:
			x.file(dupKey{kind: dupAll6}, j)
			x.file(dupKey{kind: dupAny4}, j)
			x.file(dupKey{kind: dupAnyIP}, j)
		case f.ip.IsValid():
			x.file(dupKey{kind: dupExact, ip: f.ip}, j)
			if f.ip.Is4() {
				x.file(dupKey{kind: dupAny4}, j)
			}
			x.file(dupKey{kind: dupAnyIP}, j)
		case f.name != "":
			x.file(dupKey{kind: dupExact, name: f.name}, j)
		}
	}
}

// conflict returns the first address filed so far that checkDuplicate
// reports e against, -1 if none.
func (x *dupIndex) conflict(e *dupEntry) int {
	a := e.a
	x.str = a.String()
	best := int32(-1)
	earliest := func(j int32) {
		if j >= 0 && (best < 0 || j < best) {
			best = j
		}
	}
	if f, ok := x.firsts[dupKey{kind: dupSame, b: e.b, name: x.str}]; ok {
		earliest(f.first)
	}
	lookup := func(k dupKey) {
		if f, ok := x.firsts[k]; ok {
			earliest(x.notOf(f, e.b))
		}
	}
	switch {
	case a.Unix:
		lookup(dupKey{kind: dupExact})
	case a.Port == 0:
	default:
		ends := bindEndpoints(a)
		for _, f := range ends.list() {
			switch {
			case f.ip == unspecified:
				lookup(dupKey{kind: dupAny4})
			case f.ip == unspec6:
				lookup(dupKey{kind: dupAnyIP})
			case f.ip.IsValid():
				lookup(dupKey{kind: dupExact, ip: f.ip})
				if f.ip.Is4() {
					lookup(dupKey{kind: dupAll4})
				}
				lookup(dupKey{kind: dupAll6})
			case f.name != "":
				lookup(dupKey{kind: dupExact, name: f.name})
			}
		}
	}
	return int(best)
}

// compareListenGroups orders listen addresses by the group they can
// collide in: TCP addresses by port, unix sockets by path.
func compareListenGroups(a, b *Addr) int {
	switch {
	case a.Unix != b.Unix:
		if a.Unix {
			return 1
		}
		return -1
	case a.Unix:
		return strings.Compare(a.Path, b.Path)
	}
	return cmp.Compare(a.Port, b.Port)
}

// checkDuplicate reports cur, listened on by backend curB, if it
// conflicts with prev, listened on by prevB and written before it. It
// reports whether it did.
func (p *parser) checkDuplicate(prevB, curB *Backend, prev, cur Addr) bool {
	if prevB == curB {
		if prev.String() == cur.String() {
			p.errorf(cur.Pos, "listen address %q is listed twice by backend %s (first at %s); remove one", cur.Raw, backendLabel(curB.Name), prev.Pos)
			return true
		}
		return false
	}
	common := commonTarget(prev, cur)
	if common == nil {
		return false
	}
	var what string
	switch {
	case prev.String() == cur.String() && prev.Raw == cur.Raw:
		what = fmt.Sprintf("listen address %q is", cur.Raw)
	case prev.String() == cur.String():
		what = fmt.Sprintf("listen address %q is the same address as %q,", cur.Raw, prev.Raw)
		if cur.Unix && strings.Contains(cur.Raw+prev.Raw, "/var/run") {
			what = fmt.Sprintf("listen address %q is the same socket as %q (/var/run is a link to /run),", cur.Raw, prev.Raw)
		}
	default:
		what = fmt.Sprintf("listen address %q overlaps %q (both would accept connections to %s),", cur.Raw, prev.Raw, common)
	}
	p.errorf(cur.Pos, "%s also listed by backend %s at %s; each address can belong to one backend only", what, backendLabel(prevB.Name), prev.Pos)
	return true
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
		p.unknownKey(k, p.loc.keyPos(k...))
	}
}

// unknownKey reports the key path k, written at pos, that the manifest
// format does not have.
func (p *parser) unknownKey(k []string, pos Position) {
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
