package data

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// ApplicationID is Linkwell's mark, kept in the SQLite file's header
// (PRAGMA application_id): "LKWL". A file without it is not opened, so
// Linkwell never writes into another program's file.
const ApplicationID = 0x4C4B574C

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// fileHeader is what inspect reads straight from the first 100 bytes of a
// database file, before SQLite opens it.
type fileHeader struct {
	applicationID uint32
}

// readHeader reads the SQLite header of the file at path; nil when the file
// is not SQLite.
func readHeader(path string) (*fileHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 100)
	if _, err := io.ReadFull(f, head); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	if !bytes.Equal(head[:len(sqliteHeader)], sqliteHeader) {
		return nil, nil
	}
	return &fileHeader{applicationID: binary.BigEndian.Uint32(head[68:72])}, nil
}

// linkwellTables are tables only Linkwell's schema has together. A file
// without the mark is taken for an earlier Linkwell's database only when it
// has them all and a schema version this Linkwell knows.
var linkwellTables = []string{"practice", "patients", "referrals", "appointments", "prescriptions", "audit_events"}

// isOldLinkwell is true when db, which has no mark, was clearly made by an
// earlier Linkwell (before databases were marked).
func isOldLinkwell(db *sql.DB, version int) (bool, error) {
	if version < 1 || version > SchemaVersion() {
		return false, nil
	}
	for _, t := range linkwellTables {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, t).Scan(&n); err != nil {
			return false, err
		}
		if n == 0 {
			return false, nil
		}
	}
	return true, nil
}

// stampMark puts Linkwell's mark on a database made before there was one.
// Open only gets here once inspect has shown the file is Linkwell's.
func (s *Store) stampMark(ctx context.Context) error {
	var id uint32
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id); err != nil {
		return &OpenError{Path: s.path, Reason: "it cannot be read: " + err.Error(), Err: err}
	}
	if id == ApplicationID {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID))
		return err
	})
	if err != nil {
		return &OpenError{Path: s.path, Reason: "Linkwell's mark could not be written: " + err.Error(), Err: err}
	}
	return nil
}

// marked is true when the store's database carries Linkwell's mark.
func (s *Store) marked(ctx context.Context) (bool, error) {
	var id uint32
	err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id)
	return id == ApplicationID, err
}

// IsDemoDatabase reports whether path holds a demo practice: CreateDemo
// marks the practice as a demo (practice.is_demo) in the same transaction
// that writes it. The file is only read. An error means it is not a
// Linkwell database at all, or cannot be read.
func IsDemoDatabase(path string) (bool, error) {
	s, err := OpenReadOnly(path)
	if err != nil {
		return false, err
	}
	defer s.Close()
	var demo bool
	err = s.db.QueryRow(`SELECT is_demo FROM practice WHERE id = 1`).Scan(&demo)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // not set up yet: a new database, not a demo
	}
	return demo, err
}
