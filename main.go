// Linkwell runs social prescribing in a GP practice: referrals, the
// link-worker diary, the community directory and printed prescriptions.
// main.go wires things up; the subcommands live in cli.go.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"linkwell/assets"
	"linkwell/data"
	"linkwell/printing"
	"linkwell/ui"
)

const appID = "uk.linkwell.desktop"

func main() {
	attachConsole(os.Args[1:]) // Windows: a subcommand prints in its Command Prompt
	// One context for the whole run: Ctrl+C or SIGTERM cancels it, which
	// stops a long subcommand cleanly and closes the window.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// openWindow runs the desktop app until its window closes or ctx is
// cancelled. store is the open database, or nil when data.Open found the
// file at path damaged (openErr says how): the window then opens on the
// recovery screen. After the window closes the app makes its closing backup
// and closes the database; a failed backup is returned.
func openWindow(ctx context.Context, path string, store *data.Store, openErr error) error {
	// PDFs made to print hold case notes: remove any a crash left, and this
	// run's when the window closes.
	printing.ClearFolder()
	defer printing.ClearFolder()

	// Light by default, dark when the system asks. Fyne asks a Linux desktop
	// through its session bus; with no bus nothing can ask, so say light
	// rather than fall back to Fyne's dark.
	if runtime.GOOS == "linux" && os.Getenv("FYNE_THEME") == "" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		os.Setenv("FYNE_THEME", "light")
	}
	a := app.NewWithID(appID)
	a.Settings().SetTheme(ui.Theme{})
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	w := a.NewWindow("Linkwell")
	w.SetMaster()
	w.Resize(ui.WindowSizeAt(ui.TextScale(a.Settings())))
	var linkwell *ui.App
	if store != nil {
		linkwell = ui.New(w, store)
	} else {
		linkwell = ui.NewDamaged(w, path, openErr)
	}
	linkwell.Start()
	// The integrity check and the automatic backups start once the window
	// is up, so a large database never keeps it from opening.
	a.Lifecycle().SetOnStarted(func() { linkwell.WindowShown(ctx) })

	// Close cleanly when the session ends or a test asks (SIGTERM).
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	w.ShowAndRun()
	return linkwell.Close()
}
