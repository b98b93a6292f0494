package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// pickerWorld is a patient picker alone on a window, over a real store
// with a few patients, signed in as the administrator.
type pickerWorld struct {
	p        *PatientPicker
	store    *data.Store
	w        fyne.Window
	patients []data.Patient
	chosen   []data.Patient // what OnChosen got, in order
}

func newPickerWorld(t *testing.T, names ...string) *pickerWorld {
	t.Helper()
	a, store, w := newTestApp(t)
	setUpStore(t, store)
	a.session = sessionFor(t, store, data.OpEditPatient)
	a.user = a.session.User()
	pw := &pickerWorld{store: store, w: w}
	for i, name := range names {
		given, family, _ := strings.Cut(name, " ")
		p, err := store.SavePatient(context.Background(), sessionFor(t, store, data.OpEditPatient), data.Patient{NHSNumber: testNHSNumber(t, i), GivenName: given,
			FamilyName: family, DateOfBirth: "01/03/1960", Phone: "07700 900123"}, data.SaveOptions{AcceptSimilar: true})
		if err != nil {
			t.Fatal(err)
		}
		pw.patients = append(pw.patients, p)
	}
	pw.p = NewPatientPicker(a, pickerLimit, shortPatientColumns)
	pw.p.OnChosen = func(p data.Patient) { pw.chosen = append(pw.chosen, p) }
	w.SetContent(pw.p.Content())
	pw.p.Focus()
	return pw
}

// last is the patient chosen last (ID 0: none yet).
func (pw *pickerWorld) last() data.Patient {
	if len(pw.chosen) == 0 {
		return data.Patient{}
	}
	return pw.chosen[len(pw.chosen)-1]
}

