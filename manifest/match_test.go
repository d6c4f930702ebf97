package manifest

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// target parses a target written as the argument of an http proxy_pass, or
// of a stream proxy_pass when it has no scheme.
func target(t *testing.T, arg string) Addr {
	t.Helper()
	stream := !strings.Contains(arg, "://")
	tg, err := ParseTarget("proxy_pass", arg, stream)
	if err != nil {
		t.Fatalf("ParseTarget(%q): %v", arg, err)
	}
	return tg.Addr
}

func listen(t *testing.T, s string) Addr {
	t.Helper()
	a, err := ParseListen(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		listen, target string
		want           bool
	}{
		// Unix sockets: cleaned paths, /var/run is /run.
		{"unix:/run/a.sock", "unix:/run/a.sock", true},
		{"unix:/run/a.sock", "http://unix:/var/run/a.sock:/x", true},
		{"unix:/var/run/a.sock", "unix:/run/a.sock", true},
		{"unix:/run/a.sock", "unix:/run//./a.sock", true},
		{"unix:/run/a.sock", "unix:/run/x/../a.sock", false},
		{"unix:/run/a.sock", "unix:/run/b.sock", false},
		{"unix:/run/a.sock", "127.0.0.1:80", false},
		{"127.0.0.1:80", "unix:/run/a.sock", false},
		// Same address and port.
		{"127.0.0.1:8001", "127.0.0.1:8001", true},
		{"127.0.0.1:8001", "127.0.0.1:8002", false},
		{"127.0.0.1:8001", "127.0.0.2:8001", false},
		{"[::1]:8001", "[::1]:8001", true},
		// 0.0.0.0 takes every IPv4 address, no IPv6 one.
		{"0.0.0.0:8001", "127.0.0.1:8001", true},
		{"0.0.0.0:8001", "10.1.2.3:8001", true},
		{"0.0.0.0:8001", "[::1]:8001", false},
		{"0.0.0.0:8001", "0.0.0.0:8001", true},
		// [::] is dual-stack: every IPv6 and every IPv4 address.
		{"[::]:8001", "[::1]:8001", true},
		{"[::]:8001", "127.0.0.1:8001", true},
		{"[::]:8001", "10.1.2.3:8001", true},
		{"[::]:8001", "[::ffff:127.0.0.1]:8001", true},
		{"[::]:8002", "127.0.0.1:8001", false},
		// Loopback families do not accept each other.
		{"127.0.0.1:8001", "[::1]:8001", false},
		{"[::1]:8001", "127.0.0.1:8001", false},
		// nginx dialling ::ffff:127.0.0.1 reaches the IPv4 socket (seen: 200).
		{"127.0.0.1:8001", "[::ffff:127.0.0.1]:8001", true},
		{"0.0.0.0:8001", "[::ffff:127.0.0.1]:8001", true},
		// Connecting to 0.0.0.0 or :: reaches loopback of that family.
		{"127.0.0.1:8001", "0.0.0.0:8001", true},
		{"[::1]:8001", "[::]:8001", true},
		{"127.0.0.1:8001", "[::]:8001", false},
		// A localhost target is accepted when either family is.
		{"127.0.0.1:8001", "localhost:8001", true},
		{"[::1]:8001", "localhost:8001", true},
		{"0.0.0.0:8001", "localhost:8001", true},
		{"127.0.0.2:8001", "localhost:8001", false},
		// A localhost listen address binds both families.
		{"localhost:8001", "127.0.0.1:8001", true},
		{"localhost:8001", "[::1]:8001", true},
		{"localhost:8001", "localhost:8001", true},
		{"localhost:8001", "127.0.0.2:8001", false},
		{"localhost:8001", "10.0.0.1:8001", false},
		// Host names compare case-insensitively, and never match addresses.
		{"app:8001", "app:8001", true},
		{"app:8001", "APP:8001", true},
		{"APP:8001", "http://App:8001", true},
		{"app:8001", "app:8002", false},
		{"app:8001", "127.0.0.1:8001", false},
		{"0.0.0.0:8001", "app:8001", false},
		// Port 80 from the http:// default.
		{"127.0.0.1:80", "http://127.0.0.1", true},
		{"127.0.0.1:443", "https://127.0.0.1/", true},
		{"127.0.0.1:80", "https://127.0.0.1/", false},
		// An upstream name without a port reaches nothing by itself.
		{"app:80", "app", false},
	}
	for _, tt := range tests {
		l, tg := listen(t, tt.listen), target(t, tt.target)
		if got := l.Accepts(tg); got != tt.want {
			t.Errorf("%s.Accepts(%s) = %v, want %v", tt.listen, tt.target, got, tt.want)
		}
	}
	// Hand-built addresses with upper-case host names.
	if !(Addr{Addr: nginx.Addr{Host: "APP", Port: 1}}).Accepts(Addr{Addr: nginx.Addr{Host: "app", Port: 1}}) {
		t.Error("host names must compare case-insensitively")
	}
	if !(Addr{Addr: nginx.Addr{Host: "127.0.0.1", IP: loopback4, Port: 1}}).Accepts(Addr{Addr: nginx.Addr{Host: "LocalHost", Port: 1}}) {
		t.Error("LocalHost must resolve to 127.0.0.1")
	}
	if (Addr{Addr: nginx.Addr{Port: 1}}).Accepts(Addr{Addr: nginx.Addr{Port: 1}}) || (Addr{Addr: nginx.Addr{Unix: true}}).Accepts(Addr{Addr: nginx.Addr{Unix: true}}) {
		t.Error("empty addresses must not accept each other")
	}
}

