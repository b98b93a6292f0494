package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ReferralStatus is where an episode of care stands.
type ReferralStatus string

const (
	StatusReceived        ReferralStatus = "received"
	StatusContacted       ReferralStatus = "contacted"
	StatusAccepted        ReferralStatus = "accepted"
	StatusActive          ReferralStatus = "active"
	StatusClosed          ReferralStatus = "closed"
	StatusDeclined        ReferralStatus = "declined"
	StatusUnableToContact ReferralStatus = "unable_to_contact"
)

// ReferralStatuses in pipeline order.
var ReferralStatuses = []ReferralStatus{StatusReceived, StatusContacted, StatusAccepted, StatusActive, StatusClosed, StatusDeclined, StatusUnableToContact}

// Label is the status as a user reads it.
func (s ReferralStatus) Label() string {
	switch s {
	case StatusReceived:
		return "Received"
	case StatusContacted:
		return "Contacted"
	case StatusAccepted:
		return "Accepted"
	case StatusActive:
		return "Active"
	case StatusClosed:
		return "Closed"
	case StatusDeclined:
		return "Declined"
	case StatusUnableToContact:
		return "Unable to contact"
	}
	return string(s)
}

// Open is true until the episode ends.
func (s ReferralStatus) Open() bool {
	return s == StatusReceived || s == StatusContacted || s == StatusAccepted || s == StatusActive
}

// statusMoves is the referral state machine. Closed → active
// is a reopening and needs a reason.
var statusMoves = map[ReferralStatus][]ReferralStatus{
	StatusReceived:  {StatusContacted, StatusDeclined, StatusUnableToContact},
	StatusContacted: {StatusAccepted, StatusDeclined, StatusUnableToContact},
	StatusAccepted:  {StatusActive, StatusClosed},
	StatusActive:    {StatusClosed},
	StatusClosed:    {StatusActive},
}

// NextStatuses are the moves allowed from s, in the order to offer them.
func NextStatuses(s ReferralStatus) []ReferralStatus { return statusMoves[s] }

