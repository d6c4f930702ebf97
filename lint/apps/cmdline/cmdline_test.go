package cmdline

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/appstest"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// commandCases are commands read with ReadCommand, the whole file being
// the command.
var commandCases = []struct {
	name, src, want string
}{
	{
		// netbox-community/netbox contrib/netbox.service (43fe81f9),
		// ExecStart: gunicorn with --config and no --bind.
		name: "netbox",
		src:  "/opt/netbox/venv/bin/gunicorn --pid /var/tmp/netbox.pid --pythonpath /opt/netbox/netbox --config /opt/netbox/gunicorn.py netbox.wsgi",
		want: "app command \"\" `/opt/netbox/venv/bin/gunicorn`\n  unreadable `/opt/netbox/venv/bin/gunicorn`: gunicorn is started without --bind: it binds as its configuration file /opt/netbox/gunicorn.py (-c) says, else 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000 proto=http\n",
	},
	{
		// RanKKI/BangumiBot start.sh: uvicorn behind su-exec, host only.
		name: "uvicorn su-exec",
		src:  "su-exec ${PUID}:${PGID} uvicorn main:app --host 0.0.0.0 --log-config conf/log.yml",
		want: "app command \"\" `uvicorn`\n  bind 0.0.0.0:8000 wildcard `0.0.0.0` proto=http\n",
	},
	{
		// A public entrypoint script in the code index: python -m
		// uvicorn with the port from the environment and a default.
		name: "uvicorn python -m",
		src:  "exec python -m uvicorn app:app --host 0.0.0.0 --port \"${UVICORN_PORT:-8000}\"",
		want: "app command \"\" `uvicorn`\n  unreadable `\"${UVICORN_PORT:-8000}\"`: --port ${UVICORN_PORT:-8000} uses ${UVICORN_PORT:-8000}, which is set by the environment the command runs in proto=http\n",
	},
	{
		name: "gunicorn forms",
		src:  "gunicorn -b 127.0.0.1:8000 --bind=unix:/run/app.sock -b[::1]:8001 --bind '0.0.0.0:80' -m 007 -u www-data -g www-data app:app",
		want: "app command \"\" `gunicorn`\n  bind 127.0.0.1:8000 `127.0.0.1:8000` proto=http run=www-data:www-data\n  bind unix:/run/app.sock `unix:/run/app.sock` proto=http mode=0770 `007` owner=www-data `www-data` group=www-data `www-data` run=www-data:www-data\n  bind [::1]:8001 `[::1]:8001` proto=http run=www-data:www-data\n  bind 0.0.0.0:80 wildcard written=\"0.0.0.0:80\" `'0.0.0.0:80'` proto=http run=www-data:www-data\n",
	},
	{
		name: "quoted inline value",
		src:  "poetry run gunicorn \"--bind=127.0.0.1:9000\" --bin 127.0.0.1:9001 app:app",
		want: "app command \"\" `gunicorn`\n  bind 127.0.0.1:9000 `127.0.0.1:9000` proto=http\n  bind 127.0.0.1:9001 `127.0.0.1:9001` proto=http\n",
	},
	{
		name: "sh -c and env",
		src:  "sh -c 'cd /app && exec gunicorn -b \"0.0.0.0:8000\" app:app'; PORT=8000 gunicorn app",
		want: "app command \"\" `gunicorn`\n  bind 0.0.0.0:8000 wildcard written=\"0.0.0.0:8000\" `\"0.0.0.0:8000\"` proto=http\napp command \"\" `gunicorn`\n  unreadable `gunicorn`: gunicorn is started without --bind: it binds as its configuration file gunicorn.conf.py in its working directory says, else 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000 (PORT is 8000 here) proto=http\n",
	},
	{
		name: "uvicorn uds",
		src:  "uvicorn app:app --uds /run/uvicorn.sock --ssl-certfile c.pem",
		want: "app command \"\" `uvicorn`\n  bind unix:/run/uvicorn.sock `/run/uvicorn.sock` proto=https mode=0666 -\n",
	},
	{
		name: "uvicorn defaults and ipv6",
		src:  "uvicorn app:app; uvicorn app:app --host :: --port=9000",
		want: "app command \"\" `uvicorn`\n  bind 127.0.0.1:8000 written=\"\" `uvicorn` proto=http\napp command \"\" `uvicorn`\n  bind [::]:9000 wildcard written=\":::9000\" `::` proto=http\n",
	},
	{
		name: "puma",
		src:  "bundle exec puma -b tcp://0.0.0.0:9292 -p 3000 -C config/puma.rb",
		want: "app command \"\" `puma`\n  bind 0.0.0.0:9292 wildcard `tcp://0.0.0.0:9292` proto=http\n  bind [::]:3000 wildcard `3000` proto=http\n",
	},
	{
		// benoitc/gunicorn tests/docker/uwsgi/Dockerfile.gunicorn
		// (65ac1a3a): gunicorn speaking uwsgi to nginx's uwsgi_pass.
		name: "gunicorn --protocol uwsgi",
		src:  "gunicorn --protocol uwsgi --uwsgi-allow-from '*' --bind 0.0.0.0:8000 app:application",
		want: "app command \"\" `gunicorn`\n  bind 0.0.0.0:8000 wildcard `0.0.0.0:8000` proto=uwsgi\n",
	},
	{
		name: "not a server",
		src:  "celery -A tasks worker --loglevel=info",
		want: "",
	},
	{
		name: "bad values",
		src:  "gunicorn -b 127.0.0.1:x -m 9z app; uvicorn --port 99999 x; gunicorn -b",
		want: "app command \"\" `gunicorn`\n  unreadable `gunicorn`: gunicorn is started without --bind: it binds as its configuration file gunicorn.conf.py in its working directory says, else 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000 proto=http\napp command \"\" `uvicorn`\napp command \"\" `gunicorn`\n  unreadable `gunicorn`: gunicorn is started without --bind: it binds as its configuration file gunicorn.conf.py in its working directory says, else 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000 proto=http\nproblem `127.0.0.1:x`: \"x\" is not a valid port number; write HOST:PORT, e.g. 127.0.0.1:8000\nproblem `9z`: gunicorn cannot read umask \"9z\": write it in octal, e.g. -m 007\nproblem `99999`: --port \"99999\" is not a port; write a number from 1 to 65535\nproblem `-b`: --bind needs a value\n",
	},
	{
		name: "unclosed quote",
		src:  "gunicorn -b '0.0.0.0:80",
		want: "problem `'`: the shell cannot read this command: this single quote is never closed\n",
	},
}

