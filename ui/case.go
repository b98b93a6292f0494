package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// CaseScreen is the case record of one episode of care: who the person is,
// where the referral stands and what can happen next, the timeline of
// everything done, and the link worker's notes, goals and wellbeing scores.
// The forms live in case_forms.go, the timeline in case_timeline.go.
type CaseScreen struct {
	app    *App
	id     int64
	today  func() time.Time // the clock for ages and days open; tests may fix it
	record data.CaseRecord
	loaded bool // false when the record could not be read

	// Header.
	back          *widget.Button
	name          *widget.Label
	pill          *Pill
	actions       *fyne.Container // the allowed next steps, rebuilt on reload
	moveButtons   map[data.ReferralStatus]*widget.Button
	patientFacts  *widget.RichText
	referralFacts *widget.RichText
	whatMatters   *widget.RichText
	worker        *widget.Label
	reassign      *widget.Button
	prescribe     *widget.Button // "Social prescription…"; nil for roles without
	message       *widget.Label  // the outcome of the last header action

	// The SNOMED CT code to enter in the GP record, once there is one.
	codeCard   *fyne.Container
	codeBg     *canvas.Rectangle
	codeText   *widget.RichText
	codeCopy   *widget.Button
	coded      *widget.Check
	codeNotice *dialog.CustomDialog // shown right after an accept or decline

	moving      *moveDialog     // the open "Close case…" etc. dialog, if any
	reassigning *reassignDialog // the open "Reassign…" dialog, if any

	timeline *caseTimeline
	panel    *container.Scroll // the right-hand side, scrolling
	panelBox *fyne.Container   // what it scrolls

	// Right-hand panel: note, goals, wellbeing (case_forms.go).
	readOnlyNote *widget.Label
	contact      contactForm
	goals        goalsPanel
	wellbeing    wellbeingPanel

	content *fyne.Container
}

// NewCaseScreen builds the case record of a referral and loads it.
func NewCaseScreen(a *App, referralID int64) *CaseScreen {
	s := &CaseScreen{app: a, id: referralID, today: a.store.Now}

	s.back = widget.NewButtonWithIcon("Back to referrals", theme.NavigateBackIcon(), func() { a.Show("Referrals") })
	s.name = heading("")
	s.name.Truncation = fyne.TextTruncateEllipsis
	s.pill = NewPill(data.StatusReceived)
	s.actions = container.NewHBox()
	s.patientFacts = caseRichText()
	s.referralFacts = caseRichText()
	s.whatMatters = caseRichText()
	s.worker = widget.NewLabel("")
	s.reassign = widget.NewButtonWithIcon("Reassign…", theme.AccountIcon(), s.openReassign)
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Hide()
	s.buildCodeCard()

	s.timeline = newCaseTimeline()
	s.readOnlyNote = widget.NewLabelWithStyle("This case has ended. Reopen the case to add to it.",
		fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	s.readOnlyNote.Wrapping = fyne.TextWrapWord
	s.readOnlyNote.Importance = widget.WarningImportance
	s.readOnlyNote.Hide()
	s.buildContactForm()
	s.buildGoals()
	s.buildWellbeing()

	// The name may be long: it gives way (truncates) before the buttons do.
	titleRow := container.NewBorder(nil, nil,
		container.NewHBox(s.back, container.NewCenter(s.pill)), s.actions, s.name)
	workerRow := container.NewHBox(s.worker, s.reassign)
	if a.mayShow("Prescription") {
		// A social prescription for this episode, from its case record.
		s.prescribe = widget.NewButtonWithIcon("Social prescription…", theme.DocumentPrintIcon(), func() {
			a.StartPrescription(s.record.Patient.ID, s.id)
		})
		workerRow.Add(s.prescribe)
	}
	header := container.NewVBox(
		titleRow,
		s.patientFacts,
		container.NewBorder(nil, nil, nil, workerRow, s.referralFacts),
		s.whatMatters,
		s.codeCard,
		s.message,
	)

	left := container.NewBorder(heading("Timeline"), nil, nil, nil, s.timeline.content)
	s.panelBox = container.NewVBox(
		s.readOnlyNote,
		s.contact.content,
		widget.NewSeparator(),
		s.goals.content,
		widget.NewSeparator(),
		s.wellbeing.content,
	)
	s.panel = container.NewVScroll(s.panelBox)
	split := container.NewHSplit(container.NewPadded(left), container.NewPadded(s.panel))
	split.Offset = 0.5
	s.content = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, split)

	a.addShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}, s.AddContact)
	// Escape goes back to the referrals, from the record's own boxes too
	// (asking first if a note or goal is typed); the navigation keys work
	// while typing.
	a.escapeGoesBack(s.Escape)
	for _, e := range []*caseEntry{s.contact.at, s.contact.minutes, s.contact.text, s.goals.description, s.wellbeing.date} {
		e.app, e.onEscape = a, s.Escape
	}
	s.Reload()
	return s
}

