package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/dialog"

	"linkwell/data"
)

// The Referrals screen's "Export CSV…": the CSV `linkwell export referrals`
// writes (data's ExportReferralsFilterFile), for the filters on show.

// chooseExport asks where to save the referrals the filters list.
func (s *ReferralsScreen) chooseExport() {
	if _, bad := s.filter(); bad != "" {
		s.app.showError(errors.New(bad))
		return
	}
	s.app.askSavePath("referrals.csv", []string{".csv"}, s.ExportFile)
}

// ExportFile writes the referrals the filters on show list to path as CSV
// (".csv" is added when there is no extension), off the UI goroutine. An
// export still running after a second shows its progress, with Cancel.
func (s *ReferralsScreen) ExportFile(path string) {
	if !s.app.session.May(data.OpExport) {
		return
	}
	f, bad := s.filter()
	if bad != "" {
		s.app.showError(errors.New(bad))
		return
	}
	if filepath.Ext(path) == "" {
		path += ".csv"
	}
	total, counted := s.countShown()
	ctx, stop := context.WithCancel(context.Background())
	progress := newProgress(s.app.win, "Exporting referrals", "Exporting to "+filepath.Base(path)+"…", stop)
	progress.showAfter(time.Second)
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		defer stop()
		n, err := store.ExportReferralsFilterFile(ctx, sess, f, path, func(done int) {
			switch {
			case done%50 != 0:
			case counted && total > 0:
				progress.setValue(float64(done) / float64(total))
			case !counted: // more than the list counts: how many so far
				progress.setText(fmt.Sprintf("Exporting to %s… %s written", filepath.Base(path), thousands(done)))
			}
		})
		return func() {
			progress.hide()
			switch {
			case errors.Is(err, context.Canceled):
				s.lastExport = "The export was cancelled; no file was written."
				dialog.ShowInformation("Export cancelled", s.lastExport, s.app.win)
			case err != nil:
				s.lastExport = "The referrals could not be exported: " + err.Error() + "."
				dialog.ShowError(errors.New(s.lastExport), s.app.win)
			default:
				s.lastExport = fmt.Sprintf("Exported %s to %s.", count(n, "referral", "referrals"), path)
				dialog.ShowInformation("Export finished", s.lastExport, s.app.win)
			}
		}
	})
}

// LastExport is what the last export said.
func (s *ReferralsScreen) LastExport() string { return s.lastExport }

// CanExport is true when the screen offers "Export CSV…".
func (s *ReferralsScreen) CanExport() bool { return s.export.Visible() }
