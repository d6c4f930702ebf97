package compose

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/override"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// How compose files are loaded without touching the file system.
//
// compose-go reads the files a compose file names (what it includes, the
// file an extends names, env_file) with os.ReadFile, and its resource
// loaders only say where a file is on disk. So the reader hands compose-go
// each file already decoded (types.ConfigFile.Config) and does itself
// what would make it read: include and extends are resolved here, on the
// decoded YAML, with compose-go's own merge (override.ExtendService);
// env_file is read here with compose-go's dotenv parser. Everything else
// is compose-go's: interpolation (with the caller's variables only),
// validation against the compose schema, the canonical forms (short
// syntax, ranges), the default network, profiles. Paths stay as written
// (compose-go's ResolvePaths would expand "~" from the process's HOME);
// each relative path is resolved against the directory compose resolves
// it against, known from the file that writes it.

// maxFiles bounds the files one project reads through the loader
// (included, extended, env files).
const maxFiles = 256

// maxDepth bounds the chains of includes and extends.
const maxDepth = 32

// reader reads one project and what it includes.
type reader struct {
	*shared
	env map[string]string // the variables interpolation sees
}

// shared is what a project and the projects it includes share.
type shared struct {
	load     Loader
	docs     map[string]*doc          // compose files read, by path
	envFiles map[string]*syntax.File  // env files read, by path
	missing  map[string]error         // paths the loader could not read
	read     []*syntax.File           // every file read, in order
	problems []apps.Problem           // what could not be read
	unset    map[string]bool          // variables interpolated without a value
	extended map[extendsKey]*extended // services resolved through extends
}

// doc is one compose file: its text, its YAML nodes and its decoded
// value.
type doc struct {
	f    *syntax.File
	path string
	root *yaml.Node // the top-level mapping; nil when the file is empty
	// raw is the decoded file, keys as strings, before interpolation.
	raw map[string]any
	// reset and override are the paths (below a service) written with
	// the !reset and !override tags, by service.
	reset, override map[string][][]string
}

// origin is one definition a service takes values from: its own, then
// those it extends. base is the directory its relative paths are
// resolved against.
type origin struct {
	d    *doc
	key  *yaml.Node
	node *yaml.Node
	base string
}

type extendsKey struct{ path, base, service string }

// extended is a service with what it extends merged in.
type extended struct {
	raw     map[string]any
	origins []origin
	err     error
}

func newReader(env map[string]string, load Loader) *reader {
	return &reader{
		shared: &shared{
			load:     load,
			docs:     map[string]*doc{},
			envFiles: map[string]*syntax.File{},
			missing:  map[string]error{},
			unset:    map[string]bool{},
			extended: map[extendsKey]*extended{},
		},
		env: cloneEnv(env),
	}
}

func cloneEnv(env map[string]string) map[string]string {
	c := maps.Clone(env)
	if c == nil {
		c = map[string]string{}
	}
	return c
}

func (r *reader) problem(s apps.Span, format string, args ...any) {
	p := apps.Problem{Span: s, Msg: fmt.Sprintf(format, args...)}
	if slices.ContainsFunc(r.problems, func(q apps.Problem) bool { return q.Msg == p.Msg && q.Span.File == s.File }) {
		return // one cycle seen from each of its services
	}
	r.problems = append(r.problems, p)
}

// lookup is the variables interpolation sees: the caller's, never the
// process's. It records those it does not find.
func (r *reader) lookup(name string) (string, bool) {
	v, ok := r.env[name]
	if !ok {
		r.unset[name] = true
	}
	return v, ok
}

// subst interpolates s as compose does, with the reader's variables.
func (r *reader) subst(s string) (string, error) {
	return template.SubstituteWithOptions(s, r.lookup, template.WithoutLogging)
}

