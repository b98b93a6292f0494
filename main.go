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
// cancelled.
func openWindow(ctx context.Context, store *data.Store) {
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
	w.Resize(fyne.NewSize(1280, 760))
	ui.New(w, store).Start()

	// Close cleanly when the session ends or a test asks (SIGTERM).
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	w.ShowAndRun()
}
