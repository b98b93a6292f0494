package data

import (
	"context"
	"errors"
	"testing"
)

func TestPatientCreateEditSearch(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()

	p, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{NHSNumber: "943 476 5919", GivenName: "Siobhán", FamilyName: "Ó Súilleabháin",
		DateOfBirth: "03/07/1956", Postcode: "ls11 5ab", Phone: "07700 900123"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.NHSNumber != "9434765919" || p.Postcode != "LS11 5AB" || p.DateOfBirth != "1956-07-03" {
		t.Fatalf("saved %+v", p)
	}
	var createdBy int64
	s.db.QueryRow("SELECT created_by FROM patients WHERE id = ?", p.ID).Scan(&createdBy)
	if want := s.sessionFor(OpEditPatient).User().ID; createdBy != want {
		t.Errorf("created_by = %d, want %d", createdBy, want)
	}

	for _, q := range []string{"o su", "Ó Súil", "osul", "suil", "siobhan", "siobhán o", "943 476", "9434765919", "03/07/1956", "1956-07-03", "o suilleabhain, siob"} {
		found, err := s.SearchPatients(ctx, s.sessionFor(OpViewPatient), q, 10)
		if q == "osul" {
			// Not the start of a word of either name: not found.
			if len(found) != 0 {
				t.Errorf("search %q found %d", q, len(found))
			}
			continue
		}
		if err != nil || len(found) != 1 || found[0].ID != p.ID {
			t.Errorf("search %q: %v %v", q, found, err)
		}
	}

	// Edit, then a stale copy may not overwrite it.
	stale := p
	p.Phone = "0113 496 0000"
	p2, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), p, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stale.Email = "s@example.org"
	if _, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), stale, SaveOptions{}); !errors.Is(err, ErrChangedElsewhere) {
		t.Errorf("stale save: %v", err)
	}
	got, _ := s.Patient(ctx, s.sessionFor(OpViewPatient), p.ID)
	if got.Phone != "0113 496 0000" || got.Email != "" || got.Version != p2.Version || got.Version != 2 {
		t.Errorf("after edit: %+v", got)
	}
}

func TestPatientDuplicateRules(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	ctx := context.Background()
	first, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{NHSNumber: "6541003238", GivenName: "Zoë", FamilyName: "Brown", DateOfBirth: "1990-02-02", Phone: "07700 900123"}, SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// Same NHS number: refused, pointing at the first record.
	_, err = s.SavePatient(ctx, s.sessionFor(OpEditPatient), Patient{NHSNumber: "654 100 3238", GivenName: "Someone", FamilyName: "Else", DateOfBirth: "1970-01-01", Phone: "07700 900124"}, SaveOptions{AcceptSimilar: true})
	var dup *DuplicateNHSNumberError
	if !errors.As(err, &dup) || dup.Existing.ID != first.ID {
		t.Fatalf("same NHS number: %v", err)
	}

	// Same name and date of birth (accents and case aside): a warning...
	twin := Patient{GivenName: "zoe", FamilyName: "BROWN", DateOfBirth: "02/02/1990", Phone: "07700 900125"}
	_, err = s.SavePatient(ctx, s.sessionFor(OpEditPatient), twin, SaveOptions{})
	var similar *SimilarPatientsError
	if !errors.As(err, &similar) || len(similar.Matches) != 1 || similar.Matches[0].ID != first.ID {
		t.Fatalf("same name and DOB: %v", err)
	}
	// ...that the user may accept.
	if _, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), twin, SaveOptions{AcceptSimilar: true}); err != nil {
		t.Fatal(err)
	}
	n, _ := s.CountPatients(ctx, s.sessionFor(OpViewPatient))
	if n != 2 {
		t.Errorf("%d patients, want 2", n)
	}
	// Editing a patient does not warn about itself.
	first.Phone = "07700 900999"
	if _, err := s.SavePatient(ctx, s.sessionFor(OpEditPatient), first, SaveOptions{}); err != nil && !errors.As(err, &similar) {
		t.Fatal(err)
	}
}

func TestSavePatientKeepsInputOnError(t *testing.T) {
	s := newStore(t)
	setUpPractice(t, s)
	in := Patient{NHSNumber: "943 476 5918", GivenName: "Łukasz", FamilyName: "Nowak", DateOfBirth: "1/2/1985", Phone: "07700 900123"}
	out, err := s.SavePatient(context.Background(), s.sessionFor(OpEditPatient), in, SaveOptions{})
	if err == nil {
		t.Fatal("bad NHS number accepted")
	}
	if out != in {
		t.Errorf("input changed on error: %+v", out)
	}
	if v, _ := FieldErrors(err); v == nil || v.For("NHSNumber") == "" {
		t.Errorf("no NHS number message: %v", err)
	}
}
