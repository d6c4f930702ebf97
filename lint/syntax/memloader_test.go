package syntax_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// treeFacts is what a loaded tree says, by file name: its files, what
// each include pulled in, its problems and read errors, with positions.
type treeFacts struct {
	Files    []string
	Included map[string][]string
	Problems []string
}

func factsOf(t *testing.T, tr *syntax.Tree) treeFacts {
	t.Helper()
	f := treeFacts{Included: map[string][]string{}}
	for _, file := range tr.Files {
		f.Files = append(f.Files, file.Name)
	}
	tr.Walk(func(d syntax.Directive) {
		if !d.IsInclude() {
			return
		}
		at := d.File().Position(int(d.Start())).String()
		f.Included[at] = []string{}
		for _, inc := range d.IncludedFiles() {
			f.Included[at] = append(f.Included[at], inc.Name)
		}
	})
	for _, ps := range [][]*syntax.Problem{tr.Problems, tr.ReadErrors} {
		for _, p := range ps {
			f.Problems = append(f.Problems, p.File.Position(p.Start).String()+": "+p.Kind+": "+p.Msg)
		}
	}
	return f
}

// TestMemLoaderMatchesDisk loads the same files from a directory and
// from memory and expects the same trees: the same files under the same
// names, the same includes, the same problems at the same places, for
// directories included or matched by a glob, missing files and includes
// that leave the tree.
func TestMemLoaderMatchesDisk(t *testing.T) {
	trees := map[string]map[string]string{
		"directory include": {
			"nginx.conf":        "events {}\nhttp { include conf.d; include conf.d/*; }\n",
			"conf.d/a.conf":     "server { listen 80; }\n",
			"conf.d/sub/b.conf": "server { listen 81; }\n",
		},
		"glob through directories": {
			"nginx.conf":         "events {}\nhttp { include sites/*/*.conf; include sites/*; }\n",
			"sites/one/app.conf": "server { listen 82; }\n",
			"sites/two/app.conf": "server { listen 83; }\n",
			"sites/two/x.txt":    "ignored\n",
		},
		"missing and outside": {
			"nginx.conf":    "events {}\nhttp { include missing.conf; include ../outside.conf; include /etc/other/x.conf; include conf.d/../conf.d/a.conf; }\n",
			"conf.d/a.conf": "server { listen 84; }\n",
		},
	}
	for name, files := range trees {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for rel, text := range files {
				p := filepath.Join(dir, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			opt := syntax.Options{Grammar: nginx.Grammar{}, Prefix: "/etc/nginx"}
			disk, err := syntax.NewLoader(".", opt)
			if err != nil {
				t.Fatal(err)
			}
			mem, err := syntax.NewMemLoader(files, opt)
			if err != nil {
				t.Fatal(err)
			}
			var got [2]treeFacts
			for i, ld := range []*syntax.Loader{disk, mem} {
				c, err := ld.Canonical("nginx.conf")
				if err != nil {
					t.Fatal(err)
				}
				tr, err := ld.Load(c, "", false)
				if err != nil {
					t.Fatal(err)
				}
				got[i] = factsOf(t, tr)
			}
			if !reflect.DeepEqual(got[0], got[1]) {
				t.Errorf("from disk:\n%#v\nfrom memory:\n%#v", got[0], got[1])
			}
			if len(got[0].Files) < 2 {
				t.Errorf("the tree read too few files: %v", got[0].Files)
			}
		})
	}
}
