package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Contact kinds of a case note.
var ContactKinds = []Choice{
	{"phone", "Phone"}, {"in_person", "In person"}, {"video", "Video"}, {"home_visit", "Home visit"},
	{"message", "Message"}, {"note", "Note"},
}

// Contact is one contact or case note in an episode.
type Contact struct {
	ID         int64
	ReferralID int64
	At         string // instant, TimeLayout; may be typed "DD/MM/YYYY HH:MM" (London time)
	Kind       string
	Minutes    int
	Text       string
	By         string // who recorded it (read only)
}

// Goal is "what I want to change", rated 0–10 at the start and at review.
type Goal struct {
	ID          int64
	ReferralID  int64
	Description string
	StartScore  int
	SetOn       string
	ReviewScore int // -1: not yet reviewed
	ReviewedOn  string
}

// Change is review minus start, and whether there is a review yet.
func (g Goal) Change() (int, bool) {
	if g.ReviewScore < 0 {
		return 0, false
	}
	return g.ReviewScore - g.StartScore, true
}

// Wellbeing stages.
var WellbeingStages = []Choice{{"baseline", "Baseline"}, {"review", "Review"}, {"closure", "Closure"}}

// ONS4Questions are the four ONS personal wellbeing questions, in order.
var ONS4Questions = []string{
	"Overall, how satisfied are you with your life nowadays?",
	"Overall, to what extent do you feel that the things you do in your life are worthwhile?",
	"Overall, how happy did you feel yesterday?",
	"Overall, how anxious did you feel yesterday?",
}

// ONS4Short names the four scores in tables.
var ONS4Short = []string{"Life satisfaction", "Worthwhile", "Happiness", "Anxiety"}

// Wellbeing is one ONS4 measure: four scores 0–10 (anxiety: lower is better).
type Wellbeing struct {
	ID         int64
	ReferralID int64
	Stage      string
	TakenOn    string
	Scores     [4]int // life satisfaction, worthwhile, happiness, anxiety
}

// ScoreChange is one ONS4 score's change since baseline.
type ScoreChange struct {
	Delta  int
	Better bool // the change is an improvement (for anxiety, a fall)
	Worse  bool
}

// ChangeSince compares each score with a baseline.
func (w Wellbeing) ChangeSince(base Wellbeing) [4]ScoreChange {
	var out [4]ScoreChange
	for i := range 4 {
		d := w.Scores[i] - base.Scores[i]
		good := d
		if i == 3 {
			good = -d // anxiety: lower is better
		}
		out[i] = ScoreChange{Delta: d, Better: good > 0, Worse: good < 0}
	}
	return out
}

// TimelineEntry is one line of a case record's timeline.
type TimelineEntry struct {
	At     string // instant (TimeLayout) or date (DateLayout)
	Kind   string // status, reassigned, coded, contact, appointment, prescription
	Title  string
	Detail string
	By     string
}

// CaseRecord is everything about one episode.
type CaseRecord struct {
	Referral   Referral
	Patient    Patient
	LinkWorker string
	Timeline   []TimelineEntry // newest first
	Goals      []Goal
	Wellbeing  []Wellbeing // oldest first
}

// Baseline is the first baseline measure, if any.
func (c CaseRecord) Baseline() (Wellbeing, bool) {
	for _, w := range c.Wellbeing {
		if w.Stage == "baseline" {
			return w, true
		}
	}
	return Wellbeing{}, false
}

// DaysOpen counts days from receipt to closure, or to today.
func (c CaseRecord) DaysOpen(today time.Time) int {
	start, err := time.Parse(DateLayout, c.Referral.ReceivedOn)
	if err != nil {
		return 0
	}
	end := today.In(london())
	if c.Referral.ClosedAt != "" {
		if t, err := time.Parse(TimeLayout, c.Referral.ClosedAt); err == nil {
			end = t.In(london())
		}
	}
	endDay := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
	return int(endDay.Sub(start).Hours() / 24)
}

