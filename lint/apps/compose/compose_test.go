package compose

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// memFiles is a Loader over files held in memory, by absolute path; it
// records what was asked of it.
type memFiles struct {
	files map[string]string
	asked []string
}

func (m *memFiles) load(path string) (*syntax.File, error) {
	m.asked = append(m.asked, path)
	src, ok := m.files[path]
	if !ok {
		return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	return &syntax.File{Name: strings.TrimPrefix(path, "/repo/"), Path: path, Src: src}, nil
}

// read reads /repo/compose.yaml (or the first file named) of files.
func read(t *testing.T, files map[string]string, env map[string]string, names ...string) (*Project, []apps.Problem, *memFiles) {
	t.Helper()
	if len(names) == 0 {
		names = []string{"/repo/compose.yaml"}
	}
	m := &memFiles{files: files}
	var fs []*syntax.File
	for _, n := range names {
		f, err := m.load(n)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	m.asked = nil
	p, probs := ReadFiles(fs, env, m.load)
	return p, probs, m
}

// pos prints a span as FILE:LINE:COL "TEXT".
func pos(s apps.Span) string {
	if s.IsZero() {
		return "-"
	}
	return fmt.Sprintf("%s %q", s.File.Position(s.Start), s.File.Src[s.Start:s.End])
}

func problems(probs []apps.Problem) string {
	var b strings.Builder
	for _, p := range probs {
		fmt.Fprintf(&b, "%s: %s\n", pos(p.Span), p.Msg)
	}
	return b.String()
}

// describe prints what the reader made of a project, one line per value,
// each with where it is written.
func describe(p *Project) string {
	var b strings.Builder
	b2 := &b
	for _, s := range p.Services {
		fmt.Fprintf(&b, "service %s at %s\n", s.Name, pos(s.Span))
		if len(s.Profiles) > 0 {
			fmt.Fprintf(&b, "  profiles %v\n", s.Profiles)
		}
		if s.Image != "" {
			fmt.Fprintf(&b, "  image %s at %s\n", s.Image, pos(s.ImageSpan))
		}
		if s.BuildContext != "" {
			fmt.Fprintf(&b, "  build %s at %s\n", s.BuildContext, pos(s.BuildSpan))
		}
		for _, p := range s.Ports {
			target := strconv.Itoa(p.Target)
			if p.TargetHi > 0 {
				target += "-" + strconv.Itoa(p.TargetHi)
			}
			fmt.Fprintf(&b, "  port %s:%s->%s/%s at %s\n", p.HostIP, p.Published, target, p.Proto, pos(p.Span))
		}
		for _, p := range s.Expose {
			fmt.Fprintf(&b, "  expose %d/%s at %s\n", p.Target, p.Proto, pos(p.Span))
		}
		for _, n := range s.Networks {
			fmt.Fprintf(&b, "  network %s at %s\n", n, pos(s.NetworkSpan[n]))
		}
		if len(s.Aliases) > 0 {
			fmt.Fprintf(&b, "  aliases %v\n", s.Aliases)
		}
		for _, k := range slices.Sorted(maps.Keys(s.Links)) {
			fmt.Fprintf(&b, "  link %s -> %s\n", k, s.Links[k])
		}
		if s.NetworkMode != "" {
			fmt.Fprintf(&b, "  network_mode %s at %s\n", s.NetworkMode, pos(s.NetworkModeSpan))
		}
		for _, c := range []struct {
			name string
			c    Command
		}{{"command", s.Command}, {"entrypoint", s.Entrypoint}} {
			if !c.c.Set {
				continue
			}
			fmt.Fprintf(&b, "  %s %q at %s\n", c.name, c.c.Words, pos(c.c.Span))
			for i, w := range c.c.WordSpans {
				fmt.Fprintf(&b, "    word %d at %s\n", i, pos(w))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(s.Environment)) {
			e := s.Environment[k]
			v := fmt.Sprintf("%q", e.Value)
			if !e.Known {
				v = "(unknown)"
			}
			fmt.Fprintf(&b, "  env %s=%s at %s\n", k, v, pos(e.Span))
		}
		for _, b := range s.CommandBinds {
			if b.Unreadable != "" {
				fmt.Fprintf(b2, "  command binds (unreadable: %s) at %s\n", b.Unreadable, pos(b.Span))
				continue
			}
			fmt.Fprintf(b2, "  command binds %s at %s\n", b.Addr, pos(b.Span))
		}
		for _, m := range s.Volumes {
			ro := ""
			if m.ReadOnly {
				ro = " ro"
			}
			fmt.Fprintf(&b, "  volume %s %s -> %s%s at %s\n", m.Type, m.Source, m.Target, ro, pos(m.Span))
		}
	}
	if len(p.Unset) > 0 {
		fmt.Fprintf(&b, "unset %v\n", p.Unset)
	}
	return b.String()
}

func TestRead(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		env   map[string]string
		names []string
		want  string
		probs string
	}{
		{
			// Reduced from docker/awesome-compose nginx-flask-mysql/compose.yaml
			// (commit 863a51657b785ac81609f9af9348c6ea64502018): a proxy built
			// from ./proxy (its nginx tree) on frontnet, the backend on both
			// networks, the database on backnet only; expose as numbers.
			name: "awesome-compose nginx-flask-mysql",
			files: map[string]string{"/repo/compose.yaml": `services:
  db:
    image: mariadb:10-focal
    command: '--default-authentication-plugin=mysql_native_password'
    volumes:
      - db-data:/var/lib/mysql
    networks:
      - backnet
    expose:
      - 3306
      - 33060
  backend:
    build:
      context: backend
      target: builder
    ports:
      - 8000:8000
    networks:
      - backnet
      - frontnet
  proxy:
    build: proxy
    ports:
      - 80:80
    networks:
      - frontnet
volumes:
  db-data:
networks:
  backnet:
  frontnet:
`},
			want: `service db at compose.yaml:2:3 "db"
  image mariadb:10-focal at compose.yaml:3:12 "mariadb:10-focal"
  expose 3306/tcp at compose.yaml:10:9 "3306"
  expose 33060/tcp at compose.yaml:11:9 "33060"
  network backnet at compose.yaml:8:9 "backnet"
  command ["--default-authentication-plugin=mysql_native_password"] at compose.yaml:4:14 "'--default-authentication-plugin=mysql_native_password'"
    word 0 at compose.yaml:4:15 "--default-authentication-plugin=mysql_native_password"
  volume volume db-data -> /var/lib/mysql at compose.yaml:6:9 "db-data:/var/lib/mysql"
service backend at compose.yaml:12:3 "backend"
  build /repo/backend at compose.yaml:14:7 "context: backend\n      target: builder"
  port :8000->8000/tcp at compose.yaml:17:9 "8000:8000"
  network backnet at compose.yaml:19:9 "backnet"
  network frontnet at compose.yaml:20:9 "frontnet"
service proxy at compose.yaml:21:3 "proxy"
  build /repo/proxy at compose.yaml:22:12 "proxy"
  port :80->80/tcp at compose.yaml:24:9 "80:80"
  network frontnet at compose.yaml:26:9 "frontnet"
`,
		},

		{
			// Reduced from docker/awesome-compose nginx-wsgi-flask/compose.yaml
			// (commit a3cf4fe4595b529f56b5a8d8c2e494c5d1f8ec28): a port written
			// as its target alone (the host picks the published port), and
			// commands as one string, one with a quoted word.
			name: "awesome-compose nginx-wsgi-flask",
			files: map[string]string{"/repo/compose.yaml": `services:
  nginx-proxy:
    build: nginx
    ports:
      - "80:80"
    depends_on:
      - flask-app
    command: nginx -g 'daemon off;'
  flask-app:
    build: flask
    ports: 
      - '8000'
    command: gunicorn -w 3 -t 60 -b 0.0.0.0:8000 app:app
`},
			want: `service nginx-proxy at compose.yaml:2:3 "nginx-proxy"
  build /repo/nginx at compose.yaml:3:12 "nginx"
  port :80->80/tcp at compose.yaml:5:9 "\"80:80\""
  network default at -
  command ["nginx" "-g" "daemon off;"] at compose.yaml:8:14 "nginx -g 'daemon off;'"
    word 0 at compose.yaml:8:14 "nginx"
    word 1 at compose.yaml:8:20 "-g"
    word 2 at compose.yaml:8:24 "daemon off;"
service flask-app at compose.yaml:9:3 "flask-app"
  build /repo/flask at compose.yaml:10:12 "flask"
  port :->8000/tcp at compose.yaml:12:9 "'8000'"
  network default at -
  command ["gunicorn" "-w" "3" "-t" "60" "-b" "0.0.0.0:8000" "app:app"] at compose.yaml:13:14 "gunicorn -w 3 -t 60 -b 0.0.0.0:8000 app:app"
    word 0 at compose.yaml:13:14 "gunicorn"
    word 1 at compose.yaml:13:23 "-w"
    word 2 at compose.yaml:13:26 "3"
    word 3 at compose.yaml:13:28 "-t"
    word 4 at compose.yaml:13:31 "60"
    word 5 at compose.yaml:13:34 "-b"
    word 6 at compose.yaml:13:37 "0.0.0.0:8000"
    word 7 at compose.yaml:13:50 "app:app"
  command binds 0.0.0.0:8000 at compose.yaml:13:37 "0.0.0.0:8000"
`,
		},
		{
			// Reduced from nextcloud/docker
			// .examples/docker-compose/insecure/mariadb/fpm/compose.yaml (commit
			// 38994cbb87355f49295aff18c3578222d29a4bf5): nginx ("web", built
			// from ./web) published on 127.0.0.1 only; the app's port 9000 is
			// its image's, written nowhere; env_file beside the compose file;
			// an empty value; volume options (:z,ro); an entrypoint.
			name: "nextcloud fpm",
			files: map[string]string{
				"/repo/compose.yaml": `services:
  db:
    image: mariadb:10.6
    command: --transaction-isolation=READ-COMMITTED --log-bin=binlog --binlog-format=ROW
    volumes:
      - db:/var/lib/mysql:Z
    environment:
      - MYSQL_ROOT_PASSWORD=
      - MARIADB_AUTO_UPGRADE=1
    env_file:
      - db.env
  app:
    image: nextcloud:fpm-alpine
    volumes:
      - nextcloud:/var/www/html:z
    environment:
      - MYSQL_HOST=db
    env_file:
      - db.env
    depends_on:
      - db
  web:
    build: ./web
    ports:
      - 127.0.0.1:8080:80
    volumes:
      - nextcloud:/var/www/html:z,ro
    depends_on:
      - app
  cron:
    image: nextcloud:fpm-alpine
    volumes:
      - nextcloud:/var/www/html:z
    entrypoint: /cron.sh
volumes:
  db:
  nextcloud:
`,
				"/repo/db.env": "MYSQL_PASSWORD=\nMYSQL_DATABASE=nextcloud\nMYSQL_USER=nextcloud\n",
			},
			want: `service db at compose.yaml:2:3 "db"
  image mariadb:10.6 at compose.yaml:3:12 "mariadb:10.6"
  network default at -
  command ["--transaction-isolation=READ-COMMITTED" "--log-bin=binlog" "--binlog-format=ROW"] at compose.yaml:4:14 "--transaction-isolation=READ-COMMITTED --log-bin=binlog --binlog-format=ROW"
    word 0 at compose.yaml:4:14 "--transaction-isolation=READ-COMMITTED"
    word 1 at compose.yaml:4:53 "--log-bin=binlog"
    word 2 at compose.yaml:4:70 "--binlog-format=ROW"
  env MARIADB_AUTO_UPGRADE="1" at compose.yaml:9:9 "MARIADB_AUTO_UPGRADE=1"
  env MYSQL_DATABASE="nextcloud" at db.env:2:1 "MYSQL_DATABASE=nextcloud"
  env MYSQL_PASSWORD="" at db.env:1:1 "MYSQL_PASSWORD="
  env MYSQL_ROOT_PASSWORD="" at compose.yaml:8:9 "MYSQL_ROOT_PASSWORD="
  env MYSQL_USER="nextcloud" at db.env:3:1 "MYSQL_USER=nextcloud"
  volume volume db -> /var/lib/mysql at compose.yaml:6:9 "db:/var/lib/mysql:Z"
service app at compose.yaml:12:3 "app"
  image nextcloud:fpm-alpine at compose.yaml:13:12 "nextcloud:fpm-alpine"
  network default at -
  env MYSQL_DATABASE="nextcloud" at db.env:2:1 "MYSQL_DATABASE=nextcloud"
  env MYSQL_HOST="db" at compose.yaml:17:9 "MYSQL_HOST=db"
  env MYSQL_PASSWORD="" at db.env:1:1 "MYSQL_PASSWORD="
  env MYSQL_USER="nextcloud" at db.env:3:1 "MYSQL_USER=nextcloud"
  volume volume nextcloud -> /var/www/html at compose.yaml:15:9 "nextcloud:/var/www/html:z"
service web at compose.yaml:22:3 "web"
  build /repo/web at compose.yaml:23:12 "./web"
  port 127.0.0.1:8080->80/tcp at compose.yaml:25:9 "127.0.0.1:8080:80"
  network default at -
  volume volume nextcloud -> /var/www/html ro at compose.yaml:27:9 "nextcloud:/var/www/html:z,ro"
service cron at compose.yaml:30:3 "cron"
  image nextcloud:fpm-alpine at compose.yaml:31:12 "nextcloud:fpm-alpine"
  network default at -
  entrypoint ["/cron.sh"] at compose.yaml:34:17 "/cron.sh"
    word 0 at compose.yaml:34:17 "/cron.sh"
  volume volume nextcloud -> /var/www/html at compose.yaml:33:9 "nextcloud:/var/www/html:z"
`,
		},
		{
			// The example of Docker's documentation on extends
			// (docker/docs content/manuals/compose/how-tos/multiple-compose-files/extends.md):
			// web takes webapp's build, ports and volumes from
			// common-services.yml and adds its own environment; webapp itself
			// is not a service of the project. Paths in the extended file are
			// relative to it (compose-go's loadExtendsBase).
			name: "extends from another file",
			files: map[string]string{
				"/repo/compose.yaml": `services:
  web:
    extends:
      file: common/common-services.yml
      service: webapp
    environment:
      - DEBUG=1
    cpu_shares: 5
`,
				"/repo/common/common-services.yml": `services:
  webapp:
    build: .
    ports:
      - "8000:8000"
    volumes:
      - "/data"
      - "./conf:/etc/app"
`,
			},
			want: `service web at compose.yaml:2:3 "web"
  build /repo/common at common/common-services.yml:3:12 "."
  port :8000->8000/tcp at common/common-services.yml:5:9 "\"8000:8000\""
  network default at -
  env DEBUG="1" at compose.yaml:7:9 "DEBUG=1"
  volume volume  -> /data at common/common-services.yml:7:9 "\"/data\""
  volume bind /repo/common/conf -> /etc/app at common/common-services.yml:8:9 "\"./conf:/etc/app\""
`,
		},
		{
			name: "extends in the same file, overridden and reset",
			files: map[string]string{"/repo/compose.yaml": `x-base: &base
  image: app:1
  expose: ["8000"]
services:
  base:
    <<: *base
    command: ["gunicorn", "-b", "0.0.0.0:8000"]
    networks: [back]
  api:
    extends: base
    command: gunicorn -b 0.0.0.0:9000 app:app
    expose: !reset []
    ports: ["9000:9000"]
  worker:
    extends:
      service: base
    networks: !override [front]
networks:
  back:
  front:
`},
			want: `service base at compose.yaml:5:3 "base"
  image app:1 at compose.yaml:2:10 "app:1"
  expose 8000/tcp at compose.yaml:3:12 "\"8000\""
  network back at compose.yaml:8:16 "back"
  command ["gunicorn" "-b" "0.0.0.0:8000"] at compose.yaml:7:14 "[\"gunicorn\", \"-b\", \"0.0.0.0:8000\"]"
    word 0 at compose.yaml:7:15 "\"gunicorn\""
    word 1 at compose.yaml:7:27 "\"-b\""
    word 2 at compose.yaml:7:33 "\"0.0.0.0:8000\""
  command binds 0.0.0.0:8000 at compose.yaml:7:33 "\"0.0.0.0:8000\""
service api at compose.yaml:9:3 "api"
  image app:1 at compose.yaml:2:10 "app:1"
  port :9000->9000/tcp at compose.yaml:13:13 "\"9000:9000\""
  network back at compose.yaml:8:16 "back"
  command ["gunicorn" "-b" "0.0.0.0:9000" "app:app"] at compose.yaml:11:14 "gunicorn -b 0.0.0.0:9000 app:app"
    word 0 at compose.yaml:11:14 "gunicorn"
    word 1 at compose.yaml:11:23 "-b"
    word 2 at compose.yaml:11:26 "0.0.0.0:9000"
    word 3 at compose.yaml:11:39 "app:app"
  command binds 0.0.0.0:9000 at compose.yaml:11:26 "0.0.0.0:9000"
service worker at compose.yaml:14:3 "worker"
  image app:1 at compose.yaml:2:10 "app:1"
  expose 8000/tcp at compose.yaml:3:12 "\"8000\""
  network front at compose.yaml:17:26 "front"
  command ["gunicorn" "-b" "0.0.0.0:8000"] at compose.yaml:7:14 "[\"gunicorn\", \"-b\", \"0.0.0.0:8000\"]"
    word 0 at compose.yaml:7:15 "\"gunicorn\""
    word 1 at compose.yaml:7:27 "\"-b\""
    word 2 at compose.yaml:7:33 "\"0.0.0.0:8000\""
  command binds 0.0.0.0:8000 at compose.yaml:7:33 "\"0.0.0.0:8000\""
`,
		},
		{
			name: "include with its own directory and variables",
			files: map[string]string{
				"/repo/compose.yaml": `include:
  - db/compose.yaml
  - path: ./api/compose.yaml
    env_file: ./api/api.env
services:
  nginx:
    image: nginx
    volumes: ["./nginx:/etc/nginx:ro"]
    depends_on: [api]
    networks: [default, dbnet]
`,
				"/repo/db/compose.yaml":  "services:\n  db:\n    image: postgres:${PG:-16}\n    volumes: [./data:/var/lib/postgresql/data]\n    networks: [dbnet]\nnetworks:\n  dbnet:\n",
				"/repo/db/.env":          "PG=15\n",
				"/repo/api/compose.yaml": "services:\n  api:\n    image: api\n    ports: [\"${API_PORT}:8000\"]\n",
				"/repo/api/api.env":      "API_PORT=8080\n",
			},
			want: `service nginx at compose.yaml:6:3 "nginx"
  image nginx at compose.yaml:7:12 "nginx"
  network default at compose.yaml:10:16 "default"
  network dbnet at compose.yaml:10:25 "dbnet"
  volume bind /repo/nginx -> /etc/nginx ro at compose.yaml:8:15 "\"./nginx:/etc/nginx:ro\""
service db at db/compose.yaml:2:3 "db"
  image postgres:15 at db/compose.yaml:3:12 "postgres:${PG:-16}"
  network dbnet at db/compose.yaml:5:16 "dbnet"
  volume bind /repo/db/data -> /var/lib/postgresql/data at db/compose.yaml:4:15 "./data:/var/lib/postgresql/data"
service api at api/compose.yaml:2:3 "api"
  image api at api/compose.yaml:3:12 "api"
  port :8080->8000/tcp at api/compose.yaml:4:13 "\"${API_PORT}:8000\""
  network default at -
`,
		},
		{
			name: "interpolation with the caller's variables, profiles, network modes",
			env:  map[string]string{"APP_PORT": "8001", "TAG": "2"},
			files: map[string]string{"/repo/compose.yaml": `name: Shop
services:
  app:
    image: "shop:${TAG}"
    profiles: [web]
    ports:
      - "127.0.0.1:${APP_PORT}:${APP_PORT}"
      - "9000-9001:9000-9001/udp"
      - target: 8443
        published: ${TLS_PORT:-443}
        host_ip: "::1"
    environment:
      PORT: ${APP_PORT}
      SECRET:
      EMPTY: ""
  sidecar:
    image: envoy
    network_mode: "service:app"
  host:
    image: nginx
    network_mode: host
    container_name: edge
    links: ["app:shop", "sidecar"]
`},
			want: `service app at compose.yaml:3:3 "app"
  profiles [web]
  image shop:2 at compose.yaml:4:12 "\"shop:${TAG}\""
  port 127.0.0.1:8001->8001/tcp at compose.yaml:7:9 "\"127.0.0.1:${APP_PORT}:${APP_PORT}\""
  port :9000-9001->9000-9001/udp at compose.yaml:8:9 "\"9000-9001:9000-9001/udp\""
  port ::1:443->8443/tcp at compose.yaml:9:17 "8443"
  network default at -
  env EMPTY="" at compose.yaml:15:7 "EMPTY: \"\""
  env PORT="8001" at compose.yaml:13:7 "PORT: ${APP_PORT}"
  env SECRET=(unknown) at compose.yaml:14:7 "SECRET"
service sidecar at compose.yaml:16:3 "sidecar"
  image envoy at compose.yaml:17:12 "envoy"
  network_mode service:app at compose.yaml:18:19 "\"service:app\""
service host at compose.yaml:19:3 "host"
  image nginx at compose.yaml:20:12 "nginx"
  aliases [edge]
  link shop -> app
  link sidecar -> sidecar
  network_mode host at compose.yaml:21:19 "host"
unset [TLS_PORT]
`,
		},
		{
			name:  "an override file, as compose.override.yaml",
			names: []string{"/repo/compose.yaml", "/repo/compose.override.yaml"},
			files: map[string]string{
				"/repo/compose.yaml":          "services:\n  api:\n    image: api\n    expose: [\"8000\"]\n",
				"/repo/compose.override.yaml": "services:\n  api:\n    ports: [\"8000:8000\"]\n    volumes: [\"./src:/src\"]\n",
			},
			want: `service api at compose.yaml:2:3 "api"
  image api at compose.yaml:3:12 "api"
  port :8000->8000/tcp at compose.override.yaml:3:13 "\"8000:8000\""
  expose 8000/tcp at compose.yaml:4:14 "\"8000\""
  network default at -
  volume bind /repo/src -> /src at compose.override.yaml:4:15 "\"./src:/src\""
`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, probs, _ := read(t, c.files, c.env, c.names...)
			if got := problems(probs); got != c.probs {
				t.Errorf("problems:\n%s\nwant:\n%s", got, c.probs)
			}
			if p == nil {
				if c.want != "" {
					t.Fatalf("no project; want:\n%s", c.want)
				}
				return
			}
			if got := describe(p); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestProblems(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"yaml syntax", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: [x\n"}, `compose.yaml:2:3 "api:": invalid YAML: did not find expected ',' or ']'
`},
		{"not a mapping", map[string]string{"/repo/compose.yaml": "- a\n- b\n"}, `compose.yaml:1:1 "- a\n- b": a compose file is a mapping (services: ...), not a list
`},
		{"empty", map[string]string{"/repo/compose.yaml": "# nothing\n"}, `compose.yaml:1:1 "": the compose file is empty
`},
		{"unknown key", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: x\n    prots: [\"80:80\"]\n"}, `compose.yaml:4:5 "prots": services.api.prots: no such key in a compose file (services.api.prots false schema)
`},
		{"bad port", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: x\n    ports:\n      - \"80:80\"\n      - \"abc\"\n"}, `compose.yaml:6:9 "\"abc\"": Invalid containerPort: abc
`},
		{"long port without target", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: x\n    ports:\n      - published: 80\n"}, `compose.yaml:5:9 "published: 80": service ports services.api.ports.[0] is missing a target port
`},
		{"undefined network", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: x\n    networks: [front, back]\nnetworks:\n  front:\n"}, `compose.yaml:4:23 "back": service "api" refers to undefined network back
`},
		{"required variable", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: \"app:${TAG:?set TAG}\"\n"}, `compose.yaml:3:12 "\"app:${TAG:?set TAG}\"": error while interpolating services.api.image: required variable TAG is missing a value: set TAG
`},
		{"unknown top-level key", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: x\nservice:\n  web: {}\n"}, `compose.yaml:4:1 "service": additional properties 'service' not allowed
`},
		{"extends a missing service", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    extends: base\n"}, `compose.yaml:3:14 "base": service api extends base, which is not defined
`},
		{"extends cycle", map[string]string{"/repo/compose.yaml": "services:\n  a:\n    extends: b\n  b:\n    extends: a\n"}, `compose.yaml:3:14 "b": extends cycle: service "a" is reached again through what it extends
`},
		{"extends a missing file", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    extends:\n      file: base.yml\n      service: api\n"}, `compose.yaml:4:13 "base.yml": cannot read base.yml, which service api extends: no such file
`},
		{"include a missing file", map[string]string{"/repo/compose.yaml": "include: [other/compose.yaml]\nservices:\n  api:\n    image: x\n"}, `compose.yaml:1:11 "other/compose.yaml": cannot read the included file other/compose.yaml: no such file
`},
		{"include cycle", map[string]string{
			"/repo/compose.yaml":   "include: [b/compose.yaml]\nservices:\n  api:\n    image: x\n",
			"/repo/b/compose.yaml": "include: [../compose.yaml]\nservices:\n  b:\n    image: x\n",
		}, `b/compose.yaml:1:11 "../compose.yaml": include cycle: b/compose.yaml includes ../compose.yaml, which is being read
`},
		{"remote include", map[string]string{"/repo/compose.yaml": "include: [\"oci://docker.io/x/y:latest\"]\nservices:\n  api:\n    image: x\n"}, `compose.yaml:1:11 "\"oci://docker.io/x/y:latest\"": include "oci://docker.io/x/y:latest" is a remote resource, which nginxlint does not fetch
`},
		{"missing env_file", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: x\n    env_file: [api.env]\n"}, `compose.yaml:4:16 "api.env": cannot read the env file api.env: no such file
`},
		{"home directory", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: x\n    env_file: [\"~/api.env\"]\n"}, `compose.yaml:4:16 "\"~/api.env\"": cannot read the env file ~/api.env: ~/api.env is in the home directory of the user who runs compose, which nginxlint does not read
`},
		{"optional env_file", map[string]string{"/repo/compose.yaml": "services:\n  api:\n    image: x\n    env_file:\n      - path: api.env\n        required: false\n"}, ``},
		{"service in both", map[string]string{
			"/repo/compose.yaml":   "include: [b/compose.yaml]\nservices:\n  api:\n    image: x\n",
			"/repo/b/compose.yaml": "services:\n  api:\n    image: y\n",
		}, `compose.yaml:3:3 "api": service api is also defined in b/compose.yaml, which this project includes: nginxlint reads this definition only
`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, probs, _ := read(t, c.files, nil)
			if got := problems(probs); got != c.want {
				t.Errorf("problems:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// The reader reads nothing but through its Loader, and interpolates with
// nothing but the caller's variables: files that exist on disk beside the
// compose file, and the process's environment, are not seen.
func TestNoFileSystemNoEnvironment(t *testing.T) {
	dir := t.TempDir()
	onDisk := map[string]string{
		"compose.yaml": "include: [inc.yaml]\nservices:\n  api:\n    image: \"app:${LEAKED:-none}\"\n    extends:\n      file: base.yml\n      service: base\n    env_file: [api.env]\n",
		"inc.yaml":     "services:\n  db:\n    image: db\n",
		"base.yml":     "services:\n  base:\n    expose: [\"8000\"]\n",
		"api.env":      "A=1\n",
		".env":         "LEAKED=from-dotenv\n",
	}
	for name, src := range onDisk {
		if err := writeFile(filepath.Join(dir, name), src); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("LEAKED", "from-process")
	main := filepath.Join(dir, "compose.yaml")
	f := &syntax.File{Name: "compose.yaml", Path: main, Src: onDisk["compose.yaml"]}
	var asked []string
	load := func(path string) (*syntax.File, error) {
		asked = append(asked, path)
		return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	p, probs := Read(f, nil, load)
	got := problems(probs)
	for _, want := range []string{"cannot read the included file inc.yaml", "cannot read base.yml"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if p != nil {
		t.Errorf("a project that extends a file it cannot read: got %v, want none", p.Services)
	}
	want := []string{filepath.Join(dir, ".env"), filepath.Join(dir, "inc.yaml"), filepath.Join(dir, "base.yml")}
	if !slices.Equal(asked, want) {
		t.Errorf("asked the loader for %q, want %q", asked, want)
	}

	// Without the extends: the variable is not the process's.
	f.Src = "services:\n  api:\n    image: \"app:${LEAKED:-none}\"\n"
	p, probs = Read(f, map[string]string{}, load)
	if len(probs) > 0 || p == nil {
		t.Fatalf("problems: %s", problems(probs))
	}
	if img := p.Services[0].Image; img != "app:none" {
		t.Errorf("image %q: interpolated with the process's environment", img)
	}
	if !slices.Equal(p.Unset, []string{"LEAKED"}) {
		t.Errorf("unset %v, want [LEAKED]", p.Unset)
	}
}

func writeFile(path, src string) error {
	return os.WriteFile(path, []byte(src), 0o644)
}

// Every path the reader asks for is absolute and clean; the loader decides
// what may be read, and its refusal is a problem at the entry.
func TestLoaderConfines(t *testing.T) {
	files := map[string]string{
		"/repo/app/compose.yaml": "include:\n  - ../lib/./db.yaml\n  - ../../etc/compose.yaml\nservices:\n  api:\n    image: x\n    env_file: [../../../secret.env]\n",
		"/repo/lib/db.yaml":      "services:\n  db:\n    image: db\n",
		"/etc/compose.yaml":      "services:\n  evil:\n    image: x\n",
	}
	var asked []string
	load := func(path string) (*syntax.File, error) {
		asked = append(asked, path)
		if !strings.HasPrefix(path, "/repo/") {
			return nil, fmt.Errorf("%s is outside the repository", path)
		}
		return (&memFiles{files: files}).load(path)
	}
	f, _ := (&memFiles{files: files}).load("/repo/app/compose.yaml")
	p, probs := Read(f, nil, load)
	// An include's .env first, as compose reads it.
	want := []string{"/repo/lib/.env", "/repo/lib/db.yaml", "/etc/.env", "/etc/compose.yaml", "/secret.env"}
	if !slices.Equal(asked, want) {
		t.Errorf("asked %q, want %q", asked, want)
	}
	wantProbs := `app/compose.yaml:3:5 "../../etc/compose.yaml": cannot read the included file ../../etc/compose.yaml: /etc/compose.yaml is outside the repository
app/compose.yaml:7:16 "../../../secret.env": cannot read the env file ../../../secret.env: /secret.env is outside the repository
`
	if got := problems(probs); got != wantProbs {
		t.Errorf("problems:\n%s\nwant:\n%s", got, wantProbs)
	}
	if p == nil || p.Service("db") == nil || p.Service("evil") != nil {
		t.Errorf("services: want api and db only")
	}
}

func TestApps(t *testing.T) {
	p, probs, _ := read(t, map[string]string{"/repo/compose.yaml": `services:
  api:
    image: api
    ports: ["8080:8000", "9000/udp"]
    expose: ["8000", "8001-8002"]
  db:
    image: postgres
  web:
    image: web
    command: gunicorn -b 127.0.0.1:8000 app:app
    expose: ["9000"]
  asgi:
    command: ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "${PORT}"]
    environment: [PORT=8080]
    image: asgi
  worker:
    image: w
    command: sh -c 'exec gunicorn --bind 0.0.0.0:$$WORKER_PORT app:app'
`}, map[string]string{"PORT": "8080"})
	if len(probs) > 0 {
		t.Fatal(problems(probs))
	}
	var b strings.Builder
	for _, a := range p.Apps() {
		fmt.Fprintf(&b, "%s %s %s at %s\n", a.Kind, a.Name, a.File.Name, pos(a.Span))
		for _, bind := range a.Binds {
			if bind.Unreadable != "" {
				fmt.Fprintf(&b, "  unreadable at %s: %s\n", pos(bind.Span), bind.Unreadable)
				continue
			}
			fmt.Fprintf(&b, "  %s wildcard=%v written %q at %s\n", bind.Addr, bind.Wildcard, bind.Written, pos(bind.Span))
		}
	}
	want := `docker-compose api compose.yaml at compose.yaml:2:3 "api"
  0.0.0.0:8000 wildcard=true written "8080:8000" at compose.yaml:4:13 "\"8080:8000\""
  0.0.0.0:8001 wildcard=true written "8001-8002" at compose.yaml:5:22 "\"8001-8002\""
  0.0.0.0:8002 wildcard=true written "8001-8002" at compose.yaml:5:22 "\"8001-8002\""
docker-compose db compose.yaml at compose.yaml:6:3 "db"
  unreadable at compose.yaml:6:3 "db": the service declares no port (ports:, expose:) and its command binds none nginxlint reads: the port its image listens on is not in the compose file
docker-compose web compose.yaml at compose.yaml:8:3 "web"
  127.0.0.1:8000 wildcard=false written "127.0.0.1:8000" at compose.yaml:10:26 "127.0.0.1:8000"
  0.0.0.0:9000 wildcard=true written "9000" at compose.yaml:11:14 "\"9000\""
docker-compose asgi compose.yaml at compose.yaml:12:3 "asgi"
  0.0.0.0:8080 wildcard=true written "0.0.0.0:8080" at compose.yaml:13:48 "\"0.0.0.0\""
docker-compose worker compose.yaml at compose.yaml:16:3 "worker"
  unreadable at compose.yaml:18:42 "0.0.0.0:$$WORKER_PORT": bind 0.0.0.0:$WORKER_PORT uses $WORKER_PORT, which is set by the environment the command runs in
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestDotEnv(t *testing.T) {
	f := &syntax.File{Name: ".env", Src: "# comment\nPORT=8000\nexport HOST=\"0.0.0.0\"\nURL=http://${HOST}:${PORT}\nTAG=${TAG:-1}\n"}
	vars, probs := DotEnv(f, map[string]string{"TAG": "2"})
	if len(probs) > 0 {
		t.Fatal(problems(probs))
	}
	want := map[string]string{"PORT": "8000", "HOST": "0.0.0.0", "URL": "http://0.0.0.0:8000", "TAG": "2"}
	if !maps.Equal(vars, want) {
		t.Errorf("got %v, want %v", vars, want)
	}
	if s := dotenvSpan(f, "HOST"); s.File.Src[s.Start:s.End] != `HOST="0.0.0.0"` {
		t.Errorf("HOST at %s", pos(s))
	}
	_, probs = DotEnv(&syntax.File{Name: ".env", Src: "A='unterminated\n"}, nil)
	if len(probs) != 1 {
		t.Errorf("an unterminated quote: problems %v", probs)
	}
}

// TestLooksLikeNginx: a service that runs nginx is told by its image,
// its name, or what it mounts.
func TestLooksLikeNginx(t *testing.T) {
	for _, c := range []struct {
		s    Service
		want bool
	}{
		{Service{Name: "web", Image: "nginx"}, true},
		{Service{Name: "web", Image: "nginx:1.27-alpine"}, true},
		{Service{Name: "web", Image: "docker.io/library/nginx@sha256:abc"}, true},
		{Service{Name: "web", Image: "nginxinc/nginx-unprivileged:stable"}, true},
		{Service{Name: "web", Image: "registry:5000/team/nginx-custom"}, true},
		{Service{Name: "proxy", Image: "openresty/openresty"}, true},
		{Service{Name: "my-nginx", Image: "example/proxy"}, true},
		{Service{Name: "web", Image: "example/web", Volumes: []Mount{{Type: "bind", Source: "/src/deploy/nginx.conf", Target: "/etc/proxy/main.conf"}}}, true},
		{Service{Name: "web", Volumes: []Mount{{Type: "bind", Source: "/src/conf", Target: "/etc/nginx/conf.d"}}}, true},
		{Service{Name: "api", Image: "nginxlike-api:1"}, false},
		{Service{Name: "api", Image: "example/api", Volumes: []Mount{{Type: "volume", Source: "data", Target: "/data"}}}, false},
		{Service{Name: "db", Image: "postgres:16"}, false},
	} {
		if got := c.s.LooksLikeNginx(); got != c.want {
			t.Errorf("%+v: LooksLikeNginx = %v, want %v", c.s, got, c.want)
		}
	}
}

// TestNginxOf: the service that runs the tree is the one that mounts it
// where nginx reads it, else one that mounts a part of it elsewhere,
// else one built from its directory; an nginx that mounts its own
// configuration is not the tree's (Lemmy runs one behind the host's).
func TestNginxOf(t *testing.T) {
	const root = "/src/etc/nginx"
	bind := func(src, dst string) Mount { return Mount{Type: "bind", Source: src, Target: dst} }
	lemmyProxy := &Service{Name: "proxy", Image: "docker.io/library/nginx", Volumes: []Mount{bind("/src/srv/nginx_internal.conf", "/etc/nginx/nginx.conf")}}
	for _, c := range []struct {
		name     string
		services []*Service
		want     string
	}{
		{"another nginx of the project is not the tree's", []*Service{lemmyProxy, {Name: "lemmy", Image: "dessalines/lemmy"}}, ""},
		{"the tree at the prefix", []*Service{lemmyProxy, {Name: "web", Image: "example/web", Volumes: []Mount{bind(root, "/etc/nginx")}}}, "web"},
		{"a part of the tree at its place", []*Service{{Name: "front", Volumes: []Mount{bind(root+"/conf.d", "/etc/nginx/conf.d")}}}, "front"},
		{"a directory above the tree", []*Service{{Name: "front", Volumes: []Mount{bind("/src/etc", "/etc")}}}, "front"},
		{"a file of the tree elsewhere", []*Service{{Name: "front", Volumes: []Mount{bind(root+"/nginx.conf", "/opt/nginx.conf")}}}, "front"},
		{"built from the tree", []*Service{{Name: "front", BuildContext: root}, {Name: "api", BuildContext: "/src/api"}}, "front"},
		{"two mount it, one is nginx", []*Service{
			{Name: "certbot", Image: "certbot/certbot", Volumes: []Mount{bind(root, "/etc/nginx")}},
			{Name: "web", Image: "nginx:1.27", Volumes: []Mount{bind(root, "/etc/nginx")}},
		}, "web"},
		{"two mount it, nothing tells", []*Service{
			{Name: "a", Image: "example/a", Volumes: []Mount{bind(root, "/etc/nginx")}},
			{Name: "b", Image: "example/b", Volumes: []Mount{bind(root, "/etc/nginx")}},
		}, ""},
		{"a named volume is not the tree", []*Service{{Name: "web", Image: "nginx", Volumes: []Mount{{Type: "volume", Source: root, Target: "/etc/nginx"}}}}, ""},
	} {
		p := &Project{Services: c.services}
		got := ""
		if s := p.NginxOf(root, "/etc/nginx"); s != nil {
			got = s.Name
		}
		if got != c.want {
			t.Errorf("%s: NginxOf = %q, want %q", c.name, got, c.want)
		}
	}
	if s := (&Project{Services: []*Service{{Name: "web", Volumes: []Mount{bind(root, "/etc/nginx")}}}}).NginxOf("", "/etc/nginx"); s != nil {
		t.Errorf("a tree with no directory (a dump) runs in %s", s.Name)
	}
}
