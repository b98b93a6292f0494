package main

// noDisplayMessage is what `linkwell` prints when its window cannot open.
const noDisplayMessage = "no display: Linkwell's window needs a desktop session; the subcommands (linkwell help) work without one"

// noDisplay says why the window cannot open here, or nil when it can. On
// Linux and the BSDs a window needs an X11 or Wayland session (DISPLAY or
// WAYLAND_DISPLAY); without one Fyne stops the program with a Go stack
// trace, which tells someone on a server or over SSH nothing. Windows and
// macOS always have a desktop for a signed-in user.
func noDisplay(goos string, getenv func(string) string) error {
	switch goos {
	case "windows", "darwin", "ios", "android":
		return nil
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return nil
	}
	return &cliError{code: 1, msg: noDisplayMessage}
}
