package check_test

import (
	"fmt"
	"testing"

	"github.com/pmfolio/pmfolio/scaffold/check"
)

// BenchmarkCheck checks the example portfolio's documents, both tracks,
// copied to 1,200 documents: the per-document cost `pmbench check`
// measures as a whole process.
func BenchmarkCheck(b *testing.B) {
	p := portfolio{}
	for _, track := range []string{"core", "technical"} {
		for k, v := range examplePortfolio(b, track) {
			for i := 0; i < 50; i++ {
				p[fmt.Sprintf("%s-%s-%d.md", k[:len(k)-3], track, i)] = v
			}
		}
	}
	in := inputsOf(p)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := newChecker(b, p)
		if _, err := c.Run(check.Inputs(in), false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(in)), "us/doc")
}
