// Package printing holds the jobs that join the store to a PDF: a social
// prescription and an appointment card. The command line and the screens
// both call them, so a document is gathered, recorded and written one way.
// pdf lays the documents out from plain values; data writes the file.
package printing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"linkwell/data"
	"linkwell/pdf"
)

// Prescription writes saved prescription id to path as a PDF, as it was
// issued, and records the print against the session's user. The first print is the
// original; every later one is marked "Reprint" with the day. The print is
// recorded only once the whole document is on disk and just before it takes
// its name (data.WriteFileThen), so a bad path or a full disk cannot turn
// the patient's first print into a "reprint".
func Prescription(ctx context.Context, store *data.Store, sess *data.Session, id int64, path string) (reprint bool, err error) {
	rx, err := store.Prescription(ctx, sess, id)
	if errors.Is(err, data.ErrNotFound) {
		return false, fmt.Errorf("there is no prescription %d", id)
	} else if err != nil {
		return false, err
	}
	// Whether this print is a reprint decides what the page says, so it is
	// read first and checked when the print is recorded; if another desk
	// printed in between, the document is made again as a reprint.
	for range 2 {
		if reprint, err = store.Printed(ctx, sess, rx.ID); err != nil {
			return false, err
		}
		var at *time.Time
		if reprint {
			now := store.Now()
			at = &now
		}
		err = data.WriteFileThen(path, func(w io.Writer) error {
			return pdf.Prescription(w, rx, at)
		}, func() error {
			recorded, _, err := store.RecordPrint(ctx, sess, rx.ID)
			if err == nil && recorded != reprint {
				return errPrintedMeanwhile
			}
			return err
		})
		if !errors.Is(err, errPrintedMeanwhile) {
			return reprint, err
		}
	}
	return reprint, err
}

// errPrintedMeanwhile: another desk printed the same prescription while
// this one was being written.
var errPrintedMeanwhile = errors.New("the prescription was printed at another desk at the same moment; print it again")

// Card writes the card of appointment id to path as a PDF. It is in large
// print when the patient's record asks for it or largePrint is set: a
// recorded need is never switched off for one card. The print is audited
// (data.(*Store).RecordCardPrint).
func Card(ctx context.Context, store *data.Store, sess *data.Session, id int64, largePrint bool, path string) error {
	// The store checks each read; printing a card is a right of its own
	// (those who book), which only this job knows it is doing.
	if !sess.May(data.OpPrintCard) {
		return data.ErrNotAllowed
	}
	c, err := gatherCard(ctx, store, sess, id)
	if err != nil {
		return err
	}
	c.LargePrint = c.LargePrint || largePrint
	// The print is recorded in the audit once the card is on disk and
	// before it takes its name: a card whose print cannot be recorded is
	// not printed.
	return data.WriteFileThen(path, func(w io.Writer) error { return pdf.AppointmentCard(w, c) }, func() error {
		return store.RecordCardPrint(ctx, sess, id, c.LargePrint)
	})
}

// gatherCard reads what the card of one appointment shows.
func gatherCard(ctx context.Context, store *data.Store, sess *data.Session, id int64) (pdf.Card, error) {
	var c pdf.Card
	a, err := store.Appointment(ctx, sess, id)
	if errors.Is(err, data.ErrNotFound) {
		return c, fmt.Errorf("there is no appointment %d", id)
	} else if err != nil {
		return c, err
	}
	c.Appointment = a
	if c.Patient, err = store.Patient(ctx, sess, a.PatientID); err != nil {
		return c, err
	}
	if c.Practice, err = store.Practice(ctx); err != nil {
		return c, err
	}
	sites, err := store.Sites(ctx, sess)
	if err != nil {
		return c, err
	}
	var site data.Site
	for _, s := range sites {
		if s.ID == a.SiteID {
			site = s
		}
	}
	c.Where = data.AppointmentWhere(a, site, c.Patient)
	c.LargePrint = c.Patient.LargePrint
	return c, nil
}
