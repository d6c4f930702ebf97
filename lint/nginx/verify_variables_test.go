package nginx

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

// The checks of the generated variables and value sets against the
// nginx installed here, with verify_test.go's harness: lines placed in
// their contexts, settled by runAll.

// noSuchVariable is a name no module defines.
const noSuchVariable = "nginxlint_no_such_variable"

// fact is one fact of the table and the line that tests it.
type fact struct {
	what  string
	p     *placed
	check func() string // "" when nginx agrees
}

// TestVariablesMatchNginx checks the generated variables against the
// nginx installed here: every variable of a module nginx has (its own
// and the installed third-party ones the table knows), in the nginx
// version it is, is known to nginx (return 200 "$NAME" in a location,
// return "$NAME" in a stream server; a family as NAME+"x"), and a
// definition of it (map $uri $NAME {}) fails with "the duplicate
// variable" exactly when the variable is not changeable (a family's
// names never do). An invented name is unknown, and a definition of it
// is taken.
func TestVariablesMatchNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t on every variable")
	}
	nginxtest.Binary(t)
	version, ok := ParseVersion(nginxtest.Version(t))
	if !ok {
		t.Fatalf("nginx version %q", nginxtest.Version(t))
	}
	setup := withThirdParty(t, nginxModules(t, version))
	hasStream := setup.have["ngx_stream_module"]
	var facts []fact
	var counts struct{ http, stream, prefix, changeable, duplicate, thirdParty int }
	seen := map[variableKey]bool{}
	n := 0
	add := func(what, name string, stream, known, duplicate bool) {
		n++
		var use, def *placed
		if stream {
			use = &placed{c: Stream, line: fmt.Sprintf(`server { listen 127.0.0.1:%d; return "$%s"; }`, 10000+n, name)}
			def = &placed{c: Stream, line: fmt.Sprintf("map $remote_addr $%s { }", name)}
		} else {
			use = &placed{c: HTTPServer, line: fmt.Sprintf(`location = /%d { return 200 "$%s"; }`, n, name)}
			def = &placed{c: HTTP, line: fmt.Sprintf("map $uri $%s { }", name)}
		}
		unknownMsg := fmt.Sprintf("unknown %q variable", strings.ToLower(name))
		facts = append(facts, fact{what, use, func() string {
			switch {
			case known && use.verdict != "":
				return "the table has it, nginx does not know it"
			case !known && !strings.Contains(use.verdict, unknownMsg):
				return "the table does not have it, nginx knows it"
			}
			return ""
		}})
		dupMsg := fmt.Sprintf("the duplicate %q variable", name)
		facts = append(facts, fact{what, def, func() string {
			switch {
			case duplicate && !strings.Contains(def.verdict, dupMsg):
				return "the table says it is not changeable, nginx takes a definition of it"
			case !duplicate && def.verdict != "":
				return "the table says a configuration may define it, nginx refuses"
			}
			return ""
		}})
	}
	for i := range generatedVariables {
		v := &generatedVariables[i]
		if !setup.have[v.Module] || !v.In(version) || v.Stream && !hasStream || seen[variableKey{v.Name, v.Stream}] && !v.Prefix {
			continue
		}
		seen[variableKey{v.Name, v.Stream}] = true
		name := v.Name
		if v.Prefix {
			name += "x"
			counts.prefix++
		}
		if v.Stream {
			counts.stream++
		} else {
			counts.http++
		}
		if v.Changeable {
			counts.changeable++
		}
		if ModuleNamed(v.Module).ThirdParty() {
			counts.thirdParty++
		}
		// A name of an exact variable is refused again unless every
		// module defining it says changeable.
		duplicate := false
		for _, w := range BuiltinVariables(name, v.Stream) {
			if !w.Prefix && setup.have[w.Module] && w.In(version) && !w.Changeable {
				duplicate = true
			}
		}
		if duplicate {
			counts.duplicate++
		}
		add(fmt.Sprintf("$%s of %s", name, v.Module), name, v.Stream, true, duplicate)
	}
	// nginx ignores the case of a name, as BuiltinVariables does.
	add("$HOST", "HOST", false, BuiltinVariables("HOST", false) != nil, true)
	add("$"+noSuchVariable, noSuchVariable, false, BuiltinVariables(noSuchVariable, false) != nil, false)
	if hasStream {
		add("stream $"+noSuchVariable, noSuchVariable, true, BuiltinVariables(noSuchVariable, true) != nil, false)
	}
	if counts.http < 100 || hasStream && counts.stream < 30 {
		t.Fatalf("only %d http and %d stream variables to check", counts.http, counts.stream)
	}
	failed, runs := settle(t, facts, setup)
	t.Logf("nginx %v: %d http variables (%d prefix families, %d of third-party modules), %d stream variables; "+
		"%d changeable, %d refused when defined again; %d facts checked in %d runs of nginx -t, %d mismatches",
		version, counts.http, counts.prefix, counts.thirdParty, counts.stream, counts.changeable, counts.duplicate,
		len(facts), runs, failed)
}

