// Command screenshots renders every screen of Linkwell on a demo database
// to PNG files, with Fyne's software renderer, for the README, and a few of
// them again at scale 1.4 (large text) as NAME-scale-1.4.png:
//
//	go run -tags migrated_fynedo ./cmd/screenshots --db PATH --out DIR
//
// It is a developer tool apart from linkwell because the renderer is Fyne's
// test driver, which brings the testing package with it.
package main

import (
	"context"
	"flag"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"linkwell/data"
	"linkwell/ui"
)

// size is the common practice-PC screen.
var size = fyne.NewSize(1366, 768)

// Large text: FYNE_SCALE=1.4 in the window as it opens on that screen
// (ui.WindowSize pixels), for the screens named here, saved as
// NAME-scale-1.4.png.
const bigScale = 1.4

var bigScreens = map[string]bool{"referrals": true, "diary": true, "case-record": true, "patients": true}

func main() {
	db := flag.String("db", "", "the demo database (make one with 'linkwell demo')")
	out := flag.String("out", "", "the folder for the PNG files")
	flag.Parse()
	if *db == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "screenshots: say which database and folder with --db PATH --out DIR")
		os.Exit(2)
	}
	files, err := render(*db, *out)
	for _, f := range files {
		fmt.Println(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

// render draws the first-run and sign-in screens, then every screen
// signed in as the demo administrator, and returns the files written.
func render(dbPath, dir string) ([]string, error) {
	// data.Open would make a new, empty database at a mistyped path.
	if _, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("%s does not exist; make a demo database with 'linkwell demo --db %s'", dbPath, dbPath)
	}
	store, err := data.Open(dbPath)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	ctx := context.Background()
	// Show the demo as on its last day at 12:30, where its data ends, so
	// the pictures are the same whenever they are made (the sign-ins below
	// are audited at that moment too).
	if day, _ := store.Setting(ctx, "demo.today"); day != "" {
		if d, err := time.ParseInLocation(data.DateLayout, day, data.London()); err == nil {
			at := d.Add(12*time.Hour + 30*time.Minute)
			store.SetClock(func() time.Time { return at })
		}
	}

	var sessions []*data.Session
	for _, role := range []data.Role{data.RoleLinkWorker, data.RolePracticeManager, data.RoleAdministrator} {
		sess, err := demoSignIn(ctx, store, role)
		if err != nil {
			return nil, fmt.Errorf("signing in as the demo's %s: %w; make a demo database with 'linkwell demo'", role.Label(), err)
		}
		sessions = append(sessions, sess)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(lightTheme{})
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(size)

	var files []string
	shoot := func(name string) error {
		// A real window lays itself out again when what it shows needs
		// more room (a screen wider than the window then scrolls); the test
		// driver does not, so nudge it.
		at := w.Canvas().Size()
		w.Resize(at.AddWidthHeight(1, 1))
		w.Resize(at)
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
	ui.New(w, empty).Start()
	err = shoot("setup")
	empty.Close()
	if err != nil {
		return files, err
	}

	app := ui.New(w, store)
	app.Start()
	if err := shoot("signin"); err != nil {
		return files, err
	}
	if err := ui.ShowEachScreen(app, sessions[0], sessions[1], sessions[2], shoot); err != nil {
		return files, err
	}

	// The same tour drawn at scale 1.4, keeping a few of its screens.
	big := test.NewWindow(nil)
	defer big.Close()
	big.Canvas().(software.WindowlessCanvas).SetScale(bigScale)
	big.Resize(fyne.NewSize(ui.WindowSize.Width/bigScale, ui.WindowSize.Height/bigScale))
	w = big // shoot captures w
	app = ui.New(big, store)
	app.Start()
	return files, ui.ShowEachScreen(app, sessions[0], sessions[1], sessions[2], func(name string) error {
		if !bigScreens[name] {
			return nil
		}
		return shoot(name + "-scale-1.4")
	})
}

// demoSignIn signs in as the first demo account of a role, with its
// published demo password, as anyone at the sign-in screen would.
func demoSignIn(ctx context.Context, store *data.Store, role data.Role) (*data.Session, error) {
	for _, acc := range data.DemoAccounts() {
		if acc.Role == role {
			return store.SignIn(ctx, acc.Username, acc.Password)
		}
	}
	return nil, data.ErrNotFound
}

// lightTheme is the app's theme in its light variant, which a practice PC
// shows by default; the test app would otherwise render dark.
type lightTheme struct{ ui.Theme }

func (t lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
