package data

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// overwrite writes n bytes of 0xA5 at offset in the file at path, as a disk
// fault or a crash in the middle of a copy would leave it.
func overwrite(t *testing.T, path string, offset int64, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, n)
	for i := range junk {
		junk[i] = 0xA5
	}
	if _, err := f.WriteAt(junk, offset); err != nil {
		t.Fatal(err)
	}
}

// closedPractice is the path of a closed database holding a practice and n
// patients, with nothing left in a -wal file, and its page size.
func closedPractice(t *testing.T, n int) (path string, pageSize int64) {
	t.Helper()
	s, _ := practiceWithPatients(t, n)
	if err := s.db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if exists(s.Path() + "-wal") {
		t.Fatal("a -wal file was left behind")
	}
	return s.Path(), pageSize
}

// A damaged header or schema is refused at Open, as damage, and the file is
// left as it was.
func TestOpenRefusesADamagedHeaderOrSchema(t *testing.T) {
	sqliteOnly(t)
	for _, c := range []struct {
		name   string
		damage func(t *testing.T, path string, pageSize int64)
	}{
		{"page size in the header", func(t *testing.T, path string, _ int64) {
			f, _ := os.OpenFile(path, os.O_RDWR, 0)
			f.WriteAt(binary.BigEndian.AppendUint16(nil, 3), 16) // not a power of two
			f.Close()
		}},
		{"the schema's page", func(t *testing.T, path string, pageSize int64) {
			overwrite(t, path, 100, int(pageSize)-100) // page 1 after the header
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path, pageSize := closedPractice(t, 3)
			c.damage(t, path, pageSize)
			before, _ := os.ReadFile(path)
			_, err := Open(path)
			var oe *OpenError
			if !errors.As(err, &oe) || !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "Restore a backup") {
				t.Fatalf("err = %v, want an OpenError wrapping ErrDamaged", err)
			}
			assertUntouched(t, path, before)
		})
	}
}

// Damage deeper in the file no longer stops Open, which reads only the
// header and the schema; CheckIntegrity, run by the app in the background,
// finds it.
func TestCheckIntegrityFindsDamageOpenDoesNotRead(t *testing.T) {
	sqliteOnly(t)
	path, pageSize := closedPractice(t, 150) // addPatient makes 182 different patients at most
	st, _ := os.Stat(path)
	pages := st.Size() / pageSize
	if pages < 10 {
		t.Fatalf("only %d pages: too small to damage the middle", pages)
	}
	// A page of the patients table (it holds their phone numbers), which
	// Open has no need to read. (The middle of the file was used before;
	// as migrations added tables it came to hold the audit's root page,
	// which Open does read.)
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := int64(bytes.Index(file, []byte("07700 900"))) / pageSize * pageSize
	if at <= 0 {
		t.Fatalf("no patient's phone number beyond the first page (at %d)", at)
	}
	overwrite(t, path, at, int(pageSize))

	start := time.Now()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open read further than the header and schema: %v", err)
	}
	defer s.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Open took %v", d)
	}
	err = s.CheckIntegrity(context.Background())
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "integrity check found") && !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("CheckIntegrity = %v, want ErrDamaged saying what SQLite found", err)
	}
}

func TestCheckIntegrityOfAHealthyDatabase(t *testing.T) {
	sqliteOnly(t)
	s, _ := practiceWithPatients(t, 20)
	if err := s.CheckIntegrity(context.Background()); err != nil {
		t.Fatalf("CheckIntegrity = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.CheckIntegrity(ctx); !errors.Is(err, context.Canceled) || errors.Is(err, ErrDamaged) {
		t.Errorf("cancelled: %v, want context.Canceled and not damage", err)
	}
}

func BenchmarkCheckIntegrity(b *testing.B) {
	s := openBench(b)
	for b.Loop() {
		if err := s.CheckIntegrity(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
