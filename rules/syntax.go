package rules

import (
	"strconv"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// Syntax reports text nginx refuses to parse.
var Syntax = &lint.Rule{
	ID:    "syntax",
	Title: "nginx cannot parse the configuration",
	Doc: `nginx reads its configuration with a strict tokenizer: a directive ends
with ";" or opens a block with "{", a block ends with "}", a quoted string
must be closed and followed by a blank, ";" or "{". Where it is not, "nginx -t"
fails and nginx does not start or reload.

nginxlint reads the text the way nginx does and reports every such problem
it can, not only the first: a missing ";" shows up as an unexpected "}"
or as a directive that swallowed the next line; a block directive such as
"location" written without "{" says so ("has no opening {"); a file that
ends inside a block says which block is still open.

A word, quoted string or comment of ` + strconv.Itoa(syntax.MaxToken) + ` bytes or more is refused,
as nginx refuses it ("too long parameter"). Blocks nested more than
` + strconv.Itoa(syntax.MaxDepth) + ` levels deep are reported and skipped.`,
	Bad: `server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://127.0.0.1:8000
    }
}
`,
	Good: `server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
`,
	Severity: lint.Error,
	Run:      reportProblems(syntax.KindSyntax),
}
