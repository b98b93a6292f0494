package printing

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"linkwell/data"
	"linkwell/pdf"
)

// SubjectAccess writes everything held about one patient to path: a PDF
// for the person (path ends .pdf) or JSON (.json, data.SubjectAccess's
// documented fields). The store gathers it and audits the export once the
// file is safely written.
func SubjectAccess(ctx context.Context, store *data.Store, sess *data.Session, who data.Subject, path string) (data.SubjectAccess, error) {
	var write func(io.Writer, data.SubjectAccess) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pdf":
		write = pdf.SubjectAccess
	case ".json":
		write = data.WriteSubjectAccessJSON
	default:
		return data.SubjectAccess{}, fmt.Errorf("%s: a subject access export is a .pdf or a .json file", filepath.Base(path))
	}
	return store.ExportSubjectAccessFile(ctx, sess, who, path, write)
}
