package manifest

import (
	"time"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// parseDuration reads a duration in Go syntax ("1m30s", "1.5s", "500ms")
// or in nginx time syntax ("75s", "1m", "1h 30m", "1d", a bare "75"
// meaning seconds).
func parseDuration(s string) (time.Duration, bool) {
	if d, err := time.ParseDuration(s); err == nil {
		return d, true
	}
	return nginx.ParseTime(s)
}

// ParseNginxTime reads an nginx time value as nginx reads timeouts; see
// [nginx.ParseTime].
func ParseNginxTime(s string) (time.Duration, bool) { return nginx.ParseTime(s) }
