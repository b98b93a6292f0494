package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// ReferralsScreen lists referrals from intake to closure, with filters, a
// count per status and sortable columns. Rows come a page at a time from
// the store, off the UI goroutine, so a large practice never waits.
type ReferralsScreen struct {
	app *App

	status, worker, source, reason *widget.Select
	from, to, text                 *keyEntry // they pass the window's shortcuts on; Down in text moves to the list
	caseload                       *widget.Check
	clear, open, newReferral       *widget.Button
	export                         *widget.Button // Export CSV…, for roles that may export
	lastExport                     string
	filterMsg, summary             *widget.Label
	dnaWarning                     *widget.Label // a caseload's patients with two or more DNAs
	pipeline                       *fyne.Container
	stages                         map[data.ReferralStatus]*widget.Button
	emptyText                      *widget.Label
	emptyClear, emptyNew           *widget.Button
	empty                          *fyne.Container
	table                          *referralTable
	headers                        []*sortHeader // the table's header buttons, as made
	workers                        []data.User

	sort       data.ReferralSort
	quiet      bool // set while several filters change at once, to load once
	textSeq    atomic.Int64
	selected   int64 // the referral of the selected row, 0: none
	lastTapRow int
	lastTapAt  time.Time
	rows       shownRows       // the rows on show, for keepScreen
	restore    *referralsState // the list as last left, put back on the first load

	// Loading state. The mutex is for tests: Fyne's test driver runs
	// fyne.Do callbacks on the calling goroutine, not the UI one.
	mu        sync.Mutex
	gen       int // bumped by every reload; a result of an older one is dropped
	shownGen  int // the reload whose rows are on show
	shownF    data.ReferralFilter
	shownSort data.ReferralSort
	count     int  // rows listed: those matching, -1 before the first load
	over      bool // text matched more than data.TextCountLimit: count is that limit
	pages     map[int][]data.ReferralRow
	loading   map[int]bool

	content fyne.CanvasObject
}

// referralPage is how many rows one query reads; maxPages caps the cache.
const (
	referralPage = 100
	maxPages     = 20
	doubleTap    = 500 * time.Millisecond
)

const (
	allStatuses  = "All"
	openStatuses = "Open (received–active)"
	anyChoice    = "Any"
)

var openStatusList = []data.ReferralStatus{data.StatusReceived, data.StatusContacted, data.StatusAccepted, data.StatusActive}

// referralColumns are the list's columns; sort is "" where the store
// cannot sort by it.
var referralColumns = []struct {
	title, sort string
	width       float32
	least       float32 // narrowest in a narrow window, text cut (0: width)
}{
	{"Patient", data.SortPatient, 160, 104},
	{"NHS number", data.SortNHSNumber, 112, 0},
	{"Received", data.SortReceived, 104, 0},
	{"Source", data.SortSource, 160, 96}, // every source whole (TestReferralColumnsShowTheirText)
	{"Reasons", "", 185, 104},            // any one reason whole; the case record lists them all
	{"Status", data.SortStatus, 140, 0},
	{"Link worker", data.SortLinkWorker, 120, 0},
	{"Days waiting", data.SortWaiting, 132, 0},
	{"Last activity", data.SortActivity, 128, 0},
}

// referralWidths are the columns' widths in a table width wide: as set
// out, unless the columns worked from (Patient to Status) would not show
// without scrolling (scale 1.4); then the patient, source and reasons
// narrow, their text cut with an ellipsis, down to their least (issue 17).
func referralWidths(width float32) []float32 {
	out := make([]float32, len(referralColumns))
	main, give := float32(0), float32(0)
	for i, c := range referralColumns {
		out[i] = c.width
		if i <= statusCol {
			main += c.width
			if c.least > 0 {
				give += c.width - c.least
			}
		}
	}
	over := main - width
	if over <= 0 || give == 0 {
		return out
	}
	part := min(1, over/give)
	for i, c := range referralColumns {
		if c.least > 0 {
			out[i] = c.width - (c.width-c.least)*part
		}
	}
	return out
}

