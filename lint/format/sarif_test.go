package format_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/internal/testrules"
	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/format"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/ruledoc"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// The rules the findings are of.
var (
	fmtRuleScheme    = testrules.Scheme
	fmtRuleKeepalive = testrules.Keepalive
	fmtRuleNote      = testrules.Note
	fmtRules         = testrules.All
)

// fmtParse parses src as the main file of a tree and gives it the display
// name name.
func fmtParse(t *testing.T, name, src string) *syntax.File {
	t.Helper()
	tree, err := syntax.Load(syntax.Options{Grammar: nginx.Grammar{}, Files: map[string]string{"/etc/nginx/nginx.conf": src}, Path: "/etc/nginx/nginx.conf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.ReadErrors) > 0 {
		t.Fatalf("read errors: %v", tree.ReadErrors)
	}
	f := tree.Main
	f.Name = name
	return f
}

// fmtDirective returns the n-th (from 0) directive called name in f.
func fmtDirective(t *testing.T, f *syntax.File, name string, n int) syntax.Directive {
	t.Helper()
	var found []syntax.Directive
	var walk func([]syntax.Directive)
	walk = func(ds []syntax.Directive) {
		for _, d := range ds {
			if d.Name() == name {
				found = append(found, d)
			}
			walk(d.Block())
		}
	}
	walk(f.Directives())
	if n >= len(found) {
		t.Fatalf("%s: no directive %s number %d", f.Name, name, n)
	}
	return found[n]
}

// fmtArgDiag is a finding about the i-th argument of d.
func fmtArgDiag(r *lint.Rule, d syntax.Directive, i int, msg string) lint.Diagnostic {
	a := d.Args()[i]
	return lint.Diagnostic{Rule: r.ID, Severity: r.Severity, File: d.File(), Start: int(a.Start), End: int(a.End), Message: msg}
}

func fmtSARIF(t *testing.T, r *format.Report) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := format.SARIF.Write(&buf, r, format.Options{}); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	dec := json.NewDecoder(&buf)
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	checkSARIF(t, v)
	return v
}

// sarifChecker checks a decoded SARIF log against the required
// properties and the types of the SARIF 2.1.0 schema, for the objects
// nginxlint writes.
type sarifChecker struct {
	t *testing.T
}

func (c sarifChecker) errorf(path, format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("%s: "+format, append([]any{path}, args...)...)
}

func (c sarifChecker) object(path string, v any) map[string]any {
	c.t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		c.errorf(path, "want an object, got %T", v)
	}
	return m
}

func (c sarifChecker) array(path string, v any, minItems int) []any {
	c.t.Helper()
	a, ok := v.([]any)
	if !ok {
		c.errorf(path, "want an array, got %T", v)
		return nil
	}
	if len(a) < minItems {
		c.errorf(path, "want at least %d items, got %d", minItems, len(a))
	}
	return a
}

func (c sarifChecker) str(path string, v any, required bool) (string, bool) {
	c.t.Helper()
	if v == nil {
		if required {
			c.errorf(path, "required string is missing")
		}
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		c.errorf(path, "want a string, got %T", v)
	}
	return s, ok
}

func (c sarifChecker) integer(path string, v any, required bool, minimum int) (int, bool) {
	c.t.Helper()
	if v == nil {
		if required {
			c.errorf(path, "required integer is missing")
		}
		return 0, false
	}
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) {
		c.errorf(path, "want an integer, got %v", v)
		return 0, false
	}
	if int(f) < minimum {
		c.errorf(path, "want an integer >= %d, got %v", minimum, f)
	}
	return int(f), true
}

func (c sarifChecker) uri(path string, v any, required bool) {
	c.t.Helper()
	s, ok := c.str(path, v, required)
	if !ok {
		return
	}
	if _, err := url.Parse(s); err != nil {
		c.errorf(path, "not a URI reference: %v", err)
	}
	if strings.ContainsAny(s, " \\\"<>") || strings.HasPrefix(s, "./") || s == "" {
		c.errorf(path, "%q is not a clean URI", s)
	}
}

// message checks a message or multiformatMessageString: text is required
// (the schema allows id instead of text for messages; nginxlint always
// writes text).
func (c sarifChecker) message(path string, v any) string {
	c.t.Helper()
	m := c.object(path, v)
	s, _ := c.str(path+".text", m["text"], true)
	return s
}

