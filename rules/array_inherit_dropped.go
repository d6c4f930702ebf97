package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// ArrayInheritDropped reports blocks whose own proxy_set_header (or
// add_header, fastcgi_param ...) drops the entries of the enclosing
// levels.
var ArrayInheritDropped = &lint.Rule{
	ID:    "array-inherit-dropped",
	Title: "a block's own proxy_set_header, add_header or fastcgi_param drops the outer ones",
	Doc: `proxy_set_header, add_header, fastcgi_param and the other directives that
nginx collects into a list are inherited as a whole: a server, location
or if block that sets none of its own takes all those of the enclosing
level, but one that sets a single one takes none of them. Adding
"add_header Cache-Control no-store;" to one location silently drops the
server's Strict-Transport-Security and X-Frame-Options there;
"proxy_set_header Upgrade $http_upgrade;" drops the server's Host and
X-Forwarded-For; a location's own fastcgi_param drops every parameter
that "include fastcgi_params;" passes at server level.

The rule reports each block that sets entries of such a directive and so
loses outer entries it does not set again, names them, and points at
where they are set. An entry the block sets again, with the same value or
another, is not lost: headers are matched without regard to case,
parameters exactly. An included file counts as the block it is included
into, and an if block is a level of its own (nginx allows add_header
there).

The directives: proxy_set_header, grpc_set_header, add_header,
add_trailer, fastcgi_param, uwsgi_param, scgi_param, the hide_header and
pass_header directives of the proxy, FastCGI, uwsgi, SCGI and gRPC
modules, ssl_conf_command and its proxy_, grpc_ and uwsgi_ forms,
proxy_cookie_domain, proxy_cookie_path, proxy_cookie_flags,
auth_request_set and sub_filter. A block that turns the outer ones off
("proxy_cookie_path off;") does so on purpose and is not reported, and
neither is the loss of proxy_set_header Connection "", which matters only
to an upstream that keeps connections: upstream-keepalive reports it
there.

From nginx 1.29.3 on, add_header_inherit (and add_trailer_inherit)
decides: "merge" keeps the outer add_header lines after the block's own,
and "off" drops them on purpose; neither is reported. The rule follows
the target version (--nginx-version, or the manifest's [nginx] version;
the newest nginx when none is given), where the directive exists.

The fix copies the lost lines into the block, before its first line of
that directive; lines that an included file brings whole (such as
"include fastcgi_params;") are copied as that include line. A block
inside another that loses entries is counted as if that one were fixed:
it is reported for those entries too, so that one round of fixes is
complete.`,
	Bad: `server {
    listen 80;
    add_header Strict-Transport-Security "max-age=31536000" always;
    add_header X-Frame-Options DENY;
    location /static/ {
        add_header Cache-Control "public, max-age=3600";
        root /srv/www;
    }
}
`,
	Good: `server {
    listen 80;
    add_header Strict-Transport-Security "max-age=31536000" always;
    add_header X-Frame-Options DENY;
    location /static/ {
        add_header Strict-Transport-Security "max-age=31536000" always;
        add_header X-Frame-Options DENY;
        add_header Cache-Control "public, max-age=3600";
        root /srv/www;
    }
}
`,
	Severity: lint.Warning,
	Fixable:  true,
	Run:      runArrayInheritDropped,
}

// inheritArray is an array directive whose entries are named by their
// first argument (a header, a parameter, a variable ...).
type inheritArray struct {
	name string
	// fold is set when entries are named without regard to case.
	fold bool
	// off is set when "name off" turns the outer entries off on
	// purpose.
	off bool
}

// inheritArrays are the array directives the rule checks: those the
// directive table says are inherited as a whole (their merge function
// takes the outer list only when the level sets none of its own) and
// whose entries are named, in the table's order.
var inheritArrays = func() []inheritArray {
	var out []inheritArray
	for _, d := range nginx.Directives() {
		if d.Inherit == nginx.Array && d.Entries != 0 {
			out = append(out, inheritArray{name: d.Name, fold: d.Entries&nginx.EntriesFold != 0, off: d.Entries&nginx.EntriesOff != 0})
		}
	}
	return out
}()

// inheritArrayIndex numbers inheritArrays by name.
var inheritArrayIndex = func() map[string]int {
	m := make(map[string]int, len(inheritArrays))
	for i, a := range inheritArrays {
		m[a.name] = i
	}
	return m
}()

