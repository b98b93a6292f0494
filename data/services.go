package data

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ServiceCategories are the categories of the community directory, a
// fixed list: a new category is added here, in code. A service stores its
// categories separated by ';'.
var ServiceCategories = []string{
	"befriending", "arts", "gardening", "walking", "exercise", "choirs", "dementia",
	"debt and benefits advice", "foodbank", "housing", "employment", "carers", "bereavement",
	"veterans", "mental wellbeing", "lunch clubs", "transport", "digital skills",
	"faith and culture", "youth",
}

// How a service is accessed.
var ServiceAccess = []Choice{{"drop_in", "Drop in"}, {"self_refer", "Self refer"}, {"needs_referral", "Needs referral"}}

// A service's status: paused and closed services stay on record but
// cannot be prescribed.
var ServiceStatuses = []Choice{{"active", "Active"}, {"paused", "Paused"}, {"closed", "Closed"}}

// Service is one entry of the community directory.
type Service struct {
	ID int64
	// ExternalID is the service's id in Open Referral UK feeds: the feed's id
	// for imported entries, a UUID made on creation for entries typed here
	// (older entries may have none). Re-imports match on it.
	ExternalID    string
	Name          string
	Organisation  string
	Categories    []string // from ServiceCategories; the first is the main one
	Description   string
	Address       string
	Postcode      string
	Phone         string
	Email         string
	Website       string
	Schedule      string // when it runs, in words ("Tuesdays 10:00–12:00")
	Cost          string // in words ("Free", "£3 a session")
	IsFree        bool
	Access        string // a ServiceAccess code; "" saves as self_refer
	Eligibility   string
	Accessibility string
	Status        string // a ServiceStatuses code; "" saves as active
	// LastVerifiedOn is YYYY-MM-DD, "" if never. SaveService leaves it alone:
	// MarkVerified sets it (and VerifiedBy), and so does an import that
	// carries a newer date (VerifiedBy is then "": the feed vouched for it).
	LastVerifiedOn string
	VerifiedBy     string // the verifier's name (read only)
	// UpdatedAt is when it was last saved (read only). SaveService refuses
	// to overwrite a save made after this was read.
	UpdatedAt string
}

// Cost filter values of ServiceQuery.
const (
	CostFree = "free"
	CostPaid = "paid"
)

// Prescribable is false for paused and closed services: they stay in the
// directory but cannot go on a prescription.
func Prescribable(s Service) bool { return s.Status == "active" }

// IsStale reports an entry not verified for 12 months, or never: the
// directory flags it and the practice manager's list shows it.
func IsStale(s Service, today time.Time) bool {
	return s.LastVerifiedOn == "" || s.LastVerifiedOn <= staleCutoff(today)
}

// staleCutoff is the last verification date that counts as stale: the same
// day a year ago (London dates).
func staleCutoff(today time.Time) string {
	return today.In(london()).AddDate(-1, 0, 0).Format(DateLayout)
}

// Normalise tidies a service as typed and checks every field. The error is
// a *ValidationError naming each bad field. s.now is passed in so dates are
// checked against the store's clock.
func (sv *Service) Normalise(now time.Time) error {
	var v ValidationError
	for _, f := range []*string{&sv.ExternalID, &sv.Name, &sv.Organisation, &sv.Address, &sv.Schedule, &sv.Cost, &sv.Eligibility, &sv.Accessibility} {
		*f = CleanText(*f)
	}
	sv.Description = cleanParagraphs(sv.Description)
	if sv.Name == "" {
		v.add("Name", "a service needs a name")
	}
	cats, bad := normaliseCategories(sv.Categories)
	sv.Categories = cats
	for _, c := range bad {
		v.add("Categories", "%q is not a directory category (choose from: %s)", c, strings.Join(ServiceCategories, ", "))
	}
	if p := strings.TrimSpace(sv.Postcode); p != "" {
		if pc, err := NormalisePostcode(p); err != nil {
			v.add("Postcode", "%s", err)
		} else {
			sv.Postcode = pc
		}
	} else {
		sv.Postcode = ""
	}
	if p := strings.TrimSpace(sv.Phone); p != "" {
		if ph, err := NormalisePhone(p); err != nil {
			v.add("Phone", "%s", err)
		} else {
			sv.Phone = ph
		}
	} else {
		sv.Phone = ""
	}
	if e := strings.TrimSpace(sv.Email); e != "" {
		if em, err := NormaliseEmail(e); err != nil {
			v.add("Email", "%s", err)
		} else {
			sv.Email = em
		}
	} else {
		sv.Email = ""
	}
	if w := strings.TrimSpace(sv.Website); w != "" {
		if site, err := NormaliseWebsite(w); err != nil {
			v.add("Website", "%s", err)
		} else {
			sv.Website = site
		}
	} else {
		sv.Website = ""
	}
	if code, ok := choiceCode(ServiceAccess, sv.Access, "self_refer"); ok {
		sv.Access = code
	} else {
		v.add("Access", "%q is not a way in: say drop in, self refer or needs referral", sv.Access)
	}
	if code, ok := choiceCode(ServiceStatuses, sv.Status, "active"); ok {
		sv.Status = code
	} else {
		v.add("Status", "%q is not a status: say active, paused or closed", sv.Status)
	}
	if d := strings.TrimSpace(sv.LastVerifiedOn); d != "" {
		t, err := time.Parse(DateLayout, d)
		if err != nil {
			v.add("LastVerifiedOn", "the last verified date must be a date like 2026-03-31, not %q", d)
		} else if d > now.In(london()).Format(DateLayout) {
			v.add("LastVerifiedOn", "the last verified date %s is in the future", FormatUKDate(d))
		} else {
			sv.LastVerifiedOn = t.Format(DateLayout)
		}
	} else {
		sv.LastVerifiedOn = ""
	}
	// A free service with no words about cost prints as "Free".
	if sv.IsFree && sv.Cost == "" {
		sv.Cost = "Free"
	}
	return v.orNil()
}

