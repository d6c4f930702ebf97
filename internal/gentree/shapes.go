package main

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Shape is an adversarial tree: one dimension of a configuration made
// large, or the addresses spread in one way, so that a cost that grows
// faster than the tree shows. Each is valid for nginx -t where that needs
// no DNS, with a manifest listing every address it dials.
type Shape struct {
	Name string
	// Doc says what the tree is, in one line.
	Doc string
	// Unit is what N counts.
	Unit string
	// L is N at the L size; the S size is a tenth of it.
	L int
	// NginxT is false when nginx -t cannot check the tree here: its
	// targets are host names, which nginx resolves when it reads them.
	NginxT bool

	// Shapes built on the realistic tree: how the backend addresses are
	// spread, how many conf.d files hold n servers, and whether an
	// nginx -T dump of the tree is written too.
	spread int
	files  func(n int) int
	dump   bool
	// stale: the manifest lists every backend a port above the one the
	// tree dials, so every target drifts.
	stale bool
	// Other shapes write their files themselves, after nginx.conf; they
	// have no snippets.
	write func(g *gen) error
}

// DumpFile is the file of the dump shape that holds what nginx -T prints
// for the tree.
const DumpFile = "nginx-T.txt"

// shapeFiles is the number of conf.d files of the realistic tree's
// shapes at every size: as many as the L preset.
func shapeFiles(int) int { return 100 }

var shapes = []*Shape{
	{Name: "hosts", Doc: "the realistic tree with every backend on port 8080 of a host of its own (127.A.B.C)",
		Unit: "servers", L: 50000, NginxT: true, spread: spreadHosts, files: shapeFiles},
	{Name: "ports", Doc: "the realistic tree with every backend on a port of its own of 127.0.0.1 (then 127.0.0.2 ...)",
		Unit: "servers", L: 50000, NginxT: true, spread: spreadPorts, files: shapeFiles},
	{Name: "sockets", Doc: "the realistic tree with every backend on a unix socket of its own",
		Unit: "servers", L: 50000, NginxT: true, spread: spreadSockets, files: shapeFiles},
	{Name: "names", Doc: "the realistic tree with every backend on port 8080 of a host name of its own, listed in the manifest as fixed (nginx -t would resolve them)",
		Unit: "servers", L: 50000, NginxT: false, spread: spreadNames, files: shapeFiles},
	{Name: "one-file", Doc: "the realistic tree with all its servers in one conf.d file",
		Unit: "servers", L: 50000, NginxT: true, files: func(int) int { return 1 }},
	{Name: "tiny-files", Doc: "the realistic tree with one server in each conf.d file",
		Unit: "files", L: 20000, NginxT: true, files: func(n int) int { return n }},
	{Name: "dump", Doc: "the realistic tree and what nginx -T prints for it (" + DumpFile + "), which nginxlint reads from stdin",
		Unit: "servers", L: 50000, NginxT: true, files: shapeFiles, dump: true},
	{Name: "stale-manifest", Doc: "the hosts tree with a manifest that lists every backend a port above the one the tree dials: every target is a finding, with the nearest backend as its hint",
		Unit: "servers", L: 50000, NginxT: true, spread: spreadHosts, files: shapeFiles, stale: true},
	{Name: "big-upstream", Doc: "one upstream block with N servers, one backend with N addresses bound to it",
		Unit: "upstream servers", L: 50000, NginxT: true, write: writeBigUpstream},
	{Name: "many-locations", Doc: "one server block with N locations",
		Unit: "locations", L: 200000, NginxT: true, write: writeManyLocations},
	{Name: "many-upstreams", Doc: "N upstream blocks of one server each, each used by one location, each bound to a backend of its own",
		Unit: "upstreams", L: 100000, NginxT: true, write: writeManyUpstreams},
	{Name: "deep-include", Doc: "a chain of N files, each holding a server and including the next (nginx -t keeps them all open: raise ulimit -n)",
		Unit: "files in the chain", L: 5000, NginxT: true, write: writeDeepInclude},
}

// Shapes returns the adversarial shapes, in a fixed order.
func Shapes() []*Shape { return shapes }

