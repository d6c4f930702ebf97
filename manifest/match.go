package manifest

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

var (
	loopback4   = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	loopback6   = netip.IPv6Loopback()
	unspecified = netip.IPv4Unspecified()
	unspec6     = netip.IPv6Unspecified()

	// loopback4Host and loopback6Host are the Host of addresses with those
	// IPs, made once: Resolve needs them for every localhost target.
	loopback4Host = loopback4.String()
	loopback6Host = loopback6.String()
)

// endpoint is one concrete host a TCP address stands for: an IP address or
// a host name that cannot be resolved here.
type endpoint struct {
	ip   netip.Addr
	name string
}

// bindEndpoints returns the hosts a listen address binds: "localhost"
// binds both 127.0.0.1 and ::1.
func bindEndpoints(a *Addr) endpoints {
	switch {
	case a.IP.IsValid():
		return endpoints{[2]endpoint{{ip: a.IP}}, 1}
	case strings.EqualFold(a.Host, "localhost"):
		return endpoints{[2]endpoint{{ip: loopback4}, {ip: loopback6}}, 2}
	}
	return endpoints{[2]endpoint{{name: strings.ToLower(a.Host)}}, 1}
}

// endpoints holds one or two endpoints without allocating: matching runs
// once per target and rule.
type endpoints struct {
	e [2]endpoint
	n int
}

func (e *endpoints) list() []endpoint { return e.e[:e.n] }

// dialEndpoints returns the hosts a connection to target address a
// reaches: "localhost" resolves to 127.0.0.1 and ::1, and the kernel sends
// a connection to 0.0.0.0 or :: to the loopback address of that family.
func dialEndpoints(a *Addr) endpoints {
	switch a.IP {
	case unspecified:
		return endpoints{[2]endpoint{{ip: loopback4}}, 1}
	case unspec6:
		return endpoints{[2]endpoint{{ip: loopback6}}, 1}
	}
	return bindEndpoints(a)
}

// bindAccepts reports whether a socket bound to b accepts a connection to d.
func bindAccepts(b, d endpoint) bool {
	switch {
	case b.ip.IsValid() && d.ip.IsValid():
		switch b.ip {
		case d.ip:
			return true
		case unspecified:
			return d.ip.Is4()
		case unspec6:
			return true // dual-stack: any IPv6 and any IPv4 address
		}
		return false
	case !b.ip.IsValid() && !d.ip.IsValid():
		return b.name != "" && b.name == d.name
	}
	return false
}

// specificity ranks how closely a bound endpoint matches: an exact address
// beats a wildcard, which the kernel also prefers.
func specificity(b endpoint) int {
	switch b.ip {
	case unspec6:
		return 2
	case unspecified:
		return 1
	}
	return 0
}

// Accepts reports whether a backend listening on a accepts a connection
// that nginx makes to the target address t.
//
// Unix sockets match by cleaned path (/var/run is /run). TCP addresses need
// equal ports and: the same IP address; or a is 0.0.0.0 and t is any IPv4
// address; or a is [::] (dual-stack) and t is any address; or the same host
// name, compared case-insensitively. 127.0.0.1 and [::1] do not accept each
// other. A "localhost" listen address binds both 127.0.0.1 and [::1]; a
// "localhost" target is accepted when either of its addresses is (see
// [Manifest.Resolve] to tell one family from both). A target of 0.0.0.0 or
// [::] reaches the loopback address of its family.
func (a Addr) Accepts(t Addr) bool {
	if a.Unix || t.Unix {
		return a.Unix && t.Unix && a.Path != "" && a.Path == t.Path
	}
	if a.Port == 0 || a.Port != t.Port {
		return false
	}
	_, ok := a.acceptRank(t)
	return ok
}

// acceptRank is like Accepts for TCP addresses with equal ports, and also
// returns the specificity of the best matching bound endpoint.
func (a Addr) acceptRank(t Addr) (int, bool) {
	dial, bind := dialEndpoints(&t), bindEndpoints(&a)
	return rank(&bind, &dial)
}

