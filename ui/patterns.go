package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// PatternsScreen lets a practice manager set each link worker's weekly
// sessions, record leave and practice closures, and change the usual length
// of each appointment type. Nothing here deletes an appointment: the ones a
// change leaves stranded are listed for reception to move.
type PatternsScreen struct {
	app *App

	workers  []data.User
	sites    []data.Site
	worker   *widget.Select
	workerID int64

	// The weekly pattern: the saved sessions, and the editor's rows.
	saved        []data.WorkSession
	savedTable   *widget.Table
	rows         []*sessionRow
	rowBox       *fyne.Container
	rowScroll    *container.Scroll
	addRow       *widget.Button
	validFrom    *keyEntry
	validFromErr *widget.Label
	save         *widget.Button
	patternMsg   *widget.Label
	outside      []data.Appointment // live appointments the last save left outside the pattern
	outsideList  *widget.List

	// Leave and closures.
	leave                     []data.Leave
	leaveTable                *widget.Table
	leaveSelected             int
	deleteLeave               *widget.Button
	firstDay, lastDay, reason *keyEntry
	closed                    *widget.Check
	leaveFields               fields
	addLeave                  *widget.Button
	leaveMsg                  *widget.Label
	covered                   []data.Appointment // live appointments the last leave covers
	coveredAll                bool               // a closure: the list names each worker
	coveredList               *widget.List

	// Appointment types and their usual lengths.
	types     []data.AppointmentType
	minutes   []*keyEntry
	minuteErr []*widget.Label
	typeGrid  *fyne.Container
	saveTypes *widget.Button
	typesMsg  *widget.Label

	tabs    *container.AppTabs
	content fyne.CanvasObject
}

// sessionRow is one editable session: day, start, end, site.
type sessionRow struct {
	weekday    *widget.Select
	start, end *keyEntry
	site       *widget.Select
	remove     *iconButton
	err        *widget.Label
	box        fyne.CanvasObject
}

// sessionColumns are the widths of the editor's columns; 0 takes the rest.
var sessionColumns = columnsLayout{130, 90, 90, 0, 44}

var savedColumns = []column{{"Day", 100}, {"Hours", 110}, {"Site", 150}, {"From", 100}, {"Until", 100}}

var leaveTableColumns = []column{{"First day", 100}, {"Last day", 100}, {"Who", 130}, {"Reason", 290}}

// NewPatternsScreen builds the screen for the first link worker.
func NewPatternsScreen(a *App) *PatternsScreen {
	s := &PatternsScreen{app: a, leaveSelected: -1}
	ctx := context.Background()
	var err error
	if s.workers, err = a.store.UsersWithRole(ctx, a.session, data.RoleLinkWorker); err != nil {
		a.showError(err)
	}
	if s.sites, err = a.store.Sites(ctx, a.session); err != nil {
		a.showError(err)
	}
	var names []string
	for _, w := range s.workers {
		names = append(names, s.workerLabel(w))
	}
	s.worker = widget.NewSelect(names, func(string) { s.chooseWorker() })
	s.worker.PlaceHolder = "(choose a link worker)"

	s.tabs = container.NewAppTabs(
		container.NewTabItem("Weekly sessions", s.buildPattern()),
		container.NewTabItem("Leave and closures", s.buildLeave()),
		container.NewTabItem("Appointment lengths", s.buildTypes()),
	)
	top := container.NewHBox(heading("Working patterns"), widget.NewLabel("   Link worker"),
		container.NewGridWrap(fyne.NewSize(320, s.worker.MinSize().Height), s.worker))
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, s.tabs))

	s.loadTypes()
	if len(names) > 0 {
		s.worker.SetSelected(names[0]) // loads the worker
	} else {
		s.patternMsg.SetText("There are no link workers yet. An administrator adds them on the Staff screen.")
	}
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}, s.saveCurrentTab)
	return s
}

// Content is the screen's root object.
func (s *PatternsScreen) Content() fyne.CanvasObject { return s.content }

// workerLabel is the worker's name, with the username when two share it.
func (s *PatternsScreen) workerLabel(w data.User) string {
	for _, o := range s.workers {
		if o.ID != w.ID && strings.EqualFold(o.FullName, w.FullName) {
			return w.FullName + " (" + w.Username + ")"
		}
	}
	return w.FullName
}