// ShapeNamed returns the shape of that name, or nil.
func ShapeNamed(name string) *Shape {
	for _, s := range shapes {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// shapeNames lists the shapes' names for messages.
func shapeNames() string {
	names := make([]string, len(shapes))
	for i, s := range shapes {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// Size returns N at a preset size: S or L.
func (s *Shape) Size(size string) (int, error) {
	switch strings.ToUpper(size) {
	case "S":
		return s.L / 10, nil
	case "L":
		return s.L, nil
	}
	return 0, fmt.Errorf("-size %q: use S or L", size)
}

// Config returns the configuration of the shape at size n.
func (s *Shape) Config(n int) Config {
	cfg := Config{Shape: s.Name, N: n, Seed: 1}
	if s.files != nil {
		cfg.Servers, cfg.Files = n, s.files(n)
	}
	return cfg
}

// maxFiles bounds the conf.d files of a tree. nginxlint reads at most
// syntax.MaxFiles files today: the tiny-files shape goes beyond that on
// purpose.
const maxFiles = 1000000

// checkConfig reports what is wrong with cfg for shape s (nil: the
// realistic tree).
func checkConfig(s *Shape, cfg Config) error {
	if s == nil || s.write == nil {
		if cfg.Servers < 1 || cfg.Files < 1 {
			return fmt.Errorf("need at least one server and one file (servers %d, files %d)", cfg.Servers, cfg.Files)
		}
		if cfg.Files > maxFiles {
			return fmt.Errorf("%d files: use at most %d", cfg.Files, maxFiles)
		}
		return nil
	}
	if cfg.N < 1 {
		return fmt.Errorf("shape %s: N must be at least 1 (it counts %s)", s.Name, s.Unit)
	}
	if s.Name == "deep-include" && cfg.N > maxFiles {
		return fmt.Errorf("shape %s: at most %d files", s.Name, maxFiles)
	}
	return nil
}

// writeBigUpstream writes one upstream block of N servers, all of one
// backend, and a server that proxies to it.
func writeBigUpstream(g *gen) error {
	n := g.cfg.N
	var b bytes.Buffer
	fmt.Fprintf(&b, "# One upstream block with %d servers. Generated by internal/gentree; do not edit.\n\nupstream big_pool {\n", n)
	listen := make([]string, 0, n)
	for range n {
		addr := g.addrs.next()
		listen = append(listen, addr)
		fmt.Fprintf(&b, "    server %s", addr)
		if g.chance(10) {
			b.WriteString(" max_fails=3 fail_timeout=10s")
		}
		b.WriteString(";\n")
	}
	b.WriteString("    keepalive 16;\n}\n")
	g.st.Upstreams++
	g.backends = append(g.backends, backend{name: "big", listen: listen, upstream: "big_pool", idle: "75s",
		comment: "the application servers behind big_pool"})
	b.WriteString(`
server {
    listen 127.0.0.1:8080;
    server_name big.example.test;

    location / {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass http://big_pool;
    }
}
`)
	g.st.Servers++
	g.st.Locations++
	return g.writeConfD("001.conf", b.Bytes())
}

// locationBackends is how many direct backends the many-locations shape
// spreads its locations over, besides its upstream.
const locationBackends = 100

// writeManyLocations writes one server block with N locations: most
// proxy to an upstream, some to direct backends, some answer themselves,
// one in a hundred is a regular expression.
func writeManyLocations(g *gen) error {
	n := g.cfg.N
	var b bytes.Buffer
	fmt.Fprintf(&b, "# One server block with %d locations. Generated by internal/gentree; do not edit.\n\nupstream loc_pool {\n", n)
	var pool []string
	for range 3 {
		addr := g.addrs.next()
		pool = append(pool, addr)
		fmt.Fprintf(&b, "    server %s;\n", addr)
	}
	b.WriteString("    keepalive 16;\n}\n")
	g.st.Upstreams++
	g.backends = append(g.backends, backend{name: "loc", listen: pool, upstream: "loc_pool", idle: "75s",
		comment: "the application servers behind loc_pool"})
	direct := make([]string, locationBackends)
	for i := range direct {
		direct[i] = g.addrs.next()
		g.backends = append(g.backends, backend{name: fmt.Sprintf("loc-d%03d", i), listen: []string{direct[i]}})
	}
	b.WriteString(`
server {
    listen 127.0.0.1:8080;
    server_name loc.example.test;

    proxy_http_version 1.1;
    proxy_set_header Connection "";
`)
	g.st.Servers++
	for i := range n {
		switch {
		case i%100 == 5:
			fmt.Fprintf(&b, "    location ~ ^/r%07d/(a|b)/ {\n        proxy_pass http://loc_pool;\n    }\n", i)
		case i%10 == 0:
			fmt.Fprintf(&b, "    location = /p%07d {\n        return 204;\n    }\n", i)
		case i%10 <= 3:
			fmt.Fprintf(&b, "    location /p%07d/ {\n        proxy_pass %s;\n    }\n", i, target(direct[i%locationBackends], ""))
		case i%10 == 4:
			fmt.Fprintf(&b, "    location /p%07d/ {\n        proxy_set_header Connection \"\";\n        proxy_set_header X-Route %d;\n        proxy_pass http://loc_pool;\n    }\n", i, i)
		default:
			fmt.Fprintf(&b, "    location /p%07d/ {\n        proxy_pass http://loc_pool;\n    }\n", i)
		}
		g.st.Locations++
	}
	b.WriteString("}\n")
	return g.writeConfD("001.conf", b.Bytes())
}

// upstreamsPerServer is how many locations, each with an upstream of its
// own, a server block of the many-upstreams shape holds.
const upstreamsPerServer = 100

// writeManyUpstreams writes N upstream blocks of one server each, each
// used by one location, in servers of upstreamsPerServer locations, in
// files of 100 servers.
func writeManyUpstreams(g *gen) error {
	n := g.cfg.N
	servers := (n + upstreamsPerServer - 1) / upstreamsPerServer
	const perFile = 100
	files := (servers + perFile - 1) / perFile
	width := max(3, len(fmt.Sprint(files)))
	u := 0
	for f := range files {
		var b bytes.Buffer
		fmt.Fprintf(&b, "# Upstreams used once each. Generated by internal/gentree; do not edit.\n")
		for s := f * perFile; s < min(servers, (f+1)*perFile); s++ {
			first := u
			last := min(n, u+upstreamsPerServer)
			b.WriteString("\n")
			for ; u < last; u++ {
				name := fmt.Sprintf("u%06d", u+1)
				addr := g.addrs.next()
				fmt.Fprintf(&b, "upstream %s {\n    server %s;\n}\n", name, addr)
				g.backends = append(g.backends, backend{name: name, listen: []string{addr}, upstream: name})
				g.st.Upstreams++
			}
			fmt.Fprintf(&b, "\nserver {\n    listen 127.0.0.1:%d;\n    server_name s%06d.upstreams.example.test;\n", listenPortLo+s%listenPorts, s+1)
			for i := first; i < last; i++ {
				fmt.Fprintf(&b, "\n    location /u%06d/ {\n        proxy_pass http://u%06d;\n    }\n", i+1, i+1)
				g.st.Locations++
			}
			b.WriteString("}\n")
			g.st.Servers++
		}
		if err := g.writeConfD(fmt.Sprintf("%0*d.conf", width, f+1), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// chainDir holds the files of the deep-include shape but the first.
const chainDir = "chain"

// writeDeepInclude writes a chain of N files: conf.d/001.conf, then
// chain/000002.conf ..., each holding a server block and including the
// next one at its end.
func writeDeepInclude(g *gen) error {
	n := g.cfg.N
	name := func(k int) string { return filepath.Join(chainDir, fmt.Sprintf("%06d.conf", k)) }
	for k := 1; k <= n; k++ {
		var b bytes.Buffer
		fmt.Fprintf(&b, "# Link %d of an include chain of %d files. Generated by internal/gentree; do not edit.\n\n", k, n)
		addr := g.addrs.next()
		g.backends = append(g.backends, backend{name: fmt.Sprintf("c%06d", k), listen: []string{addr}})
		fmt.Fprintf(&b, "server {\n    listen 127.0.0.1:%d;\n    server_name c%06d.chain.example.test;\n\n    location / {\n        proxy_pass %s;\n    }\n}\n",
			listenPortLo+k%listenPorts, k, target(addr, ""))
		g.st.Servers++
		g.st.Locations++
		if k < n {
			fmt.Fprintf(&b, "\ninclude %s;\n", filepath.ToSlash(name(k+1)))
		}
		var err error
		if k == 1 {
			err = g.writeConfD("001.conf", b.Bytes())
		} else {
			err = g.write(name(k), b.Bytes())
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// writeConfD writes a file of conf.d.
func (g *gen) writeConfD(name string, data []byte) error {
	g.st.ConfDFiles++
	return g.write(filepath.Join("conf.d", name), data)
}

// dumpText returns what nginx -T prints for the files written: each file
// once, in the order nginx first reads it, which follows the includes.
func (g *gen) dumpText() []byte {
	var b bytes.Buffer
	files := map[string][]byte{}
	var names []string
	for _, f := range g.written {
		files[filepath.ToSlash(f.name)] = f.data
		names = append(names, filepath.ToSlash(f.name))
	}
	slices.Sort(names) // as nginx expands a glob
	done := map[string]bool{}
	var dump func(name string)
	dump = func(name string) {
		done[name] = true
		fmt.Fprintf(&b, "# configuration file %s:\n", filepath.ToSlash(filepath.Join(g.dir, name)))
		b.Write(files[name])
		b.WriteString("\n")
		for _, m := range includeRE.FindAllSubmatch(files[name], -1) {
			for _, n := range names {
				if ok, _ := path.Match(string(m[1]), n); ok && !done[n] {
					dump(n)
				}
			}
		}
	}
	dump("nginx.conf")
	return b.Bytes()
}

// includeRE finds the include directives of a generated file.
var includeRE = regexp.MustCompile(`(?m)^\s*include\s+([^;\s]+);`)
