package uwsgi

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/appstest"
)

// readCases are the golden cases: an ini file and what Read makes of it.
var readCases = []appstest.Case{
	{
		// netbox-community/netbox contrib/uwsgi.ini (43fe81f9): one TCP
		// socket, comments starting with ;.
		Name: "netbox",
		Src:  "[uwsgi]\n; bind to the specified UNIX/TCP socket and port (usually localhost)\nsocket = 127.0.0.1:8001\n\n; fail to start if any parameter in the configuration file isn’t explicitly understood by uWSGI.\nstrict = true\nmaster = true\nvacuum = true\nchdir = netbox\nmodule = netbox.wsgi\n",
		Want: "app uwsgi \"\"\n  bind 127.0.0.1:8001 `127.0.0.1:8001` proto=uwsgi\n",
	},
	{
		// The uWSGI documentation's Django and nginx tutorial
		// (mysite_uwsgi.ini), as many projects copy it: a unix socket
		// made 664, options aligned with spaces, # comments.
		Name: "django tutorial",
		Src:  "# mysite_uwsgi.ini file\n[uwsgi]\n\n# Django-related settings\nchdir           = /path/to/your/project\nmodule          = project.wsgi\n# process-related settings\nmaster          = true\nprocesses       = 10\n# the socket (use the full path to be safe\nsocket          = /path/to/your/project/mysite.sock\n# ... with appropriate permissions - may be needed\nchmod-socket    = 664\nuid             = www-data\ngid             = www-data\n# clear environment on exit\nvacuum          = true\n",
		Want: "app uwsgi \"\"\n  bind unix:/path/to/your/project/mysite.sock `/path/to/your/project/mysite.sock` proto=uwsgi mode=0664 `664` run=www-data:www-data\n",
	},
	{
		Name: "several sockets and protocols",
		Src:  "[uwsgi]\nprotocol = http\nsocket = :8000\nhttp-socket = [::1]:8001\nhttp = 0.0.0.0:80\nhttps = :443,foo.crt,foo.key\nfastcgi-socket = /run/php.sock\nuwsgi-socket = /run/u.sock\nchown-socket = www-data:nginx\numask = 007\n",
		Want: "app uwsgi \"\"\n  bind 0.0.0.0:8000 wildcard `:8000` proto=http\n  bind [::1]:8001 `[::1]:8001` proto=http\n  bind 0.0.0.0:80 wildcard `0.0.0.0:80` proto=http\n  bind 0.0.0.0:443 wildcard `:443,foo.crt,foo.key` proto=https\n  bind unix:/run/php.sock `/run/php.sock` proto=fastcgi mode=0770 - owner=www-data `www-data` group=nginx `nginx`\n  bind unix:/run/u.sock `/run/u.sock` proto=uwsgi mode=0770 - owner=www-data `www-data` group=nginx `nginx`\n",
	},
	{
		Name: "placeholders",
		Src:  "[uwsgi]\nproject = shop\nbase = /var/www\nsocket = /run/uwsgi/%(project).sock\nsocket = %d/app.sock\nhttp-socket = $(HOST):8000\nchmod-socket\n",
		Want: "app uwsgi \"\"\n  bind unix:/run/uwsgi/shop.sock `/run/uwsgi/%(project).sock` proto=uwsgi mode=0666 `chmod-socket`\n  unreadable `%d/app.sock`: socket uses the magic variable %d, which uWSGI fills in when it starts\n  unreadable `$(HOST):8000`: http-socket uses $(HOST), which is taken from the environment\n",
	},
	{
		Name: "other sections, relative and abstract",
		Src:  "[uwsgi]\nsocket = app.sock\nsocket = @app\n[other]\nsocket = 127.0.0.1:1\n",
		Want: "app uwsgi \"\"\n  unreadable `app.sock`: the socket path \"app.sock\" is relative: uWSGI creates it in its working directory\n  unreadable `@app`: @app is an abstract socket, which has no path in the file system\n",
	},
	{
		Name: "no socket",
		Src:  "[uwsgi]\nmodule = app\n",
		Want: "app uwsgi \"\"\n  unreadable -: the file sets no socket: uWSGI takes it from its command line (--socket, --http)\n",
	},
	// Problems.
	{
		Name: "no uwsgi section",
		Src:  "socket = :8000\n",
		Want: "app uwsgi \"\"\nproblem `socket = :8000`: this file has no [uwsgi] section: uWSGI reads only the options under [uwsgi]\n",
	},
	{
		Name: "bad values",
		Src:  "[uwsgi\n[uwsgi]\nsocket = 127.0.0.1:x\nchmod-socket = 0660\nchown-socket = :www\nsocket = ::1:80\n= x\numask = 9\n",
		Want: "app uwsgi \"\"\n  unreadable -: the file sets no socket: uWSGI takes it from its command line (--socket, --http)\nproblem `[uwsgi`: a section header ends with ]: write [uwsgi]\nproblem `127.0.0.1:x`: socket: port \"x\" is not a number; write HOST:PORT, e.g. 127.0.0.1:3031\nproblem `0660`: uWSGI refuses chmod-socket \"0660\": write three octal digits, e.g. chmod-socket = 660\nproblem `:www`: chown-socket is USER or USER:GROUP, e.g. chown-socket = www-data:www-data\nproblem `::1:80`: socket: \"::1:80\": write an IPv6 address in brackets, e.g. [::1]:3031\nproblem `= x`: an option has a name before =: write socket = 127.0.0.1:3031\nproblem `9`: umask \"9\" is not an octal mask; write it as 022\n",
	},
}

func TestRead(t *testing.T) { appstest.Run(t, "uwsgi.ini", Read, readCases) }

func TestLinear(t *testing.T) {
	appstest.CheckLinear(t, Read, "[uwsgi]\n", "socket = :1\n", "x = %(x)\n", "socket = %(a)%(a)\n", "a", "\n", "chown-socket = a:b\n")
}

func FuzzRead(f *testing.F) { appstest.Fuzz(f, "uwsgi.ini", Read, readCases) }
