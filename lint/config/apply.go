package config

import "github.com/nginxlint/nginxlint/lint"

// Switches returns which rules the file turns on and off: on is nil when
// it selects none (every rule runs), off the rules it ignores. Callers
// keep the rules that nginx's refusal depends on running whatever it
// says (lint/driver's Fatal).
func (c *File) Switches() (on, off map[string]bool) {
	off = map[string]bool{}
	if c == nil {
		return nil, off
	}
	if len(c.Enable) > 0 {
		on = make(map[string]bool, len(c.Enable))
		for _, id := range c.Enable {
			on[id] = true
		}
	}
	for _, id := range c.Disable {
		off[id] = true
	}
	return on, off
}

// ApplyOverrides applies the file's [[overrides]] to the findings of a
// run: in the files an override matches, the rules it disables do not
// report and the severities it sets apply; not to the rules for which
// keep is true (the Fatal ones). ds is filtered in place.
func (c *File) ApplyOverrides(ds []lint.Diagnostic, keep func(rule string) bool) []lint.Diagnostic {
	if c == nil || len(c.Overrides) == 0 {
		return ds
	}
	type rules struct {
		off map[string]bool
		sev map[string]lint.Severity
	}
	byFile := map[string]rules{}
	out := ds[:0]
	for _, d := range ds {
		if d.File == nil || keep(d.Rule) {
			out = append(out, d)
			continue
		}
		r, ok := byFile[d.File.Name]
		if !ok {
			r.off, r.sev = c.PathRules(d.File.Name)
			byFile[d.File.Name] = r
		}
		if r.off[d.Rule] {
			continue
		}
		if s, ok := r.sev[d.Rule]; ok {
			d.Severity = s
		}
		out = append(out, d)
	}
	return out
}
