package judge

import (
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/nginxlint/nginxlint/internal/mutate"
)

// Finding is an error finding of the linter under test.
type Finding struct {
	// File is the file's path relative to the tree; Line its 1-based
	// line.
	File string
	Line int
	Rule string
	Msg  string
}

// Linter lints the configuration whose main file is path, read in context
// ctx, as the linter's command line would, and returns its error findings
// (not the warnings).
type Linter func(path, ctx string) ([]Finding, error)

// Plan says which mutants Measure makes.
type Plan struct {
	Kinds []*mutate.Kind
	Seed  uint64
	// PerKind, when above 0, makes a sample: for each kind, up to PerKind
	// mutants, one per base in a seeded order (then a second round ...),
	// at most Rounds rounds. Otherwise every base gets Rounds mutants of
	// every kind.
	PerKind int
	Rounds  int
	// Workers run nginx and the linter in parallel.
	Workers int
}

// Result is one mutant and what nginx and the linter said of it.
type Result struct {
	Base string
	Kind *mutate.Kind
	// File is the mutated file relative to the tree, Line the line of the
	// edit, Desc what was done.
	File string
	Line int
	Desc string
	// Nginx is nginx -t's verdict; NginxFile the file it names, relative
	// to the tree ("" for none, HarnessFile for the wrapper of a snippet).
	Nginx     Verdict
	NginxFile string
	// Kept: nginx refused the mutant (the base it came from it accepts).
	Kept bool
	// Detected: the linter reported an error; AtLine: one in the file and
	// at the line nginx names (the edit's, when nginx names none).
	Detected, AtLine bool
	Findings         []Finding
	// Err is a failure of the harness on this mutant.
	Err error
}

// HarnessFile stands for the wrapper of a snippet in Result.NginxFile.
const HarnessFile = "(harness wrapper)"

type job struct {
	base *Base
	mut  mutate.Mutant
	i    int
}

