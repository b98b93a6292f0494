package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestNoDisplay(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(name string) string { return vars[name] }
	}
	for _, c := range []struct {
		goos   string
		vars   map[string]string
		refuse bool
	}{
		{"linux", nil, true},
		{"linux", map[string]string{"DISPLAY": ""}, true},
		{"linux", map[string]string{"DISPLAY": ":0"}, false},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, false},
		{"freebsd", nil, true},
		{"windows", nil, false},
		{"darwin", nil, false},
	} {
		if err := noDisplay(c.goos, env(c.vars)); (err != nil) != c.refuse {
			t.Errorf("%s %v: %v", c.goos, c.vars, err)
		}
	}
}

// Started without a display, the app says so in one plain line, exits
// non-zero and makes no database.
func TestAppWithoutADisplay(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("DISPLAY decides only on Linux and the BSDs")
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	db := filepath.Join(t.TempDir(), "x.db")
	code, out, errOut := runCLI("--db", db)
	want := "linkwell: no display: Linkwell's window needs a desktop session; the subcommands (linkwell help) work without one\n"
	if code == 0 || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want a non-zero exit and %q", code, out, errOut, want)
	}
	if _, err := os.Lstat(db); err == nil {
		t.Error("a database was made with no window to use it")
	}
}
