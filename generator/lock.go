//go:build unix

package generator

import (
	"fmt"
	"os"
	"syscall"
)

// Lock takes an exclusive lock on the folder root so that two runs of
// secgen on one project wait for each other instead of interleaving. It
// locks the folder itself, so no lock file is left behind. The returned
// function releases the lock.
func Lock(root string) (func(), error) {
	f, err := os.Open(root)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", root, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		_ = f.Close() // the flock error is the one to report
		return nil, fmt.Errorf("locking %s: %w", root, err)
	}
	// Closing the folder releases the lock too; the explicit unlock only
	// makes the order plain. Neither can fail in a way worth reporting
	// once the run's files are written.
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}
