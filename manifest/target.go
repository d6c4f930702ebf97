package manifest

import "github.com/nginxlint/nginxlint/lint/nginx"

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
// what those of [nginx.Target] do; Addr.Pos is always zero.
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
// stream{} context. See [nginx.ParseTarget].
func ParseTarget(dir string, arg string, stream bool) (Target, error) {
	t, err := nginx.ParseTarget(dir, arg, stream)
	if err != nil {
		return Target{}, err
	}
	return Target{
		Addr:     Addr{Addr: t.Addr},
		Protocol: t.Protocol, Scheme: t.Scheme, Name: t.Name,
		PortDefaulted: t.PortDefaulted, HasVars: t.HasVars,
	}, nil
}
