// Package cmdline reads where an app listens from the command line that
// starts it: gunicorn's --bind/-b (also --bind=ADDR, -bADDR), -u, -g and
// -m; uvicorn's --host, --port and --uds (and UVICORN_HOST, UVICORN_PORT,
// UVICORN_UDS from the environment); puma's --bind/-b and --port/-p.
//
// A command is found behind the wrappers that usually start it: a path
// (/opt/venv/bin/gunicorn), exec, env and NAME=VALUE assignments, nohup,
// tini, dumb-init, gosu and su-exec, bundle exec, poetry, pipenv, pdm,
// hatch and uv run, python -m, ddtrace-run, newrelic-admin run-program,
// opentelemetry-instrument, and sh -c or bash -c with the command in one
// argument (read in turn, with its positions).
//
// Entry points: ReadCommand reads shell text written inside another file
// (the systemd and compose readers give the span of the command);
// ReadArgv reads a command already split into words (an exec-form list);
// ReadProcfile reads a Procfile, ReadDockerfile a Dockerfile's CMD and
// ENTRYPOINT. Each returns one App of kind apps.Command per server
// command it finds, none for a command that starts no server it knows.
//
// Nothing is guessed: a bind that uses a variable the file does not set
// ($PORT in a Procfile, which the platform sets) is unreadable, with the
// reason; so is a gunicorn or puma command without a bind, which takes
// it from a configuration file (named by -c or -C, or the default one
// in the working directory) that the linker reads, not this package.
package cmdline

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/gunicorn"
	"github.com/nginxlint/nginxlint/lint/apps/puma"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// ReadCommand reads the shell command written in f at [start, end), with
// no environment known.
func ReadCommand(f *syntax.File, start, end int) ([]*apps.App, []apps.Problem) {
	return ReadCommandEnv(f, start, end, nil)
}

// ReadCommandEnv reads the shell command written in f at [start, end),
// run with the environment env.
func ReadCommandEnv(f *syntax.File, start, end int, env Env) ([]*apps.App, []apps.Problem) {
	if start < 0 || end > len(f.Src) || start > end {
		return nil, nil
	}
	r := &reader{f: f}
	r.shell(source{text: f.Src[start:end], base: start}, env, 0)
	return r.apps, r.problems
}

// ReadArgv reads a command already split into words, run without a
// shell: an exec-form list. Its words' Unknown are what the file that
// holds them could not resolve.
func ReadArgv(f *syntax.File, argv []Word, env Env) ([]*apps.App, []apps.Problem) {
	r := &reader{f: f}
	r.command(argv, env, 0)
	return r.apps, r.problems
}

type reader struct {
	f        *syntax.File
	apps     []*apps.App
	problems []apps.Problem
	// name is the name of the apps found (a Procfile's process type).
	name string
}

func (r *reader) problem(start, end int, format string, args ...any) {
	r.problems = append(r.problems, apps.Problem{Span: apps.SpanOf(r.f, start, end), Msg: fmt.Sprintf(format, args...)})
}

// maxNesting bounds sh -c inside sh -c.
const maxNesting = 4

// shell reads shell text.
func (r *reader) shell(src source, env Env, depth int) {
	cmds, err := splitShell(src, env)
	if err != nil {
		r.problem(err.start, err.end, "the shell cannot read this command: %s", err.msg)
		return
	}
	for _, words := range cmds {
		r.command(words, env, depth)
	}
}

// command reads one simple command.
func (r *reader) command(words []Word, env Env, depth int) {
	words, env = unwrap(words, env)
	if len(words) == 0 {
		return
	}
	prog := path.Base(words[0].Value)
	args := words[1:]
	switch {
	case (prog == "sh" || prog == "bash" || prog == "dash" || prog == "ash" || prog == "zsh") && depth < maxNesting:
		for i, a := range args {
			if a.Value == "-c" || strings.HasPrefix(a.Value, "-") && !strings.HasPrefix(a.Value, "--") && strings.HasSuffix(a.Value, "c") {
				if i+1 < len(args) {
					w := args[i+1]
					r.shell(source{text: w.Value, pos: w.positions(), base: w.Start}, env, depth+1)
				}
				return
			}
		}
	case prog == "gunicorn":
		r.gunicorn(words[0], args, env)
	case prog == "uvicorn":
		r.uvicorn(words[0], args, env)
	case prog == "puma":
		r.puma(words[0], args, env)
	}
}