func (s *PatternsScreen) chooseWorker() {
	s.workerID = 0
	for _, w := range s.workers {
		if s.workerLabel(w) == s.worker.Selected {
			s.workerID = w.ID
		}
	}
	s.outside, s.covered = nil, nil
	s.outsideList.Refresh()
	s.coveredList.Refresh()
	setError(s.validFromErr, "")
	s.patternMsg.SetText("")
	s.leaveMsg.SetText("")
	s.validFrom.SetText(s.app.store.Now().Format("02/01/2006"))
	s.loadPattern(true)
	s.loadLeave()
	// Empty states say what to do next.
	if len(s.saved) == 0 && s.workerID != 0 {
		s.patternMsg.SetText(s.worker.Selected + " has no sessions yet: add them with Add session, then Save pattern.")
	}
	if len(s.leave) == 0 && s.workerID != 0 {
		s.leaveMsg.SetText("No leave or practice closures from today. Add them with the form above.")
	}
}

// saveCurrentTab is Ctrl+S: save what the visible tab edits.
func (s *PatternsScreen) saveCurrentTab() {
	switch s.tabs.SelectedIndex() {
	case 0:
		s.SavePattern()
	case 1:
		s.AddLeave()
	case 2:
		s.SaveTypes()
	}
}

// ---------------------------------------------------------------------------
// Weekly sessions.

func (s *PatternsScreen) buildPattern() fyne.CanvasObject {
	s.rowBox = container.NewVBox()
	s.addRow = widget.NewButtonWithIcon("Add session", theme.ContentAddIcon(), func() {
		r := s.newRow(data.WorkSession{})
		s.rowBox.Add(r.box)
		focus(s.app.win, r.start)
	})
	s.validFrom = s.app.newEntry()
	s.validFrom.SetPlaceHolder("DD/MM/YYYY")
	s.validFrom.OnSubmitted = func(string) { s.SavePattern() }
	s.validFromErr = errorLabel()
	s.save = widget.NewButtonWithIcon("Save pattern", theme.DocumentSaveIcon(), s.SavePattern)
	s.save.Importance = widget.HighImportance
	s.patternMsg = widget.NewLabel("")
	s.patternMsg.Wrapping = fyne.TextWrapWord

	header := container.New(sessionColumns, columnTitle("Day"), columnTitle("Start"), columnTitle("End"), columnTitle("Site"), widget.NewLabel(""))
	// The row wraps in a narrow window (scale 1.4, issue 17).
	bottom := newFlow(spareBeforeLast, s.addRow, container.NewHBox(widget.NewLabel("New pattern starts on"),
		container.NewGridWrap(fyne.NewSize(130, s.validFrom.MinSize().Height), s.validFrom), s.save))
	s.rowScroll = container.NewVScroll(s.rowBox)
	editor := container.NewBorder(
		container.NewVBox(
			widget.NewLabelWithStyle("Edit the pattern: one row per session, 24-hour times", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			header),
		container.NewVBox(widget.NewSeparator(), bottom, s.validFromErr),
		nil, nil,
		s.rowScroll)

	s.savedTable = widget.NewTable(
		func() (int, int) { return len(s.saved), len(savedColumns) },
		cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(s.saved) {
				o.(*widget.Label).SetText(savedCell(s.saved[id.Row], id.Col))
			}
		})
	setColumns(s.savedTable, savedColumns)
	s.outsideList = widget.NewList(
		func() int { return len(s.outside) },
		cellLabel,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(s.outside) {
				o.(*widget.Label).SetText(movedAppointmentLine(s.outside[id], false))
			}
		})
	savedTitle := widget.NewLabelWithStyle("Saved sessions (today and later)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	savedTitle.Wrapping = fyne.TextWrapWord // narrows this side at scale 1.4 (issue 17)
	saved := container.NewBorder(savedTitle, nil, nil, nil, focusMarked(s.savedTable))
	outside := container.NewBorder(s.patternMsg, nil, nil, nil, s.outsideList)
	split := container.NewHSplit(container.NewPadded(editor), container.NewPadded(container.NewGridWithRows(2, saved, outside)))
	split.Offset = 0.5
	return split
}

// loadPattern reads the worker's sessions; with refill the editor's rows
// are replaced by the latest (open-ended) pattern.
func (s *PatternsScreen) loadPattern(refill bool) {
	s.saved = nil
	if s.workerID != 0 {
		var err error
		if s.saved, err = s.app.store.WorkSessions(context.Background(), s.app.session, s.workerID); err != nil {
			s.patternMsg.SetText("The sessions could not be read: " + err.Error())
		}
	}
	s.savedTable.Refresh()
	if !refill {
		return
	}
	s.rows = nil
	s.rowBox.RemoveAll()
	for _, w := range s.saved {
		if w.ValidTo == "" {
			s.rowBox.Add(s.newRow(w).box)
		}
	}
	s.rowBox.Refresh()
}

