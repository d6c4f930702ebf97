//go:build unix

package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The drift fix (backend-drift) rewrites a target only to an address the
// manifest makes certain: an address of the backend bound to the
// target's upstream block, when no other is possible. A bound backend
// with several addresses leaves the choice open, unless the other lines
// of the block settle it; rewriting each drifted line to the address
// with the closest port would be a guess, and turns distinct servers
// into one written twice. Such targets keep their finding and its hint,
// which names every address, and get no fix: --diff shows nothing for
// them, --fix writes nothing.

// fixListenCase is a tree whose drifted targets must get no fix.
type fixListenCase struct {
	name     string
	conf     string
	manifest string
	// hints are texts the findings must carry: what nginx dials, and
	// the addresses the hint names.
	hints []string
}

var fixListenAmbiguous = []fixListenCase{
	{
		name: "two ports",
		conf: events + `http {
    upstream pool { server 127.0.0.1:9001; server 127.0.0.1:9003; }
    server { listen 127.0.0.1:8080; location / { proxy_pass http://pool; } }
}
`,
		manifest: `[backends.api]
listen = ["127.0.0.1:8001", "127.0.0.1:8002"]
upstream = "pool"
`,
		hints: []string{
			`upstream "pool" dials 127.0.0.1:9001`,
			`upstream "pool" dials 127.0.0.1:9003`,
			"did you mean 127.0.0.1:8001 or 127.0.0.1:8002 (backend api)?",
		},
	},
	{
		name: "two hosts",
		conf: events + `http {
    upstream pool { server 127.0.0.3:9101; }
    server { listen 127.0.0.1:8080; location / { proxy_pass http://pool; } }
}
`,
		manifest: `[backends.api]
listen = ["127.0.0.1:8101", "127.0.0.2:8101"]
upstream = "pool"
`,
		hints: []string{
			`upstream "pool" dials 127.0.0.3:9101`,
			"did you mean 127.0.0.1:8101 or 127.0.0.2:8101 (backend api)?",
		},
	},
	{
		name: "a unix socket and a TCP address",
		conf: events + `http {
    upstream pool { server 127.0.0.1:9201; server unix:/run/api-old.sock; }
    server { listen 127.0.0.1:8080; location / { proxy_pass http://pool; } }
}
`,
		manifest: `[backends.api]
listen = ["unix:/run/api.sock", "127.0.0.1:8201"]
upstream = "pool"
`,
		hints: []string{
			`upstream "pool" dials 127.0.0.1:9201`,
			`upstream "pool" dials unix:/run/api-old.sock`,
			"did you mean unix:/run/api.sock or 127.0.0.1:8201 (backend api)?",
		},
	},
	{
		// One line dials an address of the backend: two drifted lines
		// are left for the one address left.
		name: "two drifted lines for one address left",
		conf: events + `http {
    upstream pool { server 127.0.0.1:8801; server 127.0.0.1:9801; server 127.0.0.1:9802; }
    server { listen 127.0.0.1:8080; location / { proxy_pass http://pool; } }
}
`,
		manifest: `[backends.api]
listen = ["127.0.0.1:8801", "127.0.0.1:8802"]
upstream = "pool"
`,
		hints: []string{
			`upstream "pool" dials 127.0.0.1:9801`,
			`upstream "pool" dials 127.0.0.1:9802`,
			"did you mean 127.0.0.1:8801 or 127.0.0.1:8802 (backend api)?",
		},
	},
	{
		name: "two addresses left for one drifted line",
		conf: events + `http {
    upstream pool { server 127.0.0.1:8901; server 127.0.0.1:9901; }
    server { listen 127.0.0.1:8080; location / { proxy_pass http://pool; } }
}
`,
		manifest: `[backends.api]
listen = ["127.0.0.1:8901", "127.0.0.1:8902", "127.0.0.1:8903"]
upstream = "pool"
`,
		hints: []string{
			`upstream "pool" dials 127.0.0.1:9901`,
			"did you mean 127.0.0.1:8901, 127.0.0.1:8902 or 127.0.0.1:8903 (backend api)?",
		},
	},
	{
		name: "a stream upstream",
		conf: events + `stream {
    upstream redis { server 127.0.0.1:6390; }
    server { listen 127.0.0.1:16379; proxy_pass redis; }
}
`,
		manifest: `[backends.redis]
listen = ["127.0.0.1:6379", "127.0.0.1:6380"]
protocol = "tcp"
upstream = "redis"
`,
		hints: []string{
			`upstream "redis" dials 127.0.0.1:6390`,
			"did you mean 127.0.0.1:6379 or 127.0.0.1:6380 (backend redis)?",
		},
	},
	{
		// The manifest binds backends to upstream blocks only: a
		// proxy_pass with an address is bound to no backend, whichever
		// backend is closest, and however many addresses it has.
		name: "a proxy_pass with an address",
		conf: events + `http {
    server {
        listen 127.0.0.1:8080;
        location /one/ { proxy_pass http://127.0.0.1:8300; }
        location /two/ { proxy_pass http://127.0.0.1:8400; }
    }
}
`,
		manifest: `[backends.one]
listen = "127.0.0.1:8301"

[backends.two]
listen = ["127.0.0.1:8401", "127.0.0.1:8402"]
`,
		hints: []string{
			"proxy_pass dials 127.0.0.1:8300",
			"did you mean 127.0.0.1:8301 (backend one)?",
			"proxy_pass dials 127.0.0.1:8400",
			"did you mean 127.0.0.1:8401 (backend two)?",
		},
	},
}