// positions returns the offset of each byte of w's value.
func (w Word) positions() []int {
	if w.pos != nil {
		return w.pos
	}
	p := make([]int, len(w.Value))
	for i := range p {
		p[i] = w.Start + i
	}
	return p
}

// unwrap drops the wrappers in front of the command, and returns the
// environment the command runs with.
func unwrap(words []Word, env Env) ([]Word, Env) {
	setVar := func(w Word) bool {
		name, value, ok := strings.Cut(w.Value, "=")
		if !ok || name == "" || !validName(name) {
			return false
		}
		env = withVar(env, name, value, w)
		return true
	}
	for len(words) > 0 {
		w := words[0]
		switch path.Base(w.Value) {
		case "exec", "nohup", "time", "ddtrace-run", "command", "nice":
			words = words[1:]
			continue
		case "tini", "dumb-init", "opentelemetry-instrument", "catatonit":
			words = skipOptions(words[1:])
			if len(words) > 0 && words[0].Value == "--" {
				words = words[1:]
			}
			continue
		case "gosu", "su-exec", "setuidgid", "chpst":
			words = skipOptions(words[1:])
			if len(words) > 0 {
				words = words[1:] // the user
			}
			continue
		case "env":
			words = words[1:]
			for len(words) > 0 && (strings.HasPrefix(words[0].Value, "-") || setVar(words[0])) {
				if words[0].Value == "-u" && len(words) > 1 {
					words = words[1:]
				}
				words = words[1:]
			}
			continue
		case "bundle", "poetry", "pipenv", "pdm", "hatch", "uv", "rye", "pixi":
			if len(words) > 1 && (words[1].Value == "exec" || words[1].Value == "run") {
				words = skipOptions(words[2:])
				continue
			}
		case "newrelic-admin":
			if len(words) > 1 && words[1].Value == "run-program" {
				words = words[2:]
				continue
			}
		case "python", "python3", "python2", "pypy3":
			words = pythonModule(words)
			if len(words) > 0 && path.Base(words[0].Value) != path.Base(w.Value) {
				continue
			}
		}
		if w.plain && setVar(w) {
			words = words[1:]
			continue
		}
		break
	}
	return words, env
}

// pythonModule returns the command python -m MODULE runs, as if MODULE
// were the program; words as they are otherwise.
func pythonModule(words []Word) []Word {
	for i := 1; i < len(words); i++ {
		v := words[i].Value
		switch {
		case v == "-m" && i+1 < len(words):
			return words[i+1:]
		case strings.HasPrefix(v, "-m") && len(v) > 2:
			m := words[i]
			m.Value = v[2:]
			m.Start = m.Offset(2)
			if m.pos != nil {
				m.pos = m.pos[2:]
			}
			return append([]Word{m}, words[i+1:]...)
		case v == "-W" || v == "-X" || v == "-c":
			if v == "-c" {
				return words
			}
			i++
		case strings.HasPrefix(v, "-"):
		default:
			return words
		}
	}
	return words
}

// skipOptions drops the words that start with "-".
func skipOptions(words []Word) []Word {
	for len(words) > 0 && strings.HasPrefix(words[0].Value, "-") && words[0].Value != "--" {
		words = words[1:]
	}
	return words
}

func validName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i == 0) {
			return false
		}
	}
	return s != ""
}

// withVar returns env with name set to value, written at w; env itself
// is not changed.
func withVar(env Env, name, value string, w Word) Env {
	out := make(Env, len(env)+1)
	for k, v := range env {
		out[k] = v
	}
	if w.Unknown != "" {
		delete(out, name)
		return out
	}
	out[name] = Var{Value: value}
	return out
}

// option is an option of a server's command line and its value.
type option struct {
	name  string // as the program knows it: "--bind"
	value string
	// start and end are where the value is written.
	start, end int
	unknown    string
}

