// Package read finds and reads the app configurations a run needs: the
// files the manifest's backends name (app = "FILE" or "FILE#NAME") and
// the Docker Compose files of the repository, each with the reader of
// its format (lint/apps' subpackages).
package read

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/internal/safeio"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/compose"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// Set is what a run read of the apps: the rules see it through
// lint/model's Index.Apps.
type Set struct {
	// Apps are every app read, in the order of their files.
	Apps []*apps.App
	// Linked maps a manifest backend's name to the app its app = names
	// (nil: the backend names none, or the app was not found, which is
	// in Problems).
	Linked map[string]*apps.App
	// Projects are the Docker Compose projects read.
	Projects []*compose.Project
	// Problems are what could not be read, each at its place: a linked
	// file that is missing or unreadable, or holds no such app (at the
	// manifest's app = value), and what the readers could not read in
	// the files (at its place in them).
	Problems []apps.Problem
	// Unread are the Problems about linked files that could not be read
	// at all: the run did not see what the manifest links, and fails.
	Unread []apps.Problem
	// Manifest is the manifest's text as a file, for the findings about
	// it and the fixes of its values; nil without a manifest.
	Manifest *syntax.File
	// Root is the tree's directory, as Load was given it.
	Root string
}

// Backend returns the app the manifest backend b is linked to, nil when
// none.
func (s *Set) Backend(b *manifest.Backend) *apps.App {
	if s == nil || b == nil {
		return nil
	}
	return s.Linked[b.Name]
}

// ReadFile reads the file at path for Load, as the caller allows (see
// Load), and returns it named path.
type ReadFile func(path string) (*syntax.File, error)

// Load reads what the manifest m links: each backend's app = "FILE" or
// "FILE#NAME", FILE relative to the manifest's directory, and [nginx]
// compose; each file once, with the reader of its kind (see Detect).
// An app is the one named after '#', or the only one the file holds.
// Docker Compose files that the manifest does not name are looked for in
// root, the tree's directory, and its parents, as far as readFile may
// read (see below).
//
// readFile reads a file confined as the caller decides (in nginxlint,
// inside the repository: a regular file, within the size limit); its
// error wraps fs.ErrNotExist for a file that is not there, and
// ErrOutside for one outside what it may read, which ends the search
// for compose files. The files are read with their Path set,
// so that fixes can be written to them.
//
// Without a manifest (m nil), only the compose files are looked for.
// Load returns nil when it reads nothing. What it could not read is in Problems, never a panic or an
// error: a missing file, one that is not an app configuration nginxlint
// reads, a fragment naming no app of the file.
func Load(root string, m *manifest.Manifest, readFile ReadFile) *Set {
	return load(root, m, readFile, readers)
}

// link is one manifest value that names an app configuration.
type link struct {
	backend *manifest.Backend // nil for [nginx] compose
	value   string
	pos     manifest.Position
	name    string // after '#'
}

// fileRead is one app configuration file Load read, or tried to.
type fileRead struct {
	path  string
	links []link
	kind  apps.Kind
	file  *syntax.File
	apps  []*apps.App
	// project is the compose project read from the file, nil when it
	// could not be read (or the file is not a compose file).
	project *compose.Project
}

// load is Load with the readers of each kind given.
func load(root string, m *manifest.Manifest, readFile ReadFile, rs registry) *Set {
	s := &Set{Linked: map[string]*apps.App{}, Root: root}
	var files []*fileRead
	byPath := map[string]*fileRead{}
	if m == nil {
		s.findCompose(root, byPath, readFile, rs)
		if len(s.Projects) == 0 && len(s.Problems) == 0 {
			return nil
		}
		return s
	}
	s.Manifest = &syntax.File{Name: m.Path, Path: m.Path, Src: m.Src}
	dir := filepath.Dir(m.Path)
	add := func(l link, kind apps.Kind) {
		file, name := manifest.SplitLink(l.value)
		l.name = name
		p := safeio.Join(dir, filepath.FromSlash(file))
		fr := byPath[p]
		if fr == nil {
			fr = &fileRead{path: p, kind: kind}
			byPath[p] = fr
			files = append(files, fr)
		}
		fr.links = append(fr.links, l)
	}
	for _, b := range m.Backends {
		if b.App != "" {
			add(link{backend: b, value: b.App, pos: b.AppPos}, "")
		}
	}
	if m.Compose != "" {
		add(link{value: m.Compose, pos: m.ComposePos}, apps.Compose)
	}
	for _, fr := range files {
		s.readLinked(fr, readFile, rs)
	}
	s.findCompose(root, byPath, readFile, rs)
	if len(s.Apps) == 0 && len(s.Projects) == 0 && len(s.Problems) == 0 {
		return nil
	}
	return s
}

