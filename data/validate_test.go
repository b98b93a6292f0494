package data

import (
	"strconv"
	"testing"
	"time"
)

func TestNHSNumber(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"9434765919", "9434765919", true},
		{"943 476 5919", "9434765919", true},
		{"943-476-5919", "9434765919", true},
		{"6541003238", "6541003238", true},
		{"9434765918", "", false}, // wrong check digit
		{"943476591", "", false},  // 9 digits
		{"94347659190", "", false},
		{"94347A5919", "", false},
		{"", "", false},
		{"1000000010", "", false}, // check digit would be 10
	}
	for _, c := range cases {
		got, err := NormaliseNHSNumber(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("NormaliseNHSNumber(%q) = %q, %v; want %q ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
	if FormatNHSNumber("9434765919") != "943 476 5919" {
		t.Error("FormatNHSNumber")
	}
}

// FuzzNHSNumber checks that every accepted number is 10 digits whose check
// digit is what NHSCheckDigit computes, and that nothing panics.
func FuzzNHSNumber(f *testing.F) {
	for _, s := range []string{"9434765919", "943 476 5919", "6541003238", "0000000000", "12345", "٩٤٣٤٧٦٥٩١٩"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormaliseNHSNumber(s)
		if err != nil {
			return
		}
		if len(got) != 10 {
			t.Fatalf("accepted %q as %q", s, got)
		}
		if d := NHSCheckDigit(got[:9]); d < 0 || strconv.Itoa(d) != got[9:] {
			t.Fatalf("accepted %q with a wrong check digit", s)
		}
		again, err := NormaliseNHSNumber(FormatNHSNumber(got))
		if err != nil || again != got {
			t.Fatalf("formatted number not accepted back: %q", got)
		}
	})
}

func TestPostcode(t *testing.T) {
	cases := []struct{ in, want string }{
		{"ls11 5ab", "LS11 5AB"}, {"SW1A1AA", "SW1A 1AA"}, {" m1  1ae ", "M1 1AE"}, {"b338th", "B33 8TH"},
		{"CR2 6XH", "CR2 6XH"}, {"DN55 1PT", "DN55 1PT"}, {"W1A 0AX", "W1A 0AX"},
	}
	for _, c := range cases {
		got, err := NormalisePostcode(c.in)
		if err != nil || got != c.want {
			t.Errorf("NormalisePostcode(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "LS11", "12345", "LS11 5A", "QQQ 123", "LS11 5AB X"} {
		if _, err := NormalisePostcode(bad); err == nil {
			t.Errorf("NormalisePostcode(%q) accepted", bad)
		}
	}
}

func TestPhoneAndEmail(t *testing.T) {
	for _, ok := range []string{"0113 496 0000", "07700 900123", "+44 7700 900123", "(0113) 496-0000"} {
		if _, err := NormalisePhone(ok); err != nil {
			t.Errorf("phone %q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"12345", "call me", "0113 496 0000 ext 4", "+44 7700 900123 4567 89"} {
		if _, err := NormalisePhone(bad); err == nil {
			t.Errorf("phone %q accepted", bad)
		}
	}
	for _, ok := range []string{"jo@example.org", "siân.llewellyn@example.co.uk"} {
		if _, err := NormaliseEmail(ok); err != nil {
			t.Errorf("email %q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"jo", "jo@", "jo@example", "Jo <jo@example.org>", "a b@example.org"} {
		if _, err := NormaliseEmail(bad); err == nil {
			t.Errorf("email %q accepted", bad)
		}
	}
}

func TestPatientValidationNamesEachField(t *testing.T) {
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	p := Patient{NHSNumber: "123", GivenName: " ", FamilyName: "", DateOfBirth: "31/12/2030", Postcode: "nowhere", Phone: "abc", Email: "x@"}
	err := p.Normalise(today)
	v, ok := FieldErrors(err)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	for _, f := range []string{"NHSNumber", "GivenName", "FamilyName", "DateOfBirth", "Postcode", "Phone", "Email"} {
		if v.For(f) == "" {
			t.Errorf("no message for %s (got %v)", f, v.Fields)
		}
	}
	for _, dob := range []string{"01/01/1899", "2030-01-01", "32/01/2000", "yesterday"} {
		p := Patient{GivenName: "A", FamilyName: "B", DateOfBirth: dob, Phone: "07700 900123"}
		if v, _ := FieldErrors(p.Normalise(today)); v == nil || v.For("DateOfBirth") == "" {
			t.Errorf("date of birth %q accepted", dob)
		}
	}
}

func TestUnicodeNamesKeptAndFolded(t *testing.T) {
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, name := range [][2]string{{"Siân", "Llewellyn"}, {"Zoë", "Ó Súilleabháin"}, {"Łukasz", "Wiśniewski"}, {"Олена", "Шевченко"}} {
		p := Patient{GivenName: "  " + name[0] + " ", FamilyName: name[1], DateOfBirth: "01/02/1970", Phone: "07700 900123"}
		if err := p.Normalise(today); err != nil {
			t.Errorf("%v refused: %v", name, err)
		}
		if p.GivenName != name[0] || p.FamilyName != name[1] {
			t.Errorf("name changed: %q %q", p.GivenName, p.FamilyName)
		}
	}
	for in, want := range map[string]string{"Ó Súilleabháin": "o suilleabhain", "Łukasz": "lukasz", "ZOË": "zoe", "Шевченко": "шевченко", "Strauß": "strauss", "STRAUẞ": "strauss"} {
		if got := foldKey(in); got != want {
			t.Errorf("foldKey(%q) = %q, want %q", in, got, want)
		}
	}
}
