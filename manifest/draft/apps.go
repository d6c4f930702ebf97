package draft

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/compose"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// AppFile is an app configuration found for "manifest init --apps": the
// file as the manifest's app = key writes it (relative to the
// manifest's directory, with slashes), and the apps it holds.
type AppFile struct {
	Link string
	Apps []*apps.App
	// Project is the Docker Compose project of a compose file, whose
	// services the Apps are; nil for other kinds.
	Project *compose.Project
}

// WithApps writes a backend manifest from the apps' own configurations,
// which say where each backend really listens: one backend per app that
// binds an address (its binds as listen, linked by app = "FILE" or
// "FILE#NAME"), bound to the upstream block of the trees whose servers
// it serves, with the protocol its format or nginx's directive says.
// The trees' targets that no app serves are drafted as Manifest drafts
// them, marked as guessed, and listed in notes, one per target, at its
// place: the apps found do not explain them. Apps whose binds cannot be
// read are left out, and said so in guesses; an app whose address
// another app binds already is left out, and said so in notes, naming
// both places.
//
// A compose project one of whose services runs the tree's nginx (see
// compose.Project.NginxOf) is where nginx runs: [nginx] compose names
// that service, and the other services are drafted as nginx reaches
// them, by name on their container ports. In a project where none does,
// nginx runs on the host and reaches the services at the ports they
// publish.
func WithApps(trees []*syntax.Tree, version string, files []AppFile) (toml string, guesses, notes []string) {
	dr := newDrafter()
	root, prefix := "", ""
	if len(trees) > 0 {
		root, prefix = trees[0].Root, trees[0].Prefix
	}
	var composed []string
	for _, f := range files {
		nginx := dr.nginxServices(f, root, prefix)
		for _, n := range nginx {
			composed = append(composed, f.Link+"#"+n)
		}
		for _, a := range f.Apps {
			dr.app(f, a, nginx)
		}
	}
	switch {
	case len(composed) == 1:
		dr.nginxCompose = composed[0]
	case len(composed) > 1:
		dr.notes = append(dr.notes, fmt.Sprintf("several compose services look like nginx (%s): write the one nginx runs in as [nginx] compose = \"FILE#SERVICE\"", strings.Join(composed, ", ")))
	}
	appDrafts := len(dr.drafts)
	ng := newDrafter()
	ng.used = dr.used
	ng.targets(trees)
	dr.external, dr.skippedVars = ng.external, ng.skippedVars
	for _, d := range dr.drafts {
		for _, b := range d.binds {
			delete(dr.external, b.Host) // a compose service nginx reaches by name
		}
	}
	for _, nd := range ng.drafts {
		var unserved []string
		var unservedAt []syntax.Directive
		var by *draft // the app draft that serves every served address, nil if several
		several := false
		for i, l := range nd.listen {
			t, err := manifest.ParseListen(l)
			d := (*draft)(nil)
			if err == nil {
				d = dr.servedBy(t, appDrafts)
			}
			switch {
			case d == nil:
				unserved = append(unserved, l)
				unservedAt = append(unservedAt, nd.froms[i])
			case by == nil && !several:
				by = d
			case by != d:
				by, several = nil, true
			}
		}
		if len(unserved) == 0 {
			// Every address nginx dials here is an app's.
			if by != nil && nd.upstream != "" && by.upstream == "" {
				by.upstream = nd.upstream
			}
			if by != nil && by.protocol == "" {
				by.protocol = nd.protocol
			}
			continue
		}
		if len(unserved) < len(nd.listen) {
			// Partly an app's: the rest is drafted apart, and the
			// upstream block is bound to neither (backend-upstream will
			// say which of its servers are whose).
			nd.upstream = ""
		}
		nd.listen, nd.froms, nd.from = unserved, unservedAt, unservedAt[0]
		nd.notes = append(nd.notes, "listen (no app found serves it; from the address nginx dials)")
		dr.drafts = append(dr.drafts, nd)
		for i, at := range unservedAt {
			pos := at.File().Position(int(at.Start()))
			notes = append(notes, fmt.Sprintf("%s: nginx dials %s, which no app configuration found explains", pos, unserved[i]))
		}
	}
	for _, d := range dr.drafts[:appDrafts] {
		if d.protocol == "" {
			d.protocol = manifest.ProtocolHTTP
			d.notes = append(d.notes, "protocol (neither the app's configuration nor a directive of nginx says)")
		}
	}
	// Drafts of apps nginx does not dial stay: the app binds them, and
	// backend rules then say nothing of them.
	header := []string{
		"Backend manifest drafted by \"nginxlint manifest init --apps\" from the",
		"apps' own configurations: each backend listens where its app binds, and",
		"app = links it to that configuration. Entries marked \"guessed\" need a",
		"human: they come from nginx's targets that no app found explains.",
	}
	text := dr.render(version, header)
	return text, append(dr.guesses, ng.guesses...), append(dr.notes, notes...)
}

// nginxServices returns the service of f's compose project that runs
// the nginx tree at root (compose.Project.NginxOf), by name; a service
// that looks like nginx but does not run the tree (an nginx of its own
// behind the tree's, as Lemmy's) is drafted as a backend, and said so.
func (dr *drafter) nginxServices(f AppFile, root, prefix string) []string {
	if f.Project == nil {
		return nil
	}
	s := f.Project.NginxOf(root, prefix)
	for _, o := range f.Project.Services {
		if o != s && o.LooksLikeNginx() {
			dr.notes = append(dr.notes, fmt.Sprintf("%s#%s looks like nginx but does not mount this tree nor is built from it: drafted as a backend the tree's nginx reaches; if the tree's nginx runs there, set [nginx] compose = \"%s#%s\"", f.Link, o.Name, f.Link, o.Name))
		}
	}
	if s == nil {
		return nil
	}
	return []string{s.Name}
}

