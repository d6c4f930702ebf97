package systemd

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/appstest"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// readCases are the golden cases: a unit and what Read makes of it.
var readCases = []struct {
	name, file, src, want string
}{
	{
		// benoitc/gunicorn docs/content/deploy.md (65ac1a3a): the
		// gunicorn.socket unit of its systemd section.
		name: "gunicorn socket",
		file: "gunicorn.socket",
		src:  "# /etc/systemd/system/gunicorn.socket\n\n[Unit]\nDescription=gunicorn socket\n\n[Socket]\nListenStream=/run/gunicorn.sock\nSocketUser=www-data\nSocketGroup=www-data\nSocketMode=0660\n\n[Install]\nWantedBy=sockets.target\n",
		want: "app systemd \"\"\n  bind unix:/run/gunicorn.sock `/run/gunicorn.sock` mode=0660 `0660` owner=www-data `www-data` group=www-data `www-data`\n",
	},
	{
		// puma/puma docs/systemd.md (ff2e2126): puma.socket with two
		// ports on every IPv4 interface, a unix socket commented out.
		name: "puma socket",
		file: "puma.socket",
		src:  "[Unit]\nDescription=Puma HTTP Server Accept Sockets\n\n[Socket]\nListenStream=0.0.0.0:9292\nListenStream=0.0.0.0:9293\n\n# AF_UNIX domain socket\n# ListenStream=/run/puma.sock\n\n# Socket options matching Puma defaults\nReusePort=true\nBacklog=1024\n\n[Install]\nWantedBy=sockets.target\n",
		want: "app systemd \"\"\n  bind 0.0.0.0:9292 wildcard `0.0.0.0:9292`\n  bind 0.0.0.0:9293 wildcard `0.0.0.0:9293`\n",
	},
	{
		// netbox-community/netbox contrib/netbox.service (43fe81f9):
		// gunicorn with --config, run as netbox.
		name: "netbox service",
		file: "netbox.service",
		src:  "[Unit]\nDescription=NetBox WSGI Service\nAfter=network-online.target\n\n[Service]\nType=simple\n\nUser=netbox\nGroup=netbox\nPIDFile=/var/tmp/netbox.pid\nWorkingDirectory=/opt/netbox\n\n# Remove the following line if using uWSGI instead of Gunicorn\nExecStart=/opt/netbox/venv/bin/gunicorn --pid /var/tmp/netbox.pid --pythonpath /opt/netbox/netbox --config /opt/netbox/gunicorn.py netbox.wsgi\n\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n",
		want: "app systemd \"\"\n  unreadable `/opt/netbox/venv/bin/gunicorn`: gunicorn is started without --bind: it binds as its configuration file /opt/netbox/gunicorn.py (-c) says, else 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000 proto=http run=netbox:netbox\n",
	},
	{
		// mastodon/mastodon dist/mastodon-web.service: puma started with
		// its config file, PORT in Environment= (puma.rb reads it).
		name: "mastodon web",
		file: "mastodon-web.service",
		src:  "[Service]\nType=simple\nUser=mastodon\nWorkingDirectory=/home/mastodon/live\nEnvironment=\"RAILS_ENV=production\"\nEnvironment=\"PORT=3000\"\nEnvironment=\"LD_PRELOAD=libjemalloc.so\"\nExecStart=/home/mastodon/.rbenv/shims/bundle exec puma -C config/puma.rb\nExecReload=/bin/kill -SIGUSR1 $MAINPID\n",
		want: "app systemd \"\"\n  unreadable `puma`: puma is started without --bind or --port: it binds as its configuration file config/puma.rb (-C) says, else tcp://[::]:9292 run=mastodon:\n",
	},
	{
		// mastodon/mastodon dist/mastodon-streaming@.service (8d7eb7d0):
		// a template unit, one instance per port.
		name: "template PORT=%I",
		file: "mastodon-streaming@.service",
		src:  "[Unit]\nDescription=mastodon-streaming on port %I\n\n[Service]\nType=simple\nUser=mastodon\nEnvironment=\"NODE_ENV=production\"\nEnvironment=\"PORT=%I\"\nExecStart=/usr/bin/node ./streaming\n",
		want: "app systemd \"\"\n  unreadable `%I`: PORT=%I uses a specifier (%i, %I ...) that systemd fills in for each instance of the unit run=mastodon:\n",
	},
	{
		name: "node app with PORT",
		file: "api.service",
		src:  "[Service]\nEnvironment=NODE_ENV=production PORT=8080\nExecStart=/usr/bin/node /srv/api/server.js\nUser=api\n",
		want: "app systemd \"\"\n  bind 0.0.0.0:8080 wildcard `8080` run=api:\n",
	},
	{
		name: "ExecStart with variables, continuation, prefix",
		file: "app.service",
		src:  "[Service]\nEnvironment=\"BIND=127.0.0.1:8001\" 'WORKERS=3'\nExecStart=-/usr/bin/gunicorn \\\n  # a comment inside\n  --bind ${BIND} \\\n  -b unix:%t/app.sock --workers $WORKERS app:app\n",
		want: "app systemd \"\"\n  bind 127.0.0.1:8001 written=\"127.0.0.1:8001\" `${BIND}` proto=http\n  unreadable `unix:%t/app.sock`: bind unix:%t/app.sock uses %t, which is set by the environment the command runs in proto=http\n",
	},
	{
		name: "EnvironmentFile makes variables unknown",
		file: "app.service",
		src:  "[Service]\nEnvironment=PORT=8000\nEnvironmentFile=/etc/default/app\nExecStart=/usr/bin/uvicorn app:app --port ${PORT}\n",
		want: "app systemd \"\"\n  unreadable `${PORT}`: --port ${PORT} uses ${PORT} (EnvironmentFile=/etc/default/app may set it), which is set by the environment the command runs in proto=http\n",
	},
	{
		name: "socket forms",
		file: "x.socket",
		src:  "[Socket]\nListenStream=8000\nListenStream=[::1]:8001\nListenStream=@abstract\nListenStream=/run/%i.sock\nListenStream=\nListenStream=127.0.0.1:8002\nListenStream=/run/a.sock\n",
		want: "app systemd \"\"\n  bind 127.0.0.1:8002 `127.0.0.1:8002`\n  bind unix:/run/a.sock `/run/a.sock` mode=0666 -\n",
	},
	{
		name: "port alone and abstract",
		file: "y.socket",
		src:  "[Socket]\nListenStream=8000\nListenStream=@abstract\nListenStream=/run/%i.sock\n",
		want: "app systemd \"\"\n  bind [::]:8000 wildcard `8000`\n  unreadable `@abstract`: @abstract is an abstract socket, which has no path in the file system\n  unreadable `/run/%i.sock`: /run/%i.sock uses a specifier (%i, %n ...) that systemd fills in for each unit\n",
	},
	// Problems.
	{
		name: "bad values",
		file: "z.socket",
		src:  "Description=x\n[Socket\n[Socket]\nListenStream=localhost:80\nListenStream=http\nSocketMode=0889\nnonsense\n",
		want: "app systemd \"\"\nproblem `Description=x`: a setting outside any section: put it under [Socket], [Service] ...\nproblem `[Socket`: a section header ends with ]: write [Service]\nproblem `localhost:80`: systemd takes an IP address in ListenStream=, not \"localhost\": write 127.0.0.1:80\nproblem `http`: \"http\" is not a ListenStream= address: write a port (8000), 127.0.0.1:8000, [::1]:8000 or /run/app.sock\nproblem `0889`: SocketMode: mode \"0889\" is not an octal number; write it as 0660\nproblem `nonsense`: a setting is Key=Value; this line has no =\n",
	},
	{
		name: "unclosed quote",
		file: "q.service",
		src:  "[Service]\nExecStart=/usr/bin/gunicorn -b \"127.0.0.1:1\n",
		want: "app systemd \"\"\n  unreadable `/usr/bin/gunicorn -b \"127.0.0.1:1`: ExecStart cannot be read: the \" quote is never closed\nproblem `/usr/bin/gunicorn -b \"127.0.0.1:1`: ExecStart: the \" quote is never closed\n",
	},
	{
		name: "neither",
		file: "x.timer",
		src:  "[Timer]\nOnCalendar=daily\n",
		want: "problem `[Timer]`: this is neither a .socket nor a .service unit: it has no [Socket] or [Service] section\n",
	},
}

func TestRead(t *testing.T) {
	for _, tc := range readCases {
		t.Run(tc.name, func(t *testing.T) {
			f := &syntax.File{Name: tc.file, Src: tc.src}
			as, ps := Read(f)
			appstest.Check(t, f, as, ps)
			if got := appstest.Dump(t, f, as, ps); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestLinear(t *testing.T) {
	appstest.CheckLinear(t, Read, "[Socket]\nListenStream=80\n", "[Service]\nEnvironment=A=1 B=2\n", "ExecStart=gunicorn -b ${A}:1 \\\n", "# c\n", "x=\\\n", "\"")
}

func FuzzRead(f *testing.F) {
	for _, tc := range readCases {
		f.Add(tc.file, tc.src)
	}
	f.Fuzz(func(t *testing.T, name, src string) {
		file := &syntax.File{Name: name, Src: src}
		as, ps := Read(file)
		appstest.Check(t, file, as, ps)
	})
}
