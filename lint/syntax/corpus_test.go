package syntax_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// corpusDir holds real configurations written by others, with ORACLE.tsv
// recording what nginx 1.22 said of each entry.
// corpusDir is the corpus of real configurations (NGINXLINT_CORPUS, or the
// shared corpus beside the repository).
var corpusDir = corpusPath("../../../shared/corpus")

func corpusPath(def string) string {
	if d := os.Getenv("NGINXLINT_CORPUS"); d != "" {
		return d
	}
	return def
}

type oracleEntry struct {
	item, file, kind, harness, verdict, class, firstError, verdictAll string
}

func readOracle(t *testing.T) []oracleEntry {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, "ORACLE.tsv"))
	if os.IsNotExist(err) {
		// The corpus is third-party data kept beside the repository.
		t.Skipf("corpus not found at %s: set NGINXLINT_CORPUS to its directory", corpusDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []oracleEntry
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 {
			if f[0] != "short_name" || f[4] != "verdict" || f[7] != "verdict_all_modules" {
				t.Fatalf("ORACLE.tsv has unexpected columns: %q", f)
			}
			continue
		}
		if len(f) < 8 {
			t.Fatalf("ORACLE.tsv line %d: %d columns", i+1, len(f))
		}
		out = append(out, oracleEntry{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]})
	}
	return out
}

// paths returns the files of an entry. SWAG stack entries name several
// files ("(stack) dir/a.conf.sample + b.conf.sample", b beside a); each is
// read on its own.
func (e oracleEntry) paths() []string {
	parts := strings.Split(strings.TrimPrefix(e.file, "(stack) "), " + ")
	first := filepath.Join(corpusDir, e.item, filepath.FromSlash(parts[0]))
	out := []string{first}
	for _, p := range parts[1:] {
		out = append(out, filepath.Join(filepath.Dir(first), p))
	}
	return out
}

// context returns the context an entry is read in: what kind of file the
// oracle says it is.
func (e oracleEntry) context() string {
	switch {
	case strings.HasPrefix(e.kind, "full stack"):
		return "" // one file of an assembled stack: read in the context its content implies
	case strings.HasPrefix(e.kind, "full"):
		return "main"
	case strings.HasPrefix(e.kind, "http-snippet"):
		return "http"
	case strings.HasPrefix(e.kind, "server-snippet"):
		return "server"
	case strings.HasPrefix(e.kind, "location-snippet"):
		return "location"
	case strings.HasPrefix(e.kind, "server+location"):
		return "server"
	}
	return ""
}

// TestCorpus loads every corpus entry with its own directory standing for
// /etc/nginx. Entries nginx accepts (with all modules loaded) must give no
// syntax finding; entries nginx refuses for their syntax must give one.
func TestCorpus(t *testing.T) {
	entries := readOracle(t)
	if len(entries) < 400 {
		t.Fatalf("ORACLE.tsv lists %d entries, expected 413", len(entries))
	}
	accepted, rejected := 0, 0
	for _, e := range entries {
		valid := e.verdict == "ok" || e.verdictAll == "ok"
		bad := e.class == "syntax"
		if !valid && !bad {
			continue
		}
		var syn []string
		for _, path := range e.paths() {
			tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: path, Context: e.context()})
			if err != nil {
				t.Errorf("%s/%s: %v", e.item, e.file, err)
				continue
			}
			for _, p := range tree.ReadErrors {
				t.Errorf("%s/%s: read error %s: %s", e.item, e.file, p.File.Position(p.Start), p.Msg)
			}
			for _, p := range tree.Problems {
				if p.Kind == syntax.KindSyntax {
					syn = append(syn, p.File.Position(p.Start).String()+": "+p.Msg)
				}
			}
		}
		switch {
		case valid:
			accepted++
			if len(syn) > 0 {
				t.Errorf("%s/%s: nginx accepts it, nginxlint reports:\n\t%s", e.item, e.file, strings.Join(syn, "\n\t"))
			}
		case bad:
			rejected++
			if len(syn) == 0 {
				t.Errorf("%s/%s: nginx refuses it (%s), nginxlint reports no syntax error", e.item, e.file, e.firstError)
			}
		}
	}
	t.Logf("%d accepted entries load cleanly, %d refused entries get a syntax finding", accepted, rejected)
	if accepted < 350 || rejected < 4 {
		t.Errorf("only %d accepted and %d refused entries were checked", accepted, rejected)
	}
}
