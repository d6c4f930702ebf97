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
}

// Problem is what a reader could not read in a file: a syntax error, a
// value of the wrong type. It is reported at its span.
type Problem struct {
	Span Span
	Msg  string
}
