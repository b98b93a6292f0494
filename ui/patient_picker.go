package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// PatientPicker finds a patient as you type: a search box, a line saying
// what was found, and a table of the matches. "New patient" opens a small
// form in its place that adds a patient with the store's duplicate checks.
// The Patients screen, New referral, Social prescription and the diary's
// booking panel all find their patient with it.
//
// Keyboard: Enter in the search box picks the one match; of several, the
// table takes the focus at the first row, and Enter there (or Space) picks
// the highlighted row. Down in the search box moves to the matches, Up and
// Down move through them, Up from the first goes back to the search. Enter
// in the small form saves it.
type PatientPicker struct {
	// OnChosen gets the patient picked in the table or just added.
	OnChosen func(data.Patient)
	// OnNew, when set, is what "New patient" does instead of the small
	// form (the Patients screen has a full form of its own).
	OnNew func()
	// OnEscape is what Escape does in the picker's boxes: the screen's.
	OnEscape func()
	// Relayout, when set, lays the screen out again after the picker showed
	// or hid a part.
	Relayout func()
	// EnterPicksFirst makes Enter in the search pick the first of several
	// matches at once, rather than moving to the table.
	EnterPicksFirst bool

	app     *App
	limit   int
	results []data.Patient
	shown   string       // the search whose results are on show
	keepID  int64        // the patient to select once results come (KeepQuery)
	seq     atomic.Int64 // the latest search; older results are dropped

	search    *keyEntry
	status    *widget.Label
	table     *resultTable
	newButton *widget.Button
	finder    *fyne.Container

	// The small form that adds a patient in place.
	nhs, given, family, dob, phone *keyEntry
	fields                         fields
	message                        *widget.Label
	save, useExisting, back        *widget.Button
	existing                       data.Patient // the record a duplicate NHS number belongs to
	adder                          *fyne.Container

	content *fyne.Container
}

// Columns of the matches: all four on the Patients screen, three where the
// picker shares a narrow column with a form.
var (
	patientColumns      = []column{{"Name", 185}, {"NHS number", 115}, {"Date of birth", 110}, {"Postcode", 85}}
	shortPatientColumns = []column{{"Name", 130}, {"NHS number", 110}, {"Born", 100}}
)

// pickerLimit caps the matches where the picker shares a screen with a
// form: type more to narrow.
const pickerLimit = 50

// NewPatientPicker builds a picker showing up to limit matches in the
// given columns (patientColumns or shortPatientColumns).
func NewPatientPicker(a *App, limit int, columns []column) *PatientPicker {
	p := &PatientPicker{app: a, limit: limit}

	p.search = p.entry(nil)
	p.search.SetPlaceHolder("Name, NHS number or date of birth")
	p.search.OnChanged = func(string) { p.searchSoon() }
	p.search.OnSubmitted = func(string) { p.SearchNow() }
	p.search.onDown = p.toResults
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.newButton = widget.NewButtonWithIcon("New patient", theme.ContentAddIcon(), func() {
		if p.OnNew != nil {
			p.OnNew()
		} else {
			p.AddNew()
		}
	})
	p.table = newResultTable(p, columns)
	p.table.onTop = p.Focus
	p.finder = container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, p.newButton, p.search), p.status),
		nil, nil, nil, listRoom(focusMarked(p.table), 200))

	p.buildAdder()
	p.content = container.NewStack(p.finder, p.adder)
	p.showEmpty()
	return p
}

// entry is a box whose Enter and Ctrl+S do onSave (nil: the screen's
// Ctrl+S), whose Escape is the screen's, and which passes the screen's
// other shortcuts on.
func (p *PatientPicker) entry(onSave func()) *keyEntry {
	e := newKeyEntry(false, onSave, func() {
		if p.OnEscape != nil {
			p.OnEscape()
		}
	})
	e.app = p.app
	if onSave != nil {
		e.OnSubmitted = func(string) { onSave() }
	}
	return e
}

