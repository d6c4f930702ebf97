package nginx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

// moduleDir is where Debian's nginx packages keep the dynamic modules.
const moduleDir = "/usr/lib/nginx/modules"

// contexts are the contexts `nginx -t` can check: every one but mail's,
// which nginx-light does not build. writeBatch writes the blocks that
// open them.
var contexts = []Context{
	Main, Events, HTTP, HTTPServer, HTTPLocation, HTTPUpstream, HTTPServerIf,
	HTTPLocationIf, LimitExcept, Stream, StreamServer, StreamUpstream,
}

// placed is one directive line in one context, and what nginx said of
// it.
type placed struct {
	c    Context
	line string // "proxy_pass 127.0.0.1;", "location 127.0.0.1 { }"
	// verdict is nginx's error for the line; "" when it took the line.
	verdict string
	// warnings are the warnings nginx printed for the line.
	warnings []string
}

// The verdicts that say nginx refused a line before its handler ran.
const (
	notAllowed  = "is not allowed here"
	unknown     = "unknown directive"
	invalidArgs = "invalid number of arguments"
	noOpening   = `has no opening "{"`
	notEnded    = `is not terminated by ";"`
)

// refusedBefore reports whether the verdict is one of ngx_conf_handler's,
// which come before the directive's handler runs.
func refusedBefore(verdict string) bool {
	for _, s := range []string{notAllowed, unknown, invalidArgs, noOpening, notEnded} {
		if strings.Contains(verdict, s) {
			return true
		}
	}
	return false
}

// TestGeneratedMatchesNginx checks the generated table against the nginx
// installed here: every variant of a module that nginx has (by its
// binary and its loaded dynamic modules; third-party modules are not
// checked), in the nginx version it is, is placed in every context nginx
// can check (allowed where the table says, "is not allowed here"
// elsewhere), with an argument count it accepts and one it refuses, and
// in the wrong form (a block for a simple directive, ";" for a block
// one). Deprecated variants must make nginx warn, the others must not.
// The lines are checked in batches: nginx stops at the first error, so
// each run settles every line before the one it refuses, and the line
// it refuses; see runBatch.
func TestGeneratedMatchesNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t on every directive in every context")
	}
	nginxtest.Binary(t)
	version, ok := ParseVersion(nginxtest.Version(t))
	if !ok {
		t.Fatalf("nginx version %q", nginxtest.Version(t))
	}
	setup := nginxModules(t, version)
	have := setup.have
	var variants []*Variant
	for _, m := range Modules() {
		if m.ThirdParty() || !have[m.Name] {
			continue
		}
		for i := range generatedVariants {
			if v := &generatedVariants[i]; v.Module == m.Name && v.In(version) {
				variants = append(variants, v)
			}
		}
	}
	if len(variants) < 300 {
		t.Fatalf("only %d variants of nginx %v's modules to check", len(variants), version)
	}
	checks := plan(variants, version, have)
	var all []*placed
	for _, ch := range checks {
		all = append(all, ch.p)
	}
	runs := runAll(t, all, setup)
	failed := 0
	for _, ch := range checks {
		if msg := ch.check(); msg != "" {
			failed++
			t.Errorf("%s of %s in %v (%s): %s; nginx: %q", ch.v.Name, ch.v.Module, ch.p.c, strings.TrimSpace(ch.p.line), msg, ch.p.verdict)
		}
	}
	took, warned := 0, 0
	for _, ch := range checks {
		if ch.p.verdict == "" && ch.v.Contexts&ch.p.c != 0 {
			took++
			if deprecationWarned(ch.p.warnings) {
				warned++
			}
		}
	}
	t.Logf("nginx %v: %d variants of %d modules, %d facts checked in %d runs of nginx -t, %d mismatches; "+
		"nginx took %d lines without an error (%d with a deprecation warning)",
		version, len(variants), len(have), len(checks), runs, failed, took, warned)
}

// check is one fact of a variant and the line that tests it.
type check struct {
	v     *Variant
	p     *placed
	check func() string // "" when nginx agrees
}

