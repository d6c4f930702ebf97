package tomlpos

import (
	"fmt"
	"strings"
	"testing"
)

// at returns the line:col of a byte offset.
func at(l *Locator, off int) string {
	line, col := l.LineCol(off)
	return fmt.Sprintf("%d:%d", line, col)
}

func TestKeysInTables(t *testing.T) {
	src := "top = 1\n" +
		"[rules]\n" +
		"disable = [\"a\"]\n" +
		"[ rules . severity ]   # comment [x]\n" +
		"syntax = \"error\"\n" +
		"[[arr]]\nk = 1\n[[arr]]\nk = 2\n"
	name, def := New(src, AtName), New(src, AtDefinition)
	tests := []struct {
		l     *Locator
		got   int
		want  string
		which string
	}{
		{name, name.Key("top"), "1:1", "top"},
		{name, name.Value("top"), "1:7", "top value"},
		{name, name.Key("rules"), "2:2", "rules by name"},
		{def, def.Key("rules"), "2:1", "rules by definition"},
		{name, name.Key("rules", "disable"), "3:1", "rules.disable"},
		{name, name.Key("rules", "severity"), "4:11", "rules.severity by name"},
		{def, def.Key("rules", "severity"), "4:1", "rules.severity by definition"},
		{name, name.Key("rules", "severity", "syntax"), "5:1", "rules.severity.syntax"},
		{name, name.Value("rules", "severity", "syntax"), "5:10", "rules.severity.syntax value"},
		{name, name.Key("arr", "k"), "7:1", "first of an array of tables"},
		{def, def.Value("arr", "k"), "7:5", "value in the first of an array of tables"},
		{name, name.Key("rules", "nothing", "deeper"), "2:2", "missing key: its parent"},
		{def, def.Key("rules", "nothing"), "2:1", "missing key: its parent by definition"},
		{name, name.Key("nothing"), "1:1", "missing key: the start"},
		{name, name.Value(), "1:1", "empty path"},
	}
	for _, tt := range tests {
		if got := at(tt.l, tt.got); got != tt.want {
			t.Errorf("%s: at %s, want %s", tt.which, got, tt.want)
		}
	}
}

func TestDottedKeys(t *testing.T) {
	src := "[a.b]\n" +
		"x . y.z = 1\n" +
		"[a]\n" +
		"c.d = 2\n"
	name, def := New(src, AtName), New(src, AtDefinition)
	tests := []struct {
		got, want, which string
	}{
		{at(name, name.Key("a")), "1:2", "a first named in [a.b]"},
		{at(def, def.Key("a")), "3:1", "a defined by [a]"},
		{at(name, name.Key("a", "b", "x")), "2:1", "x"},
		{at(name, name.Key("a", "b", "x", "y")), "2:5", "x.y"},
		{at(name, name.Key("a", "b", "x", "y", "z")), "2:7", "x.y.z"},
		{at(def, def.Key("a", "b", "x", "y")), "2:5", "implied x.y by definition"},
		{at(name, name.Value("a", "b", "x", "y", "z")), "2:11", "x.y.z value"},
		{at(name, name.Key("a", "c", "d")), "4:3", "c.d under [a]"},
		{at(name, name.Value("a", "c")), "4:1", "implied table: no value, its key"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: at %s, want %s", tt.which, tt.got, tt.want)
		}
	}
}

