package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/manifest"
)

// checkProtocols reports the binds of app a, linked to backend b, that
// serve an address of the backend in another protocol than the
// manifest says the backend speaks: nginx, which speaks the manifest's
// protocol there (backend-protocol checks that), gets an answer it
// cannot read. A bind whose format does not say its protocol (a
// systemd socket, a compose port) is not compared; nor is a backend of
// protocol tcp, which nginx's stream module passes through as bytes.
func checkProtocols(p *lint.Pass, b *manifest.Backend, a *apps.App, binds []apps.Bind) {
	if b.Protocol == "" || b.Protocol == manifest.ProtocolTCP {
		return
	}
	for _, bd := range binds {
		if bd.Protocol == "" || bd.Protocol == b.Protocol || !coversAny(bd.Addr, b.Listen) {
			continue
		}
		span := bd.Span
		if span.IsZero() {
			span = apps.Span{File: a.File}
		}
		says := fmt.Sprintf("the manifest says backend %s speaks %s", b.Name, b.Protocol)
		pos := b.ProtocolPos
		if !b.ProtocolSet {
			says += " (its default: the backend sets no protocol)"
			pos = b.Pos
		}
		how := ""
		if opt := optionOf(bd); opt != "" {
			how = " (" + opt + ")"
		}
		d := lint.Diagnostic{File: span.File, Start: span.Start, End: span.End,
			Message: fmt.Sprintf("%s speaks %s on %s%s, but %s: nginx speaks %s to it, which it cannot read: requests fail (%s); %s",
				appLabel(a), bd.Protocol, bd.Addr, how, says, b.Protocol, protocolFailure(b.Protocol, bd.Protocol), protocolTodo(a, bd, b))}
		if r, ok := p.ManifestRelated(pos, says); ok {
			d.Related = append(d.Related, r)
		}
		p.Report(d)
	}
}

// optionOf returns the option an INI-like line sets the bind with
// ("socket", "http-socket", "listen"), "" when the line is not KEY =
// VALUE.
func optionOf(bd apps.Bind) string {
	f := bd.Span.File
	if f == nil || bd.Span.Start <= 0 || bd.Span.Start > len(f.Src) {
		return ""
	}
	start := strings.LastIndexByte(f.Src[:bd.Span.Start], '\n') + 1
	before := strings.TrimRight(f.Src[start:bd.Span.Start], " \t\"'")
	key, ok := strings.CutSuffix(before, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.ContainsAny(key, " \t\"'()[]") {
		return ""
	}
	return key + " ="
}

// protocolTodo says how to make the two sides agree.
func protocolTodo(a *apps.App, bd apps.Bind, b *manifest.Backend) string {
	manifestSide := fmt.Sprintf("or, if the app is right, write protocol = %q in the manifest and dial it with %s", string(bd.Protocol), passFor(bd.Protocol))
	if a.Kind == apps.PHPFPM {
		return fmt.Sprintf("PHP-FPM speaks FastCGI only: write protocol = %q in the manifest and dial it with fastcgi_pass", string(manifest.ProtocolFastCGI))
	}
	if a.Kind == apps.UWSGI {
		switch b.Protocol {
		case manifest.ProtocolHTTP:
			return "bind it with http-socket = instead, " + manifestSide
		case manifest.ProtocolUWSGI:
			return "bind it with socket = (or uwsgi-socket =) instead, " + manifestSide
		}
	}
	return "make the app speak " + string(b.Protocol) + " there, " + manifestSide
}

// passFor names the nginx directive that speaks protocol.
func passFor(proto manifest.Protocol) string {
	switch proto {
	case manifest.ProtocolFastCGI:
		return "fastcgi_pass"
	case manifest.ProtocolUWSGI:
		return "uwsgi_pass"
	case manifest.ProtocolSCGI:
		return "scgi_pass"
	case manifest.ProtocolGRPC, manifest.ProtocolGRPCS:
		return "grpc_pass"
	case manifest.ProtocolMemcached:
		return "memcached_pass"
	case manifest.ProtocolHTTPS:
		return "proxy_pass https://"
	}
	return "proxy_pass"
}
