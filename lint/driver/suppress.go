package driver

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Suppression comments, in the manner of staticcheck's //lint:ignore:
//
//	# nginxlint:ignore RULE[,RULE...] reason
//	# nginxlint:file-ignore RULE[,RULE...] reason
//
// An ignore on its own line applies to the directive that starts the next
// line (comment lines in between are skipped), and, for a block directive,
// to everything in its block. An ignore at the end of a line applies to the
// last directive whose header (its name, arguments and ";" or "{") is on
// that line, in part or whole, and to its block when the "{" is on that
// line. A file-ignore applies to the whole file it is written in.
// Suppressions never reach into other files: an ignore in front of an
// include directive does not cover the included files.
//
// A suppression hides a finding, never a failure to read the tree: an
// ignore naming one of the Fatal rules (syntax, include) is reported and
// suppresses nothing. include-outside-tree, which says that part of the
// configuration was not checked, is suppressed only include by include:
// by an ignore attached to the include directive itself, never by a
// file-ignore or an ignore on a block (which would also hide the next
// include that leaves the tree).

const (
	ignoreVerb     = "nginxlint:ignore"
	fileIgnoreVerb = "nginxlint:file-ignore"

	// outsideRuleID is include-outside-tree, suppressed only at the
	// include directive itself.
	outsideRuleID = syntax.KindOutside
)

// ignoreComment is one nginxlint:ignore or nginxlint:file-ignore comment.
type ignoreComment struct {
	file     *syntax.File
	start    int // the '#'
	end      int // end of the comment, before any "\r"
	fileWide bool
	ownLine  bool // nothing but blanks before the '#' on its line
	line     int
	ids      []ignoreID
	reason   string
	// lo and hi delimit the findings a directive ignore covers (by their
	// start offset); valid when attached.
	lo, hi   int
	attached bool
}

// ignoreID is one rule ID named by an ignore comment.
type ignoreID struct {
	id         string
	start, end int
	active     bool // a known rule, in an ignore with a reason
	used       bool
}

func (ig *ignoreComment) verb() string {
	if ig.fileWide {
		return fileIgnoreVerb
	}
	return ignoreVerb
}

