// Package lint is the contract between nginxlint's rules and the driver
// that runs them.
//
// A [Rule] is a value: an ID, documentation with Bad and Good examples, a
// default severity and a Run function. Run sees the tree only through a
// [Pass], and reports only through [Pass.Report]: a [Diagnostic] with its
// span, [Related] places and certain [Fix]es made of byte-range
// [TextEdit]s. The driver (lint/driver) decides the severity, applies
// suppressions, sorts and deduplicates; lint/format prints the findings.
package lint

import (
	"fmt"
	"regexp"
	"strings"
)

// Severity ranks findings.
type Severity int

// Severities, weakest first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q: use error, warning or info", s)
}

// Rule is one check.
type Rule struct {
	// ID is the stable name used in output, suppressions and
	// configuration: lowercase words joined by hyphens.
	ID string
	// Title is a one-line summary.
	Title string
	// Doc explains what the rule finds, why it matters and how to fix it.
	Doc string
	// Bad is an nginx snippet the rule reports; Good is the corrected
	// version, which it must not report. Both are linted by the tests.
	Bad, Good string
	// Manifest is the backend manifest (TOML) the examples are linted
	// with; required when NeedsManifest is set.
	Manifest string
	// Severity is the default severity of the rule's findings.
	Severity Severity
	// NeedsManifest marks rules that check the tree against the backend
	// manifest; without one they do not run.
	NeedsManifest bool
	// Fixable marks rules whose findings may carry a fix (--fix applies
	// it): not every finding has one, only those the rule is sure of. A
	// rule that is not marked may not report fixes (the driver refuses
	// them).
	Fixable bool
	// Run inspects the tree and reports findings through the pass.
	Run func(*Pass)
}

var ruleID = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks that every rule is complete and IDs are unique.
func Validate(rules []*Rule) error {
	seen := map[string]bool{}
	var problems []string
	for i, r := range rules {
		switch {
		case r == nil:
			problems = append(problems, fmt.Sprintf("rule %d is nil", i))
			continue
		case !ruleID.MatchString(r.ID):
			problems = append(problems, fmt.Sprintf("rule %q: ID must be lowercase words joined by hyphens", r.ID))
		case seen[r.ID]:
			problems = append(problems, fmt.Sprintf("rule %q is listed twice", r.ID))
		}
		seen[r.ID] = true
		if r.Title == "" || r.Doc == "" {
			problems = append(problems, fmt.Sprintf("rule %q has no title or doc", r.ID))
		}
		if r.Bad == "" || r.Good == "" {
			problems = append(problems, fmt.Sprintf("rule %q has no Bad or Good example", r.ID))
		}
		if r.Severity < Info || r.Severity > Error {
			problems = append(problems, fmt.Sprintf("rule %q has no default severity", r.ID))
		}
		if r.NeedsManifest && r.Manifest == "" {
			problems = append(problems, fmt.Sprintf("rule %q needs a manifest but its examples have none", r.ID))
		}
		if r.Run == nil {
			problems = append(problems, fmt.Sprintf("rule %q has no Run function", r.ID))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid rules:\n\t%s", strings.Join(problems, "\n\t"))
	}
	return nil
}
