package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/gendirectives/csrc"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

// The tests read small C files written for them, in the shapes nginx
// modules have; none is a copy of nginx's.

// A module file in nginx's shapes.
const moduleSrc = `
#include <ngx_config.h>

#define DEMO_SIZE_CONF  NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF

static char *demo_zone(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);

static ngx_conf_deprecated_t  demo_old_name_deprecated = {
    ngx_conf_deprecated, "demo_old_name", "demo_size"
};

static ngx_command_t  demo_commands[] = {

    { ngx_string("demo_size"),
      DEMO_SIZE_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_SRV_CONF_OFFSET,
      offsetof(demo_conf_t, size),
      NULL },

    { ngx_string("demo_old_name"),   /* a comment */
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(demo_conf_t, size),
      &demo_old_name_deprecated },

#if (DEMO_HAVE_ZONES)
    { ngx_string("demo_zone"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_BLOCK|NGX_CONF_TAKE1,
      demo_zone,
      0,
      0,
      NULL },
#else
    { ngx_string("demo_nozone"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_FLAG,
      demo_wrapped_flag,
      0,
      0,
      NULL },
#endif

    { ngx_string("listen"),
#if (DEMO_ANYWHERE)
      NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
#else
      NGX_HTTP_SRV_CONF|NGX_CONF_1MORE,
#endif
      demo_listen,
      0,
      0,
      NULL },

    { ngx_string("demo_gone"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      demo_gone,
      0,
      0,
      NULL },

      ngx_null_command
};

ngx_module_t  demo_module = {
    NGX_MODULE_V1,
    &demo_module_ctx,
    demo_commands,
    NGX_HTTP_MODULE,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NGX_MODULE_V1_PADDING
};

static char *
demo_zone(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    if (seen) {
        return "duplicate zone";
    }
#if (DEMO_X)
    if (x) {
#else
    if (y) {
#endif
        cf->handler = demo_zone_line;
    }
    return ngx_conf_parse(cf, NULL);
}

static char *
demo_wrapped_flag(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    return ngx_conf_set_flag_slot(cf, cmd, conf);
}

static char *
demo_listen(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    for (n = 2; n < cf->args->nelts; n++) {
        if (ngx_strcmp(value[n].data, "fast") == 0) {
            continue;
        }
        if (ngx_strncmp(value[n].data, "queue=", 6) == 0) {
            continue;
        }
        if (ngx_strncmp(value[n].data, "onlyv6=o", 8) == 0) {
            if (ngx_strcmp(&value[n].data[8], "n") == 0) {
                continue;
            }
        }
        if (ngx_strcmp(value[n].data, "slow") == 0) {
            ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                               "the \"listen ... slow\" directive "
                               "is deprecated, use the \"demo_size\" directive instead");
            continue;
        }
    }
    return NGX_CONF_OK;
}

static char *
demo_gone(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                       "the \"demo_gone\" directive is obsolete, "
                       "use the \"demo_size\" directive instead");
    return NGX_CONF_OK;
}
`

// The slot functions of a core file, in the shape of nginx's.
const slotsSrc = `
char *
ngx_conf_set_flag_slot(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    if (*fp != NGX_CONF_UNSET) {
        return "is duplicate";
    }
    return NGX_CONF_OK;
}

char *
ngx_conf_set_size_slot(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    if (*sp != NGX_CONF_UNSET_SIZE) {
        return "is duplicate";
    }
    if (post) {
        return post->post_handler(cf, post, sp);
    }
    return NGX_CONF_OK;
}

char *
ngx_conf_deprecated(ngx_conf_t *cf, void *post, void *data)
{
    ngx_conf_log_error(NGX_LOG_WARN, cf, 0,
                       "the \"%s\" directive is deprecated, "
                       "use the \"%s\" directive instead",
                       d->old_name, d->new_name);
    return NGX_CONF_OK;
}
`

func analyzeDemo(t *testing.T) *result {
	t.Helper()
	res := analyze(csrc.NewSet(map[string]*csrc.File{
		"src/demo.c":               csrc.ParseFile(moduleSrc),
		"src/core/ngx_conf_file.c": csrc.ParseFile(slotsSrc),
	}), true)
	if len(res.problems) > 0 {
		t.Fatalf("problems: %q", res.problems)
	}
	return res
}