// ApplySuppressions removes suppressed findings and adds findings about the
// ignore comments themselves (rule IgnoreRuleID, severity sev). files are
// all files of the tree (tree.Files).
//
// known lists the valid rule IDs. A rule whose entry is true ran in this
// run, so an ignore of it that suppressed nothing is stale and reported; an
// entry set to false marks a valid rule that did not run (disabled, or
// skipped for want of a manifest), whose ignores are left alone.
//
// The app configurations a run reads (gunicorn.conf.py, uwsgi.ini,
// compose.yaml ...) take the same comments, in their own comment syntax
// ("# nginxlint:ignore ..." or "; nginxlint:ignore ..."), which their
// readers record in the file's Comments; having no directives, an
// ignore there applies to lines (see attachLines). appFiles are those
// files (the driver passes the run's, read.Set.Files).
//
// The result is sorted and deduplicated like SortDiagnostics.
func ApplySuppressions(files []*syntax.File, diags []lint.Diagnostic, known map[string]bool, sev lint.Severity, appFiles ...*syntax.File) []lint.Diagnostic {
	var out []lint.Diagnostic
	report := func(f *syntax.File, start, end int, fix *lint.Fix, format string, args ...any) {
		d := lint.Diagnostic{Rule: IgnoreRuleID, Severity: sev, File: f, Start: start, End: end, Message: fmt.Sprintf(format, args...)}
		if fix != nil {
			d.Fixes = []lint.Fix{*fix}
		}
		out = append(out, d)
	}

	// Index the ignore comments of every file.
	byFile := map[*syntax.File][]*ignoreComment{}
	seen := map[*syntax.File]bool{}
	for _, f := range files {
		if f == nil || seen[f] {
			continue
		}
		seen[f] = true
		if igs := scanIgnores(f, known, report, false); len(igs) > 0 {
			byFile[f] = igs
		}
	}
	files = slices.Clip(files)
	for _, f := range appFiles {
		if f == nil || seen[f] {
			continue
		}
		seen[f] = true
		files = append(files, f)
		if igs := scanIgnores(f, known, report, true); len(igs) > 0 {
			byFile[f] = igs
		}
	}

	// Sort a copy of the findings: within one file they are then ordered
	// by start offset, as the sweep below needs.
	ds := Sort(append([]lint.Diagnostic(nil), diags...))
	inFile := map[*syntax.File][]int{}
	for i, d := range ds {
		if _, ok := byFile[d.File]; ok && d.Rule != IgnoreRuleID {
			inFile[d.File] = append(inFile[d.File], i)
		}
	}
	drop := make([]bool, len(ds))
	for f, igs := range byFile {
		suppressInFile(igs, ds, inFile[f], drop)
	}
	for i, d := range ds {
		if !drop[i] {
			out = append(out, d)
		}
	}

	// Report ignores that suppressed nothing. Files are visited in the
	// order given, comments in source order.
	for _, f := range files {
		for _, ig := range byFile[f] {
			if !ig.attached && !ig.fileWide {
				continue
			}
			var unused []*ignoreID
			active := 0
			for i := range ig.ids {
				id := &ig.ids[i]
				if !id.active {
					continue
				}
				active++
				if !id.used && known[id.id] {
					unused = append(unused, id)
				}
			}
			if len(unused) == 0 {
				continue
			}
			where := "here"
			if ig.fileWide {
				where = "in this file"
			}
			if len(unused) == active {
				names := make([]string, len(unused))
				for i, id := range unused {
					names[i] = id.id
				}
				fix := &lint.Fix{Message: "remove the unused " + ig.verb() + " comment", Edits: []lint.TextEdit{removeComment(ig)}}
				report(f, ig.start, ig.end, fix, "this %s suppresses nothing (no %s finding %s); remove it", ig.verb(), textutil.OrList(names), where)
				continue
			}
			for _, id := range unused {
				report(f, id.start, id.end, nil, "this %s suppresses no %s finding %s; remove %s from it", ig.verb(), id.id, where, id.id)
			}
		}
	}
	return Sort(out)
}