// CaseRecord opens a referral with its patient, timeline, goals and
// wellbeing scores, and records in the audit who opened it (one event, on
// the referral): a case record whose opening cannot be recorded is not
// returned (see audit_reads.go).
func (s *Store) CaseRecord(ctx context.Context, sess *Session, referralID int64) (CaseRecord, error) {
	actor, err := s.allow(ctx, sess, OpViewCaseRecord)
	if err != nil {
		return CaseRecord{}, err
	}
	c, err := s.caseRecord(ctx, actor, referralID)
	if err != nil {
		return CaseRecord{}, err
	}
	if err := s.recordRead(ctx, actor, "view", "referral", c.Referral.ID, "case record"); err != nil {
		return CaseRecord{}, err
	}
	return c, nil
}

// RefreshCaseRecord reads a case record again for a user who has it open,
// when another desk has changed it (ui/live.go). Opening it was the read,
// and CaseRecord recorded that; a refresh is not another opening, so it
// records nothing. It is refused with ErrNotAudited unless the audit holds
// this user's opening of this record since they last signed in.
func (s *Store) RefreshCaseRecord(ctx context.Context, sess *Session, referralID int64) (CaseRecord, error) {
	actor, err := s.allow(ctx, sess, OpViewCaseRecord)
	if err != nil {
		return CaseRecord{}, err
	}
	var opened bool
	err = s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_events
		WHERE entity = 'referral' AND entity_id = ? AND action = 'view' AND user_id = ?
		AND id > coalesce((SELECT max(id) FROM audit_events WHERE entity = 'user' AND entity_id = ? AND action = 'sign_in'), 0))`,
		referralID, actor.ID, actor.ID).Scan(&opened)
	if err != nil {
		return CaseRecord{}, err
	}
	if !opened {
		return CaseRecord{}, fmt.Errorf("%w: the record was not opened since signing in", ErrNotAudited)
	}
	return s.caseRecord(ctx, actor, referralID)
}

// caseRecord reads what CaseRecord returns, without recording it.
func (s *Store) caseRecord(ctx context.Context, actor User, referralID int64) (CaseRecord, error) {
	var c CaseRecord
	r, err := readReferral(ctx, s.db, `id = ?`, referralID)
	if err != nil {
		return c, err
	}
	c.Referral = r.shownTo(actor.Role)
	if c.Patient, err = s.patient(ctx, r.PatientID); err != nil {
		return c, err
	}
	if r.LinkWorkerID != 0 {
		s.db.QueryRowContext(ctx, `SELECT full_name FROM users WHERE id = ?`, r.LinkWorkerID).Scan(&c.LinkWorker)
	}
	if err := s.timeline(ctx, &c); err != nil {
		return c, err
	}
	if c.Goals, err = s.goals(ctx, referralID); err != nil {
		return c, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, stage, taken_on, life_satisfaction, worthwhile, happiness, anxiety
		FROM wellbeing_measures WHERE referral_id = ? ORDER BY taken_on, id`, referralID)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		w := Wellbeing{ReferralID: referralID}
		if err := rows.Scan(&w.ID, &w.Stage, &w.TakenOn, &w.Scores[0], &w.Scores[1], &w.Scores[2], &w.Scores[3]); err != nil {
			return c, err
		}
		c.Wellbeing = append(c.Wellbeing, w)
	}
	return c, rows.Err()
}