// inheritArrayOf returns the index of name in inheritArrays, or -1.
func inheritArrayOf(name string) int {
	if i, ok := inheritArrayIndex[name]; ok {
		return i
	}
	return -1
}

func runArrayInheritDropped(p *lint.Pass) {
	ix := model.Of(p)
	c := &inheritChecker{p: p, ix: ix, seen: make([]*syntax.Set, len(inheritArrays)), controlled: make([]bool, len(inheritArrays)),
		settings: make([]*model.Settings, len(inheritArrays))}
	for i, a := range inheritArrays {
		// add_header_inherit counts where the target version has it and
		// the tree writes it; otherwise every level replaces.
		if control := ix.ArrayControl(a.name); control != "" {
			c.controlled[i] = ix.AnyDefs(func(d *model.Defs) bool { return len(d.Here) > 0 && d.Here[0].Name == control })
		}
	}
	// The entries where nginx takes them (misplaced ones are other
	// rules' findings); a block is looked at once per directive, at its
	// first entry.
	mine := func(d *model.Defs) bool { return d != nil && len(d.Here) > 0 && inheritArrayOf(d.Here[0].Name) >= 0 }
	// Directives one after the other mostly share their Defs: lastDefs
	// and lastArray remember the array of the last.
	var lastDefs *model.Defs
	lastArray := -1
	ix.WalkDefsWhere(mine, func(d syntax.Directive, _ nginx.Context, defs *model.Defs) {
		if defs != lastDefs {
			lastDefs, lastArray = defs, inheritArrayOf(defs.Here[0].Name)
		}
		i := lastArray
		block := d.BlockParent()
		if block.IsZero() {
			return // the top level: nothing encloses it
		}
		if c.seen[i] == nil {
			c.seen[i] = p.Tree.NewSet()
		}
		if c.seen[i].Add(block) {
			c.check(block, i)
		}
	})
}

// inheritChecker is the state of one run of the rule.
type inheritChecker struct {
	p          *lint.Pass
	ix         *model.Index
	seen       []*syntax.Set     // by inheritArrays index: the blocks checked
	controlled []bool            // by inheritArrays index: add_header_inherit counts
	settings   []*model.Settings // by inheritArrays index: Effective, made when first asked
	// What wanted found: those merged from several levels, and the last
	// few others (the server around a row of locations, the http block
	// around the servers).
	wants  map[wantKey][]syntax.Directive
	others map[string]bool // listNames' scratch
	recent [recentWants]struct {
		k  wantKey
		ds []syntax.Directive
		ok bool
	}
}

// recentWants is the number of wanted results kept besides the merged
// ones.
const recentWants = 64

type wantKey struct {
	level syntax.Directive
	array int
}

// mode is how level takes the outer entries of array i.
func (c *inheritChecker) mode(level syntax.Directive, i int) model.ArrayMode {
	if !c.controlled[i] {
		return model.ArrayReplace
	}
	return c.ix.ArrayModeAt(level, inheritArrays[i].name)
}

// check reports what block loses of the outer entries of array i, which
// it sets entries of.
func (c *inheritChecker) check(block syntax.Directive, i int) {
	a := &inheritArrays[i]
	if c.mode(block, i) != model.ArrayReplace {
		return // merged, or turned off on purpose
	}
	outer := c.wanted(block.BlockParent(), i)
	if len(outer) == 0 {
		return // nothing to lose, the common case
	}
	// The block's own entries, through its includes; most blocks have
	// few, kept on the stack.
	var buf [8]syntax.Directive
	own := buf[:0]
	for d := range block.EachChild() {
		if d.Name() == a.name {
			own = append(own, d)
		}
	}
	if len(own) == 0 || a.turnsOff(own) {
		return
	}
	var kbuf [8]string
	set := a.keys(own, kbuf[:0])
	var dropped []syntax.Directive
	resets := false // some own entry names an outer one
	for _, o := range outer {
		if o.NArgs() == 0 {
			continue
		}
		if set.has(o.Arg(0)) {
			resets = true
			continue
		}
		if keepaliveHeader(a, o) {
			continue
		}
		dropped = append(dropped, o)
	}
	if len(dropped) > 0 {
		c.report(block, a, own, dropped, resets, len(outer) < maxWanted)
	}
}

// maxWanted bounds what wanted keeps of the entries of the levels
// around a block: blocks nested thousands deep, each with entries of
// its own, would otherwise cost the square of their number. A block
// that may lose more is reported without a fix.
const maxWanted = 64

