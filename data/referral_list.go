package data

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// ReferralFilter narrows the referrals list. Zero values do not filter.
type ReferralFilter struct {
	Statuses     []ReferralStatus
	LinkWorkerID int64  // a link worker's caseload
	Source       string // a ReferralSources code
	Reason       string // a ReferralReasons code
	From, To     string // received between these dates, YYYY-MM-DD, inclusive
	Text         string // patient name prefix, NHS number or referrer
}

// Sort columns of the referrals list.
const (
	SortPatient    = "patient"
	SortNHSNumber  = "nhs"
	SortReceived   = "received"
	SortSource     = "source"
	SortStatus     = "status"
	SortLinkWorker = "worker"
	SortWaiting    = "waiting"
	SortActivity   = "activity"
)

// ReferralSort orders the list; the default is newest received first.
type ReferralSort struct {
	Column string
	Desc   bool
}

// ReferralRow is one line of the referrals list.
type ReferralRow struct {
	ID             int64
	PatientID      int64
	PatientName    string // family, given
	NHSNumber      string
	ReceivedOn     string
	Source         string
	Reasons        []string
	Status         ReferralStatus
	LinkWorker     string
	DaysWaiting    int // received → first contact, or → today while waiting, or → the end
	LastActivityAt string
	Priority       string
}

// daysWaiting is in SQL so the list can sort by it; today is a date.
// An episode that ended without a first contact (unable to contact) stops
// waiting when it ended.
const daysWaitingSQL = `CAST(julianday(coalesce(substr(r.first_contact_at, 1, 10),
	CASE WHEN r.status IN ('received', 'contacted', 'accepted', 'active') THEN :today ELSE substr(r.status_changed_at, 1, 10) END))
	- julianday(r.received_on) AS INTEGER)`

// daysWaiting is daysWaitingSQL for one row: received → first contact, or →
// today while open, or → the last change of status; 0 when a date is
// missing or unreadable (where the SQL has NULL).
func daysWaiting(receivedOn string, status ReferralStatus, firstContact, statusChanged *string, today string) int {
	end := statusChanged
	switch {
	case firstContact != nil:
		end = firstContact
	case status == StatusReceived || status == StatusContacted || status == StatusAccepted || status == StatusActive:
		end = &today
	}
	if end == nil {
		return 0
	}
	from, err1 := time.Parse(DateLayout, receivedOn)
	to, err2 := time.Parse(DateLayout, *end)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(to.Sub(from).Hours() / 24)
}

// sortTerms are the ORDER BY terms of each sort column.
var sortTerms = map[string][]string{
	SortPatient:    {`p.family_key`, `p.given_key`},
	SortNHSNumber:  {`p.nhs_number IS NOT NULL`, `p.nhs_number`}, // none first going up, as SQLite sorts NULL; PostgreSQL sorts it last
	SortReceived:   {`r.received_on`},
	SortSource:     {`r.source`},
	SortStatus:     {`CASE r.status WHEN 'received' THEN 1 WHEN 'contacted' THEN 2 WHEN 'accepted' THEN 3 WHEN 'active' THEN 4 WHEN 'closed' THEN 5 WHEN 'declined' THEN 6 ELSE 7 END`},
	SortLinkWorker: {`coalesce(u.full_name, '')`},
	SortWaiting:    {daysWaitingSQL},
	SortActivity:   {`r.last_activity_at`},
}

