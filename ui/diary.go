package ui

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
	"linkwell/printing"
)

// DiaryScreen shows the link workers' diaries: one day for all of them side
// by side, or a day or a week for one. Clicking an appointment shows it
// with its actions; clicking free time starts a booking there.
type DiaryScreen struct {
	app     *App
	workers []data.User // active link workers, by name
	day     time.Time   // London midnight of the day shown (a week: any day in it)
	week    bool
	days    []data.WorkerDay // as loaded

	workerSel  *widget.Select
	viewSel    *widget.RadioGroup
	prev       *widget.Button
	todayBtn   *widget.Button
	next       *widget.Button
	exportBtn  *widget.Button // Export calendar…, for roles that may export
	lastExport string
	date       *keyEntry
	dateErr    *widget.Label
	title      *widget.Label
	header     *fyne.Container
	grid       *diaryGrid
	scroll     *container.Scroll

	details    *appointmentPanel
	book       *BookingPanel
	side       *fyne.Container
	sideScroll *container.Scroll
	sidePane   fyne.CanvasObject // the side panel in the split, hidden to give the diary the width
	panelBtn   *widget.Button    // Hide panel / Show panel
	content    fyne.CanvasObject
}

// allWorkers is the worker choice that shows everyone's day.
const allWorkers = "All link workers"

var (
	londonOnce sync.Once
	londonLoc  *time.Location
)

// diaryLondon is the practice's time zone (UTC if the zone data is missing).
func diaryLondon() *time.Location {
	londonOnce.Do(func() {
		var err error
		if londonLoc, err = time.LoadLocation("Europe/London"); err != nil {
			londonLoc = time.UTC
		}
	})
	return londonLoc
}

func midnight(t time.Time) time.Time {
	y, m, d := t.In(diaryLondon()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, diaryLondon())
}

