package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/model"
	"github.com/nginxlint/nginxlint/manifest"
)

// SocketPermission reports the unix sockets of linked apps that nginx's
// worker user cannot connect to.
var SocketPermission = &lint.Rule{
	ID:    "socket-permission",
	Title: "nginx's worker user cannot connect to the unix socket an app creates",
	Doc: `connect(2) on a unix socket needs write permission on the socket file
(and search permission on every directory above it). nginx connects as
its worker user, not as root: when the socket the app creates does not
let that user write, every request fails with 502 Bad Gateway
("connect() to unix:/run/php/www.sock failed (13: Permission denied)"),
while the app runs and its own health checks pass.

The rule reads the socket's owner, group and mode from the app's
configuration, which the manifest links (app = "FILE#NAME"), with each
format's defaults: PHP-FPM's listen.owner, listen.group and listen.mode
(default 0660, owned by the user and group of the master process, root
for a system service; listen.owner alone gives its group too); uWSGI's
chown-socket and chmod-socket (without it, the socket takes the umask,
022: mode 0755); gunicorn's user, group and umask (default 0: 0777);
systemd's SocketUser, SocketGroup and SocketMode (root, root, 0666);
puma's umask (the process's otherwise, 022 assumed).

nginx's worker user is the tree's user directive (user USER [GROUP];
without GROUP, the group of USER's name); else the manifest's [nginx]
user; else the user the nginx package runs as when nginx.conf does not
say: nginx's built-in nobody (group nogroup) for a tree that has its
nginx.conf, the user of the package's own nginx.conf (www-data on Debian
and Ubuntu, nginx for nginx.org's and Alpine's packages) for a tree of
sites and snippets only; the message says which default it took. Its
groups are the manifest's [nginx] groups (every group it is in, as "id
-Gn USER" prints them). When the verdict hangs on a group the manifest
does not state, socket-permission-group reports it instead, as a
warning: state the groups, and the finding is certain either way.

A socket below a directory the manifest lists in [nginx] private_dirs
(directories nginx's user cannot enter, such as a home directory of mode
0700) is reported too. root passes every check.

The finding is in the app's file, at the mode (or the owner, or the bind
when the file sets neither), with nginx's user directive or the
manifest's user key, and the nginx line that dials the socket, as related
places. Fix it on the app's side: give the socket nginx's user or a
group it is in (listen.owner = www-data), or widen the mode.`,
	Bad: `-- etc/nginx/nginx.conf --
user www-data;
events {}
http {
    server {
        listen 127.0.0.1:8080;
        location ~ \.php$ {
            fastcgi_pass unix:/run/php/www.sock;
        }
    }
}
-- php/pool.d/www.conf --
[www]
user = app
group = app
listen = /run/php/www.sock
listen.owner = app
listen.group = app
listen.mode = 0660
`,
	Good: `-- etc/nginx/nginx.conf --
user www-data;
events {}
http {
    server {
        listen 127.0.0.1:8080;
        location ~ \.php$ {
            fastcgi_pass unix:/run/php/www.sock;
        }
    }
}
-- php/pool.d/www.conf --
[www]
user = app
group = app
listen = /run/php/www.sock
listen.owner = www-data
listen.group = www-data
listen.mode = 0660
`,
	Manifest: `[nginx]
groups = ["www-data"]

[backends.php]
listen = "unix:/run/php/www.sock"
protocol = "fastcgi"
app = "php/pool.d/www.conf#www"
`,
	Severity:      lint.Error,
	NeedsManifest: true,
	Run:           func(p *lint.Pass) { runSocketPermission(p, false) },
}

// workerUser is the user nginx's worker processes run as, with what
// the run knows of its groups.
// groupText names the worker user's primary group in a hint, or says
// what it must be when the files do not state it.
func (u *workerUser) groupText() string {
	if u.group == "" {
		return "a group " + u.name + " is in"
	}
	return u.group
}

type workerUser struct {
	name, group string // the user and its primary group
	// groups are every group the user is in, when stated.
	groups       []string
	groupsStated bool
	// assumed says how a default user was chosen; "" when the tree or the
	// manifest names the user.
	assumed string
	// related is where the user (and its groups) are set.
	related []lint.Related
}

// member reports whether the user is in group g: yes, no, or unknown
// (ok false).
func (u *workerUser) member(g string) (in, ok bool) {
	switch {
	case g != "" && g == u.group:
		return true, true
	case u.groupsStated:
		return slices.Contains(u.groups, g), true
	}
	return false, false
}

