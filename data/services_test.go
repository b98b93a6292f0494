package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// seedDirectory saves a small directory and returns the services by name.
func seedDirectory(t *testing.T, s *Store, actor User) map[string]Service {
	t.Helper()
	out := map[string]Service{}
	for _, sv := range []Service{
		{Name: "Hebden Walking Group", Organisation: "Calder Ramblers", Categories: []string{"walking", "exercise"},
			Description: "Gentle two-mile walks along the canal", Postcode: "hx7 8ab", IsFree: true, Access: "drop_in"},
		{Name: "Café Conversation", Organisation: "Age UK Calderdale", Categories: []string{"befriending"},
			Description: "A cuppa and a chat every week", Postcode: "HX1 2CD", Cost: "£1 for tea", Access: "self_refer"},
		{Name: "Money Matters", Organisation: "Citizens Advice Halifax", Categories: []string{"debt and benefits advice"},
			Description: "Help with debts, benefits and Universal Credit forms", Postcode: "HX10 1ZZ", IsFree: true, Access: "needs_referral"},
		{Name: "Sing for Your Brain", Organisation: "Alzheimer's Society", Categories: []string{"choirs", "dementia"},
			Description: "Singing for people living with dementia and their carers", Postcode: "LS11 5AB", Cost: "£2", Status: "paused"},
	} {
		saved, err := s.SaveService(context.Background(), s.session(actor), sv)
		if err != nil {
			t.Fatalf("save %s: %v", sv.Name, err)
		}
		out[sv.Name] = saved
	}
	return out
}

