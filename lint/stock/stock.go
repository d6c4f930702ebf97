// Package stock knows the configuration files that nginx's packages
// install under /etc/nginx and that configurations include without
// shipping them: mime.types, fastcgi_params, proxy_params,
// snippets/fastcgi-php.conf and the like.
//
// A repository that holds an nginx tree rarely holds these files, yet
// what they set matters: Debian's proxy_params sets proxy_set_header,
// which stops the inheritance of the proxy_set_header directives of the
// enclosing levels; fastcgi.conf passes SCRIPT_FILENAME, fastcgi_params
// does not. When a literal include names such a file and the tree lacks
// it, nginxlint assumes the package's file and reads this package's
// rendition of it: the same directives with the same arguments, in the
// same order, under a one-line comment of nginxlint's, without the
// packages' own comments.
//
// Which files exist, and what they hold, depends on who built the
// package. A set names one family of packages (see [Sets]); [Default]
// is the set assumed when the configuration says nothing. The set
// "none" installs nothing: every include of a missing file is then an
// error, as it is for nginx.
//
// Only files that a configuration includes count. The main file
// (nginx.conf) is not one, nor are the default sites the packages put
// in place (conf.d/default.conf, sites-available/default,
// http.d/default.conf): those are sites that a tree replaces or
// removes, not include targets. Neither are the load_module files of
// the module packages (modules-enabled/*.conf, modules/*.conf), which
// the main file pulls in with a pattern, not by name.
//
// The package imports nothing but the standard library, so that every
// layer of nginxlint can use it.
package stock

import (
	"maps"
	"slices"
)

// Default is the set assumed when the configuration names none.
const Default = "debian"

// The names of the sets.
const (
	alpine   = "alpine"
	debian   = "debian"
	nginxOrg = "nginx.org"
	none     = "none"
)

// set is one family of packages: how messages name it, and the files it
// installs, by path relative to /etc/nginx, without the header line that
// Lookup adds.
type set struct {
	describe string
	files    map[string]string
}

// sets are the known sets by name; the files are in files.go, with the
// sources they were checked against.
var sets = map[string]set{
	alpine:   {describe: "Alpine Linux's nginx packages", files: alpineFiles},
	debian:   {describe: "Debian's and Ubuntu's nginx packages", files: debianFiles},
	nginxOrg: {describe: "the nginx.org packages", files: nginxOrgFiles},
	none:     {},
}

// Sets returns the names of the known sets, sorted: "alpine" (Alpine
// Linux's nginx package), "debian" (Debian's and Ubuntu's nginx-common,
// which nginx, nginx-light, nginx-full and nginx-extras depend on),
// "nginx.org" (the packages of nginx.org's own Debian, Ubuntu and
// RHEL/SUSE repositories, which the official Docker image nginx
// installs) and "none" (no package: nothing is assumed).
func Sets() []string {
	return slices.Sorted(maps.Keys(sets))
}

// Valid reports whether set is the name of a known set.
func Valid(set string) bool {
	_, ok := sets[set]
	return ok
}

// Describe returns how messages name the packages of set, as a plural
// noun phrase that fits "the file ... install", such as "Debian's and
// Ubuntu's nginx packages". It returns "" for "none" and for an unknown
// set.
func Describe(set string) string {
	return sets[set].describe
}

// Lookup returns the content of the file rel (a slash path relative to
// the nginx prefix, e.g. "mime.types", "snippets/fastcgi-php.conf") as
// the set's package installs it, and whether the set installs it. "none"
// installs nothing.
//
// rel is matched as given: it must be clean (path.Clean) and relative,
// without a leading "./" or "/etc/nginx/". The content is nginxlint's
// rendition of the package's file: a first line
//
//	# nginxlint's rendition of /etc/nginx/REL as PACKAGES install it
//
// where PACKAGES is Describe(set), then the package's directives with
// their arguments, in the package's order. Its comments are left out.
func Lookup(set, rel string) (content string, ok bool) {
	s, ok := sets[set]
	if !ok {
		return "", false
	}
	body, ok := s.files[rel]
	if !ok {
		return "", false
	}
	return "# nginxlint's rendition of /etc/nginx/" + rel + " as " + s.describe + " install it\n" + body, true
}

// Files returns the paths, relative to /etc/nginx, of the files the set
// installs, sorted bytewise. It returns none for "none" and for an
// unknown set.
func Files(set string) []string {
	return slices.Sorted(maps.Keys(sets[set].files))
}

// Known reports whether any set installs rel (see Lookup for its form):
// a tree's own copy of such a file is a package file, whichever set the
// configuration assumes.
func Known(rel string) bool {
	for _, s := range sets {
		if _, ok := s.files[rel]; ok {
			return true
		}
	}
	return false
}
