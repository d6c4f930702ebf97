package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/model"
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
the app.

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
	for _, b := range p.Manifest.Backends {
		a := set.Backend(b)
		if a == nil {
			continue
		}
		var related []lint.Related
		if r, ok := p.ManifestRelated(b.AppPos, fmt.Sprintf("backend %s is linked to this app here", b.Name)); ok {
			related = []lint.Related{r}
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
	}
}
