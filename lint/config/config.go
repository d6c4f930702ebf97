// Package config finds and reads nginxlint's configuration file,
// .nginxlint.toml: defaults for the command line's flags, the rules to
// run and their severities, and the files whose findings are dropped.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/internal/poserr"
	"github.com/nginxlint/nginxlint/internal/safeio"
	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/internal/tomlpos"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/stock"
	"github.com/nginxlint/nginxlint/lint/syntax"

	"github.com/BurntSushi/toml"
)

// Name is the name of nginxlint's configuration file.
const Name = ".nginxlint.toml"

// File is what a .nginxlint.toml file says:
//
//	manifest = "deploy/backends.toml"   # relative to the file's directory
//	root = "deploy/nginx"               # the tree's directory, relative too
//	stock = "debian"                    # debian, nginx.org, alpine or none
//	prefix = "/etc/nginx"
//	nginx_version = "1.22.1"
//	fail_on = "warning"
//	format = "text"
//	exclude = ["etc/nginx/sites-available/legacy-*.conf"]
//	select = ["backend-", "proxy-pass-scheme"]  # only these rules run
//	ignore = ["upstream-primaries-down"]        # these do not
//	modules = ["lua"]                    # third-party modules built in
//	[[directives]]                       # directives of a module nginxlint
//	name = "my_filter"                   # does not know
//	contexts = ["http", "server", "location"]
//	args = "1"                           # 0-7, "1-2", "1+", "2+", "flag", "any"
//	[rules]                              # rules.enable is select,
//	disable = ["upstream-primaries-down"] # rules.disable is ignore
//	[rules.severity]
//	backend-unknown-host = "error"
//	[[overrides]]                        # rule settings for some files
//	paths = ["sites-available/legacy-*.conf"]
//	disable = ["backend-drift"]
//	severity = { upstream-keepalive = "info" }
//
// Rules are named by ID or by a prefix ending in "-" ("backend-": every
// rule whose ID starts with it); see [Rules]. Keys that are absent leave
// their field empty (Severity nil).
type File struct {
	// Path is the file the configuration came from; "" for none.
	Path string
	// Manifest is resolved against the configuration file's directory.
	Manifest string
	// Root is the directory that stands for the prefix (the tree's
	// root), resolved against the configuration file's directory: paths
	// under it belong to that tree, whether it holds nginx.conf or not.
	Root string
	// Stock names the nginx package the deploy host has (stock.Sets):
	// the files it installs are assumed where the tree lacks them.
	Stock        string
	Prefix       string
	NginxVersion string
	FailOn       string
	Format       string
	// Exclude are globs of files whose findings are dropped: relative
	// ones match paths relative to the configuration file's directory,
	// absolute ones absolute paths (and the names of an nginx -T dump).
	// "**" matches any number of directories.
	Exclude []string
	// Modules are third-party modules nginx has built in (OpenResty's
	// lua), by their short names: their directives are known without a
	// load_module line.
	Modules []string
	// Directives are directives of modules the directive table does not
	// know, as the configuration describes them.
	Directives []nginx.Variant
	// Enable (select, or rules.enable) and Disable (ignore, or
	// rules.disable) are the IDs of the rules they name, prefixes
	// expanded, sorted. When Enable is not empty, only its rules run;
	// Disable's do not. EnableKey and DisableKey name the key that set
	// each ("select" or "rules.enable" ...), for messages.
	Disable, Enable       []string
	EnableKey, DisableKey string
	// Severity overrides rules' default severities, by rule ID.
	Severity map[string]lint.Severity
	// Overrides are the [[overrides]] tables, in order: rule settings
	// for the files their globs match (see PathRules).
	Overrides []Override
}

// Override is one [[overrides]] table: in the files that match Paths,
// the rules of Disable do not report, and Severity sets severities.
type Override struct {
	// Paths are globs with the semantics of Exclude: relative to the
	// configuration file's directory.
	Paths []string
	// Disable are rule IDs, prefixes expanded, sorted.
	Disable []string
	// Severity gives severities by rule ID, prefixes expanded.
	Severity map[string]lint.Severity
}