const statusCol = 5

// NewReferralsScreen builds the filters, the pipeline and the table, and
// starts the first load.
func NewReferralsScreen(a *App) *ReferralsScreen {
	s := &ReferralsScreen{app: a, count: -1, lastTapRow: -1,
		pages: map[int][]data.ReferralRow{}, loading: map[int]bool{},
		sort: data.ReferralSort{Column: data.SortReceived, Desc: true}}

	s.buildFilters()
	s.buildTable()
	s.putBack(a.referralsKept)

	s.open = widget.NewButtonWithIcon("Open case record", theme.FolderOpenIcon(), s.OpenSelected)
	if !a.session.May(data.OpViewCaseRecord) {
		s.open.SetText("Open referral") // reception sees what booking needs
	}
	s.open.Disable()
	s.newReferral = widget.NewButtonWithIcon("New referral", theme.ContentAddIcon(), func() { a.StartReferral(0) })
	s.newReferral.Hidden = !a.session.May(data.OpRefer)
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), s.Refresh)
	s.export = widget.NewButtonWithIcon("Export CSV…", theme.DocumentSaveIcon(), s.chooseExport)
	s.export.Hidden = !a.session.May(data.OpExport)

	s.summary = widget.NewLabel("Loading…")
	s.stages = map[data.ReferralStatus]*widget.Button{}
	// The stage buttons, then the summary, wrap when the window is narrow.
	s.pipeline = newFlow(spareRight)
	for _, st := range data.ReferralStatuses {
		st := st
		b := widget.NewButton(st.Label(), func() { s.filterStatus(st) })
		s.stages[st] = b
		s.pipeline.Add(b)
	}
	s.pipeline.Add(s.summary)

	s.dnaWarning = widget.NewLabel("")
	s.dnaWarning.Importance = widget.DangerImportance
	s.dnaWarning.Wrapping = fyne.TextWrapWord
	s.dnaWarning.Hide()

	s.emptyText = widget.NewLabel("")
	s.emptyClear = widget.NewButtonWithIcon("Clear filters", theme.ContentClearIcon(), s.ClearFilters)
	s.emptyNew = widget.NewButtonWithIcon("New referral", theme.ContentAddIcon(), func() { a.StartReferral(0) })
	// A plain background keeps the table's column lines from running
	// through the message.
	s.empty = container.NewCenter(container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameBackground)),
		container.NewPadded(container.NewVBox(s.emptyText, container.NewCenter(container.NewHBox(s.emptyClear, s.emptyNew))))))
	s.empty.Hide()

	// Each row wraps rather than widen the window at scale 1.4 (issue 17).
	top := container.NewVBox(
		newFlow(spareBeforeLast, heading("Referrals"), container.NewHBox(s.open, s.newReferral, s.export, refresh)),
		newWrapGrid(4,
			labelled("Status", s.status), labelled("Link worker", s.worker),
			labelled("Source", s.source), labelled("Reason", s.reason)),
		newFlow(spareLast, container.NewHBox(
			widget.NewLabel("Received from"), container.New(fixedWidth(120), s.from),
			widget.NewLabel("to"), container.New(fixedWidth(120), s.to)),
			container.New(sideBySide{last: 290}, labelled("Find", s.text),
				container.NewHBox(layout.NewSpacer(), s.caseload, s.clear))),
		s.filterMsg,
		s.pipeline,
		s.dnaWarning,
	)
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewStack(focusMarked(s.table), s.empty)))

	ctrl := fyne.KeyModifierShortcutDefault
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, func() { focus(a.win, s.text) })
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: ctrl}, func() { a.StartReferral(0) })
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: ctrl}, s.OpenSelected)
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: ctrl}, func() {
		if !s.export.Hidden {
			s.chooseExport()
		}
	})
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: ctrl}, func() { s.focusHeader(s.sortColumn()) })

	s.reload()
	return s
}

