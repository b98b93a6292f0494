package printing

import (
	"context"
	"io"

	"linkwell/data"
	"linkwell/pdf"
)

// MonthlyReturn writes the monthly return for one month to path as a PDF
// (pdf.MonthlyReturn) and returns the figures it shows. Nothing is recorded:
// the return is a view of the records.
func MonthlyReturn(ctx context.Context, store *data.Store, sess *data.Session, month data.Period, path string) (*data.Report, error) {
	r, err := store.MonthlyReturn(ctx, sess, month)
	if err != nil {
		return nil, err
	}
	return r, data.WriteFile(path, func(w io.Writer) error { return pdf.MonthlyReturn(w, r) })
}
