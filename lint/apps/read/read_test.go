package read

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/compose"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// fakeFS is a ReadFile over a map of paths; paths under outside are
// refused as a confined reader refuses them.
type fakeFS struct {
	files   map[string]string
	outside string
	reads   map[string]int
}

func (f *fakeFS) read(p string) (*syntax.File, error) {
	if f.reads == nil {
		f.reads = map[string]int{}
	}
	f.reads[p]++
	if f.outside != "" && !strings.HasPrefix(p, f.outside) {
		return nil, fmt.Errorf("%w: it is outside %s", ErrOutside, f.outside)
	}
	src, ok := f.files[filepath.ToSlash(p)]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
	}
	return &syntax.File{Name: p, Path: p, Src: src}, nil
}

var fakeBind = regexp.MustCompile(`(?m)^(?:bind|listen) *= *"?([^"\n]+)"?$`)
var fakeSection = regexp.MustCompile(`(?m)^\[(\w+)\]$`)

// fakeReaders read "bind = ADDR" lines (gunicorn) and "[name]" sections
// each with "listen = ADDR" (php-fpm), and compose files as one service
// per "  NAME:" line.
func fakeReaders() registry {
	binds := func(f *syntax.File, src string, base int) []apps.Bind {
		var out []apps.Bind
		for _, m := range fakeBind.FindAllStringSubmatchIndex(src, -1) {
			w := src[m[2]:m[3]]
			if !strings.Contains(w, ":") && strings.HasPrefix(w, "/") {
				w = "unix:" + w
			}
			a, _ := manifest.ParseListen(w)
			out = append(out, apps.Bind{Addr: a, Written: src[m[2]:m[3]], Span: apps.Span{File: f, Start: base + m[2], End: base + m[3]}, Mode: -1})
		}
		return out
	}
	return registry{
		apps: map[apps.Kind]reader{
			apps.Gunicorn: func(f *syntax.File) ([]*apps.App, []apps.Problem) {
				return []*apps.App{{Kind: apps.Gunicorn, File: f, Span: apps.Span{File: f, End: len(f.Src)}, Binds: binds(f, f.Src, 0)}}, nil
			},
			apps.PHPFPM: func(f *syntax.File) ([]*apps.App, []apps.Problem) {
				var out []*apps.App
				secs := fakeSection.FindAllStringSubmatchIndex(f.Src, -1)
				for i, m := range secs {
					end := len(f.Src)
					if i+1 < len(secs) {
						end = secs[i+1][0]
					}
					out = append(out, &apps.App{Kind: apps.PHPFPM, Name: f.Src[m[2]:m[3]], File: f, Span: apps.Span{File: f, Start: m[0], End: m[1]}, Binds: binds(f, f.Src[m[1]:end], m[1])})
				}
				return out, nil
			},
		},
		compose: func(f *syntax.File, _ ReadFile) (*compose.Project, []*apps.App, []apps.Problem) {
			p := &compose.Project{Path: f.Name}
			var as []*apps.App
			for _, l := range strings.Split(f.Src, "\n") {
				if n, ok := strings.CutPrefix(l, "  "); ok && strings.HasSuffix(n, ":") && !strings.HasPrefix(n, " ") {
					name := strings.TrimSuffix(n, ":")
					p.Services = append(p.Services, &compose.Service{Name: name})
					as = append(as, &apps.App{Kind: apps.Compose, Name: name, File: f})
				}
			}
			return p, as, nil
		},
	}
}

