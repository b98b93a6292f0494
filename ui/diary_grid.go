package ui

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// diaryGrid draws diary columns (one per worker-day) against a time ruler:
// grey outside sessions, plain inside them (free time), appointments as
// coloured blocks on top. It is one widget with a few canvas objects per
// appointment, not a widget per slot, so a week scrolls smoothly.
type diaryGrid struct {
	widget.BaseWidget

	days        []data.WorkerDay // one per column
	first, last int              // the ruler's range, minutes after midnight
	now         time.Time        // the store's clock: the red "now" line
	selected    int64            // appointment ID drawn with a border

	onAppointment func(data.Appointment)
	onFree        func(day data.WorkerDay, at time.Time)
	onScroll      func(minute int) // bring a time into view (keyboard steps)

	focused bool
	objects []fyne.CanvasObject
	ruler   []*canvas.Text      // one per hour
	lines   []*canvas.Rectangle // hour lines across the columns
	columns []*canvas.Rectangle // off-session background per column
	past    []*canvas.Rectangle // a grey veil over time gone by, per column
	blocks  []*gridBlock
	nowLine *canvas.Rectangle
	outline *canvas.Rectangle // keyboard focus
}

const (
	gridRulerWidth  = 52
	gridPxPerMinute = 1.5
	gridLineHeight  = 17
)

type blockKind int

const (
	blockSession blockKind = iota
	blockLeave
	blockAppointment
)

// gridBlock is a session, a leave day or an appointment in one column.
type gridBlock struct {
	col      int
	from, to int // minutes after midnight
	kind     blockKind
	appt     data.Appointment
	bg, edge *canvas.Rectangle
	texts    []*canvas.Text
	lines    []string // the texts' full wording, cut to fit in layout
}

func newDiaryGrid() *diaryGrid {
	g := &diaryGrid{first: 8 * 60, last: 18 * 60}
	g.ExtendBaseWidget(g)
	return g
}

// minuteOf is minutes after London midnight.
func minuteOf(t time.Time) int {
	t = t.In(diaryLondon())
	return t.Hour()*60 + t.Minute()
}

// setDays replaces the columns and rebuilds the drawing.
func (g *diaryGrid) setDays(days []data.WorkerDay, now time.Time) {
	g.days, g.now = days, now
	// 08:00–18:00, widened to whole hours around any session or appointment.
	g.first, g.last = 8*60, 18*60
	for _, d := range days {
		for _, s := range d.Sessions {
			g.first, g.last = min(g.first, s.Start/60*60), max(g.last, (s.End+59)/60*60)
		}
		for _, a := range d.Appointments {
			g.first, g.last = min(g.first, minuteOf(a.Start)/60*60), max(g.last, (minuteOf(a.End)+59)/60*60)
		}
	}
	g.last = min(g.last, 24*60)
	g.build()
	g.Refresh()
}

func (g *diaryGrid) build() {
	fg := theme.Color(theme.ColorNameForeground)
	sep := theme.Color(theme.ColorNameSeparator)
	g.objects, g.ruler, g.lines, g.columns, g.blocks = nil, nil, nil, nil, nil
	for range g.days {
		r := canvas.NewRectangle(theme.Color(theme.ColorNameDisabledButton))
		g.columns = append(g.columns, r)
		g.objects = append(g.objects, r)
	}
	for i, d := range g.days {
		for _, s := range d.Sessions {
			b := &gridBlock{col: i, from: s.Start, to: s.End, kind: blockSession,
				bg:   canvas.NewRectangle(theme.Color(theme.ColorNameBackground)),
				edge: canvas.NewRectangle(freeEdge), lines: []string{s.SiteName}}
			g.addBlock(b, theme.Color(theme.ColorNamePlaceHolder))
		}
		if len(d.Sessions) == 0 && len(d.Leave) == 0 {
			b := &gridBlock{col: i, from: g.first, to: g.last, kind: blockLeave,
				bg: canvas.NewRectangle(color.Transparent), lines: []string{"No sessions this day"}}
			g.addBlock(b, theme.Color(theme.ColorNamePlaceHolder))
		}
		for _, l := range d.Leave {
			why := "On leave"
			if l.WorkerID == 0 {
				why = "Practice closed"
			}
			if l.Reason != "" {
				why += ": " + l.Reason
			}
			b := &gridBlock{col: i, from: g.first, to: g.last, kind: blockLeave,
				bg: canvas.NewRectangle(leaveFill), lines: []string{why}}
			g.addBlock(b, color.Black)
		}
		// Missed appointments first, so a live booking in the freed slot is
		// drawn over them. Cancelled ones are not drawn: their time is free.
		for _, live := range []bool{false, true} {
			for _, a := range d.Appointments {
				if a.Live() != live || a.Status == data.AppointmentCancelledPatient || a.Status == data.AppointmentCancelledPractice {
					continue
				}
				b := &gridBlock{col: i, from: minuteOf(a.Start), to: minuteOf(a.End), kind: blockAppointment, appt: a,
					bg: canvas.NewRectangle(appointmentColour(a.Status)), edge: canvas.NewRectangle(color.Transparent),
					lines: []string{a.Start.Format("15:04") + " " + a.PatientName, a.TypeName + " · " + statusWord(a.Status)}}
				b.bg.CornerRadius = 4
				b.edge.StrokeWidth = 2
				b.edge.CornerRadius = 4
				g.addBlock(b, color.Black)
				b.texts[0].TextStyle.Bold = true
			}
		}
	}
	for h := g.first / 60; h <= g.last/60; h++ {
		g.lines = append(g.lines, canvas.NewRectangle(sep))
		t := canvas.NewText(data.FormatMinutes(h*60), fg)
		t.TextSize = theme.CaptionTextSize()
		g.ruler = append(g.ruler, t)
	}
	// Hour lines go over sessions and leave, under appointments.
	g.objects = append(g.objects, g.blockObjects(false)...)
	g.past = nil
	for range g.days {
		r := canvas.NewRectangle(pastVeil)
		g.past = append(g.past, r)
		g.objects = append(g.objects, r)
	}
	g.objects = append(g.objects, g.hourObjects()...)
	g.objects = append(g.objects, g.blockObjects(true)...)
	g.nowLine = canvas.NewRectangle(theme.Color(theme.ColorNameError))
	g.outline = canvas.NewRectangle(color.Transparent)
	g.outline.StrokeWidth = 3
	g.objects = append(g.objects, g.nowLine, g.outline)
}

