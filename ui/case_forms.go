package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// contactForm records a contact or case note.
type contactForm struct {
	at      *caseEntry
	kind    *widget.Select
	minutes *caseEntry
	text    *caseEntry
	counter *charCounter // "1,234 / 5,000" under the note
	fields  fields
	save    *widget.Button
	message *widget.Label
	content fyne.CanvasObject
}

// goalsPanel lists the goals ("what I want to change") and adds new ones.
type goalsPanel struct {
	list        *fyne.Container // one row per goal, rebuilt on reload
	rows        []goalRow
	empty       *widget.Label
	description *caseEntry
	score       *widget.Select
	fields      fields
	add         *widget.Button
	message     *widget.Label
	reviewing   *reviewDialog // the open "Review…" dialog, if any
	content     fyne.CanvasObject
}

type goalRow struct {
	goal   data.Goal
	label  *widget.Label
	review *widget.Button
}

// reviewDialog asks for a goal's score at review.
type reviewDialog struct {
	goal  data.Goal
	dlg   *dialog.CustomDialog
	score *widget.Select
	err   *widget.Label
	save  *widget.Button
}

// wellbeingPanel shows the ONS4 measures taken and records another.
type wellbeingPanel struct {
	table   *fyne.Container // header row then one row per measure
	cells   [][5]*widget.Label
	empty   *widget.Label
	stage   *widget.Select
	date    *caseEntry
	scores  [4]*widget.Select
	fields  fields // Stage, TakenOn, then the four scores
	save    *widget.Button
	message *widget.Label
	content fyne.CanvasObject
}

// caseScoreSelect offers a 0–10 score; nothing is chosen until the user picks.
func caseScoreSelect() *widget.Select {
	var opts []string
	for i := 0; i <= 10; i++ {
		opts = append(opts, strconv.Itoa(i))
	}
	s := widget.NewSelect(opts, nil)
	s.PlaceHolder = "0–10"
	return s
}

// caseScoreOf is the chosen score, or -1 (which the store refuses) if none.
func caseScoreOf(s *widget.Select) int {
	n, err := strconv.Atoi(s.Selected)
	if err != nil {
		return -1
	}
	return n
}

// caseNow is the time now as the contact form shows it, DD/MM/YYYY HH:MM.
func caseNow(t time.Time) string { return data.FormatUKDateTime(t.UTC().Format(data.TimeLayout)) }

// caseToday is today's date in London, DD/MM/YYYY.
func caseToday(t time.Time) string { return caseNow(t)[:10] }

func caseChoiceLabels(cs []data.Choice) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Label)
	}
	return out
}

