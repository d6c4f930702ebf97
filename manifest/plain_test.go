package manifest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// samePlain reports whether parsePlain accepts src, and fails t if it then
// gives anything else than parseTOML: another manifest, or other errors.
func samePlain(t testing.TB, src string) bool {
	t.Helper()
	m1, errs1, ok := parsePlain("m.toml", src)
	if !ok {
		return false
	}
	m2, errs2 := parseTOML("m.toml", src)
	if !reflect.DeepEqual(errs1, errs2) {
		t.Fatalf("parsePlain and parseTOML disagree on the errors of\n%s\nparsePlain:\n%v\nparseTOML:\n%v", src, errs1, errs2)
	}
	if !reflect.DeepEqual(m1, m2) {
		t.Fatalf("parsePlain and parseTOML disagree on the manifest of\n%s\nparsePlain:\n%s\nparseTOML:\n%s", src, dumpManifest(m1), dumpManifest(m2))
	}
	return true
}

// dumpManifest prints a manifest field by field, for failure messages.
func dumpManifest(m *Manifest) string {
	if m == nil {
		return "<nil>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "path %q version %q at %v\n", m.Path, m.Version, m.VersionPos)
	for _, e := range m.External {
		fmt.Fprintf(&b, "external %+v\n", e)
	}
	for _, be := range m.Backends {
		fmt.Fprintf(&b, "backend %+v\n", *be)
	}
	return b.String()
}

// TestPlainAccepts checks that parsePlain reads the usual forms of a
// manifest, valid or not, as parseTOML does.
func TestPlainAccepts(t *testing.T) {
	for _, src := range []string{
		"",
		"\n\n# only a comment\n",
		"[nginx]\n",
		"[nginx]\nversion = \"1.22.1\"\n",
		"[nginx]\nversion = \"1.x\"\n",
		"[nginx]\nversion = [\"1.22\"]\n",
		"[nginx]\nvesion = \"1.22\"\n",
		"external = []\n",
		"external = [\"api.stripe.com\", '*.example.org', \"10.0.0.0/8\", \"203.0.113.7:443\"]\n",
		"external = [\n  \"api.stripe.com\", # payments\n  \"*\",\n  'https://x.org',\n]\n",
		"external = \"api.stripe.com\"\n",
		"colour = \"blue\"\n[backends.api]\nlisten = \"127.0.0.1:1\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:8001\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:8001\"", // no final line end
		"[backends.api]\r\nlisten = \"127.0.0.1:8001\"\r\n# CRLF\r\n",
		"  [ backends . \"svc one\" ]   # comment [x] = \"y\"\n\tlisten\t=\t[ # addresses\n  \"127.0.0.1:9001\" , # first\n  'unix:/run/one.sock'\n  ,\n]\nupstream = 'pool'\n",
		"[backends.api]\n\"listen\" = \"127.0.0.1:1\"\n'up stream' = \"x\"\n",
		"[backends.'a.b']\nlisten = \"127.0.0.1:1\"\n[backends.\"c d\"]\nlisten = \"127.0.0.1:2\"\n",
		"[backends.api]\nlisen = \"127.0.0.1:8001\"\n",
		"[backends.api]\nlisten = []\n",
		"[backends.api]\nlisten = [\"127.0.0.1\", \"unix:relative\", \"127.0.0.1:70000\", \"[::1\"]\n",
		"[backends.api]\nlisten = [\"127.0.0.1:1\", \"127.0.0.1:01\"]\n",
		"[backends.api]\nlisten = \"127.0.0.1:8001\"\n[backends.web]\nlisten = \"0.0.0.0:8001\"\n[backends.x]\nlisten = \"[::]:8001\"\n",
		"[backends.a]\nlisten = \"localhost:80\"\n[backends.b]\nlisten = \"[::1]:80\"\n[backends.c]\nlisten = \"APP:80\"\n[backends.d]\nlisten = \"app:80\"\n",
		"[backends.a]\nlisten = \"unix:/var/run/a.sock\"\n[backends.b]\nlisten = \"unix:/run//a.sock\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\nprotocol = \"htp\"\nupstream = \"api pool\"\nidle_timeout = \"5 sec\"\nmax_response_time = \"0\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\nprotocol = [\"http\"]\nupstream = []\nidle_timeout = ['5s']\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\nprotocol = \"GRPC\"\nupstream = \"api_pool\"\nidle_timeout = \"1m30s\"\nmax_response_time = \"1h 30m\"\n",
		"[backends.api]\nprotocol = \"http\"\n[nginx]\nversion = \"1.2\"\n[backends.web]\nlisten = \"127.0.0.1:2\"\n",
		"# é ü — ✓ unicode in comments\n[backends.\"é\"]\nlisten = \"app-é:1\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\nx1 = \"a\"\nx2 = [\"b\"]\n[nginx]\nlog = \"c\"\n",
	} {
		if !samePlain(t, src) {
			t.Errorf("parsePlain gave up on\n%s", src)
		}
	}
}

// TestPlainGivesUp checks that parsePlain leaves what it does not read,
// or what the TOML library refuses, to parseTOML.
func TestPlainGivesUp(t *testing.T) {
	for _, src := range []string{
		"\ufeff[backends.api]\nlisten = \"127.0.0.1:1\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\r[backends.b]\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\" # \x01\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\x7f\"\n",
		"[backends.api]\nlisten = \"\xff\"\n",
		"# \xff\n",
		"[backends.api]\nlisten = \"a\\tb\"\n",
		"[backends.api]\nlisten = \"\"\"127.0.0.1:1\"\"\"\n",
		"[backends.api]\nlisten = '''127.0.0.1:1'''\n",
		"[backends.api]\nlisten = 8001\n",
		"[backends.api]\nlisten = [\"127.0.0.1:1\", 2]\n",
		"[backends.api]\nlisten = [[\"127.0.0.1:1\"]]\n",
		"[backends.api]\nlisten = [,]\n",
		"[backends.api]\nlisten = [\"a\" \"b\"]\n",
		"[backends.api]\nlisten = { host = \"x\" }\n",
		"[backends.api]\nlisten.x = \"127.0.0.1:1\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\" \"x\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\nlisten = \"127.0.0.1:2\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\n\"listen\" = \"127.0.0.1:2\"\n",
		"[backends.api]\nx = \"1\"\nx = \"2\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\n[backends.api]\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\"\n[backends.'api']\n",
		"[nginx]\n[nginx]\n",
		"[nginx]\nversion = \"1.2\"\nversion = \"1.3\"\n",
		"external = []\nexternal = []\n",
		"nginx = \"1.22\"\n",
		"backends = []\n",
		"[backends]\napi = { listen = \"127.0.0.1:1\" }\n",
		"[backends.api.health]\npath = \"/\"\n",
		"[[backends.api]]\nlisten = \"127.0.0.1:1\"\n",
		"[extra]\n",
		"[backends.\"\"]\nlisten = \"127.0.0.1:1\"\n",
		"\"\" = \"x\"\n",
		"[backends.\"a\\u0062\"]\nlisten = \"127.0.0.1:1\"\n",
		"[backends.api\nlisten = \"x\"\n",
		"[backends.api]\nlisten = \"127.0.0.1:1\n",
		"[backends.api]\nlisten = [\"127.0.0.1:1\"\n",
		"[backends.api]\nlisten =\n",
		"[backends.api]\n= \"x\"\n",
		"a = " + strings.Repeat("[", 300) + strings.Repeat("]", 300),
	} {
		if samePlain(t, src) {
			t.Errorf("parsePlain read\n%q\nwhich it should leave to parseTOML", src)
		}
	}
}

// TestPlainOnTestdata compares the readers on the manifests of testdata,
// including the seeds of the fuzz targets.
func TestPlainOnTestdata(t *testing.T) {
	for _, src := range testdataManifests(t) {
		samePlain(t, src)
	}
}

// testdataManifests returns testdata/example.toml and the []byte inputs of
// testdata/fuzz.
func testdataManifests(t testing.TB) []string {
	data, err := os.ReadFile("testdata/example.toml")
	if err != nil {
		t.Fatal(err)
	}
	srcs := []string{string(data)}
	files, err := filepath.Glob("testdata/fuzz/*/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			if quoted, ok := strings.CutPrefix(line, "[]byte("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(quoted, ")"))
				if err != nil {
					t.Fatalf("%s: %v", file, err)
				}
				srcs = append(srcs, s)
			}
		}
	}
	return srcs
}