func (g *diaryGrid) addBlock(b *gridBlock, textColour color.Color) {
	for _, s := range b.lines {
		t := canvas.NewText(s, textColour)
		t.TextSize = theme.CaptionTextSize() + 1
		b.texts = append(b.texts, t)
	}
	g.blocks = append(g.blocks, b)
}

func (g *diaryGrid) hourObjects() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for i := range g.lines {
		out = append(out, g.lines[i], g.ruler[i])
	}
	return out
}

func (g *diaryGrid) blockObjects(appointments bool) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, b := range g.blocks {
		if (b.kind == blockAppointment) != appointments {
			continue
		}
		out = append(out, b.bg)
		if b.edge != nil {
			out = append(out, b.edge)
		}
		for _, t := range b.texts {
			out = append(out, t)
		}
	}
	return out
}

// Colours that carry meaning beside the words (free, leave).
var (
	freeEdge  = color.NRGBA{0x4c, 0xaf, 0x50, 0xff}
	leaveFill = color.NRGBA{0xe8, 0xdc, 0xc0, 0xff}
	pastVeil  = color.NRGBA{0x80, 0x80, 0x80, 0x38}
)

// appointmentColour is light enough for black text in both themes; the
// status word is always written too.
func appointmentColour(status string) color.Color {
	switch status {
	case data.AppointmentBooked:
		return color.NRGBA{0xc6, 0xdb, 0xf7, 0xff} // light blue
	case data.AppointmentArrived:
		return color.NRGBA{0xff, 0xe0, 0x8a, 0xff} // amber: waiting to be seen
	case data.AppointmentAttended:
		return color.NRGBA{0xbf, 0xe6, 0xc3, 0xff} // green
	case data.AppointmentDNA:
		return color.NRGBA{0xf3, 0xc9, 0xd0, 0xff} // rose
	}
	return color.NRGBA{0xdd, 0xdd, 0xdd, 0xff} // cancelled: grey
}

// statusWord is the short status shown in the diary.
func statusWord(status string) string {
	if status == data.AppointmentDNA {
		return "DNA"
	}
	return data.LabelOf(data.AppointmentStatuses, status)
}

func (g *diaryGrid) y(minute int) float32 { return float32(minute-g.first) * gridPxPerMinute }

func (g *diaryGrid) columnWidth(width float32) float32 {
	if len(g.days) == 0 {
		return 0
	}
	return (width - gridRulerWidth) / float32(len(g.days))
}

// place moves and sizes a block part, hiding it when too small to draw
// (a rounded rectangle smaller than its corners cannot be painted).
func place(o *canvas.Rectangle, x, y, w, h float32) {
	o.Hidden = w < 2*o.CornerRadius+2 || h < 2*o.CornerRadius+1
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSize(max(w, 0), max(h, 0)))
}

