//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package cli

import "os"

// terminalWidth: nginxlint does not ask terminals their size here; the
// terminal layout then wraps to COLUMNS, or 80.
func terminalWidth(*os.File) int { return 0 }
