package driver

import (
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

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

// IgnorePlace is where the comment that suppresses a finding goes.
type IgnorePlace struct {
	// At is the offset of the line the comment is inserted before, Indent
	// the indentation it is written with, EOL the line ending it ends
	// with (that of the line at At).
	At          int
	Indent, EOL string
	// FileWide is set for a finding before any directive: the comment is
	// a file-ignore at the top of the file.
	FileWide bool
}

// PlaceIgnore returns where an ignore comment suppresses d, in the file
// n lists, as "nginxlint suppress" and the editor's ignore action write
// it: on the line above the innermost directive around d that starts its
// line (with that directive's indentation), or, for a finding before any
// directive, a file-ignore at the top. why says what to do when no
// comment can suppress d.
func PlaceIgnore(n *syntax.Nesting, d lint.Diagnostic) (p IgnorePlace, why string) {
	f := n.File
	inner := n.Innermost(d.Start)
	if inner < 0 {
		if strings.TrimSpace(f.Src[:min(max(d.Start, 0), len(f.Src))]) == "" {
			return IgnorePlace{EOL: lineEnding(f.Src, 0), FileWide: true}, ""
		}
		return p, "it is in no directive: a comment above a directive or at the top of the file cannot name it; suppress it by hand with # nginxlint:file-ignore"
	}
	// The directive the comment goes above: the innermost that starts its
	// line (nothing but blanks before it), looking outwards.
	for i := inner; i >= 0; i = n.Parent[i] {
		start := int(n.Dirs[i].Start())
		ls := strings.LastIndexByte(f.Src[:start], '\n') + 1
		if strings.Trim(f.Src[ls:start], " \t") != "" {
			continue
		}
		if !CanSuppress(d.Rule, i == inner) {
			return p, "it is suppressed only by a comment on the include's own line, and the include does not start its line: put it on a line of its own, then run nginxlint suppress again"
		}
		return IgnorePlace{At: ls, Indent: f.Src[ls:start], EOL: lineEnding(f.Src, ls)}, ""
	}
	return p, "its directive does not start a line, nor does a block around it: put it on a line of its own, then run nginxlint suppress again"
}

// lineEnding returns the line ending of the line starting at offset ls:
// "\r\n" for a CRLF line, else "\n".
func lineEnding(src string, ls int) string {
	if i := strings.IndexByte(src[ls:], '\n'); i > 0 && src[ls+i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}
