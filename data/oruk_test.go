package data

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// orukFixture is the published Open Referral UK example (testdata/oruk at
// the repository root).
func orukFixture(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join("..", "testdata", "oruk", "service_full.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		abs, _ := filepath.Abs(path)
		t.Fatalf("the Open Referral UK example is missing: %v (looked for %s)", err, abs)
	}
	return raw
}

func serviceCount(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM services`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func importJSON(t *testing.T, s *Store, actor User, src string) (ImportResult, error) {
	t.Helper()
	rows, err := ParseServicesJSON(strings.NewReader(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return s.ImportServices(context.Background(), s.session(actor), rows, nil)
}

func TestImportORUKExample(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	raw := orukFixture(t)
	res, err := importJSON(t, s, admin, string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if res != (ImportResult{Created: 1}) {
		t.Errorf("result %+v", res)
	}
	all, _ := s.AllServices(ctx, s.sessionFor(OpViewDirectory))
	if len(all) != 1 {
		t.Fatalf("%d services", len(all))
	}
	got := all[0]
	want := Service{
		ID: got.ID, ExternalID: "ac148810-d857-441c-9679-408f346de14b", Name: "Community Counselling",
		Organisation: "Example Organization Inc.",
		Description:  "Counselling Services provided by trained professionals. Suitable for people with mental health conditions such as anxiety, depression, or eating disorders as well as people experiencing difficult life events and circumstances.",
		// The example's postal code is not a UK postcode: it stays in the address.
		Address:  "MyCity Civic Center, 1-30 Main Street, MyCity, ABC 1234",
		Email:    "email@example.com",
		Website:  "http://example.com/counselling",
		Schedule: "The service is available from 10 am to 6pm weekdays. The service is not available on public holidays.",
		Cost:     "Under 18s and Over 60s: £35 per 1 hour session",
		Access:   "self_refer", Eligibility: "Ages 12 to 100",
		Accessibility:  "The building is equipped with induction loops for hearing aids. Wheelchair access is possible on all levels. Switch hearing aid to T-coil to access the induction loop facility.",
		Status:         "active",
		LastVerifiedOn: "2005-01-01",
		UpdatedAt:      got.UpdatedAt,
	}
	if !sameService(got, want) {
		t.Errorf("imported\n%+v\nwant\n%+v", got, want)
	}
	if !IsStale(got, s.now()) {
		t.Error("assured in 2005: stale")
	}
	// Its taxonomy term ("name") maps to no category; it is still found.
	if list, _, _ := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), ServiceQuery{Text: "counsel"}, 0, 10); len(list) != 1 {
		t.Errorf("search: %v", serviceNames(list))
	}

	// The same feed again updates in place.
	changed := strings.Replace(string(raw), `"name": "Community Counselling"`, `"name": "Community Counselling Service"`, 1)
	res, err = importJSON(t, s, admin, changed)
	if err != nil || res != (ImportResult{Updated: 1}) {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	if n := serviceCount(t, s); n != 1 {
		t.Errorf("%d services after re-import", n)
	}
	again, _ := s.Service(ctx, s.sessionFor(OpViewDirectory), got.ID)
	if again.Name != "Community Counselling Service" {
		t.Errorf("name not updated: %q", again.Name)
	}
}

// sameService compares everything but the read-only fields.
func sameService(a, b Service) bool {
	return reflect.DeepEqual(comparable(a), comparable(b))
}

func comparable(s Service) Service {
	s.ID, s.VerifiedBy, s.UpdatedAt = 0, "", ""
	if len(s.Categories) == 0 {
		s.Categories = nil
	}
	return s
}

const orukTwo = `[
  {
    "id": "walk-1", "name": "Hebden Bridge Health Walk", "description": "A gentle walk by the canal",
    "status": "active", "application_process": "Just turn up at the start",
    "organization": {"id": "o1", "name": "Calderdale Council"},
    "contacts": [{"name": "Jo", "phones": [{"number": "01422 392 000"}]}],
    "schedules": [{"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00:00", "closes_at": "12:00:00"}],
    "service_at_locations": [{"location": {"name": "Town Hall", "addresses": [
      {"address_1": "St George's Street", "city": "Hebden Bridge", "postal_code": "hx7 7bY", "address_type": "physical"}]}}],
    "cost_options": [{"option": "", "amount": 0}],
    "attributes": [{"taxonomy_term": {"name": "Walking groups"}}, {"taxonomy_term": {"name": "Physical activity"}},
                   {"taxonomy_term": {"name": "Something unheard of"}}],
    "assured_date": "2026-06-01"
  },
  {
    "id": 42, "name": "Memory Café", "status": "temporarily closed",
    "phones": [{"number": "+44 1422 555 010"}],
    "schedules": [{"byday": "1MO", "opens_at": "14:00", "closes_at": "16:00"}],
    "cost_options": [{"option": "Per session", "amount": "2.5"}],
    "service_taxonomys": [{"taxonomy": {"name": "Dementia support"}}],
    "minimum_age": 18
  }
]`

func TestImportORUKArrayAndPage(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	if res, err := importJSON(t, s, admin, orukTwo); err != nil || res.Created != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	list, _, _ := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), ServiceQuery{}, 0, 10)
	walk, cafe := list[0], list[1]
	if walk.Name != "Hebden Bridge Health Walk" {
		walk, cafe = cafe, walk
	}
	if walk.Organisation != "Calderdale Council" || walk.Phone != "01422 392 000" || walk.Schedule != "Tuesdays 10:00–12:00" ||
		walk.Address != "Town Hall, St George's Street, Hebden Bridge" || walk.Postcode != "HX7 7BY" || !walk.IsFree ||
		walk.Cost != "Free" || walk.Access != "drop_in" || strings.Join(walk.Categories, ";") != "walking;exercise" ||
		walk.LastVerifiedOn != "2026-06-01" {
		t.Errorf("walk: %+v", walk)
	}
	if cafe.ExternalID != "42" || cafe.Status != "paused" || cafe.Phone != "+44 1422 555 010" ||
		cafe.Schedule != "First Monday of the month 14:00–16:00" || cafe.Cost != "Per session: £2.50" || cafe.IsFree ||
		strings.Join(cafe.Categories, ";") != "dementia" || cafe.Eligibility != "Ages 18 and over" || Prescribable(cafe) {
		t.Errorf("café: %+v", cafe)
	}

	// One page of the HSDS 3 API, holding the same services, one changed:
	// both are updated, the other one left as it was.
	page := `{"total_items": 2, "total_pages": 1, "page_number": 1, "size": 2, "first_page": true, "last_page": true,
		"empty": false, "contents": ` + strings.Replace(orukTwo, "A gentle walk", "A brisk walk", 1) + `}`
	res, err := importJSON(t, s, admin, page)
	if err != nil || res != (ImportResult{Updated: 2, Unchanged: 1}) {
		t.Fatalf("page: %+v %v", res, err)
	}
	if n := serviceCount(t, s); n != 2 {
		t.Errorf("%d services", n)
	}
	if list, _, _ := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), ServiceQuery{Text: "brisk"}, 0, 10); len(list) != 1 {
		t.Errorf("page update not found: %v", serviceNames(list))
	}
	// A single object that is a page of a new feed.
	res, err = importJSON(t, s, admin, `{"contents": [{"id": "x1", "name": "Foodbank"}], "total_items": 1}`)
	if err != nil || res.Created != 1 {
		t.Errorf("small page: %+v %v", res, err)
	}
}

func TestImportORUKBadItemsImportNothing(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	src := `[
		{"id": "a", "name": "Fine"},
		{"id": "b", "description": "no name"},
		{"id": "c", "name": "Bad", "email": "not-an-email", "status": "sleeping", "url": "nowhere"},
		{"id": "d", "name": ["a", "list"]},
		{"id": "a", "name": "Same id as the first"},
		{"id": "f", "name": "Future", "assured_date": "2099-01-01"}
	]`
	_, err := importJSON(t, s, admin, src)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want *ImportError, got %v", err)
	}
	want := map[string]string{"item 1": "name", "item 2": "email", "item 3": "name should be text", "item 4": "item 0", "item 5": "future"}
	if len(ie.Problems) != len(want) {
		t.Errorf("problems: %v", ie)
	}
	for _, p := range ie.Problems {
		if !strings.Contains(p.Reason, want[p.Where]) {
			t.Errorf("%s: %q should mention %q", p.Where, p.Reason, want[p.Where])
		}
	}
	if r := ie.Problems[1].Reason; !strings.Contains(r, "status") || !strings.Contains(r, "website") {
		t.Errorf("item 2 should list every reason: %q", r)
	}
	if n := serviceCount(t, s); n != 0 {
		t.Errorf("%d services imported from a bad file", n)
	}
	for _, bad := range []string{"", "  ", "not json", `{"name": `, `[]`, `{"contents": 5}`} {
		if _, err := ParseServicesJSON(strings.NewReader(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestScheduleWords(t *testing.T) {
	for _, c := range []struct {
		sc   orukSchedule
		want string
	}{
		{orukSchedule{ByDay: "MO,TU,WE,TH,FR", OpensAt: "09:00:00", ClosesAt: "17:00:00"}, "Mondays to Fridays 09:00–17:00"},
		{orukSchedule{ByDay: "TU,TH"}, "Tuesdays and Thursdays"},
		{orukSchedule{ByDay: "SU,MO,WE,TH,FR"}, "Mondays, Wednesdays to Fridays and Sundays"},
		{orukSchedule{ByDay: "-1FR", OpensAt: "19:30"}, "Last Friday of the month 19:30"},
		{orukSchedule{Freq: "DAILY", OpensAt: "08:00", ClosesAt: "20:00"}, "Daily 08:00–20:00"},
		{orukSchedule{Description: "Term time only", ByDay: "MO"}, "Term time only"},
		{orukSchedule{}, ""},
	} {
		if got := c.sc.words(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.sc, got, c.want)
		}
	}
}

// fullDirectory saves services using every field, one verified today.
func fullDirectory(t *testing.T, s *Store, actor User) []Service {
	t.Helper()
	ctx := context.Background()
	for _, sv := range []Service{
		{Name: "Siân's Knit & Natter", Organisation: "Capel Bethel", Categories: []string{"arts", "befriending"},
			Description: "Knitting, chat and cake.\nAll welcome.", Address: "Bethel Chapel, 3 Mill Lane, Halifax", Postcode: "HX1 1AA",
			Phone: "+44 1422 123456", Email: "knit@example.org", Website: "https://bethel.example.org/knit",
			Schedule: "Tuesdays 10:00–12:00", Cost: "Donations welcome", IsFree: true, Access: "drop_in",
			Eligibility: "Adults", Accessibility: "Step-free; hearing loop", Status: "active"},
		{Name: "=Formula, \"quoted\"", Organisation: "-Dash Org", Categories: []string{"debt and benefits advice"},
			Cost: "£3 a session", Access: "needs_referral", Status: "paused", Description: "@mention"},
		{Name: "Closed Club", Status: "closed", Access: "self_refer"},
	} {
		if _, err := s.SaveService(ctx, s.session(actor), sv); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := s.AllServices(ctx, s.sessionFor(OpViewDirectory))
	if _, err := s.MarkVerified(ctx, s.session(actor), all[0].ID); err != nil {
		t.Fatal(err)
	}
	all, _ = s.AllServices(ctx, s.sessionFor(OpViewDirectory))
	return all
}

func TestServicesJSONRoundTrip(t *testing.T) {
	testRoundTrip(t, WriteServicesJSON, ParseServicesJSON)
}

func testRoundTrip(t *testing.T, write func(w io.Writer, services []Service) error, parse func(r io.Reader) ([]ServiceImport, error)) {
	ctx := context.Background()
	a := newStore(t)
	admin := setUpPractice(t, a)
	orig := fullDirectory(t, a, admin)
	var buf bytes.Buffer
	if err := write(&buf, orig); err != nil {
		t.Fatal(err)
	}
	// Into another practice's directory: the same services.
	b := newStore(t)
	adminB := setUpPractice(t, b)
	rows, err := parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := b.ImportServices(ctx, b.session(adminB), rows, nil); err != nil || res.Created != len(orig) {
		t.Fatalf("%+v %v", res, err)
	}
	got, _ := b.AllServices(ctx, b.sessionFor(OpViewDirectory))
	if len(got) != len(orig) {
		t.Fatalf("%d services, want %d", len(got), len(orig))
	}
	for i := range orig {
		if !sameService(got[i], orig[i]) {
			t.Errorf("round trip changed\n%+v\ninto\n%+v", orig[i], got[i])
		}
	}
	// Back into the same directory: matched in place, nothing added, and
	// nothing rewritten as nothing changed.
	rows, _ = parse(bytes.NewReader(buf.Bytes()))
	if res, err := a.ImportServices(ctx, a.session(admin), rows, nil); err != nil || res.Created != 0 || res.Updated != len(orig) || res.Unchanged != len(orig) {
		t.Errorf("re-import: %+v %v", res, err)
	}
	again, _ := a.AllServices(ctx, a.sessionFor(OpViewDirectory))
	if len(again) != len(orig) || again[0].VerifiedBy != "Ada Admin" {
		t.Errorf("after re-import: %d services, verified by %q", len(again), again[0].VerifiedBy)
	}
}
