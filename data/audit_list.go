package data

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// AuditActions are the actions the audit records, for the Audit screen's
// filter, in the order it lists them.
var AuditActions = []Choice{
	{"view", "Opened a record"},
	{"search", "Searched for patients"},
	{"print", "Printed"},
	{"reprint", "Reprinted"},
	{"export", "Exported"},
	{"backup", "Backed up"},
	{"create", "Created"},
	{"update", "Changed"},
	{"move", "Moved a referral"},
	{"reassign", "Reassigned a referral"},
	{"coded", "Coded a referral"},
	{"issue", "Issued a prescription"},
	{"review", "Reviewed a goal"},
	{"book", "Booked"},
	{"reschedule", "Rescheduled"},
	{"cancel", "Cancelled"},
	{"status", "Marked an appointment"},
	{"add_leave", "Added leave"},
	{"delete_leave", "Removed leave"},
	{"set_pattern", "Set a working pattern"},
	{"set_minutes", "Set appointment length"},
	{"verify", "Verified a service"},
	{"import", "Imported the directory"},
	{"reset_password", "Reset a password"},
	{"activate", "Switched an account on"},
	{"deactivate", "Switched an account off"},
	{"create_demo", "Made the demo practice"},
	{"sign_in", "Signed in"},
	{"sign_out", "Signed out"},
	{"sign_in_failed", "Sign-in failed"},
	{"lock", "Account locked"},
	{"unlock", "Account unlocked"},
}

// AuditActionLabel is an action in words ("view": "Opened a record"); an
// action not in AuditActions is shown as stored.
func AuditActionLabel(action string) string { return LabelOf(AuditActions, action) }

// AuditFilter narrows the audit. Zero values match everything.
type AuditFilter struct {
	UserID    int64  // who did it
	PatientID int64  // events on the patient or on their referrals, case notes, appointments, prescriptions
	From, To  string // London days, YYYY-MM-DD, inclusive
	Action    string // one of AuditActions' codes
}

// AuditEvent is one audit event as the Audit screen shows it.
type AuditEvent struct {
	ID       int64
	At       time.Time // London time
	UserID   int64     // 0: nobody signed in (a failed sign-in, an automatic backup)
	UserName string
	Action   string
	Entity   string // what kind of record: patient, referral, appointment, …
	EntityID int64
	Record   string // the record in words: "Patient 12: Jane Smith"
	Detail   string
}

// Who is the user in words; events with nobody signed in (a failed sign-in
// with an unknown name, an automatic backup) say so.
func (e AuditEvent) Who() string {
	if e.UserName == "" {
		return "(nobody signed in)"
	}
	return e.UserName
}

// AuditPage is how many events the Audit screen shows at a time.
const AuditPage = 100

// AuditEvents pages the audit newest first: up to limit events with ids
// below before (0: from the newest), matching f. The next page starts
// before the last event returned. Each filter walks an index in id order
// and stops when the page is full (007_audit_reads.sql), so a page costs
// about the same however long the audit is; the patient filter first
// gathers that patient's events through audit_entity.
func (s *Store) AuditEvents(ctx context.Context, sess *Session, f AuditFilter, before int64, limit int) ([]AuditEvent, error) {
	if _, err := s.allow(ctx, sess, OpViewAudit); err != nil {
		return nil, err
	}
	return s.auditEvents(ctx, f, before, limit)
}

// AuditUsers lists everyone the audit may name, switched-off accounts too,
// by name: the Audit screen's choice of user.
func (s *Store) AuditUsers(ctx context.Context, sess *Session) ([]User, error) {
	if _, err := s.allow(ctx, sess, OpViewAudit); err != nil {
		return nil, err
	}
	return s.queryUsers(ctx, `SELECT `+userColumns+` FROM users ORDER BY full_name, id`)
}

