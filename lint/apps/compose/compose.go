// Package compose reads Docker Compose files for nginxlint: the services,
// the ports they publish and expose, their networks and network modes,
// their commands and environment, with where each value is written.
//
// The meaning is compose-go's (github.com/compose-spec/compose-go/v2),
// the library Docker Compose itself loads files with: interpolation of
// ${VAR} and its defaults, extends, include, profiles (every service is
// read, its profiles noted), env_file, the short and long syntaxes, port
// ranges, the default network. Where each value is written comes from a
// pass over the file's YAML nodes (gopkg.in/yaml.v3): every value has an
// apps.Span in the file that writes it, the extended or included file
// when that is where it is.
//
// The reader never touches the file system and never reads the process's
// environment: the files a compose file names are read through the
// Loader the caller gives, and interpolation sees only the variables the
// caller passes (the project's .env, read with DotEnv).
package compose

import (
	"cmp"
	"errors"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/cmdline"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Project is one compose file (with what it extends and includes) as
// Compose itself would load it.
type Project struct {
	// Path is the compose file's path.
	Path     string
	Services []*Service

	// Name is the project's name: the file's name key, else its
	// directory's name, as compose normalizes it.
	Name string
	// Dir is the project's directory, against which compose resolves
	// the relative paths of the project's files.
	Dir string
	// File is the compose file; Files every file read for the project
	// (the override files given, what they include and extend, env
	// files), File first.
	File  *syntax.File
	Files []*syntax.File
	// Unset are the variables the files interpolate that the caller's
	// variables do not set: compose reads them as "" (or their default),
	// and so does the reader. Sorted.
	Unset []string
}

// Service is one service of a project.
type Service struct {
	Name string
	// Span is where the service's key is written.
	Span apps.Span

	// Profiles are the profiles the service belongs to; none: it always
	// runs. The reader reads every service, whatever its profiles.
	Profiles []string
	// Image is the image the service runs, "" when it is built only.
	Image     string
	ImageSpan apps.Span
	// BuildContext is the directory its image is built from, absolute
	// and clean ("" when it is not built here, or the context is remote).
	BuildContext string
	BuildSpan    apps.Span
	// ContainerName and Hostname, when set.
	ContainerName, Hostname string

	// Ports are the ports the service publishes on the host (ports:),
	// one per port: a range is expanded.
	Ports []Port
	// Expose are the ports it declares it listens on inside its
	// container (expose:).
	Expose []Port
	// Networks are the networks the service is on, by their names in the
	// project, in the order written; "default" is the project's default
	// network, which compose puts every service on that names no network
	// and has no network_mode. NetworkSpan says where each is written
	// (zero for the implicit default network).
	Networks    []string
	NetworkSpan map[string]apps.Span
	// Aliases are the other names other services reach it by: its
	// network aliases and container_name.
	Aliases []string
	// Links are the names links: gives other services inside this one:
	// alias -> service.
	Links map[string]string
	// NetworkMode is network_mode as written ("host", "none",
	// "service:NAME", "container:NAME", "bridge"), "" when not set.
	NetworkMode     string
	NetworkModeSpan apps.Span

	// Command and Entrypoint are the service's command: and
	// entrypoint:, when set.
	Command, Entrypoint Command
	// CommandBinds are where the server its command starts binds, as
	// lint/apps/cmdline reads the command (gunicorn -b, uvicorn --port,
	// puma -b ...), with the service's environment: in the file, at the
	// option's value. None when the command starts no server cmdline
	// knows, or the image's command is used.
	CommandBinds []apps.Bind
	// Environment is the environment the service's containers get from
	// environment: and env_file:, by name.
	Environment map[string]EnvVar
	// Volumes are its mounts, in the order compose gives them.
	Volumes []Mount
}

// Port is one port of a service: published on the host (ports:) or
// exposed (expose:).
type Port struct {
	// Target is the port inside the container.
	Target int
	// Published is the host port as compose reads it: "8080", a range
	// "8000-8005", or "" when the host picks one (and for expose:).
	Published string
	// HostIP is the host address it is published on, "" for every one.
	HostIP string
	// Proto is "tcp" or "udp" (or "sctp").
	Proto string
	// TargetHi is, for an entry of UDP or SCTP ports whose container
	// ports are a range (Target to TargetHi), its last; 0 otherwise.
	// nginxlint reads such an entry as one Port (TCP ranges are read
	// port by port).
	TargetHi int
	// Written is the entry as written; Span where (a long syntax entry's
	// target when it writes one).
	Written string
	Span    apps.Span
}

// Publishes reports whether p publishes the host port port.
func (p Port) Publishes(port int) bool {
	lo, hi, ok := portRange(p.Published)
	return ok && lo <= port && port <= hi
}

// portRange reads "8080" or "8000-8005".
func portRange(s string) (lo, hi int, ok bool) {
	a, b, isRange := strings.Cut(s, "-")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	hi = lo
	if isRange {
		if hi, err = strconv.Atoi(b); err != nil || hi < lo {
			return 0, 0, false
		}
	}
	return lo, hi, true
}

// Command is a service's command or entrypoint.
type Command struct {
	// Set is true when the service sets it; it then replaces the
	// image's.
	Set bool
	// Words are the command's words, as compose splits a string (shell
	// words) or as the list writes them; WordSpans where each word is
	// written, when the reader finds it (zero otherwise).
	Words     []string
	WordSpans []apps.Span
	// Text is the command as written, when written as one string.
	Text string
	Span apps.Span
	// wordPos holds, for each word found, the offset in the file of each
	// byte of its value (its text may differ: quotes, "$$" for "$").
	wordPos [][]int
}

// EnvVar is one variable of a service's environment.
type EnvVar struct {
	Value string
	// Known is false when the value comes from the environment compose
	// runs in ("environment: [PORT]" with no value in the caller's
	// variables): unknown here.
	Known bool
	// Span is where the variable is written: its environment: entry, or
	// its line in the env file.
	Span apps.Span
}

// Mount is one of a service's volumes.
type Mount struct {
	// Type is "bind", "volume", "tmpfs" ...
	Type string
	// Source is, for a bind mount, the host path: absolute and clean
	// (relative ones resolved as compose resolves them; "~/..." left as
	// written); for a named volume, its name.
	Source string
	// Target is the path inside the container.
	Target   string
	ReadOnly bool
	Span     apps.Span
}

// Loader reads a file a compose file names (a file it includes or
// extends, an env file), by its absolute, clean path. It decides what may
// be read (the command line reads only inside the repository); its error
// wraps fs.ErrNotExist when there is no such file.
type Loader func(path string) (*syntax.File, error)

// Read reads the compose file f (f.Path absolute), with the variables
// env for interpolation (the project's .env, read with DotEnv, and any
// default the caller has; never the process's environment: pass an empty
// map for none), reading what it includes and extends through load. It
// returns the project, nil when compose would refuse the file, and the
// problems found, each at its place.
func Read(f *syntax.File, env map[string]string, load Loader) (*Project, []apps.Problem) {
	return ReadFiles([]*syntax.File{f}, env, load)
}

// ReadFiles reads the compose files of one project, as "docker compose
// -f FILE -f OVERRIDE" does: each file overrides the ones before it
// (compose.override.yaml beside compose.yaml). The project's directory
// is the first file's.
func ReadFiles(files []*syntax.File, env map[string]string, load Loader) (*Project, []apps.Problem) {
	if len(files) == 0 {
		return nil, nil
	}
	r := newReader(env, load)
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Clean(cmp.Or(f.Path, f.Name))
	}
	p := r.project(files, paths, filepath.Dir(paths[0]), []string{paths[0]})
	if p != nil {
		p.Files = append(slices.Clone(files), r.read...)
		p.Unset = slices.Sorted(func(yield func(string) bool) {
			for k := range r.unset {
				if !yield(k) {
					return
				}
			}
		})
	}
	return p, r.problems
}

