package ui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// DirectoryScreen is the community directory: find services as you type,
// filter them, see how fresh each entry is, and edit one at a time. Link
// workers and the practice manager keep it up to date; everyone else reads.
type DirectoryScreen struct {
	app          *App
	canEdit      bool
	reviewsStale bool // their role reviews stale entries, so the stale list is offered
	pageSize     int

	// Finding.
	search                          *keyEntry
	postcode                        *keyEntry
	category, cost, access, status  *widget.Select
	staleOnly                       *widget.Check
	clear, staleList                *widget.Button
	prev, next                      *iconButton
	importBtn, exportBtn, newButton *widget.Button
	filterMsg, summary              *widget.Label
	table                           *resultTable // Up and Down move, Enter opens
	rows                            shownRows    // the rows on show, for keepScreen
	restore                         *directoryState
	results                         []data.Service
	total, offset                   int
	staleMode                       bool // showing the practice manager's stale list
	quiet                           bool // set while several filters change at once
	searchSeq                       atomic.Int64

	// The entry in the form as last loaded or saved, and the form as it
	// was then, to tell whether anything has been typed since.
	loaded data.Service
	shown  data.Service

	heading, prescribable, verified                         *widget.Label
	name, organisation, description, address, postcodeEntry *keyEntry
	phone, email, website, schedule, costWords              *keyEntry
	eligibility, accessibility, externalID                  *keyEntry
	free                                                    *widget.Check
	accessEntry, statusEntry                                *widget.Select
	categories                                              map[string]*widget.Check
	catOrder                                                []string // ticked categories, the main one first
	fields                                                  fields
	message                                                 *widget.Label
	save, verify                                            *widget.Button
	right                                                   *fyne.Container // the form's panel

	// LastImport is what the last import or export said, for tests and
	// for the status line.
	lastImport string

	content fyne.CanvasObject
}

// directoryPage is how many services one page of the table shows: a
// practice directory holds about a thousand.
const directoryPage = 200

var directoryColumns = []column{{"Service", 215}, {"Categories", 130}, {"Cost, access", 108}, {"Status", 130}, {"Verified", 105}}

const (
	anyCost      = "Any cost"
	anyAccess    = "Any access"
	anyStatus    = "Any status"
	anyCategory  = "Any category"
	costFreeWord = "Free"
	costPaidWord = "Paid"
)

// NewDirectoryScreen builds the filters, the table and the form, and loads
// the first page.
func NewDirectoryScreen(a *App) *DirectoryScreen {
	s := &DirectoryScreen{app: a, pageSize: directoryPage,
		canEdit:      a.session.May(data.OpEditDirectory),
		reviewsStale: a.user.Role.ReviewsStaleServices()}

	s.buildFilters()
	s.buildTable()
	s.buildForm()
	s.putBack(a.directoryKept)

	s.importBtn = widget.NewButtonWithIcon("Import…", theme.DownloadIcon(), s.chooseImport)
	s.exportBtn = widget.NewButtonWithIcon("Export…", theme.UploadIcon(), s.chooseExport)
	s.newButton = widget.NewButtonWithIcon("New service", theme.ContentAddIcon(), s.NewService)
	s.staleList = widget.NewButtonWithIcon("Stale entries", theme.WarningIcon(), s.ToggleStaleList)
	tools := container.NewHBox(s.staleList, s.importBtn, s.exportBtn, s.newButton)
	if !s.reviewsStale {
		s.staleList.Hide()
	}
	if !s.canEdit {
		s.importBtn.Hide()
		s.newButton.Hide()
	}

	s.summary = widget.NewLabel("")
	s.summary.Truncation = fyne.TextTruncateEllipsis
	s.prev = newIconButton("Previous page", theme.NavigateBackIcon(), func() { s.page(-1) })
	s.next = newIconButton("Next page", theme.NavigateNextIcon(), func() { s.page(1) })
	s.prev.Hide()
	s.next.Hide()

	filters := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Find"), container.NewHBox(s.staleOnly, s.clear), s.search),
		newWrapGrid(5, s.category, s.cost, s.access, s.status,
			container.NewBorder(nil, nil, widget.NewLabel("Postcode area"), nil, s.postcode)),
		s.filterMsg,
		container.NewBorder(nil, nil, nil, container.NewHBox(s.prev, s.next), s.summary),
	)
	left := container.NewBorder(nil, nil, nil, nil, focusMarked(s.table))

	buttons := container.NewHBox(s.save, s.verify)
	if !s.canEdit {
		buttons.Hide()
	}
	// The categories go under the form at its full width, so the longest
	// ("debt and benefits advice") fit two to a row in a narrow panel.
	cats := s.fields.named("Categories")
	form := widget.NewForm(s.fields.without(cats).formItems()...)
	catBox := container.NewVBox(widget.NewSeparator(),
		sectionLabel("Categories (the first ticked is the main one)"), cats.err, cats.input)
	// The bars above and below the scrolling form are opaque, so that
	// nothing scrolled under them shows through (the software renderer of
	// the screenshots does not clip entries nested in a scroll).
	s.right = container.NewBorder(opaque(container.NewVBox(s.heading, s.prescribable)),
		opaque(container.NewVBox(widget.NewSeparator(), s.verified, s.message, buttons)), nil, nil,
		container.NewVScroll(container.NewVBox(form, catBox)))
	right := s.right
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(right))
	split.Offset = 0.615
	top := container.NewVBox(newFlow(spareBeforeLast, heading("Community directory"), tools), filters)
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, split))

	ctrl := fyne.KeyModifierShortcutDefault
	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, func() { focus(a.win, s.search) })
	if s.canEdit {
		a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: ctrl}, s.NewService)
		a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: ctrl}, s.Save)
	}

	s.fill(data.Service{})
	if s.restore != nil {
		s.load() // the page it was on
	} else {
		s.reload()
	}
	return s
}