func (s *CaseScreen) buildContactForm() {
	f := &s.contact
	f.at = newCaseEntry(false, s.AddContact)
	f.at.SetText(caseNow(s.today()))
	f.at.SetPlaceHolder("DD/MM/YYYY HH:MM")
	f.at.OnSubmitted = func(string) { s.AddContact() }
	f.kind = widget.NewSelect(caseChoiceLabels(data.ContactKinds), nil)
	f.kind.SetSelected(data.LabelOf(data.ContactKinds, "phone"))
	f.minutes = newCaseEntry(false, s.AddContact)
	f.minutes.SetPlaceHolder("e.g. 20")
	f.minutes.OnSubmitted = func(string) { s.AddContact() }
	f.text = newCaseEntry(true, s.AddContact)
	f.text.SetMinRowsVisible(3)
	f.text.SetPlaceHolder("What happened, what was agreed, what is next")
	f.counter = newCharCounter(&f.text.Entry, data.NoteMaxChars)
	note := newField("Text", "Note", f.text)
	note.below = f.counter.label
	f.fields = fields{
		newField("At", "When", f.at),
		newField("Kind", "Kind", f.kind),
		newField("Minutes", "Minutes spent", f.minutes),
		note,
	}
	f.save = widget.NewButtonWithIcon("Add note", theme.DocumentSaveIcon(), s.AddContact)
	f.save.Importance = widget.HighImportance
	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()
	hint := widget.NewLabelWithStyle("Ctrl+S or Ctrl+Enter adds the note", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	f.content = container.NewVBox(
		heading("Add a contact or note"),
		widget.NewForm(f.fields.formItems()...),
		container.NewHBox(f.save, hint),
		f.message,
	)
}

// AddContact saves the note form; on an error the form keeps the typing.
func (s *CaseScreen) AddContact() {
	f := &s.contact
	if f.save.Disabled() {
		return
	}
	f.fields.clearErrors()
	s.formMessage(f.message, "", false)
	minutes, minutesOK := 0, true
	if m := strings.TrimSpace(f.minutes.Text); m != "" {
		n, err := strconv.Atoi(m)
		minutes, minutesOK = n, err == nil
		if !minutesOK {
			minutes = -1 // refused by the store, so nothing saves; the message is ours
		}
	}
	in := data.Contact{
		ReferralID: s.id,
		At:         f.at.Text,
		Kind:       data.CodeOf(data.ContactKinds, f.kind.Selected),
		Minutes:    minutes,
		Text:       f.text.Text,
	}
	if _, err := s.app.store.AddContact(context.Background(), s.app.session, in); err != nil {
		if f.fields.showErrors(err) {
			if !minutesOK {
				setError(f.fields[2].err, "type the minutes as a number, e.g. 20")
			}
			s.formMessage(f.message, "Please correct the fields marked in red; the note is not saved yet.", true)
			if e := f.fields.firstError(); e != nil {
				focus(s.app.win, e.input)
			}
		} else {
			s.formMessage(f.message, "The note could not be saved: "+caseSentence(err), true)
		}
		return
	}
	f.text.SetText("")
	f.minutes.SetText("")
	f.at.SetText(caseNow(s.today()))
	s.Reload()
	s.formMessage(f.message, "Note added to the timeline.", false)
}

func (s *CaseScreen) buildGoals() {
	g := &s.goals
	g.list = container.NewVBox()
	g.empty = widget.NewLabel("No goals yet: agree one with the person and add it below.")
	g.empty.Wrapping = fyne.TextWrapWord
	g.description = newCaseEntry(false, s.AddGoal)
	g.description.SetPlaceHolder("In the person's words, e.g. “get out of the house twice a week”")
	g.description.OnSubmitted = func(string) { s.AddGoal() }
	g.score = caseScoreSelect()
	g.fields = fields{
		newField("Description", "Goal", g.description),
		newField("StartScore", "Score now (0–10)", g.score),
	}
	g.add = widget.NewButtonWithIcon("Add goal", theme.ContentAddIcon(), s.AddGoal)
	g.message = widget.NewLabel("")
	g.message.Wrapping = fyne.TextWrapWord
	g.message.Hide()
	g.content = container.NewVBox(
		heading("Goals: what I want to change"),
		g.empty,
		g.list,
		widget.NewForm(g.fields.formItems()...),
		container.NewHBox(g.add),
		g.message,
	)
}

func (s *CaseScreen) showGoals() {
	g := &s.goals
	g.rows = nil
	g.list.Objects = nil
	for _, goal := range s.record.Goals {
		goal := goal
		row := goalRow{goal: goal, label: widget.NewLabel(caseGoalText(goal))}
		row.label.Wrapping = fyne.TextWrapWord
		row.review = widget.NewButton("Review…", func() { s.openReview(goal) })
		g.rows = append(g.rows, row)
		g.list.Add(container.NewBorder(nil, nil, nil, container.NewVBox(row.review), row.label))
	}
	if len(g.rows) == 0 {
		g.empty.Show()
	} else {
		g.empty.Hide()
	}
	g.list.Refresh()
}

// caseGoalText is a goal with its scores, e.g. "Walk daily — 4 ⟶ 7 (+3)" (see caseArrowFix).
func caseGoalText(g data.Goal) string {
	change, reviewed := g.Change()
	if !reviewed {
		return fmt.Sprintf("%s — started at %d, not reviewed yet", g.Description, g.StartScore)
	}
	return fmt.Sprintf("%s — %d ⟶ %d (%s)", g.Description, g.StartScore, g.ReviewScore, caseSigned(change))
}

// caseSigned shows a change with its sign, using a true minus sign.
func caseSigned(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("+%d", n)
	case n < 0:
		return fmt.Sprintf("−%d", -n)
	}
	return "0"
}

// AddGoal saves the new-goal form; on an error the typing stays.
func (s *CaseScreen) AddGoal() {
	g := &s.goals
	if g.add.Disabled() {
		return
	}
	g.fields.clearErrors()
	s.formMessage(g.message, "", false)
	in := data.Goal{ReferralID: s.id, Description: g.description.Text, StartScore: caseScoreOf(g.score)}
	if _, err := s.app.store.AddGoal(context.Background(), s.app.session, in); err != nil {
		if !g.fields.showErrors(err) {
			s.formMessage(g.message, "The goal could not be saved: "+caseSentence(err), true)
		}
		return
	}
	g.description.SetText("")
	g.score.ClearSelected()
	s.Reload()
	s.formMessage(g.message, "Goal added.", false)
}

