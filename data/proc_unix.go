//go:build unix

package data

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this id runs on this
// computer (signal 0 checks without sending anything; EPERM: it runs as
// another user).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
