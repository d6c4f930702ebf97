package apps

import (
	"slices"
	"testing"
)

func TestLines(t *testing.T) {
	src := " a \r\n\nb\tc\n last"
	var got []string
	for s, e := range Lines(src) {
		s, e = TrimBlank(src, s, e)
		got = append(got, src[s:e])
	}
	if want := []string{"a", "", "b\tc", "last"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for range Lines("") {
		t.Error("an empty text has no line")
	}
}
