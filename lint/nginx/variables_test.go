package nginx

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var varNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// TestVariablesTable checks the generated variables' consistency: sorted
// (http, then stream; by name; exact before family), no entry twice,
// names as nginx has them, modules the table knows of the right kind,
// versions in order.
func TestVariablesTable(t *testing.T) {
	if len(generatedVariables) < 250 {
		t.Errorf("only %d variables", len(generatedVariables))
	}
	type key struct {
		name, module   string
		stream, prefix bool
	}
	seen := map[key]bool{}
	for i := range generatedVariables {
		v := &generatedVariables[i]
		k := key{v.Name, v.Module, v.Stream, v.Prefix}
		if seen[k] {
			t.Errorf("%+v: listed twice", *v)
		}
		seen[k] = true
		if i > 0 {
			p := &generatedVariables[i-1]
			if p.Stream && !v.Stream || p.Stream == v.Stream && (p.Name > v.Name || p.Name == v.Name && p.Prefix && !v.Prefix) {
				t.Errorf("%s of %s after %s of %s: not sorted", v.Name, v.Module, p.Name, p.Module)
			}
		}
		if !varNameRE.MatchString(v.Name) || v.Prefix != strings.HasSuffix(v.Name, "_") {
			t.Errorf("%+v: name", *v)
		}
		m := ModuleNamed(v.Module)
		switch {
		case m == nil:
			t.Errorf("%s: module %s not in the table", v.Name, v.Module)
		case v.Stream != strings.HasPrefix(v.Module, "ngx_stream_"):
			t.Errorf("%s: stream %v, module %s", v.Name, v.Stream, v.Module)
		case m.ThirdParty() && (!v.Since.IsZero() || !v.Until.IsZero()):
			t.Errorf("%s of third-party %s has versions", v.Name, v.Module)
		}
		if !v.Until.IsZero() && !v.Since.Less(v.Until) {
			t.Errorf("%s: since %v, until %v", v.Name, v.Since, v.Until)
		}
	}
}

