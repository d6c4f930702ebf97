package format

import (
	"encoding/xml"
	"io"
	"slices"
	"strings"
)

// JUnit prints the report as JUnit XML, which GitLab's test report,
// Jenkins' junit step and GitHub test-report actions read:
//
//	<testsuites name="nginxlint" tests="T" failures="F" errors="E" time="0">
//	  <testsuite name="RULE" tests="N" failures="N" errors="0" skipped="0" time="0">
//	    <testcase name="FILE:LINE:COL" classname="RULE" time="0">
//	      <failure message="MESSAGE" type="SEVERITY">FILE:LINE:COL: SEVERITY: MESSAGE [RULE]
//	    FILE:LINE:COL: note: ...</failure>
//	    </testcase>
//	  </testsuite>
//	</testsuites>
//
// One test suite per rule that ran, with one failing test case per
// finding (named by its place; the failure's text is the finding as the
// text format prints it, with its notes), or one passing test case named
// by the rule when it found nothing, so that a clean run counts its
// checks. A rule the configuration turned off has one skipped test case.
// When the run failed (exit 2), a suite named nginxlint holds one test
// case per reason, with an <error> of type nginxlint.execution. Lines and
// columns are as in the text format (columns count bytes).
//
// The output follows the junit.xsd of Jenkins' xUnit plugin (the Ant
// format's schema) and is well-formed whatever the input, as Checkstyle's
// is (see xmlSafe).
var JUnit = &Format{Name: "junit", Write: writeJUnit}

type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Time     string           `xml:"time,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Time     string          `xml:"time,attr"`
	Cases    []junitTestCase `xml:"testcase"`
}

type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitOutcome `xml:"skipped"`
	Error     *junitOutcome `xml:"error"`
	Failure   *junitOutcome `xml:"failure"`
}

type junitOutcome struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, r *Report, _ Options) error {
	var suites []junitTestSuite
	byRule := map[string]int{}
	suite := func(id string) *junitTestSuite {
		i, ok := byRule[id]
		if !ok {
			i = len(suites)
			byRule[id] = i
			suites = append(suites, junitTestSuite{Name: id, Time: "0"})
		}
		return &suites[i]
	}
	for _, rule := range r.Rules {
		if rule != nil {
			suite(rule.ID)
		}
	}
	// Rules with findings that r.Rules does not list, in order of ID.
	var extra []string
	for i := range r.Diagnostics {
		if _, ok := byRule[r.Diagnostics[i].Rule]; !ok && !slices.Contains(extra, r.Diagnostics[i].Rule) {
			extra = append(extra, r.Diagnostics[i].Rule)
		}
	}
	slices.Sort(extra)
	for _, id := range extra {
		suite(id)
	}
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		s := suite(d.Rule)
		name := d.Rule
		if d.File != nil {
			name = position(d.File, d.Start)
		}
		var text strings.Builder
		writeTextDiagnostic(&text, d)
		s.Cases = append(s.Cases, junitTestCase{
			Name: xmlSafe(name), Classname: xmlSafe(d.Rule), Time: "0",
			Failure: &junitOutcome{Message: xmlSafe(d.Message), Type: d.Severity.String(), Text: xmlSafe(text.String())},
		})
		s.Tests++
		s.Failures++
	}
	for _, id := range disabledIDs(r.Disabled) {
		if _, ran := byRule[id]; ran {
			continue
		}
		s := suite(id)
		s.Cases = append(s.Cases, junitTestCase{Name: xmlSafe(id), Classname: xmlSafe(id), Time: "0", Skipped: &junitOutcome{Message: "turned off by the configuration"}})
		s.Tests++
		s.Skipped++
	}
	for i := range suites {
		if s := &suites[i]; s.Tests == 0 {
			s.Cases = append(s.Cases, junitTestCase{Name: xmlSafe(s.Name), Classname: xmlSafe(s.Name), Time: "0"})
			s.Tests++
		}
	}
	if len(r.Errors) > 0 {
		s := junitTestSuite{Name: "nginxlint", Time: "0"}
		for _, e := range r.Errors {
			name, text := "execution", e.Message
			if where := runErrorPlace(e); where != "" {
				name, text = logPath(where), logPath(where)+": "+e.Message
			}
			s.Cases = append(s.Cases, junitTestCase{
				Name: xmlSafe(name), Classname: "nginxlint", Time: "0",
				Error: &junitOutcome{Message: xmlSafe(e.Message), Type: ExecutionSource, Text: xmlSafe(text)},
			})
			s.Tests++
			s.Errors++
		}
		suites = append(suites, s)
	}
	out := junitTestSuites{Name: "nginxlint", Time: "0", Suites: suites}
	for _, s := range suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
