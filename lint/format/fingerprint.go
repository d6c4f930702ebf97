package format

import (
	"strconv"

	"github.com/nginxlint/nginxlint/lint"
)

// sarifFingerprints returns an identity for each finding of ds that does not
// depend on where its line is: a hash of the rule, the file, the text of
// the finding's first line (trimmed: the content that anchors it) and the
// message, followed by ":N" for the Nth finding of ds with the same hash
// (in the order of ds). Lines inserted or removed elsewhere, or the
// finding's block moving, leave it unchanged; editing the line or the
// message changes it. A finding without a file gets "".
//
// SARIF's partialFingerprints are these (kept as they were, so that code
// scanning keeps tracking its alerts; lint/fingerprint, which the
// baseline and Code Quality use, also anchors a finding by its blocks).
func sarifFingerprints(ds []lint.Diagnostic) []string {
	out := make([]string, len(ds))
	seen := map[string]int{}
	var lines lineHashes
	for i := range ds {
		d := &ds[i]
		if d.File == nil {
			continue
		}
		fp := diagnosticFingerprint(d, &lines)
		seen[fp]++
		out[i] = fp + ":" + strconv.Itoa(seen[fp])
	}
	return out
}
