package manifest

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzParse checks that no manifest text makes Parse panic, and that every
// error it reports has a real position and fits on one line.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile("testdata/example.toml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(resolveManifest))
	f.Add([]byte(nearestManifest))
	f.Add([]byte("backends = { api = { listen = [\"127.0.0.1:1\", 2] } }\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("fuzz.toml", data)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is %T %v, want a non-empty ErrorList", err, err)
			}
			for _, e := range list {
				if e == nil || e.Pos.File != "fuzz.toml" || e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("error without a position: %#v", e)
				}
				if strings.ContainsAny(e.Msg, "\n\r") {
					t.Fatalf("error message spans lines: %q", e.Msg)
				}
			}
		}
		if m == nil {
			return
		}
		if !slices.IsSortedFunc(m.Backends, func(a, b *Backend) int { return strings.Compare(a.Name, b.Name) }) {
			t.Fatal("backends are not sorted by name")
		}
		for _, e := range m.External {
			if c := byteAt(data, e.Pos); c != '"' && c != '\'' {
				t.Fatalf("external %q is at %v, where the text is not a string", e.Raw, e.Pos)
			}
		}
		for _, b := range m.Backends {
			if !b.Pos.IsValid() {
				t.Fatalf("backend %q has no position", b.Name)
			}
			for _, a := range b.Listen {
				if !a.Pos.IsValid() {
					t.Fatalf("listen %s has no position", a)
				}
				// The locator must point at the string that holds the address.
				if c := byteAt(data, a.Pos); c != '"' && c != '\'' {
					t.Fatalf("listen %q is at %v, where the text is not a string", a.Raw, a.Pos)
				}
				// Every listen address reads back as itself.
				again, err := ParseListen(a.String())
				if err != nil || again.String() != a.String() {
					t.Fatalf("ParseListen(%q) = %v, %v", a.String(), again, err)
				}
				if got, want := m.Resolve(a), resolveByScan(m, a); !reflect.DeepEqual(got, want) {
					t.Fatalf("Resolve(%v) = %+v, but a scan of every address gives %+v", a, got, want)
				}
				m.Nearest(a)
				m.IsExternal(a)
			}
		}
	})
}

// byteAt returns the byte of data at pos, or 0.
func byteAt(data []byte, pos Position) byte {
	off := 0
	for line := 1; line < pos.Line; line++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return 0
		}
		off += i + 1
	}
	off += pos.Col - 1
	if off < 0 || off >= len(data) {
		return 0
	}
	return data[off]
}

var fuzzDirectives = []string{
	"proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass", "server",
}

// FuzzParseTarget checks that no directive argument makes ParseTarget
// panic, and that a parsed address reads back as the same address.
func FuzzParseTarget(f *testing.F) {
	f.Add(uint8(0), "http://127.0.0.1:8000/uri", false)
	f.Add(uint8(0), "http://unix:/run/app.sock:/uri", false)
	f.Add(uint8(0), "https://[::1]", false)
	f.Add(uint8(0), "backend", true)
	f.Add(uint8(1), "unix:/var/run/php-fpm.sock", false)
	f.Add(uint8(1), "unix:///var/run/php-fpm.sock", false)
	f.Add(uint8(0), "http://unix:///run/app.sock:/uri", false)
	f.Add(uint8(0), "http://pool$request_uri", false)
	f.Add(uint8(4), "grpcs://backend", false)
	f.Add(uint8(6), "app.internal", false)
	f.Fuzz(func(t *testing.T, d uint8, arg string, stream bool) {
		dir := fuzzDirectives[int(d)%len(fuzzDirectives)]
		tg, err := ParseTarget(dir, arg, stream)
		if err != nil || tg.HasVars {
			return
		}
		a := tg.Addr
		if !a.Unix && a.Port == 0 {
			return // an upstream name: there is no port to write back
		}
		if !a.Unix && strings.EqualFold(a.Host, "unix") {
			return // "unix:80" is a socket named "80" to nginx too
		}
		text := a.String()
		if tg.Scheme != "" {
			text = tg.Scheme + "://" + text
		}
		again, err := ParseTarget(dir, text, stream)
		if err != nil {
			t.Fatalf("ParseTarget(%q, %q) = %v; its address %q does not read back: %v", dir, arg, a, text, err)
		}
		b := again.Addr
		if b.Unix != a.Unix || b.Path != a.Path || b.Host != a.Host || b.IP != a.IP || b.Port != a.Port {
			t.Fatalf("ParseTarget(%q, %q) = %+v, but %q reads back as %+v", dir, arg, a, text, b)
		}
		if !a.Accepts(a) {
			t.Fatalf("%+v does not accept itself", a)
		}
		m := &Manifest{Backends: []*Backend{{Name: "x", Listen: []Addr{a}}}}
		if r := m.Resolve(a); r.Kind != Match {
			t.Fatalf("a backend on %v does not match it: %+v", a, r)
		} else if want := resolveByScan(m, a); !reflect.DeepEqual(r, want) {
			t.Fatalf("Resolve(%v) = %+v, but a scan of every address gives %+v", a, r, want)
		}
		IsLocal(a)
		m.Nearest(a)
	})
}
