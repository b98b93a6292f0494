package data

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// plainSearch is the name search as one plain query: every match sorted.
func plainSearch(s *Store, query string, limit int) ([]Patient, error) {
	words := strings.Fields(foldKey(strings.ReplaceAll(query, ",", " ")))
	order := ` ORDER BY family_key, given_key, date_of_birth, id LIMIT ?`
	if len(words) == 1 {
		w := words[0]
		if len([]rune(w)) == 1 {
			return queryPatients(context.Background(), s.db, `SELECT `+patientColumns+` FROM patients
				WHERE family_key >= ? AND family_key < ?`+order, w, prefixEnd(w), limit)
		}
		return queryPatients(context.Background(), s.db, `SELECT `+patientColumns+` FROM patients
			WHERE (family_key >= ? AND family_key < ?) OR (given_key >= ? AND given_key < ?)`+order,
			w, prefixEnd(w), w, prefixEnd(w), limit)
	}
	first := strings.Join(words[:len(words)-1], " ")
	last := words[len(words)-1]
	all := strings.Join(words, " ")
	return queryPatients(context.Background(), s.db, `SELECT `+patientColumns+` FROM patients
		WHERE (given_key = ? AND family_key >= ? AND family_key < ?)
		   OR (family_key = ? AND given_key >= ? AND given_key < ?)
		   OR (family_key >= ? AND family_key < ?)`+order,
		first, last, prefixEnd(last), first, last, prefixEnd(last), all, prefixEnd(all), limit)
}

// TestSearchMatchesPlainQuery checks the merged walks against the plain
// query, with given names walked one by one and sorted.
func TestSearchMatchesPlainQuery(t *testing.T) {
	s := openListTest(t)
	var family, given, twoWords string
	s.db.QueryRow(`SELECT family_name, given_name FROM patients ORDER BY id LIMIT 1 OFFSET 99`).Scan(&family, &given)
	s.db.QueryRow(`SELECT family_name FROM patients WHERE instr(family_key, ' ') > 0 ORDER BY id LIMIT 1`).Scan(&twoWords)
	if family == "" || twoWords == "" {
		t.Fatal("the demo lacks names to search")
	}
	// A patient whose family name is someone else's given name, found by
	// both walks, comes back once.
	if _, err := s.db.Exec(`UPDATE patients SET family_name = ?, family_key = ? WHERE id = 5`, strings.ToUpper(given), foldKey(given)); err != nil {
		t.Fatal(err)
	}
	queries := []string{"s", "sm", "smi", "ch", "chloe", "jo", "a", "zz", given[:2], given, family, strings.ToUpper(family[:3]),
		given + " " + family[:2], family + ", " + given, family + " " + given[:1], twoWords, twoWords[:len(twoWords)-1], "o", "ó bri"}
	defer func(was int) { searchNamesAtMost = was }(searchNamesAtMost)
	for _, q := range queries {
		for _, limit := range []int{1, 7, 200} {
			want, err := plainSearch(s, q, limit)
			if err != nil {
				t.Fatal(err)
			}
			for _, atMost := range []int{0, 50} {
				searchNamesAtMost = atMost
				got, err := s.SearchPatients(context.Background(), s.sessionFor(OpViewPatient), q, limit)
				if err != nil {
					t.Fatalf("%q: %v", q, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%q, limit %d, names at most %d: got %d patients, want %d", q, limit, atMost, len(got), len(want))
				}
			}
		}
	}
}