func (c sarifChecker) level(path string, v any, required bool) {
	c.t.Helper()
	s, ok := c.str(path, v, required)
	if !ok {
		return
	}
	switch s {
	case "none", "note", "warning", "error":
	default:
		c.errorf(path, "level %q is not one of none, note, warning, error", s)
	}
}

func (c sarifChecker) region(path string, v any) {
	c.t.Helper()
	m := c.object(path, v)
	sl, _ := c.integer(path+".startLine", m["startLine"], true, 1)
	c.integer(path+".startColumn", m["startColumn"], true, 1)
	el, _ := c.integer(path+".endLine", m["endLine"], true, 1)
	c.integer(path+".endColumn", m["endColumn"], true, 1)
	if el < sl {
		c.errorf(path, "endLine %d before startLine %d", el, sl)
	}
	if el == sl && m["endColumn"].(float64) < m["startColumn"].(float64) {
		c.errorf(path, "endColumn before startColumn")
	}
}

func (c sarifChecker) physicalLocation(path string, v any) {
	c.t.Helper()
	m := c.object(path, v)
	al := c.object(path+".artifactLocation", m["artifactLocation"])
	c.uri(path+".artifactLocation.uri", al["uri"], true)
	if m["region"] != nil {
		c.region(path+".region", m["region"])
	}
}

func (c sarifChecker) location(path string, v any) {
	c.t.Helper()
	m := c.object(path, v)
	if m["id"] != nil {
		c.integer(path+".id", m["id"], false, -1)
	}
	if m["physicalLocation"] != nil {
		c.physicalLocation(path+".physicalLocation", m["physicalLocation"])
	}
	if m["message"] != nil {
		c.message(path+".message", m["message"])
	}
}

