package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// A subject access request (UK GDPR Article 15): everything Linkwell holds
// about one person, in one document. ExportSubjectAccessFile gathers it,
// writes it (JSON here, PDF through printing) and records the export in the
// audit once the file is safely on disk.
//
// The JSON field names below are part of the file format and do not change;
// coded values (status, source, reasons, kinds) are the codes Linkwell
// stores, listed in data/referrals.go, data/casework.go and data/diary.go.
// Times are UTC instants "YYYY-MM-DDTHH:MM:SSZ", dates "YYYY-MM-DD".

// SubjectAccessFormat numbers the layout of the JSON file.
const SubjectAccessFormat = 1

// SubjectAccess is everything held about one patient.
type SubjectAccess struct {
	Format        int                   `json:"format"`       // SubjectAccessFormat
	GeneratedAt   string                `json:"generated_at"` // instant
	GeneratedBy   string                `json:"generated_by"` // the practice manager's name
	Practice      SubjectPractice       `json:"practice"`
	Patient       SubjectPatient        `json:"patient"`
	Referrals     []SubjectReferral     `json:"referrals"`     // oldest first
	Appointments  []SubjectAppointment  `json:"appointments"`  // oldest first
	Prescriptions []SubjectPrescription `json:"prescriptions"` // oldest first
	AuditEvents   []SubjectAuditEvent   `json:"audit_events"`  // oldest first; this export is recorded after them
}

// SubjectPractice names the data controller.
type SubjectPractice struct {
	Name    string `json:"name"`
	ODSCode string `json:"ods_code"`
	Address string `json:"address"`
	Phone   string `json:"phone"`
}

// SubjectPatient is the demographic record.
type SubjectPatient struct {
	ID               int64  `json:"id"`
	NHSNumber        string `json:"nhs_number"`
	GivenName        string `json:"given_name"`
	FamilyName       string `json:"family_name"`
	DateOfBirth      string `json:"date_of_birth"`
	Sex              string `json:"sex"`
	EthnicCategory   string `json:"ethnic_category"`
	Address          string `json:"address"`
	Postcode         string `json:"postcode"`
	Phone            string `json:"phone"`
	Email            string `json:"email"`
	PreferredContact string `json:"preferred_contact"`
	Interpreter      bool   `json:"interpreter"`
	Language         string `json:"language"`
	LargePrint       bool   `json:"large_print"`
	EasyRead         bool   `json:"easy_read"`
	BSL              bool   `json:"bsl"`
	ConsentContact   bool   `json:"consent_contact"`
	ConsentShare     bool   `json:"consent_share"`
	CreatedAt        string `json:"created_at"`
	UpdatedAt        string `json:"updated_at"`
	AnonymisedAt     string `json:"anonymised_at"` // "" unless retention removed their details
}

// SubjectReferral is one episode with everything recorded in it.
type SubjectReferral struct {
	ID             int64              `json:"id"`
	ReceivedOn     string             `json:"received_on"`
	Source         string             `json:"source"`
	ReferrerName   string             `json:"referrer_name"`
	ReferrerOrg    string             `json:"referrer_org"`
	Reasons        []string           `json:"reasons"`
	WhatMatters    string             `json:"what_matters"`
	Priority       string             `json:"priority"`
	PriorityReason string             `json:"priority_reason"`
	ConsentBy      string             `json:"consent_by"`
	ConsentOn      string             `json:"consent_on"`
	LinkWorker     string             `json:"link_worker"`
	Status         string             `json:"status"`
	ClosedAt       string             `json:"closed_at"`
	ClosingReason  string             `json:"closing_reason"`
	SNOMEDCode     string             `json:"snomed_code"`
	CodedInGP      bool               `json:"coded_in_gp_record"`
	Anonymised     bool               `json:"anonymised"` // its free text was removed after the retention period
	History        []SubjectMove      `json:"history"`    // oldest first
	Contacts       []SubjectContact   `json:"contacts"`   // oldest first
	Goals          []SubjectGoal      `json:"goals"`
	Wellbeing      []SubjectWellbeing `json:"wellbeing"` // oldest first
}