// seedFor derives the random source of one mutant.
func seedFor(seed uint64, base, kind string, round int) *rand.Rand {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%d", base, kind, round)
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// mutants makes the mutants of plan from bases, deterministically.
func mutants(bases []*Base, plan Plan) []job {
	var jobs []job
	rounds := max(plan.Rounds, 1)
	for ki, k := range plan.Kinds {
		order := slices.Clone(bases)
		if plan.PerKind > 0 {
			r := rand.New(rand.NewPCG(plan.Seed, uint64(ki)))
			r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		seen := map[string]bool{}
		n := 0
	rounds:
		for round := range rounds {
			for _, b := range order {
				if plan.PerKind > 0 && n >= plan.PerKind {
					break rounds
				}
				m, ok := mutate.Mutate(b.Tree, k, seedFor(plan.Seed, b.Name, k.Name, round), b.Editable)
				if !ok {
					continue
				}
				key := b.Name + "\x00" + m.File.Virtual + "\x00" + m.Src
				if seen[key] {
					continue
				}
				seen[key] = true
				jobs = append(jobs, job{base: b, mut: m, i: len(jobs)})
				n++
			}
		}
	}
	return jobs
}

// Measure makes the mutants of plan, runs nginx -t on each and lints
// those nginx refuses. work is a directory for the copies.
func Measure(bases []*Base, plan Plan, n *Nginx, lint Linter, work string) []Result {
	jobs := mutants(bases, plan)
	results := make([]Result, len(jobs))
	ch := make(chan job)
	var wg sync.WaitGroup
	for range max(plan.Workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				results[j.i] = run(j, n, lint, filepath.Join(work, fmt.Sprint(j.i)))
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	return results
}

// run checks one mutant.
func run(j job, n *Nginx, lint Linter, dir string) Result {
	b, m := j.base, j.mut
	rel := strings.TrimPrefix(m.File.Virtual, b.Tree.Prefix+"/")
	res := Result{Base: b.Name, Kind: m.Kind, File: rel, Line: m.Line, Desc: m.Desc}
	defer func() { _ = os.RemoveAll(dir) }()
	tree := filepath.Join(dir, "tree")
	if err := os.CopyFS(tree, os.DirFS(b.Dir)); err != nil {
		res.Err = err
		return res
	}
	if err := os.WriteFile(filepath.Join(tree, filepath.FromSlash(rel)), []byte(m.Src), 0o644); err != nil {
		res.Err = err
		return res
	}
	scratch := filepath.Join(dir, "nginx")
	main, g, err := n.Sandbox(tree, b.Env, scratch)
	if err != nil {
		res.Err = err
		return res
	}
	v, err := n.Test(scratch, main, g, b.Env.LoopbackIPs)
	if err != nil {
		res.Err = err
		return res
	}
	v.Msg = strings.NewReplacer(filepath.Join(scratch, "conf")+string(filepath.Separator), "", filepath.Join(scratch, "root"), "").Replace(v.Msg)
	res.Nginx = v
	if v.OK {
		return res
	}
	res.Kept = true
	conf := filepath.Join(scratch, "conf") + string(filepath.Separator)
	switch {
	case v.File == "":
	case v.File == filepath.Join(scratch, "conf", wrapperName):
		res.NginxFile = HarnessFile
	case strings.HasPrefix(v.File, conf):
		res.NginxFile = filepath.ToSlash(strings.TrimPrefix(v.File, conf))
	default:
		res.NginxFile = v.File
	}
	path, ctx, err := b.Env.LintPath(tree)
	if err != nil {
		res.Err = err
		return res
	}
	fs, err := lint(path, ctx)
	if err != nil {
		res.Err = err
		return res
	}
	res.Findings = fs
	res.Detected = len(fs) > 0
	wantFile, wantLine := res.NginxFile, v.Line
	if wantFile == "" {
		wantFile, wantLine = res.File, res.Line
	}
	for _, f := range fs {
		if f.File == wantFile && f.Line == wantLine {
			res.AtLine = true
		}
	}
	return res
}

// Row is a line of the table: the figures of one kind, or of all.
type Row struct {
	Kind string
	// Generated mutants; Kept: those nginx refused; Detected, AtLine:
	// those of Kept the linter reports (at nginx's line); NoPos: those of
	// Kept whose nginx message names no line (AtLine then uses the line
	// of the edit).
	Generated, Kept, Detected, AtLine, NoPos int
	Errors                                   int
}

// DetectedPct and AtLinePct are percentages of Kept (100 when none was).
func (r Row) DetectedPct() float64 { return pct(r.Detected, r.Kept) }
func (r Row) AtLinePct() float64   { return pct(r.AtLine, r.Kept) }

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

// Table sums results by kind, in the order of kinds, and in total (the
// last row, Kind "total").
func Table(kinds []*mutate.Kind, results []Result) []Row {
	rows := make([]Row, len(kinds)+1)
	index := map[*mutate.Kind]int{}
	for i, k := range kinds {
		rows[i].Kind = k.Name
		index[k] = i
	}
	rows[len(kinds)].Kind = "total"
	for _, r := range results {
		for _, i := range []int{index[r.Kind], len(kinds)} {
			row := &rows[i]
			row.Generated++
			if r.Err != nil {
				row.Errors++
			}
			if !r.Kept {
				continue
			}
			row.Kept++
			if r.Detected {
				row.Detected++
			}
			if r.AtLine {
				row.AtLine++
			}
			if r.Nginx.File == "" {
				row.NoPos++
			}
		}
	}
	return rows
}

// WriteTable prints rows as a text table.
func WriteTable(w io.Writer, rows []Row) {
	fmt.Fprintf(w, "%-28s %9s %6s %9s %9s %6s\n", "kind", "generated", "kept", "detected", "at-line", "no-pos")
	for _, r := range rows {
		if r.Kind == "total" {
			fmt.Fprintln(w, strings.Repeat("-", 72))
		}
		fmt.Fprintf(w, "%-28s %9d %6d %8.1f%% %8.1f%% %6d", r.Kind, r.Generated, r.Kept, r.DetectedPct(), r.AtLinePct(), r.NoPos)
		if r.Errors > 0 {
			fmt.Fprintf(w, "  (%d harness errors)", r.Errors)
		}
		fmt.Fprintln(w)
	}
}

// WriteMisses prints, per kind, up to max kept mutants the linter missed
// (not detected, or not at nginx's line), with nginx's message.
func WriteMisses(w io.Writer, kinds []*mutate.Kind, results []Result, limit int) {
	for _, k := range kinds {
		n := 0
		for _, r := range results {
			if r.Kind != k || !r.Kept || r.AtLine {
				continue
			}
			if limit > 0 && n >= limit {
				break
			}
			n++
			what := "not detected"
			if r.Detected {
				what = "not at nginx's line"
			}
			where := fmt.Sprintf("%s:%d", r.NginxFile, r.Nginx.Line)
			if r.NginxFile == "" {
				where = fmt.Sprintf("(no position; edit at %s:%d)", r.File, r.Line)
			}
			fmt.Fprintf(w, "%s: %s: %s, %s\n    nginx: %s at %s\n", k.Name, r.Base, r.Desc, what, r.Nginx.Msg, where)
			for _, f := range r.Findings {
				fmt.Fprintf(w, "    nginxlint: %s:%d: %s [%s]\n", f.File, f.Line, f.Msg, f.Rule)
			}
		}
	}
}

// WriteMessages prints, per kind, nginx's messages on the kept mutants
// (quoted names dropped) with how often each came: what the kind's
// mutants really break.
func WriteMessages(w io.Writer, kinds []*mutate.Kind, results []Result) {
	for _, k := range kinds {
		count := map[string]int{}
		for _, r := range results {
			if r.Kind == k && r.Kept {
				count[reason(r.Nginx.Msg)]++
			}
		}
		keys := slices.SortedFunc(maps.Keys(count), func(a, b string) int {
			if count[a] != count[b] {
				return count[b] - count[a]
			}
			return strings.Compare(a, b)
		})
		fmt.Fprintf(w, "%s:\n", k.Name)
		for _, key := range keys {
			fmt.Fprintf(w, "    %5d  %s\n", count[key], key)
		}
	}
}

// reason reduces an nginx message to its kind: quoted names become "…".
func reason(msg string) string {
	var b strings.Builder
	in := false
	for _, c := range msg {
		switch {
		case c == '"':
			if !in {
				b.WriteString(`"…"`)
			}
			in = !in
		case !in:
			b.WriteRune(c)
		}
	}
	return b.String()
}
