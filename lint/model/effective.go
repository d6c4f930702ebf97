package model

import (
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Effective configuration: the value a directive has in a block after
// nginx's inheritance. This is the one place inheritance is modelled;
// rules ask it and do not walk parents themselves.
//
// nginx merges each level (http, server, location, nested location, if)
// into the next; lint/nginx says how each directive is inherited
// (nginx.Inheritance). For almost every directive, the nearest level that
// sets it wins (nginx.Inherited). For array directives (nginx.Array:
// proxy_set_header, add_header, fastcgi_param, ...) the same rule applies
// to the directive as a whole: an inner level that sets any
// proxy_set_header replaces every proxy_set_header of the outer levels, it
// does not add to them. Both kinds are therefore looked up the same way,
// by directive name; the difference only shows in what an inner level
// hides, which Shadowed reports. nginx.NotInherited directives apply only
// at their own level.

// Setting is where a directive's effective value comes from.
type Setting struct {
	// Directives are the directives that set the value, in order: one for
	// most directives, all of them at the winning level for array
	// directives. Empty when no level sets it (nginx's default applies).
	Directives []syntax.Directive
	// Level is the block they are in; zero for the top level of the tree.
	Level syntax.Directive
	// Inherited is true when Level is an outer level of the block asked
	// about.
	Inherited bool
}

// IsSet reports whether some level sets the directive.
func (s Setting) IsSet() bool { return len(s.Directives) > 0 }

// Last returns the last directive of the setting: the one nginx uses for a
// directive that takes one value. Zero when unset.
func (s Setting) Last() syntax.Directive {
	if len(s.Directives) == 0 {
		return syntax.Directive{}
	}
	return s.Directives[len(s.Directives)-1]
}

// notInherited reports whether name applies only at the level it is
// written at: the rewrite module's directives, location and the pass
// directives (which an if block takes from its location, see Effective).
func notInherited(name string) bool { return nginx.Inheritance(name) == nginx.NotInherited }

// smallBlock is the size up to which a block is scanned at each lookup;
// what larger blocks (an http block with thousands of servers) hold is
// remembered.
const smallBlock = 16

type levelKey struct {
	block syntax.Directive
	name  string
}

// atLevel returns the directives named name directly in block (looking
// through includes); block zero is the top level. What large blocks (an
// http block with thousands of servers) hold is kept.
func (ix *Index) atLevel(block syntax.Directive, name string) []syntax.Directive {
	if ds, ok := ix.tree.FindChildren(block, name, smallBlock); ok {
		return ds // a small block: looking is as fast as remembering
	}
	k := levelKey{block, name}
	if ds, ok := ix.levels.Load(k); ok {
		return ds.([]syntax.Directive)
	}
	ds, _ := ix.tree.FindChildren(block, name, 0)
	ix.levels.Store(k, ds)
	return ds
}

// Effective returns where the directive name takes its value in block
// (zero: the top level), after nginx's inheritance.
//
// Directives that are not inherited are looked up at block's own level only,
// except that an if block inside a location takes the location's pass
// directive (nginx proxies from an if block with its location's
// proxy_pass).
func (ix *Index) Effective(block syntax.Directive, name string) Setting {
	for b := block; ; b = b.BlockParent() {
		if ds := ix.atLevel(b, name); len(ds) > 0 {
			return Setting{Directives: ds, Level: b, Inherited: b != block}
		}
		if b.IsZero() {
			return Setting{}
		}
		if notInherited(name) && !(nginx.IsPass(name) && b.Name() == "if") {
			return Setting{}
		}
	}
}

// Settings answers Effective for the directive name, block after block,
// remembering the answers for the blocks around the last ones asked
// about: the locations of a server, asked about one after the other, look
// the server and the levels above it up once between them. A rule that
// asks for many blocks keeps one Settings per name for its run; it is
// not safe for concurrent use.
type Settings struct {
	ix           *Index
	name         string
	notInherited bool
	// recent holds Effective of the last blocks asked about as the block
	// around another, by their offset: a few slots, which blocks far
	// apart share.
	recent [recentLevels]struct {
		block syntax.Directive
		set   Setting
	}
}

// recentLevels is the number of blocks Settings remembers.
const recentLevels = 64

// Settings returns a Settings for the directive name.
func (ix *Index) Settings(name string) *Settings {
	return &Settings{ix: ix, name: name, notInherited: notInherited(name)}
}

// At returns ix.Effective(block, name).
func (s *Settings) At(block syntax.Directive) Setting {
	if block.IsZero() || s.notInherited {
		return s.ix.Effective(block, s.name)
	}
	return s.Given(block, s.ix.atLevel(block, s.name))
}

// Given is At for a caller that has read block's own directives of the
// name (own, looking through includes, as Directive.EachChild yields
// them): one that needs several names reads the block once.
func (s *Settings) Given(block syntax.Directive, own []syntax.Directive) Setting {
	switch {
	case block.IsZero() || s.notInherited:
		return s.ix.Effective(block, s.name)
	case len(own) > 0:
		return Setting{Directives: own, Level: block}
	}
	set := s.around(block.BlockParent())
	if set.IsSet() {
		set.Inherited = true
	}
	return set
}

// around returns Effective(b, name) for a block b around the one asked
// about, from recent when it was the last there.
func (s *Settings) around(b syntax.Directive) Setting {
	if b.IsZero() {
		return s.At(b)
	}
	r := &s.recent[int(b.Start())%recentLevels]
	if r.block == b {
		return r.set
	}
	set := s.At(b)
	r.block, r.set = b, set
	return set
}

// Shadowed returns the nearest outer setting of name that block does not
// inherit because a level in between (or block itself) sets its own: for
// an array directive, the outer proxy_set_header lines a location loses by
// writing one of its own. The zero Setting when nothing is hidden.
func (ix *Index) Shadowed(block syntax.Directive, name string) (hidden, by Setting) {
	by = ix.Effective(block, name)
	if !by.IsSet() || by.Level.IsZero() || notInherited(name) {
		return Setting{}, by
	}
	hidden = ix.Effective(by.Level.BlockParent(), name)
	hidden.Inherited = true
	return hidden, by
}

// Arrays and the target version's control of their inheritance.
//
// nginx 1.29.3 added add_header_inherit and add_trailer_inherit: "on"
// (the default) is the rule above, "merge" makes a level that sets
// entries of its own take the outer ones too, after its own, and "off"
// makes a level take none, even one that sets none (the merge function
// of ngx_http_headers_filter_module). The control is itself inherited:
// the nearest level that sets it decides. The control of an array
// directive X is the directive X_inherit that the directive table knows
// with the value "merge"; it counts when the target version has it.

// ArrayMode is how a level takes the outer entries of an array
// directive.
type ArrayMode uint8

// The modes.
const (
	// ArrayReplace is nginx's rule: a level that sets entries of its own
	// takes none of the outer ones; a level that sets none takes them
	// all.
	ArrayReplace ArrayMode = iota
	// ArrayMerge: a level takes its own entries, then the outer ones.
	ArrayMerge
	// ArrayOff: a level takes no outer entry, even when it sets none.
	ArrayOff
)

// arrayControls maps an array directive to the directive that controls
// its inheritance (add_header to add_header_inherit), from the directive
// table.
var arrayControls = func() map[string]string {
	m := map[string]string{}
	for _, name := range nginx.DirectiveNames() {
		array, ok := strings.CutSuffix(name, "_inherit")
		if !ok {
			continue
		}
		for _, v := range nginx.Variants(name) {
			if slices.Contains(v.Values, "merge") {
				m[array] = name
			}
		}
	}
	return m
}()

// ArrayControl returns the directive that controls how the array
// directive name is inherited (add_header_inherit for add_header) when
// the target version has one, else "".
func (ix *Index) ArrayControl(name string) string {
	control := arrayControls[name]
	if control == "" {
		return ""
	}
	for _, v := range nginx.Variants(control) {
		if v.In(ix.Target()) {
			return control
		}
	}
	return ""
}

// ArrayModeAt returns how block (zero: the top level) takes the outer
// entries of the array directive name in the target version: as the
// nearest add_header_inherit (for add_header) says, else ArrayReplace.
func (ix *Index) ArrayModeAt(block syntax.Directive, name string) ArrayMode {
	control := ix.ArrayControl(name)
	if control == "" {
		return ArrayReplace
	}
	d := ix.Effective(block, control).Last()
	if d.IsZero() || d.NArgs() != 1 {
		return ArrayReplace
	}
	switch strings.ToLower(d.Arg(0)) {
	case "merge":
		return ArrayMerge
	case "off":
		return ArrayOff
	}
	return ArrayReplace
}
