package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
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
// Open Referral UK JSON, chosen by the file's extension.

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
	d.Resize(fileDialogSize)
	d.Show()
}

// chooseExport asks where to save the directory and writes it there.
func (s *DirectoryScreen) chooseExport() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			s.app.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		w.Close()
		s.ExportFile(path)
	}, s.app.win)
	d.SetFileName("directory.csv")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".json"}))
	d.Resize(fileDialogSize)
	d.Show()
}

// ImportFile reads a CSV or Open Referral JSON file and imports every
// service in it in one go, showing progress with a Cancel button. The work
// runs off the UI goroutine (at once, in order, in tests). A file with any
// bad row imports nothing, and every bad row is listed.
func (s *DirectoryScreen) ImportFile(path string) {
	if !s.canEdit {
		return
	}
	s.cancelled.Store(false)
	s.progress = widget.NewProgressBar()
	status := widget.NewLabel("Reading " + filepath.Base(path) + "…")
	cancel := widget.NewButton("Cancel", func() {
		s.cancelled.Store(true)
		status.SetText("Cancelling…")
	})
	progress := dialog.NewCustomWithoutButtons("Importing services",
		container.NewVBox(status, s.progress, container.NewCenter(cancel)), s.app.win)
	progress.Resize(fyne.NewSize(460, 0))
	progress.Show()

	store, user, bar := s.app.store, s.app.user, s.progress
	background(s.app.win, 0, func() func() {
		rows, err := readServiceFile(path)
		if err != nil {
			return func() {
				progress.Hide()
				s.importFailed(fmt.Sprintf("%s cannot be imported: %v.", filepath.Base(path), err), nil)
			}
		}
		fyne.Do(func() { status.SetText(fmt.Sprintf("Importing %s…", count(len(rows), "service", "services"))) })
		res, err := store.ImportServices(context.Background(), user, rows, func(done, total int) bool {
			if total > 0 {
				fyne.Do(func() { bar.SetValue(float64(done) / float64(total)) })
			}
			return !s.cancelled.Load()
		})
		return func() {
			progress.Hide()
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
				s.importFailed("The import failed, so nothing was imported: "+err.Error()+".", nil)
			default:
				s.lastImport = fmt.Sprintf("Imported %s: %d new, %d updated.", filepath.Base(path), res.Created, res.Updated)
				dialog.ShowInformation("Import finished", s.lastImport, s.app.win)
				s.reload()
			}
		}
	})
}

// readServiceFile parses a file by its extension.
func readServiceFile(path string) ([]data.ServiceImport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return data.ParseServicesJSON(f)
	case ".csv", ".txt":
		return data.ParseServicesCSV(f)
	}
	return nil, errors.New("choose a .csv or .json (Open Referral UK) file")
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
	ext := strings.ToLower(filepath.Ext(path))
	if ext == "" {
		path += ".csv"
		ext = ".csv"
	}
	store := s.app.store
	background(s.app.win, 0, func() func() {
		n, err := exportServices(store, path, ext == ".json")
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

func exportServices(store *data.Store, path string, asJSON bool) (int, error) {
	all, err := store.AllServices(context.Background())
	if err != nil {
		return 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	if asJSON {
		err = data.WriteServicesJSON(f, all)
	} else {
		err = data.WriteServicesCSV(f, all)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return 0, err
	}
	return len(all), nil
}