// Content is the screen's root object.
func (s *CaseScreen) Content() fyne.CanvasObject { return s.content }

// Escape goes back to the referrals list, as Back does, but asks first if
// a note or a goal is typed and not saved: Escape is easily pressed.
func (s *CaseScreen) Escape() {
	typed := strings.TrimSpace(s.contact.text.Text) != "" || strings.TrimSpace(s.goals.description.Text) != ""
	confirmDiscard(s.app.win, "this case record", typed, func() { s.app.Show("Referrals") })
}

// Reload re-reads the record and shows it; forms keep what was typed. It
// opens the record, which the audit records as a read.
func (s *CaseScreen) Reload() {
	s.show(s.app.store.CaseRecord(context.Background(), s.app.session, s.id))
}

// Refresh shows what another desk changed in the open record (ui/live.go).
// The user opened it already, so this is not recorded as another opening;
// a record not opened yet (or not since signing in) is opened instead.
func (s *CaseScreen) Refresh() {
	if !s.loaded {
		s.Reload()
		return
	}
	c, err := s.app.store.RefreshCaseRecord(context.Background(), s.app.session, s.id)
	if errors.Is(err, data.ErrNotAudited) {
		s.Reload()
		return
	}
	s.show(c, err)
}

// show shows the record as read, or what went wrong.
func (s *CaseScreen) show(c data.CaseRecord, err error) {
	if err != nil {
		s.loaded = false
		s.name.SetText("Case record")
		s.actions.Objects, s.moveButtons = nil, nil
		s.actions.Refresh()
		if errors.Is(err, data.ErrNotFound) {
			s.setMessage("This referral is not in the database any more. Go back to the referrals list.", true)
		} else {
			s.setMessage("The case record could not be read: "+err.Error(), true)
		}
		s.setEditable(false)
		return
	}
	s.loaded = true
	s.record = c
	s.showHeader()
	s.showCode()
	s.timeline.show(c.Timeline)
	s.showGoals()
	s.showWellbeing()
	// The practice manager and GPs read the record; only link workers
	// write to it (data.OpWriteCaseNotes).
	s.setEditable(c.Referral.Status.Open() && s.app.session.May(data.OpWriteCaseNotes))
	s.relayout()
}

// relayout lays the header and the right-hand panel out again. Showing or
// hiding a part (a message, the code card) does not lay out its container;
// the desktop driver catches up on the next frame, but other renderers
// (the test driver, screenshots) would draw it at size zero.
func (s *CaseScreen) relayout() {
	s.content.Refresh() // a container's Refresh lays it out, and all inside it
}

// Record is the case record as last loaded.
func (s *CaseScreen) Record() data.CaseRecord { return s.record }