func (pw *pickerWorld) count(t *testing.T) int {
	t.Helper()
	n, err := pw.store.CountPatients(context.Background(), sessionFor(t, pw.store, data.OpViewPatient))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// tapDialogButton presses the button labelled text in the dialog on top.
func tapDialogButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog to press %q in", text)
	}
	b := findButton(top, text)
	if b == nil {
		t.Fatalf("the dialog has no %q button", text)
	}
	test.Tap(b)
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *dialogButton:
		if x.Text == text {
			return &x.Button
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// Typing finds; Enter picks the one match, or moves to the table where
// the arrows and Enter pick; with EnterPicksFirst, Enter takes the first.
func TestPatientPickerFindsAndPicksByKeyboard(t *testing.T) {
	pw := newPickerWorld(t, "Mark Wilson", "Mary Wilson", "Ada Lovelace")
	p, c := pw.p, pw.w.Canvas()
	mark, mary := pw.patients[0], pw.patients[1]

	typeFocused(c, "wils")
	if len(p.Results()) != 2 || !strings.HasPrefix(p.status.Text, "2 patients found") {
		t.Fatalf("typing found %d: %q", len(p.Results()), p.status.Text)
	}
	p.search.TypedKey(enter())
	if len(pw.chosen) != 0 || c.Focused() != p.table {
		t.Fatalf("Enter with two matches chose %v, focus on %T", pw.chosen, c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	c.Focused().TypedKey(enter())
	if pw.last().ID != mary.ID {
		t.Fatalf("Down, Enter chose %+v, want Mary", pw.last())
	}

	// One match: Enter picks it at once.
	p.SetQuery(data.FormatNHSNumber(mark.NHSNumber))
	p.search.TypedKey(enter())
	if pw.last().ID != mark.ID {
		t.Errorf("Enter on an NHS number chose %+v", pw.last())
	}

	// As the referral form has it: Enter takes the first of several.
	p.EnterPicksFirst = true
	p.SetQuery("wilson")
	p.search.TypedKey(enter())
	if pw.last().ID != mark.ID || len(pw.chosen) != 3 {
		t.Errorf("Enter with EnterPicksFirst chose %+v", pw.last())
	}

	// No match says what to do next: add here, or where adding is not
	// offered, on the Patients screen.
	p.SetQuery("Nobody")
	if len(p.Results()) != 0 || !strings.Contains(p.status.Text, "add a new patient") {
		t.Errorf("no match: %q", p.status.Text)
	}
	p.WithoutAdding()
	p.SetQuery("Nobodyelse")
	if !strings.Contains(p.status.Text, "Patients screen") {
		t.Errorf("no match without adding: %q", p.status.Text)
	}

	// Clicking a row picks it, as Choose does.
	p.SetQuery("lovelace")
	p.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if pw.last().ID != pw.patients[2].ID {
		t.Errorf("clicking the row chose %+v", pw.last())
	}
}

// While the user types, a search that an older keystroke started never
// replaces the results of a newer one.
func TestPatientPickerSearchesOffTheUIGoroutine(t *testing.T) {
	pw := newPickerWorld(t, "Mark Wilson", "Mary Wilson")
	p := pw.p
	q := make(uiQueue, 10000)
	p.app.win = queuedWindow{Window: pw.w, queue: q}
	p.SetQuery("wil")
	p.SetQuery("mary")
	if len(p.Results()) != 0 {
		t.Fatal("the search ran on the UI goroutine")
	}
	q.waitFor(t, func() bool { return len(p.Results()) == 1 })
	q.drain()
	if len(p.Results()) != 1 || p.Results()[0].ID != pw.patients[1].ID {
		t.Errorf("results %+v, want Mary alone", p.Results())
	}
}

// A patient added in place: the name typed in the search starts the
// form, mistakes are marked beside their fields, a duplicate NHS number is
// refused with a pointer to the record, and the same name and date of
// birth asks first.
func TestPatientPickerAddsInPlaceWithDuplicateChecks(t *testing.T) {
	pw := newPickerWorld(t, "Mary Wilson")
	p, c := pw.p, pw.w.Canvas()
	escaped := 0
	p.OnEscape = func() { escaped++ }

	typeFocused(c, "Zofia Nowak")
	test.Tap(p.newButton)
	if p.given.Text != "Zofia" || p.family.Text != "Nowak" || c.Focused() != p.nhs {
		t.Fatalf("name from the search: %q %q, focus on %T", p.given.Text, p.family.Text, c.Focused())
	}
	if p.finder.Visible() || !p.adder.Visible() {
		t.Error("the form does not stand in place of the search")
	}
	p.nhs.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if escaped != 1 {
		t.Error("Escape in the form did not reach the screen")
	}

	test.Type(p.nhs, "943 476 5919")
	test.Type(p.dob, "31/13/1950")
	test.Type(p.phone, "07700 900999")
	p.phone.TypedKey(enter()) // Enter saves
	if e := p.fields[3].err; !e.Visible() || len(pw.chosen) != 0 || pw.count(t) != 1 {
		t.Fatalf("a bad date of birth: %q (chosen %v)", e.Text, pw.chosen)
	}
	if c.Focused() != p.dob || p.given.Text != "Zofia" || p.phone.Text != "07700 900999" {
		t.Error("after a mistake the focus is not on it, or typing was lost")
	}
	p.dob.SetText("01/02/1950")
	p.SaveNew()
	zofia := pw.last()
	if zofia.ID == 0 || zofia.NHSNumber != "9434765919" || zofia.FullName() != "Zofia Nowak" {
		t.Fatalf("not chosen after saving: %+v (%q)", zofia, p.message.Text)
	}
	if got, err := pw.store.Patient(context.Background(), sessionFor(t, pw.store, data.OpViewPatient), zofia.ID); err != nil || got.DateOfBirth != "1950-02-01" || got.Phone == "" {
		t.Errorf("stored %+v %v", got, err)
	}
	if !p.finder.Visible() || p.adder.Visible() || p.nhs.Text != "" {
		t.Error("after saving, the search is not back or the form kept its typing")
	}

	// The same NHS number is the same person: refused, with the record.
	p.AddNew()
	test.Type(p.nhs, "9434765919")
	test.Type(p.given, "Zosia")
	test.Type(p.family, "Nowak")
	test.Type(p.dob, "01/02/1951")
	test.Type(p.phone, "07700 900998")
	test.Tap(p.save)
	if !p.useExisting.Visible() || !strings.Contains(p.fields[0].err.Text, "Zofia Nowak") || pw.count(t) != 2 {
		t.Fatalf("duplicate NHS number: %q", p.fields[0].err.Text)
	}
	test.Tap(p.useExisting)
	if pw.last().ID != zofia.ID {
		t.Errorf("Use that patient chose %+v", pw.last())
	}

	// The same name and date of birth may be another person: asked first.
	p.Clear()
	p.AddNew()
	test.Type(p.given, "Zofia")
	test.Type(p.family, "Nowak")
	test.Type(p.dob, "01/02/1950")
	test.Type(p.phone, "07700 900997")
	chosen := len(pw.chosen)
	p.SaveNew()
	if pw.count(t) != 2 || len(pw.chosen) != chosen {
		t.Fatal("a possible duplicate was saved without asking")
	}
	tapDialogButton(t, pw.w, "Yes")
	twin := pw.last()
	if pw.count(t) != 3 || twin.ID == zofia.ID || twin.FullName() != "Zofia Nowak" {
		t.Errorf("Yes did not add the second Zofia Nowak: %+v", twin)
	}
}