// readLinked reads one file the manifest links and resolves its links.
func (s *Set) readLinked(fr *fileRead, readFile ReadFile, rs registry) {
	f, err := readFile(fr.path)
	if err != nil {
		why := err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			why = "no such file"
		}
		for _, l := range fr.links {
			pr := s.atLink(l, fmt.Sprintf("cannot read the app configuration %s (%s): %s", fr.path, linkKey(l), why))
			s.Unread = append(s.Unread, pr)
		}
		return
	}
	fr.file = f
	kind, ok := Detect(fr.path, f.Src)
	if fr.kind == apps.Compose && kind != apps.Compose {
		for _, l := range fr.links {
			s.atLink(l, fmt.Sprintf("%s is not a Docker Compose file (compose.yaml, docker-compose.yml, or YAML with services:); compose names the compose file and the service nginx runs in", fr.path))
		}
		return
	}
	if !ok {
		for _, l := range fr.links {
			s.atLink(l, fmt.Sprintf("nginxlint cannot tell what %s configures: it reads %s", fr.path, Kinds))
		}
		return
	}
	fr.kind = kind
	if !s.readFile(fr, readFile, rs) {
		return
	}
	if kind == apps.Compose && fr.project == nil {
		// The compose file could not be read as a project (what is wrong
		// is among the Problems, at its place): what the manifest links
		// there was not seen.
		for _, l := range fr.links {
			s.Unread = append(s.Unread, s.atLink(l, fmt.Sprintf("cannot read the Docker Compose file %s (%s): nginxlint could not load it as a project (see the problem in it)", fr.path, linkKey(l))))
		}
		return
	}
	if kind == apps.Systemd && strings.HasSuffix(fr.path, ".service") {
		s.socketActivated(fr, readFile, rs)
	}
	for _, l := range fr.links {
		a := s.pick(fr, l)
		if a != nil && l.backend != nil {
			s.Linked[l.backend.Name] = a
		}
	}
}

// readFile reads a file of a known kind with its reader; false when
// this build has none for the kind.
func (s *Set) readFile(fr *fileRead, readFile ReadFile, rs registry) bool {
	if fr.kind == apps.Compose {
		if rs.compose == nil {
			s.noReader(fr)
			return false
		}
		if !filepath.IsAbs(fr.file.Path) {
			if abs, err := filepath.Abs(fr.file.Path); err == nil {
				fr.file.Path = abs // compose resolves its paths against it
			}
		}
		p, as, probs := rs.compose(fr.file, readFile)
		if p != nil {
			s.Projects = append(s.Projects, p)
		}
		fr.project = p
		fr.apps = as
		s.Apps = append(s.Apps, as...)
		s.Problems = append(s.Problems, probs...)
		return true
	}
	r := rs.apps[fr.kind]
	if r == nil {
		s.noReader(fr)
		return false
	}
	as, probs := r(fr.file)
	fr.apps = as
	s.Apps = append(s.Apps, as...)
	s.Problems = append(s.Problems, probs...)
	return true
}

// socketActivated gives the apps of a .service unit the binds of the
// .socket unit of the same name beside it, when there is one: systemd
// then creates the sockets and passes them to the service, whose own
// bind settings do not apply.
func (s *Set) socketActivated(fr *fileRead, readFile ReadFile, rs registry) {
	p := strings.TrimSuffix(fr.path, ".service") + ".socket"
	f, err := readFile(p)
	if err != nil {
		return // no socket unit (or none nginxlint may read): the service binds
	}
	sock := &fileRead{path: p, kind: apps.Systemd, file: f}
	if !s.readFile(sock, readFile, rs) || len(sock.apps) != 1 || len(sock.apps[0].Binds) == 0 {
		return
	}
	for i, a := range fr.apps {
		activated := *a
		activated.Binds = sock.apps[0].Binds
		fr.apps[i] = &activated
		for j, x := range s.Apps {
			if x == a {
				s.Apps[j] = &activated
			}
		}
	}
}