func TestBuiltinVariables(t *testing.T) {
	names := func(vs []*Variable) []string {
		var out []string
		for _, v := range vs {
			s := v.Name + " " + v.Module
			if v.Prefix {
				s += " prefix"
			}
			out = append(out, s)
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		stream bool
		want   []string
	}{
		{"host", false, []string{"host ngx_http_core_module"}},
		{"HOST", false, []string{"host ngx_http_core_module"}}, // nginx ignores case
		{"host", true, nil},
		{"remote_addr", true, []string{"remote_addr ngx_stream_core_module"}},
		// An exact variable of a family's name, and the family.
		{"http_host", false, []string{"http_host ngx_http_core_module", "http_ ngx_http_core_module prefix"}},
		{"http_x_real_ip", false, []string{"http_ ngx_http_core_module prefix"}},
		{"http_", false, []string{"http_ ngx_http_core_module prefix"}}, // nginx takes the bare prefix
		{"upstream_http_server", false, []string{"upstream_http_ ngx_http_upstream_module prefix"}},
		{"arg_id", false, []string{"arg_ ngx_http_core_module prefix"}},
		{"no_such_variable", false, nil},
		{"arg_id", true, nil},
		{"proxy_protocol_tlv_0x01", true, []string{"proxy_protocol_tlv_ ngx_stream_core_module prefix"}},
	} {
		if got := names(BuiltinVariables(tt.name, tt.stream)); !slices.Equal(got, tt.want) {
			t.Errorf("BuiltinVariables(%q, %v) = %q, want %q", tt.name, tt.stream, got, tt.want)
		}
	}
}

// builtin returns the variable of name of module, failing the test when
// the table has none.
func builtin(t *testing.T, name, module string) *Variable {
	t.Helper()
	for _, stream := range []bool{false, true} {
		for _, v := range BuiltinVariables(name, stream) {
			if v.Module == module && (v.Name == name || v.Prefix && v.Name == strings.TrimSuffix(name, "*")) {
				return v
			}
		}
	}
	t.Fatalf("no $%s of %s in the table", name, module)
	return nil
}

// TestKnownVariables checks the generated variables against nginx's
// CHANGES and documentation, and the third-party modules' READMEs.
func TestKnownVariables(t *testing.T) {
	v := func(s string) Version {
		v, _ := ParseVersion(s)
		return v
	}
	for _, tt := range []struct {
		name, module string
		since, until string
		changeable   bool
	}{
		{"host", "ngx_http_core_module", "", "", false},
		{"args", "ngx_http_core_module", "", "", true},
		{"limit_rate", "ngx_http_core_module", "", "", true},
		{"request_id", "ngx_http_core_module", "1.11.0", "", false},
		// 1.2.6 (stable) and 1.3.9: the log module's $request_time and
		// $msec became variables everywhere.
		{"request_time", "ngx_http_core_module", "1.2.6", "", false},
		{"http2", "ngx_http_v2_module", "1.9.5", "", false},
		{"http3", "ngx_http_v3_module", "1.25.0", "", false},
		{"spdy", "ngx_http_spdy_module", "1.3.15", "1.9.5", false},
		{"proxy_add_x_forwarded_for", "ngx_http_proxy_module", "", "", false},
		{"proxy_host", "ngx_http_proxy_module", "", "", true},
		{"realip_remote_addr", "ngx_http_realip_module", "1.9.7", "", false},
		{"ssl_server_name", "ngx_http_ssl_module", "1.7.0", "", true},
		{"gzip_ratio", "ngx_http_gzip_filter_module", "", "", false},
		{"invalid_referer", "ngx_http_referer_module", "", "", true},
		{"secure_link_expires", "ngx_http_secure_link_module", "", "", false},
		{"uid_reset", "ngx_http_userid_filter_module", "1.0.5", "", true},
		{"upstream_connect_time", "ngx_http_upstream_module", "1.9.1", "", false},
		// The families: from the code's comparisons before 1.11.10, from
		// NGX_HTTP_VAR_PREFIX after; the same entry throughout.
		{"http_*", "ngx_http_core_module", "", "", false},
		{"arg_*", "ngx_http_core_module", "", "", false},
		{"sent_trailer_*", "ngx_http_core_module", "1.13.2", "", false},
		{"upstream_http_*", "ngx_http_upstream_module", "", "", false},
		{"upstream_cookie_*", "ngx_http_upstream_module", "1.7.1", "", false},
		{"upstream_trailer_*", "ngx_http_upstream_module", "1.13.10", "", false},
		// Stream: variables from 1.11.2.
		{"remote_addr", "ngx_stream_core_module", "1.11.2", "", false},
		{"ssl_preread_server_name", "ngx_stream_ssl_preread_module", "1.11.5", "", false},
		{"upstream_addr", "ngx_stream_upstream_module", "1.11.4", "", false},
		{"proxy_protocol_tlv_*", "ngx_stream_core_module", "1.23.2", "", false},
		// Third-party modules: no versions. echo and srcache register
		// their variables in their postconfiguration, after nginx has
		// read the configuration: a definition of one is taken.
		{"echo_request_uri", "ngx_http_echo_module", "", "", true},
		{"srcache_fetch_status", "ngx_http_srcache_filter_module", "", "", true},
		{"nchan_channel_id", "ngx_nchan_module", "", "", true},
		{"nchan_stub_status_stored_messages", "ngx_nchan_module", "", "", true}, // from a macro
		{"uploadprogress_received", "ngx_http_uploadprogress_module", "", "", true},
		{"vts_request_counter", "ngx_http_vhost_traffic_status_module", "", "", false},
		{"brotli_ratio", "ngx_http_brotli_filter_module", "", "", false},
	} {
		name := strings.TrimSuffix(tt.name, "*")
		got := builtin(t, tt.name, tt.module)
		if got.Name != name || got.Prefix != strings.HasSuffix(tt.name, "*") || got.Since != v(tt.since) || got.Until != v(tt.until) || got.Changeable != tt.changeable {
			t.Errorf("$%s of %s: %+v", tt.name, tt.module, *got)
		}
	}
	// Defined by the configuration only: no built-ins.
	for _, name := range []string{"geoip2_data_country_code", "lua_var", "js_var"} {
		if vs := BuiltinVariables(name, false); vs != nil {
			t.Errorf("$%s: %+v", name, vs)
		}
	}
}

// TestKnownValues checks the value sets of enum and bitmask directives.
func TestKnownValues(t *testing.T) {
	for _, tt := range []struct {
		name, module string
		values       []string
		bitmask      bool
	}{
		{"proxy_http_version", "ngx_http_proxy_module", []string{"1.0", "1.1", "2"}, false},
		{"gzip_proxied", "ngx_http_core_module", []string{"off", "expired", "no-cache", "no-store", "private", "no_last_modified", "no_etag", "auth", "any"}, true},
		{"ssl_protocols", "ngx_http_ssl_module", []string{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, true},
		{"ssl_protocols", "ngx_stream_ssl_module", []string{"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, true},
		{"satisfy", "ngx_http_core_module", []string{"all", "any"}, false},
		{"ssl_verify_client", "ngx_http_ssl_module", []string{"off", "on", "optional", "optional_no_ca"}, false},
		// A handler that hands its work to ngx_conf_set_enum_slot.
		{"starttls", "ngx_mail_ssl_module", []string{"off", "on", "only"}, false},
		// A third-party handler that sets cmd->post, then does.
		{"vhost_traffic_status_average_method", "ngx_http_vhost_traffic_status_module", []string{"AMM", "WMA"}, false},
	} {
		d := variant(t, tt.name, tt.module)
		if !slices.Equal(d.Values, tt.values) || d.Bitmask != tt.bitmask {
			t.Errorf("%s of %s: values %q, bitmask %v", tt.name, tt.module, d.Values, d.Bitmask)
		}
	}
	bitmask, enum := 0, 0
	for i := range generatedVariants {
		d := &generatedVariants[i]
		switch {
		case d.Values == nil && d.Bitmask:
			t.Errorf("%s of %s: a bitmask without values", d.Name, d.Module)
		case d.Values == nil:
		case d.Bitmask:
			bitmask++
		default:
			enum++
		}
		for _, w := range d.Values {
			if w == "" || strings.ContainsAny(w, " \t;{}") {
				t.Errorf("%s of %s: value %q", d.Name, d.Module, w)
			}
		}
	}
	if enum < 30 || bitmask < 40 {
		t.Errorf("%d enum directives, %d bitmask ones", enum, bitmask)
	}
	for _, name := range []string{"root", "listen", "gzip", "proxy_pass"} {
		if d := Variants(name)[0]; d.Values != nil || d.Bitmask {
			t.Errorf("%s: values %q", name, d.Values)
		}
	}
}