// Focus puts the cursor in the free-text filter (the app calls it once the
// screen is on the window).
func (s *ReferralsScreen) Focus() { focus(s.app.win, s.text) }

// Content is the screen's root object.
func (s *ReferralsScreen) Content() fyne.CanvasObject { return s.content }

// labelled puts a label to the left of an input.
func labelled(label string, input fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(label), nil, input)
}

func (s *ReferralsScreen) buildFilters() {
	statuses := []string{allStatuses, openStatuses}
	for _, st := range data.ReferralStatuses {
		statuses = append(statuses, st.Label())
	}
	s.status = widget.NewSelect(statuses, func(string) { s.reload() })
	s.status.SetSelected(allStatuses)

	workers := []string{anyChoice}
	if ws, err := s.app.store.UsersWithRole(context.Background(), s.app.session, data.RoleLinkWorker); err == nil {
		s.workers = ws
		for _, w := range ws {
			workers = append(workers, w.FullName)
		}
	}
	s.worker = widget.NewSelect(workers, func(string) { s.reload() })
	s.worker.SetSelected(anyChoice)
	s.source = widget.NewSelect(append([]string{anyChoice}, choiceLabels(data.ReferralSources)...), func(string) { s.reload() })
	s.source.SetSelected(anyChoice)
	s.reason = widget.NewSelect(append([]string{anyChoice}, choiceLabels(data.ReferralReasons)...), func(string) { s.reload() })
	s.reason.SetSelected(anyChoice)

	s.from = s.app.newEntry()
	s.from.SetPlaceHolder("DD/MM/YYYY")
	s.to = s.app.newEntry()
	s.to.SetPlaceHolder("DD/MM/YYYY")
	for _, e := range []*keyEntry{s.from, s.to} {
		// Load as soon as a whole date is typed (or the box emptied); a
		// half-typed date is not an error yet.
		e.OnChanged = func(t string) {
			if t = strings.TrimSpace(t); t == "" || len(t) >= 10 {
				s.reload()
			}
		}
		e.OnSubmitted = func(string) { s.reload() }
	}
	s.text = s.app.newEntry()
	s.text.onDown = s.toList
	s.text.SetPlaceHolder("Patient name or NHS number")
	s.text.OnChanged = func(string) { s.reloadSoon() }
	s.text.OnSubmitted = func(string) { s.textSeq.Add(1); s.reload() }

	// A link worker starts on their own open cases.
	s.caseload = widget.NewCheck("My caseload", func(on bool) {
		// A caseload is the open cases: say so in the status filter, so
		// what is shown is what the filters say.
		quiet := s.quiet
		s.quiet = true
		if on {
			s.worker.Disable()
			if s.status.Selected == allStatuses {
				s.status.SetSelected(openStatuses)
			}
		} else {
			s.worker.Enable()
		}
		s.quiet = quiet
		s.reload()
	})
	if s.app.user.Role.HasCaseload() {
		s.quiet = true
		s.caseload.SetChecked(true)
		s.quiet = false
	} else {
		s.caseload.Hide()
	}
	s.clear = widget.NewButtonWithIcon("Clear filters", theme.ContentClearIcon(), s.ClearFilters)
	s.filterMsg = errorLabel()
}

