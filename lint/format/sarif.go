package format

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/ruledoc"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// SARIF constants.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// toolURL is nginxlint's home page, the driver's informationUri.
	toolURL = "https://github.com/nginxlint/nginxlint"
	// sarifFingerprint is the key of nginxlint's partial fingerprint.
	sarifFingerprint = "nginxlint/v1"
)

// SARIF prints the report as a SARIF 2.1.0 log with one run, as
// GitHub code scanning and other SARIF viewers read it: every rule that
// ran is described in tool.driver.rules (with its documentation), and
// every finding is a result with its location, a partial fingerprint
// that survives lines inserted above it, related locations and fixes.
//
// Levels are error, warning and note (for info). A rule is named by its
// ID in CamelCase; a finding of a rule missing from r.Rules gets a minimal
// descriptor, so that every ruleIndex points at its rule. The rules the
// configuration turned off (r.Disabled) are described too, and
// run.invocations[0].ruleConfigurationOverrides says they were not
// enabled (the run has an invocation only then). File names
// become URIs with ArtifactURI.
//
// tool.driver.version is Report.Version, and semanticVersion the same
// without its "v" when it is a SemVer 2.0.0 version. When the run failed
// (Report.Errors), the invocation says executionSuccessful false and
// lists why in toolExecutionNotifications (level error, with the file
// and line when there is one). Columns count UTF-16 code units
// (run.columnKind), starting at 1; an end column points just past the
// last character, as in SARIF.
var SARIF = &Format{Name: "sarif", Write: writeSARIF}

func writeSARIF(w io.Writer, r *Report, _ Options) error {
	var rules []sarifReportingDescr
	index := map[string]int{}
	for _, rule := range r.Rules {
		if rule == nil {
			continue
		}
		if _, dup := index[rule.ID]; dup {
			continue
		}
		index[rule.ID] = len(rules)
		rules = append(rules, sarifRule(rule))
	}
	results := []sarifResult{}
	fingerprints := sarifFingerprints(r.Diagnostics)
	var cols utf16Columns
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		ri, ok := index[d.Rule]
		if !ok {
			// A finding of a rule the report does not list: describe it
			// minimally, so that ruleIndex is always valid.
			ri = len(rules)
			index[d.Rule] = ri
			rules = append(rules, sarifReportingDescr{
				ID:                   d.Rule,
				Name:                 CamelCase(d.Rule),
				HelpURI:              ruledoc.URL(d.Rule),
				DefaultConfiguration: &sarifRuleConfiguration{Level: sarifLevel(d.Severity)},
			})
		}
		res := sarifResult{
			RuleID:    d.Rule,
			RuleIndex: ri,
			Level:     sarifLevel(d.Severity),
			Message:   sarifMessage{Text: d.Message},
		}
		if d.File != nil {
			res.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical(&cols, d.File, d.Start, d.End)}}
			res.PartialFingerprints = map[string]string{sarifFingerprint: fingerprints[i]}
		}
		for j, rel := range d.Related {
			if rel.File == nil {
				continue
			}
			id := j + 1
			loc := sarifLocation{ID: &id, PhysicalLocation: sarifPhysical(&cols, rel.File, rel.Start, rel.End)}
			if rel.Message != "" {
				loc.Message = &sarifMessage{Text: rel.Message}
			}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		for _, f := range d.Fixes {
			if sf, ok := sarifFixOf(&cols, f); ok {
				res.Fixes = append(res.Fixes, sf)
			}
		}
		results = append(results, res)
	}
	// The rules the configuration turned off: described (minimally, if
	// they are not among r.Rules) and overridden as not enabled.
	var overrides []sarifConfigurationOverride
	for _, id := range disabledIDs(r.Disabled) {
		ri, ok := index[id]
		if !ok {
			ri = len(rules)
			index[id] = ri
			rules = append(rules, sarifReportingDescr{ID: id, Name: CamelCase(id), HelpURI: ruledoc.URL(id)})
		}
		overrides = append(overrides, sarifConfigurationOverride{
			Configuration: sarifRuleConfiguration{Enabled: new(false)},
			Descriptor:    sarifDescriptorReference{ID: id, Index: ri},
		})
	}
	if rules == nil {
		rules = []sarifReportingDescr{}
	}
	driver := sarifDriver{Name: "nginxlint", Version: r.Version, InformationURI: toolURL, Rules: rules}
	if v := strings.TrimPrefix(r.Version, "v"); IsSemver(v) {
		driver.SemanticVersion = v
	}
	run := sarifRun{
		Tool:       sarifTool{Driver: driver},
		ColumnKind: "utf16CodeUnits",
		Results:    []sarifResult{}, // written one by one from results
	}
	if overrides != nil || r.Failed() {
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: !r.Failed(), RuleConfigurationOverrides: overrides, ToolExecutionNotifications: sarifNotifications(r.Errors)}}
	}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
	return encodeJSONList(w, log, "results", 3, results, false) // runs[0].results
}

