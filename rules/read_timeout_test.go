package rules

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/model"
)

// TestReadTimeoutName checks the timeout directive named for every pass
// directive: X_pass is read with X_read_timeout.
func TestReadTimeoutName(t *testing.T) {
	for _, pass := range model.PassDirectives {
		if got, want := readTimeoutName(pass), strings.TrimSuffix(pass, "_pass")+"_read_timeout"; got != want {
			t.Errorf("readTimeoutName(%q) = %q, want %q", pass, got, want)
		}
	}
}
