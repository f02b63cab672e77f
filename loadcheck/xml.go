package loadcheck

import (
	"encoding/xml"
	"os"
)

// The JUnit XML that Bazel reads from XML_OUTPUT_FILE: one <testcase> per
// plugin and check, classname the plugin, so dashboards list them.
type xmlSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Suites  []xmlSuite
}

type xmlSuite struct {
	XMLName  xml.Name `xml:"testsuite"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Cases    []xmlCase
}

type xmlCase struct {
	XMLName   xml.Name    `xml:"testcase"`
	ClassName string      `xml:"classname,attr"`
	Name      string      `xml:"name,attr"`
	Time      float64     `xml:"time,attr"`
	Failure   *xmlMessage `xml:"failure,omitempty"`
	Skipped   *xmlMessage `xml:"skipped,omitempty"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type xmlMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func writeXML(path, target string, cases []testCase) error {
	suite := xmlSuite{Name: target, Tests: len(cases)}
	for _, c := range cases {
		xc := xmlCase{ClassName: c.plugin, Name: c.name, Time: c.elapsed.Seconds(), SystemOut: c.output}
		if c.failure != "" {
			suite.Failures++
			xc.Failure = &xmlMessage{Message: c.failure, Text: c.failure}
		}
		if c.skipped != "" {
			suite.Skipped++
			xc.Skipped = &xmlMessage{Message: c.skipped}
		}
		suite.Cases = append(suite.Cases, xc)
	}
	data, err := xml.MarshalIndent(xmlSuites{Suites: []xmlSuite{suite}}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(data, '\n')...), 0o644)
}
