// Package fix turns the fixes of findings into new file contents: it
// plans the edits, refuses overlapping ones, renders them as a unified
// diff and writes them back atomically.
package fix

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// FileEdit is the new content of one file after applying fixes.
type FileEdit struct {
	File    *syntax.File
	New     string
	Applied []lint.Diagnostic // the findings whose fixes were applied
	// Edits are the edits that make New from File.Src, sorted and not
	// overlapping (Plan sets them); UnifiedDiff shows the lines they
	// touch. When nil, UnifiedDiff compares the texts line by line.
	Edits []lint.TextEdit
}

// Plan collects the first lint.Fix of every diagnostic that has one, groups
// edits by file, and returns the new content of each changed file (sorted
// by file name), plus the diagnostics whose fix was skipped.
//
// A fix is skipped when one of its edits overlaps an edit already taken:
// their byte ranges intersect, or both are insertions at the same offset
// with different text. An edit identical to one already taken (a duplicate
// finding) is applied once, and does not make its fix skipped. Edits of one
// fix are all-or-nothing: if any of them overlaps, none is applied. A fix
// is also skipped when it is malformed: an edit without a file, with a
// range outside the file's text, or overlapping another edit of the same
// fix.
//
// A fix is also skipped when another finding of the same rule at the same
// place (file and span) proposes a different one: the findings of a file
// included in several places, or read in several trees, that disagree on
// the fix. Which one is right depends on the place, so none is certain.
//
// Fixes are taken in diagnostic order (file name, offset, rule, then end
// and message), whatever the order of diags, so the result is
// deterministic. Every byte not covered by a taken edit is kept as it is.
// A fix whose edits change nothing (empty insertions) is neither applied
// to a file nor skipped.
func Plan(diags []lint.Diagnostic) (edits []FileEdit, skipped []lint.Diagnostic) {
	order := make([]int, len(diags))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return lint.Compare(&diags[order[i]], &diags[order[j]]) < 0 })

	type plan struct {
		file    *syntax.File
		first   int             // the order in which the file was first edited
		taken   []lint.TextEdit // sorted by start, then end
		maxLen  int             // the longest range among taken
		applied []lint.Diagnostic
	}
	plans := map[*syntax.File]*plan{}
	var files []*plan
	disputed := disputedFixes(diags, order)
	for _, i := range order {
		d := diags[i]
		if len(d.Fixes) == 0 {
			continue
		}
		if disputed[i] {
			skipped = append(skipped, d)
			continue
		}
		es, ok := fixEdits(d.Fixes[0])
		if !ok {
			skipped = append(skipped, d)
			continue
		}
		var fresh []lint.TextEdit
		conflict := false
	check:
		for _, e := range es {
			if p := plans[e.File]; p != nil {
				// Only the edits that start from maxLen before e to e's
				// end can touch it: a binary search finds them, so a
				// file of many edits costs n log n, not n squared.
				from := sort.Search(len(p.taken), func(k int) bool { return p.taken[k].Start >= e.Start-p.maxLen })
				for _, t := range p.taken[from:] {
					if t.Start > e.End {
						break
					}
					if fixSameEdit(e, t) {
						continue check // a duplicate finding: taken once
					}
					if fixEditsOverlap(e, t) {
						conflict = true
						break check
					}
				}
			}
			fresh = append(fresh, e)
		}
		if conflict {
			skipped = append(skipped, d)
			continue
		}
		for _, e := range fresh {
			p := plans[e.File]
			if p == nil {
				p = &plan{file: e.File, first: len(files)}
				plans[e.File] = p
				files = append(files, p)
			}
			at := sort.Search(len(p.taken), func(k int) bool {
				t := p.taken[k]
				return t.Start > e.Start || t.Start == e.Start && t.End > e.End
			})
			p.taken = slices.Insert(p.taken, at, e)
			p.maxLen = max(p.maxLen, e.End-e.Start)
		}
		for _, e := range es {
			if p := plans[e.File]; p != nil {
				if n := len(p.applied); n == 0 || !lint.Same(&p.applied[n-1], &d) {
					p.applied = append(p.applied, d)
				}
			}
		}
	}

	sort.SliceStable(files, func(i, j int) bool {
		a, b := files[i].file, files[j].file
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return files[i].first < files[j].first
	})
	for _, p := range files {
		src := p.file.Src // p.taken is sorted: an insertion goes before a replacement starting there
		var b strings.Builder
		b.Grow(len(src))
		at := 0
		for _, e := range p.taken {
			b.WriteString(src[at:e.Start])
			b.WriteString(e.NewText)
			at = e.End
		}
		b.WriteString(src[at:])
		if s := b.String(); s != src {
			edits = append(edits, FileEdit{File: p.file, New: s, Applied: p.applied, Edits: p.taken})
		}
	}
	return edits, skipped
}