// sarifNotifications turns the reasons a run failed into notifications
// of level error. A place is a line (startLine: the run's columns count
// UTF-16 code units, and an error's column counts bytes, so it is left
// out), or the file alone.
func sarifNotifications(errs []RunError) []sarifNotification {
	var out []sarifNotification
	for _, e := range errs {
		n := sarifNotification{Level: "error", Message: sarifMessage{Text: e.Message}}
		if e.File != "" {
			loc := &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: ArtifactURI(e.File)}}
			if e.Line > 0 {
				loc.Region = &sarifRegion{StartLine: e.Line}
			}
			n.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		out = append(out, n)
	}
	return out
}

func sarifRule(r *lint.Rule) sarifReportingDescr {
	return sarifReportingDescr{
		ID:               r.ID,
		Name:             CamelCase(r.ID),
		ShortDescription: &sarifMessage{Text: r.Title},
		FullDescription:  &sarifMessage{Text: ruledoc.Summary(r)},
		Help: &sarifMultiformat{
			Text:     strings.TrimSpace(r.Doc),
			Markdown: ruledoc.HelpMarkdown(r),
		},
		HelpURI:              ruledoc.URL(r.ID),
		DefaultConfiguration: &sarifRuleConfiguration{Level: sarifLevel(r.Severity)},
	}
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	case lint.Info:
		return "note"
	}
	return "none"
}

