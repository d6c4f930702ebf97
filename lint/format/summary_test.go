package format

import "testing"

func TestSummary(t *testing.T) {
	for _, c := range []struct {
		errors, warnings, infos, files int
		want                           string
	}{
		{0, 0, 0, 12, "no problems in 12 files"},
		{0, 0, 0, 1, "no problems in 1 file"},
		{0, 0, 0, 0, "no problems in 0 files"},
		{1, 0, 0, 1, "1 error in 1 file"},
		{2, 0, 0, 3, "2 errors in 3 files"},
		{0, 1, 0, 2, "1 warning in 2 files"},
		{0, 2, 0, 2, "2 warnings in 2 files"},
		{3, 1, 0, 12, "3 errors, 1 warning in 12 files"},
		{1, 1, 1, 1, "1 error, 1 warning, 1 info in 1 file"},
		{0, 0, 2, 5, "2 infos in 5 files"},
	} {
		if got := summary(c.errors, c.warnings, c.infos, c.files); got != c.want {
			t.Errorf("summary(%d, %d, %d, %d) = %q, want %q", c.errors, c.warnings, c.infos, c.files, got, c.want)
		}
	}
}
