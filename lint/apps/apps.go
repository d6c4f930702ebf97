// Package apps is what nginxlint reads of the applications nginx proxies
// to: where each one binds (an address or a unix socket), with what owner,
// group and mode its socket is created, and, for Docker Compose, which
// services listen on which ports of which networks. The readers of each
// format live in subpackages (gunicorn, uwsgi, phpfpm, systemd, puma,
// dotenv, cmdline, compose); they return what this package defines, with
// the byte offsets of every value in its file, so that a finding points
// at the line a person has to edit.
//
// A reader never guesses: a value it cannot read as a literal (computed
// in Python, taken from the environment, interpolated) is a Bind with
// Unreadable set and the reason, never a silent omission.
package apps

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// Kind names the format an app's configuration is written in.
type Kind string

// The kinds of app configuration nginxlint reads.
const (
	Gunicorn Kind = "gunicorn"       // gunicorn.conf.py
	UWSGI    Kind = "uwsgi"          // uwsgi .ini
	PHPFPM   Kind = "php-fpm"        // a PHP-FPM pool (.conf, INI)
	Systemd  Kind = "systemd"        // a .socket or .service unit
	Puma     Kind = "puma"           // puma.rb
	Dotenv   Kind = "dotenv"         // .env: PORT=
	Command  Kind = "command"        // a command line: Procfile, Dockerfile CMD, ExecStart
	Compose  Kind = "docker-compose" // compose.yaml: services
)

// Span is a range of bytes of a file: where a value is written.
type Span struct {
	File       *syntax.File
	Start, End int
}

// IsZero reports whether s points nowhere.
func (s Span) IsZero() bool { return s.File == nil }

// App is one application as its configuration describes it: a gunicorn
// config, a PHP-FPM pool, a compose service ...
type App struct {
	Kind Kind
	// Name tells apps of one file apart: the pool's name, the compose
	// service's, the unit's; "" when a file holds one app. A manifest's
	// app = "FILE#NAME" names it.
	Name string
	// File is the file the app is read from; Span where the app is
	// defined in it (a pool's [name], a service's key; the whole file
	// otherwise).
	File *syntax.File
	Span Span
	// Binds are where the app listens, in the order written.
	Binds []Bind
}

// Bind is one address an app listens on.
type Bind struct {
	// Addr is the address as the manifest writes addresses (host:port,
	// [ipv6]:port or unix:/path), read with manifest.ParseListen; zero
	// when Unreadable.
	Addr manifest.Addr
	// Written is the value as the file writes it, and Span where.
	Written string
	Span    Span
	// Unreadable, when not "", says why the address cannot be known
	// from the file (computed, from the environment, a port of 0 ...):
	// rules report it as information, never as a pass.
	Unreadable string
	// Wildcard is true for an address on every interface (0.0.0.0, [::],
	// a port alone), which the app's format may write its own way.
	Wildcard bool
	// The socket's owner, group and mode when the app creates a unix
	// socket and its configuration sets them ("" and -1 when not set);
	// each with where it is written.
	Owner, Group         string
	OwnerSpan, GroupSpan Span
	Mode                 int // -1 when not set
	ModeSpan             Span
	// User and Group the app runs as, when its configuration says.
	RunUser, RunGroup string

	// Protocol is what the app speaks on this address when its
	// configuration says (uWSGI's socket speaks uwsgi, http-socket
	// HTTP; a PHP-FPM pool FastCGI); "" when the format does not say.
	Protocol manifest.Protocol
	// AllowedClients are the only client addresses the app accepts on
	// this address (PHP-FPM's listen.allowed_clients), as written; nil
	// when any may connect. AllowedSpan is where they are written.
	AllowedClients []string
	AllowedSpan    Span
}

// Problem is what a reader could not read in a file: a syntax error, a
// value of the wrong type. It is reported at its span.
type Problem struct {
	Span Span
	Msg  string
}

// The fields below were added for the readers of the app side; the
// fields above keep their meaning. A format's own default counts as
// set: a PHP-FPM pool without listen.mode has Mode 0660, a systemd socket
// without SocketMode 0666, with ModeSpan zero (not written); Mode is -1
// only where the mode depends on what the file does not say (the umask
// the process inherits).

// SpanOf returns the span [start, end) of f.
func SpanOf(f *syntax.File, start, end int) Span {
	return Span{File: f, Start: start, End: end}
}

// Text returns the text of f at s, "" when s is zero or out of range.
func (s Span) Text() string {
	if s.File == nil || s.Start < 0 || s.End > len(s.File.Src) || s.Start > s.End {
		return ""
	}
	return s.File.Src[s.Start:s.End]
}

// NewBind returns a Bind written as written at span, with no socket
// owner, group or mode set yet.
func NewBind(written string, span Span) Bind {
	return Bind{Written: written, Span: span, Mode: -1}
}

// Unreadable returns a Bind whose address cannot be known from the file,
// for the reason given.
func Unreadable(written string, span Span, reason string) Bind {
	b := NewBind(written, span)
	b.Unreadable = reason
	return b
}

// TCP returns the manifest address of a TCP socket on host and port, and
// whether it is on every interface. host is an IP address (IPv6 with or
// without brackets) or a host name; "" is every IPv4 interface
// (0.0.0.0), as the C library reads an empty host.
func TCP(host string, port int) (addr manifest.Addr, wildcard bool, err error) {
	switch {
	case host == "":
		host = "0.0.0.0"
	case strings.Contains(host, ":") && !strings.HasPrefix(host, "["):
		host = "[" + host + "]"
	}
	a, err := manifest.ParseListen(host + ":" + strconv.Itoa(port))
	if err != nil {
		return manifest.Addr{}, false, err
	}
	return a, a.IP.IsValid() && a.IP.IsUnspecified(), nil
}

// Unix returns the manifest address of the unix socket at path, which
// must be absolute.
func Unix(path string) (manifest.Addr, error) {
	return manifest.ParseListen("unix:" + path)
}

// ParseOctalMode reads a file mode written as octal digits ("0660",
// "660" or "0o660"): at most 07777.
func ParseOctalMode(s string) (int, error) {
	t := s
	if len(t) > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O') {
		t = t[2:]
	}
	if t == "" {
		return -1, fmt.Errorf("mode %q is not an octal number; write it as 0660", s)
	}
	n := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c < '0' || c > '7' {
			return -1, fmt.Errorf("mode %q is not an octal number; write it as 0660", s)
		}
		n = n*8 + int(c-'0')
		if n > 0o7777 {
			return -1, fmt.Errorf("mode %q is larger than 07777; write it as 0660", s)
		}
	}
	return n, nil
}

// SortProblems sorts problems by their place in their file, keeping the
// order of those at the same place.
func SortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Span.Start != b.Span.Start {
			return a.Span.Start - b.Span.Start
		}
		return a.Span.End - b.Span.End
	})
}

// Excerpt returns source text for a message: on one line, its spaces
// collapsed, at most 80 bytes (cut at a character's boundary, with
// "...").
func Excerpt(s string) string {
	if len(s) > 200 {
		s = s[:200]
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		cut := 77
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}
