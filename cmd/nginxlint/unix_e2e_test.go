//go:build unix

package main_test

// This file checks, against real nginx, that nginxlint reads a unix
// socket written unix:///path as the socket unix:/path: nginx passes what
// follows "unix:" to the kernel as it is, for which "///tmp/x" is the root
// path /tmp/x. The scenarios run through drift_e2e_test.go's harness
// (driftRunScenario): real backends on unix sockets, nginx -t and nginx
// itself as the oracle, and nginxlint's backend findings and fix-its
// judged line by line against what nginx did.

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

func TestUnixTripleSlashMatchesNginx(t *testing.T) {
	nginxtest.Binary(t)
	scenarios := []driftScenario{
		{"tree-triple-slash-manifest-plain", func(t *testing.T) driftSetup {
			// The tree writes every socket unix:///..., the manifest
			// unix:/...: the live socket is no drift anywhere (an upstream
			// server line, proxy_pass with and without a URI, stream), the
			// dead ones are, and the drifted server line of the upstream
			// bound to the backend is fixed to the backend's socket.
			dir := driftSocketDir(t)
			be := nginxtest.StartBackend(t, "unix", filepath.Join(dir, "app.sock"))
			s := driftSetup{
				upstreams: fmt.Sprintf("upstream good_pool {\n    server unix://%s;\n}\n", be.Addr) +
					fmt.Sprintf("upstream fix_pool {\n    server unix://%s;\n}\n", filepath.Join(dir, "old-pool.sock")),
				locations: driftLoc("/good-pool/", "proxy_pass http://good_pool;") +
					driftLoc("/fix-pool/", "proxy_pass http://fix_pool;") +
					driftLoc("/direct/", "proxy_pass http://unix://%s;", be.Addr) +
					driftLoc("/direct-uri/", "proxy_pass http://unix://%s:/v1/;", be.Addr) +
					driftLoc("/direct-bad/", "proxy_pass http://unix://%s;", filepath.Join(dir, "old.sock")),
				manifest: driftBackendTOML("app", "unix:"+be.Addr, `upstream = "fix_pool"`),
				wantFail: 2,
			}
			if _, err := os.Stat(driftStreamModule); err != nil {
				t.Logf("no stream module: %v; the stream servers are left out", err)
				return s
			}
			s.stream = fmt.Sprintf("    server { listen %s; proxy_pass unix://%s; }\n", driftStreamListen(t), be.Addr) +
				fmt.Sprintf("    server { listen %s; proxy_pass unix://%s; }\n", driftStreamListen(t), filepath.Join(dir, "old-stream.sock"))
			s.wantFail++
			return s
		}},
		{"tree-plain-manifest-triple-slash", func(t *testing.T) driftSetup {
			// The other way round: the manifest writes unix:///..., the
			// tree unix:/...
			dir := driftSocketDir(t)
			be := nginxtest.StartBackend(t, "unix", filepath.Join(dir, "app.sock"))
			return driftSetup{
				upstreams: fmt.Sprintf("upstream pool {\n    server unix:%s;\n}\n", be.Addr),
				locations: driftLoc("/pool/", "proxy_pass http://pool;") +
					driftLoc("/good/", "proxy_pass http://unix:%s:/v1/;", be.Addr) +
					driftLoc("/bad/", "proxy_pass http://unix:%s;", filepath.Join(dir, "old.sock")),
				manifest: driftBackendTOML("app", "unix://"+be.Addr, ""),
				wantFail: 1,
			}
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			driftRunScenario(t, sc)
		})
	}
}
