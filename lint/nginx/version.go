package nginx

import (
	"strconv"
	"strings"
)

// Version is an nginx version: major, minor, patch.
type Version [3]int

// ParseVersion reads "1.22.1" (or "1.22", "1"). It reports false for
// anything else.
func ParseVersion(s string) (Version, bool) {
	var v Version
	parts := strings.Split(s, ".")
	if s == "" || len(parts) > 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

// VersionAtLeast reports whether version (as ParseVersion reads it) is
// known and at least major.minor.patch.
func VersionAtLeast(version string, major, minor, patch int) bool {
	v, ok := ParseVersion(version)
	return ok && (v[0] > major || v[0] == major && (v[1] > minor || v[1] == minor && v[2] >= patch))
}