// Find looks for .nginxlint.toml in dir and its parents, up to the
// filesystem root or the first directory that holds .git (inclusive). It
// returns "" when there is none. The path returned is relative to the
// working directory when dir is relative.
//
// A file that another user could have put there is never used: one owned
// by another user than the one running nginxlint, or writable by others,
// or in a directory that is; for a symbolic link, the same goes for the
// file it leads to and that file's directory. Skipped says which files
// were passed over and why, for -v; the search goes on above them. Load
// then reads the file found only inside its repository.
func Find(dir string) (path string, skipped []string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, err
	}
	for d := abs; ; {
		cand := filepath.Join(d, Name)
		why, err := unsafeConfig(d, cand)
		switch {
		case errors.Is(err, errIsDir):
			return "", skipped, fmt.Errorf("%s is a directory, not a configuration file", displayPath(dir, cand))
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return "", skipped, fmt.Errorf("cannot read %s: %v", displayPath(dir, cand), pathErr(err))
		case why == "":
			return displayPath(dir, cand), skipped, nil
		default:
			skipped = append(skipped, fmt.Sprintf("%s not used: %s", displayPath(dir, cand), why))
		}
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return "", skipped, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", skipped, nil
		}
		d = parent
	}
}

// displayPath returns p relative to the working directory when the user
// gave a relative directory, else p.
func displayPath(given, p string) string {
	if filepath.IsAbs(given) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil {
		return rel
	}
	return p
}

// The keys of the configuration file.
var (
	configTopKeys      = []string{"directives", "exclude", "fail_on", "format", "ignore", "manifest", "modules", "nginx_version", "overrides", "prefix", "root", "rules", "select", "stock"}
	configRulesKeys    = []string{"disable", "enable", "severity"}
	configOverrideKeys = []string{"disable", "paths", "severity"}
)

// errIsDir: a directory where the configuration file would be.
var errIsDir = errors.New("is a directory")

// unsafeConfig says why the configuration file cand, in the directory d,
// may have been put there by someone else, or is no file ("" when nothing
// says so); see Find. It fails with fs.ErrNotExist when there is nothing
// there, errIsDir for a directory.
func unsafeConfig(d, cand string) (string, error) {
	li, err := os.Lstat(cand)
	if err != nil {
		return "", err
	}
	fi := li
	real := cand
	if li.Mode()&fs.ModeSymlink != 0 {
		if real, err = filepath.EvalSymlinks(cand); err != nil {
			if target, lerr := os.Readlink(cand); lerr == nil && errors.Is(err, fs.ErrNotExist) {
				return fmt.Sprintf("it is a symbolic link to %s, which does not exist", target), nil
			}
			return "", err
		}
		if fi, err = os.Stat(real); err != nil {
			return "", err
		}
	}
	if fi.IsDir() {
		return "", errIsDir
	}
	if real == cand {
		if why := unsafeFile(fi, "it is"); why != "" {
			return why, nil
		}
	} else if why := unsafeFile(fi, "it leads to "+real+", which is"); why != "" {
		return why, nil
	}
	if di, err := os.Stat(d); err == nil {
		if why := unsafeFile(di, "its directory is"); why != "" {
			return why, nil
		}
	}
	if real != cand {
		if di, err := os.Stat(filepath.Dir(real)); err == nil {
			if why := unsafeFile(di, "it leads to "+real+", whose directory is"); why != "" {
				return why, nil
			}
		}
	}
	return "", nil
}

