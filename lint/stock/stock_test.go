package stock_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/stock"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// wantFiles are the files each set installs, as checked against the
// packages (see files.go for the sources).
var wantFiles = map[string][]string{
	"alpine": {"fastcgi.conf", "fastcgi_params", "mime.types", "scgi_params", "uwsgi_params"},
	"debian": {
		"fastcgi.conf", "fastcgi_params", "koi-utf", "koi-win", "mime.types", "proxy_params",
		"scgi_params", "snippets/fastcgi-php.conf", "snippets/snakeoil.conf", "uwsgi_params", "win-utf",
	},
	"nginx.org": {"fastcgi_params", "mime.types", "scgi_params", "uwsgi_params"},
	"none":      nil,
}

func TestSets(t *testing.T) {
	want := []string{"alpine", "debian", "nginx.org", "none"}
	if got := stock.Sets(); !slices.Equal(got, want) {
		t.Fatalf("Sets() = %q, want %q", got, want)
	}
	if !stock.Valid(stock.Default) {
		t.Errorf("Default %q is not Valid", stock.Default)
	}
	for _, s := range want {
		if !stock.Valid(s) {
			t.Errorf("Valid(%q) = false", s)
		}
		if d := stock.Describe(s); (d == "") != (s == "none") {
			t.Errorf("Describe(%q) = %q", s, d)
		}
	}
	for _, s := range []string{"", "ubuntu", "Debian", "nginx", "rhel"} {
		if stock.Valid(s) {
			t.Errorf("Valid(%q) = true for an unknown set", s)
		}
		if d := stock.Describe(s); d != "" {
			t.Errorf("Describe(%q) = %q for an unknown set, want \"\"", s, d)
		}
		if fs := stock.Files(s); len(fs) != 0 {
			t.Errorf("Files(%q) = %q for an unknown set", s, fs)
		}
		if _, ok := stock.Lookup(s, "mime.types"); ok {
			t.Errorf("Lookup(%q, mime.types) found a file in an unknown set", s)
		}
	}
}

func TestFiles(t *testing.T) {
	for _, s := range stock.Sets() {
		got := stock.Files(s)
		if !slices.IsSorted(got) {
			t.Errorf("Files(%q) is not sorted: %q", s, got)
		}
		if !slices.Equal(got, wantFiles[s]) {
			t.Errorf("Files(%q) = %q, want %q", s, got, wantFiles[s])
		}
		for _, rel := range got {
			if _, ok := stock.Lookup(s, rel); !ok {
				t.Errorf("Lookup(%q, %q) = false for a file Files lists", s, rel)
			}
		}
	}
	// What the sets lack: each absence changes what an include reads.
	for _, c := range []struct{ set, rel string }{
		{"nginx.org", "fastcgi.conf"},
		{"nginx.org", "proxy_params"},
		{"nginx.org", "koi-utf"},
		{"alpine", "proxy_params"},
		{"alpine", "snippets/fastcgi-php.conf"},
		{"alpine", "win-utf"},
		{"none", "mime.types"},
		{"none", "fastcgi_params"},
		{"debian", "nginx.conf"},
		{"debian", "sites-available/default"},
		{"debian", "./fastcgi_params"},
		{"debian", "/etc/nginx/fastcgi_params"},
	} {
		if content, ok := stock.Lookup(c.set, c.rel); ok || content != "" {
			t.Errorf("Lookup(%q, %q) = %q, %v; want \"\", false", c.set, c.rel, content, ok)
		}
	}
}

