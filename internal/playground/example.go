package playground

import (
	"embed"
	"io/fs"
	"strings"
)

// exampleFS is the page's default tree: nginx.conf includes conf.d/*.conf,
// whose upstream dials a port the manifest (backends.toml) says no
// backend listens on.
//
//go:embed example
var exampleFS embed.FS

// Example returns the page's default tree.
func Example() Input {
	in := Input{Files: map[string]string{}}
	err := fs.WalkDir(exampleFS, "example", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := exampleFS.ReadFile(p)
		if err != nil {
			return err
		}
		in.Files[strings.TrimPrefix(p, "example/")] = string(data)
		return nil
	})
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return in
}
