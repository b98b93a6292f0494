package data

// The social prescription: the community services
// chosen with a patient, a personal note under each, and their next
// link-worker appointment. Everything the printed document shows is frozen
// as JSON in prescriptions.content when it is issued, so a reprint next
// year is the same document even if the directory, the patient's record or
// the practice's details have changed since.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits that keep a prescription printable.
const (
	MaxPrescriptionItems = 20
	MaxPrescriptionNote  = 500 // characters
)

// Prescription is a social prescription as issued.
type Prescription struct {
	ID                int64
	PatientID         int64
	ReferralID        int64 // 0: issued in a consultation with no referral yet
	PrescriberID      int64
	PrescriberName    string // as issued
	IssuedAt          time.Time
	LargePrint        bool
	NextAppointmentID int64 // 0: none
	Items             []PrescriptionItem
	Content           PrescriptionContent // what the document shows, frozen at issue
}

// PrescriptionItem is one service on a prescription with its personal note.
type PrescriptionItem struct {
	ServiceID int64 // 0 if the directory entry has since been deleted
	Note      string
	Service   Service // the snapshot as issued (the fields the document shows)
}

// contentFormat is the layout of PrescriptionContent as stored; a change
// to the layout that old rows cannot be read in needs a new number.
const contentFormat = 1

// PrescriptionContent is everything the printed prescription shows, as it
// was when issued. The pdf package renders from this alone.
type PrescriptionContent struct {
	Format          int                      `json:"format"` // contentFormat
	Practice        PrescriptionPractice     `json:"practice"`
	Patient         PrescriptionPatient      `json:"patient"`
	IssuedAt        time.Time                `json:"issued_at"`
	Prescriber      string                   `json:"prescriber"`
	Items           []PrescribedService      `json:"items"`
	LinkWorker      PrescriptionLinkWorker   `json:"link_worker"`
	NextAppointment *PrescriptionAppointment `json:"next_appointment,omitempty"`
	LargePrint      bool                     `json:"large_print"`
}

// PrescriptionPractice is the practice's letterhead.
type PrescriptionPractice struct {
	Name     string `json:"name"`
	Address  string `json:"address"`
	Postcode string `json:"postcode"`
	Phone    string `json:"phone"`
}

// PrescriptionPatient is who the prescription is for.
type PrescriptionPatient struct {
	FullName           string   `json:"full_name"`
	DateOfBirth        string   `json:"date_of_birth"` // YYYY-MM-DD
	NHSNumber          string   `json:"nhs_number"`    // 10 digits or ""
	CommunicationNeeds []string `json:"communication_needs,omitempty"`
}