// file returns the file at path through the loader, once.
func (r *reader) file(path string) (*syntax.File, error) {
	if err, ok := r.missing[path]; ok {
		return nil, err
	}
	if d, ok := r.docs[path]; ok {
		return d.f, nil
	}
	if f, ok := r.envFiles[path]; ok {
		return f, nil
	}
	if !filepath.IsAbs(path) {
		// "~/...": the home directory of whoever runs compose.
		err := fmt.Errorf("%s is in the home directory of the user who runs compose, which nginxlint does not read", path)
		r.missing[path] = err
		return nil, err
	}
	if len(r.read) >= maxFiles {
		return nil, fmt.Errorf("more than %d files are read for one compose project", maxFiles)
	}
	if r.load == nil {
		err := fmt.Errorf("%s: %w", path, fs.ErrNotExist)
		r.missing[path] = err
		return nil, err
	}
	f, err := r.load(path)
	if err != nil {
		r.missing[path] = err
		return nil, err
	}
	r.read = append(r.read, f)
	return f, nil
}

// parse reads the YAML of a compose file, once per file.
func (r *reader) parse(f *syntax.File, path string) (*doc, bool) {
	if d, ok := r.docs[path]; ok {
		return d, d.raw != nil
	}
	d := &doc{f: f, path: path, reset: map[string][][]string{}, override: map[string][][]string{}}
	r.docs[path] = d
	f.Comments = yamlComments(f.Src)
	var root yaml.Node
	if err := safeUnmarshal(f.Src, &root); err != nil {
		r.problems = append(r.problems, yamlProblem(f, err))
		return d, false
	}
	if len(root.Content) == 0 {
		r.problem(apps.Span{File: f}, "the compose file is empty")
		return d, false
	}
	top := root.Content[0]
	if at, err := tooLarge(top); err != nil {
		r.problem(span(f, at), "%v", err)
		return d, false
	}
	if top.Kind != yaml.MappingNode {
		r.problem(span(f, top), "a compose file is a mapping (services: ...), not a %s", kindName(top))
		return d, false
	}
	d.root = top
	if svcs, _ := mapGet(top, "services"); svcs != nil {
		mapPairs(svcs, func(k, v *yaml.Node) {
			collectTags(v, nil, func(tag string, p []string) {
				switch tag {
				case "!reset":
					d.reset[k.Value] = append(d.reset[k.Value], p)
				case "!override":
					d.override[k.Value] = append(d.override[k.Value], p)
				}
			}, 0)
		})
	}
	clearTags(top, 0)
	var v any
	if err := safeDecode(top, &v); err != nil {
		r.problems = append(r.problems, yamlProblem(f, err))
		return d, false
	}
	m, ok := stringKeys(v, 0).(map[string]any)
	if !ok {
		r.problem(span(f, top), "a compose file is a mapping of names to values")
		return d, false
	}
	for svc, paths := range d.reset {
		for _, p := range paths {
			deletePath(m, append([]string{"services", svc}, p...))
		}
	}
	// The version key is obsolete: compose-go warns about it on the
	// process's standard error, and ignores it.
	delete(m, "version")
	d.raw = m
	return d, true
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value of this kind"
}

// safeUnmarshal is yaml.Unmarshal into a node, where a panic of the YAML
// library is an error.
func safeUnmarshal(src string, n *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: the YAML reader failed: %v", p)
		}
	}()
	return yaml.Unmarshal([]byte(src), n)
}

func safeDecode(n *yaml.Node, v any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: the YAML reader failed: %v", p)
		}
	}()
	return n.Decode(v)
}

// collectTags calls fn for each node under n written with the !reset or
// !override tag, with its path below n.
func collectTags(n *yaml.Node, p []string, fn func(tag string, p []string), depth int) {
	if n == nil || depth > 32 {
		return
	}
	if (n.Tag == "!reset" || n.Tag == "!override") && len(p) > 0 {
		fn(n.Tag, slices.Clone(p))
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			collectTags(n.Content[i+1], append(p, n.Content[i].Value), fn, depth+1)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			collectTags(c, append(p, strconv.Itoa(i)), fn, depth+1)
		}
	}
}

// clearTags drops the !reset and !override tags, which only say how a
// value merges: the value decodes as written.
func clearTags(n *yaml.Node, depth int) {
	if n == nil || depth > 64 {
		return
	}
	if n.Tag == "!reset" || n.Tag == "!override" {
		n.Tag = ""
		n.Style &^= yaml.TaggedStyle
	}
	for _, c := range n.Content {
		clearTags(c, depth+1)
	}
}