// project reads files as one project whose directory is dir.
func (r *reader) project(files []*syntax.File, paths []string, dir string, stack []string) *Project {
	var docs []*doc
	for i, f := range files {
		d, ok := r.parse(f, paths[i])
		if !ok {
			return nil
		}
		docs = append(docs, d)
	}
	// What the files include: projects of their own, whose services join.
	var included []*Project
	includes := false
	for _, d := range docs {
		if n, _ := mapGet(d.root, "include"); n != nil {
			includes = true
		}
		included = append(included, r.includes(d, dir, stack)...)
	}
	// extends, resolved file by file.
	origins := map[string][]origin{}
	failed := false
	for _, d := range slices.Backward(docs) {
		svcs, _ := mapGet(d.root, "services")
		rawSvcs, _ := d.raw["services"].(map[string]any)
		mapPairs(svcs, func(k, _ *yaml.Node) {
			if rawSvcs == nil {
				return
			}
			e := r.resolveExtends(d, dir, k.Value, 0)
			if e.err != nil {
				if !errors.Is(e.err, errReported) {
					ext, _ := mapGet(mapOrNil(svcs, k.Value), "extends")
					r.problem(span(d.f, cmp.Or(ext, k)), "%v", e.err)
				}
				failed = true
				return
			}
			if e.raw != nil {
				rawSvcs[k.Value] = e.raw
			}
			origins[k.Value] = append(origins[k.Value], e.origins...)
		})
	}
	if failed {
		return nil
	}
	name := r.projectName(docs[0], dir)
	// compose-go sees the files without what they include: what refers
	// to an included service or network is not checked.
	if at, d, err := r.collapseRanges(docs); err != nil {
		r.problem(span(d.f, at), "%v", err)
		return nil
	}
	cp, err := r.composeLoad(docs, dir, name, includes)
	if err != nil {
		r.problems = append(r.problems, composeProblem(err, docs))
		return nil
	}
	p := &Project{Path: paths[0], Name: name, Dir: dir, File: files[0]}
	// The services in the order the files write them, each where the
	// first file that defines it does.
	seen := map[string]bool{}
	for _, d := range docs {
		svcs, _ := mapGet(d.root, "services")
		mapPairs(svcs, func(k, _ *yaml.Node) {
			if seen[k.Value] {
				return
			}
			seen[k.Value] = true
			sc, ok := cp.Services[k.Value]
			if !ok {
				sc, ok = cp.DisabledServices[k.Value]
			}
			if ok {
				s := r.service(sc, origins[k.Value])
				s.Span = span(d.f, k)
				p.Services = append(p.Services, s)
			}
		})
	}
	for _, sub := range included {
		for _, s := range sub.Services {
			if mine := p.Service(s.Name); mine != nil {
				r.problem(mine.Span, "service %s is also defined in %s, which this project includes: nginxlint reads this definition only", s.Name, s.Span.File.Name)
				continue
			}
			p.Services = append(p.Services, s)
		}
	}
	return p
}

