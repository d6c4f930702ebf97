//go:build !unix

package syntax

import (
	"io"
	"os"
)

// OpenRead opens the file name for reading: os.Open (see open_unix.go).
func OpenRead(name string) (io.ReadCloser, error) { return os.Open(name) }