func (s *Store) timeline(ctx context.Context, c *CaseRecord) error {
	id := c.Referral.ID
	add := func(e TimelineEntry) { c.Timeline = append(c.Timeline, e) }

	rows, err := s.db.QueryContext(ctx, `SELECT h.at, h.kind, coalesce(h.from_status, ''), coalesce(h.to_status, ''),
			coalesce(fw.full_name, ''), coalesce(tw.full_name, ''), coalesce(h.closing_reason, ''), h.reason, coalesce(u.full_name, '')
		FROM referral_history h
		LEFT JOIN users u ON u.id = h.by_user
		LEFT JOIN users fw ON fw.id = h.from_worker_id
		LEFT JOIN users tw ON tw.id = h.to_worker_id
		WHERE h.referral_id = ?`, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var at, kind, from, to, fromW, toW, closing, reason, by string
		if err := rows.Scan(&at, &kind, &from, &to, &fromW, &toW, &closing, &reason, &by); err != nil {
			rows.Close()
			return err
		}
		e := TimelineEntry{At: at, Kind: kind, By: by, Detail: reason}
		switch kind {
		case "status":
			switch {
			case from == "":
				e.Title = "Referral received"
				if toW != "" {
					e.Detail = strings.TrimSpace(e.Detail + " · assigned to " + toW)
				}
			case from == string(StatusClosed):
				e.Title = "Reopened (" + ReferralStatus(to).Label() + ")"
			default:
				e.Title = ReferralStatus(from).Label() + " → " + ReferralStatus(to).Label()
			}
			if closing != "" {
				e.Detail = strings.TrimSpace(LabelOf(ClosingReasons, closing) + ". " + e.Detail)
			}
		case "reassigned":
			e.Title = "Link worker: " + orNobody(fromW) + " → " + orNobody(toW)
		case "coded":
			e.Title = "GP record coding"
		}
		add(e)
	}
	rows.Close()

	rows, err = s.db.QueryContext(ctx, `SELECT c.at, c.kind, c.minutes, c.text, coalesce(u.full_name, '')
		FROM contacts c LEFT JOIN users u ON u.id = c.created_by WHERE c.referral_id = ?`, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var at, kind, text, by string
		var minutes int
		if err := rows.Scan(&at, &kind, &minutes, &text, &by); err != nil {
			rows.Close()
			return err
		}
		title := LabelOf(ContactKinds, kind)
		if minutes > 0 {
			title += fmt.Sprintf(", %d min", minutes)
		}
		add(TimelineEntry{At: at, Kind: "contact", Title: title, Detail: text, By: by})
	}
	rows.Close()

	rows, err = s.db.QueryContext(ctx, `SELECT a.starts_at, a.ends_at, t.name, a.mode, a.status, a.cancel_reason, coalesce(u.full_name, '')
		FROM appointments a JOIN appointment_types t ON t.code = a.type LEFT JOIN users u ON u.id = a.worker_id
		WHERE a.referral_id = ?`, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var start, end, typ, mode, status, cancel, with string
		if err := rows.Scan(&start, &end, &typ, &mode, &status, &cancel, &with); err != nil {
			rows.Close()
			return err
		}
		title := "Appointment: " + typ + " (" + appointmentStatusLabel(status) + ")"
		detail := strings.ReplaceAll(mode, "_", " ") + " with " + with
		if s, err1 := time.Parse(TimeLayout, start); err1 == nil {
			if e, err2 := time.Parse(TimeLayout, end); err2 == nil {
				detail += fmt.Sprintf(", %s–%s", s.In(london()).Format("15:04"), e.In(london()).Format("15:04"))
			}
		}
		if cancel != "" {
			detail += ". " + cancel
		}
		add(TimelineEntry{At: start, Kind: "appointment", Title: title, Detail: detail})
	}
	rows.Close()

	rows, err = s.db.QueryContext(ctx, `SELECT p.issued_at, coalesce(u.full_name, ''),
			(SELECT group_concat(service_name, '; ') FROM prescription_items i WHERE i.prescription_id = p.id)
		FROM prescriptions p LEFT JOIN users u ON u.id = p.prescriber_id WHERE p.referral_id = ?`, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var at, by string
		var items *string
		if err := rows.Scan(&at, &by, &items); err != nil {
			rows.Close()
			return err
		}
		e := TimelineEntry{At: at, Kind: "prescription", Title: "Social prescription issued", By: by}
		if items != nil {
			e.Detail = *items
		}
		add(e)
	}
	rows.Close()

	// Newest first; a date sorts as the start of its day.
	sort.SliceStable(c.Timeline, func(i, j int) bool { return c.Timeline[i].At > c.Timeline[j].At })
	return nil
}

func orNobody(name string) string {
	if name == "" {
		return "nobody"
	}
	return name
}

func appointmentStatusLabel(s string) string {
	switch s {
	case "dna":
		return "did not attend"
	case "cancelled_patient":
		return "cancelled by patient"
	case "cancelled_practice":
		return "cancelled by practice"
	}
	return s
}

