//go:build unix

package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The tests of rule selection, of adoption on old trees (baseline,
// statistics, suppress) and of the command line's consistency run the
// real binary, as a user or a CI job does.

// adoptRun runs the binary in dir with exactly the environment env (and
// PATH), with a time limit.
func adoptRun(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nginxlint %s did not finish within 60s", strings.Join(args, " "))
	}
	code := exitCode(t, err)
	r := result{code, stdout.String(), stderr.String()}
	for _, raw := range []string{"panic", "goroutine ", "flag provided but not defined"} {
		if strings.Contains(r.stderr, raw) {
			t.Fatalf("nginxlint %s: stderr has %q:\n%s", strings.Join(args, " "), raw, r.stderr)
		}
	}
	return r
}

func (r result) want(t *testing.T, code int, what string) {
	t.Helper()
	if r.code != code {
		t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.code, code, r.stdout, r.stderr)
	}
}

// adoptTree is a repository with a tree of two sites: an error
// (proxy-pass-scheme) and a warning (upstream-primaries-down) in shop, one
// of each in legacy.
func adoptTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(dir, "etc/nginx/nginx.conf"), events+"http {\n    include sites-enabled/*.conf;\n}\n")
	for _, site := range []string{"shop", "legacy-a"} {
		write(t, filepath.Join(dir, "etc/nginx/sites-enabled", site+".conf"),
			"upstream "+site+" {\n    server 127.0.0.1:1 down;\n    server 127.0.0.1:2 backup;\n}\n"+
				"server {\n    listen 80;\n    server_name "+site+";\n"+
				"    location / {\n        proxy_pass 127.0.0.1:8000;\n    }\n"+
				"    location /u/ {\n        proxy_pass http://"+site+";\n    }\n}\n")
	}
	return dir
}