// TestValuesMatchNginx checks the value sets of the enum and bitmask
// directives against the nginx installed here: for every such variant
// of a module nginx has, each of its Values in a line of its own is
// taken, the first in upper case too (nginx ignores case), and a word
// not among them is refused with "invalid value". Values are the newest
// version's: a word that came after the installed version is logged,
// and must be one of laterValues.
func TestValuesMatchNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t on every value of every enum and bitmask directive")
	}
	nginxtest.Binary(t)
	version, ok := ParseVersion(nginxtest.Version(t))
	if !ok {
		t.Fatalf("nginx version %q", nginxtest.Version(t))
	}
	setup := nginxModules(t, version)
	hasStream := setup.have["ngx_stream_module"]
	// rounds of facts: a directive placed in a block shared with others
	// (not wrapped in its own) is once in each round, as an enum one
	// refuses to be repeated there ("is duplicate").
	var rounds [][]fact
	place := func(round int, f fact) {
		for len(rounds) <= round {
			rounds = append(rounds, nil)
		}
		rounds[round] = append(rounds[round], f)
	}
	const bogus = "nginxlint_bogus"
	directives, words, n := 0, 0, 0
	var later []string
	for i := range generatedVariants {
		v := &generatedVariants[i]
		if v.Values == nil || !setup.have[v.Module] || !v.In(version) {
			continue
		}
		round := 0
		line := func(word string) (*placed, bool) {
			n++
			text := v.Name + " " + word + ";"
			switch {
			case v.Contexts&HTTPLocation != 0:
				return &placed{c: HTTPServer, line: fmt.Sprintf("location = /v%d { %s }", n, text)}, true
			case v.Contexts&HTTPServer != 0:
				return &placed{c: HTTP, line: fmt.Sprintf("server { listen 127.0.0.1:1; %s }", text)}, true
			case v.Contexts&HTTPUpstream != 0:
				return &placed{c: HTTP, line: fmt.Sprintf("upstream v%d { server 127.0.0.1:1; %s }", n, text)}, true
			case v.Contexts&StreamServer != 0 && hasStream:
				return &placed{c: Stream, line: fmt.Sprintf("server { listen 127.0.0.1:%d; return x; %s }", 20000+n, text)}, true
			case v.Contexts&StreamUpstream != 0 && hasStream:
				return &placed{c: Stream, line: fmt.Sprintf("upstream v%d { server 127.0.0.1:1; %s }", n, text)}, true
			case v.Contexts&HTTP != 0:
				return &placed{c: HTTP, line: text}, false
			case v.Contexts&Stream != 0 && hasStream:
				return &placed{c: Stream, line: text}, false
			case v.Contexts&Main != 0:
				return &placed{c: Main, line: text}, false
			}
			return nil, false
		}
		if p, _ := line(bogus); p == nil {
			continue // mail: not in nginx-light
		}
		directives++
		check := func(word string, taken bool) {
			p, wrapped := line(word)
			what := fmt.Sprintf("%s of %s, %q", v.Name, v.Module, word)
			place(round, fact{what, p, func() string {
				switch {
				case taken && strings.Contains(p.verdict, "invalid value"):
					if !laterValues[[2]string{v.Name, word}] {
						return "the table has the word, nginx refuses it"
					}
					later = append(later, fmt.Sprintf("%s %s", v.Name, word))
				case taken && refusedBefore(p.verdict):
					return "nginx refuses the line before its handler runs"
				case !taken && !strings.Contains(p.verdict, fmt.Sprintf("invalid value %q", word)):
					return "the table does not have the word, nginx does not say invalid value"
				}
				return ""
			}})
			if !wrapped && !v.Bitmask {
				round++
			}
		}
		for _, w := range v.Values {
			check(w, true)
			words++
		}
		if up := strings.ToUpper(v.Values[0]); up != v.Values[0] {
			check(up, true)
		} else if low := strings.ToLower(v.Values[0]); low != v.Values[0] {
			check(low, true)
		}
		check(bogus, false)
	}
	if directives < 30 {
		t.Fatalf("only %d enum and bitmask directives of nginx %v's modules", directives, version)
	}
	failed, runs := 0, 0
	for _, facts := range rounds {
		f, r := settle(t, facts, setup)
		failed += f
		runs += r
	}
	t.Logf("nginx %v: %d enum and bitmask directives, %d words (%d newer than it: %s); %d runs of nginx -t, %d mismatches",
		version, directives, words, len(later), strings.Join(later, ", "), runs, failed)
}