func TestKnown(t *testing.T) {
	for _, rel := range []string{"fastcgi_params", "fastcgi.conf", "proxy_params", "mime.types", "koi-win", "snippets/fastcgi-php.conf", "snippets/snakeoil.conf"} {
		if !stock.Known(rel) {
			t.Errorf("Known(%q) = false", rel)
		}
	}
	// Default sites and the main file are not include targets; paths are
	// matched as given.
	for _, rel := range []string{"sites-available/default", "sites-enabled/default", "conf.d/default.conf", "http.d/default.conf", "nginx.conf", "", "./fastcgi_params", "/etc/nginx/mime.types", "snippets"} {
		if stock.Known(rel) {
			t.Errorf("Known(%q) = true", rel)
		}
	}
	// Known is exactly the union of the sets' files.
	union := map[string]bool{}
	for _, s := range stock.Sets() {
		for _, rel := range stock.Files(s) {
			union[rel] = true
			if !stock.Known(rel) {
				t.Errorf("Known(%q) = false, but %s installs it", rel, s)
			}
		}
	}
	for _, rel := range wantFiles["debian"] {
		if !union[rel] {
			t.Errorf("no set installs %q", rel)
		}
	}
}

// parse parses the set's file rel with nginx's grammar and fails the
// test on every syntax error.
func parse(t *testing.T, set, rel string) *syntax.File {
	t.Helper()
	src, ok := stock.Lookup(set, rel)
	if !ok {
		t.Fatalf("Lookup(%q, %q) = false", set, rel)
	}
	f := &syntax.File{Name: set + ":" + rel, Virtual: "/etc/nginx/" + rel, Src: src}
	for _, err := range syntax.Parse(f, nginx.Grammar{}) {
		t.Errorf("%s: %v", set, err)
	}
	return f
}

// walk calls fn for every directive of ds and of their blocks.
func walk(ds []syntax.Directive, fn func(syntax.Directive)) {
	for _, d := range ds {
		fn(d)
		walk(d.Block(), fn)
	}
}

func TestParse(t *testing.T) {
	for _, s := range stock.Sets() {
		for _, rel := range stock.Files(s) {
			f := parse(t, s, rel)
			header := fmt.Sprintf("# nginxlint's rendition of /etc/nginx/%s as %s install it", rel, stock.Describe(s))
			if first, _, _ := strings.Cut(f.Src, "\n"); first != header {
				t.Errorf("%s %s: first line %q, want %q", s, rel, first, header)
			}
			// Our header is the only comment: the packages' are left out.
			if len(f.Comments) != 1 {
				t.Errorf("%s %s: %d comments, want only the header", s, rel, len(f.Comments))
			}
			if len(f.Directives()) == 0 {
				t.Errorf("%s %s: no directives", s, rel)
			}
			// An include in a package file names another file of the same
			// package (snippets/fastcgi-php.conf includes fastcgi.conf).
			walk(f.Directives(), func(d syntax.Directive) {
				if d.IsInclude() {
					if _, ok := stock.Lookup(s, d.Arg(0)); !ok {
						t.Errorf("%s %s: include %q names no file of the set", s, rel, d.Arg(0))
					}
				}
			})
		}
	}
}

// args returns the arguments after the first of every directive name in
// the set's file rel, by first argument (the parameter, header or MIME
// type), joined with spaces.
func args(t *testing.T, set, rel, name string) map[string]string {
	t.Helper()
	m := map[string]string{}
	walk(parse(t, set, rel).Directives(), func(d syntax.Directive) {
		if d.Name() == name && d.NArgs() > 0 {
			var rest []string
			for _, a := range d.Args()[1:] {
				rest = append(rest, a.Value)
			}
			m[d.Arg(0)] = strings.Join(rest, " ")
		}
	})
	return m
}