// place is where a finding is: its rule, file and span.
type place struct {
	rule       string
	file       *syntax.File
	start, end int
}

// disputedFixes marks the findings (by index in diags; order sorts them)
// whose first fix another finding of the same place does not propose.
// Findings of one place are adjacent in order.
func disputedFixes(diags []lint.Diagnostic, order []int) map[int]bool {
	var disputed map[int]bool
	at := func(i int) place { d := &diags[i]; return place{d.Rule, d.File, d.Start, d.End} }
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && at(order[hi]) == at(order[lo]) {
			hi++
		}
		var first *lint.Fix
		agree := true
		for _, i := range order[lo:hi] {
			if fs := diags[i].Fixes; len(fs) > 0 {
				if first == nil {
					first = &fs[0]
				} else if !slices.Equal(first.Edits, fs[0].Edits) {
					agree = false
				}
			}
		}
		if !agree {
			if disputed == nil {
				disputed = map[int]bool{}
			}
			for _, i := range order[lo:hi] {
				disputed[i] = true
			}
		}
		lo = hi
	}
	return disputed
}

// fixEdits returns the edits of fix that change something, without
// duplicates, or false when the fix is malformed.
func fixEdits(fix lint.Fix) ([]lint.TextEdit, bool) {
	var es []lint.TextEdit
	for _, e := range fix.Edits {
		if e.File == nil || e.Start < 0 || e.Start > e.End || e.End > len(e.File.Src) {
			return nil, false
		}
		if e.Start == e.End && e.NewText == "" {
			continue
		}
		dup := false
		for _, o := range es {
			if fixSameEdit(e, o) {
				dup = true
				break
			}
			if fixEditsOverlap(e, o) {
				return nil, false
			}
		}
		if !dup {
			es = append(es, e)
		}
	}
	return es, true
}

func fixSameEdit(a, b lint.TextEdit) bool {
	return a.File == b.File && a.Start == b.Start && a.End == b.End && a.NewText == b.NewText
}

// fixEditsOverlap reports whether two different edits cannot both be applied:
// their byte ranges intersect, or they insert at the same offset. An
// insertion at either end of a replaced range does not overlap it.
func fixEditsOverlap(a, b lint.TextEdit) bool {
	if a.File != b.File {
		return false
	}
	switch {
	case a.Start == a.End && b.Start == b.End:
		return a.Start == b.Start
	case a.Start == a.End:
		return b.Start < a.Start && a.Start < b.End
	case b.Start == b.End:
		return a.Start < b.Start && b.Start < a.End
	}
	return a.Start < b.End && b.Start < a.End
}

// diffContext is the number of unchanged lines around each hunk.
const diffContext = 3

