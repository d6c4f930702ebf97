package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/manifest"
)

// AppUnreadable reports the binds of linked apps that nginxlint cannot
// read, which app-drift and socket-permission therefore do not check.
var AppUnreadable = &lint.Rule{
	ID:    "app-unreadable",
	Title: "an app's bind is computed or cannot be read, so it is not checked against the manifest",
	Doc: `app-drift and socket-permission check an app's own configuration against
the manifest only where the configuration writes its address as a value:
bind = "127.0.0.1:8000", listen = /run/php/www.sock. A bind computed in
Python (bind = os.environ["BIND"], an f-string), taken from the
environment (--bind $HOST:$PORT in a Procfile), or interpolated is not
guessed: it is reported here, at the bind, with the reason, so that a
backend whose app nginxlint cannot read is never taken for one that
agrees. An app in which nginxlint finds no bind at all is reported at
the app, and so is a port a compose service publishes with a variable
the project's .env does not set, when nginx on the host dials that port.

socket-permission decides whether nginx's user may connect to an app's
unix socket from the socket's owner, group and mode. When the file does
not say who owns the socket (gunicorn without user and group, a PHP-FPM
pool without listen.owner and without user, uWSGI without chown-socket),
the owner is the user the app runs as, which only the host knows: unless
the mode decides alone (0666 lets everyone in; 0600 only the owner),
that is reported here, at the bind, with what to write to decide it.

Write the address as a literal where you can (and keep the environment
for what varies between hosts), or check the app by hand and suppress
the finding with a reason.`,
	Bad: `-- nginx.conf --
server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
-- app/gunicorn.conf.py --
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
`,
	Good: `-- nginx.conf --
server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
-- app/gunicorn.conf.py --
bind = "127.0.0.1:8000"
`,
	Manifest: `[backends.api]
listen = "127.0.0.1:8000"
app = "app/gunicorn.conf.py"
`,
	Severity:      lint.Info,
	NeedsManifest: true,
	Run:           runAppUnreadable,
}

func runAppUnreadable(p *lint.Pass) {
	set := model.Of(p).Apps()
	if set == nil {
		return
	}
	u := nginxUser(p)
	for _, b := range p.Manifest.Backends {
		a := set.Backend(b)
		if a == nil {
			continue
		}
		var related []lint.Related
		if r, ok := p.ManifestRelated(b.AppPos, fmt.Sprintf("backend %s is linked to this app here", b.Name)); ok {
			related = []lint.Related{r}
		}
		if a.Kind == apps.Compose {
			if l, ok := composeLinkOf(p, set, a); ok && l.hostReachable() {
				reportComputedPorts(p, b, l, related)
				continue // app-drift compares the published ports
			}
		}
		if len(a.Binds) == 0 {
			span := a.Span
			if span.IsZero() {
				span = apps.Span{File: a.File}
			}
			p.Report(lint.Diagnostic{File: span.File, Start: span.Start, End: span.End, Related: related,
				Message: fmt.Sprintf("nginxlint finds no address %s binds: backend %s (listen %s) is not checked against it", appLabel(a), b.Name, listenList(b))})
			continue
		}
		for _, bd := range a.Binds {
			if bd.Unreadable == "" {
				continue
			}
			p.Report(lint.Diagnostic{File: bd.Span.File, Start: bd.Span.Start, End: bd.Span.End, Related: related,
				Message: fmt.Sprintf("%s's bind cannot be read from its configuration (%s): backend %s (listen %s) is not checked against it", appLabel(a), bd.Unreadable, b.Name, listenList(b))})
		}
		reportUnknownOwners(p, b, a, &u, related)
	}
}

// reportComputedPorts reports the ports a compose service, which nginx
// reaches from the host, publishes with a variable compose takes from
// the environment it runs in: app-drift cannot compare them.
func reportComputedPorts(p *lint.Pass, b *manifest.Backend, l composeLink, related []lint.Related) {
	for _, pt := range l.service.Ports {
		if !portComputed(l.project, pt) {
			continue
		}
		p.Report(lint.Diagnostic{File: pt.Span.File, Start: pt.Span.Start, End: pt.Span.End, Related: related,
			Message: fmt.Sprintf("service %s publishes %q, whose variables the project's .env does not set: compose takes them from the environment it runs in, so nginxlint cannot tell whether nginx on the host reaches backend %s (listen %s) there; set them in the .env beside the compose file, or give a default (${VAR:-10633})", l.service.Name, apps.Excerpt(pt.Written), b.Name, listenList(b))})
		return
	}
}