func (s *CaseScreen) openReview(goal data.Goal) {
	d := &reviewDialog{goal: goal, score: caseScoreSelect(), err: errorLabel()}
	if goal.ReviewScore >= 0 {
		d.score.Selected = strconv.Itoa(goal.ReviewScore)
	}
	goalLine := widget.NewLabelWithStyle("“"+goal.Description+"”", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	goalLine.Truncation = fyne.TextTruncateEllipsis // a wrapped label would size the dialog badly
	what := widget.NewLabel(fmt.Sprintf("It started at %d. Where is it now, from 0 to 10?", goal.StartScore))
	d.save = widget.NewButton("Save review", func() { s.saveReview(d) })
	d.save.Importance = widget.HighImportance
	body := container.NewVBox(goalLine, what, widget.NewForm(widget.NewFormItem("Score now", d.score)), d.err)
	d.dlg = dialog.NewCustomWithoutButtons("Review the goal", body, s.app.win)
	d.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { d.dlg.Hide() }), d.save})
	d.dlg.Resize(fyne.NewSize(460, 0))
	s.goals.reviewing = d
	d.dlg.Show()
	focus(s.app.win, d.score)
}

func (s *CaseScreen) saveReview(d *reviewDialog) {
	setError(d.err, "")
	err := s.app.store.ReviewGoal(context.Background(), s.app.session, d.goal.ID, caseScoreOf(d.score))
	if err != nil {
		if v, ok := data.FieldErrors(err); ok {
			setError(d.err, caseSentence(v))
		} else {
			setError(d.err, "The review could not be saved: "+caseSentence(err))
		}
		fitCaseDialog(d.dlg, 460)
		return
	}
	d.dlg.Hide()
	s.Reload()
	s.formMessage(s.goals.message, "Review saved.", false)
}

