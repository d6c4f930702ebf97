package nginx

import (
	"strconv"
	"strings"
)

// ListenAddr is the address and port of a listen directive, or of an
// upstream server line, as nginx reads them (ngx_parse_url).
type ListenAddr struct {
	// Key is the address and port as nginx prints them in its messages:
	// 0.0.0.0:80 for "80" and "*:80", [::]:443, unix:/run/x.sock. Two
	// listen directives with one Key are one socket.
	Key string
	// Port is the port as written; "" when none is (listen then takes
	// 80, and a server line the directive's default).
	Port string
	// PortOK is false when Port is not a number from 1 to 65535: nginx
	// refuses it with "invalid port".
	PortOK bool
}

// ParseListen reads the address argument of a listen directive (listen
// true: a bare number is a port) or of an upstream server line. ok is
// false for an argument built from variables, which nginx does not take
// there anyway.
func ParseListen(arg string, listen bool) (a ListenAddr, ok bool) {
	if strings.Contains(arg, "$") {
		return a, false
	}
	a.PortOK = true
	lower := strings.ToLower(arg)
	switch {
	case strings.HasPrefix(arg, "unix:"):
		a.Key = arg
		return a, true
	case strings.HasPrefix(arg, "["):
		a.Key = lower
		if end := strings.IndexByte(arg, ']'); end >= 0 && strings.HasPrefix(arg[end+1:], ":") {
			a.Port = arg[end+2:]
		} else {
			a.Key += ":80"
		}
	case listen && isNumber(arg):
		a.Key, a.Port = "0.0.0.0:"+arg, arg
	case strings.HasPrefix(arg, "*:"):
		a.Key, a.Port = "0.0.0.0:"+arg[2:], arg[2:]
	case strings.Contains(arg, ":"):
		a.Key, a.Port = lower, arg[strings.LastIndexByte(arg, ':')+1:]
	default:
		a.Key = lower + ":80"
	}
	if a.Port != "" {
		n, err := strconv.Atoi(a.Port)
		a.PortOK = err == nil && n >= 1 && n <= 65535
	}
	return a, true
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