// UnifiedDiff renders edits as one unified diff that git apply and
// patch -p1 accept: for each changed file, in the order given, "--- a/NAME"
// and "+++ b/NAME" (NAME is File.Name with forward slashes; a leading "/"
// or "./" is dropped, a name with a space ends with a tab, and a name with
// a control character, '"' or '\' is C-quoted, as git writes them), then
// hunks with 3 lines of context. Lines are kept byte for byte (a CRLF line
// stays CRLF), and a last line without a newline is followed by
// "\ No newline at end of file". Files whose New equals their Src are left
// out.
//
// The lines a FileEdit's Edits touch are the changed ones (linear in the
// file, however many edits); without Edits, the line diff is computed with
// go-diff's line mode.
func UnifiedDiff(edits []FileEdit) string {
	var b strings.Builder
	for _, fe := range edits {
		if fe.File == nil || fe.New == fe.File.Src {
			continue
		}
		name := diffName(fe.File.Name)
		b.WriteString("--- " + quoteDiffName("a/"+name) + "\n")
		b.WriteString("+++ " + quoteDiffName("b/"+name) + "\n")
		if fe.Edits != nil {
			diffWriteHunks(&b, editLines(fe.File.Src, fe.Edits))
		} else {
			diffWriteHunks(&b, diffLines(fe.File.Src, fe.New))
		}
	}
	return b.String()
}

// diffLine is one line of a line diff: ' ' kept, '-' removed, '+' added.
// Text holds the line with its newline, if it has one.
type diffLine struct {
	op   byte
	text string
}

// diffLines returns the line diff from a to b, with removed lines before
// added lines in each change.
func diffLines(a, b string) []diffLine {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // the shortest diff, whatever the time: deterministic
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var out, del, ins []diffLine
	flush := func() {
		out = append(out, del...)
		out = append(out, ins...)
		del, ins = del[:0], ins[:0]
	}
	for _, d := range diffs {
		for _, l := range diffSplitLines(d.Text) {
			switch d.Type {
			case diffmatchpatch.DiffDelete:
				del = append(del, diffLine{'-', l})
			case diffmatchpatch.DiffInsert:
				ins = append(ins, diffLine{'+', l})
			default:
				flush()
				out = append(out, diffLine{' ', l})
			}
		}
	}
	flush()
	return out
}

// editLines returns the line diff that edits (sorted, not overlapping)
// make of src: the whole lines each edit touches are removed and added
// again as edited, the lines that are the same at the start and the end
// of a change kept; every other line is kept.
func editLines(src string, edits []lint.TextEdit) []diffLine {
	lineStart := func(off int) int { return strings.LastIndexByte(src[:off], '\n') + 1 }
	lineEnd := func(off int) int { // just past the line's newline
		if i := strings.IndexByte(src[off:], '\n'); i >= 0 {
			return off + i + 1
		}
		return len(src)
	}
	var out []diffLine
	at := 0 // src before at is in out
	for i := 0; i < len(edits); {
		from := lineStart(edits[i].Start)
		to := lineEnd(max(edits[i].End-1, edits[i].Start))
		if edits[i].End > edits[i].Start && edits[i].End == lineStart(edits[i].End) {
			to = edits[i].End // a range that ends with its newline
		}
		j := i + 1
		for ; j < len(edits) && edits[j].Start < to || j < len(edits) && edits[j].Start == to && edits[j].Start == edits[j].End && to > 0 && src[to-1] != '\n'; j++ {
			end := lineEnd(max(edits[j].End-1, edits[j].Start))
			if edits[j].End > edits[j].Start && edits[j].End == lineStart(edits[j].End) {
				end = edits[j].End
			}
			to = max(to, end)
		}
		for _, l := range diffSplitLines(src[at:from]) {
			out = append(out, diffLine{' ', l})
		}
		var nb strings.Builder
		pos := from
		for _, e := range edits[i:j] {
			nb.WriteString(src[pos:e.Start])
			nb.WriteString(e.NewText)
			pos = e.End
		}
		nb.WriteString(src[pos:to])
		old, neu := diffSplitLines(src[from:to]), diffSplitLines(nb.String())
		head := 0
		for head < len(old) && head < len(neu) && old[head] == neu[head] {
			head++
		}
		tail := 0
		for tail < len(old)-head && tail < len(neu)-head && old[len(old)-1-tail] == neu[len(neu)-1-tail] {
			tail++
		}
		for _, l := range old[:head] {
			out = append(out, diffLine{' ', l})
		}
		for _, l := range old[head : len(old)-tail] {
			out = append(out, diffLine{'-', l})
		}
		for _, l := range neu[head : len(neu)-tail] {
			out = append(out, diffLine{'+', l})
		}
		for _, l := range old[len(old)-tail:] {
			out = append(out, diffLine{' ', l})
		}
		at, i = to, j
	}
	for _, l := range diffSplitLines(src[at:]) {
		out = append(out, diffLine{' ', l})
	}
	return out
}