func (s *ReferralsScreen) buildTable() {
	t := &referralTable{onTap: s.rowTapped, onEnter: s.OpenSelected, onTop: s.Focus, tapped: -1}
	t.onSized = func() { s.rows.scrollBack(&t.Table) }
	t.Length = func() (int, int) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return max(s.count, 0), len(referralColumns)
	}
	t.CreateCell = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		pill := NewPill(data.StatusReceived)
		// Spacers centre the pill in the row's height, at its own width.
		return container.NewStack(l, container.NewVBox(layout.NewSpacer(), container.NewHBox(pill), layout.NewSpacer()))
	}
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		stack := o.(*fyne.Container)
		l := stack.Objects[0].(*widget.Label)
		pillBox := stack.Objects[1].(*fyne.Container)
		pillRow := pillBox.Objects[1].(*fyne.Container)
		pill := pillRow.Objects[0].(*Pill)
		s.rows.drawn(id.Row, o)
		r, ok := s.row(id.Row)
		if ok && id.Col == statusCol {
			pill.SetStatus(r.Status)
			pillRow.Refresh() // the pill's width follows its word
			l.Hide()
			pillBox.Show()
			return
		}
		pillBox.Hide()
		l.Show()
		if !ok {
			l.SetText("…")
			return
		}
		l.SetText(referralCell(r, id.Col))
	}
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		b := &sortHeader{screen: s, col: -1}
		b.ExtendBaseWidget(b)
		s.headers = append(s.headers, b)
		b.Alignment = widget.ButtonAlignLeading
		b.IconPlacement = widget.ButtonIconTrailingText
		b.Importance = widget.LowImportance
		return b
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col < 0 || id.Col >= len(referralColumns) {
			return
		}
		b := o.(*sortHeader)
		b.col = id.Col
		c := referralColumns[id.Col]
		b.SetText(c.title)
		switch {
		case c.sort == "":
			b.SetIcon(nil)
			b.OnTapped = nil
		case c.sort == s.sort.Column && s.sort.Desc:
			b.SetIcon(theme.MenuDropDownIcon())
		case c.sort == s.sort.Column:
			b.SetIcon(theme.MenuDropUpIcon())
		default:
			b.SetIcon(nil)
		}
		if c.sort != "" {
			b.OnTapped = func() { s.SortBy(c.sort) }
		}
	}
	t.OnSelected = func(id widget.TableCellID) {
		t.tapped = id.Row
		if r, ok := s.row(id.Row); ok {
			s.selected = r.ID
			s.open.Enable()
		}
	}
	t.OnUnselected = func(widget.TableCellID) {
		t.tapped = -1
		s.selected = 0
		s.open.Disable()
	}
	t.ExtendBaseWidget(t)
	for i, c := range referralColumns {
		t.SetColumnWidth(i, c.width)
	}
	s.table = t
}

func referralCell(r data.ReferralRow, col int) string {
	switch col {
	case 0:
		return r.PatientName
	case 1:
		if r.NHSNumber == "" {
			return "—"
		}
		return data.FormatNHSNumber(r.NHSNumber)
	case 2:
		return data.FormatUKDate(r.ReceivedOn)
	case 3:
		return data.LabelOf(data.ReferralSources, r.Source)
	case 4:
		var words []string
		for _, code := range r.Reasons {
			words = append(words, data.LabelOf(data.ReferralReasons, code))
		}
		return strings.Join(words, ", ")
	case 5:
		return r.Status.Label()
	case 6:
		if r.LinkWorker == "" {
			return "Not assigned"
		}
		return r.LinkWorker
	case 7:
		return fmt.Sprint(r.DaysWaiting)
	case 8:
		day, _, _ := strings.Cut(data.FormatUKDateTime(r.LastActivityAt), " ")
		return day
	}
	return ""
}

// filter reads the filters; a message instead when a date is not a date.
func (s *ReferralsScreen) filter() (data.ReferralFilter, string) {
	var f data.ReferralFilter
	switch sel := s.status.Selected; sel {
	case allStatuses, "":
	case openStatuses:
		f.Statuses = openStatusList
	default:
		for _, st := range data.ReferralStatuses {
			if st.Label() == sel {
				f.Statuses = []data.ReferralStatus{st}
			}
		}
	}
	if s.caseload.Visible() && s.caseload.Checked {
		f.LinkWorkerID = s.app.user.ID
	} else if i := s.worker.SelectedIndex(); i > 0 && i-1 < len(s.workers) {
		f.LinkWorkerID = s.workers[i-1].ID
	}
	f.Source = data.CodeOf(data.ReferralSources, s.source.Selected)
	f.Reason = data.CodeOf(data.ReferralReasons, s.reason.Selected)
	f.Text = strings.TrimSpace(s.text.Text)
	var bad []string
	for _, d := range []struct {
		entry *keyEntry
		into  *string
		name  string
	}{{s.from, &f.From, "Received from"}, {s.to, &f.To, "Received to"}} {
		if t := strings.TrimSpace(d.entry.Text); t != "" {
			if day, err := data.ParseUKDate(t); err != nil {
				bad = append(bad, d.name+": type the date as DD/MM/YYYY, e.g. 01/04/2026")
			} else {
				*d.into = day.Format(data.DateLayout)
			}
		}
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		bad = append(bad, "The “from” date is after the “to” date: swap them")
	}
	return f, strings.Join(bad, ". ")
}

