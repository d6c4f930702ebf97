package judge

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Env is what running nginx on a configuration needs besides the files of
// its tree. Prepare finds it on the configuration as written; the same Env
// then runs each of its mutants.
type Env struct {
	// Main is the main file, relative to the tree; Context the context it
	// is read in ("main" for a whole configuration; a snippet is wrapped
	// in what that context needs).
	Main, Context string
	// LoadStream loads nginx's stream module with -g: the configuration
	// uses stream and does not load it itself.
	LoadStream bool
	// Hosts are host names nginx cannot resolve (there is no network in
	// the sandbox): the sandbox writes 127.0.0.1 instead, except where a
	// pass directive names one of Upstreams, the upstream blocks of the
	// tree.
	Hosts, Upstreams map[string]bool
	// Users maps the users and groups of the user directive that do not
	// exist here to ones that do.
	Users map[string]string
	// Defs are definitions the wrapper's http{} holds for a snippet that
	// uses what its unseen surroundings define (log formats, variables,
	// zones, upstreams).
	Defs []string
	// LoopbackIPs are addresses of listen directives added to the
	// loopback interface of the network namespace.
	LoopbackIPs []string
	// Outside are the absolute paths outside the tree (not under
	// /etc/nginx) that nginx reads at start: certificates, keys ... The
	// sandbox writes a stub of the kind given for each.
	Outside map[string]string
}

// Machine paths a sandboxed copy may never name: the machine's own nginx
// installation (see internal/nginxtest).
var machinePaths = []string{"/etc/nginx", "/var/log/nginx", "/var/lib/nginx", "/var/cache/nginx", "/run/nginx.pid", "/var/run/nginx.pid", "/var/lock/nginx.lock", "/run/nginx"}

// pathArgs are the directives whose first argument is a file or
// directory nginx opens or creates when it starts (or checks), with the
// kind of stub a missing one gets ("" for none: nginx creates it).
var pathArgs = map[string]string{
	"include": "", "access_log": "", "error_log": "", "pid": "", "lock_file": "",
	"client_body_temp_path": "", "proxy_temp_path": "", "fastcgi_temp_path": "", "uwsgi_temp_path": "", "scgi_temp_path": "",
	"proxy_cache_path": "", "fastcgi_cache_path": "", "uwsgi_cache_path": "", "scgi_cache_path": "",
	"auth_basic_user_file": "", "working_directory": "",
	"ssl_certificate": "cert", "ssl_trusted_certificate": "cert", "ssl_client_certificate": "cert",
	"proxy_ssl_certificate": "cert", "proxy_ssl_trusted_certificate": "cert",
	"grpc_ssl_certificate": "cert", "grpc_ssl_trusted_certificate": "cert",
	"uwsgi_ssl_certificate": "cert", "uwsgi_ssl_trusted_certificate": "cert",
	"ssl_certificate_key": "key", "proxy_ssl_certificate_key": "key", "grpc_ssl_certificate_key": "key", "uwsgi_ssl_certificate_key": "key",
	"ssl_dhparam": "dhparam", "ssl_password_file": "password", "proxy_ssl_password_file": "password",
	"grpc_ssl_password_file": "password", "uwsgi_ssl_password_file": "password",
	"ssl_session_ticket_key": "ticket",
}

// tempPaths are the http directives whose compiled-in defaults are the
// machine's /var/lib/nginx: the sandbox sets each at the http level and
// blanks the configuration's own.
var tempPaths = []string{"client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path"}

// hostArgs are the directives whose arguments name hosts nginx resolves
// when it starts.
var hostArgs = map[string]bool{
	"proxy_pass": true, "fastcgi_pass": true, "uwsgi_pass": true, "scgi_pass": true, "grpc_pass": true,
	"memcached_pass": true, "server": true, "listen": true, "resolver": true,
}

// passDirectives hand the request to a backend: the sandbox leaves a host
// they name alone when it is an upstream of the tree.
var passDirectives = map[string]bool{
	"proxy_pass": true, "fastcgi_pass": true, "uwsgi_pass": true, "scgi_pass": true,
	"grpc_pass": true, "memcached_pass": true,
}

