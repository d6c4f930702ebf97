package syntax

import (
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tufanbarisyildirim/gonginx/config"
	gonginx "github.com/tufanbarisyildirim/gonginx/parser"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// This file checks the parser against an independent one,
// github.com/tufanbarisyildirim/gonginx: on every input both accept, the
// two trees must hold the same directives, in the same order, with the same
// arguments and the same block structure, and gonginx's line for each
// directive must be the line of our terminating ";" or "}".
//
// gonginx does not give the tree back exactly as written, so its output is
// normalised, and ours brought to the same shape, as follows:
//
//   - Names and arguments: gonginx keeps a token's source text (quotes and
//     backslash escapes included), so it is compared with the source text of
//     our name and argument spans, not with the unescaped Value. gonginx
//     reads the input with bufio.Reader.ReadRune, which turns every byte
//     that is not valid UTF-8 into U+FFFD; our text is mapped the same way.
//   - Reordering: gonginx moves the server blocks of an http block after
//     its other directives, and the server directives of an upstream block
//     after its other directives. The children of http and upstream blocks
//     are therefore compared as multisets (each child with its whole
//     subtree, in which http and upstream children are sorted); equal
//     children are then paired in order and compared like the children of
//     every other block, which are compared in order.
//   - Rebuilt directives: gonginx turns every "server" directive without a
//     block (and every "server" inside an upstream block) into an
//     UpstreamServer whose arguments it rebuilds: the address, then the
//     key=value arguments sorted by key (a repeated key keeps its last
//     value), then the other arguments; it has no block. Its http and server
//     blocks report no arguments, its upstream blocks only the first one.
//     Our directives are rewritten the same way before comparing.
//   - Line: gonginx records the line of a directive's terminator (the ";"
//     or the closing "}"), not of its name; we compare it with the line of
//     our End-1. Columns and offsets: gonginx has none.
//
// Inputs are skipped (and counted) when either parser rejects them, and
// when they hold what gonginx is known to read wrongly without an error:
//
//   - a quoted string containing `\\"` or `\\'` (it takes the second backslash
//     as escaping the quote, so "x\\" runs on past its end);
//   - a bare word containing a backslash-escaped blank (`a\ b`: it ends the
//     word at the blank);
//   - a NUL byte (its lexer takes rune 0 for the end of the input);
//   - a *_by_lua_block directive (it re-tokenizes the Lua code).
//
// A stray top-level "}" also makes gonginx stop silently, but we reject that
// input anyway, and comments are not compared at all (gonginx attaches a
// comment at the end of a block to the next directive outside it). gonginx
// recurses once per block level and overflows the stack on very deep
// nesting: inputs nested deeper than maxGonginxDepth are skipped. gonginx is
// run with WithSkipValidDirectivesErr (it otherwise rejects directives it
// does not know) and WithSkipComments.

const (
	corpusDir        = "../../../shared/corpus" // from this package's directory
	gonginxGenerated = 300                      // generated configurations compared
	maxGonginxDepth  = 100
	maxCorpusFile    = 4 << 20
)

// gnode is one directive in the shape both trees are compared in.
type gnode struct {
	name     string
	args     []string
	block    bool
	line     int // of the terminating ";" or "}"
	children []*gnode
}

// key renders n and its subtree for comparison (without lines), with the
// children of blocks gonginx reorders sorted.
func (n *gnode) key() string {
	var b strings.Builder
	n.write(&b, "")
	return b.String()
}

func (n *gnode) write(b *strings.Builder, ind string) {
	b.WriteString(ind)
	fmt.Fprintf(b, "%q", n.name)
	for _, a := range n.args {
		fmt.Fprintf(b, " %q", a)
	}
	if !n.block {
		b.WriteString(";\n")
		return
	}
	b.WriteString(" {\n")
	var kids []string
	for _, c := range n.children {
		var cb strings.Builder
		c.write(&cb, ind+"  ")
		kids = append(kids, cb.String())
	}
	if reorders(n) {
		slices.Sort(kids)
	}
	for _, k := range kids {
		b.WriteString(k)
	}
	b.WriteString(ind + "}\n")
}

// reorders reports whether gonginx may reorder the children of n.
func reorders(n *gnode) bool { return n.block && (n.name == "http" || n.name == "upstream") }

// asReadRune maps s as bufio.Reader.ReadRune reads it: each byte that is
// not part of valid UTF-8 becomes U+FFFD.
func asReadRune(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		b.WriteRune(r) // utf8.RuneError for an invalid byte, with size 1
		s = s[size:]
	}
	return b.String()
}

