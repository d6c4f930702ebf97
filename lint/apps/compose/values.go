package compose

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Where compose-go's values of a service are written: each entry of the
// definitions the service takes values from (its own first, then what it
// extends) is read on its own, interpolated, and matched to compose-go's
// values; a value matched to no entry is at the service's key.

// candidate is an entry of a list as written, read on its own, to find
// where compose-go's values are written.
type candidate struct {
	cfg     types.ServicePortConfig
	written string
	span    apps.Span
	// A range of UDP or SCTP ports read as its first (collapsePort):
	// what it publishes, and its last container port.
	collapsed bool
	published string
	targetHi  int
}

// candidates finds the entries written for compose-go's values: by an
// exact key, else by a looser one, each entry used once. A range written
// once is many values: the lookups are by map.
type candidates struct {
	exact, loose map[string][]*candidate
}

func newCandidates() *candidates {
	return &candidates{exact: map[string][]*candidate{}, loose: map[string][]*candidate{}}
}

func (cs *candidates) add(c *candidate, exact, loose string) {
	cs.exact[exact] = append(cs.exact[exact], c)
	cs.loose[loose] = append(cs.loose[loose], c)
}

// take returns the first unused candidate of the exact key, else of the
// loose one. A candidate of a range serves every port of it.
func (cs *candidates) take(exact, loose string, used map[*candidate]bool) *candidate {
	for _, list := range [][]*candidate{cs.exact[exact], cs.loose[loose]} {
		for len(list) > 0 && used[list[0]] {
			list = list[1:]
		}
		if len(list) > 0 {
			used[list[0]] = true
			return list[0]
		}
	}
	return nil
}

func portKey(c types.ServicePortConfig) string {
	return fmt.Sprintf("%s|%s|%d|%s", c.HostIP, c.Published, c.Target, cmp.Or(c.Protocol, "tcp"))
}

// ports returns the service's published ports with their places.
func (r *reader) ports(sc types.ServiceConfig, origins []origin, fallback apps.Span) []Port {
	if len(sc.Ports) == 0 {
		return nil
	}
	cands := newCandidates()
	add := func(c *candidate) { cands.add(c, portKey(c.cfg), strconv.Itoa(int(c.cfg.Target))) }
	for _, o := range origins {
		n, _ := mapGet(o.node, "ports")
		for _, item := range items(n) {
			item = deref(item)
			switch item.Kind {
			case yaml.ScalarNode:
				v, err := r.subst(item.Value)
				if err != nil {
					continue
				}
				rep, published, hi, collapsed := collapsePort(v)
				if collapsed {
					v = rep
				}
				cfgs, err := parsePort(v)
				if err != nil {
					continue
				}
				for _, c := range cfgs {
					add(&candidate{cfg: c, written: item.Value, span: span(o.d.f, item), collapsed: collapsed, published: published, targetHi: hi})
				}
			case yaml.MappingNode:
				var c types.ServicePortConfig
				at := item
				if t, _ := mapGet(item, "target"); t != nil {
					v, _ := r.subst(t.Value)
					n, _ := strconv.Atoi(v)
					c.Target = uint32(n)
					at = t
				}
				if pub, _ := mapGet(item, "published"); pub != nil {
					c.Published, _ = r.subst(pub.Value)
				}
				if h, _ := mapGet(item, "host_ip"); h != nil {
					c.HostIP, _ = r.subst(h.Value)
				}
				if pr, _ := mapGet(item, "protocol"); pr != nil {
					c.Protocol, _ = r.subst(pr.Value)
				}
				add(&candidate{cfg: c, written: nodeText(o.d.f, item), span: span(o.d.f, at)})
			}
		}
	}
	used := map[*candidate]bool{}
	out := make([]Port, 0, len(sc.Ports))
	for _, pc := range sc.Ports {
		p := Port{Target: int(pc.Target), Published: pc.Published, HostIP: pc.HostIP, Proto: cmp.Or(pc.Protocol, "tcp"), Span: fallback}
		if c := cands.take(portKey(pc), strconv.Itoa(p.Target), used); c != nil {
			p.Written, p.Span = c.written, c.span
			if c.collapsed {
				p.Published, p.TargetHi = c.published, c.targetHi
			}
		}
		out = append(out, p)
	}
	return out
}

// parsePort is compose-go's reading of a short port entry, where a
// panic is an error.
func parsePort(v string) (cfgs []types.ServicePortConfig, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return types.ParsePortConfig(v)
}

// nodeText is the text of n as written.
func nodeText(f *syntax.File, n *yaml.Node) string {
	s := span(f, n)
	return f.Src[s.Start:s.End]
}

