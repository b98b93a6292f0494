// Command checkexe checks the Windows build: a 64-bit GUI executable (no
// console window behind the app) carrying the app's icon, version
// information and manifest as resources. The executable cannot be run on
// the build machine, so `make windows` reads it instead:
//
//	go run ./packaging/checkexe -name Linkwell -version 0.1.0 dist/windows/Linkwell.exe
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"unicode/utf16"
)

// Resource types (winuser.h).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

func main() {
	name := flag.String("name", "", "the product name the version resource must carry")
	version := flag.String("version", "", "the version (x.y.z) the version resource must carry")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: checkexe -name NAME -version X.Y.Z FILE.exe")
		os.Exit(2)
	}
	report, err := check(flag.Arg(0), *name, *version)
	if err != nil {
		fmt.Fprintf(os.Stderr, "checkexe: %s: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
	fmt.Printf("%s: %s\n", flag.Arg(0), report)
}

// check returns a one-line summary of a good executable, or every problem
// found.
func check(path, name, version string) (string, error) {
	f, err := pe.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		return "", errors.New("not a 64-bit (PE32+ x86-64) executable")
	}
	var problems []string
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		problems = append(problems, "not a GUI executable (a console window would open behind the app; build with -H=windowsgui)")
	}
	res, err := readResources(f, oh)
	if err != nil {
		return "", err
	}
	for _, t := range []struct {
		id   uint32
		what string
	}{{rtIcon, "icon images (RT_ICON)"}, {rtGroupIcon, "an icon (RT_GROUP_ICON)"}, {rtVersion, "version information (RT_VERSION)"}, {rtManifest, "a manifest (RT_MANIFEST)"}} {
		if len(res[t.id]) == 0 {
			problems = append(problems, "no "+t.what)
		}
	}
	var sizes []string
	if g := res[rtGroupIcon]; len(g) > 0 {
		sizes = iconSizes(g[0])
		if len(sizes) == 0 {
			problems = append(problems, "the icon group lists no images")
		}
	}
	if v := res[rtVersion]; len(v) > 0 {
		for _, want := range []string{name, version} {
			if want != "" && !bytes.Contains(v[0], utf16le(want)) {
				problems = append(problems, fmt.Sprintf("the version information does not say %q", want))
			}
		}
	}
	if len(problems) > 0 {
		return "", errors.New(strings.Join(problems, "; "))
	}
	return fmt.Sprintf("PE32+ x86-64 GUI; icon %s; version information for %s %s; manifest", strings.Join(sizes, ", "), name, version), nil
}

// readResources reads the resource tree (type / name / language) and
// returns the data of every resource by type.
func readResources(f *pe.File, oh *pe.OptionalHeader64) (map[uint32][][]byte, error) {
	dir := oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
	if dir.Size == 0 {
		return nil, errors.New("no resources at all (no icon, version or manifest)")
	}
	// Resources may share a section with other data: find the one holding them.
	var sec *pe.Section
	for _, s := range f.Sections {
		if dir.VirtualAddress >= s.VirtualAddress && dir.VirtualAddress < s.VirtualAddress+s.VirtualSize {
			sec = s
		}
	}
	if sec == nil {
		return nil, errors.New("the resource directory points outside every section")
	}
	raw, err := sec.Data()
	if err != nil {
		return nil, err
	}
	at := func(rva uint32, n uint32) ([]byte, error) {
		off := uint64(rva) - uint64(sec.VirtualAddress)
		if off+uint64(n) > uint64(len(raw)) {
			return nil, errors.New("a resource points past its section")
		}
		return raw[off : off+uint64(n)], nil
	}
	// Offsets inside the tree count from its start.
	tree := func(off, n uint32) ([]byte, error) { return at(dir.VirtualAddress+off, n) }

	// entries lists a directory's (id, offset) pairs; offsets with the top
	// bit set are subdirectories.
	entries := func(off uint32) ([][2]uint32, error) {
		hdr, err := tree(off, 16)
		if err != nil {
			return nil, err
		}
		n := uint32(binary.LittleEndian.Uint16(hdr[12:])) + uint32(binary.LittleEndian.Uint16(hdr[14:]))
		b, err := tree(off+16, 8*n)
		if err != nil {
			return nil, err
		}
		out := make([][2]uint32, n)
		for i := range out {
			out[i] = [2]uint32{binary.LittleEndian.Uint32(b[8*i:]), binary.LittleEndian.Uint32(b[8*i+4:])}
		}
		return out, nil
	}
	// leaves collects the data under a subdirectory, however deep.
	var leaves func(off uint32, depth int) ([][]byte, error)
	leaves = func(off uint32, depth int) ([][]byte, error) {
		if off&0x80000000 == 0 { // a data entry: RVA and size
			e, err := tree(off, 8)
			if err != nil {
				return nil, err
			}
			d, err := at(binary.LittleEndian.Uint32(e), binary.LittleEndian.Uint32(e[4:]))
			return [][]byte{d}, err
		}
		if depth > 3 {
			return nil, errors.New("the resource tree is deeper than type, name and language")
		}
		es, err := entries(off &^ 0x80000000)
		if err != nil {
			return nil, err
		}
		var all [][]byte
		for _, e := range es {
			d, err := leaves(e[1], depth+1)
			if err != nil {
				return nil, err
			}
			all = append(all, d...)
		}
		return all, nil
	}
	types, err := entries(0)
	if err != nil {
		return nil, err
	}
	res := map[uint32][][]byte{}
	for _, t := range types {
		d, err := leaves(t[1], 1)
		if err != nil {
			return nil, err
		}
		res[t[0]] = append(res[t[0]], d...)
	}
	return res, nil
}

// iconSizes lists the images of an icon group (GRPICONDIR): "256x256, 48x48".
func iconSizes(g []byte) []string {
	if len(g) < 6 {
		return nil
	}
	n := int(binary.LittleEndian.Uint16(g[4:]))
	var sizes []string
	for i := 0; i < n && 6+14*(i+1) <= len(g); i++ {
		w, h := int(g[6+14*i]), int(g[6+14*i+1])
		if w == 0 {
			w = 256 // 0 means 256
		}
		if h == 0 {
			h = 256
		}
		sizes = append(sizes, fmt.Sprintf("%dx%d", w, h))
	}
	return sizes
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}
