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
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", root, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
