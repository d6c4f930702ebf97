//go:build unix

package main_test

// This file checks nginxlint's backend rules against real nginx. Each
// scenario starts real backends on loopback, writes a manifest saying where
// they really listen and an nginx tree that dials them (or misses them),
// runs nginxlint in-process, then runs `nginx -t` and, when that passes,
// nginx itself, and sends requests through every location (and raw TCP
// requests through every stream server).
//
// The oracle is nginx. nginx fails at a config line when
//
//   - `nginx -t` fails and names that line, or
//   - its error log shows an upstream error (connect() failed, no live
//     upstreams, a broken response) whose upstream address is written on
//     that line, or
//   - a request through a location gets something other than 200 and the
//     error log has nothing to say about that request: the location's own
//     line then fails.
//
// nginxlint must report an error-level finding of one of the backend rules
// (backend-drift, backend-protocol, upstream-undefined, upstream-all-down)
// at exactly the lines where nginx fails, and nowhere else. Two kinds of
// lines are judged differently, by design of nginxlint:
//
//   - targets built from variables ("# variable" in the config) are decided
//     per request and never checked: nginxlint must stay silent there
//     whatever nginx does;
//   - "localhost" targets whose backend listens on one address family are a
//     warning (backend-localhost-family), not an error: nginx retries on the
//     other address, so requests succeed but error.log shows connect()
//     failures. Lines marked "# one-family" must get that warning.
//
// Finally nginxlint's fix-its are applied and nginx is run again: every
// line a fix-it rewrote must then work.
//
// Everything listens on loopback, except the two wildcard backends of the
// scenarios about 0.0.0.0 and [::] listeners, which drop every client that
// is not on loopback. Ports where nothing may listen are held by a socket
// bound without listen(), so that no other process can take them.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

// driftRequestsPerLocation is how many GET requests each location gets: enough
// for nginx's round robin to reach every member of a two-server upstream.
const driftRequestsPerLocation = 4

// driftFailureRules are the rules whose error-level findings claim that nginx
// fails at the line.
var driftFailureRules = map[string]bool{
	"backend-drift":      true,
	"backend-protocol":   true,
	"upstream-undefined": true,
	"upstream-all-down":  true,
}

// driftStreamModule is where Debian's libnginx-mod-stream installs the stream
// module, which nginx-light does not compile in.
const driftStreamModule = "/usr/lib/nginx/modules/ngx_stream_module.so"

// driftFamilyRule is the rule that warns about localhost targets whose backend
// listens on one address family only.
const driftFamilyRule = "backend-localhost-family"

// Markers are comments at the end of a config line.
const (
	driftMarkVariable  = "# variable"
	driftMarkOneFamily = "# one-family"
)

// driftSetup is what a scenario builds: the http-level blocks (upstreams), the
// lines inside the server block (one location, holding one target, per
// line), and the manifest.
type driftSetup struct {
	upstreams string
	locations string
	// stream is the content of a stream{} block: upstreams, and servers
	// written on one line each ("server { listen ADDR; proxy_pass X; }").
	stream   string
	manifest string
	// wantFail is the number of lines where the scenario means nginx to
	// fail (variable and localhost lines not counted): a check that the
	// scenario really does what it is meant to, whatever nginxlint says.
	wantFail int
}

type driftScenario struct {
	name  string
	build func(t *testing.T) driftSetup
}