// NewDiaryScreen opens on today: a link worker sees their own day, anyone
// else every link worker's day.
func NewDiaryScreen(a *App) *DiaryScreen {
	s := &DiaryScreen{app: a, day: midnight(a.store.Now())}
	ctx := context.Background()
	users, err := a.store.UsersWithRole(ctx, a.session, data.RoleLinkWorker)
	if err != nil {
		a.showError(err)
	}
	names := []string{allWorkers}
	for _, u := range users {
		if u.Active {
			s.workers = append(s.workers, u)
			names = append(names, u.FullName)
		}
	}

	s.title = heading("")
	s.title.Truncation = fyne.TextTruncateEllipsis
	s.exportBtn = widget.NewButtonWithIcon("Export calendar…", theme.DocumentSaveIcon(), s.chooseExport)
	s.exportBtn.Hidden = !a.session.May(data.OpExport)
	s.workerSel = widget.NewSelect(names, func(string) {
		s.updateExport()
		s.reload()
	})
	s.viewSel = widget.NewRadioGroup([]string{"Day", "Week"}, func(v string) {
		s.week = v == "Week"
		s.reload()
	})
	s.viewSel.Horizontal = true
	s.viewSel.Required = true
	s.prev = widget.NewButtonWithIcon("Previous", theme.NavigateBackIcon(), func() { s.step(-1) })
	s.todayBtn = widget.NewButtonWithIcon("Today", theme.CalendarIcon(), func() { s.GoTo(a.store.Now()) })
	s.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), func() { s.step(1) })
	s.next.IconPlacement = widget.ButtonIconTrailingText
	s.date = newKeyEntry(false, nil, nil)
	s.date.app = a // Ctrl+B works while typing a date
	s.date.SetPlaceHolder("DD/MM/YYYY")
	s.date.OnSubmitted = func(string) { s.goToTyped() }
	s.dateErr = errorLabel()
	goBtn := widget.NewButton("Go", s.goToTyped)
	bookBtn := widget.NewButtonWithIcon("Book (Ctrl+B)", theme.ContentAddIcon(), func() { s.StartBooking() })
	bookBtn.Importance = widget.HighImportance
	bookBtn.Hidden = !a.session.May(data.OpBook)

	s.header = container.New(&diaryHeaderLayout{})
	s.grid = newDiaryGrid()
	s.grid.onAppointment = s.showAppointment
	s.grid.onFree = func(d data.WorkerDay, at time.Time) {
		if at.Before(a.store.Now().Add(-5 * time.Minute)) {
			s.showAppointment(data.Appointment{}) // the hint, with the message
			s.details.setMessage("That time has passed: click free time from now on, or press Ctrl+B for the next free slots.", true)
			return
		}
		s.StartBookingAt(d, at)
	}
	s.scroll = container.NewVScroll(s.grid)
	s.grid.onScroll = s.scrollTo

	s.details = newAppointmentPanel(s)
	s.book = newBookingPanel(s)
	s.side = container.NewStack(s.details.content)

	// The side panel can fold away so a week's appointments get the width;
	// choosing an appointment or booking brings it back.
	s.panelBtn = widget.NewButtonWithIcon("Hide panel", theme.ViewFullScreenIcon(), func() { s.ShowPanel(!s.sidePane.Visible()) })

	// Two rows: whose diary and how, then where in time; each wraps in a
	// narrow window (issue 17).
	who := newFlow(spareBeforeLast, widget.NewLabel("Diary of"), container.New(fixedWidth(220), s.workerSel),
		container.NewHBox(s.viewSel, bookBtn, s.exportBtn))
	when := newFlowGrowing(s.title, container.NewHBox(s.prev, s.todayBtn, s.next), s.title,
		container.NewHBox(container.New(fixedWidth(120), s.date), goBtn, s.panelBtn))
	top := container.NewVBox(who, when, s.dateErr, s.header)
	left := container.NewBorder(top, nil, nil, nil, s.scroll)
	s.sideScroll = container.NewVScroll(s.side)
	s.sidePane = container.NewPadded(s.sideScroll)
	split := container.NewHSplit(container.NewPadded(left), s.sidePane)
	split.Offset = 0.64
	s.content = split

	ctrl := fyne.KeyModifierShortcutDefault
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: ctrl}, func() { s.StartBooking() })
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: ctrl}, func() { s.book.Submit() })
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: ctrl}, s.PrintSelected)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: ctrl}, func() {
		if !s.exportBtn.Hidden {
			s.chooseExport()
		}
	})

	// Set the choices last: each one reloads.
	mine := ""
	if a.user.Role.HasCaseload() {
		mine = a.user.FullName
	}
	s.viewSel.SetSelected("Day")
	if mine != "" {
		s.workerSel.SetSelected(mine)
	} else {
		s.workerSel.SetSelected(allWorkers)
	}
	return s
}

// Content is the screen's root object.
func (s *DiaryScreen) Content() fyne.CanvasObject { return s.content }

// workerID is the chosen link worker, or 0 for all.
func (s *DiaryScreen) workerID() int64 {
	for _, w := range s.workers {
		if w.FullName == s.workerSel.Selected {
			return w.ID
		}
	}
	return 0
}

// weekStart is the Monday of the week shown.
func (s *DiaryScreen) weekStart() time.Time {
	wd := (int(s.day.Weekday()) + 6) % 7 // Monday 0
	return s.day.AddDate(0, 0, -wd)
}

// step moves a day or a week back or forward.
func (s *DiaryScreen) step(n int) {
	if s.week {
		s.GoTo(s.day.AddDate(0, 0, 7*n))
	} else {
		s.GoTo(s.day.AddDate(0, 0, n))
	}
}

// GoTo shows the day (or its week) holding t.
func (s *DiaryScreen) GoTo(t time.Time) {
	s.day = midnight(t)
	s.reload()
}

