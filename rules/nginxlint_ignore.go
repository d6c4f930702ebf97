package rules

import "github.com/nginxlint/nginxlint/lint"

// NginxlintIgnore is the rule of findings about suppression comments:
// ignores without a reason, naming unknown rules or rules that cannot be
// suppressed, attached to no directive, or suppressing nothing. Its Run does nothing: the driver
// reports them once every other rule has run (its ID is
// driver.IgnoreRuleID).
var NginxlintIgnore = &lint.Rule{
	ID:    "nginxlint-ignore",
	Title: "a nginxlint:ignore comment is malformed, names an unknown rule or suppresses nothing",
	Doc: `"# nginxlint:ignore RULE[,RULE...] reason" on the line before a directive
suppresses those rules' findings on that directive and, for a block
directive (server, location, upstream ...), on everything inside its
block. Written at the end of a directive's line it applies to that
directive, and to its block when the "{" is on that line.
"# nginxlint:file-ignore RULE[,RULE...] reason" anywhere in a file
suppresses those rules in the whole file. Suppressions apply only to the
file they are written in, never to the files it includes.

The apps' configurations the manifest links (gunicorn.conf.py, uwsgi.ini,
a PHP-FPM pool, systemd units, puma.rb, .env, compose.yaml) take the same
comments in their own comment syntax: "# nginxlint:ignore ..." or, in a
PHP-FPM pool or another INI file, "; nginxlint:ignore ...". Having no
directives, an ignore there applies to lines: at the end of a line, to
that line; on a line of its own, to the next line and the lines below it
that are indented more (a compose service's keys).

The reason is required: it tells the next reader why the finding is
acceptable. An ignore without one suppresses nothing. An ignore that names
an unknown rule, that is not next to a directive, or that suppresses no
finding is reported too, so that stale ignores get removed instead of
hiding the next real problem. Findings of this rule cannot be suppressed.

A suppression hides a finding, never a tree nginx refuses: syntax and
include findings (a syntax error, an include of a missing file, an
include cycle) cannot be suppressed. An ignore naming them is reported
and suppresses nothing, and the configuration cannot turn them off
either: they are errors whatever [rules.severity] says, are reported when
rules.disable lists them or rules.enable leaves them out, and exclude
does not drop them from the files nginx.conf loads.

include-outside-tree says that a file was not checked because it lies
outside the tree. It can be suppressed include by include only: with an
ignore on the include directive itself (on its line, or the line above
it). A file-ignore of it, or an ignore on a block around includes, is
reported and suppresses nothing, since it would also hide the next
include that leaves the tree.`,
	Bad: `# nginxlint:ignore upstream-primaries-down
upstream api {
    server 127.0.0.1:8001 down;
    server 127.0.0.1:8002 backup;
}
`,
	Good: `# nginxlint:ignore upstream-primaries-down primaries drained for the database migration
upstream api {
    server 127.0.0.1:8001 down;
    server 127.0.0.1:8002 backup;
}
`,
	Severity: lint.Warning,
	Fixable:  true, // the driver fixes a useless suppression by removing it
	Run:      func(*lint.Pass) {},
}