// rank returns the specificity of the best endpoint of bind that accepts
// one of dial; ok is false when none does.
func rank(bind, dial *endpoints) (best int, ok bool) {
	for _, d := range dial.list() {
		for _, b := range bind.list() {
			if bindAccepts(b, d) && (!ok || specificity(b) < best) {
				best, ok = specificity(b), true
			}
		}
	}
	return best, ok
}

// commonTarget returns an address that both a and b accept, or nil when
// none does. Two backends cannot own addresses with a common target.
func commonTarget(a, b Addr) *Addr {
	if a.Unix || b.Unix {
		if a.Unix && b.Unix && a.Path == b.Path {
			c := Addr{Addr: nginx.Addr{Unix: true, Path: a.Path}}
			return &c
		}
		return nil
	}
	if a.Port == 0 || a.Port != b.Port {
		return nil
	}
	var candidates []Addr
	ea, eb := bindEndpoints(&a), bindEndpoints(&b)
	for _, e := range append(ea.list(), eb.list()...) {
		switch e.ip {
		case unspecified:
			e.ip = loopback4
		case unspec6:
			e.ip = loopback6
		}
		c := Addr{Addr: nginx.Addr{Host: e.name, IP: e.ip, Port: a.Port}}
		if e.ip.IsValid() {
			c.Host = e.ip.String()
		}
		candidates = append(candidates, c)
	}
	for _, c := range candidates {
		if a.Accepts(c) && b.Accepts(c) {
			return &c
		}
	}
	return nil
}

// IsLocal reports whether a connection to t stays on this machine: unix
// sockets, loopback addresses (127.0.0.0/8, ::1), "localhost", and the
// unspecified addresses 0.0.0.0 and ::, which connect to loopback.
func IsLocal(t Addr) bool {
	switch {
	case t.Unix:
		return true
	case t.IP.IsValid():
		return t.IP.IsLoopback() || t.IP.IsUnspecified()
	}
	return strings.EqualFold(t.Host, "localhost")
}

// MatchKind says how a target resolves against the manifest.
type MatchKind int

// The ways a target can resolve.
const (
	// NoMatch: no backend accepts the target.
	NoMatch MatchKind = iota
	// Match: a backend accepts the target; for "localhost", one backend
	// accepts both 127.0.0.1 and [::1].
	Match
	// LocalhostPartial: the target is "localhost" and only one of
	// 127.0.0.1 and [::1] reaches the backend. nginx uses both addresses,
	// so connections to the other one fail and are logged as errors (or
	// reach a different backend).
	LocalhostPartial
)

// String returns "no match", "match" or "localhost partial".
func (k MatchKind) String() string {
	switch k {
	case NoMatch:
		return "no match"
	case Match:
		return "match"
	case LocalhostPartial:
		return "localhost partial"
	}
	return "MatchKind(" + strconv.Itoa(int(k)) + ")"
}

// Resolution is the result of [Manifest.Resolve].
type Resolution struct {
	Kind MatchKind
	// Backend is the backend that accepts the target, nil for NoMatch. For
	// a localhost target accepted on both families by different backends,
	// it is the one accepting 127.0.0.1.
	Backend *Backend
	// Listen is the listen address of Backend that accepts the target.
	Listen Addr
	// Localhost is true when the target host is "localhost".
	Localhost bool
	// IPv4 and IPv6 are, for a localhost target, the backends accepting
	// 127.0.0.1:PORT and [::1]:PORT; nil where no backend does. When both
	// are set but differ, Kind is LocalhostPartial: nginx spreads the
	// connections over two different backends.
	IPv4, IPv6 *Backend
	// Refused is, for LocalhostPartial with one family accepted, the
	// address nginx also tries that no backend accepts ("[::1]:8001").
	Refused Addr
}

