package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// TodayScreen is reception's list of today's appointments for every link
// worker, in time order, with one-click arrived, attended and DNA.
type TodayScreen struct {
	app   *App
	appts []data.Appointment

	title   *widget.Label
	summary *widget.Label
	message *widget.Label
	empty   *widget.Label
	list    *todayList
	header  *fyne.Container                 // the columns' titles
	cols    *todayLayout                    // shared by the header and every row
	rows    map[*todayRow]widget.ListItemID // rows as bound to items
	content fyne.CanvasObject
}

// todayColumns are the widths of the fixed columns; the patient takes the
// rest.
var todayColumns = []struct {
	title string
	width float32
}{{"Time", 100}, {"Link worker", 130}, {"Patient", 0}, {"Type", 140}, {"Where", 190}, {"Status", 165}, {"Mark", 270}}

// todayRow is one row's widgets.
type todayRow struct {
	time, worker, patient, kind, mode *widget.Label
	status                            *Pill
	statusBox                         *fyne.Container
	arrived, attended, dna            *widget.Button
	box                               *fyne.Container
}

// NewTodayScreen lists today's appointments.
func NewTodayScreen(a *App) *TodayScreen {
	s := &TodayScreen{app: a, rows: map[*todayRow]widget.ListItemID{}}
	s.title = heading("")
	s.summary = widget.NewLabel("")
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Hide()
	s.empty = widget.NewLabel("No appointments today. Book one from the Diary (Ctrl+B there finds the next free slot).")
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Hide()
	refresh := widget.NewButtonWithIcon("Refresh (F5)", theme.ViewRefreshIcon(), s.Reload)

	s.list = &todayList{refresh: s.Reload}
	s.list.Length, s.list.CreateItem, s.list.UpdateItem = func() int { return len(s.appts) }, s.newRow, s.updateRow
	s.list.ExtendBaseWidget(s.list)

	s.cols = &todayLayout{changed: func() {
		s.header.Refresh()
		s.list.Refresh() // its rows' height follows the layout
	}}
	var header []fyne.CanvasObject
	for _, c := range todayColumns {
		header = append(header, widget.NewLabelWithStyle(c.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	s.header = container.New(todayHeader{s.cols}, header...)
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, refresh, s.title),
		s.summary, s.message,
		s.header,
		widget.NewSeparator())
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewStack(s.list, s.empty)))
	a.onKey(fyne.KeyF5, s.Reload)
	s.Reload()
	return s
}

// Content is the screen's root object.
func (s *TodayScreen) Content() fyne.CanvasObject { return s.content }

// todayList is the day's list; F5 reloads it while it has the focus too (a
// focused widget is given every key, and a list would drop F5).
type todayList struct {
	widget.List
	refresh func()
}

func (l *todayList) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyF5 {
		l.refresh()
		return
	}
	l.List.TypedKey(k)
}

// Reload reads today's appointments again (another receptionist may have
// marked some).
func (s *TodayScreen) Reload() {
	now := s.app.store.Now()
	s.title.SetText("Today, " + now.Format("Monday 2 January 2006"))
	appts, err := s.app.store.TodayAppointments(context.Background(), s.app.session, now)
	if err != nil {
		s.setMessage("Today's appointments could not be read: "+err.Error(), true)
		return
	}
	s.appts = appts
	counts := map[string]int{}
	for _, a := range appts {
		counts[a.Status]++
	}
	cancelled := counts[data.AppointmentCancelledPatient] + counts[data.AppointmentCancelledPractice]
	if live := len(appts) - cancelled; len(appts) == 0 || live == 0 && cancelled == 0 {
		s.summary.SetText("")
	} else {
		s.summary.SetText(fmt.Sprintf("%s: %d still to come, %d arrived, %d attended, %d did not attend; %d cancelled (greyed).",
			plural(len(appts)-cancelled, "appointment"), counts[data.AppointmentBooked], counts[data.AppointmentArrived],
			counts[data.AppointmentAttended], counts[data.AppointmentDNA], cancelled))
	}
	if len(appts) == 0 {
		s.empty.Show()
		s.list.Hide()
	} else {
		s.empty.Hide()
		s.list.Show()
	}
	s.list.Refresh()
}

