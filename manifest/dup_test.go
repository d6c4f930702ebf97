package manifest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// checkDuplicatesByPairs is checkDuplicates as first written: each
// address is compared with every address of its group written before it.
// checkDuplicates must report the same from its index.
func (p *parser) checkDuplicatesByPairs(m *Manifest) {
	type entry struct {
		b *Backend
		a *Addr
		i int
	}
	var all []entry
	for _, b := range m.Backends {
		for i := range b.Listen {
			all = append(all, entry{b, &b.Listen[i], len(all)})
		}
	}
	slices.SortFunc(all, func(x, y entry) int {
		if c := compareListenGroups(x.a, y.a); c != 0 {
			return c
		}
		if c := comparePositions(x.a.Pos, y.a.Pos); c != 0 {
			return c
		}
		return x.i - y.i
	})
	for start := 0; start < len(all); {
		end := start + 1
		for end < len(all) && compareListenGroups(all[start].a, all[end].a) == 0 {
			end++
		}
		group := all[start:end]
		start = end
		for j, cur := range group {
			for _, prev := range group[:j] {
				if p.checkDuplicate(prev.b, cur.b, *prev.a, *cur.a) {
					break
				}
			}
		}
	}
}

// randomListen returns a listen address as the manifest may hold, drawn
// from few hosts and ports so that they collide often.
func randomListen(r *rand.Rand) string {
	pick := func(list ...string) string { return list[r.IntN(len(list))] }
	if r.IntN(8) == 0 {
		return pick("unix:/run/a.sock", "unix:/var/run/a.sock", "unix:/run/b.sock", "unix:/run//a.sock")
	}
	host := pick("127.0.0.1", "0.0.0.0", "[::]", "[::1]", "localhost", "LOCALHOST", "10.0.0.1", "10.0.0.2",
		"[2001:db8::1]", "app.internal", "App.Internal", "db", "[::ffff:10.0.0.1]", "127.0.0.2")
	return fmt.Sprintf("%s:%s", host, pick("80", "80", "8001", "443"))
}

// randomDupManifest returns a manifest of n backends with random,
// often colliding listen addresses, written in random order.
func randomDupManifest(r *rand.Rand, n int) *Manifest {
	m := &Manifest{Path: "m.toml"}
	for i := range n {
		b := &Backend{Name: fmt.Sprintf("b%03d", i)}
		for range 1 + r.IntN(3) {
			a, err := ParseListen(randomListen(r))
			if err != nil {
				panic(err)
			}
			// Positions in random order, ties now and then.
			a.Pos = Position{File: "m.toml", Line: 1 + r.IntN(4*n), Col: 1 + r.IntN(2)}
			b.Listen = append(b.Listen, a)
		}
		m.Backends = append(m.Backends, b)
	}
	return m
}

func errorsText(errs ErrorList) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "%s: %s\n", e.Pos, e.Msg)
	}
	return b.String()
}

// TestDuplicatesMatchPairs compares checkDuplicates with
// checkDuplicatesByPairs on random manifests, small and crowded.
func TestDuplicatesMatchPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := range 3000 {
		n := 1 + r.IntN(6)
		if iter%10 == 0 {
			n = 20 + r.IntN(60)
		}
		m := randomDupManifest(r, n)
		got, want := &parser{file: m.Path}, &parser{file: m.Path}
		got.checkDuplicates(m)
		want.checkDuplicatesByPairs(m)
		if g, w := errorsText(got.errs), errorsText(want.errs); g != w {
			var listens strings.Builder
			for _, b := range m.Backends {
				for _, a := range b.Listen {
					fmt.Fprintf(&listens, "%s %s %s\n", b.Name, a.Raw, a.Pos)
				}
			}
			t.Fatalf("manifest:\n%s\ncheckDuplicates:\n%s\nby pairs:\n%s", listens.String(), g, w)
		}
	}
}
