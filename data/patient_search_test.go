package data

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// plainSearch is the name search as one plain query: every match sorted.
func plainSearch(s *Store, query string, limit int) ([]Patient, error) {
	words := strings.Fields(foldKey(strings.ReplaceAll(query, ",", " ")))
	order := ` ORDER BY family_key, given_key, date_of_birth, id LIMIT ?`
	const laterWord = `id IN (SELECT patient_id FROM patient_name_words WHERE `
	if len(words) == 1 {
		w := words[0]
		if len([]rune(w)) == 1 {
			return queryPatients(context.Background(), s.db, `SELECT `+patientColumns+` FROM patients
				WHERE family_key >= ? AND family_key < ?`+order, w, prefixEnd(w), limit)
		}
		return queryPatients(context.Background(), s.db, `SELECT `+patientColumns+` FROM patients
			WHERE (family_key >= ? AND family_key < ?) OR (given_key >= ? AND given_key < ?)
			   OR `+laterWord+`word >= ? AND word < ?)`+order,
			w, prefixEnd(w), w, prefixEnd(w), w, prefixEnd(w), limit)
	}
	var conds []string
	var args []any
	for k := 1; k < len(words); k++ {
		first, rest := strings.Join(words[:k], " "), strings.Join(words[k:], " ")
		conds = append(conds, `(given_key = ? AND family_key >= ? AND family_key < ?)`, `(family_key = ? AND given_key >= ? AND given_key < ?)`)
		args = append(args, first, rest, prefixEnd(rest), first, rest, prefixEnd(rest))
	}
	all := strings.Join(words, " ")
	first, last := strings.Join(words[:len(words)-1], " "), words[len(words)-1]
	conds = append(conds, `(family_key >= ? AND family_key < ?)`, `(given_key >= ? AND given_key < ?)`,
		`(given_key = ? AND `+laterWord+`word >= ? AND word < ?))`)
	args = append(args, all, prefixEnd(all), all, prefixEnd(all), first, last, prefixEnd(last))
	if len(words) == 2 {
		conds = append(conds, `(given_key >= ? AND given_key < ? AND `+laterWord+`word = ?))`)
		args = append(args, words[1], prefixEnd(words[1]), words[0])
	}
	return queryPatients(context.Background(), s.db, `SELECT `+patientColumns+` FROM patients
		WHERE `+strings.Join(conds, " OR ")+order, append(args, limit)...)
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
		given + " " + family[:2], family + ", " + given, family + " " + given[:1], twoWords, twoWords[:len(twoWords)-1], "o", "ó bri",
		"ceal", "suil", "connell", "carthaigh", "ma", "sean o", "siobhan ceallaigh", "briain pa"}
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

// laterWords are a name key's words after its first, split at spaces,
// hyphens and apostrophes, as 008's triggers split them.
func laterWords(key string) []string {
	var out []string
	for i, w := range strings.Split(strings.NewReplacer("-", " ", "'", " ").Replace(key), " ") {
		if i > 0 && w != "" {
			out = append(out, w)
		}
	}
	return out
}

// The triggers keep patient_name_words as the names say, on both engines:
// after the demo's inserts, a rename and a change of date of birth.
func TestNameWordsFollowNames(t *testing.T) {
	s := openListTest(t)
	for _, change := range []string{
		`UPDATE patients SET given_name = 'Mary-Jo', given_key = 'mary-jo', family_name = 'de la Cruz', family_key = 'de la cruz' WHERE id = 3`,
		`UPDATE patients SET date_of_birth = '1944-02-29' WHERE id = (SELECT min(patient_id) FROM patient_name_words)`,
	} {
		if _, err := s.db.Exec(change); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	rows, err := s.db.Query(`SELECT id, given_key, family_key, date_of_birth FROM patients`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var given, family, dob string
		if err := rows.Scan(&id, &given, &family, &dob); err != nil {
			t.Fatal(err)
		}
		for _, w := range append(laterWords(given), laterWords(family)...) {
			want[fmt.Sprintf("%s|%s|%s|%s|%d", w, family, given, dob, id)] = true
		}
	}
	rows.Close()
	got := map[string]bool{}
	rows, err = s.db.Query(`SELECT word, family_key, given_key, date_of_birth, patient_id FROM patient_name_words`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var w, family, given, dob string
		var id int64
		if err := rows.Scan(&w, &family, &given, &dob, &id); err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprintf("%s|%s|%s|%s|%d", w, family, given, dob, id)] = true
	}
	if len(want) < 50 || !reflect.DeepEqual(got, want) {
		t.Errorf("patient_name_words has %d rows, the names say %d", len(got), len(want))
		for k := range want {
			if !got[k] {
				t.Errorf("missing %s", k)
				break
			}
		}
		for k := range got {
			if !want[k] {
				t.Errorf("extra %s", k)
				break
			}
		}
	}
	if !want["cruz|de la cruz|mary-jo|"+func() string {
		var dob string
		s.db.QueryRow(`SELECT date_of_birth FROM patients WHERE id = 3`).Scan(&dob)
		return dob
	}()+"|3"] {
		t.Error("the rename's words are not there")
	}
}
