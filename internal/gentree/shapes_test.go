package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/manifest"
)

// testSizes is N for each shape in the tests of the shapes: small.
var testSizes = map[string]int{
	"hosts": 200, "ports": 200, "sockets": 200, "names": 400, "one-file": 200, "tiny-files": 50, "dump": 200,
	"stale-manifest": 200, "big-upstream": 300, "many-locations": 500, "many-upstreams": 300, "deep-include": 50,
}

// smallShape generates shape s at its test size into a temporary
// directory.
func smallShape(t *testing.T, s *Shape) *Stats {
	t.Helper()
	n, ok := testSizes[s.Name]
	if !ok {
		t.Fatalf("shape %s has no size in testSizes", s.Name)
	}
	st, err := Generate(t.TempDir(), s.Config(n))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestShapes checks that each shape is what it says: its dimension, its
// manifest, and nginxlint reading all of it with hardly a finding.
func TestShapes(t *testing.T) {
	for _, s := range Shapes() {
		t.Run(s.Name, func(t *testing.T) {
			st := smallShape(t, s)
			n := st.N
			m, err := manifest.Load(filepath.Join(st.Dir, "backends.toml"))
			if err != nil {
				t.Fatalf("the manifest: %v", err)
			}
			var listen []manifest.Addr
			for _, b := range m.Backends {
				if !isPlatform(b.Name) {
					listen = append(listen, b.Listen...)
				}
			}
			hosts, ports := map[string]bool{}, map[int]bool{}
			for _, a := range listen {
				hosts[a.Host], ports[a.Port] = true, true
			}
			check := func(ok bool, what string) {
				t.Helper()
				if !ok {
					t.Errorf("%s: %s", what, st.Summary())
				}
			}
			switch s.Name {
			case "hosts":
				check(len(ports) == 1 && ports[spreadPort] && len(hosts) == len(listen), "every backend on port 8080 of a host of its own")
			case "ports":
				check(len(hosts) == 1 && hosts["127.0.0.1"] && len(ports) == len(listen), "every backend on a port of its own of 127.0.0.1")
			case "sockets":
				for _, a := range listen {
					check(a.Unix, "every backend on a unix socket")
				}
			case "names":
				for _, a := range listen {
					check(!a.IP.IsValid() && a.Port == spreadPort, "every backend on a host name")
				}
				check(len(hosts) == len(listen), "a host name each")
				for _, b := range m.Backends {
					check(isPlatform(b.Name) || b.Fixed, "host-name backends marked fixed")
				}
				check(len(m.External) > smallExternal, "partners in the external list")
			case "stale-manifest":
				check(len(ports) == 1 && ports[spreadPort+1], "every backend a port above 8080")
			case "one-file":
				check(st.ConfDFiles == 1 && st.Servers == n, "all servers in one file")
			case "tiny-files":
				check(st.ConfDFiles == n && st.Servers == n, "one server in each file")
			case "dump":
				d, err := os.ReadFile(filepath.Join(st.Dir, st.Dump))
				check(err == nil && bytes.HasPrefix(d, []byte("# configuration file "+st.Dir+"/nginx.conf:\n")), "a dump that starts with nginx.conf")
				check(st.DumpBytes == int64(len(d)) && st.TreeBytes == st.DumpBytes+st.ManifestBytes, "the dump's size")
			case "big-upstream":
				check(st.Upstreams == 1 && len(listen) == n && m.Backend("big").Upstream == "big_pool", "one upstream of N servers, one backend bound to it")
			case "many-locations":
				check(st.Servers == 1 && st.Locations == n, "one server of N locations")
			case "many-upstreams":
				check(st.Upstreams == n && len(m.Backends) == n+len(platform), "N upstreams, a backend each")
			case "deep-include":
				check(st.ConfigFiles == n+1 && st.Servers == n, "a chain of N files")
			default:
				t.Errorf("shape %s: no test says what it is", s.Name)
			}
			if s.stale {
				lintStale(t, st)
			} else {
				lintClean(t, st)
			}
		})
	}
}

// smallExternal is how many external entries the names shape has at
// least, at its test size: more than IsExternal tries one by one.
const smallExternal = 16

func isPlatform(name string) bool {
	for _, p := range platform {
		if p.name == name {
			return true
		}
	}
	return false
}

// lintClean lints the tree and checks that nginxlint read every file and
// found hardly anything.
func lintClean(t *testing.T, st *Stats) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := newLinter(t, st).run(&stdout, &stderr); code == cli.ExitFailure {
		t.Fatalf("nginxlint exited %d:\n%s", code, stderr.String())
	}
	checkMostlyClean(t, st, stdout.Bytes(), 1+st.Servers/100)
}

