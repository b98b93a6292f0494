package data

import (
	"context"
	"strings"
	"testing"
)

// searchNames are the test names both engines must search alike: accents,
// particles, hyphens, ß, Ł and Cyrillic.
var searchNames = []Patient{
	{GivenName: "Siobhán", FamilyName: "Ó Ceallaigh", DateOfBirth: "1961-04-02", NHSNumber: "943 476 5919"},
	{GivenName: "Pieter", FamilyName: "van der Berg", DateOfBirth: "1975-09-30"},
	{GivenName: "Jo", FamilyName: "Ellis-Mason", DateOfBirth: "1988-12-01"},
	{GivenName: "Lena", FamilyName: "Strauß", DateOfBirth: "1950-07-15"},
	{GivenName: "Łucja", FamilyName: "Nowak", DateOfBirth: "1999-01-20"},
	{GivenName: "Оксана", FamilyName: "Лисенко", DateOfBirth: "1970-03-03"},
	{GivenName: "Sean", FamilyName: "O'Connell", DateOfBirth: "1961-04-02"},
}

// The same searches give the same patients, in the same order, on SQLite
// and on PostgreSQL: this test runs in both passes with one table of
// answers (engines_test.go).
func TestSearchSameOnBothEngines(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	sess := s.sessionFor(OpEditPatient)
	for _, p := range searchNames {
		p.Phone = "07700 900123"
		if _, err := s.SavePatient(ctx, sess, p, SaveOptions{AcceptSimilar: true}); err != nil {
			t.Fatalf("%s %s: %v", p.GivenName, p.FamilyName, err)
		}
	}
	for query, want := range map[string]string{
		"o ceallaigh":  "Siobhán Ó Ceallaigh",
		"Ó Ceall":      "Siobhán Ó Ceallaigh",
		"siobhan":      "Siobhán Ó Ceallaigh",
		"van der":      "Pieter van der Berg",
		"VAN DER BERG": "Pieter van der Berg",
		"pieter van":   "Pieter van der Berg",
		"ellis-mason":  "Jo Ellis-Mason",
		"ellis":        "Jo Ellis-Mason",
		"strauß":       "Lena Strauß",
		"strauss":      "", // ß is a letter of its own, on both
		"lena str":     "Lena Strauß",
		"łucja":        "Łucja Nowak",
		"lucja":        "Łucja Nowak",
		"nowak, lucja": "Łucja Nowak",
		"лисенко":      "Оксана Лисенко",
		"Лис":          "Оксана Лисенко",
		"оксана":       "Оксана Лисенко",
		"9434765919":   "Siobhán Ó Ceallaigh",
		"943 476 5919": "Siobhán Ó Ceallaigh",
		"02/04/1961":   "Siobhán Ó Ceallaigh; Sean O'Connell",
		"o":            "Siobhán Ó Ceallaigh; Sean O'Connell",
		"o'c":          "Sean O'Connell",
		"zzz":          "",
	} {
		got, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), query, 20)
		if err != nil {
			t.Errorf("%q: %v", query, err)
			continue
		}
		var names []string
		for _, p := range got {
			names = append(names, p.GivenName+" "+p.FamilyName)
		}
		if strings.Join(names, "; ") != want {
			t.Errorf("search %q: %q, want %q", query, strings.Join(names, "; "), want)
		}
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
