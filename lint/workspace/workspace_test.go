package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/nginxlint/nginxlint/lint/config"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

func known(name string) bool { return nginx.Lookup(name) != nil }

// write creates the files of a tree under dir: "path": "content", with
// "path -> target" for a symbolic link.
func write(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		link := ""
		if i := strings.Index(name, " -> "); i >= 0 {
			name, link = name[:i], name[i+4:]
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if link != "" {
			err = os.Symlink(link, p)
		} else {
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestClassify(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"nginx.conf":                       "events {}",
		"conf.d/app.conf":                  "this is broken {",
		"fastcgi_params":                   "fastcgi_param A b;",
		"mime.types":                       "types {}",
		"sites-available/example.com":      "sever { }", // a typo: the directory says what it is
		"sites-available/shop.conf.sample": "server {}",
		"site.conf.disabled":               "server {}",
		"jitsi.example":                    "server_names_hash_bucket_size 64;",
		"placeholder":                      "# nothing yet\n\n# really\n",
		"empty":                            "",
		"README.md":                        "server {}",
		"ssl/site.pem":                     "-----BEGIN CERTIFICATE-----",
		"templates/default.conf.template":  "listen ${PORT};",
		"Dockerfile":                       "FROM nginx",
		"notes":                            "remember to renew the certificate",
		"blob":                             "server\x00{}",
		"conf.d/README.md":                 "# how to add a site",
		"backends.toml":                    "[backends.a]",
		"fpm-pool.conf":                    "; php-fpm\n[global]\nerror_log = /dev/stderr\n[www]\nlisten = /run/php-fpm.sock\n",
		"supervisord.conf":                 "[supervisord]\nnodaemon=true\n",
	}
	write(t, dir, files)
	want := map[string]bool{
		"nginx.conf": true, "conf.d/app.conf": true, "fastcgi_params": true, "mime.types": true,
		"sites-available/example.com": true, "sites-available/shop.conf.sample": true,
		"site.conf.disabled": true, "jitsi.example": true, "placeholder": true, "empty": true,
	}
	for name := range files {
		got, why := Classify(filepath.Join(dir, filepath.FromSlash(name)), known, true)
		if got != want[name] {
			t.Errorf("Classify(%s) = %v (%s), want %v", name, got, why, want[name])
		}
		if !got && why == "" {
			t.Errorf("Classify(%s): skipped without a reason", name)
		}
	}
}

// TestClassifyElsewhere: outside a tree that surely is nginx's, other
// tools' *.conf files (php-fpm's pools, supervisor's programs) are told
// from nginx's by their content.
func TestClassifyElsewhere(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"etc/php/8.2/fpm/pool.d/www.conf":  "[www]\nuser = www-data\nlisten = /run/php/php8.2-fpm.sock\n",
		"etc/supervisor/conf.d/app.conf":   "[program:app]\ncommand=/srv/app/run\n",
		"etc/redis/redis.conf":             "bind 127.0.0.1\nport 6379\n",
		"deploy/conf.d/site.conf":          "server { listen 80; }\n",
		"deploy/conf.d/typo.conf":          "sever { listen 80; }\n", // a near miss is nginx's
		"deploy/sites-available/x.example": "upstream app { server 127.0.0.1:8000; }\n",
	}
	write(t, dir, files)
	want := map[string]bool{"deploy/conf.d/site.conf": true, "deploy/conf.d/typo.conf": true, "deploy/sites-available/x.example": true}
	near := func(n string) bool { return known(n) || n == "sever" }
	for name := range files {
		got, why := Classify(filepath.Join(dir, filepath.FromSlash(name)), near, false)
		if got != want[name] {
			t.Errorf("Classify(%s, not in a tree with nginx.conf) = %v (%s), want %v", name, got, why, want[name])
		}
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"nginx.conf":                "events {}",
		".git/config":               "[core]",
		".hidden.conf":              "server {}",
		"node_modules/x/nginx.conf": "events {}",
		"conf.d/a.conf":             "server {}",
		"html/index.html":           "<html>",
		"sites-enabled/a.conf -> ../conf.d/a.conf": "",
		"loop -> .": "",
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "conf.d", "pipe.conf"), 0o644); err != nil {
		t.Fatal(err)
	}
	files, skips, err := Walk(dir, func(p string, link bool) (bool, string) {
		if link {
			return ClassifyLink(p, true)
		}
		return Classify(p, known, true)
	})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range files {
		r, _ := filepath.Rel(dir, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	if want := []string{"conf.d/a.conf", "nginx.conf", "sites-enabled/a.conf"}; !slices.Equal(rel, want) {
		t.Errorf("Walk = %q, want %q", rel, want)
	}
	why := map[string]string{}
	for _, s := range skips {
		r, _ := filepath.Rel(dir, s.Path)
		why[filepath.ToSlash(r)] = s.Why
	}
	for name, want := range map[string]string{
		"node_modules":     "dependencies",
		"html/index.html":  "web page",
		"conf.d/pipe.conf": "not a regular file",
	} {
		if !strings.Contains(why[name], want) {
			t.Errorf("skip of %s: %q, want it to say %q", name, why[name], want)
		}
	}
}

// TestFindRoots: the tree of a path, whatever is named.
func TestFindRoots(t *testing.T) {
	top := t.TempDir()
	write(t, top, map[string]string{
		"nginx.conf":                            "events {}", // above the repository: never a root
		"repo/.git/HEAD":                        "ref: main",
		"repo/etc/nginx/nginx.conf":             "events {}",
		"repo/etc/nginx/conf.d/a.conf":          "server {}",
		"repo/etc/nginx/sub/nginx.conf":         "events {}",
		"repo/etc/nginx/sub/b.conf":             "server {}",
		"repo/deploy/sites-available/s.conf":    "server {}",
		"repo/deploy/snippets/x.conf":           "gzip on;",
		"repo/loose/one.conf":                   "server {}",
		"repo/cfg/.nginxlint.toml":              `root = "tree"`,
		"repo/cfg/tree/sites/a.conf":            "server {}",
		"repo/cfg/tree/nginx.conf.d/inner.conf": "gzip on;",
	})
	t.Chdir(filepath.Join(top, "repo"))
	load := func(p string) (*config.File, error) { return config.Load(p, nil, nil) }
	cases := []struct {
		paths []string
		roots []string // root: named, ...
	}{
		{[]string{"etc/nginx/conf.d/a.conf"}, []string{"etc/nginx: conf.d/a.conf"}},
		{[]string{"etc/nginx"}, []string{"etc/nginx: .", "etc/nginx/sub: ."}},
		{[]string{"etc/nginx/sub/b.conf", "etc/nginx/conf.d"}, []string{"etc/nginx: conf.d", "etc/nginx/sub: b.conf"}},
		{[]string{"deploy/snippets/x.conf"}, []string{"deploy: snippets/x.conf"}},
		{[]string{"loose/one.conf"}, []string{"loose: one.conf"}},
		{[]string{"cfg/tree/sites/a.conf"}, []string{"cfg/tree: sites/a.conf"}},
		{[]string{"etc/nginx/conf.d/a.conf", "etc/nginx/conf.d/a.conf", "etc/nginx/conf.d"}, []string{"etc/nginx: conf.d,conf.d/a.conf"}},
		{[]string{"."}, []string{"cfg/tree: .", "deploy: .", "etc/nginx: .", "etc/nginx/sub: .", "loose: ."}},
	}
	for _, c := range cases {
		trees, _, err := Find(c.paths, Options{Known: known}, load)
		if err != nil {
			t.Errorf("Find(%q): %v", c.paths, err)
			continue
		}
		var got []string
		for _, tr := range trees {
			got = append(got, tr.Root+": "+strings.Join(tr.Named, ","))
		}
		if !slices.Equal(got, c.roots) {
			t.Errorf("Find(%q) =\n  %q\nwant\n  %q", c.paths, got, c.roots)
		}
	}

	// --root overrides the search; a path outside it is an error.
	trees, _, err := Find([]string{"loose/one.conf"}, Options{Root: "loose", Known: known}, load)
	if err != nil || len(trees) != 1 || trees[0].How != "given by --root" {
		t.Errorf("Find with --root: %v, %v", trees, err)
	}
	if _, _, err := Find([]string{"deploy/snippets/x.conf"}, Options{Root: "loose", Known: known}, load); err == nil || !strings.Contains(err.Error(), "not inside --root") {
		t.Errorf("Find outside --root: %v", err)
	}
}

// TestFragmentRoots: the files nothing loads are rooted where no other
// of them includes them; a cycle is rooted at its first file.
func TestFragmentRoots(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"nginx.conf":     "events {}",
		"a.conf":         "server { include b.conf; }",
		"b.conf":         "location / { include c.conf; }",
		"c.conf":         "return 204;",
		"x.conf":         "server { include y.conf; }",
		"y.conf":         "include x.conf;",
		"p.conf":         "include q.conf;",
		"q.conf":         "include p.conf;",
		"self.conf":      "include self.conf;",
		"lone.conf":      "gzip on;",
		"sub/nginx.conf": "events {}",
	})
	trees, _, err := Find([]string{dir}, Options{Known: known}, nil)
	if err != nil || len(trees) != 2 {
		t.Fatalf("Find: %d trees, %v", len(trees), err)
	}
	ld, err := Load(trees[0], LoadOptions{Grammar: nginx.Grammar{}, Known: known})
	if err != nil {
		t.Fatal(err)
	}
	var roots []string
	for _, tr := range ld.Trees {
		if tr.Fragment {
			roots = append(roots, filepath.Base(tr.Main.Name))
		}
	}
	if want := []string{"a.conf", "lone.conf", "p.conf", "self.conf", "x.conf"}; !slices.Equal(roots, want) {
		t.Errorf("fragment roots = %q, want %q", roots, want)
	}
	if ld.Reached != 1 || ld.Fragments != 9 || ld.Read != 10 {
		t.Errorf("counts: read %d, reached %d, fragments %d; want 10, 1, 9 (sub/ is a tree of its own)", ld.Read, ld.Reached, ld.Fragments)
	}
}