func (g *diaryGrid) layout(size fyne.Size) {
	colW := g.columnWidth(size.Width)
	if colW < 20 {
		return // not laid out yet
	}
	height := g.y(g.last)
	for i, c := range g.columns {
		c.Move(fyne.NewPos(gridRulerWidth+float32(i)*colW, 0))
		c.Resize(fyne.NewSize(colW-1, height))
	}
	for i, l := range g.lines {
		y := g.y((g.first/60 + i) * 60)
		l.Move(fyne.NewPos(gridRulerWidth-6, y))
		l.Resize(fyne.NewSize(size.Width-gridRulerWidth+6, 1))
		t := g.ruler[i]
		ts := t.MinSize()
		t.Move(fyne.NewPos(gridRulerWidth-10-ts.Width, min(max(y-ts.Height/2, 0), height-ts.Height)))
	}
	for _, b := range g.blocks {
		x := gridRulerWidth + float32(b.col)*colW
		w := colW - 1
		top, bottom := g.y(b.from), g.y(b.to)
		textX := x + 8
		switch b.kind {
		case blockSession:
			place(b.edge, x, top, 4, bottom-top)
		case blockAppointment:
			x, w = x+8, w-14
			textX = x + 5
			// A block ends a pixel early so back-to-back bookings show apart.
			bottom--
			if b.appt.ID == g.selected {
				b.edge.StrokeColor = theme.Color(theme.ColorNamePrimary)
			} else {
				b.edge.StrokeColor = color.NRGBA{0, 0, 0, 0x40}
			}
			place(b.edge, x, top, w, bottom-top)
		}
		place(b.bg, x, top, w, bottom-top)
		ty := top + 1
		for i, t := range b.texts {
			fits := ty+gridLineHeight <= bottom+2 || i == 0 && b.kind == blockAppointment
			t.Hidden = !fits
			t.Text = cutToWidth(b.lines[i], t.TextSize, t.TextStyle, w-12)
			t.Move(fyne.NewPos(textX, ty))
			ty += gridLineHeight
		}
	}
	for i, d := range g.days {
		// Days gone by are veiled whole, today up to now.
		end := g.first
		switch {
		case midnight(d.Day).Before(midnight(g.now)):
			end = g.last
		case sameDay(d.Day, g.now):
			end = min(max(minuteOf(g.now), g.first), g.last)
		}
		place(g.past[i], gridRulerWidth+float32(i)*colW, 0, colW-1, g.y(end))
	}
	g.nowLine.Hidden = true
	for i, d := range g.days {
		if sameDay(d.Day, g.now) && minuteOf(g.now) >= g.first && minuteOf(g.now) <= g.last {
			g.nowLine.Hidden = false
			g.nowLine.Move(fyne.NewPos(gridRulerWidth+float32(i)*colW, g.y(minuteOf(g.now))-1))
			g.nowLine.Resize(fyne.NewSize(colW-1, 2))
			if len(g.days) > 1 && !sameDay(g.days[0].Day, g.days[len(g.days)-1].Day) {
				break // a week: only today's column
			}
			// All workers today: the line runs across every column.
			g.nowLine.Move(fyne.NewPos(gridRulerWidth, g.y(minuteOf(g.now))-1))
			g.nowLine.Resize(fyne.NewSize(size.Width-gridRulerWidth, 2))
			break
		}
	}
	g.outline.Hidden = !g.focused
	g.outline.StrokeColor = focusRing()
	g.outline.Resize(size)
}

func sameDay(a, b time.Time) bool {
	a, b = a.In(diaryLondon()), b.In(diaryLondon())
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// cutToWidth shortens text with an ellipsis to fit width.
func cutToWidth(s string, size float32, style fyne.TextStyle, width float32) string {
	if width <= 0 {
		return ""
	}
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		if fyne.MeasureText(string(r)+"…", size, style).Width <= width {
			return string(r) + "…"
		}
	}
	return ""
}

// at finds what lies under a point: an appointment, or free time in a
// session (ok false on a leave day, off-session time or the ruler).
func (g *diaryGrid) at(p fyne.Position) (appt *data.Appointment, day data.WorkerDay, minute int, inSession bool) {
	colW := g.columnWidth(g.Size().Width)
	if p.X < gridRulerWidth || colW <= 0 {
		return nil, data.WorkerDay{}, 0, false
	}
	col := int((p.X - gridRulerWidth) / colW)
	if col >= len(g.days) {
		return nil, data.WorkerDay{}, 0, false
	}
	minute = g.first + int(p.Y/gridPxPerMinute)
	day = g.days[col]
	// Topmost first: live appointments are drawn last.
	for i := len(g.blocks) - 1; i >= 0; i-- {
		b := g.blocks[i]
		if b.col != col || minute < b.from || minute >= b.to {
			continue
		}
		switch b.kind {
		case blockAppointment:
			a := b.appt
			return &a, day, minute, false
		case blockLeave:
			return nil, day, minute, false
		case blockSession:
			inSession = true
		}
	}
	return nil, day, minute, inSession
}