// upstreamServerArgs rebuilds the arguments of a "server" directive the way
// gonginx's UpstreamServer does.
func upstreamServerArgs(args []string) []string {
	addr := ""
	params := map[string]string{}
	var flags []string
	for i, a := range args {
		if i == 0 {
			addr = a
			continue
		}
		if k, v, ok := strings.Cut(a, "="); ok {
			params[k] = v
		} else {
			flags = append(flags, a)
		}
	}
	out := []string{addr}
	for _, k := range slices.Sorted(maps.Keys(params)) {
		out = append(out, k+"="+params[k])
	}
	return append(out, flags...)
}

// ourNodes converts our directives, normalised as described above. parent
// is the enclosing block's name.
func ourNodes(f *File, ds []Directive, parent string) []*gnode {
	var out []*gnode
	for _, d := range ds {
		n := &gnode{
			name:  asReadRune(f.Src[d.Start():d.NameEnd()]),
			block: d.IsBlock(),
			line:  f.Position(int(d.End()) - 1).Line,
		}
		for _, a := range d.Args() {
			n.args = append(n.args, asReadRune(f.Src[a.Start:a.End]))
		}
		switch {
		case n.name == "server" && (!n.block || parent == "upstream"):
			n.args = upstreamServerArgs(n.args)
			n.block = false
		case n.block && (n.name == "http" || n.name == "server"):
			n.args = nil
		case n.block && n.name == "upstream" && len(n.args) > 1:
			n.args = n.args[:1]
		}
		if n.block {
			n.children = ourNodes(f, d.Block(), n.name)
		}
		out = append(out, n)
	}
	return out
}

// gonginxNodes converts gonginx's directives.
func gonginxNodes(ds []config.IDirective) []*gnode {
	var out []*gnode
	for _, d := range ds {
		n := &gnode{name: d.GetName(), line: d.GetLine()}
		for _, p := range d.GetParameters() {
			n.args = append(n.args, p.GetValue())
		}
		if b := d.GetBlock(); b != nil {
			n.block = true
			n.children = gonginxNodes(b.GetDirectives())
		}
		out = append(out, n)
	}
	return out
}

// diffNodes compares two lists of siblings and returns the differences.
// unordered siblings are matched by their canonical key (gonginx keeps the
// relative order of equal ones), then compared pairwise like ordered ones.
func diffNodes(ours, theirs []*gnode, path string, unordered bool) []string {
	if unordered {
		byKey := map[string][]*gnode{}
		for _, n := range ours {
			byKey[n.key()] = append(byKey[n.key()], n)
		}
		var extra, missing []string
		var pairs [][2]*gnode
		for _, g := range theirs {
			k := g.key()
			if q := byKey[k]; len(q) > 0 {
				pairs = append(pairs, [2]*gnode{q[0], g})
				byKey[k] = q[1:]
			} else {
				extra = append(extra, k)
			}
		}
		for _, n := range ours {
			if q := byKey[n.key()]; len(q) > 0 && q[0] == n {
				missing = append(missing, n.key())
				byKey[n.key()] = q[1:]
			}
		}
		if len(missing) > 0 || len(extra) > 0 {
			return []string{fmt.Sprintf("%s: children differ (compared as a multiset)\nonly ours:\n%s\nonly gonginx:\n%s",
				path, strings.Join(missing, ""), strings.Join(extra, ""))}
		}
		var diffs []string
		for i, p := range pairs {
			diffs = append(diffs, diffNode(p[0], p[1], fmt.Sprintf("%s/%s[~%d]", path, p[0].name, i))...)
		}
		return diffs
	}
	var diffs []string
	for i := 0; i < max(len(ours), len(theirs)); i++ {
		switch {
		case i >= len(ours):
			diffs = append(diffs, fmt.Sprintf("%s: gonginx has an extra directive %s", path, strings.TrimSpace(theirs[i].key())))
		case i >= len(theirs):
			diffs = append(diffs, fmt.Sprintf("%s: gonginx lacks directive %s", path, strings.TrimSpace(ours[i].key())))
		default:
			diffs = append(diffs, diffNode(ours[i], theirs[i], fmt.Sprintf("%s/%s[%d]", path, ours[i].name, i))...)
		}
	}
	return diffs
}

// diffNode compares one directive and its subtree.
func diffNode(o, g *gnode, here string) []string {
	if o.name != g.name || !slices.Equal(o.args, g.args) || o.block != g.block {
		return []string{fmt.Sprintf("%s: ours %q %q block=%v, gonginx %q %q block=%v", here, o.name, o.args, o.block, g.name, g.args, g.block)}
	}
	var diffs []string
	if o.line != g.line {
		diffs = append(diffs, fmt.Sprintf("%s: ends on line %d, gonginx says line %d", here, o.line, g.line))
	}
	return append(diffs, diffNodes(o.children, g.children, here, reorders(o))...)
}

