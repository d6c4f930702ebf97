package cli

import (
	"slices"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// suppress writes, for nginxlint suppress --reason TEXT, an ignore
// comment on the line above the directive of each finding, with the
// directive's indentation, in the syntax the driver reads (see
// driver.IgnoreComment): one comment per directive, naming its rules.
// Where a directive does not start its line (location / { proxy_pass
// ...; }), the comment goes above the nearest block around it that does,
// and covers that block; a finding in no directive at the start of a
// file (not-loaded) gets a file-ignore at the top. Findings that say
// nginx refuses the tree (driver.Fatal), findings about ignore comments,
// and findings in files that are not the tree's own (the manifest, the
// package's files, a dump) get none. Nothing is written unless every tree
// was read completely. A second run adds nothing: what the first one
// wrote suppresses its findings.
//
// The exit status is that of the findings left, as after --fix.
func (o *options) suppress(ds []lint.Diagnostic, incomplete bool, failOn lint.Severity, env Env) int {
	if incomplete {
		logf(env.Stderr, "nginxlint: suppress wrote nothing: a tree was not read completely (see above), and comments are written only when every tree is\n")
		return ExitFailure
	}
	plan := planSuppressions(ds, o.sub.reason)
	if len(plan.edits) > 0 {
		if err := fix.Write(plan.edits); err != nil {
			logf(env.Stderr, "nginxlint: %v\n", err)
			return ExitFailure
		}
	}
	for _, s := range plan.skipped {
		logf(env.Stderr, "nginxlint: %s: [%s] not suppressed: %s\n", findingPos(s.d), s.d.Rule, s.why)
	}
	switch {
	case plan.comments == 0 && len(plan.skipped) == 0:
		logf(env.Stderr, "nginxlint: nothing to suppress\n")
	case plan.comments > 0:
		logf(env.Stderr, "nginxlint: wrote %s for %s in %s\n", plural(plan.comments, "ignore comment"), plural(plan.suppressed, "finding"), plural(len(plan.edits), "file"))
	}
	left := make([]lint.Diagnostic, len(plan.skipped))
	for i, s := range plan.skipped {
		left[i] = s.d
	}
	return exitCode(false, left, failOn)
}

func findingPos(d lint.Diagnostic) string {
	if d.File == nil {
		return "-"
	}
	return d.File.Position(d.Start).String()
}

// suppressPlan is what suppress writes.
type suppressPlan struct {
	edits      []fix.FileEdit
	comments   int // comments written
	suppressed int // findings they suppress
	skipped    []skippedFinding
}

type skippedFinding struct {
	d   lint.Diagnostic
	why string
}

// commentAt is one comment to insert: at the start of a line (offset
// at), for the directive that starts there or, fileWide, for the file.
type commentAt struct {
	at       int
	indent   string
	eol      string
	fileWide bool
	rules    []string
}

func planSuppressions(ds []lint.Diagnostic, reason string) suppressPlan {
	var p suppressPlan
	type key struct {
		at       int
		fileWide bool
	}
	byFile := map[*syntax.File]map[key]*commentAt{}
	var files []*syntax.File
	indexes := map[*syntax.File]*syntax.Nesting{}
	for _, d := range ds {
		f := d.File
		switch {
		case f == nil:
			p.skipped = append(p.skipped, skippedFinding{d, "it is in no file"})
			continue
		case driver.IsFatal(d.Rule):
			p.skipped = append(p.skipped, skippedFinding{d, "nginx refuses the tree while it is there: fix it"})
			continue
		case d.Rule == driver.IgnoreRuleID:
			p.skipped = append(p.skipped, skippedFinding{d, "it is about an ignore comment: fix or remove the comment"})
			continue
		case f.Virtual == "" && f.Path != "":
			p.skipped = append(p.skipped, skippedFinding{d, "it is in an app's configuration, whose comments nginxlint does not write: add \"# nginxlint:ignore " + d.Rule + " REASON\" above its line by hand (\";\" instead of \"#\" in a PHP-FPM pool)"})
			continue
		case f.Path == "" || f.Stock:
			p.skipped = append(p.skipped, skippedFinding{d, "it is in a file of no nginx configuration on disk (the manifest, a file of the nginx package, or a dump): fix it there"})
			continue
		}
		ix := indexes[f]
		if ix == nil {
			ix = syntax.NewNesting(f)
			indexes[f] = ix
		}
		at, why := driver.PlaceIgnore(ix, d)
		if why != "" {
			p.skipped = append(p.skipped, skippedFinding{d, why})
			continue
		}
		c := &commentAt{at: at.At, indent: at.Indent, eol: at.EOL, fileWide: at.FileWide, rules: []string{d.Rule}}
		if byFile[f] == nil {
			byFile[f] = map[key]*commentAt{}
			files = append(files, f)
		}
		k := key{c.at, c.fileWide}
		if have := byFile[f][k]; have != nil {
			have.rules = append(have.rules, c.rules...)
		} else {
			byFile[f][k] = c
		}
		p.suppressed++
	}
	for _, f := range files {
		var cs []*commentAt
		for _, c := range byFile[f] {
			slices.Sort(c.rules)
			c.rules = slices.Compact(c.rules)
			cs = append(cs, c)
		}
		// By offset; a file-ignore before a directive's comment at the
		// same place (the file's first line).
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].at != cs[j].at {
				return cs[i].at < cs[j].at
			}
			return cs[i].fileWide
		})
		var b strings.Builder
		var edits []lint.TextEdit
		last := 0
		for _, c := range cs {
			text := c.indent + driver.IgnoreComment(c.rules, reason, c.fileWide) + c.eol
			b.WriteString(f.Src[last:c.at])
			b.WriteString(text)
			last = c.at
			edits = append(edits, lint.TextEdit{File: f, Start: c.at, End: c.at, NewText: text})
		}
		b.WriteString(f.Src[last:])
		p.comments += len(cs)
		p.edits = append(p.edits, fix.FileEdit{File: f, New: b.String(), Edits: edits})
	}
	sort.Slice(p.edits, func(i, j int) bool { return p.edits[i].File.Name < p.edits[j].File.Name })
	return p
}
