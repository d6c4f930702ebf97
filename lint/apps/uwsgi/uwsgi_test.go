package uwsgi

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/appstest"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// readCases are the golden cases: an ini file and what Read makes of it.
var readCases = []struct {
	name, src, want string
}{
	{
		// netbox-community/netbox contrib/uwsgi.ini (43fe81f9): one TCP
		// socket, comments starting with ;.
		name: "netbox",
		src:  "[uwsgi]\n; bind to the specified UNIX/TCP socket and port (usually localhost)\nsocket = 127.0.0.1:8001\n\n; fail to start if any parameter in the configuration file isn’t explicitly understood by uWSGI.\nstrict = true\nmaster = true\nvacuum = true\nchdir = netbox\nmodule = netbox.wsgi\n",
		want: "app uwsgi \"\"\n  bind 127.0.0.1:8001 `127.0.0.1:8001` proto=uwsgi\n",
	},
	{
		// The uWSGI documentation's Django and nginx tutorial
		// (mysite_uwsgi.ini), as many projects copy it: a unix socket
		// made 664, options aligned with spaces, # comments.
		name: "django tutorial",
		src:  "# mysite_uwsgi.ini file\n[uwsgi]\n\n# Django-related settings\nchdir           = /path/to/your/project\nmodule          = project.wsgi\n# process-related settings\nmaster          = true\nprocesses       = 10\n# the socket (use the full path to be safe\nsocket          = /path/to/your/project/mysite.sock\n# ... with appropriate permissions - may be needed\nchmod-socket    = 664\nuid             = www-data\ngid             = www-data\n# clear environment on exit\nvacuum          = true\n",
		want: "app uwsgi \"\"\n  bind unix:/path/to/your/project/mysite.sock `/path/to/your/project/mysite.sock` proto=uwsgi mode=0664 `664` run=www-data:www-data\n",
	},
	{
		name: "several sockets and protocols",
		src:  "[uwsgi]\nprotocol = http\nsocket = :8000\nhttp-socket = [::1]:8001\nhttp = 0.0.0.0:80\nhttps = :443,foo.crt,foo.key\nfastcgi-socket = /run/php.sock\nuwsgi-socket = /run/u.sock\nchown-socket = www-data:nginx\numask = 007\n",
		want: "app uwsgi \"\"\n  bind 0.0.0.0:8000 wildcard `:8000` proto=http\n  bind [::1]:8001 `[::1]:8001` proto=http\n  bind 0.0.0.0:80 wildcard `0.0.0.0:80` proto=http\n  bind 0.0.0.0:443 wildcard `:443,foo.crt,foo.key` proto=https\n  bind unix:/run/php.sock `/run/php.sock` proto=fastcgi mode=0770 - owner=www-data `www-data` group=nginx `nginx`\n  bind unix:/run/u.sock `/run/u.sock` proto=uwsgi mode=0770 - owner=www-data `www-data` group=nginx `nginx`\n",
	},
	{
		name: "placeholders",
		src:  "[uwsgi]\nproject = shop\nbase = /var/www\nsocket = /run/uwsgi/%(project).sock\nsocket = %d/app.sock\nhttp-socket = $(HOST):8000\nchmod-socket\n",
		want: "app uwsgi \"\"\n  bind unix:/run/uwsgi/shop.sock `/run/uwsgi/%(project).sock` proto=uwsgi mode=0666 `chmod-socket`\n  unreadable `%d/app.sock`: socket uses the magic variable %d, which uWSGI fills in when it starts\n  unreadable `$(HOST):8000`: http-socket uses $(HOST), which is taken from the environment\n",
	},
	{
		name: "other sections, relative and abstract",
		src:  "[uwsgi]\nsocket = app.sock\nsocket = @app\n[other]\nsocket = 127.0.0.1:1\n",
		want: "app uwsgi \"\"\n  unreadable `app.sock`: the socket path \"app.sock\" is relative: uWSGI creates it in its working directory\n  unreadable `@app`: @app is an abstract socket, which has no path in the file system\n",
	},
	{
		name: "no socket",
		src:  "[uwsgi]\nmodule = app\n",
		want: "app uwsgi \"\"\n  unreadable -: the file sets no socket: uWSGI takes it from its command line (--socket, --http)\n",
	},
	// Problems.
	{
		name: "no uwsgi section",
		src:  "socket = :8000\n",
		want: "app uwsgi \"\"\nproblem `socket = :8000`: this file has no [uwsgi] section: uWSGI reads only the options under [uwsgi]\n",
	},
	{
		name: "bad values",
		src:  "[uwsgi\n[uwsgi]\nsocket = 127.0.0.1:x\nchmod-socket = 0660\nchown-socket = :www\nsocket = ::1:80\n= x\numask = 9\n",
		want: "app uwsgi \"\"\n  unreadable -: the file sets no socket: uWSGI takes it from its command line (--socket, --http)\nproblem `[uwsgi`: a section header ends with ]: write [uwsgi]\nproblem `127.0.0.1:x`: socket: port \"x\" is not a number; write HOST:PORT, e.g. 127.0.0.1:3031\nproblem `0660`: uWSGI refuses chmod-socket \"0660\": write three octal digits, e.g. chmod-socket = 660\nproblem `:www`: chown-socket is USER or USER:GROUP, e.g. chown-socket = www-data:www-data\nproblem `::1:80`: socket: \"::1:80\": write an IPv6 address in brackets, e.g. [::1]:3031\nproblem `= x`: an option has a name before =: write socket = 127.0.0.1:3031\nproblem `9`: umask \"9\" is not an octal mask; write it as 022\n",
	},
}

func TestRead(t *testing.T) {
	for _, tc := range readCases {
		t.Run(tc.name, func(t *testing.T) {
			f := &syntax.File{Name: "uwsgi.ini", Src: tc.src}
			as, ps := Read(f)
			appstest.Check(t, f, as, ps)
			if got := appstest.Dump(t, f, as, ps); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestLinear(t *testing.T) {
	appstest.CheckLinear(t, Read, "[uwsgi]\n", "socket = :1\n", "x = %(x)\n", "socket = %(a)%(a)\n", "a", "\n", "chown-socket = a:b\n")
}

func FuzzRead(f *testing.F) {
	for _, tc := range readCases {
		f.Add(tc.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file := &syntax.File{Name: "uwsgi.ini", Src: src}
		as, ps := Read(file)
		appstest.Check(t, file, as, ps)
	})
}
