package main

import (
	"regexp"
	"strings"
)

// nginx's build scripts say which modules configure builds by default,
// which option adds or removes each, and which may be built as dynamic
// modules (and into which .so file): auto/options and auto/modules, in
// the form they have had since dynamic modules came (1.9.11).

// buildInfo is what the build scripts say of one module.
type buildInfo struct {
	// object is the .so file when the module can be built as a dynamic
	// module: the first module of its group (auto/module names the file
	// after it), or the group of the block it is in (every mail module
	// is in ngx_mail_module.so).
	object string
	// option is the configure option that builds the module when nginx
	// does not by default ("--with-http_ssl_module"), or that leaves it
	// out when it does ("--without-http_gzip_module").
	option string
}

var (
	// --with-http_geoip_module=dynamic) HTTP_GEOIP=DYNAMIC ;;
	optionRE = regexp.MustCompile(`(--with(?:out)?-[a-z0-9_]+(?:=dynamic)?)\)\s*([A-Z0-9_]+)=(YES|NO|DYNAMIC)\s*;;`)
	// HTTP_GZIP=YES at the start of a line: a default.
	defaultRE = regexp.MustCompile(`(?m)^([A-Z0-9_]+)=(YES|NO)\s*$`)
	varRE     = regexp.MustCompile(`\$([A-Z0-9_]+)`)
)

// options reads auto/options: per variable, its default and its
// options.
type configureOptions struct {
	defaults map[string]string // HTTP_GZIP -> YES
	with     map[string]string // HTTP_SSL -> --with-http_ssl_module
	without  map[string]string // HTTP_GZIP -> --without-http_gzip_module
	dynamic  map[string]bool   // HTTP_GEOIP: has a =dynamic option
}

func readOptions(src string) *configureOptions {
	o := &configureOptions{defaults: map[string]string{}, with: map[string]string{}, without: map[string]string{}, dynamic: map[string]bool{}}
	for _, m := range defaultRE.FindAllStringSubmatch(src, -1) {
		if _, ok := o.defaults[m[1]]; !ok {
			o.defaults[m[1]] = m[2]
		}
	}
	for _, m := range optionRE.FindAllStringSubmatch(src, -1) {
		opt, v, val := m[1], m[2], m[3]
		switch {
		case val == "DYNAMIC":
			o.dynamic[v] = true
		case val == "YES" && strings.HasPrefix(opt, "--with-"):
			if _, ok := o.with[v]; !ok {
				o.with[v] = opt
			}
		case val == "NO" && strings.HasPrefix(opt, "--without-"):
			if _, ok := o.without[v]; !ok {
				o.without[v] = opt
			}
		}
	}
	return o
}

// option returns the configure option of variable v: the one that
// changes its default. The USE_* variables (USE_PCRE, USE_OPENSSL) are
// libraries, which configure also turns on when it finds them or when a
// module needs them: no option of theirs says whether a module is built.
func (o *configureOptions) option(v string) string {
	if strings.HasPrefix(v, "USE_") {
		return ""
	}
	if o.defaults[v] == "YES" {
		return o.without[v]
	}
	return o.with[v]
}

// readModules reads auto/modules with the options of auto/options: the
// build facts of every module it names. It understands the shape the
// script has: nested "if [ $VAR ... ]; then" ... "fi" blocks, and in
// them ngx_module_name= and ngx_module_link= assignments, each group
// ending with ". auto/module".
func readModules(src string, o *configureOptions) map[string]buildInfo {
	info := map[string]buildInfo{}
	type block struct {
		v     string // the variable the if tests; "" for "if :;"
		first string // the first module of the first group in it
	}
	var stack []*block
	var names []string
	link := ""
	lines := joinContinued(src)
	for _, line := range lines {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "if "):
			b := &block{}
			if m := varRE.FindStringSubmatch(line); m != nil {
				b.v = m[1]
			}
			stack = append(stack, b)
		case line == "fi":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case strings.HasPrefix(line, "ngx_module_name="):
			names = strings.Fields(strings.Trim(strings.TrimPrefix(line, "ngx_module_name="), `"`))
		case strings.HasPrefix(line, "ngx_module_link="):
			link = strings.TrimPrefix(strings.TrimPrefix(line, "ngx_module_link="), "$")
		case line == ". auto/module":
			if len(names) == 0 || !strings.HasPrefix(names[0], "ngx_") {
				continue
			}
			for _, b := range stack {
				if b.first == "" {
					b.first = names[0]
				}
			}
			bi := buildInfo{}
			// The .so: the group's own when its link variable may be
			// dynamic, else the enclosing block's (mail, stream).
			if o.dynamic[link] {
				bi.object = names[0] + ".so"
			} else {
				for _, b := range stack {
					if o.dynamic[b.v] {
						bi.object = b.first + ".so"
						break
					}
				}
			}
			// The option: the link variable's, else the innermost
			// enclosing block's that has one.
			bi.option = o.option(link)
			for k := len(stack) - 1; k >= 0 && bi.option == ""; k-- {
				bi.option = o.option(stack[k].v)
			}
			for _, n := range names {
				if _, ok := info[n]; !ok {
					info[n] = bi
				}
			}
		}
	}
	return info
}

// joinContinued splits a shell script into lines, joining those that end
// with a backslash.
func joinContinued(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}
