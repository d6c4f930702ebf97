package syntax

import (
	"path"
	"strings"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// checkDump checks what FuzzLoad's input and tree say of nginx -T dumps.
// Read as a dump, the input must load without a panic, quickly, into files
// that are pieces of it. And the dump nginx -T would print for the tree's
// files must read back as the same files, in the same order, whenever
// nginx could have printed it (every file whole, no line in one that
// looks like a section header, include paths written clean).
func checkDump(t *testing.T, data string, tree *Tree) {
	t.Helper()
	start := time.Now()
	if dumped, err := Load(Options{Grammar: nginx.Grammar{}, Path: "-", Stdin: strings.NewReader(data)}); err == nil {
		for _, file := range dumped.Files {
			if !strings.Contains(data, file.Src) {
				t.Fatalf("%s holds text the dump does not: %q", file.Name, file.Src)
			}
		}
	}
	if d := time.Since(start); d > loadBudget {
		t.Fatalf("reading the input as a dump took %v", d)
	}
	var dump strings.Builder
	for _, file := range tree.Files {
		if !nginxCouldDump(file) {
			return
		}
		dump.WriteString(dumpMarker + file.Virtual + ":\n" + file.Src + "\n")
	}
	back, err := Load(Options{Grammar: nginx.Grammar{}, Path: "-", Stdin: strings.NewReader(dump.String())})
	if err != nil {
		t.Fatalf("reading the dump back: %v\n%s", err, dump.String())
	}
	if a, b := dumpedFiles(tree), dumpedFiles(back); a != b {
		t.Fatalf("the dump reads back as other files:\n%s\n----\n%s\n---- dump:\n%s", a, b, dump.String())
	}
}

// nginxCouldDump reports whether nginx -T could print f as it stands: it
// parses to its end (nginx refuses it otherwise), has no line that looks
// like a section header, and its includes name paths as nginxlint's tree
// in memory knows them (clean ones).
func nginxCouldDump(f *File) bool {
	if strings.Contains(f.Src, dumpMarker[1:]) {
		return false
	}
	for _, err := range Parse(&File{Src: f.Src}, nginx.Grammar{}) {
		if strings.Contains(err.Msg, "end of file") {
			return false
		}
	}
	var incs []Directive
	f.collectIncludes(f.top, f.ntop, &incs)
	for _, d := range incs {
		if d.NArgs() == 1 {
			v := d.Arg(0)
			if !path.IsAbs(v) {
				v = "/etc/nginx/" + v
			}
			if v != path.Clean(v) || strings.Contains(v, "\\") {
				return false
			}
		}
	}
	return true
}

// dumpedFiles lists a tree's files and their text, in order.
func dumpedFiles(tree *Tree) string {
	var b strings.Builder
	for _, f := range tree.Files {
		b.WriteString(f.Virtual + ":\n" + f.Src + "\n----\n")
	}
	return b.String()
}