func (s *CaseScreen) buildWellbeing() {
	w := &s.wellbeing
	w.table = container.NewGridWithColumns(5)
	w.empty = widget.NewLabel("No scores yet: record a baseline at the first meeting.")
	w.empty.Wrapping = fyne.TextWrapWord
	w.stage = widget.NewSelect(caseChoiceLabels(data.WellbeingStages), nil)
	w.date = newCaseEntry(false, s.RecordWellbeing)
	w.date.SetText(caseToday(s.today()))
	w.date.SetPlaceHolder("DD/MM/YYYY")
	w.date.OnSubmitted = func(string) { s.RecordWellbeing() }
	w.fields = fields{newField("Stage", "Stage", w.stage), newField("TakenOn", "Date", w.date)}
	questions := container.NewVBox()
	for i, q := range data.ONS4Questions {
		w.scores[i] = caseScoreSelect()
		f := newField(data.ONS4Short[i], q, w.scores[i])
		w.fields = append(w.fields, f)
		// The full question, as it must be asked, with its score beside it.
		ql := widget.NewLabel(fmt.Sprintf("%d. %s", i+1, q))
		ql.Wrapping = fyne.TextWrapWord
		questions.Add(container.NewBorder(nil, f.err, nil, container.NewVBox(w.scores[i]), ql))
	}
	w.save = widget.NewButtonWithIcon("Record scores", theme.DocumentSaveIcon(), s.RecordWellbeing)
	w.message = widget.NewLabel("")
	w.message.Wrapping = fyne.TextWrapWord
	w.message.Hide()
	scale := widget.NewLabel("Scale: 0 = not at all, 10 = completely. For anxiety, lower is better.")
	scale.Wrapping = fyne.TextWrapWord
	scale.TextStyle.Italic = true
	w.content = container.NewVBox(
		heading("Wellbeing (ONS4)"),
		w.empty,
		w.table,
		widget.NewLabelWithStyle("Record a measure", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewForm(w.fields[0].formItem(), w.fields[1].formItem()),
		scale,
		questions,
		container.NewHBox(w.save),
		w.message,
	)
}

func (s *CaseScreen) showWellbeing() {
	w := &s.wellbeing
	w.table.Objects = nil
	w.cells = nil
	base, hasBase := s.record.Baseline()
	if len(s.record.Wellbeing) == 0 {
		w.empty.Show()
		w.table.Hide()
	} else {
		w.empty.Hide()
		w.table.Show()
		head := []string{"Measure", data.ONS4Short[0], data.ONS4Short[1], data.ONS4Short[2], data.ONS4Short[3]}
		for _, h := range head {
			l := widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			l.Wrapping = fyne.TextWrapWord
			w.table.Add(l)
		}
		for _, m := range s.record.Wellbeing {
			var row [5]*widget.Label
			row[0] = widget.NewLabel(data.LabelOf(data.WellbeingStages, m.Stage) + "\n" + data.FormatUKDate(m.TakenOn))
			changes := m.ChangeSince(base)
			for i, sc := range m.Scores {
				text := strconv.Itoa(sc)
				if hasBase && m.ID != base.ID {
					text += " (" + caseChangeText(changes[i]) + ")"
				}
				row[i+1] = widget.NewLabel(text)
			}
			for _, l := range row {
				l.Wrapping = fyne.TextWrapWord
				w.table.Add(l)
			}
			w.cells = append(w.cells, row)
		}
	}
	w.table.Refresh()

	// Offer the stage that comes next; keep a choice the user has made.
	switch {
	case !hasBase:
		w.stage.Selected = data.LabelOf(data.WellbeingStages, "baseline")
	case w.stage.Selected == "" || w.stage.Selected == data.LabelOf(data.WellbeingStages, "baseline"):
		w.stage.Selected = data.LabelOf(data.WellbeingStages, "review")
	}
	w.stage.Refresh()
}

// caseChangeText says how a score moved since baseline, in words as well
// as numbers: anxiety falling is "−2 better".
func caseChangeText(c data.ScoreChange) string {
	switch {
	case c.Better:
		return caseSigned(c.Delta) + " better"
	case c.Worse:
		return caseSigned(c.Delta) + " worse"
	}
	return "no change"
}

// RecordWellbeing saves the ONS4 form; on an error the scores stay.
func (s *CaseScreen) RecordWellbeing() {
	w := &s.wellbeing
	if w.save.Disabled() {
		return
	}
	w.fields.clearErrors()
	s.formMessage(w.message, "", false)
	in := data.Wellbeing{
		ReferralID: s.id,
		Stage:      data.CodeOf(data.WellbeingStages, w.stage.Selected),
		TakenOn:    w.date.Text,
	}
	for i := range in.Scores {
		in.Scores[i] = caseScoreOf(w.scores[i])
	}
	if _, err := s.app.store.RecordWellbeing(context.Background(), s.app.session, in); err != nil {
		if w.fields.showErrors(err) {
			s.formMessage(w.message, "Please correct the fields marked in red; the scores are not saved yet.", true)
		} else {
			s.formMessage(w.message, "The scores could not be saved: "+caseSentence(err), true)
		}
		return
	}
	for _, sel := range w.scores {
		sel.ClearSelected()
	}
	s.Reload()
	s.formMessage(w.message, "Scores recorded.", false)
}

// setEditable allows adding to an open episode only; an ended one is
// read-only until it is reopened (the store refuses too).
func (s *CaseScreen) setEditable(open bool) {
	if open {
		s.readOnlyNote.Hide()
	} else {
		s.readOnlyNote.Show()
	}
	enable := func(on bool, ws ...fyne.Disableable) {
		for _, w := range ws {
			if on {
				w.Enable()
			} else {
				w.Disable()
			}
		}
	}
	c := &s.contact
	enable(open, c.at, c.kind, c.minutes, c.text, c.save)
	g := &s.goals
	enable(open, g.description, g.score, g.add)
	for _, r := range g.rows {
		enable(open, r.review)
	}
	enable(open && s.loaded, s.reassign)

	// A closure score may still be added once a closed case has ended.
	w := &s.wellbeing
	_, hasBase := s.record.Baseline()
	closureOnly := !open && s.record.Referral.Status == data.StatusClosed && hasBase
	if closureOnly {
		w.stage.Options = []string{data.LabelOf(data.WellbeingStages, "closure")}
		w.stage.Selected = w.stage.Options[0]
	} else {
		w.stage.Options = caseChoiceLabels(data.WellbeingStages)
	}
	w.stage.Refresh()
	ws := []fyne.Disableable{w.stage, w.date, w.save}
	for _, sel := range w.scores {
		ws = append(ws, sel)
	}
	enable(open || closureOnly, ws...)
}

// formMessage shows the outcome of a form under it, in red for an error.
func (s *CaseScreen) formMessage(l *widget.Label, text string, isError bool) {
	if isError {
		l.Importance = widget.DangerImportance
	} else {
		l.Importance = widget.SuccessImportance
	}
	setError(l, text)
	l.Refresh()
	s.panelBox.Refresh() // lay out again: field messages may have appeared too
}