func (s *CaseScreen) showHeader() {
	c, p, r := s.record, s.record.Patient, s.record.Referral
	today := s.today()
	s.name.SetText(p.FullName())
	s.pill.SetStatus(r.Status)

	var pf []caseFact
	if utf8.RuneCountInString(p.FullName()) > caseNameShown {
		// The heading cuts a long name short; the facts, which wrap, give it whole.
		pf = append(pf, caseFact{"Name", p.FullName()})
	}
	if p.DateOfBirth != "" {
		pf = append(pf, caseFact{"Age", fmt.Sprintf("%d (born %s)", p.Age(today), data.FormatUKDate(p.DateOfBirth))})
	}
	nhs := "none recorded"
	if p.NHSNumber != "" {
		nhs = data.FormatNHSNumber(p.NHSNumber)
	}
	pf = append(pf, caseFact{"NHS", nhs})
	if p.Phone != "" {
		pf = append(pf, caseFact{"Phone", p.Phone})
	}
	if p.Email != "" {
		pf = append(pf, caseFact{"E-mail", p.Email})
	}
	if p.PreferredContact != "" {
		pf = append(pf, caseFact{"Prefers", p.PreferredContact.Label()})
	}
	needs := "none recorded"
	if n := p.CommunicationNeeds(); len(n) > 0 {
		needs = strings.Join(n, ", ")
	}
	pf = append(pf, caseFact{"Communication", needs})
	setCaseFacts(s.patientFacts, pf)

	rf := []caseFact{{"Received", data.FormatUKDate(r.ReceivedOn)}}
	if r.ClosedAt != "" {
		ended := data.FormatUKDateTime(r.ClosedAt)[:10]
		if r.ClosingReason != "" {
			ended += " (" + data.LabelOf(data.ClosingReasons, r.ClosingReason) + ")"
		}
		rf = append(rf, caseFact{"Ended", ended}, caseFact{"Days open", fmt.Sprint(c.DaysOpen(today))})
	} else {
		rf = append(rf, caseFact{"Days open", fmt.Sprint(c.DaysOpen(today))})
	}
	from := data.LabelOf(data.ReferralSources, r.Source)
	if who := strings.Trim(r.ReferrerName+", "+r.ReferrerOrg, ", "); who != "" {
		from += ": " + who
	}
	rf = append(rf, caseFact{"From", from})
	priority := data.LabelOf(data.Priorities, r.Priority)
	if r.PriorityReason != "" {
		priority += " — " + r.PriorityReason
	}
	rf = append(rf, caseFact{"Priority", priority})
	var reasons []string
	for _, code := range r.Reasons {
		reasons = append(reasons, data.LabelOf(data.ReferralReasons, code))
	}
	rf = append(rf, caseFact{"Reasons", strings.Join(reasons, ", ")})
	setCaseFacts(s.referralFacts, rf)

	matters := r.WhatMatters
	if matters == "" {
		matters = "not recorded yet"
	}
	setCaseFacts(s.whatMatters, []caseFact{{"What matters to me", matters}})

	if c.LinkWorker == "" {
		s.worker.SetText("Link worker: not assigned")
	} else {
		s.worker.SetText("Link worker: " + c.LinkWorker)
	}

	// The next steps the state machine allows, as buttons. Ones that need
	// a reason open a dialog (their label ends in "…").
	s.moveButtons = map[data.ReferralStatus]*widget.Button{}
	s.actions.Objects = nil
	mayMove := s.app.session.May(data.OpMoveReferral)
	s.reassign.Hidden = !mayMove
	s.coded.Hidden = !mayMove
	for _, to := range data.NextStatuses(r.Status) {
		if !mayMove {
			break
		}
		to := to
		label, needsDialog := caseMoveLabel(r.Status, to)
		b := widget.NewButton(label, func() {
			if needsDialog {
				s.openMove(to)
			} else {
				s.Move(to, "", "")
			}
		})
		if to == data.StatusAccepted || to == data.StatusActive && r.Status != data.StatusClosed || to == data.StatusContacted {
			b.Importance = widget.HighImportance // the usual way forward
		}
		s.moveButtons[to] = b
		s.actions.Add(b)
	}
	s.actions.Refresh()
}

// caseNameShown is about as many characters of a name as the heading shows
// at 1366 pixels beside its buttons; a longer name is also given in full
// in the facts under it.
const caseNameShown = 40

// caseMoveLabel is the button text for a move, and whether it needs a reason.
func caseMoveLabel(from, to data.ReferralStatus) (string, bool) {
	switch {
	case to == data.StatusContacted:
		return "Mark contacted", false
	case to == data.StatusAccepted:
		return "Accept", false
	case to == data.StatusActive && from == data.StatusClosed:
		return "Reopen…", true
	case to == data.StatusActive:
		return "Make active", false
	case to == data.StatusClosed:
		return "Close case…", true
	case to == data.StatusDeclined:
		return "Decline…", true
	case to == data.StatusUnableToContact:
		return "Unable to contact…", true
	}
	return to.Label(), true
}

