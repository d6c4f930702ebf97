// Package appstest holds what the tests of the app readers share: a
// dump of what a reader returned, with every span as the text it covers,
// the checks every result must pass, and a test that reading stays
// linear in the size of the input.
package appstest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Dump writes what a reader returned as text, each span as the text it
// covers, so that a test asserts every span exactly.
func Dump(t testing.TB, f *syntax.File, as []*apps.App, ps []apps.Problem) string {
	t.Helper()
	var b strings.Builder
	at := func(s apps.Span) string {
		if s.IsZero() {
			return "-"
		}
		if s.File != f {
			t.Errorf("span %v is in another file", s)
		}
		if s.Start < 0 || s.End > len(f.Src) || s.Start > s.End {
			t.Fatalf("span [%d:%d] is out of the file (%d bytes)", s.Start, s.End, len(f.Src))
		}
		return "`" + f.Src[s.Start:s.End] + "`"
	}
	for _, a := range as {
		fmt.Fprintf(&b, "app %s %q", a.Kind, a.Name)
		if a.File != f {
			t.Errorf("app %q: File is not the file read", a.Name)
		}
		if a.Span.Start != 0 || a.Span.End != len(f.Src) {
			fmt.Fprintf(&b, " %s", at(a.Span))
		}
		b.WriteString("\n")
		for _, x := range a.Binds {
			if x.Unreadable != "" {
				fmt.Fprintf(&b, "  unreadable %s: %s", at(x.Span), x.Unreadable)
			} else {
				fmt.Fprintf(&b, "  bind %s", x.Addr)
				if x.Wildcard {
					b.WriteString(" wildcard")
				}
				if x.Written != x.Span.Text() {
					fmt.Fprintf(&b, " written=%q", x.Written)
				}
				fmt.Fprintf(&b, " %s", at(x.Span))
			}
			if x.Protocol != "" {
				fmt.Fprintf(&b, " proto=%s", x.Protocol)
			}
			if x.Mode >= 0 {
				fmt.Fprintf(&b, " mode=%04o %s", x.Mode, at(x.ModeSpan))
			} else if !x.ModeSpan.IsZero() {
				t.Errorf("bind %q: ModeSpan set without a mode", x.Written)
			}
			if x.Owner != "" {
				fmt.Fprintf(&b, " owner=%s %s", x.Owner, at(x.OwnerSpan))
			}
			if x.Group != "" {
				fmt.Fprintf(&b, " group=%s %s", x.Group, at(x.GroupSpan))
			}
			if x.RunUser != "" || x.RunGroup != "" {
				fmt.Fprintf(&b, " run=%s:%s", x.RunUser, x.RunGroup)
			}
			if x.AllowedClients != nil {
				fmt.Fprintf(&b, " allowed=%s %s", strings.Join(x.AllowedClients, ","), at(x.AllowedSpan))
			}
			b.WriteString("\n")
		}
	}
	for _, p := range ps {
		fmt.Fprintf(&b, "problem %s: %s\n", at(p.Span), p.Msg)
	}
	return b.String()
}

// Check asserts what any result must satisfy: spans inside the file,
// every bind either readable with an address or unreadable with a
// reason, every problem with a message.
func Check(t testing.TB, f *syntax.File, as []*apps.App, ps []apps.Problem) {
	t.Helper()
	span := func(what string, s apps.Span) {
		if s.IsZero() {
			return
		}
		if s.File != f || s.Start < 0 || s.Start > s.End || s.End > len(f.Src) {
			t.Fatalf("%s: span [%d:%d] is not in the file (%d bytes)", what, s.Start, s.End, len(f.Src))
		}
	}
	for _, a := range as {
		if a == nil || a.File != f {
			t.Fatalf("app %v: not of the file read", a)
		}
		span("app", a.Span)
		for _, b := range a.Binds {
			span("bind", b.Span)
			span("owner", b.OwnerSpan)
			span("group", b.GroupSpan)
			span("mode", b.ModeSpan)
			span("allowed clients", b.AllowedSpan)
			if b.Unreadable == "" && b.Addr.Host == "" && !b.Addr.Unix {
				t.Fatalf("bind %q: neither an address nor unreadable", b.Written)
			}
			if b.Mode < -1 || b.Mode > 0o7777 {
				t.Fatalf("bind %q: mode %o", b.Written, b.Mode)
			}
		}
	}
	for _, p := range ps {
		span("problem", p.Span)
		if p.Msg == "" || p.Span.IsZero() {
			t.Fatalf("problem without a message or a place: %+v", p)
		}
	}
}

// CheckLinear reads inputs made of repetitions of each piece, of about
// 32 KiB and 1 MiB, and fails when the larger one costs far more per
// byte, three times in a row (the machine is shared: one slow run is
// noise): a quadratic reader costs 32 times more per byte there.
func CheckLinear(t testing.TB, read func(*syntax.File) ([]*apps.App, []apps.Problem), pieces ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("timing test")
	}
	for _, piece := range pieces {
		perByte := func(size int) time.Duration {
			f := &syntax.File{Name: "x", Src: strings.Repeat(piece, size/len(piece)+1)}
			runtime.GC()
			best := time.Duration(1<<63 - 1)
			for range 3 {
				start := time.Now()
				read(f)
				best = min(best, time.Since(start))
			}
			return best / time.Duration(len(f.Src))
		}
		var small, large time.Duration
		for range 3 {
			small, large = perByte(32<<10), perByte(1<<20)
			if large <= 12*max(small, 1) {
				break
			}
		}
		if large > 12*max(small, 1) {
			t.Errorf("reading %q repeated: %v per byte for 32 KiB, %v for 1 MiB: not linear", piece, small, large)
		}
	}
}

// Reader is a reader of app configurations (gunicorn.Read, uwsgi.Read ...).
type Reader func(*syntax.File) ([]*apps.App, []apps.Problem)

// Case is a golden case of a reader: a file's text, and the Dump of what
// the reader makes of it.
type Case struct {
	Name, Src, Want string
}

// Run reads each case as a file named file, checks the result (Check)
// and compares its Dump with the case's.
func Run(t *testing.T, file string, read Reader, cases []Case) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			f := &syntax.File{Name: file, Src: tc.Src}
			as, ps := read(f)
			Check(t, f, as, ps)
			if got := Dump(t, f, as, ps); got != tc.Want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.Want)
			}
		})
	}
}

// Fuzz reads what the fuzzer makes of the cases' texts as a file named
// file, and checks every result (Check).
func Fuzz(f *testing.F, file string, read Reader, cases []Case) {
	for _, tc := range cases {
		f.Add(tc.Src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sf := &syntax.File{Name: file, Src: src}
		as, ps := read(sf)
		Check(t, sf, as, ps)
	})
}

// Comments reads src as a file named file and returns the text of the
// comments the reader recorded in it, in order.
func Comments(file, src string, read Reader) []string {
	f := &syntax.File{Name: file, Src: src}
	read(f)
	var out []string
	for _, c := range f.Comments {
		out = append(out, src[c.Start:c.End])
	}
	return out
}