func TestHostileFixListenAmbiguous(t *testing.T) {
	for _, tc := range fixListenAmbiguous {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			conf := filepath.Join(dir, "nginx.conf")
			write(t, conf, tc.conf)
			write(t, filepath.Join(dir, "backends.toml"), tc.manifest)

			r := runBin(t, dir, nil, "--diff", ".")
			if r.code != 1 || r.stdout != "" {
				t.Errorf("--diff: exit %d, want 1 and no diff\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
			}
			r = runBin(t, dir, nil, ".")
			for _, h := range tc.hints {
				if !strings.Contains(r.stdout, h) {
					t.Errorf("the findings lack %q\n--- stdout\n%s--- stderr\n%s", h, r.stdout, r.stderr)
				}
			}

			before := confineSnapshot(t, dir)
			r = runBin(t, dir, nil, "--fix", ".")
			if r.code != 1 || !strings.Contains(r.stderr, "nothing to fix") {
				t.Errorf("--fix: exit %d, want 1 with \"nothing to fix\"\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
			}
			if after := confineSnapshot(t, dir); after != before {
				got, _ := os.ReadFile(conf)
				t.Errorf("--fix wrote a target whose backend is not certain:\n--- before\n%s--- after\n%s", tc.conf, got)
			}
		})
	}
}

