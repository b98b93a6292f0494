package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// Every screen of every role fits the window at scale 1.0: its minimum is
// no taller than the window opens, and a 300-character family name (shown
// in the record, the referral form, the prescription and the case record)
// is cut with an ellipsis rather than widening the window past a 1366-pixel
// screen (issue 17: it made the window 4,124 pixels wide).
func TestScreensFitTheWindow(t *testing.T) {
	if WindowSize.Height > 768-40 || WindowSize.Width > 1366 {
		t.Fatalf("the window opens at %v: taller or wider than a 1366×768 screen with a taskbar", WindowSize)
	}
	eachScreen(t, func(a *App, who, screen string) {
		m := a.win.Content().MinSize()
		if m.Width > 1366 || m.Height > WindowSize.Height {
			t.Errorf("%s's %s needs %.0f×%.0f: more than a 1366-wide screen or the %0.f-high window",
				who, screen, m.Width, m.Height, WindowSize.Height)
		}
	})
}

// eachScreen signs in each role in turn and shows it every screen it may
// use, then the case record, with a patient whose family name is 300
// characters long chosen where a screen takes a patient; fn looks at each.
func eachScreen(t *testing.T, fn func(a *App, who, screen string)) {
	t.Helper()
	a, store, _ := newTestApp(t)
	fyne.CurrentApp().Settings().SetTheme(Theme{})
	setUpStore(t, store)
	ctx := context.Background()
	long := strings.Repeat("Ab", 150)
	p, err := store.SavePatient(ctx, sessionFor(t, store, data.OpEditPatient), data.Patient{GivenName: "Ann",
		FamilyName: long, DateOfBirth: "01/02/1980", Phone: "07700 900123"}, data.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lw := sessionFor(t, store, data.OpWriteCaseNotes)
	r, err := store.CreateReferral(ctx, sessionFor(t, store, data.OpRefer), data.Referral{PatientID: p.ID, Source: "gp",
		ReferrerName: "Dr X", Reasons: []string{"loneliness"}, ConsentBy: "Patient", ConsentOn: "2026-11-01",
		LinkWorkerID: lw.User().ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []data.Operation{data.OpWriteCaseNotes, data.OpViewReports, data.OpManageUsers, data.OpViewDiary, data.OpRefer} {
		sess := sessionFor(t, store, op)
		who := sess.User().Role.Label()
		a.SignedIn(sess)
		for _, pg := range pages() {
			if !a.mayShow(pg.name) {
				continue
			}
			a.Show(pg.name)
			switch pg.name {
			case "Patients":
				a.patients.Open(p)
			case "New referral":
				a.newReferral.ChoosePatient(p.ID)
			case "Prescription":
				a.rx.ChoosePatient(p.ID, r.ID)
			}
			fn(a, who, pg.name)
		}
		if a.mayShow("Referrals") {
			a.OpenCase(r.ID)
			fn(a, who, "case record")
		}
		a.ShowSignIn()
	}
}

// A name too long for the case record's heading is given whole in the
// facts under it, which wrap.
func TestCaseRecordGivesALongNameWhole(t *testing.T) {
	eachScreen(t, func(a *App, who, screen string) {
		if screen != "case record" || a.caseRecord == nil {
			return
		}
		name := a.caseRecord.record.Patient.FullName()
		if !strings.Contains(a.caseRecord.patientFacts.String(), name) {
			t.Errorf("%s's case record does not give the long name whole", who)
		}
	})
}

// At FYNE_SCALE=1.4 the same 1280×720-pixel window holds 1280/1.4 × 720/1.4
// device-independent units: every screen's minimum must fit in that, the
// rest scrolling (issue 17: Patients and Referrals grew past the screen),
// and laid out in that window no field, button or choice is squeezed below
// its own minimum (a screen wider than the window scrolls sideways whole).
func TestScreensFitTheWindowAtScale1_4(t *testing.T) {
	room := fyne.NewSize(WindowSize.Width/1.4, WindowSize.Height/1.4)
	eachScreen(t, func(a *App, who, screen string) {
		m := a.win.Content().MinSize()
		if m.Width > room.Width || m.Height > room.Height {
			t.Errorf("%s's %s needs %.0f×%.0f at scale 1.4: more than the window's %.0f×%.0f",
				who, screen, m.Width, m.Height, room.Width, room.Height)
		}
		// Lay the window out afresh at that size, as a real window does
		// when a screen is shown (the test driver does not by itself).
		a.win.Resize(room.AddWidthHeight(1, 1))
		a.win.Resize(room)
		// The screen, beside the navigation, must fit the width left to it:
		// the screen area scrolls, but sideways it hides buttons and
		// columns off the right edge.
		if besideNav := screenArea(a).Size().Width; a.body.MinSize().Width > besideNav+1 {
			t.Errorf("%s's %s needs %.0f wide at scale 1.4: more than the %.0f beside the navigation, so it scrolls sideways",
				who, screen, a.body.MinSize().Width, besideNav)
		}
		shown(a.win.Content(), func(o fyne.CanvasObject) {
			switch o.(type) {
			case *widget.Entry, *widget.Button, *widget.Select, *widget.Check:
			default:
				return
			}
			if o.Size().Width < o.MinSize().Width-1 {
				t.Errorf("%s's %s at scale 1.4: a %T is squeezed to %.0f wide, needing %.0f", who, screen, o, o.Size().Width, o.MinSize().Width)
			}
		})
	})
}

// screenArea is the scroll the screens are shown in, beside the
// navigation.
func screenArea(a *App) *container.Scroll {
	for _, o := range a.frame.(*fyne.Container).Objects {
		if s, ok := o.(*container.Scroll); ok {
			return s
		}
	}
	panic("the window has no screen area")
}

// shown calls fn for every object drawn under o, skipping hidden ones and
// all they hold.
func shown(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if !o.Visible() {
		return
	}
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			shown(ch, fn)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			shown(ch, fn)
		}
	}
}
