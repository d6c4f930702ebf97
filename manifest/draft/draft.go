// Package draft writes a first backend manifest for a tree from the
// targets its configuration dials today ("nginxlint manifest init").
package draft

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/internal/textutil"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// Manifest writes a backend manifest for the trees of a configuration
// (the main file's and its fragments') from the targets they have now: one backend per upstream block (listening on its servers'
// addresses and bound to it), and one per other local address; remote
// hosts go to "external". Names, protocols and everything else that is
// not read directly off the configuration are guessed, and each guess is
// marked in a comment and returned, so a person can review them.
func Manifest(trees []*syntax.Tree, version string) (toml string, guesses []string) {
	d := newDrafter()
	d.targets(trees)
	return d.render(version, nil), d.guesses
}

// draft is one backend of the draft.
type draft struct {
	name     string
	listen   []string
	protocol manifest.Protocol
	upstream string
	notes    []string
	from     syntax.Directive
	// froms are the directives that dial each of listen.
	froms []syntax.Directive
	// app is the app = link of a backend drafted from an app's
	// configuration, binds what it binds.
	app   string
	binds []manifest.Addr
}

// drafter collects the backends of a draft.
type drafter struct {
	drafts      []*draft
	byAddr      map[string]*draft
	byUpstream  map[blockAt]*draft
	external    map[string]bool
	used        map[string]bool
	skippedVars int
	guesses     []string
	// bindAt says, per address an app draft listens on, where the app
	// binds it (FILE:LINE:COL, or its link when unknown).
	bindAt map[string]string
	// notes are what the apps found leave unsaid or contradict: an
	// address two apps bind.
	notes []string
	// nginxCompose is [nginx] compose, "FILE#SERVICE", when the apps
	// found show nginx running in a compose service.
	nginxCompose string
}

// blockAt is where an upstream block is known: the trees of one
// configuration may each hold the file that defines it.
type blockAt struct {
	file  string
	start int32
}

func at(d syntax.Directive) blockAt { return blockAt{d.File().Virtual, d.Start()} }

func newDrafter() *drafter {
	return &drafter{byAddr: map[string]*draft{}, byUpstream: map[blockAt]*draft{}, external: map[string]bool{}, used: map[string]bool{}, bindAt: map[string]string{}}
}

// unique returns a backend name made of base that no other backend has.
func (dr *drafter) unique(base string) string {
	base = sanitizeName(base)
	name := base
	for i := 2; dr.used[name]; i++ {
		name = base + "-" + strconv.Itoa(i)
	}
	dr.used[name] = true
	return name
}

// targets drafts a backend per upstream block and per other local
// address the trees dial.
func (dr *drafter) targets(trees []*syntax.Tree) {
	for _, t := range trees {
		ix := model.NewIndex(t)
		for tg := range ix.Targets() {
			if tg.Err() != nil || !tg.Upstream().IsZero() {
				continue
			}
			if tg.Parsed().HasVars {
				dr.skippedVars++
				continue
			}
			a := tg.Parsed().Addr
			if !a.Unix && a.Port == 0 {
				continue
			}
			if !manifest.IsLocal(a) {
				dr.external[a.Host] = true
				continue
			}
			key := a.String()
			if d := dr.byAddr[key]; d != nil {
				if !tg.In().IsZero() && dr.byUpstream[at(tg.In())] == nil && d.upstream == "" {
					dr.byUpstream[at(tg.In())] = d
				}
				continue
			}
			if !tg.In().IsZero() {
				if d := dr.byUpstream[at(tg.In())]; d != nil {
					d.listen = append(d.listen, key)
					d.froms = append(d.froms, tg.Directive)
					dr.byAddr[key] = d
					continue
				}
			}
			d := &draft{listen: []string{key}, from: tg.Directive, froms: []syntax.Directive{tg.Directive}}
			dr.byAddr[key] = d
			switch {
			case !tg.In().IsZero():
				up := tg.In().Arg(0)
				d.name, d.upstream = dr.unique(up), up
				dr.byUpstream[at(tg.In())] = d
				d.protocol = upstreamProtocol(ix, tg.In())
				if d.protocol == "" {
					d.protocol = manifest.ProtocolHTTP
					d.notes = append(d.notes, "protocol (no directive uses this upstream)")
				}
			default:
				d.name = dr.unique(guessName(tg))
				d.notes = append(d.notes, "name (from the server or location that dials it)")
				d.protocol = tg.Parsed().Protocol
				if d.protocol == "" {
					d.protocol = manifest.ProtocolTCP
				}
			}
			if tg.Module() == "stream" {
				d.protocol = manifest.ProtocolTCP
			}
			dr.drafts = append(dr.drafts, d)
		}
	}
}

