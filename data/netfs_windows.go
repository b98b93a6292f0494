package data

import (
	"syscall"
	"unsafe"
)

// networkShare names a network location (a UNC path or a mapped network
// drive), or "" for a local disk. The logic is windowsNetworkShare, tested
// on every system; only the GetDriveTypeW call lives here.
func networkShare(path string) string {
	return windowsNetworkShare(path, getDriveType)
}

var procGetDriveType = syscall.NewLazyDLL("kernel32.dll").NewProc("GetDriveTypeW")

// getDriveType is GetDriveTypeW for a root such as `C:\`; 0 (unknown) when
// the call cannot be made.
func getDriveType(root string) uint32 {
	p, err := syscall.UTF16PtrFromString(root)
	if err != nil {
		return 0
	}
	r, _, _ := procGetDriveType.Call(uintptr(unsafe.Pointer(p)))
	return uint32(r)
}