func TestSaveServiceValidatesEveryField(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	in := Service{Categories: []string{"walking", "knitting"}, Postcode: "not a postcode", Phone: "12", Email: "nope",
		Website: "not a site", Access: "by pigeon", Status: "gone"}
	out, err := s.SaveService(context.Background(), s.session(admin), in)
	v, ok := FieldErrors(err)
	if !ok {
		t.Fatalf("want a validation error, got %v", err)
	}
	for _, field := range []string{"Name", "Categories", "Postcode", "Phone", "Email", "Website", "Access", "Status"} {
		if v.For(field) == "" {
			t.Errorf("no message for %s (%v)", field, err)
		}
	}
	if !strings.Contains(v.For("Categories"), "knitting") {
		t.Errorf("categories message should name the bad one: %q", v.For("Categories"))
	}
	if out.Postcode != "not a postcode" {
		t.Errorf("the typed service was changed: %+v", out)
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM services`).Scan(&n)
	if n != 0 {
		t.Errorf("%d services saved", n)
	}
}

func TestSaveServiceCreatesAndUpdates(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	sv, err := s.SaveService(ctx, s.session(admin), Service{Name: "  Knit and  Natter ", Organisation: "St Mary's", Categories: []string{"Befriending", "ARTS", "arts"},
		Postcode: "hx1 1aa", Phone: "01422  123456", Email: " knit@example.org ", Website: "stmarys.example.org/knit",
		Access: "Drop in", IsFree: true})
	if err != nil {
		t.Fatal(err)
	}
	if sv.ID == 0 || sv.Name != "Knit and Natter" || sv.Postcode != "HX1 1AA" || sv.Phone != "01422 123456" ||
		sv.Email != "knit@example.org" || sv.Website != "https://stmarys.example.org/knit" || sv.Access != "drop_in" ||
		sv.Status != "active" || sv.Cost != "Free" || strings.Join(sv.Categories, ";") != "befriending;arts" {
		t.Errorf("saved as %+v", sv)
	}
	if len(sv.ExternalID) != 36 {
		t.Errorf("a new service gets a UUID for exchange, got %q", sv.ExternalID)
	}
	if sv.LastVerifiedOn != "" || !IsStale(sv, s.now()) {
		t.Errorf("a new entry is unverified: %+v", sv)
	}

	sv.Description = "Bring your own needles"
	sv.Status = "paused"
	updated, err := s.SaveService(ctx, s.session(admin), sv)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Service(ctx, s.sessionFor(OpViewDirectory), sv.ID)
	if err != nil || got.Description != "Bring your own needles" || got.Status != "paused" || got.ExternalID != sv.ExternalID {
		t.Errorf("after update: %+v %v", got, err)
	}
	if Prescribable(got) {
		t.Error("a paused service cannot be prescribed")
	}

	// A save made from an old copy is refused, and nothing is lost.
	stale := sv
	stale.UpdatedAt = "2000-01-01T00:00:00Z"
	if _, err := s.SaveService(ctx, s.session(admin), stale); !errors.Is(err, ErrChangedElsewhere) {
		t.Errorf("old copy: %v", err)
	}
	if _, err := s.SaveService(ctx, s.session(admin), updated); err != nil {
		t.Errorf("saving the fresh copy: %v", err)
	}
	if _, err := s.Service(ctx, s.sessionFor(OpViewDirectory), 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing service: %v", err)
	}
	var audits int
	s.db.QueryRow(`SELECT count(*) FROM audit_events WHERE entity = 'service' AND entity_id = ?`, sv.ID).Scan(&audits)
	if audits != 3 {
		t.Errorf("%d audit events, want 3", audits)
	}
}

func serviceNames(list []Service) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Name)
	}
	return out
}

func TestSearchServices(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	seedDirectory(t, s, admin)
	search := func(q ServiceQuery) []string {
		t.Helper()
		list, total, err := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), q, 0, 50)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if total != len(list) {
			t.Errorf("%+v: total %d, listed %d", q, total, len(list))
		}
		return serviceNames(list)
	}
	cases := []struct {
		q    ServiceQuery
		want string
	}{
		{ServiceQuery{}, "Café Conversation,Hebden Walking Group,Money Matters,Sing for Your Brain"},
		{ServiceQuery{Text: "wal"}, "Hebden Walking Group"},        // prefix of a name word
		{ServiceQuery{Text: "rambl"}, "Hebden Walking Group"},      // organisation
		{ServiceQuery{Text: "canal"}, "Hebden Walking Group"},      // description
		{ServiceQuery{Text: "benef adv"}, "Money Matters"},         // category words, every word must match
		{ServiceQuery{Text: "cafe"}, "Café Conversation"},          // accents ignored
		{ServiceQuery{Text: "CAFÉ CONV"}, "Café Conversation"},     // and case
		{ServiceQuery{Text: "alzheimer's"}, "Sing for Your Brain"}, // apostrophe
		{ServiceQuery{Text: `"walk* (:^`}, "Hebden Walking Group"}, // FTS syntax is just text
		{ServiceQuery{Text: `OR NEAR( AND`}, ""},                   // and so are its keywords
		{ServiceQuery{Text: "  -  "}, "Café Conversation,Hebden Walking Group,Money Matters,Sing for Your Brain"},
		{ServiceQuery{Text: "zzz"}, ""},
		{ServiceQuery{Category: "dementia"}, "Sing for Your Brain"},
		{ServiceQuery{Category: "exercise", Text: "gentle"}, "Hebden Walking Group"},
		{ServiceQuery{Cost: CostFree}, "Hebden Walking Group,Money Matters"},
		{ServiceQuery{Cost: CostPaid}, "Café Conversation,Sing for Your Brain"},
		{ServiceQuery{Access: "needs_referral"}, "Money Matters"},
		{ServiceQuery{Status: "active"}, "Café Conversation,Hebden Walking Group,Money Matters"},
		{ServiceQuery{Status: "paused"}, "Sing for Your Brain"},
		{ServiceQuery{PostcodeArea: "hx"}, "Café Conversation,Hebden Walking Group,Money Matters"},
		{ServiceQuery{PostcodeArea: "HX1"}, "Café Conversation"}, // not HX10
		{ServiceQuery{PostcodeArea: "HX10"}, "Money Matters"},
		{ServiceQuery{PostcodeArea: "L"}, ""}, // not LS11
		{ServiceQuery{PostcodeArea: "LS"}, "Sing for Your Brain"},
		{ServiceQuery{PostcodeArea: "hx7 8"}, "Hebden Walking Group"},
		{ServiceQuery{Stale: true, Text: "money"}, "Money Matters"},
	}
	for _, c := range cases {
		if got := strings.Join(search(c.q), ","); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.q, got, c.want)
		}
	}
	// Paging: the total counts every match.
	page, total, err := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), ServiceQuery{}, 1, 2)
	if err != nil || total != 4 || strings.Join(serviceNames(page), ",") != "Hebden Walking Group,Money Matters" {
		t.Errorf("page: %v %d %v", serviceNames(page), total, err)
	}
	// A name match ranks above a description match.
	s.SaveService(ctx, s.session(admin), Service{Name: "Walk and Talk", Description: "Walking for health"})
	if got := search(ServiceQuery{Text: "talk"}); len(got) == 0 || got[0] != "Walk and Talk" {
		t.Errorf("ranking: %v", got)
	}
	for _, bad := range []ServiceQuery{{Category: "knitting"}, {Cost: "cheap"}, {Access: "x"}, {Status: "x"}, {PostcodeArea: "H%"}} {
		if _, _, err := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), bad, 0, 10); err == nil {
			t.Errorf("%+v accepted", bad)
		} else if _, ok := FieldErrors(err); !ok {
			t.Errorf("%+v: %v is not a validation error", bad, err)
		}
	}
}

