package manifest

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

func TestParseListen(t *testing.T) {
	tests := []struct {
		in   string
		want string // canonical String()
		host string
		ip   string // "" when Host is a name
		port int
		unix string
	}{
		{in: "127.0.0.1:8001", want: "127.0.0.1:8001", host: "127.0.0.1", ip: "127.0.0.1", port: 8001},
		{in: "[::1]:8001", want: "[::1]:8001", host: "::1", ip: "::1", port: 8001},
		{in: "0.0.0.0:8001", want: "0.0.0.0:8001", host: "0.0.0.0", ip: "0.0.0.0", port: 8001},
		{in: "[::]:8001", want: "[::]:8001", host: "::", ip: "::", port: 8001},
		{in: "[0:0:0:0:0:0:0:1]:1", want: "[::1]:1", host: "::1", ip: "::1", port: 1},
		// A socket bound to an IPv4-mapped address is the IPv4 socket.
		{in: "[::FFFF:127.0.0.1]:80", want: "127.0.0.1:80", host: "127.0.0.1", ip: "127.0.0.1", port: 80},
		{in: "app:8001", want: "app:8001", host: "app", port: 8001},
		{in: "APP.Internal:65535", want: "app.internal:65535", host: "app.internal", port: 65535},
		{in: "localhost:8001", want: "localhost:8001", host: "localhost", port: 8001},
		{in: "my_app-2:08001", want: "my_app-2:8001", host: "my_app-2", port: 8001},
		{in: "unix:/run/app.sock", want: "unix:/run/app.sock", unix: "/run/app.sock"},
		{in: "UNIX:/run/app.sock", want: "unix:/run/app.sock", unix: "/run/app.sock"},
		{in: "unix:/var/run/app.sock", want: "unix:/run/app.sock", unix: "/run/app.sock"},
		// "//", "/./" and a trailing "/" are ignored by the kernel; ".." is
		// kept: the kernel enters the directory before it, and fails when
		// that does not exist (seen with nginx: 2: No such file or directory).
		{in: "unix:/run//app/./app.sock", want: "unix:/run/app/app.sock", unix: "/run/app/app.sock"},
		{in: "unix:/run//app/../app.sock", want: "unix:/run/app/../app.sock", unix: "/run/app/../app.sock"},
		{in: "unix:/var/run//php/fpm.sock/", want: "unix:/run/php/fpm.sock", unix: "/run/php/fpm.sock"},
		{in: "unix:/var/runner.sock", want: "unix:/var/runner.sock", unix: "/var/runner.sock"},
		{in: "unix:/tmp/x.sock", want: "unix:/tmp/x.sock", unix: "/tmp/x.sock"},
		// unix:///path is unix:/path: "///run" is the root path /run to the
		// kernel, as nginx's unix:///run/app.sock is.
		{in: "unix:///run/app.sock", want: "unix:/run/app.sock", unix: "/run/app.sock"},
		{in: "unix://run/app.sock", want: "unix:/run/app.sock", unix: "/run/app.sock"},
		{in: "UNIX:///var/run/php/fpm.sock", want: "unix:/run/php/fpm.sock", unix: "/run/php/fpm.sock"},
	}
	for _, tt := range tests {
		a, err := ParseListen(tt.in)
		if err != nil {
			t.Errorf("ParseListen(%q): %v", tt.in, err)
			continue
		}
		if got := a.String(); got != tt.want {
			t.Errorf("ParseListen(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		if a.Raw != tt.in {
			t.Errorf("ParseListen(%q).Raw = %q", tt.in, a.Raw)
		}
		if tt.unix != "" {
			if !a.Unix || a.Path != tt.unix || a.Host != "" || a.Port != 0 {
				t.Errorf("ParseListen(%q) = %+v, want unix socket %s", tt.in, a, tt.unix)
			}
			continue
		}
		if a.Unix || a.Host != tt.host || a.Port != tt.port {
			t.Errorf("ParseListen(%q) = %+v, want host %q port %d", tt.in, a, tt.host, tt.port)
		}
		if tt.ip == "" {
			if a.IP.IsValid() {
				t.Errorf("ParseListen(%q).IP = %v, want none", tt.in, a.IP)
			}
		} else if a.IP != netip.MustParseAddr(tt.ip) {
			t.Errorf("ParseListen(%q).IP = %v, want %s", tt.in, a.IP, tt.ip)
		}
	}
}

func TestParseListenErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `invalid listen address "": it is empty; write host:port, e.g. "127.0.0.1:8001", or "unix:/run/app.sock"`},
		{"127.0.0.1", `invalid listen address "127.0.0.1": no port; write it as host:port, e.g. "127.0.0.1:8001"`},
		{"[::1]", `invalid listen address "[::1]": no port; write it as host:port, e.g. "[::1]:8001"`},
		{"app", `invalid listen address "app": no port; write it as host:port, e.g. "app:8001"`},
		{"127.0.0.1:", `invalid listen address "127.0.0.1:": no port after ":"; write a port from 1 to 65535`},
		{"127.0.0.1:0", `invalid listen address "127.0.0.1:0": port 0 is out of range; use a port from 1 to 65535`},
		{"127.0.0.1:65536", `invalid listen address "127.0.0.1:65536": port 65536 is out of range; use a port from 1 to 65535`},
		{"127.0.0.1:99999999999999999999", `invalid listen address "127.0.0.1:99999999999999999999": port 99999999999999999999 is out of range; use a port from 1 to 65535`},
		{"127.0.0.1:80a", `invalid listen address "127.0.0.1:80a": port "80a" is not a number; write a port from 1 to 65535`},
		{"127.0.0.1:-1", `invalid listen address "127.0.0.1:-1": port "-1" is not a number; write a port from 1 to 65535`},
		{"unix:relative/path", `invalid listen address "unix:relative/path": socket path "relative/path" is relative; write an absolute path, e.g. "unix:/run/app.sock"`},
		{"unix:", `invalid listen address "unix:": no socket path after "unix:"; write it as "unix:/run/app.sock"`},
		{"unix:/", `invalid listen address "unix:/": socket path names the root directory; name the socket file, e.g. "unix:/run/app.sock"`},
		{"unix:///", `invalid listen address "unix:///": socket path names the root directory; name the socket file, e.g. "unix:/run/app.sock"`},
		{"unix:/" + strings.Repeat("a", 107), `invalid listen address "unix:/` + strings.Repeat("a", 107) + `": socket path is 108 bytes long; unix sockets allow at most 107`},
		{"[::1", `invalid listen address "[::1": missing "]" after the IPv6 address; write it as "[::1]:8001"`},
		{"[::1]8001", `invalid listen address "[::1]8001": unexpected "8001" after "]"; write it as "[::1]:8001"`},
		{"[127.0.0.1]:80", `invalid listen address "[127.0.0.1]:80": brackets are only for IPv6 addresses; write 127.0.0.1 without them`},
		{"[fe80::1%eth0]:80", `invalid listen address "[fe80::1%eth0]:80": IPv6 zones such as "%eth0" are not supported; remove the zone`},
		{"[zz]:80", `invalid listen address "[zz]:80": "zz" is not an IPv6 address`},
		{"::1:8001", `invalid listen address "::1:8001": put an IPv6 address in brackets, e.g. "[::1]:8001"`},
		{":8001", `invalid listen address ":8001": no host; write 127.0.0.1:PORT for local connections only, 0.0.0.0:PORT for all IPv4 addresses or [::]:PORT for all addresses`},
		{"*:8001", `invalid listen address "*:8001": no host; write 127.0.0.1:PORT for local connections only, 0.0.0.0:PORT for all IPv4 addresses or [::]:PORT for all addresses`},
		{"127.1:80", `invalid listen address "127.1:80": "127.1" is not an IPv4 address; write four numbers from 0 to 255, e.g. 127.0.0.1`},
		{"256.0.0.1:80", `invalid listen address "256.0.0.1:80": "256.0.0.1" is not an IPv4 address; write four numbers from 0 to 255, e.g. 127.0.0.1`},
		{"my app:80", `invalid listen address "my app:80": it contains a space or control character; remove it`},
		{" 127.0.0.1:80", `invalid listen address " 127.0.0.1:80": it contains a space or control character; remove it`},
		{"app!:80", `invalid listen address "app!:80": "app!" is not a valid host name; use letters, digits, '-', '_' and dots between labels`},
		{"app..x:80", `invalid listen address "app..x:80": "app..x" is not a valid host name; use letters, digits, '-', '_' and dots between labels`},
		{"http://127.0.0.1:8001", `invalid listen address "http://127.0.0.1:8001": remove the scheme "http://": a listen address is host:port, e.g. "127.0.0.1:8001"`},
	}
	for _, tt := range tests {
		a, err := ParseListen(tt.in)
		if err == nil {
			t.Errorf("ParseListen(%q) = %v, want error", tt.in, a)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseListen(%q) error:\n got %s\nwant %s", tt.in, err, tt.want)
		}
		if a.Raw != tt.in {
			t.Errorf("ParseListen(%q) error result Raw = %q", tt.in, a.Raw)
		}
	}
}

func TestAddrString(t *testing.T) {
	tests := []struct {
		a    Addr
		want string
	}{
		{Addr{}, ""},
		{Addr{Addr: nginx.Addr{Unix: true, Path: "/run/app.sock"}}, "unix:/run/app.sock"},
		{Addr{Addr: nginx.Addr{Host: "127.0.0.1", IP: netip.MustParseAddr("127.0.0.1"), Port: 8001}}, "127.0.0.1:8001"},
		{Addr{Addr: nginx.Addr{Host: "::1", IP: netip.MustParseAddr("::1"), Port: 8001}}, "[::1]:8001"},
		{Addr{Addr: nginx.Addr{Host: "::1", IP: netip.MustParseAddr("::1")}}, "[::1]"},
		{Addr{Addr: nginx.Addr{Host: "app", Port: 8001}}, "app:8001"},
		{Addr{Addr: nginx.Addr{Host: "backend"}}, "backend"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.a, got, tt.want)
		}
	}
	if !(Addr{}).IsZero() || (Addr{Addr: nginx.Addr{Port: 1}}).IsZero() {
		t.Error("IsZero is wrong")
	}
}