// stringKeys turns the maps of a decoded value into map[string]any, as
// compose-go reads keys.
func stringKeys(v any, depth int) any {
	if depth > 128 {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = stringKeys(e, depth+1)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[fmt.Sprint(k)] = stringKeys(e, depth+1)
		}
		return m
	case []any:
		for i, e := range v {
			v[i] = stringKeys(e, depth+1)
		}
		return v
	}
	return v
}

func deletePath(m map[string]any, p []string) {
	for i, k := range p {
		if i == len(p)-1 {
			delete(m, k)
			return
		}
		next, ok := m[k].(map[string]any)
		if !ok {
			return
		}
		m = next
	}
}

// yamlLine reads the line of a yaml.v3 error: "yaml: line 3: ...".
var yamlLine = regexp.MustCompile(`line (\d+):? `)

// yamlProblem is a YAML error at the line it names.
func yamlProblem(f *syntax.File, err error) apps.Problem {
	msg := err.Error()
	s := apps.Span{File: f}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if line, err := strconv.Atoi(m[1]); err == nil {
			text := f.Line(line)
			start := f.LineStart(line) + len(text) - len(strings.TrimLeft(text, " \t"))
			s = apps.Span{File: f, Start: start, End: f.LineStart(line) + len(strings.TrimRight(text, " \t"))}
			if s.End < s.Start {
				s.End = s.Start
			}
			msg = yamlLine.ReplaceAllString(msg, "")
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.ReplaceAll(msg, "\n", " ")
	return apps.Problem{Span: s, Msg: "invalid YAML: " + msg}
}

// includes reads what d includes: each entry is a project of its own,
// read with its own directory and variables, whose services join d's.
// stack holds the files being read, to refuse cycles.
func (r *reader) includes(d *doc, base string, stack []string) []*Project {
	node, _ := mapGet(d.root, "include")
	delete(d.raw, "include")
	if node == nil {
		return nil
	}
	var out []*Project
	for _, item := range items(node) {
		item = deref(item)
		var pathNodes, envNodes []*yaml.Node
		var dirNode *yaml.Node
		switch item.Kind {
		case yaml.ScalarNode:
			pathNodes = []*yaml.Node{item}
		case yaml.MappingNode:
			p, _ := mapGet(item, "path")
			if p != nil && deref(p).Kind == yaml.SequenceNode {
				pathNodes = items(p)
			} else if p != nil {
				pathNodes = []*yaml.Node{p}
			}
			dirNode, _ = mapGet(item, "project_directory")
			e, _ := mapGet(item, "env_file")
			if e != nil && deref(e).Kind == yaml.SequenceNode {
				envNodes = items(e)
			} else if e != nil {
				envNodes = []*yaml.Node{e}
			}
		}
		if len(pathNodes) == 0 {
			r.problem(span(d.f, item), "an include names no compose file (path)")
			continue
		}
		var paths []string
		ok := true
		for _, pn := range pathNodes {
			p, err := r.subst(pn.Value)
			if err != nil || p == "" {
				r.problem(span(d.f, pn), "include path %q: %v", pn.Value, errOr(err, "it is empty"))
				ok = false
				break
			}
			if isRemote(p) {
				r.problem(span(d.f, pn), "include %q is a remote resource, which nginxlint does not fetch", p)
				ok = false
				break
			}
			paths = append(paths, absJoin(base, p))
		}
		if !ok {
			continue
		}
		if slices.Contains(stack, paths[0]) || len(stack) >= maxDepth {
			r.problem(span(d.f, pathNodes[0]), "include cycle: %s includes %s, which is being read", d.f.Name, pathNodes[0].Value)
			continue
		}
		projectDir := filepath.Dir(paths[0])
		if dirNode != nil {
			p, err := r.subst(dirNode.Value)
			if err != nil {
				r.problem(span(d.f, dirNode), "project_directory %q: %v", dirNode.Value, err)
				continue
			}
			projectDir = absJoin(base, p)
		}
		env := cloneEnv(r.env)
		var fromFiles map[string]string
		if len(envNodes) == 0 {
			fromFiles = r.envFile(filepath.Join(projectDir, ".env"), ".env", false, apps.Span{})
		} else {
			fromFiles = map[string]string{}
			for _, en := range envNodes {
				p, err := r.subst(en.Value)
				if err != nil {
					r.problem(span(d.f, en), "env_file %q: %v", en.Value, err)
					continue
				}
				if p == "/dev/null" {
					continue
				}
				maps.Copy(fromFiles, r.envFile(absJoin(base, p), p, true, span(d.f, en)))
			}
		}
		for k, v := range fromFiles {
			if _, set := env[k]; !set {
				env[k] = v // the including project's variables win
			}
		}
		var files []*syntax.File
		for i, p := range paths {
			f, err := r.file(p)
			if err != nil {
				r.problem(span(d.f, pathNodes[i]), "cannot read the included file %s: %v", pathNodes[i].Value, loadErr(err))
				ok = false
				break
			}
			files = append(files, f)
		}
		if !ok {
			continue
		}
		sub := &reader{shared: r.shared, env: env}
		if p := sub.project(files, paths, projectDir, append(stack, paths[0])); p != nil {
			out = append(out, p)
		}
	}
	return out
}

func errOr(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return s
}

// loadErr says why the loader could not read a file, for a message.
func loadErr(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "no such file"
	}
	return err.Error()
}

