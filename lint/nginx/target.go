package nginx

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Target is the address part of an nginx directive's argument, read the way
// nginx reads it (ngx_parse_url and the directive's own handling, which
// the directive's [Dial] spec describes).
type Target struct {
	// Addr is the address nginx connects to. Addr.Raw holds the address as
	// written, without scheme or URI. Addr.Port is 0 when no port was written
	// and the directive has no default port; such a target only works when
	// Name names an upstream block.
	Addr Addr
	// Protocol is the protocol nginx speaks: from the scheme (http://,
	// https://, grpc://, grpcs://) or from the directive (fastcgi_pass speaks
	// fastcgi, and so on). It is "" where nginx does not decide the
	// protocol: upstream server lines (the directive that uses the upstream
	// does), the stream context (plain TCP), and proxy_pass URLs whose
	// scheme is a variable.
	Protocol Protocol
	// Scheme is the scheme as written, without "://"; "" when there is none.
	Scheme string
	// Name is the host as written, when no port was written and the
	// argument may therefore name an upstream block (nginx looks up
	// upstream names case-insensitively). It is "" for unix sockets, for
	// upstream server lines and when HasVars is true.
	Name string
	// PortDefaulted is true when no port was written and nginx uses the
	// directive's default: 80 for http:// and upstream server lines, 443
	// for https://.
	PortDefaulted bool
	// HasVars is true when the argument contains '$'. nginx then evaluates
	// it per request, so only the scheme is read and Addr holds just Raw.
	HasVars bool
}

// ParseTarget reads the address in the first argument of an nginx
// directive. dir is proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass,
// grpc_pass, memcached_pass or server (an upstream server line, of which
// only the address argument is passed); stream is true inside the stream{}
// context, where only proxy_pass and server exist. How each reads its
// argument is its [Dial] spec ([DialOf]).
//
// Forms read: "http://127.0.0.1:8000/uri", "https://host" (port 443),
// "http://[::1]:8000", "http://unix:/run/app.sock:/uri", "unix:/run/x.sock"
// (and unix:///run/x.sock, the same socket),
// "127.0.0.1:9000", "[::1]:9000", "localhost:9000", a bare upstream name,
// and arguments with variables ("http://$backend"). Schemes and host names
// are case-insensitive.
func ParseTarget(dir string, arg string, stream bool) (Target, error) {
	spec := DialOf(dir, stream)
	if spec == nil {
		if DialOf(dir, false) != nil && stream {
			return Target{}, fmt.Errorf("%s is not available in the stream context; use proxy_pass", dir)
		}
		context := "http"
		if stream {
			context = "stream"
		}
		return Target{}, fmt.Errorf("unsupported directive %q in the %s context: expected %s", dir, context, dialList())
	}
	fail := func(format string, args ...any) (Target, error) {
		return Target{}, fmt.Errorf("%s %q: %s", dir, arg, fmt.Sprintf(format, args...))
	}
	if arg == "" {
		return fail("the address is empty")
	}

	t := Target{Protocol: spec.Protocol}
	rest := arg
	defaultPort := spec.DefaultPort
	schemeFound := false
	for _, s := range spec.Schemes {
		if hasPrefixFold(rest, s.Name+"://") {
			t.Scheme = rest[:len(s.Name)]
			t.Protocol = s.Protocol
			defaultPort = s.Port
			rest = rest[len(s.Name)+len("://"):]
			schemeFound = true
			break
		}
	}
	hasVars := strings.Contains(arg, "$")
	if hasVars && !spec.Vars {
		return fail("%s cannot use variables here; nginx reads %q literally as an address", dir, arg)
	}
	if !schemeFound && !hasVars {
		i := -1
		if !hasPrefixFold(rest, "unix:") {
			// ngx_parse_url reads all that follows "unix:" as the socket
			// path: in unix:///run/app.sock, "//" is part of the path (the
			// kernel reads "///run" as "/run"), not a scheme's.
			i = strings.Index(rest, "://")
		}
		if i >= 0 || spec.SchemeRequired {
			return fail("%s", schemeHint(dir, stream, spec, rest, i))
		}
	}
	if hasVars {
		if !schemeFound && spec.SchemeRequired {
			t.Protocol = ""
		}
		t.HasVars = true
		t.Addr = Addr{Raw: rest}
		return t, nil
	}

	a, explicitPort, err := parseNginxAddr(rest, spec.URI)
	if err != nil {
		return fail("%s", err)
	}
	if !a.Unix && !explicitPort {
		if spec.Upstream {
			t.Name = a.Raw
		}
		switch {
		case defaultPort != 0:
			a.Port = defaultPort
			t.PortDefaulted = true
		case spec.PortRequired:
			return fail("an upstream server in the stream context needs a port, e.g. %q", a.Raw+":12345")
		}
	}
	t.Addr = a
	return t, nil
}