func (s *PatternsScreen) newRow(w data.WorkSession) *sessionRow {
	r := &sessionRow{err: errorLabel()}
	var days []string
	for d := 1; d <= 7; d++ {
		days = append(days, data.WeekdayLabel(d))
	}
	r.weekday = widget.NewSelect(days, nil)
	r.weekday.PlaceHolder = "(day)"
	r.start, r.end = s.app.newEntry(), s.app.newEntry()
	r.start.SetPlaceHolder("HH:MM")
	r.end.SetPlaceHolder("HH:MM")
	r.site = widget.NewSelect(s.siteNames(), nil)
	r.site.PlaceHolder = "(site)"
	if w.Weekday != 0 {
		r.weekday.SetSelected(data.WeekdayLabel(w.Weekday))
		r.start.SetText(data.FormatMinutes(w.Start))
		r.end.SetText(data.FormatMinutes(w.End))
	}
	if w.SiteName != "" {
		r.site.SetSelected(w.SiteName)
	}
	for _, e := range []*keyEntry{r.start, r.end} {
		e.OnSubmitted = func(string) { s.SavePattern() }
	}
	r.remove = newIconButton("Remove this session", theme.DeleteIcon(), func() { s.RemoveRow(r) })
	r.box = container.NewVBox(container.New(sessionColumns, r.weekday, r.start, r.end, r.site, r.remove), r.err)
	s.rows = append(s.rows, r)
	return r
}

// RemoveRow takes a session out of the editor (saved only on Save).
func (s *PatternsScreen) RemoveRow(r *sessionRow) {
	for i, x := range s.rows {
		if x == r {
			s.rows = append(s.rows[:i], s.rows[i+1:]...)
			break
		}
	}
	s.rowBox.Remove(r.box)
}

func (s *PatternsScreen) siteNames() []string {
	var out []string
	for _, x := range s.sites {
		out = append(out, x.Name)
	}
	return out
}