// diffSplitLines splits s after each "\n"; the last line may lack one.
func diffSplitLines(s string) []string {
	var ls []string
	for s != "" {
		i := strings.IndexByte(s, '\n') + 1
		if i == 0 {
			i = len(s)
		}
		ls = append(ls, s[:i])
		s = s[i:]
	}
	return ls
}

// diffWriteHunks writes the hunks of a line diff, with diffContext lines of
// context; changes closer than twice that share a hunk.
func diffWriteHunks(b *strings.Builder, ls []diffLine) {
	// oldAt[i] and newAt[i] count the old and new lines before ls[i].
	oldAt := make([]int, len(ls)+1)
	newAt := make([]int, len(ls)+1)
	for i, l := range ls {
		oldAt[i+1], newAt[i+1] = oldAt[i], newAt[i]
		if l.op != '+' {
			oldAt[i+1]++
		}
		if l.op != '-' {
			newAt[i+1]++
		}
	}
	i := 0
	for {
		for i < len(ls) && ls[i].op == ' ' {
			i++
		}
		if i == len(ls) {
			return
		}
		start := max(i-diffContext, 0)
		end := i // end of the last change of the hunk
		for {
			for end < len(ls) && ls[end].op != ' ' {
				end++
			}
			k := end
			for k < len(ls) && ls[k].op == ' ' {
				k++
			}
			if k == len(ls) || k-end > 2*diffContext {
				break
			}
			end = k
		}
		stop := min(end+diffContext, len(ls))
		fmt.Fprintf(b, "@@ -%s +%s @@\n",
			diffHunkRange(oldAt[start], oldAt[stop]-oldAt[start]),
			diffHunkRange(newAt[start], newAt[stop]-newAt[start]))
		for _, l := range ls[start:stop] {
			b.WriteByte(l.op)
			b.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				b.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = stop
	}
}

// diffHunkRange formats a hunk's line range: the first line (1-based) and the
// count, or for an empty range the line before it.
func diffHunkRange(before, n int) string {
	if n == 0 {
		return strconv.Itoa(before) + ",0"
	}
	return strconv.Itoa(before+1) + "," + strconv.Itoa(n)
}

// diffName is a file's name in a diff: forward slashes, relative.
func diffName(name string) string {
	name = filepath.ToSlash(name)
	for {
		switch {
		case strings.HasPrefix(name, "/"):
			name = name[1:]
		case strings.HasPrefix(name, "./"):
			name = name[2:]
		default:
			return name
		}
	}
}

// quoteDiffName writes a name for a "---" or "+++" line as git does: C
// quoted when it holds a control character, '"' or '\', followed by a tab
// when it holds a space (so that the space is read as part of the name).
func quoteDiffName(name string) string {
	quote := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
			quote = true
			break
		}
	}
	if !quote {
		if strings.Contains(name, " ") {
			return name + "\t"
		}
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Write writes each FileEdit's New to its File.Path, atomically: a
// temporary file in the same directory is written, fsynced and given the
// original's permission bits (and owner, when it differs and can be set),
// then renamed over the original. A symbolic link is resolved first, so
// the link stays a link and its target is rewritten.
//
// It refuses a file read from a dump (empty Path), a file that changed on
// disk since it was read (its content is no longer File.Src), and a file
// edited twice in edits. It tries every file and returns the first error;
// it never leaves a temporary file behind. Renaming gives the file a new
// inode: hard links to it keep the old content.
func Write(edits []FileEdit) error {
	var first error
	seen := map[string]string{}
	for _, fe := range edits {
		err := writeFix(fe, seen)
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

func writeFix(fe FileEdit, seen map[string]string) error {
	f := fe.File
	if f == nil {
		return errors.New("cannot write a fix without a file")
	}
	if f.Path == "" {
		return fmt.Errorf("cannot write fixes to %s: it was read from an nginx -T dump or standard input, not from a file on disk", f.Name)
	}
	target, err := filepath.EvalSymlinks(f.Path)
	if err != nil {
		return fmt.Errorf("cannot write fixes to %s: %v", f.Name, pathErr(err))
	}
	if target, err = filepath.Abs(target); err != nil {
		return fmt.Errorf("cannot write fixes to %s: %v", f.Name, err)
	}
	if other, ok := seen[target]; ok {
		return fmt.Errorf("cannot write fixes to %s: it is the same file as %s, already written", f.Name, other)
	}
	seen[target] = f.Name
	fi, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("cannot write fixes to %s: %v", f.Name, pathErr(err))
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("cannot write fixes to %s: not a regular file", f.Name)
	}
	if err := fixUnchanged(f, target); err != nil {
		return err
	}

	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".nginxlint-*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write fixes to %s: %v", f.Name, err)
	}
	renamed := false
	defer func() {
		if !renamed {
			tmp.Close()           //nolint:errcheck // already failing; the file is removed
			os.Remove(tmp.Name()) //nolint:errcheck // best effort: nothing else to do
		}
	}()
	fail := func(err error) error {
		return fmt.Errorf("cannot write fixes to %s: %v", f.Name, pathErr(err))
	}
	if _, err := tmp.WriteString(fe.New); err != nil {
		return fail(err)
	}
	if uid, gid, ok := fixFileOwner(fi); ok {
		if tfi, err := tmp.Stat(); err == nil {
			if tuid, tgid, ok := fixFileOwner(tfi); ok && (tuid != uid || tgid != gid) {
				if err := tmp.Chown(uid, gid); err != nil {
					return fmt.Errorf("cannot write fixes to %s: cannot keep its owner %d:%d: %v", f.Name, uid, gid, pathErr(err))
				}
			}
		}
	}
	if err := tmp.Chmod(fi.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	// Check again, as late as possible: an editor may have saved the file
	// while nginxlint ran.
	if err := fixUnchanged(f, target); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fail(err)
	}
	renamed = true
	// Make the rename durable; not every system can sync a directory.
	if d, err := os.Open(dir); err == nil {
		d.Sync()  //nolint:errcheck // best effort, see above
		d.Close() //nolint:errcheck // read-only
	}
	return nil
}

// fixUnchanged returns an error unless the file at target still holds f.Src.
func fixUnchanged(f *syntax.File, target string) error {
	cur, err := os.ReadFile(target)
	if err != nil {
		return fmt.Errorf("cannot write fixes to %s: %v", f.Name, pathErr(err))
	}
	if string(cur) != f.Src {
		return fmt.Errorf("cannot write fixes to %s: it changed since it was read; run nginxlint again", f.Name)
	}
	return nil
}

// fixFileOwner returns the numeric owner and group of a file, where the system
// has them (the Uid and Gid of a Unix stat structure).
func fixFileOwner(fi os.FileInfo) (uid, gid int, ok bool) {
	v := reflect.ValueOf(fi.Sys())
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return 0, 0, false
	}
	u, g := v.FieldByName("Uid"), v.FieldByName("Gid")
	if !u.IsValid() || !g.IsValid() || !u.CanUint() || !g.CanUint() {
		return 0, 0, false
	}
	return int(u.Uint()), int(g.Uint()), true
}

// pathErr strips the path from an *fs.PathError: messages name the path
// themselves.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
