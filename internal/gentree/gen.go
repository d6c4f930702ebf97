package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/manifest"
)

// Config says what tree to generate.
type Config struct {
	Servers int    // server blocks, spread over the conf.d files
	Files   int    // conf.d files
	Seed    uint64 // the same seed and sizes give the same tree, byte for byte
	// Shape names an adversarial shape (see [Shapes]); "" is the realistic
	// tree. Shapes built on the realistic tree use Servers and Files; the
	// others use N.
	Shape string
	// N is the size of the shape, counted in its Unit.
	N int
}

// Preset returns the configuration of a named size: S (≈3 MB, 50 files,
// 5,000 servers) or L (≈33 MB, 100 files, 50,000 servers).
func Preset(name string) (Config, error) {
	switch strings.ToUpper(name) {
	case "S":
		return Config{Servers: 5000, Files: 50, Seed: 1}, nil
	case "L":
		return Config{Servers: 50000, Files: 100, Seed: 1}, nil
	}
	return Config{}, fmt.Errorf("-size %q: use S or L (or -servers N -files F)", name)
}

// Stats describes a generated tree.
type Stats struct {
	Dir   string // absolute
	Seed  uint64
	Shape string // "" for the realistic tree
	N     int    // the shape's size, in its Unit
	// NginxT is false when nginx -t cannot check the tree on this machine
	// (its targets are host names, which nginx resolves).
	NginxT bool
	// Dump, for the dump shape, is the file holding what nginx -T prints
	// for the tree (relative to Dir); nginxlint reads it from stdin.
	Dump        string
	DumpBytes   int64
	ConfigFiles int   // nginx.conf, conf.d/*.conf and snippets/*.conf
	ConfDFiles  int   // conf.d/*.conf
	ConfigBytes int64 // bytes of the configuration files
	// ManifestBytes is the size of backends.toml; TreeBytes is everything
	// nginxlint reads: the configuration files (for the dump shape, the
	// dump) and the manifest.
	ManifestBytes int64
	TreeBytes     int64
	Servers       int
	Locations     int
	Upstreams     int
	Backends      int // tables in the manifest
	Addresses     int // distinct backend addresses in the manifest
}

// Summary is a one-line description of the tree.
func (s *Stats) Summary() string {
	shape := ""
	if s.Shape != "" {
		shape = fmt.Sprintf("shape %s (%d), ", s.Shape, s.N)
	}
	dump := ""
	if s.Dump != "" {
		dump = fmt.Sprintf(", nginx -T dump %s of %d bytes", s.Dump, s.DumpBytes)
	}
	return fmt.Sprintf("%s%.2f MB (%d bytes: %d of configuration in %d files, %d of manifest%s), %d servers, %d locations, %d upstreams, %d backends (%d addresses), seed %d",
		shape, float64(s.TreeBytes)/1e6, s.TreeBytes, s.ConfigBytes, s.ConfigFiles, s.ManifestBytes, dump,
		s.Servers, s.Locations, s.Upstreams, s.Backends, s.Addresses, s.Seed)
}

// statsFile marks a directory as gentree output (so that it may be
// overwritten) and records its Stats as key=value lines.
const statsFile = "gentree.stats"

func (s *Stats) keyValues() string {
	var b strings.Builder
	kv := func(k string, v any) { fmt.Fprintf(&b, "%s=%v\n", k, v) }
	kv("seed", s.Seed)
	kv("shape", s.Shape)
	kv("n", s.N)
	kv("nginx_t", map[bool]string{true: "yes", false: "no"}[s.NginxT])
	kv("dump", s.Dump)
	kv("dump_bytes", s.DumpBytes)
	kv("servers", s.Servers)
	kv("files", s.ConfDFiles)
	kv("config_files", s.ConfigFiles)
	kv("locations", s.Locations)
	kv("upstreams", s.Upstreams)
	kv("backends", s.Backends)
	kv("addresses", s.Addresses)
	kv("config_bytes", s.ConfigBytes)
	kv("manifest_bytes", s.ManifestBytes)
	kv("tree_bytes", s.TreeBytes)
	return b.String()
}

