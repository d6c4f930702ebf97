package nginx

import (
	"fmt"
	"strings"
	"time"
)

// Protocol is the protocol a backend speaks, or that nginx speaks to it.
type Protocol string

// The protocols a backend may speak.
const (
	ProtocolHTTP      Protocol = "http"
	ProtocolHTTPS     Protocol = "https"
	ProtocolFastCGI   Protocol = "fastcgi"
	ProtocolUWSGI     Protocol = "uwsgi"
	ProtocolSCGI      Protocol = "scgi"
	ProtocolGRPC      Protocol = "grpc"
	ProtocolGRPCS     Protocol = "grpcs"
	ProtocolMemcached Protocol = "memcached"
	// ProtocolTCP is any protocol carried over a plain TCP stream: the
	// backends of stream{} proxies (databases, mail, ...).
	ProtocolTCP Protocol = "tcp"
)

// Protocols returns every valid protocol, in the order the documentation
// lists them.
func Protocols() []Protocol {
	return []Protocol{
		ProtocolHTTP, ProtocolHTTPS, ProtocolFastCGI, ProtocolUWSGI,
		ProtocolSCGI, ProtocolGRPC, ProtocolGRPCS, ProtocolMemcached, ProtocolTCP,
	}
}

// Valid reports whether p is one of [Protocols].
func (p Protocol) Valid() bool {
	for _, q := range Protocols() {
		if p == q {
			return true
		}
	}
	return false
}

// ParseProtocol returns the protocol named s, ignoring case.
func ParseProtocol(s string) (Protocol, error) {
	p := Protocol(strings.ToLower(s))
	if !p.Valid() {
		return "", fmt.Errorf("unknown protocol %q; valid protocols: %s", s, protocolList())
	}
	return p, nil
}

func protocolList() string {
	var names []string
	for _, p := range Protocols() {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}

// Dial says how a directive that connects to a backend reads its address
// argument (ngx_parse_url and the directive's own handling). The specs are
// in table.go, on the directives' entries.
type Dial struct {
	// Schemes are the URL schemes the directive accepts before the
	// address, compared ignoring case.
	Schemes []Scheme
	// SchemeRequired: the address must start with one of Schemes.
	SchemeRequired bool
	// Protocol is the protocol spoken when no scheme is written; "" where
	// the directive does not decide it (upstream server lines: the
	// directive that uses the upstream does; the stream context: plain
	// TCP).
	Protocol Protocol
	// URI: a URI may follow the address (http proxy_pass).
	URI bool
	// Vars: the argument may contain variables, evaluated per request.
	Vars bool
	// DefaultPort is the port when none is written and no scheme gives
	// one; 0 for none.
	DefaultPort int
	// PortRequired: the address must have a port (stream server lines).
	PortRequired bool
	// Upstream: a host written without a port may name an upstream
	// block. With neither a default port nor a port required, such a host
	// works only when it does.
	Upstream bool
	// ReadTimeout is the directive that bounds the wait between two reads
	// from the backend (proxy_read_timeout for proxy_pass); "" for server
	// lines, which take the one of the directive using the upstream.
	ReadTimeout string
	// DefaultReadTimeout is ReadTimeout's value when nothing sets it.
	DefaultReadTimeout time.Duration
	// SchemeFixes maps a scheme the directive refuses to the one meant:
	// ws:// is proxied over http://.
	SchemeFixes map[string]string

	schemeNames []string // the names of Schemes, filled in once
}

// Scheme is a URL scheme a directive accepts.
type Scheme struct {
	Name     string // without "://"
	Protocol Protocol
	Port     int // the default port; 0 for none
}

// SchemeNames returns the names of d's schemes, in order; nil when it
// takes none. The slice is shared: do not modify it.
func (d *Dial) SchemeNames() []string {
	if d.schemeNames == nil && len(d.Schemes) > 0 {
		return schemeNames(d.Schemes) // a Dial that is not the table's
	}
	return d.schemeNames
}

func schemeNames(schemes []Scheme) []string {
	var names []string
	for _, s := range schemes {
		names = append(names, s.Name)
	}
	return names
}

// The table's dial specs know their scheme names from the start.
func init() {
	for i := range table {
		for _, d := range []*Dial{table[i].Dial, table[i].StreamDial} {
			if d != nil {
				d.schemeNames = schemeNames(d.Schemes)
			}
		}
	}
}

// DialOf returns how the directive name reads its address in the stream
// context (stream true) or in http; nil when it dials nothing there.
func DialOf(name string, stream bool) *Dial {
	d := byName[name]
	switch {
	case d == nil:
		return nil
	case stream:
		return d.StreamDial
	}
	return d.Dial
}

// passDirectives are the http directives that send a request to a
// backend: those with a Dial allowed in a location, in table order.
var passDirectives = func() []string {
	var names []string
	for i := range table {
		if d := &table[i]; d.Dial != nil && d.Contexts&HTTPLocation != 0 {
			names = append(names, d.Name)
		}
	}
	return names
}()

// PassDirectives returns the http directives that send a request to a
// backend: proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass and
// memcached_pass, in that order.
func PassDirectives() []string { return append([]string(nil), passDirectives...) }

// IsPass reports whether name is one of [PassDirectives].
func IsPass(name string) bool {
	for _, p := range passDirectives {
		if p == name {
			return true
		}
	}
	return false
}

// dialList names the directives that dial, for messages: the pass
// directives, then the others (server), "a, b or c".
func dialList() string {
	names := PassDirectives()
	for i := range table {
		if d := &table[i]; (d.Dial != nil || d.StreamDial != nil) && !IsPass(d.Name) {
			names = append(names, d.Name)
		}
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
