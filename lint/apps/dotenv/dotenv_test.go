package dotenv

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/appstest"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// readCases are the golden cases: a .env file and what Read makes of it.
var readCases = []struct {
	name, src, want string
}{
	{
		// netbox-community/netbox contrib/netbox.env (43fe81f9): no
		// PORT; comments.
		name: "netbox",
		src:  "# Optional overrides for a pip-installed NetBox. Do not put secrets here.\n# NetBox loads conf/configuration.py from NETBOX_ROOT automatically.\nNETBOX_ROOT=/opt/netbox\n",
		want: "app dotenv \"\"\n  unreadable -: the file sets no PORT (nor BIND)\n",
	},
	{
		// The forms of joho/godotenv's fixtures (v1.5.1): export,
		// substitutions from earlier keys, comments after values.
		name: "godotenv forms",
		src:  "export OPTION_A=2\nAPP_PORT=8000\nPORT=${APP_PORT} # from above\nbaz=\"foo\"#bar\n",
		want: "app dotenv \"\"\n  bind 0.0.0.0:8000 wildcard `${APP_PORT}`\n",
	},
	{
		name: "quoted port and host",
		src:  "HOST='127.0.0.1'\nPORT=\"3000\"\n",
		want: "app dotenv \"\"\n  bind 127.0.0.1:3000 `\"3000\"`\n",
	},
	{
		// The uvicorn-gunicorn images (tiangolo) read BIND first.
		name: "bind",
		src:  "BIND=0.0.0.0:80\nPORT=9999\n",
		want: "app dotenv \"\"\n  bind 0.0.0.0:80 wildcard `0.0.0.0:80`\n",
	},
	{
		name: "from the environment",
		src:  "PORT=${APP_PORT:-8000}\n",
		want: "app dotenv \"\"\n  unreadable `${APP_PORT:-8000}`: PORT takes ${APP_PORT:-8000} from the environment\n",
	},
	{
		name: "yaml style, CRLF, last wins",
		src:  "PORT: 1\r\nPORT = 2\r\n",
		want: "app dotenv \"\"\n  bind 0.0.0.0:2 wildcard `2`\n",
	},
	// Problems.
	{
		name: "bad lines",
		src:  "PORT=80x\nnot a line\nA=\"b\" c\nB='unclosed\n",
		want: "app dotenv \"\"\nproblem `80x`: PORT \"80x\" is not a port; write a number from 1 to 65535\nproblem `not a line`: a .env line is KEY=VALUE, with a key of letters, digits, _ and .; write e.g. PORT=8000\nproblem `c`: only a comment may follow a quoted value; start it with #\nproblem `'unclosed`: this ' quote is never closed; end the value with '\n",
	},
}

func TestRead(t *testing.T) {
	for _, tc := range readCases {
		t.Run(tc.name, func(t *testing.T) {
			f := &syntax.File{Name: ".env", Src: tc.src}
			as, ps := Read(f)
			appstest.Check(t, f, as, ps)
			if got := appstest.Dump(t, f, as, ps); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestLinear(t *testing.T) {
	appstest.CheckLinear(t, Read, "PORT=1\n", "A=\"", "A=${A}${A}\n", "x", "#\n", "A=a #b #c\n", "export ")
}

func FuzzRead(f *testing.F) {
	for _, tc := range readCases {
		f.Add(tc.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file := &syntax.File{Name: ".env", Src: src}
		as, ps := Read(file)
		appstest.Check(t, file, as, ps)
	})
}