func (s *TodayScreen) newRow() fyne.CanvasObject {
	r := &todayRow{}
	label := func() *widget.Label {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	r.time, r.worker, r.patient, r.kind, r.mode = label(), label(), label(), label(), label()
	r.status = newAppointmentPill(data.AppointmentBooked)
	r.arrived = widget.NewButton("Arrived", nil)
	r.attended = widget.NewButton("Attended", nil)
	r.dna = widget.NewButton("DNA", nil)
	buttons := container.NewGridWithColumns(3, r.arrived, r.attended, r.dna)
	r.statusBox = container.NewHBox(r.status)
	r.box = container.New(s.cols, r.time, r.worker, r.patient, r.kind, r.mode, r.statusBox, buttons)
	s.rows[r] = -1
	return r.box
}

func (s *TodayScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	var r *todayRow
	for row := range s.rows {
		if row.box == o {
			r = row
		}
	}
	if r == nil || id >= len(s.appts) {
		return
	}
	s.rows[r] = id
	a := s.appts[id]
	r.time.SetText(a.Start.Format("15:04") + "–" + a.End.Format("15:04"))
	r.worker.SetText(a.WorkerName)
	r.patient.SetText(a.PatientName)
	r.kind.SetText(a.TypeName)
	mode := data.LabelOf(data.AppointmentModes, a.Mode)
	if a.SiteName != "" {
		mode += ", " + a.SiteName
	}
	r.mode.SetText(mode)
	setAppointmentPill(r.status, a.Status)
	r.statusBox.Refresh() // the pill's width follows its word
	cancelled := strings.HasPrefix(a.Status, "cancelled")
	// Cancelled rows are greyed: still there to answer "did they cancel?".
	for _, l := range []*widget.Label{r.time, r.worker, r.patient, r.kind, r.mode} {
		if cancelled {
			l.Importance = widget.LowImportance
		} else {
			l.Importance = widget.MediumImportance
		}
		l.Refresh()
	}
	open := a.Status == data.AppointmentBooked || a.Status == data.AppointmentArrived
	enable(r.arrived, a.Status == data.AppointmentBooked)
	enable(r.attended, open)
	enable(r.dna, open)
	for _, b := range []*widget.Button{r.arrived, r.attended, r.dna} {
		if cancelled || !s.app.session.May(data.OpBook) { // only those who book mark arrivals
			b.Hide()
		} else {
			b.Show()
		}
	}
	id64 := a.ID
	r.arrived.OnTapped = func() { s.Mark(id64, data.AppointmentArrived) }
	r.attended.OnTapped = func() { s.Mark(id64, data.AppointmentAttended) }
	r.dna.OnTapped = func() { s.Mark(id64, data.AppointmentDNA) }
}

// row is the row showing item i, if it is on screen.
func (s *TodayScreen) row(i int) *todayRow {
	for r, id := range s.rows {
		if id == i {
			return r
		}
	}
	return nil
}

// Mark records a status for an appointment and shows the list again.
func (s *TodayScreen) Mark(id int64, status string) {
	var a data.Appointment
	for _, x := range s.appts {
		if x.ID == id {
			a = x
		}
	}
	word := strings.ToLower(data.LabelOf(data.AppointmentStatuses, status))
	if err := s.app.store.SetAppointmentStatus(context.Background(), s.app.session, id, status); err != nil {
		s.setMessage(fmt.Sprintf("%s was not marked %s: %s.", a.PatientName, word, err.Error()), true)
		s.Reload()
		return
	}
	msg := fmt.Sprintf("%s (%s with %s) marked %s.", a.PatientName, a.Start.Format("15:04"), a.WorkerName, word)
	if status == data.AppointmentDNA && a.ReferralID != 0 {
		if n, err := s.app.store.DNACount(context.Background(), s.app.session, a.PatientID, a.ReferralID); err == nil && n >= 2 {
			msg += fmt.Sprintf(" That is %d missed appointments in this episode: %s sees a warning on the caseload.", n, a.WorkerName)
		}
	}
	s.setMessage(msg, false)
	s.Reload()
}

func (s *TodayScreen) setMessage(text string, isError bool) {
	showMessage(s.message, text, isError)
}

// todayLayout lays a row (or the header) out in todayColumns: on one
// line when the window is wide enough for every column, else (scale 1.4)
// on two, the status and the Mark buttons at the right of the second, so
// the screen is no wider than the window (issue 17). The header and every
// row share one todayLayout; the header, laid out first and as wide as
// the list, decides.
type todayLayout struct {
	twoLines bool
	changed  func() // the list's rows change height
}

// todayFirstLine is how many of todayColumns go on the first of two lines.
const todayFirstLine = 5

const todayFlexMin = 80 // the patient's least width

func todayWidth(cols []float32) float32 {
	w := float32(0)
	for _, c := range cols {
		w += max(c, todayFlexMin)
	}
	return w
}

func todayWidths() []float32 {
	out := make([]float32, len(todayColumns))
	for i, c := range todayColumns {
		out[i] = c.width
	}
	return out
}

func (l *todayLayout) lines() [][]float32 {
	w := todayWidths()
	if l.twoLines {
		return [][]float32{w[:todayFirstLine], w[todayFirstLine:]}
	}
	return [][]float32{w}
}

func (l *todayLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := float32(0), float32(0)
	at := 0
	for n, line := range l.lines() {
		lh := float32(0)
		for range line {
			if at < len(objs) {
				lh = max(lh, objs[at].MinSize().Height)
			}
			at++
		}
		if n > 0 {
			h += theme.Padding()
		}
		h += lh
		w = max(w, todayWidth(line))
	}
	return fyne.NewSize(w, h)
}

// todayHeader lays the header out and decides for every row whether
// they take one line or two.
type todayHeader struct{ *todayLayout }

func (l todayHeader) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if two := size.Width < todayWidth(todayWidths()); two != l.twoLines {
		l.twoLines = two
		defer l.changed()
	}
	l.todayLayout.Layout(objs, size)
}

func (l *todayLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	lines := l.lines()
	lineH := make([]float32, len(lines))
	at := 0
	for n, line := range lines {
		for range line {
			if at < len(objs) {
				lineH[n] = max(lineH[n], objs[at].MinSize().Height)
			}
			at++
		}
	}
	spareH := max(0, size.Height-l.MinSize(objs).Height) / float32(len(lines))
	at = 0
	y := float32(0)
	for n, line := range lines {
		h := lineH[n] + spareH
		flex := max(size.Width-todayWidth(line)+todayFlexMin, todayFlexMin)
		x := float32(0)
		if n > 0 { // the status and the buttons at the right
			x = max(0, size.Width-todayWidth(line))
		}
		for _, w := range line {
			if at >= len(objs) {
				break
			}
			if w == 0 {
				w = flex
			}
			o := objs[at]
			m := o.MinSize()
			o.Resize(fyne.NewSize(w-4, min(m.Height, h)))
			o.Move(fyne.NewPos(x, y+(h-min(m.Height, h))/2))
			x += w
			at++
		}
		y += h + theme.Padding()
	}
}

// plural is "1 appointment", "2 appointments".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
