package syntax

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

// This file holds a differential test of the parser against the real
// `nginx -t`: a deterministic generator writes valid configurations out of
// directives whose validity does not depend on their argument values, then
// byte-level mutations break them. For every configuration nginx's verdict
// and ours must agree:
//
//   - nginx accepts  ⇔  Load reports no problem of kind syntax or include;
//   - nginx rejects with a syntax-class message (unexpected "X", unexpected
//     end of file, has no opening "{", is not terminated by ";", too long
//     parameter) ⇒ Load reports a syntax problem, the first one on a line ≤
//     nginx's;
//   - nginx rejects for another reason (unknown directive, invalid number of
//     arguments, not allowed here, duplicate location, ...): inconclusive.
//     nginx reads the file in order, so it got to that line without a
//     syntax error; Load may not report one before that line either.
//
// Every case runs as a subtest named after its seed; a failure prints the
// seed, the mutation and the configuration with line numbers. Reproduce one
// case with -run 'TestDifferentialNginx/cases/seed=N$'.

const (
	diffValidCases   = 100 // generated configurations checked as they are
	diffMutatedCases = 200 // generated configurations with byte-level mutations
	diffSeedBase     = 20240601
	// maxInconclusive is the largest share of mutated cases nginx may
	// reject for a non-syntax reason before the generator is deemed poor.
	maxInconclusive = 0.25
)

