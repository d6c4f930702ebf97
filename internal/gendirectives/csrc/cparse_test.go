package csrc

import (
	"reflect"
	"slices"
	"testing"
)

// A module file in nginx's shapes, for ParseFile.
const parseSrc = `
#define DEMO_CONF  NGX_HTTP_MAIN_CONF
#define DEMO_VAR(name)  { ngx_string(#name), NULL, demo_get, 0, 0, 0 }

static ngx_str_t  demo_name = ngx_string("demo_one");

static ngx_conf_deprecated_t  demo_old = { ngx_conf_deprecated, "demo_old", "demo_new" };

static ngx_conf_enum_t  demo_modes[] = {
    { ngx_string("on"), 1 },
    { ngx_null_string, 0 }
};

static ngx_http_variable_t  demo_vars[] = {
    DEMO_VAR(demo_two),
    ngx_http_null_variable
};

static ngx_command_t  demo_commands[] = {
    { ngx_string("demo_mode"), DEMO_CONF|NGX_CONF_TAKE1, ngx_conf_set_enum_slot, 0, 0, &demo_modes },
#if 0
    { ngx_string("demo_never"), DEMO_CONF|NGX_CONF_TAKE1, demo_set, 0, 0, NULL },
#endif
    { ngx_string("demo_old"), DEMO_CONF|NGX_CONF_TAKE1, demo_set, 0, 0, &demo_old },
    ngx_null_command
};

static ngx_http_module_t  demo_ctx = { demo_preconf, NULL };

ngx_module_t  demo_module = { NGX_MODULE_V1, &demo_ctx, demo_commands, NGX_HTTP_MODULE, NULL };

static char *
demo_set(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    if (ngx_strcmp(value[1].data, "fast") == 0) {
        return "is duplicate";
    }
    return ngx_conf_set_str_slot(cf, cmd, conf);
}

static ngx_int_t
demo_preconf(ngx_conf_t *cf)
{
    ngx_http_variable_t  *v, *var;

    for (v = demo_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
    }
    var = ngx_http_add_variable(cf, &demo_name, NGX_HTTP_VAR_CHANGEABLE);
    return NGX_OK;
}
`

func TestParseFile(t *testing.T) {
	f := ParseFile(parseSrc)
	if len(f.Problems) > 0 || len(f.Notes) > 0 {
		t.Fatalf("problems %q, notes %q", f.Problems, f.Notes)
	}
	var names []string
	for _, c := range f.Arrays["demo_commands"] {
		names = append(names, c.Name+" "+c.Handler+" "+c.Post+" "+JoinText(c.Flags))
	}
	want := []string{"demo_mode ngx_conf_set_enum_slot demo_modes DEMO_CONF | NGX_CONF_TAKE1", "demo_old demo_set demo_old DEMO_CONF | NGX_CONF_TAKE1"}
	if !slices.Equal(names, want) {
		t.Errorf("commands %q, want %q", names, want)
	}
	if want := []Module{{Name: "demo_module", Ctx: "demo_ctx", Commands: "demo_commands", Type: "NGX_HTTP_MODULE"}}; !reflect.DeepEqual(f.Modules, want) {
		t.Errorf("modules %+v", f.Modules)
	}
	if got := f.Ctxs["demo_ctx"]; !slices.Equal(got, []string{"demo_preconf", ""}) {
		t.Errorf("demo_ctx: %q", got)
	}
	if d := f.Deprecated["demo_old"]; d != (Deprecation{Handler: "ngx_conf_deprecated", Old: "demo_old", New: "demo_new"}) {
		t.Errorf("deprecation %+v", d)
	}
	if v := f.StrConsts["demo_name"]; v != "demo_one" {
		t.Errorf("demo_name = %q", v)
	}
	set := f.Funcs["demo_set"]
	if set == nil || !slices.Equal(set.Compares, []string{"fast"}) || !slices.Equal(set.Forwards, []string{"ngx_conf_set_str_slot"}) ||
		!slices.Contains(set.Strs, "is duplicate") {
		t.Errorf("demo_set: %+v", set)
	}
	pre := f.Funcs["demo_preconf"]
	if pre == nil || len(pre.AddVars) != 2 || !slices.Equal(pre.Refs, []string{"demo_vars"}) || !slices.Equal(pre.Assigns["v"], []string{"demo_vars"}) ||
		MemberName(pre.AddVars[0].Name) != "v" || !IsMember(pre.AddVars[0].Flags, "v", "flags") {
		t.Errorf("demo_preconf: %+v", pre)
	}
	ss := NewSet(map[string]*File{"demo.c": f})
	if macro, ok := ss.Macro(f, "DEMO_CONF"); !ok || JoinText(macro) != "NGX_HTTP_MAIN_CONF" {
		t.Errorf("DEMO_CONF: %q", JoinText(macro))
	}
	modes := f.Statics["demo_modes"]
	if modes == nil || modes.Type != "ngx_conf_enum_t" || len(modes.Items) != 2 || !IsNull(modes.Items[1].Fields) {
		t.Fatalf("demo_modes: %+v", modes)
	}
	if w, ok := NgxString(modes.Items[0].Fields[0]); !ok || w != "on" {
		t.Errorf("demo_modes' word %q", w)
	}
	vars := f.Statics["demo_vars"]
	if vars == nil || len(vars.Items) != 2 {
		t.Fatalf("demo_vars: %+v", vars)
	}
	fields, ok := ss.ItemFields(f, vars.Items[0])
	if name, _ := NgxString(fields[0]); !ok || len(fields) != 6 || name != "demo_two" {
		t.Errorf("DEMO_VAR(demo_two): %v %q", ok, name)
	}
}