// laterValues are the words of Values that came after nginx 1.22.1 (by
// the release tags' sources): the installed nginx refuses them.
var laterValues = map[[2]string]bool{
	// proxy_http_version 2, HTTP/2 to upstreams: from 1.29.4.
	{"proxy_http_version", "2"}: true,
	// The stream proxy_protocol takes "v2" from 1.31.4; before, a flag
	// ("it must be "on" or "off"").
	{"proxy_protocol", "v2"}: true,
}

// settle runs the facts' lines with nginx -t and reports the facts nginx
// disagrees with; it returns their number and the runs.
func settle(t *testing.T, facts []fact, s *setup) (failed, runs int) {
	t.Helper()
	var all []*placed
	for _, f := range facts {
		all = append(all, f.p)
	}
	runs = runAll(t, all, s)
	for _, f := range facts {
		if msg := f.check(); msg != "" {
			failed++
			t.Errorf("%s (%s): %s; nginx: %q", f.what, strings.TrimSpace(f.p.line), msg, f.p.verdict)
		}
	}
	return failed, runs
}

// withThirdParty adds to the setup the third-party modules of the table
// installed in moduleDir (Debian's libnginx-mod-http-echo ...) that this
// nginx loads.
func withThirdParty(t *testing.T, s *setup) *setup {
	t.Helper()
	out := &setup{have: map[string]bool{}, loads: s.loads}
	for m := range s.have {
		out.have[m] = true
	}
	loaded := map[string]bool{}
	for _, m := range Modules() {
		if !m.ThirdParty() || m.Object == "" {
			continue
		}
		path := filepath.Join(moduleDir, m.Object)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		if !loaded[path] {
			dir := t.TempDir()
			conf := "load_module " + path + ";\n" + nginxtest.MainPreamble(dir) + "http {\n" + nginxtest.HTTPPreamble(dir) + "}\n"
			if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
				t.Fatal(err)
			}
			if ok, msg := nginxtest.Check(t, dir, "nginx.conf"); !ok {
				t.Logf("%s does not load: %s", path, strings.TrimSpace(msg))
				continue
			}
			loaded[path] = true
			out.loads = append(out.loads, "load_module "+path+";")
		}
		out.have[m.Name] = true
	}
	return out
}