// freeStart is where a booking clicked at minute should start: the quarter
// hour, but not before the end of the appointment just before it or the
// session's start.
func (g *diaryGrid) freeStart(col, minute int) int {
	start := minute / 15 * 15
	for _, b := range g.blocks {
		if b.col != col {
			continue
		}
		if b.kind == blockSession && b.from <= minute && minute < b.to {
			start = max(start, b.from)
		}
		if b.kind == blockAppointment && b.appt.Live() && b.to <= minute {
			start = max(start, b.to)
		}
	}
	return start
}

// Tapped selects an appointment or starts a booking in free time.
func (g *diaryGrid) Tapped(e *fyne.PointEvent) {
	appt, day, minute, inSession := g.at(e.Position)
	switch {
	case appt != nil:
		g.selectAppointment(*appt)
	case inSession && g.onFree != nil:
		col := 0
		for i := range g.days {
			if g.days[i].WorkerID == day.WorkerID && g.days[i].Day.Equal(day.Day) {
				col = i
			}
		}
		m := g.freeStart(col, minute)
		y, mo, d := day.Day.In(diaryLondon()).Date()
		g.onFree(day, time.Date(y, mo, d, m/60, m%60, 0, 0, diaryLondon()))
	}
}

func (g *diaryGrid) selectAppointment(a data.Appointment) {
	g.selected = a.ID
	g.Refresh()
	if g.onAppointment != nil {
		g.onAppointment(a)
	}
}

// shown are the drawn appointments in column then time order, for the
// keyboard to step through.
func (g *diaryGrid) shown() []data.Appointment {
	var out []data.Appointment
	for _, d := range g.days {
		for _, a := range d.Appointments {
			if a.Status != data.AppointmentCancelledPatient && a.Status != data.AppointmentCancelledPractice {
				out = append(out, a)
			}
		}
	}
	return out
}

// FocusGained, FocusLost, TypedRune and TypedKey let the keyboard step
// through the appointments: Down/Right next, Up/Left previous.
func (g *diaryGrid) FocusGained()   { g.focused = true; g.Refresh() }
func (g *diaryGrid) FocusLost()     { g.focused = false; g.Refresh() }
func (g *diaryGrid) TypedRune(rune) {}
func (g *diaryGrid) TypedKey(e *fyne.KeyEvent) {
	list := g.shown()
	if len(list) == 0 {
		return
	}
	pos := -1
	for i, a := range list {
		if a.ID == g.selected {
			pos = i
		}
	}
	switch e.Name {
	case fyne.KeyDown, fyne.KeyRight:
		pos = min(pos+1, len(list)-1)
	case fyne.KeyUp, fyne.KeyLeft:
		pos = max(pos-1, 0)
	default:
		return
	}
	g.selectAppointment(list[pos])
	if g.onScroll != nil {
		g.onScroll(minuteOf(list[pos].Start) - 30)
	}
}

// AccessibilityLabel describes the grid to screen readers: how many
// appointments, how to step through them, and the selected one.
func (g *diaryGrid) AccessibilityLabel() string {
	list := g.shown()
	label := fmt.Sprintf("Diary, appointments shown: %d. The arrow keys step through them", len(list))
	for _, a := range list {
		if a.ID == g.selected {
			label += ". Selected: " + a.Start.In(diaryLondon()).Format("Monday 2 January 15:04") + ", " +
				a.PatientName + " with " + a.WorkerName + ", " + a.TypeName + ", " + statusWord(a.Status)
		}
	}
	return label
}

// AccessibilityRole is text, not container: Fyne reads only leaves to a
// screen reader and skips containers.
func (g *diaryGrid) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// CreateRenderer implements fyne.Widget.
func (g *diaryGrid) CreateRenderer() fyne.WidgetRenderer { return &diaryGridRenderer{g} }

type diaryGridRenderer struct{ g *diaryGrid }

func (r *diaryGridRenderer) Layout(size fyne.Size) { r.g.layout(size) }
func (r *diaryGridRenderer) MinSize() fyne.Size {
	return fyne.NewSize(gridRulerWidth+float32(len(r.g.days))*80, r.g.y(r.g.last)+1)
}
func (r *diaryGridRenderer) Refresh() {
	r.g.layout(r.g.Size())
	for _, o := range r.g.objects {
		o.Refresh()
	}
}
func (r *diaryGridRenderer) Objects() []fyne.CanvasObject { return r.g.objects }
func (r *diaryGridRenderer) Destroy()                     {}