// Load reads and checks a configuration file found from a tree (Find).
// Such a file is the tree's: whoever proposes a change to the tree wrote
// it. It is read only as a regular file inside the repository that holds
// it (the nearest directory at or above it that holds .git) or, outside
// any repository, inside its own directory, never through a symbolic
// link leading elsewhere, and never past syntax.MaxFileSize (see
// safeio.ReadFile).
//
// knownRules are the valid rule IDs, formats the valid output formats. A
// file that cannot be read gives a plain error, which quotes nothing of
// it; problems in the file give a [poserr.List] sorted by position: every
// problem, each with its file, line and column (its text is one
// "FILE:LINE:COL: message" a line).
func Load(path string, knownRules map[string]bool, formats []string) (*File, error) {
	within, err := safeio.Scope(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	return load(path, within, knownRules, formats)
}

// LoadNamed reads and checks a configuration file the user named
// (--config): it may be anywhere, but is read only as a regular file
// within the size limit, as Load reads one.
func LoadNamed(path string, knownRules map[string]bool, formats []string) (*File, error) {
	return load(path, "", knownRules, formats)
}

func load(path, within string, knownRules map[string]bool, formats []string) (*File, error) {
	data, err := safeio.ReadFile(path, within, syntax.MaxFileSize)
	if err != nil {
		hint := ""
		switch {
		case within == "" && errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("configuration file %s not found: give --config the path of an existing file (or leave --config out: %s is then found from the tree)", path, Name)
		case errors.Is(err, safeio.ErrOutside):
			hint = "; a configuration file found from the tree is read only inside its repository: give --config for one elsewhere"
		}
		return nil, fmt.Errorf("cannot read %s: %v%s", path, err, hint)
	}
	return parseConfig(path, string(data), knownRules, formats)
}

// configChecker collects the problems of one configuration file.
type configChecker struct {
	path string
	loc  *tomlpos.Locator
	errs poserr.List
}

func (c *configChecker) errorf(off int, format string, args ...any) {
	line, col := c.loc.LineCol(off)
	c.errs.Add(poserr.Position{File: c.path, Line: line, Col: col}, fmt.Sprintf(format, args...))
}

func parseConfig(file, src string, knownRules map[string]bool, formats []string) (*File, error) {
	if off, msg, bad := tooComplex(src); bad {
		line, col := tomlpos.New(src, tomlpos.AtName).LineCol(off)
		return nil, poserr.List{{Pos: poserr.Position{File: file, Line: line, Col: col}, Msg: msg}}
	}
	var raw map[string]any
	md, err := toml.Decode(src, &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line, col := pe.Position.Line, pe.Position.Col
			if line < 1 {
				line = 1
			}
			if col < 1 {
				col = 1
			}
			return nil, poserr.List{{Pos: poserr.Position{File: file, Line: line, Col: col}, Msg: pe.Message}}
		}
		return nil, poserr.List{{Pos: poserr.Position{File: file}, Msg: err.Error()}}
	}
	c := &configChecker{path: file, loc: tomlpos.New(src, tomlpos.AtName)}
	cfg := &File{Path: file}

	// Unknown keys, each reported at its outermost unknown part. The file
	// is decoded into a generic map and every key is checked here,
	// exactly, against the schema: decoding into a struct would match
	// keys without regard to case ("Format" for "format") and stop at the
	// first value of the wrong type, leaving MetaData.Undecoded
	// incomplete. md.Keys does not list the tables a dotted key implies,
	// so every prefix of every key is checked.
	reported := map[string]bool{}
	for _, key := range md.Keys() {
		for n := 1; n <= len(key); n++ {
			k := key[:n]
			var known []string
			switch {
			case n == 1:
				known = configTopKeys
			case n == 2 && k[0] == "rules":
				if _, ok := raw["rules"].(map[string]any); ok {
					known = configRulesKeys
				}
			}
			// The keys of [[overrides]] are checked table by table, at
			// their place (see overrides).
			if known == nil || containsString(known, k[n-1]) {
				continue
			}
			name := strings.Join(k, ".")
			if !reported[name] {
				reported[name] = true
				qualified := make([]string, len(known))
				for i, kk := range known {
					qualified[i] = strings.Join(append(k[:n-1:n-1], kk), ".")
				}
				c.errorf(c.loc.Key(k...), "unknown key %q%s; known keys: %s", name, keyHint(strings.Join(append(k[:n-1:n-1], ""), "."), k[n-1], known), strings.Join(qualified, ", "))
			}
			break
		}
	}

	str := func(key string) (string, int, bool) {
		v, ok := raw[key]
		if !ok {
			return "", 0, false
		}
		off := c.loc.Value(key)
		s, ok := v.(string)
		if !ok {
			c.errorf(off, "%s must be a string, not %s", key, textutil.TOMLType(v))
			return "", off, false
		}
		return s, off, true
	}
	if s, off, ok := str("manifest"); ok {
		if s == "" {
			c.errorf(off, "manifest is empty: name the backend manifest, or remove the key")
		} else {
			cfg.Manifest = safeio.Join(filepath.Dir(file), filepath.FromSlash(s))
		}
	}
	if s, off, ok := str("root"); ok {
		if s == "" {
			c.errorf(off, "root is empty: name the tree's directory (relative to this file), or remove the key")
		} else {
			cfg.Root = safeio.Join(filepath.Dir(file), filepath.FromSlash(s))
		}
	}
	if s, off, ok := str("stock"); ok {
		if !stock.Valid(s) {
			c.errorf(off, "unknown stock %q: use %s (the nginx package the deploy host has; none assumes no file the tree lacks)", s, textutil.OrList(stock.Sets()))
		} else {
			cfg.Stock = s
		}
	}
	if s, off, ok := str("prefix"); ok {
		if !path.IsAbs(s) {
			c.errorf(off, "prefix %q must be an absolute path such as /etc/nginx: the directory the tree stands for", s)
		} else {
			cfg.Prefix = s
		}
	}
	if s, off, ok := str("nginx_version"); ok {
		if _, valid := nginx.ParseVersion(s); !valid {
			c.errorf(off, "nginx_version %q: write it as 1.22.1", s)
		} else {
			cfg.NginxVersion = s
		}
	}
	if s, off, ok := str("fail_on"); ok {
		if _, err := lint.ParseSeverity(s); err != nil {
			c.errorf(off, "fail_on: %v", err)
		} else {
			cfg.FailOn = s
		}
	}
	if s, off, ok := str("format"); ok {
		if !containsString(formats, s) {
			c.errorf(off, "unknown format %q: use %s", s, textutil.OrList(formats))
		} else {
			cfg.Format = s
		}
	}
	cfg.Exclude = c.stringList(raw, "exclude")
	for i, g := range cfg.Exclude {
		if err := checkGlob(g); err != nil {
			c.errorf(c.loc.Elem(i, "exclude"), "exclude glob %q: %v", g, err)
		}
	}
	modules := c.stringList(raw, "modules")
	known := map[string]bool{}
	for _, m := range nginx.Modules() {
		if m.ThirdParty() && m.Short != "" {
			known[m.Short] = true
		}
	}
	for i, m := range modules {
		if !known[m] {
			names := make([]string, 0, len(known))
			for k := range known {
				names = append(names, k)
			}
			sort.Strings(names)
			c.errorf(c.loc.Elem(i, "modules"), "unknown module %q in modules%s; known third-party modules: %s", m, textutil.DidYouMean(m, known), strings.Join(names, ", "))
			continue
		}
		cfg.Modules = append(cfg.Modules, m)
	}
	cfg.Directives = c.directives(raw)

	// select and ignore, or their older spellings rules.enable and
	// rules.disable: one setting each.
	sel, ign := c.ruleList(raw, knownRules, "select"), c.ruleList(raw, knownRules, "ignore")
	if v, ok := raw["rules"]; ok {
		rules, ok := v.(map[string]any)
		if !ok {
			c.errorf(c.loc.Value("rules"), "rules must be a table ([rules]), not %s", textutil.TOMLType(v))
		} else {
			sel = c.sameSetting(sel, c.ruleList(rules, knownRules, "rules", "enable"))
			ign = c.sameSetting(ign, c.ruleList(rules, knownRules, "rules", "disable"))
			cfg.Severity = c.severities(rules, knownRules)
		}
	}
	if sel != nil && ign != nil {
		for i, p := range ign.patterns {
			if containsString(sel.patterns, p) {
				c.errorf(c.loc.Elem(ign.index[i], ign.path...), "rule %q is both in %s and in %s", p, sel.key(), ign.key())
			}
		}
	}
	if sel != nil {
		cfg.Enable, cfg.EnableKey = sel.ids, sel.key()
	}
	if ign != nil {
		cfg.Disable, cfg.DisableKey = ign.ids, ign.key()
	}
	cfg.Overrides = c.overrides(raw, knownRules)

	c.errs.Sort()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// stringList reads an array of strings at path.
func (c *configChecker) stringList(table map[string]any, path ...string) []string {
	key := path[len(path)-1]
	v, ok := table[key]
	if !ok {
		return nil
	}
	name := keyName(path)
	arr, ok := v.([]any)
	if !ok {
		c.errorf(c.loc.Value(path...), "%s must be an array of strings, not %s", name, textutil.TOMLType(v))
		return nil
	}
	var out []string
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			c.errorf(c.loc.Elem(i, path...), "%s[%d] must be a string, not %s", name, i, textutil.TOMLType(e))
			continue
		}
		out = append(out, s)
	}
	return out
}