// Focus puts the cursor in the search box.
func (s *DirectoryScreen) Focus() { focus(s.app.win, s.search) }

// Content is the screen's root object.
func (s *DirectoryScreen) Content() fyne.CanvasObject { return s.content }

// entry makes an entry whose Ctrl shortcuts reach this screen.
func (s *DirectoryScreen) entry(multiLine bool, onSave func()) *keyEntry {
	e := newKeyEntry(multiLine, onSave, nil)
	e.app = s.app
	return e
}

func (s *DirectoryScreen) buildFilters() {
	s.search = s.entry(false, nil)
	s.search.SetPlaceHolder("Name, organisation, description or category, e.g. walk")
	s.search.OnChanged = func(string) { s.reloadSoon() }
	s.search.OnSubmitted = func(string) { s.searchSeq.Add(1); s.reload() }
	s.search.onDown = s.toResults

	reload := func(string) { s.reload() }
	s.category = widget.NewSelect(append([]string{anyCategory}, data.ServiceCategories...), reload)
	s.category.SetSelected(anyCategory)
	s.cost = widget.NewSelect([]string{anyCost, costFreeWord, costPaidWord}, reload)
	s.cost.SetSelected(anyCost)
	s.access = widget.NewSelect(append([]string{anyAccess}, choiceLabels(data.ServiceAccess)...), reload)
	s.access.SetSelected(anyAccess)
	s.status = widget.NewSelect(append([]string{anyStatus}, choiceLabels(data.ServiceStatuses)...), reload)
	s.status.SetSelected(anyStatus)

	s.postcode = s.entry(false, nil)
	s.postcode.SetPlaceHolder("e.g. HX1")
	// A postcode area is a few characters: search as they are typed,
	// after the same pause as the search box.
	s.postcode.OnChanged = func(string) { s.reloadSoon() }
	s.postcode.OnSubmitted = func(string) { s.searchSeq.Add(1); s.reload() }
	s.postcode.onDown = s.toResults

	s.staleOnly = widget.NewCheck("Stale only", func(bool) { s.reload() })
	s.clear = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), s.ClearFilters)
	s.filterMsg = errorLabel()
}

func (s *DirectoryScreen) buildTable() {
	s.table = &resultTable{onTop: s.Focus}
	s.table.onSized = func() { s.rows.scrollBack(&s.table.Table) }
	s.table.Length = func() (int, int) { return len(s.results), len(directoryColumns) }
	s.table.CreateCell = newServiceCell
	s.table.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		s.rows.drawn(id.Row, o)
		if id.Row < len(s.results) {
			s.updateCell(o.(*fyne.Container), s.results[id.Row], id.Col)
		}
	}
	s.table.ExtendBaseWidget(s.table)
	setColumns(&s.table.Table, directoryColumns)
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.results) {
			s.Open(s.results[id.Row])
		}
	}
}

