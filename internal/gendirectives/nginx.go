package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/internal/gendirectives/csrc"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

// Reading nginx itself: every release tag from release-1.0.0 on, sorted
// by version (mainline and stable releases interleave by number, as
// nginx numbers them), each tag's src/**/*.c and *.h read from git. A
// blob is parsed once, however many tags share it.

// firstTag is the oldest release the table covers: a variant that
// release already has gets a zero Since.
var firstTag = nginx.Version{1, 0, 0}

// release is one release tag.
type release struct {
	tag     string
	version nginx.Version
}

// releases lists the release tags of the repository from firstTag on,
// oldest first.
func releases(r *repo) ([]release, error) {
	out, err := r.git("tag", "-l", "release-*")
	if err != nil {
		return nil, err
	}
	var rels []release
	for _, tag := range strings.Fields(out) {
		v, ok := nginx.ParseVersion(strings.TrimPrefix(tag, "release-"))
		if !ok || strings.Count(tag, ".") != 2 || v.Less(firstTag) {
			continue
		}
		rels = append(rels, release{tag, v})
	}
	sort.Slice(rels, func(i, j int) bool { return rels[i].version.Less(rels[j].version) })
	if len(rels) == 0 {
		return nil, fmt.Errorf("%s: no release-* tags from release-%v on", r.dir, firstTag)
	}
	return rels, nil
}

// history is what the releases say of one variant or parameter.
type history struct {
	first, last int // the first and last release (index) that have it
	// gaps are the releases that have it again after one without it.
	gaps []int
	// latest is what the last release that has it says.
	latest *found
	// changes are the releases where its flags or uniqueness changed,
	// and what they said before.
	changes []int
	before  []*found
	// deprecated is the first release that warns of it; -1 for none.
	deprecated int
	instead    string
}

// nginxFacts is what the generator reads of nginx.
type nginxFacts struct {
	releases []release
	commit   string // of the newest release
	variants map[vkey]*history
	params   map[pkey]*history
	modules  map[string]*history // by module name: the releases that define directives in it
	build    map[string]buildInfo
	notes    []string
	// vars are the built-in variables' histories, and what the last
	// release that has each says.
	vars      map[varKey]*history
	varLatest map[varKey]*varFound
}

// readNginx reads every release of the nginx repository at dir. problems
// are what it could not read.
func readNginx(r *repo, logf func(string, ...any)) (*nginxFacts, []string, error) {
	rels, err := releases(r)
	if err != nil {
		return nil, nil, err
	}
	nf := &nginxFacts{
		releases:  rels,
		variants:  map[vkey]*history{},
		params:    map[pkey]*history{},
		modules:   map[string]*history{},
		build:     map[string]buildInfo{},
		vars:      map[varKey]*history{},
		varLatest: map[varKey]*varFound{},
	}
	newest := rels[len(rels)-1].tag
	commit, err := r.git("rev-parse", newest+"^{commit}")
	if err != nil {
		return nil, nil, err
	}
	nf.commit = strings.TrimSpace(commit)
	cache := map[string]*csrc.File{}
	noteTags := map[string][]string{} // a note, and the releases it is of
	var noteOrder []string
	var problems []string
	seenProblem := map[string]bool{}
	for i, rel := range rels {
		files, err := r.files(rel.tag, "src", "auto/options", "auto/modules")
		if err != nil {
			return nil, nil, err
		}
		set := map[string]*csrc.File{}
		var optsSrc, modsSrc string
		for _, e := range files {
			switch {
			case e.path == "auto/options" || e.path == "auto/modules":
				data, err := r.read(e.blob)
				if err != nil {
					return nil, nil, err
				}
				if e.path == "auto/options" {
					optsSrc = string(data)
				} else {
					modsSrc = string(data)
				}
				continue
			case !strings.HasSuffix(e.path, ".c") && !strings.HasSuffix(e.path, ".h"):
				continue
			}
			ff, ok := cache[e.blob]
			if !ok {
				data, err := r.read(e.blob)
				if err != nil {
					return nil, nil, err
				}
				ff = csrc.ParseFile(string(data))
				cache[e.blob] = ff
			}
			set[e.path] = ff
		}
		ss := csrc.NewSet(set)
		res := analyze(ss, true)
		res.problems = append(res.problems, slotsIgnoreCase(ss)...)
		vres := analyzeVariables(ss)
		res.problems = append(res.problems, vres.problems...)
		res.notes = append(res.notes, vres.notes...)
		for k, f := range vres.vars {
			nf.vars[k] = record(nf.vars[k], i, nil, false, "")
			if old, ok := nf.varLatest[k]; ok && old.changeable != f.changeable {
				n := fmt.Sprintf("$%s of %s: changeable %v from %s", k.name, k.module, f.changeable, rel.tag)
				noteOrder = append(noteOrder, n)
				noteTags[n] = append(noteTags[n], rel.tag)
			}
			nf.varLatest[k] = f
		}
		for _, p := range res.problems {
			if !seenProblem[p] {
				seenProblem[p] = true
				problems = append(problems, rel.tag+": "+p)
			}
		}
		for _, n := range res.notes {
			if _, ok := noteTags[n]; !ok {
				noteOrder = append(noteOrder, n)
			}
			noteTags[n] = append(noteTags[n], rel.tag)
		}
		for k, f := range res.variants {
			nf.variants[k] = record(nf.variants[k], i, f, f.deprecated, f.instead)
		}
		for k, p := range res.params {
			nf.params[k] = record(nf.params[k], i, nil, p.deprecated, p.instead)
		}
		for m := range res.modules {
			nf.modules[m] = record(nf.modules[m], i, nil, false, "")
		}
		if strings.Contains(modsSrc, "ngx_module_name=") {
			for name, bi := range readModules(modsSrc, readOptions(optsSrc)) {
				nf.build[name] = bi // the newest release's word
			}
		}
		logf("%s: %d files, %d variants, %d parameters, %d variables", rel.tag, len(set), len(res.variants), len(res.params), len(vres.vars))
	}
	for _, n := range noteOrder {
		tags := noteTags[n]
		nf.notes = append(nf.notes, fmt.Sprintf("%s to %s (%d releases): %s", tags[0], tags[len(tags)-1], len(tags), n))
	}
	return nf, problems, nil
}

// record adds release i's word on a variant or parameter to its history.
func record(h *history, i int, f *found, deprecated bool, instead string) *history {
	if h == nil {
		h = &history{first: i, last: i, latest: f, deprecated: -1}
	} else {
		if h.last != i-1 {
			h.gaps = append(h.gaps, i)
		}
		if f != nil && h.latest != nil && (f.Flags != h.latest.Flags || f.unique != h.latest.unique ||
			!slices.Equal(f.values, h.latest.values) || f.bitmask != h.latest.bitmask) {
			h.changes = append(h.changes, i)
			h.before = append(h.before, h.latest)
		}
		h.last = i
		h.latest = f
	}
	if deprecated && h.deprecated < 0 {
		h.deprecated, h.instead = i, instead
	}
	return h
}

// since returns the Since and Until of a history: the first release that
// has it (zero for the first release the table covers), and the first
// after the last that has it (zero when the newest has it).
func (nf *nginxFacts) since(h *history) (since, until nginx.Version) {
	if h.first > 0 {
		since = nf.releases[h.first].version
	}
	if h.last < len(nf.releases)-1 {
		until = nf.releases[h.last+1].version
	}
	return since, until
}
