package main

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/nginxlint/nginxlint/internal/gendirectives/csrc"
)

// The third-party modules the table knows, read at the HEAD of their
// mirrors: the repository, the short name .nginxlint.toml's modules list
// takes, and the directory of the nginx module when it is not the
// repository's top (njs).
var thirdParty = []struct {
	repo, short, dir string
}{
	{"openresty/lua-nginx-module", "lua", ""},
	{"openresty/stream-lua-nginx-module", "stream-lua", ""},
	{"openresty/headers-more-nginx-module", "headers-more", ""},
	{"openresty/echo-nginx-module", "echo", ""},
	{"openresty/set-misc-nginx-module", "set-misc", ""},
	{"openresty/srcache-nginx-module", "srcache", ""},
	{"nginx/njs", "njs", "nginx"},
	{"google/ngx_brotli", "brotli", ""},
	{"leev/ngx_http_geoip2_module", "geoip2", ""},
	{"vozlt/nginx-module-vts", "vts", ""},
	{"owasp-modsecurity/ModSecurity-nginx", "modsecurity", ""},
	{"vision5/ngx_devel_kit", "ndk", ""},
	{"slact/nchan", "nchan", ""},
	{"arut/nginx-rtmp-module", "rtmp", ""},
	{"arut/nginx-dav-ext-module", "dav-ext", ""},
	{"aperezdc/ngx-fancyindex", "fancyindex", ""},
	{"FRiCKLE/ngx_cache_purge", "cache-purge", ""},
	{"sto/ngx_http_auth_pam_module", "auth-pam", ""},
	{"yaoweibin/ngx_http_substitutions_filter_module", "subs-filter", ""},
	{"masterzen/nginx-upload-progress-module", "uploadprogress", ""},
}

// skipDirs are directories of a module's repository that hold no part of
// the module: tests (lua-nginx-module's t/ has fake modules of its
// own), examples, tools.
var skipDirs = map[string]bool{
	"t": true, "test": true, "tests": true, "example": true, "examples": true,
	"dev": true, "doc": true, "docs": true, "util": true, "utils": true,
}

// moduleRepo is what the generator reads of one third-party repository.
type moduleRepo struct {
	repo, short, commit string
	res                 *result
	vars                map[varKey]*varFound
	objects             map[string]string // module -> .so
}

// readThirdParty reads one module repository at HEAD.
func readThirdParty(r *repo, name, short, dir string) (*moduleRepo, []string, error) {
	commit, err := r.git("rev-parse", "HEAD^{commit}")
	if err != nil {
		return nil, nil, err
	}
	var paths []string
	if dir != "" {
		paths = append(paths, dir)
	}
	files, err := r.files("HEAD", paths...)
	if err != nil {
		return nil, nil, err
	}
	set := map[string]*csrc.File{}
	texts := map[string]string{}
	for _, e := range files {
		rel := strings.TrimPrefix(e.path, dir+"/")
		skip := false
		for _, part := range strings.Split(path.Dir(rel), "/") {
			skip = skip || skipDirs[part]
		}
		if skip {
			continue
		}
		data, err := r.read(e.blob)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case strings.HasSuffix(rel, ".c") || strings.HasSuffix(rel, ".h"):
			set[e.path] = csrc.ParseFile(string(data))
		case path.Base(rel) == "config":
			texts[rel] = string(data)
		}
	}
	ss := csrc.NewSet(set)
	res := analyze(ss, false)
	vres := analyzeVariables(ss)
	res.problems = append(res.problems, vres.problems...)
	res.notes = append(res.notes, vres.notes...)
	var problems []string
	for _, p := range res.problems {
		problems = append(problems, name+": "+p)
	}
	mr := &moduleRepo{repo: name, short: short, commit: strings.TrimSpace(commit), res: res, vars: vres.vars, objects: map[string]string{}}
	groups := configGroups(texts)
	for m := range res.modules {
		obj := ""
		for _, g := range groups {
			for _, n := range g {
				if n == m && obj == "" {
					obj = g[0] + ".so"
				}
			}
		}
		if obj == "" {
			// A config without dynamic-module support (no
			// ngx_module_name): the file is named after the module.
			obj = m + ".so"
		}
		mr.objects[m] = obj
	}
	return mr, problems, nil
}

var (
	assignRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
	sourceRE = regexp.MustCompile(`^\.\s+"?\$(?:\{ngx_addon_dir\}|ngx_addon_dir)/([^"\s]+)"?`)
	expandRE = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)
)

// configGroups reads a module's config shell script (and the scripts it
// sources from its own directory) as far as nginx's auto/module needs:
// the ngx_module_name groups, each ended by ". auto/module", in order.
// The .so file of a group is named after its first module. Every branch
// of an if is read, in order: the first group that names a module wins
// (configs list their dynamic-module branch first).
func configGroups(texts map[string]string) [][]string {
	vars := map[string]string{}
	var groups [][]string
	var run func(file string, depth int)
	run = func(file string, depth int) {
		src, ok := texts[file]
		if !ok || depth > 4 {
			return
		}
		for _, line := range shellLines(src) {
			line = strings.TrimSpace(line)
			line = strings.TrimPrefix(line, "then ")
			if m := assignRE.FindStringSubmatch(line); m != nil {
				val := strings.TrimSpace(m[2])
				val = strings.Trim(val, `"'`)
				val = expandRE.ReplaceAllStringFunc(val, func(s string) string {
					return vars[expandRE.FindStringSubmatch(s)[1]]
				})
				vars[m[1]] = strings.Join(strings.Fields(val), " ")
				continue
			}
			if line == ". auto/module" {
				if names := strings.Fields(vars["ngx_module_name"]); len(names) > 0 {
					groups = append(groups, names)
				}
				continue
			}
			if m := sourceRE.FindStringSubmatch(line); m != nil {
				run(path.Clean(m[1]), depth+1)
			}
		}
	}
	var tops []string
	for f := range texts {
		if f == "config" {
			tops = append(tops, f)
		}
	}
	sort.Strings(tops)
	for _, f := range tops {
		run(f, 0)
	}
	return groups
}

// shellLines splits a script into logical lines: backslash continuations
// joined, and a double-quoted string that spans lines kept whole.
func shellLines(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		cont := strings.HasSuffix(line, `\`)
		cur.WriteString(strings.TrimSuffix(line, `\`))
		cur.WriteByte(' ')
		if cont || strings.Count(cur.String(), `"`)%2 == 1 {
			continue
		}
		out = append(out, cur.String())
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
