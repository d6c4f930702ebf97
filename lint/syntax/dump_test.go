//go:build unix

package syntax_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// dumpFiles returns the files of the tree a dump loads, in the order
// nginx read them: "NAME:\nTEXT" each.
func dumpFiles(t *testing.T, dump string) ([]string, error) {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: "-", Stdin: strings.NewReader(dump)})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range tree.Files {
		out = append(out, f.Virtual+":\n"+f.Src)
	}
	return out, nil
}

// TestDumpSections: a "# configuration file PATH:" line starts a file
// only where nginx -T writes one: between statements outside any block,
// after the newline nginx writes after each file, and naming the file
// nginx reads next. Anywhere else it is a comment line of the file it
// stands in, and its text stays in that file. A file named twice is an
// error, not a silent first one wins.
func TestDumpSections(t *testing.T) {
	const (
		main = "# configuration file /etc/nginx/nginx.conf:\n"
		a    = "# configuration file /etc/nginx/conf.d/a.conf:\n"
		b    = "# configuration file /etc/nginx/conf.d/b.conf:\n"
		c    = "# configuration file /etc/nginx/conf.d/c.conf:\n"
		http = "events {}\nhttp {\n    include conf.d/*.conf;\n}\n"
	)
	cases := []struct {
		name, dump string
		want       []string // "NAME:\nTEXT" in order
		err        string
	}{
		{"as nginx writes it: a newline after each file, ended by one or not",
			main + http + "\n" + a + "server { listen 80; }\n\n" + b + "server { listen 81; }" + "\n" + c + "\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\nserver { listen 80; }\n", "/etc/nginx/conf.d/b.conf:\nserver { listen 81; }", "/etc/nginx/conf.d/c.conf:\n"}, ""},
		{"nginx's messages before the dump",
			"nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n" + main + "events {}\n\n",
			[]string{"/etc/nginx/nginx.conf:\nevents {}\n"}, ""},
		{"a comment naming a file no include reads",
			main + http + "\n" + a + "server { listen 80; }\n# configuration file /etc/nginx/evil.conf:\nserver { listen 81; }\n\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\nserver { listen 80; }\n# configuration file /etc/nginx/evil.conf:\nserver { listen 81; }\n"}, ""},
		{"a comment naming a file an include reads, but not next",
			main + http + "\n" + a + "server { listen 80; }\n\n" + c + "server { listen 81; }\n\n" + b + "\n" + c + "\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\nserver { listen 80; }\n\n" + c + "server { listen 81; }\n", "/etc/nginx/conf.d/b.conf:\n", "/etc/nginx/conf.d/c.conf:\n"}, ""},
		{"a comment in a block",
			main + http + "\n" + a + "server {\n" + b + "listen 80;\n}\n\n" + b + "\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\nserver {\n" + b + "listen 80;\n}\n", "/etc/nginx/conf.d/b.conf:\n"}, ""},
		{"a line in a quoted string",
			main + http + "\n" + a + "add_header X \"one\n" + b + "two\";\n\n" + b + "\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\nadd_header X \"one\n" + b + "two\";\n", "/etc/nginx/conf.d/b.conf:\n"}, ""},
		{"a comment in the middle of a directive",
			main + http + "\n" + a + "listen\n" + b + "80;\n\n" + b + "\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\nlisten\n" + b + "80;\n", "/etc/nginx/conf.d/b.conf:\n"}, ""},
		{"a comment in Lua code, after a brace in a Lua string",
			main + http + "\n" + a + "server { location / { content_by_lua_block { local s = \"}}\"\n" + b + "ngx.say(s) } } }\n\n" + b + "\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\nserver { location / { content_by_lua_block { local s = \"}}\"\n" + b + "ngx.say(s) } } }\n", "/etc/nginx/conf.d/b.conf:\n"}, ""},
		{"a comment on a file's first line",
			main + http + "\n" + a + b + "server { listen 80; }\n\n" + b + "\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\n" + b + "server { listen 80; }\n", "/etc/nginx/conf.d/b.conf:\n"}, ""},
		{"a line at the end without its newline",
			main + "events {}\n" + strings.TrimSuffix(a, "\n"),
			[]string{"/etc/nginx/nginx.conf:\nevents {}\n" + strings.TrimSuffix(a, "\n")}, ""},
		{"names as nginx writes them, not cleaned: a link may stand before ..",
			main + "events {}\nhttp {\n    include link/../x.conf;\n    include x.conf;\n    include ./conf.d//*.conf;\n}\n\n" +
				"# configuration file /etc/nginx/link/../x.conf:\nserver { listen 80; }\n\n" +
				"# configuration file /etc/nginx/x.conf:\nserver { listen 81; }\n\n" +
				"# configuration file /etc/nginx/./conf.d//a.conf:\nserver { listen 82; }\n\n",
			[]string{"/etc/nginx/nginx.conf:\nevents {}\nhttp {\n    include link/../x.conf;\n    include x.conf;\n    include ./conf.d//*.conf;\n}\n",
				"/etc/nginx/link/../x.conf:\nserver { listen 80; }\n", "/etc/nginx/x.conf:\nserver { listen 81; }\n", "/etc/nginx/./conf.d//a.conf:\nserver { listen 82; }\n"}, ""},
		{"relative names, as nginx -T -p ./ -c nginx.conf prints them",
			"# configuration file ./nginx.conf:\n" + http + "\n# configuration file ./conf.d/a.conf:\nserver { listen 80; }\n\n",
			[]string{"./nginx.conf:\n" + http, "./conf.d/a.conf:\nserver { listen 80; }\n"}, ""},
		{"a comment line ending in CRLF, in a dump whose headers end in LF",
			main + http + "\n" + a + "server { listen 80; }\n\n# configuration file /etc/nginx/conf.d/b.conf:\r\nserver { listen 81; }\n\n" + b + "\n",
			[]string{"/etc/nginx/nginx.conf:\n" + http, "/etc/nginx/conf.d/a.conf:\nserver { listen 80; }\n\n# configuration file /etc/nginx/conf.d/b.conf:\r\nserver { listen 81; }\n", "/etc/nginx/conf.d/b.conf:\n"}, ""},
		{"a dump made CRLF whole",
			strings.ReplaceAll(main+http+"\n"+a+"server { listen 80; }\n\n", "\n", "\r\n"),
			[]string{"/etc/nginx/nginx.conf:\n" + strings.ReplaceAll(http, "\n", "\r\n"), "/etc/nginx/conf.d/a.conf:\nserver { listen 80; }\r\n"}, ""},
		{"a file named twice",
			main + http + "\n" + a + "server { listen 80; }\n\n# configuration file /etc/nginx/nginx.conf:\nserver { listen 81; }\n\n",
			nil, "lines 1 and 10 both start a file named /etc/nginx/nginx.conf"},
		{"the file a comment named before",
			main + http + "\n" + a + "server { listen 80; }\n" + b + "server { listen 81; }\n\n" + b + "server { listen 82; }\n\n",
			nil, "lines 9 and 12 both start a file named /etc/nginx/conf.d/b.conf"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dumpFiles(t, tc.dump)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err = %v, want %q", err, tc.err)
				}
			case err != nil:
				t.Errorf("err = %v", err)
			case strings.Join(got, "\n----\n") != strings.Join(tc.want, "\n----\n"):
				t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n----\n"), strings.Join(tc.want, "\n----\n"))
			}
		})
	}
}