// CamelCase turns a rule ID into the rule's name in SARIF:
// proxy-pass-scheme becomes ProxyPassScheme.
func CamelCase(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "-") {
		if w == "" {
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func sarifPhysical(cols *utf16Columns, f *syntax.File, start, end int) *sarifPhysicalLocation {
	return &sarifPhysicalLocation{
		ArtifactLocation: sarifArtifactLocation{URI: ArtifactURI(f.Name)},
		Region:           sarifRegionOf(cols, f, start, end),
	}
}

func sarifRegionOf(cols *utf16Columns, f *syntax.File, start, end int) *sarifRegion {
	if end < start {
		end = start
	}
	sl, sc := cols.position(f, start)
	el, ec := cols.position(f, end)
	return &sarifRegion{StartLine: sl, StartColumn: sc, EndLine: el, EndColumn: ec}
}

// sarifFixOf converts a fix; edits are grouped by file, in the order the
// files first appear.
func sarifFixOf(cols *utf16Columns, f lint.Fix) (sarifFix, bool) {
	var changes []sarifArtifactChange
	at := map[string]int{}
	for _, e := range f.Edits {
		if e.File == nil {
			continue
		}
		uri := ArtifactURI(e.File.Name)
		i, ok := at[uri]
		if !ok {
			i = len(changes)
			at[uri] = i
			changes = append(changes, sarifArtifactChange{ArtifactLocation: sarifArtifactLocation{URI: uri}})
		}
		rep := sarifReplacement{DeletedRegion: *sarifRegionOf(cols, e.File, e.Start, e.End)}
		if e.NewText != "" {
			rep.InsertedContent = &sarifArtifactContent{Text: e.NewText}
		}
		changes[i].Replacements = append(changes[i].Replacements, rep)
	}
	if len(changes) == 0 {
		return sarifFix{}, false
	}
	sf := sarifFix{ArtifactChanges: changes}
	if f.Message != "" {
		sf.Description = &sarifMessage{Text: f.Message}
	}
	return sf, true
}

// ArtifactURI turns a file's display name into a URI reference: forward
// slashes, no leading "./", and characters outside a path's safe set
// percent-encoded. Relative names stay relative (GitHub resolves them
// against the repository root); absolute ones become file:// URIs.
func ArtifactURI(name string) string {
	p := filepath.ToSlash(name)
	for strings.HasPrefix(p, "./") {
		p = strings.TrimLeft(p[2:], "/")
	}
	switch {
	case strings.HasPrefix(p, "/"):
		return "file://" + escapeURIPath(p, false)
	case len(p) >= 3 && p[1] == ':' && p[2] == '/' && isASCIILetter(p[0]):
		// A Windows drive: C:/dir/file.
		return "file:///" + p[:2] + escapeURIPath(p[2:], false)
	}
	return escapeURIPath(p, true)
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// escapeURIPath percent-encodes the bytes of p that may not appear
// literally in a URI path. In a relative reference, a colon in the first
// segment would read as a scheme, so it is encoded too.
func escapeURIPath(p string, relative bool) string {
	firstSeg := relative
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '/':
			firstSeg = false
			b.WriteByte(c)
		case c == ':' && firstSeg:
			b.WriteString("%3A")
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
		}
	}
	return b.String()
}

// diagnosticFingerprint hashes what identifies a finding independently of
// where its line is: the rule, the file, the text of its first line
// (trimmed) and the message (which holds no positions: other places are
// related locations). Findings with the same
// hash are told apart by their order (":1", ":2" ... in sarifFingerprints).
// The hash of what comes before the message is taken from lines when the
// finding shares a long line with an earlier one of its rule.
func diagnosticFingerprint(d *lint.Diagnostic, lines *lineHashes) string {
	h := lines.prefix(d.Rule, d.File, d.File.Position(d.Start).Line)
	hashPart(h, &lines.buf, d.Message)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// lineHashes keeps, for the long lines of a report that hold findings,
// the fingerprint hash of a rule, the file and the line, the parts a
// finding's hash starts with: findings on one line of a minified file
// then cost their message, not the line's length each. The zero value
// is ready to use.
type lineHashes struct {
	states map[lineHashKey]hash.Cloner
	buf    [512]byte // hashPart's
}

type lineHashKey struct {
	file *syntax.File
	line int
	rule string
}

// longLine is the length of a line, in bytes, from which lineHashes
// keeps its hash: a shorter one costs about as much to hash again.
const longLine = 256

// prefix returns a new hash that has hashed the rule, f's URI and the
// trimmed text of its 1-based line.
func (l *lineHashes) prefix(rule string, f *syntax.File, line int) hash.Hash {
	start := func() hash.Hash {
		h := sha256.New()
		for _, part := range []string{rule, ArtifactURI(f.Name), strings.TrimSpace(lineText(f, line))} {
			hashPart(h, &l.buf, part)
		}
		return h
	}
	if f.LineStart(line+1)-f.LineStart(line) < longLine {
		return start()
	}
	key := lineHashKey{f, line, rule}
	if s, ok := l.states[key]; ok {
		if h, err := s.Clone(); err == nil {
			return h
		}
	}
	h := start()
	if s, ok := h.(hash.Cloner); ok {
		if c, err := s.Clone(); err == nil {
			if l.states == nil {
				l.states = map[lineHashKey]hash.Cloner{}
			}
			l.states[key] = c
		}
	}
	return h
}

// hashPart writes part to h, length-prefixed so that parts cannot run
// into each other. It goes through buf, not copied whole: a minified
// file's line is long.
func hashPart(h hash.Hash, buf *[512]byte, part string) {
	h.Write(append(strconv.AppendInt(buf[:0], int64(len(part)), 10), ':'))
	for s := part; len(s) > 0; {
		n := copy(buf[:], s)
		h.Write(buf[:n])
		s = s[n:]
	}
}
