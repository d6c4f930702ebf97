// Command gentree writes a synthetic, realistic and valid nginx
// configuration tree, for benchmarking nginxlint against trees of a known
// size:
//
//	go run ./internal/gentree -size S -o /tmp/tree-s   # ≈ 3 MB, 50 files, 5,000 servers
//	go run ./internal/gentree -size L -o /tmp/tree-l   # ≈ 33 MB, 100 files, 50,000 servers
//	go run ./internal/gentree -servers 200 -files 4 -o /tmp/tree-xs
//
// The tree is DIR/nginx.conf (main context), DIR/conf.d/NNN.conf holding
// the upstream and server blocks, DIR/snippets/*.conf, and DIR/backends.toml,
// the backend manifest listing every backend address the tree dials. Every
// path nginx writes to (error and access logs, lock file, temporary
// directories) is inside DIR, and no server name or target is a host name,
// so that
//
//	nginx -t -q -p DIR/ -c DIR/nginx.conf -e DIR/error.log -g "pid DIR/nginx.pid;"
//
// touches nothing outside DIR and does no DNS. The output is a function of
// the seed and the sizes only. DIR/gentree.stats records what was written
// (key=value lines, readable by a shell).
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	size := flag.String("size", "S", "preset `size`: S (≈3 MB, 50 files, 5,000 servers) or L (≈33 MB, 100 files, 50,000 servers)")
	servers := flag.Int("servers", 0, "number of server blocks (overrides the preset)")
	files := flag.Int("files", 0, "number of conf.d files (overrides the preset)")
	seed := flag.Uint64("seed", 1, "random `seed`; the same seed and sizes give the same tree")
	out := flag.String("o", "", "output `directory` (created; must be empty or a previous gentree output)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: gentree [-size S|L] [-servers N] [-files F] [-seed N] -o DIR\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	cfg, err := Preset(*size)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gentree: %v\n", err)
		os.Exit(2)
	}
	if *servers != 0 {
		cfg.Servers = *servers
	}
	if *files != 0 {
		cfg.Files = *files
	}
	cfg.Seed = *seed
	st, err := Generate(*out, cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gentree: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("gentree: wrote %s: %s\n", st.Dir, st.Summary())
}
