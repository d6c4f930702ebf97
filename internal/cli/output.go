package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/lint/format"
)

// outputs is what a run writes: the report on standard output in
// --format (unless an --output names "-"), and in each --output
// FORMAT=FILE. It also collects why the run failed, so that on exit 2
// every machine format still writes a document that says so (see
// finish). It is the flag.Value of --output.
type outputs struct {
	specs []outputSpec
	// errors are the reasons the run failed, in the order they were met.
	errors []format.RunError
	// stdout is the format of standard output once the run resolved it
	// (--format or the configuration's format key); "" before.
	stdout string
	// written is set once the report was written.
	written bool
}

// outputSpec is one --output FORMAT=FILE.
type outputSpec struct {
	format *format.Format
	file   string // "-" for standard output
}

func (o *outputs) String() string {
	if o == nil {
		return ""
	}
	var s []string
	for _, sp := range o.specs {
		s = append(s, sp.format.Name+"="+sp.file)
	}
	return strings.Join(s, " ")
}

// Set takes one --output FORMAT=FILE.
func (o *outputs) Set(v string) error {
	name, file, ok := strings.Cut(v, "=")
	if !ok || file == "" {
		return fmt.Errorf("%q: write FORMAT=FILE, e.g. sarif=nginxlint.sarif (FILE - is standard output)", v)
	}
	f := format.Lookup(name)
	if f == nil {
		return fmt.Errorf("%q: no format %q; use one of %s", v, name, strings.Join(format.Names(), ", "))
	}
	for _, sp := range o.specs {
		switch {
		case file == "-" && sp.file == "-":
			return fmt.Errorf("%q: standard output already takes %s (--output %s=-); name a file for one of them", v, sp.format.Name, sp.format.Name)
		case file != "-" && filepath.Clean(sp.file) == filepath.Clean(file):
			return fmt.Errorf("%q: %s is already written in %s; give each format its own file", v, file, sp.format.Name)
		}
	}
	o.specs = append(o.specs, outputSpec{format: f, file: file})
	return nil
}

// toStdout reports whether an --output writes standard output.
func (o *outputs) toStdout() bool {
	return o != nil && slices.ContainsFunc(o.specs, func(sp outputSpec) bool { return sp.file == "-" })
}

// failf records a reason the run failed, without a place.
func (o *outputs) failf(msg string, args ...any) {
	if o == nil {
		return
	}
	o.errors = append(o.errors, format.RunError{Message: fmt.Sprintf(msg, args...)})
}

// failAt records a reason the run failed at a place of a file (line 0:
// the file alone).
func (o *outputs) failAt(file string, line, col int, msg string) {
	if o == nil {
		return
	}
	o.errors = append(o.errors, format.RunError{Message: msg, File: file, Line: line, Column: col})
}

// failErr records err: each error of a poserr.List (or a *poserr.Error)
// at its place, any other error by its text.
func (o *outputs) failErr(err error) {
	if o == nil || err == nil {
		return
	}
	var list poserr.List
	var one *poserr.Error
	switch {
	case errors.As(err, &list):
		sorted := slices.Clone(list)
		sorted.Sort()
		for _, e := range sorted {
			if e != nil {
				o.failAt(e.Pos.File, e.Pos.Line, e.Pos.Col, e.Msg)
			}
		}
	case errors.As(err, &one):
		o.failAt(one.Pos.File, one.Pos.Line, one.Pos.Col, one.Msg)
	default:
		o.failf("%s", err.Error())
	}
}

