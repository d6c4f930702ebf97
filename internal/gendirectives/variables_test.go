package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/gendirectives/csrc"
)

// The variables' and the value sets' tests read small C files written
// for them, in the shapes of nginx's modules; none is a copy of nginx's.

// A header with the null entry's macro, as nginx's has it.
const varsHeader = `
#define NGX_HTTP_VAR_CHANGEABLE   1
#define NGX_HTTP_VAR_NOCACHEABLE  2
#define NGX_HTTP_VAR_PREFIX       32
#define demo_null_variable  { ngx_null_string, NULL, NULL, 0, 0, 0 }
`

// The core variables: an array in a file without a module, registered
// by a function the core module's preconfiguration calls; and the
// prefixes of the old kind, compared in code.
const coreVarsSrc = `
static ngx_http_variable_t  demo_core_variables[] = {

    { ngx_string("host"), NULL, demo_variable_host, 0, 0, 0 },

    { ngx_string("args"), demo_set_args, demo_variable_request,
      offsetof(ngx_http_request_t, args),
      NGX_HTTP_VAR_CHANGEABLE|NGX_HTTP_VAR_NOCACHEABLE, 0 },

#if (DEMO_HAVE_TCPINFO)
    { ngx_string("tcpinfo_rtt"), NULL, demo_variable_tcpinfo, 0, NGX_HTTP_VAR_NOCACHEABLE, 0 },
#endif

#if 0
    { ngx_string("never_built"), NULL, NULL, 0, 0, 0 },
#endif

    { ngx_string("cookie_"), NULL, demo_variable_cookie, 0, NGX_HTTP_VAR_PREFIX, 0 },

      demo_null_variable
};

ngx_int_t
demo_variables_add_core_vars(ngx_conf_t *cf)
{
    ngx_http_variable_t  *cv, *v;

    for (cv = demo_core_variables; cv->name.len; cv++) {
        v = ngx_http_add_variable(cf, &cv->name, cv->flags);
        *v = *cv;
    }
    return NGX_OK;
}

ngx_http_variable_value_t *
ngx_http_get_variable(ngx_http_request_t *r, ngx_str_t *name, ngx_uint_t key)
{
    if (ngx_strncmp(name->data, "http_", 5) == 0) {
        if (demo_unknown_header_in(r, vv, (uintptr_t) name) == NGX_OK) {
            return vv;
        }
        return NULL;
    }
    if (ngx_strncmp(name->data, "upstream_http_", 14) == 0) {
        if (demo_upstream_header_variable(r, vv, (uintptr_t) name) == NGX_OK) {
            return vv;
        }
        return NULL;
    }
    return NULL;
}

ngx_int_t
ngx_http_variables_init_vars(ngx_conf_t *cf)
{
    for (i = 0; i < cmcf->variables.nelts; i++) {
        if (ngx_strncmp(v[i].name.data, "arg_", 4) == 0) {
            v[i].get_handler = demo_variable_argument;
            v[i].data = (uintptr_t) &v[i].name;
            continue;
        }
    }
    return NGX_OK;
}

static ngx_int_t
demo_unknown_header_in(ngx_http_request_t *r, ngx_http_variable_value_t *v, uintptr_t data)
{
    return NGX_OK;
}

static ngx_int_t
demo_variable_argument(ngx_http_request_t *r, ngx_http_variable_value_t *v, uintptr_t data)
{
    return NGX_OK;
}

ngx_int_t
demo_regex_compile(ngx_conf_t *cf, ngx_str_t *name)
{
    v = ngx_http_add_variable(cf, name, NGX_HTTP_VAR_CHANGEABLE);
    return NGX_OK;
}
`

const coreModuleSrc = `
static ngx_http_module_t  demo_core_module_ctx = {
    demo_core_preconfiguration,           /* preconfiguration */
    NULL,                                  /* postconfiguration */
    NULL, NULL, NULL, NULL, NULL, NULL
};

ngx_module_t  demo_core_module = {
    NGX_MODULE_V1,
    &demo_core_module_ctx,
    NULL,
    NGX_HTTP_MODULE,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NGX_MODULE_V1_PADDING
};

static ngx_int_t
demo_core_preconfiguration(ngx_conf_t *cf)
{
    return demo_variables_add_core_vars(cf);
}
`

