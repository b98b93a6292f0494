package data

import "strings"

// networkShareReason says why a database on a network share is refused and
// which set-ups are safe. WAL keeps its shared memory on one host, so copies
// of Linkwell on several PCs writing one file over the network can corrupt
// it; sessions on one host (a terminal server) share it safely, and
// several PCs share a PostgreSQL server database.
func networkShareReason(kind string) string {
	return "it is on a network share (" + kind + "). Several PCs writing one Linkwell database over the network can corrupt it. " +
		"Keep it on the disk of the computer that runs Linkwell: on one PC, its own disk; on a terminal server, the server's own disk, " +
		"which every session on that server can share; for several PCs, the PostgreSQL server edition (README: \"Several PCs: the server edition\"). " +
		"Choose the file or server with --db or LINKWELL_DB."
}

// driveRemote is what GetDriveTypeW returns for a mapped network drive
// (DRIVE_REMOTE).
const driveRemote = 4

// windowsNetworkShare names the network location of a Windows path, a UNC
// path (\\server\share\…) or a mapped network drive, or "" for a local disk.
// driveType is GetDriveTypeW for a drive's root such as `Z:\`. The path is
// read with strings, not path/filepath, and driveType is passed in, so that
// this is tested on Linux too.
func windowsNetworkShare(path string, driveType func(root string) uint32) string {
	p := strings.ReplaceAll(path, "/", `\`) // Windows takes either slash
	// \\?\C:\… and \\.\C:\… are long-path forms of C:\…; \\?\UNC\server\… of \\server\….
	if strings.HasPrefix(p, `\\?\`) || strings.HasPrefix(p, `\\.\`) {
		p = p[4:]
		if len(p) >= 4 && strings.EqualFold(p[:4], `UNC\`) {
			p = `\\` + p[4:]
		}
	}
	if strings.HasPrefix(p, `\\`) {
		server, rest, _ := strings.Cut(p[2:], `\`)
		share, _, _ := strings.Cut(rest, `\`)
		return `the network path \\` + server + `\` + share
	}
	if hasDriveLetter(p) {
		drive := strings.ToUpper(p[:2])
		if driveType(drive+`\`) == driveRemote {
			return "the mapped network drive " + drive
		}
	}
	return ""
}