// options finds the options names lists (long names, and one-letter
// short ones written "-b") in args: "--bind X", "--bind=X", "-b X",
// "-bX". prefixes are long options that may be abbreviated (argparse).
func options(args []Word, names map[string]string, prefixes map[string]int) []option {
	var out []option
	for i := 0; i < len(args); i++ {
		a := args[i]
		v := a.Value
		if v == "--" {
			break
		}
		if !strings.HasPrefix(v, "-") || v == "-" {
			continue
		}
		name, inline, hasInline := v, "", false
		if strings.HasPrefix(v, "--") {
			if k := strings.IndexByte(v, '='); k >= 0 {
				name, inline, hasInline = v[:k], v[k+1:], true
			}
			for long, min := range prefixes {
				if len(name) >= min && strings.HasPrefix(long, name) {
					name = long
				}
			}
		} else if len(v) > 2 {
			name, inline, hasInline = v[:2], v[2:], true
		}
		canon, ok := names[name]
		if !ok {
			continue
		}
		o := option{name: canon}
		switch {
		case hasInline:
			o.value = inline
			o.start = a.Offset(len(v) - len(inline))
			o.end = a.Offset(len(v)-1) + 1
			if inline == "" || o.end < o.start {
				o.end = o.start
			}
			o.unknown = a.Unknown
		case i+1 < len(args):
			i++
			n := args[i]
			o.value, o.start, o.end, o.unknown = n.Value, n.Start, n.End, n.Unknown
		default:
			o.start, o.end = a.Start, a.End
			o.value = "\x00" // no value
		}
		out = append(out, o)
	}
	return out
}

// newApp starts the App of a command whose program is the word prog.
func (r *reader) newApp(prog Word) *apps.App {
	a := &apps.App{Kind: apps.Command, Name: r.name, File: r.f, Span: apps.SpanOf(r.f, prog.Start, prog.End)}
	r.apps = append(r.apps, a)
	return a
}

// missing reports an option written last without its value.
func (r *reader) missing(o option) bool {
	if o.value != "\x00" {
		return false
	}
	r.problem(o.start, o.end, "%s needs a value", o.name)
	return true
}

func unknownReason(what string, o option) string {
	return fmt.Sprintf("%s %s uses %s, which is set by the environment the command runs in", what, o.value, o.unknown)
}

var gunicornOptions = map[string]string{
	"-b": "--bind", "--bind": "--bind",
	"-u": "--user", "--user": "--user",
	"-g": "--group", "--group": "--group",
	"-m": "--umask", "--umask": "--umask",
	"-c": "--config", "--config": "--config",
	"--certfile": "--certfile",
	"--protocol": "--protocol",
}

// gunicorn reads gunicorn's options (gunicorn/config.py: each setting's
// cli).
func (r *reader) gunicorn(prog Word, args []Word, env Env) {
	app := r.newApp(prog)
	var (
		binds               []apps.Bind
		user, group, config string
		userSpan, groupSpan apps.Span
		mode                = 0o777
		modeSpan            apps.Span
		https               bool
		proto               = manifest.ProtocolHTTP
	)
	for _, o := range options(args, gunicornOptions, map[string]int{"--bind": 4, "--umask": 4}) {
		if r.missing(o) {
			continue
		}
		sp := apps.SpanOf(r.f, o.start, o.end)
		switch o.name {
		case "--bind":
			if o.unknown != "" {
				binds = append(binds, apps.Unreadable(o.value, sp, unknownReason("bind", o)))
				continue
			}
			b, msg := gunicorn.Bind(strings.TrimSpace(o.value), sp)
			if msg != "" {
				r.problem(o.start, o.end, "%s", msg)
				continue
			}
			binds = append(binds, b)
		case "--user":
			user, userSpan = o.value, sp
		case "--group":
			group, groupSpan = o.value, sp
		case "--umask":
			n, ok := autoInt(o.value)
			switch {
			case o.unknown != "":
				mode, modeSpan = -1, apps.Span{}
			case !ok || n > 0o7777:
				r.problem(o.start, o.end, "gunicorn cannot read umask %q: write it in octal, e.g. -m 007", o.value)
				mode, modeSpan = -1, apps.Span{}
			default:
				mode, modeSpan = 0o777&^n, sp
			}
		case "--config":
			config = o.value
		case "--certfile":
			https = true
		case "--protocol":
			// gunicorn/config.py Protocol: http (default) or uwsgi.
			switch {
			case o.unknown != "":
				proto = ""
			case strings.EqualFold(o.value, "uwsgi"):
				proto = manifest.ProtocolUWSGI
			default:
				proto = manifest.ProtocolHTTP
			}
		}
	}
	if len(binds) == 0 {
		reason := "gunicorn is started without --bind: it binds as its configuration file gunicorn.conf.py in its working directory says, else 0.0.0.0:$PORT when PORT is set, else " + gunicorn.DefaultBind
		if config != "" {
			reason = fmt.Sprintf("gunicorn is started without --bind: it binds as its configuration file %s (-c) says, else 0.0.0.0:$PORT when PORT is set, else %s", config, gunicorn.DefaultBind)
		}
		if config == "" {
			if p, ok := env["PORT"]; ok && p.Value != "" {
				reason += fmt.Sprintf(" (PORT is %s here)", p.Value)
			}
		}
		binds = append(binds, apps.Unreadable("", apps.SpanOf(r.f, prog.Start, prog.End), reason))
	}
	for i := range binds {
		b := &binds[i]
		b.RunUser, b.RunGroup = user, group
		b.Protocol = proto
		if https && proto == manifest.ProtocolHTTP {
			b.Protocol = manifest.ProtocolHTTPS
		}
		if b.Addr.Unix {
			b.Owner, b.OwnerSpan, b.Group, b.GroupSpan = user, userSpan, group, groupSpan
			b.Mode = mode
			if mode >= 0 {
				b.ModeSpan = modeSpan
			}
		}
	}
	app.Binds = binds
}