// SubjectMove is one status move, reassignment or coding of an episode.
type SubjectMove struct {
	At            string `json:"at"`
	By            string `json:"by"`
	Kind          string `json:"kind"` // status, reassigned, coded
	FromStatus    string `json:"from_status"`
	ToStatus      string `json:"to_status"`
	FromWorker    string `json:"from_worker"`
	ToWorker      string `json:"to_worker"`
	ClosingReason string `json:"closing_reason"`
	Reason        string `json:"reason"`
}

// SubjectContact is one contact or case note.
type SubjectContact struct {
	At      string `json:"at"`
	By      string `json:"by"`
	Kind    string `json:"kind"`
	Minutes int    `json:"minutes"`
	Text    string `json:"text"`
}

// SubjectGoal is one goal; review_score is null until reviewed.
type SubjectGoal struct {
	Description string `json:"description"`
	StartScore  int    `json:"start_score"`
	SetOn       string `json:"set_on"`
	ReviewScore *int   `json:"review_score"`
	ReviewedOn  string `json:"reviewed_on"`
}

// SubjectWellbeing is one ONS4 measure.
type SubjectWellbeing struct {
	Stage            string `json:"stage"`
	TakenOn          string `json:"taken_on"`
	LifeSatisfaction int    `json:"life_satisfaction"`
	Worthwhile       int    `json:"worthwhile"`
	Happiness        int    `json:"happiness"`
	Anxiety          int    `json:"anxiety"`
}

// SubjectAppointment is one appointment, whatever became of it.
type SubjectAppointment struct {
	ID           int64  `json:"id"`
	ReferralID   int64  `json:"referral_id"` // 0: not linked to an episode
	StartsAt     string `json:"starts_at"`
	EndsAt       string `json:"ends_at"`
	Type         string `json:"type"`
	Mode         string `json:"mode"`
	Site         string `json:"site"`
	With         string `json:"with"`
	Status       string `json:"status"`
	Notes        string `json:"notes"`
	CancelReason string `json:"cancel_reason"`
	BookedAt     string `json:"booked_at"`
	BookedBy     string `json:"booked_by"`
}

// SubjectPrescription is one social prescription as issued.
type SubjectPrescription struct {
	ID         int64                     `json:"id"`
	ReferralID int64                     `json:"referral_id"`
	IssuedAt   string                    `json:"issued_at"`
	Prescriber string                    `json:"prescriber"`
	Items      []SubjectPrescriptionItem `json:"items"`
	Printed    []string                  `json:"printed_at"` // every print, oldest first
}

// SubjectPrescriptionItem is one service prescribed, with its note.
type SubjectPrescriptionItem struct {
	Service string `json:"service"`
	Note    string `json:"note"`
}

// SubjectAuditEvent is one audit event about the patient or their records.
type SubjectAuditEvent struct {
	At       string `json:"at"`
	By       string `json:"by"` // "" for the system
	Action   string `json:"action"`
	Entity   string `json:"entity"`
	EntityID int64  `json:"entity_id"`
	Detail   string `json:"detail"`
}

// Subject names the person of a subject access request: by id, or by NHS
// number (spaces allowed) when the id is 0.
type Subject struct {
	PatientID int64
	NHSNumber string
}

// ExportSubjectAccessFile writes everything held about one patient to
// path, for the practice manager. write renders it (nil: the JSON of
// WriteSubjectAccessJSON); the export is audited ("subject_access" on the
// patient) once the whole file is on disk, so a failed write records
// nothing and leaves no file.
func (s *Store) ExportSubjectAccessFile(ctx context.Context, sess *Session, who Subject, path string,
	write func(io.Writer, SubjectAccess) error) (SubjectAccess, error) {
	actor, err := s.allow(ctx, sess, OpSubjectAccess)
	if err != nil {
		return SubjectAccess{}, err
	}
	if write == nil {
		write = WriteSubjectAccessJSON
	}
	sa, err := s.gatherSubjectAccess(ctx, who)
	if err != nil {
		return sa, err
	}
	sa.GeneratedBy = actor.FullName
	err = WriteFileThen(path, func(w io.Writer) error { return write(w, sa) }, func() error {
		return s.write(ctx, func(tx *sql.Tx) error {
			// The format, not the file's name: a name may name the patient,
			// and the audit outlives retention.
			detail := fmt.Sprintf("everything held exported (%s): %d referrals, %d appointments, %d prescriptions, %d audit events",
				strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), "."), len(sa.Referrals), len(sa.Appointments), len(sa.Prescriptions), len(sa.AuditEvents))
			return audit(ctx, tx, s.stamp(), actor.ID, "subject_access", "patient", sa.Patient.ID, detail)
		})
	})
	return sa, err
}