func TestAnalyze(t *testing.T) {
	res := analyzeDemo(t)
	want := map[string]found{
		"demo_size":     {Flags: csrc.Flags{Contexts: nginx.HTTP | nginx.HTTPServer, Args: nginx.Args1}, unique: true},
		"demo_old_name": {Flags: csrc.Flags{Contexts: nginx.HTTP, Args: nginx.Args1}, unique: true, deprecated: true, instead: "demo_size"},
		// Entries in both branches of an #if count; "duplicate zone" is
		// not the directive's duplicate; cf->handler makes a data block.
		"demo_zone":   {Flags: csrc.Flags{Contexts: nginx.HTTP, Args: nginx.Args1, Block: true}, data: true},
		"demo_nozone": {Flags: csrc.Flags{Contexts: nginx.HTTP, Args: nginx.ArgsFlag}, unique: true}, // by forwarding
		// Inside an entry, the first branch.
		"listen":    {Flags: csrc.Flags{Contexts: nginx.HTTPServer | nginx.HTTPLocation, Args: nginx.Args1More}},
		"demo_gone": {Flags: csrc.Flags{Contexts: nginx.HTTPLocation, Args: nginx.Args0}, deprecated: true, instead: "demo_size"},
	}
	if len(res.variants) != len(want) {
		t.Errorf("%d variants, want %d", len(res.variants), len(want))
	}
	for name, w := range want {
		got := res.variants[vkey{name, "demo_module"}]
		if got == nil {
			t.Errorf("%s: missing", name)
			continue
		}
		if !reflect.DeepEqual(*got, w) {
			t.Errorf("%s: %+v, want %+v", name, *got, w)
		}
	}
	// listen's parameters: the literals compared with an argument, the
	// name before "=", the deprecated one.
	var params []string
	for k, p := range res.params {
		s := k.directive + " " + k.name
		if k.value {
			s += "="
		}
		if p.deprecated {
			s += " deprecated, instead " + p.instead
		}
		params = append(params, s)
	}
	slices.Sort(params)
	wantParams := []string{"listen fast", "listen onlyv6=", "listen queue=", "listen slow deprecated, instead demo_size"}
	if !slices.Equal(params, wantParams) {
		t.Errorf("params %q, want %q", params, wantParams)
	}
}

// TestAnalyzeProblems: what the generator cannot decode is reported, not
// skipped.
func TestAnalyzeProblems(t *testing.T) {
	src := `
static ngx_command_t  bad_commands[] = {
    { ngx_string("bad_flags"), NGX_HTTP_LOC_CONF|BAD_UNKNOWN_FLAG|NGX_CONF_TAKE1, h, 0, 0, NULL },
    { ngx_string("no_context"), NGX_CONF_TAKE1, h, 0, 0, NULL },
    { "not_ngx_string", NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1, h, 0, 0, NULL },
    ngx_null_command
};
ngx_module_t  bad_module = { NGX_MODULE_V1, &ctx, bad_commands, NGX_HTTP_MODULE, NULL };
ngx_module_t  lost_module = { NGX_MODULE_V1, &ctx, lost_commands, NGX_HTTP_MODULE, NULL };
ngx_module_t  odd_module = { &ctx, bad_commands };
`
	res := analyze(csrc.NewSet(map[string]*csrc.File{"bad.c": csrc.ParseFile(src)}), false)
	want := []string{"BAD_UNKNOWN_FLAG", "no context", "not of the form", "lost_commands not found", "odd_module"}
	if len(res.problems) != len(want) {
		t.Errorf("problems %q", res.problems)
	}
	for _, w := range want {
		if !slices.ContainsFunc(res.problems, func(p string) bool { return strings.Contains(p, w) }) {
			t.Errorf("no problem about %q in %q", w, res.problems)
		}
	}
}

