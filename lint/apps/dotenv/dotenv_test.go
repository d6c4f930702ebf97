package dotenv

import (
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/appstest"
)

// readCases are the golden cases: a .env file and what Read makes of it.
var readCases = []appstest.Case{
	{
		// netbox-community/netbox contrib/netbox.env (43fe81f9): no
		// PORT; comments.
		Name: "netbox",
		Src:  "# Optional overrides for a pip-installed NetBox. Do not put secrets here.\n# NetBox loads conf/configuration.py from NETBOX_ROOT automatically.\nNETBOX_ROOT=/opt/netbox\n",
		Want: "app dotenv \"\"\n  unreadable -: the file sets no PORT (nor BIND)\n",
	},
	{
		// The forms of joho/godotenv's fixtures (v1.5.1): export,
		// substitutions from earlier keys, comments after values.
		Name: "godotenv forms",
		Src:  "export OPTION_A=2\nAPP_PORT=8000\nPORT=${APP_PORT} # from above\nbaz=\"foo\"#bar\n",
		Want: "app dotenv \"\"\n  bind 0.0.0.0:8000 wildcard `${APP_PORT}`\n",
	},
	{
		Name: "quoted port and host",
		Src:  "HOST='127.0.0.1'\nPORT=\"3000\"\n",
		Want: "app dotenv \"\"\n  bind 127.0.0.1:3000 `\"3000\"`\n",
	},
	{
		// The uvicorn-gunicorn images (tiangolo) read BIND first.
		Name: "bind",
		Src:  "BIND=0.0.0.0:80\nPORT=9999\n",
		Want: "app dotenv \"\"\n  bind 0.0.0.0:80 wildcard `0.0.0.0:80`\n",
	},
	{
		Name: "from the environment",
		Src:  "PORT=${APP_PORT:-8000}\n",
		Want: "app dotenv \"\"\n  unreadable `${APP_PORT:-8000}`: PORT takes ${APP_PORT:-8000} from the environment\n",
	},
	{
		Name: "yaml style, CRLF, last wins",
		Src:  "PORT: 1\r\nPORT = 2\r\n",
		Want: "app dotenv \"\"\n  bind 0.0.0.0:2 wildcard `2`\n",
	},
	// Problems.
	{
		Name: "bad lines",
		Src:  "PORT=80x\nnot a line\nA=\"b\" c\nB='unclosed\n",
		Want: "app dotenv \"\"\nproblem `80x`: PORT \"80x\" is not a port; write a number from 1 to 65535\nproblem `not a line`: a .env line is KEY=VALUE, with a key of letters, digits, _ and .; write e.g. PORT=8000\nproblem `c`: only a comment may follow a quoted value; start it with #\nproblem `'unclosed`: this ' quote is never closed; end the value with '\n",
	},
}

func TestRead(t *testing.T) { appstest.Run(t, ".env", Read, readCases) }

func TestLinear(t *testing.T) {
	appstest.CheckLinear(t, Read, "PORT=1\n", "A=\"", "A=${A}${A}\n", "x", "#\n", "A=a #b #c\n", "export ")
}

func FuzzRead(f *testing.F) { appstest.Fuzz(f, ".env", Read, readCases) }