// plan returns the checks of the variants.
func plan(variants []*Variant, version Version, have map[string]bool) []check {
	var checks []check
	for _, v := range variants {
		// The contexts another variant of the name claims tell nothing
		// of this one: nginx takes the line as the other's.
		var others Context
		for _, w := range Variants(v.Name) {
			if w != v && have[w.Module] && w.In(version) {
				others |= w.Contexts
			}
		}
		ok, bad := argCounts(v.Args)
		deprecated := !v.Deprecated.IsZero() && !version.Less(v.Deprecated)
		var home Context // a context where nginx takes the line as v's
		for _, c := range contexts {
			if c&family(v.Contexts) == 0 || c&others != 0 || v.Name == "pid" && c == Main {
				continue // nginxtest passes pid itself
			}
			if c&(Stream|StreamServer|StreamUpstream) != 0 && !have["ngx_stream_module"] {
				continue
			}
			pl := &placed{c: c, line: directiveLine(v, ok, v.Block)}
			if v.Contexts&c != 0 {
				if home == 0 {
					home = c
				}
				checks = append(checks, check{v, pl, func() string {
					switch {
					case refusedBefore(pl.verdict):
						return fmt.Sprintf("the table allows it here with %d arguments, as %s", ok, form(v.Block))
					case pl.verdict == "" && deprecated != deprecationWarned(pl.warnings):
						return fmt.Sprintf("the table says deprecated %v (0.0.0: never), nginx warns %q", v.Deprecated, pl.warnings)
					}
					return ""
				}})
				continue
			}
			checks = append(checks, check{v, pl, func() string {
				if !strings.Contains(pl.verdict, notAllowed) {
					return "the table does not allow it here"
				}
				return ""
			}})
		}
		if home == 0 {
			continue
		}
		if bad >= 0 {
			pl := &placed{c: home, line: directiveLine(v, bad, v.Block)}
			checks = append(checks, check{v, pl, func() string {
				if !strings.Contains(pl.verdict, invalidArgs) {
					return fmt.Sprintf("the table says it takes %v arguments, not %d", v.Args, bad)
				}
				return ""
			}})
		}
		pl := &placed{c: home, line: directiveLine(v, ok, !v.Block)}
		checks = append(checks, check{v, pl, func() string {
			if want := map[bool]string{true: noOpening, false: notEnded}[v.Block]; !strings.Contains(pl.verdict, want) {
				return fmt.Sprintf("the table says it is %s, so nginx refuses the other form", form(v.Block))
			}
			return ""
		}})
	}
	return checks
}

func form(block bool) string {
	if block {
		return "a block directive"
	}
	return "a simple directive"
}

// deprecationWarned reports whether a warning says the directive is
// deprecated or obsolete.
func deprecationWarned(warnings []string) bool {
	for _, w := range warnings {
		if strings.Contains(w, "is deprecated") || strings.Contains(w, "is obsolete") {
			return true
		}
	}
	return false
}

// inVersion reports whether the module has a directive in nginx
// version v.
func inVersion(module string, v Version) bool {
	for i := range generatedVariants {
		if generatedVariants[i].Module == module && generatedVariants[i].In(v) {
			return true
		}
	}
	return false
}

// family returns the contexts of the module type whose contexts c has:
// nginx reads a directive as a module's only in the blocks of the
// module's type (an http module's in http{} and below), and says "is not
// allowed here" of any other without looking at its flags. The include
// directive (AnyContext) has every context.
func family(c Context) Context {
	for _, f := range []Context{
		Main, Events,
		HTTP | HTTPServer | HTTPLocation | HTTPUpstream | HTTPServerIf | HTTPLocationIf | LimitExcept,
		Stream | StreamServer | StreamUpstream,
		Mail | MailServer,
		RTMP | RTMPServer | RTMPApplication | RTMPRecorder,
	} {
		if c&f != 0 && c&^f == 0 {
			return f
		}
	}
	return AnyContext
}

// argCounts returns an argument count the directive accepts (the
// smallest) and one it refuses (the smallest; -1 when it takes any).
func argCounts(a Args) (ok, bad int) {
	ok, bad = -1, -1
	for n := 0; n <= 7; n++ {
		if a.Accepts(n) {
			if ok < 0 {
				ok = n
			}
		} else if bad < 0 {
			bad = n
		}
	}
	return ok, bad
}

