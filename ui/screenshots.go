package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// ScreenshotSize is the common practice-PC screen.
var ScreenshotSize = fyne.NewSize(1366, 768)

// Screenshots renders every screen with Fyne's software renderer to PNG
// files in dir, signed in as the demo administrator, and returns the files
// written. The store should hold a demo practice.
func Screenshots(store *data.Store, dir string) ([]string, error) {
	ctx := context.Background()
	var admin data.User
	for _, acc := range data.DemoAccounts() {
		if acc.Role == data.RoleAdministrator {
			u, err := store.UserByUsername(ctx, acc.Username)
			if err != nil {
				return nil, errors.New("this database has no demo administrator; make one with 'linkwell demo'")
			}
			admin = u
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// Show the demo as on its last day at 12:30, where its data ends, so the pictures are
	// the same whenever they are made.
	if day, _ := store.Setting(ctx, "demo.today"); day != "" {
		if d, err := time.ParseInLocation(data.DateLayout, day, data.London()); err == nil {
			at := d.Add(12*time.Hour + 30*time.Minute)
			store.SetClock(func() time.Time { return at })
		}
	}

	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(lightTheme{})
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(ScreenshotSize)

	var files []string
	shoot := func(name string) error {
		path := filepath.Join(dir, name+".png")
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			return err
		}
		files = append(files, path)
		return nil
	}

	// First run, on a throwaway empty database.
	tmp, err := os.MkdirTemp("", "linkwell-screens")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	empty, err := data.Open(filepath.Join(tmp, "new.db"))
	if err != nil {
		return nil, err
	}
	New(w, empty).Start()
	err = shoot("setup")
	empty.Close()
	if err != nil {
		return nil, err
	}

	app := New(w, store)
	app.Start()
	if err := shoot("signin"); err != nil {
		return nil, err
	}
	app.SignedIn(admin)
	if app.patients == nil {
		return nil, fmt.Errorf("the patients screen did not open")
	}
	app.patients.picker.SetQuery("Wi")
	app.patients.picker.SearchNow()
	if len(app.patients.picker.Results()) > 0 {
		app.patients.picker.table.Select(widget.TableCellID{})
	}
	if err := shoot("patients"); err != nil {
		return nil, err
	}
	app.Show("Referrals")
	if err := shoot("referrals"); err != nil {
		return nil, err
	}
	app.Show("New referral")
	if err := shoot("new-referral"); err != nil {
		return nil, err
	}
	// The case record of the active episode with the most going on.
	rows, err := store.ListReferrals(ctx, data.ReferralFilter{Statuses: []data.ReferralStatus{data.StatusActive}},
		data.ReferralSort{Column: data.SortActivity, Desc: true}, 0, 1)
	if err != nil {
		return nil, err
	}
	if len(rows) > 0 {
		app.OpenCase(rows[0].ID)
		if err := shoot("case-record"); err != nil {
			return nil, err
		}
	}
	for _, screen := range []struct{ page, file string }{
		{"Today", "today"}, {"Diary", "diary"}, {"Working patterns", "working-patterns"},
	} {
		app.Show(screen.page)
		if err := shoot(screen.file); err != nil {
			return nil, err
		}
	}
	if err := shootDirectoryAndPrescription(ctx, store, app, admin, shoot); err != nil {
		return nil, err
	}
	app.Show("Staff")
	if err := shoot("staff"); err != nil {
		return nil, err
	}
	return files, nil
}

// shootDirectoryAndPrescription shows the directory with an entry open,
// and a prescription with a patient and two services with notes, written
// by a link worker (the administrator may not issue one).
func shootDirectoryAndPrescription(ctx context.Context, store *data.Store, app *App, admin data.User, shoot func(string) error) error {
	app.Show("Directory")
	if d := app.directory; d != nil && len(d.results) > 0 {
		d.table.Select(widget.TableCellID{})
	}
	if err := shoot("directory"); err != nil {
		return err
	}
	worker := admin
	for _, acc := range data.DemoAccounts() {
		if acc.Role == data.RoleLinkWorker {
			if u, err := store.UserByUsername(ctx, acc.Username); err == nil {
				worker = u
				break
			}
		}
	}
	app.SignedIn(worker)
	// A patient in an active episode with an appointment still to come.
	rows, err := store.ListReferrals(ctx, data.ReferralFilter{Statuses: []data.ReferralStatus{data.StatusActive}},
		data.ReferralSort{Column: data.SortActivity, Desc: true}, 0, 50)
	if err != nil {
		return err
	}
	var patientID, referralID int64
	for _, r := range rows {
		if patientID == 0 || nextAppointment(ctx, store, r.PatientID) != nil {
			patientID, referralID = r.PatientID, r.ID
		}
		if nextAppointment(ctx, store, r.PatientID) != nil {
			break
		}
	}
	app.StartPrescription(patientID, referralID)
	if rx := app.rx; rx != nil && patientID != 0 {
		for _, find := range []struct{ words, note string }{
			{"walk", "Ask for Jane at the gate; Tuesdays 10:00; the 24 bus stops outside."},
			{"lunch", "Ring Pat the day before so they save you a seat."},
		} {
			rx.serviceSearch.SetText(find.words)
			rx.AddFirstService()
			if n := len(rx.items); n > 0 {
				rx.SetNote(n-1, find.note)
			}
		}
		// A search under way, to show the directory's results too.
		rx.serviceSearch.SetText("art")
		rx.SearchServicesNow()
	}
	if err := shoot("prescription"); err != nil {
		return err
	}
	app.SignedIn(admin)
	return nil
}

// lightTheme is the app's theme in its light variant, which a practice PC
// shows by default; the test app would otherwise render dark.
type lightTheme struct{ Theme }

func (t lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
