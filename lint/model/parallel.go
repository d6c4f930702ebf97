package model

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// inParallel calls work(w, i) for every i from 0 to n-1 on up to
// GOMAXPROCS goroutines, each taking the next i as it frees up; w (from 0
// to workers(n)-1) tells the goroutine apart, for state of its own.
func inParallel(n int, work func(w, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers(n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				work(w, i)
			}
		}()
	}
	wg.Wait()
}

// workers returns how many goroutines inParallel starts for n pieces of
// work.
func workers(n int) int { return min(runtime.GOMAXPROCS(0), n) }
