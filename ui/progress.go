package ui

import (
	"context"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// progressDialog is the one progress window of long jobs (the directory's
// import, the referrals export): a line of text, a bar and Cancel, which
// cancels the job's context.
type progressDialog struct {
	win    fyne.Window
	status *widget.Label
	bar    *widget.ProgressBar
	cancel *widget.Button
	d      dialog.Dialog
	done   atomic.Bool
}

// newProgress builds the window for a job run with ctx; Cancel calls stop
// and says "Cancelling…". Show it with show or showAfter; hide it when the
// job is done.
func newProgress(win fyne.Window, title, text string, stop context.CancelFunc) *progressDialog {
	p := &progressDialog{win: win, status: widget.NewLabel(text), bar: widget.NewProgressBar()}
	p.cancel = widget.NewButton("Cancel", func() {
		stop()
		p.status.SetText("Cancelling…")
	})
	p.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(p.status, p.bar, container.NewCenter(p.cancel)), win)
	p.d.Resize(fyne.NewSize(460, 0))
	return p
}

// show shows the window at once.
func (p *progressDialog) show() { p.d.Show() }

// showAfter shows the window only if the job is still running after wait,
// so a quick job does not flash a window. Where background work runs at
// once (a window drawn in memory) the job is over before this returns.
func (p *progressDialog) showAfter(wait time.Duration) {
	if runsAtOnce(p.win) {
		return
	}
	show := func() {
		if !p.done.Load() {
			p.d.Show()
		}
	}
	queue := queueOf(p.win) // a test's window: the show waits there, as background's results do
	time.AfterFunc(wait, func() {
		if queue != nil {
			queue <- show
		} else {
			fyne.Do(show)
		}
	})
}

// setValue moves the bar (0–1); safe from any goroutine.
func (p *progressDialog) setValue(v float64) {
	fyne.Do(func() { p.bar.SetValue(v) })
}

// setText replaces the line of text; safe from any goroutine.
func (p *progressDialog) setText(text string) {
	fyne.Do(func() { p.status.SetText(text) })
}

// hide closes the window (and stops a showAfter that has not fired); call
// it on the UI goroutine.
func (p *progressDialog) hide() {
	p.done.Store(true)
	p.d.Hide()
}
