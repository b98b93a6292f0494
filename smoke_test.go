package main

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRealWindow starts the built binary under Xvfb on a demo database,
// finds its window, takes a screenshot that must not be blank, and closes
// it with SIGTERM, expecting a clean exit.
func TestRealWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no real window")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing; 'make test' installs it", tool)
			}
			t.Skipf("%s is not installed; run 'make test' to install it", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "linkwell")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "demo.db")
	if out, err := exec.Command(bin, "demo", "--db", db, "--patients", "500", "--years", "1").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}

	// Xvfb picks a free display itself and reports it on fd 3, so a busy
	// or stale display number never gets in the way.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1366x768x24", "-nolisten", "tcp")
	xvfb.ExtraFiles = []*os.File{w}
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	defer func() { xvfb.Process.Signal(syscall.SIGTERM); xvfb.Wait() }()
	number := make(chan string, 1)
	go func() {
		buf := make([]byte, 16)
		n, _ := r.Read(buf)
		number <- strings.TrimSpace(string(buf[:n]))
	}()
	var display string
	select {
	case d := <-number:
		display = ":" + d
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start")
	}
	if display == ":" {
		t.Fatal("Xvfb did not say which display it uses")
	}

	env := append(os.Environ(), "DISPLAY="+display, "LANG=en_GB.UTF-8", "WAYLAND_DISPLAY=")
	app := exec.Command(bin, "--db", db)
	app.Env = env
	var logs strings.Builder
	app.Stdout, app.Stderr = &logs, &logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		if app.ProcessState == nil {
			app.Process.Kill()
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	find := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--name", "Linkwell")
	find.Env = env
	ids, err := find.Output()
	if err != nil {
		t.Fatalf("no Linkwell window appeared: %v\n%s", err, logs.String())
	}
	if strings.TrimSpace(string(ids)) == "" {
		t.Fatal("xdotool found no window")
	}
	time.Sleep(2 * time.Second) // let the first frames paint

	shot := filepath.Join(dir, "window.png")
	imp := exec.Command("import", "-window", "root", shot)
	imp.Env = env
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	if n := distinctColours(t, shot); n < 20 {
		t.Errorf("the screenshot looks blank (%d colours)", n)
	}

	// Sign in with the keyboard alone, as a receptionist would.
	id := strings.Fields(string(ids))[0]
	xdo := func(args ...string) {
		cmd := exec.Command("xdotool", args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, out)
		}
	}
	fitsScreen(t, env, id, "at scale 1")
	xdo("windowfocus", "--sync", id)
	xdo("type", "--delay", "20", "admin")
	xdo("key", "Tab")
	xdo("type", "--delay", "20", "demo-pass-admin")
	xdo("key", "Return")
	time.Sleep(2 * time.Second)
	signedIn := filepath.Join(dir, "signed-in.png")
	imp = exec.Command("import", "-window", "root", signedIn)
	imp.Env = env
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	if d := differentPixels(t, shot, signedIn); d < 0.05 {
		t.Errorf("the window did not change after signing in (%.1f%% of pixels differ)", d*100)
	}
	if keep := os.Getenv("LINKWELL_SMOKE_SHOT"); keep != "" {
		raw, _ := os.ReadFile(signedIn)
		os.WriteFile(keep, raw, 0o644)
	}

	app.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the app did not exit cleanly: %v\n%s", err, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Errorf("the app did not close within 15s of SIGTERM\n%s", logs.String())
	}

	// With large text the window still fits the 1366×768 screen (it
	// opened at 1792×1008 pixels before; issue 17).
	large := exec.Command(bin, "--db", db)
	large.Env = append(env, "FYNE_SCALE=1.4")
	if err := large.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { large.Process.Kill(); large.Wait() }()
	find = exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--name", "Linkwell")
	find.Env = env
	if ids, err = find.Output(); err != nil || strings.TrimSpace(string(ids)) == "" {
		t.Fatalf("no Linkwell window with FYNE_SCALE=1.4: %v", err)
	}
	time.Sleep(time.Second)
	fitsScreen(t, env, strings.Fields(string(ids))[0], "at FYNE_SCALE=1.4")
}

// fitsScreen checks that window id fits inside Xvfb's 1366×768 screen.
func fitsScreen(t *testing.T, env []string, id, what string) {
	t.Helper()
	cmd := exec.Command("xdotool", "getwindowgeometry", "--shell", id)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("window geometry %s: %v", what, err)
	}
	var w, h int
	for _, line := range strings.Fields(string(out)) {
		fmt.Sscanf(line, "WIDTH=%d", &w)
		fmt.Sscanf(line, "HEIGHT=%d", &h)
	}
	if w == 0 || h == 0 || w > 1366 || h > 768 {
		t.Errorf("the window %s is %d×%d pixels, not inside the 1366×768 screen", what, w, h)
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// differentPixels is the share of pixels that differ between two images.
func differentPixels(t *testing.T, a, b string) float64 {
	ia, ib := decodePNG(t, a), decodePNG(t, b)
	bounds := ia.Bounds()
	diff, total := 0, 0
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			total++
			if ia.At(x, y) != ib.At(x, y) {
				diff++
			}
		}
	}
	return float64(diff) / float64(max(total, 1))
}

func distinctColours(t *testing.T, path string) int {
	img := decodePNG(t, path)
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}