func TestIsLocal(t *testing.T) {
	tests := []struct {
		target string
		want   bool
	}{
		{"unix:/run/a.sock", true},
		{"127.0.0.1:1", true},
		{"127.8.9.10:1", true},
		{"[::1]:1", true},
		{"0.0.0.0:1", true},
		{"[::]:1", true},
		{"localhost:1", true},
		{"http://LOCALHOST", true},
		{"10.0.0.1:1", false},
		{"192.168.1.1:1", false},
		{"[2001:db8::1]:1", false},
		{"app:1", false},
		{"localhost.example.com:1", false},
	}
	for _, tt := range tests {
		if got := IsLocal(target(t, tt.target)); got != tt.want {
			t.Errorf("IsLocal(%s) = %v, want %v", tt.target, got, tt.want)
		}
	}
}

const resolveManifest = `
[backends.v4]
listen = "127.0.0.1:8001"

[backends.v6]
listen = "[::1]:8002"

[backends.both]
listen = ["127.0.0.1:8003", "[::1]:8003"]

[backends.dual]
listen = "[::]:8004"

[backends.any4]
listen = "0.0.0.0:8005"

[backends.lh]
listen = "localhost:8006"

[backends.split4]
listen = "127.0.0.1:8007"

[backends.split6]
listen = "[::1]:8007"

[backends.sock]
listen = "unix:/var/run/app.sock"

[backends.named]
listen = "app.internal:9000"
`