// autoInt reads a number as gunicorn's auto_int reads a command-line
// umask: a leading 0 followed by a digit is octal, else Python's
// int(s, 0).
func autoInt(s string) (int, bool) {
	t := strings.TrimSpace(s)
	base := 10
	switch {
	case len(t) > 1 && t[0] == '0' && t[1] >= '0' && t[1] <= '9':
		base, t = 8, t[1:]
	case len(t) > 2 && t[0] == '0' && strings.IndexByte("oO", t[1]) >= 0:
		base, t = 8, t[2:]
	case len(t) > 2 && t[0] == '0' && strings.IndexByte("xX", t[1]) >= 0:
		base, t = 16, t[2:]
	case len(t) > 2 && t[0] == '0' && strings.IndexByte("bB", t[1]) >= 0:
		base, t = 2, t[2:]
	}
	n, err := strconv.ParseInt(t, base, 32)
	if err != nil || n < 0 {
		return 0, false
	}
	return int(n), true
}

var uvicornOptions = map[string]string{
	"--host": "--host", "--port": "--port", "--uds": "--uds", "--fd": "--fd",
	"--ssl-certfile": "--ssl-certfile",
}

// uvicorn reads uvicorn's options (uvicorn/main.py): --host (default
// 127.0.0.1), --port (default 8000), --uds (its socket is made 0666),
// --fd; each also from UVICORN_HOST, UVICORN_PORT, UVICORN_UDS.
func (r *reader) uvicorn(prog Word, args []Word, env Env) {
	app := r.newApp(prog)
	type setting struct {
		o   option
		set bool
	}
	var host, port, uds, fd setting
	https := false
	for _, o := range options(args, uvicornOptions, nil) {
		if r.missing(o) {
			continue
		}
		switch o.name {
		case "--host":
			host = setting{o, true}
		case "--port":
			port = setting{o, true}
		case "--uds":
			uds = setting{o, true}
		case "--fd":
			fd = setting{o, true}
		case "--ssl-certfile":
			https = true
		}
	}
	fromEnv := func(s *setting, name string) {
		if s.set {
			return
		}
		if v, ok := env[name]; ok {
			s.o = option{name: name, value: v.Value, start: v.Span.Start, end: v.Span.End}
			s.set = true
			if v.Span.File != r.f {
				s.o.start, s.o.end = prog.Start, prog.End
			}
		}
	}
	fromEnv(&host, "UVICORN_HOST")
	fromEnv(&port, "UVICORN_PORT")
	fromEnv(&uds, "UVICORN_UDS")
	fromEnv(&fd, "UVICORN_FD")
	proto := manifest.ProtocolHTTP
	if https {
		proto = manifest.ProtocolHTTPS
	}
	progSpan := apps.SpanOf(r.f, prog.Start, prog.End)
	var b apps.Bind
	switch {
	case uds.set:
		sp := apps.SpanOf(r.f, uds.o.start, uds.o.end)
		b = apps.NewBind(uds.o.value, sp)
		switch {
		case uds.o.unknown != "":
			b.Unreadable = unknownReason("--uds", uds.o)
		case !strings.HasPrefix(uds.o.value, "/"):
			b.Unreadable = fmt.Sprintf("the socket path %q is relative: uvicorn creates it in its working directory", uds.o.value)
		default:
			a, err := apps.Unix(uds.o.value)
			if err != nil {
				r.problem(uds.o.start, uds.o.end, "%v", err)
				return
			}
			b.Addr, b.Mode = a, 0o666
		}
	case fd.set:
		b = apps.Unreadable(fd.o.value, apps.SpanOf(r.f, fd.o.start, fd.o.end), "uvicorn listens on an inherited file descriptor (--fd): its address is set by whoever starts uvicorn")
	default:
		h, p := "127.0.0.1", 8000
		span, written := progSpan, ""
		if host.set {
			span = apps.SpanOf(r.f, host.o.start, host.o.end)
			h, written = host.o.value, host.o.value
			if host.o.unknown != "" {
				b = apps.Unreadable(written, span, unknownReason("--host", host.o))
				break
			}
		}
		if port.set {
			if !host.set {
				span = apps.SpanOf(r.f, port.o.start, port.o.end)
				written = port.o.value
			} else {
				written += ":" + port.o.value
			}
			if port.o.unknown != "" {
				b = apps.Unreadable(written, apps.SpanOf(r.f, port.o.start, port.o.end), unknownReason("--port", port.o))
				break
			}
			n, err := strconv.Atoi(port.o.value)
			if err != nil || n < 0 || n > 65535 {
				r.problem(port.o.start, port.o.end, "--port %q is not a port; write a number from 1 to 65535", port.o.value)
				return
			}
			p = n
		}
		b = apps.NewBind(written, span)
		if p == 0 {
			b.Unreadable = "port 0: the kernel picks a free port when uvicorn starts"
			break
		}
		a, wild, err := apps.TCP(strings.Trim(h, "[]"), p)
		if err != nil {
			r.problem(span.Start, span.End, "uvicorn cannot bind %q: %v", h, err)
			return
		}
		b.Addr, b.Wildcard = a, wild
	}
	b.Protocol = proto
	app.Binds = []apps.Bind{b}
}

