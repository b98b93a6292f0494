package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// signInAs switches the demo world to another demo account.
func (dw *diaryWorld) signInAs(t *testing.T, username string) data.User {
	t.Helper()
	u, err := userNamed(t, dw.store, username)
	if err != nil {
		t.Fatal(err)
	}
	dw.a.SignedIn(as(t, dw.a.store, u))
	dw.user = u
	return u
}

// openDirectory shows the directory as the practice manager.
func openDirectory(t *testing.T) (*diaryWorld, *DirectoryScreen) {
	t.Helper()
	dw := newDiaryWorld(t)
	dw.signInAs(t, "manager")
	dw.a.Show("Directory")
	if dw.a.directory == nil || dw.a.Current() != "Directory" {
		t.Fatal("the practice manager cannot open the directory")
	}
	return dw, dw.a.directory
}

func serviceCount(t *testing.T, store *data.Store) int {
	t.Helper()
	_, n, err := store.SearchServices(context.Background(), sessionFor(t, store, data.OpViewDirectory), data.ServiceQuery{}, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDirectorySearchFilterAndVerify(t *testing.T) {
	dw, s := openDirectory(t)
	ctx := context.Background()
	all := serviceCount(t, dw.store)
	if s.Total() != all || all == 0 {
		t.Fatalf("the directory shows %d of %d services", s.Total(), all)
	}

	// A stale entry, found by the start of a word of its name typed into
	// the search box.
	stale, err := dw.store.StaleServices(ctx, sessionFor(t, dw.store, data.OpViewDirectory), dw.store.Now())
	if err != nil || len(stale) == 0 {
		t.Fatalf("the demo has no stale services: %v", err)
	}
	target := stale[0]
	word := strings.Fields(target.Name)[0]
	prefix := string([]rune(word)[:min(4, len([]rune(word)))])
	test.Type(s.search, prefix)
	row := slices.IndexFunc(s.Results(), func(sv data.Service) bool { return sv.ID == target.ID })
	if row < 0 {
		t.Fatalf("typing %q did not find %q (%d results)", prefix, target.Name, len(s.Results()))
	}
	if !strings.Contains(s.staleList.Text, "Stale entries (") {
		t.Errorf("the manager has no stale entries button: %q", s.staleList.Text)
	}

	// Open it, mark it verified: it is no longer stale and says who and when.
	s.table.Select(widget.TableCellID{Row: row, Col: 0})
	if s.loaded.ID != target.ID || s.name.Text != target.Name {
		t.Fatalf("the form shows %q", s.name.Text)
	}
	if !strings.Contains(s.verified.Text, "Stale") {
		t.Errorf("a stale entry does not say so: %q", s.verified.Text)
	}
	before := len(stale)
	test.Tap(s.verify)
	got, _ := dw.store.Service(ctx, sessionFor(t, dw.store, data.OpViewDirectory), target.ID)
	if data.IsStale(got, dw.store.Now()) {
		t.Fatalf("still stale after Mark verified today: %+v", got)
	}
	today := dw.store.Now().Format("02/01/2006")
	if !strings.Contains(s.verified.Text, today) || !strings.Contains(s.verified.Text, "Helen Redfern") ||
		strings.Contains(s.verified.Text, "Stale") {
		t.Errorf("verified line: %q", s.verified.Text)
	}
	if want := "Stale entries (" + thousands(before-1) + ")"; s.staleList.Text != want && target.Status != "closed" {
		t.Errorf("stale button %q, want %q", s.staleList.Text, want)
	}

	// A bad e-mail is shown beside its field; nothing typed is lost and
	// nothing is saved.
	s.email.SetText("")
	test.Type(s.email, "x@")
	s.schedule.SetText("Mondays 09:00")
	test.Tap(s.save)
	var emailField *field
	for _, f := range s.fields {
		if f.name == "Email" {
			emailField = f
		}
	}
	if !emailField.err.Visible() || emailField.err.Text == "" {
		t.Errorf("no message beside the e-mail field (%q)", s.message.Text)
	}
	if s.email.Text != "x@" || s.schedule.Text != "Mondays 09:00" {
		t.Error("typing lost after an error")
	}
	if got, _ := dw.store.Service(ctx, sessionFor(t, dw.store, data.OpViewDirectory), target.ID); got.Email == "x@" || got.Schedule == "Mondays 09:00" {
		t.Error("a bad entry was saved")
	}

	// The category filter narrows the list to that category.
	s.ClearFilters()
	cat := target.Categories[0]
	s.category.SetSelected(cat)
	if s.Total() == 0 || s.Total() >= all {
		t.Fatalf("category %q: %d of %d", cat, s.Total(), all)
	}
	for _, sv := range s.Results() {
		if !slices.Contains(sv.Categories, cat) {
			t.Fatalf("%q is not in %q: %v", sv.Name, cat, sv.Categories)
		}
	}
	// The stale list lists only stale entries.
	s.ClearFilters()
	s.ToggleStaleList()
	for _, sv := range s.Results() {
		if !data.IsStale(sv, dw.store.Now()) {
			t.Fatalf("%q is in the stale list but was verified %s", sv.Name, sv.LastVerifiedOn)
		}
	}
}

func TestDirectoryNewServiceSaved(t *testing.T) {
	dw, s := openDirectory(t)
	test.Tap(s.newButton)
	test.Type(s.name, "Canal Walkers")
	test.Type(s.organisation, "Calder Ramblers")
	s.categories["walking"].SetChecked(true)
	s.categories["exercise"].SetChecked(true)
	test.Type(s.postcodeEntry, "hx1 2ab")
	s.free.SetChecked(true)
	test.Tap(s.save)
	if s.loaded.ID == 0 {
		t.Fatalf("not saved: %q", s.message.Text)
	}
	got, _ := dw.store.Service(context.Background(), sessionFor(t, dw.store, data.OpViewDirectory), s.loaded.ID)
	if got.Name != "Canal Walkers" || !slices.Equal(got.Categories, []string{"walking", "exercise"}) || got.Postcode != "HX1 2AB" {
		t.Errorf("saved %+v", got)
	}
	// Found by postcode area.
	s.ClearFilters()
	test.Type(s.postcode, "HX1")
	if !slices.ContainsFunc(s.Results(), func(sv data.Service) bool { return sv.ID == got.ID }) {
		t.Errorf("postcode area HX1 did not find it (%d results, %q)", len(s.Results()), s.filterMsg.Text)
	}
}

func TestDirectoryImportAndExport(t *testing.T) {
	dw, s := openDirectory(t)
	dir := t.TempDir()
	before := serviceCount(t, dw.store)

	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("name,organisation,categories,email\n"+
		"Knit and Natter,Hope Centre,befriending,knit@example.org\n"+
		"Bad Club,Hope Centre,walking,x@\n"), 0o644)
	s.ImportFile(bad)
	if msg := s.LastImport(); !strings.Contains(msg, "line 3") || !strings.Contains(msg, "nothing was imported") {
		t.Errorf("bad file report: %q", msg)
	}
	if n := serviceCount(t, dw.store); n != before {
		t.Fatalf("a bad file changed the directory: %d → %d", before, n)
	}

	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("name,organisation,categories,email\n"+
		"Knit and Natter,Hope Centre,befriending,knit@example.org\n"+
		"Tuesday Walk,Hope Centre,walking,walk@example.org\n"), 0o644)
	s.ImportFile(good)
	if msg := s.LastImport(); !strings.Contains(msg, "2 new, 0 updated") {
		t.Errorf("good file report: %q", msg)
	}
	if n := serviceCount(t, dw.store); n != before+2 {
		t.Fatalf("after import %d services, want %d", n, before+2)
	}
	if s.Total() != before+2 {
		t.Errorf("the list shows %d, want %d", s.Total(), before+2)
	}

	// Export, then the file reads back with every service.
	for _, name := range []string{"out.csv", "out.json"} {
		path := filepath.Join(dir, name)
		s.ExportFile(path)
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("%s: %v (%s)", name, err, s.LastImport())
		}
		var rows []data.ServiceImport
		if strings.HasSuffix(name, ".json") {
			rows, err = data.ParseServicesJSON(f)
		} else {
			rows, err = data.ParseServicesCSV(f)
		}
		f.Close()
		if err != nil || len(rows) != before+2 {
			t.Errorf("%s: %d rows, %v", name, len(rows), err)
		}
	}
}

func TestDirectoryReadOnlyForReception(t *testing.T) {
	dw := newDiaryWorld(t) // signed in as a receptionist
	dw.a.Show("Directory")
	s := dw.a.directory
	if s == nil {
		t.Fatal("reception cannot read the directory")
	}
	if s.newButton.Visible() || s.importBtn.Visible() || !s.name.Disabled() {
		t.Error("reception can edit the directory")
	}
	if s.staleList.Visible() {
		t.Error("reception sees the practice manager's stale list")
	}
}