// Resolve finds the backend that accepts connections nginx makes to t.
// When several listen addresses accept t, the most specific one wins (an
// exact address over 0.0.0.0 over [::]), then the backend name decides.
func (m *Manifest) Resolve(t Addr) Resolution {
	if m == nil {
		return Resolution{}
	}
	if !t.Unix && !t.IP.IsValid() && strings.EqualFold(t.Host, "localhost") {
		r := Resolution{Localhost: true}
		v4 := Addr{Addr: nginx.Addr{Host: loopback4Host, IP: loopback4, Port: t.Port}}
		v6 := Addr{Addr: nginx.Addr{Host: loopback6Host, IP: loopback6, Port: t.Port}}
		c4, c6 := m.find(&v4), m.find(&v6)
		if c4 != nil {
			r.IPv4 = c4.backend
		}
		if c6 != nil {
			r.IPv6 = c6.backend
		}
		switch {
		case c4 == nil && c6 == nil:
			return r
		case c4 != nil && c6 != nil && c4.backend == c6.backend:
			r.Kind, r.Backend, r.Listen = Match, c4.backend, *c4.listen
		case c4 != nil:
			r.Kind, r.Backend, r.Listen = LocalhostPartial, c4.backend, *c4.listen
			if c6 == nil {
				r.Refused = v6
			}
		default:
			r.Kind, r.Backend, r.Listen = LocalhostPartial, c6.backend, *c6.listen
			r.Refused = v4
		}
		return r
	}
	c := m.find(&t)
	if c == nil {
		return Resolution{}
	}
	return Resolution{Kind: Match, Backend: c.backend, Listen: *c.listen}
}

// find returns the listen address that best accepts t, nil if none
// does.
func (m *Manifest) find(t *Addr) *listenRef {
	m.indexOnce.Do(m.buildIndex)
	x := &m.index
	if t.Unix {
		// As Accepts: the same socket path. All have the same rank, so
		// the index holds the best one of each path.
		if i, ok := x.byPath[t.Path]; ok {
			return &x.sockets[i]
		}
		return nil
	}
	// Only listen addresses on the target's port can accept it: look at
	// those alone, one by one when they are few, else by the hosts they
	// bind.
	refs := x.port(t.Port)
	if len(refs) <= smallBucket || x.byPort != nil {
		return bestRef(refs, t)
	}
	dial := dialEndpoints(t)
	best := -1
	bestRank := 0
	for _, d := range dial.list() {
		switch {
		case d.ip.IsValid():
			x.consider(&best, &bestRank, endKey{port: t.Port, ip: d.ip}, specificity(d))
			if d.ip.Is4() {
				x.consider(&best, &bestRank, endKey{port: t.Port, ip: unspecified}, specificity(endpoint{ip: unspecified}))
			}
			x.consider(&best, &bestRank, endKey{port: t.Port, ip: unspec6}, specificity(endpoint{ip: unspec6}))
		case d.name != "":
			x.consider(&best, &bestRank, endKey{port: t.Port, name: d.name}, 0)
		}
	}
	if best < 0 {
		return nil
	}
	return &x.tcp[best]
}

// bestRef returns the element of refs that best accepts the TCP target
// t, nil if none does: the most specific, then the one of the first
// backend by name, then the first.
func bestRef(refs []listenRef, t *Addr) *listenRef {
	if len(refs) == 0 {
		return nil
	}
	dial := dialEndpoints(t)
	best := -1
	bestRank := 0
	for i := range refs {
		c := &refs[i]
		// As Accepts and acceptRank: the same port, and an endpoint that
		// accepts the target.
		if c.listen.Unix || c.listen.Port == 0 || c.listen.Port != t.Port {
			continue
		}
		bind := bindEndpoints(c.listen)
		r, ok := rank(&bind, &dial)
		if !ok {
			continue
		}
		if best < 0 || r < bestRank || (r == bestRank && c.backend.Name < refs[best].backend.Name) {
			best, bestRank = i, r
		}
	}
	if best < 0 {
		return nil
	}
	return &refs[best]
}

// smallBucket is the number of TCP listen addresses on one port up to
// which find tries them one by one; beyond it, it looks them up by host.
const smallBucket = 16

