package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Sex as recorded on the patient's record.
type Sex string

const (
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexOther   Sex = "other"
	SexUnknown Sex = "unknown"
)

// Sexes in the order screens list them.
var Sexes = []Sex{SexFemale, SexMale, SexOther, SexUnknown}

// Label is how a screen shows the sex.
func (s Sex) Label() string {
	switch s {
	case SexFemale:
		return "Female"
	case SexMale:
		return "Male"
	case SexOther:
		return "Other"
	}
	return "Not known"
}

// ContactMethod is how a patient prefers to be contacted.
type ContactMethod string

const (
	ContactPhone  ContactMethod = "phone"
	ContactText   ContactMethod = "text"
	ContactEmail  ContactMethod = "email"
	ContactLetter ContactMethod = "letter"
)

// ContactMethods in the order screens list them.
var ContactMethods = []ContactMethod{ContactPhone, ContactText, ContactEmail, ContactLetter}

// Label is how a screen shows the contact method.
func (c ContactMethod) Label() string {
	switch c {
	case ContactText:
		return "Text message"
	case ContactEmail:
		return "E-mail"
	case ContactLetter:
		return "Letter"
	}
	return "Phone"
}

// EthnicCategory is an NHS Data Dictionary ethnic category code.
type EthnicCategory struct {
	Code  string
	Label string
}

// EthnicCategories are the NHS Data Dictionary (2001 census) codes; "" is
// "not asked".
var EthnicCategories = []EthnicCategory{
	{"", "Not asked"},
	{"A", "White - British"},
	{"B", "White - Irish"},
	{"C", "White - Any other White background"},
	{"D", "Mixed - White and Black Caribbean"},
	{"E", "Mixed - White and Black African"},
	{"F", "Mixed - White and Asian"},
	{"G", "Mixed - Any other mixed background"},
	{"H", "Asian or Asian British - Indian"},
	{"J", "Asian or Asian British - Pakistani"},
	{"K", "Asian or Asian British - Bangladeshi"},
	{"L", "Asian or Asian British - Any other Asian background"},
	{"M", "Black or Black British - Caribbean"},
	{"N", "Black or Black British - African"},
	{"P", "Black or Black British - Any other Black background"},
	{"R", "Other Ethnic Groups - Chinese"},
	{"S", "Other Ethnic Groups - Any other ethnic group"},
	{"Z", "Not stated"},
}

func ethnicCodeValid(code string) bool {
	for _, c := range EthnicCategories {
		if c.Code == code {
			return true
		}
	}
	return false
}

// Patient is a person on the register.
type Patient struct {
	ID               int64
	NHSNumber        string // 10 digits, or "" for a self-referral without one
	GivenName        string
	FamilyName       string
	DateOfBirth      string // YYYY-MM-DD
	Sex              Sex
	EthnicCategory   string
	Address          string
	Postcode         string
	Phone            string
	Email            string
	PreferredContact ContactMethod
	Interpreter      bool
	Language         string
	LargePrint       bool
	EasyRead         bool
	BSL              bool
	ConsentContact   bool
	ConsentShare     bool
	// Version counts saves; a save must carry the version it was read at.
	Version int64
}

// FullName is given then family name.
func (p Patient) FullName() string { return p.GivenName + " " + p.FamilyName }

// Age in whole years on the given day.
func (p Patient) Age(on time.Time) int {
	dob, err := time.Parse(DateLayout, p.DateOfBirth)
	if err != nil {
		return 0
	}
	age := on.Year() - dob.Year()
	if on.Month() < dob.Month() || on.Month() == dob.Month() && on.Day() < dob.Day() {
		age--
	}
	return age
}

// CommunicationNeeds lists the patient's needs in words ("Interpreter
// (Polish)", "Large print", ...).
func (p Patient) CommunicationNeeds() []string {
	var out []string
	if p.Interpreter {
		if p.Language != "" {
			out = append(out, "Interpreter ("+p.Language+")")
		} else {
			out = append(out, "Interpreter")
		}
	}
	if p.LargePrint {
		out = append(out, "Large print")
	}
	if p.EasyRead {
		out = append(out, "Easy read")
	}
	if p.BSL {
		out = append(out, "BSL")
	}
	return out
}

