package nginx

import (
	"net/netip"
	"testing"
)

func TestAddrString(t *testing.T) {
	tests := []struct {
		a    Addr
		want string
	}{
		{Addr{}, ""},
		{Addr{Unix: true, Path: "/run/app.sock"}, "unix:/run/app.sock"},
		{Addr{Host: "127.0.0.1", IP: netip.MustParseAddr("127.0.0.1"), Port: 8001}, "127.0.0.1:8001"},
		{Addr{Host: "::1", IP: netip.MustParseAddr("::1"), Port: 8001}, "[::1]:8001"},
		{Addr{Host: "::1", IP: netip.MustParseAddr("::1")}, "[::1]"},
		{Addr{Host: "app", Port: 8001}, "app:8001"},
		{Addr{Host: "backend"}, "backend"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.a, got, tt.want)
		}
	}
	if !(Addr{}).IsZero() || (Addr{Port: 1}).IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestNgxInetAddr(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = not an address
	}{
		{"127.0.0.1", "127.0.0.1"},
		{"010.0.0.1", "10.0.0.1"}, // nginx reads leading zeros as decimal
		{"1..2.3", "1.0.2.3"},     // and empty parts as 0
		{"255.255.255.255", "255.255.255.255"},
		{"256.0.0.1", ""},
		{"127.1", ""},
		{"1.2.3.4.5", ""},
		{"1.2.3.4a", ""},
		{"", ""},
		{"::1", ""},
	}
	for _, tt := range tests {
		ip, ok := ngxInetAddr(tt.in)
		got := ""
		if ok {
			got = ip.String()
		}
		if got != tt.want {
			t.Errorf("ngxInetAddr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIPText(t *testing.T) {
	for _, tt := range []struct{ written, want string }{
		{"127.0.0.1", "127.0.0.1"},
		{"::1", "::1"},
		{"0:0:0:0:0:0:0:1", "::1"},
		{"2001:DB8::1", "2001:db8::1"},
	} {
		ip := netip.MustParseAddr(tt.written)
		if got := IPText(ip, tt.written); got != tt.want {
			t.Errorf("IPText(%s) = %q, want %q", tt.written, got, tt.want)
		}
	}
}

func TestSocketPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/run/app.sock", "/run/app.sock"},
		{"/var/run/app.sock", "/run/app.sock"},
		{"/var/run", "/run"},
		{"/var/running/x", "/var/running/x"},
		{"/run//app/./app.sock/", "/run/app/app.sock"},
		{"/run/../app.sock", "/run/../app.sock"},
		{"relative.sock", "relative.sock"},
		{"/", "/"},
	} {
		if got := CleanSocketPath(tt.in); got != tt.want {
			t.Errorf("CleanSocketPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if err := CheckSocketPath("/run/" + string(make([]byte, MaxSocketPath-5))); err != nil {
		t.Errorf("a path of %d bytes: %v", MaxSocketPath, err)
	}
	for _, p := range []string{"", "/run/" + string(make([]byte, MaxSocketPath-4))} {
		if CheckSocketPath(p) == nil {
			t.Errorf("CheckSocketPath of %d bytes: no error", len(p))
		}
	}
}

func TestNgxAtoi(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"8000", 8000, true},
		{"08000", 8000, true},
		{"2147483647", 1<<31 - 1, true},
		{"2147483648", 0, false},
		{"", 0, false},
		{"1x", 0, false},
		{"-1", 0, false},
	} {
		if got, ok := ngxAtoi(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ngxAtoi(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
