package read

import (
	"path/filepath"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/cmdline"
	"github.com/nginxlint/nginxlint/lint/apps/compose"
	"github.com/nginxlint/nginxlint/lint/apps/dotenv"
	"github.com/nginxlint/nginxlint/lint/apps/gunicorn"
	"github.com/nginxlint/nginxlint/lint/apps/phpfpm"
	"github.com/nginxlint/nginxlint/lint/apps/puma"
	"github.com/nginxlint/nginxlint/lint/apps/systemd"
	"github.com/nginxlint/nginxlint/lint/apps/uwsgi"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// reader reads the apps of one file of its kind.
type reader func(f *syntax.File) ([]*apps.App, []apps.Problem)

// registry holds the reader of each kind: Load uses readers; the tests
// give their own.
type registry struct {
	apps map[apps.Kind]reader
	// compose reads a Docker Compose file (f.Path absolute), the files
	// it names through readFile: the project, its services as apps, and
	// what it could not read.
	compose func(f *syntax.File, readFile ReadFile) (*compose.Project, []*apps.App, []apps.Problem)
}

// readers are the readers of lint/apps' subpackages, by kind.
var readers = registry{
	apps: map[apps.Kind]reader{
		apps.Gunicorn: gunicorn.Read,
		apps.UWSGI:    uwsgi.Read,
		apps.PHPFPM:   phpfpm.Read,
		apps.Systemd:  systemd.Read,
		apps.Puma:     puma.Read,
		apps.Dotenv:   dotenv.Read,
		apps.Command:  readCommandFile,
	},
	compose: readCompose,
}

// readCompose reads a compose file as Docker Compose loads it from its
// directory: the project's .env beside it gives the variables it
// interpolates (never the process's environment), and the files it
// includes and extends are read through readFile.
func readCompose(f *syntax.File, readFile ReadFile) (*compose.Project, []*apps.App, []apps.Problem) {
	wd, _ := filepath.Abs(".")
	// The loader is given absolute paths; files are named for the user
	// relative to the working directory, as the others are.
	load := func(abs string) (*syntax.File, error) {
		name := abs
		if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			name = rel
		}
		g, err := readFile(name)
		if err != nil {
			return nil, err
		}
		g.Path = abs
		return g, nil
	}
	var probs []apps.Problem
	env := map[string]string{}
	if ef, err := load(filepath.Join(filepath.Dir(f.Path), ".env")); err == nil {
		vars, ps := compose.DotEnv(ef, map[string]string{})
		probs = append(probs, ps...)
		if vars != nil {
			env = vars
		}
	}
	p, ps := compose.Read(f, env, load)
	return p, p.Apps(), append(probs, ps...)
}

// readCommandFile reads the command lines of a Procfile or a Dockerfile
// (see Detect: the name tells them apart).
func readCommandFile(f *syntax.File) ([]*apps.App, []apps.Problem) {
	base := strings.ToLower(filepath.Base(f.Name))
	if base == "procfile" || strings.HasPrefix(base, "procfile.") {
		return cmdline.ReadProcfile(f)
	}
	return cmdline.ReadDockerfile(f)
}