func parseManifest(t *testing.T, path, src string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Parse(path, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// spanText returns the text a problem points at.
func spanText(p apps.Problem) string { return p.Span.File.Src[p.Span.Start:p.Span.End] }

func TestLoadLinks(t *testing.T) {
	m := parseManifest(t, "etc/nginx/backends.toml", `[backends.api]
listen = "127.0.0.1:8001"
app = "../../deploy/gunicorn.conf.py"

[backends.api2]
listen = "127.0.0.1:8002"
app = "../../deploy/gunicorn.conf.py"

[backends.www]
listen = "unix:/run/php/www.sock"
app = "../../php/pool.d/pools.conf#www"

[backends.admin]
listen = "unix:/run/php/admin.sock"
app = "../../php/pool.d/pools.conf#admn"

[backends.both]
listen = "unix:/run/php/x.sock"
app = "../../php/pool.d/pools.conf"

[backends.gone]
listen = "127.0.0.1:8009"
app = '../../deploy/missing.py'

[backends.what]
listen = "127.0.0.1:8010"
app = "../../deploy/README.txt"
`)
	fsys := &fakeFS{files: map[string]string{
		"deploy/gunicorn.conf.py": "bind = \"127.0.0.1:8001\"\nworkers = 2\n",
		"php/pool.d/pools.conf":   "[www]\nlisten = /run/php/www.sock\n[admin]\nlisten = /run/php/admin.sock\n",
		"deploy/README.txt":       "hello\n",
	}}
	s := load("", m, fsys.read, fakeReaders())
	if s == nil {
		t.Fatal("Load returned nil")
	}
	if n := fsys.reads["deploy/gunicorn.conf.py"]; n != 1 {
		t.Errorf("gunicorn.conf.py read %d times, want once", n)
	}
	if len(s.Apps) != 3 {
		t.Errorf("%d apps read, want 3 (one gunicorn, two pools)", len(s.Apps))
	}
	api, api2 := s.Backend(m.Backend("api")), s.Backend(m.Backend("api2"))
	if api == nil || api != api2 || api.Kind != apps.Gunicorn || len(api.Binds) != 1 || api.Binds[0].Addr.String() != "127.0.0.1:8001" {
		t.Errorf("api linked to %+v, api2 to %+v", api, api2)
	}
	if a := s.Backend(m.Backend("www")); a == nil || a.Name != "www" {
		t.Errorf("www linked to %+v", a)
	}
	for _, name := range []string{"admin", "both", "gone", "what"} {
		if a := s.Backend(m.Backend(name)); a != nil {
			t.Errorf("%s linked to %+v, want nothing", name, a)
		}
	}
	var got []string
	for _, p := range s.Problems {
		got = append(got, fmt.Sprintf("%s:%d: %s: %s", p.Span.File.Name, p.Span.File.Position(p.Span.Start).Line, spanText(p), p.Msg))
	}
	want := []string{
		`etc/nginx/backends.toml:15: "../../php/pool.d/pools.conf#admn": php/pool.d/pools.conf has no app named "admn"; it has "www", "admin"`,
		`etc/nginx/backends.toml:19: "../../php/pool.d/pools.conf": php/pool.d/pools.conf holds 2 apps ("www", "admin"): name the one backend both is, e.g. app = "../../php/pool.d/pools.conf#www"`,
		`etc/nginx/backends.toml:23: '../../deploy/missing.py': cannot read the app configuration deploy/missing.py (backend gone's app): no such file`,
		`etc/nginx/backends.toml:27: "../../deploy/README.txt": nginxlint cannot tell what deploy/README.txt configures: it reads ` + Kinds,
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(s.Unread) != 1 || !strings.Contains(s.Unread[0].Msg, "missing.py") {
		t.Errorf("unread: %+v, want the missing file only", s.Unread)
	}
	if s.Manifest == nil || s.Manifest.Path != m.Path || s.Manifest.Src != m.Src {
		t.Errorf("manifest file %+v", s.Manifest)
	}
}

func TestLoadNothingLinked(t *testing.T) {
	m := parseManifest(t, "backends.toml", "[backends.api]\nlisten = \"127.0.0.1:8001\"\n")
	fsys := &fakeFS{files: map[string]string{}, outside: "repo/"}
	if s := load("repo/etc/nginx", m, fsys.read, fakeReaders()); s != nil {
		t.Errorf("Load read %+v, want nil", s)
	}
	if s := load("repo/etc/nginx", nil, fsys.read, fakeReaders()); s != nil {
		t.Errorf("Load without a manifest or compose file read %+v, want nil", s)
	}
	// Without a manifest, the compose files are still found.
	fsys.files["repo/compose.yaml"] = "services:\n  nginx:\n    image: nginx\n"
	s := load("repo/etc/nginx", nil, fsys.read, fakeReaders())
	if s == nil || len(s.Projects) != 1 || s.Manifest != nil || len(s.Linked) != 0 {
		t.Errorf("Load without a manifest: %+v, want the compose project", s)
	}
}

// TestLoadCompose checks that compose = names the nginx service, and
// that the compose files of the tree's directory and its parents are
// found, up to what readFile may read.
func TestLoadCompose(t *testing.T) {
	m := parseManifest(t, "repo/etc/nginx/backends.toml", "[nginx]\ncompose = \"../../compose.yaml#nginx\"\n\n[backends.api]\nlisten = \"api:8000\"\napp = \"../../compose.yaml#api\"\n")
	fsys := &fakeFS{outside: "repo/", files: map[string]string{
		"repo/compose.yaml":                  "services:\n  nginx:\n    image: nginx\n  api:\n    image: api\n",
		"repo/etc/nginx/docker-compose.yml":  "services:\n  sidecar:\n    image: x\n",
		"repo/etc/nginx/docker-compose.yaml": "services:\n  ignored:\n    image: x\n",
		"compose.yaml":                       "services:\n  host:\n    image: x\n",
	}}
	s := load("repo/etc/nginx", m, fsys.read, fakeReaders())
	if len(s.Problems) != 0 {
		t.Fatalf("problems: %+v", s.Problems)
	}
	var paths []string
	for _, p := range s.Projects {
		paths = append(paths, filepath.ToSlash(p.Path))
	}
	if !slices.Equal(paths, []string{"repo/compose.yaml", "repo/etc/nginx/docker-compose.yml"}) {
		t.Errorf("projects %q", paths)
	}
	if a := s.Backend(m.Backend("api")); a == nil || a.Name != "api" || a.Kind != apps.Compose {
		t.Errorf("api linked to %+v", a)
	}
	if n := fsys.reads["repo/compose.yaml"]; n != 1 {
		t.Errorf("repo/compose.yaml read %d times", n)
	}

	m = parseManifest(t, "backends.toml", "[nginx]\ncompose = \"gunicorn.conf.py#nginx\"\n")
	fsys = &fakeFS{files: map[string]string{"gunicorn.conf.py": "bind = \"127.0.0.1:1\"\n"}}
	s = load("", m, fsys.read, fakeReaders())
	if len(s.Problems) != 1 || !strings.Contains(s.Problems[0].Msg, "is not a Docker Compose file") {
		t.Errorf("compose naming a gunicorn file: %+v", s.Problems)
	}
}

func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		path, src string
		want      apps.Kind
	}{
		{"deploy/gunicorn.conf.py", "workers = 2\n", apps.Gunicorn},
		{"deploy/settings.py", "import os\nbind = os.environ['BIND']\n", apps.Gunicorn},
		{"deploy/settings.py", "DEBUG = True\nif bind == 1: pass\n", ""},
		{"uwsgi.ini", "[uwsgi]\nsocket = /run/app.sock\n", apps.UWSGI},
		{"app.ini", "; c\n[uwsgi]\nhttp = :8000\n", apps.UWSGI},
		{"php/pool.d/www.conf", "[www]\nuser = www-data\nlisten = /run/php/www.sock\n", apps.PHPFPM},
		{"php-fpm.ini", "[www]\n  listen = 9000\n", apps.PHPFPM},
		{"systemd/app.socket", "[Socket]\nListenStream=/run/app.sock\n", apps.Systemd},
		{"systemd/app.service", "[Service]\nExecStart=/usr/bin/gunicorn -b :8000 app\n", apps.Systemd},
		{"config/puma.rb", "workers 2\n", apps.Puma},
		{"config/server.rb", "port ENV.fetch('PORT') { 3000 }\n", apps.Puma},
		{"config/routes.rb", "Rails.application.routes.draw do\nend\n", ""},
		{".env", "PORT=3000\n", apps.Dotenv},
		{".env.production", "PORT=3000\n", apps.Dotenv},
		{"api.env", "PORT=3000\n", apps.Dotenv},
		{"Procfile", "web: gunicorn -b :$PORT app\n", apps.Command},
		{"Dockerfile", "FROM python\nCMD [\"gunicorn\"]\n", apps.Command},
		{"api.Dockerfile", "FROM python\n", apps.Command},
		{"compose.yaml", "services: {}\n", apps.Compose},
		{"docker-compose.prod.yml", "services: {}\n", apps.Compose},
		{"deploy/stack.yml", "version: '3'\nservices:\n  a: {}\n", apps.Compose},
		{"deploy/k8s.yaml", "kind: Deployment\n", ""},
		{"nginx.conf", "http {\n    listen = 1;\n}\n", ""},
		{"README.md", "bind = 1\n", ""},
	} {
		got, ok := Detect(tt.path, tt.src)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Detect(%q) = %q, %v; want %q", tt.path, got, ok, tt.want)
		}
	}
}

