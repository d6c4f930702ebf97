//go:build unix

package main_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The tests of how nginxlint is distributed: the release script, the
// container image, the GitHub Action and the README's CI snippets.

// repoRoot is the repository's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// runScript runs a bash script in dir with env added, within a minute.
func runScript(t *testing.T, dir, script string, env []string) (string, int) {
	t.Helper()
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("script did not finish within a minute:\n%s\n%s", script, out.String())
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

// exampleRepo makes a repository-like directory holding the example tree
// at etc/nginx (as the README's CI snippets lint it), and one whose
// manifest is invalid at broken/etc/nginx.
func exampleRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(repoRoot(t), "example/etc/nginx")
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, "etc/nginx", rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if info.Mode()&os.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	// The apps the example's manifest links (app = "../../app/..."), read
	// inside the repository only.
	copyTree(t, filepath.Join(repoRoot(t), "example/app"), filepath.Join(dir, "app"))
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "broken/etc/nginx/nginx.conf"), events+"http {}\n")
	write(t, filepath.Join(dir, "broken/etc/nginx/backends.toml"), "[backends.api]\nlisen = \"127.0.0.1:1\"\n")
	write(t, filepath.Join(dir, "clean/etc/nginx/nginx.conf"), events+"http {}\n")
	return dir
}

// binDir returns a directory holding the binary as "nginxlint", for PATH.
func binDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(binary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nginxlint"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// actionStep is a step of action.yml.
type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

// actionRun runs action.yml's shell steps as the runner would, with
// inputs (over the defaults) and the steps' outputs substituted into
// their env, in workspace; it returns each step's output and exit code,
// stopping at the first that fails (as a runner does, but for steps
// with always()).
type actionResult struct {
	logs    map[string]string
	codes   map[string]int
	outputs map[string]string
}

func actionRun(t *testing.T, workspace string, inputs map[string]string) actionResult {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml: runs.using %q, want composite", a.Runs.Using)
	}
	in := map[string]string{}
	for k, v := range a.Inputs {
		in[k] = v.Default
	}
	for k, v := range inputs {
		if _, ok := a.Inputs[k]; !ok {
			t.Fatalf("action.yml has no input %q", k)
		}
		in[k] = v
	}
	tmp := t.TempDir()
	ghPath, ghOutput := filepath.Join(tmp, "path"), filepath.Join(tmp, "output")
	write(t, ghPath, "")
	res := actionResult{logs: map[string]string{}, codes: map[string]int{}, outputs: map[string]string{}}
	expr := regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)
	subst := func(s string) string {
		return expr.ReplaceAllStringFunc(s, func(m string) string {
			e := expr.FindStringSubmatch(m)[1]
			switch {
			case strings.HasPrefix(e, "inputs."):
				return in[strings.TrimPrefix(e, "inputs.")]
			case strings.HasPrefix(e, "steps.lint.outputs."):
				return res.outputs[strings.TrimPrefix(e, "steps.lint.outputs.")]
			}
			t.Fatalf("action.yml: an expression the test does not know: %s", m)
			return ""
		})
	}
	failed := false
	for _, st := range a.Runs.Steps {
		if st.Uses != "" {
			continue // another action (upload-sarif): not run here
		}
		if st.Shell != "bash" {
			t.Fatalf("action.yml: step %q: shell %q, want bash (the same on every runner)", st.Name, st.Shell)
		}
		if strings.Contains(st.Run, "${{") {
			t.Errorf("action.yml: step %q puts an expression in its script: pass it through env (a value with quotes would run as code)", st.Name)
		}
		if failed && !strings.Contains(st.If, "always()") {
			continue
		}
		env := []string{
			"GITHUB_PATH=" + ghPath, "GITHUB_OUTPUT=" + ghOutput, "RUNNER_TEMP=" + tmp,
			"RUNNER_OS=" + map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS],
			"RUNNER_ARCH=" + map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH],
		}
		// Directories the earlier steps added to GITHUB_PATH come first.
		added, _ := os.ReadFile(ghPath)
		path := os.Getenv("PATH")
		for _, d := range strings.Fields(string(added)) {
			path = d + ":" + path
		}
		env = append(env, "PATH="+path)
		for k, v := range st.Env {
			env = append(env, k+"="+subst(v))
		}
		out, code := runScript(t, workspace, st.Run, env)
		key := st.ID
		if key == "" {
			key = st.Name
		}
		res.logs[key], res.codes[key] = out, code
		if b, err := os.ReadFile(ghOutput); err == nil {
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				if k, v, ok := strings.Cut(sc.Text(), "="); ok {
					res.outputs[k] = v
				}
			}
		}
		failed = failed || code != 0
	}
	return res
}