// anyFilter is true when any filter narrows the list.
func anyFilter(f data.ReferralFilter) bool {
	return len(f.Statuses) > 0 || f.LinkWorkerID != 0 || f.Source != "" || f.Reason != "" ||
		f.From != "" || f.To != "" || f.Text != ""
}

// reloadSoon reloads shortly after the typing stops (about 200 ms).
func (s *ReferralsScreen) reloadSoon() {
	n := s.textSeq.Add(1)
	background(s.app.win, 200*time.Millisecond, func() func() {
		return func() {
			if s.textSeq.Load() == n {
				s.reload()
			}
		}
	})
}

// Refresh reloads the list with the filters and sort as they are.
func (s *ReferralsScreen) Refresh() { s.reload() }

// reloadKeeping reloads the list (another desk changed a referral) and
// keeps the selected row and the place in the list, as coming back does.
func (s *ReferralsScreen) reloadKeeping() {
	k := s.kept()
	s.restore, s.rows.back = k, k.top
	s.reload()
}

// reload counts and loads the first page for the filters and sort, off the
// UI goroutine; the rows on show stay until the new ones arrive.
func (s *ReferralsScreen) reload() {
	if s.quiet || s.table == nil {
		return
	}
	f, msg := s.filter()
	setError(s.filterMsg, msg)
	if msg != "" {
		return // the last good list stays on show
	}
	s.mu.Lock()
	s.gen++
	gen := s.gen
	s.mu.Unlock()
	sort := s.sort
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		ctx := context.Background()
		n, err := store.CountReferrals(ctx, sess, f)
		var counts map[data.ReferralStatus]int
		var rows []data.ReferralRow
		total := n
		// A name or number matching more than the counts go to has a
		// pipeline that is not counted either (its statuses are all of them).
		if err == nil && f.PipelineCounted(n) {
			counts, err = store.StatusCounts(ctx, sess, f)
		}
		if err == nil && n > 0 {
			rows, err = store.ListReferrals(ctx, sess, f, sort, 0, referralPage)
		}
		if err == nil && n == 0 && anyFilter(f) {
			total, err = store.CountReferrals(ctx, sess, data.ReferralFilter{})
		}
		// A link worker's caseload warns of patients who have missed two
		// or more appointments in their episode.
		var dnas []data.DNAWarning
		if err == nil && f.LinkWorkerID != 0 {
			dnas, err = store.ReferralsWithDNAs(ctx, sess, f.LinkWorkerID, 2)
		}
		return func() {
			s.showDNAs(dnas)
			s.showFirst(gen, f, sort, n, total, counts, rows, err)
		}
	})
}

// showDNAs lists the caseload's patients with two or more DNAs.
func (s *ReferralsScreen) showDNAs(dnas []data.DNAWarning) {
	if len(dnas) == 0 {
		s.dnaWarning.Hide()
		return
	}
	var names []string
	for _, d := range dnas {
		names = append(names, fmt.Sprintf("%s (%d)", d.PatientName, d.DNAs))
	}
	s.dnaWarning.SetText("Missed two or more appointments in this episode: " + strings.Join(names, ", ") +
		". Contact them before booking again.")
	s.dnaWarning.Show()
}

// DNAWarning is the caseload's missed-appointments warning, "" when none.
func (s *ReferralsScreen) DNAWarning() string {
	if !s.dnaWarning.Visible() {
		return ""
	}
	return s.dnaWarning.Text
}

