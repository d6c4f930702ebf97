package driver

import "strings"

// IgnoreComment returns a suppression comment as ApplySuppressions reads
// it, without a line ending: "# nginxlint:ignore RULE[,RULE...] reason"
// for the directive that starts the next line (and its block), or, with
// fileWide, "# nginxlint:file-ignore ..." for the whole file. The rules
// are written in the order given; the reason is written on one line
// (line breaks become spaces).
func IgnoreComment(rules []string, reason string, fileWide bool) string {
	verb := ignoreVerb
	if fileWide {
		verb = fileIgnoreVerb
	}
	reason = strings.Join(strings.Fields(reason), " ")
	return "# " + verb + " " + strings.Join(rules, ",") + " " + reason
}

// CanSuppress reports whether a suppression comment may suppress the
// findings of rule: never those of the Fatal rules and of IgnoreRuleID;
// include-outside-tree only by an ignore attached to the include
// directive itself (onDirective), not one on a block around it or for
// the whole file.
func CanSuppress(rule string, onDirective bool) bool {
	switch {
	case IsFatal(rule), rule == IgnoreRuleID:
		return false
	case rule == outsideRuleID:
		return onDirective
	}
	return true
}