func (s *DiaryScreen) goToTyped() {
	d, err := data.ParseUKDate(s.date.Text)
	if err != nil {
		setError(s.dateErr, "Date: "+err.Error())
		return
	}
	setError(s.dateErr, "")
	s.GoTo(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, diaryLondon()))
}

// reload reads the days shown from the store and redraws them. A day or a
// week is a handful of indexed queries, quick enough to run in place.
func (s *DiaryScreen) reload() { s.load(false) }

// refreshInPlace reads the diary again after another desk changed it
// (ui/live.go): the date being typed, the scroll and the selection stay.
func (s *DiaryScreen) refreshInPlace() { s.load(true) }

// load reads the diary for the worker, view and day chosen; inPlace keeps
// the date box, the scroll and quiet about errors (a live refresh: the
// next change or the server banner says more than a dialog would).
func (s *DiaryScreen) load(inPlace bool) {
	if s.grid == nil || s.workerSel.Selected == "" || s.viewSel.Selected == "" {
		return // still being built
	}
	ctx := context.Background()
	worker := s.workerID()
	// A week is one worker's: with everyone chosen the view is a day.
	if worker == 0 {
		s.week = false
		if s.viewSel.Selected != "Day" {
			s.viewSel.SetSelected("Day")
			return // SetSelected reloads
		}
		s.viewSel.Disable()
	} else {
		s.viewSel.Enable()
	}
	var days []data.WorkerDay
	var err error
	switch {
	case s.week:
		days, err = s.app.store.DiaryWeek(ctx, s.app.session, worker, s.weekStart())
		days = workingDays(days)
	case worker != 0:
		days, err = s.app.store.DiaryDay(ctx, s.app.session, s.day, []int64{worker})
	default:
		days, err = s.app.store.DiaryDay(ctx, s.app.session, s.day, nil)
	}
	if err != nil {
		if !inPlace {
			s.app.showError(fmt.Errorf("the diary could not be read: %w", err))
		}
		return
	}
	s.days = days
	if !inPlace {
		s.date.SetText(s.day.Format("02/01/2006"))
		setError(s.dateErr, "")
	}
	now := s.app.store.Now()
	switch {
	case s.week:
		s.title.SetText("Week of " + s.weekStart().Format("Mon 2 January 2006"))
	case sameDay(s.day, now):
		s.title.SetText("Today, " + s.day.Format("Mon 2 January 2006"))
	default:
		s.title.SetText(s.day.Format("Monday 2 January 2006"))
	}
	s.setHeader(days, now)
	s.grid.setDays(days, now)
	// Open at the hour before now on today, else at the first session.
	top := s.grid.last
	for _, d := range days {
		if sameDay(d.Day, now) {
			top = min(top, minuteOf(now)-60)
		}
		for _, ws := range d.Sessions {
			top = min(top, ws.Start)
		}
	}
	if s.grid.selected != 0 {
		for _, a := range s.grid.shown() {
			if a.ID == s.grid.selected {
				top = minuteOf(a.Start) - 30
			}
		}
	}
	if !inPlace {
		s.scrollTo(top)
	}
	if len(days) == 0 {
		s.title.SetText(s.title.Text + " (no link workers yet: add them on the Staff screen)")
	}
	// Keep the selection when it is still on show.
	for _, a := range s.grid.shown() {
		if a.ID == s.grid.selected {
			s.details.show(a)
			return
		}
	}
	s.grid.selected = 0
	s.details.clear()
}

// workingDays drops Saturday and Sunday from a week unless someone works
// or is booked then, so the weekdays get the room.
func workingDays(days []data.WorkerDay) []data.WorkerDay {
	var out []data.WorkerDay
	for _, d := range days {
		wd := d.Day.Weekday()
		if (wd == time.Saturday || wd == time.Sunday) && len(d.Sessions) == 0 && len(d.Appointments) == 0 {
			continue
		}
		out = append(out, d)
	}
	return out
}

