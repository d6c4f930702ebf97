package model

import (
	"fmt"
	"testing"

	"github.com/nginxlint/nginxlint/lint/nginx"
)

// BenchmarkSuggestDirective is the "did you mean" of unknown directives
// of many names, near one nginx has (proxy_paasN) and far from all
// (x_customN): go test -bench SuggestDirective ./lint/model
func BenchmarkSuggestDirective(b *testing.B) {
	names := make([]string, 0, 200)
	for i := range 100 {
		names = append(names, fmt.Sprintf("proxy_paas%d", i), fmt.Sprintf("x_custom_module_directive%d", i))
	}
	for b.Loop() {
		for _, name := range names {
			SuggestDirective(name, nginx.HTTPServer)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(names)), "ns/name")
}