func TestValueSpan(t *testing.T) {
	src := "[backends.a]\nlisten = \"127.0.0.1:1\"\napp = \"a\\\"b.py\" # c\nx = 'lit' \ny = 12   # n\n"
	f := &syntax.File{Name: "m.toml", Src: src}
	for _, tt := range []struct {
		line, col int
		want      string
	}{
		{2, 10, `"127.0.0.1:1"`},
		{3, 7, `"a\"b.py"`},
		{4, 5, `'lit'`},
		{5, 5, `12`},
		{9, 1, ``},
	} {
		s, e := ValueSpan(f, manifest.Position{File: "m.toml", Line: tt.line, Col: tt.col})
		if got := src[s:e]; got != tt.want {
			t.Errorf("%d:%d: %q, want %q", tt.line, tt.col, got, tt.want)
		}
	}
}

// TestLoadSocketActivated checks that a .service unit beside a .socket
// unit of its name binds what the socket unit listens on.
func TestLoadSocketActivated(t *testing.T) {
	rs := fakeReaders()
	listen := regexp.MustCompile(`(?m)^(?:ListenStream=|ExecStart=\S+ --bind )(\S+)$`)
	rs.apps[apps.Systemd] = func(f *syntax.File) ([]*apps.App, []apps.Problem) {
		a := &apps.App{Kind: apps.Systemd, File: f}
		for _, m := range listen.FindAllStringSubmatchIndex(f.Src, -1) {
			w := f.Src[m[2]:m[3]]
			if strings.HasPrefix(w, "/") {
				w = "unix:" + w
			}
			addr, _ := manifest.ParseListen(w)
			a.Binds = append(a.Binds, apps.Bind{Addr: addr, Span: apps.Span{File: f, Start: m[2], End: m[3]}, Mode: -1})
		}
		return []*apps.App{a}, nil
	}
	m := parseManifest(t, "backends.toml", "[backends.web]\nlisten = \"unix:/run/web.sock\"\napp = \"systemd/web.service\"\n\n[backends.worker]\nlisten = \"127.0.0.1:8100\"\napp = \"systemd/worker.service\"\n")
	fsys := &fakeFS{files: map[string]string{
		"systemd/web.service":    "[Service]\nExecStart=/bin/gunicorn --bind 127.0.0.1:8000\n",
		"systemd/web.socket":     "[Socket]\nListenStream=/run/web.sock\n",
		"systemd/worker.service": "[Service]\nExecStart=/bin/gunicorn --bind 127.0.0.1:8100\n",
	}}
	s := load("", m, fsys.read, rs)
	if len(s.Problems) != 0 {
		t.Fatalf("problems: %+v", s.Problems)
	}
	web := s.Backend(m.Backend("web"))
	if web == nil || web.File.Name != "systemd/web.service" || len(web.Binds) != 1 || web.Binds[0].Addr.String() != "unix:/run/web.sock" || web.Binds[0].Span.File.Name != "systemd/web.socket" {
		t.Errorf("web.service binds %+v, want the socket unit's /run/web.sock", web)
	}
	if w := s.Backend(m.Backend("worker")); w == nil || len(w.Binds) != 1 || w.Binds[0].Addr.String() != "127.0.0.1:8100" {
		t.Errorf("worker.service binds %+v, want its own --bind", w)
	}
}