// WriteSubjectAccessJSON writes the subject access record as indented JSON.
func WriteSubjectAccessJSON(w io.Writer, sa SubjectAccess) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sa)
}

func (s *Store) gatherSubjectAccess(ctx context.Context, who Subject) (SubjectAccess, error) {
	sa := SubjectAccess{Format: SubjectAccessFormat, GeneratedAt: s.stamp(),
		Referrals: []SubjectReferral{}, Appointments: []SubjectAppointment{}, Prescriptions: []SubjectPrescription{}, AuditEvents: []SubjectAuditEvent{}}
	if p, err := s.Practice(ctx); err == nil {
		sa.Practice = SubjectPractice{Name: p.Name, ODSCode: p.ODSCode, Address: p.Address, Phone: p.Phone}
	}
	where, arg := "id = ?", any(who.PatientID)
	if who.PatientID == 0 {
		nhs := strings.Join(strings.Fields(who.NHSNumber), "")
		if nhs == "" {
			return sa, ErrNotFound
		}
		where, arg = "nhs_number = ?", nhs
	}
	p := &sa.Patient
	err := s.db.QueryRowContext(ctx, `SELECT id, coalesce(nhs_number, ''), given_name, family_name, date_of_birth, sex, ethnic_category,
			address, postcode, phone, email, preferred_contact, interpreter, language, large_print, easy_read, bsl,
			consent_contact, consent_share, created_at, updated_at, coalesce(anonymised_at, '') FROM patients WHERE `+where, arg).Scan(
		&p.ID, &p.NHSNumber, &p.GivenName, &p.FamilyName, &p.DateOfBirth, &p.Sex, &p.EthnicCategory, &p.Address, &p.Postcode,
		&p.Phone, &p.Email, &p.PreferredContact, &p.Interpreter, &p.Language, &p.LargePrint, &p.EasyRead, &p.BSL,
		&p.ConsentContact, &p.ConsentShare, &p.CreatedAt, &p.UpdatedAt, &p.AnonymisedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return sa, ErrNotFound
	}
	if err != nil {
		return sa, err
	}
	steps := []func(context.Context, *SubjectAccess) error{
		s.subjectReferrals, s.subjectAppointments, s.subjectPrescriptions, s.subjectAudit,
	}
	for _, step := range steps {
		if err := step(ctx, &sa); err != nil {
			return sa, err
		}
	}
	return sa, nil
}

