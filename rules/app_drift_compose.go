package rules

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/compose"
	"github.com/nginxlint/nginxlint/lint/apps/read"
	"github.com/nginxlint/nginxlint/manifest"
)

// A backend linked to a compose service (app = "compose.yaml#api") is
// reached in one of two ways. nginx in a container of the same project
// dials the service by its name on a port it listens on inside its
// container: container-loopback and container-port check that. nginx on
// the host (no [nginx] compose, no service of the project mounts the
// tree, or nginx's service shares the host's network) reaches the
// service only where compose publishes it on the host: ports:
// "127.0.0.1:10633:8536" is the host's 127.0.0.1:10633, and the
// manifest's address must be one of those.

// composeLink is a backend's app that is a compose service, with its
// project, and whether nginx reaches it from the host.
type composeLink struct {
	project *compose.Project
	service *compose.Service
	// fromHost is true when nginx does not run in a container (neither
	// [nginx] compose nor a service that mounts the tree says it does),
	// or runs in one on the host's network: it reaches the service at
	// the ports it publishes.
	fromHost bool
}

// composeLinkOf returns what a, an app of kind apps.Compose, is in the
// run's compose projects; ok is false when its service is not found.
func composeLinkOf(p *lint.Pass, set *read.Set, a *apps.App) (composeLink, bool) {
	for _, proj := range set.Projects {
		for _, s := range proj.Services {
			if s.Name != a.Name || s.Span != a.Span {
				continue
			}
			// nginx of the service's own project decides; else nginx in a
			// container of another project reaches no published port.
			l := composeLink{project: proj, service: s, fromHost: p.Manifest.Compose == ""}
			for _, cn := range nginxServices(p) {
				if cn.project == proj {
					l.fromHost = cn.service.NetworkMode == "host"
					break
				}
				if cn.service.NetworkMode != "host" {
					l.fromHost = false
				}
			}
			return l, true
		}
	}
	return composeLink{}, false
}

// hostReachable reports whether nginx reaches s through the ports it
// publishes on the host: s has its own network (network_mode: host puts
// it on the host's interfaces, at the ports it listens on, which the
// other app-drift checks compare like any app's).
func (l composeLink) hostReachable() bool {
	return l.fromHost && l.service.NetworkMode != "host"
}

// publishedBind is the host address a published port binds, on port:
// its host IP, or, without one, every interface of both families, as
// Docker publishes it.
func publishedBind(pt compose.Port, port int) (manifest.Addr, bool) {
	host := strings.Trim(pt.HostIP, "[]")
	if host == "" {
		host = "::"
	}
	a, _, err := apps.TCP(host, port)
	return a, err == nil
}

// publishedServes reports whether the published port pt takes the
// connections nginx makes to the manifest's address l.
func publishedServes(pt compose.Port, l manifest.Addr) bool {
	if pt.Proto != "tcp" || !pt.Publishes(l.Port) {
		return false
	}
	b, ok := publishedBind(pt, l.Port)
	if !ok {
		return false
	}
	if strings.EqualFold(l.Host, "localhost") && !l.IP.IsValid() {
		return b.Accepts(loopbackAt(loopback4, l.Port)) && b.Accepts(loopbackAt(netip.IPv6Loopback(), l.Port))
	}
	return covers(b, l)
}

// varRef matches a variable reference of compose's interpolation.
var varRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// portComputed reports whether the published port pt is written with a
// variable that the project's .env does not set: compose takes its value
// from the environment it runs in, which nginxlint does not read.
func portComputed(proj *compose.Project, pt compose.Port) bool {
	if !strings.Contains(pt.Written, "$") {
		return false
	}
	for _, m := range varRef.FindAllStringSubmatch(pt.Written, 8) {
		if _, unset := slices.BinarySearch(proj.Unset, m[1]); unset {
			return true
		}
	}
	return false
}

// publishedText writes where a published port is on the host for a
// message: "127.0.0.1:10633", "[::1]:8080", "every interface's 8080",
// "ports 8000-8005 of 127.0.0.1".
func publishedText(pt compose.Port) string {
	host := strings.Trim(pt.HostIP, "[]")
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if strings.Contains(pt.Published, "-") {
		if host == "" {
			return "ports " + pt.Published + " of every interface"
		}
		return "ports " + pt.Published + " of " + host
	}
	if host == "" {
		return "port " + pt.Published + " of every interface"
	}
	return host + ":" + pt.Published
}