// Normalise checks the patient and tidies its fields in place (NHS number
// to digits, postcode to upper case, dates to ISO). The date of birth may be
// typed the UK way. The error names every bad field.
func (p *Patient) Normalise(today time.Time) error {
	v := &ValidationError{}
	p.GivenName = CleanText(p.GivenName)
	p.FamilyName = CleanText(p.FamilyName)
	if p.GivenName == "" {
		v.add("GivenName", "the given name is required")
	} else if !nameHasLetters(p.GivenName) {
		v.add("GivenName", "a name needs at least one letter")
	}
	if p.FamilyName == "" {
		v.add("FamilyName", "the family name is required")
	} else if !nameHasLetters(p.FamilyName) {
		v.add("FamilyName", "a name needs at least one letter")
	}
	if strings.TrimSpace(p.NHSNumber) != "" {
		if n, err := NormaliseNHSNumber(p.NHSNumber); err != nil {
			v.add("NHSNumber", "%s", err.Error())
		} else {
			p.NHSNumber = n
		}
	} else {
		p.NHSNumber = ""
	}
	if strings.TrimSpace(p.DateOfBirth) == "" {
		v.add("DateOfBirth", "the date of birth is required (DD/MM/YYYY)")
	} else if dob, err := ParseUKDate(p.DateOfBirth); err != nil {
		v.add("DateOfBirth", "%s", err.Error())
	} else if err := checkDateOfBirth(dob, today); err != nil {
		v.add("DateOfBirth", "%s", err.Error())
	} else {
		p.DateOfBirth = dob.Format(DateLayout)
	}
	if p.Sex == "" {
		p.Sex = SexUnknown
	}
	switch p.Sex {
	case SexFemale, SexMale, SexOther, SexUnknown:
	default:
		v.add("Sex", "choose female, male, other or not known")
	}
	if !ethnicCodeValid(p.EthnicCategory) {
		v.add("EthnicCategory", "choose an ethnic category from the list")
	}
	p.Address = strings.TrimSpace(p.Address)
	if strings.TrimSpace(p.Postcode) != "" {
		if pc, err := NormalisePostcode(p.Postcode); err != nil {
			v.add("Postcode", "%s", err.Error())
		} else {
			p.Postcode = pc
		}
	} else {
		p.Postcode = ""
	}
	if strings.TrimSpace(p.Phone) != "" {
		if ph, err := NormalisePhone(p.Phone); err != nil {
			v.add("Phone", "%s", err.Error())
		} else {
			p.Phone = ph
		}
	} else {
		p.Phone = ""
	}
	if strings.TrimSpace(p.Email) != "" {
		if e, err := NormaliseEmail(p.Email); err != nil {
			v.add("Email", "%s", err.Error())
		} else {
			p.Email = e
		}
	} else {
		p.Email = ""
	}
	if p.PreferredContact == "" {
		p.PreferredContact = ContactPhone
	}
	switch p.PreferredContact {
	case ContactPhone, ContactText:
		if p.Phone == "" && v.For("Phone") == "" {
			v.add("Phone", "a phone number is needed for the preferred contact")
		}
	case ContactEmail:
		if p.Email == "" && v.For("Email") == "" {
			v.add("Email", "an e-mail address is needed for the preferred contact")
		}
	case ContactLetter:
		if p.Address == "" {
			v.add("Address", "an address is needed for the preferred contact")
		}
	default:
		v.add("PreferredContact", "choose how the patient prefers to be contacted")
	}
	p.Language = strings.TrimSpace(p.Language)
	if p.Interpreter && p.Language == "" {
		v.add("Language", "say which language the interpreter is for")
	}
	return v.orNil()
}

// DuplicateNHSNumberError refuses a second record with the same NHS number:
// the same NHS number is the same patient.
type DuplicateNHSNumberError struct {
	Existing Patient
}

