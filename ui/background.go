package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
)

// background runs work off the UI goroutine, after a pause (a debounce),
// and then the function it returns on the UI goroutine with fyne.Do.
//
// A window drawn in memory (tests, the screenshots command) has no UI
// goroutine: there fyne.Do would run at once on the worker, racing the
// caller's own widget calls. So there both run at once on the caller, in
// order, without the pause; or, when a test set testQueue, the work runs in
// the background and its result waits in the queue for the test to apply.
func background(win fyne.Window, pause time.Duration, work func() (apply func())) {
	run := func(apply func()) {
		if apply != nil {
			apply()
		}
	}
	if testQueue == nil && inMemory(win) {
		run(work())
		return
	}
	queue := testQueue
	go func() {
		time.Sleep(pause)
		apply := work()
		if queue != nil {
			queue <- func() { run(apply) }
		} else {
			fyne.Do(func() { run(apply) })
		}
	}()
}

// testQueue, when set by a test, collects the results of background work.
var testQueue chan func()

// inMemory is true for a window drawn in memory rather than on a screen.
func inMemory(win fyne.Window) bool {
	_, ok := win.Canvas().(software.WindowlessCanvas)
	return ok
}
