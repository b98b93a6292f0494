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
// order, without the pause; or, on a queuedWindow, the work runs in the
// background and its result waits in the window's queue for the test to
// apply.
func background(win fyne.Window, pause time.Duration, work func() (apply func())) {
	run := func(apply func()) {
		if apply != nil {
			apply()
		}
	}
	if runsAtOnce(win) {
		run(work())
		return
	}
	queue := queueOf(win)
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

// queuedWindow is a window drawn in memory whose background results wait
// in queue until a test applies them, as a real driver applies them later
// on its UI goroutine. A test passes one to New to see work finish late.
type queuedWindow struct {
	fyne.Window
	queue chan func()
}

// queueOf is the queue of a queuedWindow, else nil.
func queueOf(win fyne.Window) chan func() {
	if q, ok := win.(queuedWindow); ok {
		return q.queue
	}
	return nil
}

// runsAtOnce is true where background work runs on the caller: a window
// drawn in memory, unless a test queues its results.
func runsAtOnce(win fyne.Window) bool {
	_, inMemory := win.Canvas().(software.WindowlessCanvas)
	return inMemory && queueOf(win) == nil
}