func (e *DuplicateNHSNumberError) Error() string {
	return fmt.Sprintf("NHS number %s is already on the register for %s (born %s); open that record instead",
		FormatNHSNumber(e.Existing.NHSNumber), e.Existing.FullName(), FormatUKDate(e.Existing.DateOfBirth))
}

// SimilarPatientsError warns that patients with the same name and date of
// birth exist. Saving again with SaveOptions.AcceptSimilar goes ahead.
type SimilarPatientsError struct {
	Matches []Patient
}

func (e *SimilarPatientsError) Error() string {
	var names []string
	for _, m := range e.Matches {
		s := m.FullName() + ", born " + FormatUKDate(m.DateOfBirth)
		if m.NHSNumber != "" {
			s += ", NHS " + FormatNHSNumber(m.NHSNumber)
		}
		names = append(names, s)
	}
	return "a patient with the same name and date of birth is already registered: " + strings.Join(names, "; ")
}

// ErrChangedElsewhere means someone else saved the record after it was read.
var ErrChangedElsewhere = errors.New("someone else changed this record while you were editing it; your changes are still on screen: reopen the record to see theirs, then make yours again")

// SaveOptions tune a save.
type SaveOptions struct {
	// AcceptSimilar saves despite patients with the same name and date of birth.
	AcceptSimilar bool
}

const patientColumns = `id, coalesce(nhs_number, ''), given_name, family_name, date_of_birth, sex, ethnic_category,
	address, postcode, phone, email, preferred_contact, interpreter, language, large_print, easy_read, bsl,
	consent_contact, consent_share, version`

func scanPatient(row interface{ Scan(...any) error }) (Patient, error) {
	var p Patient
	err := row.Scan(&p.ID, &p.NHSNumber, &p.GivenName, &p.FamilyName, &p.DateOfBirth, &p.Sex, &p.EthnicCategory,
		&p.Address, &p.Postcode, &p.Phone, &p.Email, &p.PreferredContact, &p.Interpreter, &p.Language,
		&p.LargePrint, &p.EasyRead, &p.BSL, &p.ConsentContact, &p.ConsentShare, &p.Version)
	return p, err
}

// Patient opens one patient's record, and records in the audit who opened
// it (see audit_reads.go): a record whose opening cannot be recorded is not
// returned.
func (s *Store) Patient(ctx context.Context, sess *Session, id int64) (Patient, error) {
	actor, err := s.allow(ctx, sess, OpViewPatient)
	if err != nil {
		return Patient{}, err
	}
	p, err := s.patient(ctx, id)
	if err != nil {
		return p, err
	}
	if err := s.recordRead(ctx, actor, "view", "patient", p.ID, ""); err != nil {
		return Patient{}, err
	}
	return p, nil
}