func mustParse(t *testing.T, src string) *Manifest {
	t.Helper()
	m, err := Parse("m.toml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func TestResolve(t *testing.T) {
	m := mustParse(t, resolveManifest)
	tests := []struct {
		target    string
		kind      MatchKind
		backend   string // "" = nil
		listen    string
		localhost bool
		v4, v6    string
		refused   string
	}{
		{target: "localhost:8001", kind: LocalhostPartial, backend: "v4", listen: "127.0.0.1:8001", localhost: true, v4: "v4", refused: "[::1]:8001"},
		{target: "localhost:8002", kind: LocalhostPartial, backend: "v6", listen: "[::1]:8002", localhost: true, v6: "v6", refused: "127.0.0.1:8002"},
		{target: "localhost:8003", kind: Match, backend: "both", listen: "127.0.0.1:8003", localhost: true, v4: "both", v6: "both"},
		{target: "localhost:8004", kind: Match, backend: "dual", listen: "[::]:8004", localhost: true, v4: "dual", v6: "dual"},
		{target: "localhost:8005", kind: LocalhostPartial, backend: "any4", listen: "0.0.0.0:8005", localhost: true, v4: "any4", refused: "[::1]:8005"},
		{target: "localhost:8006", kind: Match, backend: "lh", listen: "localhost:8006", localhost: true, v4: "lh", v6: "lh"},
		{target: "localhost:8007", kind: LocalhostPartial, backend: "split4", listen: "127.0.0.1:8007", localhost: true, v4: "split4", v6: "split6"},
		{target: "http://LocalHost:8003", kind: Match, backend: "both", listen: "127.0.0.1:8003", localhost: true, v4: "both", v6: "both"},
		{target: "localhost:9999", kind: NoMatch, localhost: true},
		{target: "127.0.0.1:8001", kind: Match, backend: "v4", listen: "127.0.0.1:8001"},
		{target: "[::1]:8001", kind: NoMatch},
		{target: "127.0.0.1:8002", kind: NoMatch},
		{target: "127.0.0.1:8004", kind: Match, backend: "dual", listen: "[::]:8004"},
		{target: "127.0.0.1:8005", kind: Match, backend: "any4", listen: "0.0.0.0:8005"},
		{target: "0.0.0.0:8001", kind: Match, backend: "v4", listen: "127.0.0.1:8001"},
		{target: "[::1]:8006", kind: Match, backend: "lh", listen: "localhost:8006"},
		{target: "unix:/run/app.sock", kind: Match, backend: "sock", listen: "unix:/run/app.sock"},
		{target: "http://unix:/var/run/app.sock:/", kind: Match, backend: "sock", listen: "unix:/run/app.sock"},
		{target: "http://APP.internal:9000", kind: Match, backend: "named", listen: "app.internal:9000"},
		{target: "backend", kind: NoMatch},
	}
	name := func(b *Backend) string {
		if b == nil {
			return ""
		}
		return b.Name
	}
	for _, tt := range tests {
		r := m.Resolve(target(t, tt.target))
		var refused string
		if !r.Refused.IsZero() {
			refused = r.Refused.String()
		}
		var l string
		if r.Backend != nil {
			l = r.Listen.String()
		}
		if r.Kind != tt.kind || name(r.Backend) != tt.backend || l != tt.listen || r.Localhost != tt.localhost ||
			name(r.IPv4) != tt.v4 || name(r.IPv6) != tt.v6 || refused != tt.refused {
			t.Errorf("Resolve(%s) = kind %v backend %q listen %q localhost %v v4 %q v6 %q refused %q\nwant kind %v backend %q listen %q localhost %v v4 %q v6 %q refused %q",
				tt.target, r.Kind, name(r.Backend), l, r.Localhost, name(r.IPv4), name(r.IPv6), refused,
				tt.kind, tt.backend, tt.listen, tt.localhost, tt.v4, tt.v6, tt.refused)
		}
	}
	if r := (*Manifest)(nil).Resolve(target(t, "127.0.0.1:1")); r.Kind != NoMatch {
		t.Errorf("nil manifest resolved %v", r)
	}
}

func TestResolvePrefersSpecificListen(t *testing.T) {
	// Such overlaps are manifest errors, but Resolve must still be
	// deterministic: the exact address wins over wildcards.
	m := &Manifest{Backends: []*Backend{
		{Name: "a", Listen: []Addr{listen(t, "[::]:80")}},
		{Name: "b", Listen: []Addr{listen(t, "0.0.0.0:80")}},
		{Name: "c", Listen: []Addr{listen(t, "127.0.0.1:80")}},
	}}
	if r := m.Resolve(target(t, "127.0.0.1:80")); r.Backend == nil || r.Backend.Name != "c" {
		t.Errorf("Resolve picked %+v, want c", r.Backend)
	}
	if r := m.Resolve(target(t, "10.0.0.1:80")); r.Backend == nil || r.Backend.Name != "b" {
		t.Errorf("Resolve picked %+v, want b", r.Backend)
	}
	if r := m.Resolve(target(t, "[::1]:80")); r.Backend == nil || r.Backend.Name != "a" {
		t.Errorf("Resolve picked %+v, want a", r.Backend)
	}
}

func TestMatchKindString(t *testing.T) {
	for k, want := range map[MatchKind]string{NoMatch: "no match", Match: "match", LocalhostPartial: "localhost partial", 7: "MatchKind(7)"} {
		if got := k.String(); got != want {
			t.Errorf("MatchKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

const nearestManifest = `
[backends.api]
listen = "127.0.0.1:8001"

[backends.web]
listen = "127.0.0.1:8080"

[backends.v6]
listen = "[::1]:9000"

[backends.php]
listen = "unix:/run/php/php8.2-fpm.sock"

[backends.app]
listen = "unix:/run/app.sock"

[backends.remote]
listen = "app.internal:7000"

[backends.tie_b]
listen = "127.0.0.1:102"

[backends.tie_a]
listen = "127.0.0.1:100"
`

func TestNearest(t *testing.T) {
	m := mustParse(t, nearestManifest)
	tests := []struct {
		target  string
		backend string // "" = none
		listen  string
	}{
		{"127.0.0.1:8002", "api", "127.0.0.1:8001"},
		{"127.0.0.1:8079", "web", "127.0.0.1:8080"},
		{"[::1]:8001", "api", "127.0.0.1:8001"}, // same port, other loopback family
		{"127.0.0.1:9000", "v6", "[::1]:9000"},  // same port, other loopback family
		{"[::1]:9001", "v6", "[::1]:9000"},      // same family, closest port
		{"localhost:8003", "api", "127.0.0.1:8001"},
		{"0.0.0.0:8081", "web", "127.0.0.1:8080"},
		{"127.0.0.1:101", "tie_a", "127.0.0.1:100"}, // tie goes to the name
		{"unix:/run/php/php8.1-fpm.sock", "php", "unix:/run/php/php8.2-fpm.sock"},
		{"unix:/var/run/app.sock", "app", "unix:/run/app.sock"},
		{"unix:/tmp/app.sock", "app", "unix:/run/app.sock"},
		{"unix:/srv/zzzzzzzzzzzzzzzzzzzzzzzzz/other.socket", "", ""},
		{"http://APP.internal:7001", "remote", "app.internal:7000"},
		{"other.internal:7000", "", ""},
		{"10.0.0.1:8001", "", ""},
	}
	for _, tt := range tests {
		b, l, ok := m.Nearest(target(t, tt.target))
		got, gotListen := "", ""
		if ok {
			got, gotListen = b.Name, l.String()
		}
		if got != tt.backend || gotListen != tt.listen || ok != (tt.backend != "") {
			t.Errorf("Nearest(%s) = %q %q %v, want %q %q", tt.target, got, gotListen, ok, tt.backend, tt.listen)
		}
	}
	if _, _, ok := (*Manifest)(nil).Nearest(target(t, "127.0.0.1:1")); ok {
		t.Error("nil manifest found a nearest backend")
	}
}

func TestParseExternal(t *testing.T) {
	tests := []struct {
		in       string
		host     string
		wildcard bool
		prefix   string
		port     int
	}{
		{in: "api.stripe.com", host: "api.stripe.com"},
		{in: "API.Stripe.COM", host: "api.stripe.com"},
		{in: "*.example.org", host: "example.org", wildcard: true},
		{in: "*.Example.org:443", host: "example.org", wildcard: true, port: 443},
		{in: "10.0.0.0/8", prefix: "10.0.0.0/8"},
		{in: "10.1.2.3/8", prefix: "10.0.0.0/8"},
		{in: "2001:db8::/32", prefix: "2001:db8::/32"},
		{in: "203.0.113.7", prefix: "203.0.113.7/32"},
		{in: "203.0.113.7:443", prefix: "203.0.113.7/32", port: 443},
		{in: "2001:db8::1", prefix: "2001:db8::1/128"},
		{in: "[2001:db8::1]", prefix: "2001:db8::1/128"},
		{in: "[2001:db8::1]:443", prefix: "2001:db8::1/128", port: 443},
		{in: "api.stripe.com:443", host: "api.stripe.com", port: 443},
	}
	for _, tt := range tests {
		e, err := ParseExternal(tt.in)
		if err != nil {
			t.Errorf("ParseExternal(%q): %v", tt.in, err)
			continue
		}
		var prefix string
		if e.Prefix.IsValid() {
			prefix = e.Prefix.String()
		}
		if e.Raw != tt.in || e.Host != tt.host || e.Wildcard != tt.wildcard || prefix != tt.prefix || e.Port != tt.port {
			t.Errorf("ParseExternal(%q) = %+v", tt.in, e)
		}
	}
}

func TestParseExternalErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `invalid external entry "": it is empty; write a host name, *.wildcard, CIDR range or host:port`},
		{"api stripe", `invalid external entry "api stripe": it contains a space or control character; remove it`},
		{"unix:/run/x.sock", `invalid external entry "unix:/run/x.sock": unix sockets are always on this machine; describe the socket as a backend instead`},
		{"https://api.stripe.com", `invalid external entry "https://api.stripe.com": remove the scheme "https://"; write the host name alone, e.g. "api.stripe.com"`},
		{"10.0.0.0/33", `invalid external entry "10.0.0.0/33": not a CIDR range; write an address, a slash and a prefix length, e.g. "10.0.0.0/8"`},
		{"example.org/path", `invalid external entry "example.org/path": not a CIDR range; write an address, a slash and a prefix length, e.g. "10.0.0.0/8"`},
		{"2001:db8::zz", `invalid external entry "2001:db8::zz": not an IPv6 address; to add a port, write "[2001:db8::1]:443"`},
		{"*", `invalid external entry "*": a bare "*" would allow every host; list the hosts, *.domain wildcards or CIDR ranges instead`},
		{"api.*.com", `invalid external entry "api.*.com": a wildcard may only stand for the leading labels, e.g. "*.example.org"`},
		{"*.", `invalid external entry "*.": "" is not a valid host name after "*."`},
		{"*.10.0.0.1", `invalid external entry "*.10.0.0.1": "10.0.0.1" is not a valid host name after "*."`},
		{"api.stripe.com:0", `invalid external entry "api.stripe.com:0": port 0 is out of range; use a port from 1 to 65535`},
		{"api.stripe.com:https", `invalid external entry "api.stripe.com:https": port "https" is not a number; write a port from 1 to 65535`},
		{"[::1", `invalid external entry "[::1": missing "]" after the IPv6 address; write it as "[::1]:8001"`},
		{"300.1.1.1", `invalid external entry "300.1.1.1": "300.1.1.1" is not an IPv4 address; write four numbers from 0 to 255, e.g. 127.0.0.1`},
		{"bad_host!", `invalid external entry "bad_host!": "bad_host!" is not a valid host name; use letters, digits, '-', '_' and dots between labels`},
	}
	for _, tt := range tests {
		_, err := ParseExternal(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseExternal(%q) error:\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func TestIsExternal(t *testing.T) {
	m := mustParse(t, `external = ["api.stripe.com", "*.example.org", "10.0.0.0/8", "203.0.113.7:443", "[2001:db8::1]:443", "fd00::/8"]`)
	tests := []struct {
		target string
		want   bool
	}{
		{"https://api.stripe.com", true},
		{"https://API.STRIPE.COM/v1", true},
		{"http://api.stripe.com:8080", true}, // host entries allow any port
		{"https://stripe.com", false},
		{"https://files.example.org", true},
		{"https://a.b.example.org", true},
		{"https://example.org", false},
		{"https://badexample.org", false},
		{"10.1.2.3:5432", true},
		{"11.1.2.3:5432", false},
		{"https://203.0.113.7", true},
		{"http://203.0.113.7", false}, // port 80 is not 443
		{"203.0.113.7:443", true},
		{"[2001:db8::1]:443", true},
		{"[2001:db8::1]:80", false},
		{"[fd12::1]:5432", true},
		{"unix:/run/x.sock", false},
		{"api.stripe.com", true}, // a name entry matches any port, even none
	}
	for _, tt := range tests {
		if got := m.IsExternal(target(t, tt.target)); got != tt.want {
			t.Errorf("IsExternal(%s) = %v, want %v", tt.target, got, tt.want)
		}
	}
	if (*Manifest)(nil).IsExternal(target(t, "10.0.0.1:1")) {
		t.Error("nil manifest matched")
	}
	// Mapped IPv4 addresses are IPv6 here and do not fall in IPv4 ranges.
	mapped := Addr{Addr: nginx.Addr{Host: "::ffff:10.0.0.1", IP: netip.MustParseAddr("::ffff:10.0.0.1"), Port: 1}}
	if m.IsExternal(mapped) {
		t.Error("::ffff:10.0.0.1 matched 10.0.0.0/8")
	}
}
