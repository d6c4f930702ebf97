package lsp

import (
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
)

// pathOf returns the file path of a file: URI.
func pathOf(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", fmt.Errorf("%q: %v", uri, err)
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf("%q: not a file: URI", uri)
	}
	p := u.Path
	if runtime.GOOS == "windows" {
		// file:///C:/etc/nginx/nginx.conf
		p = strings.TrimPrefix(p, "/")
		if u.Host != "" {
			p = `\\` + u.Host + `\` + p // a UNC path
		}
	}
	return filepath.Clean(filepath.FromSlash(p)), nil
}

// uriOf returns the file: URI of an absolute path.
func uriOf(path string) string {
	p := filepath.ToSlash(path)
	if runtime.GOOS == "windows" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