// checkComposeFromHost checks backend b, linked to the compose service
// of l that nginx reaches from the host, against the ports the service
// publishes: reported when no published port serves one of the
// manifest's TCP addresses. A port written with a variable compose
// takes from its environment is app-unreadable's.
func checkComposeFromHost(p *lint.Pass, set *read.Set, b *manifest.Backend, l composeLink) {
	s := l.service
	var published, udp, ephemeral []compose.Port
	for _, pt := range s.Ports {
		switch {
		case portComputed(l.project, pt):
			return // app-unreadable reports it
		case pt.Proto != "tcp":
			udp = append(udp, pt)
		case pt.Published == "":
			ephemeral = append(ephemeral, pt)
		default:
			published = append(published, pt)
		}
	}
	var uncovered []manifest.Addr
	for _, la := range b.Listen {
		if la.Unix {
			continue // a socket in a volume: not what ports: says
		}
		if !slices.ContainsFunc(published, func(pt compose.Port) bool { return publishedServes(pt, la) }) {
			uncovered = append(uncovered, la)
		}
	}
	if len(uncovered) == 0 {
		return
	}
	la := uncovered[0]
	name := strconv.Quote(s.Name)
	fails := fmt.Sprintf("what nginx sends there fails with 502 (%s)", refusal(la))
	d := lint.Diagnostic{}
	at := s.Span
	var msg string
	switch {
	case len(published) == 0:
		why := "publishes no port on the host (ports:)"
		switch {
		case len(ephemeral) > 0:
			at = ephemeral[0].Span
			why = fmt.Sprintf("publishes its container port %d on a host port Docker picks each time the container starts (%q writes no host port)", ephemeral[0].Target, apps.Excerpt(ephemeral[0].Written))
		case len(udp) > 0:
			at = udp[0].Span
			why = fmt.Sprintf("publishes %s for %s only, which nginx cannot proxy HTTP or a TCP stream to", publishedText(udp[0]), strings.ToUpper(udp[0].Proto))
		}
		msg = fmt.Sprintf("service %s %s, but the manifest says backend %s listens on %s, and nginx runs on the host, where a service is reached only at a port it publishes: %s; publish it, e.g. ports: [\"%s:%d\"]",
			name, why, b.Name, addrList(uncovered), fails, publishExample(la), firstContainerPort(s, la.Port))
	default:
		pt, why := nearestPublished(published, la)
		at = pt.Span
		msg = fmt.Sprintf("service %s publishes %s on the host%s, but the manifest says backend %s listens on %s%s, and nginx runs on the host, where a service is reached only at a port it publishes: %s",
			name, publishedList(published), targetNote(published), b.Name, addrList(uncovered), why, fails)
		if len(uncovered) == 1 && len(b.Listen) == 1 {
			d.Fixes = publishedFix(set, b, la, published)
		}
	}
	if at.IsZero() {
		at = apps.Span{File: s.Span.File}
	}
	d.File, d.Start, d.End, d.Message = at.File, at.Start, at.End, msg
	for _, u := range uncovered {
		if r, ok := p.ManifestRelated(u.Pos, fmt.Sprintf("the manifest says backend %s listens on %s", b.Name, u)); ok {
			d.Related = append(d.Related, r)
		}
	}
	p.Report(d)
}

// publishExample is the host part of a ports: entry that publishes on
// the manifest's address la: its IP, or none for a host name.
func publishExample(la manifest.Addr) string {
	if la.IP.IsValid() && !la.IP.IsUnspecified() {
		ip := la.IP.String()
		if la.IP.Is6() {
			ip = "[" + ip + "]"
		}
		return ip + ":" + strconv.Itoa(la.Port)
	}
	return strconv.Itoa(la.Port)
}

// firstContainerPort is the port the service listens on inside its
// container, for an example: the first the compose file says, else
// port.
func firstContainerPort(s *compose.Service, port int) int {
	if ports := s.ListenPorts(); len(ports) > 0 {
		return ports[0]
	}
	return port
}

// nearestPublished returns the published port a finding about la is
// best shown at, and why it does not serve la: one publishing la's port
// on another interface, else one whose container port is la's port
// (the manifest wrote the port inside the container), else the first.
func nearestPublished(published []compose.Port, la manifest.Addr) (compose.Port, string) {
	for _, pt := range published {
		if pt.Publishes(la.Port) {
			host := strings.Trim(pt.HostIP, "[]")
			ip, err := netip.ParseAddr(host)
			if err == nil && ip.Is6() {
				host = "[" + host + "]"
			}
			switch {
			case err == nil && la.IP.IsValid() && ip.Is4() != la.IP.Is4():
				return pt, fmt.Sprintf(" (%d is published on %s only, and %s and %s are different sockets)", la.Port, host, host, la.String()[:strings.LastIndexByte(la.String(), ':')])
			case err == nil && ip.IsLoopback():
				return pt, fmt.Sprintf(" (%d is published on %s only, which takes connections from the host itself only)", la.Port, host)
			}
			return pt, fmt.Sprintf(" (%d is published on %s only)", la.Port, host)
		}
	}
	for _, pt := range published {
		if pt.Target == la.Port {
			return pt, fmt.Sprintf(" (%d is the service's port inside its container; the host reaches it at %s)", la.Port, publishedText(pt))
		}
	}
	return published[0], ""
}

// publishedList writes the published ports for a message.
func publishedList(published []compose.Port) string {
	var s []string
	for _, pt := range published {
		t := publishedText(pt)
		if !slices.Contains(s, t) {
			s = append(s, t)
		}
		if len(s) == 4 && len(published) > 4 {
			s = append(s, "...")
			break
		}
	}
	return strings.Join(s, ", ")
}

// targetNote says which container port the published ports lead to,
// when they all lead to one.
func targetNote(published []compose.Port) string {
	t := published[0].Target
	for _, pt := range published[1:] {
		if pt.Target != t {
			return ""
		}
	}
	return fmt.Sprintf(" (its container port %d)", t)
}

// publishedFix writes, in place of the manifest's address la, la's host
// with the one host port the service publishes, when that serves it:
// the service publishes one TCP port, not a range.
func publishedFix(set *read.Set, b *manifest.Backend, la manifest.Addr, published []compose.Port) []lint.Fix {
	if len(published) != 1 || strings.Contains(published[0].Published, "-") {
		return nil
	}
	port, err := strconv.Atoi(published[0].Published)
	if err != nil {
		return nil
	}
	moved := la
	moved.Port = port
	if !publishedServes(published[0], moved) {
		return nil
	}
	return manifestListenFix(set, b, la, moved.String())
}
