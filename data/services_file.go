package data

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ImportServicesFile imports a directory file: Open Referral UK JSON or
// our CSV, told apart by what the file holds rather than its name (see
// isJSON). The whole file goes in, or nothing does (see ImportServices). progress (may be nil) hears how far the import is;
// cancelling ctx stops it with ErrImportCancelled and nothing imported.
func (s *Store) ImportServicesFile(ctx context.Context, sess *Session, path string, progress func(done, total int)) (ImportResult, error) {
	if _, err := s.allow(ctx, sess, OpEditDirectory); err != nil {
		return ImportResult{}, err
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return ImportResult{}, fmt.Errorf("the file cannot be read (%w)", plainFileError(err))
	}
	var rows []ServiceImport
	if isJSON(raw) {
		rows, err = ParseServicesJSON(bytes.NewReader(raw))
	} else {
		rows, err = ParseServicesCSV(bytes.NewReader(raw))
	}
	if err != nil {
		return ImportResult{}, err
	}
	res, err := s.ImportServices(ctx, sess, rows, func(done, total int) bool {
		if progress != nil {
			progress(done, total)
		}
		return ctx.Err() == nil
	})
	if err != nil && ctx.Err() != nil {
		return ImportResult{}, ErrImportCancelled
	}
	return res, err
}

// isJSON is the one rule for a directory file's format: JSON starts with
// { or [ (after any byte-order mark and spaces); anything else is CSV.
func isJSON(raw []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\ufeff")))
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// ExportServicesFile writes the whole directory to path, as Open Referral
// UK JSON for a .json file and as CSV otherwise, and says how many
// services it wrote.
func (s *Store) ExportServicesFile(ctx context.Context, sess *Session, path string) (int, error) {
	actor, err := s.allow(ctx, sess, OpViewDirectory)
	if err != nil {
		return 0, err
	}
	all, err := s.AllServices(ctx, sess)
	if err != nil {
		return 0, err
	}
	write := WriteServicesCSV
	if strings.EqualFold(filepath.Ext(path), ".json") {
		write = WriteServicesJSON
	}
	// The directory holds no patient's data: the export is recorded where
	// the database can be written, and goes ahead on read-only media.
	record := func() error {
		return s.recordIfWritable(ctx, actor.ID, "export", "service", 0, fmt.Sprintf("%d services to %s", len(all), path))
	}
	if err := WriteFileThen(path, func(w io.Writer) error { return write(w, all) }, record); err != nil {
		return 0, err
	}
	return len(all), nil
}