func checkSARIF(t *testing.T, log map[string]any) {
	t.Helper()
	c := sarifChecker{t}
	if s, _ := c.str("$schema", log["$schema"], false); s != "https://json.schemastore.org/sarif-2.1.0.json" {
		c.errorf("$schema", "got %q", s)
	}
	if v, _ := c.str("version", log["version"], true); v != "2.1.0" {
		c.errorf("version", "got %q, want 2.1.0", v)
	}
	runs := c.array("runs", log["runs"], 1)
	if len(runs) != 1 {
		t.Fatalf("want one run, got %d", len(runs))
	}
	run := c.object("runs[0]", runs[0])
	if ck, ok := c.str("runs[0].columnKind", run["columnKind"], false); ok && ck != "utf16CodeUnits" && ck != "unicodeCodePoints" {
		c.errorf("runs[0].columnKind", "got %q", ck)
	}
	tool := c.object("runs[0].tool", run["tool"])
	driver := c.object("runs[0].tool.driver", tool["driver"])
	if name, _ := c.str("driver.name", driver["name"], true); name != "nginxlint" {
		c.errorf("driver.name", "got %q", name)
	}
	c.uri("driver.informationUri", driver["informationUri"], false)
	c.str("driver.version", driver["version"], false)
	if sv, ok := c.str("driver.semanticVersion", driver["semanticVersion"], false); ok && !format.IsSemver(sv) {
		c.errorf("driver.semanticVersion", "%q is not a SemVer 2.0.0 version", sv)
	}
	var ruleIDs []string
	if driver["rules"] != nil {
		for i, rv := range c.array("driver.rules", driver["rules"], 0) {
			p := "driver.rules[" + strconv.Itoa(i) + "]"
			rule := c.object(p, rv)
			id, _ := c.str(p+".id", rule["id"], true)
			ruleIDs = append(ruleIDs, id)
			c.str(p+".name", rule["name"], false)
			for _, k := range []string{"shortDescription", "fullDescription", "help"} {
				if rule[k] != nil {
					c.message(p+"."+k, rule[k])
				}
			}
			if rule["help"] != nil {
				c.str(p+".help.markdown", rule["help"].(map[string]any)["markdown"], false)
			}
			if rule["helpUri"] != nil {
				s, _ := c.str(p+".helpUri", rule["helpUri"], true)
				if u, err := url.Parse(s); err != nil || !u.IsAbs() {
					c.errorf(p+".helpUri", "%q is not an absolute URI", s)
				}
			}
			if rule["defaultConfiguration"] != nil {
				dc := c.object(p+".defaultConfiguration", rule["defaultConfiguration"])
				c.level(p+".defaultConfiguration.level", dc["level"], false)
			}
		}
	}
	if run["invocations"] != nil {
		for i, iv := range c.array("runs[0].invocations", run["invocations"], 0) {
			p := "invocations[" + strconv.Itoa(i) + "]"
			inv := c.object(p, iv)
			if _, ok := inv["executionSuccessful"].(bool); !ok {
				c.errorf(p+".executionSuccessful", "required boolean is missing")
			}
			if inv["toolExecutionNotifications"] != nil {
				for j, nv := range c.array(p+".toolExecutionNotifications", inv["toolExecutionNotifications"], 0) {
					np := p + ".toolExecutionNotifications[" + strconv.Itoa(j) + "]"
					n := c.object(np, nv)
					c.message(np+".message", n["message"])
					c.level(np+".level", n["level"], false)
					if n["locations"] == nil {
						continue
					}
					for k, lv := range c.array(np+".locations", n["locations"], 0) {
						lp := np + ".locations[" + strconv.Itoa(k) + "]"
						pl := c.object(lp+".physicalLocation", c.object(lp, lv)["physicalLocation"])
						al := c.object(lp+".physicalLocation.artifactLocation", pl["artifactLocation"])
						c.uri(lp+".physicalLocation.artifactLocation.uri", al["uri"], true)
						if pl["region"] != nil {
							// A line, without columns: see sarifNotifications.
							c.integer(lp+".physicalLocation.region.startLine", c.object(lp+".physicalLocation.region", pl["region"])["startLine"], true, 1)
						}
					}
				}
			}
			if inv["ruleConfigurationOverrides"] == nil {
				continue
			}
			for j, ov := range c.array(p+".ruleConfigurationOverrides", inv["ruleConfigurationOverrides"], 0) {
				op := p + ".ruleConfigurationOverrides[" + strconv.Itoa(j) + "]"
				o := c.object(op, ov)
				conf := c.object(op+".configuration", o["configuration"])
				if e, ok := conf["enabled"]; ok {
					if _, ok := e.(bool); !ok {
						c.errorf(op+".configuration.enabled", "want a boolean, got %T", e)
					}
				}
				c.level(op+".configuration.level", conf["level"], false)
				desc := c.object(op+".descriptor", o["descriptor"])
				// The tool describes its rules, so the reference needs an
				// index (SARIF 2.1.0, reportingDescriptorReference).
				ri, ok := c.integer(op+".descriptor.index", desc["index"], true, 0)
				if ok && ri >= len(ruleIDs) {
					c.errorf(op+".descriptor.index", "%d is not the index of a rule (%d rules)", ri, len(ruleIDs))
				} else if id, _ := c.str(op+".descriptor.id", desc["id"], false); ok && id != "" && id != ruleIDs[ri] {
					c.errorf(op+".descriptor", "index points at rule %q, but id is %q", ruleIDs[ri], id)
				}
			}
		}
	}
	results := c.array("runs[0].results", run["results"], 0)
	for i, rv := range results {
		p := "results[" + strconv.Itoa(i) + "]"
		res := c.object(p, rv)
		c.message(p+".message", res["message"])
		id, _ := c.str(p+".ruleId", res["ruleId"], false)
		if res["ruleIndex"] != nil {
			ri, _ := c.integer(p+".ruleIndex", res["ruleIndex"], false, -1)
			if ri < 0 || ri >= len(ruleIDs) {
				c.errorf(p+".ruleIndex", "%d is not the index of a rule (%d rules)", ri, len(ruleIDs))
			} else if ruleIDs[ri] != id {
				c.errorf(p+".ruleIndex", "points at rule %q, but ruleId is %q", ruleIDs[ri], id)
			}
		}
		c.level(p+".level", res["level"], false)
		for j, lv := range c.array(p+".locations", res["locations"], 0) {
			c.location(p+".locations["+strconv.Itoa(j)+"]", lv)
			if lv.(map[string]any)["physicalLocation"] == nil {
				c.errorf(p+".locations["+strconv.Itoa(j)+"]", "no physicalLocation (GitHub code scanning needs one)")
			}
		}
		if res["relatedLocations"] != nil {
			for j, lv := range c.array(p+".relatedLocations", res["relatedLocations"], 0) {
				c.location(p+".relatedLocations["+strconv.Itoa(j)+"]", lv)
			}
		}
		if res["partialFingerprints"] != nil {
			for k, fv := range c.object(p+".partialFingerprints", res["partialFingerprints"]) {
				c.str(p+".partialFingerprints."+k, fv, true)
			}
		}
		if res["fixes"] != nil {
			for j, fv := range c.array(p+".fixes", res["fixes"], 0) {
				fp := p + ".fixes[" + strconv.Itoa(j) + "]"
				fix := c.object(fp, fv)
				if fix["description"] != nil {
					c.message(fp+".description", fix["description"])
				}
				for k, cv := range c.array(fp+".artifactChanges", fix["artifactChanges"], 1) {
					cp := fp + ".artifactChanges[" + strconv.Itoa(k) + "]"
					ch := c.object(cp, cv)
					al := c.object(cp+".artifactLocation", ch["artifactLocation"])
					c.uri(cp+".artifactLocation.uri", al["uri"], true)
					for l, rv := range c.array(cp+".replacements", ch["replacements"], 1) {
						rp := cp + ".replacements[" + strconv.Itoa(l) + "]"
						rep := c.object(rp, rv)
						if rep["deletedRegion"] == nil {
							c.errorf(rp, "deletedRegion is required")
						} else {
							c.region(rp+".deletedRegion", rep["deletedRegion"])
						}
						if rep["insertedContent"] != nil {
							ic := c.object(rp+".insertedContent", rep["insertedContent"])
							c.str(rp+".insertedContent.text", ic["text"], false)
						}
					}
				}
			}
		}
	}
}

