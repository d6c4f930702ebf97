package playground

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/rules"
)

// These tests hold the engine to the command: for the same files, the
// same findings at the same places, with the same fixes, and the same
// files after the fixes as "nginxlint --fix" writes.

// cliRange is a place as "nginxlint --format json" prints it.
type cliRange struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
}

// cliEdit is an edit of a fix as the command prints it.
type cliEdit struct {
	cliRange
	NewText string `json:"new_text"`
}

// cliReport is what "nginxlint --format json" prints, in the engine's
// shape (its ranges without From and To).
type cliReport struct {
	Diagnostics []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
		cliRange
		Message string `json:"message"`
		URL     string `json:"url"`
		Fixes   []struct {
			Message string    `json:"message"`
			Edits   []cliEdit `json:"edits"`
		} `json:"fixes"`
		Related []struct {
			cliRange
			Message string `json:"message"`
		} `json:"related"`
	} `json:"diagnostics"`
	Files     int `json:"files"`
	Reached   int `json:"reached"`
	Fragments int `json:"fragments"`
	Errors    []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// runCommand runs nginxlint with args in dir and returns its exit code
// and standard output.
func runCommand(t *testing.T, dir string, args ...string) (int, []byte) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := cli.Main(args, rules.All(), cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }})
	return code, stdout.Bytes()
}

// writeTree writes files into dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree reads the files of dir, by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// asCommand renders the engine's result as the command's JSON report,
// for comparison.
func asCommand(t *testing.T, res *Result) cliReport {
	t.Helper()
	type plain struct {
		Diagnostics []Finding `json:"diagnostics"`
		Files       int       `json:"files"`
		Reached     int       `json:"reached"`
		Fragments   int       `json:"fragments"`
	}
	data, err := json.Marshal(plain{res.Findings, res.Files, res.Reached, res.Fragments})
	if err != nil {
		t.Fatal(err)
	}
	var out cliReport
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// compareWithCommand lints files with the engine and with the command
// (in a directory), and fails on any difference of findings; then it
// checks each fix and the whole of --fix.
func compareWithCommand(t *testing.T, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	_, out := runCommand(t, dir, "--format", "json", ".")
	var want cliReport
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("the command's output is not JSON: %v\n%s", err, out)
	}
	for i := range want.Diagnostics {
		d := &want.Diagnostics[i]
		d.Message = textutil.LogSafe(d.Message, false)
		for j := range d.Fixes {
			d.Fixes[j].Message = textutil.LogSafe(d.Fixes[j].Message, false)
		}
		for j := range d.Related {
			d.Related[j].Message = textutil.LogSafe(d.Related[j].Message, false)
		}
	}
	in := Input{Files: files}
	res := Lint(rules.All(), in)
	got := asCommand(t, res)
	if len(want.Errors) == 0 && len(res.Errors) > 0 {
		t.Errorf("errors the command does not report: %+v", res.Errors)
	}
	if len(want.Errors) > 0 && len(res.Errors) == 0 {
		t.Errorf("the command reports errors the engine does not: %+v", want.Errors)
	}
	if !reflect.DeepEqual(got, stripErrors(want)) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(stripErrors(want), "", "  ")
		t.Fatalf("the engine's findings differ from the command's\nengine:\n%s\ncommand:\n%s", g, w)
	}

	// Each fix, applied alone, makes exactly the command's edits.
	for i, f := range res.Findings {
		if len(f.Fixes) == 0 {
			continue
		}
		fixed, err := Apply(rules.All(), in, i, f.Rule)
		if err != nil {
			t.Fatalf("fix of finding %d [%s]: %v", i, f.Rule, err)
		}
		for name, text := range files {
			wantText := applyEdits(t, name, text, want.Diagnostics[i].Fixes[0].Edits)
			if fixed.Files[name] != wantText {
				t.Errorf("fix of [%s] at %s:%d:%d: %s is\n%s\nwant\n%s", f.Rule, f.File, f.Line, f.Column, name, fixed.Files[name], wantText)
			}
		}
	}

	// All fixes, as --fix writes them.
	if len(want.Errors) > 0 {
		return
	}
	if _, err := Apply(rules.All(), in, len(res.Findings), ""); !errors.Is(err, ErrStale) {
		t.Errorf("Apply of a finding that is not there: %v, want ErrStale", err)
	}
	all, err := ApplyAll(rules.All(), in)
	if err != nil {
		t.Fatalf("ApplyAll: %v", err)
	}
	runCommand(t, dir, "--fix", ".")
	if disk := readTree(t, dir); !reflect.DeepEqual(all.Files, disk) {
		for name := range disk {
			if disk[name] != all.Files[name] {
				t.Errorf("after all fixes, %s is\n%s\nnginxlint --fix wrote\n%s", name, all.Files[name], disk[name])
			}
		}
		t.Errorf("the files after all fixes differ from what nginxlint --fix writes")
	}
}

func stripErrors(r cliReport) cliReport {
	r.Errors = nil
	return r
}

// applyEdits applies the command's JSON edits of the file name to text,
// by their lines and columns.
func applyEdits(t *testing.T, name, text string, edits []cliEdit) string {
	t.Helper()
	offset := func(line, col int) int {
		at := 0
		for l := 1; l < line; l++ {
			at += strings.IndexByte(text[at:], '\n') + 1
		}
		return at + col - 1
	}
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		if e.File == name {
			spans = append(spans, span{offset(e.Line, e.Column), offset(e.EndLine, e.EndColumn), e.NewText})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return b.start - a.start })
	for _, s := range spans {
		text = text[:s.start] + s.text + text[s.end:]
	}
	return text
}

// TestExampleMatchesCommand lints the repository's example tree.
func TestExampleMatchesCommand(t *testing.T) {
	files := readTree(t, filepath.Join("..", "..", "example", "etc", "nginx"))
	if _, ok := files[ManifestFile]; !ok {
		t.Fatal("the example has no manifest")
	}
	res := Lint(rules.All(), Input{Files: files})
	if len(res.Findings) == 0 || !res.Manifest {
		t.Fatalf("no findings or no manifest on the example: %+v", res)
	}
	compareWithCommand(t, files)
}

// TestGoldenCasesMatchCommand lints every golden case of the rules whose
// files are all in the tree (no app configurations beside it, no
// configuration file, no links) and compares with the command.
func TestGoldenCasesMatchCommand(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("..", "..", "testdata", "*", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		ok := true
		for _, f := range ar.Files {
			switch {
			case f.Name == "want" || strings.HasPrefix(f.Name, "fixed/"):
			case strings.Contains(f.Name, " -> ") || strings.HasSuffix(f.Name, "/") || !strings.HasPrefix(f.Name, "etc/nginx/"):
				ok = false
			default:
				files[strings.TrimPrefix(f.Name, "etc/nginx/")] = string(f.Data)
			}
		}
		if !ok || len(files) == 0 {
			continue
		}
		ran++
		name := strings.TrimSuffix(filepath.Base(filepath.Dir(c))+"/"+filepath.Base(c), ".txtar")
		t.Run(name, func(t *testing.T) {
			compareWithCommand(t, files)
		})
	}
	if ran < 50 {
		t.Errorf("only %d golden cases compared; expected the rules' cases to be found in ../../testdata", ran)
	}
}
