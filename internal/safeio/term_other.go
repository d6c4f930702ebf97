//go:build !linux && !darwin && !freebsd && !netbsd && !dragonfly && !windows

package safeio

// isTerminal: nginxlint does not ask terminals here; the output is then
// plain text, as for a file.
func isTerminal(uintptr) bool { return false }