// Listen ports of the generated servers (nginx's own, not backends).
const (
	listenPortLo = 8080
	listenPorts  = 20
)

// Backend addresses are 127.0.0.H:P with P in [backendPortLo, backendPortHi]
// and H from 1 up; the platform services below sit under backendPortLo.
const (
	backendPortLo = 10000
	backendPortHi = 59999
)

// platform services are backends shared by every app.
var platform = []struct {
	name, path string
	port       int
}{
	{"auth", "/auth/", 9001},
	{"search", "/search/", 9002},
	{"images", "/img/", 9003},
	{"feature-flags", "/flags/", 9004},
	{"telemetry", "/collect", 9005},
}

// externalNet holds partner APIs: remote, declared in the manifest's
// external list rather than as backends.
const externalNet = "198.51.100"

var products = []string{
	"catalog", "cart", "checkout", "search", "accounts", "billing", "media",
	"reports", "inventory", "shipping", "reviews", "notifications", "admin",
	"pricing", "loyalty", "support", "docs", "status", "ledger", "payouts",
}

var apiResources = []string{"users", "orders", "items", "invoices", "sessions", "events", "carts", "tokens"}

// How addrAlloc spreads the backend addresses.
const (
	spreadRealistic = iota // 127.0.0.H:P, P from backendPortLo to backendPortHi
	spreadPorts            // 127.0.0.1:P for every free port P, then 127.0.0.2 ...
	spreadHosts            // 127.A.B.C:8080, a host each
	spreadSockets          // unix:/run/gentree/bNNNNNN.sock
	spreadNames            // bNNNNNN.backends.test:8080, a host name each
)

// spreadPort is the one port of spreadHosts and spreadNames.
const spreadPort = 8080

// addrAlloc hands out distinct backend addresses, spread as kind says.
type addrAlloc struct {
	kind       int
	n          int // addresses handed out
	host, port int // spreadRealistic, spreadPorts
}

func (a *addrAlloc) next() string {
	a.n++
	switch a.kind {
	case spreadHosts:
		// 127.1.0.1 and up: never 127.0.0.1, where nginx listens.
		i := a.n + 1<<16
		return fmt.Sprintf("127.%d.%d.%d:%d", i>>16&255, i>>8&255, i&255, spreadPort)
	case spreadSockets:
		// Paths outside the tree: nginx -t does not touch them.
		return fmt.Sprintf("unix:/run/gentree/b%06d.sock", a.n)
	case spreadNames:
		return fmt.Sprintf("b%06d.backends.test:%d", a.n, spreadPort)
	case spreadPorts:
		if a.host == 0 {
			a.host, a.port = 1, 1024
		}
		for a.port > 65535 || reservedPort(a.port) {
			if a.port++; a.port > 65535 {
				a.host, a.port = a.host+1, 1024
			}
		}
	default:
		if a.host == 0 {
			a.host, a.port = 1, backendPortLo
		}
		if a.port > backendPortHi {
			a.host++
			a.port = backendPortLo
		}
	}
	s := fmt.Sprintf("127.0.0.%d:%d", a.host, a.port)
	a.port++
	return s
}

// reservedPort reports whether port p is one of nginx's own listen ports
// or a platform service's (on 127.0.0.1; spreadPorts skips them on every
// host).
func reservedPort(p int) bool {
	if p >= listenPortLo && p < listenPortLo+listenPorts {
		return true
	}
	for _, s := range platform {
		if s.port == p {
			return true
		}
	}
	return false
}

// target returns the URL of proxy_pass for a backend address and a URI
// ("" or "/..."): http://HOST:PORT/URI, or http://unix:PATH:/URI.
func target(addr, uri string) string {
	if strings.HasPrefix(addr, "unix:") && uri != "" {
		return "http://" + addr + ":" + uri
	}
	return "http://" + addr + uri
}

// backend is one table of the manifest.
type backend struct {
	name     string
	listen   []string
	upstream string
	idle     string // idle_timeout
	maxResp  string // max_response_time
	comment  string
}

