package manifest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// synthManifest returns a manifest of n backends shaped like the ones
// internal/gentree writes: a comment before each application, one to four
// TCP listen addresses per backend, the optional keys, a few unix sockets
// and localhost addresses. The same seed gives the same text.
func synthManifest(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 0))
	var b strings.Builder
	b.WriteString("# A synthetic manifest.\n\nexternal = [\"198.51.100.0/24\", \"api.stripe.com\"]\n\n[nginx]\nversion = \"1.22.1\"\n")
	port := 10000
	for i := range n {
		if i%3 == 0 {
			fmt.Fprintf(&b, "\n# application %d\n", i/3)
		} else {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[backends.app%05d]\n", i)
		switch k := r.IntN(20); {
		case k == 0:
			fmt.Fprintf(&b, "listen = \"unix:/run/app%05d.sock\"\n", i)
		case k == 1:
			fmt.Fprintf(&b, "listen = \"localhost:%d\"\n", port)
			port++
		case k < 12:
			fmt.Fprintf(&b, "listen = \"127.0.0.1:%d\"\n", port)
			port++
		default:
			var addrs []string
			for range 1 + r.IntN(4) {
				addrs = append(addrs, fmt.Sprintf("%q", fmt.Sprintf("127.0.0.1:%d", port)))
				port++
			}
			fmt.Fprintf(&b, "listen = [%s]\n", strings.Join(addrs, ", "))
		}
		b.WriteString("protocol = \"http\"\n")
		if r.IntN(3) == 0 {
			fmt.Fprintf(&b, "upstream = \"app%05d_pool\"\nidle_timeout = \"75s\"\n", i)
		}
		if r.IntN(4) == 0 {
			b.WriteString("max_response_time = \"90s\"\n")
		}
	}
	return b.String()
}

func benchmarkParse(b *testing.B, data []byte) {
	if _, err := Parse("m.toml", data); err != nil {
		b.Fatalf("the manifest does not parse cleanly: %v", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("m.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses the manifest file named by
// $NGINXLINT_BENCH_MANIFEST, such as the backends.toml that
// "go run ./internal/gentree -size L -o DIR" writes.
func BenchmarkParse(b *testing.B) {
	path := os.Getenv("NGINXLINT_BENCH_MANIFEST")
	if path == "" {
		b.Skip("set NGINXLINT_BENCH_MANIFEST to a manifest file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkParse(b, data)
}

// BenchmarkParseSynthetic parses a synthetic manifest of 3,000 backends.
func BenchmarkParseSynthetic(b *testing.B) {
	benchmarkParse(b, []byte(synthManifest(3000, 1)))
}

// BenchmarkResolve resolves one target per operation, in turn each of the
// targets a large tree dials: every listen address of the manifest, the
// localhost form of each, addresses no backend listens on, and upstream
// names. It uses $NGINXLINT_BENCH_MANIFEST when set.
func BenchmarkResolve(b *testing.B) {
	data := []byte(synthManifest(3000, 1))
	if path := os.Getenv("NGINXLINT_BENCH_MANIFEST"); path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			b.Fatal(err)
		}
	}
	m, err := Parse("m.toml", data)
	if err != nil {
		b.Fatal(err)
	}
	var targets []Addr
	add := func(dir, arg string) {
		tg, err := ParseTarget(dir, arg, false)
		if err != nil {
			b.Fatalf("ParseTarget(%q): %v", arg, err)
		}
		targets = append(targets, tg.Addr)
	}
	for _, be := range m.Backends {
		for _, l := range be.Listen {
			if l.Unix {
				add("fastcgi_pass", "unix:"+l.Path)
				continue
			}
			add("proxy_pass", "http://"+l.String())
			add("proxy_pass", fmt.Sprintf("http://localhost:%d", l.Port))
			add("proxy_pass", fmt.Sprintf("http://10.1.2.3:%d/", l.Port))
		}
		add("proxy_pass", "http://"+be.Name+"_pool")
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; b.Loop(); i++ {
		if m.Resolve(targets[i%len(targets)]).Kind != NoMatch {
			n++
		}
	}
	if n == 0 {
		b.Fatal("nothing resolved")
	}
}

// BenchmarkParseOnePort parses a manifest of 20,000 backends that all
// listen on port 8080, each of its own host: compared pair by pair for
// duplicates, it took seconds.
func BenchmarkParseOnePort(b *testing.B) {
	var s strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&s, "[backends.b%05d]\nlisten = \"10.%d.%d.%d:8080\"\n\n", i, i>>16&255, i>>8&255, i&255)
	}
	benchmarkParse(b, []byte(s.String()))
}
