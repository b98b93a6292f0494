package data

import (
	"path/filepath"
	"syscall"
)

// Filesystem magic numbers (statfs f_type) of network shares.
var networkFilesystems = map[int64]string{
	0x6969:     "NFS",
	0x517B:     "SMB",
	0xFF534D42: "CIFS",
	0xFE534D42: "SMB2",
	0x564C:     "NCP",
	0x5346414F: "AFS",
	0x65735546: "FUSE (possibly sshfs)",
}

// networkShare names the kind of network filesystem holding path's folder,
// or "" when it is a local disk.
func networkShare(path string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(path), &st); err != nil {
		return ""
	}
	name := networkFilesystems[int64(st.Type)]
	if name == "FUSE (possibly sshfs)" {
		return "" // FUSE is as often a local filesystem; give it the benefit of the doubt
	}
	return name
}
