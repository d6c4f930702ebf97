package nginxtest

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

const (
	getTimeout  = 5 * time.Second
	maxGetBytes = 64 << 20
)

// Get sends GET url with a fresh http.Client (keep-alives disabled, no proxy,
// a 5-second timeout) and returns the status code and body. Redirects are
// not followed: the redirect response itself is returned. The URL's host must
// be a loopback address or localhost; the test fails on any error.
func Get(t testing.TB, rawURL string) (status int, body string) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("nginxtest.Get: %v", err)
	}
	if !loopbackHost(u.Hostname()) {
		t.Fatalf("nginxtest.Get: %s: host %q is not on loopback", rawURL, u.Hostname())
	}
	client := &http.Client{
		Timeout: getTimeout,
		Transport: &http.Transport{
			Proxy:             nil,
			DisableKeepAlives: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	defer client.CloseIdleConnections()
	resp, err := client.Get(rawURL)
	if err != nil {
		t.Fatalf("nginxtest.Get: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxGetBytes))
	if err != nil {
		t.Fatalf("nginxtest.Get %s: reading body: %v", rawURL, err)
	}
	return resp.StatusCode, string(b)
}

// FreePort returns a TCP port that was free on 127.0.0.1 a moment ago: it
// listens on 127.0.0.1:0 and closes the listener. Another process may take
// the port before the test uses it, which Start reports.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("nginxtest.FreePort: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

var (
	ipv6Once sync.Once
	ipv6Err  error
)

// IPv6 reports whether a TCP socket can be bound to [::1] here. Tests of IPv6
// scenarios skip when it cannot.
func IPv6(t testing.TB) bool {
	t.Helper()
	ipv6Once.Do(func() {
		ln, err := net.Listen("tcp6", "[::1]:0")
		if err != nil {
			ipv6Err = err
			return
		}
		ln.Close()
	})
	if ipv6Err != nil {
		t.Logf("nginxtest: no IPv6 loopback: %v", ipv6Err)
		return false
	}
	return true
}
