// Package nginx is what nginxlint knows of nginx itself, in one place: its
// directives (where each is allowed, whether it takes a block, how it is
// inherited, what it dials), its built-in variables, and the grammar of its values (versions,
// addresses, targets, times). Every rule, the model, the loader and the
// manifest read these facts from here; none is written twice.
//
// It imports no other package of nginxlint, so that lint/syntax's callers
// can hand its [Grammar] to the parser without lint/syntax importing it.
//
// What is where:
//
//   - directives.go: [Directive] and its [Kind] and [Inherit], the
//     lookups ([Lookup], [Directives], [Inheritance], [Allows]) and the
//     upstream modules' prefixes ([UpstreamModule]).
//   - context.go: [Context], a set of nginx's NGX_*_CONF contexts.
//   - syntaxspec.go: the generated table's types ([Variant], [Module],
//     [Param], [Args]) and lookups ([Variants], [ModuleNamed], [Params]).
//   - generated.go: the generated table, written by
//     internal/gendirectives from nginx's sources at every release tag
//     and from the third-party modules' sources; not edited by hand.
//   - variables.go: [Variable], nginx's built-in variables and the
//     families by prefix ($http_NAME ...), and [BuiltinVariables].
//   - variables_gen.go: the generated variables, written by
//     internal/gendirectives with generated.go; not edited by hand.
//   - table.go: what the sources do not say in one place (inheritance,
//     snippets, data blocks, dial specs), by hand, and the [Directive]
//     entries built from both.
//   - dial.go: [Dial] (schemes, default ports, read timeout ...),
//     [Protocol], [DialOf], [PassDirectives] and [IsPass].
//   - grammar.go: [Grammar], the table as lint/syntax's parser and loader
//     ask it (which directives take a block, what a snippet's top level
//     says of its context).
//   - target.go: [ParseTarget], a directive's address as nginx reads it
//     (ngx_parse_url), into a [Target].
//   - addr.go: [Addr] and the socket-path and IP helpers it shares with
//     the manifest.
//   - time.go: [ParseTime], nginx's time values (ngx_parse_time).
//   - version.go: [Version], nginx versions.
//
// table_test.go checks the table's consistency; verify_test.go and
// verify_variables_test.go check the generated table against the nginx
// binary when one is installed, and against known facts of later
// versions.
package nginx