// checkMostlyClean reads nginxlint's JSON report of the tree st and checks
// that it read every file and has at most most findings (the tree is
// meant to be clean; a few may come from new rules).
func checkMostlyClean(t *testing.T, st *Stats, out []byte, most int) {
	t.Helper()
	var rep struct {
		Diagnostics []struct {
			Rule, File, Message string
			Line                int
		}
		Files int
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("nginxlint output: %v\n%s", err, out)
	}
	if rep.Files != st.ConfigFiles {
		t.Errorf("nginxlint read %d files, the tree has %d", rep.Files, st.ConfigFiles)
	}
	for _, d := range rep.Diagnostics {
		t.Logf("%s:%d: %s [%s]", d.File, d.Line, d.Message, d.Rule)
	}
	if len(rep.Diagnostics) > most {
		t.Errorf("%d findings on a tree of %d servers: the generated tree is meant to be clean", len(rep.Diagnostics), st.Servers)
	}
}

// lintStale lints a tree of the stale-manifest shape and checks that
// every finding is a drift with a hint.
func lintStale(t *testing.T, st *Stats) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := newLinter(t, st).run(&stdout, &stderr); code != cli.ExitFindings {
		t.Fatalf("nginxlint exited %d, want %d:\n%s", code, cli.ExitFindings, stderr.String())
	}
	var rep struct {
		Diagnostics []struct{ Rule, Message string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("nginxlint output: %v\n%s", err, stdout.String())
	}
	drifts := 0
	for _, d := range rep.Diagnostics {
		if d.Rule == "backend-drift" && strings.Contains(d.Message, "did you mean") {
			drifts++
		}
	}
	if drifts < st.Servers || drifts < len(rep.Diagnostics)*9/10 {
		t.Errorf("%d findings, %d of them drifts with a hint, on a tree of %d servers: want a drift for each target", len(rep.Diagnostics), drifts, st.Servers)
	}
}

// TestShapesNginxAccepts checks that nginx -t accepts every shape it can
// check without DNS.
func TestShapesNginxAccepts(t *testing.T) {
	bin := nginxtest.Binary(t)
	for _, s := range Shapes() {
		t.Run(s.Name, func(t *testing.T) {
			if !s.NginxT {
				t.Skipf("nginx -t would resolve the host names of shape %s", s.Name)
			}
			st := smallShape(t, s)
			nginxAccepts(t, bin, st.Dir)
			if st.Dump != "" {
				// The dump is what nginx -T prints, byte for byte.
				want, err := os.ReadFile(filepath.Join(st.Dir, st.Dump))
				if err != nil {
					t.Fatal(err)
				}
				if got := nginxDump(t, bin, st.Dir); !bytes.Equal(got, want) {
					t.Errorf("%s differs from what nginx -T prints (%d bytes, %d from nginx -T)", st.Dump, len(want), len(got))
				}
			}
		})
	}
}

// nginxAccepts runs nginx -t on the tree in dir d.
func nginxAccepts(t *testing.T, bin, d string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := nginxCommand(ctx, bin, d, "-t").CombinedOutput(); err != nil {
		t.Fatalf("nginx -t rejects the generated tree: %v\n%s", err, out)
	}
}

// nginxDump returns what nginx -T prints for the tree in dir d.
func nginxDump(t *testing.T, bin, d string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := nginxCommand(ctx, bin, d, "-T")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nginx -T: %v\n%s", err, stderr.String())
	}
	return out
}

// nginxCommand returns the command running nginx with flag (-t or -T) on
// the tree in dir d, quietly, with every path it writes inside d, killed
// when ctx is done.
func nginxCommand(ctx context.Context, bin, d, flag string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin, flag, "-q", "-p", d+"/", "-c", filepath.Join(d, "nginx.conf"),
		"-e", filepath.Join(d, "error.log"), "-g", "pid "+filepath.Join(d, "nginx.pid")+";")
	cmd.Dir = d
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NGINX=") { // nginx would inherit sockets through it
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd
}

// TestShapesDeterministic checks that a shape is a function of its size
// and seed, byte for byte but for the directory it names.
func TestShapesDeterministic(t *testing.T) {
	for _, s := range Shapes() {
		t.Run(s.Name, func(t *testing.T) {
			a, b := smallShape(t, s), smallShape(t, s)
			for _, rel := range []string{"backends.toml", "conf.d/001.conf"} {
				x, err := os.ReadFile(filepath.Join(a.Dir, rel))
				if err != nil {
					t.Fatal(err)
				}
				y, err := os.ReadFile(filepath.Join(b.Dir, rel))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(x, y) {
					t.Errorf("%s differs between two runs with the same seed", rel)
				}
			}
		})
	}
}