// write writes the report: to standard output in f (unless an --output
// names "-") with opts, and in each --output. With --diff (diff), the text
// format is the unified diff of the fixes and the other formats hold the
// findings those fixes resolve, with them (JSON adds the diff itself).
// Every destination is tried; the first error is returned.
func (o *outputs) write(env Env, f *format.Format, r *format.Report, opts format.Options, diff bool) error {
	o.written = true
	o.stdout = f.Name
	r.Errors = o.errors
	r.Version = readBuildVersion(env.Version).Version
	if diff {
		edits, _ := fix.Plan(r.Diagnostics)
		fixable := []lint.Diagnostic{}
		for _, e := range edits {
			fixable = append(fixable, e.Applied...)
		}
		slices.SortStableFunc(fixable, func(a, b lint.Diagnostic) int { return lint.Compare(&a, &b) })
		fixable = slices.CompactFunc(fixable, func(a, b lint.Diagnostic) bool { return lint.Same(&a, &b) })
		dr := *r
		dr.Diagnostics, dr.Diff = fixable, fix.UnifiedDiff(edits)
		r = &dr
	}
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	// The diff is written as it is to a file; to a terminal, a pipe or a
	// CI log, the lines that hold what those would obey are shown made
	// safe, and standard error says how to get the diff whole.
	stdoutReport := r
	if diff && !isRegularFile(env.Stdout) {
		if safe, n := safeDiff(r.Diff); n > 0 {
			sr := *r
			sr.Diff = safe
			stdoutReport = &sr
			defer logf(env.Stderr, "nginxlint: %s of the diff hold what a terminal or a CI log would obey (control characters, workflow command markers): it is shown as U+FFFD there, and that diff does not apply; write it to a file (--output text=FILE, or redirect standard output) to apply it\n", plural(n, "line"))
		}
	}
	if !o.toStdout() {
		keep(writeFormat(env.Stdout, f, stdoutReport, opts, diff))
	}
	for _, sp := range o.specs {
		if sp.file == "-" {
			keep(writeFormat(env.Stdout, sp.format, stdoutReport, opts, diff))
			continue
		}
		keep(writeFileAtomic(sp.file, func(w io.Writer) error {
			return writeFormat(w, sp.format, r, format.Options{ShowErrors: true}, diff)
		}))
	}
	return first
}

// safeDiff returns the unified diff d with each line that holds what a
// terminal or a CI runner would obey made safe (textutil.LogSafe, and
// "::" after the line's blanks broken), and the number of such lines.
func safeDiff(d string) (string, int) {
	var b strings.Builder
	n := 0
	for line := range strings.SplitAfterSeq(d, "\n") {
		body := strings.TrimSuffix(line, "\n")
		safe := textutil.NoCommands(textutil.LogSafe(body, false))
		if safe != body {
			n++
		}
		b.WriteString(safe)
		b.WriteString(line[len(body):])
	}
	return b.String(), n
}

// isRegularFile reports whether w is an open regular file (standard
// output redirected to a file).
func isRegularFile(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode().IsRegular()
}

// writeFormat writes r in f; with --diff, the text format is the diff.
func writeFormat(w io.Writer, f *format.Format, r *format.Report, opts format.Options, diff bool) error {
	if diff && f == format.Text {
		text := r.Diff
		if opts.ShowErrors {
			var b strings.Builder
			format.Text.Write(&b, &format.Report{Errors: r.Errors}, format.Options{ShowErrors: true}) //nolint:errcheck // a strings.Builder does not fail
			text += b.String()
		}
		_, err := io.WriteString(w, text)
		return err
	}
	return f.Write(w, r, opts)
}

// finish ends a run whose exit code is code: when the report was not
// written (the run stopped early, exit 2, or found nothing to lint), it
// writes one now, empty but for why the run failed, so that a CI step
// that uploads the SARIF or Code Quality file finds a valid document
// that says what went wrong. Standard output gets it in a machine
// format only: in text, standard error already said it all.
func (o *outputs) finish(code int, opt options, env Env) int {
	if o == nil || o.written {
		return code
	}
	if code == ExitFailure && len(o.errors) == 0 {
		o.failf("nginxlint could not complete the run; its standard error says why")
	}
	stdout := format.Lookup(o.stdout)
	if stdout == nil {
		stdout = format.Lookup(opt.format)
	}
	if stdout == nil || stdout == format.Text && !o.toStdout() {
		// Nothing for standard output, but still the files.
		stdout = nil
	}
	r := &format.Report{}
	sink := env
	if stdout == nil {
		stdout, sink.Stdout = format.Text, io.Discard
	}
	if err := o.write(sink, stdout, r, format.Options{}, false); err != nil {
		logf(env.Stderr, "nginxlint: writing output: %v\n", err)
		return ExitFailure
	}
	return code
}

// writeFileAtomic writes a file whole: into a temporary file in the same
// directory, renamed over name once complete, so that a reader never
// sees half a report and a failed write leaves the previous file.
func writeFileAtomic(name string, write func(io.Writer) error) error {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	done := false
	defer func() {
		if !done {
			// Already failing: the first error is the one to report.
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		_ = os.Remove(tmp.Name()) // the rename's error is the one to report
		done = true
		return fmt.Errorf("%s: %w", name, err)
	}
	done = true
	return nil
}
