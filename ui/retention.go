package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// RetentionScreen is the practice manager's: how many years closed
// episodes are kept in full, what anonymising them now would change, and
// the button that does it (data.AnonymiseClosedEpisodes).
type RetentionScreen struct {
	app *App

	years              *keyEntry // passes the window's shortcuts on (Ctrl+1…)
	saveYears          *widget.Button
	yearsMessage       *widget.Label
	preview, anonymise *widget.Button
	summary            *widget.Label
	content            fyne.CanvasObject
}

// NewRetentionScreen builds the screen with the practice's period.
func NewRetentionScreen(a *App) *RetentionScreen {
	s := &RetentionScreen{app: a}
	s.years = a.newEntry()
	s.years.OnSubmitted = func(string) { s.SaveYears() }
	s.years.SetPlaceHolder("0: keep everything")
	if set, err := a.store.PracticeSettings(context.Background()); err == nil {
		s.years.SetText(strconv.Itoa(set.RetentionYears))
	}
	s.saveYears = widget.NewButton("Save", s.SaveYears)
	s.yearsMessage = widget.NewLabel("")
	s.yearsMessage.Wrapping = fyne.TextWrapWord
	s.yearsMessage.Hide()
	s.preview = widget.NewButtonWithIcon("What would change?", theme.SearchIcon(), s.Preview)
	s.anonymise = widget.NewButtonWithIcon("Anonymise now…", theme.DeleteIcon(), s.confirmAnonymise)
	s.anonymise.Importance = widget.DangerImportance
	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord

	intro := widget.NewLabel("Closed episodes older than the retention period can be anonymised: case notes, goals, " +
		"\"what matters\", appointment and prescription notes are removed; dates, statuses, reasons, codes and scores " +
		"stay, so the reports count the same. A patient with nothing else held loses their name, NHS number, address " +
		"and contact details (the GP record keeps them). This cannot be undone.")
	intro.Wrapping = fyne.TextWrapWord
	label := widget.NewLabel(fmt.Sprintf("Keep closed episodes in full for this many years (%d to %d; 0 keeps them all):",
		data.MinRetentionYears, data.MaxRetentionYears))
	label.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(heading("Retention"), intro,
		widget.NewCard("", "", container.NewVBox(label, container.NewBorder(nil, nil, nil, s.saveYears, s.years), s.yearsMessage)),
		container.NewHBox(s.preview, s.anonymise), s.summary)
	s.content = centred(640, box)
	s.update()
	return s
}

// Content is the screen's root object.
func (s *RetentionScreen) Content() fyne.CanvasObject { return s.content }

// Focus puts the cursor in the years.
func (s *RetentionScreen) Focus() { focus(s.app.win, s.years) }

// update offers the run only when a period is set.
func (s *RetentionScreen) update() {
	set, err := s.app.store.PracticeSettings(context.Background())
	if err == nil && set.RetentionYears > 0 {
		s.preview.Enable()
		s.anonymise.Enable()
		return
	}
	s.preview.Disable()
	s.anonymise.Disable()
	s.summary.SetText("No retention period is set: closed episodes are kept in full.")
}

// SaveYears stores the retention period.
func (s *RetentionScreen) SaveYears() {
	n, err := strconv.Atoi(strings.TrimSpace(s.years.Text))
	if err != nil {
		n = -1
	}
	if err := s.app.store.SetRetentionYears(context.Background(), s.app.session, n); err != nil {
		var v *data.ValidationError
		if errors.As(err, &v) {
			setError(s.yearsMessage, v.Error())
			return
		}
		s.app.showError(err)
		return
	}
	s.yearsMessage.Importance = widget.SuccessImportance
	if n == 0 {
		s.yearsMessage.SetText("Saved: closed episodes are kept in full.")
	} else {
		s.yearsMessage.SetText(fmt.Sprintf("Saved: closed episodes may be anonymised %d years after they close.", n))
		s.summary.SetText("")
	}
	s.yearsMessage.Show()
	s.update()
}

// Preview counts what anonymising would change, changing nothing.
func (s *RetentionScreen) Preview() { s.run(true) }

func (s *RetentionScreen) confirmAnonymise() {
	// No is the default: this cannot be undone.
	askYesNo(s.app.win, "Anonymise closed episodes?",
		"The notes of every episode closed longer ago than the retention period are removed for good. Go on?", false,
		func(ok bool) {
			if ok {
				s.Anonymise()
			}
		})
}

// Anonymise anonymises the closed episodes past the period now.
func (s *RetentionScreen) Anonymise() { s.run(false) }

func (s *RetentionScreen) run(dryRun bool) {
	store, sess := s.app.store, s.app.session
	s.preview.Disable()
	s.anonymise.Disable()
	s.summary.SetText("Working…")
	background(s.app.win, 0, func() func() {
		res, err := store.AnonymiseClosedEpisodes(context.Background(), sess, dryRun)
		return func() {
			s.update()
			switch {
			case errors.Is(err, data.ErrSignedOut):
				s.app.showError(err)
			case errors.Is(err, data.ErrRetentionOff):
				s.summary.SetText("No retention period is set: closed episodes are kept in full.")
			case err != nil:
				s.summary.SetText(res.Report() + "It stopped: " + err.Error())
			default:
				s.summary.SetText(res.Report())
			}
		}
	})
}
