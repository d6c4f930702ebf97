package manifest

import (
	"math/rand/v2"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// resolveByScan is Resolve as first written: every listen address of the
// manifest is tried in turn, with Accepts and acceptRank. Resolve must
// give the same answer from its index.
func resolveByScan(m *Manifest, t Addr) Resolution {
	if m == nil {
		return Resolution{}
	}
	find := func(t Addr) (*Backend, Addr) {
		var (
			best     *Backend
			bestAddr Addr
			bestRank int
		)
		for _, b := range m.Backends {
			if b == nil {
				continue
			}
			for _, l := range b.Listen {
				if !l.Accepts(t) {
					continue
				}
				rank := 0
				if !t.Unix {
					rank, _ = l.acceptRank(t)
				}
				if best == nil || rank < bestRank || (rank == bestRank && b.Name < best.Name) {
					best, bestAddr, bestRank = b, l, rank
				}
			}
		}
		return best, bestAddr
	}
	if !t.Unix && !t.IP.IsValid() && strings.EqualFold(t.Host, "localhost") {
		r := Resolution{Localhost: true}
		v4 := Addr{Addr: nginx.Addr{Host: loopback4.String(), IP: loopback4, Port: t.Port}}
		v6 := Addr{Addr: nginx.Addr{Host: loopback6.String(), IP: loopback6, Port: t.Port}}
		b4, l4 := find(v4)
		b6, l6 := find(v6)
		r.IPv4, r.IPv6 = b4, b6
		switch {
		case b4 == nil && b6 == nil:
			return r
		case b4 == b6:
			r.Kind, r.Backend, r.Listen = Match, b4, l4
		case b4 != nil:
			r.Kind, r.Backend, r.Listen = LocalhostPartial, b4, l4
			if b6 == nil {
				r.Refused = v6
			}
		default:
			r.Kind, r.Backend, r.Listen = LocalhostPartial, b6, l6
			r.Refused = v4
		}
		return r
	}
	b, l := find(t)
	if b == nil {
		return Resolution{}
	}
	return Resolution{Kind: Match, Backend: b, Listen: l}
}

// randomAddr returns an address as ParseListen or ParseTarget may give,
// or, now and then, one only a hand-made Manifest can hold.
func randomAddr(r *rand.Rand) Addr {
	pick := func(list ...string) string { return list[r.IntN(len(list))] }
	ports := []int{80, 80, 81, 8001, 0, 1, 65535}
	if r.IntN(10) == 0 {
		ports = []int{-1, 65536, 1 << 20, 0}
	}
	port := ports[r.IntN(len(ports))]
	switch r.IntN(8) {
	case 0:
		a := Addr{Addr: nginx.Addr{Unix: true, Path: pick("/run/a.sock", "/run/b.sock", "", "/run/a.sock")}}
		if r.IntN(10) == 0 {
			a.Port = port // hand-made
		}
		return a
	case 1:
		a := Addr{Addr: nginx.Addr{Host: pick("localhost", "LocalHost", "app", "APP", "app.internal", ""), Port: port}}
		if r.IntN(10) == 0 {
			a.Path = "/x" // hand-made
		}
		return a
	}
	ip := netip.MustParseAddr(pick("127.0.0.1", "0.0.0.0", "::", "::1", "10.0.0.1", "127.0.0.2", "2001:db8::1", "0.0.0.0"))
	return Addr{Addr: nginx.Addr{Host: ip.String(), IP: ip, Port: port}}
}

// TestResolveMatchesScan compares Resolve with resolveByScan on random
// manifests, overlapping and odd ones included, and random targets.
func TestResolveMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		m := &Manifest{}
		for range r.IntN(8) {
			if r.IntN(20) == 0 {
				m.Backends = append(m.Backends, nil)
				continue
			}
			b := &Backend{Name: string(rune('a' + r.IntN(5)))}
			for range r.IntN(4) {
				b.Listen = append(b.Listen, randomAddr(r))
			}
			m.Backends = append(m.Backends, b)
		}
		var targets []Addr
		for range 20 {
			targets = append(targets, randomAddr(r))
		}
		for _, b := range m.Backends {
			if b != nil {
				targets = append(targets, b.Listen...)
			}
		}
		for _, tg := range targets {
			got, want := m.Resolve(tg), resolveByScan(m, tg)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Resolve(%+v) = %+v, want %+v", tg, got, want)
			}
		}
	}
}

// TestResolveAllocates checks that Resolve allocates nothing once the
// index is built.
func TestResolveAllocates(t *testing.T) {
	m := mustParse(t, resolveManifest)
	targets := []Addr{
		target(t, "localhost:8001"), target(t, "127.0.0.1:8004"), target(t, "unix:/run/app.sock"),
		target(t, "http://app.internal:9000"), target(t, "backend"),
	}
	m.Resolve(targets[0])
	if n := testing.AllocsPerRun(100, func() {
		for _, tg := range targets {
			m.Resolve(tg)
		}
	}); n != 0 {
		t.Errorf("Resolve allocates %v times per run", n)
	}
}

// TestResolveMatchesScanCrowded is TestResolveMatchesScan with more
// listen addresses on a port than Resolve tries one by one, so that it
// looks them up by host.
func TestResolveMatchesScanCrowded(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	crowded := 0
	for range 300 {
		m := &Manifest{}
		for range smallBucket + r.IntN(4*smallBucket) {
			b := &Backend{Name: string(rune('a' + r.IntN(8)))}
			for range 1 + r.IntN(3) {
				b.Listen = append(b.Listen, crowdedAddr(r))
			}
			m.Backends = append(m.Backends, b)
		}
		if m.Resolve(Addr{}); m.index.ends != nil {
			crowded++
		}
		var targets []Addr
		for range 40 {
			targets = append(targets, crowdedAddr(r))
		}
		for _, b := range m.Backends {
			targets = append(targets, b.Listen...)
		}
		for _, tg := range targets {
			got, want := m.Resolve(tg), resolveByScan(m, tg)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Resolve(%+v) = %+v, want %+v", tg, got, want)
			}
		}
	}
	if crowded < 200 {
		t.Errorf("%d manifests of 300 have a crowded port: the test does not test what it should", crowded)
	}
}

// crowdedAddr is randomAddr on few ports, all valid.
func crowdedAddr(r *rand.Rand) Addr {
	a := randomAddr(r)
	if !a.Unix {
		a.Port = []int{80, 80, 81, 0}[r.IntN(4)]
	}
	return a
}
