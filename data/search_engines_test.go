package data

import (
	"context"
	"strings"
	"testing"
)

// searchNames are the test names both engines must search alike: accents,
// particles, hyphens, apostrophes, ß, Ł and Cyrillic, and three born on one
// day.
var searchNames = []Patient{
	{GivenName: "Siobhán", FamilyName: "Ó Ceallaigh", DateOfBirth: "1961-04-02", NHSNumber: "943 476 5919"},
	{GivenName: "Oisín", FamilyName: "Ó Ceallaigh", DateOfBirth: "1983-06-11"},
	{GivenName: "Pieter", FamilyName: "van der Berg", DateOfBirth: "1975-09-30"},
	{GivenName: "Anna", FamilyName: "van der Berg", DateOfBirth: "1979-02-14"},
	{GivenName: "Jo", FamilyName: "Ellis-Mason", DateOfBirth: "1988-12-01"},
	{GivenName: "Lena", FamilyName: "Strauß", DateOfBirth: "1950-07-15"},
	{GivenName: "Łucja", FamilyName: "Nowak", DateOfBirth: "1999-01-20"},
	{GivenName: "Оксана", FamilyName: "Лисенко", DateOfBirth: "1970-03-03"},
	{GivenName: "Sean", FamilyName: "O'Connell", DateOfBirth: "1961-04-02"},
	{GivenName: "Mary", FamilyName: "Smith", DateOfBirth: "1961-04-02"},
	{GivenName: "Peter", FamilyName: "Smith", DateOfBirth: "1970-01-01"},
	{GivenName: "Alan", FamilyName: "Smythe", DateOfBirth: "1961-05-05"},
}

// searchAnswers are what each query finds among searchNames, in name
// order: in the patient search and in the Referrals list's text filter.
var searchAnswers = map[string]string{
	"o ceallaigh":          "Oisín Ó Ceallaigh; Siobhán Ó Ceallaigh",
	"Ó Ceall":              "Oisín Ó Ceallaigh; Siobhán Ó Ceallaigh",
	"ceallaigh":            "Oisín Ó Ceallaigh; Siobhán Ó Ceallaigh",
	"ceal":                 "Oisín Ó Ceallaigh; Siobhán Ó Ceallaigh",
	"siobhan":              "Siobhán Ó Ceallaigh",
	"Oisín Ó Ceallaigh":    "Oisín Ó Ceallaigh",
	"oisin o ceal":         "Oisín Ó Ceallaigh",
	"siobhan ceallaigh":    "Siobhán Ó Ceallaigh",
	"van der":              "Anna van der Berg; Pieter van der Berg",
	"VAN DER BERG":         "Anna van der Berg; Pieter van der Berg",
	"berg":                 "Anna van der Berg; Pieter van der Berg",
	"pieter van":           "Pieter van der Berg",
	"Anna van der Berg":    "Anna van der Berg",
	"anna berg":            "Anna van der Berg",
	"ellis-mason":          "Jo Ellis-Mason",
	"ellis":                "Jo Ellis-Mason",
	"mason":                "Jo Ellis-Mason",
	"jo mason":             "Jo Ellis-Mason",
	"strauß":               "Lena Strauß",
	"strauss":              "Lena Strauß", // ß = ss, on both
	"STRAUSS":              "Lena Strauß",
	"lena str":             "Lena Strauß",
	"connell":              "Sean O'Connell",
	"o'connell":            "Sean O'Connell",
	"o'c":                  "Sean O'Connell",
	"łucja":                "Łucja Nowak",
	"lucja":                "Łucja Nowak",
	"nowak, lucja":         "Łucja Nowak",
	"лисенко":              "Оксана Лисенко",
	"Лис":                  "Оксана Лисенко",
	"оксана":               "Оксана Лисенко",
	"smith":                "Mary Smith; Peter Smith",
	"smythe":               "Alan Smythe",
	"sm":                   "Mary Smith; Peter Smith; Alan Smythe",
	"smith 02/04/1961":     "Mary Smith",
	"ó ceallaigh 2/4/1961": "Siobhán Ó Ceallaigh",
	"1961-04-02 siobhan":   "Siobhán Ó Ceallaigh",
	"smith 03/04/1961":     "",
	"9434765919":           "Siobhán Ó Ceallaigh",
	"943 476 5919":         "Siobhán Ó Ceallaigh",
	"02/04/1961":           "Siobhán Ó Ceallaigh; Sean O'Connell; Mary Smith",
	"1961-04-02":           "Siobhán Ó Ceallaigh; Sean O'Connell; Mary Smith",
	"o":                    "Oisín Ó Ceallaigh; Siobhán Ó Ceallaigh; Sean O'Connell",
	"zzz":                  "",
}