// eachRow runs q and calls scan for each row.
func (s *Store) eachRow(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *Store) subjectReferrals(ctx context.Context, sa *SubjectAccess) error {
	err := s.eachRow(ctx, `SELECT r.id, r.received_on, r.source, r.referrer_name, r.referrer_org, r.what_matters, r.priority,
			r.priority_reason, r.consent_by, coalesce(r.consent_on, ''), coalesce(u.full_name, ''), r.status, coalesce(r.closed_at, ''),
			coalesce(r.closing_reason, ''), coalesce(r.snomed_code, ''), r.coded_in_gp_record,
			r.anonymised_at IS NOT NULL
		FROM referrals r LEFT JOIN users u ON u.id = r.link_worker_id WHERE r.patient_id = ? ORDER BY r.received_on, r.id`,
		[]any{sa.Patient.ID}, func(rows *sql.Rows) error {
			var r SubjectReferral
			if err := rows.Scan(&r.ID, &r.ReceivedOn, &r.Source, &r.ReferrerName, &r.ReferrerOrg, &r.WhatMatters, &r.Priority,
				&r.PriorityReason, &r.ConsentBy, &r.ConsentOn, &r.LinkWorker, &r.Status, &r.ClosedAt, &r.ClosingReason,
				&r.SNOMEDCode, &r.CodedInGP, &r.Anonymised); err != nil {
				return err
			}
			r.Reasons, r.History, r.Contacts, r.Goals, r.Wellbeing = []string{}, []SubjectMove{}, []SubjectContact{}, []SubjectGoal{}, []SubjectWellbeing{}
			sa.Referrals = append(sa.Referrals, r)
			return nil
		})
	if err != nil {
		return err
	}
	for i := range sa.Referrals {
		r := &sa.Referrals[i]
		id := []any{r.ID}
		if err := s.eachRow(ctx, `SELECT reason FROM referral_reasons WHERE referral_id = ?`, id, func(rows *sql.Rows) error {
			var reason string
			err := rows.Scan(&reason)
			r.Reasons = append(r.Reasons, reason)
			return err
		}); err != nil {
			return err
		}
		sortByChoices(r.Reasons, ReferralReasons)
		if err := s.eachRow(ctx, `SELECT h.at, coalesce(u.full_name, ''), h.kind, coalesce(h.from_status, ''), coalesce(h.to_status, ''),
				coalesce(fw.full_name, ''), coalesce(tw.full_name, ''), coalesce(h.closing_reason, ''), h.reason
			FROM referral_history h LEFT JOIN users u ON u.id = h.by_user
			LEFT JOIN users fw ON fw.id = h.from_worker_id LEFT JOIN users tw ON tw.id = h.to_worker_id
			WHERE h.referral_id = ? ORDER BY h.at, h.id`, id, func(rows *sql.Rows) error {
			var m SubjectMove
			err := rows.Scan(&m.At, &m.By, &m.Kind, &m.FromStatus, &m.ToStatus, &m.FromWorker, &m.ToWorker, &m.ClosingReason, &m.Reason)
			r.History = append(r.History, m)
			return err
		}); err != nil {
			return err
		}
		if err := s.eachRow(ctx, `SELECT c.at, coalesce(u.full_name, ''), c.kind, c.minutes, c.text
			FROM contacts c LEFT JOIN users u ON u.id = c.created_by WHERE c.referral_id = ? ORDER BY c.at, c.id`, id, func(rows *sql.Rows) error {
			var c SubjectContact
			err := rows.Scan(&c.At, &c.By, &c.Kind, &c.Minutes, &c.Text)
			r.Contacts = append(r.Contacts, c)
			return err
		}); err != nil {
			return err
		}
		if err := s.eachRow(ctx, `SELECT description, start_score, set_on, review_score, coalesce(reviewed_on, '')
			FROM goals WHERE referral_id = ? ORDER BY set_on, id`, id, func(rows *sql.Rows) error {
			var g SubjectGoal
			var review sql.NullInt64
			err := rows.Scan(&g.Description, &g.StartScore, &g.SetOn, &review, &g.ReviewedOn)
			if review.Valid {
				n := int(review.Int64)
				g.ReviewScore = &n
			}
			r.Goals = append(r.Goals, g)
			return err
		}); err != nil {
			return err
		}
		if err := s.eachRow(ctx, `SELECT stage, taken_on, life_satisfaction, worthwhile, happiness, anxiety
			FROM wellbeing_measures WHERE referral_id = ? ORDER BY taken_on, id`, id, func(rows *sql.Rows) error {
			var w SubjectWellbeing
			err := rows.Scan(&w.Stage, &w.TakenOn, &w.LifeSatisfaction, &w.Worthwhile, &w.Happiness, &w.Anxiety)
			r.Wellbeing = append(r.Wellbeing, w)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) subjectAppointments(ctx context.Context, sa *SubjectAccess) error {
	return s.eachRow(ctx, `SELECT a.id, coalesce(a.referral_id, 0), a.starts_at, a.ends_at, coalesce(t.name, a.type), a.mode,
			coalesce(st.name, ''), coalesce(w.full_name, ''), a.status, a.notes, a.cancel_reason, a.booked_at, coalesce(b.full_name, '')
		FROM appointments a LEFT JOIN appointment_types t ON t.code = a.type LEFT JOIN sites st ON st.id = a.site_id
		LEFT JOIN users w ON w.id = a.worker_id LEFT JOIN users b ON b.id = a.booked_by
		WHERE a.patient_id = ? ORDER BY a.starts_at, a.id`, []any{sa.Patient.ID}, func(rows *sql.Rows) error {
		var a SubjectAppointment
		err := rows.Scan(&a.ID, &a.ReferralID, &a.StartsAt, &a.EndsAt, &a.Type, &a.Mode, &a.Site, &a.With, &a.Status, &a.Notes,
			&a.CancelReason, &a.BookedAt, &a.BookedBy)
		sa.Appointments = append(sa.Appointments, a)
		return err
	})
}

func (s *Store) subjectPrescriptions(ctx context.Context, sa *SubjectAccess) error {
	err := s.eachRow(ctx, `SELECT p.id, coalesce(p.referral_id, 0), p.issued_at, coalesce(u.full_name, '')
		FROM prescriptions p LEFT JOIN users u ON u.id = p.prescriber_id WHERE p.patient_id = ? ORDER BY p.issued_at, p.id`,
		[]any{sa.Patient.ID}, func(rows *sql.Rows) error {
			p := SubjectPrescription{Items: []SubjectPrescriptionItem{}, Printed: []string{}}
			err := rows.Scan(&p.ID, &p.ReferralID, &p.IssuedAt, &p.Prescriber)
			sa.Prescriptions = append(sa.Prescriptions, p)
			return err
		})
	if err != nil {
		return err
	}
	for i := range sa.Prescriptions {
		p := &sa.Prescriptions[i]
		if err := s.eachRow(ctx, `SELECT service_name, note FROM prescription_items WHERE prescription_id = ? ORDER BY position`,
			[]any{p.ID}, func(rows *sql.Rows) error {
				var it SubjectPrescriptionItem
				err := rows.Scan(&it.Service, &it.Note)
				p.Items = append(p.Items, it)
				return err
			}); err != nil {
			return err
		}
		if err := s.eachRow(ctx, `SELECT printed_at FROM prescription_prints WHERE prescription_id = ? ORDER BY printed_at, id`,
			[]any{p.ID}, func(rows *sql.Rows) error {
				var at string
				err := rows.Scan(&at)
				p.Printed = append(p.Printed, at)
				return err
			}); err != nil {
			return err
		}
	}
	return nil
}

// subjectAudit reads the audit events about the patient and about each of
// their records (referrals, appointments, prescriptions, contacts, goals,
// wellbeing measures), through the audit's (entity, entity_id) index.
func (s *Store) subjectAudit(ctx context.Context, sa *SubjectAccess) error {
	pid := sa.Patient.ID
	ids := map[string]string{
		"patient":      `SELECT id FROM patients WHERE id = ?`,
		"referral":     `SELECT id FROM referrals WHERE patient_id = ?`,
		"appointment":  `SELECT id FROM appointments WHERE patient_id = ?`,
		"prescription": `SELECT id FROM prescriptions WHERE patient_id = ?`,
		"contact":      `SELECT c.id FROM contacts c JOIN referrals r ON r.id = c.referral_id WHERE r.patient_id = ?`,
		"goal":         `SELECT g.id FROM goals g JOIN referrals r ON r.id = g.referral_id WHERE r.patient_id = ?`,
		"wellbeing":    `SELECT w.id FROM wellbeing_measures w JOIN referrals r ON r.id = w.referral_id WHERE r.patient_id = ?`,
	}
	var parts []string
	var args []any
	for _, entity := range []string{"patient", "referral", "appointment", "prescription", "contact", "goal", "wellbeing"} {
		parts = append(parts, `SELECT e.id FROM audit_events e WHERE e.entity = ? AND e.entity_id IN (`+ids[entity]+`)`)
		args = append(args, entity, pid)
	}
	return s.eachRow(ctx, `SELECT e.at, coalesce(u.full_name, ''), e.action, e.entity, coalesce(e.entity_id, 0), e.detail
		FROM audit_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.id IN (`+strings.Join(parts, " UNION ")+`) ORDER BY e.id`, args, func(rows *sql.Rows) error {
		var ev SubjectAuditEvent
		err := rows.Scan(&ev.At, &ev.By, &ev.Action, &ev.Entity, &ev.EntityID, &ev.Detail)
		sa.AuditEvents = append(sa.AuditEvents, ev)
		return err
	})
}