// keepaliveHeader reports whether o is proxy_set_header Connection "",
// which matters only to an upstream that keeps connections:
// upstream-keepalive reports its loss there, with its own fix.
func keepaliveHeader(a *inheritArray, o syntax.Directive) bool {
	return a.name == "proxy_set_header" && o.NArgs() == 2 && strings.EqualFold(o.Arg(0), "Connection") && o.Arg(1) == ""
}

// wanted returns the entries of array i that level and the levels
// around it ask for: its own, then those of the outer levels that it
// does not set again, as if every level merged (add_header_inherit
// merge) but for the entries it replaces; none past a level that turns
// the outer ones off. A level that loses outer entries is reported; what
// the levels inside it lose is counted from what it asks for, so that
// their fixes and its own are right together.
func (c *inheritChecker) wanted(level syntax.Directive, i int) []syntax.Directive {
	k := wantKey{level, i}
	slot := i % recentWants
	if !level.IsZero() {
		slot = (int(level.Start()) ^ i*7919) % recentWants
	}
	if r := &c.recent[slot]; r.ok && r.k == k {
		return r.ds
	}
	if ds, ok := c.wants[k]; ok {
		return ds
	}
	a := &inheritArrays[i]
	var out []syntax.Directive
	if c.settings[i] == nil {
		c.settings[i] = c.ix.Settings(a.name)
	}
	s := c.settings[i].At(level)
	if s.IsSet() && !c.offBetween(level, s.Level, i) && !a.turnsOff(s.Directives) {
		out = s.Directives
		if !s.Level.IsZero() && c.mode(s.Level, i) != model.ArrayOff {
			if up := c.wanted(s.Level.BlockParent(), i); len(up) > 0 {
				set := a.keys(s.Directives, nil)
				out = append([]syntax.Directive(nil), s.Directives...)
				for _, e := range up {
					if e.NArgs() > 0 && !set.has(e.Arg(0)) {
						out = append(out, e)
					}
				}
			}
		}
	}
	if len(out) > maxWanted {
		out = out[:maxWanted:maxWanted]
	}
	if len(out) > len(s.Directives) {
		// Merged from several levels: remember it, for the levels
		// inside, however many there are.
		if c.wants == nil {
			c.wants = map[wantKey][]syntax.Directive{}
		}
		c.wants[k] = out
	}
	c.recent[slot].k, c.recent[slot].ds, c.recent[slot].ok = k, out, true
	return out
}

// offBetween reports whether a level from inner up to outer (excluded),
// which set no entries of array i, turns the outer ones off.
func (c *inheritChecker) offBetween(inner, outer syntax.Directive, i int) bool {
	if !c.controlled[i] {
		return false
	}
	for b := inner; b != outer && !b.IsZero(); b = b.BlockParent() {
		if c.mode(b, i) == model.ArrayOff {
			return true
		}
	}
	return false
}

// turnsOff reports whether a level's entries ds turn the outer ones off
// ("proxy_cookie_path off;"): the level then asks for none.
func (a *inheritArray) turnsOff(ds []syntax.Directive) bool {
	if !a.off {
		return false
	}
	for _, d := range ds {
		if d.NArgs() == 1 && strings.EqualFold(d.Arg(0), "off") {
			return true
		}
	}
	return false
}

// keySet is the names of a level's entries.
type keySet struct {
	a    *inheritArray
	keys []string
	many map[string]bool // for many entries: the names, folded for a.fold
}

// smallSet is the number of entries up to which a keySet compares names
// one by one.
const smallSet = 16

// keys returns the names of the entries ds, kept in buf when they are
// few.
func (a *inheritArray) keys(ds []syntax.Directive, buf []string) keySet {
	s := keySet{a: a}
	if len(ds) > smallSet {
		s.many = make(map[string]bool, len(ds))
		for _, d := range ds {
			if d.NArgs() > 0 {
				s.many[a.fold1(d.Arg(0))] = true
			}
		}
		return s
	}
	s.keys = buf[:0]
	for _, d := range ds {
		if d.NArgs() > 0 {
			s.keys = append(s.keys, d.Arg(0))
		}
	}
	return s
}

// fold1 is a name as keySet.many holds it.
func (a *inheritArray) fold1(k string) string {
	if a.fold {
		return strings.ToLower(k)
	}
	return k
}