// PrescribedService is one service as the document shows it, with the
// personal note written under it.
type PrescribedService struct {
	ServiceID    int64  `json:"service_id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
	Schedule     string `json:"schedule,omitempty"` // when it runs, in words
	Address      string `json:"address,omitempty"`
	Postcode     string `json:"postcode,omitempty"`
	Cost         string `json:"cost,omitempty"` // in words ("Free", "£3 a session")
	Phone        string `json:"phone,omitempty"`
	Email        string `json:"email,omitempty"`
	Website      string `json:"website,omitempty"`
	Access       string `json:"access,omitempty"` // how to join, in words
	Note         string `json:"note,omitempty"`
}

// PrescriptionLinkWorker is who the patient's link worker is and how to
// reach them. Name is "" when no link worker is assigned yet.
type PrescriptionLinkWorker struct {
	Name  string `json:"name"`
	Phone string `json:"phone"` // the practice's phone: link workers have no public direct line
}

// PrescriptionAppointment is the next link-worker appointment.
type PrescriptionAppointment struct {
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Type       string    `json:"type"` // "Follow-up"
	Mode       string    `json:"mode"` // "In person", "Phone", ...
	Site       string    `json:"site,omitempty"`
	Where      string    `json:"where"` // in words, in the patient's terms
	LinkWorker string    `json:"link_worker"`
}

// NewPrescription is what the prescriber chose.
type NewPrescription struct {
	PatientID         int64
	ReferralID        int64 // 0: a consultation with no referral yet
	Items             []NewPrescriptionItem
	NextAppointmentID int64 // 0: none
	// LargePrint asks for large print on this prescription. A patient whose
	// record says large print always gets it: the recorded need cannot be
	// switched off by mistake, only added for one document.
	LargePrint bool
}

// NewPrescriptionItem is one chosen service and the note written under it.
type NewPrescriptionItem struct {
	ServiceID int64
	Note      string
}

// mayPrescribe: a signed-in user whose role issues prescriptions.
func mayPrescribe(actor User) bool {
	return actor.ID != 0 && actor.Role.May(OpIssuePrescription)
}

// accessWords says how to join a service in the patient's terms.
func accessWords(code string) string {
	switch code {
	case "drop_in":
		return "Drop in: just turn up."
	case "self_refer":
		return "Contact them to join."
	case "needs_referral":
		return "Your link worker will refer you."
	}
	return ""
}

// IssuePrescription checks the prescription, freezes what the document
// shows from the current records, and stores it with its items in one
// write transaction. Refusals are *ValidationError naming the field
// (PatientID, Items, ReferralID, NextAppointmentID); a role that may not
// prescribe gets ErrNotAllowed. The link worker named on the document is
// the referral's, else the next appointment's, else the prescriber when a
// link worker prescribes.
func (s *Store) IssuePrescription(ctx context.Context, sess *Session, in NewPrescription) (Prescription, error) {
	actor, err := s.allow(ctx, sess, OpIssuePrescription)
	if err != nil {
		return Prescription{}, err
	}
	if !mayPrescribe(actor) {
		return Prescription{}, ErrNotAllowed
	}
	v := &ValidationError{}
	if in.PatientID == 0 {
		v.add("PatientID", "choose the patient first")
	}
	if len(in.Items) == 0 {
		v.add("Items", "add at least one service to the prescription")
	} else if len(in.Items) > MaxPrescriptionItems {
		v.add("Items", "a prescription can have at most %d services", MaxPrescriptionItems)
	}
	items := make([]NewPrescriptionItem, len(in.Items))
	for i, it := range in.Items {
		items[i] = NewPrescriptionItem{ServiceID: it.ServiceID, Note: strings.TrimSpace(it.Note)}
	}
	in.Items = items // a copy: the caller's slice keeps what was typed
	if err := v.orNil(); err != nil {
		return Prescription{}, err
	}

	var p Prescription
	err = s.write(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := checkPrescription(ctx, tx, now, actor.ID, in); err != nil {
			return err
		}
		c, err := prescriptionContent(ctx, tx, now, actor.ID, in)
		if err != nil {
			return err
		}
		content, err := json.Marshal(c)
		if err != nil {
			return err
		}
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO prescriptions (patient_id, referral_id, prescriber_id, issued_at,
			next_appointment_id, large_print, content, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			in.PatientID, nullID(in.ReferralID), actor.ID, ts(c.IssuedAt), nullID(in.NextAppointmentID), c.LargePrint, string(content), actor.ID)
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		for i, it := range c.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO prescription_items (prescription_id, position, service_id, service_name, note)
				VALUES (?, ?, ?, ?, ?)`, id, i+1, it.ServiceID, it.Name, it.Note); err != nil {
				return err
			}
		}
		if in.ReferralID != 0 {
			if err := touchReferral(ctx, tx, in.ReferralID, at); err != nil {
				return err
			}
		}
		if err := audit(ctx, tx, at, actor.ID, "issue", "prescription", id, fmt.Sprintf("%d services", len(c.Items))); err != nil {
			return err
		}
		p, err = readPrescription(ctx, tx, id)
		return err
	})
	if err != nil {
		return Prescription{}, err
	}
	return p, nil
}