// normaliseCategories matches categories case- and accent-insensitively
// and drops repeats, keeping the order given (the first is the main one),
// and returns those that are not on the list apart.
func normaliseCategories(in []string) (cats, bad []string) {
	for _, c := range in {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		found, key := "", quickFold(c)
		for _, known := range ServiceCategories {
			if key == known {
				found = known
			}
		}
		switch {
		case found == "":
			bad = append(bad, c)
		case !slices.Contains(cats, found):
			cats = append(cats, found)
		}
	}
	return cats, bad
}

// choiceCode reads a code or its label loosely ("Drop in", "drop-in",
// "DROP_IN" → drop_in); "" gives def.
func choiceCode(choices []Choice, s, def string) (string, bool) {
	key := looseKey(s)
	if key == "" {
		return def, true
	}
	for _, c := range choices {
		if key == looseKey(c.Code) || key == looseKey(c.Label) {
			return c.Code, true
		}
	}
	return s, false
}

func looseKey(s string) string {
	return strings.Join(strings.FieldsFunc(quickFold(s), func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), " ")
}

// NormaliseWebsite checks a web address; one typed without http(s):// gets
// https:// ("ageuk.org.uk/leeds" → "https://ageuk.org.uk/leeds").
func NormaliseWebsite(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Hostname(), ".") ||
		strings.ContainsAny(s, " \t\n") {
		return "", errors.New("this is not a web address (e.g. https://www.example.org)")
	}
	return s, nil
}

// newServiceID makes a random (version 4) UUID, the id form HSDS uses.
func newServiceID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// exportID is the id an export writes: the external id, or for an older
// entry with none a UUID made from its name and organisation, so exporting
// twice gives the same id and re-importing adopts the entry (see
// ImportServices).
func exportID(s Service) string {
	if s.ExternalID != "" {
		return s.ExternalID
	}
	b := sha1.Sum([]byte("linkwell service\x00" + serviceKey(s)))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// quickFold is foldKey with a shortcut for plain ASCII, which is most
// text: foldKey's Unicode tables cost ~40 KB a call, and an import folds
// several words per row.
func quickFold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return foldKey(s)
		}
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// serviceKey identifies a service by name and organisation, ignoring case
// and accents: how an import finds an entry it has no id for.
func serviceKey(s Service) string { return quickFold(s.Name) + "\x00" + quickFold(s.Organisation) }

const serviceColumns = `s.id, coalesce(s.external_id, ''), s.name, s.organisation, s.categories, s.description, s.address,
	s.postcode, s.phone, s.email, s.website, s.schedule, s.cost, s.is_free, s.access, s.eligibility, s.accessibility,
	s.status, coalesce(s.last_verified_on, ''), coalesce(u.full_name, ''), s.updated_at`

const serviceFrom = ` FROM services s LEFT JOIN users u ON u.id = s.verified_by`

func scanService(row interface{ Scan(...any) error }) (Service, error) {
	var sv Service
	var cats string
	err := row.Scan(&sv.ID, &sv.ExternalID, &sv.Name, &sv.Organisation, &cats, &sv.Description, &sv.Address,
		&sv.Postcode, &sv.Phone, &sv.Email, &sv.Website, &sv.Schedule, &sv.Cost, &sv.IsFree, &sv.Access, &sv.Eligibility,
		&sv.Accessibility, &sv.Status, &sv.LastVerifiedOn, &sv.VerifiedBy, &sv.UpdatedAt)
	if cats != "" {
		sv.Categories = strings.Split(cats, ";")
	}
	return sv, err
}

func queryServices(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]Service, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Service
	for rows.Next() {
		sv, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, rows.Err()
}