// isRemote reports whether a path names what compose fetches (git, oci).
func isRemote(p string) bool {
	return strings.Contains(p, "://") || strings.HasPrefix(p, "git@") || strings.HasPrefix(p, "oci:")
}

// absJoin resolves p against dir, as compose resolves relative paths;
// the result is clean. "~" is left as written: its home directory is the
// deploy host's, unknown here.
func absJoin(dir, p string) string {
	if strings.HasPrefix(p, "~") || filepath.IsAbs(p) || strings.HasPrefix(p, "/") {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// envFile reads an env file through the loader, with compose-go's
// parser: KEY=VALUE lines, values interpolated with the reader's
// variables. A file it cannot read is a problem at at when required,
// and nothing otherwise (the .env an include may have).
func (r *reader) envFile(path, written string, required bool, at apps.Span) map[string]string {
	f, err := r.file(path)
	if err != nil {
		if required {
			r.problem(at, "cannot read the env file %s: %v", written, loadErr(err))
		}
		return nil
	}
	r.envFiles[path] = f
	vars, probs := DotEnv(f, r.env)
	r.problems = append(r.problems, probs...)
	return vars
}

// resolveExtends returns the service name of d with what it extends
// merged in (compose's extends), and the definitions it takes values
// from, its own first.
func (r *reader) resolveExtends(d *doc, base, name string, depth int) *extended {
	key := extendsKey{d.path, base, name}
	if e, ok := r.extended[key]; ok {
		if e == nil {
			return &extended{err: fmt.Errorf("extends cycle: service %q is reached again through what it extends", name)}
		}
		return e
	}
	r.extended[key] = nil // being resolved: a cycle finds nil
	e := r.extend(d, base, name, depth)
	r.extended[key] = e
	return e
}

func (r *reader) extend(d *doc, base, name string, depth int) *extended {
	svcs, _ := mapGet(d.root, "services")
	node, k := mapGet(svcs, name)
	rawSvcs, _ := d.raw["services"].(map[string]any)
	raw, _ := rawSvcs[name].(map[string]any)
	own := origin{d: d, key: k, node: node, base: base}
	if raw == nil || node == nil {
		return &extended{raw: raw, origins: []origin{own}}
	}
	ext, ok := raw["extends"]
	if !ok {
		return &extended{raw: raw, origins: []origin{own}}
	}
	extNode, _ := mapGet(node, "extends")
	at := span(d.f, extNode)
	if depth > maxDepth {
		return &extended{err: fmt.Errorf("extends chain of service %q is too long", name)}
	}
	var ref, file string
	switch v := ext.(type) {
	case string:
		ref = v
	case map[string]any:
		ref, _ = v["service"].(string)
		file, _ = v["file"].(string)
		if ref == "" {
			return &extended{err: fmt.Errorf("extends of service %q names no service", name)}
		}
	default:
		return &extended{err: fmt.Errorf("extends of service %q must be a service name or a mapping", name)}
	}
	var err error
	if ref, err = r.subst(ref); err != nil {
		return &extended{err: err}
	}
	bd, bbase := d, base
	if file != "" {
		if file, err = r.subst(file); err != nil {
			return &extended{err: err}
		}
		if isRemote(file) {
			return &extended{err: fmt.Errorf("extends file %q is a remote resource, which nginxlint does not fetch", file)}
		}
		path := absJoin(filepath.Dir(d.path), file)
		f, err := r.file(path)
		if err != nil {
			if fn, _ := mapGet(extNode, "file"); fn != nil {
				at = span(d.f, fn)
			}
			r.problem(at, "cannot read %s, which service %s extends: %v", file, name, loadErr(err))
			return &extended{err: errReported}
		}
		var ok bool
		if bd, ok = r.parse(f, path); !ok {
			return &extended{err: errReported}
		}
		// Paths in an extended file are relative to that file.
		bbase = filepath.Dir(path)
	}
	if bsvcs, _ := bd.raw["services"].(map[string]any); bsvcs == nil || bsvcs[ref] == nil {
		where := ""
		if bd != d {
			where = " in " + file
		}
		return &extended{err: fmt.Errorf("service %s extends %s, which is not defined%s", name, ref, where)}
	}
	be := r.resolveExtends(bd, bbase, ref, depth+1)
	if be.err != nil {
		return &extended{err: be.err}
	}
	merged, _ := deepClone(be.raw).(map[string]any)
	if merged == nil {
		merged = map[string]any{}
	}
	for _, p := range d.override[name] {
		deletePath(merged, p)
	}
	for _, p := range d.reset[name] {
		deletePath(merged, p)
	}
	self, _ := deepClone(raw).(map[string]any)
	delete(self, "extends")
	delete(merged, "extends")
	out, err := extendService(merged, self)
	if err != nil {
		return &extended{err: fmt.Errorf("service %s extends %s: %v", name, ref, err)}
	}
	return &extended{raw: out, origins: append([]origin{own}, be.origins...)}
}

// errReported is an error already reported as a problem.
var errReported = errors.New("reported")

// extendService is compose-go's merge of a service into the one it
// extends, where a panic is an error.
func extendService(base, svc map[string]any) (m map[string]any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("compose-go failed: %v", p)
		}
	}()
	return override.ExtendService(base, svc)
}