// noReader reports a file of a kind this build cannot read.
func (s *Set) noReader(fr *fileRead) {
	for _, l := range fr.links {
		s.atLink(l, fmt.Sprintf("%s is a %s configuration, which this build of nginxlint cannot read yet", fr.path, fr.kind))
	}
}

// pick returns the app of fr that link l names: the one of its name, or
// the only one; nil, with a problem, when there is none.
func (s *Set) pick(fr *fileRead, l link) *apps.App {
	var names []string
	for _, a := range fr.apps {
		if a.Name != "" {
			names = append(names, a.Name)
		}
	}
	what := "app"
	if fr.kind == apps.Compose {
		what = "service"
	}
	switch {
	case l.name != "":
		for _, a := range fr.apps {
			if a.Name == l.name {
				return a
			}
		}
		if len(names) == 0 {
			if len(fr.apps) == 1 {
				s.atLink(l, fmt.Sprintf("%s holds one %s configuration, which has no name: remove #%s", fr.path, fr.kind, l.name))
			} else {
				s.atLink(l, fmt.Sprintf("%s holds no %s that binds an address: nothing named %q", fr.path, what, l.name))
			}
			return nil
		}
		s.atLink(l, fmt.Sprintf("%s has no %s named %q%s; it has %s", fr.path, what, l.name, didYouMean(l.name, names), strings.Join(quoteAll(names), ", ")))
	case fr.kind == apps.Compose && l.backend == nil:
		s.atLink(l, fmt.Sprintf("compose %q does not name the service nginx runs in; write %s#SERVICE", l.value, l.value))
	case len(fr.apps) == 1:
		return fr.apps[0]
	case len(fr.apps) == 0:
		s.atLink(l, fmt.Sprintf("%s holds no %s that nginxlint can read a bind of", fr.path, what))
	default:
		s.atLink(l, fmt.Sprintf("%s holds %d %ss (%s): name the one backend %s is, e.g. app = %s", fr.path, len(fr.apps), what, strings.Join(quoteAll(names), ", "), l.backend.Name, manifest.QuoteTOML(l.value+"#"+firstOr(names, "NAME"))))
	}
	return nil
}

// atLink records a problem at the manifest value of l and returns it.
func (s *Set) atLink(l link, msg string) apps.Problem {
	start, end := valueSpan(s.Manifest, l.pos)
	pr := apps.Problem{Span: apps.Span{File: s.Manifest, Start: start, End: end}, Msg: msg}
	s.Problems = append(s.Problems, pr)
	return pr
}

// linkKey names the manifest key of l in messages.
func linkKey(l link) string {
	if l.backend == nil {
		return "[nginx] compose"
	}
	return "backend " + l.backend.Name + "'s app"
}

// valueSpan returns the byte range of the TOML value written at pos in
// f: a quoted string, with its quotes; the rest of the line otherwise.
func valueSpan(f *syntax.File, pos manifest.Position) (int, int) {
	if !pos.IsValid() || pos.Line > strings.Count(f.Src, "\n")+1 {
		return 0, 0
	}
	start := f.LineStart(pos.Line) + pos.Col - 1
	src := f.Src
	if start < 0 || start >= len(src) {
		return 0, 0
	}
	end := start
	switch q := src[start]; q {
	case '"', '\'':
		for end = start + 1; end < len(src) && src[end] != '\n'; end++ {
			if src[end] == '\\' && q == '"' {
				end++
				continue
			}
			if src[end] == q {
				return start, end + 1
			}
		}
		return start, end
	}
	for end < len(src) && src[end] != '\n' && src[end] != '\r' && src[end] != '#' {
		end++
	}
	for end > start && (src[end-1] == ' ' || src[end-1] == '\t') {
		end--
	}
	return start, end
}