// wrapperName is the main file of a wrapped snippet, beside the tree's
// files: a dotfile, so that no glob of the tree matches it.
const wrapperName = ".nginxlint-harness.conf"

// Sandbox writes a copy of the tree in dir into scratch, rewritten so that
// nginx -t reads it without touching the machine, and returns the main
// file to give nginx and the -g directives. The copy keeps every line
// where it was (error positions stay valid); only words change:
//
//   - absolute paths of the directives in pathArgs point into scratch
//     (/etc/nginx/x to scratch/conf/x, the tree's copy; any other /p to
//     scratch/root/p), and so does every word naming the machine's nginx
//     directories;
//   - every http{} begins with an access_log and the temporary paths in
//     scratch, and the configuration's own temporary paths, pid and
//     lock_file are blanked out (pid and lock_file are given with -g);
//   - the hosts, users and stubs of env apply;
//   - a snippet is included from a wrapper (events{}, http{} ...);
//   - in a user namespace (Isolation "userns"), where nginx cannot give
//     the directories it makes to another user, the configuration's user
//     is blanked out and -g says "user root" (the caller, mapped).
//
// It refuses (with an error) a copy that would still name a machine path.
func (n *Nginx) Sandbox(dir string, env *Env, scratch string) (mainPath, globals string, err error) {
	modulesDir := n.ModulesDir
	conf := filepath.Join(scratch, "conf")
	root := filepath.Join(scratch, "root")
	for _, d := range []string{conf, root, filepath.Join(scratch, "logs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", "", err
		}
	}
	if modulesDir != "" {
		if err := os.Symlink(modulesDir, filepath.Join(scratch, "modules")); err != nil {
			return "", "", err
		}
	}
	sb := &sandbox{env: env, scratch: scratch, conf: conf, root: root, noUser: n.Isolation == "userns"}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(conf, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if len(data) < 4<<20 && !slices.Contains(data, 0) {
			data = []byte(sb.rewrite(string(data), env.Context == "main"))
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		return "", "", err
	}
	for _, p := range slices.Sorted(maps.Keys(env.Outside)) {
		if err := writeStub(filepath.Join(root, filepath.FromSlash(p)), env.Outside[p]); err != nil {
			return "", "", err
		}
	}
	for _, d := range sb.dirs {
		// Best effort: a mutant may have made a path of any text (an
		// unterminated quote swallows lines); nginx then says what it
		// cannot open.
		_ = os.MkdirAll(d, 0o755)
	}
	mainPath = filepath.Join(conf, filepath.FromSlash(env.Main))
	if env.Context != "main" {
		w := filepath.Join(conf, wrapperName)
		if err := os.WriteFile(w, []byte(sb.wrapper(mainPath)), 0o644); err != nil {
			return "", "", err
		}
		mainPath = w
	}
	if p, bad := sb.namesMachine(); bad {
		return "", "", fmt.Errorf("the sandboxed copy still names %s", p)
	}
	globals = "pid " + quote(filepath.Join(scratch, "nginx.pid")) + "; lock_file " + quote(filepath.Join(scratch, "nginx.lock")) + ";"
	if sb.noUser {
		globals += " user root;"
	}
	if env.LoadStream && modulesDir != "" {
		globals += " load_module " + quote(filepath.Join(modulesDir, "ngx_stream_module.so")) + ";"
	}
	return mainPath, globals, nil
}

type sandbox struct {
	env                 *Env
	scratch, conf, root string
	noUser              bool     // blank the user directive out
	dirs                []string // directories the rewritten paths need
}

// mapPath returns where absolute path p of the configuration is in the
// sandbox.
func (sb *sandbox) mapPath(p string) string {
	if p == "/etc/nginx" || strings.HasPrefix(p, "/etc/nginx/") {
		return sb.conf + filepath.FromSlash(strings.TrimPrefix(p, "/etc/nginx"))
	}
	return sb.root + filepath.FromSlash(p)
}

// preamble returns the directives every http{} of the sandbox starts
// with, on one line.
func (sb *sandbox) preamble() string {
	var b strings.Builder
	fmt.Fprintf(&b, " access_log %s;", quote(filepath.Join(sb.scratch, "access.log")))
	for _, d := range tempPaths {
		fmt.Fprintf(&b, " %s %s;", d, quote(filepath.Join(sb.scratch, strings.TrimSuffix(d, "_path"))))
	}
	return b.String()
}

// edit replaces the bytes [start, end) of a file with text.
type edit struct {
	start, end int
	text       string
}

// rewrite returns src rewritten for the sandbox, every line in its place.
func (sb *sandbox) rewrite(src string, whole bool) string {
	var edits []edit
	replace := func(t token, v string) {
		edits = append(edits, edit{t.start, t.end, requote(v, t.quote)})
	}
	blank := func(st statement) {
		start, end := st.words[0].start, st.end.end
		edits = append(edits, edit{start, end, strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' {
				return r
			}
			return ' '
		}, src[start:end])})
	}
	for _, st := range statements(scan(src)) {
		if len(st.words) == 0 {
			continue
		}
		name := st.words[0].value
		done := map[int]bool{}
		switch {
		case name == "http" && st.end.punct == '{' && st.depth == 0 && whole:
			edits = append(edits, edit{st.end.end, st.end.end, sb.preamble()})
			continue
		case slices.Contains(tempPaths, name) && st.end.punct == ';':
			blank(st)
			continue
		case (name == "pid" || name == "lock_file") && st.depth == 0 && st.end.punct == ';':
			blank(st)
			continue
		case name == "user" && st.depth == 0 && sb.noUser && st.end.punct == ';':
			blank(st)
			continue
		case name == "user" && st.depth == 0:
			for i := 1; i < len(st.words) && i <= 2; i++ {
				if to, ok := sb.env.Users[st.words[i].value]; ok {
					replace(st.words[i], to)
					done[i] = true
				}
			}
		}
		if _, ok := pathArgs[name]; ok && len(st.words) > 1 {
			w := st.words[1]
			if path.IsAbs(w.value) {
				to := sb.mapPath(w.value)
				replace(w, to)
				done[1] = true
				if name != "include" && strings.HasPrefix(to, sb.root) {
					sb.dirs = append(sb.dirs, filepath.Dir(to))
				}
			}
		}
		if hostArgs[name] && len(sb.env.Hosts) > 0 && !(name == "server" && st.end.punct == '{') {
			for i, w := range st.words[1:] {
				if _, h, _ := splitHost(w.value); passDirectives[name] && sb.env.Upstreams[h] {
					continue
				}
				if v, ok := sb.host(w.value); ok && !done[i+1] {
					replace(w, v)
					done[i+1] = true
				}
			}
		}
		for i, w := range st.words {
			if done[i] {
				continue
			}
			if _, bad := machinePath(w.value); bad {
				replace(w, sb.mapPath(w.value))
			}
		}
	}
	if len(edits) == 0 {
		return src
	}
	slices.SortFunc(edits, func(a, b edit) int { return a.start - b.start })
	var b strings.Builder
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			continue
		}
		b.WriteString(src[pos:e.start])
		b.WriteString(e.text)
		pos = e.end
	}
	b.WriteString(src[pos:])
	return b.String()
}