// checkPrescription refuses what may not be issued now: a patient not on
// the register, a prescriber who has left, services that are not active,
// listed twice or with too long a note, and a referral or next appointment
// that is not this patient's, or an appointment that is not still to come.
func checkPrescription(ctx context.Context, q queryer, now time.Time, prescriberID int64, in NewPrescription) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM patients WHERE id = ?`, in.PatientID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return &ValidationError{Fields: []FieldError{{"PatientID", "that patient is not on the register"}}}
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE id = ? AND active = 1`, prescriberID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNotAllowed
	}

	v := &ValidationError{}
	seen := map[int64]bool{}
	for _, it := range in.Items {
		svc, err := serviceSnapshot(ctx, q, it.ServiceID)
		if errors.Is(err, ErrNotFound) {
			v.add("Items", "service %d is not in the directory", it.ServiceID)
			continue
		} else if err != nil {
			return err
		}
		switch {
		case svc.Status != "active":
			v.add("Items", "%s is %s and cannot be prescribed; choose another service", svc.Name, strings.ToLower(LabelOf(ServiceStatuses, svc.Status)))
		case seen[svc.ID]:
			v.add("Items", "%s is on the prescription twice", svc.Name)
		case utf8.RuneCountInString(it.Note) > MaxPrescriptionNote:
			v.add("Items", "the note for %s is too long (at most %d characters)", svc.Name, MaxPrescriptionNote)
		}
		seen[svc.ID] = true
	}
	if in.ReferralID != 0 {
		r, err := readReferral(ctx, q, `id = ?`, in.ReferralID)
		if errors.Is(err, ErrNotFound) || err == nil && r.PatientID != in.PatientID {
			v.add("ReferralID", "that referral is not this patient's")
		} else if err != nil {
			return err
		}
	}
	if in.NextAppointmentID != 0 {
		a, err := readAppointment(ctx, q, in.NextAppointmentID)
		switch {
		case errors.Is(err, ErrNotFound) || err == nil && a.PatientID != in.PatientID:
			v.add("NextAppointmentID", "that appointment is not this patient's")
		case err != nil:
			return err
		case !a.Start.After(now):
			v.add("NextAppointmentID", "that appointment has already started; choose a future one")
		case !a.Live():
			v.add("NextAppointmentID", "that appointment is %s; choose a booked one", strings.ToLower(LabelOf(AppointmentStatuses, a.Status)))
		}
	}
	return v.orNil()
}

// prescriptionContent freezes what the printed prescription shows from the
// records as they are in q: the practice, the patient, the prescriber, each
// service with its note, the next appointment and the link worker. It does
// not check the choice (checkPrescription does). The demo generator makes
// its prescriptions with it too, so the demo stores what the app stores.
func prescriptionContent(ctx context.Context, q queryer, issued time.Time, prescriberID int64, in NewPrescription) (PrescriptionContent, error) {
	c := PrescriptionContent{Format: contentFormat, IssuedAt: issued.UTC().Truncate(time.Second)}
	patient, err := scanPatient(q.QueryRowContext(ctx, `SELECT `+patientColumns+` FROM patients WHERE id = ?`, in.PatientID))
	if err != nil {
		return c, err
	}
	c.Patient = PrescriptionPatient{FullName: patient.FullName(), DateOfBirth: patient.DateOfBirth,
		NHSNumber: patient.NHSNumber, CommunicationNeeds: patient.CommunicationNeeds()}
	c.LargePrint = in.LargePrint || patient.LargePrint

	if err := q.QueryRowContext(ctx, `SELECT name, address, postcode, phone FROM practice WHERE id = 1`).
		Scan(&c.Practice.Name, &c.Practice.Address, &c.Practice.Postcode, &c.Practice.Phone); err != nil {
		return c, fmt.Errorf("the practice is not set up: %w", err)
	}
	c.LinkWorker.Phone = c.Practice.Phone
	var prescriberRole string
	if err := q.QueryRowContext(ctx, `SELECT full_name, role FROM users WHERE id = ?`, prescriberID).Scan(&c.Prescriber, &prescriberRole); err != nil {
		return c, err
	}

	for _, it := range in.Items {
		svc, err := serviceSnapshot(ctx, q, it.ServiceID)
		if err != nil {
			return c, err
		}
		cost := svc.Cost
		if cost == "" && svc.IsFree {
			cost = "Free"
		}
		c.Items = append(c.Items, PrescribedService{ServiceID: svc.ID, Name: svc.Name, Organisation: svc.Organisation,
			Schedule: svc.Schedule, Address: svc.Address, Postcode: svc.Postcode, Cost: cost, Phone: svc.Phone,
			Email: svc.Email, Website: svc.Website, Access: accessWords(svc.Access), Note: it.Note})
	}

	// The link worker named is the referral's, else the next appointment's,
	// else the prescriber when a link worker prescribes.
	var workerID int64
	if in.ReferralID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT coalesce(link_worker_id, 0) FROM referrals WHERE id = ?`, in.ReferralID).Scan(&workerID); err != nil {
			return c, err
		}
	}
	if in.NextAppointmentID != 0 {
		a, err := readAppointment(ctx, q, in.NextAppointmentID)
		if err != nil {
			return c, err
		}
		if c.NextAppointment, err = appointmentWords(ctx, q, a, patient); err != nil {
			return c, err
		}
		if workerID == 0 {
			workerID = a.WorkerID
		}
	}
	if workerID == 0 && Role(prescriberRole).HasCaseload() {
		workerID = prescriberID
	}
	if workerID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT full_name FROM users WHERE id = ?`, workerID).Scan(&c.LinkWorker.Name); err != nil {
			return c, err
		}
	}
	return c, nil
}

