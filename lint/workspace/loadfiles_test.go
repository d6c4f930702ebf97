package workspace

import (
	"slices"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// TestLoadFiles reads a tree held in memory as Load reads one on disk:
// the main file's tree, the fragments it does not reach, and the files
// that are not nginx configuration skipped with the reason.
func TestLoadFiles(t *testing.T) {
	files := map[string]string{
		"nginx.conf":           "events {}\nhttp { include conf.d/*.conf; }\n",
		"conf.d/app.conf":      "server { listen 80; }\n",
		"sites/orphan.conf":    "server { listen 81; include snippets/x.conf; }\n",
		"snippets/x.conf":      "add_header X-A 1;\n",
		"pool.d/www.conf":      "[www]\nlisten = /run/php.sock\n",
		"compose.yaml":         "services: {}\n",
		"backends.toml":        "[backends.api]\nlisten = \"127.0.0.1:8000\"\n",
		"notes/readme":         "This is not configuration.\n",
		"snippets/empty.nginx": "",
	}
	known := func(name string) bool { return nginx.Lookup(name) != nil }
	ld, err := LoadFiles(files, LoadOptions{Grammar: nginx.Grammar{}, Known: known})
	if err != nil {
		t.Fatal(err)
	}
	if len(ld.Trees) == 0 || ld.Trees[0].Fragment || ld.Trees[0].Main.Name != "nginx.conf" {
		t.Fatalf("the first tree is not nginx.conf's: %v", ld.Trees)
	}
	var roots []string
	for _, tr := range ld.Trees[1:] {
		if !tr.Fragment || tr.NotLoadedBy != "nginx.conf" {
			t.Errorf("%s: fragment %v, not loaded by %q", tr.Main.Name, tr.Fragment, tr.NotLoadedBy)
		}
		roots = append(roots, tr.Main.Name)
	}
	if want := []string{"sites/orphan.conf", "snippets/empty.nginx"}; !slices.Equal(roots, want) {
		t.Errorf("fragments %v, want %v (snippets/x.conf is read from sites/orphan.conf)", roots, want)
	}
	if ld.Reached != 2 || ld.Fragments != 3 || ld.Read != 5 {
		t.Errorf("read %d files: %d reached, %d in fragments; want 5: 2 and 3", ld.Read, ld.Reached, ld.Fragments)
	}
	var skipped []string
	for _, s := range ld.Skipped {
		skipped = append(skipped, s.Path)
		if s.Why == "" {
			t.Errorf("%s skipped without a reason", s.Path)
		}
	}
	if want := []string{"backends.toml", "compose.yaml", "notes/readme", "pool.d/www.conf"}; !slices.Equal(skipped, want) {
		t.Errorf("skipped %v, want %v", skipped, want)
	}
	if f := ld.Trees[0].Files[1]; f.Name != "conf.d/app.conf" || f.Virtual != "/etc/nginx/conf.d/app.conf" || f.Path != "" {
		t.Errorf("an included file is named %q (virtual %q, path %q)", f.Name, f.Virtual, f.Path)
	}
}