// host returns v with its host replaced by 127.0.0.1 when the host is one
// of env.Hosts.
func (sb *sandbox) host(v string) (string, bool) {
	scheme, host, rest := splitHost(v)
	if !sb.env.Hosts[host] {
		return "", false
	}
	return scheme + "127.0.0.1" + rest, true
}

// splitHost splits an address or URL into its scheme ("http://", or ""),
// its host and the rest (":port/uri").
func splitHost(v string) (scheme, host, rest string) {
	if i := strings.Index(v, "://"); i >= 0 {
		scheme, v = v[:i+3], v[i+3:]
	}
	end := strings.IndexAny(v, ":/")
	if end < 0 {
		end = len(v)
	}
	return scheme, v[:end], v[end:]
}

// wrapper returns the main file that includes snippet main in the
// context the snippet is read in.
func (sb *sandbox) wrapper(main string) string {
	return sb.env.wrap(main, sb.preamble())
}

// LintWrapperName is the file LintPath writes beside a snippet.
const LintWrapperName = ".nginxlint-harness-lint.conf"

// LintPath returns what the linter reads for the tree copied at dir, and
// in which context: the main file itself for a whole configuration; for a
// snippet, a wrapper written beside it that includes it in the same
// surroundings nginx -t reads it in (the definitions of Defs included),
// so that both judge the same configuration.
func (e *Env) LintPath(dir string) (path, context string, err error) {
	main := filepath.Join(dir, filepath.FromSlash(e.Main))
	if e.Context == "main" {
		return main, "main", nil
	}
	// A name the sandbox points at 127.0.0.1 for nginx (its surroundings
	// would define it, or DNS resolve it) is an upstream of the
	// surroundings for the linter.
	var ups []string
	for h := range e.Hosts {
		if !strings.Contains(h, ".") && !e.Upstreams[h] {
			ups = append(ups, "upstream "+h+" { server 127.0.0.1; }")
		}
	}
	slices.Sort(ups)
	w := filepath.Join(filepath.Dir(main), LintWrapperName)
	if err := os.WriteFile(w, []byte(e.wrap(filepath.Base(main), strings.Join(ups, "\n    "))), 0o644); err != nil {
		return "", "", err
	}
	return w, "main", nil
}

