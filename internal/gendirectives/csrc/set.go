package csrc

import (
	"path"
	"sort"
)

// A Set is the C files of one nginx release or of one third-party
// module, read with ParseFile, by path; with an index of what they
// define: a name defined in several files is the first file's, by path.
type Set struct {
	Paths      []string // sorted
	Files      map[string]*File
	Macros     map[string][]Token      // every file's, the first by path
	FuncMacros map[string]FuncMacro    // likewise
	Funcs      map[string]*Function    // likewise
	Arrays     map[string][]Command    // likewise
	Statics    map[string]*StaticArray // likewise
}

// NewSet indexes the files, read with ParseFile, by path.
func NewSet(files map[string]*File) *Set {
	ss := &Set{
		Files:      files,
		Macros:     map[string][]Token{},
		FuncMacros: map[string]FuncMacro{},
		Statics:    map[string]*StaticArray{},
		Funcs:      map[string]*Function{},
		Arrays:     map[string][]Command{},
	}
	for p := range files {
		ss.Paths = append(ss.Paths, p)
	}
	sort.Strings(ss.Paths)
	for _, p := range ss.Paths {
		ff := files[p]
		for name, body := range ff.Macros {
			if _, ok := ss.Macros[name]; !ok {
				ss.Macros[name] = body
			}
		}
		for name, a := range ff.Statics {
			if _, ok := ss.Statics[name]; !ok {
				ss.Statics[name] = a
			}
		}
		for name, fm := range ff.FuncMacros {
			if _, ok := ss.FuncMacros[name]; !ok {
				ss.FuncMacros[name] = fm
			}
		}
		for name, fn := range ff.Funcs {
			if _, ok := ss.Funcs[name]; !ok {
				ss.Funcs[name] = fn
			}
		}
		for name, cmds := range ff.Arrays {
			if _, ok := ss.Arrays[name]; !ok {
				ss.Arrays[name] = cmds
			}
		}
	}
	return ss
}

// Included returns the entries of the files the command array #includes
// among its own (found by base name).
func (ss *Set) Included(array string) []Command {
	var cmds []Command
	for _, p := range ss.Paths {
		for _, inc := range ss.Files[p].Includes[array] {
			for _, q := range ss.Paths {
				if path.Base(q) == path.Base(inc) {
					cmds = append(cmds, ss.Files[q].Fragment...)
				}
			}
		}
	}
	return cmds
}

// Function returns the function name as file ff sees it: ff's own
// definition, else any file's; nil for "" or when none defines it.
func (ss *Set) Function(ff *File, name string) *Function {
	if name == "" {
		return nil
	}
	if fn, ok := ff.Funcs[name]; ok {
		return fn
	}
	return ss.Funcs[name]
}

// StrConst returns the value of a file-level ngx_str_t: the file's own,
// else any file's.
func (ss *Set) StrConst(ff *File, name string) (string, bool) {
	if v, ok := ff.StrConsts[name]; ok {
		return v, true
	}
	for _, p := range ss.Paths {
		if v, ok := ss.Files[p].StrConsts[name]; ok {
			return v, true
		}
	}
	return "", false
}

// Macro returns an object-like macro's tokens: file ff's, else any
// file's.
func (ss *Set) Macro(ff *File, name string) ([]Token, bool) {
	if body, ok := ff.Macros[name]; ok {
		return body, true
	}
	body, ok := ss.Macros[name]
	return body, ok
}

// ItemFields returns the fields of an item of file ff: its own, or its
// macro's expansion (an initializer in braces), the macro ff's or any
// file's. It reports false when the item has no fields it can read.
func (ss *Set) ItemFields(ff *File, it Item) ([][]Token, bool) {
	if it.Fields != nil {
		return it.Fields, true
	}
	if it.Macro == "" {
		return nil, false
	}
	var toks []Token
	if it.Call {
		fm, ok := ff.FuncMacros[it.Macro]
		if !ok {
			fm, ok = ss.FuncMacros[it.Macro]
		}
		if !ok || len(fm.Params) != len(it.Args) {
			return nil, false
		}
		toks = Lex(expand(fm, it.Args))
	} else {
		body, ok := ff.Macros[it.Macro]
		if !ok {
			body, ok = ss.Macros[it.Macro]
		}
		if !ok {
			return nil, false
		}
		toks = body
	}
	if len(toks) == 0 || toks[0].Text != "{" {
		return nil, false
	}
	entry, end := entryTokens(toks, 0)
	if end != len(toks)-1 {
		return nil, false
	}
	return splitTop(entry), true
}