// TestIncludedEntries: a command array can #include a file of entries
// (ngx_devel_kit builds its array so).
func TestIncludedEntries(t *testing.T) {
	array := `
static ngx_command_t  kit_commands[] = {
#include <kit_part.h>
    ngx_null_command
};
ngx_module_t  kit_module = { NGX_MODULE_V1, &kit_ctx, kit_commands, NGX_HTTP_MODULE, NULL };
`
	part := `
#if (KIT_CMDS)
{
    ngx_string ("kit_list"),
    NGX_HTTP_MAIN_CONF|NGX_CONF_2MORE,
    kit_list,
    0,
    0,
    NULL
},
#else
typedef struct { int x; } kit_t;
#endif
`
	res := analyze(csrc.NewSet(map[string]*csrc.File{"objs/kit.c": csrc.ParseFile(array), "src/kit_part.h": csrc.ParseFile(part)}), false)
	if v := res.variants[vkey{"kit_list", "kit_module"}]; len(res.problems) > 0 || v == nil || v.Args != nginx.Args2More {
		t.Errorf("kit_list: %+v, problems %q", v, res.problems)
	}
}

func TestHistory(t *testing.T) {
	nf := &nginxFacts{releases: []release{
		{"release-1.0.0", nginx.Version{1, 0, 0}},
		{"release-1.1.0", nginx.Version{1, 1, 0}},
		{"release-1.2.0", nginx.Version{1, 2, 0}},
		{"release-1.3.0", nginx.Version{1, 3, 0}},
	}}
	a := &found{Flags: csrc.Flags{Contexts: nginx.HTTP, Args: nginx.Args1}}
	b := &found{Flags: csrc.Flags{Contexts: nginx.HTTP | nginx.HTTPServer, Args: nginx.Args1}}
	// Always there, changed its flags in 1.2.0, deprecated from 1.1.0.
	var always *history
	for i, f := range []*found{a, a, b, b} {
		always = record(always, i, f, i >= 1, "other")
	}
	// Came with 1.1.0, went with 1.3.0.
	var came *history
	for _, i := range []int{1, 2} {
		came = record(came, i, a, false, "")
	}
	// Went after 1.0.0, came back with 1.2.0.
	var gap *history
	for _, i := range []int{0, 2, 3} {
		gap = record(gap, i, a, false, "")
	}
	for _, tt := range []struct {
		name         string
		h            *history
		since, until nginx.Version
	}{
		{"always", always, nginx.Version{}, nginx.Version{}},
		{"came", came, nginx.Version{1, 1, 0}, nginx.Version{1, 3, 0}},
		{"gap", gap, nginx.Version{}, nginx.Version{}},
	} {
		since, until := nf.since(tt.h)
		if since != tt.since || until != tt.until {
			t.Errorf("%s: since %v until %v, want %v %v", tt.name, since, until, tt.since, tt.until)
		}
	}
	if always.latest != b || !slices.Equal(always.changes, []int{2}) || always.deprecated != 1 || always.instead != "other" {
		t.Errorf("always: %+v", always)
	}
	if !slices.Equal(gap.gaps, []int{2}) || came.deprecated != -1 {
		t.Errorf("gap %+v, came %+v", gap, came)
	}
}