// has reports whether an entry of the set is named key.
func (s keySet) has(key string) bool {
	if s.many != nil {
		return s.many[s.a.fold1(key)]
	}
	for _, k := range s.keys {
		if k == key || s.a.fold && strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// report reports that block loses the entries dropped of a because of
// its own entries own, with the fix when it is fixable (all the lost
// entries are known).
func (c *inheritChecker) report(block syntax.Directive, a *inheritArray, own, dropped []syntax.Directive, resets, fixable bool) {
	p := c.p
	what := blockWhat(block)
	lost := c.listNames(p, a, dropped)
	msg := fmt.Sprintf("this %s drops %s %s: it sets %s of its own, and nginx then inherits none of the outer ones; set them here too",
		what, a.name, lost, a.name)
	if control := c.ix.ArrayControl(a.name); control != "" && !resets {
		if p.NginxVersion != "" {
			msg += fmt.Sprintf(" (or write %s merge;)", control)
		} else if vs := nginx.Variants(control); len(vs) > 0 && !vs[0].Since.IsZero() {
			msg += fmt.Sprintf(" (or, with nginx %s or later, write %s merge;)", vs[0].Since, control)
		}
	}
	d := blockDiagnostic(p, block, msg)
	at := readAt(block, own[0])
	switch {
	case at.IsZero() || !own[0].File().Stock:
		d.Related = append(d.Related, lint.RelatedTo(own[0], fmt.Sprintf("this %s makes the %s inherit none of the outer ones", a.name, what)))
	default:
		// A file of the nginx package: the include line is the tree's.
		d.Related = append(d.Related, lint.RelatedTo(at, fmt.Sprintf("this include sets %s, which makes the %s inherit none of the outer ones", a.name, what)))
	}

	// Where the lost entries are set: each line, or the include line of
	// a file that brings only lost entries (fastcgi_params).
	carriers := make([]syntax.Directive, len(dropped))
	var isDropped map[syntax.Directive]bool
	var last syntax.Directive
	lastOK := false
	for i, e := range dropped {
		inc := levelInclude(e)
		if inc.IsZero() {
			continue
		}
		if inc != last {
			if isDropped == nil {
				isDropped = make(map[syntax.Directive]bool, len(dropped))
				for _, x := range dropped {
					isDropped[x] = true
				}
			}
			last, lastOK = inc, bringsOnly(inc, isDropped)
		}
		if lastOK {
			carriers[i] = inc
		}
	}
	var lines []string
	for i, e := range dropped {
		inc := carriers[i]
		switch {
		case inc.IsZero():
			lines = append(lines, copyText(e))
			if len(d.Related) <= maxRelated {
				d.Related = append(d.Related, lint.RelatedTo(e, fmt.Sprintf("%s %s is set here, and not inherited", a.name, entryName(e.Arg(0)))))
			}
		case i == 0 || carriers[i-1] != inc:
			var names []syntax.Directive
			for j := i; j < len(dropped) && carriers[j] == inc; j++ {
				names = append(names, dropped[j])
			}
			lines = append(lines, copyText(inc))
			d.Related = append(d.Related, lint.RelatedTo(inc, fmt.Sprintf("this include sets %s %s, which are not inherited", a.name, c.listNames(nil, a, names))))
		}
	}
	if edit, ok := insertBefore(at, lines); ok && fixable {
		d.Fixes = []lint.Fix{{Message: fmt.Sprintf("copy the lost %s lines into this %s", a.name, what), Edits: []lint.TextEdit{edit}}}
	}
	p.Report(d)
}

// blockWhat names a block in a message: "location", "server block",
// "if block".
func blockWhat(block syntax.Directive) string {
	if n := block.Name(); n == "location" {
		return n
	}
	return block.Name() + " block"
}

// inheritLevel says where a level is, for a message: "in the server
// block", "in location /api/", "at server level" for the top of a
// snippet.
func inheritLevel(p *lint.Pass, level syntax.Directive) string {
	switch {
	case level.IsZero():
		return "at " + p.Tree.Context + " level"
	case level.Name() == "location":
		return "in " + printable(level.String())
	}
	return "in the " + printable(level.Name()) + " block"
}

// printable returns s for a message: as it is when it is printable
// ASCII, quoted and escaped otherwise; cut when long.
func printable(s string) string {
	const maxLen = 64
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] >= ' ' && s[i] < 0x7f
	}
	if plain && len(s) <= maxLen {
		return s
	}
	if len(s) > maxLen {
		return strconv.QuoteToASCII(s[:maxLen]) + "..."
	}
	return strconv.QuoteToASCII(s)
}

// maxRelated is how many places of lost entries a finding points at;
// the message counts the others.
const maxRelated = 32