// jget walks a decoded JSON value: keys for objects, ints for arrays.
func jget(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

const fmtConf = "http {\n" +
	"\tupstream api { server 127.0.0.1:8001; keepalive 4; }\n" +
	"\tserver {\n" +
	"\t\tlocation / {\n" +
	"\t\t\tproxy_pass 127.0.0.1:8000;\n" +
	"\t\t}\n" +
	"\t}\n" +
	"}\n"

func TestSARIF(t *testing.T) {
	main := fmtParse(t, "./etc/nginx/nginx.conf", fmtConf)
	other := fmtParse(t, `etc/nginx/sites enabled/shop & co.conf`, "proxy_pass 127.0.0.1:9000;\n")

	pass := fmtDirective(t, main, "proxy_pass", 0)
	scheme := fmtArgDiag(fmtRuleScheme, pass, 0, `proxy_pass "127.0.0.1:8000" has no scheme`)
	valStart := int(pass.Args()[0].Start)
	scheme.Fixes = []lint.Fix{{Message: "add http://", Edits: []lint.TextEdit{{File: main, Start: valStart, End: valStart, NewText: "http://"}}}}

	loc := fmtDirective(t, main, "location", 0)
	up := fmtDirective(t, main, "upstream", 0)
	ka := lint.Diagnostic{Rule: fmtRuleKeepalive.ID, Severity: lint.Warning, File: main, Start: int(loc.Start()), End: int(loc.End()),
		Message: "upstream \"api\" keeps idle connections, but this location sends \"Connection: close\"",
		Related: []lint.Related{{File: main, Start: int(up.Start()), End: int(up.End()), Message: "the upstream"}},
		Fixes: []lint.Fix{{Message: "write proxy_http_version 1.1;", Edits: []lint.TextEdit{
			lint.InsertInBlock(loc, []string{"proxy_http_version 1.1;"}),
			{File: main, Start: int(pass.Start()), End: int(pass.End()) + 1, NewText: ""},
		}}},
	}
	otherPass := fmtDirective(t, other, "proxy_pass", 0)
	note := fmtArgDiag(fmtRuleNote, otherPass, 0, "a note")
	unknown := lint.Diagnostic{Rule: "not-listed", Severity: lint.Error, File: other, Start: 0, End: 10, Message: "from a rule the report does not list"}

	r := &format.Report{Diagnostics: driver.Sort([]lint.Diagnostic{scheme, ka, note, unknown}), Files: 2, Rules: fmtRules}
	log := fmtSARIF(t, r)

	if got := jget(log, "runs", 0, "tool", "driver", "rules", 0, "name"); got != "ProxyPassScheme" {
		t.Errorf("rule name = %v", got)
	}
	rule0 := jget(log, "runs", 0, "tool", "driver", "rules", 0).(map[string]any)
	for path, want := range map[string]any{
		"shortDescription.text":      fmtRuleScheme.Title,
		"fullDescription.text":       `proxy_pass takes a URL: "proxy_pass 127.0.0.1:8000;" makes "nginx -t" fail.`,
		"help.text":                  fmtRuleScheme.Doc,
		"helpUri":                    ruledoc.URL("proxy-pass-scheme"),
		"defaultConfiguration.level": "error",
	} {
		var keys []any
		for _, k := range strings.Split(path, ".") {
			keys = append(keys, k)
		}
		if got := jget(rule0, keys...); got != want {
			t.Errorf("rules[0].%s = %q, want %q", path, got, want)
		}
	}
	if md, _ := jget(rule0, "help", "markdown").(string); !strings.Contains(md, "```nginx\nlocation / {\n    proxy_pass 127.0.0.1:8000;\n}\n```") {
		t.Errorf("help.markdown has no Bad example:\n%s", md)
	}
	if got := jget(log, "runs", 0, "tool", "driver", "rules", 2, "defaultConfiguration", "level"); got != "note" {
		t.Errorf("info rule level = %v, want note", got)
	}
	if got := jget(log, "runs", 0, "tool", "driver", "rules", 3, "id"); got != "not-listed" {
		t.Errorf("unlisted rule not described: %v", got)
	}

	results := jget(log, "runs", 0, "results").([]any)
	if len(results) != 4 {
		t.Fatalf("%d results, want 4", len(results))
	}
	type want struct {
		ruleID    string
		ruleIndex float64
		level     string
		uri       string
		region    [4]float64
	}
	// Sorted by file name: "./etc/nginx/nginx.conf" < "etc/nginx/sites ...".
	wants := []want{
		{"upstream-keepalive", 1, "warning", "etc/nginx/nginx.conf", [4]float64{4, 3, 6, 4}},
		{"proxy-pass-scheme", 0, "error", "etc/nginx/nginx.conf", [4]float64{5, 15, 5, 29}},
		{"not-listed", 3, "error", "etc/nginx/sites%20enabled/shop%20&%20co.conf", [4]float64{1, 1, 1, 11}},
		{"backend-note", 2, "note", "etc/nginx/sites%20enabled/shop%20&%20co.conf", [4]float64{1, 12, 1, 26}},
	}
	for i, w := range wants {
		res := results[i]
		if got := jget(res, "ruleId"); got != w.ruleID {
			t.Errorf("results[%d].ruleId = %v, want %s", i, got, w.ruleID)
			continue
		}
		if got := jget(res, "ruleIndex"); got != w.ruleIndex {
			t.Errorf("results[%d].ruleIndex = %v, want %v", i, got, w.ruleIndex)
		}
		if got := jget(res, "level"); got != w.level {
			t.Errorf("results[%d].level = %v, want %s", i, got, w.level)
		}
		pl := jget(res, "locations", 0, "physicalLocation")
		if got := jget(pl, "artifactLocation", "uri"); got != w.uri {
			t.Errorf("results[%d] uri = %v, want %s", i, got, w.uri)
		}
		reg := jget(pl, "region")
		got := [4]float64{}
		for j, k := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
			got[j], _ = jget(reg, k).(float64)
		}
		if got != w.region {
			t.Errorf("results[%d] region = %v, want %v", i, got, w.region)
		}
		if fp, _ := jget(res, "partialFingerprints", "nginxlint/v1").(string); len(fp) < 16 {
			t.Errorf("results[%d] fingerprint %q", i, fp)
		}
	}

	// The keepalive finding: a related location and a fix with two edits
	// in one file, an insertion and a deletion.
	if got := jget(results[0], "relatedLocations", 0, "message", "text"); got != "the upstream" {
		t.Errorf("related message = %v", got)
	}
	if got := jget(results[0], "relatedLocations", 0, "physicalLocation", "region", "startLine"); got != 2.0 {
		t.Errorf("related startLine = %v", got)
	}
	changes := jget(results[0], "fixes", 0, "artifactChanges").([]any)
	if len(changes) != 1 {
		t.Fatalf("%d artifact changes, want 1 (one file)", len(changes))
	}
	reps := jget(changes[0], "replacements").([]any)
	if len(reps) != 2 {
		t.Fatalf("%d replacements, want 2", len(reps))
	}
	if got := jget(reps[0], "insertedContent", "text"); got != "\t\t\tproxy_http_version 1.1;\n" {
		t.Errorf("insertion = %q", got)
	}
	if got := jget(reps[0], "deletedRegion"); got.(map[string]any)["startColumn"] != got.(map[string]any)["endColumn"] {
		t.Errorf("an insertion deletes nothing: %v", got)
	}
	if got := jget(reps[1], "insertedContent"); got != nil {
		t.Errorf("a deletion inserts nothing: %v", got)
	}
	if got := jget(reps[1], "deletedRegion", "endLine"); got != 6.0 {
		t.Errorf("deletion through the newline ends at line %v, want 6", got)
	}
	// The scheme finding: one insertion.
	if got := jget(results[1], "fixes", 0, "description", "text"); got != "add http://" {
		t.Errorf("fix description = %v", got)
	}
	if got := jget(results[1], "fixes", 0, "artifactChanges", 0, "replacements", 0, "insertedContent", "text"); got != "http://" {
		t.Errorf("fix text = %v", got)
	}
}

func TestSARIFEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := format.SARIF.Write(&buf, &format.Report{}, format.Options{}); err != nil {
		t.Fatal(err)
	}
	// Consumers want arrays, not null.
	if !strings.Contains(buf.String(), `"results": []`) || !strings.Contains(buf.String(), `"rules": []`) {
		t.Errorf("empty report:\n%s", buf.String())
	}
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	checkSARIF(t, v)
}

// TestSARIFFingerprint: the fingerprint of a finding does not change when
// lines are inserted above it, nor when its related places move; it does
// change with the rule and the text of the line, and identical findings
// on identical lines are told apart.
func TestSARIFFingerprint(t *testing.T) {
	before := "http {\n\tserver {\n\t\tproxy_set_header Host $host;\n\t\tlocation / {\n\t\t\tproxy_pass 127.0.0.1:8000;\n\t\t}\n\t\tlocation /b {\n\t\t\tproxy_pass 127.0.0.1:8000;\n\t\t}\n\t}\n}\n"
	after := "# a comment\nuser www-data;\n\nhttp {\n\tserver {\n\t\tlisten 80;\n\t\tproxy_set_header Host $host;\n\t\tlocation / {\n\t\t\tproxy_pass 127.0.0.1:8000;\n\t\t}\n\t\tlocation /b {\n\t\t\tproxy_pass 127.0.0.1:8000;\n\t\t}\n\t}\n}\n"
	report := func(src string, rule *lint.Rule) (*format.Report, []int) {
		f := fmtParse(t, "etc/nginx/nginx.conf", src)
		hdr := fmtDirective(t, f, "proxy_set_header", 0)
		var ds []lint.Diagnostic
		var lines []int
		for i := range 2 {
			pass := fmtDirective(t, f, "proxy_pass", i)
			lines = append(lines, f.Position(int(pass.Start())).Line)
			d := fmtArgDiag(rule, pass, 0, "no scheme; proxy_set_header Host is set at the server level")
			d.Related = []lint.Related{lint.RelatedTo(hdr, "proxy_set_header Host is set here")}
			ds = append(ds, d)
		}
		return &format.Report{Diagnostics: ds, Rules: fmtRules}, lines
	}
	fingerprints := func(r *format.Report) []string {
		var fps []string
		for _, res := range jget(fmtSARIF(t, r), "runs", 0, "results").([]any) {
			fps = append(fps, jget(res, "partialFingerprints", "nginxlint/v1").(string))
		}
		return fps
	}
	r1, lines1 := report(before, fmtRuleScheme)
	r2, lines2 := report(after, fmtRuleScheme)
	relLine := func(r *format.Report) int {
		rel := r.Diagnostics[0].Related[0]
		return rel.File.Position(rel.Start).Line
	}
	if lines1[0] == lines2[0] || relLine(r1) == relLine(r2) {
		t.Fatalf("the test does not move the finding and its related place: lines %v and %v, related lines %d and %d", lines1, lines2, relLine(r1), relLine(r2))
	}
	fp1, fp2 := fingerprints(r1), fingerprints(r2)
	if fp1[0] != fp2[0] || fp1[1] != fp2[1] {
		t.Errorf("fingerprints changed when lines were inserted above:\n%v\n%v", fp1, fp2)
	}
	if fp1[0] == fp1[1] {
		t.Errorf("two findings share the fingerprint %s", fp1[0])
	}
	if !strings.HasSuffix(fp1[0], ":1") || !strings.HasSuffix(fp1[1], ":2") || strings.TrimSuffix(fp1[0], ":1") != strings.TrimSuffix(fp1[1], ":2") {
		t.Errorf("identical findings on identical lines should differ only by their count: %v", fp1)
	}
	r3, _ := report(before, fmtRuleNote)
	if fp3 := fingerprints(r3); fp3[0] == fp1[0] {
		t.Errorf("fingerprint does not depend on the rule")
	}
	r4, _ := report(strings.Replace(before, "127.0.0.1:8000", "127.0.0.1:8001", 1), fmtRuleScheme)
	if fp4 := fingerprints(r4); fp4[0] == fp1[0] {
		t.Errorf("fingerprint does not depend on the text of the line")
	}
}