// newServiceCell is one table cell: two lines (the second small), or a
// status pill over a small line.
func newServiceCell() fyne.CanvasObject {
	top := widget.NewLabel("")
	top.Truncation = fyne.TextTruncateEllipsis
	bottom := widget.NewLabel("")
	bottom.Truncation = fyne.TextTruncateEllipsis
	bottom.SizeName = theme.SizeNameCaptionText
	pill := newWordPill("")
	pillRow := container.NewHBox(pill)
	// Overlap the labels' own padding so two lines take little more room
	// than one and more rows fit on the screen.
	lines := container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.InnerPadding()+2),
		container.NewStack(top, container.NewPadded(pillRow)), bottom)
	return lines
}

func (s *DirectoryScreen) updateCell(c *fyne.Container, sv data.Service, col int) {
	first := c.Objects[0].(*fyne.Container)
	top := first.Objects[0].(*widget.Label)
	pillBox := first.Objects[1].(*fyne.Container)
	pillRow := pillBox.Objects[0].(*fyne.Container)
	pill := pillRow.Objects[0].(*Pill)
	bottom := c.Objects[1].(*widget.Label)
	pillBox.Hide()
	top.Show()
	top.TextStyle = fyne.TextStyle{}
	bottom.Importance = widget.MediumImportance
	bottom.TextStyle = fyne.TextStyle{}
	var line1, line2 string
	switch col {
	case 0:
		line1, line2 = sv.Name, sv.Organisation
		top.TextStyle.Bold = true
	case 1:
		if len(sv.Categories) > 0 {
			line1 = sv.Categories[0]
			line2 = strings.Join(sv.Categories[1:], ", ")
		} else {
			line1 = "—"
		}
	case 2:
		line1, line2 = costWord(sv), data.LabelOf(data.ServiceAccess, sv.Access)
	case 3:
		top.Hide()
		pillBox.Show()
		setServicePill(pill, sv.Status)
		if !data.Prescribable(sv) {
			line2 = "cannot be prescribed"
			bottom.Importance = widget.DangerImportance
		}
	case 4:
		line1 = verifiedDate(sv)
		if data.IsStale(sv, s.app.store.Now()) {
			line2 = "Stale: check it"
			bottom.Importance = widget.DangerImportance
			bottom.TextStyle.Bold = true
		} else {
			line2 = sv.VerifiedBy
		}
	}
	top.SetText(line1)
	bottom.SetText(line2)
	pillRow.Refresh()
}

// newWordPill is a Pill with any word (the referral pill's look, for
// service statuses).
func newWordPill(word string) *Pill {
	p := NewPill(data.StatusReceived)
	p.label.Text = word
	p.Refresh()
	return p
}

// setServicePill shows a service status as a word on a soft colour.
func setServicePill(p *Pill, status string) {
	p.label.Text = data.LabelOf(data.ServiceStatuses, status)
	switch status {
	case "active":
		p.bg.FillColor = statusColour(data.StatusActive)
	case "paused":
		p.bg.FillColor = statusColour(data.StatusReceived)
	default:
		p.bg.FillColor = statusColour(data.StatusClosed)
	}
	p.Refresh()
}

func costWord(sv data.Service) string {
	if sv.IsFree {
		return costFreeWord
	}
	return costPaidWord
}

// verifiedDate is the last verified date in UK form, or "never".
func verifiedDate(sv data.Service) string {
	if sv.LastVerifiedOn == "" {
		return "never"
	}
	return data.FormatUKDate(sv.LastVerifiedOn)
}

// query reads the filters as the store wants them.
func (s *DirectoryScreen) query() data.ServiceQuery {
	q := data.ServiceQuery{Text: s.search.Text, PostcodeArea: strings.TrimSpace(s.postcode.Text), Stale: s.staleOnly.Checked}
	if s.category.Selected != anyCategory {
		q.Category = s.category.Selected
	}
	switch s.cost.Selected {
	case costFreeWord:
		q.Cost = data.CostFree
	case costPaidWord:
		q.Cost = data.CostPaid
	}
	q.Access = data.CodeOf(data.ServiceAccess, s.access.Selected)
	q.Status = data.CodeOf(data.ServiceStatuses, s.status.Selected)
	return q
}