// directiveLine writes the directive with n arguments, as a block or
// with ";". A flag gets "on"; anything else 127.0.0.1, which nginx
// resolves without DNS wherever it takes an address and reads as a
// relative path (inside the test's prefix) wherever it takes a file.
func directiveLine(v *Variant, n int, block bool) string {
	arg := "127.0.0.1"
	if v.Args&ArgsFlag != 0 {
		arg = "on"
	}
	words := []string{v.Name}
	for range n {
		words = append(words, arg)
	}
	if block {
		return strings.Join(words, " ") + " { }"
	}
	return strings.Join(words, " ") + ";"
}

// setup is what the installed nginx has.
type setup struct {
	have  map[string]bool // its modules
	loads []string        // the load_module lines of nginx's own dynamic modules installed
}

// nginxModules returns the modules of the installed nginx: those its
// binary names, and those of the dynamic modules it can load from
// moduleDir (the load_module lines to load them). It checks the
// generated Option and Object of nginx's own modules against nginx -V:
// a module is built when its option is given (a --with- one) or not (a
// --without- one), and a dynamic one (--with-X=dynamic) when its Object
// is installed.
func nginxModules(t *testing.T, version Version) *setup {
	t.Helper()
	bin := nginxtest.Binary(t)
	have := map[string]bool{}
	// The module names are strings of the binary (ngx_module_names).
	names := regexp.MustCompile(`ngx_[a-z0-9_]+_module\x00`)
	scan := func(path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range names.FindAllIndex(data, -1) {
			if m[0] > 0 && data[m[0]-1] == 0 {
				have[string(data[m[0]:m[1]-1])] = true
			}
		}
	}
	scan(bin)
	var loads []string
	objects := map[string]bool{}
	for _, m := range Modules() {
		if m.ThirdParty() || m.Object == "" || objects[m.Object] {
			continue
		}
		objects[m.Object] = true
		path := filepath.Join(moduleDir, m.Object)
		if _, err := os.Stat(path); err == nil {
			scan(path)
			loads = append(loads, "load_module "+path+";")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-V").CombinedOutput()
	if err != nil {
		t.Fatalf("%s -V: %v\n%s", bin, err, out)
	}
	configure := " " + string(out) + " "
	for _, m := range Modules() {
		if m.ThirdParty() || m.Option == "" || !inVersion(m.Name, version) {
			continue
		}
		var built bool
		switch {
		case strings.HasPrefix(m.Option, "--without-"):
			built = !strings.Contains(configure, " "+m.Option+" ")
		case strings.Contains(configure, " "+m.Option+"=dynamic "):
			_, err := os.Stat(filepath.Join(moduleDir, m.Object))
			built = m.Object != "" && err == nil
		default:
			built = strings.Contains(configure, " "+m.Option+" ")
		}
		// Stream's and mail's modules need stream and mail themselves.
		for _, group := range []string{"stream", "mail"} {
			if strings.HasPrefix(m.Name, "ngx_"+group+"_") && m.Option != "--with-"+group {
				if g := ModuleNamed("ngx_" + group + "_module"); g != nil && !have[g.Name] {
					built = false
				}
			}
		}
		if built != have[m.Name] {
			t.Errorf("%s: by nginx -V and its option %s (object %q), built is %v; nginx's binary and modules say %v",
				m.Name, m.Option, m.Object, built, have[m.Name])
		}
	}
	return &setup{have: have, loads: loads}
}

// runAll settles every line with nginx -t, in as many batches as there
// are CPUs, run in parallel, and returns the number of runs.
func runAll(t *testing.T, all []*placed, s *setup) int {
	t.Helper()
	workers := runtime.GOMAXPROCS(0)
	var mu sync.Mutex
	runs := 0
	t.Run("batches", func(t *testing.T) {
		for w := range workers {
			var part []*placed
			for i := w; i < len(all); i += workers {
				part = append(part, all[i])
			}
			t.Run(fmt.Sprint(w), func(t *testing.T) {
				t.Parallel()
				n := runBatch(t, part, s)
				mu.Lock()
				runs += n
				mu.Unlock()
			})
		}
	})
	return runs
}

// runBatch settles the lines of batch: it writes them all in one
// configuration (each in its context) and runs nginx -t. nginx took
// every line before the one it refuses, and the refused line gets its
// error; the run repeats with the lines after it. An error at no line of
// the batch (one nginx reports at the end of a block, when it merges the
// levels) splits the batch in two, until the line that causes it is
// alone. It returns the number of runs.
//
// The first run is nginxtest.Check's, which also checks the
// configuration against nginxtest's rules (nothing of the machine's
// nginx is named); the others, on fewer of the same lines, run nginx -t
// the same way in the same directory, without Check's fresh directories
// and rules check, which would double the test's time.
func runBatch(t *testing.T, batch []*placed, s *setup) int {
	t.Helper()
	dir := t.TempDir()
	main := filepath.Join(dir, "nginx.conf")
	runs := 0
	for len(batch) > 0 {
		conf, lineOf := writeBatch(dir, batch, s)
		if err := os.WriteFile(main, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		var ok bool
		var out string
		if runs == 0 {
			ok, out = nginxtest.Check(t, dir, "nginx.conf")
		} else {
			ok, out = checkAgain(t, dir, main)
		}
		runs++
		warnings(out, batch, lineOf)
		if ok {
			return runs
		}
		msg, _, line, _ := nginxtest.ParseError(out)
		at := -1
		for i := range batch {
			if lineOf[i] == line {
				at = i
			}
		}
		switch {
		case at >= 0:
			batch[at].verdict = msg
			var rest []*placed
			for i, p := range batch {
				if lineOf[i] > line {
					rest = append(rest, p)
				}
			}
			batch = rest
		case len(batch) == 1:
			batch[0].verdict = msg
			return runs
		default:
			half := len(batch) / 2
			return runs + runBatch(t, batch[:half], s) + runBatch(t, batch[half:], s)
		}
	}
	return runs
}

// checkAgain runs nginx -t on main as nginxtest.Check does (its options
// keep nginx inside dir), on a configuration Check has passed.
func checkAgain(t *testing.T, dir, main string) (bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nginxtest.Binary(t), "-t",
		"-p", dir+string(filepath.Separator), "-c", main,
		"-e", filepath.Join(dir, "error.log"), "-g", "pid "+filepath.Join(dir, "nginx.pid")+";")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NGINX=") { // inherited sockets
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) || ctx.Err() != nil {
		t.Fatalf("nginx -t on %s: %v\n%s", main, err, out)
	}
	return err == nil, string(out)
}

var warnRE = regexp.MustCompile(`\[warn\] (?:\d+#\d+: )?(.*) in (/.*):(\d+)`)

// warnings gives each line of the batch the warnings nginx printed for
// it.
func warnings(out string, batch []*placed, lineOf []int) {
	for _, m := range warnRE.FindAllStringSubmatch(out, -1) {
		for i, p := range batch {
			if fmt.Sprint(lineOf[i]) == m[3] {
				p.warnings = append(p.warnings, m[1])
			}
		}
	}
}

// writeBatch writes the configuration of a batch: the load_module lines,
// nginxtest's preamble, the blocks of every context with the context's
// lines in them, and the main context's lines. The upstream blocks keep
// a server line of their own, and the stream server a listen and a
// return line, so that removing the lines nginx refuses never leaves
// them wanting. It returns the text and the line of each placed line.
func writeBatch(dir string, batch []*placed, s *setup) (string, []int) {
	var conf bytes.Buffer
	lineOf := make([]int, len(batch))
	line := 1
	emit := func(s string) {
		conf.WriteString(s)
		line += strings.Count(s, "\n")
	}
	lines := func(c Context) {
		for i, p := range batch {
			if p.c == c {
				lineOf[i] = line
				l := p.line
				if strings.HasPrefix(l, "http ") && strings.HasSuffix(l, " { }") {
					// A second http block, which nginx refuses as
					// duplicate; nginxtest wants its preamble in it.
					l = strings.TrimSuffix(l, "}") + "\n" + nginxtest.HTTPPreamble(dir) + "}"
				}
				emit(l + "\n")
			}
		}
	}
	for _, l := range s.loads {
		emit(l + "\n")
	}
	before, after, _ := strings.Cut(nginxtest.MainPreamble(dir), "events {\n")
	emit(before + "events {\n")
	lines(Events)
	emit(after)
	emit("http {\n" + nginxtest.HTTPPreamble(dir))
	lines(HTTP)
	emit("upstream u {\nserver 127.0.0.1:1;\n")
	lines(HTTPUpstream)
	emit("}\nserver {\n")
	lines(HTTPServer)
	emit("if ($host) {\n")
	lines(HTTPServerIf)
	emit("}\nlocation / {\n")
	lines(HTTPLocation)
	emit("if ($host) {\n")
	lines(HTTPLocationIf)
	emit("}\nlimit_except GET {\n")
	lines(LimitExcept)
	emit("}\n}\n}\n}\n")
	if s.have["ngx_stream_module"] {
		emit("stream {\n")
		lines(Stream)
		emit("upstream u {\nserver 127.0.0.1:1;\n")
		lines(StreamUpstream)
		emit("}\nserver {\nlisten 127.0.0.1:1;\nreturn x;\n")
		lines(StreamServer)
		emit("}\n}\n")
	}
	// The main context's lines last, so that the http, stream and events
	// blocks among them come second, as duplicates.
	lines(Main)
	return conf.String(), lineOf
}

// variant returns the variant of name of module, failing the test when
// the table has none.
func variant(t *testing.T, name, module string) *Variant {
	t.Helper()
	for _, v := range Variants(name) {
		if v.Module == module {
			return v
		}
	}
	t.Fatalf("no %s of %s in the table", name, module)
	return nil
}

// param returns the parameter of directive of module, or nil.
func param(directive, module, name string) *Param {
	for _, p := range Params(directive, module) {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// TestKnownFacts checks the generated table against facts of nginx
// versions later than the one installed, from their CHANGES, and of the
// third-party modules.
func TestKnownFacts(t *testing.T) {
	v := func(s string) Version {
		v, _ := ParseVersion(s)
		return v
	}
	if got := Newest(); got != v("1.31.4") {
		t.Errorf("Newest() = %v", got)
	}
	// Changes with nginx 1.25.1: the http2 directive; listen's http2
	// parameter deprecated in its favour; server push gone (the
	// directives stay, obsolete); the ssl directive removed.
	http2 := variant(t, "http2", "ngx_http_v2_module")
	if http2.Since != v("1.25.1") || !http2.Until.IsZero() || http2.In(v("1.25.0")) || !http2.In(v("1.25.1")) {
		t.Errorf("http2: since %v, until %v", http2.Since, http2.Until)
	}
	if p := param("listen", "ngx_http_core_module", "http2"); p == nil || p.Since != v("1.9.5") || p.Deprecated != v("1.25.1") || p.Instead != "http2" {
		t.Errorf("listen ... http2: %+v", p)
	}
	for _, name := range []string{"http2_push", "http2_push_preload", "http2_max_concurrent_pushes"} {
		if d := variant(t, name, "ngx_http_v2_module"); d.Deprecated != v("1.25.1") || d.Instead != "" {
			t.Errorf("%s: deprecated %v, instead %q", name, d.Deprecated, d.Instead)
		}
	}
	if d := variant(t, "http2_idle_timeout", "ngx_http_v2_module"); d.Deprecated != v("1.19.7") || d.Instead != "keepalive_timeout" {
		t.Errorf("http2_idle_timeout: deprecated %v, instead %q", d.Deprecated, d.Instead)
	}
	// Changes with nginx 1.15.0: the ssl directive is deprecated, in
	// favour of listen's ssl parameter; 1.25.1 removed it.
	for _, module := range []string{"ngx_http_ssl_module", "ngx_mail_ssl_module"} {
		if d := variant(t, "ssl", module); d.Deprecated != v("1.15.0") || d.Instead != "listen ... ssl" || d.Until != v("1.25.1") || d.Since != (Version{}) {
			t.Errorf("ssl of %s: %+v", module, *d)
		}
	}
	// Changes with nginx 1.25.0: HTTP/3, listen's quic parameter.
	if p := param("listen", "ngx_http_core_module", "quic"); p == nil || p.Since != v("1.25.0") || p.Value {
		t.Errorf("listen ... quic: %+v", p)
	}
	if p := param("listen", "ngx_http_core_module", "backlog"); p == nil || !p.Value || !p.Since.IsZero() {
		t.Errorf("listen ... backlog=: %+v", p)
	}
	// The stream module came with 1.9.0, proxy_pass in it; its server
	// lines got resolve with 1.27.3.
	pp := variant(t, "proxy_pass", "ngx_stream_proxy_module")
	if pp.Since != v("1.9.0") || pp.Contexts != StreamServer || pp.Args != Args1 || pp.Block {
		t.Errorf("stream proxy_pass: %+v", *pp)
	}
	if p := param("server", "ngx_stream_upstream_module", "resolve"); p == nil || p.Since != v("1.27.3") {
		t.Errorf("stream server ... resolve: %+v", p)
	}
	if p := param("listen", "ngx_stream_core_module", "udp"); p == nil || p.Since != v("1.9.13") {
		t.Errorf("stream listen ... udp: %+v", p)
	}
	// Removed: listen's spdy parameter (from 1.9.5 nginx ignores it with
	// a warning, from 1.19.7 it refuses it), and the mail proxy's old
	// so_keepalive directive, deprecated in favour of listen's parameter.
	if p := param("listen", "ngx_http_core_module", "spdy"); p == nil || p.Until != v("1.19.7") || p.Deprecated != v("1.9.5") {
		t.Errorf("listen ... spdy: %+v", p)
	}
	if d := variant(t, "so_keepalive", "ngx_mail_core_module"); d.Deprecated != v("1.1.11") || d.Instead != "listen ... so_keepalive" || d.Until.IsZero() {
		t.Errorf("mail so_keepalive: %+v", *d)
	}
	// Refused twice in a block, or not.
	for name, unique := range map[string]bool{"root": true, "proxy_pass": true, "worker_processes": true, "listen": false, "add_header": false, "location": false} {
		if got := Variants(name)[0].Unique; got != unique {
			t.Errorf("%s: unique %v", name, got)
		}
	}
	// The modules.
	for _, m := range []Module{
		{Name: "ngx_http_core_module", Source: "nginx", Option: "--without-http"},
		{Name: "ngx_http_ssl_module", Source: "nginx", Option: "--with-http_ssl_module"},
		{Name: "ngx_http_gzip_filter_module", Source: "nginx", Option: "--without-http_gzip_module"},
		{Name: "ngx_http_geoip_module", Source: "nginx", Object: "ngx_http_geoip_module.so", Option: "--with-http_geoip_module"},
		{Name: "ngx_stream_proxy_module", Source: "nginx", Object: "ngx_stream_module.so", Option: "--with-stream"},
		{Name: "ngx_mail_ssl_module", Source: "nginx", Object: "ngx_mail_module.so", Option: "--with-mail_ssl_module"},
		{Name: "ngx_core_module", Source: "nginx"},
		{Name: "ngx_http_lua_module", Source: "openresty/lua-nginx-module", Object: "ngx_http_lua_module.so", Short: "lua"},
		{Name: "ngx_stream_js_module", Source: "nginx/njs", Object: "ngx_stream_js_module.so", Short: "njs"},
		{Name: "ngx_rtmp_core_module", Source: "arut/nginx-rtmp-module", Object: "ngx_rtmp_module.so", Short: "rtmp"},
		{Name: "ndk_http_module", Source: "vision5/ngx_devel_kit", Object: "ndk_http_module.so", Short: "ndk"},
	} {
		if got := ModuleNamed(m.Name); got == nil || *got != m {
			t.Errorf("ModuleNamed(%q) = %+v, want %+v", m.Name, got, m)
		}
	}
	// Third-party directives: no versions, their own contexts.
	if d := variant(t, "content_by_lua_block", "ngx_http_lua_module"); !d.Block || d.Contexts != HTTPLocation|HTTPLocationIf || !d.Since.IsZero() {
		t.Errorf("content_by_lua_block: %+v", *d)
	}
	if d := variant(t, "application", "ngx_rtmp_core_module"); !d.Block || d.Contexts != RTMPServer {
		t.Errorf("rtmp application: %+v", *d)
	}
	if d := variant(t, "upstream_list", "ndk_http_module"); d.Args != Args2More {
		t.Errorf("upstream_list: %+v", *d)
	}
}
