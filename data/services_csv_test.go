package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func importCSV(t *testing.T, s *Store, actor User, src string) (ImportResult, error) {
	t.Helper()
	rows, err := ParseServicesCSV(strings.NewReader(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return s.ImportServices(context.Background(), s.session(actor), rows, nil)
}

func TestImportServicesCSV(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	// Columns in any order, some left out; a byte-order mark; a quoted
	// cell over two lines; labels and UK dates as a spreadsheet has them.
	src := "\ufeffName,Categories,External_ID,access,free,cost,last_verified,postcode,description\r\n" +
		"Hebden Walking Group,Walking; exercise,w1,Drop in,,Free,03/07/2026,hx7 8ab,\"Canal walks,\nevery Tuesday\"\r\n" +
		"Money Matters,debt and benefits advice,m1,needs_referral,no,£0 but bring ID,,HX1 1AA,Debt help\r\n"
	res, err := importCSV(t, s, admin, src)
	if err != nil || res != (ImportResult{Created: 2, Encoding: EncodingUTF8}) {
		t.Fatalf("%+v %v", res, err)
	}
	list, _, _ := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), ServiceQuery{}, 0, 10)
	walk, money := list[0], list[1]
	if walk.Name != "Hebden Walking Group" || walk.ExternalID != "w1" || strings.Join(walk.Categories, ";") != "walking;exercise" ||
		walk.Access != "drop_in" || !walk.IsFree || walk.LastVerifiedOn != "2026-07-03" || walk.Postcode != "HX7 8AB" ||
		walk.Description != "Canal walks,\nevery Tuesday" || walk.Status != "active" {
		t.Errorf("walk: %+v", walk)
	}
	if money.IsFree || money.Access != "needs_referral" || money.LastVerifiedOn != "" {
		t.Errorf("money: %+v", money)
	}

	// Re-import: updated in place. Blank access keeps the entry's own; an
	// older verified date does not replace a newer one.
	src = "external_id,name,categories,access,last_verified,description\n" +
		"w1,Hebden Walking Group,walking,,2025-01-01,Hill walks now\n" +
		"m1,Money Matters Halifax,debt and benefits advice,self_refer,2026-11-01,Debt help\n"
	res, err = importCSV(t, s, admin, src)
	if err != nil || res != (ImportResult{Updated: 2, Encoding: EncodingUTF8}) {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	if n := serviceCount(t, s); n != 2 {
		t.Errorf("%d services after re-import", n)
	}
	walk, _ = s.Service(ctx, s.sessionFor(OpViewDirectory), walk.ID)
	money, _ = s.Service(ctx, s.sessionFor(OpViewDirectory), money.ID)
	if walk.Description != "Hill walks now" || walk.Access != "drop_in" || walk.LastVerifiedOn != "2026-07-03" ||
		strings.Join(walk.Categories, ";") != "walking" {
		t.Errorf("walk after re-import: %+v", walk)
	}
	if money.Name != "Money Matters Halifax" || money.Access != "self_refer" || money.LastVerifiedOn != "2026-11-01" {
		t.Errorf("money after re-import: %+v", money)
	}
	// One audit event an import, naming what it created and changed.
	var details []string
	rows, _ := s.db.Query(`SELECT detail FROM audit_events WHERE action = 'import' AND entity = 'service' ORDER BY id`)
	for rows.Next() {
		var d string
		rows.Scan(&d)
		details = append(details, d)
	}
	rows.Close()
	want := []string{"created 2 (ids 1–2)", fmt.Sprintf("changed 2 (ids %d, %d)", min(walk.ID, money.ID), max(walk.ID, money.ID))}
	if !slices.Equal(details, want) {
		t.Errorf("import audit events %q, want %q", details, want)
	}

	// Rows without an id update the entry with the same name and organisation.
	res, err = importCSV(t, s, admin, "name,organisation,description\nKnit and Natter,St Mary's,Wool\n")
	if err != nil || res.Created != 1 {
		t.Fatal(res, err)
	}
	res, err = importCSV(t, s, admin, "name,organisation,description\nKNIT AND NATTER,St Mary’s,More wool\n")
	if err != nil || res != (ImportResult{Updated: 1, Encoding: EncodingUTF8}) || serviceCount(t, s) != 3 {
		t.Errorf("no-id re-import: %+v %v", res, err)
	}
}

func TestImportServicesCSVBadRowsImportNothing(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	src := "name,categories,postcode,phone,free,status,last_verified,external_id\n" + // line 1
		"Fine,walking,HX1 1AA,01422 123456,yes,active,2026-01-01,a\n" + // 2
		",walking,,,,,,b\n" + // 3: no name
		"\"Two\nlines\",knitting;walking,XX,12,maybe,asleep,31/02/2026,c\n" + // 4-5: five problems
		"Short row\n" + // 6
		"\n" + // 7: blank, skipped
		"Dup,,,,,,,a\n" // 8: repeats line 2's id
	_, err := importCSV(t, s, admin, src)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want *ImportError, got %v", err)
	}
	var where []string
	for _, p := range ie.Problems {
		where = append(where, p.Where)
	}
	if got := strings.Join(where, ","); got != "line 3,line 4,line 6,line 8" {
		t.Errorf("bad rows at %s\n%v", got, err)
	}
	for _, want := range []string{"knitting", "postcode", "phone", "free", "status", "last_verified"} {
		if !strings.Contains(ie.Problems[1].Reason, want) {
			t.Errorf("line 4 should mention %s: %s", want, ie.Problems[1].Reason)
		}
	}
	if !strings.Contains(ie.Problems[3].Reason, "line 2") {
		t.Errorf("line 8: %s", ie.Problems[3].Reason)
	}
	if n := serviceCount(t, s); n != 0 {
		t.Errorf("%d services imported from a bad file", n)
	}
	for name, bad := range map[string]string{
		"empty":          "",
		"header only":    "name,postcode\n",
		"unknown column": "name,colour\nx,red\n",
		"no name column": "organisation\nx\n",
		"broken quotes":  "name\n\"unterminated\nx\n",
	} {
		if _, err := ParseServicesCSV(strings.NewReader(bad)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestImportCancelRollsBack(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	var b strings.Builder
	b.WriteString("name\n")
	for i := range 500 {
		b.WriteString("Service " + strings.Repeat("x", i%7) + string(rune('A'+i%26)) + " " + strconv.Itoa(i) + "\n")
	}
	rows, err := ParseServicesCSV(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	_, err = s.ImportServices(context.Background(), s.session(admin), rows, func(done, total int) bool {
		calls++
		if total != 500 || done > total {
			t.Errorf("progress %d/%d", done, total)
		}
		return done < 250
	})
	if !errors.Is(err, ErrImportCancelled) {
		t.Fatalf("cancel: %v", err)
	}
	if n := serviceCount(t, s); n != 0 {
		t.Errorf("%d services left after cancelling", n)
	}
	last := 0
	res, err := s.ImportServices(context.Background(), s.session(admin), rows, func(done, total int) bool { last = done; return true })
	if err != nil || res.Created != 500 || last != 500 {
		t.Errorf("full import: %+v %v, last progress %d", res, err, last)
	}
}

func TestServicesCSVRoundTrip(t *testing.T) {
	testRoundTrip(t, WriteServicesCSV, ParseServicesCSV)
}

// Entries written before external ids (the demo's) are adopted by a
// re-import of their own export, not duplicated.
func TestReimportAdoptsEntriesWithoutID(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	if _, err := s.db.Exec(`INSERT INTO services (name, organisation, created_at, updated_at) VALUES ('Old Club', 'Old Org', 'x', 'x')`); err != nil {
		t.Fatal(err)
	}
	all, _ := s.AllServices(ctx, s.sessionFor(OpViewDirectory))
	for _, format := range []struct {
		write func(w io.Writer, services []Service) error
		parse func(r io.Reader) ([]ServiceImport, error)
	}{{WriteServicesJSON, ParseServicesJSON}, {WriteServicesCSV, ParseServicesCSV}} {
		var buf bytes.Buffer
		format.write(&buf, all)
		rows, err := format.parse(&buf)
		if err != nil {
			t.Fatal(err)
		}
		// The first import gives the entry its id; the second finds it so.
		if res, err := s.ImportServices(ctx, s.session(admin), rows, nil); err != nil || res.Created != 0 || res.Updated != 1 {
			t.Errorf("%+v %v", res, err)
		}
	}
	if n := serviceCount(t, s); n != 1 {
		t.Errorf("%d services", n)
	}
	if now, _ := s.AllServices(ctx, s.sessionFor(OpViewDirectory)); now[0].ExternalID != exportID(all[0]) {
		t.Errorf("external id %q, want %q", now[0].ExternalID, exportID(all[0]))
	}
}