// reloadSoon searches shortly after the typing stops, off the UI goroutine.
func (s *DirectoryScreen) reloadSoon() {
	n := s.searchSeq.Add(1)
	background(s.app.win, 150*time.Millisecond, func() func() {
		return func() {
			if s.searchSeq.Load() == n {
				s.reload()
			}
		}
	})
}

// reload reads the first page for the filters, off the UI goroutine.
func (s *DirectoryScreen) reload() {
	if s.quiet || s.table == nil {
		return
	}
	s.offset = 0
	s.load()
}

// load reads the page at s.offset (or the stale list) and shows it.
func (s *DirectoryScreen) load() {
	n := s.searchSeq.Add(1)
	q, offset, stale := s.query(), s.offset, s.staleMode
	store, sess := s.app.store, s.app.session
	reviewsStale := s.reviewsStale
	background(s.app.win, 0, func() func() {
		ctx := context.Background()
		var list []data.Service
		var total, staleCount int
		var err error
		if stale {
			list, err = store.StaleServices(ctx, sess, store.Now())
			total = len(list)
		} else {
			list, total, err = store.SearchServices(ctx, sess, q, offset, s.pageSize)
		}
		if err == nil && reviewsStale {
			var all []data.Service
			all, err = store.StaleServices(ctx, sess, store.Now())
			staleCount = len(all)
		}
		return func() {
			if s.searchSeq.Load() == n {
				s.show(q, list, total, staleCount, err)
			}
		}
	})
}

func (s *DirectoryScreen) show(q data.ServiceQuery, list []data.Service, total, staleCount int, err error) {
	if err != nil {
		if v, ok := data.FieldErrors(err); ok {
			setError(s.filterMsg, capitalise(v.Error())+".")
		} else {
			setError(s.filterMsg, "The directory could not be searched: "+err.Error()+". Try again.")
		}
		return // the last good list stays on show
	}
	setError(s.filterMsg, "")
	s.results, s.total = list, total
	s.table.UnselectAll()
	s.table.Refresh()
	s.table.highlightFirst()
	s.table.ScrollToTop()
	s.rows.scrollBack(&s.table.Table) // the first load after putBack
	if k := s.restore; k != nil {
		s.restore = nil
		s.openKept(k)
	}
	if s.reviewsStale {
		s.staleList.SetText(fmt.Sprintf("Stale entries (%d)", staleCount))
		if s.staleMode {
			s.staleList.Importance = widget.HighImportance
		} else {
			s.staleList.Importance = widget.MediumImportance
		}
		s.staleList.Refresh()
	}
	// Reselect the entry in the form, if it is still listed.
	for i, sv := range s.results {
		if sv.ID == s.loaded.ID && sv.ID != 0 {
			s.quietSelect(i)
		}
	}
	s.showSummary(q)
}

// toResults moves from a search box to the results (Down).
func (s *DirectoryScreen) toResults() {
	if len(s.results) > 0 {
		focus(s.app.win, s.table)
	}
}

// top is where the list is scrolled to.
func (s *DirectoryScreen) top() float32 {
	_, top := s.rows.of(&s.table.Table)
	return top
}

// kept is the search, the filters, the page and the entry open, for when
// the screen is built again.
func (s *DirectoryScreen) kept() *directoryState {
	if s.restore != nil {
		return s.restore // left before the results came back: keep what was
	}
	return &directoryState{search: s.search.Text, postcode: s.postcode.Text,
		category: s.category.Selected, cost: s.cost.Selected, access: s.access.Selected, status: s.status.Selected,
		staleOnly: s.staleOnly.Checked, staleMode: s.staleMode, offset: s.offset,
		serviceID: s.loaded.ID, top: s.top()}
}

// putBack sets the search and filters as they were left; the first load
// then opens the entry and scrolls as they were (openKept).
func (s *DirectoryScreen) putBack(k *directoryState) {
	if k == nil {
		return
	}
	s.quiet = true
	s.search.SetText(k.search)
	s.postcode.SetText(k.postcode)
	s.category.SetSelected(k.category)
	s.cost.SetSelected(k.cost)
	s.access.SetSelected(k.access)
	s.status.SetSelected(k.status)
	s.staleOnly.SetChecked(k.staleOnly)
	s.staleMode, s.offset = k.staleMode, k.offset
	s.quiet = false
	s.searchSeq.Add(1) // the searches SetText started: the first load is the one
	s.restore = k
	s.rows.back = k.top
}

