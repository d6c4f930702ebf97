// Command gentree writes a synthetic, realistic and valid nginx
// configuration tree, for benchmarking nginxlint against trees of a known
// size:
//
//	go run ./internal/gentree -size S -o /tmp/tree-s   # ≈ 3 MB, 50 files, 5,000 servers
//	go run ./internal/gentree -size L -o /tmp/tree-l   # ≈ 33 MB, 100 files, 50,000 servers
//	go run ./internal/gentree -servers 200 -files 4 -o /tmp/tree-xs
//
// or an adversarial one, where one dimension is large or the backend
// addresses are spread in one way (gentree -shape list names them):
//
//	go run ./internal/gentree -shape hosts -o /tmp/hosts          # every backend on port 8080 of its own host
//	go run ./internal/gentree -shape many-locations -size S -o /tmp/locs
//	go run ./internal/gentree -shape big-upstream -n 1000 -o /tmp/up
//
// The tree is DIR/nginx.conf (main context), DIR/conf.d/NNN.conf holding
// the upstream and server blocks, DIR/snippets/*.conf, and DIR/backends.toml,
// the backend manifest listing every backend address the tree dials (the
// deep-include shape adds DIR/chain/, the dump shape DIR/nginx-T.txt). Every
// path nginx writes to (error and access logs, lock file, temporary
// directories) is inside DIR, and no server name or target is a host name
// (but in the names shape), so that
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

	"github.com/nginxlint/nginxlint/lint/syntax"
)

func main() {
	size := flag.String("size", "", "preset `size`: S (≈3 MB, 50 files, 5,000 servers) or L (≈33 MB, 100 files, 50,000 servers); with -shape, L is the shape's full size and S a tenth of it (default S, and L with -shape)")
	shape := flag.String("shape", "", "adversarial `shape` to write instead of the realistic tree; \"list\" lists them")
	n := flag.Int("n", 0, "the shape's size N, in its unit (overrides -size)")
	servers := flag.Int("servers", 0, "number of server blocks (overrides the preset)")
	files := flag.Int("files", 0, "number of conf.d files (overrides the preset)")
	seed := flag.Uint64("seed", 1, "random `seed`; the same seed and sizes give the same tree")
	out := flag.String("o", "", "output `directory` (created; must be empty or a previous gentree output)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: gentree [-size S|L] [-shape NAME [-n N]] [-servers N] [-files F] [-seed N] -o DIR\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *shape == "list" {
		for _, s := range Shapes() {
			fmt.Printf("%-15s N = %d %s (S: %d); %s\n", s.Name, s.L, s.Unit, s.L/10, s.Doc)
		}
		return
	}
	if flag.NArg() != 0 || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	cfg, err := config(*shape, *size, *n)
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
	if st.ConfigFiles > syntax.MaxFiles && st.Dump == "" {
		fmt.Printf("gentree: note: the tree has %d files; nginxlint reads at most %d today\n", st.ConfigFiles, syntax.MaxFiles)
	}
}

// config returns the configuration the flags -shape, -size and -n name.
func config(shape, size string, n int) (Config, error) {
	if shape == "" {
		if n != 0 {
			return Config{}, fmt.Errorf("-n is the size of a shape: give -shape too")
		}
		if size == "" {
			size = "S"
		}
		return Preset(size)
	}
	s := ShapeNamed(shape)
	if s == nil {
		return Config{}, fmt.Errorf("-shape %q: the shapes are %s (gentree -shape list says what each is)", shape, shapeNames())
	}
	if n == 0 {
		if size == "" {
			size = "L"
		}
		var err error
		if n, err = s.Size(size); err != nil {
			return Config{}, err
		}
	}
	return s.Config(n), nil
}
