package compose

import (
	"strings"
	"testing"
)

func TestYAMLComments(t *testing.T) {
	src := "# top\r\nservices:\n  api:  # trailing\n    image: \"a # b\"\n    command: 'it''s # no'\n    entrypoint: |\n      # content\n      run # content too\n    x: a|b # after a pipe\n    y: >-\n\n      # still content\n  # back\nurl: http://x/#frag\n"
	var got []string
	for _, c := range yamlComments(src) {
		got = append(got, src[c.Start:c.End])
	}
	want := []string{"# top", "# trailing", "# after a pipe", "# back"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzYAMLComments(f *testing.F) {
	f.Add("a: |\n  # x\n# y\n")
	f.Fuzz(func(t *testing.T, src string) {
		for _, c := range yamlComments(src) {
			if c.Start < 0 || c.End > int32(len(src)) || c.Start > c.End || src[c.Start] != '#' {
				t.Fatalf("bad comment %v in %q", c, src)
			}
		}
	})
}