var pumaOptions = map[string]string{
	"-b": "--bind", "--bind": "--bind",
	"-p": "--port", "--port": "--port",
	"-C": "--config", "--config": "--config",
}

// puma reads puma's options (lib/puma/cli.rb): --bind URI, --port PORT
// (on every interface), --config FILE.
func (r *reader) puma(prog Word, args []Word, env Env) {
	app := r.newApp(prog)
	var config string
	for _, o := range options(args, pumaOptions, nil) {
		if r.missing(o) {
			continue
		}
		sp := apps.SpanOf(r.f, o.start, o.end)
		switch o.name {
		case "--bind":
			if o.unknown != "" {
				app.Binds = append(app.Binds, apps.Unreadable(o.value, sp, unknownReason("bind", o)))
				continue
			}
			b, msg := puma.Bind(o.value, sp)
			if msg != "" {
				r.problem(o.start, o.end, "%s", msg)
				continue
			}
			app.Binds = append(app.Binds, b)
		case "--port":
			if o.unknown != "" {
				app.Binds = append(app.Binds, apps.Unreadable(o.value, sp, unknownReason("port", o)))
				continue
			}
			b, msg := puma.Port(o.value, "", sp)
			if msg != "" {
				r.problem(o.start, o.end, "%s", msg)
				continue
			}
			app.Binds = append(app.Binds, b)
		case "--config":
			config = o.value
		}
	}
	if len(app.Binds) == 0 {
		reason := "puma is started without --bind or --port: it binds as config/puma.rb in its working directory says, else " + puma.DefaultBind
		if config != "" {
			reason = fmt.Sprintf("puma is started without --bind or --port: it binds as its configuration file %s (-C) says, else %s", config, puma.DefaultBind)
		}
		app.Binds = append(app.Binds, apps.Unreadable("", apps.SpanOf(r.f, prog.Start, prog.End), reason))
	}
}
