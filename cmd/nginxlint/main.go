// Command nginxlint checks nginx configuration trees for what makes nginx
// answer 502 Bad Gateway or refuse to start, before a deploy.
//
// Run "nginxlint --help" for usage, "nginxlint rules" for the rules.
package main

import (
	"os"
	"runtime/debug"

	"github.com/nginxlint/nginxlint/internal/cli"
	"github.com/nginxlint/nginxlint/rules"
)

// version is the release version, set when a release is built:
// go build -ldflags "-X main.version=v0.1.0" (scripts/release.sh, the
// Dockerfile). Without it, nginxlint --version reads the module version
// from the build information, or says (devel).
var version string

func main() {
	os.Exit(cli.Main(os.Args[1:], rules.All(), cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv:  os.Getenv,
		Phase:   gcPolicy(os.Getenv("GOGC") != ""),
		Version: version,
	}))
}

// The garbage collector's GOGC while the tree is read (a collection each
// time the heap grows fivefold) and once it is read (each time it grows
// by a fifth).
const (
	gcPercentLoading   = 400
	gcPercentAfterLoad = 20
)

// gcPolicy tunes the garbage collector to the stage of a run. While the
// tree is read nearly everything allocated stays (the files' text, the
// parsed tables), so collecting is mostly wasted work: collect rarely.
// Once it is read, the run mostly reads what it holds and what it
// allocates is short-lived: collect often, which keeps peak memory near
// the live data (see the Performance section of the README). GOGC in the
// environment wins; the setting the process started with is back when
// the run is done.
func gcPolicy(userSet bool) func(cli.Phase) {
	if userSet {
		return nil
	}
	initial := -1
	return func(p cli.Phase) {
		switch p {
		case cli.Loading:
			initial = debug.SetGCPercent(gcPercentLoading)
		case cli.Checking:
			debug.SetGCPercent(gcPercentAfterLoad)
		case cli.Done:
			if initial >= 0 {
				debug.SetGCPercent(initial)
			}
		}
	}
}