// serviceSnapshot reads the directory entry as it is now. It is our own
// small query, inside the issuing transaction, so the snapshot and the
// status check see the same row.
func serviceSnapshot(ctx context.Context, q queryer, id int64) (Service, error) {
	var svc Service
	err := q.QueryRowContext(ctx, `SELECT id, name, organisation, address, postcode, phone, email, website, schedule,
		cost, is_free, access, status FROM services WHERE id = ? AND `+visibleRow, id).Scan(&svc.ID, &svc.Name, &svc.Organisation,
		&svc.Address, &svc.Postcode, &svc.Phone, &svc.Email, &svc.Website, &svc.Schedule, &svc.Cost, &svc.IsFree,
		&svc.Access, &svc.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return svc, ErrNotFound
	}
	return svc, err
}

// appointmentWords freezes the next appointment, with where it happens in
// the patient's terms.
func appointmentWords(ctx context.Context, q queryer, a Appointment, patient Patient) (*PrescriptionAppointment, error) {
	out := &PrescriptionAppointment{Start: a.Start.UTC(), End: a.End.UTC(), Type: a.TypeName,
		Mode: LabelOf(AppointmentModes, a.Mode), Site: a.SiteName, LinkWorker: a.WorkerName}
	var site Site
	if a.Mode == ModeInPerson && a.SiteID != 0 {
		if err := q.QueryRowContext(ctx, `SELECT address, postcode FROM sites WHERE id = ?`, a.SiteID).Scan(&site.Address, &site.Postcode); err != nil {
			return nil, err
		}
	}
	out.Where = AppointmentWhere(a, site, patient)
	return out, nil
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// Prescription reads one prescription as issued.
func (s *Store) Prescription(ctx context.Context, sess *Session, id int64) (Prescription, error) {
	if _, err := s.allow(ctx, sess, OpViewPrescription); err != nil {
		return Prescription{}, err
	}
	return readPrescription(ctx, s.db, id)
}

// PatientPrescriptions lists a patient's prescriptions, newest first.
func (s *Store) PatientPrescriptions(ctx context.Context, sess *Session, patientID int64) ([]Prescription, error) {
	if _, err := s.allow(ctx, sess, OpViewPrescription); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM prescriptions WHERE patient_id = ? ORDER BY issued_at DESC, id DESC`, patientID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Prescription, 0, len(ids))
	for _, id := range ids {
		p, err := s.Prescription(ctx, sess, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func readPrescription(ctx context.Context, q queryer, id int64) (Prescription, error) {
	var p Prescription
	var issued, content string
	err := q.QueryRowContext(ctx, `SELECT id, patient_id, coalesce(referral_id, 0), prescriber_id, issued_at,
		coalesce(next_appointment_id, 0), large_print, content FROM prescriptions WHERE id = ?`, id).Scan(
		&p.ID, &p.PatientID, &p.ReferralID, &p.PrescriberID, &issued, &p.NextAppointmentID, &p.LargePrint, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, err
	}
	p.IssuedAt = parseInstant(issued)
	err = json.Unmarshal([]byte(content), &p.Content)
	if err == nil && p.Content.Format != contentFormat {
		err = fmt.Errorf("layout %d, not %d", p.Content.Format, contentFormat)
	}
	if err != nil {
		// Only a demo database made by an older version holds another layout.
		return p, fmt.Errorf("prescription %d cannot be read (a demo database from an older version must be made again): %w", id, err)
	}
	p.PrescriberName = p.Content.Prescriber

	rows, err := q.QueryContext(ctx, `SELECT position, coalesce(service_id, 0), service_name, note
		FROM prescription_items WHERE prescription_id = ? ORDER BY position`, id)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var position int
		var it PrescriptionItem
		if err := rows.Scan(&position, &it.ServiceID, &it.Service.Name, &it.Note); err != nil {
			return p, err
		}
		// The snapshot comes from the frozen content: the directory row may
		// have changed since.
		if position >= 1 && position <= len(p.Content.Items) {
			it.Service = p.Content.Items[position-1].snapshot()
		}
		it.Service.ID = it.ServiceID
		p.Items = append(p.Items, it)
	}
	return p, rows.Err()
}

// snapshot is the frozen service as a Service.
func (ps PrescribedService) snapshot() Service {
	return Service{ID: ps.ServiceID, Name: ps.Name, Organisation: ps.Organisation, Schedule: ps.Schedule,
		Address: ps.Address, Postcode: ps.Postcode, Cost: ps.Cost, Phone: ps.Phone, Email: ps.Email, Website: ps.Website}
}

// Printed is true when prescription id has been printed before, so the
// next print is a reprint.
func (s *Store) Printed(ctx context.Context, sess *Session, id int64) (bool, error) {
	if _, err := s.allow(ctx, sess, OpViewPrescription); err != nil {
		return false, err
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM prescription_prints WHERE prescription_id = ?`, id).Scan(&n)
	return n > 0, err
}