// TestLoadComposeUnreadable: a compose file the manifest links that
// cannot be loaded as a project (a YAML error, a project too large) is
// what could not be read: the run fails, at the manifest's link, beside
// the problem in the file.
func TestLoadComposeUnreadable(t *testing.T) {
	m := parseManifest(t, "repo/etc/nginx/backends.toml", "[backends.api]\nlisten = \"127.0.0.1:8000\"\napp = \"../../compose.yaml#api\"\n")
	fsys := &fakeFS{files: map[string]string{"repo/compose.yaml": "services:\n  api: [\n"}}
	rs := fakeReaders()
	rs.compose = func(f *syntax.File, _ ReadFile) (*compose.Project, []*apps.App, []apps.Problem) {
		return nil, nil, []apps.Problem{{Span: apps.Span{File: f, Start: 10, End: 13}, Msg: "a YAML error"}}
	}
	s := load("repo/etc/nginx", m, fsys.read, rs)
	if len(s.Unread) != 1 || !strings.Contains(s.Unread[0].Msg, "cannot read the Docker Compose file") || spanText(s.Unread[0]) != `"../../compose.yaml#api"` {
		t.Fatalf("unread: %+v", s.Unread)
	}
	if len(s.Problems) != 2 || s.Problems[0].Msg != "a YAML error" {
		t.Errorf("problems: %+v", s.Problems)
	}
}
