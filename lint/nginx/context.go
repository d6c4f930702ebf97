package nginx

import "strings"

// Context is a set of places where nginx allows a directive: nginx's
// NGX_*_CONF flags, one bit each.
type Context uint32

// The contexts, in nginx's order. The if contexts are the if blocks of a
// server and of a location; LimitExcept is the limit_except block.
const (
	Main           Context = 1 << iota // NGX_MAIN_CONF: the top level
	Events                             // NGX_EVENT_CONF: events{}
	HTTP                               // NGX_HTTP_MAIN_CONF: http{}
	HTTPServer                         // NGX_HTTP_SRV_CONF: server{} in http
	HTTPLocation                       // NGX_HTTP_LOC_CONF: location{}
	HTTPUpstream                       // NGX_HTTP_UPS_CONF: upstream{} in http
	HTTPServerIf                       // NGX_HTTP_SIF_CONF: if{} in a server
	HTTPLocationIf                     // NGX_HTTP_LIF_CONF: if{} in a location
	LimitExcept                        // NGX_HTTP_LMT_CONF: limit_except{}
	Stream                             // NGX_STREAM_MAIN_CONF: stream{}
	StreamServer                       // NGX_STREAM_SRV_CONF: server{} in stream
	StreamUpstream                     // NGX_STREAM_UPS_CONF: upstream{} in stream
	Mail                               // NGX_MAIL_MAIN_CONF: mail{}
	MailServer                         // NGX_MAIL_SRV_CONF: server{} in mail
	// The contexts of nginx-rtmp-module (a third-party module with
	// blocks of its own): rtmp{}, server{} in rtmp, application{} and
	// recorder{}.
	RTMP            // NGX_RTMP_MAIN_CONF
	RTMPServer      // NGX_RTMP_SRV_CONF
	RTMPApplication // NGX_RTMP_APP_CONF
	RTMPRecorder    // NGX_RTMP_REC_CONF

	// AnyContext is every context (NGX_ANY_CONF): include.
	AnyContext = 1<<iota - 1
)

var contextNames = []string{
	"main", "events", "http", "server", "location", "upstream", "if-in-server",
	"if-in-location", "limit_except", "stream", "stream-server",
	"stream-upstream", "mail", "mail-server", "rtmp", "rtmp-server",
	"rtmp-application", "rtmp-recorder",
}

// String names the contexts of c, joined by "|": "http|server|location".
func (c Context) String() string {
	if c == AnyContext {
		return "any"
	}
	var names []string
	for i, name := range contextNames {
		if c&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "|")
}

// Has reports whether c holds every context of d.
func (c Context) Has(d Context) bool { return c&d == d }

// ParseContext reads a context by the name String gives it ("http",
// "server", "if-in-location" ...).
func ParseContext(name string) (Context, bool) {
	for i, n := range contextNames {
		if n == name {
			return 1 << i, true
		}
	}
	return 0, false
}

// ContextNames lists the names ParseContext reads.
func ContextNames() []string { return append([]string(nil), contextNames...) }