// RecordPrint records that a prescription was printed. The first print is
// the original; every later one is a reprint, and printedBefore is when
// the original was printed (zero for the original itself). Any member of
// staff may print.
func (s *Store) RecordPrint(ctx context.Context, sess *Session, id int64) (reprint bool, printedBefore time.Time, err error) {
	actor, err := s.allow(ctx, sess, OpPrintPrescription)
	if err != nil {
		return false, time.Time{}, err
	}
	if actor.ID == 0 || !actor.Role.valid() {
		return false, time.Time{}, ErrNotAllowed
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM prescriptions WHERE id = ?`, id).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return ErrNotFound
		}
		var first sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT min(printed_at) FROM prescription_prints WHERE prescription_id = ?`, id).Scan(&first); err != nil {
			return err
		}
		reprint = first.Valid
		if reprint {
			printedBefore = parseInstant(first.String)
		}
		at := s.stamp()
		if _, err := tx.ExecContext(ctx, `INSERT INTO prescription_prints (prescription_id, printed_at, printed_by, reprint)
			VALUES (?, ?, ?, ?)`, id, at, actor.ID, reprint); err != nil {
			return err
		}
		action := "print"
		if reprint {
			action = "reprint"
		}
		return audit(ctx, tx, at, actor.ID, action, "prescription", id, "")
	})
	if err != nil {
		return false, time.Time{}, err
	}
	return reprint, printedBefore, nil
}
