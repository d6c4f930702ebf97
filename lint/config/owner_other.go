//go:build !unix

package config

import "io/fs"

// fileOwner cannot tell a file's owner here.
func fileOwner(fs.FileInfo) (int, bool) { return 0, false }
