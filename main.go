// Linkwell runs social prescribing in a GP practice: referrals, the
// link-worker diary, the community directory and printed prescriptions.
// main.go wires things up; the subcommands live in cli.go.
package main

import (
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
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// openWindow runs the desktop app until its window closes.
func openWindow(store *data.Store) {
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
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
}
