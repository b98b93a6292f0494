package data

import (
	"path/filepath"
	"strings"
	"syscall"
	"unsafe"
)

// networkShare names a network location (a UNC path or a mapped network
// drive), or "" for a local disk.
func networkShare(path string) string {
	if strings.HasPrefix(path, `\\`) {
		return "a network path"
	}
	root := filepath.VolumeName(path) + `\`
	p, err := syscall.UTF16PtrFromString(root)
	if err != nil {
		return ""
	}
	proc := syscall.NewLazyDLL("kernel32.dll").NewProc("GetDriveTypeW")
	const driveRemote = 4
	if r, _, _ := proc.Call(uintptr(unsafe.Pointer(p))); r == driveRemote {
		return "a mapped network drive"
	}
	return ""
}