func TestBuildScripts(t *testing.T) {
	options := `
HTTP=YES
HTTP_DEMO=YES
HTTP_EXTRA=NO
STREAM=NO
USE_THING=NO

        --without-http)                  HTTP=NO                    ;;
        --without-http_demo_module)      HTTP_DEMO=NO               ;;
        --with-http_extra_module)        HTTP_EXTRA=YES             ;;
        --with-http_extra_module=dynamic)
                                         HTTP_EXTRA=DYNAMIC         ;;
        --with-stream)                   STREAM=YES                 ;;
        --with-stream=dynamic)           STREAM=DYNAMIC             ;;
        --with-thing)                    USE_THING=YES              ;;
`
	modules := `
if [ $HTTP = YES ]; then
    if :; then
        ngx_module_name="ngx_http_module \
                         ngx_http_base_module"
        ngx_module_link=YES
        . auto/module
    fi
    if [ $HTTP_DEMO = YES ]; then
        ngx_module_name=ngx_http_demo_module
        ngx_module_link=$HTTP_DEMO
        . auto/module
    fi
    if [ $HTTP_EXTRA != NO ]; then
        ngx_module_name=ngx_http_extra_module
        ngx_module_link=$HTTP_EXTRA
        . auto/module
    fi
fi
if [ $STREAM != NO ]; then
    ngx_module_link=YES
    ngx_module_name="ngx_stream_module ngx_stream_base_module"
    . auto/module
    if [ $STREAM_X = YES ]; then
        ngx_module_name=ngx_stream_x_module
        . auto/module
    fi
fi
if [ $USE_THING = YES ]; then
    ngx_module_name=ngx_thing_module
    ngx_module_link=YES
    . auto/module
fi
`
	got := readModules(modules, readOptions(options))
	want := map[string]buildInfo{
		"ngx_http_module":        {option: "--without-http"},
		"ngx_http_base_module":   {option: "--without-http"},
		"ngx_http_demo_module":   {option: "--without-http_demo_module"},
		"ngx_http_extra_module":  {object: "ngx_http_extra_module.so", option: "--with-http_extra_module"},
		"ngx_stream_module":      {object: "ngx_stream_module.so", option: "--with-stream"},
		"ngx_stream_base_module": {object: "ngx_stream_module.so", option: "--with-stream"},
		"ngx_stream_x_module":    {object: "ngx_stream_module.so", option: "--with-stream"},
		"ngx_thing_module":       {},
	}
	if len(got) != len(want) {
		t.Errorf("modules %+v", got)
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %+v, want %+v", name, got[name], w)
		}
	}
}

func TestConfigGroups(t *testing.T) {
	texts := map[string]string{
		"config": `ngx_addon_name="ngx_demo"
DEMO_MODULES="ngx_demo_a_module \
              ngx_demo_b_module"
if [ $ngx_module_link = DYNAMIC ]; then
    ngx_module_name="$DEMO_MODULES"
    . auto/module
else
    ngx_module_name=ngx_demo_a_module
    . auto/module
fi
. $ngx_addon_dir/filter/config
`,
		"filter/config": `ngx_module_name=ngx_demo_filter_module
. auto/module
`,
	}
	groups := configGroups(texts)
	want := [][]string{{"ngx_demo_a_module", "ngx_demo_b_module"}, {"ngx_demo_a_module"}, {"ngx_demo_filter_module"}}
	if len(groups) != len(want) {
		t.Fatalf("groups %q", groups)
	}
	for i := range want {
		if !slices.Equal(groups[i], want[i]) {
			t.Errorf("group %d: %q, want %q", i, groups[i], want[i])
		}
	}
}

func TestParamName(t *testing.T) {
	for lit, want := range map[string]struct {
		name  string
		value bool
	}{"ssl": {"ssl", false}, "backlog=": {"backlog", true}, "ipv6only=o": {"ipv6only", true}} {
		if name, value := paramName(lit); name != want.name || value != want.value {
			t.Errorf("paramName(%q) = %q, %v", lit, name, value)
		}
	}
	if got := insteadName(`so_keepalive" parameter of the "listen`); got != "listen ... so_keepalive" {
		t.Errorf("insteadName: %q", got)
	}
}