// rulesOf returns the rules of the findings in text output, in order.
func rulesOf(out string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`(?m)^\S.*\[([a-z-]+)\]$`).FindAllStringSubmatch(out, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestBinaryRuleSelection: --select and --ignore with IDs and prefixes,
// the configuration's select, ignore and [[overrides]], the command line
// winning over the file, --severity apart from --fail-on, and the fatal
// rules that cannot be turned off.
func TestBinaryRuleSelection(t *testing.T) {
	dir := adoptTree(t)
	all := adoptRun(t, dir, nil, "etc/nginx")
	all.want(t, 1, "all rules")
	if got := strings.Join(rulesOf(all.stdout), " "); got != "upstream-primaries-down proxy-pass-scheme upstream-primaries-down proxy-pass-scheme" {
		t.Fatalf("findings: %s\n%s", got, all.stdout)
	}

	r := adoptRun(t, dir, nil, "--select", "upstream-", "etc/nginx")
	r.want(t, 1, "--select upstream-")
	if got := strings.Join(rulesOf(r.stdout), " "); got != "upstream-primaries-down upstream-primaries-down" {
		t.Errorf("--select upstream-: %s", got)
	}
	r = adoptRun(t, dir, nil, "--select", "upstream-,proxy-pass-scheme", "--ignore", "upstream-primaries-down", "etc/nginx")
	if got := strings.Join(rulesOf(r.stdout), " "); got != "proxy-pass-scheme proxy-pass-scheme" {
		t.Errorf("--select a,b --ignore c: %s", got)
	}
	r = adoptRun(t, dir, nil, "--select", "bakend-", "etc/nginx")
	r.want(t, 2, "unknown prefix")
	if !strings.Contains(r.stderr, `no rule starts with "bakend-" in --select (did you mean "backend-"?)`) {
		t.Errorf("unknown prefix: %s", r.stderr)
	}

	// The configuration's select and ignore; --select replaces both,
	// --ignore adds.
	write(t, filepath.Join(dir, ".nginxlint.toml"), "select = [\"upstream-\", \"proxy-pass-scheme\"]\nignore = [\"proxy-pass-\"]\n")
	r = adoptRun(t, dir, nil, "etc/nginx")
	if got := strings.Join(rulesOf(r.stdout), " "); got != "upstream-primaries-down upstream-primaries-down" {
		t.Errorf("configuration select and ignore: %s", got)
	}
	r = adoptRun(t, dir, nil, "--select", "proxy-pass-scheme", "etc/nginx")
	if got := strings.Join(rulesOf(r.stdout), " "); got != "proxy-pass-scheme proxy-pass-scheme" {
		t.Errorf("--select over the configuration: %s", got)
	}
	r = adoptRun(t, dir, nil, "--ignore", "upstream-primaries-down", "etc/nginx")
	r.want(t, 0, "--ignore adds to the configuration's ignore")

	// [[overrides]]: the legacy site's rules, relative to the file.
	write(t, filepath.Join(dir, ".nginxlint.toml"), "[[overrides]]\npaths = [\"etc/nginx/sites-enabled/legacy-*.conf\"]\ndisable = [\"proxy-pass-\"]\nseverity = { upstream-primaries-down = \"info\" }\n")
	r = adoptRun(t, dir, nil, "etc/nginx")
	if !strings.Contains(r.stdout, "legacy-a.conf:1:1: info: every primary server") || strings.Contains(r.stdout, "legacy-a.conf:9:20: error") || !strings.Contains(r.stdout, "shop.conf:9:20: error") {
		t.Errorf("overrides:\n%s", r.stdout)
	}
	write(t, filepath.Join(dir, ".nginxlint.toml"), "[[overrides]]\npaths = [\"a\"]\ndisable = [\"x\"]\n\n[[overrides]]\npaths = [\"b\"]\nsevrity = {}\n")
	r = adoptRun(t, dir, nil, "etc/nginx")
	r.want(t, 2, "bad overrides")
	if !strings.Contains(r.stderr, ".nginxlint.toml:3:12: unknown rule \"x\" in overrides[0].disable") || !strings.Contains(r.stderr, ".nginxlint.toml:7:1: unknown key \"sevrity\" in overrides[1] (did you mean \"severity\"?)") {
		t.Errorf("bad overrides:\n%s", r.stderr)
	}
	if err := os.Remove(filepath.Join(dir, ".nginxlint.toml")); err != nil {
		t.Fatal(err)
	}

	// --severity hides; what it hides does not fail.
	r = adoptRun(t, dir, nil, "--severity", "error", "--ignore", "proxy-pass-scheme", "etc/nginx")
	r.want(t, 0, "--severity error with only warnings")
	if r.stdout != "" || !strings.Contains(r.stderr, "2 findings below error not shown (--severity error)") {
		t.Errorf("--severity error:\n%s%s", r.stdout, r.stderr)
	}
	r = adoptRun(t, dir, nil, "--severity", "warning", "--fail-on", "error", "--ignore", "proxy-pass-scheme", "etc/nginx")
	r.want(t, 0, "--severity warning --fail-on error with warnings")
	if len(rulesOf(r.stdout)) != 2 {
		t.Errorf("--severity warning: %s", r.stdout)
	}

	// The fatal rules cannot be turned off.
	write(t, filepath.Join(dir, "etc/nginx/sites-enabled/broken.conf"), "server { listen 81 }\n")
	r = adoptRun(t, dir, nil, "--ignore", "syntax", "--select", "upstream-", "etc/nginx")
	r.want(t, 1, "--ignore syntax")
	if !strings.Contains(r.stderr, "--ignore syntax: syntax cannot be turned off") || !strings.Contains(r.stdout, "[syntax]") {
		t.Errorf("--ignore syntax:\n%s%s", r.stdout, r.stderr)
	}
}

// TestBinaryBaseline: baseline write records today's findings; --baseline
// hides them and says how many; moving code does not bring them back; a
// finding written once more is reported; --statistics counts.
func TestBinaryBaseline(t *testing.T) {
	dir := adoptTree(t)
	r := adoptRun(t, dir, nil, "baseline", "write", "nginxlint-baseline.json", "etc/nginx")
	r.want(t, 0, "baseline write")
	if !strings.Contains(r.stderr, "recorded 4 findings (4 fingerprints) in nginxlint-baseline.json") {
		t.Errorf("baseline write: %s", r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "nginxlint-baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int `json:"version"`
		Findings []struct {
			File, Rule, Message, Fingerprint string
			Count                            int
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Findings) != 4 || doc.Findings[0].File != "etc/nginx/sites-enabled/legacy-a.conf" || doc.Findings[3].Rule != "upstream-primaries-down" {
		t.Errorf("baseline:\n%s", data)
	}

	r = adoptRun(t, dir, nil, "--baseline", "nginxlint-baseline.json", "etc/nginx")
	r.want(t, 0, "--baseline")
	if r.stdout != "" || !strings.Contains(r.stderr, "4 findings hidden by the baseline nginxlint-baseline.json (4 recorded)") {
		t.Errorf("--baseline:\n%s%s", r.stdout, r.stderr)
	}
	// From another directory, naming the baseline there.
	r = adoptRun(t, filepath.Join(dir, "etc"), nil, "--baseline", "../nginxlint-baseline.json", "nginx")
	r.want(t, 0, "--baseline from another directory")

	// Lines inserted above, the file reindented with tabs: still hidden.
	shop := filepath.Join(dir, "etc/nginx/sites-enabled/shop.conf")
	src, err := os.ReadFile(shop)
	if err != nil {
		t.Fatal(err)
	}
	moved := "# the shop\n# owned by the web team\n\n" + strings.ReplaceAll(string(src), "    ", "\t")
	write(t, shop, moved)
	r = adoptRun(t, dir, nil, "--baseline", "nginxlint-baseline.json", "etc/nginx")
	r.want(t, 0, "--baseline after moving code")
	// The same problem once more in a block that has it: reported.
	write(t, shop, strings.Replace(moved, "\tlocation / {\n\t\tproxy_pass 127.0.0.1:8000;\n\t}\n", "\tlocation / {\n\t\tproxy_pass 127.0.0.1:8000;\n\t}\n\tlocation /again/ {\n\t\tproxy_pass 127.0.0.1:8000;\n\t}\n", 1))
	r = adoptRun(t, dir, nil, "--baseline", "nginxlint-baseline.json", "etc/nginx")
	r.want(t, 1, "--baseline with a new finding")
	if got := rulesOf(r.stdout); len(got) != 1 || got[0] != "proxy-pass-scheme" || !strings.Contains(r.stdout, "shop.conf:15:") {
		t.Errorf("new finding:\n%s", r.stdout)
	}
	dup := strings.Replace(moved, "\tlocation / {\n\t\tproxy_pass 127.0.0.1:8000;\n", "\tlocation / {\n\t\tproxy_pass 127.0.0.1:8000;\n\t\tproxy_pass 127.0.0.1:8000;\n", 1)
	write(t, shop, dup)
	r = adoptRun(t, dir, nil, "--baseline", "nginxlint-baseline.json", "--format", "json", "etc/nginx")
	var report struct {
		Diagnostics []jsonDiag `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("--baseline --format json: %v\n%s", err, r.stdout)
	}
	// The duplicate directive also makes directive-duplicate report;
	// one of the two proxy-pass-scheme findings is the baselined one.
	schemes := 0
	for _, d := range report.Diagnostics {
		if d.Rule == "proxy-pass-scheme" {
			schemes++
		}
	}
	if schemes != 1 {
		t.Errorf("the same finding twice in one block: %d reported, want 1\n%s", schemes, r.stdout)
	}

	// --statistics, text and JSON.
	write(t, shop, string(src))
	r = adoptRun(t, dir, nil, "--statistics", "etc/nginx")
	r.want(t, 1, "--statistics")
	if !strings.Contains(r.stdout, "      2        2  proxy-pass-scheme (error)\n") || !strings.HasSuffix(r.stdout, "4 findings in 2 rules, 2 fixable with --fix\n") {
		t.Errorf("--statistics:\n%s", r.stdout)
	}
	r = adoptRun(t, dir, nil, "--statistics", "--format", "json", "--baseline", "nginxlint-baseline.json", "etc/nginx")
	r.want(t, 0, "--statistics with the baseline")
	var stats struct {
		Statistics []map[string]any `json:"statistics"`
		Total      int              `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &stats); err != nil || stats.Total != 0 {
		t.Errorf("--statistics --format json: %v\n%s", err, r.stdout)
	}

	// --diff and --fix leave the baselined findings alone: only the new
	// one is fixed.
	fresh := strings.Replace(string(src), "    location /u/ {", "    location /new/ {\n        proxy_pass 127.0.0.1:8001;\n    }\n    location /u/ {", 1)
	write(t, shop, fresh)
	r = adoptRun(t, dir, nil, "--baseline", "nginxlint-baseline.json", "--diff", "etc/nginx")
	if !strings.Contains(r.stdout, "+        proxy_pass http://127.0.0.1:8001;") || strings.Contains(r.stdout, "http://127.0.0.1:8000") {
		t.Errorf("--baseline --diff:\n%s%s", r.stdout, r.stderr)
	}
	r = adoptRun(t, dir, nil, "--baseline", "nginxlint-baseline.json", "--fix", "etc/nginx")
	r.want(t, 0, "--baseline --fix")
	if got, _ := os.ReadFile(shop); string(got) != strings.Replace(fresh, "127.0.0.1:8001", "http://127.0.0.1:8001", 1) {
		t.Errorf("--baseline --fix wrote:\n%s", got)
	}
	write(t, shop, string(src))

	// Nothing is recorded from a tree read in part; a missing baseline
	// is exit 2.
	r = adoptRun(t, dir, nil, "baseline", "write", "partial.json", "--max-read", "100", "etc/nginx")
	r.want(t, 2, "baseline write of an incomplete tree")
	if _, err := os.Stat(filepath.Join(dir, "partial.json")); err == nil {
		t.Error("partial.json written")
	}
	r = adoptRun(t, dir, nil, "--baseline", "nope.json", "etc/nginx")
	r.want(t, 2, "missing baseline")
	if !strings.Contains(r.stderr, "baseline nope.json not found: write it first with nginxlint baseline write nope.json PATH") {
		t.Errorf("missing baseline: %s", r.stderr)
	}
}

// TestBinarySuppress: suppress writes reasoned comments above the
// directives, with their indentation and line endings, never for fatal
// findings; a second run adds nothing; nothing is written from a tree
// read in part.
func TestBinarySuppress(t *testing.T) {
	dir := adoptTree(t)
	shop := filepath.Join(dir, "etc/nginx/sites-enabled/shop.conf")
	// CRLF and a one-line location in legacy-a.
	legacy := filepath.Join(dir, "etc/nginx/sites-enabled/legacy-a.conf")
	write(t, legacy, strings.ReplaceAll("upstream legacy {\n    server 127.0.0.1:1 down;\n    server 127.0.0.1:2 backup;\n}\nserver {\n    listen 80;\n    location / { proxy_pass 127.0.0.1:8000; }\n    location /u/ { proxy_pass http://legacy; }\n}\n", "\n", "\r\n"))
	// A site not enabled (not-loaded), and a syntax error.
	write(t, filepath.Join(dir, "etc/nginx/sites-available/old.conf"), "# an old site\nserver {\n    listen 82;\n}\n")
	write(t, filepath.Join(dir, "etc/nginx/sites-enabled/broken.conf"), "server { listen 81 }\n")

	r := adoptRun(t, dir, nil, "suppress", "--max-read", "100", "--reason", "x", "etc/nginx")
	r.want(t, 2, "suppress on an incomplete tree")
	if !strings.Contains(r.stderr, "suppress wrote nothing") {
		t.Errorf("incomplete: %s", r.stderr)
	}

	r = adoptRun(t, dir, nil, "suppress", "--reason", "legacy, TICKET-12", "etc/nginx")
	r.want(t, 1, "suppress with a syntax error left")
	if !strings.Contains(r.stderr, "wrote 5 ignore comments for 5 findings in 3 files") || !strings.Contains(r.stderr, "broken.conf:1:20: [syntax] not suppressed: nginx refuses the tree while it is there: fix it") {
		t.Errorf("suppress:\n%s", r.stderr)
	}
	got, err := os.ReadFile(shop)
	if err != nil {
		t.Fatal(err)
	}
	want := "# nginxlint:ignore upstream-primaries-down legacy, TICKET-12\n" +
		"upstream shop {\n    server 127.0.0.1:1 down;\n    server 127.0.0.1:2 backup;\n}\n" +
		"server {\n    listen 80;\n    server_name shop;\n" +
		"    location / {\n        # nginxlint:ignore proxy-pass-scheme legacy, TICKET-12\n        proxy_pass 127.0.0.1:8000;\n    }\n" +
		"    location /u/ {\n        proxy_pass http://shop;\n    }\n}\n"
	if string(got) != want {
		t.Errorf("shop.conf:\n%s\nwant:\n%s", got, want)
	}
	got, err = os.ReadFile(legacy)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "\r\n    # nginxlint:ignore proxy-pass-scheme legacy, TICKET-12\r\n    location / { proxy_pass") {
		t.Errorf("legacy-a.conf (CRLF, one-line location):\n%q", got)
	}
	got, err = os.ReadFile(filepath.Join(dir, "etc/nginx/sites-available/old.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "# nginxlint:file-ignore not-loaded legacy, TICKET-12\n# an old site\n") {
		t.Errorf("old.conf:\n%s", got)
	}

	// Idempotent: a second run adds nothing; the lint reports only the
	// syntax error, and no comment is stale.
	r = adoptRun(t, dir, nil, "suppress", "--reason", "again", "etc/nginx")
	if !strings.Contains(r.stderr, "[syntax] not suppressed") || strings.Contains(r.stderr, "wrote") {
		t.Errorf("second suppress:\n%s", r.stderr)
	}
	if again, _ := os.ReadFile(shop); string(again) != want {
		t.Errorf("second suppress changed shop.conf:\n%s", again)
	}
	r = adoptRun(t, dir, nil, "--fail-on", "info", "etc/nginx")
	if got := strings.Join(rulesOf(r.stdout), " "); got != "syntax" {
		t.Errorf("after suppress: %s\n%s", got, r.stdout)
	}
	if err := os.Remove(filepath.Join(dir, "etc/nginx/sites-enabled/broken.conf")); err != nil {
		t.Fatal(err)
	}
	adoptRun(t, dir, nil, "--fail-on", "info", "etc/nginx").want(t, 0, "after suppress, without the syntax error")

	r = adoptRun(t, dir, nil, "suppress", "etc/nginx")
	r.want(t, 2, "suppress without --reason")
	r = adoptRun(t, dir, nil, "suppress", "--reason", "", "etc/nginx")
	r.want(t, 2, "suppress with an empty reason")
}

// TestBinaryConsistency: did-you-mean for flags, commands and keys; no
// Go flag message; --color with NO_COLOR and FORCE_COLOR; a missing
// --config is "not found"; the terminal layout wraps to the width and
// ends with what --fix can fix.
func TestBinaryConsistency(t *testing.T) {
	dir := adoptTree(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--formt", "json", "etc/nginx"}, "nginxlint: unknown flag --formt (did you mean --format?)\nRun 'nginxlint --help' for usage.\n"},
		{[]string{"etc/nginx", "--fail-on"}, "nginxlint: --fail-on needs a value: --fail-on SEVERITY\nRun 'nginxlint --help' for usage.\n"},
		{[]string{"rules", "--formt", "json"}, "nginxlint rules: unknown flag --formt (did you mean --format?)\nusage: nginxlint rules [--format text|json]\n"},
		{[]string{"lps"}, "nginxlint: lps is neither a file nor a command: did you mean 'nginxlint lsp'? (see 'nginxlint --help')\n"},
		{[]string{"rule"}, "nginxlint: rule is neither a file nor a command: did you mean 'nginxlint rules'? (see 'nginxlint --help')\n"},
		{[]string{"suppres", "etc/nginx"}, "nginxlint: suppres is neither a file nor a command: did you mean 'nginxlint suppress'? (see 'nginxlint --help')\n"},
		{[]string{"--reason", "x", "etc/nginx"}, "nginxlint: unknown flag --reason (--reason is for nginxlint suppress --reason TEXT)\nRun 'nginxlint --help' for usage.\n"},
		{[]string{"--config", "nope.toml", "etc/nginx"}, "nginxlint: configuration file nope.toml not found: give --config the path of an existing file (or leave --config out: .nginxlint.toml is then found from the tree)\n"},
		{[]string{"--color", "sometimes", "etc/nginx"}, "nginxlint: --color \"sometimes\": use auto, always or never\n"},
	} {
		r := adoptRun(t, dir, nil, c.args...)
		r.want(t, 2, strings.Join(c.args, " "))
		if r.stderr != c.want {
			t.Errorf("nginxlint %s:\n%s\nwant:\n%s", strings.Join(c.args, " "), r.stderr, c.want)
		}
	}
	write(t, filepath.Join(dir, ".nginxlint.toml"), "fail-on = \"error\"\n")
	r := adoptRun(t, dir, nil, "etc/nginx")
	r.want(t, 2, "fail-on in the configuration")
	if !strings.Contains(r.stderr, ".nginxlint.toml:1:1: unknown key \"fail-on\" (did you mean \"fail_on\"? keys are written with \"_\")") || strings.Contains(r.stderr, "not found") {
		t.Errorf("fail-on: %s", r.stderr)
	}
	if err := os.Remove(filepath.Join(dir, ".nginxlint.toml")); err != nil {
		t.Fatal(err)
	}

	const esc = "\x1b["
	for _, c := range []struct {
		env   []string
		args  []string
		color bool
	}{
		{nil, nil, false},                                          // a pipe: no colour
		{[]string{"FORCE_COLOR=1"}, nil, true},                     // forced
		{[]string{"FORCE_COLOR=1", "NO_COLOR=1"}, nil, false},      // NO_COLOR wins
		{[]string{"NO_COLOR=1"}, []string{"--color=always"}, true}, // the flag wins
		{[]string{"FORCE_COLOR=1"}, []string{"--color=never"}, false},
		{[]string{"FORCE_COLOR="}, nil, false}, // empty: not set
	} {
		r := adoptRun(t, dir, c.env, append(c.args, "etc/nginx")...)
		if got := strings.Contains(r.stdout, esc); got != c.color {
			t.Errorf("%v %v: colour %v, want %v\n%s", c.env, c.args, got, c.color, r.stdout)
		}
	}

	// The terminal layout (forced into the pipe) wraps to COLUMNS and
	// ends with what --fix can fix.
	r = adoptRun(t, dir, []string{"FORCE_COLOR=1", "COLUMNS=50"}, "etc/nginx")
	plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(r.stdout, "")
	for _, line := range strings.Split(strings.TrimSuffix(plain, "\n"), "\n") {
		if n := utf8.RuneCountInString(line); n > 50 && !strings.Contains(line, " | ") {
			t.Errorf("line of %d columns past COLUMNS=50: %q", n, line)
		}
	}
	if !strings.Contains(plain, "   = note: nginx fails with \"invalid URL prefix\".") || !strings.HasSuffix(plain, "; 2 fixable with\n  --fix\n") {
		t.Errorf("terminal layout:\n%s", plain)
	}
}
