package manifest

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// Addr is a network address: a TCP host and port, or a unix-domain socket,
// with the place it was written in the manifest. Its fields are those of
// [nginx.Addr], whose grammar reads the addresses of nginx directives; it
// is a type of its own because it adds the position and the matching
// methods (Accepts).
type Addr struct {
	nginx.Addr
	// Pos is where the address was written in the manifest; it is zero for
	// addresses that come from nginx directives.
	Pos Position
}

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// ParseListen parses a listen address as written in the manifest:
// "host:port", "[ipv6]:port" or "unix:/absolute/path" (unix:///path is the
// same socket: the kernel reads "///run" as "/run"). The port is required.
// The host may be an IPv4 address, a bracketed IPv6 address or a host name;
// "localhost" stands for both 127.0.0.1 and [::1].
func ParseListen(s string) (Addr, error) {
	a, err := parseListen(s)
	if err != nil {
		return Addr{Addr: nginx.Addr{Raw: s}}, fmt.Errorf("invalid listen address %q: %w", s, err)
	}
	a.Raw = s
	return a, nil
}

func parseListen(s string) (Addr, error) {
	if s == "" {
		return Addr{}, errors.New(`it is empty; write host:port, e.g. "127.0.0.1:8001", or "unix:/run/app.sock"`)
	}
	if i := strings.IndexFunc(s, isSpaceOrControl); i >= 0 {
		return Addr{}, errors.New("it contains a space or control character; remove it")
	}
	if hasPrefixFold(s, "unix:") {
		p := s[len("unix:"):]
		if err := nginx.CheckSocketPath(p); err != nil {
			return Addr{}, err
		}
		if !strings.HasPrefix(p, "/") {
			return Addr{}, fmt.Errorf(`socket path %q is relative; write an absolute path, e.g. "unix:/run/app.sock"`, p)
		}
		c := nginx.CleanSocketPath(p)
		if c == "/" {
			return Addr{}, errors.New(`socket path names the root directory; name the socket file, e.g. "unix:/run/app.sock"`)
		}
		return Addr{Addr: nginx.Addr{Unix: true, Path: c}}, nil
	}
	if i := strings.Index(s, "://"); i >= 0 {
		return Addr{}, fmt.Errorf(`remove the scheme %q: a listen address is host:port, e.g. "127.0.0.1:8001"`, s[:i+3])
	}
	host, portText, hasPort, err := splitHostPort(s)
	if err != nil {
		return Addr{}, err
	}
	a, err := parseHost(host)
	if err != nil {
		return Addr{}, err
	}
	if !hasPort {
		return Addr{}, fmt.Errorf("no port; write it as host:port, e.g. %q", Addr{Addr: nginx.Addr{Host: a.Host, IP: a.IP, Port: 8001}}.String())
	}
	a.Port, err = parsePort(portText)
	if err != nil {
		return Addr{}, err
	}
	return a, nil
}

// isSpaceOrControl reports whether r is white space or a control character.
func isSpaceOrControl(r rune) bool {
	return r <= ' ' || r == 0x7f || r == 0x85 || r == 0xa0 || r == 0x2028 || r == 0x2029
}

// splitHostPort splits a manifest address (listen or external entry) into
// host and port text. hasPort is false when no port was written.
func splitHostPort(s string) (host, port string, hasPort bool, err error) {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", false, errors.New(`missing "]" after the IPv6 address; write it as "[::1]:8001"`)
		}
		host, rest := s[:end+1], s[end+1:]
		switch {
		case rest == "":
			return host, "", false, nil
		case rest[0] != ':':
			return "", "", false, fmt.Errorf(`unexpected %q after "]"; write it as "[::1]:8001"`, rest)
		}
		return host, rest[1:], true, nil
	}
	switch strings.Count(s, ":") {
	case 0:
		return s, "", false, nil
	case 1:
		i := strings.IndexByte(s, ':')
		return s[:i], s[i+1:], true, nil
	}
	return "", "", false, errors.New(`put an IPv6 address in brackets, e.g. "[::1]:8001"`)
}

// parseHost parses the host part of a manifest address: "[ipv6]", an IPv4
// address, or a host name.
func parseHost(h string) (Addr, error) {
	switch {
	case h == "" || h == "*":
		return Addr{}, errors.New(`no host; write 127.0.0.1:PORT for local connections only, 0.0.0.0:PORT for all IPv4 addresses or [::]:PORT for all addresses`)
	case strings.HasPrefix(h, "["):
		inner := strings.TrimSuffix(h[1:], "]")
		ip, err := netip.ParseAddr(inner)
		switch {
		case err != nil:
			return Addr{}, fmt.Errorf("%q is not an IPv6 address", inner)
		case ip.Is4():
			return Addr{}, fmt.Errorf("brackets are only for IPv6 addresses; write %s without them", inner)
		case ip.Zone() != "":
			return Addr{}, fmt.Errorf("IPv6 zones such as %q are not supported; remove the zone", "%"+ip.Zone())
		}
		// An IPv4-mapped address (::ffff:127.0.0.1) is the IPv4 socket.
		ip = ip.Unmap()
		return Addr{Addr: nginx.Addr{Host: nginx.IPText(ip, inner), IP: ip}}, nil
	case isDigitsAndDots(h):
		ip, err := netip.ParseAddr(h)
		if err != nil || !ip.Is4() {
			return Addr{}, fmt.Errorf("%q is not an IPv4 address; write four numbers from 0 to 255, e.g. 127.0.0.1", h)
		}
		return Addr{Addr: nginx.Addr{Host: nginx.IPText(ip, h), IP: ip}}, nil
	}
	name := strings.ToLower(h)
	if !validHostname(name) {
		return Addr{}, fmt.Errorf("%q is not a valid host name; use letters, digits, '-', '_' and dots between labels", h)
	}
	return Addr{Addr: nginx.Addr{Host: name}}, nil
}

// isDigitsAndDots reports whether s consists of digits and dots only.
func isDigitsAndDots(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return s != ""
}

// validHostname reports whether s is a plausible lowercase host name.
func validHostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' {
				return false
			}
		}
	}
	return true
}

// parsePort parses a decimal port from 1 to 65535.
func parsePort(s string) (int, error) {
	if s == "" {
		return 0, errors.New(`no port after ":"; write a port from 1 to 65535`)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("port %q is not a number; write a port from 1 to 65535", s)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %s is out of range; use a port from 1 to 65535", s)
	}
	return n, nil
}