func TestDriftMatchesNginx(t *testing.T) {
	nginxtest.Binary(t)
	scenarios := []driftScenario{
		{"wrong-port", func(t *testing.T) driftSetup {
			be := driftBackend4(t)
			dead := driftRefusedPort(t, "127.0.0.1")
			return driftSetup{
				locations: driftLoc("/api/", "proxy_pass http://127.0.0.1:%d;", dead),
				manifest:  driftBackendTOML("api", be.Addr, ""),
				wantFail:  1,
			}
		}},
		{"right-port", func(t *testing.T) driftSetup {
			be := driftBackend4(t)
			return driftSetup{
				locations: driftLoc("/api/", "proxy_pass http://%s;", be.Addr) +
					driftLoc("/api-uri/", "proxy_pass http://%s/v1/;", be.Addr),
				manifest: driftBackendTOML("api", be.Addr, ""),
			}
		}},
		{"upstream-every-member-drifted", func(t *testing.T) driftSetup {
			be1, be2 := driftBackend4(t), driftBackend4(t)
			dead1, dead2 := driftRefusedPort(t, "127.0.0.1"), driftRefusedPort(t, "127.0.0.1")
			return driftSetup{
				upstreams: fmt.Sprintf("upstream api_pool {\n    server 127.0.0.1:%d;\n    server 127.0.0.1:%d;\n}\n", dead1, dead2),
				locations: driftLoc("/api/", "proxy_pass http://api_pool;"),
				manifest:  driftBackendTOML("api", driftListOf(be1.Addr, be2.Addr), `upstream = "api_pool"`),
				wantFail:  2,
			}
		}},
		{"upstream-one-member-drifted", func(t *testing.T) driftSetup {
			// nginx retries the request on the live member: every request
			// gets 200, but error.log shows the connect() failure.
			be := driftBackend4(t)
			dead := driftRefusedPort(t, "127.0.0.1")
			return driftSetup{
				upstreams: fmt.Sprintf("upstream mix_pool {\n    server %s;\n    server 127.0.0.1:%d;\n}\n", be.Addr, dead),
				locations: driftLoc("/api/", "proxy_pass http://mix_pool;"),
				manifest:  driftBackendTOML("api", be.Addr, `upstream = "mix_pool"`),
				wantFail:  1,
			}
		}},
		{"upstream-drifted-member-marked-down", func(t *testing.T) driftSetup {
			// A server marked down is never dialled: nginx works, whatever
			// listens (or not) at its address. when this was written,
			// nginxlint reported backend-drift ("requests fail with 502") at the down line
			// anyway: a false error.
			be := driftBackend4(t)
			dead := driftRefusedPort(t, "127.0.0.1")
			return driftSetup{
				upstreams: fmt.Sprintf("upstream maint_pool {\n    server %s;\n    server 127.0.0.1:%d down;\n}\n", be.Addr, dead),
				locations: driftLoc("/api/", "proxy_pass http://maint_pool;"),
				manifest:  driftBackendTOML("api", be.Addr, ""),
			}
		}},
		{"unix-socket-path-mismatch", func(t *testing.T) driftSetup {
			dir := driftSocketDir(t)
			be := nginxtest.StartBackend(t, "unix", filepath.Join(dir, "app.sock"))
			return driftSetup{
				locations: driftLoc("/good/", "proxy_pass http://unix:%s;", be.Addr) +
					driftLoc("/bad/", "proxy_pass http://unix:%s;", filepath.Join(dir, "app-old.sock")),
				manifest: driftBackendTOML("app", "unix:"+be.Addr, ""),
				wantFail: 1,
			}
		}},
		{"unix-socket-path-spellings", func(t *testing.T) driftSetup {
			// "//" and "." are the same path to the kernel, and nginxlint
			// cleans them away.
			dir := driftSocketDir(t)
			driftMkdir(t, filepath.Join(dir, "sub"))
			be := nginxtest.StartBackend(t, "unix", filepath.Join(dir, "sub", "app.sock"))
			return driftSetup{
				locations: driftLoc("/plain/", "proxy_pass http://unix:%s;", be.Addr) +
					driftLoc("/dots/", "proxy_pass http://unix:%s//sub/./app.sock;", dir),
				manifest: driftBackendTOML("app", "unix:"+be.Addr, ""),
			}
		}},
		{"unix-socket-path-dotdot-through-missing-dir", func(t *testing.T) driftSetup {
			// The kernel resolves ".." after the directory before it, which
			// must exist: DIR/missing/../sub/app.sock is ENOENT, although
			// path.Clean makes it DIR/sub/app.sock. When this was written,
			// nginxlint cleaned ".." away lexically and missed this 502.
			dir := driftSocketDir(t)
			driftMkdir(t, filepath.Join(dir, "sub"))
			be := nginxtest.StartBackend(t, "unix", filepath.Join(dir, "sub", "app.sock"))
			return driftSetup{
				locations: driftLoc("/plain/", "proxy_pass http://unix:%s;", be.Addr) +
					driftLoc("/dotdot/", "proxy_pass http://unix:%s/missing/../sub/app.sock;", dir),
				manifest: driftBackendTOML("app", "unix:"+be.Addr, ""),
				wantFail: 1,
			}
		}},
		{"unix-socket-var-run-vs-run", func(t *testing.T) driftSetup {
			// nginxlint takes /var/run/x for /run/x because /var/run is a
			// symbolic link to /run on current systems. Proving it needs a
			// socket under /run or /var/run, which this test may not create;
			// a symbolic link inside a temporary directory would prove only
			// that the kernel follows links, which nginxlint (reading no file
			// of the host) cannot know about and does not claim.
			t.Skip("needs a socket under /run; the test writes only to its temporary directories")
			return driftSetup{}
		}},
		{"ipv6-only-backend-dialled-on-ipv4", func(t *testing.T) driftSetup {
			if !nginxtest.IPv6(t) {
				t.Skip("no IPv6 loopback here")
			}
			be, port := driftBackend6WithRefusedIPv4(t)
			return driftSetup{
				locations: driftLoc("/v4/", "proxy_pass http://127.0.0.1:%d;", port) +
					driftLoc("/v6/", "proxy_pass http://%s;", be.Addr),
				manifest: driftBackendTOML("api", be.Addr, ""),
				wantFail: 1,
			}
		}},
		{"wildcard-ipv4-listen", func(t *testing.T) driftSetup {
			port := driftWildcardBackend(t, "tcp4", "0.0.0.0:0")
			s := driftSetup{
				locations: driftLoc("/v4/", "proxy_pass http://127.0.0.1:%d;", port),
				manifest:  driftBackendTOML("api", fmt.Sprintf("0.0.0.0:%d", port), ""),
			}
			if driftDialable("tcp4", fmt.Sprintf("0.0.0.0:%d", port)) {
				// Linux sends a connection to 0.0.0.0 to 127.0.0.1.
				s.locations += driftLoc("/any/", "proxy_pass http://0.0.0.0:%d;", port)
			} else {
				t.Logf("this kernel does not connect 0.0.0.0:%d to loopback; /any/ left out", port)
			}
			if nginxtest.IPv6(t) {
				// 0.0.0.0 is IPv4 only: [::1] on the same port is refused.
				// Hold [::1]:PORT so that nothing else can listen there.
				// When this was written, nginxlint's "did you mean" and
				// fix-it named [::1]:PORT itself instead of 127.0.0.1:PORT.
				if driftRefusedAt(t, "::1", port) {
					s.locations += driftLoc("/v6/", "proxy_pass http://[::1]:%d;", port)
					s.wantFail++
				}
			}
			return s
		}},
		{"dual-stack-listen", func(t *testing.T) driftSetup {
			if !nginxtest.IPv6(t) {
				t.Skip("no IPv6 loopback here")
			}
			port := driftWildcardBackend(t, "tcp", "[::]:0")
			for _, a := range []string{fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("[::1]:%d", port)} {
				if !driftDialable("tcp", a) {
					t.Skipf("a socket bound to [::]:%d does not accept %s here (no dual stack)", port, a)
				}
			}
			return driftSetup{
				locations: driftLoc("/v4/", "proxy_pass http://127.0.0.1:%d;", port) +
					driftLoc("/v6/", "proxy_pass http://[::1]:%d;", port),
				manifest: driftBackendTOML("api", fmt.Sprintf("[::]:%d", port), ""),
			}
		}},
		{"stream-proxy", func(t *testing.T) driftSetup {
			// Stream proxies are targets too. A client of a stream server
			// whose target refuses is disconnected without a response.
			if _, err := os.Stat(driftStreamModule); err != nil {
				t.Skipf("no stream module: %v (apt-get install libnginx-mod-stream)", err)
			}
			be := driftBackend4(t)
			dead, deadMember := driftRefusedPort(t, "127.0.0.1"), driftRefusedPort(t, "127.0.0.1")
			l1, l2, l3 := driftStreamListen(t), driftStreamListen(t), driftStreamListen(t)
			return driftSetup{
				stream: fmt.Sprintf("upstream tcp_pool {\n    server %s;\n    server 127.0.0.1:%d;\n}\n", be.Addr, deadMember) +
					fmt.Sprintf("    server { listen %s; proxy_pass %s; }\n", l1, be.Addr) +
					fmt.Sprintf("    server { listen %s; proxy_pass 127.0.0.1:%d; }\n", l2, dead) +
					fmt.Sprintf("    server { listen %s; proxy_pass tcp_pool; }\n", l3),
				manifest: driftBackendTOML("db", be.Addr, ""),
				wantFail: 2,
			}
		}},
		{"undefined-upstream", func(t *testing.T) driftSetup {
			be := driftBackend4(t)
			return driftSetup{
				upstreams: fmt.Sprintf("upstream backend {\n    server %s;\n}\n", be.Addr),
				locations: driftLoc("/app/", "proxy_pass http://backend_app;"),
				manifest:  driftBackendTOML("app", be.Addr, ""),
				wantFail:  1,
			}
		}},
		{"upstream-all-down", func(t *testing.T) driftSetup {
			be1, be2 := driftBackend4(t), driftBackend4(t)
			return driftSetup{
				upstreams: fmt.Sprintf("upstream down_pool {\n    server %s down;\n    server %s down;\n}\n", be1.Addr, be2.Addr),
				locations: driftLoc("/api/", "proxy_pass http://down_pool;"),
				manifest:  driftBackendTOML("api", driftListOf(be1.Addr, be2.Addr), ""),
				wantFail:  1,
			}
		}},
		{"variable-targets", func(t *testing.T) driftSetup {
			// Variable targets are decided per request and, by design, not
			// checked: nginxlint stays silent whether nginx reaches a
			// backend (/good/) or not (/bad/).
			be := driftBackend4(t)
			dead := driftRefusedPort(t, "127.0.0.1")
			return driftSetup{
				locations: driftMarked(driftLoc("/good/", "set $good_target http://%s; proxy_pass $good_target;", be.Addr), driftMarkVariable) +
					driftMarked(driftLoc("/bad/", "set $bad_target http://127.0.0.1:%d; proxy_pass $bad_target;", dead), driftMarkVariable),
				manifest: driftBackendTOML("api", be.Addr, ""),
			}
		}},
		{"protocol-fastcgi-to-http-backend", func(t *testing.T) driftSetup {
			// The echo backend answers once it has read a line; FastCGI
			// records are binary, so the request must hold a 0x0a byte: the
			// length of the 10-byte value "/index.php" is one. (It answers
			// 400, which nginx reads as a FastCGI record of version 'H'.)
			be, other := driftBackend4(t), driftBackend4(t)
			return driftSetup{
				locations: driftLoc("/app/", "proxy_pass http://%s;", other.Addr) +
					driftLoc("/php/", "fastcgi_pass %s; fastcgi_param SCRIPT_NAME /index.php;", be.Addr),
				manifest: driftBackendTOML("app", be.Addr, `protocol = "http"`) +
					driftBackendTOML("other", other.Addr, ""),
				wantFail: 1,
			}
		}},
		{"localhost-backend-on-ipv4-only", func(t *testing.T) driftSetup {
			// nginx resolves localhost when it starts and dials each
			// address; [::1] is refused, nginx retries on 127.0.0.1.
			be := driftBackend4(t)
			return driftSetup{
				locations: driftMarked(driftLoc("/api/", "proxy_pass http://localhost:%d;", driftPort(t, be.Addr)), driftMarkOneFamily),
				manifest:  driftBackendTOML("api", be.Addr, ""),
			}
		}},
		{"ipv4-mapped-ipv6-target", func(t *testing.T) driftSetup {
			// An IPv6 socket connecting to ::ffff:127.0.0.1 reaches the
			// IPv4 listener on 127.0.0.1. When this was written,
			// nginxlint compared the mapped address with 127.0.0.1 unmapped
			// and reported drift.
			if !nginxtest.IPv6(t) {
				t.Skip("no IPv6 loopback here")
			}
			be := driftBackend4(t)
			return driftSetup{
				locations: driftLoc("/mapped/", "proxy_pass http://[::ffff:127.0.0.1]:%d;", driftPort(t, be.Addr)),
				manifest:  driftBackendTOML("api", be.Addr, ""),
			}
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			driftRunScenario(t, sc)
		})
	}
}