// ruleSetting is a list of rules as one key of the file gives it.
type ruleSetting struct {
	path     []string // the key's path
	patterns []string // the strings of the list, as written
	index    []int    // the index of each pattern in the TOML array
	ids      []string // the IDs they name, sorted, each once
}

func (r *ruleSetting) key() string { return keyName(r.path) }

// ruleList reads a list of rule IDs and prefixes at path in table (the
// whole file's for a top-level key) and checks them; nil when the key
// is absent or the list is empty.
func (c *configChecker) ruleList(table map[string]any, knownRules map[string]bool, path ...string) *ruleSetting {
	if c.stringList(table, path...) == nil {
		return nil
	}
	r := &ruleSetting{path: path}
	seen := map[string]bool{}
	// Positions follow the TOML array, which may hold non-strings.
	for i, e := range table[path[len(path)-1]].([]any) {
		s, ok := e.(string)
		if !ok {
			continue
		}
		ids, err := Rules(s, knownRules, r.key())
		if err != nil {
			c.errorf(c.loc.Elem(i, path...), "%v", err)
			continue
		}
		r.patterns = append(r.patterns, s)
		r.index = append(r.index, i)
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				r.ids = append(r.ids, id)
			}
		}
	}
	sort.Strings(r.ids)
	return r
}