// parseSessionTime reads "09:30", "9:30", "9.30" or "0930" as minutes after
// midnight, or -1; the store says what is wrong with a bad time.
func parseSessionTime(text string) int {
	t := strings.TrimSpace(text)
	h, m, ok := strings.Cut(strings.ReplaceAll(t, ".", ":"), ":")
	if !ok && len(t) == 4 {
		h, m = t[:2], t[2:]
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || len(m) != 2 {
		return -1
	}
	return hh*60 + mm
}

// SavePattern saves the rows as the worker's pattern from the chosen date.
// On an error every row keeps what was typed.
func (s *PatternsScreen) SavePattern() {
	for _, r := range s.rows {
		setError(r.err, "")
	}
	setError(s.validFromErr, "")
	s.outside = nil
	s.outsideList.Refresh()
	if s.workerID == 0 {
		s.patternMsg.SetText("Choose a link worker first.")
		return
	}
	sessions := make([]data.WorkSession, len(s.rows))
	for i, r := range s.rows {
		w := data.WorkSession{WorkerID: s.workerID, Start: parseSessionTime(r.start.Text), End: parseSessionTime(r.end.Text)}
		w.Weekday = r.weekday.SelectedIndex() + 1 // -1 (none) becomes 0, which the store refuses
		if j := r.site.SelectedIndex(); j >= 0 {
			w.SiteID = s.sites[j].ID
		}
		sessions[i] = w
	}
	outside, err := s.app.store.SetWorkPattern(context.Background(), s.app.session, s.workerID, sessions, s.validFrom.Text)
	if err != nil {
		v, ok := data.FieldErrors(err)
		if !ok {
			s.patternMsg.SetText("The pattern was not saved: " + err.Error())
			return
		}
		var first fyne.Focusable
		for i, r := range s.rows {
			var msgs []string
			for _, name := range []string{"Weekday", "Start", "End", "SiteID"} {
				for _, f := range v.Fields {
					if f.Field == fmt.Sprintf("Sessions[%d].%s", i, name) {
						msgs = append(msgs, f.Message)
					}
				}
			}
			setError(r.err, strings.Join(msgs, "; "))
			if len(msgs) > 0 && first == nil {
				first = r.start
			}
		}
		setError(s.validFromErr, v.For("ValidFrom"))
		s.rowScroll.Refresh() // the rows grew by their messages
		if msg := v.For("WorkerID"); msg != "" {
			s.patternMsg.SetText(msg)
		} else {
			s.patternMsg.SetText("The pattern was not saved: please correct the rows marked in red.")
		}
		if first != nil {
			s.app.win.Canvas().Focus(first)
		}
		return
	}
	s.outside = outside
	s.outsideList.Refresh()
	msg := fmt.Sprintf("Saved: %d sessions a week from %s. No appointment falls outside the new pattern.", len(s.rows), s.validFrom.Text)
	if len(outside) > 0 {
		msg = fmt.Sprintf("Saved from %s. These %d appointments are outside the new pattern — ask reception to move them:", s.validFrom.Text, len(outside))
	}
	s.patternMsg.SetText(msg)
	s.loadPattern(true)
}

// Outside lists the live appointments the last save left outside the
// pattern.
func (s *PatternsScreen) Outside() []data.Appointment { return s.outside }

func savedCell(w data.WorkSession, col int) string {
	switch col {
	case 0:
		return data.WeekdayLabel(w.Weekday)
	case 1:
		return data.FormatMinutes(w.Start) + "–" + data.FormatMinutes(w.End)
	case 2:
		return w.SiteName
	case 3:
		return data.FormatUKDate(w.ValidFrom)
	case 4:
		if w.ValidTo == "" {
			return "no end"
		}
		return data.FormatUKDate(w.ValidTo)
	}
	return ""
}

// movedAppointmentLine is one appointment to move: when, who, what.
func movedAppointmentLine(a data.Appointment, withWorker bool) string {
	line := a.Start.In(data.London()).Format("Mon 02/01/2006 15:04") + "  " + a.PatientName + " · " + a.TypeName
	if withWorker {
		line += " · " + a.WorkerName
	}
	return line
}

// ---------------------------------------------------------------------------
// Leave and practice closures.

func (s *PatternsScreen) buildLeave() fyne.CanvasObject {
	s.leaveTable = widget.NewTable(
		func() (int, int) { return len(s.leave), len(leaveTableColumns) },
		cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(s.leave) {
				o.(*widget.Label).SetText(leaveTableCell(s.leave[id.Row], id.Col))
			}
		})
	setColumns(s.leaveTable, leaveTableColumns)
	s.leaveTable.OnSelected = func(id widget.TableCellID) {
		s.leaveSelected = id.Row
		s.deleteLeave.Enable()
	}
	s.deleteLeave = widget.NewButtonWithIcon("Delete leave…", theme.DeleteIcon(), s.askDeleteLeave)
	s.deleteLeave.Disable()

	s.firstDay, s.lastDay, s.reason = s.app.newEntry(), s.app.newEntry(), s.app.newEntry()
	s.firstDay.SetPlaceHolder("DD/MM/YYYY")
	s.lastDay.SetPlaceHolder("DD/MM/YYYY (blank: one day)")
	s.reason.SetPlaceHolder("e.g. Annual leave, Training, Bank holiday")
	s.closed = widget.NewCheck("Whole practice closed (e.g. a bank holiday)", nil)
	for _, e := range []*keyEntry{s.firstDay, s.lastDay, s.reason} {
		e.OnSubmitted = func(string) { s.AddLeave() }
	}
	s.leaveFields = fields{
		newField("FirstDay", "First day", s.firstDay),
		newField("LastDay", "Last day", s.lastDay),
		newField("Reason", "Reason", s.reason),
	}
	s.addLeave = widget.NewButtonWithIcon("Add leave", theme.ContentAddIcon(), s.AddLeave)
	s.addLeave.Importance = widget.HighImportance
	s.leaveMsg = widget.NewLabel("")
	s.leaveMsg.Wrapping = fyne.TextWrapWord
	s.coveredList = widget.NewList(
		func() int { return len(s.covered) },
		cellLabel,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(s.covered) {
				o.(*widget.Label).SetText(movedAppointmentLine(s.covered[id], s.coveredAll))
			}
		})

	form := widget.NewForm(s.leaveFields.formItems()...)
	left := container.NewBorder(
		widget.NewLabelWithStyle("Leave and practice closures from today", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(s.deleteLeave), nil, nil, focusMarked(s.leaveTable))
	right := container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle("Add leave", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			form, s.closed, container.NewHBox(s.addLeave), s.leaveMsg), // the check under the form, not in its field column: narrower (issue 17)
		nil, nil, nil, s.coveredList)
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.56 // room for the reason column
	return split
}

