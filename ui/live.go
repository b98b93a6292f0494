package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// Live screens (issue 14): while someone is signed in, the store's watcher
// (data.Store.Watch) reports what other desks change, and the screen on
// show that lists it — the diary, Today, the referrals list, a case
// record, the patients found — reads it again in place. They refresh
// their lists and labels, never a form being typed in, so nothing typed
// is lost. On the server edition the watcher also reports the server
// going and coming back, which shows and hides the banner at the top of
// the window.

// lostServerText is the banner's words while the server is away.
const lostServerText = "Lost connection to the server — retrying"

// newLostBanner is the banner, hidden until the server goes away.
func newLostBanner() *widget.Label {
	b := widget.NewLabelWithStyle(lostServerText, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	b.Importance = widget.WarningImportance
	b.Hide()
	return b
}

// startLive subscribes to the store's changes for this session. The
// watcher's reports reach the UI goroutine through fyne.Do (or a test's
// queue). A window drawn in memory without a queue has no UI goroutine to
// hand them to, so there the screens are not live (tests that do not ask).
func (a *App) startLive() {
	a.stopLive()
	if runsAtOnce(a.win) {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.liveStop = cancel
	changes := a.store.Watch(ctx)
	queue := queueOf(a.win)
	go func() {
		for c := range changes {
			apply := func() {
				if ctx.Err() == nil { // signed out meanwhile
					a.applyChange(c)
				}
			}
			if queue != nil {
				select {
				case queue <- apply:
				case <-ctx.Done():
					return
				}
			} else {
				fyne.Do(apply)
			}
		}
	}()
}

// stopLive ends the subscription (sign-out, sign-in as someone else).
func (a *App) stopLive() {
	if a.liveStop != nil {
		a.liveStop()
		a.liveStop = nil
	}
	a.livePending = false
}

// applyChange shows one report from the watcher, on the UI goroutine.
func (a *App) applyChange(c data.Change) {
	if a.session == nil {
		return
	}
	if a.lostBanner != nil {
		switch {
		case c.Lost:
			a.lostBanner.Show()
		case c.Restored:
			a.lostBanner.Hide()
		}
	}
	// Back from a lost connection, the screen reads itself again even
	// with nothing changed: what it read while away failed.
	if len(c.Entities) == 0 && !c.Restored {
		return
	}
	if a.lock != nil {
		// Nobody is looking: read the screen again when they are back.
		a.livePending = true
		return
	}
	if a.current == "Patients" && !c.Has("patient") && !c.Restored {
		return // a search again would be audited for nothing new
	}
	a.refreshLive()
}

// refreshLive reads the screen on show again, if it is one that lists what
// other desks change. Each reload keeps the screen's filters, selection,
// day and scroll; none touches an Entry.
func (a *App) refreshLive() {
	a.livePending = false
	switch {
	case a.current == "Today" && a.today != nil:
		a.today.Reload()
	case a.current == "Diary" && a.diary != nil:
		a.diary.refreshInPlace()
	case a.current == "Referrals" && a.referrals != nil:
		a.referrals.reloadKeeping()
	case a.current == "Patients" && a.patients != nil:
		a.patients.picker.Refresh()
	case a.current == "Case record" && a.caseRecord != nil:
		a.caseRecord.Refresh() // not another opening: no "view" in the audit
	case a.current == "Referral" && a.referralView != nil:
		a.referralView.Refresh() // reception's: the patient is not read again
	}
}
