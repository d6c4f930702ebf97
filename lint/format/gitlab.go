package format

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"strconv"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/fingerprint"
)

// GitLab prints the report as a GitLab Code Quality report: the subset
// of the Code Climate issue format that GitLab's merge-request widget and
// pipeline view read (artifacts: reports: codequality:). It is a JSON
// array with one object per finding:
//
//	{"type": "issue", "check_name": RULE, "description": MESSAGE,
//	 "categories": ["Bug Risk"], "severity": SEVERITY,
//	 "fingerprint": HASH,
//	 "location": {"path": FILE, "lines": {"begin": L, "end": EL}}}
//
// Severities: error is critical, warning major, info info. The path is
// relative to the repository as nginxlint names it (forward slashes, no
// leading "./"). The fingerprint is the finding's lint/fingerprint (the
// one the baseline records: rule, file, message and a content anchor,
// never the line), so it does not change when unrelated lines move;
// repeats are numbered and hashed again, since GitLab keeps only the
// first issue of a fingerprint.
//
// When the run failed (exit 2), each reason is an issue too, with
// check_name nginxlint.execution and severity blocker, at its file and
// line ("." and line 1 when it has none): the widget then shows why
// instead of "no changes".
var GitLab = &Format{Name: "gitlab", Write: writeGitLab}

type codeQualityIssue struct {
	Type        string              `json:"type"`
	CheckName   string              `json:"check_name"`
	Description string              `json:"description"`
	Categories  []string            `json:"categories"`
	Severity    string              `json:"severity"`
	Fingerprint string              `json:"fingerprint"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

// codeQualitySeverity maps a severity to Code Quality's scale (info,
// minor, major, critical, blocker).
func codeQualitySeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "critical"
	case lint.Warning:
		return "major"
	}
	return "info"
}

// codeQualityHash is a fingerprint as Code Quality reports hold one: 32
// hex digits (the length of the MD5 hashes GitLab's documentation shows).
func codeQualityHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		// Length-prefixed, so that parts cannot run into each other.
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(p))))
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func writeGitLab(w io.Writer, r *Report, _ Options) error {
	issues := []codeQualityIssue{}
	fingerprints := fingerprint.Distinct(fingerprint.All(r.Diagnostics))
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		issue := codeQualityIssue{
			Type:        "issue",
			CheckName:   d.Rule,
			Description: d.Message,
			Categories:  []string{"Bug Risk"},
			Severity:    codeQualitySeverity(d.Severity),
			Fingerprint: fingerprints[i],
			Location:    codeQualityLocation{Path: ".", Lines: codeQualityLines{Begin: 1}},
		}
		if len(issue.Fingerprint) != 32 {
			// A repeat, numbered by Distinct ("FP:2"): 32 digits again.
			issue.Fingerprint = codeQualityHash(issue.Fingerprint)
		}
		if d.File != nil {
			start, end := d.File.Position(d.Start), d.File.Position(max(d.End, d.Start))
			issue.Location = codeQualityLocation{Path: githubPath(d.File.Name), Lines: codeQualityLines{Begin: start.Line, End: end.Line}}
		} else {
			// Findings without a file are the run's, not a place's.
			issue.Fingerprint = codeQualityHash("nginxlint/v1", d.Rule, d.Message)
		}
		issues = append(issues, issue)
	}
	for _, e := range r.Errors {
		issue := codeQualityIssue{
			Type:        "issue",
			CheckName:   ExecutionSource,
			Description: e.Message,
			Categories:  []string{"Bug Risk"},
			Severity:    "blocker",
			Fingerprint: codeQualityHash(ExecutionSource, e.File, e.Message),
			Location:    codeQualityLocation{Path: ".", Lines: codeQualityLines{Begin: 1}},
		}
		if e.File != "" {
			issue.Location.Path = githubPath(e.File)
			issue.Location.Lines.Begin = max(e.Line, 1)
		}
		issues = append(issues, issue)
	}
	uniqueFingerprints(issues)
	return encodeJSONList(w, []codeQualityIssue{}, "", 0, issues, true)
}

// uniqueFingerprints makes the fingerprints of issues distinct: two
// findings of the run with one fingerprint (the same failure reported
// twice) get the second one's hashed with its rank.
func uniqueFingerprints(issues []codeQualityIssue) {
	seen := map[string]int{}
	for i := range issues {
		fp := issues[i].Fingerprint
		seen[fp]++
		if n := seen[fp]; n > 1 {
			issues[i].Fingerprint = codeQualityHash(fp, strconv.Itoa(n))
		}
	}
}