// expose returns the ports the service exposes, ranges expanded.
func (r *reader) expose(sc types.ServiceConfig, origins []origin, fallback apps.Span) []Port {
	if len(sc.Expose) == 0 {
		return nil
	}
	cands := newCandidates()
	for _, o := range origins {
		n, _ := mapGet(o.node, "expose")
		for _, item := range items(n) {
			item = deref(item)
			v, err := r.subst(item.Value)
			if err != nil {
				continue
			}
			cands.add(&candidate{written: item.Value, span: span(o.d.f, item)}, v, v)
		}
	}
	used := map[*candidate]bool{}
	var out []Port
	for _, e := range sc.Expose {
		written, at := e, fallback
		if c := cands.take(e, e, used); c != nil {
			written, at = c.written, c.span
		}
		ports, proto, _ := strings.Cut(e, "/")
		proto = strings.ToLower(cmp.Or(proto, "tcp"))
		lo, hi, ok := portRange(ports)
		if !ok || hi > 65535 {
			continue
		}
		if proto != "tcp" && hi > lo {
			// A range nginx's checks have no use for: one Port (see
			// collapseRanges; TCP ranges are bounded there).
			out = append(out, Port{Target: lo, TargetHi: hi, Proto: proto, Written: written, Span: at})
			continue
		}
		for port := lo; port <= hi; port++ {
			out = append(out, Port{Target: port, Proto: proto, Written: written, Span: at})
		}
	}
	return out
}

