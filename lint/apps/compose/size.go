package compose

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// The size of what compose-go is given. Decoding a YAML mapping checks
// each key against the ones before it, and compose-go matches every
// value's path against its rules: a mapping of 100,000 environment
// variables took 30 s. A compose file is small (the largest of real
// projects hold a few hundred values), so nginxlint reads one whose
// mappings and lists have at most maxEntries entries, and maxNodes
// values in all; a larger one is not read, and said so at its place.
const (
	maxEntries = 1000
	maxNodes   = 100_000
)

// tooLarge returns the first mapping or list of the document under n
// with more than maxEntries entries, or the node at which the document
// passes maxNodes values; nil when it is within both. Aliases are not
// followed (the YAML decoder bounds what they expand to).
func tooLarge(n *yaml.Node) (*yaml.Node, error) {
	count := 0
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil {
			continue
		}
		if count++; count > maxNodes {
			return n, fmt.Errorf("the compose file holds more than %d values: nginxlint does not read a compose file this large", maxNodes)
		}
		entries := len(n.Content)
		switch n.Kind {
		case yaml.MappingNode:
			entries /= 2
			if entries > maxEntries {
				return n, fmt.Errorf("a mapping of %d keys: nginxlint reads compose files whose mappings hold at most %d", entries, maxEntries)
			}
		case yaml.SequenceNode:
			if entries > maxEntries {
				return n, fmt.Errorf("a list of %d entries: nginxlint reads compose files whose lists hold at most %d", entries, maxEntries)
			}
		case yaml.AliasNode:
			continue
		}
		stack = append(stack, n.Content...)
	}
	return nil, nil
}
