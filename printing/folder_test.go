package printing

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestPrintFolderIsPrivateAndCleared(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cache folder is chosen by XDG_CACHE_HOME on Linux")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	// A folder left open to everyone (by an earlier version, or by hand)
	// is closed again.
	os.MkdirAll(filepath.Join(cache, "linkwell", "print"), 0o755)

	path, err := TempPDF("card-*.pdf")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	if dir != filepath.Join(cache, "linkwell", "print") || !strings.HasSuffix(path, ".pdf") {
		t.Errorf("PDF at %s", path)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("print folder mode %v, want 0700", st.Mode().Perm())
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("PDF mode %v, want 0600", st.Mode().Perm())
	}

	os.WriteFile(filepath.Join(dir, ".left-by-a-crash.pdf.123.tmp"), []byte("%PDF"), 0o600)
	if err := ClearFolder(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left in the print folder: %v", entries)
	}
}