func deepClone(v any) any {
	switch v := v.(type) {
	case []any:
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = deepClone(e)
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, e := range v {
			c[k] = deepClone(e)
		}
		return c
	}
	return v
}

// composeLoad runs compose-go on the decoded files: interpolation with
// the reader's variables, validation, canonical forms, normalization,
// every profile enabled; without the consistency check (references to
// undefined services and networks) when the files are partial: they
// include others. Nothing it is given makes it read a file.
func (r *reader) composeLoad(docs []*doc, workDir, name string, partial bool) (p *types.Project, err error) {
	defer func() {
		if x := recover(); x != nil {
			p, err = nil, fmt.Errorf("compose-go failed: %v", x)
		}
	}()
	cfgs := make([]types.ConfigFile, len(docs))
	for i, d := range docs {
		cfgs[i] = types.ConfigFile{Filename: d.path, Config: d.raw}
	}
	details := types.ConfigDetails{WorkingDir: workDir, ConfigFiles: cfgs, Environment: types.Mapping(cloneEnv(r.env))}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName(name, true)
		o.ResolvePaths = false
		o.SkipInclude = true
		o.SkipExtends = true
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.SkipConsistencyCheck = partial
		o.Profiles = []string{"*"}
		o.ResourceLoaders = []loader.ResourceLoader{noFiles{}}
		o.Interpolate.LookupValue = r.lookup
		o.Interpolate.Substitute = func(s string, m template.Mapping) (string, error) {
			return template.SubstituteWithOptions(s, m, template.WithoutLogging)
		}
	})
}

// noFiles is the resource loader compose-go is given: it accepts every
// path and reads none, so that nothing compose-go may still look up
// reaches the file system through a loader.
type noFiles struct{}

