package apps

import (
	"strings"
	"testing"

	"github.com/nginxlint/nginxlint/lint/syntax"
)

func TestComments(t *testing.T) {
	for _, c := range []struct {
		name, src, marks string
		trailing, blank  bool
		want             []string
	}{
		{"ini", "[uwsgi]\n; one\n  # two\r\nsocket = a # not one\n", ";#", false, false, []string{"; one", "# two"}},
		{"php", "[www]\nlisten = /run/a.sock ; trailing\nx = \"a;b\" ; after quotes\n;own\n", ";", true, false, []string{"; trailing", "; after quotes", ";own"}},
		{"dotenv", "PORT=8000 # port\nURL=http://x/#frag\nQ='a # b' # c\n# own\n", "#", true, true, []string{"# port", "# c", "# own"}},
		{"no final newline", "# a", "#", false, false, []string{"# a"}},
		{"empty", "", "#", true, true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &syntax.File{Src: c.src}
			var got []string
			for _, cm := range Comments(c.src, c.marks, c.trailing, c.blank) {
				if cm.Start < 0 || cm.End > int32(len(c.src)) || cm.Start >= cm.End {
					t.Fatalf("comment %v out of range", cm)
				}
				got = append(got, c.src[cm.Start:cm.End])
				if !strings.Contains(c.marks, string(c.src[cm.Start])) || cm.Text(f) != c.src[cm.Start+1:cm.End] {
					t.Errorf("comment %q does not start with its mark", c.src[cm.Start:cm.End])
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