// scanIgnores parses the nginxlint comments of f, reports malformed ones
// and attaches directive ignores to their directives, or, with lines (an
// app configuration), to lines (see attachLines).
func scanIgnores(f *syntax.File, known map[string]bool, report func(*syntax.File, int, int, *lint.Fix, string, ...any), lines bool) []*ignoreComment {
	var igs []*ignoreComment
	// wantStart and wantTrail collect the lines whose directives ignores
	// attach to.
	var wantStart, wantTrail map[int]bool
	src := f.Src
	// runEnd is the index of the first comment after the run of comment
	// lines last looked at; runTarget the line after that run.
	runEnd, runTarget := 0, 0
	for ci, c := range f.Comments {
		text := c.Text(f)
		body := strings.TrimLeft(text, " \t")
		if !strings.HasPrefix(body, "nginxlint:") {
			continue
		}
		base := int(c.Start) + 1 + len(text) - len(body)
		fields := commentFields(body, base)
		verb := fields[0]
		ig := &ignoreComment{file: f, start: int(c.Start), end: int(c.End)}
		switch verb.text {
		case ignoreVerb:
		case fileIgnoreVerb:
			ig.fileWide = true
		case "nginxlint:":
			// "# nginxlint: ..." is prose, not a suppression.
			continue
		default:
			report(f, verb.start, verb.end, nil, "unknown comment %q: write \"# %s RULE reason\" or \"# %s RULE reason\"", verb.text, ignoreVerb, fileIgnoreVerb)
			continue
		}
		fields = fields[1:]

		// The rule list is the next field; "a, b" is read as "a,b".
		n := 0
		for n < len(fields) {
			n++
			if !strings.HasSuffix(fields[n-1].text, ",") {
				break
			}
		}
		for _, fl := range fields[:n] {
			off := fl.start
			for _, id := range strings.Split(fl.text, ",") {
				if id != "" {
					ig.ids = append(ig.ids, ignoreID{id: id, start: off, end: off + len(id)})
				}
				off += len(id) + 1
			}
		}
		if n < len(fields) {
			ig.reason = strings.TrimSpace(src[fields[n].start:c.End])
		}
		if len(ig.ids) == 0 {
			report(f, ig.start, ig.end, nil, "this %s names no rule: write \"# %s RULE reason\"", verb.text, verb.text)
			continue
		}
		for i := range ig.ids {
			id := &ig.ids[i]
			switch _, ok := known[id.id]; {
			case id.id == IgnoreRuleID:
				report(f, id.start, id.end, nil, "findings of %s cannot be suppressed: fix or remove the comment they are about", IgnoreRuleID)
			case IsFatal(id.id):
				report(f, id.start, id.end, nil, "findings of %s cannot be suppressed: nginx refuses the whole configuration while one is there, whatever the reason; fix it instead", id.id)
			case id.id == outsideRuleID && ig.fileWide:
				report(f, id.start, id.end, nil, "%s cannot be suppressed for a whole file, which would also hide the next include that leaves the tree: put \"# %s %s reason\" on the include's line or the line above it", outsideRuleID, ignoreVerb, outsideRuleID)
			case !ok:
				report(f, id.start, id.end, nil, "unknown rule %q in %s%s (see 'nginxlint rules')", id.id, verb.text, textutil.DidYouMean(id.id, known))
			default:
				id.active = ig.reason != ""
			}
		}
		if ig.reason == "" {
			report(f, ig.start, ig.end, nil, "this %s has no reason, so it suppresses nothing: write why the finding is acceptable, as in \"# %s %s legacy port, removed after the migration\"", verb.text, verb.text, ig.ids[0].id)
			continue
		}
		igs = append(igs, ig)
		if ig.fileWide {
			continue
		}
		pos := f.Position(ig.start)
		ig.line = pos.Line
		ig.ownLine = strings.TrimLeft(src[ig.start-pos.Column+1:ig.start], " \t") == ""
		if ig.ownLine {
			// Skip the comment lines that follow. Comments of one run of
			// comment lines share the run's target line.
			if ci >= runEnd {
				runTarget, runEnd = ig.line+1, ci+1
				for _, next := range f.Comments[ci+1:] {
					np := f.Position(int(next.Start))
					if np.Line != runTarget || strings.TrimLeft(src[int(next.Start)-np.Column+1:next.Start], " \t") != "" {
						break
					}
					runTarget++
					runEnd++
				}
			}
			target := runTarget
			ig.line = target
			if wantStart == nil {
				wantStart = map[int]bool{}
			}
			wantStart[target] = true
		} else {
			if wantTrail == nil {
				wantTrail = map[int]bool{}
			}
			wantTrail[ig.line] = true
		}
	}
	if len(wantStart) == 0 && len(wantTrail) == 0 {
		return igs
	}
	if lines {
		attachLines(f, igs, report)
		return igs
	}

	// Find, on the lines that matter, the first directive that starts
	// there, and the last one whose header (from its name to its ";" or
	// "{") touches it. Headers do not overlap, so this visits each line
	// at most once per directive that starts on it.
	firstStart := map[int]syntax.Directive{}
	lastTouch := map[int]syntax.Directive{}
	var walk func([]syntax.Directive)
	walk = func(ds []syntax.Directive) {
		for _, d := range ds {
			line := f.Position(int(d.Start())).Line
			if wantStart[line] {
				if p := firstStart[line]; p.IsZero() || d.Start() < p.Start() {
					firstStart[line] = d
				}
			}
			if len(wantTrail) > 0 {
				last := f.Position(int(headerEnd(d))).Line
				for l := line; l <= last; l++ {
					if wantTrail[l] {
						if p := lastTouch[l]; p.IsZero() || d.Start() > p.Start() {
							lastTouch[l] = d
						}
					}
				}
			}
			walk(d.Block())
		}
	}
	walk(f.Directives())

	for _, ig := range igs {
		if ig.fileWide {
			continue
		}
		var d syntax.Directive
		if ig.ownLine {
			d = firstStart[ig.line]
		} else {
			d = lastTouch[ig.line]
		}
		if d.IsZero() {
			if ig.ownLine {
				report(f, ig.start, ig.end, nil, "this %s is not followed by a directive on the next line, so it suppresses nothing: put it right above the directive, or at the end of the directive's line", ignoreVerb)
			} else {
				report(f, ig.start, ig.end, nil, "this %s is not at the end of a directive's line, so it suppresses nothing: put it right above the directive, or at the end of the directive's line", ignoreVerb)
			}
			continue
		}
		ig.attached = true
		ig.lo, ig.hi = int(d.Start()), int(d.End())
		if d.IsBlock() {
			for i := range ig.ids {
				if id := &ig.ids[i]; id.active && id.id == outsideRuleID {
					id.active = false
					report(f, id.start, id.end, nil, "%s cannot be suppressed for a whole block, which would also hide the next include that leaves the tree: put this comment on the include's line or the line above it", outsideRuleID)
				}
			}
		}
		if !ig.ownLine && d.IsBlock() && f.Position(int(d.LBrace())).Line != ig.line {
			// A trailing ignore on a header whose "{" is on a later line
			// covers the header only.
			ig.hi = int(d.LBrace())
		}
		if ig.hi <= ig.lo {
			ig.hi = ig.lo + 1
		}
	}
	return igs
}

