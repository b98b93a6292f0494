package ui

// leaveScreen drops the keyboard focus before the screen holding it is
// replaced. Fyne does not unfocus a widget that is taken off the window, and
// a focused entry keeps its cursor blinking wherever it is: each blink
// redraws the whole window. After SetContent the old screen's focus is out
// of reach for good (the window has a new focus manager), so the sign-in's
// password entry kept the app redrawing at rest on every screen, and twice
// as often on a screen with its own focused entry (issue 12).
func (a *App) leaveScreen() { a.win.Canvas().Unfocus() }