// CanMove reports whether from → to is allowed.
func CanMove(from, to ReferralStatus) bool {
	for _, s := range statusMoves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// SNOMED CT codes the GP record should carry.
const (
	SNOMEDReferred = "871731000000106" // Referral to social prescribing service
	SNOMEDDeclined = "871711000000103" // Social prescribing declined
)

// SNOMEDTerm is the preferred term of one of the two codes.
func SNOMEDTerm(code string) string {
	switch code {
	case SNOMEDReferred:
		return "Referral to social prescribing service"
	case SNOMEDDeclined:
		return "Social prescribing declined"
	}
	return ""
}

// Choice is a stored code with the words a user sees.
type Choice struct {
	Code  string
	Label string
}

// LabelOf finds the label of a code in a list of choices.
func LabelOf(choices []Choice, code string) string {
	for _, c := range choices {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// CodeOf finds the code of a label in a list of choices.
func CodeOf(choices []Choice, label string) string {
	for _, c := range choices {
		if c.Label == label {
			return c.Code
		}
	}
	return ""
}

func validChoice(choices []Choice, code string) bool {
	for _, c := range choices {
		if c.Code == code {
			return true
		}
	}
	return false
}

// Referral sources, reasons, priorities and closing reasons.
var (
	ReferralSources = []Choice{
		{"gp", "GP"}, {"practice_nurse", "Practice nurse"}, {"practice_staff", "Other practice staff"},
		{"hospital", "Hospital"}, {"mental_health", "Mental health team"}, {"social_care", "Social care"},
		{"housing", "Housing"}, {"vcse", "VCSE organisation"}, {"self", "Self-referral"},
		{"family_carer", "Family or carer"}, {"other", "Other"},
	}
	ReferralReasons = []Choice{
		{"loneliness", "Loneliness or isolation"}, {"money_debt", "Money or debt"}, {"benefits", "Benefits"},
		{"housing", "Housing"}, {"employment", "Employment"}, {"stress_low_mood", "Stress or low mood"},
		{"low_confidence", "Low confidence"}, {"physical_activity", "Physical activity"}, {"weight", "Weight"},
		{"long_term_condition", "Long-term condition"}, {"carer_support", "Carer support"},
		{"bereavement", "Bereavement"}, {"substance_use", "Substance use"}, {"other", "Other"},
	}
	Priorities     = []Choice{{"routine", "Routine"}, {"soon", "Soon"}, {"urgent", "Urgent"}}
	ClosingReasons = []Choice{
		{"goals_met", "Goals met"}, {"moved_away", "Moved away"}, {"declined_support", "Declined further support"},
		{"not_engaging", "Not engaging"}, {"died", "Died"}, {"transferred", "Transferred"}, {"other", "Other"},
	}
)

// Referral is one episode of care, from referral to closure.
type Referral struct {
	ID              int64
	PatientID       int64
	ReceivedOn      string // YYYY-MM-DD; may be typed DD/MM/YYYY
	Source          string
	ReferrerName    string
	ReferrerOrg     string
	Reasons         []string
	WhatMatters     string
	Priority        string
	PriorityReason  string
	ConsentBy       string // who gave consent to the referral
	ConsentOn       string // YYYY-MM-DD; may be typed DD/MM/YYYY
	LinkWorkerID    int64  // 0: not yet assigned
	Status          ReferralStatus
	StatusChangedAt string
	FirstContactAt  string
	ClosedAt        string
	ClosingReason   string
	SNOMEDCode      string
	CodedInGPRecord bool
	LastActivityAt  string
}

// OpenReferralError refuses a second open referral for one patient.
type OpenReferralError struct {
	Existing Referral
}

func (e *OpenReferralError) Error() string {
	return fmt.Sprintf("this patient already has an open referral (received %s, now %s); open that one instead",
		FormatUKDate(e.Existing.ReceivedOn), strings.ToLower(e.Existing.Status.Label()))
}

// MoveError refuses a status change the state machine does not allow.
type MoveError struct {
	From, To ReferralStatus
}

func (e *MoveError) Error() string {
	next := NextStatuses(e.From)
	if len(next) == 0 {
		return fmt.Sprintf("a %s referral cannot change status; it has ended", strings.ToLower(e.From.Label()))
	}
	var words []string
	for _, s := range next {
		words = append(words, s.Label())
	}
	return fmt.Sprintf("a referral that is %s cannot be moved to %s; it can go to: %s",
		e.From.Label(), e.To.Label(), strings.Join(words, ", "))
}

// normalise checks a new referral and tidies it in place. Dates are
// London dates: a referral made at 00:30 BST is received that day.
func (r *Referral) normalise(now time.Time) error {
	today := londonDate(now)
	v := &ValidationError{}
	if r.PatientID == 0 {
		v.add("PatientID", "choose the patient first")
	}
	if strings.TrimSpace(r.ReceivedOn) == "" {
		r.ReceivedOn = today
	} else if d, err := ParseUKDate(r.ReceivedOn); err != nil {
		v.add("ReceivedOn", "%s", err.Error())
	} else if d.Format(DateLayout) > today {
		v.add("ReceivedOn", "the referral cannot be received in the future")
	} else {
		r.ReceivedOn = d.Format(DateLayout)
	}
	if !validChoice(ReferralSources, r.Source) {
		v.add("Source", "choose who referred the patient")
	}
	r.ReferrerName = strings.TrimSpace(r.ReferrerName)
	r.ReferrerOrg = strings.TrimSpace(r.ReferrerOrg)
	if r.ReferrerName == "" && r.Source != "self" && v.For("Source") == "" {
		v.add("ReferrerName", "name the person who referred (not needed for a self-referral)")
	}
	seen := map[string]bool{}
	var reasons []string
	for _, reason := range r.Reasons {
		if !validChoice(ReferralReasons, reason) {
			v.add("Reasons", "%q is not a referral reason", reason)
			continue
		}
		if !seen[reason] {
			seen[reason] = true
			reasons = append(reasons, reason)
		}
	}
	r.Reasons = reasons
	if len(r.Reasons) == 0 && v.For("Reasons") == "" {
		v.add("Reasons", "tick at least one reason for the referral")
	}
	r.WhatMatters = strings.TrimSpace(r.WhatMatters)
	checkLength(v, "WhatMatters", "what matters", r.WhatMatters, WhatMattersMaxChars)
	if r.Priority == "" {
		r.Priority = "routine"
	}
	r.PriorityReason = strings.TrimSpace(r.PriorityReason)
	if !validChoice(Priorities, r.Priority) {
		v.add("Priority", "choose routine, soon or urgent")
	} else if r.Priority != "routine" && r.PriorityReason == "" {
		v.add("PriorityReason", "say in a line why it is %s", r.Priority)
	}
	checkLength(v, "PriorityReason", "the reason", r.PriorityReason, PriorityReasonMaxChars)
	r.ConsentBy = strings.TrimSpace(r.ConsentBy)
	if r.ConsentBy == "" {
		v.add("ConsentBy", "record who consented to the referral (e.g. the patient)")
	}
	if strings.TrimSpace(r.ConsentOn) == "" {
		v.add("ConsentOn", "record when consent was given (DD/MM/YYYY)")
	} else if d, err := ParseUKDate(r.ConsentOn); err != nil {
		v.add("ConsentOn", "%s", err.Error())
	} else if d.Format(DateLayout) > today {
		v.add("ConsentOn", "consent cannot be given in the future")
	} else {
		r.ConsentOn = d.Format(DateLayout)
	}
	return v.orNil()
}

const referralColumns = `id, patient_id, received_on, source, referrer_name, referrer_org, what_matters, priority,
	priority_reason, consent_by, coalesce(consent_on, ''), coalesce(link_worker_id, 0), status, status_changed_at,
	coalesce(first_contact_at, ''), coalesce(closed_at, ''), coalesce(closing_reason, ''), coalesce(snomed_code, ''),
	coded_in_gp_record, last_activity_at`

type queryer interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func readReferral(ctx context.Context, q queryer, where string, args ...any) (Referral, error) {
	var r Referral
	err := q.QueryRowContext(ctx, `SELECT `+referralColumns+` FROM referrals WHERE `+where, args...).Scan(
		&r.ID, &r.PatientID, &r.ReceivedOn, &r.Source, &r.ReferrerName, &r.ReferrerOrg, &r.WhatMatters, &r.Priority,
		&r.PriorityReason, &r.ConsentBy, &r.ConsentOn, &r.LinkWorkerID, &r.Status, &r.StatusChangedAt,
		&r.FirstContactAt, &r.ClosedAt, &r.ClosingReason, &r.SNOMEDCode, &r.CodedInGPRecord, &r.LastActivityAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, err
	}
	rows, err := q.QueryContext(ctx, `SELECT reason FROM referral_reasons WHERE referral_id = ?`, r.ID)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var reason string
		rows.Scan(&reason)
		r.Reasons = append(r.Reasons, reason)
	}
	sortByChoices(r.Reasons, ReferralReasons)
	return r, rows.Err()
}

// sortByChoices orders codes as their list does.
func sortByChoices(codes []string, choices []Choice) {
	pos := map[string]int{}
	for i, c := range choices {
		pos[c.Code] = i
	}
	for i := 1; i < len(codes); i++ {
		for j := i; j > 0 && pos[codes[j]] < pos[codes[j-1]]; j-- {
			codes[j], codes[j-1] = codes[j-1], codes[j]
		}
	}
}

// Referral reads one referral.
func (s *Store) Referral(ctx context.Context, sess *Session, id int64) (Referral, error) {
	actor, err := s.allow(ctx, sess, OpViewReferralList)
	if err != nil {
		return Referral{}, err
	}
	r, err := readReferral(ctx, s.db, `id = ?`, id)
	return r.shownTo(actor.Role), err
}

// shownTo is what a role may see of a referral. Without the case record
// (reception) that is what booking needs: whose it is, the link worker and
// the status, not why the patient was referred.
func (r Referral) shownTo(role Role) Referral {
	if role.May(OpViewCaseRecord) {
		return r
	}
	return Referral{ID: r.ID, PatientID: r.PatientID, ReceivedOn: r.ReceivedOn, LinkWorkerID: r.LinkWorkerID,
		Status: r.Status, StatusChangedAt: r.StatusChangedAt, FirstContactAt: r.FirstContactAt,
		ClosedAt: r.ClosedAt, LastActivityAt: r.LastActivityAt}
}

// OpenReferral is the patient's open referral, or ErrNotFound.
func (s *Store) OpenReferral(ctx context.Context, sess *Session, patientID int64) (Referral, error) {
	actor, err := s.allow(ctx, sess, OpViewReferralList)
	if err != nil {
		return Referral{}, err
	}
	r, err := readReferral(ctx, s.db, `patient_id = ? AND status IN ('received', 'contacted', 'accepted', 'active')`, patientID)
	return r.shownTo(actor.Role), err
}

// PatientReferrals lists a patient's referrals, newest first.
func (s *Store) PatientReferrals(ctx context.Context, sess *Session, patientID int64) ([]Referral, error) {
	if _, err := s.allow(ctx, sess, OpViewReferralList); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM referrals WHERE patient_id = ? ORDER BY received_on DESC, id DESC`, patientID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	var out []Referral
	for _, id := range ids {
		r, err := s.Referral(ctx, sess, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func checkLinkWorker(ctx context.Context, tx *sql.Tx, id int64) error {
	var role string
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT role, active FROM users WHERE id = ?`, id).Scan(&role, &active)
	if err != nil || !Role(role).HasCaseload() || !active {
		return &ValidationError{Fields: []FieldError{{"LinkWorkerID", "choose a link worker from the list"}}}
	}
	return nil
}

// CreateReferral records a new referral as received. A patient has at most
// one open referral: a second is refused with a pointer to the first.
func (s *Store) CreateReferral(ctx context.Context, sess *Session, in Referral) (Referral, error) {
	actor, err := s.allow(ctx, sess, OpRefer)
	if err != nil {
		return Referral{}, err
	}
	r := in
	r.Reasons = append([]string(nil), in.Reasons...)
	if err := r.normalise(s.now()); err != nil {
		return in, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var exists, anonymised int
		if err := tx.QueryRowContext(ctx, `SELECT count(*), count(anonymised_at) FROM patients WHERE id = ?`, r.PatientID).Scan(&exists, &anonymised); err != nil {
			return err
		}
		if exists == 0 {
			return &ValidationError{Fields: []FieldError{{"PatientID", "that patient is not on the register"}}}
		}
		if anonymised > 0 {
			return &ValidationError{Fields: []FieldError{{"PatientID", "this record was anonymised after the retention period; add the patient again from the GP record"}}}
		}
		if open, err := readReferral(ctx, tx, `patient_id = ? AND status IN ('received', 'contacted', 'accepted', 'active')`, r.PatientID); err == nil {
			return &OpenReferralError{Existing: open}
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if r.LinkWorkerID != 0 {
			if err := checkLinkWorker(ctx, tx, r.LinkWorkerID); err != nil {
				return err
			}
		}
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO referrals (patient_id, received_on, source, referrer_name, referrer_org,
			what_matters, priority, priority_reason, consent_by, consent_on, link_worker_id, status, status_changed_at,
			last_activity_at, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?)`,
			r.PatientID, r.ReceivedOn, r.Source, r.ReferrerName, r.ReferrerOrg, r.WhatMatters, r.Priority, r.PriorityReason,
			r.ConsentBy, r.ConsentOn, nullID(r.LinkWorkerID), at, at, at, actor.ID, at, actor.ID)
		if err != nil {
			return err
		}
		r.ID, _ = res.LastInsertId()
		for _, reason := range r.Reasons {
			if _, err := tx.ExecContext(ctx, `INSERT INTO referral_reasons (referral_id, reason) VALUES (?, ?)`, r.ID, reason); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referral_history (referral_id, at, by_user, kind, to_status, to_worker_id, reason)
			VALUES (?, ?, ?, 'status', 'received', ?, 'Referral received')`, r.ID, at, actor.ID, nullID(r.LinkWorkerID)); err != nil {
			return err
		}
		r.Status, r.StatusChangedAt, r.LastActivityAt = StatusReceived, at, at
		return audit(ctx, tx, at, actor.ID, "create", "referral", r.ID, "")
	})
	if err != nil {
		return in, err
	}
	return r, nil
}

