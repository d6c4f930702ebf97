package cli

import (
	"io"
	"slices"
	"strings"
	"testing"
)

// TestPhases checks that a run tells the program when it starts reading
// the tree, when the tree is read, and that it is over, whether it
// succeeds or fails: the program's process-wide policy (the garbage
// collector's settings) hangs on these.
func TestPhases(t *testing.T) {
	for _, c := range []struct {
		path string
		want []Phase
	}{
		{"../../example/etc/nginx", []Phase{Loading, Checking, Done}},
		{"../../testdata/no/such/tree", []Phase{Loading, Done}},
	} {
		var got []Phase
		Main([]string{c.path}, nil, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Phase: func(p Phase) { got = append(got, p) }})
		if !slices.Equal(got, c.want) {
			t.Errorf("nginxlint %s: phases %v, want %v", c.path, got, c.want)
		}
	}
}