// TestWrite: the output is Go of lint/nginx's types, sorted, the same
// each time.
func TestWrite(t *testing.T) {
	tb := &table{
		newest:  nginx.Version{1, 2, 3},
		sources: []string{"demo at 0123"},
		modules: []nginx.Module{{Name: "ngx_demo_module", Source: "nginx", Object: "ngx_demo_module.so"}},
		variants: []nginx.Variant{{Name: "demo", Module: "ngx_demo_module", Contexts: nginx.HTTP | nginx.HTTPServer,
			Args: nginx.Args1 | nginx.Args2, Block: true, Since: nginx.Version{1, 1, 0}, Deprecated: nginx.Version{1, 2, 0}, Instead: "other"},
			{Name: "demo_mask", Module: "ngx_demo_module", Contexts: nginx.HTTP, Args: nginx.Args1More, Values: []string{"off", "on"}, Bitmask: true}},
		params: []nginx.Param{{Directive: "demo", Module: "ngx_demo_module", Name: "fast", Value: true}},
		variables: []nginx.Variable{{Name: "demo_", Prefix: true, Module: "ngx_demo_module", Changeable: true, Since: nginx.Version{1, 1, 0}},
			{Name: "demo_addr", Module: "ngx_stream_demo_module", Stream: true, Until: nginx.Version{1, 2, 0}}},
	}
	src, err := tb.write()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		header,
		"//   - demo at 0123\n",
		"var generatedNewest = Version{1, 2, 3}\n",
		`{Name: "ngx_demo_module", Source: "nginx", Object: "ngx_demo_module.so"},`,
		`{Name: "demo", Module: "ngx_demo_module", Contexts: HTTP | HTTPServer, Args: Args1 | Args2, Block: true, Since: Version{1, 1, 0}, Deprecated: Version{1, 2, 0}, Instead: "other"},`,
		`{Directive: "demo", Module: "ngx_demo_module", Name: "fast", Value: true},`,
		`{Name: "demo_mask", Module: "ngx_demo_module", Contexts: HTTP, Args: Args1More, Values: []string{"off", "on"}, Bitmask: true},`,
	} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("no %q in\n%s", want, src)
		}
	}
	vars, err := tb.writeVariables()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		header,
		"//   - demo at 0123\n",
		"var generatedVariables = []Variable{\n",
		`{Name: "demo_", Prefix: true, Module: "ngx_demo_module", Changeable: true, Since: Version{1, 1, 0}},`,
		`{Name: "demo_addr", Module: "ngx_stream_demo_module", Stream: true, Until: Version{1, 2, 0}},`,
	} {
		if !bytes.Contains(vars, []byte(want)) {
			t.Errorf("no %q in\n%s", want, vars)
		}
	}
	if nginx.Context(1)<<len(contextNames)-1 != nginx.AnyContext {
		t.Errorf("contextNames does not name every context")
	}
	if nginx.Args(1)<<len(argNames)-1 != nginx.ArgsAny<<1-1 {
		t.Errorf("argNames does not name every count")
	}
	if goContexts(nginx.AnyContext) != "AnyContext" || goContexts(nginx.RTMPRecorder) != "RTMPRecorder" || goArgs(nginx.ArgsAny) != "ArgsAny" {
		t.Errorf("names: %s, %s, %s", goContexts(nginx.AnyContext), goContexts(nginx.RTMPRecorder), goArgs(nginx.ArgsAny))
	}
}

// TestRegenerate regenerates the table from the mirrors and compares it
// with the checked-in lint/nginx/generated.go and
// lint/nginx/variables_gen.go. NGINX_SRC is the git directory of
// nginx/nginx; the third-party mirrors are in NGINX_THIRDPARTY, or two
// levels above NGINX_SRC (MIRRORS/nginx+nginx/repo: MIRRORS).
func TestRegenerate(t *testing.T) {
	src := os.Getenv("NGINX_SRC")
	if src == "" {
		t.Skip("NGINX_SRC is not set: set it to a git directory of nginx/nginx (and NGINX_THIRDPARTY to the module mirrors) to regenerate the table and compare")
	}
	mirrors := os.Getenv("NGINX_THIRDPARTY")
	if mirrors == "" {
		mirrors = filepath.Dir(filepath.Dir(src))
	}
	got, rep, err := generate(options{nginxDir: src, mirrorDir: mirrors})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.problems) > 0 {
		t.Fatalf("not understood:\n%s", strings.Join(rep.problems, "\n"))
	}
	dir := t.TempDir()
	for name, src := range map[string][]byte{directivesFile: got.directives, variablesFile: got.variables} {
		out := filepath.Join(dir, name)
		if err := os.WriteFile(out, src, 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../../lint/nginx", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(src, want) {
			t.Errorf("lint/nginx/%s is not what the generator writes now (%s); run go run ./internal/gendirectives", name, out)
		}
	}
}
