package syntax

// SetMaxDumpSize lowers the dump size limit for a test; the returned
// function restores it.
func SetMaxDumpSize(n int) (restore func()) {
	old := maxDumpSize
	maxDumpSize = n
	return func() { maxDumpSize = old }
}
