package main

import "testing"

// Every system's default database path, tested on Linux.
func TestDefaultDBPathFor(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	for _, c := range []struct {
		goos string
		vars map[string]string
		home string
		want string
	}{
		{"windows", map[string]string{"LOCALAPPDATA": `C:\Users\sam\AppData\Local`}, `C:\Users\sam`,
			`C:\Users\sam\AppData\Local\Linkwell\linkwell.db`},
		{"windows", map[string]string{"LOCALAPPDATA": `C:\Users\Siân Ó Ceallaigh\AppData\Local`}, `C:\Users\Siân Ó Ceallaigh`,
			`C:\Users\Siân Ó Ceallaigh\AppData\Local\Linkwell\linkwell.db`},
		{"windows", map[string]string{"LOCALAPPDATA": `D:\Profiles\sam\AppData\Local\`}, `D:\Profiles\sam`,
			`D:\Profiles\sam\AppData\Local\Linkwell\linkwell.db`},
		// No LOCALAPPDATA (a service account, a stripped environment): the same folder under the home folder.
		{"windows", nil, `C:\Users\Siân`, `C:\Users\Siân\AppData\Local\Linkwell\linkwell.db`},
		{"darwin", nil, "/Users/sam", "/Users/sam/Library/Application Support/Linkwell/linkwell.db"},
		{"linux", nil, "/home/sam", "/home/sam/.local/share/linkwell/linkwell.db"},
		{"linux", map[string]string{"XDG_DATA_HOME": "/data/sam"}, "/home/sam", "/data/sam/linkwell/linkwell.db"},
	} {
		if got := defaultDBPathFor(c.goos, env(c.vars), c.home); got != c.want {
			t.Errorf("defaultDBPathFor(%s, %v, %q) = %q, want %q", c.goos, c.vars, c.home, got, c.want)
		}
	}
}