// nginxUser finds nginx's worker user: the tree's user directive, the
// manifest's [nginx] user, or the package's default.
func nginxUser(p *lint.Pass) workerUser {
	m := p.Manifest
	var u workerUser
	for d := range model.Of(p).ByName("user") {
		if !d.BlockParent().IsZero() || d.NArgs() == 0 {
			continue
		}
		u.name, u.group = d.Arg(0), d.Arg(0)
		if d.NArgs() > 1 {
			u.group = d.Arg(1)
		}
		u.related = append(u.related, lint.RelatedTo(d, "nginx's workers run as "+u.name+" here"))
		break
	}
	switch {
	case u.name != "":
	case m.User != "":
		u.name = m.User // its primary group: among the stated groups, if any
		if r, ok := p.ManifestRelated(m.UserPos, "the manifest says nginx's workers run as "+m.User); ok {
			u.related = append(u.related, r)
		}
	default:
		u.name, u.group, u.assumed = defaultUser(p)
	}
	if m.GroupsSet && (m.User == "" || m.User == u.name) {
		u.groups, u.groupsStated = m.Groups, true
		if r, ok := p.ManifestRelated(m.GroupsPos, "the manifest says nginx's user is in these groups"); ok {
			u.related = append(u.related, r)
		}
	}
	return u
}

// defaultUser returns the user and group nginx's workers run as when
// neither the tree nor the manifest says, and how that was decided.
func defaultUser(p *lint.Pass) (user, group, how string) {
	pkg := p.Tree.Stock
	nginxUser := strings.Contains(pkg, "nginx.org") || strings.Contains(pkg, "Alpine")
	switch {
	case !p.Tree.Fragment && nginxUser:
		return "nginx", "nginx", "the user " + pkg + " build nginx with, since neither nginx.conf (user) nor the manifest ([nginx] user) names one"
	case !p.Tree.Fragment:
		return "nobody", "nogroup", "nginx's built-in default, since neither nginx.conf (user) nor the manifest ([nginx] user) names one"
	case nginxUser:
		return "nginx", "nginx", "the user of the nginx.conf " + pkg + " install, since the tree has no nginx.conf and the manifest no [nginx] user"
	}
	return "www-data", "www-data", "the user of the nginx.conf Debian's and Ubuntu's nginx packages install, since the tree has no nginx.conf and the manifest no [nginx] user"
}

// socketFacts are the owner, group and mode of an app's socket, as its
// configuration and its format's defaults make them.
type socketFacts struct {
	owner, group string // "" when unknown
	mode         int
	// unknown is true when the configuration leaves access to something
	// nginxlint does not read (PHP-FPM's ACLs).
	unknown bool
	// notes say which values are defaults rather than written.
	notes []string
}

// socketOf returns what the app's configuration makes of the socket of
// bind bd.
func socketOf(a *apps.App, bd apps.Bind) socketFacts {
	s := socketFacts{owner: bd.Owner, group: bd.Group, mode: bd.Mode}
	switch a.Kind {
	case apps.PHPFPM:
		if s.mode < 0 {
			s.unknown = true // ACLs (listen.acl_users, listen.acl_groups) decide
			return s
		}
		if s.owner == "" && bd.RunUser == "" {
			// php-fpm started as root refuses a pool without user
			// ("please specify user and group other than root"): the
			// master runs as a user the pool does not name (USER in a
			// container), which owns the socket.
			return s
		}
		if s.owner == "" {
			s.owner = "root"
			s.notes = append(s.notes, "owner root: PHP-FPM's default is the user its master process runs as, root for a system service")
		}
		if s.group == "" {
			s.group = s.owner
		}
	case apps.Systemd:
		if s.owner == "" {
			s.owner = "root"
		}
		if s.group == "" {
			s.group = "root"
		}
	default:
		if s.owner == "" {
			s.owner = bd.RunUser
		}
		if s.group == "" {
			s.group = bd.RunGroup
		}
	}
	if s.mode < 0 {
		s.mode = 0o755
		s.notes = append(s.notes, "mode 0755: the socket takes the process's umask, 022 assumed")
	}
	return s
}

// The verdicts of access.
const (
	accessOK      = iota
	accessDenied  // certainly denied
	accessUnknown // the owner or group is not known: nothing said
	accessIfGroup // allowed only if the user is in the socket's group, which is not stated
)

// access decides whether u can write the socket s.
func access(u *workerUser, s *socketFacts) int {
	switch {
	case u.name == "root":
		return accessOK
	case s.unknown:
		return accessUnknown
	case s.owner == "":
		if s.mode&0o002 != 0 {
			return accessOK
		}
		return accessUnknown
	case s.owner == u.name:
		return verdict(s.mode&0o200 != 0)
	case s.group == "":
		if s.mode&0o002 != 0 {
			return accessOK
		}
		if s.mode&0o020 == 0 {
			return accessDenied
		}
		return accessUnknown
	}
	in, known := u.member(s.group)
	switch {
	case known && in:
		return verdict(s.mode&0o020 != 0)
	case known:
		return verdict(s.mode&0o002 != 0)
	case s.mode&0o020 == 0:
		return verdict(s.mode&0o002 != 0)
	case s.mode&0o002 != 0:
		return accessOK
	}
	return accessIfGroup
}

func verdict(ok bool) int {
	if ok {
		return accessOK
	}
	return accessDenied
}