// networks fills in the service's networks, aliases and their places.
func (r *reader) networks(s *Service, sc types.ServiceConfig, origins []origin) {
	s.NetworkSpan = map[string]apps.Span{}
	var written []string
	for _, o := range origins {
		n, _ := mapGet(o.node, "networks")
		n = deref(n)
		if n == nil {
			continue
		}
		add := func(k *yaml.Node) {
			if _, ok := s.NetworkSpan[k.Value]; !ok {
				s.NetworkSpan[k.Value] = span(o.d.f, k)
				written = append(written, k.Value)
			}
		}
		switch n.Kind {
		case yaml.SequenceNode:
			for _, item := range n.Content {
				add(deref(item))
			}
		case yaml.MappingNode:
			mapPairs(n, func(k, _ *yaml.Node) { add(k) })
		}
	}
	for _, name := range written {
		if _, ok := sc.Networks[name]; ok {
			s.Networks = append(s.Networks, name)
		}
	}
	var rest []string
	for name := range sc.Networks {
		if !slices.Contains(s.Networks, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	s.Networks = append(s.Networks, rest...)
	for _, name := range s.Networks {
		if cfg := sc.Networks[name]; cfg != nil {
			for _, a := range cfg.Aliases {
				if !slices.Contains(s.Aliases, a) {
					s.Aliases = append(s.Aliases, a)
				}
			}
		}
	}
	for name := range s.NetworkSpan {
		if _, ok := sc.Networks[name]; !ok {
			delete(s.NetworkSpan, name)
		}
	}
}

// command reads a service's command or entrypoint and where its words
// are written.
func (r *reader) command(words types.ShellCommand, origins []origin, key string) Command {
	n, o := find(origins, key)
	if n == nil {
		return Command{}
	}
	c := Command{Set: true, Words: words, Span: span(o.d.f, n), WordSpans: make([]apps.Span, len(words)), wordPos: make([][]int, len(words))}
	n = deref(n)
	src := o.d.f.Src
	switch n.Kind {
	case yaml.SequenceNode:
		if len(n.Content) == len(words) {
			for i, item := range n.Content {
				s := span(o.d.f, item)
				c.WordSpans[i] = s
				if _, _, pos, ok := alignedIndex(src[s.Start:s.End], words[i]); ok {
					c.wordPos[i] = shift(pos, s.Start)
				}
			}
		}
	case yaml.ScalarNode:
		c.Text = n.Value
		// Each word where it is written, in order: found when it is
		// written as it reads, but for quotes around it and "$$".
		at := c.Span.Start
		for i, w := range words {
			start, end, pos, ok := alignedIndex(src[at:c.Span.End], w)
			if w == "" || !ok {
				continue
			}
			c.WordSpans[i] = apps.Span{File: o.d.f, Start: at + start, End: at + end}
			c.wordPos[i] = shift(pos, at)
			at += end
		}
	}
	return c
}

// alignedIndex finds value in text, where text may write each "$" of
// value as "$$" (compose's escape): the bytes of text it spans, and the
// offset in text of each byte of value.
func alignedIndex(text, value string) (start, end int, pos []int, ok bool) {
	if value == "" || len(text) > 1<<16 {
		return 0, 0, nil, false
	}
	pos = make([]int, len(value))
	for k := 0; k < len(text); k++ {
		i, j := 0, k
		for i < len(value) && j < len(text) {
			if value[i] == '$' && strings.HasPrefix(text[j:], "$$") {
				pos[i] = j
				j += 2
			} else if text[j] == value[i] {
				pos[i] = j
				j++
			} else {
				break
			}
			i++
		}
		if i == len(value) {
			return k, j, pos, true
		}
	}
	return 0, 0, nil, false
}

func shift(pos []int, by int) []int {
	out := make([]int, len(pos))
	for i, p := range pos {
		out[i] = p + by
	}
	return out
}

// environment reads the service's environment: its env files, then its
// environment: entries, which win, each with where it is written.
func (r *reader) environment(sc types.ServiceConfig, origins []origin) map[string]EnvVar {
	env := map[string]EnvVar{}
	// env_file: the files in order, later ones winning.
	for _, ef := range sc.EnvFiles {
		_, o := find(origins, "env_file")
		if o.d == nil && len(origins) > 0 {
			o = origins[0]
		}
		path := absJoin(o.base, ef.Path)
		vars := r.envFile(path, ef.Path, bool(ef.Required), r.envFileSpan(origins, ef.Path))
		f := r.envFiles[path]
		for k, v := range vars {
			env[k] = EnvVar{Value: v, Known: true, Span: dotenvSpan(f, k)}
		}
	}
	spans := map[string]apps.Span{}
	for _, o := range slices.Backward(origins) {
		n, _ := mapGet(o.node, "environment")
		n = deref(n)
		if n == nil {
			continue
		}
		switch n.Kind {
		case yaml.MappingNode:
			mapPairs(n, func(k, v *yaml.Node) {
				s := span(o.d.f, k)
				if v.Tag != "!!null" {
					s.End = max(s.End, span(o.d.f, v).End)
				}
				spans[k.Value] = s
			})
		case yaml.SequenceNode:
			for _, item := range n.Content {
				name, _, _ := strings.Cut(item.Value, "=")
				spans[strings.TrimSpace(name)] = span(o.d.f, item)
			}
		}
	}
	for k, v := range sc.Environment {
		e := EnvVar{Span: spans[k]}
		switch {
		case v != nil:
			e.Value, e.Known = *v, true
		default:
			// Compose takes it from the environment it runs in.
			e.Value, e.Known = r.env[k]
		}
		env[k] = e
	}
	return env
}

// envFileSpan is where an env_file entry naming path is written.
func (r *reader) envFileSpan(origins []origin, path string) apps.Span {
	for _, o := range origins {
		n, _ := mapGet(o.node, "env_file")
		if n == nil {
			continue
		}
		for _, s := range []*yaml.Node{findScalar(deref(n), path, 0), n} {
			if s != nil {
				return span(o.d.f, s)
			}
		}
	}
	return apps.Span{}
}

// volumes reads the service's mounts, bind sources resolved.
func (r *reader) volumes(sc types.ServiceConfig, origins []origin, fallback apps.Span) []Mount {
	if len(sc.Volumes) == 0 {
		return nil
	}
	type vcand struct {
		target string
		span   apps.Span
		base   string
		used   bool
	}
	var cands []*vcand
	for _, o := range origins {
		n, _ := mapGet(o.node, "volumes")
		for _, item := range items(n) {
			item = deref(item)
			switch item.Kind {
			case yaml.ScalarNode:
				v, err := r.subst(item.Value)
				if err != nil {
					continue
				}
				if vc, err := parseVolume(v); err == nil {
					cands = append(cands, &vcand{target: vc.Target, span: span(o.d.f, item), base: o.base})
				}
			case yaml.MappingNode:
				if t, _ := mapGet(item, "target"); t != nil {
					v, _ := r.subst(t.Value)
					cands = append(cands, &vcand{target: v, span: span(o.d.f, item), base: o.base})
				}
			}
		}
	}
	out := make([]Mount, 0, len(sc.Volumes))
	for _, v := range sc.Volumes {
		m := Mount{Type: v.Type, Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly, Span: fallback}
		base := ""
		if len(origins) > 0 {
			base = origins[0].base
		}
		for _, c := range cands {
			if !c.used && c.target == v.Target {
				c.used = true
				m.Span, base = c.span, c.base
				break
			}
		}
		if m.Type == types.VolumeTypeBind && m.Source != "" {
			m.Source = absJoin(base, m.Source)
		}
		out = append(out, m)
	}
	return out
}

// parseVolume is compose-go's reading of a short volume entry, where a
// panic is an error.
func parseVolume(v string) (vc types.ServiceVolumeConfig, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	return format.ParseVolume(v)
}
