package data

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The Windows paths here are tested on Linux: the logic takes them as
// strings, and only the system calls stay in the windows files.

func TestFileURL(t *testing.T) {
	sqliteOnly(t)
	for _, c := range []struct{ path, want string }{
		{`/home/sam/x.pdf`, `file:///home/sam/x.pdf`},
		{`/tmp/Siân Ó Ceallaigh/x.pdf`, `file:///tmp/Si%C3%A2n%20%C3%93%20Ceallaigh/x.pdf`},
		{`C:\Users\Siân\AppData\Local\Temp\x.pdf`, `file:///C:/Users/Si%C3%A2n/AppData/Local/Temp/x.pdf`},
		{`C:\Users\Siân Ó Ceallaigh\AppData\Local\Linkwell\linkwell.db`,
			`file:///C:/Users/Si%C3%A2n%20%C3%93%20Ceallaigh/AppData/Local/Linkwell/linkwell.db`},
		{`d:/Practice/Linkwell #2/linkwell.db`, `file:///d:/Practice/Linkwell%20%232/linkwell.db`},
		{`C:\Temp\50% off?.pdf`, `file:///C:/Temp/50%25%20off%3F.pdf`},
		{`\\server\share\Linkwell\x.pdf`, `file://server/share/Linkwell/x.pdf`},
	} {
		if got := FileURL(c.path).String(); got != c.want {
			t.Errorf("FileURL(%q) = %s, want %s", c.path, got, c.want)
		}
	}
}

// SQLite must read the URI of a Windows path as a path, not refuse it as
// "invalid uri authority" the way it refused file://C:%5CUsers%5C…. On
// Linux the file C:/… cannot be opened, but the URI must parse.
func TestSQLiteTakesWindowsPathURI(t *testing.T) {
	sqliteOnly(t)
	db, err := sql.Open("sqlite", dsn(`C:\Users\Siân Ó Ceallaigh\AppData\Local\Linkwell\linkwell.db`, "WAL"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Ping()
	if err == nil || strings.Contains(err.Error(), "uri") {
		t.Fatalf("ping: %v, want an error opening the file, not one about the URI", err)
	}
}

// A folder with spaces and a non-ASCII name holds a working database.
func TestOpenInFolderWithSpacesAndAccents(t *testing.T) {
	sqliteOnly(t)
	dir := filepath.Join(t.TempDir(), "Siân Ó Ceallaigh", "AppData", "Local", "Linkwell")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(dir, "linkwell.db"))
	if err != nil {
		t.Fatal(err)
	}
	setUpPractice(t, s)
	s.Close()
	s, err = Open(filepath.Join(dir, "linkwell.db"))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	s.Close()
}

func TestWindowsNetworkShare(t *testing.T) {
	sqliteOnly(t)
	// Z: is a mapped network drive; C: and D: are local.
	driveType := func(root string) uint32 {
		switch root {
		case `Z:\`:
			return driveRemote
		case `C:\`, `D:\`:
			return 3 // DRIVE_FIXED
		}
		return 0 // DRIVE_UNKNOWN
	}
	for _, c := range []struct{ path, want string }{
		{`C:\Users\Siân Ó Ceallaigh\AppData\Local\Linkwell\linkwell.db`, ""},
		{`D:\Linkwell\linkwell.db`, ""},
		{`c:/Users/sam/linkwell.db`, ""},
		{`\\?\C:\Users\sam\linkwell.db`, ""},
		{`Z:\Linkwell\linkwell.db`, "the mapped network drive Z:"},
		{`z:\Linkwell\linkwell.db`, "the mapped network drive Z:"},
		{`\\fileserver\practice\Linkwell\linkwell.db`, `the network path \\fileserver\practice`},
		{`//fileserver/practice/linkwell.db`, `the network path \\fileserver\practice`},
		{`\\?\UNC\fileserver\practice\linkwell.db`, `the network path \\fileserver\practice`},
		{`\\tsclient\C\linkwell.db`, `the network path \\tsclient\C`}, // a remote desktop client's own disk
	} {
		if got := windowsNetworkShare(c.path, driveType); got != c.want {
			t.Errorf("windowsNetworkShare(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}

// The refusal names the safe set-ups and promises nothing Linkwell does
// not have.
func TestNetworkShareReason(t *testing.T) {
	sqliteOnly(t)
	r := networkShareReason("the mapped network drive Z:")
	// The three safe set-ups: one PC, a terminal server, the server edition.
	for _, want := range []string{"the mapped network drive Z:", "one PC", "terminal server", "PostgreSQL server edition", "--db", "LINKWELL_DB"} {
		if !strings.Contains(r, want) {
			t.Errorf("reason lacks %q: %s", want, r)
		}
	}
}

// Excel and Notepad on Windows want a byte-order mark and CRLF line ends,
// also inside a quoted cell. (The referrals CSV is checked the same way in
// referral_csv_test.go.)
func TestServicesCSVIsWindowsText(t *testing.T) {
	sqliteOnly(t)
	var b strings.Builder
	err := WriteServicesCSV(&b, []Service{
		{Name: "Caffi Cymraeg", Description: "Sgwrs dros baned,\nbob dydd Mawrth"},
		{Name: "Zielona Grupa Spacerowa", Description: "Spacery wzdłuż kanału"},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\ufeffexternal_id,name,") || !strings.HasSuffix(out, "\r\n") {
		t.Errorf("not UTF-8 with a BOM and a CRLF end: %q", out)
	}
	if bare := strings.Count(out, "\n") - strings.Count(out, "\r\n"); bare != 0 {
		t.Errorf("%d line ends without CR: %q", bare, out)
	}
}