// where builds the plain WHERE clause and arguments of a filter (the export
// uses it; the tests check the list against it). When skipStatus is set the
// status filter is left out.
func (f ReferralFilter) where(skipStatus bool) (string, []any) {
	var conds []string
	var args []any
	if len(f.Statuses) > 0 && !skipStatus {
		var marks []string
		for _, s := range f.Statuses {
			marks = append(marks, "?")
			args = append(args, string(s))
		}
		conds = append(conds, `r.status IN (`+strings.Join(marks, ", ")+`)`)
	}
	if f.LinkWorkerID != 0 {
		conds = append(conds, `r.link_worker_id = ?`)
		args = append(args, f.LinkWorkerID)
	}
	if f.Source != "" {
		conds = append(conds, `r.source = ?`)
		args = append(args, f.Source)
	}
	if f.Reason != "" {
		conds = append(conds, `r.id IN (SELECT referral_id FROM referral_reasons WHERE reason = ?)`)
		args = append(args, f.Reason)
	}
	if f.From != "" {
		conds = append(conds, `r.received_on >= ?`)
		args = append(args, f.From)
	}
	if f.To != "" {
		conds = append(conds, `r.received_on <= ?`)
		args = append(args, f.To)
	}
	if text := strings.TrimSpace(f.Text); text != "" {
		if dob, ok := wholeDate(text); ok {
			conds = append(conds, `p.date_of_birth = ?`)
			args = append(args, dob)
		} else if compact, ok := nhsPrefix(text); ok {
			conds = append(conds, `p.nhs_number >= ? AND p.nhs_number < ?`)
			args = append(args, compact, prefixEnd(compact))
		} else {
			// Each word typed starts some word of the patient's names
			// ("o bri" finds Pádraig Ó Briain, "mason" Jo Ellis-Mason); a
			// date among them is the date of birth.
			words, dob := nameQuery(text)
			for _, w := range words {
				conds = append(conds, nameWordLike("p."))
				args = append(args, nameWordArgs(w)...)
			}
			if dob != "" {
				conds = append(conds, `p.date_of_birth = ?`)
				args = append(args, dob)
			}
		}
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// nameWordLike tests that a word starts a word of a patient's names, words
// beginning after a space, a hyphen or an apostrophe;
// prefix names the table of the given_key and family_key columns.
// nameWordArgs are its arguments.
func nameWordLike(prefix string) string {
	names := `(' ' || ` + prefix + `given_key || ' ' || ` + prefix + `family_key)`
	return `(` + names + ` LIKE ? ESCAPE '\' OR ` + names + ` LIKE ? ESCAPE '\' OR ` + names + ` LIKE ? ESCAPE '\')`
}

func nameWordArgs(w string) []any {
	e := likeEscaper.Replace(w)
	return []any{"% " + e + "%", "%-" + e + "%", "%'" + e + "%"}
}

// wholeDate is the text as a date of birth, if it is one date and nothing
// else.
func wholeDate(text string) (string, bool) {
	if !looksLikeDate(text) {
		return "", false
	}
	d, err := ParseUKDate(text)
	if err != nil {
		return "", false
	}
	return d.Format(DateLayout), true
}

// ---------------------------------------------------------------------------
// Reading about a page, not the whole table.
//
// The plain query (where and sortTerms, as the export uses) joins every
// matching referral to its patient and sorts them all to keep one page. The
// list instead treats each filter condition as a filterTerm that an index
// can find, and walks an index in each sort order (003_list_indexes.sql).
// For a page it counts the rows each condition's index holds (up to a
// limit), then either
//   - starts from the condition with fewest, reads all it matches and sorts
//     them (a caseload, a name, a month), or
//   - when every condition matches many (or there is none), walks the sort
//     order's index, skips referrals that do not match and stops when the
//     page is full: about page × all ÷ matching rows.
// Reading m matches costs m; walking costs page × all ÷ m; the two meet at
// m = √(page × all), so that is the limit. (A filter whose matches bunch
// at the far end of the sort order walks further than that.)
// A name in the filter has its own walk: referral_name_starts (migrations
// 010, 011) files each referral under the first letters of its patient's
// names, with an index per sort order, so the walk reads about page ÷ the
// share of that start the name matches, whatever the size; a name matching
// at most nameReadAtMost is read whole instead. (A caseload by days
// waiting walks the caseload's own index.)
// The counts above the list come from referral_counts when the filter is
// only statuses, link worker and source; otherwise they count the matches,
// starting from the condition with fewest, and with text in the filter
// only up to TextCountLimit (see CountReferrals).

// readAllLimit, when not 0, replaces that limit (tests force each way).
var readAllLimit = 0

// noLimit asks fewest to find the fewest however many that is.
const noLimit = 1 << 30

// nameReadAtMost is the most matches of a name a page reads and sorts;
// past it the name's start is walked (walkNameStart).
const nameReadAtMost = 400

// TextCountLimit is how far the counts of a filter with text in it go: a
// name or number that matches more is counted as TextCountLimit + 1, so
// that a reload costs what the screen shows, not how many share a letter.
const TextCountLimit = 1000

// filterTerm is one condition of a filter, in the forms the queries need.
type filterTerm struct {
	rows     string // selects the rows its index finds, to count them
	rowsArgs []any
	from     string // a query starting from it: the table it reads, joined to referral r
	find     string // the condition there, which an index can answer
	findArgs []any
	test     string // the condition on a referral r found another way; "" if another term tests it
	testArgs []any
	own      bool // on r's own columns: a walk with a fixed index can use find as it is
	// count, when not "", counts the rows its index finds from a table the
	// triggers keep (referral_counts, referral_month_counts and
	// referral_day_counts), without reading them.
	count     string
	countArgs []any
	// onNames, when not "", is the condition on a referral_names row rn
	// itself (its name keys, its NHS number), for a walk that reads it.
	onNames     string
	onNamesArgs []any
	// start, when not "", is the start referral_name_starts files every
	// referral it matches under (a name's, a number's); startIsMatches: and
	// no other referral (the first digits of a number).
	start          string
	startIsMatches bool
	// byStatus, when not "", is each referral it finds with its status,
	// once, from an index alone (the name filter); its arguments are
	// rowsArgs. byReceived is the same with each one's received date, to
	// sort them by it without reading the referrals.
	byStatus, byReceived string
}

// ownTerm is a condition on the referral's own columns. Its test carries a
// unary + on each column so that SQLite does not start from its index.
func ownTerm(find, test string, args ...any) filterTerm {
	return filterTerm{rows: `SELECT 1 FROM referrals r WHERE ` + find, rowsArgs: args, from: `referrals r`,
		find: find, findArgs: args, test: test, testArgs: args, own: true}
}

// terms are the filter's conditions; skipStatus leaves out the statuses
// (the pipeline counts every status). They mean the same as where.
func (f ReferralFilter) terms(skipStatus bool) []filterTerm {
	var out []filterTerm
	var statuses []any
	if !skipStatus {
		for _, st := range f.Statuses {
			statuses = append(statuses, string(st))
		}
	}
	in := marks(len(statuses))
	counts := func(t filterTerm, where string, args ...any) filterTerm {
		t.count, t.countArgs = `SELECT coalesce(sum(n), 0) FROM referral_counts WHERE `+where, args
		return t
	}
	if len(statuses) > 0 && f.LinkWorkerID != 0 {
		// A caseload: referrals_worker finds both at once. Only a starting
		// point; the two terms below test each.
		args := append([]any{f.LinkWorkerID}, statuses...)
		t := ownTerm(`r.link_worker_id = ? AND r.status IN (`+in+`)`, "", args...)
		out = append(out, counts(t, `link_worker_id = ? AND status IN (`+in+`)`, args...))
	}
	if len(statuses) > 0 {
		t := ownTerm(`r.status IN (`+in+`)`, `+r.status IN (`+in+`)`, statuses...)
		out = append(out, counts(t, `status IN (`+in+`)`, statuses...))
	}
	if f.LinkWorkerID != 0 {
		t := ownTerm(`r.link_worker_id = ?`, `+r.link_worker_id = ?`, f.LinkWorkerID)
		out = append(out, counts(t, `link_worker_id = ?`, f.LinkWorkerID))
	}
	if f.Source != "" {
		t := ownTerm(`r.source = ?`, `+r.source = ?`, f.Source)
		out = append(out, counts(t, `source = ?`, f.Source))
	}
	if f.From != "" || f.To != "" {
		var find, test []string
		var args []any
		if f.From != "" {
			find, test, args = append(find, `r.received_on >= ?`), append(test, `+r.received_on >= ?`), append(args, f.From)
		}
		if f.To != "" {
			find, test, args = append(find, `r.received_on <= ?`), append(test, `+r.received_on <= ?`), append(args, f.To)
		}
		t := ownTerm(strings.Join(find, " AND "), strings.Join(test, " AND "), args...)
		if q, args, ok := periodCounts("", f.From, f.To); ok {
			t.count, t.countArgs = `SELECT coalesce(sum(n), 0) FROM (`+q+`)`, args
		}
		out = append(out, t)
	}
	if f.Reason != "" {
		out = append(out, filterTerm{
			rows: `SELECT 1 FROM referral_reasons WHERE reason = ?`, rowsArgs: []any{f.Reason},
			from: `referral_reasons rr CROSS JOIN referrals r INDEXED BY referrals_narrow ON r.id = rr.referral_id`,
			find: `rr.reason = ?`, findArgs: []any{f.Reason},
			test: `EXISTS (SELECT 1 FROM referral_reasons rr WHERE rr.referral_id = r.id AND rr.reason = ?)`, testArgs: []any{f.Reason},
			count: `SELECT coalesce(sum(n), 0) FROM referral_month_counts WHERE reason = ?`, countArgs: []any{f.Reason}})
	}
	if t, ok := textTerm(f.Text); ok {
		out = append(out, t)
	}
	return out
}

// textTerm is the text filter: a date of birth, the start of an NHS
// number, or words that each start a word of the patient's names, with a
// date of birth among them or not (as where has it). It finds the
// referrals of the patients its covering name indexes match.
func textTerm(text string) (filterTerm, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return filterTerm{}, false
	}
	if dob, ok := wholeDate(text); ok {
		return bornOnTerm(dob, nil), true
	}
	if compact, ok := nhsPrefix(text); ok {
		// From referral_names' copy of the number (migration 010): the
		// matches with their statuses and received dates from one index.
		args := []any{compact, prefixEnd(compact)}
		matches := func(columns string) string {
			return `SELECT ` + columns + ` FROM referral_names WHERE nhs_number >= ? AND nhs_number < ?`
		}
		t := filterTerm{rows: matches(`referral_id`), rowsArgs: args,
			from: `referral_names n CROSS JOIN referrals r ON r.id = n.referral_id`, find: `n.nhs_number >= ? AND n.nhs_number < ?`, findArgs: args,
			test:     `EXISTS (SELECT 1 FROM referral_names n WHERE n.referral_id = r.id AND n.nhs_number >= ? AND n.nhs_number < ?)`,
			testArgs: args, byStatus: matches(`referral_id, status`), byReceived: matches(`referral_id, received_on`),
			onNames: `rn.nhs_number >= ? AND rn.nhs_number < ?`, onNamesArgs: args}
		if n := len(compact); n >= 1 && n <= 4 {
			// Up to four digits are a start that holds just the matches.
			t.start, t.startIsMatches = "#"+compact, true
		}
		return t, true
	}
	words, dob := nameQuery(text)
	if dob != "" {
		return bornOnTerm(dob, words), true
	}
	if len(words) == 0 {
		return filterTerm{}, false
	}
	longest := 0
	for i, w := range words {
		if len(w) > len(words[longest]) {
			longest = i
		}
	}
	// likes tests the words on referral_names' keys, but for the one the
	// place it was found by already says starts a word of the names.
	likes := func(skip int) (string, []any) {
		conds, args := []string{"1 = 1"}, []any{}
		for i, w := range words {
			if i != skip {
				conds, args = append(conds, nameWordLike("")), append(args, nameWordArgs(w)...)
			}
		}
		return strings.Join(conds, " AND "), args
	}
	all, likeArgs := likes(-1)
	others, otherArgs := likes(longest)
	// A later word of a name starts with the longest word up to its first
	// hyphen or apostrophe ("mason-sm" is in ellis-mason-smith's "mason").
	from, to, later := words[longest], prefixEnd(words[longest]), words[longest]
	laterLikes, laterArgs := others, otherArgs
	if i := strings.IndexAny(later, "-'"); i >= 0 {
		later, laterLikes, laterArgs = later[:i], all, likeArgs
	}
	// The referrals whose patient's names match every word, found from
	// where the longest word can be: the start of the family or the given
	// name in referral_names (005), or a later word of either in
	// patient_name_words (008). Each place leaves out what an earlier one
	// found, so that a referral is found once and the counts add up
	// without sorting the matches to drop repeats.
	family := `family_key >= ? AND family_key < ?`
	given := `given_key >= ? AND given_key < ?`
	arms := func(columns string) string {
		return `SELECT ` + columns + ` FROM referral_names WHERE ` + family + ` AND ` + others + `
		UNION ALL SELECT ` + columns + ` FROM referral_names WHERE ` + given + ` AND NOT (` + family + `) AND ` + others + `
		UNION ALL SELECT ` + columns + ` FROM referral_names INDEXED BY referral_names_patient
			WHERE patient_id IN (SELECT w.patient_id FROM patient_name_words w WHERE w.word >= ? AND w.word < ?)
			AND NOT (` + family + `) AND NOT (` + given + `) AND ` + laterLikes
	}
	args := append([]any{from, to}, otherArgs...)
	args = append(append(args, from, to, from, to), otherArgs...)
	args = append(append(args, later, prefixEnd(later), from, to, from, to), laterArgs...)
	referrals := arms(`referral_id`)
	onNames, onNamesArgs := []string{}, []any{}
	for _, w := range words {
		onNames, onNamesArgs = append(onNames, nameWordLike("rn.")), append(onNamesArgs, nameWordArgs(w)...)
	}
	// Every referral found has a word starting with later: its first one
	// or two letters are the start it is filed under (migration 010).
	start := string([]rune(later)[:min(2, len([]rune(later)))])
	return filterTerm{rows: referrals, rowsArgs: args, start: start,
		from: `referrals r`, find: `r.id IN (` + referrals + `)`, findArgs: args,
		test: `EXISTS (SELECT 1 FROM referral_names n WHERE n.referral_id = r.id AND ` + all + `)`, testArgs: likeArgs,
		byStatus: arms(`referral_id, status`), byReceived: arms(`referral_id, received_on`),
		onNames: strings.Join(onNames, " AND "), onNamesArgs: onNamesArgs}, true
}

// bornOnTerm is the text filter of a date of birth and names (none, or
// words each starting a word of them): the referrals of the few patients
// born that day (patients_dob).
func bornOnTerm(dob string, words []string) filterTerm {
	conds, args := []string{`p.date_of_birth = ?`}, []any{dob}
	for _, w := range words {
		conds, args = append(conds, nameWordLike("n.")), append(args, nameWordArgs(w)...)
	}
	where := strings.Join(conds, " AND ")
	from := ` FROM patients p CROSS JOIN referral_names n INDEXED BY referral_names_patient ON n.patient_id = p.id WHERE ` + where
	return filterTerm{rows: `SELECT n.referral_id` + from, rowsArgs: args,
		from: `referrals r`, find: `r.id IN (SELECT n.referral_id` + from + `)`, findArgs: args,
		test: `EXISTS (SELECT 1 FROM referral_names n CROSS JOIN patients p ON p.id = n.patient_id
			WHERE n.referral_id = r.id AND ` + where + `)`, testArgs: args,
		byStatus: `SELECT n.referral_id, n.status` + from, byReceived: `SELECT n.referral_id, n.received_on` + from}
}

// nhsPrefix is the text as the start of an NHS number, if it is one.
// (A whole date, 1961-04-02, is a date of birth.)
func nhsPrefix(text string) (string, bool) {
	if _, ok := wholeDate(text); ok {
		return "", false
	}
	compact := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(text))
	return compact, allDigits(compact)
}