// openKept puts the entry that was open back in the form (show then
// selects its row).
func (s *DirectoryScreen) openKept(k *directoryState) {
	if k.serviceID == 0 {
		return
	}
	for _, sv := range s.results {
		if sv.ID == k.serviceID {
			s.fill(sv)
			return
		}
	}
	if sv, err := s.app.store.Service(context.Background(), s.app.session, k.serviceID); err == nil {
		s.fill(sv)
	}
}

func (s *DirectoryScreen) showSummary(q data.ServiceQuery) {
	s.prev.Hide()
	s.next.Hide()
	switch {
	case s.staleMode && s.total == 0:
		s.summary.SetText("No stale entries: every open service was checked in the last 12 months.")
	case s.staleMode:
		s.summary.SetText(fmt.Sprintf("%s not verified for 12 months, never-checked and oldest first. Open each, check it, then Mark verified today.",
			count(s.total, "entry", "entries")))
	case s.total == 0 && q == (data.ServiceQuery{}):
		s.summary.SetText("The directory is empty: add a service with New service, or Import a CSV or Open Referral file.")
	case s.total == 0:
		s.summary.SetText("No services match — clear the filters or try fewer words.")
	case s.total <= s.pageSize:
		s.summary.SetText(count(s.total, "service", "services") + ".")
	default:
		s.summary.SetText(fmt.Sprintf("%s–%s of %s services.", thousands(s.offset+1),
			thousands(s.offset+len(s.results)), thousands(s.total)))
		s.prev.Show()
		s.next.Show()
		if s.offset == 0 {
			s.prev.Disable()
		} else {
			s.prev.Enable()
		}
		if s.offset+s.pageSize >= s.total {
			s.next.Disable()
		} else {
			s.next.Enable()
		}
	}
}

// page moves a page back (-1) or on (+1).
func (s *DirectoryScreen) page(dir int) {
	s.offset = max(0, s.offset+dir*s.pageSize)
	s.load()
}

// quietSelect selects a row without reloading the form.
func (s *DirectoryScreen) quietSelect(row int) {
	on := s.table.OnSelected
	s.table.OnSelected = nil
	s.table.Select(widget.TableCellID{Row: row, Col: 0})
	s.table.OnSelected = on
}

// ClearFilters shows the whole directory.
func (s *DirectoryScreen) ClearFilters() {
	s.quiet = true
	s.search.SetText("")
	s.postcode.SetText("")
	s.category.SetSelected(anyCategory)
	s.cost.SetSelected(anyCost)
	s.access.SetSelected(anyAccess)
	s.status.SetSelected(anyStatus)
	s.staleOnly.SetChecked(false)
	s.staleMode = false
	s.quiet = false
	s.reload()
}

// ToggleStaleList shows the practice manager's list of entries not
// verified for 12 months, or goes back to the filtered directory.
func (s *DirectoryScreen) ToggleStaleList() {
	s.staleMode = !s.staleMode
	s.reload()
}

// Results are the services on show.
func (s *DirectoryScreen) Results() []data.Service { return s.results }

// Total is how many services match the filters.
func (s *DirectoryScreen) Total() int { return s.total }

