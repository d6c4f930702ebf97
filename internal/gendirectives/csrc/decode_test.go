package csrc

import (
	"slices"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

func TestDecodeFlags(t *testing.T) {
	macros := map[string]string{
		"MY_LEVELS": "NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF",
		"MY_ALL":    "(MY_LEVELS|NGX_HTTP_LOC_CONF)",
		"MY_LOOP":   "MY_LOOP",
	}
	macro := func(name string) ([]Token, bool) {
		s, ok := macros[name]
		return Lex(s), ok
	}
	for _, tt := range []struct {
		expr    string
		want    Flags
		unknown []string
	}{
		{"NGX_MAIN_CONF|NGX_DIRECT_CONF|NGX_CONF_TAKE1", Flags{Contexts: nginx.Main, Args: nginx.Args1}, nil},
		{"NGX_EVENT_CONF|NGX_CONF_FLAG", Flags{Contexts: nginx.Events, Args: nginx.ArgsFlag}, nil},
		{"NGX_HTTP_LOC_CONF|NGX_HTTP_LIF_CONF|NGX_HTTP_LMT_CONF|NGX_CONF_TAKE123",
			Flags{Contexts: nginx.HTTPLocation | nginx.HTTPLocationIf | nginx.LimitExcept, Args: nginx.Args1 | nginx.Args2 | nginx.Args3}, nil},
		{"NGX_STREAM_MAIN_CONF|NGX_STREAM_SRV_CONF|NGX_CONF_BLOCK|NGX_CONF_NOARGS",
			Flags{Contexts: nginx.Stream | nginx.StreamServer, Args: nginx.Args0, Block: true}, nil},
		{"NGX_ANY_CONF|NGX_CONF_1MORE", Flags{Contexts: nginx.AnyContext, Args: nginx.Args1More}, nil},
		{"NGX_MAIL_SRV_CONF|NGX_CONF_2MORE|NGX_CONF_MULTI", Flags{Contexts: nginx.MailServer, Args: nginx.Args2More}, nil},
		{"NGX_RTMP_APP_CONF|NGX_CONF_TAKE1234", Flags{Contexts: nginx.RTMPApplication, Args: nginx.Args1 | nginx.Args2 | nginx.Args3 | nginx.Args4}, nil},
		{"MY_ALL|NGX_HTTP_UPS_CONF|NGX_CONF_ANY",
			Flags{Contexts: nginx.HTTP | nginx.HTTPServer | nginx.HTTPLocation | nginx.HTTPUpstream, Args: nginx.ArgsAny}, nil},
		{"NGX_HTTP_SIF_CONF|MY_UNKNOWN|0x100|MY_LOOP|NGX_CONF_TAKE2", Flags{Contexts: nginx.HTTPServerIf, Args: nginx.Args2}, []string{"0x100", "MY_LOOP", "MY_UNKNOWN"}},
	} {
		got, unknown := DecodeFlags(Lex(tt.expr), macro)
		if got != tt.want || !slices.Equal(unknown, tt.unknown) {
			t.Errorf("%s: %+v, unknown %q; want %+v, %q", tt.expr, got, unknown, tt.want, tt.unknown)
		}
	}
}