// gen holds the state of one generation.
type gen struct {
	cfg      Config
	shape    *Shape // nil for the realistic tree
	dir      string
	rng      *rand.Rand
	addrs    addrAlloc
	backends []backend
	st       Stats
	app      int // apps generated so far
	server   int // servers generated so far
	// externals are the host names of the external list, besides
	// externalNet.
	externals []string
	// keep is set when the files written are kept in written, for the
	// dump.
	keep    bool
	written []writtenFile
}

// writtenFile is a configuration file written, relative to the tree.
type writtenFile struct {
	name string
	data []byte
}

// app is a group of servers sharing an upstream and direct backends.
type app struct {
	name, product string
	pool          string // upstream name
	static        string // address of its static-files backend
	reports       string // address of its reports backend, "" if none
	ws            string // address of its WebSocket backend, "" if none
}

// Generate writes the tree described by cfg into dir, which must not
// exist, be empty, or hold an earlier gentree output (which is replaced).
func Generate(dir string, cfg Config) (*Stats, error) {
	var sh *Shape
	if cfg.Shape != "" {
		if sh = ShapeNamed(cfg.Shape); sh == nil {
			return nil, fmt.Errorf("unknown shape %q; the shapes are: %s", cfg.Shape, shapeNames())
		}
	}
	if err := checkConfig(sh, cfg); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(abs, "\"\\$'{};#") || strings.ContainsFunc(abs, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return nil, fmt.Errorf("%s: the directory's path may not contain quotes, backslashes, '$', braces, ';', '#' or control characters (it is written into nginx.conf)", abs)
	}
	if err := prepareDir(abs); err != nil {
		return nil, err
	}
	g := &gen{
		cfg:   cfg,
		shape: sh,
		dir:   abs,
		rng:   rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
	}
	g.st.Dir, g.st.Seed, g.st.NginxT = abs, cfg.Seed, true
	if sh != nil {
		g.st.Shape, g.st.N, g.st.NginxT = sh.Name, cfg.N, sh.NginxT
		g.addrs.kind = sh.spread
		g.keep = sh.dump
	}
	for _, p := range platform {
		g.backends = append(g.backends, backend{name: p.name, listen: []string{fmt.Sprintf("127.0.0.1:%d", p.port)},
			comment: platformComment, maxResp: "10s"})
	}
	if err := g.write("nginx.conf", g.mainFile()); err != nil {
		return nil, err
	}
	if sh != nil && sh.write != nil {
		err = sh.write(g)
	} else {
		for _, s := range snippets {
			if err := g.write(filepath.Join("snippets", s.name), s.text); err != nil {
				return nil, err
			}
		}
		err = g.confFiles()
	}
	if err != nil {
		return nil, err
	}
	g.st.TreeBytes = g.st.ConfigBytes
	if g.keep {
		d := g.dumpText()
		if err := os.WriteFile(filepath.Join(abs, DumpFile), d, 0o644); err != nil {
			return nil, err
		}
		g.st.Dump, g.st.DumpBytes, g.st.TreeBytes = DumpFile, int64(len(d)), int64(len(d))
		g.written = nil
	}
	m := g.manifest()
	if err := os.WriteFile(filepath.Join(abs, "backends.toml"), m, 0o644); err != nil {
		return nil, err
	}
	g.st.ManifestBytes = int64(len(m))
	g.st.TreeBytes += g.st.ManifestBytes
	g.st.Backends = len(g.backends)
	for _, b := range g.backends {
		g.st.Addresses += len(b.listen)
	}
	if err := os.WriteFile(filepath.Join(abs, statsFile), []byte(g.st.keyValues()), 0o644); err != nil {
		return nil, err
	}
	return &g.st, nil
}

// confFiles writes the conf.d files of the realistic tree.
func (g *gen) confFiles() error {
	cfg := g.cfg
	width := max(3, len(fmt.Sprint(cfg.Files)))
	for k := range cfg.Files {
		n := cfg.Servers / cfg.Files
		if k < cfg.Servers%cfg.Files {
			n++
		}
		name := filepath.Join("conf.d", fmt.Sprintf("%0*d.conf", width, k+1))
		if err := g.write(name, g.confFile(name, n)); err != nil {
			return err
		}
		g.st.ConfDFiles++
	}
	return nil
}