// ValueSpan returns the byte range, in the manifest's text f, of the
// value written at pos: a quoted string with its quotes, else the rest
// of its line. It is where findings about a manifest value point, and
// what a fix of the value replaces.
func ValueSpan(f *syntax.File, pos manifest.Position) (start, end int) {
	return valueSpan(f, pos)
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func firstOr(ss []string, def string) string {
	if len(ss) > 0 {
		return ss[0]
	}
	return def
}

// didYouMean suggests the name among names closest to s, ignoring case.
func didYouMean(s string, names []string) string {
	for _, n := range names {
		if strings.EqualFold(n, s) {
			return fmt.Sprintf(" (did you mean %q?)", n)
		}
	}
	return ""
}

// composeNames are the file names Docker Compose looks for, in its
// order of preference.
var composeNames = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}

// findCompose reads the compose files of root and its parents that the
// manifest did not name (those in read), up to the first directory
// readFile may not read in; in each directory, the first name Compose
// itself would take.
func (s *Set) findCompose(root string, read map[string]*fileRead, readFile ReadFile, rs registry) {
	if root == "" || root == "-" {
		return
	}
	dir := filepath.Clean(root)
	for range 64 {
		for _, name := range composeNames {
			p := filepath.Join(dir, name)
			if fr := read[p]; fr != nil {
				break // the manifest names it: read already
			}
			f, err := readFile(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				if isOutside(err) {
					return
				}
				s.Problems = append(s.Problems, apps.Problem{Span: apps.Span{File: &syntax.File{Name: p}}, Msg: fmt.Sprintf("cannot read the Docker Compose file %s: %v", p, err)})
				break
			}
			fr := &fileRead{path: p, kind: apps.Compose, file: f}
			read[p] = fr
			s.readFile(fr, readFile, rs)
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return
		}
		dir = parent
	}
}

// ErrOutside is what a ReadFile's error wraps for a file outside what
// it may read: the search for compose files stops there.
var ErrOutside = errors.New("outside the files nginxlint may read")

// isOutside reports whether err ends the search for compose files: the
// file is outside what readFile may read.
func isOutside(err error) bool { return errors.Is(err, ErrOutside) }

// Kinds lists what Load reads, for messages.
const Kinds = "gunicorn.conf.py (or a .py file with bind =), uWSGI .ini ([uwsgi]), PHP-FPM pools, systemd .socket and .service units, puma.rb, .env files, Procfile, Dockerfile and compose.yaml"

// Detect tells the kind of an app configuration from its file name and
// content; ok is false when it is none that nginxlint reads.
func Detect(path, src string) (kind apps.Kind, ok bool) {
	base := strings.ToLower(filepath.Base(filepath.FromSlash(path)))
	ext := filepath.Ext(base)
	switch {
	case isComposeName(base):
		return apps.Compose, true
	case ext == ".socket" || ext == ".service":
		return apps.Systemd, true
	case base == "procfile" || strings.HasPrefix(base, "procfile."),
		base == "dockerfile" || base == "containerfile" || strings.HasPrefix(base, "dockerfile.") || strings.HasPrefix(base, "containerfile.") || ext == ".dockerfile" || ext == ".containerfile":
		return apps.Command, true
	case base == ".env" || strings.HasPrefix(base, ".env.") || ext == ".env":
		return apps.Dotenv, true
	case ext == ".rb":
		if base == "puma.rb" || hasLine(src, isPumaLine) {
			return apps.Puma, true
		}
		return "", false
	case ext == ".py":
		if strings.HasPrefix(base, "gunicorn") || hasLine(src, isGunicornBind) {
			return apps.Gunicorn, true
		}
		return "", false
	case ext == ".yaml" || ext == ".yml":
		if hasLine(src, func(l string) bool { return strings.HasPrefix(l, "services:") }) {
			return apps.Compose, true
		}
		return "", false
	}
	// INI files: uWSGI's own section, else a PHP-FPM pool (a section
	// with listen =); an old gunicorn.conf is Python.
	switch {
	case hasLine(src, func(l string) bool { return strings.EqualFold(strings.TrimSpace(l), "[uwsgi]") }):
		return apps.UWSGI, true
	case hasLine(src, isSection) && hasLine(src, isListenKey):
		return apps.PHPFPM, true
	case base == "gunicorn.conf" || strings.HasPrefix(base, "gunicorn") && hasLine(src, isGunicornBind):
		return apps.Gunicorn, true
	}
	return "", false
}

