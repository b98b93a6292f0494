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
// reprint): 1 to 8 services, every other one in large print.
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
