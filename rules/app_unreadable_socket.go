package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/manifest"
)

// reportUnknownOwners reports the unix sockets of app a, linked to
// backend b, that socket-permission cannot decide about because the
// app's configuration does not say who owns them (or their group): the
// user the app runs as, which only the host knows. A mode that decides
// alone (others may write) is not reported, nor a group that decides
// (nginx's user is in it, the manifest says, and the group may write).
func reportUnknownOwners(p *lint.Pass, b *manifest.Backend, a *apps.App, u *workerUser, related []lint.Related) {
	if a.Kind == apps.Compose || u.name == "root" {
		return
	}
	for _, bd := range a.Binds {
		if bd.Unreadable != "" || !bd.Addr.Unix {
			continue
		}
		s := socketOf(a, bd)
		if s.unknown || access(u, &s) != accessUnknown {
			continue
		}
		if s.group != "" && s.mode&0o020 != 0 {
			if in, known := u.member(s.group); known && in {
				continue // its group lets nginx in, whoever the owner
			}
		}
		var what, who string
		switch {
		case s.owner == "" && s.group == "":
			what = "the user and group it runs as"
			who = "which user and group own"
		case s.owner == "":
			what = "the user it runs as"
			who = "which user owns"
		default:
			what = "the primary group of " + s.owner
			who = "which group owns"
		}
		decides := fmt.Sprintf("with mode %04o, whether nginx's workers (%s) can connect depends on them", s.mode, u.name)
		switch {
		case s.mode&0o066 == 0:
			decides = fmt.Sprintf("with mode %04o only its owner can connect: nginx's workers (%s) can only if they run as the app's user", s.mode, u.name)
		case s.mode&0o060 != 0 && !u.groupsStated:
			decides += ", and on the groups of nginx's user, which the manifest does not state ([nginx] groups)"
		}
		span := firstSpan(bd.ModeSpan, bd.Span)
		if span.IsZero() {
			span = apps.Span{File: a.File}
		}
		p.Report(lint.Diagnostic{File: span.File, Start: span.Start, End: span.End, Related: append(append([]lint.Related(nil), related...), u.related...),
			Message: fmt.Sprintf("%s's configuration does not say %s the socket %s: %s creates it as %s, which nginxlint cannot see, so socket-permission does not check backend %s; %s; %s",
				appLabel(a), who, bd.Addr.Path, appLabel(a), what, b.Name, decides, ownerHint(a, u))})
	}
}

// ownerHint says what to write in the app's configuration so that the
// socket's owner and group are known.
func ownerHint(a *apps.App, u *workerUser) string {
	group := u.groupText()
	switch a.Kind {
	case apps.PHPFPM:
		return fmt.Sprintf("write listen.owner = %s (or the pool's user and group) in the pool", u.name)
	case apps.UWSGI:
		return fmt.Sprintf("write chown-socket = %s:%s", u.name, group)
	case apps.Gunicorn:
		return fmt.Sprintf("write user = and group = (group = %s lets nginx in with umask = 0o007)", group)
	case apps.Command:
		return "give the command the user and group it runs as (gunicorn --user and --group)"
	}
	return "run the app as a stated user and group, with a socket mode that lets " + u.name + " in"
}
