//go:build !unix

package safeio

// oNonblock: no FIFOs in the file system here.
const oNonblock = 0