func (s *PatternsScreen) loadLeave() {
	s.leave = nil
	if s.workerID != 0 {
		var err error
		today := s.app.store.Now().Format(data.DateLayout)
		if s.leave, err = s.app.store.Leave(context.Background(), s.app.session, s.workerID, today, ""); err != nil {
			s.leaveMsg.SetText("The leave could not be read: " + err.Error())
		}
	}
	s.leaveSelected = -1
	s.leaveTable.UnselectAll()
	s.leaveTable.Refresh()
	s.deleteLeave.Disable()
}

func leaveTableCell(l data.Leave, col int) string {
	switch col {
	case 0:
		return data.FormatUKDate(l.FirstDay)
	case 1:
		return data.FormatUKDate(l.LastDay)
	case 2:
		if l.WorkerID == 0 {
			return "Whole practice"
		}
		return l.WorkerName
	case 3:
		return l.Reason
	}
	return ""
}

// AddLeave records the typed leave for the chosen worker, or a practice
// closure, and lists the appointments it covers.
func (s *PatternsScreen) AddLeave() {
	s.leaveFields.clearErrors()
	s.covered = nil
	s.coveredList.Refresh()
	if s.workerID == 0 && !s.closed.Checked {
		s.leaveMsg.SetText("Choose a link worker first, or tick whole practice closed.")
		return
	}
	in := data.Leave{WorkerID: s.workerID, FirstDay: s.firstDay.Text, LastDay: s.lastDay.Text, Reason: s.reason.Text}
	if s.closed.Checked {
		in.WorkerID = 0
	}
	l, covered, err := s.app.store.AddLeave(context.Background(), s.app.session, in)
	if err != nil {
		if s.leaveFields.showErrors(err) {
			s.leaveMsg.SetText("The leave was not added: please correct the fields marked in red.")
			if f := s.leaveFields.firstError(); f != nil {
				focus(s.app.win, f.input)
			}
		} else {
			s.leaveMsg.SetText("The leave was not added: " + err.Error())
		}
		return
	}
	who := l.WorkerName
	if l.WorkerID == 0 {
		who = "The practice is closed"
	}
	days := data.FormatUKDate(l.FirstDay)
	if l.LastDay != l.FirstDay {
		days += " to " + data.FormatUKDate(l.LastDay)
	}
	msg := fmt.Sprintf("Added: %s, %s. No booked appointment falls on these days.", who, days)
	if len(covered) > 0 {
		msg = fmt.Sprintf("Added: %s, %s. These %d appointments fall on these days — ask reception to move them:", who, days, len(covered))
	}
	s.leaveMsg.SetText(msg)
	s.covered, s.coveredAll = covered, l.WorkerID == 0
	s.coveredList.Refresh()
	for _, e := range []*keyEntry{s.firstDay, s.lastDay, s.reason} {
		e.SetText("")
	}
	s.closed.SetChecked(false)
	s.loadLeave()
}

func (s *PatternsScreen) askDeleteLeave() {
	if s.leaveSelected < 0 || s.leaveSelected >= len(s.leave) {
		return
	}
	l := s.leave[s.leaveSelected]
	what := fmt.Sprintf("%s, %s to %s (%s)", leaveTableCell(l, 2), leaveTableCell(l, 0), leaveTableCell(l, 1), l.Reason)
	askYesNo(s.app.win, "Delete leave?", "Delete this leave?\n"+what+"\nThose days become bookable again.", true, func(ok bool) {
		if ok {
			s.DeleteLeave(l.ID)
		}
	})
}

// DeleteLeave removes one leave entry.
func (s *PatternsScreen) DeleteLeave(id int64) {
	if err := s.app.store.DeleteLeave(context.Background(), s.app.session, id); err != nil {
		if errors.Is(err, data.ErrNotFound) {
			err = errors.New("it was already deleted")
		}
		s.leaveMsg.SetText("The leave was not deleted: " + err.Error())
	} else {
		s.leaveMsg.SetText("Leave deleted; those days are bookable again.")
	}
	s.covered = nil
	s.coveredList.Refresh()
	s.loadLeave()
}

// ---------------------------------------------------------------------------
// Appointment lengths.

