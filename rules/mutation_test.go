package rules_test

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/mutate"
	"github.com/nginxlint/nginxlint/internal/mutate/judge"
	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/rules"
)

// mutationFull runs the whole harness: go test ./rules -run TestMutation
// -mutation.full (or NGINXLINT_MUTATION=full go test ./rules).
var mutationFull = flag.Bool("mutation.full", false, "run the whole mutation harness (as NGINXLINT_MUTATION=full): every kind on every configuration")

// The mutation harness's figures are percentages of the mutants real
// nginx -t refuses: "detected" counts those nginxlint reports an error
// on, "at line" those it reports an error on in the file and at the line
// nginx names (the line of the edit when nginx names none).
//
// The goal: at least 98% detected and 95% at nginx's line in total, and
// at least 90% for every kind. TestMutation asserts it through
// MutationMinimums, which hold the goal for every kind but one:
// certificate-without-key, where nginx names no line for half of the
// mutants and the harness then compares with the line of the edit (the
// removed key), while nginxlint points at the certificate that lacks it.
const (
	mutationGoalDetected = 98
	mutationGoalAtLine   = 95
	mutationGoalPerKind  = 90
)

// MutationMinimum is what TestMutation asserts of a row of the table, in
// percent of the mutants nginx refuses.
type MutationMinimum struct{ Detected, AtLine float64 }

// MutationMinimums are the asserted floors, by kind, and "total" for all
// kinds together (a kind missing here is asserted at 0). On nginx 1.22.1
// with the shared corpus (286 configurations usable), the full run gives
// 99.8% detected and 99.4% at nginx's line; NGINXLINT_MUTATION_FLOORS=1
// logs the floors of a run.
var MutationMinimums = map[string]MutationMinimum{
	"misspelled-directive":       {Detected: 95, AtLine: 95},
	"wrong-block":                {Detected: 90, AtLine: 90},
	"wrong-argument-count":       {Detected: 90, AtLine: 90},
	"invalid-flag":               {Detected: 90, AtLine: 90},
	"duplicate-location":         {Detected: 90, AtLine: 90},
	"duplicate-upstream":         {Detected: 90, AtLine: 90},
	"duplicate-default-server":   {Detected: 90, AtLine: 90},
	"duplicate-directive":        {Detected: 90, AtLine: 90},
	"listen-port-range":          {Detected: 90, AtLine: 90},
	"listen-unknown-parameter":   {Detected: 90, AtLine: 90},
	"ssl-without-certificate":    {Detected: 90, AtLine: 90},
	"certificate-without-key":    {Detected: 90, AtLine: 50},
	"proxy-pass-uri":             {Detected: 90, AtLine: 90},
	"unknown-variable":           {Detected: 90, AtLine: 90},
	"builtin-variable-redefined": {Detected: 90, AtLine: 90},
	"version-gated":              {Detected: 90, AtLine: 90},
	"deleted-semicolon":          {Detected: 90, AtLine: 90},
	"deleted-open-brace":         {Detected: 90, AtLine: 90},
	"deleted-close-brace":        {Detected: 90, AtLine: 90},
	"stray-close-brace":          {Detected: 90, AtLine: 90},
	"unterminated-quote":         {Detected: 90, AtLine: 90},
	"missing-include":            {Detected: 90, AtLine: 90},
	"total":                      {Detected: 98, AtLine: 95},
}

// Sizes of the runs: the sample of normal go test runs (CI) takes
// mutationSample mutants of each kind, one per configuration in a seeded
// order; the full run makes mutationRounds mutants of every kind on every
// configuration.
const (
	mutationSeed   = 20240601
	mutationSample = 24
	mutationRounds = 2
	// minMutationBases is the fewest configurations nginx must accept for
	// the run to mean anything: of the corpus's 311 that nginx-full
	// accepts, 286 are usable with nginx-light 1.22.1 (the others need
	// njs or nginx-full's modules, or include files outside their tree).
	minMutationBases = 100
)

