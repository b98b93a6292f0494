package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Reads of patient data are audited too (issue 13): opening a patient's
// record or a case record, every patient search (what was typed, not what
// was found), every print, export and backup. A read is recorded after the
// rows are read and before they are returned, in one short write
// transaction of its own (one insert and its seal), so the write lock is
// held for a moment only. The busy retry of writeTx applies: a desk that
// holds the database for a moment delays the read, it does not fail it.
//
// What the store does when the event cannot be written:
//
//   - Patient data (a record, a case record, search results, an export of
//     referrals or a diary, an appointment card) is not handed out: the
//     call fails with an error wrapping ErrNotAudited. A read that cannot
//     be accounted for is refused, never shown silently.
//   - A store from OpenReadOnly cannot write at all, so it refuses those
//     reads in the same way (ErrNotAudited wrapping ErrReadOnly) and says
//     to copy the database to a writable disk. What reads no patient's
//     record still works there: check, audit verify, the directory export
//     and backups. A backup from read-only media is the way to rescue the
//     practice's records, so it is allowed and not recorded, as a sign-in
//     there is not (see SignIn).

// ErrNotAudited: the read could not be recorded in the audit, so its data
// was not shown.
var ErrNotAudited = errors.New("this could not be recorded in the audit, so it is not shown")

// auditText is typed text (a search) as the audit keeps it: cleaned of
// control characters and cut to 100 characters.
func auditText(s string) string {
	r := []rune(CleanText(s))
	if len(r) > 100 {
		r = append(r[:100], '…')
	}
	return string(r)
}

// recordRead writes one audit event for a read of patient data by actor, or
// says why it cannot (see above).
func (s *Store) recordRead(ctx context.Context, actor User, action, entity string, entityID int64, detail string) error {
	if s.readOnly {
		return fmt.Errorf("%w: the database is open read-only, so Linkwell cannot write to it. "+
			"Copy it to this computer's own disk to read patients' records: %w", ErrNotAudited, ErrReadOnly)
	}
	// The data has been read; a caller that gives up now still must not
	// get it unrecorded, and a record half-way is not possible, so the
	// event is written even if ctx is cancelled meanwhile.
	ctx = context.WithoutCancel(ctx)
	err := s.write(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.stamp(), actor.ID, action, entity, entityID, detail)
	})
	if err != nil {
		if errors.Is(err, ErrBusy) {
			return fmt.Errorf("%w: %w", ErrNotAudited, err)
		}
		return fmt.Errorf("%w (%w)", ErrNotAudited, err)
	}
	return nil
}

// recordIfWritable records work that reads no patient's record (a backup,
// the directory): on a read-only store it records nothing and goes ahead.
func (s *Store) recordIfWritable(ctx context.Context, actorID int64, action, entity string, entityID int64, detail string) error {
	if s.readOnly {
		return nil
	}
	ctx = context.WithoutCancel(ctx) // the work is done: record it
	return s.write(ctx, func(tx *sql.Tx) error {
		return audit(ctx, tx, s.stamp(), actorID, action, entity, entityID, detail)
	})
}

// RecordCardPrint records that the card of appointment id was printed. The
// printing job (printing.Card) calls it once the PDF is on disk, before it
// takes its name, so a card that cannot be recorded is not printed.
func (s *Store) RecordCardPrint(ctx context.Context, sess *Session, id int64, largePrint bool) error {
	actor, err := s.allow(ctx, sess, OpPrintCard)
	if err != nil {
		return err
	}
	detail := "appointment card"
	if largePrint {
		detail += ", large print"
	}
	return s.recordRead(ctx, actor, "print", "appointment", id, detail)
}

// RecordCopy records, under the user who asked, that the whole practice is
// being copied to to (linkwell migrate): an administrator's job, like a
// backup, and recorded as one before the copy is made, so the copy holds
// the event too. On read-only media nothing is recorded, as for a backup.
func (s *Store) RecordCopy(ctx context.Context, sess *Session, to string) error {
	actor, err := s.allow(ctx, sess, OpBackup)
	if err != nil {
		return err
	}
	return s.recordIfWritable(ctx, actor.ID, "backup", "database", 0, "copy to "+RedactURL(to))
}