// publishedBinds returns the host addresses compose service a publishes
// (a port without a host IP on 0.0.0.0, every interface), each with its
// place, and why a port is left out ("" when none is): nginx on the
// host reaches the service there only.
func publishedBinds(f AppFile, a *apps.App) (binds []apps.Bind, why string) {
	s := f.Project.Service(a.Name)
	if s == nil {
		return nil, "its service is not in the project"
	}
	for _, pt := range s.Ports {
		if pt.Proto != "tcp" || pt.Published == "" {
			continue
		}
		port, err := strconv.Atoi(pt.Published)
		if err != nil {
			why = fmt.Sprintf("it publishes a range of ports (%s), one of which nginx dials", pt.Published)
			continue
		}
		addr, _, err := apps.TCP(strings.Trim(pt.HostIP, "[]"), port)
		if err != nil {
			continue
		}
		b := apps.NewBind(pt.Written, pt.Span)
		b.Addr = addr
		binds = append(binds, b)
	}
	if len(binds) == 0 && why == "" {
		why = "it publishes no TCP port on the host, where the tree's nginx runs (no service of its project mounts the tree or is built from it)"
	}
	return binds, why
}

// where writes the place of a bind for notes: FILE:LINE:COL, or the
// app's link.
func where(b apps.Bind, link string) string {
	if f := b.Span.File; f != nil && f.Src != "" {
		return f.Position(b.Span.Start).String()
	}
	return link
}

// app drafts the backend of app a of file f, in whose compose project
// (if any) the services nginx run in.
func (dr *drafter) app(f AppFile, a *apps.App, nginx []string) {
	d := &draft{app: f.Link}
	if a.Name != "" {
		d.app += "#" + a.Name
	}
	binds := a.Binds
	if a.Kind == apps.Compose {
		switch {
		case slices.Contains(nginx, a.Name):
			dr.guesses = append(dr.guesses, fmt.Sprintf("%s: left out: nginx itself runs there ([nginx] compose)", d.app))
			return
		case len(nginx) == 0 && f.Project != nil:
			var why string
			binds, why = publishedBinds(f, a)
			switch {
			case why != "" && len(binds) == 0:
				dr.guesses = append(dr.guesses, fmt.Sprintf("%s: left out: %s", d.app, why))
			case why != "":
				dr.guesses = append(dr.guesses, fmt.Sprintf("%s: not drafted: %s", d.app, why))
			}
		}
	}
	for _, b := range binds {
		if b.Unreadable != "" {
			dr.guesses = append(dr.guesses, fmt.Sprintf("%s: left out: a bind cannot be read (%s)", d.app, b.Unreadable))
			return
		}
		if d.protocol == "" {
			d.protocol = b.Protocol
		}
		if a.Kind == apps.Compose && len(nginx) > 0 && !b.Addr.Unix {
			// Other services reach it by its name, on its container's port.
			if byName, err := manifest.ParseListen(fmt.Sprintf("%s:%d", a.Name, b.Addr.Port)); err == nil {
				b.Addr = byName
			}
		}
		key := b.Addr.String()
		if other := dr.byAddr[key]; other != nil {
			if other != d {
				dr.notes = append(dr.notes, fmt.Sprintf("%s: %s binds %s, which %s binds already: left out of the draft; one of the two is stale, or they are one app", where(b, d.app), d.app, key, dr.bindAt[key]))
			}
			continue
		}
		dr.byAddr[key] = d
		dr.bindAt[key] = where(b, d.app)
		d.listen = append(d.listen, key)
		d.binds = append(d.binds, b.Addr)
	}
	if len(d.listen) == 0 {
		return
	}
	if a.Kind == apps.PHPFPM {
		d.protocol = manifest.ProtocolFastCGI
	}
	d.name = dr.unique(appName(f.Link, a))
	dr.drafts = append(dr.drafts, d)
}

// servedBy returns the app draft, among the first n, one of whose binds
// accepts connections to t.
func (dr *drafter) servedBy(t manifest.Addr, n int) *draft {
	for _, d := range dr.drafts[:n] {
		for _, b := range d.binds {
			if b.Accepts(t) {
				return d
			}
		}
	}
	return nil
}

// genericNames are file stems and directories that say nothing of the
// app: the backend is named after the nearest other one.
var genericNames = map[string]bool{
	"gunicorn": true, "uwsgi": true, "puma": true, "env": true, "procfile": true,
	"dockerfile": true, "containerfile": true, "app": true, "config": true, "conf": true,
	"settings": true, "deploy": true, "etc": true, "ops": true, "docker": true, "www": true,
	"server": true, "wsgi": true, "": true, ".": true,
}

// appName names the backend of app a in file link.
func appName(link string, a *apps.App) string {
	if a.Name != "" {
		return strings.TrimSuffix(strings.TrimSuffix(a.Name, ".socket"), ".service")
	}
	dir, base := path.Split(link)
	stem := strings.ToLower(strings.TrimPrefix(base, "."))
	if i := strings.IndexByte(stem, '.'); i >= 0 {
		stem = stem[:i]
	}
	if !genericNames[stem] {
		return stem
	}
	parts := strings.Split(strings.Trim(dir, "/"), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if p := strings.ToLower(parts[i]); !genericNames[p] && p != ".." {
			return p
		}
	}
	if stem != "" {
		return stem
	}
	return "app"
}
