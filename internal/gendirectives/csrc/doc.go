// Package csrc reads the C source of nginx and of its third-party
// modules, as far as the directive generator (internal/gendirectives)
// needs: a tolerant tokenizer (Lex), a reader of the shapes nginx's
// modules are written in (ParseFile: command arrays, module
// definitions, function bodies, macros, static arrays), an index of a
// set of files (Set) and the decoding of an ngx_command_t's NGX_*
// flags (DecodeFlags).
//
// It knows C and nginx's ways of writing it, not what the facts mean
// for the table: the generator decides that. It reads text it is given
// (no git, no files), never fails on what it cannot read (it records
// it: File.Problems) and prints nothing.
package csrc