func (s *PatternsScreen) buildTypes() fyne.CanvasObject {
	s.saveTypes = widget.NewButtonWithIcon("Save lengths", theme.DocumentSaveIcon(), s.SaveTypes)
	s.saveTypes.Importance = widget.HighImportance
	s.typesMsg = widget.NewLabel("Changing a length affects new bookings only; booked appointments keep theirs.")
	s.typesMsg.Wrapping = fyne.TextWrapWord
	s.typeGrid = container.NewVBox()
	panel := container.NewVBox(
		widget.NewLabelWithStyle("Usual length of each appointment type (the whole practice)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.typeGrid, container.NewHBox(s.saveTypes), s.typesMsg)
	// At most 720 wide, narrower in a narrow window (scale 1.4, issue 17).
	return container.NewVScroll(container.New(columns{720}, panel, layout.NewSpacer()))
}

// loadTypes reads the types and rebuilds their rows.
func (s *PatternsScreen) loadTypes() {
	types, err := s.app.store.AppointmentTypes(context.Background(), s.app.session)
	if err != nil {
		s.typesMsg.SetText("The appointment types could not be read: " + err.Error())
		return
	}
	s.types = types
	s.typeGrid.RemoveAll()
	s.typeGrid.Add(container.New(typeColumns, columnTitle("Appointment type"), columnTitle("Minutes"), widget.NewLabel("")))
	s.minutes, s.minuteErr = nil, nil
	for _, t := range s.types {
		e := s.app.newEntry()
		e.SetText(strconv.Itoa(t.DefaultMinutes))
		e.OnSubmitted = func(string) { s.SaveTypes() }
		msg := errorLabel()
		s.minutes = append(s.minutes, e)
		s.minuteErr = append(s.minuteErr, msg)
		s.typeGrid.Add(container.New(typeColumns, widget.NewLabel(t.Name), e, msg))
	}
	s.typeGrid.Refresh()
}

// SaveTypes saves each length that changed.
func (s *PatternsScreen) SaveTypes() {
	changed, failed := 0, 0
	for i, t := range s.types {
		setError(s.minuteErr[i], "")
		text := strings.TrimSpace(s.minutes[i].Text)
		n, err := strconv.Atoi(text)
		if err != nil {
			setError(s.minuteErr[i], "type a number of minutes, e.g. 30")
			failed++
			continue
		}
		if n == t.DefaultMinutes {
			continue
		}
		if err := s.app.store.SetAppointmentTypeMinutes(context.Background(), s.app.session, t.Code, n); err != nil {
			if v, ok := data.FieldErrors(err); ok {
				err = errors.New(v.For("DefaultMinutes"))
			}
			setError(s.minuteErr[i], err.Error())
			failed++
			continue
		}
		s.types[i].DefaultMinutes = n
		changed++
	}
	switch {
	case failed > 0 && changed == 0:
		s.typesMsg.SetText("Not saved: please correct the lengths marked in red.")
	case failed > 0:
		s.typesMsg.SetText(fmt.Sprintf("%d saved; please correct the lengths marked in red.", changed))
	case changed == 0:
		s.typesMsg.SetText("Nothing to save: no length was changed.")
	default:
		s.typesMsg.SetText(fmt.Sprintf("Saved %d new lengths. New bookings use them; booked appointments keep theirs.", changed))
	}
}

// ---------------------------------------------------------------------------
// Small pieces of layout.

// columnsLayout places a row's objects side by side at fixed widths, so
// the rows of a list line up under their titles; a width of 0 takes what
// is left.
type columnsLayout []float32

func (c columnsLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	w, h := float32(0), float32(0)
	for i, o := range objects {
		min := o.MinSize()
		if i < len(c) && c[i] > 0 {
			w += c[i]
		} else {
			w += min.Width
		}
		h = max(h, min.Height)
	}
	return fyne.NewSize(w+pad*float32(max(len(objects)-1, 0)), h)
}

func (c columnsLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	fixed := pad * float32(max(len(objects)-1, 0))
	flexible := 0
	for i := range objects {
		if i < len(c) && c[i] > 0 {
			fixed += c[i]
		} else {
			flexible++
		}
	}
	rest := max(size.Width-fixed, 0)
	x := float32(0)
	for i, o := range objects {
		w := rest / float32(max(flexible, 1))
		if i < len(c) && c[i] > 0 {
			w = c[i]
		}
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		x += w + pad
	}
}

var typeColumns = columnsLayout{240, 90, 0}

func columnTitle(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