// sameSetting returns whichever of a top-level key (select, ignore) and
// its older spelling in [rules] (rules.enable, rules.disable) is set, and
// reports both being set.
func (c *configChecker) sameSetting(top, old *ruleSetting) *ruleSetting {
	if top == nil {
		return old
	}
	if old != nil {
		c.errorf(c.loc.Key(old.path...), "%s and %s are the same setting: keep %s and remove %s", top.key(), old.key(), top.key(), old.key())
	}
	return top
}

// Rules returns the IDs of the known rules that pattern names, sorted: the
// rule of that ID, or, for a prefix ending in "-" ("backend-"), every rule
// whose ID starts with it. An unknown ID and a prefix no rule starts with
// are errors, which say where (as "in WHERE": "rules.disable",
// "--select") and what was probably meant.
func Rules(pattern string, knownRules map[string]bool, where string) ([]string, error) {
	if pattern == "" {
		return nil, fmt.Errorf("empty rule name in %s: name a rule (see 'nginxlint rules') or a prefix such as \"backend-\"", where)
	}
	if _, isKnown := knownRules[pattern]; isKnown {
		return []string{pattern}, nil
	}
	var ids []string
	prefixes := map[string]bool{}
	for id := range knownRules {
		if strings.HasPrefix(id, pattern) && strings.HasSuffix(pattern, "-") {
			ids = append(ids, id)
		}
		for i := 0; i < len(id); i++ {
			if id[i] == '-' {
				prefixes[id[:i+1]] = true
			}
		}
	}
	if len(ids) > 0 {
		sort.Strings(ids)
		return ids, nil
	}
	if strings.HasSuffix(pattern, "-") {
		return nil, fmt.Errorf("no rule starts with %q in %s%s (see 'nginxlint rules')", pattern, where, textutil.DidYouMean(pattern, prefixes))
	}
	if prefixes[pattern+"-"] {
		return nil, fmt.Errorf("unknown rule %q in %s: to name every rule that starts with it, write %q (see 'nginxlint rules')", pattern, where, pattern+"-")
	}
	return nil, fmt.Errorf("unknown rule %q in %s%s (see 'nginxlint rules')", pattern, where, textutil.DidYouMean(pattern, knownRules))
}