func TestQuotedKeys(t *testing.T) {
	src := "\"a.b\" = 1\n" +
		"\"tab\\there\" = 2\n" +
		"\"\\u00e9t\\u00E9\" = 3\n" +
		"'C:\\dir' = 4\n" +
		"\"q\\\"uote\".'x' = 5\n" +
		"\"\" = 6\n" +
		"\"\\e\\x41\" = 7\n"
	l := New(src, AtName)
	tests := []struct {
		path       []string
		key, value string
	}{
		{[]string{"a.b"}, "1:1", "1:9"},
		{[]string{"tab\there"}, "2:1", "2:15"},
		{[]string{"été"}, "3:1", "3:19"},
		{[]string{`C:\dir`}, "4:1", "4:12"},
		{[]string{`q"uote`}, "5:1", "5:1"},
		{[]string{`q"uote`, "x"}, "5:11", "5:17"},
		{[]string{""}, "6:1", "6:6"},
		{[]string{"\x1bA"}, "7:1", "7:12"},
	}
	for _, tt := range tests {
		if got := at(l, l.Key(tt.path...)); got != tt.key {
			t.Errorf("key %q at %s, want %s", tt.path, got, tt.key)
		}
		if got := at(l, l.Value(tt.path...)); got != tt.value {
			t.Errorf("value of %q at %s, want %s", tt.path, got, tt.value)
		}
	}
	if got := at(l, l.Key("a")); got != "1:1" {
		t.Errorf(`"a" is not a prefix of "a.b", got %s`, got)
	}
}

func TestInlineTables(t *testing.T) {
	src := "t = { a = 1, b.c = [1, 2], d = { e = 'x' } }\n" +
		"u = {}\n" +
		"arr = [ { hidden = 1 } ]\n"
	l := New(src, AtDefinition)
	tests := []struct {
		got, want, which string
	}{
		{at(l, l.Value("t")), "1:5", "t"},
		{at(l, l.Key("t", "a")), "1:7", "t.a"},
		{at(l, l.Value("t", "a")), "1:11", "t.a value"},
		{at(l, l.Key("t", "b")), "1:14", "t.b"},
		{at(l, l.Key("t", "b", "c")), "1:16", "t.b.c"},
		{at(l, l.Elem(1, "t", "b", "c")), "1:24", "t.b.c[1]"},
		{at(l, l.Key("t", "d", "e")), "1:34", "t.d.e"},
		{at(l, l.Value("t", "d", "e")), "1:38", "t.d.e value"},
		{at(l, l.Value("u")), "2:5", "empty inline table"},
		{at(l, l.Key("arr", "hidden")), "3:1", "keys in arrays are not recorded"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: at %s, want %s", tt.which, tt.got, tt.want)
		}
	}
}

func TestArrays(t *testing.T) {
	src := "list = [ # first comment\n" +
		"  \"one\", # ] not the end\n" +
		"\n" +
		"  [2, [3]],   'four',\n" +
		"  { k = \"v\" }\n" +
		"  , 5 ,\n" +
		"]\n" +
		"after = 1\n"
	l := New(src, AtName)
	want := []string{"2:3", "4:3", "4:15", "5:3", "6:5"}
	for i, w := range want {
		if got := at(l, l.Elem(i, "list")); got != w {
			t.Errorf("list[%d] at %s, want %s", i, got, w)
		}
	}
	if got := at(l, l.Elem(len(want), "list")); got != "1:8" {
		t.Errorf("out of range: at %s, want the array at 1:8", got)
	}
	if got := at(l, l.Elem(-1, "list")); got != "1:8" {
		t.Errorf("negative index: at %s, want the array at 1:8", got)
	}
	if got := at(l, l.Key("after")); got != "8:1" {
		t.Errorf("after is at %s, want 8:1", got)
	}
	if got := at(l, l.Elem(0, "after")); got != "8:9" {
		t.Errorf("element of a non-array: at %s, want its value at 8:9", got)
	}
}

func TestElementOffsets(t *testing.T) {
	src := "\ufeffa = [1,2 , 'x']\r\nb = []\r\n"
	l := New(src, AtName)
	for i, w := range []int{8, 10, 14} {
		if got := l.Elem(i, "a"); got != w {
			t.Errorf("a[%d] at offset %d, want %d", i, got, w)
		}
	}
	if got := l.Elem(0, "b"); got != 24 {
		t.Errorf("b[0] of an empty array at %d, want its value at 24", got)
	}
	if line, col := l.LineCol(24); line != 2 || col != 5 {
		t.Errorf("LineCol(24) = %d:%d, want 2:5", line, col)
	}
}

