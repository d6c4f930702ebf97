package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nginxlint/nginxlint/rules"
)

// BenchmarkLintExample lints the example tree (example/etc/nginx) as the
// server does on each change of an open document: the copy brought up
// to date with the document's new text, the tree loaded and linted
// whole, findings grouped by file.
func BenchmarkLintExample(b *testing.B) {
	root := exampleTree(b)
	shop := filepath.Join(root, "sites-available", "shop.conf")
	data, err := os.ReadFile(shop)
	if err != nil {
		b.Fatal(err)
	}
	ts := &treeState{root: root}
	all := rules.All()
	shadow := b.TempDir()
	n := 0
	for b.Loop() {
		n++
		text := string(data) + fmt.Sprintf("# edit %d\n", n) // a keystroke
		in := input{docs: []docSnap{{uri: uriOf(shop), path: shop, text: text, version: int32(n)}}, byPath: map[string]string{shop: text}}
		res, err := lintTree(ts, in, all, shadow)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.findings["sites-available/shop.conf"]) == 0 {
			b.Fatal("no findings in shop.conf")
		}
	}
}

// BenchmarkDidChange measures what the editor waits for: from a
// didChange of the example's shop.conf to the publishDiagnostics of
// that version, through the protocol, without the debounce.
func BenchmarkDidChange(b *testing.B) {
	root := exampleTree(b)
	c := startClient(b, fullCaps, Options{Debounce: -1})
	uri := c.open(filepath.Join(root, "sites-available", "shop.conf"))
	c.waitDiags(uri, "proxy-pass-scheme is reported", hasCode("proxy-pass-scheme"))
	base := c.texts[uri]
	n := 0
	for b.Loop() {
		n++
		c.change(uri, base+fmt.Sprintf("# edit %d\n", n))
		want := c.versions[uri]
		timeout := time.After(20 * time.Second)
	wait:
		for {
			select {
			case p := <-c.diags:
				if p.URI == uri && p.Version != nil && *p.Version == want {
					break wait
				}
			case <-timeout:
				b.Fatalf("no findings published for version %d", want)
			}
		}
	}
}
