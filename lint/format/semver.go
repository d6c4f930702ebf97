package format

import "regexp"

// semverRE is the regular expression semver.org gives for a SemVer 2.0.0
// version (without a leading "v").
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// IsSemver reports whether v is a SemVer 2.0.0 version, such as 0.1.0 or
// 1.2.3-rc.1+build.5 (without a leading "v").
func IsSemver(v string) bool { return semverRE.MatchString(v) }