// marks is n comma-separated placeholders.
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// fewest is the term whose index finds fewest rows, and how many, if that
// is at most atMost; -1 if none does. Each count stops at the best so far.
// With one term and no limit there is nothing to choose (and the number is
// not counted).
func (s *Store) fewest(ctx context.Context, terms []filterTerm, atMost int) (int, int, error) {
	if len(terms) == 1 && atMost == noLimit {
		return 0, 0, nil
	}
	best, bestN := -1, atMost+1
	for i, t := range terms {
		q, args := `SELECT count(*) FROM (`+t.rows+` LIMIT ?)`, append(slices.Clone(t.rowsArgs), bestN)
		if t.count != "" {
			q, args = t.count, t.countArgs
		}
		var n int
		if err := s.db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			return 0, 0, err
		}
		if n < bestN {
			best, bestN = i, n
		}
	}
	return best, bestN, nil
}

// readAllAtMost is the most matches a page reads and sorts rather than walk
// the sort order: √(page × all referrals), where the two cost the same.
func (s *Store) readAllAtMost(ctx context.Context, offset, limit int) (int, error) {
	if readAllLimit != 0 {
		return readAllLimit, nil
	}
	var all int
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM referral_counts`).Scan(&all); err != nil {
		return 0, err
	}
	return int(math.Sqrt(float64(max(offset+limit, 1)) * float64(all))), nil
}

// driven is the FROM and WHERE of a query that starts from terms[d] and
// tests the others on each referral it finds.
func driven(terms []filterTerm, d int) (string, []any) {
	conds := []string{terms[d].find}
	args := append([]any{}, terms[d].findArgs...)
	for i, t := range terms {
		if i != d && t.test != "" {
			conds = append(conds, t.test)
			args = append(args, t.testArgs...)
		}
	}
	return ` FROM ` + terms[d].from + ` WHERE ` + strings.Join(conds, " AND "), args
}

// walkConds are the conditions a walk tests on each referral r. Every walk
// names its index, so conditions on r's own columns can stay as they are
// (the walk's index then uses those it can). onNames: the walk reads
// referral_names rn too, so a term that can is tested there.
func walkConds(terms []filterTerm, onNames bool) ([]string, []any) {
	var conds []string
	var args []any
	for _, t := range terms {
		switch {
		case onNames && t.onNames != "":
			conds, args = append(conds, t.onNames), append(args, t.onNamesArgs...)
		case t.test == "":
		case t.own:
			conds, args = append(conds, t.find), append(args, t.findArgs...)
		default:
			conds, args = append(conds, t.test), append(args, t.testArgs...)
		}
	}
	return conds, args
}

// whereAll joins conditions into a WHERE clause ("" for none).
func whereAll(conds ...string) string {
	var nonEmpty []string
	for _, c := range conds {
		if c != "" {
			nonEmpty = append(nonEmpty, c)
		}
	}
	if len(nonEmpty) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(nonEmpty, " AND ")
}

// Days waiting, split as referrals_waited and referrals_still_waiting are.
const (
	waitEndedSQL    = `(r.first_contact_at IS NOT NULL OR r.status NOT IN ('received', 'contacted', 'accepted', 'active'))`
	waitedSQL       = `CAST(julianday(coalesce(substr(r.first_contact_at, 1, 10), substr(r.status_changed_at, 1, 10))) - julianday(r.received_on) AS INTEGER)`
	stillWaitingSQL = `r.first_contact_at IS NULL AND r.status IN ('received', 'contacted', 'accepted', 'active')`
)

// On PostgreSQL the same days by linkwell_day_diff(a, b), which is
// CAST(julianday(a) - julianday(b) AS INTEGER) five times as fast, and
// which its referrals_waited and referrals_open_waited index
// (migrations/postgres/009).
const (
	pgWaitedSQL      = `linkwell_day_diff(coalesce(substr(r.first_contact_at, 1, 10), substr(r.status_changed_at, 1, 10)), r.received_on)`
	pgDaysWaitingSQL = `linkwell_day_diff(coalesce(substr(r.first_contact_at, 1, 10),
	CASE WHEN r.status IN ('received', 'contacted', 'accepted', 'active') THEN :today ELSE substr(r.status_changed_at, 1, 10) END),
	r.received_on)`
)

// statusRankSQL is sortTerms' status order, as referrals_status_order has it.
var statusRankSQL = sortTerms[SortStatus][0]

// query is one SQL statement and its arguments.
type query struct {
	sql  string
	args []any
}

// walk is the list in the sort order as groups that follow one another,
// each a query that walks an index in that order. pageEnd is how many of
// the order the page needs (offset + limit), which a walk that cannot stop
// by itself reads at most.
func (s *Store) walk(ctx context.Context, f ReferralFilter, terms []filterTerm, sort ReferralSort, today string, pageEnd int) ([]query, error) {
	dir := " ASC"
	if sort.Desc {
		dir = " DESC"
	}
	conds, args := walkConds(terms, false)
	w := strings.Join(conds, " AND ")
	one := func(from, order string) []query {
		return []query{{`SELECT r.id FROM ` + from + whereAll(w) + ` ORDER BY ` + order + dir + `, r.id` + dir, args}}
	}
	switch sort.Column {
	case SortPatient:
		// referral_names' name index (005) holds each referral's patient's
		// name keys in the list's order, and only referred patients (a
		// walk of patients in name order probed every one for referrals,
		// most having none); a name or number in the filter is tested on
		// the index entry itself, without reading the referral for it.
		conds, args := walkConds(terms, true)
		return []query{{`SELECT rn.referral_id FROM referral_names rn INDEXED BY referral_names_family
			CROSS JOIN referrals r ON r.id = rn.referral_id` + whereAll(conds...) +
			` ORDER BY rn.family_key` + dir + `, rn.given_key` + dir + `, rn.referral_id` + dir, args}}, nil
	case SortNHSNumber:
		// Patients without an NHS number come first (last going down):
		// their referrals are found walking referrals by id.
		noNumber := query{`SELECT r.id FROM referrals r NOT INDEXED` + whereAll(`EXISTS (SELECT 1 FROM patients p
			INDEXED BY patients_no_nhs WHERE p.id = r.patient_id AND p.nhs_number IS NULL)`, w) + ` ORDER BY r.id` + dir, args}
		numbered := query{`SELECT r.id FROM patients p CROSS JOIN referrals r INDEXED BY referrals_patient ON r.patient_id = p.id` +
			whereAll(`p.nhs_number IS NOT NULL`, w) + ` ORDER BY p.nhs_number` + dir + `, r.id` + dir, args}
		if _, ok := nhsPrefix(f.Text); ok {
			return []query{numbered}, nil // only patients with a number match
		}
		if sort.Desc {
			return []query{numbered, noNumber}, nil
		}
		return []query{noNumber, numbered}, nil
	case SortSource:
		return one(`referrals r INDEXED BY referrals_source_order`, `r.source`), nil
	case SortStatus:
		// The statuses filter, as ranks, keeps the walk to those statuses.
		rank, ranks := "", statusRanks(f.Statuses)
		if len(ranks) > 0 {
			rank = statusRankSQL + ` IN (` + marks(len(ranks)) + `)`
		}
		return []query{{`SELECT r.id FROM referrals r INDEXED BY referrals_status_order` + whereAll(w, rank) +
			` ORDER BY ` + statusRankSQL + dir + `, r.id` + dir, append(append([]any{}, args...), ranks...)}}, nil
	case SortLinkWorker:
		// referrals_worker_order indexes coalesce(link_worker_id, 0), so
		// that only these walks use it (by link_worker_id alone SQLite
		// would prefer it, for its id order, to referrals_worker in other
		// queries).
		return s.walkByWorker(ctx, f, dir, func(ids ...any) query {
			return query{`SELECT r.id FROM referrals r INDEXED BY referrals_worker_order` +
				whereAll(`coalesce(r.link_worker_id, 0) IN (`+marks(len(ids))+`)`, w) + ` ORDER BY r.id` + dir, append(slices.Clone(ids), args...)}
		})
	case SortWaiting:
		// Ended waits from their index, merged with the few still waiting
		// (SQLite merges a compound's arms only at the top level).
		waited, ended := `referrals_waited`, waitEndedSQL
		if caseload(f) {
			// Open referrals only: the worker's own, from their index.
			waited, ended = `referrals_open_waited`, `r.first_contact_at IS NOT NULL AND r.status IN ('received', 'contacted', 'accepted', 'active')`
		}
		if s.engine == enginePostgres {
			// PostgreSQL 15 flattens a UNION ALL of plain queries and then
			// hides each arm's sort key from the planner (a placeholder
			// for the expression), so the ended waits were all read and
			// worked out, then sorted: 120 ms for the 7,500 referrals of
			// the benchmark. An arm with its own ORDER BY and LIMIT is
			// planned on its own: it walks the index and stops at the
			// page's end; the two arms are merged.
			return []query{{`SELECT id, waited FROM ((SELECT r.id, ` + pgWaitedSQL + ` AS waited FROM referrals r` + whereAll(ended, w) + `
				ORDER BY 2` + dir + `, 1` + dir + ` LIMIT ?)
				UNION ALL
				(SELECT r.id, linkwell_day_diff(?, r.received_on) FROM referrals r` + whereAll(stillWaitingSQL, w) + `)) AS waits
				ORDER BY 2` + dir + `, 1` + dir, append(append(slices.Clone(args), pageEnd, today), args...)}}, nil
		}
		return []query{{`SELECT r.id, ` + waitedSQL + ` FROM referrals r INDEXED BY ` + waited + whereAll(ended, w) + `
			UNION ALL
			SELECT r.id, CAST(julianday(?) - julianday(r.received_on) AS INTEGER) FROM referrals r INDEXED BY referrals_still_waiting` +
			whereAll(stillWaitingSQL, w) + `
			ORDER BY 2` + dir + `, 1` + dir, append(append(slices.Clone(args), today), args...)}}, nil
	case SortActivity:
		return one(`referrals r INDEXED BY referrals_activity`, `r.last_activity_at`), nil
	}
	return one(`referrals r INDEXED BY referrals_received`, `r.received_on`), nil
}

// walkWithin walks the sort order's index, as walk does, reading at most
// budget referrals; ok is false if the page is not full by then (and the
// order still goes on). Only the sort orders of one plain index walk so.
func (s *Store) walkWithin(ctx context.Context, terms []filterTerm, sort ReferralSort, offset, limit, budget int) ([]int64, bool, error) {
	index, ok := map[string]string{SortReceived: "referrals_received", SortActivity: "referrals_activity", SortSource: "referrals_source_order"}[sort.Column]
	if !ok || budget < offset+limit {
		return nil, false, nil
	}
	dir := " ASC"
	if sort.Desc {
		dir = " DESC"
	}
	conds, args := walkConds(terms, false)
	match := "1"
	if len(conds) > 0 {
		// CASE, not coalesce(…, 0): on PostgreSQL the conditions are a
		// boolean, which coalesce will not mix with 0.
		match = `CASE WHEN ` + strings.Join(conds, " AND ") + ` THEN 1 ELSE 0 END`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, `+match+` FROM referrals r INDEXED BY `+index+`
		ORDER BY `+sortTerms[sort.Column][0]+dir+`, r.id`+dir+` LIMIT ?`, append(args, budget)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var ids []int64
	read := 0
	for rows.Next() {
		var id int64
		var matches bool
		if err := rows.Scan(&id, &matches); err != nil {
			return nil, false, err
		}
		read++
		if !matches {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if ids = append(ids, id); len(ids) == limit {
			return ids, true, nil
		}
	}
	// The whole order was read within the budget: the page is what was found.
	return ids, read < budget, rows.Err()
}

// caseload reports whether the filter is one link worker's open referrals
// (some or all of the open statuses).
func caseload(f ReferralFilter) bool {
	if f.LinkWorkerID == 0 || len(f.Statuses) == 0 {
		return false
	}
	for _, st := range f.Statuses {
		if !slices.Contains([]ReferralStatus{StatusReceived, StatusContacted, StatusAccepted, StatusActive}, st) {
			return false
		}
	}
	return true
}

// walkByWorker is the list by link worker: group(ids) walks the referrals
// of workers with those ids (0: nobody) by id, and the groups follow the
// workers' names, unassigned first going up, as sortTerms has it.
func (s *Store) walkByWorker(ctx context.Context, f ReferralFilter, dir string, group func(ids ...any) query) ([]query, error) {
	if f.LinkWorkerID != 0 {
		return []query{group(f.LinkWorkerID)}, nil // one worker's: by id
	}
	rows, err := s.db.QueryContext(ctx, `SELECT u.id, u.full_name FROM users u
		WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.link_worker_id = u.id)
		ORDER BY u.full_name, u.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	groups := []query{group(0)} // not assigned
	// Workers with the same name share a group, as they share a sort key.
	var name string
	var ids []any
	flush := func() {
		if len(ids) > 0 {
			groups = append(groups, group(ids...))
		}
	}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		if n != name {
			flush()
			name, ids = n, nil
		}
		ids = append(ids, id)
	}
	flush()
	if dir == " DESC" {
		slices.Reverse(groups)
	}
	return groups, rows.Err()
}

// readGroups reads a page from groups that follow one another in the list.
// A group the page starts after is skipped whole, counting only as far as
// the offset.
func (s *Store) readGroups(ctx context.Context, groups []query, offset, limit int) ([]int64, error) {
	var ids []int64
	for i, g := range groups {
		if len(ids) == limit {
			break
		}
		got, err := s.ids(ctx, g.sql+` LIMIT ? OFFSET ?`, append(slices.Clone(g.args), limit-len(ids), offset)...)
		if err != nil {
			return nil, err
		}
		ids = append(ids, got...)
		if len(got) > 0 {
			offset = 0
		} else if offset > 0 && i < len(groups)-1 {
			var n int
			if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+g.sql+` LIMIT ?)`, append(slices.Clone(g.args), offset)...).Scan(&n); err != nil {
				return nil, err
			}
			offset -= n
		}
	}
	return ids, nil
}

func (s *Store) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []int64
	for rows.Next() {
		// The id is the first column; a walk may carry its sort key after it.
		var id int64
		dest := []any{&id}
		for range columns[1:] {
			dest = append(dest, new(any))
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ListReferrals returns one page of the referrals list, reading about a
// page's worth of rows however large the database (see above).
func (s *Store) ListReferrals(ctx context.Context, sess *Session, f ReferralFilter, sort ReferralSort, offset, limit int) ([]ReferralRow, error) {
	actor, err := s.allow(ctx, sess, OpViewReferralList)
	if err != nil {
		return nil, err
	}
	// Why a patient was referred is part of the case record.
	showReasons := actor.Role.May(OpViewCaseRecord)
	if _, ok := sortTerms[sort.Column]; !ok {
		sort = ReferralSort{Column: SortReceived, Desc: true}
	}
	today := s.now().In(london()).Format(DateLayout)
	ids, err := s.pageIDs(ctx, f, sort, today, offset, limit)
	if err != nil {
		return nil, err
	}
	// A name, NHS number or referrer typed into the filter is a search of
	// patients: recorded once, with the first page (what was searched, not
	// what was found), as SearchPatients records its own.
	if text := strings.TrimSpace(f.Text); text != "" && offset == 0 {
		if err := s.recordRead(ctx, actor, "search", "referral", 0, auditText(text)); err != nil {
			return nil, err
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.referralRows(ctx, ids, today)
	if !showReasons {
		for i := range rows {
			rows[i].Reasons = nil
		}
	}
	return rows, err
}

// pageIDs are the ids of one page of the list, in order.
func (s *Store) pageIDs(ctx context.Context, f ReferralFilter, sort ReferralSort, today string, offset, limit int) ([]int64, error) {
	terms := f.terms(false)
	start := nameStart(terms)
	if sort.Column == SortWaiting && caseload(f) {
		start = "" // a caseload walks its own index (walk)
	}
	// walkPage walks the sort order for the page: the name's start, or
	// the referrals.
	walkPage := func() ([]int64, error) {
		var groups []query
		var err error
		if start != "" {
			groups, err = s.walkNameStart(ctx, f, terms, start, sort, today, offset+limit)
		} else {
			groups, err = s.walk(ctx, f, terms, sort, today, offset+limit)
		}
		if err != nil {
			return nil, err
		}
		return s.readGroups(ctx, groups, offset, limit)
	}
	if start != "" && len(terms) == 1 && terms[0].startIsMatches {
		// The referrals under the start are the matches: walked, the page.
		return walkPage()
	}
	readAtMost := func() (int, error) {
		if start != "" && readAllLimit == 0 {
			return nameReadAtMost, nil
		}
		return s.readAllAtMost(ctx, offset, limit)
	}
	if len(terms) == 1 && terms[0].byReceived != "" && sort.Column == SortReceived {
		// A name or number alone, in the list's default order: its matches
		// with their received dates from referral_names' indexes, sorted here,
		// and only the page's referrals read (referralRows). Past as many
		// as reading them costs, the received order is walked instead.
		atMost, err := readAtMost()
		if err != nil {
			return nil, err
		}
		if ids, ok, err := s.sortedByReceived(ctx, terms[0], sort.Desc, atMost, offset, limit); err != nil || ok {
			return ids, err
		}
		// More than that: walked, from the name's start or the received order.
		return walkPage()
	}
	d, n := -1, 0
	if len(terms) > 0 && !(sort.Column == SortWaiting && caseload(f) && readAllLimit == 0) {
		// (A caseload by days waiting always walks its own index.)
		atMost, err := readAtMost()
		if err != nil {
			return nil, err
		}
		if d, n, err = s.fewest(ctx, terms, atMost); err != nil {
			return nil, err
		}
	}
	if d >= 0 && terms[d].own && readAllLimit == 0 {
		// Matches of a condition on the referral's own columns often
		// bunch at the start of the sort order (open referrals are the
		// newest, a range of dates lies together): a walk that meets the
		// page within the n rows reading them all would cost is used
		// instead. (A reason or a name is no guide to where they lie.)
		ids, ok, err := s.walkWithin(ctx, terms, sort, offset, limit, n)
		if err != nil || ok {
			return ids, err
		}
	}
	if d < 0 {
		return walkPage()
	}
	// Few enough to read them all (MATERIALIZED: before any sorting), then
	// sort them as the plain query does.
	dir := " ASC"
	if sort.Desc {
		dir = " DESC"
	}
	keys := sortTerms[sort.Column]
	if sort.Column == SortWaiting && s.engine == enginePostgres {
		keys = []string{pgDaysWaitingSQL}
	}
	id := "r.id"
	if sort.Column == SortPatient || sort.Column == SortNHSNumber {
		id = "m.id"
	}
	order := strings.Join(append(slices.Clone(keys), id), dir+", ") + dir
	from, args := driven(terms, d)
	found := `SELECT r.id` + from
	if len(terms) == 1 && terms[0].byReceived != "" {
		// A name or number alone: its referrals' ids from the index, not
		// each referral read first to give its own id.
		found, args = `SELECT referral_id AS id FROM (`+terms[0].rows+`) AS found`, slices.Clone(terms[0].rowsArgs)
	}
	q := `WITH m AS MATERIALIZED (` + found + `)
		SELECT r.id FROM m CROSS JOIN referrals r ON r.id = m.id`
	switch sort.Column {
	case SortPatient, SortNHSNumber:
		// The patient's name keys and NHS number, as p: referral_names has
		// them (005, 010), a table a tenth the size of patients, and
		// nothing else of the referral is needed.
		q = `WITH m AS MATERIALIZED (` + found + `)
		SELECT m.id FROM m CROSS JOIN referral_names p ON p.referral_id = m.id`
	case SortLinkWorker:
		q += ` LEFT JOIN users u ON u.id = r.link_worker_id`
	case SortWaiting:
		args = append(args, today)
	}
	q += ` ORDER BY ` + strings.ReplaceAll(order, ":today", "?") + ` LIMIT ? OFFSET ?`
	return s.ids(ctx, q, append(args, limit, offset)...)
}

// nameStart is the start the filter's name is filed under in
// referral_name_starts, "" when it has no name (or one with no start).
func nameStart(terms []filterTerm) string {
	for _, t := range terms {
		if t.start != "" {
			return t.start
		}
	}
	return ""
}

// walkNameStart is the list from referral_name_starts (migrations 010,
// 011): the referrals filed under the name's start, in the sort order by
// that order's index, each tested against every term of the filter.
// pageEnd is as walk has it.
func (s *Store) walkNameStart(ctx context.Context, f ReferralFilter, terms []filterTerm, start string, sort ReferralSort, today string, pageEnd int) ([]query, error) {
	dir := " ASC"
	if sort.Desc {
		dir = " DESC"
	}
	// A start that holds just its term's matches needs no test of them
	// (nor may it have one: PostgreSQL's generic plan then joined every
	// match to test it before the walk).
	var tested []filterTerm
	for _, t := range terms {
		if !t.startIsMatches || t.start != start {
			tested = append(tested, t)
		}
	}
	conds, args := walkConds(tested, false)
	from := func(index string) string {
		if index != "" {
			index = ` INDEXED BY referral_name_starts_` + index
		}
		return ` FROM referral_name_starts s` + index + ` CROSS JOIN referrals r ON r.id = s.referral_id`
	}
	where := func(more ...string) string {
		return whereAll(append(append([]string{`s.start = ?`}, more...), conds...)...)
	}
	startArgs := func(more ...any) []any { return append(append([]any{start}, more...), args...) }
	// one walks index in the order of key (then id), where more holds.
	one := func(index, key string, more string, moreArgs ...any) []query {
		order := `s.referral_id` + dir
		if key != "" {
			order = key + dir + `, ` + order
		}
		return []query{{`SELECT s.referral_id` + from(index) + where(more) + ` ORDER BY ` + order, startArgs(moreArgs...)}}
	}
	switch sort.Column {
	case SortPatient:
		return one("patient", `s.family_key`+dir+`, s.given_key`, ""), nil
	case SortNHSNumber:
		// No number first going up (last going down), each part by its
		// index: PostgreSQL's index has NULL last, SQLite's first.
		numbered := one("nhs", `s.nhs_number`, `s.nhs_number IS NOT NULL`)
		if _, ok := nhsPrefix(f.Text); ok {
			return numbered, nil // only patients with a number match
		}
		none := one("nhs", ``, `s.nhs_number IS NULL`)
		if sort.Desc {
			return append(numbered, none...), nil
		}
		return append(none, numbered...), nil
	case SortSource:
		return one("source", `s.source`, ""), nil
	case SortStatus:
		// The statuses filter, as ranks, keeps the walk to those statuses.
		ranks := statusRanks(f.Statuses)
		if len(ranks) == 0 {
			return one("status", `s.status_rank`, ""), nil
		}
		return one("status", `s.status_rank`, `s.status_rank IN (`+marks(len(ranks))+`)`, ranks...), nil
	case SortActivity:
		return one("activity", `s.last_activity_at`, ""), nil
	case SortLinkWorker:
		return s.walkByWorker(ctx, f, dir, func(ids ...any) query {
			return query{`SELECT s.referral_id` + from("worker") + where(`s.worker IN (`+marks(len(ids))+`)`) +
				` ORDER BY s.referral_id` + dir, startArgs(ids...)}
		})
	case SortWaiting:
		// Ended waits by their days, merged with the few still waiting, as
		// walk has them on referrals.
		ended := `SELECT s.referral_id, s.waited` + from("waited") + where(`s.still_waiting = 0`)
		still := `SELECT s.referral_id, CAST(julianday(?) - julianday(s.received_on) AS INTEGER)` + from("waited") + where(`s.still_waiting = 1`)
		if s.engine == enginePostgres {
			still = `SELECT s.referral_id, linkwell_day_diff(?, s.received_on)` + from("waited") + where(`s.still_waiting = 1`)
			return []query{{`SELECT referral_id, waited FROM ((` + ended + ` ORDER BY 2` + dir + `, 1` + dir + ` LIMIT ?) UNION ALL (` + still + `)) AS waits
				ORDER BY 2` + dir + `, 1` + dir, append(append(startArgs(), pageEnd, today), startArgs()...)}}, nil
		}
		return []query{{ended + ` UNION ALL ` + still + ` ORDER BY 2` + dir + `, 1` + dir, append(append(startArgs(), today), startArgs()...)}}, nil
	}
	return one("", `s.received_on`, ""), nil
}

// statusRanks are the statuses' places in the list's status order (1:
// received), none unless every one is known.
func statusRanks(statuses []ReferralStatus) []any {
	var ranks []any
	for _, st := range statuses {
		if i := slices.Index(ReferralStatuses, st); i >= 0 {
			ranks = append(ranks, i+1)
		}
	}
	if len(ranks) < len(statuses) {
		return nil
	}
	return ranks
}

// sortedByReceived is one page of t's matches by received date (then id),
// read from t.byReceived; ok is false when t matches more than atMost.
func (s *Store) sortedByReceived(ctx context.Context, t filterTerm, desc bool, atMost, offset, limit int) ([]int64, bool, error) {
	type match struct {
		id       int64
		received string
	}
	rows, err := s.db.QueryContext(ctx, `SELECT referral_id, received_on FROM (`+t.byReceived+`) AS m LIMIT ?`,
		append(slices.Clone(t.rowsArgs), max(atMost+1, 0))...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var all []match
	for rows.Next() {
		var m match
		if err := rows.Scan(&m.id, &m.received); err != nil {
			return nil, false, err
		}
		all = append(all, m)
	}
	if err := rows.Err(); err != nil || len(all) > atMost {
		return nil, false, err
	}
	slices.SortFunc(all, func(a, b match) int {
		c := strings.Compare(a.received, b.received)
		if c == 0 {
			c = cmp.Compare(a.id, b.id)
		}
		if desc {
			return -c
		}
		return c
	})
	var ids []int64
	for _, m := range all[min(offset, len(all)):min(offset+limit, len(all))] {
		ids = append(ids, m.id)
	}
	return ids, true, nil
}

// referralRows reads the list's rows of the given referrals, in that order.
func (s *Store) referralRows(ctx context.Context, ids []int64, today string) ([]ReferralRow, error) {
	var args []any
	for _, id := range ids {
		args = append(args, id)
	}
	// Days waiting is daysWaitingSQL worked out here from its columns: on
	// PostgreSQL julianday() (migrations/postgres/001) was most of the
	// page's time.
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.patient_id, p.family_name || ', ' || p.given_name, coalesce(p.nhs_number, ''),
			r.received_on, r.source, (SELECT group_concat(reason, ';') FROM referral_reasons rr WHERE rr.referral_id = r.id),
			r.status, coalesce(u.full_name, ''), substr(r.first_contact_at, 1, 10), substr(r.status_changed_at, 1, 10),
			r.last_activity_at, r.priority
		FROM referrals r
		JOIN patients p ON p.id = r.patient_id
		LEFT JOIN users u ON u.id = r.link_worker_id
		WHERE r.id IN (`+marks(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]ReferralRow{}
	for rows.Next() {
		var r ReferralRow
		var reasons, firstContact, statusChanged *string
		if err := rows.Scan(&r.ID, &r.PatientID, &r.PatientName, &r.NHSNumber, &r.ReceivedOn, &r.Source, &reasons, &r.Status,
			&r.LinkWorker, &firstContact, &statusChanged, &r.LastActivityAt, &r.Priority); err != nil {
			return nil, err
		}
		r.DaysWaiting = daysWaiting(r.ReceivedOn, r.Status, firstContact, statusChanged, today)
		if reasons != nil {
			r.Reasons = strings.Split(*reasons, ";")
			sortByChoices(r.Reasons, ReferralReasons)
		}
		byID[r.ID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]ReferralRow, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok { // gone since the page was read: left out
			out = append(out, r)
		}
	}
	return out, nil
}

// tableCounts is a query of (status, n) rows that counts the filter's
// referrals in each status from the tables the triggers keep, or "" when
// they cannot: referral_counts when the filter is only statuses, link
// worker and source; referral_month_counts and referral_day_counts when it
// is only statuses, a reason and received dates. skipStatus leaves out the
// filter's statuses.
func (f ReferralFilter) tableCounts(skipStatus bool) (string, []any) {
	var statuses []any
	if !skipStatus {
		for _, st := range f.Statuses {
			statuses = append(statuses, string(st))
		}
	}
	if strings.TrimSpace(f.Text) != "" {
		return "", nil // counted up to a limit (textMatches)
	}
	if f.Reason == "" && f.From == "" && f.To == "" {
		var conds []string
		var args []any
		if len(statuses) > 0 {
			conds, args = append(conds, `status IN (`+marks(len(statuses))+`)`), append(args, statuses...)
		}
		if f.LinkWorkerID != 0 {
			conds, args = append(conds, `link_worker_id = ?`), append(args, f.LinkWorkerID)
		}
		if f.Source != "" {
			conds, args = append(conds, `source = ?`), append(args, f.Source)
		}
		return `SELECT status, sum(n) AS n FROM referral_counts` + whereAll(conds...) + ` GROUP BY status HAVING sum(n) > 0`, args
	}
	if f.LinkWorkerID != 0 || f.Source != "" {
		return "", nil
	}
	q, args, ok := periodCounts(f.Reason, f.From, f.To)
	if !ok {
		return "", nil
	}
	where := ""
	if len(statuses) > 0 {
		where, args = ` WHERE status IN (`+marks(len(statuses))+`)`, append(args, statuses...)
	}
	return `SELECT status, sum(n) AS n FROM (` + q + `)` + where + ` GROUP BY status HAVING sum(n) > 0`, args
}

// periodCounts is a query of (status, n) rows whose sums by status count
// the referrals with the reason ("": any) received from from to to
// (YYYY-MM-DD, inclusive; "": no limit): whole months from
// referral_month_counts, the days of a month begun or ended part-way from
// referral_day_counts. ok is false when a date is not a date.
func periodCounts(reason, from, to string) (q string, args []any, ok bool) {
	const monthLayout = "2006-01"
	var f, t time.Time
	var err error
	if from != "" {
		if f, err = time.Parse(DateLayout, from); err != nil || f.Format(DateLayout) != from {
			return "", nil, false
		}
	}
	if to != "" {
		if t, err = time.Parse(DateLayout, to); err != nil || t.Format(DateLayout) != to {
			return "", nil, false
		}
	}
	monthFrom, monthTo := "", "9999-99"
	var days [][2]string
	if from != "" && to != "" && from > to {
		return `SELECT status, n FROM referral_month_counts WHERE false`, nil, true
	}
	firstOf := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC) }
	lastOf := func(d time.Time) time.Time { return firstOf(d).AddDate(0, 1, -1) }
	fromWhole := from == "" || f.Day() == 1
	toWhole := to == "" || t.Equal(lastOf(t))
	switch {
	case from != "" && to != "" && f.Format(monthLayout) == t.Format(monthLayout) && !(fromWhole && toWhole):
		// Part of one month: its days.
		monthFrom, monthTo = "9999-99", ""
		days = append(days, [2]string{from, to})
	default:
		if from != "" {
			monthFrom = f.Format(monthLayout)
			if !fromWhole {
				days = append(days, [2]string{from, lastOf(f).Format(DateLayout)})
				monthFrom = firstOf(f).AddDate(0, 1, 0).Format(monthLayout)
			}
		}
		if to != "" {
			monthTo = t.Format(monthLayout)
			if !toWhole {
				days = append(days, [2]string{firstOf(t).Format(DateLayout), to})
				monthTo = firstOf(t).AddDate(0, -1, 0).Format(monthLayout)
			}
		}
	}
	parts := []string{`SELECT status, n FROM referral_month_counts WHERE reason = ? AND month >= ? AND month <= ?`}
	args = []any{reason, monthFrom, monthTo}
	for _, d := range days {
		parts = append(parts, `SELECT status, n FROM referral_day_counts WHERE reason = ? AND day >= ? AND day <= ?`)
		args = append(args, reason, d[0], d[1])
	}
	return strings.Join(parts, " UNION ALL "), args, true
}