// BenchmarkLoadFragments reads trees of n sites that nginx.conf does not
// load, each including one of 20 snippets: the cost per site stays the
// same as n grows (go test -bench LoadFragments ./lint/workspace).
func BenchmarkLoadFragments(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := b.TempDir()
			files := map[string]string{"nginx.conf": "events {}\nhttp { include sites-enabled/*; }\n"}
			for i := 0; i < 20; i++ {
				files[fmt.Sprintf("snippets/s%d.conf", i)] = "proxy_set_header X-Site $host;\nproxy_read_timeout 30s;\n"
			}
			for i := 0; i < n; i++ {
				files[fmt.Sprintf("sites-available/site%d.conf", i)] = fmt.Sprintf("server {\n    listen 80;\n    server_name s%d.example.com;\n    location / {\n        include snippets/s%d.conf;\n        proxy_pass http://127.0.0.1:%d;\n    }\n}\n", i, i%20, 8000+i%50)
			}
			write(b, dir, files)
			trees, _, err := Find([]string{dir}, Options{Known: known}, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				ld, err := Load(trees[0], LoadOptions{Grammar: nginx.Grammar{}, Known: known})
				if err != nil || len(ld.Trees) != n+1 {
					b.Fatalf("%v, %d trees", err, len(ld.Trees))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/site")
		})
	}
}