// showFirst puts a reload's results on screen, unless a newer reload began.
func (s *ReferralsScreen) showFirst(gen int, f data.ReferralFilter, sort data.ReferralSort, n, total int,
	counts map[data.ReferralStatus]int, rows []data.ReferralRow, err error) {
	s.mu.Lock()
	if gen != s.gen {
		s.mu.Unlock()
		return
	}
	if err != nil {
		s.mu.Unlock()
		s.summary.SetText("")
		setError(s.filterMsg, "The referrals could not be loaded: "+err.Error()+". Try Refresh.")
		return
	}
	s.shownGen, s.shownF, s.shownSort = gen, f, sort
	s.count = n
	over := f.OverLimit(n)
	if over {
		s.count = data.TextCountLimit // the first ones are listed
	}
	s.over = over
	s.pages = map[int][]data.ReferralRow{0: rows}
	s.loading = map[int]bool{}
	s.mu.Unlock()

	s.selected = 0
	s.open.Disable()
	s.lastTapRow = -1
	s.table.UnselectAll()
	s.table.Refresh()
	s.table.ScrollToTop()

	for st, b := range s.stages {
		if counts == nil { // not counted: too many
			b.SetText(st.Label())
		} else {
			b.SetText(fmt.Sprintf("%s %s", st.Label(), thousands(counts[st])))
		}
		if len(f.Statuses) == 1 && f.Statuses[0] == st {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
	switch {
	case over:
		s.summary.SetText(fmt.Sprintf("More than %s match: the first %[1]s are listed. Type more to narrow them.", thousands(data.TextCountLimit)))
	case n == 1:
		s.summary.SetText("1 referral")
	default:
		s.summary.SetText(thousands(n) + " referrals")
	}
	s.pipeline.Refresh() // the buttons and summary changed width
	// The first load after putBack goes back to where the list was.
	s.rows.scrollBack(&s.table.Table)
	s.selectKept()
	defer s.empty.Refresh() // its buttons may have changed
	switch {
	case n > 0:
		s.empty.Hide()
	case total == 0:
		s.emptyText.SetText("No referrals yet — add one with New referral.")
		s.emptyClear.Hide()
		s.emptyNew.Hidden = !s.app.session.May(data.OpRefer)
		s.empty.Show()
	default:
		s.emptyText.SetText("No referrals match — clear the filters.")
		s.emptyClear.Show()
		s.emptyNew.Hide()
		s.empty.Show()
	}
}

// row is a loaded row; when its page is not loaded yet it asks for it.
func (s *ReferralsScreen) row(i int) (data.ReferralRow, bool) {
	p := i / referralPage
	s.mu.Lock()
	defer s.mu.Unlock()
	if rows, ok := s.pages[p]; ok {
		if i%referralPage < len(rows) {
			return rows[i%referralPage], true
		}
		return data.ReferralRow{}, false
	}
	if s.loading[p] || i >= s.count {
		return data.ReferralRow{}, false
	}
	if runsAtOnce(s.app.win) {
		// Drawn in memory: read the page now (see background), as the
		// table is being drawn and cannot be refreshed from inside.
		rows, err := s.app.store.ListReferrals(context.Background(), s.app.session, s.shownF, s.shownSort, p*referralPage, referralPage)
		if err == nil {
			s.pages[p] = rows
			if i%referralPage < len(rows) {
				return rows[i%referralPage], true
			}
		}
		return data.ReferralRow{}, false
	}
	s.loading[p] = true
	gen, f, sort := s.shownGen, s.shownF, s.shownSort
	background(s.app.win, 0, func() func() {
		rows, err := s.app.store.ListReferrals(context.Background(), s.app.session, f, sort, p*referralPage, referralPage)
		return func() { s.showPage(gen, p, rows, err) }
	})
	return data.ReferralRow{}, false
}

// showPage shows a page read in the background if the list on show is
// still the one it belongs to.
func (s *ReferralsScreen) showPage(gen, p int, rows []data.ReferralRow, err error) {
	s.mu.Lock()
	if gen != s.shownGen {
		s.mu.Unlock()
		return
	}
	delete(s.loading, p)
	if err != nil {
		s.mu.Unlock()
		setError(s.filterMsg, "Some referrals could not be loaded: "+err.Error()+". Try Refresh.")
		return
	}
	s.pages[p] = rows
	// Forget the pages furthest from this one, so a long scroll does
	// not keep the whole list in memory.
	for len(s.pages) > maxPages {
		far, dist := -1, -1
		for q := range s.pages {
			if d := absInt(q - p); d > dist {
				far, dist = q, d
			}
		}
		delete(s.pages, far)
	}
	s.mu.Unlock()
	s.table.Refresh()
	s.selectKept()
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// countShown is how many referrals the list holds, and whether that is all
// that match (not when text matched more than the counts go to).
func (s *ReferralsScreen) countShown() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count, !s.over
}

// Count is the number of referrals matching the filters, -1 before the
// first load.
func (s *ReferralsScreen) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Row is the row at i, if loaded.
func (s *ReferralsScreen) Row(i int) (data.ReferralRow, bool) { return s.row(i) }

// SortBy sorts by a column (data.Sort*); the same column again reverses.
// Dates and days waiting start newest or longest first, the rest A to Z.
func (s *ReferralsScreen) SortBy(column string) {
	if s.sort.Column == column {
		s.sort.Desc = !s.sort.Desc
	} else {
		s.sort = data.ReferralSort{Column: column,
			Desc: column == data.SortReceived || column == data.SortWaiting || column == data.SortActivity}
	}
	s.table.Refresh() // the arrows
	s.reload()
}

// Sort is the order on show.
func (s *ReferralsScreen) Sort() data.ReferralSort { return s.sort }

// filterStatus shows one status (from the pipeline); again shows all.
func (s *ReferralsScreen) filterStatus(st data.ReferralStatus) {
	if s.status.Selected == st.Label() {
		s.status.SetSelected(allStatuses)
	} else {
		s.status.SetSelected(st.Label())
	}
}

// ClearFilters shows every referral.
func (s *ReferralsScreen) ClearFilters() {
	s.quiet = true
	s.status.SetSelected(allStatuses)
	s.worker.SetSelected(anyChoice)
	s.source.SetSelected(anyChoice)
	s.reason.SetSelected(anyChoice)
	s.from.SetText("")
	s.to.SetText("")
	s.text.SetText("")
	s.caseload.SetChecked(false)
	s.quiet = false
	s.textSeq.Add(1) // drop a search still waiting to run
	s.reload()
}

// OpenSelected opens the case record of the selected referral.
func (s *ReferralsScreen) OpenSelected() {
	if s.selected != 0 {
		s.app.OpenCase(s.selected)
	}
}

// rowTapped opens the case record when the same row is tapped twice within
// doubleTap: a table has no double-tap of its own.
func (s *ReferralsScreen) rowTapped(row int) {
	now := time.Now()
	if row == s.lastTapRow && now.Sub(s.lastTapAt) <= doubleTap {
		s.lastTapRow = -1
		s.OpenSelected()
		return
	}
	s.lastTapRow, s.lastTapAt = row, now
}

// referralTable is a Table that reports every tap on a row, even on the
// row already selected, and opens the selection with Enter. Up and Down
// move the selection, so Enter opens the row the keyboard is on; Up from
// the first row goes back to the search box.
type referralTable struct {
	widget.Table
	onTap   func(row int)
	onEnter func()
	onTop   func()
	onSized func()
	tapped  int // the row the last tap selected, -1: none
}

// Resize implements fyne.Widget; a list put back where it was scrolls
// there once it has a size.
func (t *referralTable) Resize(size fyne.Size) {
	for i, w := range referralWidths(size.Width - 2*theme.Padding()) {
		t.SetColumnWidth(i, w)
	}
	t.Table.Resize(size)
	if t.onSized != nil {
		t.onSized()
	}
}

// Tapped implements fyne.Tappable.
func (t *referralTable) Tapped(e *fyne.PointEvent) {
	// A tap on the selected cell selects nothing new, so clear the
	// selection first to hear of it again.
	t.tapped = -1
	t.UnselectAll()
	t.Table.Tapped(e)
	if t.tapped >= 0 && t.onTap != nil {
		t.onTap(t.tapped)
	}
}

// TypedKey implements fyne.Focusable: Enter opens the selected row.
func (t *referralTable) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if t.onEnter != nil {
			t.onEnter()
		}
		return
	case fyne.KeyUp, fyne.KeyDown:
		t.moveSelection(k.Name)
		return
	}
	t.Table.TypedKey(k)
}

