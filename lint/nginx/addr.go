package nginx

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// MaxSocketPath is the longest unix socket path the kernel takes:
// sun_path holds 108 bytes, one of which is the terminating NUL.
const MaxSocketPath = 107

// Addr is a network address: a TCP host and port, or a unix-domain
// socket.
type Addr struct {
	// Unix is true for a unix-domain socket; then only Path is set.
	Unix bool
	// Path is the socket path, cleaned by [CleanSocketPath].
	Path string
	// Host is the lowercased host name, or the canonical text of an IP
	// address (netip.Addr.String(), without brackets).
	Host string
	// IP is the address when Host is an IP literal, and invalid otherwise.
	IP netip.Addr
	// Port is the TCP port; 0 when it is not known.
	Port int
	// Raw is the address as it was written.
	Raw string
}

// String returns the address in canonical form: "127.0.0.1:8001",
// "[::1]:8001", "app:8001" or "unix:/run/app.sock". The port is left out
// when it is 0.
func (a Addr) String() string {
	if a.Unix {
		return "unix:" + a.Path
	}
	host := a.Host
	if a.IP.IsValid() && a.IP.Is6() {
		host = "[" + host + "]"
	}
	if a.Port == 0 {
		return host
	}
	return host + ":" + strconv.Itoa(a.Port)
}

// IsZero reports whether a is the zero Addr.
func (a Addr) IsZero() bool {
	return !a.Unix && a.Path == "" && a.Host == "" && !a.IP.IsValid() && a.Port == 0
}

// CleanSocketPath cleans a socket path as the kernel reads it and
// rewrites /var/run to /run, which it links to on current systems, so
// that two spellings of one socket compare equal.
func CleanSocketPath(p string) string {
	c := cleanSlashes(p)
	switch {
	case c == "/var/run":
		return "/run"
	case strings.HasPrefix(c, "/var/run/"):
		return "/run/" + c[len("/var/run/"):]
	}
	return c
}

// cleanSlashes collapses "//" and "/./" and drops a trailing "/", which
// the kernel ignores. It keeps "..": the kernel resolves "a/../b" by
// entering a, so it fails when a does not exist.
func cleanSlashes(p string) string {
	parts := strings.Split(p, "/")
	out := parts[:0]
	for i, c := range parts {
		if (c == "" || c == ".") && i > 0 {
			continue
		}
		out = append(out, c)
	}
	c := strings.Join(out, "/")
	if c == "" {
		return "/"
	}
	return c
}

// CheckSocketPath checks the path written after "unix:": not empty, and
// not longer than [MaxSocketPath].
func CheckSocketPath(p string) error {
	if p == "" {
		return errors.New(`no socket path after "unix:"; write it as "unix:/run/app.sock"`)
	}
	if len(p) > MaxSocketPath {
		return fmt.Errorf("socket path is %d bytes long; unix sockets allow at most %d", len(p), MaxSocketPath)
	}
	return nil
}

// IPText returns the canonical text of ip: written itself when it is
// already written that way, which spares a copy.
func IPText(ip netip.Addr, written string) string {
	var buf [64]byte
	if string(ip.AppendTo(buf[:0])) == written {
		return written
	}
	return ip.String()
}

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// ngxAtoi parses a non-empty run of decimal digits the way nginx's
// ngx_atoi does; ok is false for anything else or on overflow.
func ngxAtoi(s string) (n int, ok bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<31-1-int(c-'0'))/10 {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ngxInetAddr parses an IPv4 address the way nginx's ngx_inet_addr does:
// four decimal parts of at most 255 separated by dots. Like nginx it takes
// leading zeros as decimal and empty parts as 0.
func ngxInetAddr(s string) (netip.Addr, bool) {
	var b [4]byte
	var octet, n int
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			octet = octet*10 + int(c-'0')
			if octet > 255 {
				return netip.Addr{}, false
			}
		case c == '.':
			if n >= 3 {
				return netip.Addr{}, false
			}
			b[n] = byte(octet)
			octet = 0
			n++
		default:
			return netip.Addr{}, false
		}
	}
	if n != 3 {
		return netip.Addr{}, false
	}
	b[3] = byte(octet)
	return netip.AddrFrom4(b), true
}
