package data

import (
	"net/url"
	"strings"
)

// FileURL is the file:// URL of an absolute path, for SQLite's URI file
// names and for opening a file in the system's viewer:
//
//	/home/sam/x.pdf                   file:///home/sam/x.pdf
//	C:\Users\Siân\AppData\x.pdf       file:///C:/Users/Si%C3%A2n/AppData/x.pdf
//	\\server\share\x.pdf              file://server/share/x.pdf
//
// Windows paths are recognised by their drive letter or leading \\ rather
// than with path/filepath, which on Linux knows only "/", so the Windows
// form is built (and tested) the same on every system. Without the leading
// "/" a drive letter would be read as the URL's host, and SQLite refuses
// "file://C:..." ("invalid uri authority").
func FileURL(path string) *url.URL {
	if strings.HasPrefix(path, `\\`) {
		host, rest, _ := strings.Cut(path[2:], `\`)
		return &url.URL{Scheme: "file", Host: host, Path: "/" + strings.ReplaceAll(rest, `\`, "/")}
	}
	p := path
	if hasDriveLetter(p) {
		p = strings.ReplaceAll(p, `\`, "/")
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/… → /C:/…, so the URL reads file:///C:/…
	}
	return &url.URL{Scheme: "file", Path: p}
}

// hasDriveLetter says whether path starts with a drive letter and a colon.
func hasDriveLetter(path string) bool {
	if len(path) < 2 || path[1] != ':' {
		return false
	}
	c := path[0] | 0x20 // lower case
	return c >= 'a' && c <= 'z'
}