// wrap returns a main file that includes snippet main in the context the
// snippet is read in, with preamble first in http.
func (e *Env) wrap(main, preamble string) string {
	inc := "include " + quote(main) + ";"
	var b strings.Builder
	b.WriteString("# nginxlint mutation harness: the surroundings of a " + e.Context + " snippet\nevents {}\n")
	if e.Context == "stream" {
		b.WriteString("stream {\n    " + inc + "\n}\n")
		return b.String()
	}
	b.WriteString("http {\n   " + preamble + "\n")
	for _, d := range e.Defs {
		b.WriteString("    " + d + "\n")
	}
	switch e.Context {
	case "http":
		b.WriteString("    " + inc + "\n")
	case "server":
		b.WriteString("    server {\n        " + inc + "\n    }\n")
	case "location":
		b.WriteString("    server {\n        location / {\n            " + inc + "\n        }\n    }\n")
	case "upstream":
		b.WriteString("    upstream nginxlint_harness {\n        " + inc + "\n    }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// namesMachine reports whether a file of the sandboxed copy names a
// machine path in a word.
func (sb *sandbox) namesMachine() (string, bool) {
	var found string
	_ = filepath.WalkDir(sb.conf, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || found != "" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil || slices.Contains(data, 0) {
			return err
		}
		for _, t := range scan(string(data)) {
			if m, bad := machinePath(t.value); bad {
				found = m + " (" + p + ")"
				return errors.New("found")
			}
		}
		return nil
	})
	return found, found != ""
}

// machinePath reports whether v names one of machinePaths or a path
// below one.
func machinePath(v string) (string, bool) {
	if !strings.HasPrefix(v, "/") {
		return "", false
	}
	v = path.Clean(v)
	for _, m := range machinePaths {
		if v == m || strings.HasPrefix(v, m+"/") {
			return m, true
		}
	}
	return "", false
}

// quote returns s as a double-quoted nginx string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// requote writes v as the source of a word that was quoted with q (0 for
// none), quoting it when it needs quotes.
func requote(v string, q byte) string {
	switch {
	case q == '\'':
		return `'` + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + `'`
	case q == '"' || strings.ContainsAny(v, " \t\r\n;{}\"'#\\"):
		return quote(v)
	}
	return v
}
