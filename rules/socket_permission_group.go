package rules

import "github.com/nginxlint/nginxlint/lint"

// SocketPermissionGroup reports the unix sockets nginx's worker user can
// connect to only if it is in a group the manifest does not say.
var SocketPermissionGroup = &lint.Rule{
	ID:    "socket-permission-group",
	Title: "nginx's worker user can connect to an app's unix socket only through a group the manifest does not state",
	Doc: `The socket an app creates lets its group write but not others, and
nginx's worker user is not its owner: nginx can connect only if that
user is in the socket's group. Whether it is depends on the host's
/etc/group, which nginxlint does not read: when the manifest does not
state the user's groups ([nginx] groups), the finding is this warning
rather than a socket-permission error. If the user is not in the group,
every request fails with 502 Bad Gateway ("(13: Permission denied)").

State the groups of nginx's user in the manifest,

    [nginx]
    groups = ["www-data", "php"]   # id -Gn www-data

and socket-permission decides for certain; or give the socket nginx's
user or group. See socket-permission for how the user, the socket's
owner, group and mode are read.`,
	Bad: `-- etc/nginx/nginx.conf --
user nginx;
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
listen = /run/php/www.sock
listen.owner = www-data
listen.group = www-data
listen.mode = 0660
`,
	Good: `-- etc/nginx/nginx.conf --
user nginx;
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
listen = /run/php/www.sock
listen.owner = www-data
listen.group = nginx
listen.mode = 0660
`,
	Manifest: `[backends.php]
listen = "unix:/run/php/www.sock"
protocol = "fastcgi"
app = "php/pool.d/www.conf#www"
`,
	Severity:      lint.Warning,
	NeedsManifest: true,
	Run:           func(p *lint.Pass) { runSocketPermission(p, true) },
}