// prepareDir creates dir, or empties the parts of an earlier gentree
// output, and creates conf.d and snippets in it.
func prepareDir(dir string) error {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	case len(ents) > 0:
		if _, err := os.Stat(filepath.Join(dir, statsFile)); err != nil {
			return fmt.Errorf("%s is not empty and holds no %s: refusing to write a tree into it", dir, statsFile)
		}
		for _, name := range []string{statsFile, "nginx.conf", "backends.toml", "conf.d", "snippets", chainDir, DumpFile} {
			if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
				return err
			}
		}
	}
	for _, sub := range []string{"conf.d", "snippets"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) write(rel string, data []byte) error {
	if dir := filepath.Dir(rel); dir != "." {
		if err := os.MkdirAll(filepath.Join(g.dir, dir), 0o755); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(g.dir, rel), data, 0o644); err != nil {
		return err
	}
	if g.keep {
		g.written = append(g.written, writtenFile{rel, data})
	}
	g.st.ConfigFiles++
	g.st.ConfigBytes += int64(len(data))
	return nil
}

// describe says what the tree is generated from.
func (g *gen) describe() string {
	switch {
	case g.shape == nil:
		return fmt.Sprintf("seed %d, %d servers in %d files", g.cfg.Seed, g.cfg.Servers, g.cfg.Files)
	case g.shape.write == nil:
		return fmt.Sprintf("shape %s, seed %d, %d servers in %d files", g.shape.Name, g.cfg.Seed, g.cfg.Servers, g.cfg.Files)
	}
	return fmt.Sprintf("shape %s, seed %d, %d %s", g.shape.Name, g.cfg.Seed, g.cfg.N, g.shape.Unit)
}

// quote returns s as a double-quoted nginx string (s holds no '"' or '\').
func quote(s string) string { return `"` + s + `"` }

func (g *gen) mainFile() []byte {
	var b bytes.Buffer
	p := func(name string) string { return quote(filepath.Join(g.dir, name)) }
	fmt.Fprintf(&b, `# Synthetic nginx configuration written by internal/gentree
# (%s). Test it without touching anything
# outside this directory:
#
#   nginx -t -q -p %s/ -c %s/nginx.conf -e %s/error.log -g "pid %s/nginx.pid;"
#
# pid is given with -g; every other path nginx writes is in this directory.

worker_processes 2;
error_log %s warn;
lock_file %s;

events {
    worker_connections 4096;
}

http {
    # Logs and temporary files stay inside the tree's directory.
    access_log %s;
    client_body_temp_path %s;
    proxy_temp_path %s;
    fastcgi_temp_path %s;
    uwsgi_temp_path %s;
    scgi_temp_path %s;

    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;

    # Tens of thousands of server names.
    server_names_hash_bucket_size 128;
    server_names_hash_max_size 262144;
    variables_hash_bucket_size 128;
    variables_hash_max_size 4096;
    proxy_headers_hash_bucket_size 128;
    proxy_headers_hash_max_size 2048;

    # WebSocket upgrades (for direct, non-keepalive backends only).
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }

    include conf.d/*.conf;
}
`, g.describe(), g.dir, g.dir, g.dir, g.dir,
		p("error.log"), p("nginx.lock"),
		p("access.log"), p("client_body_temp"), p("proxy_temp"), p("fastcgi_temp"), p("uwsgi_temp"), p("scgi_temp"))
	return b.Bytes()
}

var snippets = []struct {
	name string
	text []byte
}{
	{"proxy.conf", []byte(`# Common proxy headers. Sets its own Connection header: a location that
# includes this file inherits no proxy_set_header from its server.
proxy_http_version 1.1;
proxy_set_header Connection "";
proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
`)},
	{"timeouts.conf", []byte(`proxy_connect_timeout 5s;
proxy_send_timeout 30s;
proxy_read_timeout 30s;
`)},
}

