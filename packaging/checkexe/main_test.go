package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/josephspurrier/goversioninfo"
)

// The checker passes a GUI executable with an icon, version information and
// a manifest (made the way the Fyne CLI makes them), and names what is
// missing from a plain console build.
func TestCheck(t *testing.T) {
	// It builds two small Windows executables, so make windows runs it, not
	// make test, whose other packages' timing tests would feel the load.
	if os.Getenv("LINKWELL_TEST_CHECKEXE") == "" {
		t.Skip("set LINKWELL_TEST_CHECKEXE=1 (make windows does)")
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module hello\n\ngo 1.24\n")
	write(t, filepath.Join(dir, "main.go"), "package main\n\nfunc main() {}\n")

	plain := filepath.Join(dir, "plain.exe")
	build(t, dir, plain)
	if _, err := check(plain, "Hello", "1.2.3"); err == nil ||
		!strings.Contains(err.Error(), "no resources") {
		t.Errorf("a console build without resources: %v", err)
	}

	// The same resources the Fyne CLI adds: icon, version, manifest.
	var icon bytes.Buffer
	png.Encode(&icon, image.NewNRGBA(image.Rect(0, 0, 48, 48)))
	ico := filepath.Join(dir, "hello.ico")
	write(t, ico, string(icoFile(icon.Bytes(), 48)))
	manifest := filepath.Join(dir, "hello.exe.manifest")
	write(t, manifest, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0"></assembly>`)
	vi := &goversioninfo.VersionInfo{IconPath: ico, ManifestPath: manifest}
	vi.ProductName = "Hello"
	vi.StringFileInfo.ProductVersion = "1.2.3.1"
	vi.Build()
	vi.Walk()
	if err := vi.WriteSyso(filepath.Join(dir, "hello.syso"), "amd64"); err != nil {
		t.Fatal(err)
	}
	gui := filepath.Join(dir, "gui.exe")
	build(t, dir, gui, "-ldflags", "-H=windowsgui")
	report, err := check(gui, "Hello", "1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(report, "GUI; icon 48x48") {
		t.Errorf("report: %s", report)
	}
	if _, err := check(gui, "Linkwell", "1.2.3"); err == nil || !strings.Contains(err.Error(), `does not say "Linkwell"`) {
		t.Errorf("a wrong name: %v", err)
	}
}

func build(t *testing.T, dir, out string, flags ...string) {
	t.Helper()
	cmd := exec.Command("go", append(append([]string{"build", "-o", out}, flags...), ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
}

// icoFile wraps one PNG image as an .ico file.
func icoFile(img []byte, size int) []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint16(b, 0) // reserved
	b = binary.LittleEndian.AppendUint16(b, 1) // icon
	b = binary.LittleEndian.AppendUint16(b, 1) // one image
	b = append(b, byte(size), byte(size), 0, 0)
	b = binary.LittleEndian.AppendUint16(b, 1)  // planes
	b = binary.LittleEndian.AppendUint16(b, 32) // bits per pixel
	b = binary.LittleEndian.AppendUint32(b, uint32(len(img)))
	b = binary.LittleEndian.AppendUint32(b, 22) // the image follows this header
	return append(b, img...)
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