// Move changes the status and reloads; a refusal is shown in plain words.
// It returns the store's error so a dialog can show field messages.
func (s *CaseScreen) Move(to data.ReferralStatus, reason, closingReason string) error {
	before := s.record.Referral.SNOMEDCode
	r, err := s.app.store.Move(context.Background(), s.app.session, s.id, to, reason, closingReason)
	if err != nil {
		var moveErr *data.MoveError
		if errors.As(err, &moveErr) {
			s.Reload() // someone else may have moved it: show where it is now
		}
		if _, isField := data.FieldErrors(err); !isField {
			s.setMessage(caseSentence(err), true)
		}
		return err
	}
	s.Reload()
	s.setMessage("Status changed to "+strings.ToLower(r.Status.Label())+".", false)
	if before == "" && r.SNOMEDCode != "" {
		s.showCodeNotice()
	}
	return nil
}

func (s *CaseScreen) setMessage(text string, isError bool) {
	showMessage(s.message, text, isError)
	s.relayout()
}

// moveDialog asks for the reason a move needs (and, when closing, the
// closing reason). It stays open with the typing kept until the store
// accepts the move.
type moveDialog struct {
	to      data.ReferralStatus
	dlg     *dialog.CustomDialog
	closing *widget.Select // only when closing
	reason  *caseEntry
	fields  fields
	message *widget.Label
	confirm *widget.Button
	cancel  *widget.Button
}

func (s *CaseScreen) openMove(to data.ReferralStatus) {
	from := s.record.Referral.Status
	m := &moveDialog{to: to}
	m.reason = newCaseEntry(true, func() { s.confirmMove(m) })
	m.reason.onEscape = func() { m.dlg.Hide() }
	m.reason.SetMinRowsVisible(3)
	m.message = widget.NewLabel("")
	m.message.Wrapping = fyne.TextWrapWord
	m.message.Importance = widget.DangerImportance
	m.message.Hide()

	title, confirm, reasonLabel := "", "", "Reason"
	switch {
	case to == data.StatusClosed:
		title, confirm, reasonLabel = "Close the case", "Close case", "Note (optional)"
		m.reason.SetPlaceHolder("e.g. now going to the lunch club twice a week")
	case to == data.StatusDeclined:
		title, confirm = "The person declined", "Record decline"
		m.reason.SetPlaceHolder("e.g. does not want support at the moment")
	case to == data.StatusUnableToContact:
		title, confirm = "Unable to contact", "Record"
		m.reason.SetPlaceHolder("e.g. three calls and a letter, no reply")
	case from == data.StatusClosed:
		title, confirm = "Reopen the case", "Reopen"
		m.reason.SetPlaceHolder("e.g. asked for help again with housing")
	default:
		title, confirm = "Move to "+to.Label(), "Move"
	}
	if to == data.StatusClosed {
		var labels []string
		for _, c := range data.ClosingReasons {
			labels = append(labels, c.Label)
		}
		m.closing = widget.NewSelect(labels, nil)
		m.closing.PlaceHolder = "Choose why"
		m.fields = append(m.fields, newField("ClosingReason", "Closing reason", m.closing))
	}
	reason := newField("Reason", reasonLabel, m.reason)
	reason.below = newCharCounter(&m.reason.Entry, data.MoveReasonMaxChars).label
	m.fields = append(m.fields, reason)

	m.confirm = widget.NewButton(confirm, func() { s.confirmMove(m) })
	m.confirm.Importance = widget.HighImportance
	m.cancel = widget.NewButton("Cancel", func() { m.dlg.Hide() })
	body := container.NewVBox(widget.NewForm(m.fields.formItems()...), m.message)
	m.dlg = dialog.NewCustomWithoutButtons(title, body, s.app.win)
	m.dlg.SetButtons([]fyne.CanvasObject{m.cancel, m.confirm})
	m.dlg.Resize(fyne.NewSize(520, 0))
	s.moving = m
	m.dlg.Show()
	if m.closing != nil {
		focus(s.app.win, m.closing)
	} else {
		focus(s.app.win, m.reason)
	}
}

func (s *CaseScreen) confirmMove(m *moveDialog) {
	closing := ""
	if m.closing != nil {
		closing = data.CodeOf(data.ClosingReasons, m.closing.Selected)
	}
	m.fields.clearErrors()
	setError(m.message, "")
	err := s.Move(m.to, m.reason.Text, closing)
	if err == nil {
		m.dlg.Hide()
		return
	}
	if !m.fields.showErrors(err) {
		setError(m.message, caseSentence(err))
	}
	fitCaseDialog(m.dlg, 520)
}