// countFrom is the FROM and WHERE that count the filter's referrals,
// starting from the condition with fewest.
func (s *Store) countFrom(ctx context.Context, f ReferralFilter, skipStatus bool) (string, []any, error) {
	terms := f.terms(skipStatus)
	d, _, err := s.fewest(ctx, terms, noLimit)
	from, args := driven(terms, max(d, 0))
	return from, args, err
}

// CountReferrals is the number of referrals matching the filter. With
// text in the filter (a name, an NHS number) it counts at most
// TextCountLimit + 1: more than TextCountLimit is all it says then.
func (s *Store) CountReferrals(ctx context.Context, sess *Session, f ReferralFilter) (int, error) {
	if _, err := s.allow(ctx, sess, OpViewReferralList); err != nil {
		return 0, err
	}
	var q string
	var args []any
	switch {
	case f.HasText():
		matches, matchArgs, err := s.textMatches(ctx, f, false)
		if err != nil {
			return 0, err
		}
		q, args = `SELECT count(*) FROM (`+matches+` LIMIT ?) AS counted`, append(matchArgs, TextCountLimit+1)
	default:
		q, args = f.tableCounts(false)
		if q != "" {
			q = `SELECT coalesce(sum(n), 0) FROM (` + q + `)`
		} else {
			var from string
			var err error
			if from, args, err = s.countFrom(ctx, f, false); err != nil {
				return 0, err
			}
			q = `SELECT count(*)` + from
		}
	}
	var n int
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// StatusCounts counts the referrals matching the filter in each status,
// ignoring the filter's own statuses: the pipeline above the list. With
// text in the filter and more than TextCountLimit matches (of any status)
// they are not counted: the map is nil.
func (s *Store) StatusCounts(ctx context.Context, sess *Session, f ReferralFilter) (map[ReferralStatus]int, error) {
	if _, err := s.allow(ctx, sess, OpViewReferralList); err != nil {
		return nil, err
	}
	var q string
	var args []any
	if f.HasText() {
		// Each match's status, up to one past the limit, counted here.
		matches, matchArgs, err := s.textMatches(ctx, f, true)
		if err != nil {
			return nil, err
		}
		rows, err := s.db.QueryContext(ctx, matches+` LIMIT ?`, append(matchArgs, TextCountLimit+1)...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out, read := map[ReferralStatus]int{}, 0
		for rows.Next() {
			var st ReferralStatus
			if err := rows.Scan(&st); err != nil {
				return nil, err
			}
			out[st]++
			read++
		}
		if err := rows.Err(); err != nil || read > TextCountLimit {
			return nil, err
		}
		return out, nil
	}
	q, args = f.tableCounts(true)
	if q == "" {
		from, fromArgs, err := s.countFrom(ctx, f, true)
		if err != nil {
			return nil, err
		}
		// +r.status: grouping must not tempt SQLite to walk referrals_status.
		q, args = `SELECT r.status, count(*)`+from+` GROUP BY +r.status`, fromArgs
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[ReferralStatus]int{}
	for rows.Next() {
		var st ReferralStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// HasText reports whether the filter has text (a name, a date of birth or
// an NHS number), which is counted only up to TextCountLimit.
func (f ReferralFilter) HasText() bool {
	_, ok := textTerm(f.Text)
	return ok
}

// OverLimit reports whether n, the filter's CountReferrals, says only
// "more than TextCountLimit".
func (f ReferralFilter) OverLimit(n int) bool { return n > TextCountLimit && f.HasText() }

// PipelineCounted reports whether StatusCounts counts the pipeline of the
// filter when CountReferrals says n: not when its text matches more than
// TextCountLimit (statuses aside: the pipeline ignores them), so a screen
// need not ask.
func (f ReferralFilter) PipelineCounted(n int) bool { return !f.OverLimit(n) || len(f.Statuses) > 0 }

// textMatches is a query of the status of each referral matching a filter
// with text in it, once, from the indexes alone where the text is the
// whole filter (but statuses), to be read up to a limit. skipStatus leaves
// out the filter's statuses.
func (s *Store) textMatches(ctx context.Context, f ReferralFilter, skipStatus bool) (string, []any, error) {
	t, _ := textTerm(f.Text)
	if t.byStatus != "" && f.LinkWorkerID == 0 && f.Source == "" && f.Reason == "" && f.From == "" && f.To == "" {
		args := slices.Clone(t.rowsArgs)
		where := ""
		if !skipStatus && len(f.Statuses) > 0 {
			where = ` WHERE status IN (` + marks(len(f.Statuses)) + `)`
			for _, st := range f.Statuses {
				args = append(args, string(st))
			}
		}
		return `SELECT status FROM (` + t.byStatus + `) AS matches` + where, args, nil
	}
	// Otherwise from the condition with fewest, each counted only up to
	// the limit; the text when every one has more.
	terms := f.terms(skipStatus)
	d, _, err := s.fewest(ctx, terms, TextCountLimit)
	if d < 0 {
		d = len(terms) - 1 // terms has the text last
	}
	from, args := driven(terms, d)
	return `SELECT r.status` + from, args, err
}

// London is the practice's time zone.
func London() *time.Location { return london() }

// london is Europe/London, where every date on screen is (time/tzdata is
// embedded, so it loads on every system).
var london = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
})
