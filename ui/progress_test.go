package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// The progress window of a long job shows only once the wait has passed,
// not at all for a job done before then, and Cancel stops the job.
func TestProgressShowsAfterWaitWithCancel(t *testing.T) {
	a, _, _, q := newQueuedTestApp(t)
	stopped := false
	p := newProgress(a.win, "Exporting referrals", "Exporting…", func() { stopped = true })
	p.showAfter(20 * time.Millisecond)
	q.waitFor(t, func() bool { return len(a.win.Canvas().Overlays().List()) > 0 })
	test.Tap(p.cancel)
	if !stopped || p.status.Text != "Cancelling…" {
		t.Errorf("Cancel: stopped %v, %q", stopped, p.status.Text)
	}
	p.hide()
	if len(a.win.Canvas().Overlays().List()) != 0 {
		t.Error("the window stays after the job")
	}

	quick := newProgress(a.win, "Exporting referrals", "Exporting…", func() {})
	quick.showAfter(20 * time.Millisecond)
	quick.hide() // done before the wait
	time.Sleep(60 * time.Millisecond)
	q.drain()
	if len(a.win.Canvas().Overlays().List()) != 0 {
		t.Error("a quick job flashed its progress window")
	}
}
