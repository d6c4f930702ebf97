//go:build !unix

package syntax

import "os"

// OpenRead opens the file name for reading: os.Open (see open_unix.go).
func OpenRead(name string) (*os.File, error) { return os.Open(name) }