func TestMultilineStrings(t *testing.T) {
	src := "a = \"\"\"\nx = 'not a key'\n[not.a.table]\n\\\"\"\" still\"\"\"\"\"\n" +
		"b = '''\n\"\"\" '' ''''' \n" +
		"c = \"\"\"\"\"\"\n" +
		"d = \"say \\\"hi\\\" # not a comment\"\n" +
		"e = 'C:\\'\n" +
		"f = 1\n"
	l := New(src, AtName)
	for _, k := range []string{"x", "not"} {
		if got := l.Key(k); got != 0 {
			t.Errorf("%s found inside a string at %s", k, at(l, got))
		}
	}
	tests := []struct{ key, want string }{
		{"a", "1:5"}, {"b", "5:5"}, {"c", "7:5"}, {"d", "8:5"}, {"e", "9:5"}, {"f", "10:5"},
	}
	for _, tt := range tests {
		if got := at(l, l.Value(tt.key)); got != tt.want {
			t.Errorf("value of %s at %s, want %s", tt.key, got, tt.want)
		}
	}
}

func TestStopsOnTheUnexpected(t *testing.T) {
	src := "a = 1\n= oops\nb = 2\n"
	l := New(src, AtName)
	if got := at(l, l.Value("a")); got != "1:5" {
		t.Errorf("a at %s, want 1:5", got)
	}
	if got := l.Value("b"); got != 0 {
		t.Errorf("b found after a stop, at %s", at(l, got))
	}
	deep := New("c = "+strings.Repeat("[", 100)+strings.Repeat("]", 100)+"\nd = 1\n", AtName)
	if got := deep.Key("d"); got != 0 {
		t.Errorf("d found after a value nested past the limit, at %s", at(deep, got))
	}
}

func TestIsBareKey(t *testing.T) {
	for s, want := range map[string]bool{
		"api": true, "A-b_9": true, "": false, "a.b": false, "é": false, "a b": false, "\"a\"": false,
	} {
		if got := IsBareKey(s); got != want {
			t.Errorf("IsBareKey(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, "plain"},
		{`a\tb\nc\\d\"e`, "a\tb\nc\\d\"e"},
		{`\u00e9\U0001F600\x41\e`, "é😀A\x1b"},
		{`\u00`, `\u00`},
		{`\q`, `\q`},
		{`trailing\`, `trailing\`},
	}
	for _, tt := range tests {
		if got := Unescape(tt.in); got != tt.want {
			t.Errorf("Unescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestArrayOfTablesIndex: each table of an array of tables is found by
// its Index, and so are its subtables and the elements of its arrays; the
// paths without an index keep the first table's positions.
func TestArrayOfTablesIndex(t *testing.T) {
	src := "[[overrides]]\n" + // 1
		"paths = [\"a/*.conf\"]\n" + // 2
		"[[overrides]]\n" + // 3
		"paths = [\"b\", \"c\"]\n" + // 4
		"disable = [\"x\"]\n" + // 5
		"[overrides.severity]\n" + // 6
		"x = \"info\"\n" + // 7
		"[[other]]\n" + // 8
		"k = 1\n"
	l := New(src, AtName)
	tests := []struct {
		got   int
		want  string
		which string
	}{
		{l.Key("overrides", Index(0)), "1:1", "first table"},
		{l.Key("overrides", Index(1)), "3:1", "second table"},
		{l.Elem(0, "overrides", Index(0), "paths"), "2:10", "first table's paths[0]"},
		{l.Elem(1, "overrides", Index(1), "paths"), "4:15", "second table's paths[1]"},
		{l.Elem(0, "overrides", "paths"), "2:10", "without index: the first table"},
		{l.Key("overrides", Index(1), "disable"), "5:1", "second table's key"},
		{l.Key("overrides", Index(1), "severity", "x"), "7:1", "subtable of the second table"},
		{l.Value("overrides", Index(1), "severity", "x"), "7:5", "value in the subtable"},
		{l.Key("other", Index(0), "k"), "9:1", "another array"},
		{l.Key("overrides", Index(5), "paths"), "1:3", "no such table: the array's name"},
	}
	for _, tt := range tests {
		if got := at(l, tt.got); got != tt.want {
			t.Errorf("%s: at %s, want %s", tt.which, got, tt.want)
		}
	}
}