// headerEnd returns the offset of the byte that ends d's header: its "{"
// for a block directive, its ";" otherwise.
func headerEnd(d syntax.Directive) int32 {
	if d.IsBlock() {
		return d.LBrace()
	}
	if d.End() > d.Start() {
		return d.End() - 1
	}
	return d.Start()
}

// suppressInFile drops the findings ds[idx] (sorted by start offset, all
// in one file) that the ignores of that file cover. Directive ignores
// cover nested or disjoint ranges (directives nest), so a stack sweep
// finds for each finding the innermost ignore naming its rule.
func suppressInFile(igs []*ignoreComment, ds []lint.Diagnostic, idx []int, drop []bool) {
	if len(idx) == 0 {
		return
	}
	fileWide := map[string]*ignoreID{}
	var ranged []*ignoreComment
	for _, ig := range igs {
		if ig.fileWide {
			for i := range ig.ids {
				if id := &ig.ids[i]; id.active && fileWide[id.id] == nil {
					fileWide[id.id] = id
				}
			}
		} else if ig.attached {
			ranged = append(ranged, ig)
		}
	}
	sort.SliceStable(ranged, func(i, j int) bool {
		a, b := ranged[i], ranged[j]
		if a.lo != b.lo {
			return a.lo < b.lo
		}
		return a.hi > b.hi
	})

	var stack []*ignoreComment
	byRule := map[string][]*ignoreID{}
	pop := func() {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for i := range top.ids {
			if id := &top.ids[i]; id.active {
				s := byRule[id.id]
				byRule[id.id] = s[:len(s)-1]
			}
		}
	}
	popEnded := func(at int) {
		for len(stack) > 0 && stack[len(stack)-1].hi <= at {
			pop()
		}
	}
	next := 0
	for _, i := range idx {
		d := &ds[i]
		for next < len(ranged) && ranged[next].lo <= d.Start {
			ig := ranged[next]
			next++
			popEnded(ig.lo)
			stack = append(stack, ig)
			for k := range ig.ids {
				if id := &ig.ids[k]; id.active {
					byRule[id.id] = append(byRule[id.id], id)
				}
			}
		}
		popEnded(d.Start + 1)
		if s := byRule[d.Rule]; len(s) > 0 {
			s[len(s)-1].used = true
			drop[i] = true
		} else if id := fileWide[d.Rule]; id != nil {
			id.used = true
			drop[i] = true
		}
	}
}

