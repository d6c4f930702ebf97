package draft

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// bindsOf returns an app of kind binding addrs.
func bindsOf(kind apps.Kind, name string, addrs ...string) *apps.App {
	a := &apps.App{Kind: kind, Name: name}
	for _, s := range addrs {
		l, err := manifest.ParseListen(s)
		if err != nil {
			panic(err)
		}
		b := apps.NewBind(s, apps.Span{})
		b.Addr = l
		a.Binds = append(a.Binds, b)
	}
	return a
}

// TestWithApps checks that manifest init --apps drafts the backends from
// the apps (listen where they bind, linked with app =, bound to the
// upstream they serve, with their format's protocol), leaves out an app
// whose bind cannot be read, and drafts, marks and notes what nginx
// dials that no app explains; the draft is a valid manifest.
func TestWithApps(t *testing.T) {
	conf := `events {}
http {
    upstream api_pool {
        server 127.0.0.1:8001;
    }
    upstream mixed {
        server 127.0.0.1:8002;
        server 127.0.0.1:8012;
    }
    server {
        listen 80;
        location / { proxy_pass http://api_pool; }
        location ~ \.php$ { fastcgi_pass unix:/run/php/www.sock; }
        location /legacy/ { proxy_pass http://127.0.0.1:9000; }
        location /ext/ { proxy_pass https://api.example.org; }
        location /mixed/ { proxy_pass http://mixed; }
    }
}
`
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": conf}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	computed := apps.App{Kind: apps.Gunicorn, Binds: []apps.Bind{apps.Unreadable("os.environ['BIND']", apps.Span{}, "bind is computed")}}
	files := []AppFile{
		{Link: "../../deploy/api/gunicorn.conf.py", Apps: []*apps.App{bindsOf(apps.Gunicorn, "", "0.0.0.0:8001")}},
		{Link: "../../deploy/two/gunicorn.conf.py", Apps: []*apps.App{bindsOf(apps.Gunicorn, "", "127.0.0.1:8002")}},
		{Link: "../../php/pool.d/www.conf", Apps: []*apps.App{bindsOf(apps.PHPFPM, "www", "unix:/run/php/www.sock"), bindsOf(apps.PHPFPM, "admin", "unix:/run/php/admin.sock")}},
		{Link: "../../deploy/worker/gunicorn.conf.py", Apps: []*apps.App{&computed}},
	}
	text, guesses, notes := WithApps([]*syntax.Tree{tree}, "1.22.1", files)
	m, err := manifest.Parse("backends.toml", []byte(text))
	if err != nil {
		t.Fatalf("the draft is not a valid manifest: %v\n%s", err, text)
	}
	want := map[string]struct{ listen, protocol, upstream, app string }{
		"api":    {"0.0.0.0:8001", "http", "api_pool", "../../deploy/api/gunicorn.conf.py"},
		"www":    {"unix:/run/php/www.sock", "fastcgi", "", "../../php/pool.d/www.conf#www"},
		"admin":  {"unix:/run/php/admin.sock", "fastcgi", "", "../../php/pool.d/www.conf#admin"},
		"legacy": {"127.0.0.1:9000", "http", "", ""},
		"two":    {"127.0.0.1:8002", "http", "", "../../deploy/two/gunicorn.conf.py"},
		"mixed":  {"127.0.0.1:8012", "http", "", ""},
	}
	if len(m.Backends) != len(want) {
		t.Errorf("%d backends, want %d:\n%s", len(m.Backends), len(want), text)
	}
	for name, w := range want {
		b := m.Backend(name)
		if b == nil {
			t.Errorf("no backend %s:\n%s", name, text)
			continue
		}
		if len(b.Listen) != 1 || b.Listen[0].String() != w.listen || string(b.Protocol) != w.protocol || b.Upstream != w.upstream || b.App != w.app {
			t.Errorf("backend %s: listen %v, protocol %s, upstream %q, app %q; want %+v", name, b.Listen, b.Protocol, b.Upstream, b.App, w)
		}
	}
	if !m.IsExternal(manifest.Addr{Addr: nginx.Addr{Host: "api.example.org", Port: 443}}) {
		t.Errorf("the remote host is not external:\n%s", text)
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "nginx.conf:8:") || !strings.Contains(notes[0], "nginx dials 127.0.0.1:8012, which no app") ||
		!strings.Contains(notes[1], "nginx.conf:14:") || !strings.Contains(notes[1], "nginx dials 127.0.0.1:9000, which no app configuration found explains") {
		t.Errorf("notes = %q, want the mixed upstream's unserved server and the legacy target", notes)
	}
	all := strings.Join(guesses, "\n")
	if !strings.Contains(all, "../../deploy/worker/gunicorn.conf.py: left out: a bind cannot be read (bind is computed)") {
		t.Errorf("guesses do not say the worker was left out:\n%s", all)
	}
	if !strings.Contains(text, "# guessed: listen (no app found serves it; from the address nginx dials)\n[backends.legacy]") {
		t.Errorf("the legacy backend is not marked as guessed:\n%s", text)
	}
}

func TestAppName(t *testing.T) {
	for _, tt := range []struct {
		link string
		a    *apps.App
		want string
	}{
		{"../../deploy/api/gunicorn.conf.py", &apps.App{}, "api"},
		{"gunicorn.conf.py", &apps.App{}, "gunicorn"},
		{"../../shop/config/puma.rb", &apps.App{}, "shop"},
		{"reports.py", &apps.App{}, "reports"},
		{"systemd/app.socket", &apps.App{Name: "shop.socket"}, "shop"},
		{"compose.yaml", &apps.App{Name: "api"}, "api"},
	} {
		if got := appName(tt.link, tt.a); got != tt.want {
			t.Errorf("appName(%q, %q) = %q, want %q", tt.link, tt.a.Name, got, tt.want)
		}
	}
}
