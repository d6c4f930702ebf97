package rules

import (
	"fmt"
	"slices"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/manifest"
)

// BackendReadTimeout reports read timeouts shorter than a backend's
// slowest legitimate response.
var BackendReadTimeout = &lint.Rule{
	ID:    "backend-read-timeout",
	Title: "the read timeout is shorter than the backend's slowest response",
	Doc: `proxy_read_timeout (and fastcgi_read_timeout, uwsgi_read_timeout,
scgi_read_timeout, grpc_read_timeout, memcached_read_timeout) is how long
nginx waits between two reads from the backend, 60s by default. A backend
that legitimately takes longer before it sends anything (a report, an
export, a slow query) gets cut off: the user sees 504 Gateway Time-out
while the backend is still working.

With "max_response_time" on a backend in the manifest, this rule reports
every place that sends requests to it with an effective read timeout
(after inheritance from server and http) shorter than that. A value with
variables counts when its host names an upstream block whatever the
variables hold ("proxy_pass http://reports$request_uri;").`,
	Bad: `location /reports/ {
    proxy_read_timeout 30s;
    proxy_pass http://127.0.0.1:8004;
}
`,
	Good: `location /reports/ {
    proxy_read_timeout 150s;
    proxy_pass http://127.0.0.1:8004;
}
`,
	Manifest: `[backends.reports]
listen = "127.0.0.1:8004"
max_response_time = "120s"
`,
	Severity:      lint.Warning,
	Fixable:       true,
	NeedsManifest: true,
	Run:           runBackendReadTimeout,
}

func runBackendReadTimeout(p *lint.Pass) {
	// Many locations share an upstream: resolve its servers once.
	ix := model.Of(p)
	viaUpstream := make([][]*manifest.Backend, ix.NumUpstreams())
	resolved := make([]bool, ix.NumUpstreams())
	// Targets written the same way share their parsed address, and
	// resolve to the same backend: direct holds it by parsed address.
	direct := map[*manifest.Target]*manifest.Backend{}
	// Effective of each read timeout directive, by the dial it is of.
	timeouts := map[*nginx.Dial]*model.Settings{}
	for t := range ix.Targets() {
		if t.IsServer() || t.Module() != "http" || t.Err() != nil || t.Parsed().HasVars && t.Upstream().IsZero() {
			continue
		}
		var backends []*manifest.Backend
		switch {
		case t.UpstreamIndex() >= 0:
			n := t.UpstreamIndex()
			if !resolved[n] {
				viaUpstream[n], resolved[n] = serverBackends(p, ix.UpstreamServersAt(n)), true
			}
			backends = viaUpstream[n]
		case checkable(t):
			b, ok := direct[t.Parsed()]
			if !ok {
				b = p.Manifest.Resolve(t.Parsed().Addr).Backend
				direct[t.Parsed()] = b
			}
			if b != nil {
				backends = append(backends, b)
			}
		}
		if !slices.ContainsFunc(backends, func(b *manifest.Backend) bool { return b.MaxResponseTime > 0 }) {
			continue // no limit to compare the timeout with
		}
		dial := nginx.DialOf(t.Directive.Name(), false)
		name := dial.ReadTimeout
		block := t.Directive.BlockParent()
		setting, ok := timeouts[dial]
		if !ok {
			setting = ix.Settings(name)
			timeouts[dial] = setting
		}
		set := setting.At(block).Last()
		timeout := dial.DefaultReadTimeout
		if !set.IsZero() {
			v, ok := nginx.ParseTime(set.Arg(0))
			if !ok {
				continue
			}
			timeout = v
		}
		for _, b := range backends {
			if b.MaxResponseTime == 0 || timeout >= b.MaxResponseTime {
				continue
			}
			how := fmt.Sprintf("the default; nothing sets %s here", name)
			var related []lint.Related
			if !set.IsZero() {
				how = name + " " + set.Arg(0)
				related = append(related, lint.RelatedTo(set, fmt.Sprintf("%s %s is set here", name, set.Arg(0))))
			}
			if r, ok := p.ManifestRelated(b.MaxResponseTimePos, fmt.Sprintf("backend %s may take up to %s to respond", b.Name, nginx.FormatTime(b.MaxResponseTime))); ok {
				related = append(related, r)
			}
			d := lint.Diagnostic{File: t.Directive.File(), Start: int(t.Arg().Start), End: int(t.Arg().End), Related: related,
				Message: fmt.Sprintf("%s waits at most %s for backend %s (%s), which may take up to %s to respond (its max_response_time): slower responses end in 504 Gateway Time-out. Set %s to at least %s",
					t.Directive.Name(), nginx.FormatTime(timeout), b.Name, how, nginx.FormatTime(b.MaxResponseTime), name, nginx.FormatTime(b.MaxResponseTime))}
			value := nginx.FormatTime(b.MaxResponseTime)
			fix := lint.Fix{Message: fmt.Sprintf("set %s %s", name, value)}
			switch {
			case !set.IsZero() && set.BlockParent() == block:
				a := set.ArgAt(0)
				fix.Edits = []lint.TextEdit{{File: set.File(), Start: int(a.Start), End: int(a.End), NewText: value}}
			case !block.IsZero() && block.IsBlock():
				fix.Edits = []lint.TextEdit{lint.InsertInBlock(block, []string{name + " " + value + ";"})}
			}
			if fix.Edits != nil {
				d.Fixes = []lint.Fix{fix}
			}
			p.Report(d)
		}
	}
}