// render writes the draft; header, when given, replaces the first
// comment's lines.
func (dr *drafter) render(version string, header []string) string {
	var b strings.Builder
	if header == nil {
		header = []string{
			"Backend manifest drafted by \"nginxlint manifest init\" from the targets",
			"the configuration has today. Check every entry against where the",
			"backends really listen: entries marked \"guessed\" need a human.",
		}
	}
	for _, h := range header {
		fmt.Fprintf(&b, "# %s\n", h)
	}
	if len(dr.external) > 0 {
		hosts := make([]string, 0, len(dr.external))
		for h := range dr.external {
			hosts = append(hosts, h)
		}
		sort.Strings(hosts)
		fmt.Fprintf(&b, "\n# Remote hosts nginx proxies to (guessed: they are not checked).\nexternal = %s\n", manifest.ArrayTOML(hosts))
		dr.guesses = append(dr.guesses, fmt.Sprintf("external: %d remote hosts taken as external", len(hosts)))
	}
	// Top-level keys come before the first table.
	if version != "" || dr.nginxCompose != "" {
		b.WriteString("\n[nginx]\n")
		if version != "" {
			fmt.Fprintf(&b, "version = %s\n", manifest.QuoteTOML(version))
		}
		if dr.nginxCompose != "" {
			fmt.Fprintf(&b, "# nginx runs in this compose service (it mounts this tree, or is built from it)\ncompose = %s\n", manifest.QuoteTOML(dr.nginxCompose))
		}
	}
	for _, d := range dr.drafts {
		from := ""
		if !d.from.IsZero() {
			from = d.from.File().Position(int(d.from.Start())).String()
			fmt.Fprintf(&b, "\n# from %s\n", comment(from))
		} else {
			fmt.Fprintf(&b, "\n# from %s\n", comment(d.app))
			from = d.app
		}
		for _, n := range d.notes {
			fmt.Fprintf(&b, "# guessed: %s\n", comment(n))
			dr.guesses = append(dr.guesses, fmt.Sprintf("backends.%s: guessed %s, at %s", d.name, n, from))
		}
		fmt.Fprintf(&b, "[backends.%s]\n", d.name)
		fmt.Fprintf(&b, "listen = %s\n", manifest.ListenTOML(d.listen))
		fmt.Fprintf(&b, "protocol = %s\n", manifest.QuoteTOML(string(d.protocol)))
		if d.upstream != "" {
			fmt.Fprintf(&b, "upstream = %s\n", manifest.QuoteTOML(d.upstream))
		}
		if d.app != "" {
			fmt.Fprintf(&b, "app = %s\n", manifest.QuoteTOML(d.app))
		}
	}
	if dr.skippedVars > 0 {
		dr.guesses = append(dr.guesses, fmt.Sprintf("%d targets built from variables were left out", dr.skippedVars))
	}
	return b.String()
}

// comment is s made fit for a comment line of the draft: a file's name or
// a value of the tree, with newlines and what a terminal or a CI log would
// obey replaced by U+FFFD, so that it can neither end the comment (and
// write TOML of its own into the draft) nor act where the draft is shown.
func comment(s string) string { return textutil.LogSafe(s, false) }

// upstreamProtocol is the protocol of the directives that use an upstream.
func upstreamProtocol(ix *model.Index, up syntax.Directive) manifest.Protocol {
	for _, u := range ix.UpstreamUsers(up) {
		if u.Parsed().Protocol != "" {
			return u.Parsed().Protocol
		}
	}
	if ix.Module(up) == "stream" {
		return manifest.ProtocolTCP
	}
	return ""
}

// guessName names a backend after the server_name of the server the
// target is in, or its location, or its port.
func guessName(t *model.Target) string {
	for p := t.Directive.BlockParent(); !p.IsZero(); p = p.BlockParent() {
		if p.Name() != "server" {
			continue
		}
		for _, c := range p.Children() {
			if c.Name() == "server_name" && c.NArgs() > 0 && c.Arg(0) != "_" && c.Arg(0) != "" {
				return strings.Split(c.Arg(0), ".")[0]
			}
		}
	}
	if l := t.Directive.BlockParent(); !l.IsZero() && l.Name() == "location" && l.NArgs() > 0 {
		if n := sanitizeName(l.Arg(l.NArgs() - 1)); n != "" {
			return n
		}
	}
	a := t.Parsed().Addr
	if a.Unix {
		base := a.Path[strings.LastIndexByte(a.Path, '/')+1:]
		return strings.TrimSuffix(base, ".sock")
	}
	return "backend-" + strconv.Itoa(a.Port)
}

var nameChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// sanitizeName makes a TOML bare key of s.
func sanitizeName(s string) string {
	s = strings.Trim(nameChars.ReplaceAllString(s, "-"), "-")
	if s == "" {
		return "backend"
	}
	return s
}