// listenIndex buckets the listen addresses of a manifest: TCP ones by
// port, unix sockets by path. Each bucket keeps the order of the backends
// and of their listen addresses.
type listenIndex struct {
	// tcp holds the TCP addresses sorted by port; those on port p are
	// tcp[ports[p]:ports[p+1]]. When a port is outside 0 to 65535, which
	// only a Manifest made by hand can have, byPort holds them all
	// instead.
	tcp    []listenRef
	ports  []int32
	byPort map[int][]listenRef
	// ends holds, for ports with more than smallBucket addresses, the
	// index in tcp of the address that best binds each host of the port:
	// of the first backend by name, then the first.
	ends map[endKey]int32
	// sockets holds the unix addresses; byPath the index in it of the
	// address of each path of the first backend by name, then the first.
	sockets []listenRef
	byPath  map[string]int32
	// external indexes a long external list.
	external externalIndex
	// owned holds, for the backends of more than smallBucket listen
	// addresses, the socket paths and the hosts of each port they bind;
	// crowded says which backends those are.
	owned   map[ownKey]struct{}
	crowded map[*Backend]bool
	// byUpstream holds the backends bound to each upstream name, by the
	// name in lower case, when all the names are ASCII.
	byUpstream       map[string][]*Backend
	upstreamNonASCII bool
}

// endKey is a host a TCP address binds on its port: an IP address
// (0.0.0.0 and [::] included) or a host name.
type endKey struct {
	port int
	ip   netip.Addr
	name string
}

// consider makes the address that best binds k the best of find if it
// is better than *best, whose rank is *bestRank; rank is the specificity
// of k.
func (x *listenIndex) consider(best, bestRank *int, k endKey, rank int) {
	i32, ok := x.ends[k]
	if !ok {
		return
	}
	i := int(i32)
	if *best >= 0 {
		if rank > *bestRank {
			return
		}
		if rank == *bestRank {
			name, bestName := x.tcp[i].backend.Name, x.tcp[*best].backend.Name
			if name > bestName || (name == bestName && i > *best) {
				return
			}
		}
	}
	*best, *bestRank = i, rank
}

// port returns the TCP addresses on port p.
func (x *listenIndex) port(p int) []listenRef {
	if x.byPort != nil {
		return x.byPort[p]
	}
	if p < 0 || p+1 >= len(x.ports) {
		return nil
	}
	return x.tcp[x.ports[p]:x.ports[p+1]]
}

// listenRef is a listen address of the manifest with its backend. The
// hosts it binds (bindEndpoints) are not kept beside it: they cost
// nothing to compute again, and a manifest of many addresses would hold
// 88 more bytes for each.
type listenRef struct {
	backend *Backend
	listen  *Addr // in backend.Listen
}

