package main_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/rules"
)

// TestReadmeExample runs the README's first command and compares its
// output with what the README shows.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "go run ./cmd/nginxlint ./example/etc/nginx"
	if !bytes.Contains(readme, []byte(cmd)) {
		t.Fatalf("README does not show %q", cmd)
	}
	// The block after the command's explanation.
	text := string(readme)
	i := strings.Index(text, "lints the example tree")
	if i < 0 {
		t.Fatal("README has no example output")
	}
	start := strings.Index(text[i:], "```\n") + i + 4
	end := strings.Index(text[start:], "```") + start
	want := text[start:end]

	t.Chdir("../..")
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"./example/etc/nginx"}, rules.All(), cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	if code != cli.ExitFindings {
		t.Errorf("exit code %d, the README says 1", code)
	}
	if stdout.String() != want {
		t.Errorf("README example output is stale\n--- README\n%s--- nginxlint\n%s%s", want, stdout.String(), stderr.String())
	}
}

// TestReadmeListsRules checks that the README's rule table names every
// rule.
func TestReadmeListsRules(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules.All() {
		if !bytes.Contains(readme, []byte("| `"+r.ID+"` | "+r.Severity.String()+" |")) {
			t.Errorf("README's rule table lacks %s (%s)", r.ID, r.Severity)
		}
	}
}
