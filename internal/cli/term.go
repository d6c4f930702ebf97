package cli

import (
	"io"
	"os"
	"strconv"
	"strings"
)

// widthWriter is standard output with the width of the terminal it
// writes to: the text format's terminal layout wraps its lines to it
// (format.TerminalWidth).
type widthWriter struct {
	io.Writer
	width int
}

// TerminalWidth returns the width the output wraps to, in columns.
func (w widthWriter) TerminalWidth() int { return w.width }

// withWidth returns stdout with the width the terminal layout wraps to,
// when that layout is on: COLUMNS when set to a number, else the width
// the terminal says it has, else 80 on a terminal and no wrapping
// elsewhere (--color=always into a pipe).
func withWidth(stdout io.Writer, terminalLayout bool, getenv func(string) string) io.Writer {
	if !terminalLayout {
		return stdout
	}
	width := 0
	if n, err := strconv.Atoi(strings.TrimSpace(getenv("COLUMNS"))); err == nil && n > 0 {
		width = n
	} else if f, ok := stdout.(*os.File); ok && isTerminal(f) {
		width = terminalWidth(f)
		if width <= 0 {
			width = 80
		}
	}
	if width <= 0 {
		return stdout
	}
	return widthWriter{stdout, width}
}