// syntaxClass reports whether an nginx [emerg] message is about the
// configuration's syntax (what lint/syntax must detect) rather than about a
// directive's meaning.
func syntaxClass(msg string) bool {
	for _, s := range []string{
		`unexpected "`,
		`unexpected end of file`,
		`has no opening "{"`,
		`is not terminated by ";"`,
		`unterminated`,
		`too long parameter`,
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// confGen writes one random configuration. Everything it emits is valid for
// nginx 1.22 whatever the random choices: unique ports, location paths, map
// variables and map keys; nested locations only inside prefix locations and
// under their parent's path; add_header only where nginx allows it.
type confGen struct {
	r      *rand.Rand
	b      strings.Builder
	indent string // one level of indentation
	port   int
	uniq   int
}

func (g *confGen) next() int { g.uniq++; return g.uniq }

func (g *confGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *confGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *confGen) ind(depth int) string { return strings.Repeat(g.indent, depth) }

// sep returns what separates two words of a directive: usually a space,
// sometimes tabs, several spaces, or a line break.
func (g *confGen) sep(depth int) string {
	switch g.r.IntN(12) {
	case 0:
		return "\t"
	case 1:
		return "   "
	case 2:
		return "\n" + g.ind(depth+1)
	case 3:
		return " \t "
	}
	return " "
}

var genComments = []string{
	"# a comment",
	"#no space after the hash",
	"#",
	"# braces { } and ; inside a comment",
	`# quotes " and ' in a comment`,
	"# $var ${var} \\ backslash",
	"#}",
	"##### banner #####",
}

// comment writes a comment line at depth, sometimes.
func (g *confGen) maybeComment(depth int) {
	if g.chance(0.25) {
		g.b.WriteString(g.ind(depth) + g.pick(genComments...) + "\n")
	}
	if g.chance(0.05) {
		g.b.WriteString("\n")
	}
}

// trailer ends a line: nothing, or a comment after the ";" or "{".
func (g *confGen) trailer() string {
	if g.chance(0.15) {
		return " " + g.pick(genComments...)
	}
	return ""
}

// stmt writes a directive ended by ";".
func (g *confGen) stmt(depth int, words ...string) {
	g.b.WriteString(g.ind(depth))
	for i, w := range words {
		if i > 0 {
			g.b.WriteString(g.sep(depth))
		}
		g.b.WriteString(w)
	}
	if g.chance(0.1) {
		g.b.WriteString(" ")
	}
	g.b.WriteString(";" + g.trailer() + "\n")
}

// open writes the head of a block directive.
func (g *confGen) open(depth int, words ...string) {
	g.b.WriteString(g.ind(depth))
	for i, w := range words {
		if i > 0 {
			g.b.WriteString(g.sep(depth))
		}
		g.b.WriteString(w)
	}
	if g.chance(0.1) {
		g.b.WriteString("\n" + g.ind(depth))
	} else {
		g.b.WriteString(" ")
	}
	g.b.WriteString("{" + g.trailer() + "\n")
}

func (g *confGen) close(depth int) {
	g.b.WriteString(g.ind(depth) + "}" + g.trailer() + "\n")
}

// value returns an argument that nginx accepts wherever any string goes
// (add_header values, set values, return texts).
func (g *confGen) value() string {
	return g.pick(
		`v`,
		`"a b"`,
		`"with \"escaped\" quotes"`,
		`'single \'quoted\''`,
		`'double " in single'`,
		`"single ' in double"`,
		`"tab\tnewline\nreturn\r"`,
		`"back\\slash"`,
		`"ends with a backslash\\"`,
		`"${host}x"`,
		`$host`,
		`${uri}_z`,
		`"${request_uri}${host}"`,
		`"brace { in } string; # not a comment"`,
		"\"multi\n   line\"",
		"'multi\n\tline\tsingle'",
		`a\ b`,
		`val#hash`,
		`"other \x escape"`,
		`''`,
		`""`,
		`q"mid"word`,
		`"unicode é ✓"`,
	)
}

func (g *confGen) indexWord() string {
	return g.pick(`index.html`, `a.htm`, `"b c.html"`, `'q.html'`, `x\ y.html`, `index.php`, `${uri}.html`)
}

// simple writes one directive allowed in ctx ("http", "server",
// "location", "if-server", "if-location").
func (g *confGen) simple(ctx string, depth int) {
	switch g.r.IntN(7) {
	case 0:
		if ctx == "http" || ctx == "server" || ctx == "location" {
			words := []string{"index"}
			for n := 1 + g.r.IntN(3); n > 0; n-- {
				words = append(words, g.indexWord())
			}
			g.stmt(depth, words...)
			return
		}
		fallthrough
	case 1, 2:
		if ctx != "if-server" {
			name := fmt.Sprintf("X-H%d", g.next())
			if g.chance(0.1) {
				name = `"` + name + `"`
			}
			dname := "add_header"
			if g.chance(0.05) {
				dname = g.pick(`"add_header"`, `'add_header'`)
			}
			g.stmt(depth, dname, name, g.value())
			return
		}
		fallthrough
	case 3:
		if ctx != "http" {
			g.stmt(depth, "set", fmt.Sprintf("$s%d", g.next()), g.value())
			return
		}
		fallthrough
	case 4:
		if ctx != "http" {
			switch g.r.IntN(3) {
			case 0:
				g.stmt(depth, "return", "403")
			case 1:
				g.stmt(depth, "return", "200", g.value())
			default:
				g.stmt(depth, "return", "301", "/elsewhere")
			}
			return
		}
		fallthrough
	case 5:
		if ctx == "server" {
			g.stmt(depth, "server_name", g.pick("extra.test", `"*.wild.test"`, `'q.test'`))
			return
		}
		fallthrough
	default:
		g.b.WriteString(g.ind(depth) + g.pick(genComments...) + "\n")
	}
}

func (g *confGen) ifBlock(ctx string, depth int) {
	cond := g.pick(
		`($http_x = "y")`,
		`($http_x = y)`,
		`($request_method = POST)`,
		`( $http_x_a )`,
		`($http_x != "z")`,
		`($uri ~ "^/a")`,
		`($uri ~* \.php$)`,
		`(-f $request_filename)`,
		`($args ~ "a{1,2}")`,
	)
	g.open(depth, "if", cond)
	for n := 1 + g.r.IntN(2); n > 0; n-- {
		g.simple("if-"+ctx, depth+1)
	}
	g.close(depth)
}

// location writes a location block; path is its prefix (for nesting).
func (g *confGen) location(parent string, depth, level int) {
	n := g.next()
	path := fmt.Sprintf("%s/l%d", parent, n)
	nestable := true
	var words []string
	switch g.r.IntN(8) {
	case 0:
		words = []string{"location", "=", path}
		nestable = false
	case 1:
		words = []string{"location", "^~", path}
	case 2:
		if level == 0 || g.chance(0.5) {
			words = []string{"location", "~", fmt.Sprintf(`\.x%d$`, n)}
		} else {
			words = []string{"location", "~*", fmt.Sprintf(`"^%s/(a|b){1,3}$"`, path)}
		}
		nestable = false
	case 3:
		words = []string{"location", `"` + path + `"`}
	default:
		words = []string{"location", path}
	}
	g.open(depth, words...)
	for k := g.r.IntN(5); k > 0; k-- {
		g.maybeComment(depth + 1)
		switch g.r.IntN(6) {
		case 0:
			g.ifBlock("location", depth+1)
		case 1:
			if nestable && level < 3 {
				g.location(path, depth+1, level+1)
				break
			}
			fallthrough
		default:
			g.simple("location", depth+1)
		}
	}
	g.close(depth)
}

func (g *confGen) server(depth int) {
	g.open(depth, "server")
	g.port++
	g.stmt(depth+1, "listen", fmt.Sprintf("127.0.0.1:%d", g.port))
	names := []string{"server_name"}
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		names = append(names, g.pick("a.test", "www.a.test", `"b.test"`, "*.c.test", "d.test", `'e.test'`))
	}
	g.stmt(depth+1, names...)
	for k := g.r.IntN(7); k > 0; k-- {
		g.maybeComment(depth + 1)
		switch g.r.IntN(7) {
		case 0:
			g.ifBlock("server", depth+1)
		case 1, 2:
			g.location("", depth+1, 0)
		default:
			g.simple("server", depth+1)
		}
	}
	g.close(depth)
}

func (g *confGen) mapBlock(depth int) {
	n := g.next()
	g.open(depth, "map", fmt.Sprintf("$http_x_m%d", n), fmt.Sprintf("$m%d", n))
	g.stmt(depth+1, "default", g.pick("0", `""`, `"d v"`))
	for k := 1 + g.r.IntN(4); k > 0; k-- {
		g.maybeComment(depth + 1)
		key := fmt.Sprintf("k%d", k)
		switch g.r.IntN(3) {
		case 0:
			key = `"` + key + `"`
		case 1:
			key = `'` + key + `'`
		}
		g.stmt(depth+1, key, g.pick("1", `"two words"`, `'x'`, "$uri"))
	}
	g.close(depth)
}

// genConfig returns a valid configuration and the offset where its body
// starts: what comes before (nginxtest's preambles, which must stay intact
// for nginxtest.Check) is never mutated. stateDir is where nginx may write
// (lock file, logs, temporary directories).
func genConfig(r *rand.Rand, stateDir string) (src string, bodyStart int) {
	g := &confGen{r: r, port: 20000 + r.IntN(20000)}
	g.indent = g.pick("    ", "  ", "\t", " \t")
	crlf := g.chance(0.2)

	g.b.WriteString(nginxtest.MainPreamble(stateDir))
	g.maybeComment(0)
	g.b.WriteString("http {\n")
	g.b.WriteString(nginxtest.HTTPPreamble(stateDir))
	bodyStart = g.b.Len()
	for k := g.r.IntN(3); k > 0; k-- {
		g.maybeComment(1)
		g.simple("http", 1)
	}
	if g.chance(0.4) {
		g.maybeComment(1)
		g.mapBlock(1)
	}
	for k := 1 + g.r.IntN(3); k > 0; k-- {
		g.maybeComment(1)
		g.server(1)
	}
	g.maybeComment(1)
	g.b.WriteString("}")
	if g.chance(0.9) {
		g.b.WriteString("\n")
	}
	if g.chance(0.2) {
		g.b.WriteString(g.pick(genComments...))
	}
	src = g.b.String()
	if crlf {
		head := strings.ReplaceAll(src[:bodyStart], "\n", "\r\n")
		src = head + strings.ReplaceAll(src[bodyStart:], "\n", "\r\n")
		bodyStart = len(head)
	}
	return src, bodyStart
}

// mutate applies one byte-level change to body and describes it. head is
// the text before body (for line numbers only): the choices depend on body
// alone, so that a seed gives the same mutation whatever the temporary
// directory named in head.
func mutate(r *rand.Rand, head, body string) (string, string) {
	headLines := strings.Count(head, "\n")
	line := func(off int) int { return headLines + strings.Count(body[:off], "\n") + 1 }
	switch r.IntN(4) {
	case 0: // delete a ; { } or quote
		c := ";{}\"'"[r.IntN(5)]
		var at []int
		for i := range len(body) {
			if body[i] == c {
				at = append(at, i)
			}
		}
		if len(at) > 0 {
			i := at[r.IntN(len(at))]
			return body[:i] + body[i+1:], fmt.Sprintf("delete %q at body offset %d (line %d)", c, i, line(i))
		}
		fallthrough
	case 1: // insert a character that matters to the scanner
		c := ";{}\"'#\\$"[r.IntN(8)]
		i := r.IntN(len(body) + 1)
		return body[:i] + string(c) + body[i:], fmt.Sprintf("insert %q at body offset %d (line %d)", c, i, line(i))
	case 2: // duplicate a line
		var starts []int
		for i := range len(body) {
			if i == 0 || body[i-1] == '\n' {
				starts = append(starts, i)
			}
		}
		s := starts[r.IntN(len(starts))]
		e := strings.IndexByte(body[s:], '\n')
		if e < 0 {
			e = len(body)
		} else {
			e += s + 1
		}
		dup := body[s:e]
		if !strings.HasSuffix(dup, "\n") {
			dup += "\n"
		}
		return body[:e] + dup + body[e:], fmt.Sprintf("duplicate line %d", line(s))
	default: // truncate
		i := r.IntN(len(body))
		return body[:i], fmt.Sprintf("truncate at body offset %d (line %d)", i, line(i))
	}
}

// numbered returns src with line numbers, for failure messages.
func numbered(src string) string {
	var b strings.Builder
	for i, l := range strings.SplitAfter(src, "\n") {
		if l == "" {
			continue
		}
		fmt.Fprintf(&b, "%4d| %q\n", i+1, strings.TrimSuffix(l, "\n"))
	}
	return b.String()
}

// lintVerdict loads the tree in dir and returns its syntax and include
// problems.
func lintVerdict(t *testing.T, dir string) []*Problem {
	t.Helper()
	tree, err := Load(Options{Grammar: nginx.Grammar{}, Path: filepath.Join(dir, "nginx.conf"), Prefix: dir})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, p := range tree.ReadErrors {
		t.Errorf("unexpected read error: %s", p.Error.Error())
	}
	var out []*Problem
	for _, p := range tree.Problems {
		switch p.Kind {
		case KindSyntax, KindInclude, KindOutside:
			out = append(out, p)
		}
	}
	return out
}

func problemLine(p *Problem) int { return p.File.Position(p.Start).Line }

func describeProblems(ps []*Problem) string {
	if len(ps) == 0 {
		return "no problem"
	}
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n    [%s] %s", p.Kind, p.Error.Error())
	}
	return b.String()
}

