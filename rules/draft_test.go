package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
	"github.com/nginxlint/nginxlint/manifest/draft"
	"github.com/nginxlint/nginxlint/rules"
)

// TestDraftManifest drafts a manifest for the example tree and every
// corpus entry nginx accepts, and checks that the draft is a valid
// manifest against which the tree shows no drift: it describes the tree
// as it is.
func TestDraftManifest(t *testing.T) {
	paths := []string{"../example/etc/nginx"}
	if data, err := os.ReadFile(filepath.Join(corpusDir, "ORACLE.tsv")); err == nil {
		for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
			f := strings.Split(line, "\t")
			if i == 0 || len(f) < 8 || f[4] != "ok" || !strings.HasPrefix(f[2], "full") || strings.HasPrefix(f[1], "(") {
				continue
			}
			paths = append(paths, filepath.Join(corpusDir, f[0], filepath.FromSlash(f[1])))
		}
	}
	drift := map[string]bool{"backend-drift": true, "backend-upstream": true, "backend-protocol": true, "backend-unknown-host": true}
	for _, path := range paths {
		tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		text, _ := draft.Manifest([]*syntax.Tree{tree}, "1.22.1")
		m, err := manifest.Parse("draft.toml", []byte(text))
		if err != nil {
			t.Errorf("%s: the drafted manifest is invalid: %v\n%s", path, err, text)
			continue
		}
		ds, err := driver.Run(tree, rules.All(), driver.Config{Manifest: m})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if drift[d.Rule] {
				t.Errorf("%s: with its own drafted manifest: %s: %s [%s]\n%s", path, d.File.Position(d.Start), d.Message, d.Rule, text)
			}
		}
	}
}