// removeComment returns the edit that deletes an ignore comment: its whole
// line when it stands alone, else the comment and the blanks before it.
func removeComment(ig *ignoreComment) lint.TextEdit {
	src := ig.file.Src
	start, end := ig.start, ig.end
	for start > 0 && (src[start-1] == ' ' || src[start-1] == '\t') {
		start--
	}
	if start == 0 || src[start-1] == '\n' {
		// The comment stands alone: remove its line ending too.
		switch {
		case strings.HasPrefix(src[end:], "\r\n"):
			end += 2
		case strings.HasPrefix(src[end:], "\n"), strings.HasPrefix(src[end:], "\r"):
			end++
		}
	}
	return lint.TextEdit{File: ig.file, Start: start, End: end}
}

// commentField is one blank-separated word of a comment, with its offsets
// in the file.
type commentField struct {
	text       string
	start, end int
}

// commentFields splits s, which starts at offset base of its file, at
// blanks; it returns at least one field.
func commentFields(s string, base int) []commentField {
	var fs []commentField
	for i := 0; i < len(s); {
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isBlank(s[j]) {
			j++
		}
		if j > i {
			fs = append(fs, commentField{text: s[i:j], start: base + i, end: base + j})
		}
		i = j
	}
	if len(fs) == 0 {
		fs = append(fs, commentField{start: base, end: base})
	}
	return fs
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }

// attachLines attaches the ignores of f, an app configuration, which
// has lines rather than directives: an ignore at the end of a line
// applies to that line; one on its own line (and the comment lines
// right after it) to the next line and to the lines below it that are
// more indented (a YAML mapping's entries, a Python bracket's lines),
// as an ignore above a block directive covers its block.
func attachLines(f *syntax.File, igs []*ignoreComment, report func(*syntax.File, int, int, *lint.Fix, string, ...any)) {
	blockEnd := map[int]int{} // target line -> end of its block: a run of ignores shares it
	for _, ig := range igs {
		if ig.fileWide {
			continue
		}
		if !ig.ownLine {
			ig.lo, ig.hi = f.LineStart(ig.line), lineEnd(f.Src, f.LineStart(ig.line))+1
			ig.attached = true
			continue
		}
		start := f.LineStart(ig.line)
		text := f.Line(ig.line)
		body := strings.TrimLeft(text, " \t")
		if start >= len(f.Src) || body == "" {
			report(f, ig.start, ig.end, nil, "this %s is not followed by a line it applies to (the next line is blank, or there is none), so it suppresses nothing: put it right above the line, or at the end of the line", ignoreVerb)
			continue
		}
		// hi is past the line's "\n": a finding on its last byte is in.
		ig.lo, ig.hi, ig.attached = start, lineEnd(f.Src, start)+1, true
		if end, ok := blockEnd[ig.line]; ok {
			ig.hi = end
			continue
		}
		indent := len(text) - len(body)
		for next := ig.hi; next < len(f.Src); {
			end := lineEnd(f.Src, next)
			line := strings.TrimRight(f.Src[next:end], "\r")
			b := strings.TrimLeft(line, " \t")
			if b != "" {
				if len(line)-len(b) <= indent {
					break
				}
				ig.hi = end + 1
			}
			next = end + 1
		}
		blockEnd[ig.line] = ig.hi
	}
}

// lineEnd returns the offset of the "\n" that ends the line holding
// offset i, or len(src).
func lineEnd(src string, i int) int {
	if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}