// TestLoadAgainClassifiesAgain checks that Load takes the files Find
// classified as Find said, through a relative path too, and that a Load
// again (after --fix wrote files) classifies them from their new text.
func TestLoadAgainClassifiesAgain(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"nginx.conf":      "events {}\n",
		"conf.d/a.conf":   "server { listen 80; }\n",
		"conf.d/www.conf": "; a php-fpm pool\n[www]\nlisten = /run/php.sock\n",
		"notes/readme":    "These are notes.\n",
	})
	t.Chdir(dir)
	trees, _, err := Find([]string{"."}, Options{Known: known}, nil)
	if err != nil || len(trees) != 1 {
		t.Fatalf("Find: %d trees, %v", len(trees), err)
	}
	load := func() (read []string, skipped map[string]string) {
		ld, err := Load(trees[0], LoadOptions{Grammar: nginx.Grammar{}, Known: known})
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range ld.Trees {
			for _, f := range tr.Files {
				read = append(read, filepath.ToSlash(f.Name))
			}
		}
		slices.Sort(read)
		skipped = map[string]string{}
		for _, s := range ld.Skipped {
			skipped[filepath.ToSlash(s.Path)] = s.Why
		}
		return read, skipped
	}
	read, skipped := load()
	if want := []string{"conf.d/a.conf", "nginx.conf"}; !slices.Equal(read, want) {
		t.Errorf("first Load read %q, want %q", read, want)
	}
	if why := skipped["conf.d/www.conf"]; !strings.Contains(why, "INI") {
		t.Errorf("first Load: conf.d/www.conf skipped for %q, want an INI file; skipped: %q", why, skipped)
	}
	// The files change kind.
	write(t, dir, map[string]string{
		"conf.d/a.conf":   "[pool]\nlisten = 9000\n",
		"conf.d/www.conf": "server { listen 81; }\n",
	})
	read, skipped = load()
	if want := []string{"conf.d/www.conf", "nginx.conf"}; !slices.Equal(read, want) {
		t.Errorf("Load again read %q, want %q", read, want)
	}
	if why := skipped["conf.d/a.conf"]; !strings.Contains(why, "INI") {
		t.Errorf("Load again: conf.d/a.conf skipped for %q, want an INI file; skipped: %q", why, skipped)
	}
}
