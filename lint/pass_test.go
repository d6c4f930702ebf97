package lint_test

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

func TestRelatedTo(t *testing.T) {
	src := "http {\n    upstream api { server 127.0.0.1:1; }\n    proxy_read_timeout 30s;\n}\n"
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": src}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	tree.Walk(func(d syntax.Directive) {
		r := lint.RelatedTo(d, "m")
		got[d.Name()] = src[r.Start:r.End]
	})
	// A block directive is its name and arguments; a simple one is whole.
	for name, want := range map[string]string{"http": "http", "upstream": "upstream api", "server": "server 127.0.0.1:1;", "proxy_read_timeout": "proxy_read_timeout 30s;"} {
		if got[name] != want {
			t.Errorf("RelatedTo(%s) spans %q, want %q", name, got[name], want)
		}
	}
}

func TestManifestRelated(t *testing.T) {
	src := "[backends.api]\nlisten = \"127.0.0.1:1\"   \r\nmax_response_time = \"2m\""
	p := &lint.Pass{ManifestFile: &syntax.File{Name: "backends.toml", Src: src}}
	for _, c := range []struct {
		pos  manifest.Position
		want string
	}{
		{manifest.Position{Line: 1, Col: 1}, "[backends.api]"},
		{manifest.Position{Line: 2, Col: 10}, `"127.0.0.1:1"`},
		{manifest.Position{Line: 3, Col: 21}, `"2m"`},
	} {
		r, ok := p.ManifestRelated(c.pos, "m")
		if !ok || r.File != p.ManifestFile || src[r.Start:r.End] != c.want {
			t.Errorf("ManifestRelated(%v) = %q, %v; want %q", c.pos, src[r.Start:r.End], ok, c.want)
		}
	}
	if _, ok := p.ManifestRelated(manifest.Position{}, "m"); ok {
		t.Error("an invalid position gave a related place")
	}
	if _, ok := (&lint.Pass{}).ManifestRelated(manifest.Position{Line: 1, Col: 1}, "m"); ok {
		t.Error("a pass without the manifest's text gave a related place")
	}
}