// buildForm makes the form for one entry.
func (s *DirectoryScreen) buildForm() {
	s.heading = heading("New service")
	s.heading.Truncation = fyne.TextTruncateEllipsis
	s.prescribable = widget.NewLabel("")
	s.prescribable.Wrapping = fyne.TextWrapWord
	s.prescribable.Importance = widget.DangerImportance
	s.prescribable.Hide()

	s.name = s.entry(false, s.Save)
	s.organisation = s.entry(false, s.Save)
	s.description = s.entry(true, s.Save)
	s.description.SetMinRowsVisible(3)
	s.address = s.entry(false, s.Save)
	s.address.SetPlaceHolder("Hope Centre, 12 Mill Lane, Halifax")
	s.postcodeEntry = s.entry(false, s.Save)
	s.phone = s.entry(false, s.Save)
	s.email = s.entry(false, s.Save)
	s.website = s.entry(false, s.Save)
	s.website.SetPlaceHolder("https://www.example.org")
	s.schedule = s.entry(false, s.Save)
	s.schedule.SetPlaceHolder("Tuesdays 10:00–12:00")
	s.costWords = s.entry(false, s.Save)
	s.costWords.SetPlaceHolder("Free, or £3 a session")
	s.free = widget.NewCheck("Free", nil)
	s.accessEntry = widget.NewSelect(choiceLabels(data.ServiceAccess), nil)
	s.statusEntry = widget.NewSelect(choiceLabels(data.ServiceStatuses), func(string) { s.showPrescribable() })
	s.eligibility = s.entry(false, s.Save)
	s.eligibility.SetPlaceHolder("Who it is for, e.g. adults over 50")
	s.accessibility = s.entry(false, s.Save)
	s.accessibility.SetPlaceHolder("Step-free access, hearing loop, …")
	s.externalID = s.entry(false, s.Save)
	s.externalID.SetPlaceHolder("Its id in an Open Referral feed (optional)")

	// Categories: ticks in a grid. The order they were ticked in is kept,
	// as the first is the service's main category.
	s.categories = map[string]*widget.Check{}
	grid := container.NewGridWithColumns(2)
	for _, c := range data.ServiceCategories {
		c := c
		check := widget.NewCheck(c, nil)
		check.OnChanged = func(on bool) { s.tickCategory(c, on) }
		s.categories[c] = check
		grid.Add(check)
	}

	for _, e := range []*keyEntry{s.name, s.organisation, s.address, s.postcodeEntry, s.phone, s.email, s.website,
		s.schedule, s.costWords, s.eligibility, s.accessibility, s.externalID} {
		e.OnSubmitted = func(string) { s.Save() }
	}
	s.fields = fields{
		newField("Name", "Name", s.name),
		newField("Organisation", "Organisation", s.organisation),
		newField("Description", "Description", s.description),
		newField("Schedule", "When it runs", s.schedule),
		newField("Cost", "Cost", container.NewBorder(nil, nil, nil, s.free, s.costWords)),
		newField("Access", "How to join", s.accessEntry),
		newField("Status", "Status", s.statusEntry),
		newField("Address", "Address", s.address),
		newField("Postcode", "Postcode", s.postcodeEntry),
		newField("Phone", "Phone", s.phone),
		newField("Email", "E-mail", s.email),
		newField("Website", "Website", s.website),
		newField("Eligibility", "Who it is for", s.eligibility),
		newField("Accessibility", "Accessibility", s.accessibility),
		newField("ExternalID", "Feed id", s.externalID),
		newField("Categories", "Categories", grid),
	}
	s.verified = widget.NewLabel("")
	s.verified.Wrapping = fyne.TextWrapWord
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Hide()
	s.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), s.Save)
	s.save.Importance = widget.HighImportance
	s.verify = widget.NewButtonWithIcon("Mark verified today", theme.ConfirmIcon(), s.MarkVerified)
	if !s.canEdit {
		for _, e := range []*keyEntry{s.name, s.organisation, s.description, s.address, s.postcodeEntry, s.phone,
			s.email, s.website, s.schedule, s.costWords, s.eligibility, s.accessibility, s.externalID} {
			e.Disable()
		}
		for _, c := range s.categories {
			c.Disable()
		}
		s.free.Disable()
		s.accessEntry.Disable()
		s.statusEntry.Disable()
	}
}

func (s *DirectoryScreen) tickCategory(c string, on bool) {
	i := slices.Index(s.catOrder, c)
	switch {
	case on && i < 0:
		s.catOrder = append(s.catOrder, c)
	case !on && i >= 0:
		s.catOrder = append(s.catOrder[:i:i], s.catOrder[i+1:]...)
	}
}

