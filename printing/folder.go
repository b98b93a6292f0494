package printing

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// The print folder holds the PDFs the app writes only to open them in the
// system's viewer for printing. They carry patients' names and needs, so on
// a PC that several people share they go in a folder only this user can
// open, not the shared temporary folder; and the app empties it when it
// closes, and when it starts (what a crash left behind).

// Folder is the private print folder, made if need be: linkwell/print in
// the user's cache folder (~/.cache on Linux, ~/Library/Caches on macOS,
// %LocalAppData% on Windows), open to its owner only.
func Folder() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("there is no private folder to print from: %w", err)
	}
	dir := filepath.Join(cache, "linkwell", "print")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	// MkdirAll leaves a folder that was already there as it was.
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", err
	}
	return dir, nil
}

// TempPDF makes a new, empty file in the print folder, readable by its
// owner only, named after pattern as os.CreateTemp names files, and returns
// its path.
func TempPDF(pattern string) (string, error) {
	dir, err := Folder()
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	f.Close()
	return f.Name(), nil
}

// ClearFolder removes everything in the print folder. A file a viewer
// still holds open on Windows stays until the next time.
func ClearFolder() error {
	dir, err := Folder()
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
	}
	return errors.Join(errs...)
}