// driftLoc returns one location line holding the directives body.
func driftLoc(path, format string, args ...any) string {
	return fmt.Sprintf("        location %s { %s }\n", path, fmt.Sprintf(format, args...))
}

// driftMarked puts a marker comment at the end of a line made by driftLoc.
func driftMarked(line, mark string) string {
	return strings.TrimSuffix(line, "\n") + "  " + mark + "\n"
}

// driftBackendTOML returns one [backends.NAME] table. listen is an address or a
// TOML list made by driftListOf.
func driftBackendTOML(name, listen, extra string) string {
	if !strings.HasPrefix(listen, "[\"") {
		listen = strconv.Quote(listen)
	}
	s := fmt.Sprintf("[backends.%s]\nlisten = %s\n", name, listen)
	if extra != "" {
		s += extra + "\n"
	}
	return s + "\n"
}

// driftListOf returns a TOML list of addresses.
func driftListOf(addrs ...string) string {
	var q []string
	for _, a := range addrs {
		q = append(q, strconv.Quote(a))
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// driftStreamListen returns a free 127.0.0.1 address for a stream server.
func driftStreamListen(t *testing.T) string {
	return driftNginxListen(t)
}

var (
	driftListenMu   sync.Mutex
	driftListenUsed = map[int]bool{}
)

// driftNginxListen returns a free 127.0.0.1 address for nginx to listen on.
// nginxtest.FreePort's port comes from the kernel's ephemeral range, where
// the backends of scenarios running in parallel get their ports too: one
// of them may take it before nginx binds it (seen here). Ports below that
// range are never handed out by bind(0), so one found free there stays
// free, short of another program choosing that very port.
func driftNginxListen(t *testing.T) string {
	t.Helper()
	low := 0
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			low, _ = strconv.Atoi(f[0])
		}
	}
	const floor = 10000
	if low-floor >= 1000 {
		driftListenMu.Lock()
		defer driftListenMu.Unlock()
		for range 100 {
			p := floor + rand.IntN(low-floor)
			if driftListenUsed[p] {
				continue
			}
			addr := fmt.Sprintf("127.0.0.1:%d", p)
			ln, err := net.Listen("tcp4", addr)
			if err != nil {
				continue
			}
			if err := ln.Close(); err != nil {
				t.Fatal(err)
			}
			driftListenUsed[p] = true
			return addr
		}
	}
	return fmt.Sprintf("127.0.0.1:%d", nginxtest.FreePort(t))
}