func (noFiles) Accept(string) bool { return true }
func (noFiles) Load(_ context.Context, p string) (string, error) {
	return "", fmt.Errorf("%s: nginxlint reads files through its own loader", p)
}
func (noFiles) Dir(p string) string { return filepath.Dir(p) }

// projectName is the name compose gives the project: the name key, else
// the directory's name, as compose normalizes it.
func (r *reader) projectName(d *doc, workDir string) string {
	if s, ok := d.raw["name"].(string); ok {
		if v, err := r.subst(s); err == nil {
			if n := loader.NormalizeProjectName(v); n != "" {
				return n
			}
		}
	}
	if n := loader.NormalizeProjectName(filepath.Base(workDir)); n != "" {
		return n
	}
	return "default"
}

// composePath finds the dotted paths in compose-go's messages:
// "services.api.ports.[0]", "services.api.image".
var composePath = regexp.MustCompile(`\b(services|networks|volumes|configs|secrets|include|name|models|jobs)((?:\.[^\s:,'"]+)*)`)

// serviceQuoted finds the service compose-go's messages name:
// service "api" refers to undefined network back.
var serviceQuoted = regexp.MustCompile(`service "([^"]+)"`)

// quoted finds quoted words in compose-go's messages.
var quoted = regexp.MustCompile(`'([^']+)'|"([^"]+)"`)

// composeProblem places compose-go's refusal in the files: at the value
// its message names by path (or by service and value), else at the top of
// the first file. The message is compose-go's, without the file names it
// prefixes.
func composeProblem(err error, docs []*doc) apps.Problem {
	msg := err.Error()
	for _, d := range docs {
		msg = strings.ReplaceAll(msg, "validating "+d.path+": ", "")
		msg = strings.ReplaceAll(msg, d.path, d.f.Name)
	}
	msg = strings.TrimSuffix(msg, ": invalid compose project")
	msg = strings.Join(strings.Fields(msg), " ")
	if k, ok := strings.CutSuffix(msg, " false schema"); ok {
		// The schema allows no such key there.
		msg = k + ": no such key in a compose file (" + msg + ")"
	}
	var words []string
	for _, m := range quoted.FindAllStringSubmatch(msg, -1) {
		words = append(words, m[1]+m[2])
	}
	if f := strings.Fields(msg); len(f) > 0 {
		words = append(words, strings.Trim(f[len(f)-1], ".,:;'\""))
	}
	var parts []string
	if m := composePath.FindStringSubmatch(msg); m != nil {
		parts = append([]string{m[1]}, strings.Split(strings.TrimPrefix(m[2], "."), ".")...)
		if m[2] == "" {
			parts = parts[:1]
		}
	} else if m := serviceQuoted.FindStringSubmatch(msg); m != nil {
		parts = []string{"services", m[1]}
	}
	best, bestDoc, bestN := (*yaml.Node)(nil), (*doc)(nil), -1
	for _, d := range docs {
		if d.root == nil {
			continue
		}
		n, followed := lookupPath(d.root, parts)
		if followed > bestN {
			best, bestDoc, bestN = n, d, followed
		}
	}
	if best == nil {
		return apps.Problem{Span: apps.Span{File: docs[0].f}, Msg: msg}
	}
	at := best
	for _, w := range words {
		if w == "" {
			continue
		}
		if n := findScalar(best, w, 0); n != nil {
			at = n
			break
		}
	}
	if at == bestDoc.root {
		// Nothing more precise: the first key.
		if len(at.Content) > 0 {
			at = at.Content[0]
		}
	}
	if at.Kind != yaml.ScalarNode {
		if k := keyOfDeep(bestDoc.root, at, 0); k != nil {
			at = k
		}
	}
	return apps.Problem{Span: span(bestDoc.f, at), Msg: msg}
}

// keyOfDeep returns the key whose value is v, anywhere under n.
func keyOfDeep(n, v *yaml.Node, depth int) *yaml.Node {
	if n == nil || depth > 32 {
		return nil
	}
	if k := keyOf(n, v); k != nil {
		return k
	}
	for _, c := range n.Content {
		if k := keyOfDeep(c, v, depth+1); k != nil {
			return k
		}
	}
	return nil
}
