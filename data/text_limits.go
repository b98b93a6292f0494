package data

import (
	"fmt"
	"unicode/utf8"
)

// NoteMaxChars is the longest case or contact note, in characters (not
// bytes: "Łukasz" is six). A note is what happened at one contact; 5,000
// characters is two full pages. Longer text, often a letter pasted whole,
// made the timeline lay entries over each other (issue 17); a letter
// belongs in the GP record.
const NoteMaxChars = 5000

// formatCount writes a count the way the screens do, with thousands
// separated by commas: 5,000.
func formatCount(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + formatCount(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// NoteLength is a note's length as NoteMaxChars counts it.
func NoteLength(text string) int { return utf8.RuneCountInString(text) }

// checkNoteLength refuses, as the field's error, a note over NoteMaxChars.
func checkNoteLength(v *ValidationError, field, text string) {
	if n := NoteLength(text); n > NoteMaxChars {
		v.add(field, "a note is at most %s characters; this one has %s", formatCount(NoteMaxChars), formatCount(n))
	}
}