// TestMutation runs the mutation harness (internal/mutate makes the
// mutants, internal/mutate/judge runs nginx and measures): it takes the
// corpus's configurations that nginx accepts, makes seeded single edits
// of every kind, keeps the mutants real nginx -t refuses, and measures
// how many nginxlint reports, and where. Normal runs take a bounded
// sample; NGINXLINT_MUTATION=full or -mutation.full runs it all.
// NGINXLINT_MUTATION_REPORT=FILE writes the table and every miss to FILE.
// NGINXLINT_MUTATION_CONFIGS=PATH[@CONTEXT]:... measures those
// configurations instead of the corpus (real configurations from
// elsewhere: a main file, or a directory holding nginx.conf).
func TestMutation(t *testing.T) {
	bin := nginxtest.Binary(t)
	version := nginxtest.Version(t)
	configs := mutationConfigs(t)
	full := *mutationFull || os.Getenv("NGINXLINT_MUTATION") == "full"
	ng := judge.NewNginx(bin)
	if ng.Isolation == "" {
		t.Logf("no network namespace here: nginx -t runs on the host's network")
	}
	start := time.Now()
	bases, unusable, err := prepareBases(t, configs, ng)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("nginx %s accepts %d of %d configurations (%v); %d unusable", version, len(bases), len(configs), time.Since(start).Round(time.Millisecond), len(unusable))
	if os.Getenv("NGINXLINT_MUTATION_CONFIGS") == "" && len(bases) < minMutationBases {
		t.Errorf("only %d configurations are usable, fewer than %d: is the sandbox broken?\n%s", len(bases), minMutationBases, strings.Join(unusable, "\n"))
	}

	// nginxlint must be silent on what nginx accepts, or every mutant of
	// that configuration would count as detected.
	lintFn := mutationLinter(version)
	var clean []*judge.Base
	for _, b := range bases {
		path, ctx, err := b.Env.LintPath(b.Dir)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := lintFn(path, ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) > 0 {
			t.Errorf("%s (nginx accepts it): %s:%d: %s [%s]", b.Name, fs[0].File, fs[0].Line, fs[0].Msg, fs[0].Rule)
			continue
		}
		clean = append(clean, b)
	}

	plan := judge.Plan{Kinds: mutate.Kinds(), Seed: mutationSeed, PerKind: mutationSample, Rounds: 3, Workers: 2 * runtime.GOMAXPROCS(0)}
	if full {
		plan.PerKind, plan.Rounds = 0, mutationRounds
	}
	start = time.Now()
	results := judge.Measure(clean, plan, ng, lintFn, t.TempDir())
	rows := judge.Table(plan.Kinds, results)
	var table bytes.Buffer
	mode := "sample"
	if full {
		mode = "full run"
	}
	iso := ng.Isolation
	if iso == "" {
		iso = "host network"
	}
	fmt.Fprintf(&table, "mutation harness (%s, seed %d): %d configurations, %d mutants, nginx %s (%s), %v\n",
		mode, mutationSeed, len(clean), len(results), version, iso, time.Since(start).Round(time.Millisecond))
	judge.WriteTable(&table, rows)
	t.Logf("\n%s", table.String())
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("%s, %s (%s): %v", r.Base, r.Kind.Name, r.Desc, r.Err)
		}
	}
	if p := os.Getenv("NGINXLINT_MUTATION_REPORT"); p != "" {
		var b bytes.Buffer
		b.Write(table.Bytes())
		fmt.Fprintf(&b, "\nunusable configurations:\n%s\n\nnginx's messages on the kept mutants:\n", strings.Join(unusable, "\n"))
		judge.WriteMessages(&b, plan.Kinds, results)
		fmt.Fprintf(&b, "\nmisses:\n")
		judge.WriteMisses(&b, plan.Kinds, results, 0)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Error(err)
		}
	} else {
		var b bytes.Buffer
		judge.WriteMisses(&b, plan.Kinds, results, 2)
		if b.Len() > 0 {
			t.Logf("some misses (NGINXLINT_MUTATION_REPORT=FILE lists all):\n%s", b.String())
		}
	}

	// The harness works: every kind yields mutants nginx refuses.
	for _, r := range rows {
		if r.Kept == 0 {
			t.Errorf("kind %s: no mutant that nginx refuses (%d generated): the kind is broken", r.Kind, r.Generated)
		}
	}
	// The figures do not fall below their floors.
	for _, r := range rows {
		floor := MutationMinimums[r.Kind]
		if r.DetectedPct() < floor.Detected || r.AtLinePct() < floor.AtLine {
			t.Errorf("%s: %.1f%% detected, %.1f%% at nginx's line; the minimums are %.0f%% and %.0f%% (goal: %d%% and %d%% in total, %d%% per kind)",
				r.Kind, r.DetectedPct(), r.AtLinePct(), floor.Detected, floor.AtLine, mutationGoalDetected, mutationGoalAtLine, mutationGoalPerKind)
		}
	}
	if os.Getenv("NGINXLINT_MUTATION_FLOORS") != "" {
		var b strings.Builder
		for _, r := range rows {
			fmt.Fprintf(&b, "\t%q: {Detected: %v, AtLine: %v},\n", r.Kind, math.Floor(r.DetectedPct()), math.Floor(r.AtLinePct()))
		}
		t.Logf("measured floors:\n%s", b.String())
	}
}

