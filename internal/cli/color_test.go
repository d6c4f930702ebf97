package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestUseColor(t *testing.T) {
	env := map[string]string{"TERM": "xterm-256color"}
	getenv := func(k string) string { return env[k] }
	if !useColor(getenv) {
		t.Error("useColor = false with NO_COLOR unset")
	}
	env["NO_COLOR"] = "1"
	if useColor(getenv) {
		t.Error("useColor = true with NO_COLOR=1")
	}
	env["NO_COLOR"] = ""
	env["TERM"] = "dumb"
	if useColor(getenv) {
		t.Error("useColor = true with TERM=dumb")
	}
}

func TestIsTerminal(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Error("isTerminal(bytes.Buffer) = true")
	}
	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if isTerminal(file) {
		t.Error("isTerminal(regular file) = true")
	}
	if isTerminal((*os.File)(nil)) {
		t.Error("isTerminal(nil *os.File) = true")
	}
	// A character device is not a terminal: output to /dev/null takes
	// the plain path (asked of the device itself, not of its mode).
	dev, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer dev.Close()
	if isTerminal(dev) {
		t.Errorf("isTerminal(%s) = true", os.DevNull)
	}
}