// TestHostileFixListenCertain checks, in one tree with targets as above,
// that a line whose address is certain still gets its fix, and only
// those lines change: the backend's only address; 0.0.0.0:P and [::]:P,
// both of which 127.0.0.1:P reaches; the one address of the backend no
// other line of the block dials, when each of them dials one.
func TestHostileFixListenCertain(t *testing.T) {
	t.Parallel()
	const conf = events + `http {
    upstream ports { server 127.0.0.1:9001; server 127.0.0.1:9003; }
    upstream hosts { server 127.0.0.3:9101; }
    upstream mixed { server 127.0.0.1:9201; server unix:/run/mixed-old.sock; }
    upstream single { server 127.0.0.1:9501; }
    upstream dual { server 127.0.0.1:9601; }
    upstream sock { server unix:/run/sock-old.sock; }
    upstream spare { server 127.0.0.1:8701 weight=2; server 127.0.0.1:9701; }
    server {
        listen 127.0.0.1:8080;
        location /ports/ { proxy_pass http://ports; }
        location /hosts/ { proxy_pass http://hosts; }
        location /mixed/ { proxy_pass http://mixed; }
        location /single/ { proxy_pass http://single; }
        location /dual/ { proxy_pass http://dual; }
        location /sock/ { proxy_pass http://sock; }
        location /spare/ { proxy_pass http://spare; }
    }
}
`
	const manifest = `[backends.ports]
listen = ["127.0.0.1:8001", "127.0.0.1:8002"]
upstream = "ports"

[backends.hosts]
listen = ["127.0.0.1:8101", "127.0.0.2:8101"]
upstream = "hosts"

[backends.mixed]
listen = ["unix:/run/mixed.sock", "127.0.0.1:8201"]
upstream = "mixed"

[backends.single]
listen = "127.0.0.1:8501"
upstream = "single"

[backends.dual]
listen = ["0.0.0.0:8601", "[::]:8601"]
upstream = "dual"

[backends.sock]
listen = "unix:/run/sock.sock"
upstream = "sock"

[backends.spare]
listen = ["127.0.0.1:8701", "127.0.0.1:8702"]
upstream = "spare"
`
	fixed := strings.NewReplacer(
		"server 127.0.0.1:9501;", "server 127.0.0.1:8501;",
		"server 127.0.0.1:9601;", "server 127.0.0.1:8601;",
		"server unix:/run/sock-old.sock;", "server unix:/run/sock.sock;",
		"server 127.0.0.1:9701;", "server 127.0.0.1:8702;",
	).Replace(conf)

	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	write(t, path, conf)
	write(t, filepath.Join(dir, "backends.toml"), manifest)

	r := runBin(t, dir, nil, "--diff", ".")
	var changed []string
	for _, l := range strings.Split(r.stdout, "\n") {
		if (strings.HasPrefix(l, "-") || strings.HasPrefix(l, "+")) && !strings.HasPrefix(l, "---") && !strings.HasPrefix(l, "+++") {
			changed = append(changed, l)
		}
	}
	want := []string{
		"-    upstream single { server 127.0.0.1:9501; }",
		"+    upstream single { server 127.0.0.1:8501; }",
		"-    upstream dual { server 127.0.0.1:9601; }",
		"+    upstream dual { server 127.0.0.1:8601; }",
		"-    upstream sock { server unix:/run/sock-old.sock; }",
		"+    upstream sock { server unix:/run/sock.sock; }",
		"-    upstream spare { server 127.0.0.1:8701 weight=2; server 127.0.0.1:9701; }",
		"+    upstream spare { server 127.0.0.1:8701 weight=2; server 127.0.0.1:8702; }",
	}
	if strings.Join(changed, "\n") != strings.Join(want, "\n") {
		t.Errorf("--diff changes:\n%s\nwant:\n%s\n--- stdout\n%s--- stderr\n%s", strings.Join(changed, "\n"), strings.Join(want, "\n"), r.stdout, r.stderr)
	}

	r = runBin(t, dir, nil, "--fix", ".")
	if !strings.Contains(r.stderr, "fixed 4 findings in 1 file") {
		t.Errorf("--fix: exit %d, want 4 findings fixed\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != fixed {
		t.Errorf("--fix wrote:\n%s\nwant:\n%s", got, fixed)
	}
	// What --fix left: the targets of backends with several addresses,
	// each still reported.
	for _, s := range []string{
		`upstream "ports" dials 127.0.0.1:9001`, `upstream "ports" dials 127.0.0.1:9003`,
		`upstream "hosts" dials 127.0.0.3:9101`,
		`upstream "mixed" dials 127.0.0.1:9201`, `upstream "mixed" dials unix:/run/mixed-old.sock`,
	} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("after --fix, no finding %q\n--- stdout\n%s--- stderr\n%s", s, r.stdout, r.stderr)
		}
	}
}
