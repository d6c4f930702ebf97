package format

// The parts of a SARIF 2.1.0 log that nginxlint writes
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/).

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool sarifTool `json:"tool"`
	// ColumnKind says how columns count: SARIF has no byte columns, so
	// columns are converted to UTF-16 code units, which is what GitHub's
	// and editors' viewers count.
	ColumnKind  string            `json:"columnKind"`
	Results     []sarifResult     `json:"results"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                         `json:"executionSuccessful"`
	RuleConfigurationOverrides []sarifConfigurationOverride `json:"ruleConfigurationOverrides,omitempty"`
	ToolExecutionNotifications []sarifNotification          `json:"toolExecutionNotifications,omitempty"`
}

// sarifNotification is a reason the run failed (SARIF's notification
// object), located when it is about a place.
type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

// sarifConfigurationOverride changes a rule's defaultConfiguration for
// the run: nginxlint writes one per rule the configuration turned off.
type sarifConfigurationOverride struct {
	Configuration sarifRuleConfiguration   `json:"configuration"`
	Descriptor    sarifDescriptorReference `json:"descriptor"`
}

// sarifDescriptorReference names a rule of tool.driver.rules: by index,
// as SARIF requires when the tool describes its rules, and by ID, for
// readers.
type sarifDescriptorReference struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// SemanticVersion is the version as SemVer 2.0.0 ("0.1.0"), only
	// when it is one.
	SemanticVersion string                `json:"semanticVersion,omitempty"`
	InformationURI  string                `json:"informationUri"`
	Rules           []sarifReportingDescr `json:"rules"`
}

type sarifReportingDescr struct {
	ID                   string                  `json:"id"`
	Name                 string                  `json:"name,omitempty"`
	ShortDescription     *sarifMessage           `json:"shortDescription,omitempty"`
	FullDescription      *sarifMessage           `json:"fullDescription,omitempty"`
	Help                 *sarifMultiformat       `json:"help,omitempty"`
	HelpURI              string                  `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifRuleConfiguration `json:"defaultConfiguration,omitempty"`
}

// sarifRuleConfiguration is a reportingConfiguration: a rule's level,
// and whether it ran (absent: it did).
type sarifRuleConfiguration struct {
	Enabled *bool  `json:"enabled,omitempty"`
	Level   string `json:"level,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifFix struct {
	Description     *sarifMessage         `json:"description,omitempty"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion           `json:"deletedRegion"`
	InsertedContent *sarifArtifactContent `json:"insertedContent,omitempty"`
}

type sarifArtifactContent struct {
	Text string `json:"text"`
}
