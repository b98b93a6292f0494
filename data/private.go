package data

import (
	"os"
	"runtime"
)

// Files Linkwell makes are its owner's only: the database (SQLite gives its
// -wal and -shm the database's mode), backups, exports and printed PDFs are
// made 0600, their folders 0700 (create, WriteFile, Backup, Restore).

// closeToOthers takes away the access that every other user of the computer
// has to the database at path and its -wal and -shm: a database made by an
// earlier Linkwell may be open to everyone. The group's access is left as
// it is, since a terminal server may share the database with a group on
// purpose. Windows keeps a user's files private by the profile's access
// lists, not by these bits, so nothing is done there. Failures are ignored:
// the file may belong to someone else, who alone can change it.
func closeToOthers(path string) {
	if runtime.GOOS == "windows" {
		return
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if st, err := os.Stat(f); err == nil && st.Mode().Perm()&0o007 != 0 {
			os.Chmod(f, st.Mode().Perm()&^0o007)
		}
	}
}
