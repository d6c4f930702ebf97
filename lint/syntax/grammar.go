package syntax

// Grammar is what the parser and the loader know of nginx's directives.
// This package holds no such knowledge itself: lint/nginx implements
// Grammar (nginx.Grammar{}), and every caller passes it in
// Options.Grammar or to Parse.
//
// A nil Grammar knows no directive: the parser then checks no
// directive's terminator, reads no block as data entries or Lua code, and
// an inferred context is "main" for an empty file and "location"
// otherwise. It suits tests of the grammar-free syntax only.
type Grammar interface {
	// TakesBlock reports whether nginx accepts the directive name only
	// with a block (always: the parser reports `directive "x" has no
	// opening "{"` for "x;") or only without one (never: `directive "x"
	// is not terminated by ";"` for "x {"). Both are false when either
	// form is accepted, or when that depends on the context.
	TakesBlock(name string) (always, never bool)
	// DataBlock reports whether the block of name holds data entries,
	// not directives (map, types ...): the parser refuses a nested block
	// there and checks no entry's terminator.
	DataBlock(name string) bool
	// LuaBlock reports whether the block of name holds Lua code, which
	// the parser reads as Lua (strings, comments, long brackets) up to
	// its closing brace.
	LuaBlock(name string) bool
	// SnippetContext returns the context a file with the directive name
	// at its top level (with a block when block is true) is read in, when
	// Load infers it: "main", "http" or "server"; "" when the directive
	// says nothing. The highest context any top-level directive names
	// wins.
	SnippetContext(name string, block bool) string
	// Stream reports whether a snippet holding the directive name
	// belongs to the stream module: nginx allows the directive in stream
	// and not in the http context of the same level. inServer says where
	// the snippet holds it: directly in one of its server blocks (true),
	// or at its top level (false).
	Stream(name string, inServer bool) bool
}

// noGrammar is the nil Grammar: it knows no directive.
type noGrammar struct{}

func (noGrammar) TakesBlock(string) (always, never bool) { return false, false }
func (noGrammar) DataBlock(string) bool                  { return false }
func (noGrammar) LuaBlock(string) bool                   { return false }
func (noGrammar) SnippetContext(string, bool) string     { return "" }
func (noGrammar) Stream(string, bool) bool               { return false }

// grammarOrNone returns g, or noGrammar when g is nil.
func grammarOrNone(g Grammar) Grammar {
	if g == nil {
		return noGrammar{}
	}
	return g
}
