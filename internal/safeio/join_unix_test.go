//go:build unix

package safeio

import (
	"os"
	"path/filepath"
	"testing"
)

// TestJoin: Join resolves ".." as the kernel does, where a symbolic link
// stands before it, and is filepath.Join where none does.
func TestJoin(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"repo/deploy/sub/deeper", "repo/nginx"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range [][2]string{
		{"../deploy/sub", "repo/nginx/dl"},                               // relative
		{filepath.Join(dir, "repo/deploy/sub/deeper"), "repo/nginx/abs"}, // absolute
		{"dl", "repo/nginx/chain"},                                       // a link to a link
	} {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	nginx := filepath.Join(dir, "repo", "nginx")
	for _, c := range []struct{ rel, want string }{
		{"x.py", "repo/nginx/x.py"},
		{"./a/./b", "repo/nginx/a/b"},
		{"../x.py", "repo/x.py"}, // no link before "..": the text decides
		{"dl/x.py", "repo/nginx/dl/x.py"},
		{"dl/../x.py", "repo/deploy/x.py"},
		{"dl/../../x.py", "repo/x.py"},
		{"abs/../x.py", "repo/deploy/sub/x.py"},
		{"chain/../x.py", "repo/deploy/x.py"},
		{"dl/sub2/../x.py", "repo/nginx/dl/sub2/../x.py"}, // sub2 does not exist: cleaned below
		{"dl/deeper/../../x.py", "repo/deploy/x.py"},
	} {
		got := Join(nginx, c.rel)
		want := filepath.Join(dir, c.want)
		if c.rel == "dl/sub2/../x.py" {
			want = filepath.Join(nginx, "dl", "x.py")
		}
		if got != want {
			t.Errorf("Join(nginx, %q) = %q, want %q", c.rel, got, want)
		}
		if c.rel != "dl/sub2/../x.py" {
			// What the kernel opens, given the text as it is: the same
			// file.
			if err := os.WriteFile(nginx+"/"+c.rel, []byte(c.rel), 0o644); err != nil {
				continue // a directory on the way does not exist
			}
			if b, err := os.ReadFile(got); err != nil || string(b) != c.rel {
				t.Errorf("Join(nginx, %q) = %q: not the file the kernel opens (%q, %v)", c.rel, got, b, err)
			}
		}
	}
	if got := Join("", "/a/../b"); got != "/b" {
		t.Errorf(`Join("", "/a/../b") = %q, want "/b"`, got)
	}
	if got := Join("", "a/b"); got != "a/b" {
		t.Errorf(`Join("", "a/b") = %q, want "a/b"`, got)
	}
}