// serveRelease serves a release of the test binary as GitHub does:
// DOWNLOAD-URL/v0.1.0/nginxlint_0.1.0_OS_ARCH and SHA256SUMS. tamper
// changes the binary after its checksum was taken.
func serveRelease(t *testing.T, tamper bool) string {
	t.Helper()
	data, err := os.ReadFile(binary(t))
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("nginxlint_0.1.0_%s_%s", runtime.GOOS, runtime.GOARCH)
	sum := sha256.Sum256(data)
	sums := fmt.Sprintf("%s  LICENSES.txt\n%s  %s\n", strings.Repeat("0", 64), hex.EncodeToString(sum[:]), name)
	if tamper {
		data = append(slices.Clone(data), 0)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/download/v0.1.0/" + name:
			w.Write(data)
		case "/download/v0.1.0/SHA256SUMS":
			w.Write([]byte(sums))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/download"
}

// TestAction runs action.yml's shell steps with their inputs, against a
// release served locally: the download is checked, the report is written
// whatever the verdict, and the job's verdict follows the exit status.
func TestAction(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed: the action's download step needs it")
	}
	repo := exampleRepo(t)
	url := serveRelease(t, false)
	for _, c := range []struct {
		name    string
		inputs  map[string]string
		exit    string
		verdict int
	}{
		{"findings", map[string]string{"path": "./etc/nginx"}, "1", 1},
		{"fail-on info", map[string]string{"path": "./etc/nginx", "fail-on": "info", "format": "json"}, "1", 1},
		{"clean", map[string]string{"path": "clean/etc/nginx"}, "0", 0},
		{"exit 2", map[string]string{"path": "broken/etc/nginx"}, "2", 2},
		{"two paths", map[string]string{"path": "clean/etc/nginx\n./etc/nginx", "args": "--fail-on error"}, "1", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(filepath.Join(repo, "nginxlint.sarif"))
			c.inputs["download-url"] = url
			res := actionRun(t, repo, c.inputs)
			if res.codes["Download nginxlint"] != 0 || !strings.Contains(res.logs["Download nginxlint"], "nginxlint ") {
				t.Fatalf("download: exit %d\n%s", res.codes["Download nginxlint"], res.logs["Download nginxlint"])
			}
			if res.codes["lint"] != 0 || res.outputs["exit-code"] != c.exit {
				t.Errorf("lint step: exit %d, exit-code output %q, want 0 and %s\n%s", res.codes["lint"], res.outputs["exit-code"], c.exit, res.logs["lint"])
			}
			if res.codes["Verdict"] != c.verdict {
				t.Errorf("verdict: exit %d, want %d\n%s", res.codes["Verdict"], c.verdict, res.logs["Verdict"])
			}
			sarif, err := os.ReadFile(filepath.Join(repo, "nginxlint.sarif"))
			if err != nil {
				t.Fatalf("no SARIF for the upload step: %v", err)
			}
			var log struct {
				Runs []struct {
					Invocations []struct {
						ExecutionSuccessful bool `json:"executionSuccessful"`
					} `json:"invocations"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(sarif, &log); err != nil || len(log.Runs) != 1 {
				t.Fatalf("the SARIF file is not a SARIF log: %v", err)
			}
			if failed := len(log.Runs[0].Invocations) == 1 && !log.Runs[0].Invocations[0].ExecutionSuccessful; failed != (c.exit == "2") {
				t.Errorf("SARIF executionSuccessful says failed=%v for exit %s", failed, c.exit)
			}
		})
	}
	t.Run("tampered binary", func(t *testing.T) {
		res := actionRun(t, repo, map[string]string{"download-url": serveRelease(t, true), "path": "./etc/nginx"})
		if res.codes["Download nginxlint"] == 0 || !strings.Contains(res.logs["Download nginxlint"], "does not match its checksum") {
			t.Errorf("a binary that does not match SHA256SUMS was not refused:\n%s", res.logs["Download nginxlint"])
		}
		if _, ran := res.codes["lint"]; ran {
			t.Error("the lint step ran after a failed download")
		}
	})
	t.Run("missing release", func(t *testing.T) {
		res := actionRun(t, repo, map[string]string{"download-url": url, "version": "v9.9.9"})
		if res.codes["Download nginxlint"] == 0 {
			t.Errorf("a missing release did not fail the download:\n%s", res.logs["Download nginxlint"])
		}
	})
}

// readmeBlock returns the fenced block of the README that contains want.
func readmeBlock(t *testing.T, want string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range regexp.MustCompile("(?s)```[a-z]*\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.Contains(block[1], want) {
			return block[1]
		}
	}
	t.Fatalf("README has no block with %q", want)
	return ""
}

// TestReadmeCISnippets runs the nginxlint commands of the README's CI
// examples (not the CI services around them) on the example tree, one
// with findings and one nginxlint cannot lint: findings pass the step
// and keep the report; exit 2 fails it, and the report says why.
func TestReadmeCISnippets(t *testing.T) {
	gitlab := compileSchema(t, gitlabSchemaFile)
	path := binDir(t) + ":" + os.Getenv("PATH")
	commands := map[string]string{}
	var gh struct {
		Steps []actionStep `yaml:"steps"`
	}
	if err := yaml.Unmarshal([]byte(readmeBlock(t, "upload-sarif")), &gh); err != nil {
		t.Fatalf("README's GitHub example: %v", err)
	}
	for _, st := range gh.Steps {
		if strings.HasPrefix(st.Run, "nginxlint ") {
			commands["github"] = st.Run
		}
	}
	var gl map[string]struct {
		Script    []string `yaml:"script"`
		Artifacts struct {
			When    string            `yaml:"when"`
			Reports map[string]string `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	if err := yaml.Unmarshal([]byte(readmeBlock(t, "codequality:")), &gl); err != nil {
		t.Fatalf("README's GitLab example: %v", err)
	}
	job := gl["nginxlint"]
	if job.Artifacts.When != "always" || job.Artifacts.Reports["codequality"] == "" {
		t.Errorf("README's GitLab example: artifacts %+v, want when: always and a codequality report", job.Artifacts)
	}
	for _, line := range job.Script {
		if strings.HasPrefix(line, "nginxlint ") {
			commands["gitlab"] = line
		}
	}
	if len(commands) != 2 {
		t.Fatalf("README's CI examples: nginxlint commands %v, want one for GitHub and one for GitLab", commands)
	}
	for ci, cmd := range commands {
		if !strings.HasSuffix(cmd, "|| [ $? -eq 1 ]") {
			t.Errorf("%s: %q does not tell exit 1 from exit 2", ci, cmd)
		}
		for _, tree := range []string{"", "broken/"} {
			repo := exampleRepo(t)
			script := strings.ReplaceAll(cmd, "./etc/nginx", "./"+tree+"etc/nginx")
			out, code := runScript(t, repo, script, []string{"PATH=" + path})
			if (code == 0) != (tree == "") {
				t.Errorf("%s on %setc/nginx: exit %d\n%s\n%s", ci, tree, code, script, out)
			}
			switch ci {
			case "github":
				if !strings.Contains(out, "::") {
					t.Errorf("github: no annotation:\n%s", out)
				}
				sarif, _ := os.ReadFile(filepath.Join(repo, "nginxlint.sarif"))
				if !json.Valid(sarif) || (tree != "") != bytes.Contains(sarif, []byte(`"executionSuccessful": false`)) {
					t.Errorf("github on %setc/nginx: the SARIF file for the upload:\n%s", tree, sarif)
				}
			case "gitlab":
				report, err := os.ReadFile(filepath.Join(repo, job.Artifacts.Reports["codequality"]))
				if err != nil {
					t.Fatal(err)
				}
				validateJSON(t, "gitlab", gitlab, string(report))
				if tree != "" && !bytes.Contains(report, []byte(`"blocker"`)) {
					t.Errorf("gitlab on a tree it cannot lint: the report does not say so:\n%s", report)
				}
				junit, err := os.ReadFile(filepath.Join(repo, job.Artifacts.Reports["junit"]))
				if err != nil {
					t.Fatal(err)
				}
				validateJUnit(t, "junit", string(junit))
			}
		}
	}
	// The permissions code scanning needs.
	perms := readmeBlock(t, "security-events: write")
	if !strings.Contains(perms, "contents: read") {
		t.Errorf("README's GitHub example lacks contents: read:\n%s", perms)
	}
}

// TestReadmePinsVersion: the CI and pre-commit examples pin a release.
func TestReadmePinsVersion(t *testing.T) {
	for _, want := range []string{"rev: v0.1.0", "nginxlint/nginxlint@v0.1.0", "releases/download/v0.1.0"} {
		readmeBlock(t, want)
	}
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "default: v0.1.0") {
		t.Error("action.yml's version input does not default to the release it belongs to")
	}
}

// dockerfileRun returns the Dockerfile's RUN line that builds the binary.
func dockerfileRun(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^RUN (CGO_ENABLED=0 go build .*)$`).FindStringSubmatch(string(data))
	if m == nil {
		t.Fatal("Dockerfile: no RUN CGO_ENABLED=0 go build line")
	}
	return m[1]
}

// TestDockerfileBuild runs the Dockerfile's build command as its build
// stage does, without a container engine: the binary is static (no
// interpreter, so it runs in an empty image) and says its version.
func TestDockerfileBuild(t *testing.T) {
	out := t.TempDir()
	cmd := strings.ReplaceAll(dockerfileRun(t), "${VERSION}", "v0.1.0")
	cmd = strings.ReplaceAll(cmd, "/out/", out+"/")
	log, code := runScript(t, repoRoot(t), cmd, nil)
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s", cmd, code, log)
	}
	bin := filepath.Join(out, "nginxlint")
	if runtime.GOOS == "linux" {
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("the binary is dynamically linked: it cannot run in the scratch image")
			}
		}
	}
	v, err := exec.Command(bin, "--version").Output()
	if err != nil || !strings.HasPrefix(string(v), "nginxlint v0.1.0\n") {
		t.Errorf("--version: %v\n%s", err, v)
	}
}

// podman returns the command that runs podman here, or skips the test
// when no container engine can run a container on this machine.
func podman(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("podman"); err != nil {
		t.Skip("no container engine (apt-get install podman runc): the image is not built; TestDockerfileBuild runs its build command")
	}
	// This machine's sandbox lets neither crun set its default rlimits nor
	// manage cgroups in hybrid mode: runc with explicit limits works.
	base := []string{"podman"}
	if _, err := exec.LookPath("runc"); err == nil {
		base = append(base, "--runtime", "runc")
	}
	return base
}

var podmanLimits = []string{"--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"}

// TestDockerImage builds the image from the Dockerfile with podman and
// lints a mounted tree with it. The build stage's Go image cannot be
// pulled here (no registry but Go's, Debian's and npm's), so it builds
// FROM an image of this machine's own Go toolchain (GO_IMAGE), offline,
// with the module cache mounted.
func TestDockerImage(t *testing.T) {
	pm := podman(t)
	run := func(args ...string) (string, error) {
		cmd := exec.Command(pm[0], append(pm[1:], args...)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	// Can a container run at all?
	if out, err := run("info"); err != nil {
		t.Skipf("podman cannot run here: %v\n%s", err, out)
	}
	goroot, modcache, gocache := goEnv(t, "GOROOT"), goEnv(t, "GOMODCACHE"), goEnv(t, "GOCACHE")
	builder := "localhost/nginxlint-gobuilder:" + runtime.Version()
	if _, err := run("image", "exists", builder); err != nil {
		// The toolchain, a shell and what the shell links.
		files := []string{strings.TrimPrefix(goroot, "/"), "usr/bin/sh", "usr/bin/dash", "bin", "lib", "lib64"}
		ldd, err := exec.Command("ldd", "/usr/bin/dash").Output()
		if err != nil {
			t.Skipf("ldd: %v: cannot make a toolchain image of this machine", err)
		}
		for _, f := range regexp.MustCompile(`(/\S+\.so[.\d]*)`).FindAllString(string(ldd), -1) {
			// The library and each link to it, in their real directories
			// (bin, lib and lib64 are links to usr/ on merged systems).
			for range 10 {
				dir, err := filepath.EvalSymlinks(filepath.Dir(f))
				if err != nil {
					break
				}
				q := filepath.Join(dir, filepath.Base(f))
				files = append(files, strings.TrimPrefix(q, "/"))
				target, err := os.Readlink(q)
				if err != nil {
					break
				}
				if !filepath.IsAbs(target) {
					target = filepath.Join(dir, target)
				}
				f = target
			}
		}
		script := fmt.Sprintf("tar -C / -cf - --no-recursion tmp --recursion %s | %s import --change 'ENV PATH=%s/bin:/usr/bin:/bin' --change 'ENV GOPATH=/go' --change 'ENV HOME=/root' - %s",
			strings.Join(files, " "), strings.Join(pm, " "), goroot, builder)
		if out, code := runScript(t, "/", script, nil); code != 0 {
			t.Skipf("podman cannot import an image here (exit %d): the image is not built; TestDockerfileBuild runs its build command\n%s", code, out)
		}
	}
	// Can a container run here at all?
	if out, err := run(append(append([]string{"run", "--rm", "--network", "none"}, podmanLimits...), builder, "/bin/sh", "-c", "go version")...); err != nil {
		t.Skipf("podman cannot run a container here: %v: the image is not built; TestDockerfileBuild runs its build command\n%s", err, out)
	}
	tag := "localhost/nginxlint:test"
	args := append([]string{"build"}, podmanLimits...)
	args = append(args, "--network", "none", "-v", modcache+":/go/pkg/mod", "-v", gocache+":/root/.cache/go-build",
		"--env", "GOPROXY=off", "--env", "GOFLAGS=-mod=mod", "--env", "GOTOOLCHAIN=local",
		"--build-arg", "GO_IMAGE="+builder, "--build-arg", "VERSION=v0.1.0", "-t", tag, repoRoot(t))
	if out, err := run(args...); err != nil {
		t.Fatalf("podman build: %v\n%s", err, out)
	}
	repo := exampleRepo(t)
	lint := func(args ...string) (string, error) {
		a := append([]string{"run", "--rm", "--network", "none"}, podmanLimits...)
		return run(append(append(a, "-v", repo+":/src:ro", tag), args...)...)
	}
	out, err := lint("./etc/nginx")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.HasPrefix(out, "etc/nginx/conf.d/upstreams.conf:3:12: error:") {
		t.Errorf("the image on the example tree: %v, want exit 1 and findings relative to /src\n%s", err, out)
	}
	out, err = lint("--version")
	if err != nil || !strings.HasPrefix(out, "nginxlint v0.1.0\n") {
		t.Errorf("--version in the image: %v\n%s", err, out)
	}
	// Without arguments it lints /src, where broken/ stops it (exit 2).
	if out, err = lint(); !strings.Contains(out, "broken/etc/nginx/backends.toml:2:1: unknown key") {
		t.Errorf("the image without arguments does not lint /src: %v\n%s", err, out)
	}
	info, err := run("image", "inspect", "--format", "{{.Size}} {{.Config.User}} {{.Config.WorkingDir}}", tag)
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	var user, wd string
	fmt.Sscan(info, &size, &user, &wd)
	if size > 20<<20 || user == "" || user == "0" || user == "root" || wd != "/src" {
		t.Errorf("image: %d bytes, user %q, workdir %q; want a small image, an unprivileged user and /src", size, user, wd)
	}
	t.Logf("image %s: %.1f MB", tag, float64(size)/(1<<20))
}

// goEnv returns a go env value.
func goEnv(t *testing.T, key string) string {
	t.Helper()
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return strings.TrimSpace(string(out))
}

// TestReleaseScript runs scripts/release.sh into a temporary directory:
// every binary builds, SHA256SUMS matches them, and the one for this
// machine says its version and revision. It builds six binaries from a
// cold cache in about three minutes on two cores, so it runs only with
// NGINXLINT_RELEASE=1 (.ci/run sets it in its release step).
func TestReleaseScript(t *testing.T) {
	if os.Getenv("NGINXLINT_RELEASE") == "" {
		t.Skip("set NGINXLINT_RELEASE=1 to build the release binaries (about 3 minutes cold; .ci/run does)")
	}
	out := t.TempDir()
	cmd := exec.Command("scripts/release.sh", "v0.1.0", out)
	cmd.Dir = repoRoot(t)
	log, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/release.sh: %v\n%s", err, log)
	}
	sums, err := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: %q", line)
		}
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s does not match SHA256SUMS", name)
		}
		names = append(names, name)
	}
	want := []string{"LICENSES.txt"}
	for _, os := range []string{"darwin", "linux", "windows"} {
		for _, arch := range []string{"amd64", "arm64"} {
			ext := ""
			if os == "windows" {
				ext = ".exe"
			}
			want = append(want, "nginxlint_0.1.0_"+os+"_"+arch+ext)
		}
	}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("release files %v, want %v", names, want)
	}
	licences, _ := os.ReadFile(filepath.Join(out, "LICENSES.txt"))
	for _, mod := range []string{"==== nginxlint", "==== Go ", "==== github.com/BurntSushi/toml", "==== github.com/sergi/go-diff"} {
		if !bytes.Contains(licences, []byte(mod)) {
			t.Errorf("LICENSES.txt lacks %q", mod)
		}
	}
	host := filepath.Join(out, fmt.Sprintf("nginxlint_0.1.0_%s_%s", runtime.GOOS, runtime.GOARCH))
	v, err := exec.Command(host, "--version").Output()
	if err != nil || !strings.HasPrefix(string(v), "nginxlint v0.1.0\ngo:       "+runtime.Version()) {
		t.Errorf("--version: %v\n%s", err, v)
	}
	if head, err := exec.Command("git", "-C", repoRoot(t), "rev-parse", "HEAD").Output(); err == nil {
		if !strings.Contains(string(v), "revision: "+strings.TrimSpace(string(head))) {
			t.Errorf("--version does not name the checkout's revision %s:\n%s", head, v)
		}
	}
	sarif, _ := exec.Command(host, "--format", "sarif", filepath.Join(repoRoot(t), "example/etc/nginx")).Output()
	if !bytes.Contains(sarif, []byte(`"version": "v0.1.0"`)) || !bytes.Contains(sarif, []byte(`"semanticVersion": "0.1.0"`)) {
		t.Errorf("SARIF of a release does not carry its version")
	}
	bad := exec.Command("scripts/release.sh", "0.1")
	bad.Dir = repoRoot(t)
	if r, _ := bad.CombinedOutput(); !bytes.Contains(r, []byte("not a release tag")) {
		t.Errorf("scripts/release.sh 0.1: %s", r)
	}
}
