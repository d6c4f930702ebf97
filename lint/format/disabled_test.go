package format_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/format"
)

// disabledReport has one finding, and the configuration turned off two
// rules (one named twice, out of order).
func disabledReport(t *testing.T, disabled ...string) *format.Report {
	t.Helper()
	f := fmtParse(t, "nginx.conf", "proxy_pass 127.0.0.1:1;\n")
	d := fmtArgDiag(fmtRuleScheme, fmtDirective(t, f, "proxy_pass", 0), 0, "m")
	return &format.Report{Diagnostics: []lint.Diagnostic{d}, Files: 12, Rules: fmtRules, Disabled: disabled}
}

// TestDisabledSummary: the terminal summary says how many rules the
// configuration turned off, and which (sorted, each once); the plain
// text format has no summary, and stays so.
func TestDisabledSummary(t *testing.T) {
	for _, c := range []struct {
		disabled []string
		want     string
	}{
		{nil, "1 error in 12 files\n"},
		{[]string{"upstream-keepalive"}, "1 error in 12 files; 1 rule disabled: upstream-keepalive\n"},
		{[]string{"variable-unknown", "backend-drift", "variable-unknown"}, "1 error in 12 files; 2 rules disabled: backend-drift, variable-unknown\n"},
		// An ID comes from a configuration file: shown, never obeyed.
		{[]string{"x\n::error::forged\x1b[2J"}, "1 error in 12 files; 1 rule disabled: x\uFFFD::error::forged\uFFFD[2J\n"},
	} {
		r := disabledReport(t, c.disabled...)
		got := writePretty(t, r, false)
		if !strings.HasSuffix(got, "\n\n"+c.want) {
			t.Errorf("disabled %q: summary %q, want %q", c.disabled, got[strings.LastIndex(got[:len(got)-1], "\n")+1:], c.want)
		}
		plain := fmtWrite(t, format.Text, r, format.Options{})
		if want := "nginx.conf:1:12: error: m [proxy-pass-scheme]\n"; plain != want {
			t.Errorf("disabled %q: text output %q, want %q (no summary)", c.disabled, plain, want)
		}
	}
	r := disabledReport(t, "b", "a")
	r.Diagnostics, r.Files, r.Reached, r.Fragments = nil, 5, 3, 2
	if got, want := writePretty(t, r, false), "no problems in 5 files (3 loaded by nginx.conf, 2 linted as fragments); 2 rules disabled: a, b\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestDisabledJSON: "disabled" lists the rules turned off, sorted, each
// once, and is left out when there are none.
func TestDisabledJSON(t *testing.T) {
	var got struct {
		Disabled *[]string `json:"disabled"`
	}
	out := fmtWrite(t, format.JSON, disabledReport(t, "variable-unknown", "backend-drift", "variable-unknown"), format.Options{})
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Disabled == nil || strings.Join(*got.Disabled, ",") != "backend-drift,variable-unknown" {
		t.Errorf("disabled = %v, want [backend-drift variable-unknown]\n%s", got.Disabled, out)
	}
	got.Disabled = nil
	out = fmtWrite(t, format.JSON, disabledReport(t), format.Options{})
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Disabled != nil {
		t.Errorf("no rule disabled, but disabled = %v", *got.Disabled)
	}
}

// TestDisabledSARIF: each rule turned off is described in
// tool.driver.rules (minimally, when the report does not carry it) and
// has a ruleConfigurationOverride in the run's invocation that says it was
// not enabled, referring to it by index and ID; without disabled rules the
// run has no invocation. checkSARIF checks the objects against the
// schema's required properties and the index against the rules.
func TestDisabledSARIF(t *testing.T) {
	// proxy-pass-scheme is among the report's rules too: its descriptor is
	// not repeated.
	log := fmtSARIF(t, disabledReport(t, "variable-unknown", "backend-drift", "variable-unknown", "proxy-pass-scheme"))
	rules, _ := jget(log, "runs", 0, "tool", "driver", "rules").([]any)
	overrides, _ := jget(log, "runs", 0, "invocations", 0, "ruleConfigurationOverrides").([]any)
	if jget(log, "runs", 0, "invocations", 0, "executionSuccessful") != true {
		t.Errorf("invocation: executionSuccessful is not true")
	}
	var ids []string
	seen := map[string]int{}
	for _, r := range rules {
		id, _ := jget(r, "id").(string)
		seen[id]++
	}
	for i, o := range overrides {
		id, _ := jget(o, "descriptor", "id").(string)
		ids = append(ids, id)
		if jget(o, "configuration", "enabled") != false {
			t.Errorf("override %d (%s) does not say the rule was not enabled: %v", i, id, o)
		}
		index, _ := jget(o, "descriptor", "index").(float64)
		if got := jget(rules[int(index)], "id"); got != id {
			t.Errorf("override %d: index %v points at %v, not %s", i, index, got, id)
		}
		if seen[id] != 1 {
			t.Errorf("rule %s is described %d times", id, seen[id])
		}
	}
	if strings.Join(ids, ",") != "backend-drift,proxy-pass-scheme,variable-unknown" {
		t.Errorf("overrides for %q, want backend-drift, proxy-pass-scheme, variable-unknown", ids)
	}

	log = fmtSARIF(t, disabledReport(t))
	if inv := jget(log, "runs", 0, "invocations"); inv != nil {
		t.Errorf("no rule disabled, but invocations = %v", inv)
	}
}