// reason reduces an nginx message to its kind, dropping quoted names.
func reason(msg string) string {
	var b strings.Builder
	in := false
	for _, c := range msg {
		switch {
		case c == '"':
			if !in {
				b.WriteString(`"…"`)
			}
			in = !in
		case !in:
			b.WriteRune(c)
		}
	}
	return b.String()
}

type diffStats struct {
	valid, mutated, accepted, syntax, inconclusive int
	reasons                                        map[string]int // inconclusive cases by nginx message
}

func TestDifferentialNginx(t *testing.T) {
	nginxtest.Binary(t)
	state := t.TempDir()
	st := diffStats{reasons: map[string]int{}}
	t.Run("cases", func(t *testing.T) {
		for i := range diffValidCases + diffMutatedCases {
			seed := uint64(diffSeedBase + i)
			t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
				diffCase(t, seed, i >= diffValidCases, state, &st)
			})
		}
	})
	t.Logf("%d valid and %d mutated cases: nginx accepted %d, rejected %d for syntax, %d inconclusive (%.1f%% of mutated cases)",
		st.valid, st.mutated, st.accepted, st.syntax, st.inconclusive, 100*float64(st.inconclusive)/float64(max(st.mutated, 1)))
	for _, k := range slices.Sorted(maps.Keys(st.reasons)) {
		t.Logf("inconclusive: %3d × %s", st.reasons[k], k)
	}
	if st.mutated > 0 && float64(st.inconclusive) > maxInconclusive*float64(st.mutated) {
		t.Errorf("%d of %d mutated cases are inconclusive (nginx rejected them for a non-syntax reason), more than %.0f%%: make the generator's output more robust to mutations",
			st.inconclusive, st.mutated, 100*maxInconclusive)
	}
}