// setHeader writes the column titles: worker names for a day, dates for a
// week; today's column is filled with the primary colour.
func (s *DiaryScreen) setHeader(days []data.WorkerDay, now time.Time) {
	s.header.Objects = nil
	for _, d := range days {
		text := d.WorkerName
		if s.week {
			text = d.Day.Format("Mon 02/01")
		}
		isToday := sameDay(d.Day, now)
		if isToday && s.week {
			text = "Today " + text
		}
		switch {
		case len(d.Leave) > 0:
			text += " (away)"
		case len(d.Sessions) == 0:
			text += " (no sessions)"
		}
		bg := canvas.NewRectangle(color.Transparent)
		bg.CornerRadius = 4
		l := widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		if isToday {
			// A light tint of the primary colour: the text stays
			// readable (4.5:1) in light and dark themes (TestThemeContrast).
			r, g, b, _ := theme.Color(theme.ColorNamePrimary).RGBA()
			bg.FillColor = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x33}
		}
		s.header.Add(container.NewStack(bg, l))
	}
	s.header.Refresh()
}

// diaryHeaderLayout lines the column titles up with the grid's columns.
type diaryHeaderLayout struct{}

func (*diaryHeaderLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(gridRulerWidth, h)
}

func (*diaryHeaderLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	w := (size.Width - gridRulerWidth) / float32(len(objs))
	for i, o := range objs {
		o.Move(fyne.NewPos(gridRulerWidth+float32(i)*w, 0))
		o.Resize(fyne.NewSize(w-1, size.Height))
	}
}

// ShowPanel shows or folds away the side panel (the appointment, the hint
// or the booking form).
func (s *DiaryScreen) ShowPanel(on bool) {
	if on == s.sidePane.Visible() {
		return
	}
	if on {
		s.sidePane.Show()
		s.panelBtn.SetText("Hide panel")
	} else {
		s.sidePane.Hide()
		s.panelBtn.SetText("Show panel")
	}
	s.content.Refresh()
}

// PanelShown is whether the side panel is showing.
func (s *DiaryScreen) PanelShown() bool { return s.sidePane.Visible() }

// showAppointment puts an appointment (none: the hint) in the side panel.
func (s *DiaryScreen) showAppointment(a data.Appointment) {
	s.side.Objects = []fyne.CanvasObject{s.details.content}
	s.side.Refresh()
	if a.ID != 0 {
		s.ShowPanel(true)
	}
	if a.ID == 0 {
		s.details.clear()
		return
	}
	s.details.show(a)
}

// scrollTo scrolls the diary so the minute (after midnight) shows near the
// top.
func (s *DiaryScreen) scrollTo(minute int) {
	y := s.grid.y(minute) - 30
	maxY := s.grid.MinSize().Height - s.scroll.Size().Height
	s.scroll.Offset.Y = max(min(y, maxY), 0)
	s.scroll.Refresh()
}

// Select selects an appointment shown in the diary, as a click would.
func (s *DiaryScreen) Select(id int64) bool {
	for _, a := range s.grid.shown() {
		if a.ID == id {
			s.grid.selectAppointment(a)
			s.scrollTo(minuteOf(a.Start) - 30)
			return true
		}
	}
	return false
}

// PrintSelected prints the card of the appointment selected, as its Print
// card button does (Ctrl+P); with none, or one whose card cannot be
// printed, it says why.
func (s *DiaryScreen) PrintSelected() {
	p := s.details
	if p.printCard.Hidden {
		return // the role does not print cards
	}
	if s.side.Objects[0] != p.content {
		s.showAppointment(p.appt) // from the booking panel: the card printed is on show
	}
	switch {
	case p.appt.ID == 0:
		p.setMessage("Select an appointment first: Ctrl+P prints its card.", true)
	case p.printCard.Disabled():
		p.setMessage("This appointment is not booked any more: there is no card to print.", true)
	default:
		p.PrintCard()
	}
}