// gonginxExclusion returns why the input of f (parsed without error) must
// not be given to gonginx, or "".
func gonginxExclusion(f *File) string {
	switch {
	case strings.IndexByte(f.Src, 0) >= 0:
		return "contains a NUL byte (gonginx's lexer takes rune 0 for the end of the input)"
	case strings.Contains(f.Src, "_by_lua_block"):
		return "contains a *_by_lua_block (gonginx re-tokenizes the Lua code)"
	}
	why := ""
	walk(f.Directives(), func(d Directive) {
		words := append([]Arg{{Start: d.Start(), End: d.NameEnd(), Quote: quoteOf(f.Src[d.Start()])}}, d.Args()...)
		for _, a := range words {
			raw := f.Src[a.Start:a.End]
			switch {
			case why != "":
			case a.Quote != 0 && strings.Contains(raw[1:], `\\`+string(a.Quote)):
				why = `a quoted string contains \\" or \\' (gonginx takes the second backslash as escaping the quote)`
			case a.Quote == 0 && escapedBlank.MatchString(raw):
				why = "a bare word contains a backslash-escaped blank (gonginx ends the word there)"
			}
		}
	})
	return why
}

var escapedBlank = regexp.MustCompile(`\\[ \t\r\n]`)

func quoteOf(c byte) byte {
	if c == '"' || c == '\'' {
		return c
	}
	return 0
}

func walk(ds []Directive, fn func(Directive)) {
	for _, d := range ds {
		fn(d)
		walk(d.Block(), fn)
	}
}

// depth returns the deepest block nesting of ds.
func depth(ds []Directive) int {
	d := 0
	for _, x := range ds {
		if x.Block() != nil {
			d = max(d, 1+depth(x.Block()))
		}
	}
	return d
}

// gonginxParse parses src with gonginx, turning a panic into an error.
func gonginxParse(src string) (c *config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return gonginx.NewStringParser(src, gonginx.WithSkipValidDirectivesErr(), gonginx.WithSkipComments()).Parse()
}

type gonginxStats struct {
	compared, oursReject, gonginxReject, gonginxPanic int
	excluded                                          map[string]int
}

// compareWithGonginx compares one input; it returns the differences found,
// or nil when the input was skipped or agrees.
func compareWithGonginx(name, src string, st *gonginxStats) []string {
	f := &File{Name: name, Src: src}
	if errs := Parse(f, nginx.Grammar{}); len(errs) > 0 {
		st.oursReject++
		return nil
	}
	if why := gonginxExclusion(f); why != "" {
		st.excluded[why]++
		return nil
	}
	if depth(f.Directives()) > maxGonginxDepth {
		st.excluded["nested deeper than gonginx's stack allows"]++
		return nil
	}
	c, err := gonginxParse(src)
	if err != nil {
		if strings.HasPrefix(err.Error(), "panic: ") {
			st.gonginxPanic++
		}
		st.gonginxReject++
		return nil
	}
	st.compared++
	return diffNodes(ourNodes(f, f.Directives(), ""), gonginxNodes(c.GetDirectives()), name, false)
}

func (st *gonginxStats) log(t *testing.T, what string) {
	t.Logf("%s: compared %d; skipped: we reject %d, gonginx rejects %d (%d of them by panicking)",
		what, st.compared, st.oursReject, st.gonginxReject, st.gonginxPanic)
	for _, k := range slices.Sorted(maps.Keys(st.excluded)) {
		t.Logf("%s: excluded %d: %s", what, st.excluded[k], k)
	}
}

func TestGonginxCorpus(t *testing.T) {
	corpusDir := corpusDir
	if d := os.Getenv("NGINXLINT_CORPUS"); d != "" {
		corpusDir = d
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not found at %s (it lives in the shared folder beside the repository): %v", corpusDir, err)
	}
	st := &gonginxStats{excluded: map[string]int{}}
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if fi, err := d.Info(); err != nil || fi.Size() > maxCorpusFile {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, p)
		for _, diff := range compareWithGonginx(rel, string(data), st) {
			t.Errorf("%s", diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st.log(t, "corpus")
	if st.compared < 100 {
		t.Errorf("only %d corpus files were compared; expected hundreds", st.compared)
	}
}

func TestGonginxGenerated(t *testing.T) {
	st := &gonginxStats{excluded: map[string]int{}}
	for i := range gonginxGenerated {
		seed := uint64(diffSeedBase + i)
		r := rand.New(rand.NewPCG(seed, 0x6e67696e786c696e))
		src, _ := genConfig(r, "/nonexistent/state")
		name := fmt.Sprintf("seed=%d", seed)
		if diffs := compareWithGonginx(name, src, st); len(diffs) > 0 {
			t.Errorf("generated configuration %s differs:\n%s\nconfig:\n%s", name, strings.Join(diffs, "\n"), numbered(src))
		}
	}
	st.log(t, "generated")
	if st.oursReject > 0 {
		t.Errorf("we reject %d generated configurations, which are all valid", st.oursReject)
	}
	if st.compared < gonginxGenerated/3 {
		t.Errorf("only %d of %d generated configurations were compared", st.compared, gonginxGenerated)
	}
}
