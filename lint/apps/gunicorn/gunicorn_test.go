package gunicorn

import (
	"slices"
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/appstest"
)

// readCases are the golden cases: a file and what Read makes of it.
var readCases = []appstest.Case{
	{
		// netbox-community/netbox contrib/gunicorn.py (43fe81f9): one
		// literal bind and worker settings nginxlint ignores.
		Name: "netbox",
		Src:  "# The IP address and port NetBox listens on\nbind = '127.0.0.1:8001'\n\n# workers\nworkers = 5\nthreads = 3\ntimeout = 120\nmax_requests = 5000\n# header-map = 'dangerous'\n",
		Want: "app gunicorn \"\"\n  bind 127.0.0.1:8001 written=\"127.0.0.1:8001\" `'127.0.0.1:8001'` proto=http\n",
	},
	{
		// benoitc/gunicorn examples/dirty_example/gunicorn_conf.py
		// (65ac1a3a): bind read from the environment with a default,
		// hooks defined below.
		Name: "gunicorn dirty example",
		Src:  "import os\nbind = os.environ.get(\"GUNICORN_BIND\", \"127.0.0.1:8000\")\nworkers = 2\n\ndef on_starting(server):\n    print(\"starting\")\n    bind = \"0.0.0.0:1\"\n",
		Want: "app gunicorn \"\"\n  unreadable `os.environ.get(\"GUNICORN_BIND\", \"127.0.0.1:8000\")`: bind is computed: os.environ.get(\"GUNICORN_BIND\", \"127.0.0.1:8000\") proto=http\n",
	},
	{
		// A Django image's gunicorn.conf.py in the public code index:
		// a unix socket whose umask 0o117 makes it 0660, and a setting
		// changed under an if.
		Name: "unix socket umask",
		Src:  "import os\n\npid = \"/run/gunicorn/gunicorn.pid\"\nbind = \"unix:/run/gunicorn/gunicorn.sock\"\n# umask ... 0o660\numask = 0o117\n\nif os.environ.get(\"GUNICORN_ACCESS_LOGS\"):\n    accesslog = \"-\"\n",
		Want: "app gunicorn \"\"\n  bind unix:/run/gunicorn/gunicorn.sock written=\"unix:/run/gunicorn/gunicorn.sock\" `\"unix:/run/gunicorn/gunicorn.sock\"` proto=http mode=0660 `0o117`\n",
	},
	{
		// Public gunicorn configs in the code index write umask as a
		// string, which gunicorn reads with int(s, 0): "91" is decimal.
		Name: "string umask and user",
		Src:  "\"\"\"\nGunicorn config.\n\"\"\"\n\nbind = \"unix:/uwsgi/maps.sock\"\nworkers = 2\ndaemon = False\numask = \"91\"\nuser = \"www-data\"\n",
		Want: "app gunicorn \"\"\n  bind unix:/uwsgi/maps.sock written=\"unix:/uwsgi/maps.sock\" `\"unix:/uwsgi/maps.sock\"` proto=http mode=0644 `\"91\"` owner=www-data `\"www-data\"` run=www-data:\n",
	},
	{
		Name: "default",
		Src:  "workers = 3\n",
		Want: "app gunicorn \"\"\n  bind 127.0.0.1:8000 - proto=http\n",
	},
	{
		Name: "list, tuple, every form",
		Src:  "bind = [\n    '127.0.0.1:8000',  # v4\n    \"[::1]:8000\",\n    'localhost',\n    ':9000',\n    r'tcp://0.0.0.0:80',\n    'unix:///run/x.sock',\n]\n",
		Want: "app gunicorn \"\"\n  bind 127.0.0.1:8000 written=\"127.0.0.1:8000\" `'127.0.0.1:8000'` proto=http\n  bind [::1]:8000 written=\"[::1]:8000\" `\"[::1]:8000\"` proto=http\n  bind localhost:8000 written=\"localhost\" `'localhost'` proto=http\n  bind 0.0.0.0:9000 wildcard written=\":9000\" `':9000'` proto=http\n  bind 0.0.0.0:80 wildcard written=\"tcp://0.0.0.0:80\" `r'tcp://0.0.0.0:80'` proto=http\n  bind unix:/run/x.sock written=\"unix:///run/x.sock\" `'unix:///run/x.sock'` proto=http mode=0777 -\n",
	},
	{
		Name: "tuple without brackets, implicit concatenation, continuation",
		Src:  "bind = \"127.0.0.1:\" '80' \\\n  \"01\", u'[::]:8002'\n",
		Want: "app gunicorn \"\"\n  bind 127.0.0.1:8001 written=\"127.0.0.1:8001\" `\"127.0.0.1:\" '80' \\\n  \"01\"` proto=http\n  bind [::]:8002 wildcard written=\"[::]:8002\" `u'[::]:8002'` proto=http\n",
	},
	{
		Name: "escapes and triple quotes",
		Src:  "bind = '''unix:/run/a\\x62.sock'''\nuser = \"\\u0077ww\"\ngroup = 33\numask = 0o0_07\n",
		Want: "app gunicorn \"\"\n  bind unix:/run/ab.sock written=\"unix:/run/ab.sock\" `'''unix:/run/a\\x62.sock'''` proto=http mode=0770 `0o0_07` owner=www `\"\\u0077ww\"` group=33 `33` run=www:33\n",
	},
	{
		Name: "later reassignment wins",
		Src:  "bind = os.environ['X']\nbind = '127.0.0.1:9'\n",
		Want: "app gunicorn \"\"\n  bind 127.0.0.1:9 written=\"127.0.0.1:9\" `'127.0.0.1:9'` proto=http\n",
	},
	{
		Name: "reassigned in an if",
		Src:  "bind = '127.0.0.1:9'\nif DEBUG:\n    bind = '0.0.0.0:9'\n",
		Want: "app gunicorn \"\"\n  unreadable `'0.0.0.0:9'`: bind is set again inside an if block ('0.0.0.0:9'): which value applies depends on the program proto=http\n",
	},
	{
		Name: "one-line if, else, try",
		Src:  "try:\n    import x\nexcept ImportError: bind = 'unix:/a'\n",
		Want: "app gunicorn \"\"\n  unreadable `'unix:/a'`: bind is set inside an except block ('unix:/a'): which value applies depends on the program proto=http\n",
	},
	{
		Name: "computed forms",
		Src:  "PORT = 8000\nbind = f\"0.0.0.0:{PORT}\"\numask = int('7')\nuser = os.getenv('U')\n",
		Want: "app gunicorn \"\"\n  unreadable `f\"0.0.0.0:{PORT}\"`: bind is computed: f\"0.0.0.0:{PORT}\" proto=http\n",
	},
	{
		Name: "f-string without fields is a literal",
		Src:  "bind = f'127.0.0.1:8000'\nuser = F'{{x}}'\n",
		Want: "app gunicorn \"\"\n  bind 127.0.0.1:8000 written=\"127.0.0.1:8000\" `f'127.0.0.1:8000'` proto=http run={x}:\n",
	},
	{
		Name: "concatenation, append, augmented",
		Src:  "bind = ['127.0.0.1:1']\nbind.append('127.0.0.1:2')\n",
		Want: "app gunicorn \"\"\n  unreadable `bind.append('127.0.0.1:2')`: bind is computed: bind.append('127.0.0.1:2') proto=http\n",
	},
	{
		Name: "one element computed",
		Src:  "bind = ['127.0.0.1:1', os.environ['B'], ]\n",
		Want: "app gunicorn \"\"\n  bind 127.0.0.1:1 written=\"127.0.0.1:1\" `'127.0.0.1:1'` proto=http\n  unreadable `os.environ['B']`: bind is computed: os.environ['B'] proto=http\n",
	},
	{
		Name: "star import",
		Src:  "from base_conf import *\nworkers = 2\n",
		Want: "app gunicorn \"\"\n  unreadable `from base_conf import *`: bind may be set by from base_conf import *, which nginxlint does not follow\n",
	},
	{
		Name: "annotated and chained",
		Src:  "bind: str = 'unix:/run/a.sock'\nuser = group = 'app'\n",
		Want: "app gunicorn \"\"\n  bind unix:/run/a.sock written=\"unix:/run/a.sock\" `'unix:/run/a.sock'` proto=http mode=0777 - owner=app `'app'` group=app `'app'` run=app:app\n",
	},
	{
		Name: "fd and port 0 and relative",
		Src:  "bind = ['fd://3', '127.0.0.1:0', 'unix://tmp/g.sock', 'unix:g.sock']\n",
		Want: "app gunicorn \"\"\n  unreadable `'fd://3'`: bind fd://3 is a socket inherited as file descriptor 3: its address is set by whoever starts gunicorn proto=http\n  unreadable `'127.0.0.1:0'`: port 0: the kernel picks a free port when gunicorn starts proto=http\n  unreadable `'unix://tmp/g.sock'`: gunicorn reads \"unix://tmp/g.sock\" as the relative path \"tmp/g.sock\" (in its working directory); for an absolute path write unix:/tmp/g.sock proto=http\n  unreadable `'unix:g.sock'`: the socket path \"g.sock\" is relative: gunicorn creates it in its working directory proto=http\n",
	},
	{
		Name: "certfile",
		Src:  "bind = '0.0.0.0:443'\ncertfile = '/etc/ssl/a.pem'\n",
		Want: "app gunicorn \"\"\n  bind 0.0.0.0:443 wildcard written=\"0.0.0.0:443\" `'0.0.0.0:443'` proto=https\n",
	},
	{
		Name: "walrus and for",
		Src:  "for bind in ['a']:\n    pass\n",
		Want: "app gunicorn \"\"\n  unreadable `for bind in ['a']:`: bind is set inside a for block (for bind in ['a']:): which value applies depends on the program proto=http\n",
	},
	{
		Name: "match is a name",
		Src:  "match = 1\nbind = 'unix:/r.sock'\n",
		Want: "app gunicorn \"\"\n  bind unix:/r.sock written=\"unix:/r.sock\" `'unix:/r.sock'` proto=http mode=0777 -\n",
	},
	// Problems.
	{
		Name: "octal with leading zeros",
		Src:  "bind = 'unix:/run/a.sock'\numask = 0007\n",
		Want: "app gunicorn \"\"\n  bind unix:/run/a.sock written=\"unix:/run/a.sock\" `'unix:/run/a.sock'` proto=http\nproblem `0007`: umask is not a valid Python number: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers; write it as 0o007\n",
	},
	{
		Name: "string umask int() refuses",
		Src:  "umask = '007'\nbind = 'unix:/a.sock'\n",
		Want: "app gunicorn \"\"\n  bind unix:/a.sock written=\"unix:/a.sock\" `'unix:/a.sock'` proto=http\nproblem `'007'`: gunicorn reads umask \"007\" with int(value, 0), which fails: write it as 0o007 (or the string \"0o007\")\n",
	},
	{
		Name: "bad addresses",
		Src:  "bind = ['127.0.0.1:http', b'127.0.0.1:1', 8000, '::1:80', '127.0.0.1:70000', '']\n",
		Want: "app gunicorn \"\"\n  bind 0.0.0.0:8000 wildcard written=\"\" `''` proto=http\nproblem `'127.0.0.1:http'`: \"http\" is not a valid port number; write HOST:PORT, e.g. 127.0.0.1:8000\nproblem `b'127.0.0.1:1'`: gunicorn wants a str, not bytes: remove the b prefix\nproblem `8000`: each address of bind must be a string, e.g. \"127.0.0.1:8000\"\nproblem `'::1:80'`: \"::1:80\" is not a valid address: write an IPv6 address in brackets, e.g. [::1]:8000\nproblem `'127.0.0.1:70000'`: port 70000 is out of range; use a port from 1 to 65535\n",
	},
	{
		Name: "empty bind",
		Src:  "bind = []\n",
		Want: "app gunicorn \"\"\n  unreadable `[]`: bind is empty proto=http\nproblem `[]`: bind is empty: gunicorn listens nowhere; write an address, e.g. bind = \"127.0.0.1:8000\"\n",
	},
	{
		Name: "syntax error",
		Src:  "bind = '127.0.0.1:8000\nworkers = 2\n",
		Want: "app gunicorn \"\"\n  unreadable `'127.0.0.1:8000`: the file is not valid Python: this string is never closed on its line; end it with ' or use a triple-quoted string\nproblem `'127.0.0.1:8000`: gunicorn cannot load this file: this string is never closed on its line; end it with ' or use a triple-quoted string\n",
	},
	{
		Name: "unclosed bracket",
		Src:  "bind = ['a',\n",
		Want: "app gunicorn \"\"\n  unreadable `[`: the file is not valid Python: \"[\" is never closed\nproblem `[`: gunicorn cannot load this file: \"[\" is never closed\n",
	},
}

func TestRead(t *testing.T) { appstest.Run(t, "gunicorn.conf.py", Read, readCases) }

func TestLinear(t *testing.T) {
	appstest.CheckLinear(t, Read,
		"bind = 'a'; ", "(", "[", "((", "bind = [[[[[[[[[[[[['a']]]]]]]]]]]]]\n",
		"if x:\n", " ", "    bind := 1\n", `bind = ''' \N{x}`, "x = f'{'", "a\\\n",
		"bind = (bind := bind := 1)\n", "from x import *\n", "'a' ", "bind = ",
	)
}

func FuzzRead(f *testing.F) { appstest.Fuzz(f, "gunicorn.conf.py", Read, readCases) }

// TestComments: the reader records the file's comments (for suppression
// comments), not a '#' inside a string.
func TestComments(t *testing.T) {
	src := "# top\nbind = \"127.0.0.1:8000\"  # trailing\nname = '# not a comment'\ndoc = \"\"\"\n# in a string\n\"\"\"\n"
	got := appstest.Comments("gunicorn.conf.py", src, Read)
	if want := []string{"# top", "# trailing"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
