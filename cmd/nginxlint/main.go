// Command nginxlint checks nginx configuration trees for what makes nginx
// answer 502 Bad Gateway or refuse to start, before a deploy.
//
// Run "nginxlint --help" for usage, "nginxlint rules" for the rules.
package main

import (
	"os"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/rules"
)

func main() {
	os.Exit(lint.Main(os.Args[1:], rules.All(), lint.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
