package playground

import (
	"encoding/json"
	"fmt"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/ruledoc"
)

// maxRequest bounds a request's JSON: the files it may hold, their
// escapes (at most six bytes for one) and the rest.
const maxRequest = 6*MaxInput + 1<<20

// FixRequest asks for fixes: the first fix of the finding at Index (Lint's
// order) whose rule is Rule, or, with All, every fix "nginxlint --fix"
// applies.
type FixRequest struct {
	Input
	Index int    `json:"index"`
	Rule  string `json:"rule,omitempty"`
	All   bool   `json:"all,omitempty"`
}

// FixResponse is the answer to a FixRequest: the files after the fixes,
// or why there are none.
type FixResponse struct {
	*Fixed
	Error string `json:"error,omitempty"`
}

// RuleInfo is what the page shows of a rule.
type RuleInfo struct {
	ruledoc.Info
	// Explain is the documentation "nginxlint explain ID" prints.
	Explain string `json:"explain"`
}

// LintJSON lints the Input encoded in request and returns the Result as
// JSON; a request that is not an Input comes back as a Result whose
// Errors say so.
func LintJSON(rules []*lint.Rule, request []byte) []byte {
	var in Input
	if err := decode(request, &in); err != nil {
		return encode(&Result{Findings: []Finding{}, Errors: []Problem{{Message: err.Error()}}})
	}
	return encode(Lint(rules, in))
}

// FixJSON applies the fixes a FixRequest encoded in request asks for
// and returns the FixResponse as JSON.
func FixJSON(rules []*lint.Rule, request []byte) []byte {
	var req FixRequest
	if err := decode(request, &req); err != nil {
		return encode(&FixResponse{Error: err.Error()})
	}
	var fixed *Fixed
	var err error
	if req.All {
		fixed, err = ApplyAll(rules, req.Input)
	} else {
		fixed, err = Apply(rules, req.Input, req.Index, req.Rule)
	}
	if err != nil {
		return encode(&FixResponse{Error: err.Error()})
	}
	return encode(&FixResponse{Fixed: fixed})
}

// RulesJSON returns the rules' documentation as a JSON array of
// RuleInfo.
func RulesJSON(rules []*lint.Rule) []byte {
	out := make([]RuleInfo, 0, len(rules))
	for _, r := range rules {
		out = append(out, RuleInfo{Info: ruledoc.InfoOf(r), Explain: ruledoc.Explain(r)})
	}
	return encode(out)
}

func decode(request []byte, v any) error {
	if len(request) > maxRequest {
		return fmt.Errorf("the request holds more than the %d MiB nginxlint reads", MaxInput>>20)
	}
	if err := json.Unmarshal(request, v); err != nil {
		return fmt.Errorf("invalid request: %v", err)
	}
	return nil
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only strings, numbers and slices of them: cannot happen.
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	return b
}