// A module with an array of its own, a single variable, a variable its
// directive's handler registers (by a name set in the handler), one the
// configuration names, and a prefix family's handler.
const upstreamSrc = `
static ngx_command_t  demo_upstream_commands[] = {
    { ngx_string("demo_referers"), NGX_HTTP_LOC_CONF|NGX_CONF_1MORE, demo_referers, 0, 0, NULL },
    { ngx_string("demo_set"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE2, demo_set, 0, 0, NULL },
      ngx_null_command
};

static ngx_http_module_t  demo_upstream_module_ctx = {
    demo_upstream_add_variables,           /* preconfiguration */
    NULL,
    NULL, NULL, NULL, NULL, NULL, NULL
};

ngx_module_t  demo_upstream_module = {
    NGX_MODULE_V1, &demo_upstream_module_ctx, demo_upstream_commands, NGX_HTTP_MODULE,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NGX_MODULE_V1_PADDING
};

static ngx_http_variable_t  demo_upstream_vars[] = {
    { ngx_string("upstream_addr"), NULL, demo_upstream_addr_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },
      demo_null_variable
};

static ngx_str_t  demo_ratio = ngx_string("demo_ratio");

static ngx_int_t
demo_upstream_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = demo_upstream_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
    }
    var = ngx_http_add_variable(cf, &demo_ratio, NGX_HTTP_VAR_NOCACHEABLE);
    return NGX_OK;
}

ngx_int_t
demo_upstream_header_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v, uintptr_t data)
{
    return NGX_OK;
}

static char *
demo_referers(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_str_t  name;

    ngx_str_set(&name, "demo_invalid");
    var = ngx_http_add_variable(cf, &name, NGX_HTTP_VAR_CHANGEABLE);
    return NGX_CONF_OK;
}

static char *
demo_set(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    v = ngx_http_add_variable(cf, &value[1], NGX_HTTP_VAR_CHANGEABLE);
    return NGX_CONF_OK;
}
`

// A third-party module's own variable type, entries from a macro that
// stringifies its argument, registered in its postconfiguration (after
// nginx has read the configuration) with flags of the call's.
const ownTypeSrc = `
typedef struct {
    ngx_str_t                 name;
    ngx_http_get_variable_pt  handler;
    uintptr_t                 data;
} kit_variable_t;

#define KIT_COUNTER(counter) \
  { ngx_string("kit_counter_"#counter), kit_counter_variable, offsetof(kit_stats_t, counter) }

kit_variable_t  kit_vars[] = {
  { ngx_string("kit_id"), kit_id_variable, 0 },
  KIT_COUNTER(hits),
  KIT_COUNTER(misses),
  { ngx_null_string, NULL, 0 }
};

static ngx_http_module_t  kit_module_ctx = {
    NULL,                    /* preconfiguration */
    kit_postconfig,          /* postconfiguration */
    NULL, NULL, NULL, NULL, NULL, NULL
};

ngx_module_t  kit_module = {
    NGX_MODULE_V1, &kit_module_ctx, NULL, NGX_HTTP_MODULE,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NGX_MODULE_V1_PADDING
};

static ngx_int_t
kit_postconfig(ngx_conf_t *cf)
{
    return kit_add_variables(cf);
}

ngx_int_t
kit_add_variables(ngx_conf_t *cf)
{
    kit_variable_t       *var;
    ngx_http_variable_t  *v;

    for (var = kit_vars; var->name.len; var++) {
        v = ngx_http_add_variable(cf, &var->name, 0);
        v->get_handler = var->handler;
    }
    return NGX_OK;
}
`

// A stream module.
const streamVarsSrc = `
#define NGX_STREAM_VAR_CHANGEABLE 1

static ngx_stream_module_t  demo_stream_ssl_module_ctx = {
    demo_stream_ssl_add_variables,         /* preconfiguration */
    NULL, NULL, NULL, NULL, NULL
};

ngx_module_t  demo_stream_ssl_module = {
    NGX_MODULE_V1, &demo_stream_ssl_module_ctx, NULL, NGX_STREAM_MODULE,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NGX_MODULE_V1_PADDING
};

static ngx_stream_variable_t  demo_stream_ssl_vars[] = {
    { ngx_string("ssl_protocol"), NULL, demo_stream_ssl_variable, 0,
      NGX_STREAM_VAR_CHANGEABLE, 0 },
    { ngx_null_string, NULL, NULL, 0, 0, 0 }
};

static ngx_int_t
demo_stream_ssl_add_variables(ngx_conf_t *cf)
{
    ngx_stream_variable_t  *var, *v;

    for (v = demo_stream_ssl_vars; v->name.len; v++) {
        var = ngx_stream_add_variable(cf, &v->name, v->flags);
    }
    return NGX_OK;
}
`

