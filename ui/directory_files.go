package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// Import and export of the directory: CSV (see data.ServicesCSVHeader) or
// Open Referral UK JSON. The screens only ask for the file; the jobs are
// data's ImportServicesFile and ExportServicesFile, as for the command line.

// fileDialogSize fits a file dialog on a 1366×768 screen.
var fileDialogSize = fyne.NewSize(900, 600)

// chooseImport asks for a file and imports it.
func (s *DirectoryScreen) chooseImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.app.showError(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		s.ImportFile(path)
	}, s.app.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".json", ".CSV", ".JSON"}))
	d.Show()
	d.Resize(fileDialogSize) // after Show: Fyne 2.8.1's FileDialog.Resize before it dereferences nil
}

// chooseExport asks where to save the directory and writes it there.
func (s *DirectoryScreen) chooseExport() {
	s.app.askSavePath("directory.csv", []string{".csv", ".json"}, s.ExportFile)
}

// askSavePath asks where to save a file, suggesting name and offering the
// extensions, and hands the path chosen to save; Cancel does nothing. Every
// "Export…" and "Save as…" of the screens goes through it.
func (a *App) askSavePath(name string, extensions []string, save func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		w.Close()
		save(path)
	}, a.win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter(extensions))
	d.Show()
	d.Resize(fileDialogSize) // after Show: Fyne 2.8.1's FileDialog.Resize before it dereferences nil
}

// ImportFile imports every service in a CSV or Open Referral UK JSON file
// in one go, showing progress with a Cancel button. The work runs off the
// UI goroutine (at once, in order, in tests). A file with any bad row
// imports nothing, and every bad row is listed.
func (s *DirectoryScreen) ImportFile(path string) {
	if !s.canEdit {
		return
	}
	ctx, cancelImport := context.WithCancel(context.Background())
	progress := newProgress(s.app.win, "Importing services", "Importing "+filepath.Base(path)+"…", cancelImport)
	progress.show()

	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		defer cancelImport()
		res, err := store.ImportServicesFile(ctx, sess, path, func(done, total int) {
			if total > 0 {
				progress.setValue(float64(done) / float64(total))
			}
		})
		return func() {
			progress.hide()
			var bad *data.ImportError
			switch {
			case errors.As(err, &bad):
				var lines []string
				for _, p := range bad.Problems {
					lines = append(lines, p.Where+" — "+p.Reason)
				}
				head := fmt.Sprintf("%s in %s cannot be imported, so nothing was imported. Correct the file and import it again:",
					count(len(bad.Problems), "row", "rows"), filepath.Base(path))
				s.importFailed(head, lines)
			case errors.Is(err, data.ErrImportCancelled):
				s.lastImport = "The import was cancelled; nothing was imported."
				s.summary.SetText(s.lastImport)
			case err != nil:
				s.importFailed(fmt.Sprintf("%s cannot be imported, so nothing was imported: %v.", filepath.Base(path), err), nil)
			default:
				s.lastImport = fmt.Sprintf("Imported %s: %d new, %d updated.", filepath.Base(path), res.Created, res.Updated)
				if note := res.EncodingNote(); note != "" {
					s.lastImport += " " + note
				}
				dialog.ShowInformation("Import finished", s.lastImport, s.app.win)
				s.reload()
			}
		}
	})
}

// importFailed lists what was wrong in a scrollable dialog.
func (s *DirectoryScreen) importFailed(head string, problems []string) {
	s.lastImport = head
	if len(problems) > 0 {
		s.lastImport += "\n" + strings.Join(problems, "\n")
	}
	intro := widget.NewLabel(head)
	intro.Wrapping = fyne.TextWrapWord
	list := widget.NewLabel(strings.Join(problems, "\n"))
	list.Wrapping = fyne.TextWrapWord
	list.TextStyle.Monospace = false
	body := container.NewBorder(intro, nil, nil, nil, container.NewVScroll(list))
	if len(problems) == 0 {
		body = container.NewBorder(intro, nil, nil, nil)
	}
	d := dialog.NewCustom("Nothing was imported", "Close", body, s.app.win)
	if len(problems) > 0 {
		d.Resize(fyne.NewSize(760, 460))
	} else {
		d.Resize(fyne.NewSize(560, 0))
	}
	d.Show()
}

// LastImport is what the last import or export said.
func (s *DirectoryScreen) LastImport() string { return s.lastImport }

// ExportFile writes the whole directory to path: Open Referral UK JSON for
// a .json file, otherwise CSV (".csv" is added when there is no extension).
func (s *DirectoryScreen) ExportFile(path string) {
	if filepath.Ext(path) == "" {
		path += ".csv"
	}
	store, sess := s.app.store, s.app.session
	background(s.app.win, 0, func() func() {
		n, err := store.ExportServicesFile(context.Background(), sess, path)
		return func() {
			if err != nil {
				s.lastImport = "The directory could not be exported: " + err.Error() + "."
				dialog.ShowError(errors.New(s.lastImport), s.app.win)
				return
			}
			s.lastImport = fmt.Sprintf("Exported %s to %s.", count(n, "service", "services"), path)
			dialog.ShowInformation("Export finished", s.lastImport, s.app.win)
		}
	})
}