// buildIndex buckets every listen address by port or socket path, and
// the addresses of crowded ports by host, so that matching a target
// costs about as much whatever the manifest holds.
func (m *Manifest) buildIndex() {
	x := &m.index
	if len(m.External) > smallBucket {
		x.external = newExternalIndex(m.External)
	}
	x.byUpstream = map[string][]*Backend{}
	for _, b := range m.Backends {
		switch {
		case b == nil || b.Upstream == "":
		case !isASCII(b.Upstream):
			x.upstreamNonASCII = true
		default:
			k := strings.ToLower(b.Upstream)
			x.byUpstream[k] = append(x.byUpstream[k], b)
		}
	}
	for _, b := range m.Backends {
		if b != nil && len(b.Listen) > smallBucket {
			x.addOwned(b)
		}
	}
	x.byPath = map[string]int32{}
	// Put the sockets in their buckets and find the highest port.
	maxPort := -1
	for _, b := range m.Backends {
		if b == nil {
			continue
		}
		for i := range b.Listen {
			l := &b.Listen[i]
			switch {
			case l.Unix:
				if l.Path == "" {
					continue // as Accepts: a socket without a path accepts nothing
				}
				if old, ok := x.byPath[l.Path]; !ok || b.Name < x.sockets[old].backend.Name {
					x.byPath[l.Path] = int32(len(x.sockets))
				}
				x.sockets = append(x.sockets, listenRef{backend: b, listen: l})
			case l.Port < 0 || l.Port > 65535:
				x.byPort = map[int][]listenRef{}
			default:
				maxPort = max(maxPort, l.Port)
			}
		}
	}
	if x.byPort != nil {
		// A port out of range: bucket the TCP addresses in a map.
		for _, b := range m.Backends {
			if b == nil {
				continue
			}
			for i := range b.Listen {
				if l := &b.Listen[i]; !l.Unix {
					x.byPort[l.Port] = append(x.byPort[l.Port], listenRef{backend: b, listen: l})
				}
			}
		}
		return
	}
	// A counting sort by port, which keeps the order within a port.
	counts := make([]int32, maxPort+2)
	for _, b := range m.Backends {
		if b == nil {
			continue
		}
		for i := range b.Listen {
			if l := &b.Listen[i]; !l.Unix {
				counts[l.Port+1]++
			}
		}
	}
	for p := 1; p < len(counts); p++ {
		counts[p] += counts[p-1]
	}
	x.ports = counts
	x.tcp = make([]listenRef, counts[len(counts)-1])
	next := slices.Clone(counts)
	for _, b := range m.Backends {
		if b == nil {
			continue
		}
		for i := range b.Listen {
			if l := &b.Listen[i]; !l.Unix {
				x.tcp[next[l.Port]] = listenRef{backend: b, listen: l}
				next[l.Port]++
			}
		}
	}
	// The crowded ports, by host. Port 0 accepts nothing.
	for p := 1; p+1 < len(counts); p++ {
		lo, hi := counts[p], counts[p+1]
		if hi-lo <= smallBucket {
			continue
		}
		if x.ends == nil {
			x.ends = map[endKey]int32{}
		}
		for i := lo; i < hi; i++ {
			c := &x.tcp[i]
			bind := bindEndpoints(c.listen)
			for _, e := range bind.list() {
				if !e.ip.IsValid() && e.name == "" {
					continue // as bindAccepts: an empty name accepts nothing
				}
				k := endKey{port: p, ip: e.ip, name: e.name}
				if old, ok := x.ends[k]; !ok || c.backend.Name < x.tcp[old].backend.Name {
					x.ends[k] = i
				}
			}
		}
	}
}

// BackendAccepts reports whether a listen address of b, a backend of m,
// accepts t (see [Addr.Accepts]). It costs the same however many
// addresses b has.
func (m *Manifest) BackendAccepts(b *Backend, t Addr) bool {
	if b == nil {
		return false
	}
	if m != nil && len(b.Listen) > smallBucket {
		m.indexOnce.Do(m.buildIndex)
		if m.index.crowded[b] {
			return m.index.owns(b, &t)
		}
	}
	for _, l := range b.Listen {
		if l.Accepts(t) {
			return true
		}
	}
	return false
}

// ownKey is a socket path (unix) or a host on a port that a listen
// address of backend b binds.
type ownKey struct {
	b    *Backend
	unix bool
	path string
	end  endKey
}

// addOwned files what the listen addresses of b bind.
func (x *listenIndex) addOwned(b *Backend) {
	if x.owned == nil {
		x.owned, x.crowded = map[ownKey]struct{}{}, map[*Backend]bool{}
	}
	x.crowded[b] = true
	for i := range b.Listen {
		l := &b.Listen[i]
		switch {
		case l.Unix:
			if l.Path != "" {
				x.owned[ownKey{b: b, unix: true, path: l.Path}] = struct{}{}
			}
		case l.Port != 0:
			ends := bindEndpoints(l)
			for _, e := range ends.list() {
				if e.ip.IsValid() || e.name != "" {
					x.owned[ownKey{b: b, end: endKey{port: l.Port, ip: e.ip, name: e.name}}] = struct{}{}
				}
			}
		}
	}
}

// owns is BackendAccepts for a crowded backend.
func (x *listenIndex) owns(b *Backend, t *Addr) bool {
	has := func(k ownKey) bool {
		_, ok := x.owned[k]
		return ok
	}
	if t.Unix {
		return t.Path != "" && has(ownKey{b: b, unix: true, path: t.Path})
	}
	if t.Port == 0 {
		return false
	}
	dial := dialEndpoints(t)
	for _, d := range dial.list() {
		switch {
		case d.ip.IsValid():
			if has(ownKey{b: b, end: endKey{port: t.Port, ip: d.ip}}) ||
				d.ip.Is4() && has(ownKey{b: b, end: endKey{port: t.Port, ip: unspecified}}) ||
				has(ownKey{b: b, end: endKey{port: t.Port, ip: unspec6}}) {
				return true
			}
		case d.name != "":
			if has(ownKey{b: b, end: endKey{port: t.Port, name: d.name}}) {
				return true
			}
		}
	}
	return false
}