// varStrings writes the variables read as "name module [stream]
// [prefix] [changeable]", sorted.
func varStrings(vars map[varKey]*varFound) []string {
	var out []string
	for k, f := range vars {
		s := k.name + " " + k.module
		if k.stream {
			s += " stream"
		}
		if k.prefix {
			s += " prefix"
		}
		if f.changeable {
			s += " changeable"
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestAnalyzeVariables(t *testing.T) {
	vr := analyzeVariables(csrc.NewSet(map[string]*csrc.File{
		"src/http/demo_variables.h":       csrc.ParseFile(varsHeader),
		"src/http/demo_variables.c":       csrc.ParseFile(coreVarsSrc),
		"src/http/demo_core_module.c":     csrc.ParseFile(coreModuleSrc),
		"src/http/demo_upstream.c":        csrc.ParseFile(upstreamSrc),
		"src/stream/demo_stream_ssl.c":    csrc.ParseFile(streamVarsSrc),
		"thirdparty/kit/kit_variables.c":  csrc.ParseFile(ownTypeSrc),
		"thirdparty/kit/kit_unrelated.c":  csrc.ParseFile("static ngx_conf_enum_t  kit_modes[] = { { ngx_string(\"a\"), 1 }, { ngx_null_string, 0 } };"),
		"src/http/demo_no_variables.c":    csrc.ParseFile("static int x;"),
		"src/stream/demo_stream_header.h": csrc.ParseFile("#define NGX_STREAM_VAR_NOCACHEABLE 2"),
	}))
	if len(vr.problems) > 0 {
		t.Fatalf("problems: %q", vr.problems)
	}
	want := []string{
		"args demo_core_module changeable",
		"arg_ demo_core_module prefix",                 // compared in code, its handler in the core's file
		"cookie_ demo_core_module prefix",              // NGX_HTTP_VAR_PREFIX
		"demo_invalid demo_upstream_module changeable", // a directive's handler, by ngx_str_set
		"demo_ratio demo_upstream_module",              // a single ngx_str_t
		"host demo_core_module",                        // the array of a file with no module
		"http_ demo_core_module prefix",                // compared in code
		"kit_counter_hits kit_module changeable",       // from a macro; registered after the configuration is read
		"kit_counter_misses kit_module changeable",     //
		"kit_id kit_module changeable",                 //
		"ssl_protocol demo_stream_ssl_module stream changeable",
		"tcpinfo_rtt demo_core_module",               // in an #if: counts
		"upstream_addr demo_upstream_module",         //
		"upstream_http_ demo_upstream_module prefix", // its handler in the upstream's file
	}
	sort.Strings(want)
	if got := varStrings(vr.vars); !slices.Equal(got, want) {
		t.Errorf("variables:\n got %q\nwant %q", got, want)
	}
	var notes []string
	for _, n := range vr.notes {
		file, _, _ := strings.Cut(n, ":")
		switch {
		case strings.Contains(n, "the configuration names"):
			notes = append(notes, "configuration: "+file)
		case strings.Contains(n, "registered by a directive"):
			notes = append(notes, "directive: "+file)
		case strings.Contains(n, "after the configuration is read"):
			notes = append(notes, "late: "+file)
		default:
			notes = append(notes, n)
		}
	}
	sort.Strings(notes)
	wantNotes := []string{
		"configuration: src/http/demo_upstream.c",
		"configuration: src/http/demo_variables.c",
		"directive: src/http/demo_upstream.c",
		"late: thirdparty/kit/kit_variables.c",
	}
	if !slices.Equal(notes, wantNotes) {
		t.Errorf("notes:\n got %q\nwant %q", notes, wantNotes)
	}
}

// TestAnalyzeVariablesProblems: what the generator cannot read of the
// variables is reported, not skipped.
func TestAnalyzeVariablesProblems(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{
		{"unknown flag", `
static ngx_http_variable_t  odd_vars[] = {
    { ngx_string("odd"), NULL, odd_variable, 0, NGX_HTTP_VAR_ODD, 0 },
    { ngx_null_string, NULL, NULL, 0, 0, 0 }
};
static ngx_http_module_t  odd_ctx = { odd_add_variables, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
ngx_module_t  odd_module = { NGX_MODULE_V1, &odd_ctx, NULL, NGX_HTTP_MODULE, NULL };
static ngx_int_t odd_add_variables(ngx_conf_t *cf) { for (v = odd_vars; v->name.len; v++) {} return NGX_OK; }
`, "NGX_HTTP_VAR_ODD"},
		{"no module", `
static ngx_http_variable_t  lost_vars[] = {
    { ngx_string("lost"), NULL, lost_variable, 0, 0, 0 },
    { ngx_null_string, NULL, NULL, 0, 0, 0 }
};
`, "no NGX_HTTP_MODULE module registers it"},
		{"entry of another shape", `
static ngx_http_variable_t  short_vars[] = {
    { ngx_string("short"), NULL, short_variable },
    { ngx_null_string, NULL, NULL, 0, 0, 0 }
};
ngx_module_t  short_module = { NGX_MODULE_V1, &short_ctx, NULL, NGX_HTTP_MODULE, NULL };
`, "an entry not of the form"},
		{"unknown macro entry", `
static ngx_http_variable_t  macro_vars[] = {
    MACRO_VAR(one),
    { ngx_null_string, NULL, NULL, 0, 0, 0 }
};
ngx_module_t  macro_module = { NGX_MODULE_V1, &macro_ctx, NULL, NGX_HTTP_MODULE, NULL };
`, "an entry not understood"},
		{"array of no static", `
ngx_module_t  loop_module = { NGX_MODULE_V1, &loop_ctx, NULL, NGX_HTTP_MODULE, NULL };
static ngx_int_t loop_add(ngx_conf_t *cf) {
    for (v = loop_vars_elsewhere; v->name.len; v++) { ngx_http_add_variable(cf, &v->name, 0); }
    return NGX_OK;
}
`, "is not assigned one static array"},
		{"old prefix without a handler", `
ngx_http_variable_value_t *
ngx_http_get_variable(ngx_http_request_t *r, ngx_str_t *name, ngx_uint_t key)
{
    if (ngx_strncmp(name->data, "odd_", 4) == 0) {
        return NULL;
    }
    return NULL;
}
`, `prefix "odd_": no handler found`},
	} {
		vr := analyzeVariables(csrc.NewSet(map[string]*csrc.File{"src/odd.c": csrc.ParseFile(tt.src)}))
		if len(vr.problems) != 1 || !strings.Contains(vr.problems[0], tt.want) {
			t.Errorf("%s: problems %q, want one about %q", tt.name, vr.problems, tt.want)
		}
	}
}

// A module with enum and bitmask directives, in nginx's shapes.
const valuesSrc = `
static ngx_conf_enum_t  demo_version[] = {
    { ngx_string("1.0"), 10 },
    { ngx_string("1.1"), 11 },
    { ngx_null_string, 0 }
};

static ngx_conf_bitmask_t  demo_masks[] = {
    { ngx_string("off"), 0x0001 },
    { ngx_string("error"), 0x0002 },
#if (DEMO_SSL)
    { ngx_string("TLSv1.3"), 0x0004 },
#endif
#if 0
    { ngx_string("never"), 0x0008 },
#endif
    { ngx_null_string, 0 }
};

static ngx_conf_enum_t  demo_modes[] = {
    { ngx_string("fast"), 1 },
    { ngx_string("slow"), 2 },
    { ngx_null_string, 0 }
};

static ngx_command_t  demo_commands[] = {
    { ngx_string("demo_version"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_enum_slot, NGX_HTTP_LOC_CONF_OFFSET, 0, &demo_version },
    { ngx_string("demo_next"), NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_conf_set_bitmask_slot, NGX_HTTP_LOC_CONF_OFFSET, 0, &demo_masks },
    { ngx_string("demo_wrapped"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      demo_wrapped, NGX_HTTP_LOC_CONF_OFFSET, 0, &demo_version },
    { ngx_string("demo_mode"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      demo_mode, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL },
    { ngx_string("demo_size"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL },
      ngx_null_command
};

ngx_module_t  demo_module = { NGX_MODULE_V1, &demo_ctx, demo_commands, NGX_HTTP_MODULE, NULL };

static char *
demo_wrapped(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    rv = ngx_conf_set_enum_slot(cf, cmd, conf);
    return rv;
}

static char *
demo_mode(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    cmd->post = &demo_modes;
    rv = ngx_conf_set_enum_slot(cf, cmd, conf);
    return rv;
}
`

// The slot functions, in the shape of nginx's ngx_conf_file.c.
const valueSlotsSrc = `
char *
ngx_conf_set_enum_slot(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    for (i = 0; e[i].name.len != 0; i++) {
        if (e[i].name.len != value[1].len
            || ngx_strcasecmp(e[i].name.data, value[1].data) != 0)
        {
            continue;
        }
    }
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "invalid value \"%s\"", value[1].data);
    return NGX_CONF_ERROR;
}

char *
ngx_conf_set_bitmask_slot(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    if (ngx_strcasecmp(mask[m].name.data, value[i].data) != 0) {
        return NGX_CONF_ERROR;
    }
    return NGX_CONF_OK;
}
`

func TestValues(t *testing.T) {
	ss := csrc.NewSet(map[string]*csrc.File{
		"src/demo.c":               csrc.ParseFile(valuesSrc),
		"src/core/ngx_conf_file.c": csrc.ParseFile(valueSlotsSrc),
	})
	res := analyze(ss, false)
	if len(res.problems) > 0 {
		t.Fatalf("problems: %q", res.problems)
	}
	for name, want := range map[string]string{
		"demo_version": `enum ["1.0" "1.1"]`,
		"demo_next":    `bitmask ["off" "error" "TLSv1.3"]`, // an #if counts, #if 0 does not
		"demo_wrapped": `enum ["1.0" "1.1"]`,                // hands its work to the slot
		"demo_mode":    `enum ["fast" "slow"]`,              // sets cmd->post, then does
		"demo_size":    `enum []`,
	} {
		f := res.variants[vkey{name, "demo_module"}]
		kind := "enum"
		if f.bitmask {
			kind = "bitmask"
		}
		if got := fmt.Sprintf("%s %q", kind, f.values); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if p := slotsIgnoreCase(ss); p != nil {
		t.Errorf("slotsIgnoreCase: %q", p)
	}
	caseSensitive := csrc.NewSet(map[string]*csrc.File{"src/core/ngx_conf_file.c": csrc.ParseFile(
		strings.Replace(valueSlotsSrc, "ngx_strcasecmp(mask", "ngx_strcmp(mask", 1))})
	if p := slotsIgnoreCase(caseSensitive); len(p) != 1 || !strings.Contains(p[0], bitmaskSlot) {
		t.Errorf("slotsIgnoreCase of a case-sensitive bitmask slot: %q", p)
	}
	// What it cannot read.
	bad := `
static ngx_conf_bitmask_t  bad_masks[] = { { ngx_string("a"), 1, 2 }, { ngx_null_string, 0 } };
static ngx_conf_enum_t  bad_enum[] = { { ngx_string("a"), 1 }, { ngx_null_string, 0 } };
static ngx_command_t  bad_commands[] = {
    { ngx_string("no_post"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1, ngx_conf_set_enum_slot, 0, 0, NULL },
    { ngx_string("lost_post"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1, ngx_conf_set_enum_slot, 0, 0, &lost },
    { ngx_string("wrong_type"), NGX_HTTP_LOC_CONF|NGX_CONF_1MORE, ngx_conf_set_bitmask_slot, 0, 0, &bad_enum },
    { ngx_string("odd_entry"), NGX_HTTP_LOC_CONF|NGX_CONF_1MORE, ngx_conf_set_bitmask_slot, 0, 0, &bad_masks },
      ngx_null_command
};
ngx_module_t  bad_module = { NGX_MODULE_V1, &ctx, bad_commands, NGX_HTTP_MODULE, NULL };
`
	res = analyze(csrc.NewSet(map[string]*csrc.File{"bad.c": csrc.ParseFile(bad)}), false)
	want := []string{"with no POST", "lost not found", "not of ngx_conf_bitmask_t", "not of the form"}
	if len(res.problems) != len(want) {
		t.Errorf("problems %q", res.problems)
	}
	for _, w := range want {
		if !slices.ContainsFunc(res.problems, func(p string) bool { return strings.Contains(p, w) }) {
			t.Errorf("no problem about %q in %q", w, res.problems)
		}
	}
}
