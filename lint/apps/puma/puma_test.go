package puma

import (
	"slices"
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps/appstest"
)

// readCases are the golden cases: a puma.rb and what Read makes of it.
var readCases = []appstest.Case{
	{
		// mastodon/mastodon config/puma.rb (04c259a8): the bind depends
		// on SOCKET, BIND and PORT from the environment, inside if/else.
		Name: "mastodon",
		Src:  "# frozen_string_literal: true\n\npersistent_timeout ENV.fetch('PERSISTENT_TIMEOUT') { 20 }.to_i\n\nif ENV['SOCKET']\n  bind \"unix://#{ENV['SOCKET']}\"\nelse\n  bind \"tcp://#{ENV.fetch('BIND', '127.0.0.1')}:#{ENV.fetch('PORT', 3000)}\"\nend\n\non_worker_boot do\n  ActiveSupport.on_load(:active_record) do\n    ActiveRecord::Base.establish_connection\n  end\nend\n\nplugin :tmp_restart\nset_remote_address(proxy_protocol: :v1) if ENV['PROXY_PROTO_V1'] == 'true'\n",
		Want: "app puma \"\"\n  unreadable `bind \"unix://#{ENV['SOCKET']}\"`: bind is called inside a block or a condition: whether it runs depends on the program\n  unreadable `bind \"tcp://#{ENV.fetch('BIND', '127.0.0.1')}:#{ENV.fetch('PORT', 3000)}\"`: bind is called inside a block or a condition: whether it runs depends on the program\n",
	},
	{
		// The config/puma.rb Rails 7.1 generates (rails/rails
		// railties templates): port from PORT, default 3000.
		Name: "rails 7.1",
		Src:  "threads_count = ENV.fetch(\"RAILS_MAX_THREADS\", 3)\nthreads threads_count, threads_count\n\n# Specifies the `port` that Puma will listen on to receive requests; default is 3000.\nport ENV.fetch(\"PORT\", 3000)\n\nplugin :tmp_restart\npidfile ENV[\"PIDFILE\"] if ENV[\"PIDFILE\"]\n",
		Want: "app puma \"\"\n  unreadable `ENV.fetch(\"PORT\", 3000)`: port is taken from the environment: PORT (3000 when unset)\n",
	},
	{
		// Older Rails templates: the default in a block.
		Name: "rails 6",
		Src:  "max_threads_count = ENV.fetch(\"RAILS_MAX_THREADS\") { 5 }\nport        ENV.fetch(\"PORT\") { 3000 }\nenvironment ENV.fetch(\"RAILS_ENV\") { \"development\" }\n",
		Want: "app puma \"\"\n  unreadable `ENV.fetch(\"PORT\") { 3000 }`: port is taken from the environment: PORT (3000 when unset)\n",
	},
	{
		// puma/puma lib/puma/dsl.rb documents the umask parameter;
		// docs/nginx.md proxies to that socket.
		Name: "unix socket with umask",
		Src:  "bind 'unix:///var/run/puma.sock?umask=0111'\n",
		Want: "app puma \"\"\n  bind unix:/run/puma.sock written=\"unix:///var/run/puma.sock?umask=0111\" `'unix:///var/run/puma.sock?umask=0111'` proto=http mode=0666 `'unix:///var/run/puma.sock?umask=0111'`\n",
	},
	{
		// puma/puma test/config/ssl_config.rb (ff2e2126): ssl_bind with
		// options in a hash, a rack app in a block.
		Name: "ssl_bind",
		Src:  "key = File.expand_path \"../puma_keypair.pem\", __FILE__\nssl_bind \"0.0.0.0\", 9292, :cert => cert, :key => key, :verify_mode => \"peer\"\n\napp do |env|\n  [200, {}, [\"embedded app\"]]\nend\n",
		Want: "app puma \"\"\n  bind 0.0.0.0:9292 wildcard `9292` proto=https\n",
	},
	{
		// puma/puma test/config/app.rb: port 0 picks a free port.
		Name: "port 0",
		Src:  "port ENV.fetch('PORT', 0)\n",
		Want: "app puma \"\"\n  unreadable `ENV.fetch('PORT', 0)`: port is taken from the environment: PORT (0 when unset)\n",
	},
	{
		Name: "default",
		Src:  "workers 2\npreload_app!\n",
		Want: "app puma \"\"\n  bind [::]:9292 wildcard - proto=http\n",
	},
	{
		Name: "every bind form",
		Src:  "bind \"tcp://127.0.0.1:3000\"\nbind('tcp://[::1]:3001')\nbind %q(tcp://localhost:3002)\nport 3003\nport 3004, '127.0.0.1'\nset_default_host '0.0.0.0'\nport \"3005\"\nbind \"unix:/run/a.sock?mode=660\"\nbind \"ssl://0.0.0.0:443?key=k&cert=c\"\n",
		Want: "app puma \"\"\n  bind 127.0.0.1:3000 written=\"tcp://127.0.0.1:3000\" `\"tcp://127.0.0.1:3000\"` proto=http\n  bind [::1]:3001 written=\"tcp://[::1]:3001\" `'tcp://[::1]:3001'` proto=http\n  bind localhost:3002 written=\"tcp://localhost:3002\" `%q(tcp://localhost:3002)` proto=http\n  bind [::]:3003 wildcard `3003` proto=http\n  bind 127.0.0.1:3004 `3004` proto=http\n  bind 0.0.0.0:3005 wildcard written=\"3005\" `\"3005\"` proto=http\n  bind unix:/run/a.sock written=\"unix:/run/a.sock?mode=660\" `\"unix:/run/a.sock?mode=660\"` proto=http mode=0660 `\"unix:/run/a.sock?mode=660\"`\n  bind 0.0.0.0:443 wildcard written=\"ssl://0.0.0.0:443?key=k&cert=c\" `\"ssl://0.0.0.0:443?key=k&cert=c\"` proto=https\n",
	},
	{
		Name: "clear_binds and modifier",
		Src:  "bind 'tcp://0.0.0.0:1'\nclear_binds!\nport 2 if production?\n=begin\nbind 'tcp://0.0.0.0:9'\n=end\ndef later\n  bind 'tcp://0.0.0.0:8'\nend\n",
		Want: "app puma \"\"\n  unreadable `port 2 if production?`: port is called under a condition (if): whether it runs depends on the program\n",
	},
	{
		Name: "interpolated and relative",
		Src:  "bind \"unix://#{Dir.pwd}/tmp/puma.sock\"\nbind 'unix://tmp/puma.sock'\nbind 'unix://@puma'\nbind_to_activated_sockets\n",
		Want: "app puma \"\"\n  unreadable `\"unix://#{Dir.pwd}/tmp/puma.sock\"`: bind is computed: \"unix://#{Dir.pwd}/tmp/puma.sock\"\n  unreadable `'unix://tmp/puma.sock'`: puma reads \"unix://tmp/puma.sock\" as the relative path \"tmp/puma.sock\" (in its working directory); for an absolute path write unix:///tmp/puma.sock\n  unreadable `'unix://@puma'`: unix://@puma is an abstract socket, which has no path in the file system\n  unreadable `bind_to_activated_sockets`: puma also listens on the sockets systemd passes it (bind_to_activated_sockets): read them from the .socket unit\n",
	},
	// Problems.
	{
		Name: "bad binds",
		Src:  "bind 'http://0.0.0.0:1'\nbind 'tcp://0.0.0.0'\nport 'x'\nbind 'unix:///a.sock?umask=0999'\nport 70000\n",
		Want: "app puma \"\"\nproblem `'http://0.0.0.0:1'`: puma does not bind \"http://0.0.0.0:1\": the scheme must be tcp, ssl or unix\nproblem `'tcp://0.0.0.0'`: \"tcp://0.0.0.0\" has no port; write tcp://0.0.0.0:9292\nproblem `'x'`: port \"x\" is not a number; write a port from 1 to 65535\nproblem `'unix:///a.sock?umask=0999'`: puma cannot read umask \"0999\"; write it in octal with a leading 0, e.g. umask=0117\nproblem `70000`: port 70000 is out of range; use a port from 1 to 65535\n",
	},
	{
		Name: "unclosed string",
		Src:  "bind 'tcp://0.0.0.0:1\n",
		Want: "app puma \"\"\n  unreadable `'`: the file cannot be read: this string is never closed; end it with '\nproblem `'`: puma cannot load this file: this string is never closed; end it with '\n",
	},
	{
		Name: "heredoc",
		Src:  "x = <<~EOS\n  bind 'tcp://0.0.0.0:1'\nEOS\n",
		Want: "app puma \"\"\n  unreadable `<<`: the file cannot be read: nginxlint does not read heredocs in puma.rb; write the value as a quoted string\nproblem `<<`: puma cannot load this file: nginxlint does not read heredocs in puma.rb; write the value as a quoted string\n",
	},
}

func TestRead(t *testing.T) { appstest.Run(t, "puma.rb", Read, readCases) }

func TestLinear(t *testing.T) {
	appstest.CheckLinear(t, Read,
		"bind 'tcp://0.0.0.0:1'\n", "(", "if x\n", "do\n", "port ENV.fetch('PORT') { 1 }\n",
		"\"#{", "x = \"#{'a'}\"\n", "%q(", "((", "a,\n", "bind 'unix:///a?umask=0&umask=0&mode=1'\n",
		"def x\n", "end\n", "=begin\n", "port 1 if x\n",
	)
}

func FuzzRead(f *testing.F) { appstest.Fuzz(f, "puma.rb", Read, readCases) }

// TestComments: the reader records the file's comments (for suppression
// comments), not a '#' inside a string or an interpolation.
func TestComments(t *testing.T) {
	src := "# top\r\nbind \"tcp://127.0.0.1:#{9292}\" # trailing\nport '# no'\n"
	got := appstest.Comments("puma.rb", src, Read)
	if want := []string{"# top", "# trailing"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