// StartBooking opens the booking panel and looks for the next free slots
// at once.
func (s *DiaryScreen) StartBooking() {
	if !s.app.session.May(data.OpBook) {
		return
	}
	s.side.Objects = []fyne.CanvasObject{s.book.content}
	s.side.Refresh()
	s.ShowPanel(true)
	s.book.start(nil, s.workerID())
}

// StartBookingAt opens the booking form on a time clicked in the diary.
func (s *DiaryScreen) StartBookingAt(d data.WorkerDay, at time.Time) {
	if !s.app.session.May(data.OpBook) {
		return
	}
	slot := data.Slot{WorkerID: d.WorkerID, WorkerName: d.WorkerName, Start: at}
	for _, ws := range d.Sessions {
		if ws.Start <= minuteOf(at) && minuteOf(at) < ws.End {
			slot.SiteID, slot.SiteName = ws.SiteID, ws.SiteName
		}
	}
	s.side.Objects = []fyne.CanvasObject{s.book.content}
	s.side.Refresh()
	s.ShowPanel(true)
	if s.book.moving == nil {
		s.book.start(nil, s.workerID())
	}
	s.book.pickSlot(slot, true)
}

// showBooked shows a booked or moved appointment in the diary, selected.
func (s *DiaryScreen) showBooked(a data.Appointment) {
	if id := s.workerID(); id != 0 && id != a.WorkerID {
		s.workerSel.SetSelected(allWorkers) // reloads
	}
	s.grid.selected = a.ID
	s.GoTo(a.Start)
	s.showAppointment(a)
}

// appointmentPanel shows the selected appointment and what can be done
// with it.
type appointmentPanel struct {
	screen *DiaryScreen
	appt   data.Appointment

	title                         *widget.Label
	hint                          *widget.Label
	patient, when, worker, kind   *widget.Label
	place, notes, booked, episode *widget.Label
	status                        *Pill
	arrived, attended, dna        *widget.Button
	reschedule, cancel, printCard *widget.Button
	largePrint                    *widget.Check
	message                       *widget.Label
	info                          *fyne.Container
	lastCard                      string // the PDF last written, for tests
	content                       fyne.CanvasObject
}

