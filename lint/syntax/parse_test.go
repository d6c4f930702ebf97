package syntax

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/internal/nginxtest"
	"github.com/nginxlint/nginxlint/lint/nginx"
)

// Table tests of the scanner and parser against what nginx does.
//
// Every row's input is placed in a configuration by its context (see
// wrapRow): "main" puts it after nginxtest's main preamble, "http" inside an
// http block, "location" inside a location block, and "open" inside a
// location block that the wrapper does not close, so that the input itself
// must close the location, server and http blocks (used for inputs that end
// in the middle of something). The parser reads that whole text, exactly as
// nginx does; lines and columns below are relative to the row's input.
//
// Each row records what `nginx -t` (nginx-light 1.22.1) said for the
// wrapped input: "ok", or a substring of its output (with DIR for the tree
// directory) and the input-relative line of its [emerg] message.
// TestParseTableMatchesNginx checks these records against the real nginx
// (skipped when nginx is absent), except for rows that need the Lua module,
// which were checked by hand with libnginx-mod-http-lua 0.10.23 loaded.
//
// Rows marked BUG describe a difference between nginx and lint/syntax: the
// row holds what lint/syntax should do (what nginx does), so it fails until
// the parser is fixed.

type parseRow struct {
	name string
	ctx  string // "main", "http", "location" or "open"
	src  string
	// tree is the directives the input yields (dumpTree notation) inside
	// the wrapper's innermost block ("main": after the preamble).
	tree string
	// errs are the errors expected, in order, as "line:col: text", text
	// being a substring of the message.
	errs []string
	// nginx is "ok" or a substring of nginx's output; nline the line of
	// nginx's [emerg] message (0: not checked).
	nginx string
	nline int
	lua   bool // nginx verdict needs the Lua module (checked by hand)
}

var (
	long4096 = strings.Repeat("a", 4096)
	long4000 = strings.Repeat("a", 4000)
	long5000 = strings.Repeat("#", 5000)
)