// mutationConfigs returns the configurations the harness mutates: those
// of NGINXLINT_MUTATION_CONFIGS, or the corpus entries nginx accepts.
func mutationConfigs(t *testing.T) []judge.Config {
	if env := os.Getenv("NGINXLINT_MUTATION_CONFIGS"); env != "" {
		var out []judge.Config
		for _, p := range filepath.SplitList(env) {
			path, ctx, _ := strings.Cut(p, "@")
			if fi, err := os.Stat(path); err == nil && fi.IsDir() {
				path = filepath.Join(path, "nginx.conf")
			}
			out = append(out, judge.Config{Name: p, Path: path, Context: ctx})
		}
		return out
	}
	data, err := os.ReadFile(filepath.Join(corpusDir, "ORACLE.tsv"))
	if os.IsNotExist(err) {
		t.Skipf("corpus not found at %s: set NGINXLINT_CORPUS to its directory", corpusDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []judge.Config
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 8 || f[4] != "ok" || strings.HasPrefix(f[1], "(stack)") {
			continue
		}
		ctx := f[3] // the harness nginx accepted it in: main, http, server, location
		if !slices.Contains(syntax.Contexts, ctx) {
			continue
		}
		out = append(out, judge.Config{Name: f[0] + "/" + f[1], Path: filepath.Join(corpusDir, f[0], filepath.FromSlash(f[1])), Context: ctx})
	}
	return out
}

// prepareBases prepares the configurations in parallel, in order.
func prepareBases(t *testing.T, configs []judge.Config, ng *judge.Nginx) ([]*judge.Base, []string, error) {
	work := t.TempDir()
	type out struct {
		b   *judge.Base
		err error
	}
	outs := make([]out, len(configs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	for i, c := range configs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			b, err := judge.Prepare(c, filepath.Join(work, fmt.Sprint(i)), ng)
			outs[i] = out{b, err}
		}()
	}
	wg.Wait()
	var bases []*judge.Base
	var unusable []string
	for i, o := range outs {
		switch {
		case o.err == nil:
			bases = append(bases, o.b)
		case judge.IsUnusable(o.err):
			unusable = append(unusable, configs[i].Name+": "+o.err.Error())
		default:
			return nil, nil, fmt.Errorf("%s: %v", configs[i].Name, o.err)
		}
	}
	return bases, unusable, nil
}

// mutationLinter lints a tree as "nginxlint --nginx-version VERSION
// [--context C] PATH" does: every rule, no manifest, no configuration
// file; it returns the error findings.
func mutationLinter(version string) judge.Linter {
	return func(path, ctx string) ([]judge.Finding, error) {
		tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Path: path, Context: ctx})
		if err != nil {
			return nil, err
		}
		ds, err := driver.Run(tree, rules.All(), driver.Config{NginxVersion: version})
		if err != nil {
			return nil, err
		}
		var out []judge.Finding
		for _, d := range ds {
			if d.Severity < lint.Error {
				continue
			}
			f := judge.Finding{Rule: d.Rule, Msg: d.Message}
			if d.File != nil {
				f.File = strings.TrimPrefix(d.File.Virtual, tree.Prefix+"/")
				f.Line = d.File.Position(d.Start).Line
			}
			out = append(out, f)
		}
		return out, nil
	}
}

// TestMutationMinimums checks that the table of floors names the kinds of
// internal/mutate, so that a renamed kind does not lose its floor.
func TestMutationMinimums(t *testing.T) {
	for name, m := range MutationMinimums {
		if name != "total" && mutate.KindNamed(name) == nil {
			t.Errorf("MutationMinimums names %q, which is no kind of internal/mutate", name)
		}
		if m.Detected < m.AtLine || m.Detected > 100 || m.AtLine < 0 {
			t.Errorf("MutationMinimums[%q] = %+v: at-line cannot exceed detected", name, m)
		}
	}
	for _, k := range mutate.Kinds() {
		if _, ok := MutationMinimums[k.Name]; !ok {
			t.Errorf("kind %s has no entry in MutationMinimums", k.Name)
		}
	}
}