// TestSARIFColumns: SARIF columns count UTF-16 code units, not bytes.
func TestSARIFColumns(t *testing.T) {
	f := fmtParse(t, "nginx.conf", "set $a \"é😀\"; proxy_pass 127.0.0.1:1;\n")
	d := fmtArgDiag(fmtRuleScheme, fmtDirective(t, f, "proxy_pass", 0), 0, "m")
	if pos := f.Position(d.Start); pos.Column != 29 {
		t.Fatalf("byte column = %d, want 29", pos.Column)
	}
	log := fmtSARIF(t, &format.Report{Diagnostics: []lint.Diagnostic{d}, Rules: fmtRules})
	reg := jget(log, "runs", 0, "results", 0, "locations", 0, "physicalLocation", "region")
	// "set $a \"" is 8 units, é one, 😀 two (a surrogate pair), then
	// "\"; proxy_pass " 14: the argument starts at column 26.
	if sc, ec := jget(reg, "startColumn"), jget(reg, "endColumn"); sc != 26.0 || ec != 37.0 {
		t.Errorf("columns %v-%v, want 26-37", sc, ec)
	}
	if ck := jget(log, "runs", 0, "columnKind"); ck != "utf16CodeUnits" {
		t.Errorf("columnKind = %v", ck)
	}
}