// moveSelection selects the row above or below the selected one (the first
// row when none is); Up from the first row leaves the table.
func (t *referralTable) moveSelection(key fyne.KeyName) {
	rows, _ := t.Length()
	row := t.tapped
	switch {
	case row < 0 && key == fyne.KeyDown:
		row = 0
	case row <= 0 && key == fyne.KeyUp:
		if t.onTop != nil {
			t.onTop()
		}
		return
	case key == fyne.KeyDown:
		row = min(row+1, rows-1)
	default:
		row--
	}
	if row >= 0 && row < rows {
		t.Select(widget.TableCellID{Row: row})
	}
}

// toList moves from the search box to the list (Down), selecting the first
// row unless one is selected already.
func (s *ReferralsScreen) toList() {
	if s.Count() <= 0 {
		return
	}
	focus(s.app.win, s.table)
	if s.selected == 0 {
		s.table.Select(widget.TableCellID{Row: 0})
	}
}

// top is where the list is scrolled to.
func (s *ReferralsScreen) top() float32 {
	_, top := s.rows.of(&s.table.Table)
	return top
}

// kept is the list as it is now, for when the screen is built again.
func (s *ReferralsScreen) kept() *referralsState {
	if s.restore != nil {
		return s.restore // left before the list came back: keep what was
	}
	return &referralsState{status: s.status.Selected, worker: s.worker.Selected, source: s.source.Selected,
		reason: s.reason.Selected, from: s.from.Text, to: s.to.Text, text: s.text.Text,
		caseload: s.caseload.Checked, sort: s.sort,
		selected: s.selected, selectedRow: s.table.tapped, top: s.top()}
}

