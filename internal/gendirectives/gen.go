package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// options are the generator's inputs.
type options struct {
	nginxDir  string // the bare git directory of nginx/nginx
	mirrorDir string // the directory holding <owner>+<name>/repo mirrors
	logf      func(format string, args ...any)
}

// report is what the generator says besides the file: what it could not
// decode (an error), and notes worth reading.
type report struct {
	problems []string
	notes    []string
}

// generated is what the generator writes: the files of lint/nginx.
type generated struct {
	directives []byte // generated.go
	variables  []byte // variables_gen.go
}

// generate reads nginx and the third-party modules and returns the
// generated files. When anything could not be decoded, it returns the
// problems and no files.
func generate(o options) (*generated, *report, error) {
	logf := o.logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	rep := &report{}
	r, err := openRepo(o.nginxDir)
	if err != nil {
		return nil, nil, err
	}
	defer r.close()
	nf, problems, err := readNginx(r, logf)
	if err != nil {
		return nil, nil, err
	}
	rep.problems = append(rep.problems, problems...)
	rep.notes = append(rep.notes, nf.notes...)
	var repos []*moduleRepo
	for _, tp := range thirdParty {
		dir := filepath.Join(o.mirrorDir, strings.Replace(tp.repo, "/", "+", 1), "repo")
		tr, err := openRepo(dir)
		if err != nil {
			return nil, nil, err
		}
		mr, problems, err := readThirdParty(tr, tp.repo, tp.short, tp.dir)
		tr.close()
		if err != nil {
			return nil, nil, err
		}
		rep.problems = append(rep.problems, problems...)
		for _, n := range mr.res.notes {
			rep.notes = append(rep.notes, tp.repo+": "+n)
		}
		for k, f := range mr.res.variants {
			if f.deprecated {
				// No version to give: the table records none.
				rep.notes = append(rep.notes, fmt.Sprintf("%s: %s of %s warns that it is deprecated (instead: %q); not recorded", tp.repo, k.name, k.module, f.instead))
			}
			if f.data {
				rep.notes = append(rep.notes, fmt.Sprintf("%s: %s of %s sets cf->handler: a data block?", tp.repo, k.name, k.module))
			}
		}
		if len(mr.res.variants) == 0 {
			rep.problems = append(rep.problems, tp.repo+": no directives found")
		}
		logf("%s at %s: %d modules, %d variants", tp.repo, mr.commit, len(mr.res.modules), len(mr.res.variants))
		repos = append(repos, mr)
	}
	t := buildTable(nf, repos)
	rep.notes = append(rep.notes, nf.historyNotes()...)
	if len(rep.problems) > 0 {
		return nil, rep, nil
	}
	src, err := t.write()
	if err != nil {
		return nil, rep, fmt.Errorf("formatting %s: %v", directivesFile, err)
	}
	vars, err := t.writeVariables()
	if err != nil {
		return nil, rep, fmt.Errorf("formatting %s: %v", variablesFile, err)
	}
	logf("%d modules, %d variants, %d parameters, %d variables", len(t.modules), len(t.variants), len(t.params), len(t.variables))
	return &generated{directives: src, variables: vars}, rep, nil
}

// historyNotes says what the releases' history has that the table
// cannot: a variant that went and came back, or whose flags changed
// (the table keeps the newest release's).
func (nf *nginxFacts) historyNotes() []string {
	var notes []string
	for k, h := range nf.variants {
		for _, g := range h.gaps {
			notes = append(notes, fmt.Sprintf("%s of %s: missing before %s, back then", k.name, k.module, nf.releases[g].tag))
		}
		for j, c := range h.changes {
			after := h.latest
			if j+1 < len(h.before) {
				after = h.before[j+1]
			}
			notes = append(notes, fmt.Sprintf("%s of %s: changed in %s from %s to %s", k.name, k.module, nf.releases[c].tag,
				describe(h.before[j]), describe(after)))
		}
	}
	for k, h := range nf.variants {
		if h.latest.data {
			notes = append(notes, fmt.Sprintf("%s of %s sets cf->handler: a data block?", k.name, k.module))
		}
	}
	for k, h := range nf.params {
		for _, g := range h.gaps {
			notes = append(notes, fmt.Sprintf("parameter %s of %s of %s: missing before %s, back then", k.name, k.directive, k.module, nf.releases[g].tag))
		}
	}
	sort.Strings(notes)
	return notes
}

// describe says what a variant's flags are, for notes.
func describe(f *found) string {
	s := goContexts(f.Contexts) + " with " + goArgs(f.Args)
	if f.Block {
		s += ", block"
	}
	if f.unique {
		s += ", unique"
	}
	if f.values != nil {
		s += fmt.Sprintf(", values %q", f.values)
	}
	return s
}
