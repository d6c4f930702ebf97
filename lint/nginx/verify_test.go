package nginx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

// streamModule is where Debian's nginx packages keep the stream module.
const streamModule = "/usr/lib/nginx/modules/ngx_stream_module.so"

// placements wrap a directive line in each context `nginx -t` can check:
// every one but mail's, which nginx-light does not build. {pre} is the
// http preamble nginxtest requires.
var placements = []struct {
	c    Context
	wrap string
}{
	{Main, "X\n"},
	{Events, ""}, // inside the preamble's events block
	{HTTP, "http {\n{pre}X\n}\n"},
	{HTTPServer, "http {\n{pre}server {\nX\n}\n}\n"},
	{HTTPLocation, "http {\n{pre}server {\nlocation / {\nX\n}\n}\n}\n"},
	{HTTPUpstream, "http {\n{pre}upstream u {\nX\n}\n}\n"},
	{HTTPServerIf, "http {\n{pre}server {\nif ($host) {\nX\n}\n}\n}\n"},
	{HTTPLocationIf, "http {\n{pre}server {\nlocation / {\nif ($host) {\nX\n}\n}\n}\n}\n"},
	{LimitExcept, "http {\n{pre}server {\nlocation / {\nlimit_except GET {\nX\n}\n}\n}\n}\n"},
	{Stream, "stream {\nX\n}\n"},
	{StreamServer, "stream {\nserver {\nX\n}\n}\n"},
	{StreamUpstream, "stream {\nupstream u {\nX\n}\n}\n"},
}

// TestTableMatchesNginx places every directive of the table in every
// context the installed nginx can check, and compares nginx's verdict
// ("is not allowed here" or not) with Contexts; and, for recorded kinds,
// what nginx says of the wrong form ("has no opening {", "is not
// terminated by ;") with Kind. The argument is 127.0.0.1, which nginx
// resolves without DNS wherever it takes an address. A directive nginx
// does not know (a module it lacks) is not checked.
func TestTableMatchesNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t for every directive in every context")
	}
	nginxtest.Binary(t)
	_, err := os.Stat(streamModule)
	stream := err == nil
	for _, d := range Directives() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			var allowedSeen Context
			for _, p := range placements {
				if p.c&(Stream|StreamServer|StreamUpstream) != 0 && !stream || d.Name == "pid" && p.c == Main {
					continue // no stream module; nginxtest passes pid itself
				}
				msg, ok := placeDirective(t, p.c, p.wrap, d.Name+" 127.0.0.1;", stream)
				switch {
				case !ok && strings.Contains(msg, "unknown directive"):
					continue
				case !ok && strings.Contains(msg, "is not allowed here"):
					if d.Contexts&p.c != 0 {
						t.Errorf("the table allows %s in %v; nginx: %s", d.Name, p.c, msg)
					}
				default:
					if d.Contexts&p.c == 0 {
						t.Errorf("the table does not allow %s in %v; nginx does (%s)", d.Name, p.c, msg)
					}
					allowedSeen |= p.c
				}
			}
			checkKind(t, d, allowedSeen, stream)
		})
	}
}

// checkKind compares what nginx says of the wrong form of d, in the
// contexts where nginx allows it, with d.Kind.
func checkKind(t *testing.T, d *Directive, allowed Context, stream bool) {
	t.Helper()
	if d.Kind == Unrecorded {
		return
	}
	var blockIn, simpleIn Context
	for _, p := range placements {
		if allowed&p.c == 0 {
			continue
		}
		if msg, _ := placeDirective(t, p.c, p.wrap, d.Name+" 127.0.0.1;", stream); strings.Contains(msg, `has no opening "{"`) {
			blockIn |= p.c
		} else if msg, _ := placeDirective(t, p.c, p.wrap, d.Name+" 127.0.0.1 { }", stream); strings.Contains(msg, `is not terminated by ";"`) {
			simpleIn |= p.c
		}
		if d.Kind != Either {
			break // one context tells
		}
	}
	var got Kind
	switch {
	case blockIn != 0 && simpleIn != 0:
		got = Either
	case blockIn != 0 && d.Kind == Data:
		got = Data // nginx does not tell data from directives here
	case blockIn != 0:
		got = Block
	case simpleIn != 0:
		got = Simple
	default:
		return // no context to tell
	}
	if got != d.Kind {
		t.Errorf("%s: the table records kind %d, nginx reads it as %d (a block in %v, simple in %v)", d.Name, d.Kind, got, blockIn, simpleIn)
	}
}

// placeDirective writes a configuration with line in context c (wrapped
// by wrap) and runs nginx -t on it. It returns nginx's first error, and
// whether nginx accepted the configuration.
func placeDirective(t *testing.T, c Context, wrap, line string, stream bool) (string, bool) {
	t.Helper()
	dir := t.TempDir()
	var conf strings.Builder
	if stream {
		conf.WriteString("load_module " + streamModule + ";\n")
	}
	pre := nginxtest.MainPreamble(dir)
	if c == Events {
		pre = strings.Replace(pre, "events {\n", "events {\n"+line+"\n", 1)
	}
	conf.WriteString(pre)
	body := strings.ReplaceAll(wrap, "{pre}", nginxtest.HTTPPreamble(dir))
	conf.WriteString(strings.Replace(body, "X", line, 1))
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, out := nginxtest.Check(t, dir, "nginx.conf")
	msg, _, _, _ := nginxtest.ParseError(out)
	return msg, ok
}