var parseRows = []parseRow{
	// --- word boundaries ---
	{
		// nginx: ok. "}" inside a word is part of it.
		name: "close brace inside a word", ctx: "location",
		src: `index a};`, tree: `index "a}";`, nginx: "ok",
	},
	{
		// nginx: unexpected "}" on line 2: the "}" of line 1 belongs to
		// the word "a}", the one on line 2 comes with words pending.
		name: "word ending in a brace", ctx: "open",
		src:  "index a}\n}}}",
		tree: `index "a}";`, errs: []string{`2:1: unexpected "}"`},
		nginx: `unexpected "}"`, nline: 2,
	},
	{
		// nginx: unexpected "}" on line 1: at the start of a word "}" is
		// a block end, and words are pending.
		name: "brace at a word start ends the statement", ctx: "open",
		src:  "index a }\n}}",
		tree: `index "a";`, errs: []string{`1:9: unexpected "}"`},
		nginx: `unexpected "}"`, nline: 1,
	},
	{
		// nginx: ok; index gets "a#b".
		name: "hash inside a word", ctx: "location",
		src: `index a#b;`, tree: `index "a#b";`, nginx: "ok",
	},
	{
		// nginx: ok; the comment hides "b;" and the statement goes on.
		name: "hash at a word start", ctx: "location",
		src: "index a #b;\nc.html;", tree: `index "a" "c.html";`, nginx: "ok",
	},
	{
		// nginx: ok.
		name: "comment holding braces and quotes", ctx: "location",
		src: "index a; #} { \" '\n# }", tree: `index "a";`, nginx: "ok",
	},
	{
		// nginx: ok; "{" right after "$" is part of the word.
		name: "dollar-brace variable in a word", ctx: "location",
		src: `return 200 ${uri}x;`, tree: `return "200" "${uri}x";`, nginx: "ok",
	},
	{
		// nginx: ok; a word may hold several ${...}.
		name: "several dollar-brace variables", ctx: "location",
		src: `return 200 a${uri}${host}x;`, tree: `return "200" "a${uri}${host}x";`,
		nginx: "ok",
	},
	{
		// nginx: directive "return" is not terminated by ";" on line 1:
		// "{" after "$uri" (not right after "$") opens a block.
		name: "brace after a variable opens a block", ctx: "location",
		src:  "return 200 $uri{x;}",
		tree: `return "200" "$uri" { x; }`, errs: []string{`1:16: directive "return" is not terminated by ";"`},
		nginx: `directive "return" is not terminated by ";"`, nline: 1,
	},
	{
		// nginx: directive "return" is not terminated by ";" on line 1:
		// the "}" closing ${...} does not keep the next "{" in the word.
		name: "brace after a dollar-brace variable opens a block", ctx: "location",
		src:  "return 200 a${b}{ x; }",
		tree: `return "200" "a${b}" { x; }`, errs: []string{`1:17: directive "return" is not terminated by ";"`},
		nginx: `directive "return" is not terminated by ";"`, nline: 1,
	},
	{
		// nginx: ok; an escaped "{", ";" or blank stays in the word.
		name: "escaped terminators in a word", ctx: "location",
		src: `index a\{b\;c\ d;`, tree: `index "a\\{b\\;c\\ d";`, nginx: "ok",
	},
	{
		// nginx: ok; quotes inside a word are plain characters.
		name: "quotes inside a word", ctx: "location",
		src: `index q"mid"word x'y;`, tree: `index "q\"mid\"word" "x'y";`, nginx: "ok",
	},
	{
		// nginx: ok; a directive name may be quoted, and ";" may follow
		// a quote directly.
		name: "quoted name", ctx: "location",
		src: `"index" 'a b';`, tree: `index "a b";`, nginx: "ok",
	},
	{
		// nginx: ok; NUL and invalid UTF-8 are plain word bytes.
		name: "NUL and invalid UTF-8 in words", ctx: "location",
		src: "index a\x00b \xff\xfe;", tree: `index "a\x00b" "\xff\xfe";`, nginx: "ok",
	},
	{
		// nginx: ok; form feed and vertical tab are not blanks.
		name: "form feed and vertical tab", ctx: "location",
		src: "index a\fb a\v;", tree: `index "a\fb" "a\v";`, nginx: "ok",
	},
	{
		// nginx: unknown directive "\xef\xbb\xbfindex" on line 1: a byte
		// order mark is part of the first word.
		name: "byte order mark", ctx: "location",
		src: "\xef\xbb\xbfindex a;", tree: `"\ufeffindex" "a";`,
		nginx: "unknown directive", nline: 1,
	},

	// --- escapes: the include trick makes nginx print the value ---
	{
		// nginx: open() "DIR/a"b\c<TAB>d\x'e" failed: \" \\ \t \' are
		// resolved, \x is kept.
		name: "escapes in double quotes", ctx: "main",
		src: `include "a\"b\\c\td\x\'e";`, tree: `include "a\"b\\c\td\\x'e";`,
		nginx: "open() \"DIR/a\"b\\c\td\\x'e\" failed", nline: 1,
	},
	{
		// nginx: open() "DIR/a<LF>b<CR>c" failed: \n and \r are resolved.
		name: "newline and return escapes", ctx: "main",
		src: `include "a\nb\rc";`, tree: `include "a\nb\rc";`,
		nginx: "open() \"DIR/a\nb\rc\" failed",
	},
	{
		// nginx: open() "DIR/a"b'c" failed: escapes are resolved in
		// single quotes too.
		name: "escapes in single quotes", ctx: "main",
		src: `include 'a\"b\'c';`, tree: `include "a\"b'c";`,
		nginx: "open() \"DIR/a\"b'c\" failed", nline: 1,
	},
	{
		// nginx: open() "DIR/a"b'c\;d" failed.
		name: "escapes in a bare word", ctx: "main",
		src: `include a\"b\'c\;d;`, tree: `include "a\"b'c\\;d";`,
		nginx: "open() \"DIR/a\"b'c\\;d\" failed", nline: 1,
	},
	{
		// nginx: open() "DIR/a\" failed: an escaped backslash does not
		// escape the closing quote.
		name: "escaped backslash before the closing quote", ctx: "main",
		src: `include "a\\";`, tree: `include "a\\";`,
		nginx: "open() \"DIR/a\\\" failed", nline: 1,
	},
	{
		// nginx: open() "DIR/a<LF>  b" failed: a quoted string may span
		// lines.
		name: "multi-line quoted string", ctx: "main",
		src: "include \"a\n  b\";", tree: `include "a\n  b";`,
		nginx: "open() \"DIR/a\n  b\" failed",
	},

	// --- quotes and what may follow them ---
	{
		// nginx: ok; `"y")` is the word y then the word ")".
		name: "quote followed by a parenthesis", ctx: "location",
		src:  `if ($http_x = "y") { return 403; }`,
		tree: `if "($http_x" "=" "y" ")" { return "403"; }`, nginx: "ok",
	},
	{
		// nginx: ok.
		name: "quote, parenthesis and brace", ctx: "location",
		src:  `if ($http_x = "y"){ return 403; }`,
		tree: `if "($http_x" "=" "y" ")" { return "403"; }`, nginx: "ok",
	},
	{
		// nginx: ok; ")" after a quote starts a new word.
		name: "parenthesis then more word", ctx: "location",
		src: `index "a")(b;`, tree: `index "a" ")(b";`, nginx: "ok",
	},
	{
		// nginx: unexpected "b" on line 1.
		name: "letter after a quote", ctx: "location",
		src: `index "a"b;`, tree: `index "a" "b";`, errs: []string{`1:10: unexpected "b"`},
		nginx: `unexpected "b"`, nline: 1,
	},
	{
		// nginx: unexpected """ on line 1.
		name: "quote after a quote", ctx: "location",
		src: `index 'a'"b";`, tree: `index "a" "b";`, errs: []string{`1:10: unexpected "\""`},
		nginx: `unexpected """`, nline: 1,
	},
	{
		// nginx: unexpected "#" on line 1.
		name: "hash after a quote", ctx: "location",
		src: "index \"a\"#c\n;", tree: `index "a";`, errs: []string{`1:10: unexpected "#"`},
		nginx: `unexpected "#"`, nline: 1,
	},
	{
		// nginx: unexpected end of file, expecting ";" or "}" on line 2.
		name: "unterminated quote", ctx: "open",
		src: "index \"abc;\n}}}", errs: []string{`2:4: unexpected end of file, expecting ";" or "}"`},
		nginx: `unexpected end of file, expecting ";" or "}"`, nline: 2,
	},
	{
		// nginx: unexpected end of file, expecting "}" on line 2.
		name: "unclosed blocks", ctx: "open",
		src: "index a;\n}", tree: `index "a";`,
		errs:  []string{`2:2: unexpected end of file, expecting "}"`},
		nginx: `unexpected end of file, expecting "}"`, nline: 2,
	},
	{
		// nginx: unexpected end of file, expecting ";" or "}" on line 1.
		name: "backslash at the end of the file", ctx: "open",
		src: `index a\`, errs: []string{`1:9: unexpected end of file, expecting ";" or "}"`},
		nginx: `unexpected end of file, expecting ";" or "}"`, nline: 1,
	},

	// --- positions after CRLF and tabs ---
	{
		// nginx: unexpected "c" on line 3: CR is a blank, LF ends a line.
		name: "CRLF and tabs", ctx: "location",
		src:  "index a;\r\n\tindex\t\"b\";\r\n\t\tindex \"b\"c;\r\n",
		tree: `index "a"; index "b"; index "b" "c";`,
		errs: []string{`3:12: unexpected "c"`}, nginx: `unexpected "c"`, nline: 3,
	},

	// --- error recovery: nginx stops at the first error, we go on ---
	{
		// nginx: unexpected "b" on line 1 (and nothing about the rest).
		name: "several errors", ctx: "location",
		src:   "index \"a\"b;\nindex a;;\n{ index x; }\nindex \"c\"d;\nindex e;",
		tree:  `index "a" "b"; index "a"; index "c" "d"; index "e";`,
		errs:  []string{`1:10: unexpected "b"`, `2:9: unexpected ";"`, `3:1: unexpected "{"`, `4:10: unexpected "d"`},
		nginx: `unexpected "b"`, nline: 1,
	},
	{
		// nginx: unexpected "}" on line 2 (the first error only).
		name: "errors in nested blocks", ctx: "open",
		src:   "location /a {\nindex a }\nindex b;\nlocation /c { return 200 \"x\"y; }\n}}}",
		tree:  `location "/a" { index "a"; } index "b"; location "/c" { return "200" "x" "y"; }`,
		errs:  []string{`2:9: unexpected "}"`, `4:29: unexpected "y"`},
		nginx: `unexpected "}"`, nline: 2,
	},
	{
		// nginx: directive "location" has no opening "{" on line 1.
		name: "block directive without a block", ctx: "location",
		src: "location /a;\nif ($a);", tree: `location "/a"; if "($a)";`,
		errs:  []string{`1:12: directive "location" has no opening "{"`, `2:8: directive "if" has no opening "{"`},
		nginx: `directive "location" has no opening "{"`, nline: 1,
	},
	{
		// nginx: directive "index" is not terminated by ";" on line 1.
		name: "simple directive with a block", ctx: "location",
		src: "index a { }", tree: `index "a" { }`,
		errs:  []string{`1:9: directive "index" is not terminated by ";"`},
		nginx: `directive "index" is not terminated by ";"`, nline: 1,
	},

	// --- Lua blocks (nginx verdicts checked by hand with the Lua module) ---
	{
		// nginx with the Lua module: ok. Braces in Lua strings, comments
		// and long brackets do not count.
		name: "lua block with braces in strings and comments", ctx: "location", lua: true,
		src:   "content_by_lua_block {\n  ngx.say(\"}\", '}') -- }\n  local t = {a = {}} --[[ } ]] local s = [==[ ]] } ]==]\n}",
		tree:  `content_by_lua_block {lua "\n  ngx.say(\"}\", '}') -- }\n  local t = {a = {}} --[[ } ]] local s = [==[ ]] } ]==]\n"}`,
		nginx: "ok",
	},
	{
		// nginx with the Lua module: unexpected "}" on line 5: "#" is not
		// a comment in Lua, so the first "}" ends the Lua block, the one
		// on line 2 the location, and the wrapper's last "}" is one too
		// many.
		name: "hash in a lua block", ctx: "location", lua: true,
		src:  "content_by_lua_block { # }\n}",
		tree: `content_by_lua_block {lua " # "}`, errs: []string{`5:1: unexpected "}"`},
		nginx: `unexpected "}"`, nline: 5,
	},
	{
		// BUG. nginx with the Lua module: ok. Its Lua lexer skips a quote
		// that is not closed on the line, so the "}" after it ends the Lua
		// block; lint/syntax reads the string to the end of the line and
		// reports the file as unclosed.
		name: "unterminated Lua string", ctx: "location", lua: true,
		src:   "content_by_lua_block { local s = \"}\n",
		tree:  `content_by_lua_block {lua " local s = \""}`,
		nginx: "ok",
	},
	{
		// BUG. nginx with the Lua module: directive "content_by_lua_block"
		// has no opening "{" on line 1 (without the module: unknown
		// directive). lint/syntax says nothing.
		name: "lua block directive without a block", ctx: "location", lua: true,
		src: "content_by_lua_block;", tree: `content_by_lua_block;`,
		errs:  []string{`1:21: directive "content_by_lua_block" has no opening "{"`},
		nginx: `directive "content_by_lua_block" has no opening "{"`, nline: 1,
	},

	// --- blocks whose content nginx hands to the module (map, types, geo) ---
	{
		// nginx: ok; map entries are not directives.
		name: "map entries", ctx: "http",
		src:  "map $uri $m1 {\n  default 0;\n  \"k\" 'v';\n  ~^/a $uri;\n}",
		tree: `map "$uri" "$m1" { default "0"; k "v"; ~^/a "$uri"; }`, nginx: "ok",
	},
	{
		// BUG. nginx: unexpected "{" on line 1: a map, types, geo,
		// split_clients or charset_map block holds entries, not blocks.
		// lint/syntax accepts the nested block.
		name: "block inside map", ctx: "http",
		src: "map $uri $m2 { a { } }", tree: `map "$uri" "$m2" { a { } }`,
		errs:  []string{`1:18: unexpected "{"`},
		nginx: `unexpected "{"`, nline: 1,
	},
	{
		// BUG. nginx: unexpected "{" on line 1.
		name: "block inside types", ctx: "http",
		src: "types { text/html html; a { } }", tree: `types { text/html "html"; a { } }`,
		errs:  []string{`1:27: unexpected "{"`},
		nginx: `unexpected "{"`, nline: 1,
	},
	{
		// BUG. nginx: ok: "location x" and "if y" are map entries (keys
		// location and if). lint/syntax reports them as block directives
		// without a block.
		name: "map keys named like block directives", ctx: "http",
		src:   "map $uri $m3 { location x; if y; }",
		tree:  `map "$uri" "$m3" { location "x"; if "y"; }`,
		nginx: "ok",
	},

	// --- nginx's 4 KiB token limit ---
	{
		// nginx: ok.
		name: "4000-byte word", ctx: "location",
		src: "index " + long4000 + ";", tree: `index "` + long4000 + `";`, nginx: "ok",
	},
	{
		// BUG. nginx: too long parameter "aaaaaaaaaa..." started on line
		// 1: a token (word, quoted string or comment) of 4096 bytes or
		// more does not fit nginx's read buffer (NGX_CONF_BUFFER). From
		// 4094 bytes on it depends on where the buffer boundary falls.
		// lint/syntax accepts it.
		name: "4096-byte word", ctx: "location",
		src: "index " + long4096 + ";", tree: `index "` + long4096 + `";`,
		errs:  []string{`1:7: too long`},
		nginx: `too long parameter "aaaaaaaaaa..." started`, nline: 1,
	},
	{
		// BUG. nginx: too long parameter, probably missing terminating
		// """ character on line 1.
		name: "4096-byte quoted string", ctx: "location",
		src: "index \"" + long4096 + "\";", tree: `index "` + long4096 + `";`,
		errs:  []string{`1:7: too long`},
		nginx: `too long parameter, probably missing terminating """ character`, nline: 1,
	},
	{
		// BUG. nginx: too long parameter "##########..." started on line
		// 2: comments count as tokens too.
		name: "5000-byte comment", ctx: "location",
		src: "index a;\n" + long5000, tree: `index "a";`,
		errs:  []string{`2:1: too long`},
		nginx: `too long parameter "##########..." started`, nline: 2,
	},

	// --- one error per problem ---
	{
		// BUG. nginx: unexpected "}" on line 1. lint/syntax reports this
		// one "}" twice (once after the quote, once as a cut statement).
		name: "brace right after a quote", ctx: "open",
		src:  "index \"a\"}\n}}",
		tree: `index "a";`, errs: []string{`1:10: unexpected "}"`},
		nginx: `unexpected "}"`, nline: 1,
	},
	{
		// BUG. nginx: unexpected "}" on line 1. At the top level
		// lint/syntax reports the "}" twice (the cut statement, then the
		// stray "}"), three times after a quote.
		name: "statement cut by a stray brace at the top level", ctx: "main",
		src:  "env A }\nenv \"B\"}",
		tree: `env "A"; env "B";`, errs: []string{`1:7: unexpected "}"`, `2:8: unexpected "}"`},
		nginx: `unexpected "}"`, nline: 1,
	},
}

// wrapRow returns the text of the configuration for r: prefix + src +
// suffix, and the length of the prefix. dir is where nginx may write.
func wrapRow(r parseRow, dir string) (text string, prefix int) {
	main := nginxtest.MainPreamble(dir)
	http := main + "http {\n" + nginxtest.HTTPPreamble(dir)
	loc := http + "server {\nlisten 127.0.0.1:1;\nlocation / {\n"
	var pre, suf string
	switch r.ctx {
	case "main":
		pre = main
	case "http":
		pre, suf = http, "\n}\n"
	case "location":
		pre, suf = loc, "\n}\n}\n}\n"
	case "open":
		pre = loc
	default:
		panic("unknown context " + r.ctx)
	}
	if r.lua {
		pre = "load_module modules/ndk_http_module.so;\nload_module modules/ngx_http_lua_module.so;\n" + pre
	}
	return pre + r.src + suf, len(pre)
}

// dumpTree renders directives on one line: name, quoted argument values,
// then ";" or the block in braces; a Lua block's raw body as {lua "..."}.
func dumpTree(ds []Directive) string {
	var b strings.Builder
	var dump func(ds []Directive)
	dump = func(ds []Directive) {
		for i, d := range ds {
			if i > 0 {
				b.WriteByte(' ')
			}
			name := d.Name()
			if strings.ContainsAny(name, " \"'{};\\") || !isPrintable(name) {
				name = fmt.Sprintf("%q", name)
			}
			b.WriteString(name)
			for _, a := range d.Args() {
				fmt.Fprintf(&b, " %q", a.Value)
			}
			switch {
			case hasRaw(d):
				fmt.Fprintf(&b, " {lua %q}", raw(d).Value)
			case d.IsBlock():
				b.WriteString(" { ")
				dump(d.Block())
				if len(d.Block()) > 0 {
					b.WriteByte(' ')
				}
				b.WriteString("}")
			default:
				b.WriteString(";")
			}
		}
	}
	dump(ds)
	return b.String()
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd || r == 0xfeff {
			return false
		}
	}
	return true
}

// innermost returns the directives of the wrapper's innermost block, or the
// directives after the preamble for "main".
func innermost(ds []Directive, ctx string, prefix int) []Directive {
	var path []string
	switch ctx {
	case "http":
		path = []string{"http"}
	case "location", "open":
		path = []string{"http", "server", "location"}
	}
	for _, name := range path {
		var next []Directive
		for _, d := range ds {
			if d.Name() == name && int(d.Start()) < prefix {
				next = d.Block()
			}
		}
		ds = next
	}
	var out []Directive
	for _, d := range ds {
		if int(d.Start()) >= prefix {
			out = append(out, d)
		}
	}
	return out
}

func TestParseTable(t *testing.T) {
	for _, r := range parseRows {
		t.Run(r.name, func(t *testing.T) {
			text, prefix := wrapRow(r, "/nonexistent/nginxlint-state")
			f := &File{Name: "nginx.conf", Src: text}
			errs := Parse(f, nginx.Grammar{})
			skip := strings.Count(text[:prefix], "\n")
			if got := dumpTree(innermost(f.Directives(), r.ctx, prefix)); got != r.tree {
				t.Errorf("tree:\n got %s\nwant %s", got, r.tree)
			}
			var got []string
			for _, e := range errs {
				p := f.Position(e.Start)
				if e.Start < prefix {
					t.Errorf("error inside the wrapper: %s", e)
				}
				got = append(got, fmt.Sprintf("%d:%d: %s", p.Line-skip, p.Column, e.Msg))
			}
			ok := len(got) == len(r.errs)
			for i := 0; ok && i < len(got); i++ {
				pos, text, _ := strings.Cut(r.errs[i], ": ")
				ok = strings.HasPrefix(got[i], pos+": ") && strings.Contains(got[i], text)
			}
			if !ok {
				t.Errorf("errors:\n got %q\nwant %q", got, r.errs)
			}
		})
	}
}

// TestParseTableMatchesNginx checks the nginx verdict recorded in each row.
func TestParseTableMatchesNginx(t *testing.T) {
	nginxtest.Binary(t)
	for _, r := range parseRows {
		t.Run(r.name, func(t *testing.T) {
			if r.lua {
				t.Skip("needs the Lua module; checked by hand")
			}
			state, dir := t.TempDir(), t.TempDir()
			text, prefix := wrapRow(r, state)
			main := filepath.Join(dir, "nginx.conf")
			if err := os.WriteFile(main, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			ok, out := nginxtest.Check(t, dir, "nginx.conf")
			if r.nginx == "ok" {
				if !ok {
					t.Errorf("nginx rejects the input; the row says it accepts it:\n%s", out)
				}
				return
			}
			if ok {
				t.Fatalf("nginx accepts the input; the row says %q", r.nginx)
			}
			if !strings.Contains(strings.ReplaceAll(out, dir, "DIR"), r.nginx) {
				t.Errorf("nginx output lacks %q:\n%s", r.nginx, out)
			}
			if r.nline > 0 {
				_, file, line, found := nginxtest.ParseError(out)
				rel := line - strings.Count(text[:prefix], "\n")
				if !found || file != main || rel != r.nline {
					t.Errorf("nginx reports the error on line %d of the input (%s:%d), the row says %d:\n%s", rel, file, line, r.nline, out)
				}
			}
		})
	}
}

func TestPositions(t *testing.T) {
	src := "a b;\r\n\tc  'd' \"e\";\r\n  f {\r\n\t}\r\n# end\r\n"
	f := &File{Name: "p.conf", Src: src}
	if errs := Parse(f, nginx.Grammar{}); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	pos := func(off int32) string {
		p := f.Position(int(off))
		return fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	ds := f.Directives()
	if len(ds) != 3 {
		t.Fatalf("got %d directives: %s", len(ds), dumpTree(ds))
	}
	checks := []struct {
		what string
		off  int32
		want string
	}{
		{"a", ds[0].Start(), "1:1"},
		{"a's name end", ds[0].NameEnd(), "1:2"},
		{"b", ds[0].Args()[0].Start, "1:3"},
		{"a's end (after ;)", ds[0].End(), "1:5"},
		{"c", ds[1].Start(), "2:2"},
		{"'d'", ds[1].Args()[0].Start, "2:5"},
		{"'d' end", ds[1].Args()[0].End, "2:8"},
		{`"e"`, ds[1].Args()[1].Start, "2:9"},
		{"f", ds[2].Start(), "3:3"},
		{"f's {", ds[2].LBrace(), "3:5"},
		{"f's }", ds[2].RBrace(), "4:2"},
		{"f's end", ds[2].End(), "4:3"},
		{"end of file", int32(len(src)), "6:1"},
	}
	for _, c := range checks {
		if got := pos(c.off); got != c.want {
			t.Errorf("%s at offset %d: got %s, want %s", c.what, c.off, got, c.want)
		}
	}
	if got := f.Position(-5); got.Line != 1 || got.Column != 1 || got.Offset != 0 {
		t.Errorf("Position(-5) = %+v, want 1:1 offset 0", got)
	}
	if got := f.Position(len(src) + 10); got.Offset != len(src) {
		t.Errorf("Position past the end = %+v, want offset %d", got, len(src))
	}
	if got := f.Position(int(ds[1].Args()[1].Start)).String(); got != "p.conf:2:9" {
		t.Errorf("Position.String() = %q", got)
	}
	if got := (Position{File: "x"}).String(); got != "x" {
		t.Errorf("Position without a line: %q", got)
	}
	if got := f.Line(2); got != "\tc  'd' \"e\";" {
		t.Errorf("Line(2) = %q", got)
	}
	if got, want := f.LineStart(3), strings.Index(src, "  f"); got != want {
		t.Errorf("LineStart(3) = %d, want %d", got, want)
	}
	if got := f.LineStart(0); got != 0 {
		t.Errorf("LineStart(0) = %d", got)
	}
	if got := f.LineStart(99); got != len(src) {
		t.Errorf("LineStart(99) = %d", got)
	}
	if got := ds[1].Args()[0].Quote; got != '\'' {
		t.Errorf("quote of 'd' = %q", got)
	}
	if got := ds[1].String(); got != `c 'd' "e"` {
		t.Errorf("String() = %q", got)
	}
	if len(f.Comments) != 1 || f.Comments[0].Text(f) != " end" {
		t.Errorf("comments: %+v", f.Comments)
	} else if p := f.Position(int(f.Comments[0].Start)); p.Line != 5 || p.Column != 1 {
		t.Errorf("comment at %v", p)
	}
}

func TestParseComments(t *testing.T) {
	src := "# one\na #two\n b;#three\r\n  c \"#no\" d#no; # four"
	f := &File{Name: "c.conf", Src: src}
	if errs := Parse(f, nginx.Grammar{}); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	var got []string
	for _, c := range f.Comments {
		got = append(got, c.Text(f))
	}
	if want := []string{" one", "two", "three", " four"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("comments %q, want %q", got, want)
	}
	if got, want := dumpTree(f.Directives()), `a "b"; c "#no" "d#no";`; got != want {
		t.Errorf("tree %s, want %s", got, want)
	}
}

// nested returns n levels of "location / {" and, when closed, their "}".
func nested(open string, n int, closed bool) string {
	s := strings.Repeat(open, n)
	if closed {
		s += strings.Repeat("}", n)
	}
	return s
}

// TestParseMaxDepth: nginx itself has no depth limit (checked by hand:
// 300- and 5000-deep nested "location / {" are accepted by nginx -t, a
// 50000-deep one crashes it with SIGSEGV, a stack overflow). lint/syntax
// stops building the tree at MaxDepth levels: deeper blocks give one error
// and are skipped, so that deep input can neither overflow the stack nor
// take long.
func TestParseMaxDepth(t *testing.T) {
	t.Run("balanced", func(t *testing.T) {
		src := nested("location / {\n", MaxDepth+100, true) + "\nafter;"
		f := &File{Name: "deep.conf", Src: src}
		errs := Parse(f, nginx.Grammar{})
		if len(errs) != 1 || !strings.Contains(errs[0].Msg, "nested deeper than") {
			t.Fatalf("errors: %v", errs)
		}
		if got := f.Position(errs[0].Start).Line; got != MaxDepth+1 {
			t.Errorf("error on line %d, want %d (the first block too deep)", got, MaxDepth+1)
		}
		if len(f.Directives()) != 2 || f.Directives()[1].Name() != "after" {
			t.Errorf("the directive after the deep block is lost: %d top-level directives", len(f.Directives()))
		}
		d, levels := f.Directives()[0], 1
		for len(d.Block()) > 0 {
			d, levels = d.Block()[0], levels+1
		}
		if levels != MaxDepth {
			t.Errorf("tree is %d levels deep, want %d", levels, MaxDepth)
		}
	})
	t.Run("at the limit", func(t *testing.T) {
		f := &File{Name: "deep.conf", Src: nested("a {", MaxDepth, true)}
		if errs := Parse(f, nginx.Grammar{}); len(errs) != 0 {
			t.Errorf("errors: %v", errs)
		}
	})
	for _, closed := range []bool{true, false} {
		t.Run(fmt.Sprintf("a million levels, closed=%v", closed), func(t *testing.T) {
			src := nested("a{", 1_000_000, closed)
			start := time.Now()
			f := &File{Name: "deep.conf", Src: src}
			errs := Parse(f, nginx.Grammar{})
			elapsed := time.Since(start)
			want := 1 // the depth
			if !closed {
				want = 2 // and the end of file
			}
			if len(errs) != want {
				t.Errorf("%d errors, want %d: %v", len(errs), want, errs)
			}
			if elapsed > time.Second {
				t.Errorf("parsing took %v", elapsed)
			}
			t.Logf("parsed %d bytes in %v", len(src), elapsed)
		})
	}
}

// TestParseOutsizedDirectives checks the directives whose name length or
// argument count does not fit in a node and is kept another way.
func TestParseOutsizedDirectives(t *testing.T) {
	long := strings.Repeat("n", maxNameLen+40)
	many := maxArgs + 3
	src := long + " x y;\n" +
		`"` + long + `\"q" z;` + "\n" +
		"index" + strings.Repeat(" a", many-1) + " last;\n" +
		strings.Repeat("m", maxNameLen-1) + " w;\n"
	f := &File{Name: "t.conf", Src: src}
	if errs := Parse(f, nginx.Grammar{}); len(errs) != 0 {
		t.Fatal(errs)
	}
	ds := f.Directives()
	if len(ds) != 4 {
		t.Fatalf("%d directives, want 4", len(ds))
	}
	for i, want := range []struct {
		name      string
		nameEnd   int
		nargs     int
		last      string
		lastStart int
	}{
		{long, len(long), 2, "y", len(long) + 3},
		{long + `"q`, strings.Index(src, ` z;`), 1, "z", strings.Index(src, ` z;`) + 1},
		{"index", strings.Index(src, "index") + 5, many, "last", strings.Index(src, "last")},
		{strings.Repeat("m", maxNameLen-1), strings.LastIndex(src, " w;"), 1, "w", strings.LastIndex(src, " w;") + 1},
	} {
		d := ds[i]
		if d.Name() != want.name || int(d.NameEnd()) != want.nameEnd || d.NArgs() != want.nargs {
			t.Errorf("directive %d: name %.20q... (%d bytes), name end %d, %d arguments; want %.20q... (%d bytes), %d, %d",
				i, d.Name(), len(d.Name()), d.NameEnd(), d.NArgs(), want.name, len(want.name), want.nameEnd, want.nargs)
			continue
		}
		a := d.ArgAt(want.nargs - 1)
		if a.Value != want.last || int(a.Start) != want.lastStart || d.Arg(want.nargs-1) != want.last {
			t.Errorf("directive %d: last argument %q at %d, want %q at %d", i, a.Value, a.Start, want.last, want.lastStart)
		}
		n := 0
		for range d.EachArg() {
			n++
		}
		if n != want.nargs {
			t.Errorf("directive %d: EachArg yields %d arguments, want %d", i, n, want.nargs)
		}
	}
}