// chance reports true with probability pct/100.
func (g *gen) chance(pct int) bool { return g.rng.IntN(100) < pct }

func (g *gen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// confFile returns the conf.d file name with n servers, grouped in apps.
func (g *gen) confFile(name string, n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s: %d virtual hosts. Generated by internal/gentree; do not edit.\n", filepath.ToSlash(name), n)
	for n > 0 {
		size := min(n, 6+g.rng.IntN(9)) // 6..14 servers per app
		g.writeApp(&b, size)
		n -= size
	}
	return b.Bytes()
}

func (g *gen) writeApp(b *bytes.Buffer, servers int) {
	g.app++
	a := &app{name: fmt.Sprintf("app%05d", g.app), product: g.pick(products)}
	a.pool = a.name + "_pool"

	// The upstream and its backend.
	nsrv := 2 + g.rng.IntN(3)
	idle := "75s"
	fmt.Fprintf(b, "\n# --- %s (%s) ---\n\n", a.name, a.product)
	fmt.Fprintf(b, "upstream %s {\n", a.pool)
	if g.chance(20) {
		b.WriteString("    least_conn;\n")
	}
	var listen []string
	for range nsrv {
		addr := g.addrs.next()
		listen = append(listen, addr)
		fmt.Fprintf(b, "    server %s weight=%d", addr, 1+g.rng.IntN(5))
		if g.chance(30) {
			b.WriteString(" max_fails=3 fail_timeout=10s")
		}
		b.WriteString(";\n")
	}
	b.WriteString("    keepalive 16;\n")
	if g.chance(30) {
		b.WriteString("    keepalive_timeout 30s;\n")
		idle = "45s"
	}
	b.WriteString("}\n")
	g.st.Upstreams++
	g.backends = append(g.backends, backend{name: a.name, listen: listen, upstream: a.pool, idle: idle,
		comment: a.product + " application servers"})

	// Direct backends.
	a.static = g.addrs.next()
	g.backends = append(g.backends, backend{name: a.name + "-static", listen: []string{a.static}})
	if g.chance(40) {
		a.reports = g.addrs.next()
		g.backends = append(g.backends, backend{name: a.name + "-reports", listen: []string{a.reports}, maxResp: "90s"})
	}
	if g.chance(25) {
		a.ws = g.addrs.next()
		g.backends = append(g.backends, backend{name: a.name + "-ws", listen: []string{a.ws}})
	}

	for range servers {
		g.writeServer(b, a)
	}
}

// location kinds besides "/".
const (
	locAPI = iota
	locStatic
	locAssets
	locHealth
	locAdmin
	locReports
	locWS
	locVersioned
	locPlatform
	locPartner
	numLocKinds
)

func (g *gen) writeServer(b *bytes.Buffer, a *app) {
	g.server++
	g.st.Servers++
	host := fmt.Sprintf("s%06d.%s.example.test", g.server, a.name)
	b.WriteString("\n")
	if g.chance(30) {
		fmt.Fprintf(b, "# %s: %s front end #%d\n", host, a.product, g.server)
	}
	b.WriteString("server {\n")
	fmt.Fprintf(b, "    listen 127.0.0.1:%d;\n", listenPortLo+g.rng.IntN(listenPorts))
	fmt.Fprintf(b, "    server_name %s", host)
	if g.chance(25) {
		fmt.Fprintf(b, " www.%s", host)
	}
	b.WriteString(";\n")

	// Server-level keepalive settings, inherited by the locations that set
	// no proxy_set_header of their own.
	serverKA := g.chance(60)
	if serverKA {
		b.WriteString("\n    proxy_http_version 1.1;\n    proxy_set_header Connection \"\";\n    proxy_set_header Host $host;\n")
	}
	if g.chance(15) {
		fmt.Fprintf(b, "    client_max_body_size %dm;\n", []int{1, 8, 16, 64}[g.rng.IntN(4)])
	}
	if g.chance(15) {
		b.WriteString("\n    if ($request_method !~ ^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$) {\n        return 405;\n    }\n")
	}

	// location / always goes to the pool.
	b.WriteString("\n    location / {\n")
	g.poolHeaders(b, serverKA, nil)
	fmt.Fprintf(b, "        proxy_pass http://%s;\n    }\n", a.pool)
	g.st.Locations++

	// One to three more, of distinct kinds.
	n := 1 + g.rng.IntN(3)
	used := map[int]bool{}
	for len(used) < n {
		k := g.rng.IntN(numLocKinds)
		if used[k] || (k == locReports && a.reports == "") || (k == locWS && a.ws == "") || (k == locPartner && !g.chance(15)) {
			continue
		}
		used[k] = true
		b.WriteString("\n")
		g.writeLocation(b, a, k, serverKA)
		g.st.Locations++
	}
	b.WriteString("}\n")
}

// poolHeaders writes what a location proxying to a keepalive upstream
// needs so that keepalive works: HTTP/1.1 and an empty Connection header,
// either inherited from the server or set here, next to the location's own
// headers (own).
func (g *gen) poolHeaders(b *bytes.Buffer, serverKA bool, own []string) {
	if serverKA && len(own) == 0 {
		return
	}
	if !serverKA {
		b.WriteString("        proxy_http_version 1.1;\n")
	}
	b.WriteString("        proxy_set_header Connection \"\";\n")
	for _, h := range own {
		fmt.Fprintf(b, "        proxy_set_header %s;\n", h)
	}
}

func (g *gen) writeLocation(b *bytes.Buffer, a *app, kind int, serverKA bool) {
	switch kind {
	case locAPI:
		b.WriteString("    location /api/ {\n")
		if g.chance(50) {
			b.WriteString("        # Full set of forwarding headers (also keeps the pool's keepalive).\n        include snippets/proxy.conf;\n")
		} else {
			g.poolHeaders(b, serverKA, []string{"Host $host", "X-Request-ID $request_id"})
		}
		if g.chance(30) {
			b.WriteString("        include snippets/timeouts.conf;\n")
		}
		fmt.Fprintf(b, "        proxy_pass http://%s;\n    }\n", a.pool)
	case locStatic:
		b.WriteString("    location /static/ {\n")
		if g.chance(50) {
			fmt.Fprintf(b, "        expires %dd;\n", 1+g.rng.IntN(30))
		}
		fmt.Fprintf(b, "        proxy_set_header Host static.%s.example.test;\n", a.name)
		fmt.Fprintf(b, "        proxy_pass %s;\n    }\n", target(a.static, "/"))
	case locAssets:
		b.WriteString("    location ~* \\.(?:css|js|png|jpe?g|gif|svg|ico|woff2?)$ {\n        access_log off;\n        expires 30d;\n")
		fmt.Fprintf(b, "        proxy_pass %s;\n    }\n", target(a.static, ""))
	case locHealth:
		b.WriteString("    location = /healthz {\n        access_log off;\n        return 200 \"ok\\n\";\n    }\n")
	case locAdmin:
		b.WriteString("    location /admin/ {\n")
		b.WriteString("        if ($http_x_admin_token = \"\") {\n            return 403;\n        }\n")
		g.poolHeaders(b, serverKA, nil)
		fmt.Fprintf(b, "        proxy_pass http://%s;\n    }\n", a.pool)
	case locReports:
		b.WriteString("    # Reports take up to 90s to render.\n    location /reports/ {\n        proxy_read_timeout 120s;\n")
		fmt.Fprintf(b, "        proxy_pass %s;\n    }\n", target(a.reports, ""))
	case locWS:
		b.WriteString("    location /ws/ {\n        proxy_http_version 1.1;\n")
		if serverKA {
			// Its own proxy_set_header drops the server's Host.
			b.WriteString("        proxy_set_header Host $host;\n")
		}
		b.WriteString("        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n        proxy_read_timeout 1h;\n")
		fmt.Fprintf(b, "        proxy_pass %s;\n    }\n", target(a.ws, ""))
	case locVersioned:
		fmt.Fprintf(b, "    location ~ ^/v[0-9]+/(%s|%s)/ {\n", g.pick(apiResources), g.pick(apiResources))
		if g.chance(30) {
			b.WriteString("        if ($request_method = OPTIONS) {\n            return 204;\n        }\n")
		}
		g.poolHeaders(b, serverKA, nil)
		fmt.Fprintf(b, "        proxy_pass http://%s;\n    }\n", a.pool)
	case locPlatform:
		p := platform[g.rng.IntN(len(platform))]
		fmt.Fprintf(b, "    location %s {\n", p.path)
		if serverKA {
			b.WriteString("        proxy_set_header Host $host;\n")
		}
		fmt.Fprintf(b, "        proxy_set_header X-App %s;\n        proxy_pass http://127.0.0.1:%d;\n    }\n", a.name, p.port)
	case locPartner:
		host := fmt.Sprintf("%s.%d", externalNet, 10+g.rng.IntN(20))
		if g.addrs.kind == spreadNames {
			// A partner of its own, each listed as external: on an
			// address of the benchmarking range (198.18.0.0/15), since a
			// host name would be resolved only when nginx starts
			// (backend-resolve-once), and the shape is about backends.
			n := len(g.externals) + 1
			host = fmt.Sprintf("198.%d.%d.%d", 18+n>>16&1, n>>8&255, n&255)
			g.externals = append(g.externals, host)
		}
		fmt.Fprintf(b, "    location /partner/ {\n        proxy_set_header Host partner.example.com;\n        proxy_pass http://%s:8080/;\n    }\n", host)
	}
}

// platformComment marks the platform services in the manifest.
const platformComment = "platform service shared by every app"

// portAbove returns the TCP addresses one port higher.
func portAbove(addrs []string) []string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		host, port, err := net.SplitHostPort(a)
		p, perr := strconv.Atoi(port)
		if err != nil || perr != nil || strings.HasPrefix(a, "unix:") {
			out[i] = a
			continue
		}
		out[i] = net.JoinHostPort(host, strconv.Itoa(p+1))
	}
	return out
}

