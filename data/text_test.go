package data

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"  Siân   Łukasz ":                   "Siân Łukasz",
		"Ada\x00 Love\x1blace":               "Ada Lovelace",
		"\u202eecilA\u202c":                  "ecilA", // shown reversed, stored as typed: the override goes
		"Zo\u2066ë\u2069\u200d":              "Zoë\u200d",
		"Mill Lane\r\nHalifax\tHX1":          "Mill Lane Halifax HX1",
		"\ufeffName\x7f\u0085x":              "Name x",
		"Siobha\u0301n":                      "Siobhán", // NFC
		"\x01\x02\x03\x04\x05\x06\x07\x08":   "",
		"O\u2019Brien-Smith, Ó Súilleabháin": "O\u2019Brien-Smith, Ó Súilleabháin",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanParagraphs("  Walks\r\n\r\nTea\x00 after\u202e.\rBring  boots "); got != "Walks\n\nTea after.\nBring  boots" {
		t.Errorf("cleanParagraphs: %q", got)
	}
}

// Names typed or pasted into the app lose control characters before they
// are checked and saved.
func TestPatientNameIsCleaned(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	p, err := s.SavePatient(context.Background(), s.sessionFor(OpEditPatient), Patient{GivenName: "Zo\u202eë\x00", FamilyName: "O\x1b'Brien",
		DateOfBirth: "01/02/1960", Phone: "07700 900003"}, SaveOptions{})
	if err != nil || p.GivenName != "Zoë" || p.FamilyName != "O'Brien" {
		t.Errorf("%q %q %v", p.GivenName, p.FamilyName, err)
	}
	if _, err := s.SavePatient(context.Background(), s.sessionFor(OpEditPatient), Patient{GivenName: "\x00\u202e", FamilyName: "Smith",
		DateOfBirth: "01/02/1960"}, SaveOptions{}); err == nil {
		t.Error("a name of control characters only was saved")
	}
}

func TestImportCSVWindows1252(t *testing.T) {
	s := newStore(t)
	admin := setUpPractice(t, s)
	// As Excel saves "CSV (Comma delimited)" on a UK PC: é is E9, £ is A3,
	// ’ is 92. The ESC and NUL go.
	src := "name,organisation,cost,description\r\nCaf\xe9\x1b Society,St Mary\x92s,\xa33 a session,Tea\x00 and cake\r\n"
	rows, err := ParseServicesCSV(strings.NewReader(src))
	if err != nil || len(rows) != 1 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if rows[0].Encoding != EncodingWindows1252 {
		t.Errorf("encoding %q", rows[0].Encoding)
	}
	res, err := s.ImportServices(context.Background(), s.session(admin), rows, nil)
	if err != nil || res.Created != 1 || res.Encoding != EncodingWindows1252 || !strings.Contains(res.EncodingNote(), "Windows-1252") {
		t.Fatalf("%+v %v", res, err)
	}
	all, _ := s.AllServices(context.Background(), s.sessionFor(OpViewDirectory))
	if sv := all[0]; sv.Name != "Café Society" || sv.Organisation != "St Mary’s" || sv.Cost != "£3 a session" || sv.Description != "Tea and cake" {
		t.Errorf("%+v", sv)
	}
}

func TestParseCSVEncodings(t *testing.T) {
	want := "Café £3 – Łódź"
	utf16 := func(e unicode.Endianness) string {
		b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().String("name,cost\r\n" + want + ",£1\r\n")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ascii := "name\n" + strings.Repeat("Walks\n", 20000) // the first non-ASCII byte far into the file
	for name, c := range map[string]struct{ src, encoding, first, last string }{
		"UTF-8":                 {"name,cost\n" + want + ",£1\n", EncodingUTF8, want, want},
		"UTF-8 with BOM":        {"\ufeffname,cost\n" + want + ",£1\n", EncodingUTF8, want, want},
		"UTF-16LE":              {utf16(unicode.LittleEndian), EncodingUTF16, want, want},
		"UTF-16BE":              {utf16(unicode.BigEndian), EncodingUTF16, want, want},
		"ASCII":                 {"name\nWalks\n", EncodingUTF8, "Walks", "Walks"},
		"Windows-1252 far down": {ascii + "Caf\xe9\n", EncodingWindows1252, "Walks", "Café"},
		"UTF-8 far down":        {ascii + "Café\n", EncodingUTF8, "Walks", "Café"},
	} {
		rows, err := ParseServicesCSV(strings.NewReader(c.src))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		first, last := rows[0], rows[len(rows)-1]
		if first.Encoding != c.encoding || first.Name != c.first || last.Name != c.last {
			t.Errorf("%s: %q … %q read as %s, want %q … %q as %s", name, first.Name, last.Name, first.Encoding, c.first, c.last, c.encoding)
		}
	}
	// UTF-8 that turns into something else is refused, not half-read.
	_, err := ParseServicesCSV(strings.NewReader("name\nCafé\nWalks\nCaf\xe9\n"))
	if err == nil || !strings.Contains(err.Error(), "UTF-8 up to line 3") {
		t.Errorf("mixed encodings: %v", err)
	}
}
