package data

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The directory's text search on PostgreSQL: the same words as ftsQuery
// reads for SQLite's FTS5, each a prefix and all of them needed, matched
// without accents against services.search (migrations/postgres/001). The
// best match first: ts_rank is higher for a better match, bm25 lower, so
// the score is negated to keep SearchServices' ORDER BY f.score; ts_rank's
// normalisation 1 weighs a match in a shorter entry higher, as bm25 does.
const postgresServicesMatch = ` JOIN (SELECT id AS rowid, -ts_rank('{0.1, 0.2, 0.4, 1.0}', search, query, 1) AS score
	FROM services, to_tsquery('simple', linkwell_unaccent(?)) AS query WHERE search @@ query) f ON f.rowid = s.id`

// postgresTSQuery is text as a tsquery: 'word':* & 'word':* …. The words
// hold only letters, digits and marks, as in ftsQuery.
func postgresTSQuery(text string) string {
	words := strings.FieldsFunc(norm.NFC.String(strings.ToLower(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
	terms := make([]string, 0, len(words))
	for _, w := range words {
		terms = append(terms, `'`+w+`':*`)
	}
	return strings.Join(terms, " & ")
}