// TestDumpMatchesNginx reads what nginx -T prints for a tree whose files
// hold lines that look like section headers (in a block, in a string,
// naming a file no include reads, a file's first line), files without a
// final newline or empty, nested includes and names nginx does not clean:
// each file read is the file on disk, whole, in nginx's order.
func TestDumpMatchesNginx(t *testing.T) {
	bin := nginxtest.Binary(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root, scratch := filepath.Join(dir, "root"), filepath.Join(dir, "scratch")
	h := func(rel string) string { return "# configuration file " + root + "/" + rel + ":\n" }
	files := map[string]string{
		"nginx.conf": nginxtest.MainPreamble(scratch) + "http {\n" + nginxtest.HTTPPreamble(scratch) +
			"include conf.d/*.conf;\ninclude ./snippets//s.conf;\ninclude conf.d/../conf.d/b.conf;\n}\n",
		"conf.d/a.conf": h("conf.d/a.conf") + "add_header X-A a;\n\n" + h("conf.d/zz.conf") +
			"server {\n    listen 127.0.0.1:8081;\n" + h("conf.d/b.conf") + "}\n" +
			"add_header X-Q \"one\n" + h("evil.conf") + "two\";\n",
		"conf.d/b.conf":        "add_header X-B b;",
		"conf.d/c.conf":        "",
		"conf.d/d.conf":        "include snippets/nested.conf;\n# configuration file /etc/passwd:\n",
		"snippets/nested.conf": "add_header X-N n;\n",
		"snippets/s.conf":      "add_header X-S s;\n\n" + h("sites-enabled/default"),
	}
	// The names nginx opens, in the order it reads them.
	order := []string{"nginx.conf", "conf.d/a.conf", "conf.d/b.conf", "conf.d/c.conf", "conf.d/d.conf",
		"snippets/nested.conf", "./snippets//s.conf", "conf.d/../conf.d/b.conf"}
	for rel, text := range files {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		t.Fatal(err)
	}
	ok, dump := nginxDump(t, bin, scratch, filepath.Join(root, "nginx.conf"))
	if !ok {
		t.Fatalf("nginx -T failed:\n%s", dump)
	}
	var want []string
	for _, rel := range order {
		want = append(want, fmt.Sprintf("%s/%s:\n%s", root, rel, files[filepath.Clean(rel)]))
	}
	got, err := dumpFiles(t, dump)
	if err != nil {
		t.Fatalf("%v\n%s", err, dump)
	}
	if strings.Join(got, "\n----\n") != strings.Join(want, "\n----\n") {
		t.Errorf("files:\n%s\nwant:\n%s\ndump:\n%s", strings.Join(got, "\n----\n"), strings.Join(want, "\n----\n"), dump)
	}
}

// TestDumpLimits: a dump made to cost nginxlint much (more files than it
// reads, include patterns to compare with thousands of names) ends in an
// error, quickly.
func TestDumpLimits(t *testing.T) {
	var many, patterns strings.Builder
	many.WriteString("# configuration file /etc/nginx/nginx.conf:\nevents {}\n\n")
	patterns.WriteString("# configuration file /etc/nginx/nginx.conf:\nevents {}\n")
	for i := range 5000 {
		fmt.Fprintf(&patterns, "include /etc/*/p%d*;\n", i)
	}
	patterns.WriteString("\n")
	for i := range syntax.MaxFiles {
		fmt.Fprintf(&many, "# configuration file /etc/nginx/conf.d/%05d.conf:\n\n", i)
		if i < syntax.MaxFiles-1 {
			fmt.Fprintf(&patterns, "# configuration file /etc/nginx/conf.d/%05d.conf:\n\n", i)
		}
	}
	for _, tc := range []struct{ name, dump, err string }{
		{"more files than nginxlint reads", many.String(), fmt.Sprintf("more than %d files", syntax.MaxFiles)},
		{"include patterns against many names", patterns.String(), "too many to match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := dumpFiles(t, tc.dump)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
