package syntax

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenRead checks that OpenRead reads a file as os.Open does, and
// fails as it does: a *PathError that says the file does not exist, or
// that it is a directory when read.
func TestOpenRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.conf")
	if err := os.WriteFile(p, []byte("events {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenRead(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(f)
	if err != nil || string(b) != "events {}\n" {
		t.Errorf("read %q, %v", b, err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	_, err = OpenRead(filepath.Join(dir, "missing.conf"))
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe.Op != "open" {
		t.Errorf("missing file: %v (%T), want a *PathError of open that is fs.ErrNotExist", err, err)
	}
	if d, err := OpenRead(dir); err == nil {
		if _, err := d.Read(make([]byte, 1)); err == nil {
			t.Error("reading a directory succeeded")
		}
		_ = d.Close()
	}
}