// fill shows a service in the form.
func (s *DirectoryScreen) fill(sv data.Service) {
	s.loaded = sv
	if sv.ID == 0 {
		s.heading.SetText("New service")
		s.save.SetText("Save new service")
		s.verify.Disable()
	} else {
		s.heading.SetText(sv.Name)
		s.save.SetText("Save changes")
		if s.canEdit {
			s.verify.Enable()
		}
	}
	s.name.SetText(sv.Name)
	s.organisation.SetText(sv.Organisation)
	s.description.SetText(sv.Description)
	s.address.SetText(sv.Address)
	s.postcodeEntry.SetText(sv.Postcode)
	s.phone.SetText(sv.Phone)
	s.email.SetText(sv.Email)
	s.website.SetText(sv.Website)
	s.schedule.SetText(sv.Schedule)
	s.costWords.SetText(sv.Cost)
	s.free.SetChecked(sv.IsFree)
	access, status := sv.Access, sv.Status
	if access == "" {
		access = "self_refer"
	}
	if status == "" {
		status = "active"
	}
	s.accessEntry.SetSelected(data.LabelOf(data.ServiceAccess, access))
	s.statusEntry.SetSelected(data.LabelOf(data.ServiceStatuses, status))
	s.eligibility.SetText(sv.Eligibility)
	s.accessibility.SetText(sv.Accessibility)
	s.externalID.SetText(sv.ExternalID)
	for _, c := range s.categories {
		c.SetChecked(false)
	}
	s.catOrder = nil
	for _, c := range sv.Categories {
		if check, ok := s.categories[c]; ok {
			check.SetChecked(true)
		}
	}
	s.catOrder = append([]string(nil), sv.Categories...)
	s.showVerified()
	s.showPrescribable()
	s.fields.clearErrors()
	s.setMessage("", false)
	s.shown = s.formService()
}

// showVerified says when the entry was last checked and by whom.
func (s *DirectoryScreen) showVerified() {
	sv := s.loaded
	var text string
	switch {
	case sv.ID == 0:
		text = "A new entry is not verified until it is saved and checked."
	case sv.LastVerifiedOn == "":
		text = "Never verified."
	case sv.VerifiedBy == "":
		text = "Last verified " + data.FormatUKDate(sv.LastVerifiedOn) + " (by its source feed)."
	default:
		text = "Last verified " + data.FormatUKDate(sv.LastVerifiedOn) + " by " + sv.VerifiedBy + "."
	}
	s.verified.Importance = widget.MediumImportance
	if sv.ID != 0 && data.IsStale(sv, s.app.store.Now()) {
		text += " Stale: not checked for 12 months — ring them or check their website, then Mark verified today."
		s.verified.Importance = widget.DangerImportance
	}
	s.verified.SetText(text)
	s.relayout()
}

// relayout lays the form's panel out again after a line under it changed
// height (a container lays out again only when refreshed).
func (s *DirectoryScreen) relayout() {
	if s.right != nil {
		s.right.Refresh()
	}
}

// showPrescribable warns that a paused or closed service cannot go on a
// prescription, following the status chosen in the form.
func (s *DirectoryScreen) showPrescribable() {
	if s.prescribable == nil {
		return
	}
	code := data.CodeOf(data.ServiceStatuses, s.statusEntry.Selected)
	if code == "" || code == "active" {
		s.prescribable.Hide()
		s.relayout()
		return
	}
	s.prescribable.SetText(data.LabelOf(data.ServiceStatuses, code) + ": stays in the directory but cannot be prescribed.")
	s.prescribable.Show()
	s.relayout()
}

// formService reads the form as typed; the store checks and tidies it.
func (s *DirectoryScreen) formService() data.Service {
	sv := s.loaded
	sv.Name = s.name.Text
	sv.Organisation = s.organisation.Text
	sv.Categories = append([]string(nil), s.catOrder...)
	sv.Description = s.description.Text
	sv.Address = s.address.Text
	sv.Postcode = s.postcodeEntry.Text
	sv.Phone = s.phone.Text
	sv.Email = s.email.Text
	sv.Website = s.website.Text
	sv.Schedule = s.schedule.Text
	sv.Cost = s.costWords.Text
	sv.IsFree = s.free.Checked
	sv.Access = data.CodeOf(data.ServiceAccess, s.accessEntry.Selected)
	sv.Status = data.CodeOf(data.ServiceStatuses, s.statusEntry.Selected)
	sv.Eligibility = s.eligibility.Text
	sv.Accessibility = s.accessibility.Text
	sv.ExternalID = s.externalID.Text
	return sv
}

// Dirty is true when the form differs from the entry loaded.
func (s *DirectoryScreen) Dirty() bool {
	a, b := s.formService(), s.shown
	// Verification is not typed in the form: a click on Mark verified
	// today is not a change to keep.
	a.LastVerifiedOn, a.VerifiedBy, b.LastVerifiedOn, b.VerifiedBy = "", "", "", ""
	if len(a.Categories) == 0 && len(b.Categories) == 0 {
		a.Categories, b.Categories = nil, nil
	}
	return !reflect.DeepEqual(a, b)
}