func driftBackend4(t *testing.T) *nginxtest.Backend {
	return nginxtest.StartBackend(t, "tcp4", "127.0.0.1:0")
}

// driftPort returns the port of a host:port address.
func driftPort(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func driftMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// driftSocketDir returns a fresh directory with a short path, for unix sockets
// (sun_path is short, and t.TempDir() paths hold the test's name). It is
// removed when the test ends.
func driftSocketDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "nld")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("removing %s: %v", dir, err)
		}
	})
	return dir
}

// driftBindNoListen binds a TCP socket to ip:port (port 0: a free one) without
// listening: connections to it are refused, as where nothing listens, and
// no other process can take the address while the test runs. It returns
// the socket and its port; err is EADDRINUSE when the address is taken.
func driftBindNoListen(ip string, port int) (fd, bound int, err error) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return -1, 0, err
	}
	family := syscall.AF_INET6
	var sa syscall.Sockaddr = &syscall.SockaddrInet6{Port: port, Addr: addr.As16()}
	if addr.Is4() {
		family = syscall.AF_INET
		sa = &syscall.SockaddrInet4{Port: port, Addr: addr.As4()}
	}
	// Hold ForkLock so that no process started meanwhile (nginx) inherits
	// the socket before it is close-on-exec.
	syscall.ForkLock.RLock()
	fd, err = syscall.Socket(family, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, 0, err
	}
	if addr.Is6() {
		if err := syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, 1); err != nil {
			_ = syscall.Close(fd)
			return -1, 0, err
		}
	}
	if err := syscall.Bind(fd, sa); err != nil {
		_ = syscall.Close(fd)
		return -1, 0, err
	}
	got, err := syscall.Getsockname(fd)
	if err != nil {
		_ = syscall.Close(fd)
		return -1, 0, err
	}
	switch a := got.(type) {
	case *syscall.SockaddrInet4:
		bound = a.Port
	case *syscall.SockaddrInet6:
		bound = a.Port
	}
	return fd, bound, nil
}