func (s *Store) auditEvents(ctx context.Context, f AuditFilter, before int64, limit int) ([]AuditEvent, error) {
	if limit <= 0 || limit > 1000 {
		limit = AuditPage
	}
	var where []string
	var args []any
	if before > 0 {
		where, args = append(where, "e.id < ?"), append(args, before)
	}
	if f.UserID != 0 {
		where, args = append(where, "e.user_id = ?"), append(args, f.UserID)
	}
	if f.Action != "" {
		where, args = append(where, "e.action = ?"), append(args, f.Action)
	}
	if f.From != "" || f.To != "" {
		w, a, none, err := s.auditDates(ctx, f.From, f.To)
		if err != nil {
			return nil, err
		}
		if none {
			return nil, nil
		}
		where, args = append(where, w...), append(args, a...)
	}
	if f.PatientID != 0 {
		// Each part looks the patient's records up first, then their events
		// in audit_entity (entity_id IN …, so SQLite cannot start from the
		// events of every referral instead).
		ofReferrals := `(SELECT id FROM referrals WHERE patient_id = ?)`
		where = append(where, `e.id IN (
			SELECT id FROM audit_events WHERE entity = 'patient' AND entity_id = ?
			UNION ALL SELECT id FROM audit_events WHERE entity = 'referral' AND entity_id IN `+ofReferrals+`
			UNION ALL SELECT id FROM audit_events WHERE entity = 'appointment' AND entity_id IN (SELECT id FROM appointments WHERE patient_id = ?)
			UNION ALL SELECT id FROM audit_events WHERE entity = 'prescription' AND entity_id IN (SELECT id FROM prescriptions WHERE patient_id = ?)
			UNION ALL SELECT id FROM audit_events WHERE entity = 'contact' AND entity_id IN (SELECT id FROM contacts WHERE referral_id IN `+ofReferrals+`)
			UNION ALL SELECT id FROM audit_events WHERE entity = 'goal' AND entity_id IN (SELECT id FROM goals WHERE referral_id IN `+ofReferrals+`)
			UNION ALL SELECT id FROM audit_events WHERE entity = 'wellbeing' AND entity_id IN (SELECT id FROM wellbeing_measures WHERE referral_id IN `+ofReferrals+`))`)
		for range strings.Count(where[len(where)-1], "?") {
			args = append(args, f.PatientID)
		}
	}
	q := `SELECT e.id, e.at, coalesce(e.user_id, 0), coalesce(u.full_name, ''), e.action, e.entity, coalesce(e.entity_id, 0), e.detail,
		coalesce(CASE e.entity
			WHEN 'patient' THEN (SELECT given_name || ' ' || family_name FROM patients WHERE id = e.entity_id)
			WHEN 'referral' THEN (SELECT p.given_name || ' ' || p.family_name FROM referrals r JOIN patients p ON p.id = r.patient_id WHERE r.id = e.entity_id)
			WHEN 'appointment' THEN (SELECT p.given_name || ' ' || p.family_name FROM appointments x JOIN patients p ON p.id = x.patient_id WHERE x.id = e.entity_id)
			WHEN 'prescription' THEN (SELECT p.given_name || ' ' || p.family_name FROM prescriptions x JOIN patients p ON p.id = x.patient_id WHERE x.id = e.entity_id)
			WHEN 'user' THEN (SELECT full_name FROM users WHERE id = e.entity_id)
			WHEN 'service' THEN (SELECT name FROM services WHERE id = e.entity_id)
		END, '')
		FROM audit_events e LEFT JOIN users u ON u.id = e.user_id`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY e.id DESC LIMIT ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		var at, name string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.UserName, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &name); err != nil {
			return nil, err
		}
		e.At = parseInstant(at)
		e.Record = recordWords(e.Entity, e.EntityID, name)
		out = append(out, e)
	}
	return out, rows.Err()
}

