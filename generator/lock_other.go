//go:build !unix

package generator

// Lock is a no-op where flock(2) is missing: concurrent runs of secgen on
// one project are not kept apart there. Every write is still atomic, so a
// file is never left half written.
func Lock(root string) (func(), error) { return func() {}, nil }