// driftRefusedPort returns a port on ip where connections are refused for the
// whole test.
func driftRefusedPort(t *testing.T, ip string) int {
	t.Helper()
	fd, p, err := driftBindNoListen(ip, 0)
	if err != nil {
		t.Fatalf("reserving a port on %s: %v", ip, err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	return p
}

// driftRefusedAt makes connections to ip:port refused for the whole test and
// reports whether it could (false when something else holds the address).
func driftRefusedAt(t *testing.T, ip string, port int) bool {
	t.Helper()
	fd, _, err := driftBindNoListen(ip, port)
	if errors.Is(err, syscall.EADDRINUSE) {
		return false
	}
	if err != nil {
		t.Fatalf("reserving %s port %d: %v", ip, port, err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	return true
}

// driftBackend6WithRefusedIPv4 starts a backend on [::1]:P such that 127.0.0.1:P
// refuses connections for the whole test.
func driftBackend6WithRefusedIPv4(t *testing.T) (*nginxtest.Backend, int) {
	t.Helper()
	for range 20 {
		be := nginxtest.StartBackend(t, "tcp6", "[::1]:0")
		p := driftPort(t, be.Addr)
		if driftRefusedAt(t, "127.0.0.1", p) {
			return be, p
		}
		be.Close()
	}
	t.Fatal("no [::1] port whose 127.0.0.1 twin is free")
	return nil, 0
}

// driftDialable reports whether a TCP connection to addr succeeds.
func driftDialable(network, addr string) bool {
	c, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// driftWildcardBackend starts a minimal HTTP server on a wildcard address
// ("0.0.0.0:0" with tcp4; "[::]:0" with tcp, which Go makes dual-stack),
// which nginxtest.StartBackend does not allow, and returns its port. It
// serves only clients on loopback (others are disconnected at once): each
// connection gets one "200 OK" and is closed. A cleanup stops it.
func driftWildcardBackend(t *testing.T, network, addr string) int {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("listening on %s %s: %v", network, addr, err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				time.Sleep(10 * time.Millisecond)
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				driftServeOne(c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		wg.Wait()
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// driftServeOne answers one HTTP request on c with 200 and closes it; clients
// that are not on loopback are disconnected.
func driftServeOne(c net.Conn) {
	defer c.Close()
	if ra, ok := c.RemoteAddr().(*net.TCPAddr); !ok || !ra.IP.IsLoopback() {
		return
	}
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if strings.TrimRight(line, "\r\n") == "" {
			break
		}
	}
	_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
}

// driftObservation is what nginx did with one config.
type driftObservation struct {
	conf     string
	checkOut string           // nginx -t output
	errorLog string           // "" when nginx -t failed
	statuses map[string][]int // location path -> status of each request
	failed   map[int][]string // config line -> why nginx failed there
}

func (o *driftObservation) dump() string {
	var b strings.Builder
	b.WriteString("--- nginx.conf\n")
	for i, l := range strings.Split(strings.TrimSuffix(o.conf, "\n"), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	fmt.Fprintf(&b, "--- nginx -t\n%s", o.checkOut)
	b.WriteString("--- responses\n")
	for _, p := range slices.Sorted(maps.Keys(o.statuses)) {
		fmt.Fprintf(&b, "%s: %v\n", p, o.statuses[p])
	}
	fmt.Fprintf(&b, "--- nginx error.log\n%s", o.errorLog)
	return b.String()
}

// driftObserve writes conf as the tree dir/nginx.conf, runs `nginx -t` on it
// and, when that passes, nginx, sends requestsPerLocation GET requests to
// each location of the server listening on listen, and maps the failures
// to config lines.
func driftObserve(t *testing.T, dir, listen, conf string) *driftObservation {
	t.Helper()
	confPath := filepath.Join(dir, "nginx.conf")
	driftWriteFile(t, confPath, conf)
	o := &driftObservation{conf: conf, statuses: map[string][]int{}, failed: map[int][]string{}}
	lines := strings.Split(conf, "\n")
	ok, out := nginxtest.Check(t, dir, "nginx.conf")
	o.checkOut = out
	if !ok {
		msg, file, line, found := nginxtest.ParseError(out)
		if !found || line == 0 || !sameFile(file, confPath) {
			t.Fatalf("nginx -t failed without naming a line of nginx.conf\n%s", o.dump())
		}
		o.failed[line] = append(o.failed[line], "nginx -t: "+msg)
		return o
	}
	addrs := []string{listen}
	for _, p := range driftProbeKeys(lines) {
		if a, ok := strings.CutPrefix(p, "tcp://"); ok {
			addrs = append(addrs, a)
		}
	}
	srv := nginxtest.Start(t, dir, "nginx.conf", addrs...)
	defer srv.Stop()
	for _, p := range driftProbeKeys(lines) {
		for range driftRequestsPerLocation {
			o.statuses[p] = append(o.statuses[p], driftProbe(t, listen, p))
		}
	}
	o.errorLog = srv.ErrorLog()
	if problems := driftAttributeLog(lines, o); len(problems) > 0 {
		t.Fatalf("oracle: %s\n%s", strings.Join(problems, "\n"), o.dump())
	}
	return o
}

func driftRunScenario(t *testing.T, sc driftScenario) {
	s := sc.build(t)
	state := t.TempDir() // logs, temporary files, the manifest
	dir := t.TempDir()   // the tree
	listen := driftNginxListen(t)
	conf := nginxtest.MainPreamble(state) +
		"http {\n" + nginxtest.HTTPPreamble(state) +
		"proxy_connect_timeout 5s;\nproxy_read_timeout 5s;\nfastcgi_connect_timeout 5s;\nfastcgi_read_timeout 5s;\n" +
		s.upstreams +
		"server {\n    listen " + listen + ";\n" + s.locations + "}\n}\n"
	if s.stream != "" {
		// load_module must come before the first block (events).
		conf = "load_module " + driftStreamModule + ";\n" + conf +
			"stream {\nproxy_connect_timeout 5s;\nproxy_timeout 5s;\n" + s.stream + "}\n"
	}
	confPath := filepath.Join(dir, "nginx.conf")
	manifestPath := filepath.Join(state, "backends.toml")
	driftWriteFile(t, confPath, conf)
	driftWriteFile(t, manifestPath, s.manifest)
	lines := strings.Split(conf, "\n") // lines[i] is line i+1

	diags, lintOut := lintJSON(t, "--manifest", manifestPath, dir)
	lintErrs := map[int][]string{}  // line -> findings claiming nginx fails
	lintWarns := map[int][]string{} // line -> backend-localhost-family warnings
	lintAny := map[int][]string{}   // line -> any finding of the backend rules
	var fixes []jsonEdit
	for _, d := range diags {
		if !sameFile(d.File, confPath) {
			continue
		}
		text := fmt.Sprintf("%d:%d: %s: %s [%s]", d.Line, d.Column, d.Severity, d.Message, d.Rule)
		if driftFailureRules[d.Rule] || d.Rule == driftFamilyRule {
			lintAny[d.Line] = append(lintAny[d.Line], text)
			for _, f := range d.Fixes {
				fixes = append(fixes, f.Edits...)
			}
		}
		switch {
		case driftFailureRules[d.Rule] && d.Severity == "error":
			lintErrs[d.Line] = append(lintErrs[d.Line], text)
		case d.Rule == driftFamilyRule && d.Severity == "warning":
			lintWarns[d.Line] = append(lintWarns[d.Line], text)
		}
	}

	o := driftObserve(t, dir, listen, conf)
	dump := func() string {
		return o.dump() + "--- backends.toml\n" + s.manifest + "--- nginxlint --format json\n" + lintOut
	}

	// What nginxlint must say, line by line.
	wantErrs := map[int][]string{}
	wantWarns := map[int][]string{}
	var problems, notes []string
	for line, why := range o.failed {
		text := lines[line-1]
		switch {
		case strings.Contains(text, driftMarkVariable):
			notes = append(notes, fmt.Sprintf("line %d (variable target, not checked by design): nginx failed: %s", line, strings.Join(why, "; ")))
		case strings.Contains(text, "localhost:") && driftAllOK(o.statuses[driftProbeKey(text)]):
			wantWarns[line] = why
		default:
			wantErrs[line] = why
		}
	}
	for i, text := range lines {
		line := i + 1
		switch {
		case strings.Contains(text, driftMarkVariable):
			if len(lintAny[line]) > 0 {
				problems = append(problems, fmt.Sprintf("line %d holds a variable target, which nginxlint does not check, yet it reported: %s", line, strings.Join(lintAny[line], " | ")))
			}
		case strings.Contains(text, driftMarkOneFamily):
			if !driftAllOK(o.statuses[driftProbeKey(text)]) {
				problems = append(problems, fmt.Sprintf("line %d: localhost target of a one-family backend: want every request answered 200 (nginx retries on the other family), got %v", line, o.statuses[driftProbeKey(text)]))
			}
			if wantWarns[line] == nil {
				wantWarns[line] = []string{"the backend listens on one address family only"}
				notes = append(notes, fmt.Sprintf("line %d: nginx logged no connect() failure on the other address family; here localhost resolves to %s only (see /etc/hosts), so nginx never dialled it", line, driftLookupLocalhost()))
			}
		}
	}
	for _, line := range driftUnionKeys(wantErrs, lintErrs) {
		switch {
		case lintErrs[line] == nil:
			problems = append(problems, fmt.Sprintf("line %d: nginx failed (%s), but nginxlint reported no error there", line, strings.Join(wantErrs[line], "; ")))
		case wantErrs[line] == nil:
			problems = append(problems, fmt.Sprintf("line %d: nginxlint reported %s, but nginx worked there", line, strings.Join(lintErrs[line], " | ")))
		}
	}
	for _, line := range driftUnionKeys(wantWarns, lintWarns) {
		switch {
		case lintWarns[line] == nil:
			problems = append(problems, fmt.Sprintf("line %d: want a %s warning (%s), nginxlint gave none", line, driftFamilyRule, strings.Join(wantWarns[line], "; ")))
		case wantWarns[line] == nil:
			problems = append(problems, fmt.Sprintf("line %d: nginxlint warned %s, but nginx showed no one-family failure there", line, strings.Join(lintWarns[line], " | ")))
		}
	}
	if len(wantErrs) != s.wantFail {
		problems = append(problems, fmt.Sprintf("scenario: nginx failed at %d lines %v, the scenario means it to fail at %d", len(wantErrs), slices.Sorted(maps.Keys(wantErrs)), s.wantFail))
	}
	t.Log(driftSummary(o, lines, diags, confPath))
	for _, n := range notes {
		t.Log(n)
	}
	if len(problems) > 0 {
		t.Errorf("nginxlint and nginx disagree:\n%s\n%s", strings.Join(problems, "\n"), dump())
	}
	if len(fixes) > 0 {
		driftCheckFixes(t, conf, listen, confPath, fixes, o.failed)
	}
}

// driftCheckFixes applies nginxlint's fix-its to conf and runs nginx on the
// result: every line a fix-it rewrote must then work.
func driftCheckFixes(t *testing.T, conf, listen, confPath string, edits []jsonEdit, failedBefore map[int][]string) {
	t.Helper()
	fixed, err := driftApplyEdits(conf, confPath, edits)
	if err != nil {
		t.Errorf("nginxlint's fix-its cannot be applied: %v", err)
		return
	}
	listen2 := driftNginxListen(t)
	fixed = strings.Replace(fixed, "listen "+listen+";", "listen "+listen2+";", 1)
	o := driftObserve(t, t.TempDir(), listen2, fixed)
	var problems []string
	touched := map[int]bool{}
	confLines := strings.Split(conf, "\n")
	for _, e := range edits {
		touched[e.Line] = true
		if e.Line == e.EndLine && e.Line <= len(confLines) && e.EndColumn-1 <= len(confLines[e.Line-1]) && e.Column <= e.EndColumn {
			if old := confLines[e.Line-1][e.Column-1 : e.EndColumn-1]; old == e.NewText {
				problems = append(problems, fmt.Sprintf("line %d: the fix-it replaces %q with itself", e.Line, old))
			}
		}
	}
	for _, line := range slices.Sorted(maps.Keys(touched)) {
		if why := o.failed[line]; why != nil {
			problems = append(problems, fmt.Sprintf("line %d still fails after nginxlint's fix-it (%s); before the fix: %s", line, strings.Join(why, "; "), strings.Join(failedBefore[line], "; ")))
		}
	}
	summaryLine := "fix-its applied:"
	for _, e := range edits {
		summaryLine += fmt.Sprintf(" line %d -> %q;", e.Line, e.NewText)
	}
	t.Log(summaryLine)
	if len(problems) > 0 {
		t.Errorf("nginxlint's fix-its do not fix nginx:\n%s\n%s", strings.Join(problems, "\n"), o.dump())
	}
}

// driftApplyEdits applies edits, all of which must be of path, to src.
func driftApplyEdits(src, path string, edits []jsonEdit) (string, error) {
	for _, e := range edits {
		if !sameFile(e.File, path) {
			return "", fmt.Errorf("edit of another file %s", e.File)
		}
	}
	return applyEdits(src, edits)
}

var (
	driftLocationRE = regexp.MustCompile(`^\s*location (/\S*) \{`)
	driftLogLineRE  = regexp.MustCompile(`\[(?:error|crit|alert)\] \d+#\d+: \*\d+ (.*?), client: .*upstream: "([^"]*)"`)
	driftRequestRE  = regexp.MustCompile(`request: "[A-Z]+ (\S+) HTTP/`)
	driftServerRE   = regexp.MustCompile(`, server: ([^,]+),`)
	// driftStreamServerRE matches a stream server written on one line.
	driftStreamServerRE = regexp.MustCompile(`^\s*server \{ listen (\S+); `)
	driftUpstreamRE     = regexp.MustCompile(`^\s*upstream (\S+) \{`)
)

// driftSummary says in a few lines what nginx did and what nginxlint reported.
func driftSummary(r *driftObservation, lines []string, diags []jsonDiag, confPath string) string {
	failed := r.failed
	var b strings.Builder
	b.WriteString("nginx:")
	if r.errorLog == "" {
		b.WriteString(" nginx -t failed")
	} else {
		var paths []string
		for p := range r.statuses {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			fmt.Fprintf(&b, " %s %v;", p, r.statuses[p])
		}
	}
	for _, line := range slices.Sorted(maps.Keys(failed)) {
		fmt.Fprintf(&b, "\n  fails at line %d %q: %s", line, strings.TrimSpace(lines[line-1]), strings.Join(failed[line], "; "))
	}
	b.WriteString("\nnginxlint:")
	n := 0
	for _, d := range diags {
		if sameFile(d.File, confPath) {
			fmt.Fprintf(&b, "\n  %d:%d: %s [%s] %s", d.Line, d.Column, d.Severity, d.Rule, d.Message)
			n++
		}
	}
	if n == 0 {
		b.WriteString(" silent")
	}
	return b.String()
}

// driftProbeKeys returns what the config can be probed at: the path of each
// prefix location, and "tcp://ADDR" for each stream server.
func driftProbeKeys(lines []string) []string {
	var ps []string
	for _, l := range lines {
		if p := driftProbeKey(l); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

// driftProbeKey returns what a config line can be probed at: the path of the
// location on it, "tcp://ADDR" for a stream server listening on ADDR, or "".
func driftProbeKey(line string) string {
	if m := driftLocationRE.FindStringSubmatch(line); m != nil {
		return m[1]
	}
	if m := driftStreamServerRE.FindStringSubmatch(line); m != nil {
		return "tcp://" + m[1]
	}
	return ""
}

// driftProbe sends one request to the probe key p and returns the HTTP status,
// or 0 when a stream proxy closed the connection without a response.
func driftProbe(t *testing.T, listen, p string) int {
	t.Helper()
	addr, ok := strings.CutPrefix(p, "tcp://")
	if !ok {
		status, _ := nginxtest.Get(t, "http://"+listen+p)
		return status
	}
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("stream probe: %v", err)
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: stream\r\nConnection: close\r\n\r\n"); err != nil {
		return 0
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("stream probe %s: %v", addr, err)
		}
		return 0 // closed without a response
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0
	}
	return resp.StatusCode
}

// driftAttributeLog maps nginx's run-time failures to config lines (into
// failed) and returns what it could not map.
func driftAttributeLog(lines []string, r *driftObservation) []string {
	failed := r.failed
	var problems []string
	// Which upstream block each line belongs to.
	member := map[int]string{}
	blockLine := map[string]int{}
	cur := ""
	for i, l := range lines {
		if m := driftUpstreamRE.FindStringSubmatch(l); m != nil {
			cur = m[1]
			blockLine[cur] = i + 1
			continue
		}
		if cur != "" && strings.TrimSpace(l) == "}" {
			cur = ""
			continue
		}
		if cur != "" {
			member[i+1] = cur
		}
	}
	logged := map[string]bool{} // request paths the log has upstream errors for
	noLive := map[string][]string{}
	for _, l := range strings.Split(r.errorLog, "\n") {
		m := driftLogLineRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		msg, upstream := m[1], m[2]
		path := ""
		if rm := driftRequestRE.FindStringSubmatch(l); rm != nil {
			path = rm[1]
		} else if sm := driftServerRE.FindStringSubmatch(l); sm != nil {
			path = "tcp://" + sm[1] // stream: the server's listen address
		}
		logged[path] = true
		addr := driftUpstreamAddr(upstream)
		if strings.Contains(msg, "no live upstreams") {
			noLive[addr] = append(noLive[addr], msg)
			continue
		}
		line, err := driftLineOf(lines, addr, path)
		if err != nil {
			problems = append(problems, fmt.Sprintf("error.log line %q: %v", l, err))
			continue
		}
		failed[line] = driftAppendOnce(failed[line], msg+" (upstream "+addr+")")
	}
	// "no live upstreams" is the upstream block's own failure only when
	// nginx dialled none of its members: otherwise it follows from the
	// members' failures (nginx marks a failed server unavailable).
	for name, msgs := range noLive {
		bl, ok := blockLine[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("no live upstreams in %q, which is no upstream block of the config", name))
			continue
		}
		membersFailed := false
		for line := range failed {
			if member[line] == name {
				membersFailed = true
			}
		}
		if !membersFailed {
			failed[bl] = driftAppendOnce(failed[bl], msgs[0])
		}
	}
	// A request that failed with nothing in error.log fails at its
	// location's line.
	for i, l := range lines {
		p := driftProbeKey(l)
		if p == "" || logged[p] {
			continue
		}
		for _, st := range r.statuses[p] {
			if st != 200 {
				failed[i+1] = driftAppendOnce(failed[i+1], fmt.Sprintf("%s answered %d", p, st))
			}
		}
	}
	return problems
}

// driftUpstreamAddr returns the address part of the upstream URL nginx logs:
// "127.0.0.1:8001" for "http://127.0.0.1:8001/x", "unix:/run/a.sock" for
// "http://unix:/run/a.sock:/x", "pool" for "http://pool/x" (no live
// upstreams).
func driftUpstreamAddr(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if strings.HasPrefix(u, "unix:") {
		p := u[len("unix:"):]
		if i := strings.IndexByte(p, ':'); i >= 0 {
			p = p[:i]
		}
		return "unix:" + p
	}
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	return u
}

// driftLineOf returns the config line holding the target address addr; when
// several do, the location line of the request path decides.
func driftLineOf(lines []string, addr, path string) (int, error) {
	spellings := []string{addr}
	if host, p, err := net.SplitHostPort(addr); err == nil && (host == "127.0.0.1" || host == "::1") {
		spellings = append(spellings, "localhost:"+p) // nginx logs the address localhost resolved to
	}
	var cands []int
	for i, l := range lines {
		for _, s := range spellings {
			if driftContainsAddr(l, s) {
				cands = append(cands, i+1)
				break
			}
		}
	}
	if len(cands) > 1 {
		var onPath []int
		for _, c := range cands {
			if path != "" && driftProbeKey(lines[c-1]) == path {
				onPath = append(onPath, c)
			}
		}
		cands = onPath
	}
	if len(cands) != 1 {
		return 0, fmt.Errorf("%d config lines hold the address %s (request %s); want exactly one", len(cands), addr, path)
	}
	return cands[0], nil
}

// driftContainsAddr reports whether line holds addr as a whole address: not
// followed by a character that would continue it (a digit of a longer port,
// more of a socket path).
func driftContainsAddr(line, addr string) bool {
	for off := 0; ; {
		i := strings.Index(line[off:], addr)
		if i < 0 {
			return false
		}
		end := off + i + len(addr)
		if end == len(line) || strings.ContainsRune(";: /\"'", rune(line[end])) {
			return true
		}
		off += i + 1
	}
}

func driftAppendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func driftAllOK(statuses []int) bool {
	for _, s := range statuses {
		if s != 200 {
			return false
		}
	}
	return len(statuses) > 0
}

func driftUnionKeys(a, b map[int][]string) []int {
	set := map[int]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	var out []int
	for k := range set {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// driftLookupLocalhost says what localhost resolves to here.
func driftLookupLocalhost() string {
	addrs, err := net.LookupHost("localhost")
	if err != nil {
		return "nothing (" + err.Error() + ")"
	}
	return strings.Join(addrs, ", ")
}

func driftWriteFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
