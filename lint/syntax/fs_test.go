package syntax

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// failingReader gives its text in small pieces, then fails instead of
// reaching the end, as a disk or network file system can.
type failingReader struct {
	text string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.text == "" {
		return 0, r.err
	}
	n := copy(p[:min(len(p), 7)], r.text)
	r.text = r.text[n:]
	return n, nil
}

// TestReadTextError checks that a read that fails midway is an error, not
// the text read so far passing for the whole file.
func TestReadTextError(t *testing.T) {
	text := "events {}\nhttp {\n    server { listen 80; }\n}\n"
	eio := errors.New("input/output error")
	for _, size := range []int64{0, int64(len(text)), 4 * int64(len(text))} {
		got, err := readText(&failingReader{text: text[:20], err: eio}, size)
		if !errors.Is(err, eio) {
			t.Errorf("size hint %d: readText = %q, %v; want the read error", size, got, err)
		}
	}
	// The error may also come with the last bytes read.
	r := io.MultiReader(strings.NewReader(text[:20]), iotest.ErrReader(eio))
	if got, err := readText(iotest.DataErrReader(r), int64(len(text))); !errors.Is(err, eio) {
		t.Errorf("error with data: readText = %q, %v; want the read error", got, err)
	}
}

// TestReadText checks that a file is read whole whatever its size said:
// it may have grown or shrunk since.
func TestReadText(t *testing.T) {
	text := strings.Repeat("events {}\n", 100)
	for _, size := range []int64{0, 1, int64(len(text)) - 1, int64(len(text)), 2 * int64(len(text))} {
		for name, r := range map[string]io.Reader{
			"whole":      strings.NewReader(text),
			"one byte":   iotest.OneByteReader(strings.NewReader(text)),
			"data + EOF": iotest.DataErrReader(strings.NewReader(text)),
		} {
			got, err := readText(r, size)
			if err != nil || got != text {
				t.Errorf("%s, size hint %d: readText = %d bytes, %v; want %d bytes", name, size, len(got), err, len(text))
			}
		}
	}
	if got, err := readText(strings.NewReader(""), 0); err != nil || got != "" {
		t.Errorf("empty file: readText = %q, %v", got, err)
	}
}