// Move changes a referral's status if the state machine allows it,
// recording who, when and why. Closing needs a closing reason; reopening a
// closed episode (back to active) needs a reason. Accepting records SNOMED
// CT 871731000000106 and declining 871711000000103, once per episode.
func (s *Store) Move(ctx context.Context, sess *Session, id int64, to ReferralStatus, reason, closingReason string) (Referral, error) {
	actor, err := s.allow(ctx, sess, OpMoveReferral)
	if err != nil {
		return Referral{}, err
	}
	reason = strings.TrimSpace(reason)
	var out Referral
	err = s.write(ctx, func(tx *sql.Tx) error {
		r, err := readReferral(ctx, tx, `id = ?`, id)
		if err != nil {
			return err
		}
		if !CanMove(r.Status, to) {
			return &MoveError{From: r.Status, To: to}
		}
		v := &ValidationError{}
		if to == StatusClosed && !validChoice(ClosingReasons, closingReason) {
			v.add("ClosingReason", "choose why the case is closing")
		}
		if to != StatusClosed {
			closingReason = ""
		}
		if r.Status == StatusClosed && reason == "" {
			v.add("Reason", "say why the case is being reopened")
		}
		var anonymised bool
		if err := tx.QueryRowContext(ctx, `SELECT anonymised_at IS NOT NULL FROM referrals WHERE id = ?`, id).Scan(&anonymised); err != nil {
			return err
		}
		if anonymised && to.Open() {
			v.add("Reason", "this episode was anonymised after the retention period and cannot be reopened; make a new referral")
		}
		if (to == StatusDeclined || to == StatusUnableToContact) && reason == "" {
			v.add("Reason", "say briefly what happened")
		}
		checkLength(v, "Reason", "the reason", reason, MoveReasonMaxChars)
		if err := v.orNil(); err != nil {
			return err
		}
		at := s.stamp()
		if r.FirstContactAt == "" && (to == StatusContacted || to == StatusDeclined) {
			r.FirstContactAt = at
		}
		switch {
		case to.Open():
			r.ClosedAt, r.ClosingReason = "", ""
		default:
			r.ClosedAt, r.ClosingReason = at, closingReason
		}
		// The code is recorded once per episode: a reopened case keeps it.
		if r.SNOMEDCode == "" && to == StatusAccepted {
			r.SNOMEDCode = SNOMEDReferred
		} else if r.SNOMEDCode == "" && to == StatusDeclined {
			r.SNOMEDCode = SNOMEDDeclined
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET status = ?, status_changed_at = ?, first_contact_at = ?,
			closed_at = ?, closing_reason = ?, snomed_code = ?,
			snomed_recorded_at = CASE WHEN snomed_code IS NULL AND CAST(? AS TEXT) IS NOT NULL THEN ? ELSE snomed_recorded_at END,
			last_activity_at = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			string(to), at, nullText(r.FirstContactAt), nullText(r.ClosedAt), nullText(r.ClosingReason), nullText(r.SNOMEDCode),
			nullText(r.SNOMEDCode), at, at, at, actor.ID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referral_history (referral_id, at, by_user, kind, from_status, to_status, closing_reason, reason)
			VALUES (?, ?, ?, 'status', ?, ?, ?, ?)`, id, at, actor.ID, string(r.Status), string(to), nullText(closingReason), reason); err != nil {
			return err
		}
		if err := audit(ctx, tx, at, actor.ID, "move", "referral", id, string(r.Status)+" → "+string(to)); err != nil {
			return err
		}
		out, err = readReferral(ctx, tx, `id = ?`, id)
		return err
	})
	return out, err
}

// SetCoded records whether the SNOMED CT code shown has been entered in the
// GP clinical system (Linkwell does not write to it).
func (s *Store) SetCoded(ctx context.Context, sess *Session, id int64, coded bool) error {
	actor, err := s.allow(ctx, sess, OpMoveReferral)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		r, err := readReferral(ctx, tx, `id = ?`, id)
		if err != nil {
			return err
		}
		if r.SNOMEDCode == "" {
			return errors.New("there is no code to enter yet: a code is shown when the referral is accepted or declined")
		}
		if r.CodedInGPRecord == coded {
			return nil
		}
		at := s.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET coded_in_gp_record = ?, updated_at = ?, updated_by = ? WHERE id = ?`, coded, at, actor.ID, id); err != nil {
			return err
		}
		what := "Coded in GP record: " + r.SNOMEDCode + " " + SNOMEDTerm(r.SNOMEDCode)
		if !coded {
			what = "Code marked as not yet in GP record"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referral_history (referral_id, at, by_user, kind, reason) VALUES (?, ?, ?, 'coded', ?)`,
			id, at, actor.ID, what); err != nil {
			return err
		}
		return audit(ctx, tx, at, actor.ID, "coded", "referral", id, r.SNOMEDCode)
	})
}

// Reassign gives the referral to another link worker (0: nobody), recorded
// in its history.
func (s *Store) Reassign(ctx context.Context, sess *Session, id, workerID int64, reason string) error {
	actor, err := s.allow(ctx, sess, OpMoveReferral)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		r, err := readReferral(ctx, tx, `id = ?`, id)
		if err != nil {
			return err
		}
		if r.LinkWorkerID == workerID {
			return nil
		}
		if workerID != 0 {
			if err := checkLinkWorker(ctx, tx, workerID); err != nil {
				return err
			}
		}
		at := s.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET link_worker_id = ?, last_activity_at = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			nullID(workerID), at, at, actor.ID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referral_history (referral_id, at, by_user, kind, from_worker_id, to_worker_id, reason)
			VALUES (?, ?, ?, 'reassigned', ?, ?, ?)`, id, at, actor.ID, nullID(r.LinkWorkerID), nullID(workerID), strings.TrimSpace(reason)); err != nil {
			return err
		}
		return audit(ctx, tx, at, actor.ID, "reassign", "referral", id, "")
	})
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