// schemeHint explains a missing or unsupported scheme.
func schemeHint(dir string, stream bool, spec *Dial, rest string, i int) string {
	var allowed []string
	for _, s := range spec.Schemes {
		allowed = append(allowed, s.Name+"://")
	}
	switch {
	case spec.SchemeRequired && i < 0:
		return fmt.Sprintf(`the address needs an "http://" or "https://" prefix, e.g. "http://%s"`, rest)
	case spec.SchemeRequired:
		return fmt.Sprintf("the scheme %q is not supported; use http:// or https://", rest[:i+3])
	case stream:
		return fmt.Sprintf("%s in the stream context takes a plain address such as 127.0.0.1:12345 or an upstream name, not a URL with %q", dir, rest[:i+3])
	case len(allowed) > 0:
		return fmt.Sprintf("the scheme %q is not supported; %s takes %s or a plain address", rest[:i+3], dir, strings.Join(allowed, ", "))
	}
	return fmt.Sprintf("%s takes a plain address such as 127.0.0.1:9000 or unix:/run/app.sock, without a scheme; remove %q", dir, rest[:i+3])
}

// parseNginxAddr reads an address the way ngx_parse_url does. uriPart is
// true when a URI may follow the address (http proxy_pass). explicitPort
// reports whether a port was written.
func parseNginxAddr(s string, uriPart bool) (a Addr, explicitPort bool, err error) {
	if hasPrefixFold(s, "unix:") {
		p := s[len("unix:"):]
		if uriPart {
			if i := strings.IndexByte(p, ':'); i >= 0 {
				p = p[:i]
			}
		}
		if err := CheckSocketPath(p); err != nil {
			return Addr{}, false, err
		}
		return Addr{Unix: true, Path: CleanSocketPath(p), Raw: s[:len("unix:")+len(p)]}, false, nil
	}
	if strings.HasPrefix(s, "[") {
		return parseNginxInet6(s, uriPart)
	}
	return parseNginxInet(s, uriPart)
}

var errNoURI = errors.New("a URI is not allowed here; write only the address")

// parseNginxInet follows ngx_parse_inet_url.
func parseNginxInet(s string, uriPart bool) (Addr, bool, error) {
	last := len(s)
	port := strings.IndexByte(s, ':')
	uri := strings.IndexByte(s, '/')
	if args := strings.IndexByte(s, '?'); args >= 0 && (uri < 0 || args < uri) {
		uri = args
	}
	if uri >= 0 {
		if !uriPart {
			return Addr{}, false, errNoURI
		}
		last = uri
		if uri < port {
			port = -1
		}
	}
	hostEnd := last
	a := Addr{Raw: s[:last]}
	explicit := false
	if port >= 0 {
		text := s[port+1 : last]
		n, ok := ngxAtoi(text)
		if !ok || n < 1 || n > 65535 {
			return Addr{}, false, fmt.Errorf("invalid port %q; ports are numbers from 1 to 65535", text)
		}
		a.Port = n
		hostEnd = port
		explicit = true
	}
	host := s[:hostEnd]
	if host == "" {
		return Addr{}, false, errors.New("no host; write a host name or an IP address")
	}
	if ip, ok := ngxInetAddr(host); ok {
		a.IP = ip
		a.Host = IPText(ip, host)
	} else {
		a.Host = strings.ToLower(host)
	}
	return a, explicit, nil
}

// parseNginxInet6 follows ngx_parse_inet6_url.
func parseNginxInet6(s string, uriPart bool) (Addr, bool, error) {
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return Addr{}, false, errors.New(`missing "]" after the IPv6 address`)
	}
	last := len(s)
	if uri := strings.IndexByte(s[end+1:], '/'); uri >= 0 {
		if !uriPart {
			return Addr{}, false, errNoURI
		}
		last = end + 1 + uri
	}
	a := Addr{Raw: s[:last]}
	explicit := false
	if rest := s[end+1 : last]; rest != "" {
		if rest[0] != ':' {
			return Addr{}, false, fmt.Errorf(`unexpected %q after "]"`, rest)
		}
		n, ok := ngxAtoi(rest[1:])
		if !ok || n < 1 || n > 65535 {
			return Addr{}, false, fmt.Errorf("invalid port %q; ports are numbers from 1 to 65535", rest[1:])
		}
		a.Port = n
		explicit = true
	}
	host := s[1:end]
	if host == "" {
		return Addr{}, false, errors.New("no address between the brackets")
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Is6() || ip.Zone() != "" {
		return Addr{}, false, fmt.Errorf("%q is not a valid IPv6 address", host)
	}
	// An IPv4-mapped address (::ffff:127.0.0.1) reaches the IPv4 socket.
	ip = ip.Unmap()
	a.IP = ip
	a.Host = IPText(ip, host)
	return a, explicit, nil
}
