package manifest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// TestIsExternalMatchesScan compares IsExternal on long external lists,
// which it indexes, with trying each entry in turn.
func TestIsExternalMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	pick := func(list ...string) string { return list[r.IntN(len(list))] }
	entries := []string{
		"api.example.com", "API.example.org", "*.example.com", "*.b.example.com", "example.net:443",
		"*.example.net:8443", "10.0.0.0/8", "10.1.2.3", "192.0.2.1:80",
		"2001:db8::/32", "[2001:db8::1]:443", "2001:db8::5", "::ffff:10.0.0.0/104", "db", "*.internal",
	}
	hosts := []string{
		"api.example.com", "API.EXAMPLE.COM.", "x.example.com", "x.b.example.com", "example.com", "example.net",
		"a.example.net", "db", "db.internal", "internal", "x.y.internal", "other.test", "",
	}
	ips := []string{"10.0.0.1", "10.1.2.3", "10.2.0.1", "192.0.2.1", "2001:db8::1", "2001:db8::5", "2001:db9::1",
		"::ffff:10.0.0.1", "127.0.0.1", "fe80::1%eth0"}
	for range 300 {
		m := &Manifest{}
		for range smallBucket + 1 + r.IntN(30) {
			e, err := ParseExternal(pick(entries...))
			if err != nil {
				t.Fatal(err)
			}
			m.External = append(m.External, e)
		}
		if r.IntN(5) == 0 {
			// Made by hand: a range that is not masked, ranges limited to
			// a port, an entry of nothing.
			m.External = append(m.External, External{Prefix: netip.MustParsePrefix("10.9.9.9/8")},
				External{Prefix: netip.MustParsePrefix("10.1.0.0/16"), Port: 443},
				External{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Port: 9999}, External{})
		}
		for range 50 {
			var a Addr
			switch port := []int{0, 80, 443, 8443, 9999}[r.IntN(5)]; r.IntN(3) {
			case 0:
				a = Addr{Addr: nginx.Addr{Host: pick(hosts...), Port: port}}
			case 1:
				ip := netip.MustParseAddr(pick(ips...))
				a = Addr{Addr: nginx.Addr{Host: ip.String(), IP: ip, Port: port}}
			default:
				a = Addr{Addr: nginx.Addr{Unix: true, Path: "/run/a.sock"}}
			}
			if got, want := m.IsExternal(a), matchesAny(m.External, a); got != want {
				t.Fatalf("IsExternal(%+v) = %v, want %v; external: %v", a, got, want, m.External)
			}
		}
	}
}

// TestByUpstreamMatchesScan compares ByUpstream, which looks names up in
// an index, with comparing each backend's upstream in turn.
func TestByUpstreamMatchesScan(t *testing.T) {
	names := []string{"api_pool", "API_Pool", "web", "WEB", "kelvin_\u212a", "kelvin_k", "straße", "STRASSE", ""}
	r := rand.New(rand.NewPCG(9, 10))
	for range 300 {
		m := &Manifest{}
		ascii := r.IntN(2) == 0
		for i := range r.IntN(20) {
			name := names[r.IntN(len(names))]
			if ascii && !isASCII(name) {
				name = "x"
			}
			m.Backends = append(m.Backends, &Backend{Name: fmt.Sprint(i), Upstream: name})
		}
		for _, q := range names {
			var want []*Backend
			for _, b := range m.Backends {
				if b.Upstream != "" && strings.EqualFold(b.Upstream, q) {
					want = append(want, b)
				}
			}
			if got := m.ByUpstream(q); !reflect.DeepEqual(got, want) {
				t.Fatalf("ByUpstream(%q) = %v, want %v", q, got, want)
			}
		}
	}
}

// TestBackendAcceptsMatchesScan compares BackendAccepts, which indexes
// backends of many addresses, with trying each address in turn.
func TestBackendAcceptsMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 200 {
		m := &Manifest{}
		for i := range 1 + r.IntN(4) {
			b := &Backend{Name: fmt.Sprint(i)}
			for range r.IntN(3 * smallBucket) {
				b.Listen = append(b.Listen, randomAddr(r))
			}
			m.Backends = append(m.Backends, b)
		}
		outside := &Backend{Name: "outside", Listen: m.Backends[0].Listen}
		var targets []Addr
		for range 40 {
			targets = append(targets, randomAddr(r))
		}
		for _, b := range m.Backends {
			targets = append(targets, b.Listen...)
		}
		for _, b := range append(m.Backends, outside) {
			for _, tg := range targets {
				want := false
				for _, l := range b.Listen {
					want = want || l.Accepts(tg)
				}
				if got := m.BackendAccepts(b, tg); got != want {
					t.Fatalf("BackendAccepts(%s, %+v) = %v, want %v; listen: %+v", b.Name, tg, got, want, b.Listen)
				}
			}
		}
	}
}

// nearestOld is Nearest as first written: every listen address is scored
// and the least one wins. Nearest must give the same answer from its
// index.
func nearestOld(m *Manifest, t Addr) (*Backend, Addr, bool) {
	type candidate struct {
		b     *Backend
		l     Addr
		tier  int
		score int
	}
	var cands []candidate
	for _, b := range m.Backends {
		if b == nil {
			continue
		}
		for _, l := range b.Listen {
			if c, ok := nearScore(l, t); ok {
				cands = append(cands, candidate{b, l, c[0], c[1]})
			}
		}
	}
	if len(cands) == 0 {
		return nil, Addr{}, false
	}
	best := slices.MinFunc(cands, func(x, y candidate) int {
		return cmp.Or(
			cmp.Compare(x.tier, y.tier),
			cmp.Compare(x.score, y.score),
			strings.Compare(x.b.Name, y.b.Name),
			strings.Compare(x.l.String(), y.l.String()),
		)
	})
	return best.b, best.l, true
}

// TestNearestMatchesOld compares Nearest with nearestOld on random
// manifests, small ones (tried one by one) and large ones (indexed).
func TestNearestMatchesOld(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	spread := func(a Addr) Addr {
		if !a.Unix && r.IntN(2) == 0 {
			a.Port = r.IntN(12)
		}
		return a
	}
	for iter := range 600 {
		m := &Manifest{}
		n := r.IntN(smallBucket)
		if iter%2 == 0 {
			n = smallBucket + 1 + r.IntN(40)
		}
		for range n {
			if r.IntN(30) == 0 {
				m.Backends = append(m.Backends, nil)
				continue
			}
			b := &Backend{Name: string(rune('a' + r.IntN(6)))}
			for range r.IntN(4) {
				b.Listen = append(b.Listen, spread(randomAddr(r)))
			}
			m.Backends = append(m.Backends, b)
		}
		for range 60 {
			tg := spread(randomAddr(r))
			gb, gl, gok := m.Nearest(tg)
			wb, wl, wok := nearestOld(m, tg)
			if gb != wb || !reflect.DeepEqual(gl, wl) || gok != wok {
				t.Fatalf("Nearest(%+v) = %v %+v %v, want %v %+v %v", tg, gb, gl, gok, wb, wl, wok)
			}
		}
	}
}