// Nearest returns the backend whose listen address is the most plausible
// intended target of t when no backend accepts t, for "did you mean"
// hints. ok is false when there is no plausible candidate. Asked often,
// it costs the same however many backends there are, but for unix
// sockets, which it compares with every socket path.
//
// For TCP targets it prefers, in order: the same port on another local
// address family (127.0.0.1 versus [::1]); the closest port on an address
// that accepts t's host; the closest port on another local address. For
// unix sockets it prefers the same file name, then the smallest edit
// distance between the paths, and needs the paths to share at least half
// their characters or the file name. Ties go to the backend name, then to
// the listen address text, so the answer is always the same.
func (m *Manifest) Nearest(t Addr) (*Backend, Addr, bool) {
	if m == nil {
		return nil, Addr{}, false
	}
	// Indexing costs a few scans: a manifest asked once (as the subsets
	// backend-drift makes) is scanned, one asked often is indexed.
	if len(m.Backends) <= smallBucket || t.Unix || m.nearCalls.Add(1) <= nearScans {
		return nearestByScan(m.Backends, t)
	}
	m.nearOnce.Do(m.buildNearIndex)
	return m.near.nearest(t)
}

// nearScans is how many times Nearest scans a manifest before it indexes
// it.
const nearScans = 4

// nearestByScan is Nearest trying every listen address of backends.
func nearestByScan(backends []*Backend, t Addr) (*Backend, Addr, bool) {
	var (
		bestB     *Backend
		bestL     *Addr
		bestScore [2]int
	)
	for _, b := range backends {
		if b == nil {
			continue
		}
		for i := range b.Listen {
			l := &b.Listen[i]
			score, ok := nearScore(*l, t)
			if !ok {
				continue
			}
			if bestB != nil {
				c := cmp.Or(cmp.Compare(score[0], bestScore[0]), cmp.Compare(score[1], bestScore[1]), strings.Compare(b.Name, bestB.Name))
				if c == 0 {
					c = strings.Compare(l.String(), bestL.String())
				}
				if c >= 0 {
					continue
				}
			}
			bestB, bestL, bestScore = b, l, score
		}
	}
	if bestB == nil {
		return nil, Addr{}, false
	}
	return bestB, *bestL, true
}

// nearScore rates listen address l as a guess for target t: lower is
// better; ok is false when l is not a plausible guess at all.
func nearScore(l, t Addr) (score [2]int, ok bool) {
	if l.Unix != t.Unix {
		return score, false
	}
	if t.Unix {
		if l.Path == t.Path {
			return [2]int{0, 0}, true
		}
		d := textutil.EditDistance(l.Path, t.Path)
		if baseName(l.Path) == baseName(t.Path) {
			return [2]int{1, d}, true
		}
		if d*2 > max(len(l.Path), len(t.Path)) {
			return score, false
		}
		return [2]int{2, d}, true
	}
	dist := l.Port - t.Port
	if dist < 0 {
		dist = -dist
	}
	sameHost := l.Port != 0 && l.Accepts(Addr{Addr: nginx.Addr{Host: t.Host, IP: t.IP, Port: l.Port}})
	local := IsLocal(l) && IsLocal(t)
	switch {
	case sameHost:
		if dist == 0 {
			return [2]int{0, 0}, true
		}
		return [2]int{2, dist}, true
	case local && dist == 0:
		return [2]int{1, 0}, true
	case local:
		return [2]int{3, dist}, true
	}
	return score, false
}

// baseName returns the last element of a slash-separated path.
func baseName(p string) string {
	return p[strings.LastIndexByte(p, '/')+1:]
}