func TestReadCommand(t *testing.T) {
	for _, tc := range commandCases {
		t.Run(tc.name, func(t *testing.T) {
			f := &syntax.File{Name: "cmd", Src: tc.src}
			as, ps := ReadCommand(f, 0, len(f.Src))
			appstest.Check(t, f, as, ps)
			if got := appstest.Dump(t, f, as, ps); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestReadCommandInside(t *testing.T) {
	// A command inside another file: only its span is read, positions
	// are the file's.
	src := "ExecStart=gunicorn -b 127.0.0.1:8001 app\nOther=x\n"
	f := &syntax.File{Name: "app.service", Src: src}
	as, ps := ReadCommandEnv(f, len("ExecStart="), len("ExecStart=gunicorn -b 127.0.0.1:8001 app"), Env{"PORT": {Value: "1"}})
	got := appstest.Dump(t, f, as, ps)
	want := "app command \"\" `gunicorn`\n  bind 127.0.0.1:8001 `127.0.0.1:8001` proto=http\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if as, ps := ReadCommand(f, 5, 2); as != nil || ps != nil {
		t.Errorf("a reversed span read %v %v", as, ps)
	}
}

var procfileCases = []struct {
	name, src, want string
}{
	{
		// A Procfile of a Hugging Face space (jeongsoo/
		// RAG_AgenticServer_Small): the web process binds $PORT.
		name: "heroku web",
		src:  "web: gunicorn -b 0.0.0.0:$PORT app:app\n",
		want: "app command \"web\" `gunicorn`\n  unreadable `0.0.0.0:$PORT`: bind 0.0.0.0:$PORT uses $PORT, which is set by the environment the command runs in proto=http\n",
	},
	{
		name: "several processes",
		src:  "# processes\nweb: bundle exec puma -C config/puma.rb\nworker: bundle exec sidekiq\nrelease: rails db:migrate\napi: node server.js\n\nadmin: uvicorn admin:app --port 9000\n",
		want: "app command \"web\" `puma`\n  unreadable `puma`: puma is started without --bind or --port: it binds as its configuration file config/puma.rb (-C) says, else tcp://[::]:9292\napp command \"admin\" `uvicorn`\n  bind 127.0.0.1:9000 `9000` proto=http\n",
	},
	{
		name: "web not read",
		src:  "web: node server.js\r\n",
		want: "app command \"web\" `node server.js`\n  unreadable `node server.js`: the web process listens on $PORT, which the platform sets; nginxlint does not read this command\n",
	},
	{
		// zammad/zammad Procfile (3adc9d4c): rails s with its own port,
		// not $PORT.
		name: "web with its own port",
		src:  "web: bundle exec rails s -p 3000\nworker: bundle exec script/scheduler.rb start -t\n",
		want: "app command \"web\" `bundle exec rails s -p 3000`\n  unreadable `bundle exec rails s -p 3000`: nginxlint does not read this command, which names its own address (-p 3000): where the web process listens is not checked\n",
	},
	{
		name: "malformed",
		src:  "web gunicorn app\n: x\n",
		want: "problem `web gunicorn app`: a Procfile line is NAME: COMMAND, with a name of letters, digits, - and _ (web: gunicorn app:app)\nproblem `: x`: a Procfile line is NAME: COMMAND, with a name of letters, digits, - and _ (web: gunicorn app:app)\n",
	},
}

func TestReadProcfile(t *testing.T) {
	for _, tc := range procfileCases {
		t.Run(tc.name, func(t *testing.T) {
			f := &syntax.File{Name: "Procfile", Src: tc.src}
			as, ps := ReadProcfile(f)
			appstest.Check(t, f, as, ps)
			if got := appstest.Dump(t, f, as, ps); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

var dockerfileCases = []struct {
	name, src, want string
}{
	{
		// benoitc/gunicorn examples/celery_alternative/Dockerfile
		// (65ac1a3a): exec form with a config file.
		name: "gunicorn example",
		src:  "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 8000\nHEALTHCHECK --interval=10s \\\n    CMD curl -f http://localhost:8000/health || exit 1\nCMD [\"gunicorn\", \"-c\", \"gunicorn_conf.py\", \"app:app\"]\n",
		want: "app command \"\" `\"gunicorn\"`\n  unreadable `\"gunicorn\"`: gunicorn is started without --bind: it binds as its configuration file gunicorn_conf.py (-c) says, else 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000 proto=http\n",
	},
	{
		// benoitc/gunicorn docker/Dockerfile: an entrypoint script and a
		// CMD that is not a server.
		name: "entrypoint script",
		src:  "FROM python:3.12-slim AS base\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"--help\"]\n",
		want: "",
	},
	{
		name: "shell form with ENV and USER",
		src:  "FROM python:3.12 AS build\nRUN pip install gunicorn\nFROM build\nENV PORT=8000 \\\n    HOST=0.0.0.0\nUSER app:app\n# run\nCMD gunicorn \\\n  # comment inside\n  -b ${HOST}:${PORT} \\\n  app:app\n",
		want: "app command \"\" `gunicorn`\n  bind 0.0.0.0:8000 wildcard written=\"0.0.0.0:8000\" `${HOST}:${PORT}` proto=http run=app:app\n",
	},
	{
		name: "entrypoint and cmd",
		src:  "FROM x\nENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"80\"]\n",
		want: "app command \"\" `\"uvicorn\"`\n  bind 0.0.0.0:80 wildcard written=\"0.0.0.0:80\" `\"0.0.0.0\"` proto=http\n",
	},
	{
		name: "exec form does not expand",
		src:  "FROM x\nENV PORT=8000\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:$PORT\", \"app:app\"]\n",
		want: "app command \"\" `\"gunicorn\"`\n  unreadable `\"0.0.0.0:$PORT\"`: bind 0.0.0.0:$PORT uses $PORT, which is set by the environment the command runs in proto=http\nproblem `\"0.0.0.0:$PORT\"`: the exec form passes $PORT to the program as written, without expanding it; write the shell form (CMD gunicorn -b 0.0.0.0:$PORT app:app) or a literal value\n",
	},
	{
		name: "heredoc and escape directive",
		src:  "# escape=`\nFROM x\nRUN <<EOF\nCMD [\"gunicorn\", \"-b\", \"1.2.3.4:5\"]\nEOF\nCMD gunicorn `\n  -b 127.0.0.1:7 app\n",
		want: "app command \"\" `gunicorn`\n  bind 127.0.0.1:7 `127.0.0.1:7` proto=http\n",
	},
	{
		name: "not json",
		src:  "FROM x\nCMD [\"gunicorn\", '-b', \"1.2.3.4:5\"]\n",
		want: "problem `[\"gunicorn\", '-b', \"1.2.3.4:5\"]`: this is not a JSON array of strings, so Docker runs it with /bin/sh -c as written (brackets included); write [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
	},
}

func TestReadDockerfile(t *testing.T) {
	for _, tc := range dockerfileCases {
		t.Run(tc.name, func(t *testing.T) {
			f := &syntax.File{Name: "Dockerfile", Src: tc.src}
			as, ps := ReadDockerfile(f)
			appstest.Check(t, f, as, ps)
			if got := appstest.Dump(t, f, as, ps); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestReadArgv(t *testing.T) {
	// A compose exec-form list: the words come split, with their places.
	src := `command: ["gunicorn", "--bind=0.0.0.0:8000", "app"]`
	f := &syntax.File{Name: "compose.yaml", Src: src}
	var argv []Word
	for _, v := range []string{"gunicorn", "--bind=0.0.0.0:8000", "app"} {
		i := indexQuoted(src, v)
		argv = append(argv, NewWord(v, i-1, i+len(v)+1, positions(i, len(v))))
	}
	as, ps := ReadArgv(f, argv, nil)
	got := appstest.Dump(t, f, as, ps)
	want := "app command \"\" `\"gunicorn\"`\n  bind 0.0.0.0:8000 wildcard `0.0.0.0:8000` proto=http\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func indexQuoted(s, v string) int {
	for i := 0; i+len(v)+1 < len(s); i++ {
		if s[i] == '"' && s[i+1:i+1+len(v)] == v && s[i+1+len(v)] == '"' {
			return i + 1
		}
	}
	return -1
}

func positions(start, n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = start + i
	}
	return p
}

func TestLinear(t *testing.T) {
	read := func(f *syntax.File) ([]*apps.App, []apps.Problem) { return ReadCommand(f, 0, len(f.Src)) }
	appstest.CheckLinear(t, read, "gunicorn -b 1.2.3.4:5 ", "$(", "${PORT:-8000}", "\"$X\" ", "sh -c 'sh -c \"", "a=b ", "env ", "\\\n", "11111")
	appstest.CheckLinear(t, ReadProcfile, "web: gunicorn -b 0.0.0.0:$PORT app\n", "x")
	appstest.CheckLinear(t, ReadDockerfile, "FROM x\n", "ENV A=1 B=2\n", "CMD [\"gunicorn\"]\n", "RUN <<EOF\n", "CMD a \\\n", "# c\n")
}

func FuzzRead(f *testing.F) {
	for _, tc := range commandCases {
		f.Add(uint8(0), tc.src)
	}
	for _, tc := range procfileCases {
		f.Add(uint8(1), tc.src)
	}
	for _, tc := range dockerfileCases {
		f.Add(uint8(2), tc.src)
	}
	f.Fuzz(func(t *testing.T, kind uint8, src string) {
		file := &syntax.File{Name: "x", Src: src}
		var as []*apps.App
		var ps []apps.Problem
		switch kind % 3 {
		case 0:
			as, ps = ReadCommand(file, 0, len(src))
		case 1:
			as, ps = ReadProcfile(file)
		default:
			as, ps = ReadDockerfile(file)
		}
		appstest.Check(t, file, as, ps)
	})
}