// fitCaseDialog resizes a dialog to its content after a message appeared in
// it, so the message pushes the fields apart rather than overlapping them.
func fitCaseDialog(d *dialog.CustomDialog, width float32) {
	d.Resize(fyne.NewSize(width, 0)) // the height grows to the content's minimum
}

// reassignDialog gives the case to another link worker, with a reason.
type reassignDialog struct {
	dlg     *dialog.CustomDialog
	workers []data.User
	worker  *widget.Select
	reason  *caseEntry
	message *widget.Label
	save    *widget.Button
}

// caseNotAssigned is the choice that leaves the case without a link worker.
const caseNotAssigned = "Nobody (unassigned)"

func (s *CaseScreen) openReassign() {
	workers, err := s.app.store.UsersWithRole(context.Background(), s.app.session, data.RoleLinkWorker)
	if err != nil {
		s.setMessage("The list of link workers could not be read: "+err.Error(), true)
		return
	}
	d := &reassignDialog{workers: workers}
	var labels []string
	for _, u := range workers {
		labels = append(labels, caseWorkerLabel(u, workers))
	}
	labels = append(labels, caseNotAssigned)
	d.worker = widget.NewSelect(labels, nil)
	d.worker.PlaceHolder = "Choose a link worker"
	d.reason = newCaseEntry(false, func() { s.confirmReassign(d) })
	d.reason.onEscape = func() { d.dlg.Hide() }
	d.reason.SetPlaceHolder("e.g. caseload balancing; nearer the patient's site")
	d.reason.OnSubmitted = func(string) { s.confirmReassign(d) }
	d.message = errorLabel()
	d.save = widget.NewButton("Reassign", func() { s.confirmReassign(d) })
	d.save.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem("Link worker", d.worker), widget.NewFormItem("Reason", d.reason))
	d.dlg = dialog.NewCustomWithoutButtons("Reassign the case", container.NewVBox(form, d.message), s.app.win)
	d.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.dlg.Hide() }), d.save})
	d.dlg.Resize(fyne.NewSize(480, 0))
	s.reassigning = d
	d.dlg.Show()
	focus(s.app.win, d.worker)
}

// caseWorkerLabel names a link worker; two of one name are told apart by username.
func caseWorkerLabel(u data.User, all []data.User) string {
	for _, o := range all {
		if o.ID != u.ID && o.FullName == u.FullName {
			return u.FullName + " (" + u.Username + ")"
		}
	}
	return u.FullName
}

func (s *CaseScreen) confirmReassign(d *reassignDialog) {
	setError(d.message, "")
	if d.worker.Selected == "" {
		setError(d.message, "Choose a link worker, or “"+caseNotAssigned+"”.")
		fitCaseDialog(d.dlg, 480)
		return
	}
	var to int64
	name := "nobody"
	for _, u := range d.workers {
		if caseWorkerLabel(u, d.workers) == d.worker.Selected {
			to, name = u.ID, u.FullName
		}
	}
	if err := s.app.store.Reassign(context.Background(), s.app.session, s.id, to, d.reason.Text); err != nil {
		if v, ok := data.FieldErrors(err); ok {
			setError(d.message, caseSentence(v))
		} else {
			setError(d.message, "The case could not be reassigned: "+caseSentence(err))
		}
		fitCaseDialog(d.dlg, 480)
		return
	}
	d.dlg.Hide()
	s.Reload()
	s.setMessage("Reassigned to "+name+".", false)
}

// buildCodeCard makes the band that shows the SNOMED CT code to enter in
// the GP record. It is highlighted until "Coded in GP record" is ticked.
func (s *CaseScreen) buildCodeCard() {
	s.codeText = caseRichText()
	s.codeCopy = widget.NewButtonWithIcon("Copy code", theme.ContentCopyIcon(), s.CopyCode)
	s.coded = widget.NewCheck("Coded in GP record", func(on bool) { s.SetCoded(on) })
	s.codeBg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	s.codeBg.CornerRadius = theme.InputRadiusSize()
	row := container.NewBorder(nil, nil, nil, container.NewHBox(s.codeCopy, s.coded), s.codeText)
	s.codeCard = container.NewStack(s.codeBg, container.NewPadded(row))
	s.codeCard.Hide()
}

