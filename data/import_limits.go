package data

import (
	"bytes"
	"fmt"
	"io"
)

// ImportLimits bound what one import file may hold, so that a wrong file
// (a database, a disk image, an endless stream) is refused with a message
// instead of filling the memory.
type ImportLimits struct {
	MaxBytes int64 // the whole file
	MaxField int   // one text field (a CSV cell, a JSON string), in bytes
	MaxRows  int   // services in one file
}

// DefaultImportLimits are the limits ParseServicesCSV and ParseServicesJSON
// apply. A practice setting may replace them at start-up.
var DefaultImportLimits = ImportLimits{MaxBytes: 100 << 20, MaxField: 10 << 10, MaxRows: 250_000}

func (l ImportLimits) tooManyRows() error {
	return fmt.Errorf("the file holds more than %d services, the most one import takes; split it into smaller files", l.MaxRows)
}

func (l ImportLimits) fieldTooLong(name string) string {
	return fmt.Sprintf("%s is longer than %s, the most one field may hold", name, byteWords(int64(l.MaxField)))
}

// importReader reads an import file up to a limit, then fails with a
// message; it counts lines as it goes, for messages about JSON.
type importReader struct {
	r     io.Reader
	max   int64
	read  int64
	lines int // newlines read so far
}

func (ir *importReader) Read(p []byte) (int, error) {
	if ir.read > ir.max {
		return 0, ir.tooBig()
	}
	// One byte past the limit tells a file of exactly max bytes from a
	// longer one.
	if room := ir.max + 1 - ir.read; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := ir.r.Read(p)
	ir.read += int64(n)
	ir.lines += bytes.Count(p[:n], []byte("\n"))
	if ir.read > ir.max {
		return n - 1, ir.tooBig()
	}
	return n, err
}

func (ir *importReader) tooBig() error {
	return fmt.Errorf("the file is larger than %s, the most one import reads; split it into smaller files", byteWords(ir.max))
}

// byteWords: "100 MB", "10 KB", "900 bytes".
func byteWords(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
