package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/rules"
)

// corpusDir is the corpus of real configurations (NGINXLINT_CORPUS, or the
// shared corpus beside the repository).
var corpusDir = corpusPath("../../shared/corpus")

func corpusPath(def string) string {
	if d := os.Getenv("NGINXLINT_CORPUS"); d != "" {
		return d
	}
	return def
}

// TestCorpusNoFalseErrors lints every corpus entry real nginx accepts,
// without a manifest, with every rule: none may report an error, except
// the include rules (the corpus does not ship every file its entries
// include; the oracle stubbed those).
func TestCorpusNoFalseErrors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "ORACLE.tsv"))
	if os.IsNotExist(err) {
		// The corpus is third-party data kept beside the repository.
		t.Skipf("corpus not found at %s: set NGINXLINT_CORPUS to its directory", corpusDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 8 || f[4] != "ok" && f[7] != "ok" || strings.HasPrefix(f[1], "(stack)") {
			continue
		}
		ctx := ""
		switch {
		case strings.HasPrefix(f[2], "full"):
			ctx = "main"
		case strings.HasPrefix(f[2], "http-snippet"):
			ctx = "http"
		case strings.HasPrefix(f[2], "server-snippet"):
			ctx = "server"
		case strings.HasPrefix(f[2], "location-snippet"):
			ctx = "location"
		}
		path := filepath.Join(corpusDir, f[0], filepath.FromSlash(f[1]))
		tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: path, Context: ctx})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		checked++
		// As the oracle ran it: nginx 1.22.1 with nginx-full's modules
		// (verdict), or with every module and the lines of newer nginx
		// versions commented out (verdict_all_modules): those entries say
		// nothing of versions.
		cfg := driver.Config{NginxVersion: oracleVersion, Modules: oracleBaseModules}
		allModules := f[4] != "ok"
		if allModules {
			cfg.Modules = allThirdPartyModules()
		}
		ds, err := driver.Run(tree, rules.All(), cfg)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		for _, d := range ds {
			if d.Severity < lint.Error || d.Rule == "include" || allModules && d.Rule == rules.DirectiveVersion.ID {
				continue
			}
			t.Errorf("%s/%s (nginx accepts it): %s: %s [%s]", f[0], f[1], d.File.Position(d.Start), d.Message, d.Rule)
		}
	}
	if checked < 350 {
		t.Errorf("only %d corpus entries checked", checked)
	}
}

// The oracle's nginx: Debian's nginx-full 1.22.1, with the dynamic
// modules it enables by default (see the corpus README).
const oracleVersion = "1.22.1"

var oracleBaseModules = []string{"auth-pam", "dav-ext", "echo", "geoip2", "subs-filter", "upstream-fair"}

// allThirdPartyModules declares every third-party module the table knows,
// as the oracle's all-modules run loaded every one Debian packages.
func allThirdPartyModules() []string {
	var all []string
	for _, m := range nginx.Modules() {
		if m.ThirdParty() && m.Short != "" {
			all = append(all, m.Short)
		}
	}
	return all
}
