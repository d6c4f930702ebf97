package poserr

import (
	"errors"
	"testing"
)

func TestList(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Error("an empty list is not an error")
	}
	l.Add(Position{File: "b.toml", Line: 1, Col: 1}, "b")
	l.Add(Position{File: "a.toml", Line: 10, Col: 2}, "a10")
	l.Add(Position{File: "a.toml", Line: 2, Col: 5}, "a2")
	l.Add(Position{File: "a.toml", Line: 2, Col: 3}, "a2c3")
	want := "a.toml:2:3: a2c3\na.toml:2:5: a2\na.toml:10:2: a10\nb.toml:1:1: b"
	if got := l.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if l[0].Msg != "b" {
		t.Error("Error() must not reorder the list")
	}
	l.Sort()
	if l[0].Msg != "a2c3" || l[3].Msg != "b" {
		t.Errorf("Sort: %v", l)
	}
	err := l.Err()
	var got List
	if err == nil || !errors.As(err, &got) || len(got) != 4 {
		t.Errorf("Err() = %#v, want the list", err)
	}
	withNil := List{nil, {Pos: Position{Line: 1, Col: 1}, Msg: "x"}}
	withNil.Sort()
	if withNil[1] != nil {
		t.Error("nil entries must sort last")
	}
	if got := (*Error)(nil).Error(); got != "<nil>" {
		t.Errorf("nil Error: %q", got)
	}
	same := List{{Pos: Position{Line: 1, Col: 1}, Msg: "z"}, {Pos: Position{Line: 1, Col: 1}, Msg: "a"}}
	same.Sort()
	if same[0].Msg != "a" {
		t.Errorf("errors at one position sort by message: %v", same)
	}
}

func TestPositionString(t *testing.T) {
	for _, tc := range []struct {
		p    Position
		want string
	}{
		{Position{File: "m.toml", Line: 3, Col: 10}, "m.toml:3:10"},
		{Position{Line: 3, Col: 10}, "3:10"},
		{Position{File: "m.toml"}, "m.toml"},
		{Position{}, "-"},
		{Position{File: "m.toml", Line: 1}, "m.toml:1:1"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
		if tc.p.IsValid() != (tc.p.Line > 0) {
			t.Errorf("%#v.IsValid() = %v", tc.p, tc.p.IsValid())
		}
	}
}