// runSocketPermission reports the sockets of linked apps nginx's user
// cannot connect to: for certain, or (group) only through a group the
// manifest does not state.
func runSocketPermission(p *lint.Pass, group bool) {
	set := model.Of(p).Apps()
	if set == nil {
		return
	}
	u := nginxUser(p)
	for _, b := range p.Manifest.Backends {
		a := set.Backend(b)
		if a == nil || a.Kind == apps.Compose {
			continue
		}
		for _, bd := range a.Binds {
			if bd.Unreadable != "" || !bd.Addr.Unix {
				continue
			}
			if !group {
				if dir, ok := privateDir(p.Manifest, bd.Addr.Path); ok && u.name != "root" {
					reportSocket(p, &u, bd, bd.Span, fmt.Sprintf("the socket %s is below %s, which nginx's user %s cannot enter (the manifest's private_dirs): every request fails with 502 (\"connect() to %s failed (13: Permission denied)\"); put the socket in a directory nginx's user can enter, such as /run/APP",
						bd.Addr.Path, dir.Path, u.name, bd.Addr), dir)
					continue
				}
			}
			s := socketOf(a, bd)
			v := access(&u, &s)
			want := accessDenied
			if group {
				want = accessIfGroup
			}
			if v != want {
				continue
			}
			span := firstSpan(bd.ModeSpan, bd.OwnerSpan, bd.GroupSpan, bd.Span)
			who := u.name
			if u.group != "" {
				who += " (group " + u.group + ")"
			}
			msg := fmt.Sprintf("nginx's workers run as %s, which cannot connect to the socket %s: it is %s:%s with mode %04o, and connect() needs write permission; every request fails with 502 (\"connect() to %s failed (13: Permission denied)\")",
				who, bd.Addr.Path, s.owner, s.group, s.mode, bd.Addr)
			if v == accessIfGroup {
				msg = fmt.Sprintf("nginx's workers run as %s, which can connect to the socket %s (%s:%s, mode %04o) only if %s is in group %s, which the manifest does not say; otherwise every request fails with 502 (\"connect() to %s failed (13: Permission denied)\"); state its groups in the manifest ([nginx] groups)",
					who, bd.Addr.Path, s.owner, s.group, s.mode, u.name, s.group, bd.Addr)
			} else if hint := socketHint(a, &u); hint != "" {
				msg += "; " + hint
			}
			for _, n := range s.notes {
				msg += " (" + n + ")"
			}
			if u.assumed != "" {
				msg += fmt.Sprintf(" (nginx's user %s: %s)", u.name, u.assumed)
			}
			reportSocket(p, &u, bd, span, msg, nil)
		}
	}
}

// reportSocket reports a finding about the socket of bind bd at span,
// with where nginx's user is set, where the manifest's private
// directory dir is written (when given), and where nginx dials the
// socket as related places.
func reportSocket(p *lint.Pass, u *workerUser, bd apps.Bind, span apps.Span, msg string, dir *manifest.Dir) {
	d := lint.Diagnostic{File: span.File, Start: span.Start, End: span.End, Message: msg}
	d.Related = append(d.Related, u.related...)
	if dir != nil {
		if r, ok := p.ManifestRelated(dir.Pos, "the manifest says nginx's user cannot enter "+dir.Path); ok {
			d.Related = append(d.Related, r)
		}
	}
	for t := range model.Of(p).Targets() {
		if checkable(t) && t.Parsed().Addr.Unix && t.Parsed().Addr.Path == bd.Addr.Path {
			d.Related = append(d.Related, lint.Related{File: t.Directive.File(), Start: int(t.Arg().Start), End: int(t.Arg().End), Message: "nginx dials the socket here"})
			break
		}
	}
	p.Report(d)
}

// privateDir returns the directory of the manifest's private_dirs that
// path is below.
func privateDir(m *manifest.Manifest, path string) (*manifest.Dir, bool) {
	for i := range m.PrivateDirs {
		d := &m.PrivateDirs[i]
		if strings.HasPrefix(path, strings.TrimSuffix(d.Path, "/")+"/") {
			return d, true
		}
	}
	return nil, false
}

// firstSpan returns the first of spans that points somewhere.
func firstSpan(spans ...apps.Span) apps.Span {
	for _, s := range spans {
		if !s.IsZero() {
			return s
		}
	}
	return apps.Span{}
}

// socketHint says how the app's format lets nginx's user in.
func socketHint(a *apps.App, u *workerUser) string {
	group := u.groupText()
	switch a.Kind {
	case apps.PHPFPM:
		return fmt.Sprintf("set listen.owner = %s, or listen.group = %s with listen.mode = 0660", u.name, group)
	case apps.UWSGI:
		return fmt.Sprintf("set chown-socket = %s, or chmod-socket = 660 with the socket's group %s (chown-socket = USER:GROUP)", u.name, group)
	case apps.Gunicorn:
		return fmt.Sprintf("run gunicorn with group = %s and umask = 0o007, or umask = 0", group)
	case apps.Systemd:
		return fmt.Sprintf("set SocketUser=%s, or SocketGroup=%s with SocketMode=0660", u.name, group)
	case apps.Puma:
		return fmt.Sprintf("bind the socket with ?umask=0007 and group %s, or ?umask=0000", group)
	}
	return ""
}