func isComposeName(base string) bool {
	if slices.Contains(composeNames, base) {
		return true
	}
	for _, stem := range []string{"compose.", "docker-compose."} {
		if rest, ok := strings.CutPrefix(base, stem); ok && (strings.HasSuffix(rest, ".yml") || strings.HasSuffix(rest, ".yaml")) {
			return true
		}
	}
	return false
}

// hasLine reports whether a line of src satisfies pred.
func hasLine(src string, pred func(string) bool) bool {
	for line := range strings.Lines(src) {
		if pred(strings.TrimRight(line, "\r\n")) {
			return true
		}
	}
	return false
}

// isGunicornBind reports whether a line assigns bind at the top level of
// a Python file.
func isGunicornBind(l string) bool {
	rest, ok := strings.CutPrefix(l, "bind")
	if !ok {
		return false
	}
	rest = strings.TrimLeft(rest, " \t")
	return strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==")
}

// isPumaLine reports whether a line of Ruby calls puma's bind or port.
func isPumaLine(l string) bool {
	l = strings.TrimLeft(l, " \t")
	for _, w := range []string{"bind", "port"} {
		if rest, ok := strings.CutPrefix(l, w); ok && (rest == "" || rest[0] == ' ' || rest[0] == '(' || rest[0] == '\t') {
			return true
		}
	}
	return false
}

func isSection(l string) bool {
	l = strings.TrimSpace(l)
	return len(l) > 2 && l[0] == '[' && l[len(l)-1] == ']'
}

func isListenKey(l string) bool {
	l = strings.TrimLeft(l, " \t")
	rest, ok := strings.CutPrefix(l, "listen")
	if !ok {
		return false
	}
	return strings.HasPrefix(strings.TrimLeft(rest, " \t"), "=")
}

// Apps reads one file with the reader of its kind (see Detect): the
// apps it holds and what could not be read; ok is false when f is no app
// configuration nginxlint reads. readFile reads what a compose file
// includes and extends, and the .env beside it.
func Apps(f *syntax.File, readFile ReadFile) (kind apps.Kind, as []*apps.App, probs []apps.Problem, ok bool) {
	r, ok := ReadApps(f, readFile)
	return r.Kind, r.Apps, r.Problems, ok
}

// FileApps is what ReadApps reads of one file.
type FileApps struct {
	Kind     apps.Kind
	Apps     []*apps.App
	Problems []apps.Problem
	// Project is the Docker Compose project of a compose file, whose
	// services the Apps are; nil for other kinds.
	Project *compose.Project
}

// ReadApps is Apps, with the compose project of a compose file.
func ReadApps(f *syntax.File, readFile ReadFile) (FileApps, bool) {
	kind, ok := Detect(f.Name, f.Src)
	if !ok {
		return FileApps{}, false
	}
	s := &Set{}
	fr := &fileRead{path: f.Name, kind: kind, file: f}
	if !s.readFile(fr, readFile, readers) {
		return FileApps{Kind: kind}, false
	}
	r := FileApps{Kind: kind, Apps: fr.apps, Problems: s.Problems}
	if len(s.Projects) > 0 {
		r.Project = s.Projects[0]
	}
	return r, true
}

// Files returns every app configuration file the set was read from, each
// once, in the order read: the files of its apps (and of their binds,
// such as a socket unit beside a service), then those of its compose
// projects (what they include and extend, their env files). Their
// Comments are what their readers found, for the driver's suppression
// comments.
func (s *Set) Files() []*syntax.File {
	if s == nil {
		return nil
	}
	var out []*syntax.File
	seen := map[*syntax.File]bool{}
	add := func(f *syntax.File) {
		if f != nil && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, a := range s.Apps {
		add(a.File)
		for _, b := range a.Binds {
			add(b.Span.File)
		}
	}
	for _, p := range s.Projects {
		for _, f := range p.Files {
			add(f)
		}
	}
	return out
}