// TestContent checks the facts the renditions exist for.
func TestContent(t *testing.T) {
	check := func(set, rel, name, key string, want string, present bool) {
		t.Helper()
		got, ok := args(t, set, rel, name)[key]
		switch {
		case ok != present:
			t.Errorf("%s %s: %s %s present = %v, want %v", set, rel, name, key, ok, present)
		case present && got != want:
			t.Errorf("%s %s: %s %s %q, want %q", set, rel, name, key, got, want)
		}
	}
	// fastcgi.conf passes SCRIPT_FILENAME, fastcgi_params does not.
	for _, s := range []string{"alpine", "debian"} {
		check(s, "fastcgi.conf", "fastcgi_param", "SCRIPT_FILENAME", "$document_root$fastcgi_script_name", true)
	}
	for _, s := range []string{"alpine", "debian", "nginx.org"} {
		check(s, "fastcgi_params", "fastcgi_param", "SCRIPT_FILENAME", "", false)
		check(s, "fastcgi_params", "fastcgi_param", "HTTPS", "$https if_not_empty", true)
		check(s, "uwsgi_params", "uwsgi_param", "PATH_INFO", "$document_uri", true)
		check(s, "scgi_params", "scgi_param", "SCGI", "1", true)
	}
	// Debian adds REMOTE_USER, and HTTP_HOST to the *_params files.
	check("debian", "fastcgi_params", "fastcgi_param", "REMOTE_USER", "$remote_user", true)
	check("debian", "fastcgi.conf", "fastcgi_param", "REMOTE_USER", "$remote_user", true)
	check("debian", "fastcgi_params", "fastcgi_param", "HTTP_HOST", "$host", true)
	check("debian", "scgi_params", "scgi_param", "HTTP_HOST", "$host", true)
	check("debian", "uwsgi_params", "uwsgi_param", "HTTP_HOST", "$host", true)
	check("debian", "fastcgi.conf", "fastcgi_param", "HTTP_HOST", "", false)
	check("alpine", "fastcgi_params", "fastcgi_param", "REMOTE_USER", "", false)
	check("nginx.org", "fastcgi_params", "fastcgi_param", "HTTP_HOST", "", false)

	// proxy_params sets proxy_set_header, which ends its inheritance.
	for h, v := range map[string]string{"Host": "$host", "X-Real-IP": "$remote_addr", "X-Forwarded-For": "$proxy_add_x_forwarded_for", "X-Forwarded-Proto": "$scheme"} {
		check("debian", "proxy_params", "proxy_set_header", h, v, true)
	}
	check("debian", "snippets/snakeoil.conf", "ssl_certificate", "/etc/ssl/certs/ssl-cert-snakeoil.pem", "", true)
	check("debian", "snippets/snakeoil.conf", "ssl_certificate_key", "/etc/ssl/private/ssl-cert-snakeoil.key", "", true)
	check("debian", "snippets/fastcgi-php.conf", "fastcgi_split_path_info", `^(.+?\.php)(/.*)$`, "", true)
	check("debian", "snippets/fastcgi-php.conf", "try_files", "$fastcgi_script_name", "=404", true)

	// mime.types maps the common types; the charset maps name their
	// charsets.
	for _, s := range []string{"alpine", "debian", "nginx.org"} {
		m := map[string]string{}
		walk(parse(t, s, "mime.types").Directives(), func(d syntax.Directive) {
			if p := d.Parent(); !p.IsZero() && p.Name() == "types" {
				for _, a := range d.Args() {
					m[a.Value] = d.Name()
				}
			}
		})
		for ext, typ := range map[string]string{
			"html": "text/html", "css": "text/css", "js": "application/javascript", "png": "image/png",
			"jpg": "image/jpeg", "jpeg": "image/jpeg", "json": "application/json", "svg": "image/svg+xml",
			"wasm": "application/wasm", "bin": "application/octet-stream", "txt": "text/plain",
		} {
			if m[ext] != typ {
				t.Errorf("%s mime.types: .%s is %q, want %q", s, ext, m[ext], typ)
			}
		}
	}
	check("debian", "koi-utf", "charset_map", "koi8-r", "utf-8", true)
	check("debian", "koi-win", "charset_map", "koi8-r", "windows-1251", true)
	check("debian", "win-utf", "charset_map", "windows-1251", "utf-8", true)
}

// placement says where the nginx -t tree includes a package file: in
// http{}, in a server{} of its own (with extra), or in a location{} of
// its own, at location, with extra (the directive that uses the
// parameters).
type placement struct {
	context  string // "http", "server" or "location"
	location string
	extra    string
}