// The same searches give the same patients, in the same order, on SQLite
// and on PostgreSQL: this test runs in both passes with one table of
// answers (engines_test.go). The Referrals list's text filter, each
// patient referred once, finds the same.
func TestSearchSameOnBothEngines(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	sess := s.sessionFor(OpEditPatient)
	names := map[int64]string{}
	for _, p := range searchNames {
		p.Phone = "07700 900123"
		saved, err := s.SavePatient(ctx, sess, p, SaveOptions{AcceptSimilar: true})
		if err != nil {
			t.Fatalf("%s %s: %v", p.GivenName, p.FamilyName, err)
		}
		names[saved.ID] = p.GivenName + " " + p.FamilyName
		if _, err := s.CreateReferral(ctx, s.sessionFor(OpRefer), Referral{PatientID: saved.ID, Source: "self", Reasons: []string{"housing"},
			ConsentBy: "Patient", ConsentOn: "2026-11-20"}); err != nil {
			t.Fatal(err)
		}
	}
	for query, want := range searchAnswers {
		got, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), query, 20)
		if err != nil {
			t.Errorf("%q: %v", query, err)
			continue
		}
		var found []string
		for _, p := range got {
			found = append(found, p.GivenName+" "+p.FamilyName)
		}
		if strings.Join(found, "; ") != want {
			t.Errorf("search %q: %q, want %q", query, strings.Join(found, "; "), want)
		}

		f := ReferralFilter{Text: query}
		rows, err := s.ListReferrals(ctx, s.sessionFor(OpViewReferralList), f, ReferralSort{Column: SortPatient}, 0, 20)
		if err != nil {
			t.Errorf("referrals %q: %v", query, err)
			continue
		}
		found = nil
		for _, r := range rows {
			found = append(found, names[r.PatientID])
		}
		if strings.Join(found, "; ") != want {
			t.Errorf("referrals %q: %q, want %q", query, strings.Join(found, "; "), want)
		}
		n, err := s.CountReferrals(ctx, s.sessionFor(OpViewReferralList), f)
		if err != nil || n != len(found) {
			t.Errorf("referrals %q: counted %d (%v), listed %d", query, n, err, len(found))
		}
	}
}

// Migration 008 re-keys the names stored when ß folded to s: run again on
// keys made the old way, it gives what foldKey gives now, on both engines.
func TestMigrationRekeysSharpS(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	var ids []int64
	for _, p := range []Patient{
		{GivenName: "Jürgen", FamilyName: "Strauß", DateOfBirth: "1950-07-15"},
		{GivenName: "Meike", FamilyName: "Groß-Weiß", DateOfBirth: "1962-01-05"},
		{GivenName: "Rüdiger", FamilyName: "STRAUẞ", DateOfBirth: "1958-03-30"},
	} {
		p.Phone = "07700 900123"
		saved, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), p, SaveOptions{AcceptSimilar: true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, saved.ID)
	}
	// The keys as the old foldKey made them: ß → s, ẞ → ß.
	if _, err := s.db.Exec(`UPDATE patients SET family_key = replace(replace(family_key, 'ss', 's'), 'strauss', 'strauß')
		WHERE id IN (?, ?, ?)`, ids[0], ids[1], ids[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE patients SET family_key = 'strauß' WHERE id = ?`, ids[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE patients SET family_key = 'straus' WHERE id = ?`, ids[0]); err != nil {
		t.Fatal(err)
	}
	file, body := "migrations/008_name_words.sql", []byte(nil)
	var err error
	if s.engine == enginePostgres {
		body, err = postgresMigrationFiles.ReadFile("migrations/postgres/008_name_words.sql")
	} else {
		body, err = migrationFiles.ReadFile(file)
	}
	if err != nil {
		t.Fatal(err)
	}
	rekey, _, found := strings.Cut(string(body), "-- The later words")
	if !found {
		t.Fatal("008 has no re-keying part")
	}
	if _, err := s.db.Exec(rekey); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		var name, key string
		if err := s.db.QueryRow(`SELECT family_name, family_key FROM patients WHERE id = ?`, id).Scan(&name, &key); err != nil {
			t.Fatal(err)
		}
		if key != foldKey(name) {
			t.Errorf("%s: key %q after 008, want %q", name, key, foldKey(name))
		}
	}
	got, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), "grossw", 20)
	if err != nil || len(got) != 0 {
		t.Errorf("grossw: %v %v", got, err) // the hyphen is still there
	}
	got, err = s.SearchPatients(ctx, s.sessionFor(OpViewPatient), "weiss", 20)
	if err != nil || len(got) != 1 {
		t.Errorf("weiss (a later word, re-keyed): %v %v", got, err)
	}
}

// The directory's text search finds the same entries on both engines,
// accents or none.
func TestDirectorySearchSameOnBothEngines(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	ctx := context.Background()
	var rows []ServiceImport
	for i, name := range []string{"Café Ó Súil", "Ellis-Mason Garden Club", "Łódź Polish Club", "Лисенко Choir", "Walking for Health"} {
		rows = append(rows, ServiceImport{Where: name, Service: Service{Name: name, Organisation: "Calderdale",
			Description: "Everyone welcome.", Categories: []string{ServiceCategories[i%len(ServiceCategories)]}}})
	}
	if _, err := s.ImportServices(ctx, s.session(admin), rows, nil); err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]string{
		"cafe":         "Café Ó Súil",
		"Café":         "Café Ó Súil",
		"suil":         "Café Ó Súil",
		"ellis":        "Ellis-Mason Garden Club",
		"mason garden": "Ellis-Mason Garden Club",
		"лисенко":      "Лисенко Choir",
		"walk":         "Walking for Health; Лисенко Choir",         // its category
		"club":         "Łódź Polish Club; Ellis-Mason Garden Club", // the shorter name ranks first
		"nothing":      "",
	} {
		got, _, err := s.SearchServices(ctx, s.session(admin), ServiceQuery{Text: query}, 0, 20)
		if err != nil {
			t.Errorf("%q: %v", query, err)
			continue
		}
		var names []string
		for _, sv := range got {
			names = append(names, sv.Name)
		}
		if strings.Join(names, "; ") != want {
			t.Errorf("directory %q: %q, want %q", query, strings.Join(names, "; "), want)
		}
	}
}