func TestStaleServicesAndMarkVerified(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	admin := setUpPractice(t, s)
	dir := seedDirectory(t, s, admin)
	today := s.now() // 25/11/2026
	// Verified 364 days ago: fresh. Exactly a year ago: stale.
	s.db.Exec(`UPDATE services SET last_verified_on = '2025-11-26' WHERE id = ?`, dir["Café Conversation"].ID)
	s.db.Exec(`UPDATE services SET last_verified_on = '2025-11-25' WHERE id = ?`, dir["Money Matters"].ID)
	s.db.Exec(`UPDATE services SET status = 'closed' WHERE id = ?`, dir["Sing for Your Brain"].ID)

	stale, err := s.StaleServices(ctx, s.sessionFor(OpViewDirectory), today)
	if err != nil {
		t.Fatal(err)
	}
	// Never verified first, then oldest; closed services left out.
	if got := strings.Join(serviceNames(stale), ","); got != "Hebden Walking Group,Money Matters" {
		t.Errorf("stale: %s", got)
	}
	cafe, _ := s.Service(ctx, s.sessionFor(OpViewDirectory), dir["Café Conversation"].ID)
	if IsStale(cafe, today) || !IsStale(cafe, today.AddDate(0, 0, 1)) {
		t.Errorf("café verified %s: stale rule wrong", cafe.LastVerifiedOn)
	}
	if _, total, _ := s.SearchServices(ctx, s.sessionFor(OpViewDirectory), ServiceQuery{Stale: true}, 0, 10); total != 3 {
		t.Errorf("stale filter found %d, want 3 (closed included when not filtered out)", total)
	}

	walk, err := s.MarkVerified(ctx, s.session(admin), dir["Hebden Walking Group"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if walk.LastVerifiedOn != "2026-11-25" || walk.VerifiedBy != "Ada Admin" || IsStale(walk, today) {
		t.Errorf("after MarkVerified: %+v", walk)
	}
	// Verifying is not an edit: a form opened before it still saves.
	if _, err := s.SaveService(ctx, s.session(admin), dir["Hebden Walking Group"]); err != nil {
		t.Errorf("save after verify: %v", err)
	}
	stale, _ = s.StaleServices(ctx, s.sessionFor(OpViewDirectory), today)
	if got := strings.Join(serviceNames(stale), ","); got != "Money Matters" {
		t.Errorf("stale after verifying: %s", got)
	}
	if _, err := s.MarkVerified(ctx, s.session(admin), 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("verify missing: %v", err)
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM audit_events WHERE action = 'verify' AND entity = 'service'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d verify audit events", n)
	}

}

func TestOnlyDirectoryKeepersEditIt(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	ctx := context.Background()
	gp, err := s.CreateUser(ctx, s.session(admin), NewUser{Username: "gp", FullName: "Dr Grace Price", Role: RoleGP, Password: "gp password 1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveService(ctx, s.session(gp), Service{Name: "Knit and Natter"}); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a GP added a service: %v", err)
	}
	sv, err := s.SaveService(ctx, s.session(admin), Service{Name: "Knit and Natter"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkVerified(ctx, s.session(gp), sv.ID); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a GP verified a service: %v", err)
	}
	if _, err := s.ImportServices(ctx, s.session(gp), []ServiceImport{{Service: Service{Name: "Sing Out"}, Where: "line 2"}}, nil); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a GP imported services: %v", err)
	}
}