func TestArtifactURI(t *testing.T) {
	for name, want := range map[string]string{
		"etc/nginx/nginx.conf":       "etc/nginx/nginx.conf",
		"./etc/nginx/nginx.conf":     "etc/nginx/nginx.conf",
		".//./a.conf":                "a.conf",
		"../conf/a.conf":             "../conf/a.conf",
		"sites enabled/shop#1.conf":  "sites%20enabled/shop%231.conf",
		"a:b/c:d.conf":               "a%3Ab/c:d.conf",
		"café/x?.conf":               "caf%C3%A9/x%3F.conf",
		"/etc/nginx/nginx.conf":      "file:///etc/nginx/nginx.conf",
		"/etc/nginx/a b%.conf":       "file:///etc/nginx/a%20b%25.conf",
		"C:/nginx/conf/nginx.conf":   "file:///C:/nginx/conf/nginx.conf",
		"conf.d/100%-[prod].conf":    "conf.d/100%25-%5Bprod%5D.conf",
		"conf.d/a+b=c,d;e@f(g)!.cnf": "conf.d/a+b=c,d;e@f(g)!.cnf",
	} {
		got := format.ArtifactURI(name)
		if got != want {
			t.Errorf("ArtifactURI(%q) = %q, want %q", name, got, want)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Errorf("ArtifactURI(%q) = %q: %v", name, got, err)
			continue
		}
		if !u.IsAbs() && u.Path != strings.TrimPrefix(strings.TrimPrefix(name, ".//./"), "./") {
			t.Errorf("ArtifactURI(%q) = %q decodes to %q", name, got, u.Path)
		}
	}
}

func TestCamelCase(t *testing.T) {
	for id, want := range map[string]string{
		"syntax":                   "Syntax",
		"proxy-pass-scheme":        "ProxyPassScheme",
		"backend-localhost-family": "BackendLocalhostFamily",
		"a1-b2":                    "A1B2",
	} {
		if got := format.CamelCase(id); got != want {
			t.Errorf("CamelCase(%q) = %q, want %q", id, got, want)
		}
	}
}
