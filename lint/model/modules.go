package model

import (
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Modules declares third-party modules nginx has built in (OpenResty's
// lua, for one), by their short names ("lua") or module names, as
// .nginxlint.toml's modules list does: their directives are known
// without a load_module line.
func Modules(names ...string) Option {
	return func(ix *Index) { ix.declared = append(ix.declared, names...) }
}

// moduleState is what the tree says of the third-party modules.
type moduleState struct {
	once sync.Once
	// loaded are the object files load_module names (their base names).
	loaded map[string]bool
	// unknown is set when the tree cannot tell which modules nginx has:
	// a snippet, or an include of a modules directory the tree does not
	// hold (Debian's modules-enabled).
	unknown bool
}

// ThirdPartyEnabled reports whether nginx has the third-party module m:
// a load_module line of the tree loads its object, or the configuration
// declares it. known is false when the tree cannot tell (a snippet, or an
// include of Debian's modules-enabled that matched no file): a directive
// of the module is then given the benefit of the doubt.
func (ix *Index) ThirdPartyEnabled(m *nginx.Module) (enabled, known bool) {
	st := &ix.modules
	st.once.Do(func() { ix.readModules() })
	if slices.Contains(ix.declared, m.Short) || slices.Contains(ix.declared, m.Name) {
		return true, true
	}
	if m.Object != "" && st.loaded[m.Object] {
		return true, true
	}
	return false, !st.unknown
}

func (ix *Index) readModules() {
	st := &ix.modules
	st.loaded = map[string]bool{}
	if ix.tree.Context != "main" {
		st.unknown = true
		return
	}
	for _, d := range ix.tree.Directives {
		ix.scanModules(d)
	}
}

// scanModules looks at a top-level directive of the main context (and
// what the includes there pull in) for load_module lines.
func (ix *Index) scanModules(d syntax.Directive) {
	st := &ix.modules
	switch {
	case d.IsInclude():
		if d.NArgs() == 1 && strings.Contains(d.Arg(0), "modules-enabled") && len(d.IncludedFiles()) == 0 {
			st.unknown = true
		}
		for _, c := range d.Included() {
			ix.scanModules(c)
		}
	case d.Name() == "load_module" && d.NArgs() == 1:
		st.loaded[path.Base(d.Arg(0))] = true
	}
}

// InTarget reports whether a variant of a directive counts for the
// tree: it exists in the target nginx version (Target) and, for a
// third-party module, nginx has the module (or the tree cannot tell).
func (ix *Index) InTarget(v *nginx.Variant) bool {
	if !v.In(ix.Target()) {
		return false
	}
	if m := nginx.ModuleNamed(v.Module); m != nil && m.ThirdParty() {
		enabled, known := ix.ThirdPartyEnabled(m)
		return enabled || !known
	}
	return true
}
