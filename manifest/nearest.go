package manifest

import (
	"cmp"
	"slices"
	"strings"
)

// nearIndex answers Nearest for TCP targets without trying every listen
// address: for each host that listen addresses bind (an IP address,
// 0.0.0.0 and [::] included, or a host name), and for the local
// addresses, the ports they are on, sorted, each with its best address.
type nearIndex struct {
	byBind map[endpoint][]portRef
	local  []portRef
}

// nearRef is a listen address of a backend, with its text and its place
// in the manifest.
type nearRef struct {
	b     *Backend
	l     *Addr
	str   string
	order int
}

// before reports whether x comes before y among addresses as plausible
// as each other: by backend name, then by text, then by place, as
// nearestByScan.
func (x *nearRef) before(y *nearRef) bool {
	return cmp.Or(strings.Compare(x.b.Name, y.b.Name), strings.Compare(x.str, y.str), cmp.Compare(x.order, y.order)) < 0
}

type portRef struct {
	port int
	ref  nearRef
}

// buildNearIndex fills m.near.
func (m *Manifest) buildNearIndex() {
	x := &m.near
	x.byBind = map[endpoint][]portRef{}
	order := 0
	for _, b := range m.Backends {
		if b == nil {
			continue
		}
		for i := range b.Listen {
			l := &b.Listen[i]
			if l.Unix {
				continue
			}
			r := portRef{l.Port, nearRef{b: b, l: l, str: l.String(), order: order}}
			order++
			if l.Port != 0 {
				// As nearScore: an address on port 0 accepts no host.
				ends := bindEndpoints(l)
				for _, e := range ends.list() {
					if e.ip.IsValid() || e.name != "" {
						x.byBind[e] = append(x.byBind[e], r)
					}
				}
			}
			if IsLocal(*l) {
				x.local = append(x.local, r)
			}
		}
	}
	for k, refs := range x.byBind {
		x.byBind[k] = bestByPort(refs)
	}
	x.local = bestByPort(x.local)
}

// bestByPort sorts refs by port and keeps the best of each port.
func bestByPort(refs []portRef) []portRef {
	slices.SortFunc(refs, func(a, b portRef) int {
		switch {
		case a.port != b.port:
			return cmp.Compare(a.port, b.port)
		case a.ref.before(&b.ref):
			return -1
		case b.ref.before(&a.ref):
			return 1
		}
		return 0
	})
	return slices.CompactFunc(refs, func(a, b portRef) bool { return a.port == b.port })
}

// closest returns the element of refs (sorted by port, one per port)
// whose port is closest to p, the best one on a tie, and its distance.
func closest(refs []portRef, p int) (*nearRef, int) {
	i, _ := slices.BinarySearchFunc(refs, p, func(r portRef, p int) int { return cmp.Compare(r.port, p) })
	var best *nearRef
	bestDist := 0
	for _, j := range [2]int{i - 1, i} {
		if j < 0 || j >= len(refs) {
			continue
		}
		d := refs[j].port - p
		if d < 0 {
			d = -d
		}
		if best == nil || d < bestDist || (d == bestDist && refs[j].ref.before(best)) {
			best, bestDist = &refs[j].ref, d
		}
	}
	return best, bestDist
}

// nearest is Nearest for a TCP target, by the tiers of nearScore.
func (x *nearIndex) nearest(t Addr) (*Backend, Addr, bool) {
	// The closest port of an address that accepts t's host.
	var same *nearRef
	sameDist := 0
	consider := func(k endpoint) {
		if r, d := closest(x.byBind[k], t.Port); r != nil && (same == nil || d < sameDist || (d == sameDist && r.before(same))) {
			same, sameDist = r, d
		}
	}
	var host Addr
	host.Host, host.IP = t.Host, t.IP
	dial := dialEndpoints(&host)
	for _, d := range dial.list() {
		switch {
		case d.ip.IsValid():
			consider(endpoint{ip: d.ip})
			if d.ip.Is4() {
				consider(endpoint{ip: unspecified})
			}
			consider(endpoint{ip: unspec6})
		case d.name != "":
			consider(endpoint{name: d.name})
		}
	}
	// The closest port of a local address, for a local target.
	var local *nearRef
	localDist := 0
	if IsLocal(t) {
		local, localDist = closest(x.local, t.Port)
	}
	var r *nearRef
	switch {
	case same != nil && sameDist == 0:
		r = same // an address that accepts t: tier 0
	case local != nil && localDist == 0:
		r = local // the same port on another local address: tier 1
	case same != nil:
		r = same // tier 2
	case local != nil:
		r = local // tier 3: none accepts t's host at any port
	default:
		return nil, Addr{}, false
	}
	return r.b, *r.l, true
}
