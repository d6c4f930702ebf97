package compose

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

func TestCollapsePort(t *testing.T) {
	for _, c := range []struct {
		in, rep, published string
		hi                 int
	}{
		{"49152-65535:49152-65535/udp", "49152:49152/udp", "49152-65535", 65535},
		{"127.0.0.1:10000-10100:20000-20100/udp", "127.0.0.1:10000:20000/udp", "10000-10100", 20100},
		{"[::1]:5000-5001:5000-5001/sctp", "[::1]:5000:5000/sctp", "5000-5001", 5001},
		{"3478-3479/UDP", "3478/udp", "", 3479},
		{"0.0.0.0::7000-7002/udp", "0.0.0.0::7000/udp", "", 7002},
	} {
		rep, pub, hi, ok := collapsePort(c.in)
		if !ok || rep != c.rep || pub != c.published || hi != c.hi {
			t.Errorf("collapsePort(%q) = %q, %q, %d, %v; want %q, %q, %d", c.in, rep, pub, hi, ok, c.rep, c.published, c.hi)
		}
	}
	// TCP, single ports, mismatched or invalid ranges, what cannot be
	// split: left to compose-go.
	for _, in := range []string{"8000-8005:8000-8005", "9000:9000/udp", "1-10:1-9/udp", "0-5/udp", "1-70000/udp", "::1:1-2:1-2/udp", "[::1]1-2:1-2/udp"} {
		if rep, _, _, ok := collapsePort(in); ok {
			t.Errorf("collapsePort(%q) = %q; want it left as written", in, rep)
		}
	}
}

// TestPortRanges: ranges of UDP ports, which nginxlint does not check,
// are read as one Port each, whatever their size; TCP ranges are read
// port by port up to maxTCPPorts in a project, past which the project is
// not read, and said so at the service.
func TestPortRanges(t *testing.T) {
	src := "services:\n  turn:\n    image: coturn/coturn\n    ports:\n" +
		"      - \"1-65535:1-65535/udp\"\n      - \"127.0.0.1:1-65535:1-65535/udp\"\n      - \"[::1]:1-65535:1-65535/sctp\"\n      - \"3478:3478\"\n"
	p, probs := Read(&syntax.File{Name: "/x/compose.yaml", Src: src}, nil, nil)
	if p == nil || len(probs) > 0 {
		t.Fatalf("not read: %v", probs)
	}
	s := p.Service("turn")
	if len(s.Ports) != 4 {
		t.Fatalf("%d ports, want one per entry: %+v", len(s.Ports), s.Ports)
	}
	if pt := s.Ports[0]; pt.Published != "1-65535" || pt.Target != 1 || pt.TargetHi != 65535 || pt.Proto != "udp" || !pt.Publishes(4242) {
		t.Errorf("the first range reads as %+v", pt)
	}
	if pt := s.Ports[3]; pt.Published != "3478" || pt.Target != 3478 || pt.TargetHi != 0 || pt.Proto != "tcp" {
		t.Errorf("the TCP port reads as %+v", pt)
	}

	tcp := "services:\n  ftp:\n    image: ftp\n    ports: [\"21000-21010:21000-21010\"]\n  big:\n    image: x\n    ports: [\"1-65535:1-65535\"]\n"
	p, probs = Read(&syntax.File{Name: "/x/compose.yaml", Src: tcp}, nil, nil)
	if p != nil || len(probs) != 1 || !strings.Contains(probs[0].Msg, "more than 4096 TCP ports") {
		t.Fatalf("a project of 65,546 TCP ports: project %v, problems %v", p, probs)
	}
	if pos := probs[0].Span.File.Position(probs[0].Span.Start); pos.Line != 5 || pos.Column != 3 {
		t.Errorf("the problem is at %s, want the service big (5:3)", pos)
	}
	var many strings.Builder
	many.WriteString("services:\n")
	for i := range maxEntries {
		fmt.Fprintf(&many, "  s%d:\n    image: x\n    ports: [\"127.0.0.1:%d:80\"]\n", i, 10000+i)
	}
	if p, probs = Read(&syntax.File{Name: "/x/compose.yaml", Src: many.String()}, nil, nil); p == nil || len(p.Services) != maxEntries {
		t.Errorf("%d services of one port each: %v", maxEntries, probs)
	}
	small := "services:\n  ftp:\n    image: ftp\n    ports: [\"21000-21010:21000-21010\"]\n"
	if p, probs = Read(&syntax.File{Name: "/x/compose.yaml", Src: small}, nil, nil); p == nil || len(p.Service("ftp").Ports) != 11 {
		t.Errorf("a range of 11 TCP ports: %v", probs)
	}
}
