package manifest

import (
	"strings"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// Protocol is the protocol a backend speaks, or that nginx speaks to it:
// [nginx.Protocol].
type Protocol = nginx.Protocol

// The protocols a backend may speak; see lint/nginx.
const (
	ProtocolHTTP      = nginx.ProtocolHTTP
	ProtocolHTTPS     = nginx.ProtocolHTTPS
	ProtocolFastCGI   = nginx.ProtocolFastCGI
	ProtocolUWSGI     = nginx.ProtocolUWSGI
	ProtocolSCGI      = nginx.ProtocolSCGI
	ProtocolGRPC      = nginx.ProtocolGRPC
	ProtocolGRPCS     = nginx.ProtocolGRPCS
	ProtocolMemcached = nginx.ProtocolMemcached
	ProtocolTCP       = nginx.ProtocolTCP
)

// Protocols returns every valid protocol, in the order the documentation
// lists them.
func Protocols() []Protocol { return nginx.Protocols() }

// ParseProtocol returns the protocol named s, ignoring case.
func ParseProtocol(s string) (Protocol, error) { return nginx.ParseProtocol(s) }

// Target is an nginx directive's target as [nginx.ParseTarget] reads it,
// with its address as an [Addr] the manifest resolves. The fields mean
// what those of [nginx.Target] do, but for an argument with variables
// (HasVars): see [ParseTargetVars]. Addr.Pos is always zero.
type Target struct {
	Addr          Addr
	Protocol      Protocol
	Scheme        string
	Name          string
	PortDefaulted bool
	HasVars       bool
}

// ParseTarget reads the address in the first argument of an nginx
// directive: dir is a pass directive or server, stream is true in the
// stream{} context. See [nginx.ParseTarget]; an argument with variables
// is read as [ParseTargetVars] reads it, knowing only nginx's own
// variables.
func ParseTarget(dir string, arg string, stream bool) (Target, error) {
	return ParseTargetVars(dir, arg, stream, nil)
}

// ParseTargetVars is ParseTarget, where user says what the variables the
// configuration defines begin with (see [nginx.TextStart]; nil: nothing
// is known of them).
//
// nginx evaluates an argument with variables per request, so
// [nginx.ParseTarget] reads only its scheme. Its address is known all the
// same where nginx reads the same one whatever the variables hold, which
// is only in an http proxy_pass with a literal scheme (the other pass
// directives take no URI: what follows the address is part of it):
//
//   - a "/" or "?" written before the first variable ends the host and
//     port: "http://pool/$1", "http://127.0.0.1:8000/api$uri";
//   - what follows the host begins with "/" or "?" whatever the variables
//     hold: "http://pool$request_uri", "http://pool$is_args$args", or
//     "http://octane$suffix" where the configuration sets $suffix only to
//     "" or "?$query_string";
//   - a unix socket's path ends at the first ":" written after it:
//     "http://unix:/run/app.sock:$request_uri".
//
// Addr, Name and PortDefaulted are then those of the argument cut there
// ("http://pool"): a Name that names an upstream block is that block, for
// nginx looks the evaluated host up among its upstream blocks on each
// request (ngx_http_upstream_init_request) as it does when it reads a
// literal one, by name, case-insensitively, and only when no port is
// written. Otherwise Addr holds just Raw and Name is "": in
// "http://pool$suffix", a $suffix of "x" makes the host "poolx", and one
// of ":8080/" gives pool a port, with which nginx takes it for a host
// name to resolve, not for the upstream block.
func ParseTargetVars(dir string, arg string, stream bool, user func(name string) nginx.VarStart) (Target, error) {
	t, err := nginx.ParseTarget(dir, arg, stream)
	if err != nil {
		return Target{}, err
	}
	if t.HasVars {
		if lt, ok := literalAddress(dir, t, stream, user); ok {
			t.Addr, t.Name, t.PortDefaulted = lt.Addr, lt.Name, lt.PortDefaulted
		}
	}
	return Target{
		Addr:     Addr{Addr: t.Addr},
		Protocol: t.Protocol, Scheme: t.Scheme, Name: t.Name,
		PortDefaulted: t.PortDefaulted, HasVars: t.HasVars,
	}, nil
}

// literalAddress returns, for a target t with variables, the address
// nginx dials whatever the variables hold, read from the argument cut
// where the address certainly ends; ok is false when there is none (see
// ParseTargetVars).
func literalAddress(dir string, t nginx.Target, stream bool, user func(string) nginx.VarStart) (lt nginx.Target, ok bool) {
	spec := nginx.DialOf(dir, stream)
	if spec == nil || !spec.URI || t.Scheme == "" {
		return nginx.Target{}, false
	}
	rest := t.Addr.Raw // the argument after the scheme
	v := strings.IndexByte(rest, '$')
	if v < 0 {
		return nginx.Target{}, false
	}
	lit := rest[:v]
	end := -1
	switch {
	case hasPrefixFold(lit, "unix:"):
		// ngx_parse_unix_domain_url: the path runs to the first ":".
		if i := strings.IndexByte(lit[len("unix:"):], ':'); i >= 0 {
			end = len("unix:") + i
		}
	case strings.HasPrefix(lit, "["):
		// ngx_parse_inet6_url: only a "/" ends the address.
		end = strings.IndexByte(lit, '/')
	default:
		// ngx_parse_inet_url: the host and port run to the first "/" or
		// "?".
		end = strings.IndexAny(lit, "/?")
		if end < 0 && nginx.TextStart(rest[v:], user) != nginx.VarStartsAny {
			end = v
		}
	}
	if end < 0 {
		return nginx.Target{}, false
	}
	lt, err := nginx.ParseTarget(dir, t.Scheme+"://"+rest[:end], stream)
	if err != nil {
		return nginx.Target{}, false // nginx fails on every value of the variables
	}
	return lt, true
}
