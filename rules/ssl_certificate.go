package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// SSLCertificate reports servers that listen with ssl but have no
// certificate, and certificates without a key.
var SSLCertificate = &lint.Rule{
	ID:    "ssl-certificate",
	Title: `a server listens with ssl but has no ssl_certificate, or a certificate has no key`,
	Doc: `A server with "listen ... ssl" needs a certificate: nginx refuses to
start with "no "ssl_certificate" is defined for the "listen ... ssl"
directive" unless one is set in the server or inherited from http (or
stream), or the server rejects handshakes (ssl_reject_handshake on).
A server whose certificates may come from an included file the tree does
not hold is not checked.
Every ssl_certificate needs its ssl_certificate_key, in the same order:
with fewer keys than certificates nginx fails with "no
"ssl_certificate_key" is defined for certificate". Both directives are
inherited as wholes: a server that sets one certificate of its own does
not inherit the http level's.

The certificate files themselves are not read: they live on the host,
outside the tree.`,
	Bad: `server {
    listen 443 ssl;
    server_name example.com;
}
`,
	Good: `server {
    listen 443 ssl;
    server_name example.com;
    ssl_certificate /etc/ssl/example.com.pem;
    ssl_certificate_key /etc/ssl/example.com.key;
}
`,
	Severity: lint.Error,
	Run:      runSSLCertificate,
}

func runSSLCertificate(p *lint.Pass) {
	ix := model.Of(p)
	// The servers that listen with ssl, and the levels that set
	// certificates or keys (a server, or http or stream whose servers
	// inherit them), each looked at once.
	servers := p.Tree.NewSet()
	for l := range ix.ByName("listen") {
		srv := l.BlockParent()
		if srv.IsZero() || srv.Name() != "server" || !hasParam(l, "ssl") || !servers.Add(srv) {
			continue
		}
		if m := ix.Module(srv); m != "http" && m != "stream" || ix.Incomplete(srv) {
			continue // an include the tree does not hold may set them
		}
		if !ix.Effective(srv, "ssl_certificate").IsSet() && sslOn(ix, srv).IsZero() && !rejectsHandshake(ix, srv) {
			d := nameSpan(srv, `no "ssl_certificate" is defined for the "listen ... ssl" directive of this server: nginx does not start; set ssl_certificate and ssl_certificate_key here or in the enclosing block`)
			d.Related = []lint.Related{lint.RelatedTo(l, "the server listens with ssl here")}
			p.Report(d)
		}
	}
	// The old "ssl on" (gone in nginx 1.25.1) is checked, and reported,
	// at its own line.
	for on := range ix.ByName("ssl") {
		srv := on.BlockParent()
		if on.NArgs() != 1 || !strings.EqualFold(on.Arg(0), "on") || srv.IsZero() || srv.Name() != "server" || ix.Incomplete(srv) {
			continue
		}
		certs, keys := ix.Effective(srv, "ssl_certificate"), ix.Effective(srv, "ssl_certificate_key")
		switch {
		case !certs.IsSet():
			p.Report(nameSpan(on, `no "ssl_certificate" is defined for the "ssl" directive: nginx does not start; set ssl_certificate and ssl_certificate_key`))
		case len(keys.Directives) < len(certs.Directives):
			d := nameSpan(on, `no "ssl_certificate_key" is defined for the "ssl" directive: nginx does not start; write an ssl_certificate_key for every ssl_certificate`)
			d.Related = []lint.Related{lint.RelatedTo(certs.Directives[len(keys.Directives)], "this certificate has no key")}
			p.Report(d)
		}
	}
	levels := p.Tree.NewSet()
	for _, name := range []string{"ssl_certificate", "ssl_certificate_key"} {
		for d := range ix.ByName(name) {
			level := d.BlockParent()
			if level.IsZero() || !levels.Add(level) || ix.Incomplete(level) || !sslOn(ix, level).IsZero() {
				continue
			}
			if m := ix.Module(level); m != "http" && m != "stream" {
				continue
			}
			certs, keys := ix.Effective(level, "ssl_certificate"), ix.Effective(level, "ssl_certificate_key")
			if n := len(keys.Directives); certs.IsSet() && n < len(certs.Directives) {
				c := certs.Directives[n]
				diag := nameSpan(c, fmt.Sprintf(`no "ssl_certificate_key" is defined for certificate %q: nginx does not start; write its ssl_certificate_key after it`, c.Arg(0)))
				diag.End = int(c.End())
				if level != c.BlockParent() {
					diag.Related = []lint.Related{lint.RelatedTo(level, "the keys here do not cover it")}
				}
				p.Report(diag)
			}
		}
	}
}

// hasParam reports whether a directive has the parameter word after its
// first argument.
func hasParam(d syntax.Directive, word string) bool {
	for i, a := range d.EachArg() {
		if i > 0 && a.Value == word {
			return true
		}
	}
	return false
}

// sslOn returns the server's effective "ssl on", or zero.
func sslOn(ix *model.Index, srv syntax.Directive) syntax.Directive {
	d := ix.Effective(srv, "ssl").Last()
	if !d.IsZero() && d.NArgs() == 1 && strings.EqualFold(d.Arg(0), "on") {
		return d
	}
	return syntax.Directive{}
}

// rejectsHandshake reports whether ssl_reject_handshake is on for the
// server: it then needs no certificate.
func rejectsHandshake(ix *model.Index, srv syntax.Directive) bool {
	d := ix.Effective(srv, "ssl_reject_handshake").Last()
	return !d.IsZero() && d.NArgs() == 1 && strings.EqualFold(d.Arg(0), "on")
}
