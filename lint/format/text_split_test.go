package format

import (
	"strings"
	"testing"
)

func TestSplitMessage(t *testing.T) {
	for _, c := range []struct {
		msg      string
		headline string
		details  []string
	}{
		{`upstream "api_pool" dials 127.0.0.1:8012, where no backend of the manifest listens: requests fail with 502 ("connect() failed (111: Connection refused)"); did you mean 127.0.0.1:8002 (backend api)?`,
			`upstream "api_pool" dials 127.0.0.1:8012, where no backend of the manifest listens`,
			[]string{`requests fail with 502 ("connect() failed (111: Connection refused)")`, `did you mean 127.0.0.1:8002 (backend api)?`}},
		// A ": " in quotes does not count; after the headline, only "; "
		// splits.
		{`upstream "api_pool" keeps idle connections (keepalive 16), but this location sends "Connection: close": proxy_set_header Connection "" (server level) is not inherited here because this location sets its own proxy_set_header: every request opens a new connection; write proxy_set_header Connection "";`,
			`upstream "api_pool" keeps idle connections (keepalive 16), but this location sends "Connection: close"`,
			[]string{`proxy_set_header Connection "" (server level) is not inherited here because this location sets its own proxy_set_header: every request opens a new connection`, `write proxy_set_header Connection "";`}},
		{`proxy_pass "127.0.0.1:8004" has no scheme; nginx fails with "invalid URL prefix". Use "http://127.0.0.1:8004"`,
			`proxy_pass "127.0.0.1:8004" has no scheme`,
			[]string{`nginx fails with "invalid URL prefix". Use "http://127.0.0.1:8004"`}},
		{`no separator here`, `no separator here`, nil},
		{`escaped \"quote: not a separator" here`, `escaped \"quote: not a separator" here`, nil},
		{`"a\": b": c`, `"a\": b"`, []string{"c"}},
		{"`x: y`; z", "`x: y`", []string{"z"}},
		// Unpaired quotes or brackets: not split.
		{`open "quote: x; y`, `open "quote: x; y`, nil},
		{`a) b: c`, `a) b: c`, nil},
		{`ends with a colon:`, `ends with a colon:`, nil},
		{`x: ; y`, `x`, []string{"y"}},
	} {
		h, d := splitMessage(c.msg)
		if h != c.headline || strings.Join(d, "|") != strings.Join(c.details, "|") {
			t.Errorf("splitMessage(%q)\n= %q, %q\nwant %q, %q", c.msg, h, d, c.headline, c.details)
		}
	}
}