// putBack sets the filters and sort as they were left; the first load then
// selects the row and scrolls as they were (s.restore).
func (s *ReferralsScreen) putBack(k *referralsState) {
	if k == nil {
		return
	}
	s.quiet = true
	if s.caseload.Visible() {
		s.caseload.SetChecked(k.caseload)
	}
	s.status.SetSelected(k.status)
	s.worker.SetSelected(k.worker)
	s.source.SetSelected(k.source)
	s.reason.SetSelected(k.reason)
	s.from.SetText(k.from)
	s.to.SetText(k.to)
	s.text.SetText(k.text)
	s.textSeq.Add(1) // the search SetText started is the first load
	s.quiet = false
	s.sort = k.sort
	s.restore = k
	s.rows.back = k.top
}

// selectKept selects the row kept by putBack once it is loaded: where it
// was, or wherever it now is among the rows read.
func (s *ReferralsScreen) selectKept() {
	k := s.restore
	if k == nil {
		return
	}
	if k.selected == 0 {
		s.restore = nil
		return
	}
	if r, ok := s.row(k.selectedRow); ok && r.ID == k.selected {
		s.restore = nil
		s.table.Select(widget.TableCellID{Row: k.selectedRow})
		return
	}
	s.mu.Lock()
	loading := len(s.loading) > 0
	found := -1
	for p, rows := range s.pages {
		for i, r := range rows {
			if r.ID == k.selected {
				found = p*referralPage + i
			}
		}
	}
	s.mu.Unlock()
	if found >= 0 || !loading {
		s.restore = nil
	}
	if found >= 0 {
		s.table.Select(widget.TableCellID{Row: found})
	}
}