func (s *Store) goals(ctx context.Context, referralID int64) ([]Goal, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, description, start_score, set_on, coalesce(review_score, -1), coalesce(reviewed_on, '')
		FROM goals WHERE referral_id = ? ORDER BY id`, referralID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Goal
	for rows.Next() {
		g := Goal{ReferralID: referralID}
		if err := rows.Scan(&g.ID, &g.Description, &g.StartScore, &g.SetOn, &g.ReviewScore, &g.ReviewedOn); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ParseUKDateTime reads "DD/MM/YYYY HH:MM" (or a date alone, at noon) as
// London time.
func ParseUKDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02/01/2006 15:04", "2/1/2006 15:04", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, london()); err == nil {
			return t, nil
		}
	}
	if d, err := ParseUKDate(s); err == nil {
		return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, london()), nil
	}
	return time.Time{}, errors.New("type the date and time as DD/MM/YYYY HH:MM, e.g. 03/03/2026 10:30")
}

// FormatUKDateTime shows a stored instant as DD/MM/YYYY HH:MM London time.
func FormatUKDateTime(instant string) string {
	t, err := time.Parse(TimeLayout, instant)
	if err != nil {
		return FormatUKDate(instant)
	}
	return t.In(london()).Format("02/01/2006 15:04")
}

// editable returns an error unless the referral exists and is open: the
// case record of an ended episode is read-only until it is reopened.
func editable(ctx context.Context, tx *sql.Tx, referralID int64) error {
	r, err := readReferral(ctx, tx, `id = ?`, referralID)
	if err != nil {
		return err
	}
	if !r.Status.Open() {
		return fmt.Errorf("this episode is %s; reopen it to add to the record", strings.ToLower(r.Status.Label()))
	}
	return nil
}

func touchReferral(ctx context.Context, tx *sql.Tx, referralID int64, at string) error {
	_, err := tx.ExecContext(ctx, `UPDATE referrals SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?`, at, referralID, at)
	return err
}

// AddContact records a contact or case note.
func (s *Store) AddContact(ctx context.Context, sess *Session, in Contact) (Contact, error) {
	actor, err := s.allow(ctx, sess, OpWriteCaseNotes)
	if err != nil {
		return Contact{}, err
	}
	c := in
	v := &ValidationError{}
	now := s.now()
	if strings.TrimSpace(c.At) == "" {
		c.At = now.UTC().Format(TimeLayout)
	} else if t, err := ParseUKDateTime(c.At); err != nil {
		v.add("At", "%s", err.Error())
	} else if t.After(now.Add(5 * time.Minute)) {
		v.add("At", "a contact cannot be in the future")
	} else {
		c.At = t.UTC().Format(TimeLayout)
	}
	if !validChoice(ContactKinds, c.Kind) {
		v.add("Kind", "choose the kind of contact")
	}
	if c.Minutes < 0 || c.Minutes > 600 {
		v.add("Minutes", "minutes spent is 0 to 600")
	}
	c.Text = strings.TrimSpace(c.Text)
	if c.Text == "" {
		v.add("Text", "write what happened")
	}
	checkNoteLength(v, "Text", c.Text)
	if err := v.orNil(); err != nil {
		return in, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := editable(ctx, tx, c.ReferralID); err != nil {
			return err
		}
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO contacts (referral_id, at, kind, minutes, text, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ReferralID, c.At, c.Kind, c.Minutes, c.Text, at, actor.ID)
		if err != nil {
			return err
		}
		c.ID, _ = res.LastInsertId()
		c.By = actor.FullName
		if err := touchReferral(ctx, tx, c.ReferralID, at); err != nil {
			return err
		}
		return audit(ctx, tx, at, actor.ID, "create", "contact", c.ID, "")
	})
	if err != nil {
		return in, err
	}
	return c, nil
}

func checkScore(v *ValidationError, field string, score int) {
	if score < 0 || score > 10 {
		v.add(field, "a score is 0 to 10")
	}
}

// AddGoal records a goal with its starting score.
func (s *Store) AddGoal(ctx context.Context, sess *Session, in Goal) (Goal, error) {
	actor, err := s.allow(ctx, sess, OpWriteCaseNotes)
	if err != nil {
		return Goal{}, err
	}
	g := in
	v := &ValidationError{}
	g.Description = strings.TrimSpace(g.Description)
	if g.Description == "" {
		v.add("Description", "write the goal in the person's words")
	}
	checkScore(v, "StartScore", g.StartScore)
	if err := v.orNil(); err != nil {
		return in, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := editable(ctx, tx, g.ReferralID); err != nil {
			return err
		}
		at := s.stamp()
		g.SetOn = s.now().In(london()).Format(DateLayout)
		res, err := tx.ExecContext(ctx, `INSERT INTO goals (referral_id, description, start_score, set_on, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, g.ReferralID, g.Description, g.StartScore, g.SetOn, at, actor.ID, at, actor.ID)
		if err != nil {
			return err
		}
		g.ID, _ = res.LastInsertId()
		g.ReviewScore = -1
		if err := touchReferral(ctx, tx, g.ReferralID, at); err != nil {
			return err
		}
		return audit(ctx, tx, at, actor.ID, "create", "goal", g.ID, "")
	})
	if err != nil {
		return in, err
	}
	return g, nil
}