// maxNamed is how many entries a message names before "and N more".
const maxNamed = 8

// listNames lists the names of entries, each once, at most maxNamed of
// them, then how many others there are; with p, it says after each run
// of entries of one level where they are set.
func (c *inheritChecker) listNames(p *lint.Pass, a *inheritArray, ds []syntax.Directive) string {
	var b strings.Builder
	var names []string // those listed
	others := 0
	clear(c.others)
	var level syntax.Directive // of the run being written
	place := func() {
		if p != nil && len(names) > 0 {
			b.WriteString(" set " + inheritLevel(p, level))
		}
	}
	for _, d := range ds {
		k := d.Arg(0)
		if slices.ContainsFunc(names, func(n string) bool { return n == k || a.fold && strings.EqualFold(n, k) }) {
			continue
		}
		if len(names) == maxNamed {
			if c.others == nil {
				c.others = map[string]bool{}
			}
			if k := a.fold1(k); !c.others[k] {
				c.others[k] = true
				others++
			}
			continue
		}
		switch lv := d.BlockParent(); {
		case len(names) == 0:
		case p != nil && lv != level:
			place()
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		names = append(names, k)
		b.WriteString(entryName(k))
		level = d.BlockParent()
	}
	place()
	if others > 0 {
		fmt.Fprintf(&b, " and %d more", others)
	}
	return b.String()
}

// entryName renders an entry's name for a message: as written when it
// is a plain token, quoted and escaped otherwise, and cut when long.
func entryName(k string) string {
	const maxLen = 64
	plain := k != ""
	for i := 0; i < len(k) && plain; i++ {
		plain = k[i] > ' ' && k[i] < 0x7f && k[i] != '"' && k[i] != '\\'
	}
	if plain && len(k) <= maxLen {
		return k
	}
	if len(k) > maxLen {
		return strconv.QuoteToASCII(k[:maxLen]) + "..."
	}
	return strconv.QuoteToASCII(k)
}

// levelInclude returns the outermost include directive, written at e's
// level, through which e is read; zero when e is written at its level.
func levelInclude(e syntax.Directive) syntax.Directive {
	var inc syntax.Directive
	for p := e.Parent(); !p.IsZero() && p.IsInclude(); p = p.Parent() {
		inc = p
	}
	return inc
}

// bringsOnly reports whether every directive the include inc reads is
// in ds.
func bringsOnly(inc syntax.Directive, ds map[syntax.Directive]bool) bool {
	for _, d := range inc.Included() {
		switch {
		case d.IsInclude():
			if !bringsOnly(d, ds) {
				return false
			}
		case !ds[d]:
			return false
		}
	}
	return true
}

// copyText is the text of d to copy: as written when it is on one line
// (its spacing kept), else its name and arguments on one line.
func copyText(d syntax.Directive) string {
	if t := d.File().Src[d.Start():d.End()]; !d.IsBlock() && strings.HasSuffix(t, ";") && !strings.ContainsAny(t, "\r\n") {
		return t
	}
	return d.String() + ";"
}

// readAt returns the directive of block's own through which block reads
// d: d itself, or the include line that brings it; zero when d is not in
// block.
func readAt(block, d syntax.Directive) syntax.Directive {
	at := d
	for p := at.Parent(); p != block; p = p.Parent() {
		if p.IsZero() {
			return syntax.Directive{}
		}
		at = p
	}
	return at
}

// insertBefore returns the edit that writes lines before at, a
// directive of a block: each on a line of its own with at's
// indentation, or inline when something precedes at on its line. It
// reports false when at is not in the tree's own files.
func insertBefore(at syntax.Directive, lines []string) (lint.TextEdit, bool) {
	if at.IsZero() || len(lines) == 0 {
		return lint.TextEdit{}, false
	}
	f := at.File()
	if f.Stock {
		return lint.TextEdit{}, false
	}
	src := f.Src
	start := int(at.Start())
	ls := strings.LastIndexByte(src[:start], '\n') + 1
	indent := src[ls:start]
	if strings.Trim(indent, " \t") != "" {
		return lint.TextEdit{File: f, Start: start, End: start, NewText: strings.Join(lines, " ") + " "}, true
	}
	nl := "\n" // the line's own ending, as the file writes it
	if e := strings.IndexByte(src[start:], '\n'); e > 0 && src[start+e-1] == '\r' {
		nl = "\r\n"
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(indent + l + nl)
	}
	return lint.TextEdit{File: f, Start: ls, End: ls, NewText: b.String()}, true
}
