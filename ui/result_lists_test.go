package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"linkwell/data"
)

func down() *fyne.KeyEvent { return &fyne.KeyEvent{Name: fyne.KeyDown} }
func up() *fyne.KeyEvent   { return &fyne.KeyEvent{Name: fyne.KeyUp} }

// The patient picker: Down from the search box to the matches, Down to the
// second, Enter picks it; Up from the first goes back to the search.
func TestResultListPatientPicker(t *testing.T) {
	pw := newPickerWorld(t, "Mark Wilson", "Mary Wilson", "Ada Wilson")
	p, c := pw.p, pw.w.Canvas()
	typeFocused(c, "wilson")
	if len(p.Results()) != 3 {
		t.Fatalf("%d matches", len(p.Results()))
	}
	c.Focused().TypedKey(down())
	if c.Focused() != p.table {
		t.Fatalf("Down from the search went to %T", c.Focused())
	}
	c.Focused().TypedKey(up())
	if c.Focused() != p.search {
		t.Fatalf("Up from the first match went to %T", c.Focused())
	}
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(enter())
	if second := p.Results()[1]; pw.last().ID != second.ID {
		t.Errorf("Down, Down, Enter chose %q, want the second match %q", pw.last().FullName(), second.FullName())
	}
}

// Down straight after typing, before the search has come back (it runs
// once typing pauses): the search runs at once and Down moves into its
// matches, not the ones on show before.
func TestResultListPatientPickerDownBeforeTheSearch(t *testing.T) {
	a, store, w, q := newQueuedTestApp(t)
	setUpStore(t, store)
	a.session = sessionFor(t, store, data.OpEditPatient)
	a.user = a.session.User()
	var mary data.Patient
	for i, name := range []string{"Adam Wilby", "Mark Wilby", "Mary Wilson"} {
		given, family, _ := strings.Cut(name, " ")
		p, err := store.SavePatient(context.Background(), a.session, data.Patient{NHSNumber: testNHSNumber(t, i), GivenName: given,
			FamilyName: family, DateOfBirth: "01/03/1960", Phone: "07700 900123"}, data.SaveOptions{AcceptSimilar: true})
		if err != nil {
			t.Fatal(err)
		}
		if name == "Mary Wilson" {
			mary = p
		}
	}
	p := NewPatientPicker(a, pickerLimit, shortPatientColumns)
	var chosen data.Patient
	p.OnChosen = func(x data.Patient) { chosen = x }
	w.SetContent(p.Content())
	p.Focus()
	c := w.Canvas()
	typeFocused(c, "wil")
	q.waitFor(t, func() bool { return len(p.Results()) == 3 })
	typeFocused(c, "so") // "wilso": its search waits in the queue
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(enter())
	if chosen.ID != mary.ID {
		t.Errorf("Down then Enter chose %q, want Mary Wilson (%d matches on show)", chosen.FullName(), len(p.Results()))
	}
}

// Social prescription: Down from the service search to the results, Down
// to the second, Enter adds that one, not the first.
func TestResultListPrescriptionServices(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.signInAs(t, "linkworker1")
	p, _, _ := rxPatient(t, dw)
	dw.a.StartPrescription(p.ID, 0)
	s, c := dw.a.rx, dw.w.Canvas()
	var found []data.Service
	for _, q := range []string{"group", "club", "support", "advice", "walk", "a"} {
		focus(dw.w, s.serviceSearch)
		s.serviceSearch.SetText(q)
		if found = s.ServiceResults(); len(found) >= 2 {
			break
		}
	}
	if len(found) < 2 {
		t.Fatal("no search finds two services")
	}
	c.Focused().TypedKey(down())
	if c.Focused() != s.serviceList {
		t.Fatalf("Down from the service search went to %T", c.Focused())
	}
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(enter())
	if len(s.items) != 1 || s.items[0].service.ID != found[1].ID {
		t.Fatalf("Down, Enter added %d items, want %q", len(s.items), found[1].Name)
	}
	if c.Focused() != s.items[0].note {
		t.Errorf("after adding, the focus is on %T, not its note", c.Focused())
	}
	// Up from the first result goes back to the search.
	focus(dw.w, s.serviceSearch)
	s.serviceSearch.SetText(found[0].Name)
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(up())
	if c.Focused() != s.serviceSearch {
		t.Errorf("Up from the first service went to %T", c.Focused())
	}
}

// The directory: Down from the search box to the results, Down, Enter
// opens the second entry in the form.
func TestResultListDirectory(t *testing.T) {
	dw, s := openDirectory(t)
	c := dw.w.Canvas()
	if len(s.Results()) < 3 {
		t.Fatalf("%d services", len(s.Results()))
	}
	focus(dw.w, s.search)
	c.Focused().TypedKey(down())
	if c.Focused() != s.table {
		t.Fatalf("Down from the search went to %T", c.Focused())
	}
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(enter())
	if want := s.Results()[2]; s.loaded.ID != want.ID || s.name.Text != want.Name {
		t.Errorf("Down, Down, Enter opened %q, want %q", s.name.Text, want.Name)
	}
	c.Focused().TypedKey(up())
	c.Focused().TypedKey(up())
	c.Focused().TypedKey(up())
	if c.Focused() != s.search {
		t.Errorf("Up from the first service went to %T", c.Focused())
	}
}

// The referrals list: Down from the search box selects the first row, Down
// the next, Enter opens that one; Up from the first row goes back.
func TestResultListReferrals(t *testing.T) {
	dw := newDiaryWorld(t)
	dw.signInAs(t, "manager")
	dw.a.Show("Referrals")
	s, c := dw.a.referrals, dw.w.Canvas()
	if s.Count() < 3 {
		t.Fatalf("%d referrals", s.Count())
	}
	focus(dw.w, s.text)
	c.Focused().TypedKey(down())
	if c.Focused() != s.table {
		t.Fatalf("Down from the search went to %T", c.Focused())
	}
	first, _ := s.Row(0)
	if s.selected != first.ID {
		t.Fatalf("Down into the list selected %d, want the first row's %d", s.selected, first.ID)
	}
	c.Focused().TypedKey(up())
	if c.Focused() != s.text {
		t.Fatalf("Up from the first row went to %T", c.Focused())
	}
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(down())
	c.Focused().TypedKey(down())
	third, _ := s.Row(2)
	if s.selected != third.ID {
		t.Fatalf("Down, Down selected %d, want the third row's %d", s.selected, third.ID)
	}
	c.Focused().TypedKey(up())
	second, _ := s.Row(1)
	c.Focused().TypedKey(enter())
	if dw.a.Current() != "Case record" || dw.a.caseRecord.id != second.ID {
		t.Errorf("Up, Enter opened %q %d, want the case record of %d", dw.a.Current(), dw.a.caseRecord.id, second.ID)
	}
}
