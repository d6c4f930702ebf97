// Package testrules holds rules with fixed documentation for the tests of
// the packages that render rules and findings (lint/format,
// lint/ruledoc), which cannot use the real rules: those change, and the
// tests must not.
package testrules

import "github.com/nginxlint/nginxlint/lint"

// Rules whose Run does nothing; tests build their findings by hand.
var (
	Scheme = &lint.Rule{
		ID:    "proxy-pass-scheme",
		Title: "proxy_pass needs http:// or https://; the other *_pass directives take no scheme",
		Doc: `proxy_pass takes a URL: "proxy_pass 127.0.0.1:8000;"
makes "nginx -t" fail.

Write "proxy_pass http://127.0.0.1:8000;".`,
		Bad:      "location / {\n    proxy_pass 127.0.0.1:8000;\n}\n",
		Good:     "location / {\n    proxy_pass http://127.0.0.1:8000;\n}\n",
		Severity: lint.Error,
		Run:      func(*lint.Pass) {},
	}
	Keepalive = &lint.Rule{
		ID:    "upstream-keepalive",
		Title: "upstream keepalive without HTTP/1.1",
		Doc: `"keepalive N;" does nothing unless the location also says:

    proxy_http_version 1.1;
    proxy_set_header Connection "";

Otherwise every request opens a new connection.`,
		Bad:      "upstream a { server 127.0.0.1:1; keepalive 2; }\n",
		Good:     "upstream a { server 127.0.0.1:1; keepalive 2; }\n",
		Severity: lint.Warning,
		Run:      func(*lint.Pass) {},
	}
	Note = &lint.Rule{
		ID:            "backend-note",
		Title:         "a note about a backend",
		Doc:           "Says something about a backend.",
		Bad:           "proxy_pass http://127.0.0.1:1;\n",
		Good:          "proxy_pass http://127.0.0.1:2;\n",
		Manifest:      "[backends.api]\nlisten = \"127.0.0.1:2\"\n",
		Severity:      lint.Info,
		NeedsManifest: true,
		Run:           func(*lint.Pass) {},
	}
	All = []*lint.Rule{Scheme, Keepalive, Note}
)