func (p *PatientPicker) buildAdder() {
	p.nhs = p.entry(p.SaveNew)
	p.nhs.SetPlaceHolder("Optional for self-referrals")
	p.given = p.entry(p.SaveNew)
	p.family = p.entry(p.SaveNew)
	p.dob = p.entry(p.SaveNew)
	p.dob.SetPlaceHolder("DD/MM/YYYY")
	p.phone = p.entry(p.SaveNew)
	p.fields = fields{
		newField("NHSNumber", "NHS number", p.nhs),
		newField("GivenName", "Given name", p.given),
		newField("FamilyName", "Family name", p.family),
		newField("DateOfBirth", "Date of birth", p.dob),
		newField("Phone", "Phone", p.phone),
	}
	p.message = errorLabel()
	p.save = widget.NewButtonWithIcon("Save patient", theme.DocumentSaveIcon(), p.SaveNew)
	p.useExisting = widget.NewButton("Use that patient", func() { p.Choose(p.existing) })
	p.useExisting.Hide()
	p.back = widget.NewButton("Back to search", p.showFinder)
	p.adder = container.NewVBox(
		widget.NewLabelWithStyle("New patient (more details on the Patients screen)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(p.fields.formItems()...), p.message,
		container.NewHBox(p.save, p.useExisting, p.back))
	p.adder.Hide()
}

// Content is the picker's root object, for the screen to lay out.
func (p *PatientPicker) Content() fyne.CanvasObject { return p.content }

// Focus puts the keyboard in the search box.
func (p *PatientPicker) Focus() { focus(p.app.win, p.search) }

// WithoutAdding takes "New patient" away, for a screen that works only
// with patients already registered.
func (p *PatientPicker) WithoutAdding() { p.newButton.Hide() }

// SetQuery types text into the search box: the matches follow as they do
// for typing.
func (p *PatientPicker) SetQuery(text string) { p.search.SetText(text) }

// Results are the patients the last search found.
func (p *PatientPicker) Results() []data.Patient { return p.results }

// Typed is everything typed into the picker, for a screen to tell whether
// anything would be lost.
func (p *PatientPicker) Typed() string {
	var b strings.Builder
	for _, e := range []*keyEntry{p.search, p.nhs, p.given, p.family, p.dob, p.phone} {
		b.WriteString(e.Text + "\x00")
	}
	return b.String()
}

// Clear empties the search and the small form and shows the search.
func (p *PatientPicker) Clear() {
	p.search.SetText("")
	p.showResults("", nil, nil)
	p.seq.Add(1) // the search SetText started is not wanted
	for _, e := range []*keyEntry{p.nhs, p.given, p.family, p.dob, p.phone} {
		e.SetText("")
	}
	p.fields.clearErrors()
	setError(p.message, "")
	p.useExisting.Hide()
	p.adder.Hide()
	p.finder.Show()
	p.relayout()
}

// Choose picks a patient, as clicking their row does.
func (p *PatientPicker) Choose(patient data.Patient) {
	if p.OnChosen != nil {
		p.OnChosen(patient)
	}
}

// searchSoon searches shortly after the typing stops, off the UI
// goroutine, so typing never waits on the database.
func (p *PatientPicker) searchSoon() {
	n := p.seq.Add(1)
	query := p.search.Text
	store, sess := p.app.store, p.app.session
	background(p.app.win, 150*time.Millisecond, func() func() {
		if p.seq.Load() != n {
			return nil // typed again
		}
		found, err := store.SearchPatients(context.Background(), sess, query, p.limit)
		return func() {
			if p.seq.Load() == n {
				p.showResults(query, found, err)
			}
		}
	})
}

// SearchNow searches at once (Enter in the search box) and picks the one
// match, or the first with EnterPicksFirst; of several, the table takes
// the focus for Enter to pick the highlighted row.
func (p *PatientPicker) SearchNow() {
	p.seq.Add(1) // a search still waiting is dropped
	found, err := p.app.store.SearchPatients(context.Background(), p.app.session, p.search.Text, p.limit)
	p.showResults(p.search.Text, found, err)
	switch {
	case err != nil || len(found) == 0:
	case len(found) == 1 || p.EnterPicksFirst:
		p.table.Select(widget.TableCellID{Row: 0}) // picks them
	default:
		focus(p.app.win, p.table)
	}
}

func (p *PatientPicker) showResults(query string, found []data.Patient, err error) {
	p.listResults(query, found, err)
	p.table.highlightFirst()
	p.table.ScrollToTop()
	if p.keepID != 0 && query != "" {
		p.selectQuietly(p.keepID)
		p.keepID = 0
	}
}

// Refresh searches again for the matches on show, when another desk has
// added or changed a patient (ui/live.go), and shows them without moving
// the highlight or the scroll. A search being typed is left alone: it
// brings fresh matches of its own. Like any search it is in the audit:
// the matches may now show a patient the user has not seen.
func (p *PatientPicker) Refresh() {
	if strings.TrimSpace(p.shown) == "" || p.search.Text != p.shown {
		return
	}
	found, err := p.app.store.SearchPatients(context.Background(), p.app.session, p.shown, p.limit)
	p.listResults(p.shown, found, err)
}

// listResults puts the matches in the table and says how many there are.
func (p *PatientPicker) listResults(query string, found []data.Patient, err error) {
	p.results, p.shown = found, query
	p.table.Refresh()
	switch {
	case err != nil:
		p.status.SetText("The search failed: " + err.Error())
	case strings.TrimSpace(query) == "":
		p.showEmpty()
	case len(found) == 0 && p.newButton.Visible():
		p.status.SetText(fmt.Sprintf("No patient matches “%s”: check the spelling, or add a new patient.", query))
	case len(found) == 0:
		p.status.SetText(fmt.Sprintf("No patient matches “%s”: check the spelling, or add them on the Patients screen.", query))
	case len(found) >= p.limit:
		p.status.SetText(fmt.Sprintf("The first %d are shown: type more to narrow the search.", p.limit))
	case len(found) == 1:
		p.status.SetText("1 patient found: Enter picks them.")
	case p.EnterPicksFirst:
		p.status.SetText(fmt.Sprintf("%d patients found: Enter picks the first, or choose one below.", len(found)))
	default:
		p.status.SetText(fmt.Sprintf("%d patients found: choose one below (Enter moves to them).", len(found)))
	}
}

func (p *PatientPicker) showEmpty() {
	p.status.SetText("Type a name, NHS number or date of birth (DD/MM/YYYY); Enter picks the patient.")
}

// Show puts a record among the matches, in place of its old row or else
// first: one just saved, or opened from elsewhere.
func (p *PatientPicker) Show(patient data.Patient) {
	for i := range p.results {
		if p.results[i].ID == patient.ID {
			p.results[i] = patient
			p.table.Refresh()
			return
		}
	}
	p.results = append([]data.Patient{patient}, p.results...)
	p.status.SetText("Showing " + patient.FullName() + " first.")
	p.table.Refresh()
}

// toResults moves from the search box to the matches (Down), searching
// at once if what is typed has not been searched yet.
func (p *PatientPicker) toResults() {
	if p.search.Text != p.shown {
		p.seq.Add(1) // a search still waiting is dropped
		found, err := p.app.store.SearchPatients(context.Background(), p.app.session, p.search.Text, p.limit)
		p.showResults(p.search.Text, found, err)
	}
	if len(p.results) > 0 {
		focus(p.app.win, p.table)
	}
}

// KeepQuery types a search back in, as it was when the screen was left,
// and selects the patient chosen then (0: none) among its results without
// choosing them again.
func (p *PatientPicker) KeepQuery(query string, patientID int64) {
	p.keepID = patientID
	p.search.SetText(query)
}

// Query is what is typed in the search box.
func (p *PatientPicker) Query() string { return p.search.Text }

// selectQuietly selects a patient's row, if shown, without choosing them.
func (p *PatientPicker) selectQuietly(id int64) {
	for i, r := range p.results {
		if r.ID == id {
			picked := p.table.OnSelected
			p.table.OnSelected = nil
			p.table.Select(widget.TableCellID{Row: i})
			p.table.OnSelected = picked
			return
		}
	}
}

// AddNew opens the small form in place of the search, starting from a
// name typed in the search; what was typed in the form before stays.
func (p *PatientPicker) AddNew() {
	if p.given.Text == "" && p.family.Text == "" {
		given, family := nameFromSearch(p.search.Text)
		p.given.SetText(given)
		p.family.SetText(family)
	}
	p.finder.Hide()
	p.adder.Show()
	p.relayout()
	focus(p.app.win, p.nhs)
}

// nameFromSearch reads a name typed in the search: "Zofia Nowak" or
// "Nowak, Zofia", or a family name alone. Digits are an NHS number or a
// date, not a name.
func nameFromSearch(q string) (given, family string) {
	q = strings.TrimSpace(q)
	if q == "" || strings.ContainsAny(q, "0123456789") {
		return "", ""
	}
	if f, g, ok := strings.Cut(q, ","); ok {
		return strings.TrimSpace(g), strings.TrimSpace(f)
	}
	words := strings.Fields(q)
	if len(words) == 1 {
		return "", words[0]
	}
	return words[0], strings.Join(words[1:], " ")
}

func (p *PatientPicker) showFinder() {
	p.adder.Hide()
	p.finder.Show()
	p.relayout()
	p.Focus()
}

// SaveNew adds the patient typed in the small form and picks them. A
// duplicate NHS number is refused with "Use that patient" for the record
// already registered; the same name and date of birth asks first.
func (p *PatientPicker) SaveNew() {
	setError(p.message, "")
	p.useExisting.Hide()
	in := data.Patient{NHSNumber: p.nhs.Text, GivenName: p.given.Text, FamilyName: p.family.Text,
		DateOfBirth: p.dob.Text, Phone: p.phone.Text, Sex: data.SexUnknown, PreferredContact: data.ContactPhone}
	savePatientChecked(p.app, p.fields, in,
		func(saved data.Patient) {
			p.Clear()
			p.Show(saved)
			p.Choose(saved)
		},
		func(dup *data.DuplicateNHSNumberError) {
			p.existing = dup.Existing
			p.useExisting.Show()
			focus(p.app.win, p.useExisting)
			p.relayout()
		},
		func(msg string) {
			setError(p.message, msg)
			p.relayout()
		})
	p.relayout()
}

func (p *PatientPicker) relayout() {
	if p.Relayout != nil {
		p.Relayout()
	}
}

// savePatientChecked saves a patient typed into fs with the store's
// duplicate checks, the same wherever a patient is added or edited:
//   - saved gets the record as stored;
//   - a duplicate NHS number is the same person: the NHS number's error
//     line names the record already registered, and duplicate gets it;
//   - the same name and date of birth may be another person: it asks, and
//     on Yes saves anyway (saved or failed follow then);
//   - any other problem is marked beside its field, with the focus on the
//     first, and failed gets a line to show.
func savePatientChecked(a *App, fs fields, in data.Patient, saved func(data.Patient),
	duplicate func(*data.DuplicateNHSNumberError), failed func(msg string)) {
	var save func(opt data.SaveOptions)
	save = func(opt data.SaveOptions) {
		fs.clearErrors()
		out, err := a.store.SavePatient(context.Background(), a.session, in, opt)
		var dup *data.DuplicateNHSNumberError
		var similar *data.SimilarPatientsError
		switch {
		case err == nil:
			saved(out)
		case errors.As(err, &dup):
			for _, f := range fs {
				if f.name == "NHSNumber" {
					setError(f.err, "Already registered: "+dup.Existing.FullName()+", born "+data.FormatUKDate(dup.Existing.DateOfBirth)+".")
				}
			}
			duplicate(dup)
		case errors.As(err, &similar):
			// No is the default: Enter must not add a duplicate record.
			askYesNo(a.win, "Possible duplicate",
				"A patient with the same name and date of birth is already registered:\n\n"+similarList(similar.Matches)+
					"\nIs this a different person? Choose Yes to add a new record anyway.", false,
				func(ok bool) {
					if ok {
						save(data.SaveOptions{AcceptSimilar: true})
					}
				})
		case fs.showErrors(err):
			if f := fs.firstError(); f != nil {
				focus(a.win, f.input)
			}
			failed("Please correct the fields marked in red; nothing has been saved yet.")
		default:
			failed("The patient could not be saved: " + err.Error())
		}
	}
	save(data.SaveOptions{})
}

// similarList lists patients one a line, with what tells them apart.
func similarList(ps []data.Patient) string {
	out := ""
	for _, p := range ps {
		line := "• " + p.FullName() + ", born " + data.FormatUKDate(p.DateOfBirth)
		if p.NHSNumber != "" {
			line += ", NHS " + data.FormatNHSNumber(p.NHSNumber)
		}
		if p.Postcode != "" {
			line += ", " + p.Postcode
		}
		out += line + "\n"
	}
	return out
}

// patientCell is one cell of the matches, in patientColumns' order.
func patientCell(p data.Patient, col int) string {
	switch col {
	case 0:
		return p.FamilyName + ", " + p.GivenName
	case 1:
		if p.NHSNumber == "" {
			return "—"
		}
		return data.FormatNHSNumber(p.NHSNumber)
	case 2:
		return data.FormatUKDate(p.DateOfBirth)
	case 3:
		return p.Postcode
	}
	return ""
}

// resultTable is a table of matches (patients here, services in the
// directory). Enter picks the highlighted row as Space does, so the key
// that searched also picks; Up from the first row calls onTop (back to the
// search box).
type resultTable struct {
	widget.Table
	onTop   func()
	onSized func() // after each Resize
}

// Resize implements fyne.Widget; a list put back where it was scrolls
// there once it has a size.
func (t *resultTable) Resize(size fyne.Size) {
	t.Table.Resize(size)
	if t.onSized != nil {
		t.onSized()
	}
}

func newResultTable(p *PatientPicker, columns []column) *resultTable {
	t := &resultTable{}
	t.Length = func() (int, int) { return len(p.results), len(columns) }
	t.CreateCell = cellLabel
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < len(p.results) {
			o.(*widget.Label).SetText(patientCell(p.results[id.Row], id.Col))
		}
	}
	t.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(p.results) {
			p.Choose(p.results[id.Row])
		}
	}
	t.ExtendBaseWidget(t)
	setColumns(&t.Table, columns)
	return t
}

// TypedKey picks the highlighted row on Enter, and leaves by Up from the
// first row.
func (t *resultTable) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		e = &fyne.KeyEvent{Name: fyne.KeySpace}
	case fyne.KeyUp:
		// The highlight is the table's own: it moved if the table said so.
		moved := false
		on := t.OnHighlighted
		t.OnHighlighted = func(widget.TableCellID) { moved = true }
		t.Table.TypedKey(e)
		t.OnHighlighted = on
		if !moved && t.onTop != nil {
			t.onTop()
		}
		return
	}
	t.Table.TypedKey(e)
}

// highlightFirst moves the keyboard highlight to the first row and clears
// the selection, for new matches. Fyne moves the highlight only with a
// selection, so it selects the row without picking it.
func (t *resultTable) highlightFirst() {
	picked := t.OnSelected
	t.OnSelected = nil
	t.Select(widget.TableCellID{})
	t.OnSelected = picked
	t.UnselectAll()
}