// TestPlainOnGenerated compares the readers on synthetic manifests, large
// ones as the benchmarks read and small random ones full of mistakes, and
// on the manifest named by $NGINXLINT_BENCH_MANIFEST.
func TestPlainOnGenerated(t *testing.T) {
	for seed := range uint64(4) {
		if src := synthManifest(500, seed); !samePlain(t, src) {
			t.Errorf("parsePlain gave up on a synthetic manifest (seed %d)", seed)
		}
	}
	accepted := 0
	const n = 3000
	for seed := range uint64(n) {
		if samePlain(t, randomManifest(seed)) {
			accepted++
		}
	}
	// The documents mostly stay in the plain subset; make sure they do.
	t.Logf("parsePlain accepted %d of %d random manifests", accepted, n)
	if accepted < n/3 {
		t.Errorf("parsePlain accepted %d of %d random manifests; the test no longer exercises it", accepted, n)
	}
	if path := os.Getenv("NGINXLINT_BENCH_MANIFEST"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !samePlain(t, string(data)) {
			t.Errorf("parsePlain gave up on %s", path)
		}
	}
}

// randomManifest returns a small manifest made of random lines: mostly
// the forms parsePlain reads, with valid and invalid values, repeated
// names and addresses, and now and then a form it leaves to parseTOML.
func randomManifest(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	pick := func(list ...string) string { return list[r.IntN(len(list))] }
	rare := func() bool { return r.IntN(40) == 0 }
	nl := "\n"
	if r.IntN(5) == 0 {
		nl = "\r\n"
	}
	addr := func() string {
		return pick("127.0.0.1:80", "127.0.0.1:81", "0.0.0.0:80", "[::]:80", "[::1]:80", "localhost:80", "localhost:81",
			"app:80", "APP:80", "unix:/run/a.sock", "unix:/var/run/a.sock", "unix:/run//a.sock", "unix:relative",
			"127.0.0.1", "127.0.0.1:70000", "127.0.0.1:080", "[::1", "http://x:80", "", " a:1", "10.0.0.1:443",
			"[::ffff:127.0.0.1]:80", "app.internal:9000", "*:80", "é:80")
	}
	quote := func(s string) string {
		if r.IntN(4) == 0 && !strings.Contains(s, "'") {
			return "'" + s + "'"
		}
		return `"` + s + `"`
	}
	space := func() string { return pick("", "", " ", "\t", "  ") }
	comment := func() string {
		return pick("", "", "", " # note", "\t# [x] = \"y\"", " # é — ✓", "#")
	}
	key := func(k string) string {
		switch {
		case rare():
			return k + ".x"
		case r.IntN(10) == 0 || !isBareKey(k):
			return quote(k)
		}
		return k
	}
	value := func(scalar func() string) string {
		if r.IntN(80) == 0 {
			return pick("8001", "true", "{ a = \"b\" }", `"a\tb"`, `"""x"""`, "[1]", `[["x"]]`)
		}
		if r.IntN(12) == 0 { // booleans, which fixed takes, and near misses
			return pick("true", "false", "True", "trueish", "false#x", "[true]")
		}
		if r.IntN(2) == 0 {
			return quote(scalar())
		}
		var b strings.Builder
		b.WriteString("[")
		multi := r.IntN(3) == 0
		for i := range r.IntN(4) {
			if i > 0 {
				b.WriteString(",")
			}
			if multi {
				b.WriteString(comment() + nl + "  ")
			} else {
				b.WriteString(space())
			}
			b.WriteString(quote(scalar()))
		}
		if r.IntN(3) == 0 && b.Len() > 1 {
			b.WriteString(",")
		}
		if multi {
			b.WriteString(comment() + nl)
		}
		b.WriteString(space() + "]")
		return b.String()
	}
	var b strings.Builder
	seen := map[string]bool{} // the keys and tables set, mostly not repeated
	fresh := func(k string) bool {
		if seen[k] && !rare() {
			return false
		}
		seen[k] = true
		return true
	}
	table := ""
	for range 1 + r.IntN(25) {
		switch k := r.IntN(20); {
		case k < 2:
			b.WriteString(space() + comment() + nl)
		case k < 4:
			name := pick("api", "web", "db", "a b", "a.b", "é", "app", "")
			if name == "" && !rare() {
				name = "x"
			}
			var h string
			switch {
			case rare():
				h, table = pick("[backends]", "[[backends.api]]", "[backends.api.x]", "[extra]", "[backends.api"), ""
			case r.IntN(6) == 0:
				h, table = "[nginx]", "nginx"
			default:
				table = "backends." + name
				q := name
				if !isBareKey(name) || r.IntN(5) == 0 {
					q = quote(name)
				}
				h = "[" + space() + "backends" + space() + "." + space() + q + space() + "]"
			}
			if !fresh(table) {
				continue
			}
			b.WriteString(space() + h + comment() + nl)
		default:
			var k, v string
			switch r.IntN(10) {
			case 0:
				k, v = "protocol", value(func() string { return pick("http", "HTTPS", "grpc", "htp", "") })
			case 1:
				k, v = "upstream", value(func() string { return pick("api_pool", "api pool", "127.0.0.1:80", "") })
			case 2:
				k, v = pick("idle_timeout", "max_response_time"), value(func() string { return pick("75s", "1m30s", "5 sec", "0", "-1s", "1h 30m") })
			case 3:
				k, v = pick("version", "external"), value(func() string { return pick("1.22.1", "1.x", "api.stripe.com", "*", "10.0.0.0/8") })
			case 4:
				k, v = pick("lisen", "up stream", "x"), value(addr)
				if rare() {
					k = pick("nginx", "backends")
				}
			default:
				k, v = "listen", value(addr)
			}
			if !fresh(table + "." + k) {
				continue
			}
			b.WriteString(space() + key(k) + space() + "=" + space() + v + comment() + nl)
		}
	}
	return b.String()
}

// isBareKey reports whether s can be written as a bare TOML key.
func isBareKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isBareKeyByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// FuzzPlain checks that parsePlain, wherever it accepts the text, gives
// what parseTOML gives.
func FuzzPlain(f *testing.F) {
	for _, src := range testdataManifests(f) {
		f.Add([]byte(src))
	}
	f.Add([]byte(synthManifest(5, 1)))
	for seed := range uint64(20) {
		f.Add([]byte(randomManifest(seed)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		samePlain(t, string(data))
	})
}