// auditDates turns a range of London days into conditions on the events.
// Events are appended in time order, so the range is first found as a range
// of ids (two seeks in audit_at) and the page walks ids; the times are
// tested too. none is true when no event can match.
func (s *Store) auditDates(ctx context.Context, from, to string) (where []string, args []any, none bool, err error) {
	firstAt := func(instant string) (int64, bool, error) {
		var id int64
		err := s.db.QueryRowContext(ctx, `SELECT id FROM audit_events WHERE at >= ? ORDER BY at, id LIMIT 1`, instant).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return id, err == nil, err
	}
	day := func(d string) (time.Time, error) {
		t, err := time.ParseInLocation(DateLayout, d, london())
		if err != nil {
			return t, fmt.Errorf("%q is not a date (YYYY-MM-DD)", d)
		}
		return t, nil
	}
	if from != "" {
		t, err := day(from)
		if err != nil {
			return nil, nil, false, err
		}
		start := t.UTC().Format(TimeLayout)
		id, found, err := firstAt(start)
		if err != nil || !found {
			return nil, nil, !found, err
		}
		where, args = append(where, "e.id >= ?", "e.at >= ?"), append(args, id, start)
	}
	if to != "" {
		t, err := day(to)
		if err != nil {
			return nil, nil, false, err
		}
		end := t.AddDate(0, 0, 1).UTC().Format(TimeLayout)
		id, found, err := firstAt(end)
		if err != nil {
			return nil, nil, false, err
		}
		if found {
			where, args = append(where, "e.id < ?"), append(args, id)
		}
		where, args = append(where, "e.at < ?"), append(args, end)
	}
	return where, args, false, nil
}

// recordWords names the record an event is about.
func recordWords(entity string, id int64, name string) string {
	kind := strings.ToUpper(entity[:min(1, len(entity))]) + strings.ReplaceAll(entity[min(1, len(entity)):], "_", " ")
	switch {
	case id == 0:
		// Not one record: a search, an export, a backup.
		if many, ok := map[string]string{"patient": "Patients", "referral": "Referrals", "appointment": "Appointments",
			"service": "Directory", "audit": "Audit trail"}[entity]; ok {
			return many
		}
		return kind
	case name == "":
		return fmt.Sprintf("%s %d", kind, id)
	}
	return fmt.Sprintf("%s %d: %s", kind, id, name)
}

var auditCSVHeader = []string{"Event", "When", "Who", "Action", "Record", "Detail"}

// ExportAuditFile writes every event matching f, newest first, to path as
// CSV (UTF-8 with a byte-order mark, as the referrals export), and says how
// many it wrote. The export itself is recorded in the audit, with the
// filter, once the file is on disk and before it takes its name.
func (s *Store) ExportAuditFile(ctx context.Context, sess *Session, f AuditFilter, path string) (int, error) {
	actor, err := s.allow(ctx, sess, OpViewAudit)
	if err != nil {
		return 0, err
	}
	if s.readOnly {
		return 0, s.recordRead(ctx, actor, "export", "audit", 0, "")
	}
	n := 0
	err = WriteFileThen(path, func(w io.Writer) error {
		n = 0
		bw := bufio.NewWriter(w)
		bw.WriteString("\ufeff")
		cw := csv.NewWriter(bw)
		cw.UseCRLF = true
		if err := cw.Write(auditCSVHeader); err != nil {
			return err
		}
		var before int64
		for {
			page, err := s.auditEvents(ctx, f, before, 1000)
			if err != nil {
				return err
			}
			for _, e := range page {
				row := []string{strconv.FormatInt(e.ID, 10), e.At.Format("2006-01-02 15:04:05"), e.Who(),
					AuditActionLabel(e.Action), e.Record, e.Detail}
				for i := range row {
					row[i] = guardCell(row[i])
				}
				if err := cw.Write(row); err != nil {
					return err
				}
				n++
			}
			if len(page) < 1000 {
				break
			}
			before = page[len(page)-1].ID
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	}, func() error {
		return s.recordRead(ctx, actor, "export", "audit", 0, fmt.Sprintf("%d events (%s) to %s", n, f.words(), path))
	})
	return n, err
}

// words is the filter as the audit records an export of it.
func (f AuditFilter) words() string {
	var parts []string
	if f.UserID != 0 {
		parts = append(parts, fmt.Sprintf("user %d", f.UserID))
	}
	if f.PatientID != 0 {
		parts = append(parts, fmt.Sprintf("patient %d", f.PatientID))
	}
	if f.Action != "" {
		parts = append(parts, "action "+f.Action)
	}
	if f.From != "" || f.To != "" {
		parts = append(parts, "dates "+dateSpan(f.From, f.To))
	}
	if len(parts) == 0 {
		return "every event"
	}
	return strings.Join(parts, ", ")
}
