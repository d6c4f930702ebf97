// Package manifest reads the backend manifest of an nginx tree and answers
// questions about the addresses nginx connects to.
//
// The manifest is a TOML file that records where each backend really
// listens, so that the targets written in nginx directives (proxy_pass,
// fastcgi_pass, upstream server lines and so on) can be checked against it:
//
//	[nginx]
//	version = "1.22.1"            # optional: MAJOR.MINOR or MAJOR.MINOR.PATCH
//	user = "www-data"             # optional: nginx's worker user, for a tree
//	                              # without a user directive
//	groups = ["www-data", "php"]  # optional: every group that user is in
//	compose = "compose.yaml#nginx" # optional: the compose service nginx runs in
//	private_dirs = ["/home/deploy"] # optional: directories nginx's user
//	                              # cannot enter
//
//	# optional: hosts outside this machine that targets may point at
//	external = ["api.stripe.com", "*.example.org", "10.0.0.0/8", "203.0.113.7:443"]
//
//	[backends.api]                # one table per backend; the key is its name
//	listen = "127.0.0.1:8001"     # or "[::1]:8001", "0.0.0.0:8001", "[::]:8001",
//	                              # "app:8001", "unix:/run/app.sock", or a list
//	protocol = "http"             # http (default), https, fastcgi, uwsgi, scgi,
//	                              # grpc, grpcs or memcached
//	upstream = "api_pool"         # optional: the upstream block that must reach it
//	idle_timeout = "5s"           # optional: keep-alive idle timeout of the backend
//	max_response_time = "120s"    # optional: slowest legitimate response
//	fixed = true                  # optional: its host names never change address
//	app = "../../deploy/gunicorn.conf.py" # optional: the app configuration
//	                              # that binds it, relative to the manifest;
//	                              # "FILE#NAME" for one of several (a pool,
//	                              # a unit, a compose service)
//
// [Parse] and [Load] validate the whole file and report every problem they
// find as an [ErrorList], each error with the file, line and column of the
// key or value at fault.
//
// The app and compose keys link the manifest to the apps' own
// configurations ([SplitLink] splits them), which lint/apps/read reads:
// the rules then check that each app binds where its backend listens and
// that nginx's worker user can open the sockets the apps create.
//
// [ParseTarget] reads the address argument of an nginx directive the way
// nginx does, and [Addr.Accepts], [Manifest.Resolve], [Manifest.Nearest],
// [IsLocal] and [Manifest.IsExternal] decide whether a backend receives the
// connections nginx makes to that address.
package manifest

// DefaultName is the manifest nginxlint looks for in the tree's directory
// when none is named.
const DefaultName = "backends.toml"
