package judge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
)

// Nginx runs `nginx -t` on sandboxed copies (see Sandbox).
type Nginx struct {
	// Bin is the nginx binary; ModulesDir its dynamic modules' directory
	// (nginx -V's --modules-path).
	Bin, ModulesDir string
	// Isolation says how nginx runs: "netns" in a network namespace of its
	// own (no network, any address may be bound, loopback only up),
	// "userns" the same inside a user namespace, "" on the host's network
	// (host names that /etc/hosts does not know may then reach DNS).
	Isolation string
}

// runTimeout bounds one nginx -t run.
const runTimeout = 20 * time.Second

var modulesPathRE = regexp.MustCompile(`--modules-path=(\S+)`)

// NewNginx finds how to run bin: its modules' directory and the strongest
// isolation the system allows.
func NewNginx(bin string) *Nginx {
	n := &Nginx{Bin: bin, ModulesDir: "/usr/lib/nginx/modules"}
	if out, err := exec.Command(bin, "-V").CombinedOutput(); err == nil {
		if m := modulesPathRE.FindSubmatch(out); m != nil {
			n.ModulesDir = string(m[1])
		}
	}
	if fi, err := os.Stat(n.ModulesDir); err != nil || !fi.IsDir() {
		n.ModulesDir = ""
	}
	for _, iso := range []string{"netns", "userns"} {
		cmd := exec.Command("unshare", append(unshareArgs(iso), "sh", "-c", "ip link set lo up")...)
		if cmd.Run() == nil {
			n.Isolation = iso
			break
		}
	}
	return n
}

func unshareArgs(iso string) []string {
	if iso == "userns" {
		return []string{"--user", "--map-root-user", "--net", "--"}
	}
	return []string{"--net", "--"}
}

// netnsScript brings the loopback interface up, adds the addresses of its
// first argument (separated by spaces), and runs the rest as a command.
const netnsScript = `ip link set lo up || exit 97
for a in $1; do ip addr add "$a" dev lo || exit 97; done
shift
exec "$@"`

// Verdict is what nginx -t said of a configuration.
type Verdict struct {
	OK bool
	// Msg is the first [emerg] message, without its position; File and
	// Line its position (File as nginx named it, "" when it gave none).
	Msg  string
	File string
	Line int
	// Output is nginx's output.
	Output string
}

// Test runs nginx -t on main (a file of a sandbox made in scratch) with
// the -g directives globals, adding loopback addresses lo.
func (n *Nginx) Test(scratch, main, globals string, lo []string) (Verdict, error) {
	args := []string{"-t", "-p", scratch + string(filepath.Separator), "-c", main, "-e", filepath.Join(scratch, "error.log"), "-g", globals}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if n.Isolation != "" {
		full := append(unshareArgs(n.Isolation), "sh", "-c", netnsScript, "sh", strings.Join(lo, " "), n.Bin)
		cmd = exec.CommandContext(ctx, "unshare", append(full, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, n.Bin, args...)
	}
	// Without NGINX, through which nginx would inherit listening sockets.
	var env []string
	for _, kv := range cmd.Environ() {
		if !strings.HasPrefix(kv, "NGINX=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	cmd.Dir = scratch
	cmd.WaitDelay = time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		return Verdict{}, fmt.Errorf("nginx -t did not finish within %v", runTimeout)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return Verdict{}, err
	}
	if exit != nil && exit.ExitCode() == 97 {
		return Verdict{}, fmt.Errorf("cannot set up the network namespace: %s", out.String())
	}
	v := Verdict{OK: err == nil, Output: out.String()}
	if !v.OK {
		var found bool
		if v.Msg, v.File, v.Line, found = parseError(v.Output); !found {
			return v, fmt.Errorf("nginx -t failed without an [emerg] message: %s", v.Output)
		}
	}
	return v, nil
}

// parseError returns nginx's first [emerg] message and its position, as
// nginxtest.ParseError does, also when the message spans lines (it quotes
// a word with newlines, which an unterminated quote makes): its position
// then ends its last line.
func parseError(out string) (msg, file string, line int, ok bool) {
	msg, file, line, ok = nginxtest.ParseError(out)
	if ok && file == "" {
		if m := multilineRE.FindStringSubmatch(out); m != nil {
			if n, err := strconv.Atoi(m[3]); err == nil {
				return m[1], m[2], n, true
			}
		}
	}
	return msg, file, line, ok
}

// multilineRE reads the first [emerg] message of nginx's output when it
// spans lines.
var multilineRE = regexp.MustCompile(`(?s)\[emerg\] (?:\d+#\d+: )?(.*?) in (/[^\n]*):(\d+)\n(?:nginx: configuration file|$)`)
