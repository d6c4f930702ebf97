// Command gendirectives writes lint/nginx/generated.go, the directive
// table of lint/nginx, and lint/nginx/variables_gen.go, the built-in
// variables, beside it, from nginx's own sources at every release tag
// and from the third-party modules' sources:
//
//	go run ./internal/gendirectives -nginx MIRRORS/nginx+nginx/repo -thirdparty MIRRORS -o lint/nginx/generated.go
//
// -nginx is a git directory (bare or not) of nginx/nginx with its
// release-* tags; -thirdparty holds a mirror of each module of
// thirdParty as <owner>+<name>/repo. Nothing is checked out: the files
// are read with git ls-tree and git cat-file.
//
// For each release from release-1.0.0 on (sorted by version), every
// ngx_command_t array of src/ gives, per directive of each module (the
// ngx_module_t that names the array), its contexts, argument counts and
// whether it takes a block (the flags, by macro name); whether nginx
// refuses it twice in a block (the handler's "is duplicate", see
// checksDuplicate); and whether nginx warns that it is deprecated or
// obsolete (see deprecationOf). Comparing the releases gives the version
// each directive appeared in (Since: the first release that has it,
// zero for release-1.0.0) and the first without it (Until: the first
// release after the last that has it, zero when the newest has it).
// Releases sort by version, so a stable release that got a directive
// before the next mainline did (1.0.7 had mp4, 1.1.0 to 1.1.2 did not)
// dates it: such gaps are printed as notes with -v. The table keeps the
// newest release's flags of a directive; -v notes the changes. The handlers of
// listen and of the upstream server lines give their parameters: the
// literals they compare an argument with. auto/options and auto/modules
// give each module's configure option and dynamic module file. A
// directive whose handler is ngx_conf_set_enum_slot or
// ngx_conf_set_bitmask_slot (or hands its work to one) gets the words
// of the ngx_conf_enum_t or ngx_conf_bitmask_t array its POST names, as
// the newest release that has it says; the generator checks that those
// slots compare words without regard to case (ngx_strcasecmp).
//
// The variables (see variables.go) are read at every release too: the
// ngx_http_variable_t and ngx_stream_variable_t arrays, the single
// variables of ngx_http_add_variable calls, and the prefix families of
// the releases before 1.11.10, which nginx compared in code; each with
// the module whose context registers it, and the releases that have it.
//
// Third-party modules are read at their HEAD, with no versions; their
// config scripts name the dynamic module file (the first module of an
// ngx_module_name group). nginx-rtmp-module's own contexts are the
// RTMP* contexts of lint/nginx.
//
// What it cannot decode (a flag it does not know, an entry of another
// shape, a module whose command array it cannot find) is printed, and
// it exits with status 1 without writing: the table is never silently
// short. What it skips on purpose (a module definition of nginx 0.1's
// form in a source file no release compiles) is a note. With -v it
// prints what it read, and the notes.
//
// The C is read by package csrc (the tokenizer, the reader of nginx's
// shapes, the NGX_* flags); this command reads git, decides what the
// facts are for the table and writes it.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	nginxDir := flag.String("nginx", "", "git directory of nginx/nginx, with its release-* tags")
	mirrors := flag.String("thirdparty", "", "directory of the third-party module mirrors (<owner>+<name>/repo)")
	out := flag.String("o", "lint/nginx/generated.go", "the file to write")
	verbose := flag.Bool("v", false, "print what was read, and the notes")
	flag.Parse()
	if *nginxDir == "" || *mirrors == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/gendirectives -nginx DIR -thirdparty DIR [-o FILE] [-v]")
		os.Exit(2)
	}
	o := options{nginxDir: *nginxDir, mirrorDir: *mirrors}
	if *verbose {
		o.logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	}
	gen, rep, err := generate(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendirectives:", err)
		os.Exit(1)
	}
	if *verbose {
		for _, n := range rep.notes {
			fmt.Fprintln(os.Stderr, "note:", n)
		}
	}
	if len(rep.problems) > 0 {
		for _, p := range rep.problems {
			fmt.Fprintln(os.Stderr, "not understood:", p)
		}
		fmt.Fprintf(os.Stderr, "gendirectives: %d things not understood; %s and %s not written\n", len(rep.problems), *out, variablesFile)
		os.Exit(1)
	}
	for _, f := range []struct {
		path string
		src  []byte
	}{{*out, gen.directives}, {filepath.Join(filepath.Dir(*out), variablesFile), gen.variables}} {
		if err := os.WriteFile(f.path, f.src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gendirectives:", err)
			os.Exit(1)
		}
	}
}