// keyHint suggests the known key an unknown one of a table stands for
// (prefix names the table, as "rules."): the same with "_" for "-"
// (fail_on for fail-on), or the nearest by spelling.
func keyHint(prefix, key string, known []string) string {
	if alt := strings.ReplaceAll(key, "-", "_"); alt != key && containsString(known, alt) {
		return fmt.Sprintf(" (did you mean %q? keys are written with \"_\")", prefix+alt)
	}
	set := make(map[string]bool, len(known))
	for _, k := range known {
		set[k] = true
	}
	hint := textutil.DidYouMean(key, set)
	if hint == "" {
		return ""
	}
	best := strings.TrimSuffix(strings.TrimPrefix(hint, ` (did you mean "`), `"?)`)
	return fmt.Sprintf(" (did you mean %q?)", prefix+best)
}

// severities reads [rules.severity].
func (c *configChecker) severities(rules map[string]any, knownRules map[string]bool) map[string]lint.Severity {
	return c.severityTable(rules, knownRules, "rules", "severity")
}

// severityTable reads a table of severities by rule ID or prefix at path
// (its last part a key of table). A rule named by its ID takes that
// severity whatever a prefix says.
func (c *configChecker) severityTable(table map[string]any, knownRules map[string]bool, path ...string) map[string]lint.Severity {
	name := keyName(path)
	v, ok := table[path[len(path)-1]]
	if !ok {
		return nil
	}
	sevs, ok := v.(map[string]any)
	if !ok {
		c.errorf(c.loc.Value(path...), "%s must be a table of severities by rule ([%s], or { rule-id = \"info\" }), not %s", name, name, textutil.TOMLType(v))
		return nil
	}
	keys := make([]string, 0, len(sevs))
	for k := range sevs {
		keys = append(keys, k)
	}
	// Prefixes first, so that IDs named on their own win.
	sort.Slice(keys, func(i, j int) bool {
		pi, pj := strings.HasSuffix(keys[i], "-"), strings.HasSuffix(keys[j], "-")
		if pi != pj {
			return pi
		}
		return keys[i] < keys[j]
	})
	out := map[string]lint.Severity{}
	for _, k := range keys {
		at := append(slices.Clone(path), k)
		ids, err := Rules(k, knownRules, name)
		if err != nil {
			c.errorf(c.loc.Key(at...), "%v", err)
			continue
		}
		off := c.loc.Value(at...)
		s, ok := sevs[k].(string)
		if !ok {
			c.errorf(off, "%s.%s must be a string (error, warning or info), not %s", name, k, textutil.TOMLType(sevs[k]))
			continue
		}
		sev, err := lint.ParseSeverity(s)
		if err != nil {
			c.errorf(off, "%s.%s: %v", name, k, err)
			continue
		}
		for _, id := range ids {
			out[id] = sev
		}
	}
	return out
}