// externalList returns the entries of the manifest's external list, as
// written between its brackets.
func (g *gen) externalList() string {
	list := manifest.QuoteTOML(externalNet + ".0/24")
	if len(g.externals) == 0 {
		return list
	}
	var b strings.Builder
	b.WriteString("\n    " + list + ",\n")
	for _, e := range g.externals {
		fmt.Fprintf(&b, "    %s,\n", manifest.QuoteTOML(e))
	}
	return b.String()
}

func (g *gen) manifest() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `# Where the backends of the synthetic tree listen (internal/gentree, seed %d).
# Every address the tree dials is a backend here, or external.

external = [%s]

[nginx]
version = "1.22.1"
`, g.cfg.Seed, g.externalList())
	for _, be := range g.backends {
		if g.shape != nil && g.shape.stale && be.comment != platformComment {
			be.listen = portAbove(be.listen)
		}
		b.WriteString("\n")
		if be.comment != "" {
			fmt.Fprintf(&b, "# %s\n", be.comment)
		}
		fmt.Fprintf(&b, "[backends.%s]\n", be.name)
		if len(be.listen) <= 8 {
			fmt.Fprintf(&b, "listen = %s\n", manifest.ListenTOML(be.listen))
		} else {
			b.WriteString("listen = [\n")
			for _, a := range be.listen {
				fmt.Fprintf(&b, "    %s,\n", manifest.QuoteTOML(a))
			}
			b.WriteString("]\n")
		}
		b.WriteString("protocol = \"http\"\n")
		if g.addrs.kind == spreadNames && be.comment != platformComment {
			// Names the test machine pins, as /etc/hosts would.
			b.WriteString("fixed = true\n")
		}
		if be.upstream != "" {
			fmt.Fprintf(&b, "upstream = %s\n", manifest.QuoteTOML(be.upstream))
		}
		if be.idle != "" {
			fmt.Fprintf(&b, "idle_timeout = %s\n", manifest.QuoteTOML(be.idle))
		}
		if be.maxResp != "" {
			fmt.Fprintf(&b, "max_response_time = %s\n", manifest.QuoteTOML(be.maxResp))
		}
	}
	return b.Bytes()
}