// Open loads an entry into the form, asking first if typing would be lost.
func (s *DirectoryScreen) Open(sv data.Service) {
	if sv.ID == s.loaded.ID && sv.ID != 0 {
		return
	}
	s.unlessDirty(func() { s.fill(sv) })
}

// NewService clears the form for a new entry.
func (s *DirectoryScreen) NewService() {
	if !s.canEdit {
		return
	}
	s.unlessDirty(func() {
		s.table.UnselectAll()
		s.fill(data.Service{})
		focus(s.app.win, s.name)
	})
}

// unlessDirty runs fn now, or after the user agrees to lose their typing.
func (s *DirectoryScreen) unlessDirty(fn func()) {
	confirmDiscard(s.app.win, "this service", s.Dirty(), fn)
}

// Save checks and stores the form. On any error the form keeps what was
// typed and says what to fix.
func (s *DirectoryScreen) Save() {
	if !s.canEdit {
		return
	}
	s.fields.clearErrors()
	saved, err := s.app.store.SaveService(context.Background(), s.app.session, s.formService())
	switch {
	case err == nil:
	case errors.Is(err, data.ErrChangedElsewhere):
		s.setMessage("Not saved: "+err.Error()+".", true)
		return
	case errors.Is(err, data.ErrNotFound):
		s.setMessage("Not saved: this entry has been deleted from the directory since you opened it. Use New service to add it again.", true)
		return
	default:
		if s.fields.showErrors(err) {
			s.setMessage("Please correct the fields marked in red; nothing has been saved yet.", true)
			if f := s.fields.firstError(); f != nil {
				focus(s.app.win, f.input)
			}
		} else {
			s.setMessage("The service could not be saved: "+err.Error()+".", true)
		}
		return
	}
	isNew := s.loaded.ID == 0
	s.fill(saved)
	s.setMessage("Saved at "+s.app.store.Now().Format("15:04")+".", false)
	s.replaceResult(saved, isNew)
}

// MarkVerified records that the entry was checked today (one click). What
// is typed in the form stays as it is.
func (s *DirectoryScreen) MarkVerified() {
	if s.loaded.ID == 0 || !s.canEdit {
		return
	}
	sv, err := s.app.store.MarkVerified(context.Background(), s.app.session, s.loaded.ID)
	if err != nil {
		s.setMessage("Not marked as verified: "+err.Error()+".", true)
		return
	}
	s.loaded.LastVerifiedOn, s.loaded.VerifiedBy = sv.LastVerifiedOn, sv.VerifiedBy
	s.shown.LastVerifiedOn, s.shown.VerifiedBy = sv.LastVerifiedOn, sv.VerifiedBy
	s.showVerified()
	s.setMessage("Marked as verified today by "+sv.VerifiedBy+".", false)
	for i := range s.results {
		if s.results[i].ID == sv.ID {
			s.results[i].LastVerifiedOn, s.results[i].VerifiedBy = sv.LastVerifiedOn, sv.VerifiedBy
		}
	}
	s.table.Refresh()
	s.refreshStaleCount()
}

// refreshStaleCount updates the stale entries button.
func (s *DirectoryScreen) refreshStaleCount() {
	if !s.reviewsStale {
		return
	}
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		list, err := store.StaleServices(context.Background(), sess, store.Now())
		return func() {
			if err == nil {
				s.staleList.SetText(fmt.Sprintf("Stale entries (%d)", len(list)))
			}
		}
	})
}

// replaceResult shows the saved entry in the results.
func (s *DirectoryScreen) replaceResult(sv data.Service, isNew bool) {
	for i := range s.results {
		if s.results[i].ID == sv.ID {
			s.results[i] = sv
			s.table.Refresh()
			return
		}
	}
	if isNew {
		s.results = append([]data.Service{sv}, s.results...)
		s.total++
		s.summary.SetText("Showing the service just saved at the top.")
		s.table.Refresh()
		s.quietSelect(0)
	}
	s.refreshStaleCount()
}

func (s *DirectoryScreen) setMessage(text string, isError bool) {
	showMessage(s.message, text, isError)
	s.relayout()
}