// keyName names the key at path in messages: "rules.disable",
// "overrides[1].paths" (a tomlpos.Index part is written after its array).
func keyName(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if i > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// overrides reads the [[overrides]] tables.
func (c *configChecker) overrides(raw map[string]any, knownRules map[string]bool) []Override {
	v, ok := raw["overrides"]
	if !ok {
		return nil
	}
	tables, ok := v.([]map[string]any)
	if !ok {
		c.errorf(c.loc.Value("overrides"), "overrides must be an array of tables ([[overrides]] with paths = [...] and disable or severity), not %s", textutil.TOMLType(v))
		return nil
	}
	var out []Override
	for i, t := range tables {
		at := []string{"overrides", tomlpos.Index(i)}
		bad := false
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !containsString(configOverrideKeys, k) {
				c.errorf(c.loc.Key(append(at, k)...), "unknown key %q in overrides[%d]%s; known keys: %s", k, i, keyHint("", k, configOverrideKeys), strings.Join(configOverrideKeys, ", "))
				bad = true
			}
		}
		o := Override{Paths: c.stringList(t, append(at, "paths")...)}
		if _, ok := t["paths"]; !ok {
			c.errorf(c.loc.Key(at...), "overrides[%d] has no paths: say which files it is for, as paths = [\"sites-available/legacy-*.conf\"] (relative to this file's directory)", i)
			bad = true
		} else if len(o.Paths) == 0 {
			c.errorf(c.loc.Value(append(at, "paths")...), "overrides[%d].paths is empty: name the files it is for, or remove the table", i)
			bad = true
		}
		for j, g := range o.Paths {
			if err := checkGlob(g); err != nil {
				c.errorf(c.loc.Elem(j, append(at, "paths")...), "overrides[%d].paths glob %q: %v", i, g, err)
				bad = true
			}
		}
		if r := c.ruleList(t, knownRules, append(at, "disable")...); r != nil {
			o.Disable = r.ids
		}
		o.Severity = c.severityTable(t, knownRules, append(at, "severity")...)
		if len(o.Disable) == 0 && len(o.Severity) == 0 && !bad {
			c.errorf(c.loc.Key(at...), "overrides[%d] changes nothing: give disable = [...] or severity = { rule-id = \"info\" }", i)
		}
		out = append(out, o)
	}
	return out
}

func containsString(list []string, s string) bool { return indexString(list, s) >= 0 }

func indexString(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// Excluded reports whether a file, by its display name, matches one of the
// exclude globs. A nil configuration excludes nothing.
func (c *File) Excluded(name string) bool {
	if c == nil || len(c.Exclude) == 0 || name == "" {
		return false
	}
	return c.matchAny(c.Exclude, name)
}

// PathRules returns what the [[overrides]] whose paths match a file (by
// its display name, as Exclude matches it) say about it: the rules that
// do not report there and the severities set there, a later override
// winning over an earlier one. Both are nil when none matches; a nil
// configuration has none.
func (c *File) PathRules(name string) (disabled map[string]bool, severity map[string]lint.Severity) {
	if c == nil || len(c.Overrides) == 0 || name == "" {
		return nil, nil
	}
	for _, o := range c.Overrides {
		if !c.matchAny(o.Paths, name) {
			continue
		}
		if disabled == nil {
			disabled, severity = map[string]bool{}, map[string]lint.Severity{}
		}
		// A later override that sets a rule's severity turns the rule
		// back on; within one, disable wins.
		for id, s := range o.Severity {
			severity[id] = s
			delete(disabled, id)
		}
		for _, id := range o.Disable {
			disabled[id] = true
		}
	}
	return disabled, severity
}

// matchAny reports whether a file, by its display name, matches one of
// globs: relative globs match the path relative to the configuration
// file's directory, absolute ones the absolute path.
func (c *File) matchAny(globs []string, name string) bool {
	abs := name
	if !filepath.IsAbs(abs) && !path.IsAbs(filepath.ToSlash(abs)) {
		var err error
		if abs, err = filepath.Abs(name); err != nil {
			return false
		}
	}
	absSlash := filepath.ToSlash(filepath.Clean(abs))
	rel := ""
	if dir, err := filepath.Abs(filepath.Dir(c.Path)); err == nil {
		if r, err := filepath.Rel(dir, abs); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			rel = filepath.ToSlash(r)
		}
	}
	for _, g := range globs {
		g = filepath.ToSlash(g)
		if path.IsAbs(g) {
			if matchGlob(path.Clean(g), absSlash) {
				return true
			}
		} else if rel != "" && matchGlob(path.Clean(g), rel) {
			return true
		}
	}
	return false
}

// checkGlob reports a malformed exclude glob.
func checkGlob(g string) error {
	if g == "" {
		return errors.New("empty")
	}
	for _, seg := range strings.Split(filepath.ToSlash(g), "/") {
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return err
		}
	}
	return nil
}