func (s *CaseScreen) showCode() {
	r := s.record.Referral
	if r.SNOMEDCode == "" {
		s.codeCard.Hide()
		return
	}
	facts := []caseFact{{"SNOMED CT", r.SNOMEDCode + " " + data.SNOMEDTerm(r.SNOMEDCode)}}
	if r.CodedInGPRecord {
		s.codeBg.FillColor = theme.Color(theme.ColorNameInputBackground)
	} else {
		facts = append(facts, caseFact{"To do", "enter this code in the GP record, then tick"})
		s.codeBg.FillColor = caseHighlight()
	}
	setCaseFacts(s.codeText, facts)
	// Set the box without OnChanged: this is showing, not the user ticking.
	s.coded.Checked = r.CodedInGPRecord
	s.coded.Refresh()
	s.codeBg.Refresh()
	s.codeCard.Show()
}

// caseHighlight is a soft amber that draws the eye to work still to do. It
// is its own colour, not a tint of the theme's warning text colour, which
// is a dark amber so that it reads as text (TestThemeContrast).
func caseHighlight() color.Color { return color.NRGBA{R: 0xff, G: 0x98, B: 0x00, A: 0x40} }

// CopyCode puts the SNOMED CT code on the clipboard, to paste into the GP
// clinical system.
func (s *CaseScreen) CopyCode() {
	code := s.record.Referral.SNOMEDCode
	if code == "" {
		return
	}
	fyne.CurrentApp().Clipboard().SetContent(code)
	s.setMessage("Copied "+code+": paste it into the GP record, then tick “Coded in GP record”.", false)
}

// SetCoded records whether the code has been entered in the GP record.
func (s *CaseScreen) SetCoded(coded bool) {
	if err := s.app.store.SetCoded(context.Background(), s.app.session, s.id, coded); err != nil {
		s.setMessage(caseSentence(err), true)
		s.showCode() // put the tick back as stored
		return
	}
	s.Reload()
	if coded {
		s.setMessage("Recorded as coded in the GP record.", false)
	} else {
		s.setMessage("Recorded as not yet coded in the GP record.", false)
	}
}

// showCodeNotice tells the user, right after an accept or decline, which
// code to enter in the GP system: Linkwell cannot write it there.
func (s *CaseScreen) showCodeNotice() {
	code := s.record.Referral.SNOMEDCode
	// Lines broken by hand: a wrapped label would size the dialog for a
	// narrow width and leave it half empty.
	what := widget.NewLabel("Please enter this SNOMED CT code in the patient's GP record\n(EMIS or SystmOne), then tick “Coded in GP record” on the case.")
	codeLine := widget.NewLabelWithStyle(code+"  "+data.SNOMEDTerm(code), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	codeLine.Selectable = true
	copyBtn := widget.NewButtonWithIcon("Copy code", theme.ContentCopyIcon(), s.CopyCode)
	body := container.NewVBox(what, codeLine, container.NewHBox(copyBtn))
	s.codeNotice = dialog.NewCustom("Code the GP record", "Done", body, s.app.win)
	s.codeNotice.SetIcon(theme.InfoIcon())
	s.codeNotice.Show()
}

// caseFact is one "Label value" pair of the header.
type caseFact struct{ label, value string }

func caseRichText() *widget.RichText {
	t := widget.NewRichText()
	t.Wrapping = fyne.TextWrapWord
	return t
}

// setCaseFacts shows pairs as "Label value · Label value", labels in bold, so
// a line of facts reads at a glance and wraps rather than clips.
func setCaseFacts(t *widget.RichText, facts []caseFact) {
	var segs []widget.RichTextSegment
	for i, f := range facts {
		if i > 0 {
			segs = append(segs, &widget.TextSegment{Text: "  ·  ", Style: widget.RichTextStyleInline})
		}
		segs = append(segs,
			&widget.TextSegment{Text: f.label + " ", Style: widget.RichTextStyleStrong},
			&widget.TextSegment{Text: f.value, Style: widget.RichTextStyleInline})
	}
	t.Segments = segs
	t.Refresh()
}

// caseSentence shows a store error as a sentence: capital first, full stop.
func caseSentence(err error) string {
	msg := strings.TrimSpace(err.Error())
	if msg == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}
