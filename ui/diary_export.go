package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"

	"linkwell/data"
)

// The Diary's "Export calendar…": the iCalendar file `linkwell export
// diary` writes (data's ExportDiaryFile), for the link worker and the day
// or week on show, without patients' initials (the command's default).

// updateExport offers the export only when one link worker is chosen.
func (s *DiaryScreen) updateExport() {
	if s.exportBtn == nil {
		return
	}
	if _, ok := s.exportWorker(); ok {
		s.exportBtn.Enable()
	} else {
		s.exportBtn.Disable()
	}
}

// exportWorker is the link worker on show, if one is.
func (s *DiaryScreen) exportWorker() (data.User, bool) {
	id := s.workerID()
	for _, w := range s.workers {
		if w.ID == id {
			return w, true
		}
	}
	return data.User{}, false
}

// exportRange is the first and last day on show: the day, or the week.
func (s *DiaryScreen) exportRange() (first, last time.Time) {
	if s.week {
		first = s.weekStart()
		return first, first.AddDate(0, 0, 6)
	}
	return s.day, s.day
}

// chooseExport asks where to save the calendar on show.
func (s *DiaryScreen) chooseExport() {
	w, ok := s.exportWorker()
	if !ok {
		s.app.showError(errors.New("choose one link worker's diary to export a calendar"))
		return
	}
	first, _ := s.exportRange()
	name := fmt.Sprintf("diary-%s-%s.ics", strings.ToLower(strings.ReplaceAll(w.FullName, " ", "-")), first.Format(data.DateLayout))
	s.app.askSavePath(name, []string{".ics"}, s.ExportCalendar)
}

// ExportCalendar writes the chosen link worker's appointments on the day
// or week on show to path (".ics" is added when there is no extension),
// off the UI goroutine.
func (s *DiaryScreen) ExportCalendar(path string) {
	w, ok := s.exportWorker()
	if !ok || !s.app.session.May(data.OpExport) {
		return
	}
	if filepath.Ext(path) == "" {
		path += ".ics"
	}
	first, last := s.exportRange()
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		n, err := store.ExportDiaryFile(context.Background(), sess, w, first, last, false, path)
		return func() {
			if err != nil {
				s.lastExport = "The calendar could not be exported: " + err.Error() + "."
				dialog.ShowError(errors.New(s.lastExport), s.app.win)
				return
			}
			s.lastExport = fmt.Sprintf("Exported %s of %s to %s.", count(n, "appointment", "appointments"), w.FullName, path)
			dialog.ShowInformation("Export finished", s.lastExport, s.app.win)
		}
	})
}

// LastExport is what the last calendar export said.
func (s *DiaryScreen) LastExport() string { return s.lastExport }

// CanExport is true when the Diary offers "Export calendar…" for what is on show.
func (s *DiaryScreen) CanExport() bool { return s.exportBtn.Visible() && !s.exportBtn.Disabled() }