// ReviewGoal records a goal's score at review (today).
func (s *Store) ReviewGoal(ctx context.Context, sess *Session, goalID int64, score int) error {
	actor, err := s.allow(ctx, sess, OpWriteCaseNotes)
	if err != nil {
		return err
	}
	v := &ValidationError{}
	checkScore(v, "ReviewScore", score)
	if err := v.orNil(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var referralID int64
		if err := tx.QueryRowContext(ctx, `SELECT referral_id FROM goals WHERE id = ?`, goalID).Scan(&referralID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if err := editable(ctx, tx, referralID); err != nil {
			return err
		}
		at := s.stamp()
		if _, err := tx.ExecContext(ctx, `UPDATE goals SET review_score = ?, reviewed_on = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
			score, s.now().In(london()).Format(DateLayout), at, actor.ID, goalID); err != nil {
			return err
		}
		if err := touchReferral(ctx, tx, referralID, at); err != nil {
			return err
		}
		return audit(ctx, tx, at, actor.ID, "review", "goal", goalID, fmt.Sprint(score))
	})
}

// RecordWellbeing stores an ONS4 measure. An episode has one baseline,
// taken before any review or closure measure.
func (s *Store) RecordWellbeing(ctx context.Context, sess *Session, in Wellbeing) (Wellbeing, error) {
	actor, err := s.allow(ctx, sess, OpWriteCaseNotes)
	if err != nil {
		return Wellbeing{}, err
	}
	w := in
	v := &ValidationError{}
	if !validChoice(WellbeingStages, w.Stage) {
		v.add("Stage", "choose baseline, review or closure")
	}
	for i, sc := range w.Scores {
		checkScore(v, ONS4Short[i], sc)
	}
	if strings.TrimSpace(w.TakenOn) == "" {
		w.TakenOn = s.now().In(london()).Format(DateLayout)
	} else if d, err := ParseUKDate(w.TakenOn); err != nil {
		v.add("TakenOn", "%s", err.Error())
	} else {
		w.TakenOn = d.Format(DateLayout)
	}
	if err := v.orNil(); err != nil {
		return in, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var baselines int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM wellbeing_measures WHERE referral_id = ? AND stage = 'baseline'`, w.ReferralID).Scan(&baselines); err != nil {
			return err
		}
		if w.Stage == "baseline" && baselines > 0 {
			return &ValidationError{Fields: []FieldError{{"Stage", "this episode already has a baseline; record a review instead"}}}
		}
		if w.Stage != "baseline" && baselines == 0 {
			return &ValidationError{Fields: []FieldError{{"Stage", "record the baseline first, so change can be measured"}}}
		}
		// A closure score may be taken as the case closes, so an ended
		// episode accepts one; anything else needs an open episode.
		if w.Stage != "closure" {
			if err := editable(ctx, tx, w.ReferralID); err != nil {
				return err
			}
		}
		at := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO wellbeing_measures (referral_id, stage, taken_on, life_satisfaction, worthwhile, happiness, anxiety, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, w.ReferralID, w.Stage, w.TakenOn, w.Scores[0], w.Scores[1], w.Scores[2], w.Scores[3], at, actor.ID)
		if err != nil {
			return err
		}
		w.ID, _ = res.LastInsertId()
		if err := touchReferral(ctx, tx, w.ReferralID, at); err != nil {
			return err
		}
		return audit(ctx, tx, at, actor.ID, "create", "wellbeing", w.ID, w.Stage)
	})
	if err != nil {
		return in, err
	}
	return w, nil
}
