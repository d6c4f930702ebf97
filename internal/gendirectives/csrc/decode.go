package csrc

import (
	"sort"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// The flags of an ngx_command_t: where the directive is allowed (the
// NGX_*_CONF bits), how many arguments it takes (NGX_CONF_TAKE1 ...) and
// whether it takes a block (NGX_CONF_BLOCK), decoded by name. The same
// bit means different contexts in different module types
// (NGX_HTTP_MAIN_CONF and NGX_EVENT_CONF are both 0x02000000), so the
// DecodeFlags reads the macro names, never their values.

var contextFlags = map[string]nginx.Context{
	"NGX_MAIN_CONF":        nginx.Main,
	"NGX_DIRECT_CONF":      nginx.Main,
	"NGX_ANY_CONF":         nginx.AnyContext,
	"NGX_EVENT_CONF":       nginx.Events,
	"NGX_HTTP_MAIN_CONF":   nginx.HTTP,
	"NGX_HTTP_SRV_CONF":    nginx.HTTPServer,
	"NGX_HTTP_LOC_CONF":    nginx.HTTPLocation,
	"NGX_HTTP_UPS_CONF":    nginx.HTTPUpstream,
	"NGX_HTTP_SIF_CONF":    nginx.HTTPServerIf,
	"NGX_HTTP_LIF_CONF":    nginx.HTTPLocationIf,
	"NGX_HTTP_LMT_CONF":    nginx.LimitExcept,
	"NGX_STREAM_MAIN_CONF": nginx.Stream,
	"NGX_STREAM_SRV_CONF":  nginx.StreamServer,
	"NGX_STREAM_UPS_CONF":  nginx.StreamUpstream,
	"NGX_MAIL_MAIN_CONF":   nginx.Mail,
	"NGX_MAIL_SRV_CONF":    nginx.MailServer,
	// nginx-rtmp-module's own contexts: rtmp{}, its server{},
	// application{} and recorder{} blocks.
	"NGX_RTMP_MAIN_CONF": nginx.RTMP,
	"NGX_RTMP_SRV_CONF":  nginx.RTMPServer,
	"NGX_RTMP_APP_CONF":  nginx.RTMPApplication,
	"NGX_RTMP_REC_CONF":  nginx.RTMPRecorder,
}

var argFlags = map[string]nginx.Args{
	"NGX_CONF_NOARGS":   nginx.Args0,
	"NGX_CONF_TAKE1":    nginx.Args1,
	"NGX_CONF_TAKE2":    nginx.Args2,
	"NGX_CONF_TAKE3":    nginx.Args3,
	"NGX_CONF_TAKE4":    nginx.Args4,
	"NGX_CONF_TAKE5":    nginx.Args5,
	"NGX_CONF_TAKE6":    nginx.Args6,
	"NGX_CONF_TAKE7":    nginx.Args7,
	"NGX_CONF_TAKE12":   nginx.Args1 | nginx.Args2,
	"NGX_CONF_TAKE13":   nginx.Args1 | nginx.Args3,
	"NGX_CONF_TAKE23":   nginx.Args2 | nginx.Args3,
	"NGX_CONF_TAKE123":  nginx.Args1 | nginx.Args2 | nginx.Args3,
	"NGX_CONF_TAKE1234": nginx.Args1 | nginx.Args2 | nginx.Args3 | nginx.Args4,
	"NGX_CONF_FLAG":     nginx.ArgsFlag,
	"NGX_CONF_1MORE":    nginx.Args1More,
	"NGX_CONF_2MORE":    nginx.Args2More,
	"NGX_CONF_ANY":      nginx.ArgsAny,
}

// noFlags are flag names that say nothing Flags records.
var noFlags = map[string]bool{
	"NGX_CONF_MULTI": true, // "the directive may repeat": 0 in nginx
}

// Flags are a decoded flags expression of an ngx_command_t.
type Flags struct {
	Contexts nginx.Context // where the directive is allowed
	Args     nginx.Args    // how many arguments it takes
	Block    bool          // it takes a block
}

// DecodeFlags decodes a flags expression: names joined by "|", in
// parentheses or not. A name that is no flag is looked up as a macro
// (macro returns its tokens, or false) and decoded in turn. It returns
// the names it could not decode, sorted.
func DecodeFlags(expr []Token, macro func(string) ([]Token, bool)) (Flags, []string) {
	var f Flags
	unknown := map[string]bool{}
	var walk func(toks []Token, depth int)
	walk = func(toks []Token, depth int) {
		for _, t := range toks {
			switch {
			case t.Kind == Punct && (t.Text == "|" || t.Text == "(" || t.Text == ")"):
			case t.Kind != Ident:
				unknown[t.Text] = true
			case t.Text == "NGX_CONF_BLOCK":
				f.Block = true
			case contextFlags[t.Text] != 0:
				f.Contexts |= contextFlags[t.Text]
			case argFlags[t.Text] != 0:
				f.Args |= argFlags[t.Text]
			case noFlags[t.Text]:
			default:
				body, ok := macro(t.Text)
				if !ok || depth > 8 {
					unknown[t.Text] = true
					continue
				}
				walk(body, depth+1)
			}
		}
	}
	walk(expr, 0)
	var names []string
	for n := range unknown {
		names = append(names, n)
	}
	sort.Strings(names)
	return f, names
}