// Service returns one directory entry, or ErrNotFound.
func (s *Store) Service(ctx context.Context, sess *Session, id int64) (Service, error) {
	if _, err := s.allow(ctx, sess, OpViewDirectory); err != nil {
		return Service{}, err
	}
	sv, err := scanService(s.db.QueryRowContext(ctx, `SELECT `+serviceColumns+serviceFrom+` WHERE s.id = ? AND `+visibleService, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sv, ErrNotFound
	}
	return sv, err
}

// AllServices returns the whole directory by name (for export; a directory
// holds thousands of entries at most).
func (s *Store) AllServices(ctx context.Context, sess *Session) ([]Service, error) {
	if _, err := s.allow(ctx, sess, OpViewDirectory); err != nil {
		return nil, err
	}
	return queryServices(ctx, s.db, `SELECT `+serviceColumns+serviceFrom+` WHERE `+visibleService+` ORDER BY s.name COLLATE NOCASE, s.id`)
}

// SaveService creates the service (ID 0) or updates it, after checking every
// field, and returns it as saved. in itself is not changed, so a screen
// keeps what the user typed when the save fails. Verification is not
// changed here: use MarkVerified.
func (s *Store) SaveService(ctx context.Context, sess *Session, in Service) (Service, error) {
	actor, err := s.allow(ctx, sess, OpEditDirectory)
	if err != nil {
		return Service{}, err
	}
	sv := in
	if err := sv.Normalise(s.now()); err != nil {
		return in, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		sv.ID = in.ID // a retried transaction starts again as asked
		if sv.ExternalID != "" {
			// Hidden rows count too: the id is unique in the table.
			var visible bool
			err := tx.QueryRowContext(ctx, `SELECT `+visibleRow+` FROM services WHERE external_id = ? AND id <> ?`, sv.ExternalID, sv.ID).Scan(&visible)
			if err == nil && visible {
				return &ValidationError{Fields: []FieldError{{"ExternalID", "another directory entry already has the id " + sv.ExternalID}}}
			}
			if err == nil {
				return &ValidationError{Fields: []FieldError{{"ExternalID", "an import under way is adding an entry with the id " +
					sv.ExternalID + "; try again once it has finished"}}}
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		at := s.stamp()
		if sv.ID == 0 {
			if sv.ExternalID == "" {
				sv.ExternalID = newServiceID()
			}
			id, err := insertService(ctx, tx, sv, at, actor.ID, "", nil)
			if err != nil {
				return err
			}
			sv.ID = id
			return audit(ctx, tx, at, actor.ID, "create", "service", id, sv.Name)
		}
		res, err := tx.ExecContext(ctx, `UPDATE services SET external_id = coalesce(?, external_id), name = ?, organisation = ?,
			categories = ?, description = ?, address = ?, postcode = ?, phone = ?, email = ?, website = ?, schedule = ?, cost = ?,
			is_free = ?, access = ?, eligibility = ?, accessibility = ?, status = ?, updated_at = ?, updated_by = ?
			WHERE id = ? AND `+visibleRow+` AND (? = '' OR updated_at = ?)`,
			nullText(sv.ExternalID), sv.Name, sv.Organisation, strings.Join(sv.Categories, ";"), sv.Description, sv.Address,
			sv.Postcode, sv.Phone, sv.Email, sv.Website, sv.Schedule, sv.Cost, sv.IsFree, sv.Access, sv.Eligibility,
			sv.Accessibility, sv.Status, at, nullID(actor.ID), sv.ID, in.UpdatedAt, in.UpdatedAt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if tx.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE id = ? AND `+visibleRow, sv.ID).Scan(&exists); exists == 0 {
				return ErrNotFound
			}
			return ErrChangedElsewhere
		}
		return audit(ctx, tx, at, actor.ID, "update", "service", sv.ID, sv.Name)
	})
	if err != nil {
		return in, err
	}
	return s.Service(ctx, sess, sv.ID)
}

// insertService writes a new row; verifiedOn "" leaves it never verified.
func insertService(ctx context.Context, tx *sql.Tx, sv Service, at string, actor int64, verifiedOn string, verifiedBy any) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO services (external_id, name, organisation, categories, description, address,
		postcode, phone, email, website, schedule, cost, is_free, access, eligibility, accessibility, status, last_verified_on,
		verified_by, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullText(sv.ExternalID), sv.Name, sv.Organisation, strings.Join(sv.Categories, ";"), sv.Description, sv.Address,
		sv.Postcode, sv.Phone, sv.Email, sv.Website, sv.Schedule, sv.Cost, sv.IsFree, sv.Access, sv.Eligibility,
		sv.Accessibility, sv.Status, nullText(verifiedOn), verifiedBy, at, nullID(actor), at, nullID(actor))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// MarkVerified records that the actor checked the entry today ("mark
// verified today", one click). It does not count as an edit, so a form open
// on the entry can still be saved.
func (s *Store) MarkVerified(ctx context.Context, sess *Session, id int64) (Service, error) {
	actor, err := s.allow(ctx, sess, OpEditDirectory)
	if err != nil {
		return Service{}, err
	}
	today := s.now().In(london()).Format(DateLayout)
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE services SET last_verified_on = ?, verified_by = ? WHERE id = ? AND `+visibleRow, today, nullID(actor.ID), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, s.stamp(), actor.ID, "verify", "service", id, today)
	})
	if err != nil {
		return Service{}, err
	}
	return s.Service(ctx, sess, id)
}

// StaleServices lists the entries not verified for 12 months or never,
// never-verified first then oldest first: the practice manager's list.
// Closed services are left out, as nobody needs to check them.
func (s *Store) StaleServices(ctx context.Context, sess *Session, now time.Time) ([]Service, error) {
	if _, err := s.allow(ctx, sess, OpViewDirectory); err != nil {
		return nil, err
	}
	return queryServices(ctx, s.db, `SELECT `+serviceColumns+serviceFrom+`
		WHERE `+visibleService+` AND s.status <> 'closed' AND (s.last_verified_on IS NULL OR s.last_verified_on <= ?)
		ORDER BY s.last_verified_on IS NOT NULL, s.last_verified_on, s.name COLLATE NOCASE, s.id`, staleCutoff(now))
}

// ServiceQuery is what the directory screen filters by; the zero value
// lists everything.
type ServiceQuery struct {
	Text         string // as typed: every word must start a word of the name, organisation, description or categories
	Category     string // one of ServiceCategories, "" for any
	Cost         string // CostFree, CostPaid or "" for either
	Access       string // a ServiceAccess code, "" for any
	Status       string // a ServiceStatuses code, "" for any (the prescription screen asks for "active")
	PostcodeArea string // an area ("HX"), outward code ("HX1") or sector ("HX1 2"); "" for anywhere
	Stale        bool   // only entries not verified for 12 months, or never
}

// postcodePrefix is an area, outward code or sector, and nothing else (it
// goes into a LIKE pattern).
var postcodePrefix = regexp.MustCompile(`^[A-Z]{1,2}(?:[0-9][A-Z0-9]?(?: [0-9][A-Z]{0,2})?)?$`)

// where builds the filter; ftsJoin is non-empty when there is text to match.
func (q ServiceQuery) where(today time.Time) (ftsJoin string, where string, args []any, err error) {
	var v ValidationError
	var conds []string
	if match := ftsQuery(q.Text); match != "" {
		// Name matches count most, then organisation and categories.
		ftsJoin = ` JOIN (SELECT rowid, bm25(services_fts, 10.0, 4.0, 1.0, 4.0) AS score FROM services_fts
			WHERE services_fts MATCH ?) f ON f.rowid = s.id`
		args = append(args, match)
	}
	if q.Category != "" {
		cats, bad := normaliseCategories([]string{q.Category})
		if len(bad) > 0 {
			v.add("Category", "%q is not a directory category", q.Category)
		} else {
			conds = append(conds, `';' || s.categories || ';' LIKE ?`)
			args = append(args, "%;"+cats[0]+";%")
		}
	}
	switch q.Cost {
	case "":
	case CostFree:
		conds = append(conds, `s.is_free = 1`)
	case CostPaid:
		conds = append(conds, `s.is_free = 0`)
	default:
		v.add("Cost", "cost must be free, paid or either")
	}
	if q.Access != "" {
		if !validChoice(ServiceAccess, q.Access) {
			v.add("Access", "%q is not a way in", q.Access)
		}
		conds = append(conds, `s.access = ?`)
		args = append(args, q.Access)
	}
	if q.Status != "" {
		if !validChoice(ServiceStatuses, q.Status) {
			v.add("Status", "%q is not a status", q.Status)
		}
		conds = append(conds, `s.status = ?`)
		args = append(args, q.Status)
	}
	if area := strings.ToUpper(strings.Join(strings.Fields(q.PostcodeArea), " ")); area != "" {
		switch {
		case !postcodePrefix.MatchString(area):
			v.add("PostcodeArea", "type a postcode area such as HX or HX1")
		case !strings.ContainsAny(area, "0123456789"):
			// An area alone: "L" must not find "LS11", so a digit must follow.
			conds = append(conds, `s.postcode LIKE ? AND substr(s.postcode, ?, 1) BETWEEN '0' AND '9'`)
			args = append(args, area+"%", len(area)+1)
		case !strings.Contains(area, " "):
			conds = append(conds, `s.postcode LIKE ?`) // "HX1" must not find "HX10"
			args = append(args, area+" %")
		default:
			conds = append(conds, `s.postcode LIKE ?`)
			args = append(args, area+"%")
		}
	}
	if q.Stale {
		conds = append(conds, `(s.last_verified_on IS NULL OR s.last_verified_on <= ?)`)
		args = append(args, staleCutoff(today))
	}
	if err := v.orNil(); err != nil {
		return "", "", nil, err
	}
	// Rows of an import still being written are not in the directory yet.
	conds = append(conds, visibleService)
	where = ` WHERE ` + strings.Join(conds, ` AND `)
	return ftsJoin, where, args, nil
}

// ftsQuery turns typed text into an FTS5 query: each word becomes a quoted
// prefix term ("wal"* "gro"*), all of which must match. Quoting means no
// character typed can be read as FTS syntax. "" when nothing searchable
// was typed.
func ftsQuery(text string) string {
	words := strings.FieldsFunc(norm.NFC.String(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
	terms := make([]string, 0, len(words))
	for _, w := range words {
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	return strings.Join(terms, " ")
}

// SearchServices returns one page of the directory matching q, best
// matches first when text was typed, otherwise by name, and how many match
// in all. A bad filter value is a *ValidationError.
func (s *Store) SearchServices(ctx context.Context, sess *Session, q ServiceQuery, offset, limit int) ([]Service, int, error) {
	if _, err := s.allow(ctx, sess, OpViewDirectory); err != nil {
		return nil, 0, err
	}
	join, where, args, err := q.where(s.now())
	if err != nil {
		return nil, 0, err
	}
	if s.engine == enginePostgres && join != "" {
		join, args[0] = postgresServicesMatch, postgresTSQuery(q.Text) // services_postgres.go
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM services s`+join+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := ` ORDER BY s.name COLLATE NOCASE, s.id`
	if join != "" {
		order = ` ORDER BY f.score, s.name COLLATE NOCASE, s.id`
	}
	if limit <= 0 {
		limit = 50
	}
	list, err := queryServices(ctx, s.db, `SELECT `+serviceColumns+` FROM services s`+join+
		` LEFT JOIN users u ON u.id = s.verified_by`+where+order+` LIMIT ? OFFSET ?`, append(args, limit, max(offset, 0))...)
	return list, total, err
}

// ServiceImport is one service read from a file, with where it was for
// messages ("line 4" in a CSV file, "item 3" in a JSON feed) and anything
// the parser could not read in it.
type ServiceImport struct {
	Service
	Where    string
	Problems []string
	// Encoding is how the file's text was read (EncodingUTF8, …), the same
	// for every row of a file; "" when the format says (JSON is UTF-8).
	Encoding string
}

// ImportProblem is one bad row of an import file.
type ImportProblem struct {
	Where  string // "line 4" or "item 3"
	Reason string
}

// ImportError lists every bad row of a file; nothing was imported.
type ImportError struct {
	Problems []ImportProblem
}

func (e *ImportError) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		b.WriteString("1 service cannot be imported, so nothing was imported; correct it and import the file again:")
	} else {
		fmt.Fprintf(&b, "%d services cannot be imported, so nothing was imported; correct them and import the file again:", len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.Where + ": " + p.Reason)
	}
	return b.String()
}

// ErrImportCancelled is returned when the progress function asked to stop.
var ErrImportCancelled = errors.New("the import was cancelled; nothing was imported")

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated int
	// Unchanged counts the updated entries that were already as the file
	// has them: they were left alone (not rewritten, not audited).
	Unchanged int
	// Encoding is how the file's text was read (see ServiceImport).
	Encoding string
}

// EncodingNote is what to tell the user about how the file's text was
// read, or "" when there is nothing to say: Windows-1252 is a guess made
// for a file that is not UTF-8, so the user should look.
func (r ImportResult) EncodingNote() string {
	if r.Encoding == EncodingWindows1252 {
		return "The file was not UTF-8, so it was read as Windows-1252 (what Excel saves as plain CSV on a UK PC); check that accented letters and £ signs look right."
	}
	return ""
}

// importColumn names a Service field as the CSV header does, for messages
// that apply to both file formats.
var importColumn = map[string]string{
	"ExternalID": "external_id", "Name": "name", "Organisation": "organisation", "Categories": "categories",
	"Postcode": "postcode", "Phone": "phone", "Email": "email", "Website": "website", "Access": "access",
	"Status": "status", "LastVerifiedOn": "last_verified",
}

// ImportServices adds or updates every row, all or nothing. A row updates
// the entry with its external id; a row without one (or whose id is new
// here) updates the entry with the same name and organisation that has no
// external id, which then takes the row's id; anything else is created.
// So re-importing a feed, or our own export, updates in place.
//
// Every row is checked first: if any is bad nothing is written and the
// error is an *ImportError listing each bad row (two rows that would update
// the same entry are bad too). A blank access or status keeps the entry's
// own (new entries: self refer, active). A last verified date only moves
// forwards. progress (may be nil) is called as rows are prepared; returning
// false cancels, as does ctx, and nothing is imported.
//
// Other desks must not wait on a big file, so no write transaction is
// long: rows are checked, matched to the entries they update (read from
// the database) and staged in a TEMP table without the write lock; the new
// rows then go into the directory hidden, a chunk per short transaction
// (see data/import_batch.go); one short last transaction applies the
// updates and publishes the new rows, all at once.
func (s *Store) ImportServices(ctx context.Context, sess *Session, rows []ServiceImport, progress func(done, total int) bool) (ImportResult, error) {
	actor, err := s.allow(ctx, sess, OpEditDirectory)
	if err != nil {
		return ImportResult{}, err
	}
	checked, err := checkImportRows(rows, s.now())
	if err != nil {
		return ImportResult{}, err
	}
	// The hidden rows of an import that died would hold on to their ids.
	if err := removeDeadBatches(ctx, s.db); err != nil {
		return ImportResult{}, err
	}
	// A TEMP table belongs to one connection, so staging and writing both
	// happen on this one.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	defer conn.Close()
	engines.Store(conn, s.engine)
	defer engines.Delete(conn)
	defer conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.service_import`)
	for attempt := 1; ; attempt++ {
		// A copy: matching fills in ids that a second match must not see.
		res, err := s.importOnce(ctx, conn, actor, slices.Clone(checked), progress)
		if errors.Is(err, errDirectoryChanged) && attempt < 3 {
			continue // matched against an old directory: match again
		}
		if err == nil && len(rows) > 0 {
			res.Encoding = rows[0].Encoding
		}
		return res, err
	}
}

// errDirectoryChanged: between matching the rows and taking the write
// lock, another desk added or renamed an entry.
var errDirectoryChanged = errors.New("another desk changed the directory during the import, so nothing was imported; import the file again")

// importRow is one checked row on its way into the directory.
type importRow struct {
	Service    // normalised
	where      string
	keepAccess bool  // access was blank: an update keeps the entry's own
	keepStatus bool  // likewise status
	id         int64 // the entry it updates, 0 for a new one
}

// checkImportRows normalises every row and reports every bad one.
func checkImportRows(rows []ServiceImport, now time.Time) ([]importRow, error) {
	out := make([]importRow, len(rows))
	var problems []ImportProblem
	seenID, seenKey := map[string]string{}, map[string]string{}
	for i, row := range rows {
		reasons := append([]string(nil), row.Problems...)
		sv := row.Service
		sv.ID = 0
		out[i] = importRow{where: row.Where, keepAccess: strings.TrimSpace(sv.Access) == "", keepStatus: strings.TrimSpace(sv.Status) == ""}
		if err := sv.Normalise(now); err != nil {
			v, ok := FieldErrors(err)
			if !ok {
				return nil, err
			}
			for _, f := range v.Fields {
				reasons = append(reasons, importColumn[f.Field]+": "+f.Message)
			}
		}
		if sv.ExternalID != "" {
			if first, dup := seenID[sv.ExternalID]; dup {
				reasons = append(reasons, fmt.Sprintf("external_id: %s has the same id (%s)", first, sv.ExternalID))
			} else {
				seenID[sv.ExternalID] = row.Where
			}
		} else if sv.Name != "" {
			if key := serviceKey(sv); seenKey[key] != "" {
				reasons = append(reasons, fmt.Sprintf("%s has the same name and organisation; give each an external_id if they differ", seenKey[key]))
			} else {
				seenKey[key] = row.Where
			}
		}
		if len(reasons) > 0 {
			problems = append(problems, ImportProblem{Where: row.Where, Reason: strings.Join(reasons, "; ")})
		}
		out[i].Service = sv
	}
	if len(problems) > 0 {
		return nil, &ImportError{Problems: problems}
	}
	return out, nil
}

// importOnce matches and stages the rows outside the write lock, inserts
// the new ones hidden in short transactions (publishHidden), then applies
// the updates and reveals the new rows in one short transaction.
func (s *Store) importOnce(ctx context.Context, conn *sql.Conn, actor User, rows []importRow, progress func(done, total int) bool) (ImportResult, error) {
	// data_version changes when another connection commits: if it has not
	// by the time the write lock is held, the directory read here is still
	// the directory.
	before, err := dataVersion(ctx, conn)
	if err != nil {
		return ImportResult{}, err
	}
	known, err := loadServiceKeys(ctx, conn)
	if err != nil {
		return ImportResult{}, err
	}
	res, err := matchImportRows(known, rows)
	if err != nil {
		return ImportResult{}, err
	}
	total := len(rows)
	// Staging is the first half of the progress, publishing the second.
	half := func(done, _ int) bool { return progress == nil || progress(done/2, total) }
	if err := stageImport(ctx, conn, rows, half); err != nil {
		return ImportResult{}, err
	}
	batch, lastID, err := publishHidden(ctx, conn, res.Created, actor.ID, s.stamp(), func(done int) bool {
		return progress == nil || progress(total/2+done*(total-total/2)/max(res.Created, 1), total)
	})
	if batch != 0 && err != nil {
		// Cancelled or failed half-way: nothing was revealed, so take the
		// hidden rows away again (ctx may be the cancelled one).
		if rerr := removeBatch(context.WithoutCancel(ctx), conn, batch); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	if err != nil {
		return ImportResult{}, err
	}
	err = writeTx(ctx, conn, func(tx *sql.Tx) error {
		res.Unchanged = 0
		if now, err := dataVersion(ctx, tx); err != nil {
			return err
		} else if now != before {
			// Another desk wrote something: make sure no entry was added,
			// renamed or given an id since the rows were matched.
			fp, err := readServiceKeys(ctx, tx, nil, idRange{lastID + 1, lastID + int64(res.Created)})
			if err != nil {
				return err
			}
			if fp != known.fingerprint {
				return errDirectoryChanged
			}
		}
		at := s.stamp()
		if batch != 0 {
			// Every hidden row is still there (none was cleared as dead).
			if err := touchBatch(ctx, tx, batch); err != nil {
				return err
			}
			var hidden int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM services WHERE import_batch = ?`, batch).Scan(&hidden); err != nil {
				return err
			}
			if hidden != res.Created {
				return errBatchGone
			}
		}
		if res.Updated > 0 {
			if err := updateFromStaged(ctx, tx, at, actor.ID, &res); err != nil {
				return err
			}
		}
		if batch != 0 {
			// The reveal: one row. The new rows and their search entries
			// are written already; from this commit every reader sees them.
			if _, err := tx.ExecContext(ctx, `UPDATE import_batches SET published = true WHERE id = ?`, batch); err != nil {
				return err
			}
		}
		// One audit event names everything the import did: a row per
		// service would put 150,000 events (and their hashes) inside the
		// write lock that other desks are waiting for.
		var updated sql.NullString
		if res.Updated > 0 { // else no row is changed: no need to read them all (~0.08 s for 150,000 on PostgreSQL)
			if err := tx.QueryRowContext(ctx, `SELECT group_concat(id, ', ') FROM
				(SELECT id FROM temp.service_import WHERE id IS NOT NULL AND changed = 1 ORDER BY id)`).Scan(&updated); err != nil {
				return err
			}
		}
		return audit(ctx, tx, at, actor.ID, "import", "service", 0, importAuditDetail(res.Created, lastID, updated.String))
	})
	if err != nil {
		if batch != 0 {
			if rerr := removeBatch(context.WithoutCancel(ctx), conn, batch); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		return ImportResult{}, err
	}
	if progress != nil {
		progress(total, total) // too late to cancel: it is done
	}
	return res, nil
}

// publishHidden inserts the created rows staged in temp.service_import,
// hidden under a new import batch, importChunk rows per write transaction.
// New entries take the ids after the last, in file order (new_seq), so the
// audit can name them as a range: the first transaction reads the last id
// and inserts the chunk with the highest ids, so a service another desk
// adds meanwhile takes an id after the whole range. It returns the batch
// (0 when nothing is created) and the last id before the range. progress
// hears how many rows are in; false cancels.
func publishHidden(ctx context.Context, conn *sql.Conn, created int, actorID int64, at string, progress func(done int) bool) (batch, lastID int64, err error) {
	if created == 0 {
		return 0, 0, nil
	}
	// SQLite names the index's schema, PostgreSQL the table's.
	index := `CREATE INDEX IF NOT EXISTS temp.service_import_new ON service_import (new_seq)`
	if engineOf(conn) == enginePostgres {
		index = `CREATE INDEX IF NOT EXISTS service_import_new ON temp.service_import (new_seq)`
	}
	if _, err := conn.ExecContext(ctx, index); err != nil {
		return 0, 0, err
	}
	const insert = `INSERT INTO services (id, external_id, name, organisation, categories, description,
		address, postcode, phone, email, website, schedule, cost, is_free, access, eligibility, accessibility, status,
		last_verified_on, created_at, created_by, updated_at, updated_by, import_batch)
		SELECT ? + r.new_seq, r.external_id, r.name, r.organisation, r.categories, r.description, r.address, r.postcode,
			r.phone, r.email, r.website, r.schedule, r.cost, r.is_free, r.access, r.eligibility, r.accessibility, r.status,
			nullif(r.last_verified_on, ''), ?, ?, ?, ?, ?
		FROM temp.service_import r WHERE r.new_seq > ? AND r.new_seq <= ? ORDER BY r.new_seq`
	done, size := 0, importChunk
	for hi, lo := created, 0; hi > 0; hi = lo {
		lo = max(hi-size, 0)
		if batch != 0 {
			// Let a desk that waited for the last chunk in first.
			select {
			case <-ctx.Done():
			case <-time.After(importPause):
			}
		}
		if err := ctx.Err(); err != nil {
			return batch, lastID, err
		}
		if !progress(done) {
			return batch, lastID, ErrImportCancelled
		}
		first := batch == 0
		var began int64
		start := time.Now()
		err := writeTx(ctx, conn, func(tx *sql.Tx) error {
			if first {
				if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM services`).Scan(&lastID); err != nil {
					return err
				}
				var err error
				if began, err = beginBatch(ctx, tx); err != nil {
					return err
				}
				_, err = tx.ExecContext(ctx, insert, lastID, at, nullID(actorID), at, nullID(actorID), began, lo, hi)
				return err
			}
			if err := touchBatch(ctx, tx, batch); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, insert, lastID, at, nullID(actorID), at, nullID(actorID), batch, lo, hi)
			return err
		})
		if err != nil {
			if isUniqueViolation(err) {
				// Another desk gave an entry one of the file's ids since
				// the rows were matched.
				err = errDirectoryChanged
			}
			return batch, lastID, err
		}
		if first {
			batch = began // committed: from now on the rows are there to remove
		}
		done += hi - lo
		size = nextChunk(size, time.Since(start))
	}
	return batch, lastID, nil
}

// importAuditDetail says what an import created (a range of ids: new
// entries take the ids after the last, in file order) and which entries it
// changed.
func importAuditDetail(created int, lastID int64, updatedIDs string) string {
	var parts []string
	if created > 0 {
		parts = append(parts, fmt.Sprintf("created %d (ids %d–%d)", created, lastID+1, lastID+int64(created)))
	}
	if updatedIDs != "" {
		parts = append(parts, fmt.Sprintf("changed %d (ids %s)", strings.Count(updatedIDs, ",")+1, updatedIDs))
	}
	if len(parts) == 0 {
		return "nothing changed"
	}
	return strings.Join(parts, "; ")
}

// dataVersion is SQLite's count of commits by other connections.
func dataVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
	return v, err
}

// updateFromStaged updates the entries the staged rows match. A row the
// entry already matches is left alone: re-importing a feed rewrites (and
// audits) only what changed. A NULL access or status keeps the entry's
// own; an older verified date the newer.
func updateFromStaged(ctx context.Context, tx *sql.Tx, at string, actorID int64, res *ImportResult) error {
	if _, err := tx.ExecContext(ctx, `UPDATE temp.service_import AS r SET changed = 1 FROM services s
		WHERE s.id = r.id AND (r.last_verified_on > coalesce(s.last_verified_on, '') OR
		(s.external_id, s.name, s.organisation, s.categories, s.description, s.address, s.postcode, s.phone, s.email,
			s.website, s.schedule, s.cost, s.is_free, s.access, s.eligibility, s.accessibility, s.status) IS DISTINCT FROM
		(coalesce(r.external_id, s.external_id), r.name, r.organisation, r.categories, r.description, r.address, r.postcode,
			r.phone, r.email, r.website, r.schedule, r.cost, r.is_free, coalesce(r.access, s.access), r.eligibility,
			r.accessibility, coalesce(r.status, s.status)))`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE services SET external_id = coalesce(r.external_id, services.external_id),
		name = r.name, organisation = r.organisation, categories = r.categories, description = r.description,
		address = r.address, postcode = r.postcode, phone = r.phone, email = r.email, website = r.website,
		schedule = r.schedule, cost = r.cost, is_free = r.is_free, access = coalesce(r.access, services.access),
		eligibility = r.eligibility, accessibility = r.accessibility, status = coalesce(r.status, services.status),
		verified_by = CASE WHEN r.last_verified_on > coalesce(services.last_verified_on, '') THEN NULL ELSE services.verified_by END,
		last_verified_on = CASE WHEN r.last_verified_on > coalesce(services.last_verified_on, '') THEN r.last_verified_on
			ELSE services.last_verified_on END,
		updated_at = ?, updated_by = ?
		FROM temp.service_import r WHERE services.id = r.id AND r.changed = 1`, at, nullID(actorID)); err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, `SELECT count(*) FROM temp.service_import WHERE id IS NOT NULL AND changed = 0`).
		Scan(&res.Unchanged)
}

// matchImportRows sets each row's id to the entry it updates, in file
// order (a row may take over an entry without an id, which a later row
// then finds by that id). Two rows for one entry are refused: only one of
// them could win.
func matchImportRows(known *serviceKeys, rows []importRow) (ImportResult, error) {
	var res ImportResult
	var problems []ImportProblem
	claimed := map[int64]string{} // entry → the row that updates it
	nextNew := int64(-1)          // rows created by this file are -1, -2, … while matching
	for i := range rows {
		r := &rows[i]
		id := known.match(r.Service)
		if first, dup := claimed[id]; id != 0 && dup {
			problems = append(problems, ImportProblem{Where: r.where,
				Reason: fmt.Sprintf("%s is the same directory entry (same name and organisation); keep one of the two rows", first)})
			continue
		}
		if id == 0 {
			if r.ExternalID == "" {
				r.ExternalID = newServiceID()
			}
			id = nextNew
			nextNew--
			known.add(id, r.Service)
			res.Created++
		} else {
			known.adopt(id, r.Service)
			res.Updated++
		}
		claimed[id] = r.where
		r.id = max(id, 0) // new rows stay 0

	}
	if len(problems) > 0 {
		return ImportResult{}, &ImportError{Problems: problems}
	}
	return res, nil
}

// stageImport writes the matched rows into a TEMP table, temp.service_import.
func stageImport(ctx context.Context, conn *sql.Conn, rows []importRow, progress func(done, total int) bool) error {
	if _, err := conn.ExecContext(ctx, `DROP TABLE IF EXISTS temp.service_import`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE service_import (
		pos INTEGER PRIMARY KEY, -- the row's place in the file
		id INTEGER,              -- the entry it updates; NULL for a new one
		new_seq INTEGER,         -- new ones: 1, 2, … in file order
		external_id TEXT, name TEXT, organisation TEXT, categories TEXT, description TEXT, address TEXT, postcode TEXT,
		phone TEXT, email TEXT, website TEXT, schedule TEXT, cost TEXT, is_free INTEGER,
		access TEXT, eligibility TEXT, accessibility TEXT,
		status TEXT,             -- access and status: NULL keeps the entry's own
		last_verified_on TEXT,   -- '' when the row has none
		changed INTEGER NOT NULL DEFAULT 0 -- set in the write: an update that changes something
	)`); err != nil {
		return err
	}
	// ReadOnly only makes the driver BEGIN DEFERRED instead of IMMEDIATE:
	// writing this connection's own TEMP table takes no lock on the
	// database file, so other desks carry on while the rows go in.
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO temp.service_import (pos, id, new_seq, external_id, name,
		organisation, categories, description, address, postcode, phone, email, website, schedule, cost, is_free, access,
		eligibility, accessibility, status, last_verified_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insert.Close()
	total, step := len(rows), max(len(rows)/100, 1)
	newSeq := 0
	for i, r := range rows {
		if i%step == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if progress != nil && !progress(i, total) {
				return ErrImportCancelled
			}
		}
		var id, seq, access, status any = nil, nil, r.Access, r.Status
		if r.id == 0 {
			newSeq++
			seq = newSeq
		} else {
			id = r.id
			if r.keepAccess {
				access = nil
			}
			if r.keepStatus {
				status = nil
			}
		}
		if _, err := insert.ExecContext(ctx, i, id, seq, nullText(r.ExternalID), r.Name, r.Organisation,
			strings.Join(r.Categories, ";"), r.Description, r.Address, r.Postcode, r.Phone, r.Email, r.Website, r.Schedule,
			r.Cost, r.IsFree, access, r.Eligibility, r.Accessibility, status, r.LastVerifiedOn); err != nil {
			return fmt.Errorf("%s: %w", r.where, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if progress != nil && !progress(total, total) {
		return ErrImportCancelled
	}
	return nil
}

// serviceKeys is how an import finds existing entries.
type serviceKeys struct {
	byID  map[string]int64 // external id → service
	byKey map[string]int64 // serviceKey → the first service with it
	noID  map[int64]bool   // services without an external id
	// fingerprint is a hash of every entry's id, external id, name and
	// organisation: if it is the same later, so is every match.
	fingerprint uint64
}

func loadServiceKeys(ctx context.Context, q queryer) (*serviceKeys, error) {
	k := &serviceKeys{byID: map[string]int64{}, byKey: map[string]int64{}, noID: map[int64]bool{}}
	fp, err := readServiceKeys(ctx, q, k.add, idRange{})
	k.fingerprint = fp
	return k, err
}

// readServiceKeys passes every entry's id, external id, name and
// organisation to each (may be nil), in id order, and returns their hash.
// Ids from skip.from to skip.to are not read: they are the import's own
// hidden rows (no entry of the directory), which would cost as much to
// read as the rest.
func readServiceKeys(ctx context.Context, q queryer, each func(id int64, sv Service), skip idRange) (uint64, error) {
	h := fnv.New64a()
	var buf []byte
	type part struct {
		cond string
		arg  int64
	}
	parts := []part{{`id <= ?`, math.MaxInt64}}
	if skip != (idRange{}) {
		parts = []part{{`id < ?`, skip.from}, {`id > ?`, skip.to}}
	}
	for _, part := range parts {
		rows, err := q.QueryContext(ctx, `SELECT id, coalesce(external_id, ''), name, organisation FROM services
			WHERE `+part.cond+` AND `+visibleRow+` ORDER BY id`, part.arg)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var id int64
			var sv Service
			if err := rows.Scan(&id, &sv.ExternalID, &sv.Name, &sv.Organisation); err != nil {
				rows.Close()
				return 0, err
			}
			buf = strconv.AppendInt(buf[:0], id, 10)
			buf = append(append(append(append(append(append(buf, 0), sv.ExternalID...), 0), sv.Name...), 0), sv.Organisation...)
			h.Write(append(buf, 0))
			if each != nil {
				each(id, sv)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return h.Sum64(), nil
}

// idRange is the ids from and to, both included; the zero value is none.
type idRange struct{ from, to int64 }

func (k *serviceKeys) add(id int64, sv Service) {
	if sv.ExternalID != "" {
		k.byID[sv.ExternalID] = id
	} else {
		k.noID[id] = true
	}
	if key := serviceKey(sv); k.byKey[key] == 0 {
		k.byKey[key] = id
	}
}

func (k *serviceKeys) match(sv Service) int64 {
	if id, ok := k.byID[sv.ExternalID]; ok && sv.ExternalID != "" {
		return id
	}
	id, ok := k.byKey[serviceKey(sv)]
	if !ok {
		return 0
	}
	// A row with an id of its own only adopts an entry that has none.
	if sv.ExternalID != "" && !k.noID[id] {
		return 0
	}
	return id
}

// adopt records that id now carries the row's external id.
func (k *serviceKeys) adopt(id int64, sv Service) {
	if sv.ExternalID != "" && k.noID[id] {
		delete(k.noID, id)
		k.byID[sv.ExternalID] = id
	}
}