// matchGlob matches a slash-separated name against a glob whose "**"
// segments match any number of path segments and whose other segments
// are path.Match patterns.
func matchGlob(glob, name string) bool {
	g := strings.Split(glob, "/")
	n := strings.Split(name, "/")
	// Iterative matching with backtracking to the last "**", as for "*"
	// in a wildcard string matcher: linear in practice.
	gi, ni := 0, 0
	star, starN := -1, 0
	for ni < len(n) {
		switch {
		case gi < len(g) && g[gi] == "**":
			star, starN = gi, ni
			gi++
		case gi < len(g) && segMatch(g[gi], n[ni]):
			gi++
			ni++
		case star >= 0:
			starN++
			gi, ni = star+1, starN
		default:
			return false
		}
	}
	for gi < len(g) && g[gi] == "**" {
		gi++
	}
	return gi == len(g)
}

func segMatch(pattern, seg string) bool {
	ok, err := path.Match(pattern, seg)
	return err == nil && ok
}

// pathErr strips the path from an *fs.PathError: messages name the path
// themselves.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// directives reads the [[directives]] tables: the directives of modules
// the directive table does not know.
func (c *configChecker) directives(raw map[string]any) []nginx.Variant {
	v, ok := raw["directives"]
	if !ok {
		return nil
	}
	tables, ok := v.([]map[string]any)
	if !ok {
		c.errorf(c.loc.Value("directives"), "directives must be an array of tables ([[directives]]), not %s", textutil.TOMLType(v))
		return nil
	}
	var out []nginx.Variant
	for i, t := range tables {
		at := c.loc.Key("directives", tomlpos.Index(i))
		bad := false
		for k := range t {
			switch k {
			case "name", "contexts", "args", "block":
			default:
				c.errorf(c.loc.Key("directives", tomlpos.Index(i), k), "unknown key %q in directives[%d]%s; known keys: name, contexts, args, block", k, i, keyHint("", k, []string{"name", "contexts", "args", "block"}))
				bad = true
			}
		}
		v := nginx.Variant{Module: "declared in " + Name}
		name, _ := t["name"].(string)
		if name == "" {
			c.errorf(at, "directives[%d] has no name", i)
			bad = true
		}
		v.Name = name
		contexts, _ := t["contexts"].([]any)
		for _, x := range contexts {
			s, _ := x.(string)
			ctx, ok := nginx.ParseContext(s)
			if !ok {
				c.errorf(at, "directives[%d]: unknown context %q; use %s", i, s, strings.Join(nginx.ContextNames(), ", "))
				bad = true
				continue
			}
			v.Contexts |= ctx
		}
		if v.Contexts == 0 && !bad {
			c.errorf(at, "directives[%d] (%s) has no contexts: say where nginx allows it, as contexts = [\"http\", \"server\"]", i, name)
			bad = true
		}
		args, _ := t["args"].(string)
		if args == "" {
			args = "any"
		}
		if v.Args, ok = nginx.ParseArgs(args); !ok {
			c.errorf(at, "directives[%d]: args %q: write 0 to 7, a range such as 1-2, 1+, 2+, flag or any", i, args)
			bad = true
		}
		v.Block, _ = t["block"].(bool)
		if !bad {
			out = append(out, v)
		}
	}
	return out
}

// unsafeFile says why a file (or directory) with info fi may have been
// put there by someone else: owned by another user than the one running
// nginxlint (root aside, who can write anything anyway), or writable by
// others. "" when neither. subject starts the sentence ("it is").
func unsafeFile(fi fs.FileInfo, subject string) string {
	if fi.Mode().Perm()&0o002 != 0 {
		return subject + " writable by others"
	}
	if uid, ok := fileOwner(fi); ok && uid != os.Getuid() && uid != 0 {
		return fmt.Sprintf("%s owned by another user (uid %d)", subject, uid)
	}
	return ""
}

// tooComplex guards the TOML library against a configuration nested too
// deep or with too many dotted key parts (see tomlpos.TooComplex).
func tooComplex(src string) (int, string, bool) {
	return tomlpos.TooComplex(src, "a configuration", "configuration keys", "rules.severity.backend-drift")
}
