package phpfpm

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/appstest"
)

// readCases are the golden cases: a pool file and what Read makes of it.
var readCases = []appstest.Case{
	{
		// Debian 12's /etc/php/8.2/fpm/pool.d/www.conf (php8.2-fpm
		// 8.2.36): a unix socket owned by www-data, the mode left at its
		// default in a comment, $pool in comments.
		Name: "debian www.conf",
		Src:  "; Start a new pool named 'www'.\n; the variable $pool can be used in any directive and will be replaced by the\n; pool name ('www' here)\n[www]\n\n;prefix = /path/to/pools/$pool\nuser = www-data\ngroup = www-data\n\n; The address on which to accept FastCGI requests.\n;   'port'                 - to listen on a TCP socket to all addresses\n;                            (IPv6 and IPv4-mapped) on a specific port;\nlisten = /run/php/php8.2-fpm.sock\n\n;listen.backlog = 511\nlisten.owner = www-data\nlisten.group = www-data\n;listen.mode = 0660\n;listen.allowed_clients = 127.0.0.1\npm = dynamic\npm.max_children = 5\n;access.log = log/$pool.access.log\n;env[TMP] = /tmp\n;php_admin_value[error_log] = /var/log/fpm-php.www.log\n",
		Want: "app php-fpm \"www\" `[www]`\n  bind unix:/run/php/php8.2-fpm.sock `/run/php/php8.2-fpm.sock` proto=fastcgi mode=0660 - owner=www-data `www-data` group=www-data `www-data` run=www-data:www-data\n",
	},
	{
		// docker-library/php's zz-docker.conf: the pool listens on a port
		// alone, every address.
		Name: "docker php image",
		Src:  "[global]\ndaemonize = no\n\n[www]\nlisten = 9000\n",
		Want: "app php-fpm \"www\" `[www]`\n  bind [::]:9000 wildcard `9000` proto=fastcgi\n",
	},
	{
		Name: "several pools, $pool, quotes, allowed clients",
		Src:  "[global]\ninclude=/etc/php/8.2/fpm/pool.d/*.conf\n\n[shop]\nlisten = \"/run/php/$pool.sock\" ; the shop\nlisten.mode = 0600\nlisten.owner = 'nginx'\n\n[ api ]\nlisten = 127.0.0.1:9001\nlisten.allowed_clients = 127.0.0.1, ::1\nuser = api\n\n[v6]\nlisten = [::1]:9002\n",
		Want: "app php-fpm \"shop\" `[shop]`\n  bind unix:/run/php/shop.sock `\"/run/php/$pool.sock\"` proto=fastcgi mode=0600 `0600` owner=nginx `'nginx'`\napp php-fpm \"api\" `[ api ]`\n  bind 127.0.0.1:9001 `127.0.0.1:9001` proto=fastcgi run=api: allowed=127.0.0.1,::1 `127.0.0.1, ::1`\napp php-fpm \"v6\" `[v6]`\n  bind [::1]:9002 `[::1]:9002` proto=fastcgi\n",
	},
	{
		Name: "unreadable",
		Src:  "[a]\nlisten = ${FPM_LISTEN}\n[b]\nlisten = php.sock\n[c]\nlisten = localhost:9000\n[d]\nlisten = /run/a.sock\nlisten.acl_users = nginx\nlisten.owner = www-data\n",
		Want: "app php-fpm \"a\" `[a]`\n  unreadable `${FPM_LISTEN}`: listen takes ${FPM_LISTEN} from the environment proto=fastcgi\napp php-fpm \"b\" `[b]`\n  unreadable `php.sock`: the socket path \"php.sock\" is relative: php-fpm resolves it against the pool's prefix proto=fastcgi\napp php-fpm \"c\" `[c]`\n  unreadable `localhost:9000`: php-fpm binds only the first address localhost resolves to, which depends on the host's resolver; write an IP address, e.g. listen = 127.0.0.1:9000 proto=fastcgi\napp php-fpm \"d\" `[d]`\n  bind unix:/run/a.sock `/run/a.sock` proto=fastcgi\n",
	},
	// Problems, as php-fpm 8.2 -t reports them or binds something else.
	{
		Name: "problems",
		Src:  "[www]\n#listen.mode = 0660\nlisten = /tmp/a=b.sock\nlisten = *:9000\nlisten.mode = 0669\nlisten.group =\nlisten.allowed_clients = 127.0.0.1, web\n[empty]\npm = static\n[bad\n",
		Want: "app php-fpm \"www\" `[www]`\n  unreadable `*:9000`: php-fpm resolves * as a host name and binds its first address only proto=fastcgi allowed=127.0.0.1 `127.0.0.1, web`\napp php-fpm \"empty\" `[empty]`\nproblem `#listen.mode = 0660`: php-fpm does not read # comments (it takes this line for an entry and refuses it): start the comment with ;\nproblem `=`: php-fpm cannot read '=' in an unquoted value; put the value in double quotes\nproblem `*:9000`: php-fpm resolves * as a host name and binds its first address only (on Debian 12: [::1]); for every address write the port alone: listen = 9000\nproblem `listen.group =`: listen.group has no value; php-fpm refuses an empty one\nproblem `127.0.0.1, web`: \"web\" in listen.allowed_clients is not an IP address: php-fpm ignores it; list addresses, e.g. 127.0.0.1, ::1\nproblem `[empty]`: pool empty has no listen: php-fpm refuses to start; write listen = /run/php/empty.sock\nproblem `[bad`: a section header ends with ]: write [www]\n",
	},
	{
		Name: "unix prefix and bad mode",
		Src:  "[www]\nlisten = unix:/run/php.sock\n[m]\nlisten = /run/m.sock\nlisten.mode = 0669 ; typo\nlisten.owner = a # b\n",
		Want: "app php-fpm \"www\" `[www]`\napp php-fpm \"m\" `[m]`\n  bind unix:/run/m.sock `/run/m.sock` proto=fastcgi\nproblem `unix:/run/php.sock`: php-fpm reads \"unix:/run/php.sock\" as HOST:PORT, not as a socket path; write the path alone: listen = /run/php.sock\nproblem `0669`: listen.mode \"0669\" is not an octal mode (php-fpm reads the octal digits before the first other one); write it as 0660\nproblem `# b`: php-fpm does not read # comments: this text is part of the value; start the comment with ;\n",
	},
}

func TestRead(t *testing.T) { appstest.Run(t, "www.conf", Read, readCases) }

func TestLinear(t *testing.T) {
	appstest.CheckLinear(t, Read, "[www]\nlisten = 9000\n", "listen = \"a\" 'b' ${c}\n", "a = \"", "x = ${", "[", "listen.allowed_clients = 1.2.3.4,\n", ";\n")
}

func FuzzRead(f *testing.F) { appstest.Fuzz(f, "www.conf", Read, readCases) }
