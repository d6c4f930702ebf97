package rules

import (
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
)

// LocationDuplicate reports two locations with the same path in one
// block.
var LocationDuplicate = &lint.Rule{
	ID:    "location-duplicate",
	Title: "two locations with the same path in one server or location",
	Doc: `nginx refuses two prefix locations with the same path in one server (or
in one enclosing location), and two exact ("=") ones: "nginx -t" fails
with "duplicate location". "location /a" and "location ^~ /a" are the
same prefix location; "location = /a" is another one. Regular-expression
and named locations may repeat (the first match wins).

Merge the two blocks into one.`,
	Bad: `server {
    location /api/ { proxy_pass http://127.0.0.1:8000; }
    location /api/ { proxy_pass http://127.0.0.1:8001; }
}
`,
	Good: `server {
    location /api/ { proxy_pass http://127.0.0.1:8000; }
    location = /api/ { proxy_pass http://127.0.0.1:8001; }
}
`,
	Severity: lint.Error,
	Run:      runLocationDuplicate,
}

func runLocationDuplicate(p *lint.Pass) {
	var seen firstInBlock
	for loc := range model.Of(p).ByName("location") {
		if !loc.IsBlock() {
			continue
		}
		l := readLocation(loc)
		if !l.ok || l.named || l.regex {
			continue // regular expressions and named locations may repeat (the first wins)
		}
		key := l.name
		if l.exact {
			key = "=" + l.name
		}
		f, dup := seen.see(loc, key)
		if !dup {
			continue
		}
		d := nameSpan(loc, fmt.Sprintf("duplicate location %q: nginx refuses a second location with the same path in one block; merge the two", l.name))
		if n := loc.NArgs(); n > 0 {
			d.End = int(loc.ArgAt(n - 1).End)
		}
		d.Related = []lint.Related{lint.RelatedTo(f, "the first location with that path")}
		p.Report(d)
	}
}