func diffCase(t *testing.T, seed uint64, mutated bool, state string, st *diffStats) {
	r := rand.New(rand.NewPCG(seed, 0x6e67696e786c696e))
	src, body := genConfig(r, state)
	what := "as generated"
	if mutated {
		var mutated string
		mutated, what = mutate(r, src[:body], src[body:])
		src = src[:body] + mutated
		st.mutated++
	} else {
		st.valid++
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, out := nginxtest.Check(t, dir, "nginx.conf")
	probs := lintVerdict(t, dir)
	report := func(format string, args ...any) {
		t.Helper()
		t.Errorf("seed %d (%s): %s\nnginx -t: %s\nlint/syntax: %s\nconfig:\n%s",
			seed, what, fmt.Sprintf(format, args...), strings.TrimSpace(out), describeProblems(probs), numbered(src))
	}
	if ok {
		st.accepted++
		if len(probs) > 0 {
			report("nginx accepts the configuration, lint/syntax reports problems")
		}
		return
	}
	if !mutated {
		report("the generator wrote a configuration nginx rejects")
		return
	}
	msg, _, line, found := nginxtest.ParseError(out)
	if !found {
		report("cannot find nginx's error message")
		return
	}
	if syntaxClass(msg) {
		st.syntax++
		switch {
		case len(probs) == 0:
			report("nginx rejects the syntax (%s, line %d), lint/syntax reports nothing", msg, line)
		case problemLine(probs[0]) > line:
			report("nginx rejects the syntax at line %d (%s), lint/syntax's first problem is later, at line %d", line, msg, problemLine(probs[0]))
		}
		return
	}
	// nginx read everything up to line without a syntax error.
	st.inconclusive++
	st.reasons[reason(msg)]++
	if line > 0 && len(probs) > 0 && problemLine(probs[0]) < line {
		report("nginx read up to line %d without a syntax error (then: %s), lint/syntax reports one at line %d", line, msg, problemLine(probs[0]))
	}
}
