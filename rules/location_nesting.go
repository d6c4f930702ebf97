package rules

import (
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/model"
)

// LocationNesting reports locations nginx refuses inside another
// location.
var LocationNesting = &lint.Rule{
	ID:    "location-nesting",
	Title: "a location nginx refuses inside another location",
	Doc: `A location inside a location must fit in it: a prefix location inside
"location /api/" must start with "/api/" (nginx compares the text,
including case), or "nginx -t" fails with "location is outside
location". No location may be nested in an exact ("=") or a named
(@name) location, and a named location belongs to the server level
only. Regular-expression locations may nest anywhere a location may.

This often shows a "}" missing after the outer location: the next
location, meant to follow it, lands inside it.`,
	Bad: `location /api/ {
    proxy_pass http://127.0.0.1:8000;
location /static/ {
    root /srv;
}
}
`,
	Good: `location /api/ {
    proxy_pass http://127.0.0.1:8000;
}
location /static/ {
    root /srv;
}
`,
	Severity: lint.Error,
	Run:      runLocationNesting,
}

func runLocationNesting(p *lint.Pass) {
	for loc := range model.Of(p).ByName("location") {
		parent := loc.BlockParent()
		if !loc.IsBlock() || parent.IsZero() || parent.Name() != "location" {
			continue
		}
		child, pl := readLocation(loc), readLocation(parent)
		if !child.ok || !pl.ok {
			continue
		}
		var msg string
		switch {
		case pl.exact:
			msg = fmt.Sprintf("location %q cannot be inside the exact location %q", child.name, pl.name)
		case pl.named:
			msg = fmt.Sprintf("location %q cannot be inside the named location %q", child.name, pl.name)
		case child.named:
			msg = fmt.Sprintf("named location %q can be on the server level only", child.name)
		case !child.regex && !strings.HasPrefix(child.name, pl.name):
			msg = fmt.Sprintf("location %q is outside location %q: a location inside another must start with its path", child.name, pl.name)
		default:
			continue
		}
		d := nameSpan(loc, msg+`: nginx does not start (is a "}" missing before it?)`)
		d.End = int(loc.ArgAt(loc.NArgs() - 1).End)
		d.Related = []lint.Related{lint.RelatedTo(parent, "the enclosing location")}
		p.Report(d)
	}
}