var placements = map[string]placement{
	"mime.types":                {context: "http"},
	"koi-utf":                   {context: "http"},
	"koi-win":                   {context: "http"},
	"win-utf":                   {context: "http"},
	"snippets/snakeoil.conf":    {context: "server", extra: "listen 127.0.0.1:8443 ssl;"},
	"fastcgi_params":            {context: "location", location: "/fastcgi_params/", extra: "fastcgi_pass 127.0.0.1:9000;"},
	"fastcgi.conf":              {context: "location", location: "/fastcgi.conf/", extra: "fastcgi_pass 127.0.0.1:9000;"},
	"snippets/fastcgi-php.conf": {context: "location", location: `~ \.php$`, extra: "fastcgi_pass 127.0.0.1:9000;"},
	"proxy_params":              {context: "location", location: "/proxy_params/", extra: "proxy_pass http://127.0.0.1:8000;"},
	"scgi_params":               {context: "location", location: "/scgi_params/", extra: "scgi_pass 127.0.0.1:4000;"},
	"uwsgi_params":              {context: "location", location: "/uwsgi_params/", extra: "uwsgi_pass 127.0.0.1:3031;"},
}

// snakeoil are the certificate and key that Debian's snippets/snakeoil.conf
// names; the nginx -t tree points them at a throwaway pair, since the
// machine need not have Debian's ssl-cert package.
var snakeoil = [2]string{"/etc/ssl/certs/ssl-cert-snakeoil.pem", "/etc/ssl/private/ssl-cert-snakeoil.key"}

// TestNginxAccepts runs nginx -t on a tree that includes every file of a
// set where configurations include it.
func TestNginxAccepts(t *testing.T) {
	nginxtest.Binary(t) // skips, or fails in CI, without nginx
	for _, s := range stock.Sets() {
		if len(stock.Files(s)) == 0 {
			continue
		}
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			state, dir := t.TempDir(), t.TempDir()
			cert, key := selfSigned(t, state)
			var http, servers, locations strings.Builder
			for _, rel := range stock.Files(s) {
				content, _ := stock.Lookup(s, rel)
				if rel == "snippets/snakeoil.conf" {
					for _, p := range snakeoil {
						if !strings.Contains(content, p) {
							t.Fatalf("%s does not name %s", rel, p)
						}
					}
					content = strings.NewReplacer(snakeoil[0], cert, snakeoil[1], key).Replace(content)
				}
				writeFile(t, dir, rel, content)
				p, ok := placements[rel]
				switch {
				case !ok:
					t.Errorf("the test does not know where to include %s", rel)
				case p.context == "http":
					fmt.Fprintf(&http, "include %s;\n", rel)
				case p.context == "server":
					fmt.Fprintf(&servers, "server {\n%s\ninclude %s;\n}\n", p.extra, rel)
				default:
					fmt.Fprintf(&locations, "location %s {\ninclude %s;\n%s\n}\n", p.location, rel, p.extra)
				}
			}
			conf := nginxtest.MainPreamble(state) + "http {\n" + nginxtest.HTTPPreamble(state) + http.String() +
				servers.String() + "server {\nlisten 127.0.0.1:8080;\n" + locations.String() + "}\n}\n"
			writeFile(t, dir, "nginx.conf", conf)
			if ok, out := nginxtest.Check(t, dir, "nginx.conf"); !ok {
				t.Fatalf("nginx -t rejected the %s files:\n%s\nnginx.conf:\n%s", s, out, conf)
			}
		})
	}
}

// writeFile writes content to dir/rel, creating its directory.
func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// selfSigned writes a throwaway self-signed certificate and its key into
// dir and returns their paths.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "snakeoil.pem"), filepath.Join(dir, "snakeoil.key")
	writeFile(t, dir, "snakeoil.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, dir, "snakeoil.key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})))
	return cert, key
}