// patient reads one patient without recording it: for the store's own
// methods, which record what they open as a whole (a case record).
func (s *Store) patient(ctx context.Context, id int64) (Patient, error) {
	p, err := scanPatient(s.db.QueryRowContext(ctx, `SELECT `+patientColumns+` FROM patients WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// SavePatient creates the patient (ID 0) or updates it, after checking every
// field and the duplicate rules, and returns the saved record. p itself is
// not changed, so a screen keeps what the user typed when the save fails.
func (s *Store) SavePatient(ctx context.Context, sess *Session, in Patient, opt SaveOptions) (Patient, error) {
	actor, err := s.allow(ctx, sess, OpEditPatient)
	if err != nil {
		return Patient{}, err
	}
	p := in
	if err := p.Normalise(s.now()); err != nil {
		return in, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		p.ID, p.Version = in.ID, in.Version // a retried transaction starts again as asked
		if p.NHSNumber != "" {
			existing, err := scanPatient(tx.QueryRowContext(ctx, `SELECT `+patientColumns+` FROM patients WHERE nhs_number = ? AND id <> ?`, p.NHSNumber, p.ID))
			if err == nil {
				return &DuplicateNHSNumberError{Existing: existing}
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if !opt.AcceptSimilar {
			matches, err := queryPatients(ctx, tx, `SELECT `+patientColumns+` FROM patients
				WHERE family_key = ? AND given_key = ? AND date_of_birth = ? AND id <> ? LIMIT 5`,
				foldKey(p.FamilyName), foldKey(p.GivenName), p.DateOfBirth, p.ID)
			if err != nil {
				return err
			}
			if len(matches) > 0 {
				return &SimilarPatientsError{Matches: matches}
			}
		}
		at := s.stamp()
		var nhs any
		if p.NHSNumber != "" {
			nhs = p.NHSNumber
		}
		args := []any{nhs, p.GivenName, p.FamilyName, foldKey(p.GivenName), foldKey(p.FamilyName), p.DateOfBirth, string(p.Sex),
			p.EthnicCategory, p.Address, p.Postcode, p.Phone, p.Email, string(p.PreferredContact), p.Interpreter, p.Language,
			p.LargePrint, p.EasyRead, p.BSL, p.ConsentContact, p.ConsentShare, at, actor.ID}
		if p.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO patients (nhs_number, given_name, family_name, given_key, family_key,
				date_of_birth, sex, ethnic_category, address, postcode, phone, email, preferred_contact, interpreter, language,
				large_print, easy_read, bsl, consent_contact, consent_share, updated_at, updated_by, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, at, actor.ID)...)
			if err != nil {
				return err
			}
			p.ID, _ = res.LastInsertId()
			p.Version = 1
			return audit(ctx, tx, at, actor.ID, "create", "patient", p.ID, "")
		}
		// Refuse to overwrite someone else's newer save.
		res, err := tx.ExecContext(ctx, `UPDATE patients SET nhs_number = ?, given_name = ?, family_name = ?, given_key = ?,
			family_key = ?, date_of_birth = ?, sex = ?, ethnic_category = ?, address = ?, postcode = ?, phone = ?, email = ?,
			preferred_contact = ?, interpreter = ?, language = ?, large_print = ?, easy_read = ?, bsl = ?, consent_contact = ?,
			consent_share = ?, updated_at = ?, updated_by = ?, version = version + 1
			WHERE id = ? AND version = ?`, append(args, p.ID, in.Version)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrChangedElsewhere
		}
		p.Version++
		return audit(ctx, tx, at, actor.ID, "update", "patient", p.ID, "")
	})
	if err != nil {
		return in, err
	}
	return p, nil
}

func queryPatients(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]Patient, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Patient
	for rows.Next() {
		p, err := scanPatient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// searchNamesAtMost is how many given names, or later words of names, a
// search walks one by one (a variable so that tests can try both ways).
var searchNamesAtMost = 50

// SearchPatients finds patients by what a receptionist types: an NHS number
// (with or without spaces), a date of birth (DD/MM/YYYY), or names —
// "smi", "john smi", "smith, john", "Oisín Ó Ceallaigh", a later word of a
// name ("ceallaigh", "berg" for van der Berg, "mason" for Ellis-Mason,
// "connell" for O'Connell) — without regard to case or accents, ß as ss;
// names and a date of birth together ("smith 02/04/1961") find the
// patients of that name born that day. At most limit rows come back,
// ordered by name (then date of birth and id).
//
// Each name search walks the name indexes (003_list_indexes.sql) and the
// later words of names (patient_name_words, 008_name_words.sql) in that
// order and stops after limit rows, so it costs about the page however
// many patients match. With a date of birth it reads the few patients born
// that day.
//
// Every search is audited: who searched and what they typed, not what was
// found (see audit_reads.go). The picker searches once the typing pauses,
// not at every key, and the event is one small insert (about a
// millisecond; BenchmarkSearchNamePrefix measures the whole).
func (s *Store) SearchPatients(ctx context.Context, sess *Session, query string, limit int) ([]Patient, error) {
	actor, err := s.allow(ctx, sess, OpViewPatient)
	if err != nil {
		return nil, err
	}
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	found, err := s.searchPatients(ctx, query, limit)
	if err != nil {
		return nil, err
	}
	if err := s.recordRead(ctx, actor, "search", "patient", 0, auditText(query)); err != nil {
		return nil, err
	}
	return found, nil
}

// nameQuery splits typed text into its name words, folded as the name keys
// are, and a date of birth if one of its words is a whole date ("smith
// 02/04/1961", "1961-04-02 siobhan"; a date still being typed is left out).
func nameQuery(text string) (words []string, dob string) {
	for _, w := range strings.Fields(strings.ReplaceAll(text, ",", " ")) {
		if looksLikeDate(w) {
			if d, err := ParseUKDate(w); err == nil {
				dob = d.Format(DateLayout)
			}
			continue
		}
		words = append(words, strings.Fields(foldKey(w))...)
	}
	return words, dob
}

// searchPatients is SearchPatients' search, for a query already trimmed.
func (s *Store) searchPatients(ctx context.Context, query string, limit int) ([]Patient, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	order := ` ORDER BY family_key, given_key, date_of_birth, id LIMIT ?`
	if looksLikeDate(query) {
		if dob, err := ParseUKDate(query); err == nil {
			return queryPatients(ctx, s.db, `SELECT `+patientColumns+` FROM patients WHERE date_of_birth = ?`+order,
				dob.Format(DateLayout), limit)
		}
	}
	compact := strings.NewReplacer(" ", "", "-", "").Replace(query)
	if allDigits(compact) && len(compact) >= 3 {
		// Part of an NHS number: a prefix match as the digits are typed.
		return queryPatients(ctx, s.db, `SELECT `+patientColumns+` FROM patients
			WHERE nhs_number >= ? AND nhs_number < ? ORDER BY nhs_number LIMIT ?`, compact, prefixEnd(compact), limit)
	}
	if looksLikeDate(query) {
		return nil, nil // a date still being typed
	}
	words, dob := nameQuery(query)
	if dob != "" {
		// Names and a date of birth: the few born that day (patients_dob),
		// those whose names the words start, as the Referrals list's text
		// filter tests them (nameWordLike).
		where, args := `date_of_birth = ?`, []any{dob}
		for _, w := range words {
			where, args = where+` AND `+nameWordLike(""), append(args, nameWordArgs(w)...)
		}
		return queryPatients(ctx, s.db, `SELECT `+patientColumns+` FROM patients INDEXED BY patients_dob WHERE `+where+order,
			append(args, limit)...)
	}
	if len(words) == 0 {
		return nil, nil
	}
	if len(words) == 1 && len([]rune(words[0])) == 1 {
		// One letter: family names only.
		w := words[0]
		return queryPatients(ctx, s.db, `SELECT `+patientColumns+` FROM patients
			WHERE family_key >= ? AND family_key < ?`+order, w, prefixEnd(w), limit)
	}
	// The matches come from a few walks, each in name order; SQLite merges
	// them (UNION drops a patient found twice) and stops after the page.
	const keys = `SELECT id, family_key, given_key, date_of_birth FROM patients WHERE `
	const later = `SELECT patient_id, family_key, given_key, date_of_birth FROM patient_name_words WHERE `
	var walks []string
	var args []any
	if len(words) == 1 {
		// One word: a family name, a given name or a later word of either.
		// The given names it starts ("ch": Charlotte, Chloe, …) and the
		// later words ("ceal": ceallaigh) are found first, each then walked
		// in family-name order; past searchNamesAtMost they are sorted.
		w := words[0]
		walks, args = append(walks, keys+`family_key >= ? AND family_key < ?`), append(args, w, prefixEnd(w))
		for _, each := range []struct{ table, column, from string }{{"patients", "given_key", keys}, {"patient_name_words", "word", later}} {
			names, err := s.startingWith(ctx, each.table, each.column, w)
			if err != nil {
				return nil, err
			}
			if len(names) > searchNamesAtMost {
				walks, args = append(walks, each.from+each.column+` >= ? AND `+each.column+` < ?`), append(args, w, prefixEnd(w))
				continue
			}
			for _, name := range names {
				walks, args = append(walks, each.from+each.column+` = ?`), append(args, name)
			}
		}
	} else {
		// Two or more words: given names then family names ("oisin o
		// ceallaigh"), or family names then given names ("smith, john"),
		// split at any word; the last word is a prefix, the rest whole
		// words. Or the start of a name of many words ("van der b"), or a
		// given name and a later word of the family name ("pieter berg",
		// "ceallaigh siobhan").
		for k := 1; k < len(words); k++ {
			first, rest := strings.Join(words[:k], " "), strings.Join(words[k:], " ")
			walks = append(walks, keys+`given_key = ? AND family_key >= ? AND family_key < ?`,
				keys+`family_key = ? AND given_key >= ? AND given_key < ?`)
			args = append(args, first, rest, prefixEnd(rest), first, rest, prefixEnd(rest))
		}
		all := strings.Join(words, " ")
		walks = append(walks, keys+`family_key >= ? AND family_key < ?`, keys+`given_key >= ? AND given_key < ?`)
		args = append(args, all, prefixEnd(all), all, prefixEnd(all))
		first, last := strings.Join(words[:len(words)-1], " "), words[len(words)-1]
		walks = append(walks, later+`word >= ? AND word < ? AND given_key = ?`)
		args = append(args, last, prefixEnd(last), first)
		if len(words) == 2 {
			walks = append(walks, later+`word = ? AND given_key >= ? AND given_key < ?`)
			args = append(args, words[0], words[1], prefixEnd(words[1]))
		}
	}
	return queryPatients(ctx, s.db, `SELECT `+patientColumns+` FROM patients WHERE id IN (
		SELECT id FROM (`+strings.Join(walks, " UNION ")+` ORDER BY 2, 3, 4, 1 LIMIT ?) AS walk)`+order, append(args, limit, limit)...)
}

// startingWith are the different values of column in table that start
// with prefix, in order, up to searchNamesAtMost+1 of them, each found by
// one step of its index.
func (s *Store) startingWith(ctx context.Context, table, column, prefix string) ([]any, error) {
	q := `WITH RECURSIVE names (name) AS (
			SELECT min(` + column + `) FROM ` + table + ` WHERE ` + column + ` >= ? AND ` + column + ` < ?
			UNION ALL
			SELECT (SELECT min(` + column + `) FROM ` + table + ` WHERE ` + column + ` > names.name AND ` + column + ` < ?)
			FROM names WHERE names.name IS NOT NULL LIMIT ?)
		SELECT name FROM names WHERE name IS NOT NULL`
	if s.engine == enginePostgres {
		// PostgreSQL takes no LIMIT inside a recursive query: a count stops it.
		q = `WITH RECURSIVE names (name, n) AS (
			SELECT min(` + column + `), 1 FROM ` + table + ` WHERE ` + column + ` >= ? AND ` + column + ` < ?
			UNION ALL
			SELECT (SELECT min(` + column + `) FROM ` + table + ` WHERE ` + column + ` > names.name AND ` + column + ` < ?), n + 1
			FROM names WHERE names.name IS NOT NULL AND n < ?)
		SELECT name FROM names WHERE name IS NOT NULL`
	}
	rows, err := s.db.QueryContext(ctx, q, prefix, prefixEnd(prefix), prefixEnd(prefix), searchNamesAtMost+1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []any
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// prefixEnd is the smallest string greater than every string with the given
// prefix, so `k >= p AND k < prefixEnd(p)` is an index-friendly prefix test.
func prefixEnd(p string) string { return p + "\U0010FFFF" }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func looksLikeDate(s string) bool {
	hasDigit := false
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			hasDigit = true
		case r == '/' || r == '-' || r == '.':
		default:
			return false
		}
	}
	return hasDigit && strings.ContainsAny(s, "/-.")
}

// CountPatients is the number of patients on the register.
func (s *Store) CountPatients(ctx context.Context, sess *Session) (int, error) {
	if _, err := s.allow(ctx, sess, OpViewPatient); err != nil {
		return 0, err
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM patients`).Scan(&n)
	return n, err
}