func newAppointmentPanel(s *DiaryScreen) *appointmentPanel {
	p := &appointmentPanel{screen: s}
	p.title = heading("Appointment")
	p.hint = widget.NewLabel("Click an appointment to see it and mark it arrived, attended or DNA.\n" +
		"Click free time in a session (plain, with a green edge) to book it, or press Ctrl+B for the next free slots.")
	p.hint.Wrapping = fyne.TextWrapWord
	wrap := func() *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	p.patient, p.when, p.worker, p.kind = wrap(), wrap(), wrap(), wrap()
	p.place, p.notes, p.booked, p.episode = wrap(), wrap(), wrap(), wrap()
	p.patient.TextStyle.Bold = true
	p.status = newAppointmentPill(data.AppointmentBooked)
	p.arrived = widget.NewButton("Arrived", func() { p.mark(data.AppointmentArrived) })
	p.attended = widget.NewButton("Attended", func() { p.mark(data.AppointmentAttended) })
	p.dna = widget.NewButton("DNA", func() { p.mark(data.AppointmentDNA) })
	p.reschedule = widget.NewButtonWithIcon("Reschedule…", theme.HistoryIcon(), func() {
		s.side.Objects = []fyne.CanvasObject{s.book.content}
		s.side.Refresh()
		a := p.appt
		s.book.start(&a, a.WorkerID)
	})
	p.cancel = widget.NewButtonWithIcon("Cancel…", theme.CancelIcon(), p.askCancel)
	p.printCard = widget.NewButtonWithIcon("Print card", theme.DocumentPrintIcon(), func() { p.PrintCard() })
	p.largePrint = widget.NewCheck("Large print", nil)
	p.printCard.Hidden = !s.app.session.May(data.OpPrintCard)
	p.largePrint.Hidden = p.printCard.Hidden
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Hide()

	form := widget.NewForm(
		widget.NewFormItem("Patient", p.patient),
		widget.NewFormItem("When", p.when),
		widget.NewFormItem("With", p.worker),
		widget.NewFormItem("Type", p.kind),
		widget.NewFormItem("Where", p.place),
		widget.NewFormItem("Status", container.NewHBox(p.status)),
		widget.NewFormItem("Notes", p.notes),
		widget.NewFormItem("Booked", p.booked),
		widget.NewFormItem("Episode", p.episode),
	)
	p.info = container.NewVBox(form,
		widget.NewLabelWithStyle("Mark", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWithColumns(3, p.arrived, p.attended, p.dna),
		widget.NewLabelWithStyle("Change", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWithColumns(2, p.reschedule, p.cancel),
		container.NewHBox(p.printCard, p.largePrint),
	)
	p.content = container.NewVBox(p.title, p.message, p.hint, p.info)
	p.clear()
	return p
}

// newAppointmentPill is a Pill (pill.go) carrying an appointment status.
func newAppointmentPill(status string) *Pill {
	p := NewPill(data.StatusReceived)
	setAppointmentPill(p, status)
	return p
}

func setAppointmentPill(p *Pill, status string) {
	p.label.Text = data.LabelOf(data.AppointmentStatuses, status)
	p.bg.FillColor = appointmentColour(status)
	p.Refresh()
}

// clear shows the hint instead of an appointment.
func (p *appointmentPanel) clear() {
	p.appt = data.Appointment{}
	p.title.SetText("Diary")
	p.hint.Show()
	p.info.Hide()
}

// show fills the panel with an appointment and enables the actions its
// status allows.
func (p *appointmentPanel) show(a data.Appointment) {
	if a.ID != p.appt.ID {
		p.setMessage("", false)
	}
	p.appt = a
	p.title.SetText("Appointment")
	p.hint.Hide()
	p.info.Show()
	defer p.content.Refresh() // lay out what was hidden
	p.patient.SetText(a.PatientName)
	p.when.SetText(fmt.Sprintf("%s, %s–%s (%d min)", a.Start.Format("Monday 02/01/2006"), a.Start.Format("15:04"),
		a.End.Format("15:04"), int(a.End.Sub(a.Start).Minutes())))
	p.worker.SetText(a.WorkerName)
	p.kind.SetText(a.TypeName)
	place := data.LabelOf(data.AppointmentModes, a.Mode)
	if a.SiteName != "" {
		place += " at " + a.SiteName
	}
	p.place.SetText(place)
	setAppointmentPill(p.status, a.Status)
	notes := a.Notes
	if a.CancelReason != "" {
		notes = strings.TrimSpace(notes + "\nCancelled: " + a.CancelReason)
	}
	if notes == "" {
		notes = "—"
	}
	p.notes.SetText(notes)
	p.booked.SetText(fmt.Sprintf("by %s on %s", orDash(a.BookedBy), a.BookedAt.Format("02/01/2006 15:04")))
	p.episode.SetText(p.episodeText(a))

	onTheDay := !midnight(a.Start).After(midnight(p.screen.app.store.Now()))
	// Only those who book change appointments (data.OpBook).
	open := (a.Status == data.AppointmentBooked || a.Status == data.AppointmentArrived) && p.screen.app.session.May(data.OpBook)
	enable(p.arrived, a.Status == data.AppointmentBooked && onTheDay && open)
	enable(p.attended, open && onTheDay)
	enable(p.dna, open && onTheDay)
	enable(p.reschedule, a.Status == data.AppointmentBooked && open)
	enable(p.cancel, open)
	// A recorded need for large print is always honoured (printing.Card
	// prints such a card large), so the tick shows it and cannot be undone.
	needsLarge := false
	if patient, err := p.screen.app.store.Patient(context.Background(), p.screen.app.session, a.PatientID); err == nil {
		needsLarge = patient.LargePrint
	}
	p.largePrint.SetChecked(needsLarge)
	enable(p.largePrint, !needsLarge)
	enable(p.printCard, a.Live())
}

// episodeText says how many appointments the patient has missed, with a
// warning from two in the episode.
func (p *appointmentPanel) episodeText(a data.Appointment) string {
	if a.ReferralID == 0 {
		return "Not linked to a referral"
	}
	n, err := p.screen.app.store.DNACount(context.Background(), p.screen.app.session, a.PatientID, a.ReferralID)
	if err != nil {
		return "—"
	}
	return dnaText(n)
}

func dnaText(n int) string {
	switch {
	case n == 0:
		return "No missed appointments in this episode"
	case n == 1:
		return "1 missed appointment in this episode"
	}
	return fmt.Sprintf("Warning: %d missed appointments in this episode", n)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func enable(b fyne.Disableable, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// mark records arrived, attended or DNA and redraws the diary.
func (p *appointmentPanel) mark(status string) {
	s := p.screen
	if err := s.app.store.SetAppointmentStatus(context.Background(), s.app.session, p.appt.ID, status); err != nil {
		p.setMessage("Not changed: "+err.Error()+".", true)
		return
	}
	p.setMessage(p.appt.PatientName+" marked "+strings.ToLower(data.LabelOf(data.AppointmentStatuses, status))+".", false)
	s.reload()
}

// askCancel asks who cancelled and why; the reason is required.
func (p *appointmentPanel) askCancel() {
	a := p.appt
	who := widget.NewRadioGroup([]string{"By the patient", "By the practice"}, nil)
	who.Required = true
	who.SetSelected("By the patient")
	reason := widget.NewEntry()
	reason.SetPlaceHolder("e.g. Unwell; will ring to rebook")
	reason.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("say why the appointment is cancelled")
		}
		return nil
	}
	d := dialog.NewForm("Cancel "+a.PatientName+"'s appointment, "+a.Start.Format("02/01/2006 15:04")+"?",
		"Cancel appointment", "Keep it",
		[]*widget.FormItem{widget.NewFormItem("Cancelled", who), widget.NewFormItem("Reason", reason)},
		func(ok bool) {
			if ok {
				p.Cancel(who.Selected == "By the patient", reason.Text)
			}
		}, p.screen.app.win)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
	focus(p.screen.app.win, reason)
}

// Cancel cancels the appointment shown.
func (p *appointmentPanel) Cancel(byPatient bool, reason string) {
	s := p.screen
	if err := s.app.store.Cancel(context.Background(), s.app.session, p.appt.ID, byPatient, reason); err != nil {
		p.setMessage("Not cancelled: "+err.Error()+".", true)
		return
	}
	name := p.appt.PatientName
	s.reload() // the appointment leaves the diary; its slot is free again
	p.setMessage(name+"'s appointment is cancelled; the time is free to book.", false)
}

func (p *appointmentPanel) setMessage(text string, isError bool) {
	showMessage(p.message, text, isError)
}

// PrintCard writes the appointment card as a PDF in the temporary folder
// and opens it in the system's PDF viewer, for printing: the same job as
// 'linkwell print card'.
func (p *appointmentPanel) PrintCard() {
	path, err := tempPDF("appointment-card-*.pdf")
	if err == nil {
		if err = printing.Card(context.Background(), p.screen.app.store, p.screen.app.session, p.appt.ID, p.largePrint.Checked, path); err != nil {
			os.Remove(path)
		}
	}
	if err != nil {
		p.setMessage("The card could not be made: "+err.Error()+".", true)
		return
	}
	p.lastCard = path
	p.setMessage("The card is open in your PDF viewer; print it from there.", false)
	if err := openInViewer(path); err != nil {
		p.setMessage("The card is saved as "+path+" but could not be opened: "+err.Error()+".", true)
	}
}
