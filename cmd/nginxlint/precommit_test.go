package main_test

import (
	"os"
	"regexp"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPreCommitHook reads .pre-commit-hooks.yaml the way pre-commit does
// and checks that the hook runs this command on the whole tree, and fires
// for the files that make up an nginx tree.
func TestPreCommitHook(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string   `yaml:"id"`
		Name          string   `yaml:"name"`
		Entry         string   `yaml:"entry"`
		Language      string   `yaml:"language"`
		PassFilenames *bool    `yaml:"pass_filenames"`
		Files         string   `yaml:"files"`
		Args          []string `yaml:"args"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	if len(hooks) != 1 {
		t.Fatalf("want one hook, got %d", len(hooks))
	}
	h := hooks[0]
	if h.ID != "nginxlint" || h.Name == "" || h.Language != "golang" {
		t.Errorf("hook id/name/language = %q/%q/%q", h.ID, h.Name, h.Language)
	}
	// language golang installs the repository's commands with go install:
	// the entry must be the name of one of them.
	if _, err := os.Stat("../../cmd/" + h.Entry + "/main.go"); err != nil {
		t.Errorf("entry %q is not a command of this repository: %v", h.Entry, err)
	}
	if h.PassFilenames == nil || *h.PassFilenames {
		t.Errorf("pass_filenames must be false: the tree is linted as a whole")
	}
	if len(h.Args) != 1 {
		t.Errorf("args = %q, want the tree's path", h.Args)
	}
	re, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for _, f := range []string{"etc/nginx/nginx.conf", "etc/nginx/conf.d/app.conf", "etc/nginx/sites-available/shop",
		"etc/nginx/sites-enabled/shop", "etc/nginx/snippets/proxy.conf", "etc/nginx/backends.toml", ".nginxlint.toml", "nginx.conf"} {
		if !re.MatchString(f) {
			t.Errorf("files does not match %s", f)
		}
	}
	for _, f := range []string{"README.md", "main.go", "docs/rules.md", "etc/nginx/html/index.html"} {
		if re.MatchString(f) {
			t.Errorf("files matches %s", f)
		}
	}
}