// External is one entry of the manifest's external list: a host outside
// this machine that targets may point at without being a backend.
type External struct {
	// Raw is the entry as written.
	Raw string
	// Pos is where the entry was written.
	Pos Position
	// Host is the lowercased host name; for a wildcard ("*.example.org")
	// the part after "*.". It is "" for IP and CIDR entries.
	Host string
	// Wildcard is true for "*.suffix" entries, which match every name
	// under the suffix (but not the suffix itself), as nginx's server_name
	// wildcards do.
	Wildcard bool
	// Prefix is the address range of IP and CIDR entries; a single IP
	// address is a /32 or /128 range.
	Prefix netip.Prefix
	// Port is the port the entry is limited to; 0 means any port.
	Port int
}

// Matches reports whether target t is covered by the entry.
func (e External) Matches(t Addr) bool {
	if t.Unix || (e.Port != 0 && e.Port != t.Port) {
		return false
	}
	if e.Prefix.IsValid() {
		return t.IP.IsValid() && e.Prefix.Contains(t.IP)
	}
	if t.IP.IsValid() || e.Host == "" {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(t.Host), ".")
	if e.Wildcard {
		return strings.HasSuffix(host, "."+e.Host)
	}
	return host == e.Host
}

// IsExternal reports whether target t matches an entry of the external
// list: a host name (case-insensitively), a "*.suffix" wildcard, a CIDR
// range containing t's IP address, or an exact host:port.
func (m *Manifest) IsExternal(t Addr) bool {
	if m == nil {
		return false
	}
	if len(m.External) <= smallBucket {
		return matchesAny(m.External, t)
	}
	m.indexOnce.Do(m.buildIndex)
	return m.index.external.matches(t)
}

// matchesAny reports whether t matches an entry of list.
func matchesAny(list []External, t Addr) bool {
	for _, e := range list {
		if e.Matches(t) {
			return true
		}
	}
	return false
}

// externalIndex holds the entries of a long external list by what they
// match, so that matching a target costs the same however long the list
// is.
type externalIndex struct {
	keys map[extKey]struct{}
	// bits4 and bits6 are the prefix lengths of the IPv4 and IPv6 ranges.
	bits4, bits6 []int
}

// extKey is what an External entry matches: a host name, a wildcard's
// suffix or an address range, on a port (0: any).
type extKey struct {
	host     string
	wildcard bool
	prefix   netip.Prefix
	port     int
}

func newExternalIndex(list []External) externalIndex {
	x := externalIndex{keys: make(map[extKey]struct{}, len(list))}
	for _, e := range list {
		switch {
		case e.Prefix.IsValid():
			p := e.Prefix.Masked()
			x.keys[extKey{prefix: p, port: e.Port}] = struct{}{}
			bits := &x.bits6
			if p.Addr().Is4() {
				bits = &x.bits4
			}
			if !slices.Contains(*bits, p.Bits()) {
				*bits = append(*bits, p.Bits())
			}
		case e.Host != "":
			x.keys[extKey{host: e.Host, wildcard: e.Wildcard, port: e.Port}] = struct{}{}
		}
	}
	return x
}

// matches is matchesAny of the entries indexed: see External.Matches.
func (x *externalIndex) matches(t Addr) bool {
	if t.Unix {
		return false
	}
	has := func(k extKey) bool {
		_, ok := x.keys[k]
		if !ok && t.Port != 0 {
			k.port = t.Port
			_, ok = x.keys[k]
		}
		return ok
	}
	if t.IP.IsValid() {
		if t.IP.Zone() != "" {
			return false // as netip.Prefix.Contains
		}
		bits := x.bits6
		if t.IP.Is4() {
			bits = x.bits4
		}
		for _, b := range bits {
			if p, err := t.IP.Prefix(b); err == nil && has(extKey{prefix: p}) {
				return true
			}
		}
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(t.Host), ".")
	if has(extKey{host: host}) {
		return true
	}
	for i := 0; i < len(host); i++ {
		if host[i] == '.' && has(extKey{host: host[i+1:], wildcard: true}) {
			return true
		}
	}
	return false
}
