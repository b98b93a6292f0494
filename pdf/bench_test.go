package pdf

import (
	"io"
	"testing"

	"linkwell/data"
)

// BenchmarkPrescription renders one three-service prescription (each with
// a QR code), as the Print button does.
func BenchmarkPrescription(b *testing.B) {
	p := rxFor("Siân ap Rhys", 3, false)
	for b.Loop() {
		if err := Prescription(io.Discard, p, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrescription100 renders 100 prescriptions in a row (a batch
// reprint): 1 to 8 services, every other one in large print. Compare it
// with BenchmarkMinimalPage100: the target is at most 1.5 times as long.
func BenchmarkPrescription100(b *testing.B) {
	batch := make([]data.Prescription, 100)
	for i := range batch {
		batch[i] = rxFor("Łukasz Wiśniewski", 1+i%8, i%2 == 1)
	}
	for b.Loop() {
		for _, p := range batch {
			if err := Prescription(io.Discard, p, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkMinimalPage100 makes 100 of the least a document with our fonts
// can be: both fonts added, a line in each, written out. gofpdf parses
// each font afresh for every document and embeds the glyphs it used, so
// this is the floor a prescription is measured against.
func BenchmarkMinimalPage100(b *testing.B) {
	for b.Loop() {
		for range 100 {
			f := newDocument("Minimal page")
			f.AddPage()
			f.SetFont(family, "B", 20)
			f.Cell(0, 10, "Social prescription for Łukasz Wiśniewski")
			f.Ln(12)
			f.SetFont(family, "", 11)
			f.Cell(0, 6, "Riverside Medical Practice, 1 Mill Lane, Calderbridge HX1 1AA")
			if err := f.Output(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}