func mapOrNil(n *yaml.Node, key string) *yaml.Node {
	v, _ := mapGet(n, key)
	return v
}

// Service returns the service named name, nil when there is none.
func (p *Project) Service(name string) *Service {
	if p == nil {
		return nil
	}
	for _, s := range p.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// find returns the value of key in the first definition that writes it,
// with that definition.
func find(origins []origin, key string) (*yaml.Node, origin) {
	for _, o := range origins {
		if v, _ := mapGet(o.node, key); v != nil {
			return v, o
		}
	}
	return nil, origin{}
}

// service builds a Service from what compose-go read and where its
// definitions write it.
func (r *reader) service(sc types.ServiceConfig, origins []origin) *Service {
	s := &Service{Name: sc.Name, Profiles: sc.Profiles, Image: sc.Image, ContainerName: sc.ContainerName, Hostname: sc.Hostname, NetworkMode: sc.NetworkMode}
	if len(origins) > 0 {
		s.Span = span(origins[0].d.f, origins[0].key)
	}
	if n, o := find(origins, "image"); n != nil {
		s.ImageSpan = span(o.d.f, n)
	}
	if sc.Build != nil {
		n, o := find(origins, "build")
		s.BuildSpan = span(o.d.f, n)
		if c := sc.Build.Context; c != "" && !isRemote(c) && !strings.HasPrefix(c, types.ServicePrefix) && !strings.HasPrefix(c, "github.com/") {
			if o.d == nil && len(origins) > 0 {
				o = origins[0]
			}
			s.BuildContext = absJoin(o.base, c)
		}
	}
	if n, o := find(origins, "network_mode"); n != nil {
		s.NetworkModeSpan = span(o.d.f, n)
	}
	s.Ports = r.ports(sc, origins, s.Span)
	s.Expose = r.expose(sc, origins, s.Span)
	r.networks(s, sc, origins)
	s.Links = map[string]string{}
	for _, l := range sc.Links {
		svc, alias, ok := strings.Cut(l, ":")
		if !ok {
			alias = svc
		}
		s.Links[alias] = svc
	}
	if sc.ContainerName != "" {
		s.Aliases = append(s.Aliases, sc.ContainerName)
	}
	s.Command = r.command(sc.Command, origins, "command")
	s.Entrypoint = r.command(sc.Entrypoint, origins, "entrypoint")
	s.Environment = r.environment(sc, origins)
	s.Volumes = r.volumes(sc, origins, s.Span)
	s.CommandBinds = r.commandBinds(s)
	return s
}

// commandBinds reads the binds of the server the service's command
// starts: its entrypoint and command as compose runs them (split into
// words, no shell), with its environment.
func (r *reader) commandBinds(s *Service) []apps.Bind {
	var argv []cmdline.Word
	for _, c := range []Command{s.Entrypoint, s.Command} {
		for i, w := range c.Words {
			argv = append(argv, c.word(i, w))
		}
	}
	if len(argv) == 0 {
		return nil
	}
	f := s.Command.Span.File
	if f == nil {
		f = s.Entrypoint.Span.File
	}
	env := cmdline.Env{}
	for k, v := range s.Environment {
		if v.Known {
			env[k] = cmdline.Var{Value: v.Value, Span: v.Span}
		}
	}
	found, probs := readArgv(f, argv, env)
	if len(found) == 0 && s.Entrypoint.Set && s.Command.Set {
		// The entrypoint may be a script that runs its arguments.
		found, probs = readArgv(f, argv[len(s.Entrypoint.Words):], env)
	}
	r.problems = append(r.problems, probs...)
	var out []apps.Bind
	for _, a := range found {
		out = append(out, a.Binds...)
	}
	return out
}

// word is the word i of c, whose value is value, for cmdline: where it
// is written, and the offset of each of its bytes (the command's start
// for every byte when the reader did not find the word).
func (c Command) word(i int, value string) cmdline.Word {
	if i < len(c.wordPos) && c.wordPos[i] != nil {
		s := c.WordSpans[i]
		return cmdline.NewWord(value, s.Start, s.End, c.wordPos[i])
	}
	pos := make([]int, len(value))
	for k := range pos {
		pos[k] = c.Span.Start
	}
	return cmdline.NewWord(value, c.Span.Start, c.Span.End, pos)
}

// readArgv is cmdline.ReadArgv, where a panic is no bind.
func readArgv(f *syntax.File, argv []cmdline.Word, env cmdline.Env) (found []*apps.App, probs []apps.Problem) {
	defer func() {
		if p := recover(); p != nil {
			found, probs = nil, nil
		}
	}()
	return cmdline.ReadArgv(f, argv, env)
}

// Apps returns one app per service: Kind apps.Compose, named after the
// service, with a Bind for each TCP port it listens on inside its
// container: where its command binds (gunicorn -b ..., read by
// lint/apps/cmdline, with the interface it binds), then the ports its
// ports' targets and expose declare and the command does not bind (a
// wildcard address: compose says the port, not the interface). A service
// that declares no port and whose command binds none has one unreadable
// Bind: its image decides.
func (p *Project) Apps() []*apps.App {
	if p == nil {
		return nil
	}
	out := make([]*apps.App, 0, len(p.Services))
	for _, s := range p.Services {
		a := &apps.App{Kind: apps.Compose, Name: s.Name, File: s.Span.File, Span: s.Span}
		seen := map[int]bool{}
		for _, b := range s.CommandBinds {
			a.Binds = append(a.Binds, b)
			if b.Unreadable == "" && !b.Addr.Unix {
				seen[b.Addr.Port] = true
			}
		}
		for _, port := range s.ContainerPorts() {
			if seen[port.Target] {
				continue
			}
			seen[port.Target] = true
			addr, wild, err := apps.TCP("", port.Target)
			b := apps.NewBind(port.Written, port.Span)
			if err != nil {
				b.Unreadable = err.Error()
			} else {
				b.Addr, b.Wildcard = addr, wild
			}
			a.Binds = append(a.Binds, b)
		}
		if len(a.Binds) == 0 {
			a.Binds = append(a.Binds, apps.Unreadable("", s.Span, "the service declares no port (ports:, expose:) and its command binds none nginxlint reads: the port its image listens on is not in the compose file"))
		}
		out = append(out, a)
	}
	return out
}

// ContainerPorts returns the TCP ports the compose file declares the
// service listens on inside its container: its ports' targets, then
// what it exposes, in that order.
func (s *Service) ContainerPorts() []Port {
	var out []Port
	for _, list := range [][]Port{s.Ports, s.Expose} {
		for _, p := range list {
			if p.Proto == "tcp" && p.Target > 0 {
				out = append(out, p)
			}
		}
	}
	return out
}

// ListensOn reports whether the compose file says the service listens
// on the TCP port inside its container: a port's target, an exposed
// port, or where its command binds.
func (s *Service) ListensOn(port int) bool {
	if slices.ContainsFunc(s.ContainerPorts(), func(p Port) bool { return p.Target == port }) {
		return true
	}
	return slices.ContainsFunc(s.CommandBinds, func(b apps.Bind) bool {
		return b.Unreadable == "" && !b.Addr.Unix && b.Addr.Port == port
	})
}

// ListenPorts returns the TCP ports the compose file says the service
// listens on inside its container, each once, in order: its command's
// binds, its ports' targets, what it exposes.
func (s *Service) ListenPorts() []int {
	var out []int
	for _, b := range s.CommandBinds {
		if b.Unreadable == "" && !b.Addr.Unix && !slices.Contains(out, b.Addr.Port) {
			out = append(out, b.Addr.Port)
		}
	}
	for _, p := range s.ContainerPorts() {
		if !slices.Contains(out, p.Target) {
			out = append(out, p.Target)
		}
	}
	return out
}

// Names returns the names other services reach s by: its service name,
// then its aliases.
func (s *Service) Names() []string { return append([]string{s.Name}, s.Aliases...) }

// LooksLikeNginx reports whether the compose file says the service runs
// nginx: its image is nginx's (nginx, nginx:TAG, REGISTRY/nginx...,
// also openresty and angie), its name says nginx, or it mounts an
// nginx.conf or a directory at /etc/nginx. Whether it runs the nginx
// tree being linted is NginxOf's question.
func (s *Service) LooksLikeNginx() bool {
	if s.namedNginx() {
		return true
	}
	for _, m := range s.Volumes {
		t := path.Clean(m.Target)
		if path.Base(t) == "nginx.conf" || t == "/etc/nginx" || strings.HasPrefix(t, "/etc/nginx/") || filepath.Base(m.Source) == "nginx.conf" && m.Type == "bind" {
			return true
		}
	}
	return false
}

// namedNginx reports whether the service's name or image says nginx
// (or OpenResty, or Angie).
func (s *Service) namedNginx() bool {
	if strings.Contains(strings.ToLower(s.Name), "nginx") {
		return true
	}
	img := strings.ToLower(s.Image)
	if i := strings.IndexByte(img, '@'); i >= 0 {
		img = img[:i]
	}
	repo := img[strings.LastIndexByte(img, '/')+1:]
	for _, name := range []string{"nginx", "openresty", "angie"} {
		if repo == name || strings.HasPrefix(repo, name+":") || strings.Contains(img, "/") && strings.HasPrefix(repo, name) {
			return true
		}
	}
	return false
}

// NginxOf returns the service of the project that runs the nginx tree
// whose directory root stands for prefix (/etc/nginx), nil when none
// does (nginx runs on the host, or elsewhere): the service that bind
// mounts the tree where nginx reads it (its directory at the prefix, a
// part of it at its place under the prefix, or a directory above it
// with the tree at the prefix); else one that mounts a file of the tree
// elsewhere; else one built from the tree's directory. Among several,
// the one whose name or image says nginx, when only one does.
// Another nginx of the project (one that mounts its own configuration)
// is not the tree's: the tree's nginx may run on the host in front of
// it.
func (p *Project) NginxOf(root, prefix string) *Service {
	if root == "" {
		return nil
	}
	root = filepath.Clean(root)
	prefix = path.Clean(prefix)
	var strong, weak []*Service
	for _, s := range p.Services {
		switch s.mountsTree(root, prefix) {
		case 2:
			strong = append(strong, s)
		case 1:
			weak = append(weak, s)
		}
	}
	cands := strong
	if len(cands) == 0 {
		cands = weak
	}
	if len(cands) == 0 {
		for _, s := range p.Services {
			if s.BuildContext == root {
				cands = append(cands, s)
			}
		}
	}
	if len(cands) > 1 {
		// Those that mount the tree all look like nginx by their mounts:
		// their names and images tell.
		cands = slices.DeleteFunc(slices.Clone(cands), func(s *Service) bool { return !s.namedNginx() })
	}
	if len(cands) == 1 {
		return cands[0]
	}
	return nil
}

// mountsTree says how surely s mounts the tree at root: 2 when a bind
// mount puts a part of it where nginx reads it under prefix, 1 when it
// mounts a file or directory of the tree elsewhere, 0 when it does not.
func (s *Service) mountsTree(root, prefix string) int {
	best := 0
	for _, m := range s.Volumes {
		if m.Type != "bind" || !filepath.IsAbs(m.Source) {
			continue
		}
		if rel, ok := within(root, m.Source); ok {
			// A part of the tree: where nginx reads it?
			if path.Join(prefix, rel) == path.Clean(m.Target) {
				return 2
			}
			best = 1
			continue
		}
		if rel, ok := within(m.Source, root); ok && path.Join(m.Target, rel) == prefix {
			return 2 // a directory above the tree, the tree at the prefix
		}
	}
	return best
}

// within returns the slash path of p relative to dir, when p is dir or
// below it.
func within(dir, p string) (string, bool) {
	rel, err := filepath.Rel(dir, filepath.Clean(p))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}
