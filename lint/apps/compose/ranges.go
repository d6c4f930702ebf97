package compose

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Port ranges. compose-go makes one value of each port of a range
// ("49152-65535:49152-65535/udp" is 16,384 of them, each some kilobytes
// and microseconds): a line of a compose file could cost gigabytes. The
// ranges nginx's HTTP and TCP checks have no use for (UDP and SCTP: the
// rules look at TCP only) are read as one Port that keeps its range;
// TCP ranges are read port by port, up to maxTCPPorts in a project,
// beyond which the project is not read (and said so).

// maxTCPPorts is the most TCP ports the ranges of a project's ports
// and expose lists may stand for (single ports do not count: they cost
// what they are written with).
const maxTCPPorts = 4096

// shortPort is a short port entry, [IP:][HOST:]CONTAINER[/PROTO], as
// written (HOST and CONTAINER may be ranges).
type shortPort struct {
	ip, host, container, proto string
	bracketed                  bool
}

// readShortPort splits a short port entry; false for what it cannot
// split (an IPv6 address written without brackets), which compose-go
// reads.
func readShortPort(v string) (shortPort, bool) {
	var p shortPort
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		v, p.proto = v[:i], strings.ToLower(v[i+1:])
	}
	if strings.HasPrefix(v, "[") {
		end := strings.IndexByte(v, ']')
		if end < 0 || end+1 >= len(v) || v[end+1] != ':' {
			return p, false
		}
		p.ip, p.bracketed, v = v[1:end], true, v[end+2:]
		parts := strings.Split(v, ":")
		if len(parts) != 2 {
			return p, false
		}
		p.host, p.container = parts[0], parts[1]
		return p, true
	}
	parts := strings.Split(v, ":")
	switch len(parts) {
	case 1:
		p.container = parts[0]
	case 2:
		p.host, p.container = parts[0], parts[1]
	case 3:
		p.ip, p.host, p.container = parts[0], parts[1], parts[2]
	default:
		return p, false
	}
	return p, true
}

// text writes p back, with host and container as given.
func (p shortPort) text(host, container string) string {
	var b strings.Builder
	switch {
	case p.bracketed:
		b.WriteString("[" + p.ip + "]:")
	case p.ip != "":
		b.WriteString(p.ip + ":")
	}
	if host != "" || p.ip != "" || p.bracketed {
		b.WriteString(host + ":")
	}
	b.WriteString(container)
	if p.proto != "" {
		b.WriteString("/" + p.proto)
	}
	return b.String()
}

// collapsePort returns, for a short entry of UDP or SCTP ports whose
// container ports are a range, the entry of its first port (rep), and
// what the whole entry publishes (its host ports as written) and its
// last container port; ok is false for any other entry.
func collapsePort(v string) (rep, published string, targetHi int, ok bool) {
	p, ok := readShortPort(v)
	if !ok || p.proto != "udp" && p.proto != "sctp" {
		return "", "", 0, false
	}
	clo, chi, ok := portRange(p.container)
	if !ok || chi == clo || clo < 1 || chi > 65535 {
		return "", "", 0, false
	}
	host := p.host
	if host != "" {
		hlo, hhi, ok := portRange(host)
		if !ok || hhi-hlo != chi-clo {
			return "", "", 0, false // compose-go says what is wrong
		}
		host = strconv.Itoa(hlo)
	}
	return p.text(host, strconv.Itoa(clo)), p.host, chi, true
}

// tcpPorts returns how many ports a short entry that collapsePort does
// not collapse stands for in compose-go's reading.
func tcpPorts(v string) int {
	p, ok := readShortPort(v)
	if !ok {
		return 1
	}
	lo, hi, ok := portRange(p.container)
	if !ok {
		return 1
	}
	return hi - lo + 1
}

// collapseRanges rewrites, in what compose-go is given, the entries of
// UDP and SCTP ranges as their first port (ports reads them back whole),
// and counts the TCP ports the others stand for: past maxTCPPorts, the
// error names the service that passes it, at its key.
func (r *reader) collapseRanges(docs []*doc) (at *yaml.Node, in *doc, err error) {
	total := 0
	for _, d := range docs {
		svcs, _ := d.raw["services"].(map[string]any)
		for name, sv := range svcs {
			svc, _ := sv.(map[string]any)
			exposed, _ := svc["expose"].([]any)
			for _, e := range exposed {
				v := fmt.Sprint(e)
				if s, err := r.subst(v); err == nil {
					v = s
				}
				ports, proto, _ := strings.Cut(v, "/")
				if lo, hi, ok := portRange(ports); ok && hi > lo && strings.EqualFold(cmp.Or(proto, "tcp"), "tcp") {
					if total += hi - lo + 1; total > maxTCPPorts {
						return serviceKey(d, name), d, tooManyPorts(name, v)
					}
				}
			}
			ports, _ := svc["ports"].([]any)
			for i, e := range ports {
				v, ok := e.(string)
				if !ok {
					continue
				}
				if strings.Contains(v, "$") {
					s, err := r.subst(v)
					if err != nil || strings.Contains(s, "$") {
						continue
					}
					v = s
				}
				if rep, _, _, ok := collapsePort(v); ok {
					ports[i] = rep
					continue
				}
				if n := tcpPorts(v); n > 1 {
					total += n
				}
				if total > maxTCPPorts {
					return serviceKey(d, name), d, tooManyPorts(name, v)
				}
			}
		}
	}
	return nil, nil, nil
}

// serviceKey returns the key of service name in d, else d's top.
func serviceKey(d *doc, name string) *yaml.Node {
	svcs, _ := mapGet(d.root, "services")
	if _, k := mapGet(svcs, name); k != nil {
		return k
	}
	return d.root
}

func tooManyPorts(service, entry string) error {
	return fmt.Errorf("service %s: the port ranges of this project stand for more than %d TCP ports (a range such as %q stands for each of its ports); nginxlint does not read a project whose ranges are this large", service, maxTCPPorts, entry)
}
